"""Print LOAD_ACCOUNTS for benchmarks/locustfile.py from the people of a database: up to
PER_ROLE (default 20) of each role, demo and generated people, so that a load run at the
generated scale spreads its sessions, queues and unit filters over many people and units
instead of the demo's eight accounts.

    DATABASE_URL=postgres://ubdt:ubdt@127.0.0.1:5432/ubdt_load \\
        LOAD_ACCOUNTS=$(python benchmarks/load_accounts.py 20) locust -f benchmarks/locustfile.py

The signers stay the Minister and the vice-ministers: only they sign."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
import django  # noqa: E402

django.setup()

from organisation import roles  # noqa: E402
from organisation.models import Person  # noqa: E402

LOAD_ROLES = {
    "drafter": (roles.CENTRE_DRAFTER, roles.PERSONNEL_DRAFTER),
    "reviewer": (roles.PLANNING_REVIEWER,),
    "signer": (roles.MINISTER, roles.VICE_MINISTER),
    "clerk": (roles.OFFICE_CLERK,),
    "inspector": (roles.AUDITOR,),
    "council": (roles.COUNCIL_MEMBER,),
}


def accounts(per_role: int) -> str:
    parts = []
    for role, groups in LOAD_ROLES.items():
        people = (
            Person.objects.filter(groups__name__in=groups, is_active=True)
            .order_by("-username")  # "lg." sorts after the demo's names
            .values_list("username", flat=True)
            .distinct()[:per_role]
        )
        parts.append(f"{role}={','.join(people)}")
    return ";".join(parts)


if __name__ == "__main__":
    print(accounts(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
