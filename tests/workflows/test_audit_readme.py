"""README's "Verifying the trail at scale" commands, run as documented: each one passes on
an intact chain with a signed checkpoint, and every option of verify_audit is among them."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from io import StringIO

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import BaseCommand

from signing import checkpoints
from tests.processes import ROOT
from workflows import audit

pytestmark = pytest.mark.django_db(transaction=True)  # --workers forks on PostgreSQL

SECTION = "### Verifying the trail at scale (`verify_audit`)"


def documented_commands() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text[text.index(SECTION) :], re.S).group(1)
    return [
        shlex.split(line, comments=True)[1:]
        for line in block.splitlines()
        if line.startswith("manage.py verify_audit")
    ]


def _options(parser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings}


def test_every_option_of_verify_audit_is_documented():
    command = load_command_class("workflows", "verify_audit")
    own = _options(command.create_parser("manage.py", "verify_audit")) - _options(
        BaseCommand().create_parser("manage.py", "base")
    )
    assert own == {"--head", "--count", "--workers", "--since-checkpoint"}
    assert own <= {word for command in documented_commands() for word in command}


def test_the_documented_commands_pass():
    for i in range(30):
        audit.record(action=audit.DENIED, comment=f"sự kiện {i}")
    checkpoints.audit_checkpoint_sign(day=dt.date(2026, 3, 2))
    for i in range(7):
        audit.record(action=audit.DENIED, comment=f"sau {i}")
    count, head = audit.chain_head()
    commands = documented_commands()
    assert len(commands) >= 5
    for command in commands:
        assert command[0] == "verify_audit"
        args = [{"<hash>": head, "<n>": str(count)}.get(word, word) for word in command[1:]]
        out = StringIO()
        call_command("verify_audit", *args, stdout=out)
        assert "intact" in out.getvalue(), command
        if "--since-checkpoint" in args:
            assert "7 events after it" in out.getvalue()
        else:
            assert "Matches the signed checkpoint of 02/03/2026 (#30," in out.getvalue()
