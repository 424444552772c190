"""Document content as the engine sees it: a schema a kind declares once, snapshots that
hold only keys and raw values (language-independent, so the signed SHA-256 does not
depend on who looked at it in which language), a presentation for templates and a diff
between two snapshots.

Snapshot shape::

    {"title": str,
     "fields": {key: value},
     "sections": {key: text},
     "tables": {key: [{"uid": str, column_key: value, ...}, ...]}}
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.functional import Promise

from . import money


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    # text | number (a count) | year | money (whole đồng) | date | choice
    type: str = "text"
    choices: dict[str, str | Promise] | None = None
    total: bool = False

    @property
    def numeric(self) -> bool:
        return self.type in ("money", "number")

    @property
    def header(self) -> str:
        """The label as a header shows it: a money column names the unit in effect."""
        return money.header(self.label) if self.type == "money" else str(self.label)


@dataclass(frozen=True)
class Table:
    key: str
    label: str | Promise
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Schema:
    fields: tuple[Column, ...] = ()
    sections: tuple[tuple[str, str | Promise], ...] = ()
    tables: tuple[Table, ...] = field(default_factory=tuple)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    @property
    def shows_money(self) -> bool:
        """Whether pages of this kind show amounts, and so need the đồng/triệu switch."""
        columns = [*self.fields, *(c for t in self.tables for c in t.columns)]
        return any(c.type == "money" for c in columns)


def format_value(column: Column, value: Any) -> str:
    if value is None or value == "":
        return ""
    if column.type == "money":
        return money.amount(value)
    if column.type == "number":
        return formats.number_format(int(value), force_grouping=True)
    if column.type == "date":
        return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    if column.type == "choice" and column.choices:
        return str(column.choices.get(value, value))
    return str(value)


def present(schema: Schema, snapshot: dict[str, Any]) -> dict[str, Any]:
    """Labels in the active language and formatted values, ready for a template."""
    fields = [
        {"key": c.key, "label": c.header, "value": format_value(c, snapshot["fields"].get(c.key))}
        for c in schema.fields
    ]
    sections = [
        {"key": key, "label": label, "text": snapshot["sections"].get(key, "")}
        for key, label in schema.sections
    ]
    tables = []
    for table in schema.tables:
        rows = snapshot["tables"].get(table.key, [])
        totals = {
            c.key: sum(int(r.get(c.key) or 0) for r in rows) for c in table.columns if c.total
        }
        tables.append(
            {
                "key": table.key,
                "label": table.label,
                "columns": table.columns,
                "rows": [
                    {
                        "uid": r["uid"],
                        "cells": [
                            {"column": c, "value": format_value(c, r.get(c.key))}
                            for c in table.columns
                        ],
                    }
                    for r in rows
                ],
                "totals": [
                    {"column": c, "value": format_value(c, totals[c.key]) if c.total else ""}
                    for c in table.columns
                ]
                if totals
                else None,
            }
        )
    return {
        "title": snapshot.get("title", ""),
        "fields": fields,
        "sections": sections,
        "tables": tables,
    }


def diff(schema: Schema, old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """What changed from `old` to `new`: fields and sections by key, table rows by uid,
    cell by cell. `old` None means everything is new."""
    old = old or {"title": "", "fields": {}, "sections": {}, "tables": {}}
    changes: dict[str, Any] = {"title": None, "fields": [], "sections": [], "tables": []}
    if old.get("title") != new.get("title"):
        changes["title"] = {"old": old.get("title", ""), "new": new.get("title", "")}
    for c in schema.fields:
        a, b = old["fields"].get(c.key), new["fields"].get(c.key)
        if a != b:
            changes["fields"].append(
                {"label": c.header, "old": format_value(c, a), "new": format_value(c, b)}
            )
    for key, label in schema.sections:
        a, b = old["sections"].get(key, ""), new["sections"].get(key, "")
        if a != b:
            status = "added" if not a else "removed" if not b else "changed"
            changes["sections"].append(
                {"key": key, "label": label, "status": status, "old": a, "new": b}
            )
    for table in schema.tables:
        old_rows = {r["uid"]: r for r in old["tables"].get(table.key, [])}
        new_rows = {r["uid"]: r for r in new["tables"].get(table.key, [])}
        rows = []
        for uid, row in new_rows.items():
            if uid not in old_rows:
                rows.append({"uid": uid, "status": "added", "cells": _cells(table, None, row)})
            else:
                cells = [c for c in _cells(table, old_rows[uid], row) if c["changed"]]
                if cells:
                    rows.append(
                        {
                            "uid": uid,
                            "status": "changed",
                            "name": _row_name(table, row),
                            "cells": cells,
                        }
                    )
        for uid, row in old_rows.items():
            if uid not in new_rows:
                rows.append({"uid": uid, "status": "removed", "cells": _cells(table, row, None)})
        totals = []
        for c in table.columns:
            if c.total:
                a = sum(int(r.get(c.key) or 0) for r in old_rows.values())
                b = sum(int(r.get(c.key) or 0) for r in new_rows.values())
                if a != b:
                    totals.append(
                        {
                            "label": c.header,
                            "old": format_value(c, a),
                            "new": format_value(c, b),
                            "delta": format_value(c, abs(b - a)),
                            "up": b > a,
                        }
                    )
        if rows or totals:
            changes["tables"].append(
                {"key": table.key, "label": table.label, "rows": rows, "totals": totals}
            )
    changes["empty"] = not (
        changes["title"] or changes["fields"] or changes["sections"] or changes["tables"]
    )
    return changes


def _row_name(table: Table, row: dict[str, Any]) -> str:
    return str(row.get(table.columns[0].key, ""))


def _cells(table: Table, old: dict | None, new: dict | None) -> list[dict[str, Any]]:
    cells = []
    for c in table.columns:
        a = old.get(c.key) if old else None
        b = new.get(c.key) if new else None
        cells.append(
            {
                "label": c.header,
                "old": format_value(c, a),
                "new": format_value(c, b),
                "changed": a != b,
            }
        )
    return cells
