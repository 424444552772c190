"""Recording the IT certificates people hold (the Personnel Department's work) and removing
one recorded by mistake. Every write is an audit event."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisation.models import Person
from workflows import audit
from workflows import services as engine
from workflows.exceptions import ActionForbidden, InvalidInput
from workflows.formatting import grouped

from .models import Certificate, Module

PERMISSION = "organisation.manage_certificates"
RECORDED = audit.register_action(
    "standards.certificate.recorded", gettext_lazy("IT certificate recorded")
)
DELETED = audit.register_action(
    "standards.certificate.deleted", gettext_lazy("IT certificate deleted")
)

MAX_BODY = Certificate._meta.get_field("issuing_body").max_length
MAX_NUMBER = Certificate._meta.get_field("number").max_length
MAX_REASON = 1000
# Against a mistyped year (0024 for 2024): no IT certificate a civil servant holds now is
# older than this.
EARLIEST = dt.date(1980, 1, 1)
_SPACES = re.compile(r"\s+")


def _clean_text(value) -> str:
    """Trimmed, with runs of spaces (and line breaks) made one space, so that the same
    body or number typed with an extra space is still recognised as a duplicate."""
    return _SPACES.sub(" ", str(value or "")).strip()


def _has_control_characters(value: str) -> bool:
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in value)


def _duplicate_message(existing: Certificate, body: str, number: str) -> str:
    return _(
        "A certificate numbered “%(number)s” from “%(body)s” is already recorded "
        "(for %(person)s, issued %(date)s). Nothing was saved."
    ) % {
        "number": number,
        "body": body,
        "person": existing.person.display_name,
        "date": formats.date_format(existing.issued_on, "SHORT_DATE_FORMAT"),
    }


def _find_duplicate(body: str, number: str) -> Certificate | None:
    return (
        Certificate.objects.select_related("person")
        .filter(issuing_body=body, number=number)
        .first()
    )


def date_problems(issued_on) -> list[str]:
    """What is wrong with a certificate's date of issue (also checked by the form, so that
    it is reported together with the other fields)."""
    if issued_on is None:
        return [_("Give the date the certificate was issued.")]
    if not isinstance(issued_on, dt.date) or isinstance(issued_on, dt.datetime):
        return [_("The date issued must be a date (dd/mm/yyyy).")]
    shown = {"date": formats.date_format(issued_on, "SHORT_DATE_FORMAT")}
    if issued_on > timezone.localdate():
        return [
            _(
                "The date issued (%(date)s) is in the future: give the date printed on "
                "the certificate."
            )
            % shown
        ]
    if issued_on < EARLIEST:
        return [_("The date issued (%(date)s) is too long ago: check the year.") % shown]
    return []


@engine.record_denials
def certificate_record(
    *,
    user,
    person_id: int,
    module_codes: Iterable[str],
    issued_on: dt.date | None,
    issuing_body: str,
    number: str,
    ip: str | None = None,
) -> Certificate:
    """Record that a person holds a certificate covering `module_codes`. Every problem
    with the input is reported at once, as InvalidInput; nothing is saved then."""
    if not user.has_perm(PERMISSION):
        raise ActionForbidden
    problems: list[str] = []

    person = None
    try:
        person = Person.objects.filter(pk=int(person_id)).first() if person_id else None
    except (TypeError, ValueError):
        person = None
    if person is None:
        problems.append(_("Choose the person who holds the certificate."))

    if isinstance(module_codes, str):  # "IU01, IU02"
        module_codes = module_codes.replace(",", " ").split()
    codes = sorted({_clean_text(c).upper() for c in (module_codes or []) if _clean_text(c)})
    modules = list(Module.objects.filter(code__in=codes)) if codes else []
    if not codes:
        problems.append(_("Tick at least one module the certificate covers."))
    else:
        unknown = sorted(set(codes) - {m.code for m in modules})
        if unknown:
            shown = ", ".join(c if len(c) <= 20 else c[:20] + "…" for c in unknown)
            problems.append(_("Unknown module codes: %(codes)s.") % {"codes": shown})

    problems += date_problems(issued_on)

    body = _clean_text(issuing_body)
    number = _clean_text(number)
    if not body:
        problems.append(_("Give the body that issued the certificate."))
    elif len(body) > MAX_BODY:
        problems.append(
            _("The issuing body may be at most %(n)s characters: shorten it.")
            % {"n": grouped(MAX_BODY)}
        )
    if not number:
        problems.append(_("Give the certificate number."))
    elif len(number) > MAX_NUMBER:
        problems.append(
            _("The certificate number may be at most %(n)s characters: shorten it.")
            % {"n": grouped(MAX_NUMBER)}
        )
    if _has_control_characters(body + number):
        problems.append(_("The issuing body and number may not contain control characters."))
    if problems:
        raise InvalidInput(problems=problems)

    with transaction.atomic():
        existing = _find_duplicate(body, number)
        if existing is not None:
            raise InvalidInput(problems=[_duplicate_message(existing, body, number)])
        try:
            # A savepoint: a concurrent recording of the same number that committed
            # after the check above fails here, and is reported like the check's case.
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    person=person,
                    issued_on=issued_on,
                    issuing_body=body,
                    number=number,
                    recorded_by=user,
                )
        except IntegrityError:
            existing = (
                Certificate.objects.select_related("person")
                .filter(issuing_body=body, number=number)
                .first()
            )
            if existing is None:
                raise  # another constraint: a bug, not the person's input
            raise InvalidInput(problems=[_duplicate_message(existing, body, number)]) from None
        certificate.modules.set(modules)
        audit.record(
            action=RECORDED,
            actor=user,
            data={
                "certificate": certificate.pk,
                "person": person.pk,
                "person_name": person.display_name,
                "unit": person.unit.code if person.unit_id else "",
                "modules": codes,
                "issued_on": issued_on.isoformat(),
                "issuing_body": body,
                "number": number,
            },
            ip=ip,
        )
    return certificate


@engine.record_denials
def certificate_delete(*, user, certificate_id: int, reason: str, ip: str | None = None) -> None:
    """Remove a certificate recorded by mistake. The reason and everything the
    certificate said stay in the audit trail."""
    if not user.has_perm(PERMISSION):
        raise ActionForbidden
    reason = (reason or "").replace("\x00", "").strip()
    if not reason:
        raise InvalidInput(problems=[_("Say why the certificate is removed.")])
    if len(reason) > MAX_REASON:
        raise InvalidInput(
            problems=[
                _("The reason may be at most %(n)s characters: shorten it.")
                % {"n": grouped(MAX_REASON)}
            ]
        )
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("person__unit")
            .filter(pk=certificate_id)
            .first()
        )
        if certificate is None:
            raise InvalidInput(
                problems=[_("This certificate does not exist (any more): nothing was removed.")]
            )
        person = certificate.person
        data = {
            "certificate": certificate.pk,
            "person": person.pk,
            "person_name": person.display_name,
            "unit": person.unit.code if person.unit_id else "",
            "modules": sorted(certificate.modules.values_list("code", flat=True)),
            "issued_on": certificate.issued_on.isoformat(),
            "issuing_body": certificate.issuing_body,
            "number": certificate.number,
        }
        certificate.delete()
        audit.record(action=DELETED, actor=user, data=data, comment=reason, ip=ip)


def certificate_award(
    *,
    recorded_by,
    person: Person,
    module_codes: Iterable[str],
    issued_on: dt.date,
    issuing_body: str,
    number: str,
    source: str,
) -> Certificate:
    """A certificate the product awards itself (a course passed): the caller has checked
    the recorder's authority over its own object (the course), so no certificate
    permission is asked for. Joins the caller's transaction and audits like a recording,
    with the source, so that compliance changes at once and the trail says why."""
    codes = sorted(set(module_codes))
    certificate = Certificate.objects.create(
        person=person,
        issued_on=issued_on,
        issuing_body=issuing_body,
        number=number,
        recorded_by=recorded_by,
        source=source,
    )
    certificate.modules.set(Module.objects.filter(code__in=codes))
    audit.record(
        action=RECORDED,
        actor=recorded_by,
        data={
            "certificate": certificate.pk,
            "person": person.pk,
            "person_name": person.display_name,
            "unit": person.unit.code if person.unit_id else "",
            "modules": codes,
            "issued_on": issued_on.isoformat(),
            "issuing_body": issuing_body,
            "number": number,
            "source": source,
        },
    )
    return certificate
