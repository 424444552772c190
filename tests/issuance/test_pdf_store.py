"""The signed PDFs as files in Django's storage (issuance.pdf_store): one content-addressed
file per content, written before the row names it; every read checks the SHA-256, and
every page that reads one answers a missing or changed file with a page saying so (503,
an ERROR line), never a 500 or wrong bytes; the daily sweep deletes the files no row
names once they are a day old, and never one a row names."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from issuance import pdf_store, selectors, tasks
from issuance.models import Dispatch, IssuedCopy
from signing import step_up
from tests.workflows import helpers as h
from workflows.models import Document

pytestmark = pytest.mark.usefixtures("demo_org", "vice_minister_delegation")

PDF = b"%PDF-1.7\n% a stand-in for a signed PDF\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Each test its own empty storage, so the sweep sees only this test's files."""
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def stored_files(media: Path) -> set[str]:
    return {str(p.relative_to(media)) for p in (media / "pdfs").rglob("*") if p.is_file()}


def tamper(name: str) -> None:
    path = Path(default_storage.path(name))
    data = bytearray(path.read_bytes())
    data[-3] ^= 1
    path.write_bytes(bytes(data))


def delete(name: str) -> None:
    default_storage.delete(name)


DAMAGES = {"tampered": tamper, "deleted": delete}


# --- Storing and reading ---------------------------------------------------------------


def test_a_pdf_is_stored_under_its_sha256_and_read_back_checked(media):
    stored = pdf_store.pdf_put(PDF)

    sha = hashlib.sha256(PDF).hexdigest()
    assert stored == (f"pdfs/{sha[:2]}/{sha}.pdf", len(PDF), sha)
    assert (media / stored.name).read_bytes() == PDF
    assert pdf_store.pdf_read(stored.name, stored.sha256) == PDF


def test_the_same_content_stored_twice_is_one_file_with_the_same_name(media):
    first = pdf_store.pdf_put(PDF)
    second = pdf_store.pdf_put(PDF)

    assert first == second
    assert stored_files(media) == {first.name}


def test_a_concurrent_writer_of_the_same_content_leaves_no_suffixed_copy(media, monkeypatch):
    """exists() said no, but another process stored the same content before save():
    the storage's get_available_name gives this copy another name, which is deleted."""
    first = pdf_store.pdf_put(PDF)
    storage_class = type(default_storage._wrapped)
    real_exists, asked = storage_class.exists, []

    def exists_not_yet(self, name):  # pdf_put's own question only: then the truth
        asked.append(name)
        return False if len(asked) == 1 else real_exists(self, name)

    monkeypatch.setattr(storage_class, "exists", exists_not_yet)

    again = pdf_store.pdf_put(PDF)

    assert again == first
    assert asked[0] == first.name
    assert stored_files(media) == {first.name}


def test_a_damaged_file_is_written_again_when_the_same_content_is_stored(media):
    stored = pdf_store.pdf_put(PDF)
    tamper(stored.name)

    assert pdf_store.pdf_put(PDF) == stored
    assert pdf_store.pdf_read(stored.name, stored.sha256) == PDF


def test_a_missing_file_and_a_changed_one_each_raise_their_own_error():
    stored = pdf_store.pdf_put(PDF)
    tamper(stored.name)
    with pytest.raises(pdf_store.PdfCorrupt):
        pdf_store.pdf_read(stored.name, stored.sha256)
    delete(stored.name)
    with pytest.raises(pdf_store.PdfMissing):
        pdf_store.pdf_read(stored.name, stored.sha256)


@pytest.mark.parametrize(
    "change",
    [
        {"signed_pdf_sha256": "A" * 64},  # upper case
        {"signed_pdf_sha256": "0" * 63},
        {"signed_pdf_sha256": "0" * 63 + "g"},
        {"signed_pdf_sha256": ""},  # a name and size without their hash
        {"signed_pdf_size": None},
        {"signed_pdf_name": "", "signed_pdf_size": None, "signed_pdf_sha256": ""},  # no PDF
        {"issued_pdf_sha256": "0" * 64},  # an issued hash without its name and size
        {"issued_pdf_name": "pdfs/x.pdf", "issued_pdf_size": 1, "issued_pdf_sha256": "0" * 64},
    ],
)
def test_the_database_refuses_a_hash_out_of_format_or_a_stored_pdf_half_recorded(change):
    """issued_pdf_* without issued_at is refused too: the PDF and its time go together."""
    document = h.make_plan("signed")

    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedCopy.objects.filter(document=document).update(**change)


