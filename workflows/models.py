"""The engine's tables: every document kind shares them.

`Document` carries the one lifecycle (draft → submitted → returned/endorsed → signed →
issued): the signer signs the PDF, then the Office numbers, dates and seals it;
a kind keeps its own content in a table of its own with a one-to-one link here.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from organisation.models import Unit
from organisation.text import DerivedText, DerivedTextQuerySet, fold, nfc

from . import kinds


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned for revision")
    ENDORSED = "endorsed", _("Endorsed, awaiting signature")
    SIGNED = "signed", _("Signed, waiting to be issued")
    ISSUED = "issued", _("Issued")
    SUPERSEDED = "superseded", _("Superseded")


EDITABLE_STATES = (State.DRAFT, State.RETURNED)


class ImmutableDocument(Exception):
    pass


def _review_mode(mode: str):
    return lambda document: document.kind_config.review_mode == mode


def _may(permission_attr: str, unit_attr: str | None = None):
    """django-fsm permission: the kind decides which permission the step needs, and the
    step may be reserved to one unit (drafting or reviewing)."""

    def check(document: Document, user) -> bool:
        if unit_attr and getattr(document, f"{unit_attr}_id") != user.unit_id:
            return False
        return user.has_perm(getattr(document.kind_config, permission_attr))

    return check


class Document(ConcurrentTransitionMixin, DerivedText):
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=500)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    state = FSMField(
        _("state"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True
    )
    drafting_unit = models.ForeignKey(
        Unit, verbose_name=_("drafting unit"), on_delete=models.PROTECT, related_name="+"
    )
    reviewing_unit = models.ForeignKey(
        Unit, verbose_name=_("reviewing unit"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("date created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    state_changed_at = models.DateTimeField(_("state changed"), auto_now_add=True)
    # When the open step is due: a date in Vietnam, met until 24:00 that day
    # (worktime.calendar). Set whenever a step starts; empty once issued.
    due_on = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    # Bumped by every change of content or state: a form posted with an older version
    # was filled in against a document that has changed since (a stale form).
    version = models.PositiveIntegerField(default=1)
    revision_count = models.PositiveIntegerField(default=0)
    process = models.OneToOneField(
        "viewflow.Process",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="document",
    )
    # Filled when the document is issued (number, date); the signer's fields when signed.
    register = models.CharField(_("register"), max_length=10, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_year = models.PositiveSmallIntegerField(null=True, blank=True)
    number_text = models.CharField(_("number and symbol"), max_length=40, blank=True)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signer_name = models.CharField(max_length=150, blank=True)
    signer_title = models.CharField(max_length=200, blank=True)
    signed_on_behalf = models.BooleanField(default=False)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    # The unit amounts were shown in when the signer issued it ("dong" or "million"): the
    # print view always uses it, whatever unit its reader has chosen since.
    money_unit = models.CharField(
        _("unit of amounts when issued"), max_length=10, default="dong", blank=True
    )
    signed_revision = models.ForeignKey(
        "Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_sha256 = models.CharField(max_length=64, blank=True)
    # Title and number folded (organisation.text.fold), which the document lists search;
    # kept by save(), the one way a document's title or number changes.
    search_folded = models.TextField(blank=True, editable=False)

    objects = DerivedTextQuerySet.as_manager()
    derived_from = ("title", "number_text")
    derived = ("title", "search_folded")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "number_year", "number"],
                condition=Q(number__isnull=False),
                name="document_number_unique_per_register_year",
            ),
            models.CheckConstraint(
                condition=~Q(state="issued") | (Q(number__isnull=False) & ~Q(signed_sha256="")),
                name="issued_document_has_number_and_hash",
            ),
            models.CheckConstraint(
                condition=~Q(state="signed")
                | (Q(signed_by__isnull=False) & ~Q(signed_sha256="") & Q(number__isnull=True)),
                name="signed_document_has_signer_hash_and_no_number_yet",
            ),
        ]
        indexes = [models.Index(fields=["kind", "state", "year"])]

    def __str__(self) -> str:
        return self.number_text or self.title

    def save(self, *args, **kwargs):
        # An issued document never changes again (a change needs an amending document);
        # the one exception is being marked superseded by a newer one.
        stored = getattr(self, "_stored_state", None)
        if stored == State.SUPERSEDED or (
            stored == State.ISSUED and self.state != State.SUPERSEDED
        ):
            raise ImmutableDocument(f"Document {self.pk} is issued and cannot change.")
        super().save(*args, **kwargs)
        self._stored_state = self.state

    def derive(self) -> None:
        self.title = nfc(self.title)
        self.search_folded = fold(f"{self.number_text} {self.title}")

    @classmethod
    def from_db(cls, db, field_names, values):
        document = super().from_db(db, field_names, values)
        document._stored_state = document.__dict__.get("state")
        return document

    @property
    def kind_config(self) -> kinds.DocumentKind:
        return kinds.get(self.kind)

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def has_opinion(self) -> bool:
        return self.comments.filter(action="opinion").exists()

    # --- The one lifecycle ------------------------------------------------------------
    # Transition bodies stay empty: services do the work around them (row lock, revision,
    # audit, flow task) so that every kind behaves the same.

    @transition(
        field=state,
        source=[State.DRAFT, State.RETURNED],
        target=State.SUBMITTED,
        permission=_may("draft_permission", "drafting_unit"),
    )
    def submit(self):
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.RETURNED,
        permission=_may("review_permission", "reviewing_unit"),
        conditions=[_review_mode("approval")],
    )
    def return_from_review(self):
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.ENDORSED,
        permission=_may("review_permission", "reviewing_unit"),
        conditions=[_review_mode("approval")],
    )
    def endorse(self):
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.RETURNED,
        permission=_may("review_permission", "reviewing_unit"),
        conditions=[_review_mode("opinion")],
    )
    def give_opinion(self):
        """The reviewing unit's opinion sends the document back to its drafters."""

    @transition(
        field=state,
        source=[State.DRAFT, State.RETURNED],
        target=State.ENDORSED,
        permission=_may("draft_permission", "drafting_unit"),
        conditions=[_review_mode("opinion"), lambda d: d.has_opinion],
    )
    def submit_for_signature(self):
        """In opinion mode, once the opinion is in, the drafters submit to the signer."""

    @transition(
        field=state,
        source=State.ENDORSED,
        target=State.RETURNED,
        permission=_may("sign_permission"),
    )
    def return_from_signer(self):
        pass

    @transition(
        field=state,
        source=State.ENDORSED,
        target=State.SIGNED,
        permission=_may("sign_permission"),
    )
    def sign(self):
        """The signer's signature on the PDF; the number and date come at the issue."""

    @transition(
        field=state,
        source=State.SIGNED,
        target=State.ISSUED,
        permission=_may("issue_permission"),
    )
    def issue(self):
        """The Office registers it (number, date, recipients) and applies the seal."""

    @transition(field=state, source=State.ISSUED, target=State.SUPERSEDED)
    def supersede(self):
        pass


