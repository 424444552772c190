"""The signed PDFs as files, through Django's storage API (``STORAGES["default"]``: local
files under MEDIA_ROOT, or S3-compatible object storage with django-storages), never in
the database: the row keeps each PDF's storage name, byte size and SHA-256.

A PDF is stored under its own hash, ``pdfs/<sha256[:2]>/<sha256>.pdf``, inside the
transaction of the step that made it and before the row names it: a committed row never
lacks its file, and a step that rolls back leaves at most a file no row names, which
:func:`pdf_orphans_sweep` removes once it is a day old. The same content stored twice
gets the same name and one file.

Every read goes through :func:`pdf_read`, which checks the SHA-256 the row recorded: a
file that is gone or changed raises :class:`PdfUnavailable` (never wrong bytes), which
the views answer with a page saying so (issuance.middleware)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
from typing import NamedTuple

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

log = logging.getLogger(__name__)

PREFIX = "pdfs"
ORPHAN_AGE = dt.timedelta(days=1)


class PdfUnavailable(Exception):
    """A stored PDF cannot be given: its file is missing or is not the one recorded."""

    reason = "unavailable"

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"stored PDF {name!r} is {self.reason}")


class PdfMissing(PdfUnavailable):
    reason = "missing"


class PdfCorrupt(PdfUnavailable):
    """The file's SHA-256 is not the one recorded when it was stored."""

    reason = "not the one recorded (SHA-256 mismatch)"


class StoredPdf(NamedTuple):
    name: str
    size: int
    sha256: str


def pdf_name(sha256: str) -> str:
    return f"{PREFIX}/{sha256[:2]}/{sha256}.pdf"


def _storage():
    return default_storage


def _touch(storage, name: str) -> None:
    """A local file stored again is young again, so the sweep does not take it while
    the step that stores it again is still to commit."""
    with contextlib.suppress(NotImplementedError, AttributeError, OSError):
        os.utime(storage.path(name))


def pdf_put(data: bytes) -> StoredPdf:
    """Stores ``data`` under its SHA-256 (once: the same content again is the same
    file) and returns what the row records. Call it inside the step's transaction, before
    the row is written."""
    data = bytes(data)
    sha256 = hashlib.sha256(data).hexdigest()
    name = pdf_name(sha256)
    storage = _storage()
    stored = StoredPdf(name, len(data), sha256)
    if storage.exists(name):
        try:
            _read_checked(storage, name, sha256)
        except PdfUnavailable:
            log.warning("stored PDF %s was damaged; writing it again", name)
            storage.delete(name)
        else:
            _touch(storage, name)
            return stored
    saved = storage.save(name, ContentFile(data))
    if saved != name:
        # Another process stored the same content between exists() and save(): the
        # storage chose another name for this copy, which is not needed.
        storage.delete(saved)
    return stored


def _read_checked(storage, name: str, sha256: str) -> bytes:
    try:
        with storage.open(name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError as exc:
        raise PdfMissing(name) from exc
    if hashlib.sha256(data).hexdigest() != sha256:
        raise PdfCorrupt(name)
    return data


def pdf_read(name: str, sha256: str) -> bytes:
    """The bytes of the stored PDF ``name``, checked against ``sha256``: PdfMissing when
    the file is gone, PdfCorrupt when it is not the one recorded."""
    return _read_checked(_storage(), name, sha256)


def _referenced(prefix: str) -> set[str]:
    from .models import IssuedCopy

    rows = IssuedCopy.objects.filter(
        Q(signed_pdf_name__startswith=prefix) | Q(issued_pdf_name__startswith=prefix)
    ).values_list("signed_pdf_name", "issued_pdf_name")
    return {name for pair in rows for name in pair if name}


def _still_referenced(name: str) -> bool:
    from .models import IssuedCopy

    return IssuedCopy.objects.filter(Q(signed_pdf_name=name) | Q(issued_pdf_name=name)).exists()


def pdf_orphans_sweep(*, older_than: dt.timedelta = ORPHAN_AGE) -> int:
    """Deletes the files under pdfs/ that no row names and that are older than
    ``older_than`` (a younger one may belong to a step still to commit); returns how many.
    Idempotent: a second run finds nothing more to delete."""
    storage = _storage()
    cutoff = timezone.now() - older_than
    try:
        shards, _files = storage.listdir(PREFIX)
    except FileNotFoundError:
        return 0
    deleted = 0
    for shard in sorted(shards):
        prefix = f"{PREFIX}/{shard}/"
        _dirs, files = storage.listdir(prefix.rstrip("/"))
        if not files:
            continue
        referenced = _referenced(prefix)
        for file in sorted(files):
            name = prefix + file
            if name in referenced:
                continue
            try:
                modified = storage.get_modified_time(name)
            except FileNotFoundError:
                continue
            if timezone.is_naive(modified):
                modified = timezone.make_aware(modified, dt.UTC)
            if modified >= cutoff or _still_referenced(name):
                continue
            storage.delete(name)
            deleted += 1
    if deleted:
        log.info("deleted %d stored PDF(s) no document names", deleted)
    return deleted