def test_the_signature_and_the_issue_store_their_pdfs_as_files(media):
    document = h.make_plan("signed")
    copy = IssuedCopy.objects.get(document=document)
    signed = (media / copy.signed_pdf_name).read_bytes()
    assert copy.signed_pdf_sha256 == hashlib.sha256(signed).hexdigest()
    assert copy.signed_pdf_size == len(signed)

    h.act(document, "issue", h.CLERK)

    copy.refresh_from_db()
    issued = (media / copy.issued_pdf_name).read_bytes()
    assert issued.startswith(b"%PDF") and issued != signed
    assert copy.issued_pdf_name == pdf_store.pdf_name(hashlib.sha256(issued).hexdigest())
    assert stored_files(media) == {copy.signed_pdf_name, copy.issued_pdf_name}


# --- Every reader, the file missing or changed ------------------------------------------


@pytest.fixture
def as_user(client):
    def login(username):
        client.force_login(h.person(username))
        client.cookies["ubdt_language"] = "en"
        return client

    return login


def _assert_unavailable(response, caplog, name):
    assert response.status_code == 503
    page = response.content.decode()
    assert 'data-testid="pdf-unavailable"' in page
    assert "The signed PDF is unavailable" in page
    (error,) = [
        r for r in caplog.records if r.name == "issuance.pdf_store" and r.levelno == logging.ERROR
    ]
    assert name in error.getMessage()


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("state", ["signed", "issued"])
def test_the_documents_pdf_says_its_file_is_unavailable(as_user, caplog, damage, state):
    document = h.make_plan(state)
    copy = IssuedCopy.objects.get(document=document)
    name = copy.issued_pdf_name if state == "issued" else copy.signed_pdf_name
    DAMAGES[damage](name)
    client = as_user(h.DRAFTER)

    response = client.get(reverse("workflows:pdf", args=[document.pk]))

    _assert_unavailable(response, caplog, name)
    # The document page itself reads no PDF: it still shows.
    assert client.get(reverse("workflows:document", args=[document.pk])).status_code == 200


@pytest.mark.parametrize("damage", DAMAGES)
def test_the_incoming_download_says_its_file_is_unavailable(as_user, caplog, damage):
    document = h.make_plan("issued")
    dispatch = Dispatch.objects.get(document=document, unit__code="KH")
    name = IssuedCopy.objects.get(document=document).issued_pdf_name
    DAMAGES[damage](name)
    client = as_user(h.REVIEWER)

    response = client.get(reverse("issuance:pdf", args=[dispatch.pk]))

    _assert_unavailable(response, caplog, name)
    listing = client.get(reverse("issuance:incoming"))
    assert listing.status_code == 200 and document.number_text in listing.content.decode()


@pytest.mark.parametrize("damage", DAMAGES)
def test_the_qr_verifier_says_the_stored_file_is_unavailable(client, caplog, damage):
    document = h.make_plan("issued")
    name = IssuedCopy.objects.get(document=document).issued_pdf_name
    DAMAGES[damage](name)
    client.cookies["ubdt_language"] = "en"

    response = client.get(
        reverse("verification:verify"), {"link": document.verification_link.token}
    )

    _assert_unavailable(response, caplog, name)


@pytest.mark.parametrize("damage", DAMAGES)
def test_the_issue_of_a_pdf_whose_file_is_unavailable_issues_nothing(as_user, caplog, damage):
    document = h.make_plan("signed")
    name = IssuedCopy.objects.get(document=document).signed_pdf_name
    DAMAGES[damage](name)
    client = as_user(h.CLERK)
    task = h.open_task(document)

    response = client.post(
        reverse("workflows:act", args=[document.pk, task.pk]),
        {"version": document.version, "comment": "", "action": "issue", "issued_on": ""},
    )

    _assert_unavailable(response, caplog, name)
    document.refresh_from_db()
    assert (document.state, document.number) == ("signed", None)
    assert IssuedCopy.objects.get(document=document).issued_pdf_name == ""
    assert not Dispatch.objects.filter(document=document).exists()


