"""Server-rendered SVG charts (pygal), made safe for the product's CSP.

pygal embeds a `<script>` with its config and, by default, a tooltip script from a CDN;
both are removed (`js=[]` and an XML filter), with the tooltip overlay that only a
script would fill. What remains is one inline `<style>`: each SVG is served as its own
response whose CSP allows exactly that style by its SHA-256 hash and nothing else, and
the page shows it through `<img>` (its own CSP, `img-src 'self'`, is unchanged).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

import pygal
from django.utils.formats import number_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Svg:
    content: bytes
    style_hashes: tuple[str, ...]

    @property
    def content_security_policy(self) -> str:
        styles = " ".join(f"'sha256-{h}'" for h in self.style_hashes) or "'none'"
        return f"default-src 'none'; style-src {styles}; frame-ancestors 'self'"


def _days(value) -> str:
    return number_format(value, 1, force_grouping=True)


def _scriptless(styles: list[str]):
    """An XML filter: drop every script and the script-driven tooltip overlay, and
    collect the inline styles to hash."""

    def strip(root):
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter()):
            if not isinstance(element.tag, str):  # a comment
                continue
            tag = element.tag.rsplit("}", 1)[-1]
            css_class = element.get("class") or ""
            if tag == "script" or "tooltip-overlay" in css_class.split():
                parents[element].remove(element)
            elif tag == "style":
                styles.append(element.text or "")
        return root

    return strip


def bar_chart(title: str, rows: list[tuple[str, float | None, float | None]]) -> Svg:
    """Horizontal bars of the median and the 90th percentile, in days, one pair a row."""
    return bars(
        title,
        [label for label, _median, _p90 in rows],
        [
            (_("Median"), [median for _label, median, _p90 in rows]),
            (_("90th percentile"), [p90 for _label, _median, p90 in rows]),
        ],
        x_title=_("days"),
        formatter=_days,
    )


def _count(value) -> str:
    return number_format(value, 0, force_grouping=True)


def bars(
    title: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    x_title: str = "",
    formatter=_count,
) -> Svg:
    """Horizontal bars, one group a label and one bar a series, in the order of a table
    of the same figures (first label at the top), without scripts (see above)."""
    chart = pygal.HorizontalBar(
        js=[],
        width=800,
        height=140 + 24 * max(len(series), 1) * max(len(labels), 1),
        title=title,
        x_title=x_title,
        value_formatter=formatter,
        no_data_text=_("No data"),
        legend_at_bottom=True,
        print_values=False,
        truncate_label=-1,
    )
    # pygal draws the first label at the bottom; reverse so the chart reads like the table.
    chart.x_labels = list(reversed(labels))
    for name, values in series:
        chart.add(name, list(reversed(values)))
    return svg(chart)


def svg(chart) -> Svg:
    """Any pygal chart built with `js=[]`, rendered without scripts, with the hashes of
    its inline styles for its own CSP: the one way every app renders a chart."""
    styles: list[str] = []
    chart.add_xml_filter(_scriptless(styles))
    content = chart.render()
    hashes = tuple(
        base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() for css in styles
    )
    return Svg(content, hashes)
