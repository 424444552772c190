"""A report's XLSX (through workflows.exports: formula-safe) and PDF (signing.pdf:
its own template, Liberation Serif, dates dd/mm/yyyy, numbers with '.' separators). Both
carry the same figures as the page, cut to the reader's scope."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from signing.pdf import pdf_render
from workflows import exports

from .models import Report

UNIT_COLUMNS = (
    "documents",
    "in_progress",
    "issued",
    "overdue",
    "sign_ins",
    "actions",
    "active_people",
    "people",
    "subject",
    "compliant",
    "share",
)


def filename(report: Report, extension: str) -> str:
    return f"bao-cao-ung-dung-cntt-{report.period.code}.{extension}"


def xlsx(report: Report, data: dict) -> Workbook:
    from .selectors import LABELS

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Units")[: exports.SHEET_TITLE_MAX]
    exports.xlsx_append(sheet, [report.title])
    exports.xlsx_append(sheet, [_("From"), report.period_start, _("To"), report.period_end])
    exports.xlsx_append(sheet, [])
    exports.xlsx_append(sheet, [_("Unit"), *(LABELS[c] for c in UNIT_COLUMNS)])
    for unit in data["units"]:
        exports.xlsx_append(sheet, [unit["name"], *(unit[c] for c in UNIT_COLUMNS)])
    people = workbook.create_sheet(_("People")[: exports.SHEET_TITLE_MAX])
    exports.xlsx_append(
        people,
        [_("Person"), _("Unit"), LABELS["sign_ins"], LABELS["actions"], _("Meets the standard")],
    )
    for person in data["people"]:
        exports.xlsx_append(
            people,
            [
                person["name"],
                person["unit"],
                person["sign_ins"],
                person["actions"],
                _("yes") if person["compliant"] else _("no"),
            ],
        )
    compared = workbook.create_sheet(_("Comparisons")[: exports.SHEET_TITLE_MAX])
    exports.xlsx_append(
        compared, [_("Figure"), data["current_code"], data["previous_code"], data["last_year_code"]]
    )
    for row in data["comparisons"]:
        exports.xlsx_append(compared, [row.label, row.current, row.previous, row.last_year])
    return workbook


def pdf(report: Report, data: dict) -> bytes:
    """Vietnamese, as every official paper of the Committee."""
    with translation.override("vi"):
        html = render_to_string("reports/pdf.html", {"report": report, **data})
        title = report.title
    return pdf_render(html=html, title=title, keywords=("reports", report.period.code))