class Revision(models.Model):
    """A frozen copy of the content as submitted: what reviewers read and the Minister
    signs. Never changed once written."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    content = models.JSONField()
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} r{self.number}"


class Verdict(models.TextChoices):
    AGREE = "agree", _("Agree")
    AGREE_WITH_COMMENTS = "agree_with_comments", _("Agree with comments")
    DISAGREE = "disagree", _("Disagree")


class Comment(models.Model):
    """Guidance from reviewers and the Minister on a revision, optionally anchored to a
    section (`section:<key>`) or a table row (`row:<table>:<uid>`)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    anchor = models.CharField(_("about"), max_length=120, blank=True)
    body = models.TextField(_("comment"), blank=True)
    action = models.CharField(max_length=20, blank=True)
    verdict = models.CharField(_("opinion"), max_length=30, blank=True, choices=Verdict.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:50]


class RevisionSeen(models.Model):
    """The last revision a person opened for review or signature, so the next time they
    are shown what changed since then."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    revision_number = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "person"], name="revision_seen_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} saw r{self.revision_number}"


class RegisterCounter(models.Model):
    """The Office's register: the last number given per register and year. Its row is
    locked while a number is taken, and the unique constraint on Document backs it."""

    register = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["register", "year"], name="register_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.register} {self.year}: {self.last_number}"


# Keys of an event's data: the document as it was when the event happened (recorded by
# workflows.audit.record since these keys exist).
DOCUMENT_TITLE, DOCUMENT_NUMBER = "document_title", "document_number"


def document_then(data: dict, number_text: str, title: str) -> tuple[str, str]:
    """(number, title) of an event's document as they were when it happened, from the
    event's hashed data; events recorded before the data kept them fall back to the
    document's current number and title."""
    if isinstance(data, dict) and DOCUMENT_TITLE in data:
        return data.get(DOCUMENT_NUMBER, ""), data[DOCUMENT_TITLE]
    return number_text or "", title or ""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only: they cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only: they cannot be deleted.")


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """One action, as it happened. Rows are only ever inserted, each chained to the one
    before by SHA-256 (see workflows/audit.py); database triggers refuse UPDATE, DELETE
    and TRUNCATE, and verify_audit walks the chain."""

    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    unit_code = models.CharField(max_length=20, blank=True)
    roles = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=100)
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    revision_number = models.PositiveIntegerField(null=True, blank=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    comment = models.TextField(blank=True)
    # The comment folded (organisation.text.fold), for searching: SQLite's LIKE folds
    # ASCII letters only, so "ĐỊNH MỨC" would not find "định mức", nor "dinh muc" either.
    # Outside the hash but always derived from the hashed comment: verify_audit checks it.
    comment_folded = models.TextField(blank=True, editable=False)
    data = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        # Each filter of the inspector's list, newest first, reads its page from an index
        # instead of sorting every match (measured at 1,000,000 events: benchmarks/).
        indexes = [
            models.Index(fields=["document", "seq"]),
            models.Index(fields=["actor", "seq"]),
            models.Index(fields=["action", "seq"]),
            models.Index(fields=["unit_code", "seq"]),
            models.Index(fields=["created_at", "seq"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError("Audit events are append-only: they cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only: they cannot be deleted.")

    @property
    def document_label(self) -> str:
        """The document as the trail names it: its number, or its title, at the time."""
        if self.document is None:
            return ""
        number, title = document_then(self.data, self.document.number_text, self.document.title)
        return number or title


class AuditChainHead(models.Model):
    """The end of the chain: locked by every append so that concurrent transactions
    extend the chain one after another, never forking it."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class AuditVerification(models.Model):
    """A run of verify_audit: how far the chain was found intact, and when."""

    created_at = models.DateTimeField(auto_now_add=True)
    ok = models.BooleanField()
    checked = models.PositiveBigIntegerField()
    head_seq = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'BROKEN'}"


class AuditHeadRecord(models.Model):
    """The chain's head as the worker found it at the start of a day (Vietnam time).
    The weekly verification checks the chain against the latest one, so a tail removed
    since is found; the same head is mailed to the inspectorate (AUDIT_HEAD_EMAILS),
    the copy outside the system that an intruder with the database cannot rewrite."""

    day = models.DateField(_("day"), unique=True)
    count = models.PositiveBigIntegerField(_("events"))
    head_hash = models.CharField(_("head hash"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily audit head")
        verbose_name_plural = _("daily audit heads")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} #{self.count} {self.head_hash[:12]}"


def _verification_token() -> str:
    return secrets.token_urlsafe(16)


class VerificationLink(models.Model):
    """The short link (and QR code) printed on a document's PDF, opening its public
    verification page. A random token of 128 bits rather than the pk, so the register
    cannot be walked by counting; created with the first PDF, and never changed, since
    the printed copies carry it."""

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, related_name="verification_link"
    )
    token = models.CharField(max_length=32, unique=True, default=_verification_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verification link")
        verbose_name_plural = _("verification links")

    def __str__(self) -> str:
        return self.token
