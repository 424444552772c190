"""The mail system's account statistics as CSV: account, last sign-in, messages sent in
the period. Read as the estimate's XLSX import is (workflows.imports): the whole file is
refused when it cannot be a statistics file, otherwise every problem of every cell is
reported with its row and column, and the caller saves nothing while any remains.

The file is UTF-8, with or without a byte-order mark (what Excel writes as "CSV UTF-8"),
separated by commas or semicolons (Excel on a Vietnamese Windows writes semicolons). Dates
are dd/mm/yyyy or ISO (yyyy-mm-dd, a time after it ignored); numbers are whole, and may
group thousands with dots as the estimate import allows.

Formulas: workflows/exports.py writes text that starts like a formula (= + - @ tab CR)
with a leading apostrophe, and the estimate import refuses formulas. This import does the
same both ways: a cell starting like a formula is refused, with its row and column; a cell
written as the exports write such text (apostrophe first) is read as that text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from organisation.text import nfc
from workflows.exports import FORMULA_TRIGGERS
from workflows.formatting import grouped
from workflows.imports import ImportRefused, RowProblem, file_size, shown_value

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
MAX_MESSAGES = 10_000_000
MAX_ACCOUNT = 254

ACCOUNT, LAST_SIGN_IN, MESSAGES = "account", "last_sign_in", "messages_sent"
# The header the template has (Vietnamese) and the names also recognised (English).
HEADERS = {
    ACCOUNT: ("Tài khoản", "account"),
    LAST_SIGN_IN: ("Đăng nhập lần cuối", "last sign-in"),
    MESSAGES: ("Số thư đã gửi", "messages sent"),
}
COLUMNS = (ACCOUNT, LAST_SIGN_IN, MESSAGES)
TEMPLATE_HEADER = tuple(HEADERS[c][0] for c in COLUMNS)
_LETTERS = "ABC"


@dataclass(frozen=True)
class MailRow:
    row: int
    account: str
    person_id: int
    last_sign_in: dt.date | None
    messages_sent: int


def _key(text: str) -> str:
    return " ".join(nfc(text).casefold().replace("_", " ").split())


_HEADER_KEYS = {_key(name): column for column, names in HEADERS.items() for name in names}


def column_name(index: int) -> str:
    """'B (Đăng nhập lần cuối)': the letter a spreadsheet shows and the column's name."""
    if index < len(COLUMNS):
        return f"{_LETTERS[index]} ({TEMPLATE_HEADER[index]})"
    return _("column %(n)s") % {"n": index + 1}


def _refuse_not_csv() -> ImportRefused:
    return ImportRefused(
        _(
            "This file is not a CSV file in UTF-8. Save the statistics as “CSV UTF-8 "
            "(comma delimited) (.csv)” and import it again."
        )
    )


def _text(file) -> str:
    name = str(getattr(file, "name", "") or "")
    if name and not name.lower().endswith(".csv"):
        raise _refuse_not_csv()
    size = file_size(file)
    if size > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than %(max)s MB: split the period, or remove other columns.")
            % {"max": grouped(MAX_BYTES // (1024 * 1024))}
        )
    file.seek(0)
    data = file.read()
    if b"\x00" in data:
        raise _refuse_not_csv()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse_not_csv() from None
    if not text.strip():
        raise ImportRefused(_("The file is empty: nothing to import."))
    return text


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _refuse_header() -> ImportRefused:
    return ImportRefused(
        _(
            "The first row of the file is not the header. It must read, from column A: "
            "%(header)s (or in English: account, last sign-in, messages sent)."
        )
        % {"header": " | ".join(TEMPLATE_HEADER)}
    )


def _cell(value: str) -> tuple[str, bool]:
    """(the cell's text, whether it is a formula). Text the exports wrote with a leading
    apostrophe (because it starts like a formula) is read back as that text."""
    value = nfc(value)
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:].strip(), False
    stripped = value.strip()
    return stripped, value.startswith(FORMULA_TRIGGERS) or stripped.startswith(FORMULA_TRIGGERS)


_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+Z-]*)?")
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")


def parse_date(text: str) -> dt.date | None:
    """dd/mm/yyyy or ISO yyyy-mm-dd (a time after it is ignored); None if neither."""
    match = _DMY.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.fullmatch(text)
        if not match:
            return None
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_count(text: str) -> int | None:
    if text.isascii() and text.isdigit():
        return int(text)
    if _GROUPED.fullmatch(text):
        return int(text.replace(".", ""))
    return None


