"""A Vice-Minister signs only under a delegation in force at the moment of signing, checked
by the engine inside its transaction; the issued record keeps the delegation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from delegation import selectors, services
from delegation.models import DelegatedSignature
from delegation.signing import NoDelegationInForce
from planning.models import Kind
from tests.factories import DelegationFactory
from tests.workflows import helpers as h
from workflows.models import AuditEvent, Document, RegisterCounter
from worktime.calendar import VIETNAM

from . import helpers as d

pytestmark = pytest.mark.usefixtures("demo_org")


def vn(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VIETNAM)


def _unchanged(document: Document) -> None:
    """A refused signature leaves nothing behind: the document still waits for it, no
    number is taken, no delegated signature is kept; the refusal itself is on record."""
    document.refresh_from_db()
    assert document.state == "endorsed"
    assert document.number is None and not document.signed_on_behalf
    assert not DelegatedSignature.objects.filter(document=document).exists()
    assert not RegisterCounter.objects.exists()
    last = AuditEvent.objects.filter(document=document).latest("seq")
    assert (last.action, last.data["status"]) == ("workflows.document.access_denied", 403)


def test_a_delegation_runs_from_midnight_to_midnight_vietnam_time():
    # From 00:00 on 01/03/2027 to 24:00 on 05/03/2027 in Hà Nội (17:00 UTC the day before).
    DelegationFactory(
        delegate=h.person(d.VICE_MINISTER),
        starts_on=dt.date(2027, 3, 1),
        ends_on=dt.date(2027, 3, 5),
    )
    documents = [h.make_plan("endorsed", title=f"Kế hoạch {i}") for i in range(4)]
    outcomes = []
    for moment, document in zip(
        [
            vn(2027, 2, 28, 23, 59),  # one minute before the start
            vn(2027, 3, 1, 0, 0),  # at the minute it starts
            vn(2027, 3, 5, 23, 59),  # the last minute of the last day
            vn(2027, 3, 6, 0, 0),  # 24:00 on the last day: over
        ],
        documents,
        strict=True,
    ):
        with time_machine.travel(moment, tick=False):
            try:
                h.sign_and_issue(document, d.VICE_MINISTER)
                outcomes.append("signed")
            except NoDelegationInForce:
                outcomes.append("refused")

    assert outcomes == ["refused", "signed", "signed", "refused"]
    issued = [Document.objects.get(pk=doc.pk) for doc in documents]
    assert [doc.state for doc in issued] == ["endorsed", "issued", "issued", "endorsed"]
    assert [doc.issued_on for doc in issued[1:3]] == [dt.date(2027, 3, 1), dt.date(2027, 3, 5)]
    assert all(doc.signed_on_behalf for doc in issued[1:3])


def test_the_moment_of_signing_decides_not_the_server_clock_zone():
    delegation = DelegationFactory(
        delegate=h.person(d.VICE_MINISTER),
        starts_on=dt.date(2027, 3, 1),
        ends_on=dt.date(2027, 3, 5),
    )
    vice_minister = h.person(d.VICE_MINISTER)
    # 16:59 UTC on 28/02 is 23:59 in Hà Nội; 17:00 UTC is already 01/03 there.
    before = dt.datetime(2027, 2, 28, 16, 59, tzinfo=dt.UTC)
    at = dt.datetime(2027, 2, 28, 17, 0, tzinfo=dt.UTC)
    assert selectors.delegation_in_force(vice_minister, Kind.FIVE_YEAR, before) is None
    assert selectors.delegation_in_force(vice_minister, Kind.FIVE_YEAR, at) == delegation


def test_the_minister_signs_without_a_delegation():
    document = h.make_plan("issued", signer=d.MINISTER)
    assert document.signed_on_behalf is False
    assert not DelegatedSignature.objects.exists()


def test_a_vice_minister_without_a_delegation_is_refused_and_nothing_is_saved():
    document = h.make_plan("endorsed")
    with pytest.raises(NoDelegationInForce) as refused:
        h.act(document, "sign", d.VICE_MINISTER)
    assert refused.value.status == 403
    _unchanged(document)


def test_a_delegation_for_other_kinds_does_not_let_her_sign_this_one():
    DelegationFactory(
        delegate=h.person(d.VICE_MINISTER), all_kinds=False, kinds=["budget_estimate"]
    )
    document = h.make_plan("endorsed")
    with pytest.raises(NoDelegationInForce):
        h.act(document, "sign", d.VICE_MINISTER)
    _unchanged(document)


def test_a_delegation_for_the_kind_lets_her_sign_and_the_record_keeps_it():
    delegation = DelegationFactory(
        delegate=h.person(d.VICE_MINISTER), all_kinds=False, kinds=[Kind.FIVE_YEAR.value]
    )
    document = h.make_plan("issued", signer=d.VICE_MINISTER)

    assert document.signed_on_behalf is True
    assert DelegatedSignature.objects.get(document=document).delegation == delegation
    issued = AuditEvent.objects.get(document=document, action="planning.plan.signed")
    assert issued.data["delegation"] == delegation.pk
    assert issued.data["decision_reference"] == delegation.decision_reference


def _sign_page(client, document):
    task = h.open_task(document)
    url = reverse("workflows:sign", args=[document.pk, task.pk])
    return client.get(url), task


def _post_sign(client, document, task):
    return client.post(
        reverse("workflows:act", args=[document.pk, task.pk]),
        {"action": "sign", "comment": "", "version": document.version},
    )


def test_revoked_while_the_sign_page_was_open_refuses_the_signature(client):
    delegation = d.record(starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2035, 12, 31))
    document = h.make_plan("endorsed")
    client.force_login(h.person(d.VICE_MINISTER))
    client.cookies["ubdt_language"] = "en"

    page, task = _sign_page(client, document)
    assert page.status_code == 200
    notice = page.content.decode()
    assert 'data-testid="delegation-notice"' in notice and d.DECISION in notice
    assert 'data-testid="decision-sign"' in notice

    with translation.override("en"):
        services.delegation_revoke(user=h.person(d.MINISTER), delegation_id=delegation.pk)
    response = _post_sign(client, document, task)

    assert response.status_code == 403
    text = response.content.decode()
    assert f"Your delegation ({d.DECISION}) was revoked at" in text
    assert "Nothing was saved." in text
    _unchanged(document)
    # Opened again, the page says so and offers no signature.
    page, _task = _sign_page(client, document)
    assert "No delegation of signature is in force" in page.content.decode()
    assert 'data-testid="decision-sign"' not in page.content.decode()


def test_expired_while_the_sign_page_was_open_refuses_in_vietnamese(client):
    DelegationFactory(
        delegate=h.person(d.VICE_MINISTER),
        starts_on=dt.date(2027, 3, 1),
        ends_on=dt.date(2027, 3, 5),
        decision_reference=d.DECISION,
    )
    document = h.make_plan("endorsed")
    with time_machine.travel(vn(2027, 3, 5, 23, 50), tick=False):
        client.force_login(h.person(d.VICE_MINISTER))
        page, task = _sign_page(client, document)
        assert d.DECISION in page.content.decode()
    with time_machine.travel(vn(2027, 3, 6, 0, 1), tick=False), translation.override("vi"):
        response = _post_sign(client, document, task)
        expected = services._("Your delegation (%(decision)s) ended at the end of %(day)s.") % {
            "decision": d.DECISION,
            "day": "05/03/2027",
        }
    assert response.status_code == 403
    assert expected in response.content.decode()
    _unchanged(document)


def test_the_print_view_and_header_show_the_kt_block(client, vice_minister_delegation):
    document = h.make_plan("issued", signer=d.VICE_MINISTER)
    client.force_login(h.person(d.VICE_MINISTER))

    printed = client.get(reverse("workflows:print", args=[document.pk])).content.decode()
    signer = printed[printed.index('data-testid="print-signer"') :]
    signer = signer[: signer.index("</td>")]
    assert "KT. BỘ TRƯỞNG, CHỦ NHIỆM" in signer
    assert signer.index("KT. BỘ TRƯỞNG") < signer.index("THỨ TRƯỞNG, PHÓ CHỦ NHIỆM")
    assert "Hoàng Thị Lan" in signer

    page = client.get(reverse("workflows:document", args=[document.pk])).content.decode()
    assert "KT. BỘ TRƯỞNG, CHỦ NHIỆM — THỨ TRƯỞNG, PHÓ CHỦ NHIỆM Hoàng Thị Lan" in page
    assert vice_minister_delegation.decision_reference in page


def test_the_minister_print_view_has_no_kt_block(client):
    document = h.make_plan("issued", signer=d.MINISTER)
    client.force_login(h.person(d.MINISTER))
    printed = client.get(reverse("workflows:print", args=[document.pk])).content.decode()
    assert "KT." not in printed
    assert "BỘ TRƯỞNG, CHỦ NHIỆM" in printed
