"""The engine's extension points (workflows.hooks): the engine runs on the neutral
defaults alone, the registry takes one implementation per hook, and the engine's own
modules never import the apps that plug into it."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from delegation.models import DelegatedSignature
from delegation.signing import NoDelegationInForce
from leave.models import Leave
from tests.factories import PersonFactory
from tests.workflows import helpers as h
from workflows import hooks, notifications, selectors
from workflows.flows import DocumentFlow
from worktime.calendar import today

pytestmark = pytest.mark.usefixtures("demo_org")

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
# The apps that build on the engine: the engine must never import them.
BESIDE_THE_ENGINE = (
    "delegation",
    "leave",
    "reminders",
    "followup",
    "dashboard",
    "planning",
    "budgeting",
    "standards",
)


# --- The engine on the defaults alone -------------------------------------------------


def test_without_a_signature_authority_the_signer_signs_in_their_own_right():
    # Registered (delegation): a Vice-Minister without a delegation in force is refused.
    with pytest.raises(NoDelegationInForce):
        h.make_plan("issued", signer=h.VICE_MINISTER)

    with hooks.defaults_only():
        document = h.make_plan("issued", signer=h.VICE_MINISTER)

    assert document.state == "issued"
    assert document.number_text
    assert document.signed_on_behalf is False
    assert not DelegatedSignature.objects.filter(document=document).exists()


def test_the_sign_page_on_the_defaults_shows_no_notice_and_offers_to_sign(client):
    document = h.make_plan("endorsed")
    client.force_login(h.person(h.VICE_MINISTER))
    url = reverse("workflows:sign", args=[document.pk, h.open_task(document).pk])

    registered = client.get(url).content.decode()
    with hooks.defaults_only():
        alone = client.get(url).content.decode()

    assert 'data-testid="delegation-notice"' in registered
    assert 'data-testid="decision-sign"' not in registered
    assert 'data-testid="delegation-notice"' not in alone
    assert 'data-testid="decision-sign"' in alone


def test_without_a_substitution_nobody_holds_an_absentees_tasks():
    absentee = h.person(h.REVIEWER)
    substitute = PersonFactory(
        username="thamdinh2.kh", unit=absentee.unit, role="planning_reviewer", full_name="Đào"
    )
    document = h.make_plan("submitted")
    Task.objects.filter(process_id=document.process_id, flow_task=DocumentFlow.review).update(
        owner=absentee, status=STATUS.ASSIGNED
    )
    day = today()
    Leave.objects.create(
        person=absentee,
        substitute=substitute,
        starts_on=day - dt.timedelta(days=1),
        ends_on=day + dt.timedelta(days=1),
        recorded_by=absentee,
    )
    task = h.open_task(document)
    substitute = h.person(substitute.username)

    # Registered (leave): the substitute holds the absentee's task and gets their mail.
    assert [t.pk for t in selectors.my_tasks(substitute)] == [task.pk]
    assert selectors.held_for(substitute, task) == absentee
    assert absentee not in notifications.holders(document)

    with hooks.defaults_only():
        substitute = h.person(substitute.username)
        assert list(selectors.my_tasks(substitute)) == []
        assert selectors.held_for(substitute, task) is None
        assert absentee in notifications.holders(document)
        assert hooks.substitution().acting_for(absentee) == absentee


# --- The registry ---------------------------------------------------------------------


def test_the_registry_refuses_a_second_implementation_of_a_hook():
    first = hooks.get(hooks.SUBSTITUTION)
    assert type(first).__module__ == "leave.selectors"

    with pytest.raises(ImproperlyConfigured, match="already provided"):
        hooks.register(hooks.SUBSTITUTION, hooks.Substitution())
    hooks.register(hooks.SUBSTITUTION, first)  # the same one again: a no-op
    assert hooks.get(hooks.SUBSTITUTION) is first


def test_the_registry_refuses_an_unknown_hook():
    with pytest.raises(ImproperlyConfigured, match="Unknown"):
        hooks.register("numbering", object())


def test_defaults_only_puts_the_registered_implementations_back():
    authority = hooks.signature_authority()
    with hooks.defaults_only():
        assert type(hooks.signature_authority()) is hooks.SignatureAuthority
        assert type(hooks.substitution()) is hooks.Substitution
        hooks.register(hooks.SIGNATURE_AUTHORITY, hooks.SignatureAuthority())
    assert hooks.signature_authority() is authority


# --- Architecture: the arrows point into the engine -----------------------------------


def _imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_the_engine_imports_none_of_the_apps_built_on_it():
    files = sorted(WORKFLOWS.glob("*.py"))
    assert len(files) > 10  # the glob really found the engine
    wrong = sorted(
        f"{path.name} imports {module}"
        for path in files
        for module in _imported_modules(path)
        if module.split(".")[0] in BESIDE_THE_ENGINE
    )
    assert wrong == []


def test_the_architecture_check_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from leave.selectors import acting_for\n")
    assert _imported_modules(sample) == {"leave.selectors"}
