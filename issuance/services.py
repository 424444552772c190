"""The signed PDF through the two signatures, and its dispatch.

At the signature (inside the engine's signing transaction) the exact revision is
rendered with its reserved fields (workflows.issued_pdf) and signed by the signer,
certifying it (PAdES B-LT, DocMDP: form filling and signatures only). At the issue
(inside the Office's transaction) the number and date go into the fields, the
Committee's signature follows, and both signatures and the register are verified before
anything is saved: a document becomes issued only with a PDF that verifies. The issued
PDF then goes to each recipient unit through the outbox, and each acknowledges receipt."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers import Signer

from organisation.models import Person, Unit
from signing import backends, images, keys, pades
from signing.pdf_fields import FieldMissing, fields_fill
from signing.verification import AGENCY_FIELD, SIGNER_FIELD, VerificationRefused, pdf_verify
from workflows import audit, hooks, issued_pdf
from workflows.exceptions import ActionForbidden, AlreadyHandled, InvalidInput, NotInScope
from workflows.models import Document
from workflows.notifications import queue_mail, render_text

from . import pdf_store
from .models import Dispatch, IssuedCopy

log = logging.getLogger(__name__)

DISPATCHED = audit.register_action(
    "issuance.dispatch.sent", gettext_lazy("Issued document dispatched to a unit")
)
ACKNOWLEDGED = audit.register_action(
    "issuance.dispatch.acknowledged", gettext_lazy("Receipt of an issued document acknowledged")
)
DATE_FIELDS = ("ngay", "thang", "nam")


def _field_box(pdf: bytes, name: str) -> tuple[float, float, float, float]:
    """The rectangle of the signature field ``name`` the PDF reserves: the stamp is
    drawn to its size."""
    reader = PdfFileReader(io.BytesIO(pdf))
    for ref in reader.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if str(field.get("/T")) == name:
            return tuple(float(v) for v in field["/Rect"])
    raise FieldMissing(name)


def _sign(pdf: bytes, *, key: Callable[[], Signer], **kwargs) -> bytes:
    """pades.sign_pdf with the product's timestamp authority and revocation data, its
    failures (a key not installed on this server, a certificate that may not sign, a
    token that is not there, a TSA that does not answer) turned into a message for the
    person signing. ``key`` is opened here, inside the same refusal, because opening it
    is where a missing key shows."""
    try:
        return pades.sign_pdf(
            pdf,
            signer=key(),
            location="Hà Nội",
            signer_name="",
            signer_title="",
            on_behalf_line=None,
            timestamper=keys.timestamper(),
            validation_context=keys.validation_context(),
            **kwargs,
        )
    except pades.SignatureRefused as exc:
        raise InvalidInput(problems=[str(exc)]) from exc
    except backends.KeyMissing as exc:
        log.error("signature refused: %s", exc)
        raise InvalidInput(
            problems=[
                _(
                    "The signing key of “%(key)s” is not installed on this server. Nothing "
                    "was signed; tell the administrator."
                )
                % {"key": exc.key_id}
            ]
        ) from exc
    except Exception as exc:  # noqa: BLE001 - a key store or TSA failure, logged
        log.exception("signature failed")
        raise InvalidInput(
            problems=[
                _(
                    "The signature could not be made (the key or the timestamp service did "
                    "not answer). Nothing was signed; try again, or tell the administrator."
                )
            ]
        ) from exc


def copy_sign(*, document: Document, revision, user) -> IssuedCopy:
    """The signer's signature on the PDF of ``revision``: called by the engine inside
    the signing transaction, once the signer's fields are set."""
    pdf = issued_pdf.document_pdf(document, revision, money_unit=document.money_unit)
    signed = _sign(
        pdf,
        key=lambda: keys.signer_for(user),
        field_name=SIGNER_FIELD,
        reason="Ký ban hành",
        stamp_image_png=images.signature_png(user),
        box=_field_box(pdf, SIGNER_FIELD),
        certify=True,
        lines=[""],
    )
    # The file first: a row that commits always names a file that is there.
    stored = pdf_store.pdf_put(signed)
    copy, _created = IssuedCopy.objects.update_or_create(
        document=document,
        defaults={
            "signed_pdf_name": stored.name,
            "signed_pdf_size": stored.size,
            "signed_pdf_sha256": stored.sha256,
            "signed_at": document.signed_at or timezone.now(),
        },
    )
    return copy


def _recipients(document: Document, unit_ids) -> list[Unit]:
    if unit_ids is None:
        unit_ids = [document.drafting_unit_id, document.reviewing_unit_id]
    try:
        wanted = {int(pk) for pk in unit_ids}
    except (TypeError, ValueError):
        raise InvalidInput(problems=[_("Choose the recipients from the list.")]) from None
    if not wanted:
        raise InvalidInput(problems=[_("Choose at least one recipient unit.")])
    units = list(Unit.objects.filter(pk__in=wanted))
    if len(units) != len(wanted):
        raise InvalidInput(problems=[_("Choose the recipients from the list.")])
    return units


