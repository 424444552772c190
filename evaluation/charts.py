"""The evaluation's charts: the same data as the tables beside them, rendered by the
dashboard's scriptless pygal helper (dashboard.charts.svg, hash-based CSP)."""

from __future__ import annotations

import pygal
from django.utils.translation import gettext as _

from dashboard.charts import Svg, svg


def _options(title: str, rows: int) -> dict:
    return {
        "js": [],
        "width": 800,
        "height": 160 + 28 * max(rows, 1),
        "title": title,
        "no_data_text": _("No data"),
        "legend_at_bottom": True,
        "truncate_label": -1,
    }


def totals(ranking: dict) -> Svg:
    rows = list(reversed(ranking["units"]))
    chart = pygal.HorizontalBar(**_options(_("Total points by unit"), len(rows)))
    chart.x_labels = [r["code"] for r in rows]
    chart.add(_("Total points"), [float(r["total"]) for r in rows])
    return svg(chart)


def distribution(rows: list[tuple[str, object, int]]) -> Svg:
    chart = pygal.Bar(**_options(_("Units by grade"), 4))
    chart.x_labels = [str(label) for _code, label, _n in rows]
    chart.add(_("Units"), [n for _code, _label, n in rows])
    return svg(chart)


def trend(years: list[tuple[int, dict[str, str]]], codes: list[str]) -> Svg:
    chart = pygal.Line(**_options(_("Total points over the years"), 8))
    chart.x_labels = [str(y) for y, _t in years]
    for code in codes:
        chart.add(code, [float(t[code]) if code in t else None for _y, t in years])
    return svg(chart)
