"""manage.py generate_load_data at a tiny scale: proportional counts, every invariant the
services keep (chain, numbers, hashes, derived columns), and the refusals."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse
from viewflow.workflow.models import Task

from organisation import loadgen
from organisation.models import Person
from tests.factories import PersonFactory
from workflows.models import AuditEvent, Document, Revision
from workflows.services import content_sha256

SCALE = 0.001


@pytest.fixture
def generated(db):
    call_command("generate_load_data", scale=SCALE)


def test_counts_are_proportional_to_the_scale(generated):
    n = loadgen.sizes(SCALE)
    assert Person.objects.filter(username__startswith=loadgen.PREFIX).count() == n["people"]
    assert AuditEvent.objects.count() == n["events"]
    assert Task.objects.filter(status="NEW").count() >= n["open_tasks"]
    assert Document.objects.filter(state="issued").count() == n["documents"]


def test_the_audit_chain_verifies(generated, capsys):
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out


def test_numbers_are_unique_and_revisions_hash_the_kinds_snapshot(generated):
    issued = Document.objects.filter(state="issued")
    keys = list(issued.values_list("register", "number_year", "number"))
    assert len(keys) == len(set(keys)) and None not in {k[2] for k in keys}
    for revision in Revision.objects.select_related("document"):
        assert revision.sha256 == content_sha256(revision.content)
        assert revision.content == revision.document.kind_config.snapshot(revision.document)
    for document in issued.select_related("signed_revision"):
        assert document.signed_sha256 == document.signed_revision.sha256


def test_every_person_has_derived_columns(generated):
    assert not Person.objects.filter(sort_key="").exists()
    assert not Person.objects.filter(search_folded="").exists()


def test_each_open_document_has_one_open_task(generated):
    counts = Task.objects.filter(status="NEW").values("process").annotate(n=Count("pk"))
    assert {row["n"] for row in counts} == {1}


def test_my_work_renders_for_a_reviewer_with_the_usual_queries(generated, client):
    from tests.workflows.test_queries import queries_for

    client.force_login(Person.objects.get(username="thamdinh.kh"))
    generated_queries = queries_for(client, reverse("workflows:my_work"))
    assert client.get(reverse("workflows:my_work")).context["mine"]
    # The same page at a larger generated size runs as many queries.
    call_command("generate_load_data", scale=SCALE * 2, seed=7)
    assert queries_for(client, reverse("workflows:my_work")) == generated_queries


@override_settings(IS_PRODUCTION=True)
def test_refused_under_production_settings(db):
    with pytest.raises(CommandError, match="cấu hình vận hành thật"):
        call_command("generate_load_data", scale=SCALE)
    assert not Document.objects.exists()


def test_refused_beside_real_data_unless_forced(db):
    PersonFactory(username="real.person")
    with pytest.raises(CommandError, match="dữ liệu thật|người dùng hoặc văn bản thật"):
        call_command("generate_load_data", scale=SCALE)
    assert not AuditEvent.objects.exists()
    call_command("generate_load_data", scale=SCALE, force=True)
    assert AuditEvent.objects.count() == loadgen.sizes(SCALE)["events"]