def copy_issue(*, document: Document, user, recipient_unit_ids=None) -> IssuedCopy:
    """The Office's issue: number and date into the signed PDF, the Committee's
    signature, then both signatures and the register checked; called by the engine
    inside the issuing transaction, the number and date set on ``document``."""
    copy = IssuedCopy.objects.select_for_update().filter(document=document).first()
    if copy is None:
        raise InvalidInput(
            problems=[_("The signed PDF is missing: return the document to the signer.")]
        )
    _recipients(document, recipient_unit_ids)  # an unknown recipient: refused before signing
    signed = pdf_store.pdf_read(copy.signed_pdf_name, copy.signed_pdf_sha256)
    try:
        filled = fields_fill(
            signed,
            issued_pdf.register_values(document),
            italic=DATE_FIELDS,
            centred=DATE_FIELDS,
        )
    except FieldMissing as exc:
        raise InvalidInput(
            problems=[_("The signed PDF has no place for the number and date.")]
        ) from exc
    seq, head = audit.chain_head()
    issued = _sign(
        filled,
        key=keys.committee_signer,
        field_name=AGENCY_FIELD,
        reason=f"Phát hành {document.number_text}; nhật ký #{seq} {head}",
        stamp_image_png=images.seal_png(),
        box=_field_box(filled, AGENCY_FIELD),
        lines=[""],
    )
    try:
        verification = pdf_verify(issued, document=document)
    except VerificationRefused as exc:
        raise InvalidInput(problems=[str(exc)]) from exc
    fields_signed = {check.field_name for check in verification.signatures}
    if not verification.ok or fields_signed != {SIGNER_FIELD, AGENCY_FIELD}:
        raise InvalidInput(
            problems=[
                _("The issued PDF does not verify; it was not issued."),
                *verification.problems,
            ]
        )
    stored = pdf_store.pdf_put(issued)  # the file first, then the row naming it
    copy.issued_pdf_name, copy.issued_pdf_size, copy.issued_pdf_sha256 = stored
    copy.issued_at = timezone.now()
    copy.audit_seq, copy.audit_hash = seq, head
    copy.save(
        update_fields=[
            "issued_pdf_name",
            "issued_pdf_size",
            "issued_pdf_sha256",
            "issued_at",
            "audit_seq",
            "audit_hash",
        ]
    )
    return copy


def _unit_readers(unit: Unit) -> list[Person]:
    """Who in a unit is told of an incoming document: its head, else its active members."""
    if unit.head_id and unit.head.is_active and unit.head.email:
        return [unit.head]
    return list(Person.objects.filter(unit=unit, is_active=True).exclude(email=""))


def dispatch_send(*, document: Document, units: list[Unit], actor) -> list[Dispatch]:
    """One dispatch per recipient unit, and the mail telling it, in the issuing
    transaction (the outbox sends after the commit)."""
    now = timezone.now()
    dispatches = []
    url = settings.SITE_URL.rstrip("/") + reverse("issuance:incoming")
    for unit in units:
        dispatch, created = Dispatch.objects.get_or_create(
            document=document, unit=unit, defaults={"sent_at": now}
        )
        dispatches.append(dispatch)
        if not created:
            continue
        audit.record(
            action=DISPATCHED,
            actor=actor,
            document=document,
            from_state=document.state,
            to_state=document.state,
            data={"unit": unit.code, "dispatch": dispatch.pk},
        )
        with translation.override("vi"):
            for person in _unit_readers(unit):
                context = {"document": document, "person": person, "unit": unit, "url": url}
                queue_mail(
                    key=f"dispatch:{dispatch.pk}:p:{person.pk}",
                    to=[person.email],
                    subject=render_text("issuance/email/subject.txt", context),
                    body=render_text("issuance/email/body.txt", context),
                )
    return dispatches


def dispatch_acknowledge(*, user, dispatch_id: int, ip: str | None = None) -> Dispatch:
    """A member of the recipient unit acknowledges receipt; a second acknowledgement
    (a colleague, a second click) changes nothing and says who did it first."""
    with transaction.atomic():
        try:
            dispatch = (
                Dispatch.objects.select_for_update()
                .select_related("document", "unit")
                .get(pk=int(dispatch_id))
            )
        except (Dispatch.DoesNotExist, TypeError, ValueError):
            raise NotInScope from None
        if user.unit_id != dispatch.unit_id:
            raise NotInScope
        if not user.is_active:
            raise ActionForbidden
        if dispatch.acknowledged_at is not None:
            raise AlreadyHandled(
                _("Receipt was already acknowledged by %(name)s.")
                % {"name": dispatch.acknowledged_by.display_name}
            )
        dispatch.acknowledged_at = timezone.now()
        dispatch.acknowledged_by = user
        dispatch.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.record(
            action=ACKNOWLEDGED,
            actor=user,
            document=dispatch.document,
            from_state=dispatch.document.state,
            to_state=dispatch.document.state,
            data={"unit": dispatch.unit.code, "dispatch": dispatch.pk},
            ip=ip,
        )
    return dispatch


class IssuanceCopies(hooks.SignedCopies):
    def sign(self, *, document, revision, user) -> None:
        copy_sign(document=document, revision=revision, user=user)

    def issue(self, *, document, user, recipient_unit_ids) -> None:
        copy_issue(document=document, user=user, recipient_unit_ids=recipient_unit_ids)

    def dispatch(self, *, document, user, recipient_unit_ids) -> None:
        dispatch_send(
            document=document, units=_recipients(document, recipient_unit_ids), actor=user
        )

    def stored_pdf(self, document) -> bytes | None:
        from . import selectors

        return selectors.issued_pdf(document) or selectors.signed_pdf(document)

    def panel(self, user, document) -> dict:
        from . import selectors

        copy = selectors.copy_status(document)
        if copy is None:
            return {}
        return {
            "signature_panel_template": "issuance/panel.html",
            "issued_copy": copy,
            "dispatches": list(selectors.dispatches(document)),
        }


COPIES = IssuanceCopies()
