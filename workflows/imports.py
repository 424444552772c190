"""What every import of a file (the estimate's XLSX, the mail statistics' CSV) shares: a
refusal of the whole file, a problem of one cell named by its row and column, the way a
refused value is quoted, and the size of an uploaded file. Each importer reads its own
format; none saves anything while a problem remains, and each reports every problem at
once so that the person corrects the file in one go."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .formatting import grouped


class ImportRefused(Exception):
    """The whole file is refused (not a row of it): the message says why."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("Row %(row)d, %(column)s: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


def shown_value(value: Any) -> str:
    """A cell's value as the message quotes it: numbers written the reader's way, long
    text cut short."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return grouped(value)
    text = "" if value is None else str(value).strip()
    return text if len(text) <= 40 else f"{text[:40]}…"


def file_size(file) -> int:
    """The size of an uploaded file, or of any seekable file object."""
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(position)
    return size
