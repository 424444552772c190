"""Evidence files: PDF, PNG/JPEG or XLSX, size-limited, the type read from the content
(its magic bytes), never trusted from the name or the browser's content type: a .pdf that
is really an executable is refused. Kept through Django's default storage (the FileField),
local files by default, S3-compatible storage with django-storages (README)."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from workflows.exceptions import InvalidInput

MAX_BYTES_DEFAULT = 10 * 1024 * 1024
EXTENSIONS = {
    "pdf": ("application/pdf", (".pdf",)),
    "png": ("image/png", (".png",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
    ),
}


def max_bytes() -> int:
    return getattr(settings, "EVALUATION_EVIDENCE_MAX_BYTES", MAX_BYTES_DEFAULT)


def sniff(head: bytes, upload) -> str | None:
    """The file's real type from its first bytes (an XLSX is a zip holding a workbook)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read())) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "xlsx"
    return None


def check(upload) -> str:
    """The content type to keep for a valid upload; InvalidInput saying why otherwise."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise InvalidInput(problems=[_("The file “%(name)s” is empty.") % {"name": name}])
    limit = max_bytes()
    if size > limit:
        raise InvalidInput(
            problems=[
                _("The file “%(name)s” is larger than %(mb)s MB.")
                % {"name": name, "mb": limit // (1024 * 1024) or 1}
            ]
        )
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head, upload)
    upload.seek(0)
    if kind is None:
        raise InvalidInput(
            problems=[
                _(
                    "The file “%(name)s” is not a PDF, PNG, JPEG or XLSX file "
                    "(its content was checked, not only its name)."
                )
                % {"name": name}
            ]
        )
    content_type, extensions = EXTENSIONS[kind]
    if not name.lower().endswith(extensions):
        raise InvalidInput(
            problems=[
                _("The file “%(name)s” is named as another type than its content (%(kind)s).")
                % {"name": name, "kind": kind.upper()}
            ]
        )
    return content_type
