"""A revocation and a signature at the same moment, on real parallel connections: the
engine locks the delegation it signs under, so a revocation in progress holds the
signature back, and the signature then sees it revoked (PostgreSQL; SQLite serialises
whole transactions, tested by test_signing.py)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from delegation import services
from delegation.models import DelegatedSignature
from delegation.signing import NoDelegationInForce
from tests.factories import DelegationFactory
from tests.workflows import helpers as h
from tests.workflows.test_concurrency import another_waits_on_a_lock
from workflows.models import Document

from . import helpers as d

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_org"),
    pytest.mark.postgres,
]


def test_a_signature_waits_for_a_revocation_in_progress_and_is_refused(monkeypatch):
    delegation = DelegationFactory(delegate=h.person(d.VICE_MINISTER))
    document = h.make_plan("endorsed")
    task = h.open_task(document)
    revoking = threading.Event()
    saw_contention = []
    real_record = services.audit.record

    def record_once_the_signature_waits(**kwargs):
        if kwargs["action"] != services.REVOKED:
            return real_record(**kwargs)
        # Inside the revocation's transaction, with the delegation row locked.
        revoking.set()
        saw_contention.append(another_waits_on_a_lock())
        return real_record(**kwargs)

    monkeypatch.setattr(services.audit, "record", record_once_the_signature_waits)
    minister, vice_minister = h.person(d.MINISTER), h.person(d.VICE_MINISTER)
    for person in (minister, vice_minister):
        person.get_all_permissions()
    results = {}

    def revoke():
        try:
            services.delegation_revoke(user=minister, delegation_id=delegation.pk)
            results["revoke"] = "ok"
        finally:
            connections.close_all()

    def sign():
        try:
            revoking.wait(timeout=15)
            from workflows import services as engine

            engine.document_act(
                user=vice_minister, document_id=document.pk, action="sign", task_id=task.pk
            )
            results["sign"] = "ok"
        except NoDelegationInForce:
            results["sign"] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=revoke), threading.Thread(target=sign)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert saw_contention == [True]
    assert results == {"revoke": "ok", "sign": "refused"}
    assert Document.objects.get(pk=document.pk).state == "endorsed"
    assert not DelegatedSignature.objects.exists()
