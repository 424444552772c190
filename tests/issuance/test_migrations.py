"""The migrations that move the signed PDFs out of the database (issuance 0002-0004): rows
stored with the old schema, their bytes in BinaryFields, come out with each PDF in
storage under its SHA-256 and the row naming it; backwards, the bytes come back."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from issuance import pdf_store, selectors
from issuance.models import IssuedCopy
from tests.workflows import helpers as h

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_org", "vice_minister_delegation"),
]

BEFORE = [("issuance", "0002_issued_copy_pdf_in_storage")]
AFTER = [("issuance", "0004_drop_pdf_bytes")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_schema(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("issuance"))


def test_pdfs_kept_in_the_database_move_to_storage_and_back(old_schema, tmp_path):
    signed = h.make_plan("signed")
    issued = h.make_plan("issued")
    expected = {
        signed.pk: (selectors.signed_pdf(signed), None),
        issued.pk: (selectors.signed_pdf(issued), selectors.issued_pdf(issued)),
    }

    # Backwards: the bytes go back into the rows, read from storage and checked.
    old_apps = migrate(BEFORE)
    OldCopy = old_apps.get_model("issuance", "IssuedCopy")
    rows = {r.pk: (bytes(r.signed_pdf), r.issued_pdf) for r in OldCopy.objects.all()}
    assert rows[signed.pk] == expected[signed.pk]
    assert (rows[issued.pk][0], bytes(rows[issued.pk][1])) == expected[issued.pk]
    assert set(OldCopy.objects.values_list("signed_pdf_name", "issued_pdf_name")) == {("", "")}
    # An old database has no files at all.
    for path in (tmp_path / "pdfs").rglob("*.pdf"):
        path.unlink()

    migrate(AFTER)

    for pk, (signed_bytes, issued_bytes) in expected.items():
        copy = IssuedCopy.objects.get(pk=pk)
        sha = hashlib.sha256(signed_bytes).hexdigest()
        assert (copy.signed_pdf_name, copy.signed_pdf_size, copy.signed_pdf_sha256) == (
            pdf_store.pdf_name(sha),
            len(signed_bytes),
            sha,
        )
        assert Path(default_storage.path(copy.signed_pdf_name)).read_bytes() == signed_bytes
        if issued_bytes is None:
            assert (copy.issued_pdf_name, copy.issued_pdf_size, copy.issued_pdf_sha256) == (
                "",
                None,
                "",
            )
        else:
            assert pdf_store.pdf_read(copy.issued_pdf_name, copy.issued_pdf_sha256) == (
                issued_bytes
            )
    assert {f.name for f in (tmp_path / "pdfs").rglob("*.pdf")} == {
        Path(n).name
        for pair in IssuedCopy.objects.values_list("signed_pdf_name", "issued_pdf_name")
        for n in pair
        if n
    }