def parse(
    file, *, accounts: Mapping[str, int], period_end: dt.date | None = None
) -> tuple[list[MailRow], list[RowProblem]]:
    """The rows of a statistics CSV and every problem of every cell (row numbers as a
    spreadsheet shows them, the header being row 1). `accounts` maps each account the
    product knows (folded by `account_key`) to its person's id. Raises ImportRefused
    when the file as a whole cannot be read."""
    text = _text(file)
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(lines[0] if lines else ""))
    try:
        records = list(reader)
    except csv.Error:
        raise _refuse_not_csv() from None
    if not records or tuple(_HEADER_KEYS.get(_key(v)) for v in records[0]) != COLUMNS:
        raise _refuse_header()
    rows: list[MailRow] = []
    problems: list[RowProblem] = []
    first_row: dict[str, int] = {}
    data = [(n, r) for n, r in enumerate(records[1:], start=2) if any(v.strip() for v in r)]
    if not data:
        raise ImportRefused(_("The file has no rows under its header: nothing to import."))
    if len(data) > MAX_ROWS:
        raise ImportRefused(
            _("The file has more than %(max)s rows; at most %(max)s can be imported.")
            % {"max": grouped(MAX_ROWS)}
        )
    for number, record in data:
        found_before = len(problems)

        def bad(index: int, reason: str, number=number) -> None:
            problems.append(RowProblem(number, column_name(index), reason))

        for index in range(len(COLUMNS), len(record)):
            if record[index].strip():
                bad(
                    index,
                    _("“%(value)s” is outside the three columns: remove it.")
                    % {"value": shown_value(record[index])},
                )
        cells = [*record, *([""] * (len(COLUMNS) - len(record)))][: len(COLUMNS)]
        values = []
        for index, raw in enumerate(cells):
            value, formula = _cell(raw)
            if formula:
                bad(
                    index,
                    _(
                        "“%(value)s” starts like a formula (= + - @): only values can be "
                        "imported; write the value itself."
                    )
                    % {"value": shown_value(value)},
                )
                value = None
            values.append(value)
        account, sign_in_text, messages_text = values

        person_id = None
        if account is not None:
            key = account_key(account)
            if not account:
                bad(0, _("is empty: write the mail account."))
            elif len(account) > MAX_ACCOUNT:
                bad(0, _("is longer than %(max)s characters.") % {"max": MAX_ACCOUNT})
            elif key in first_row:
                bad(
                    0,
                    _("“%(value)s” is already on row %(row)s: give each account once.")
                    % {"value": shown_value(account), "row": first_row[key]},
                )
            else:
                first_row[key] = number
                person_id = accounts.get(key)
                if person_id is None:
                    bad(
                        0,
                        _(
                            "“%(value)s” is not the e-mail address or user name of anyone "
                            "in the product: correct it or remove the row."
                        )
                        % {"value": shown_value(account)},
                    )
        last_sign_in = None
        if sign_in_text:
            last_sign_in = parse_date(sign_in_text)
            if last_sign_in is None:
                bad(
                    1,
                    _("“%(value)s” is not a date: write it as dd/mm/yyyy, e.g. 05/03/2026.")
                    % {"value": shown_value(sign_in_text)},
                )
            elif period_end is not None and last_sign_in > period_end:
                bad(
                    1,
                    _("%(date)s is after the end of the period (%(end)s).")
                    % {
                        "date": f"{last_sign_in:%d/%m/%Y}",
                        "end": f"{period_end:%d/%m/%Y}",
                    },
                )
        messages = None
        if messages_text is not None:
            messages = parse_count(messages_text)
            if not messages_text:
                bad(2, _("is empty: write the number of messages sent, 0 if none."))
            elif messages is None:
                bad(
                    2,
                    _("“%(value)s” is not a whole number of 0 or more.")
                    % {"value": shown_value(messages_text)},
                )
            elif messages > MAX_MESSAGES:
                bad(
                    2,
                    _("%(value)s is more than a mail account sends.")
                    % {"value": grouped(messages)},
                )
        if len(problems) == found_before and person_id is not None and messages is not None:
            rows.append(MailRow(number, account, person_id, last_sign_in, messages))
    return rows, problems


def account_key(account: str) -> str:
    return nfc(account).strip().casefold()


def template_csv() -> bytes:
    """The header row the import expects, UTF-8 with a byte-order mark (Excel opens it)."""
    return ("\ufeff" + ",".join(TEMPLATE_HEADER) + "\r\n").encode("utf-8")