def test_the_selectors_raise_rather_than_give_other_bytes():
    document = h.make_plan("issued")
    copy = IssuedCopy.objects.get(document=document)
    tamper(copy.issued_pdf_name)
    delete(copy.signed_pdf_name)
    with pytest.raises(pdf_store.PdfCorrupt):
        selectors.issued_pdf(document)
    with pytest.raises(pdf_store.PdfMissing):
        selectors.signed_pdf(document)


# --- The sweep -----------------------------------------------------------------------


def _sign_rolled_back(monkeypatch) -> Document:
    """A signature whose transaction rolls back after the PDF was signed and stored."""
    document = h.make_plan("endorsed")

    def fail(*args, **kwargs):
        raise RuntimeError("the step failed after the PDF was stored")

    monkeypatch.setattr(step_up, "signing_step_up_consume", fail)
    with pytest.raises(RuntimeError):
        h.act(document, "sign", h.MINISTER)
    monkeypatch.undo()
    return document


def test_a_rolled_back_signature_leaves_an_orphan_the_sweep_removes_after_a_day(media, monkeypatch):
    document = _sign_rolled_back(monkeypatch)
    assert not IssuedCopy.objects.filter(document=document).exists()
    (orphan,) = stored_files(media)

    assert pdf_store.pdf_orphans_sweep() == 0  # young: its step may still be committing
    with time_machine.travel(timezone.now() + dt.timedelta(hours=23)):
        assert tasks.sweep_pdf_orphans.call_local() == 0
    assert stored_files(media) == {orphan}

    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        assert tasks.sweep_pdf_orphans.call_local() == 1
        assert pdf_store.pdf_orphans_sweep() == 0  # idempotent
    assert stored_files(media) == set()


def test_the_sweep_never_removes_a_file_a_row_names(media):
    document = h.make_plan("issued")
    copy = IssuedCopy.objects.get(document=document)
    old = pdf_store.pdf_put(b"%PDF-1.7\n% left by a step that rolled back\n")
    stray = default_storage.save("pdfs/00/stray.pdf", ContentFile(b"%PDF-1.7\n"))
    other = default_storage.save("evaluation/evidence/2026/kept.pdf", ContentFile(b"%PDF"))

    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
        assert pdf_store.pdf_orphans_sweep() == 2

    assert stored_files(media) == {copy.signed_pdf_name, copy.issued_pdf_name}
    assert selectors.issued_pdf(document).startswith(b"%PDF")
    assert not default_storage.exists(old.name) and not default_storage.exists(stray)
    assert default_storage.exists(other)  # only pdfs/ is swept


def test_a_young_orphan_is_kept_an_old_one_deleted(media):
    young = pdf_store.pdf_put(b"%PDF-1.7\n% young\n")
    old = pdf_store.pdf_put(b"%PDF-1.7\n% old\n")
    two_days_ago = (timezone.now() - dt.timedelta(days=2)).timestamp()
    os.utime(default_storage.path(old.name), (two_days_ago, two_days_ago))

    assert pdf_store.pdf_orphans_sweep() == 1

    assert stored_files(media) == {young.name}


def test_the_sweep_runs_daily_at_0350_in_vietnam():
    def scheduled(utc):
        return {task.name.rsplit(".", 1)[-1] for task in HUEY.read_periodic(utc)}

    assert "sweep_pdf_orphans" in scheduled(dt.datetime(2027, 2, 3, 20, 50))  # 03:50 VN
    assert "sweep_pdf_orphans" not in scheduled(dt.datetime(2027, 2, 3, 3, 50))


def test_the_sweep_of_an_empty_storage_deletes_nothing():
    assert pdf_store.pdf_orphans_sweep() == 0
