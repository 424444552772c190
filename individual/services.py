"""The mail-statistics import: all or nothing, by the Information Centre, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisation.models import Person
from workflows import audit
from workflows.imports import ImportRefused, RowProblem

from . import mail_csv
from .models import MailAccountStat, MailImport

PERMISSION = "organisation.run_it_evaluation"
MAIL_IMPORTED = audit.register_action(
    "individual.mail_statistics.imported", gettext_lazy("Mail statistics imported")
)
MAIL_REFUSED = audit.register_action(
    "individual.mail_statistics.refused", gettext_lazy("Mail statistics import refused")
)


@dataclass
class ImportResult:
    mail_import: MailImport | None
    problems: list[RowProblem] = field(default_factory=list)
    refusal: str = ""


def known_accounts() -> dict[str, int]:
    """{folded e-mail address or user name: person id} of every active person (1 query)."""
    lookup: dict[str, int] = {}
    rows = Person.objects.filter(is_active=True).values_list(
        "pk", Lower("username"), Lower("email")
    )
    for pk, username, email in rows:
        lookup[mail_csv.account_key(username)] = pk
        if email:
            lookup.setdefault(mail_csv.account_key(email), pk)
    return lookup


def mail_import_create(
    *, user: Person, period_start: dt.date, period_end: dt.date, file, ip: str | None = None
) -> ImportResult:
    """Import the statistics of `file` for the period, or nothing at all: the result
    carries the refusal of the whole file, or every problem of its rows, or the import.
    A refused attempt is audited too, so the Centre can see what was tried."""
    if not user.has_perm(PERMISSION):
        raise PermissionDenied
    name = str(getattr(file, "name", "") or "")[:255]
    result = ImportResult(None)
    if period_end < period_start:
        result.refusal = _("The period ends before it starts.")
    else:
        try:
            rows, result.problems = mail_csv.parse(
                file, accounts=known_accounts(), period_end=period_end
            )
        except ImportRefused as exc:
            result.refusal = exc.message
    period = {"from": period_start.isoformat(), "to": period_end.isoformat(), "file": name}
    if result.refusal or result.problems:
        audit.record(
            action=MAIL_REFUSED,
            actor=user,
            data={**period, "problems": len(result.problems)},
            comment=result.refusal,
            ip=ip,
        )
        return result
    with transaction.atomic():
        mail_import = MailImport.objects.create(
            period_start=period_start,
            period_end=period_end,
            file_name=name,
            imported_by=user,
            accounts=len(rows),
        )
        MailAccountStat.objects.bulk_create(
            [
                MailAccountStat(
                    mail_import=mail_import,
                    person_id=r.person_id,
                    account=r.account,
                    last_sign_in=r.last_sign_in,
                    messages_sent=r.messages_sent,
                )
                for r in rows
            ],
            batch_size=1000,
        )
        audit.record(
            action=MAIL_IMPORTED, actor=user, data={**period, "accounts": len(rows)}, ip=ip
        )
    result.mail_import = mail_import
    return result
