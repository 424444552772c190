"""What the audit trail records beyond document actions: sign-in and sign-out, refused
access to documents, and administrators' changes to people, units and roles. Never a
password or a session key."""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from . import audit

SIGNED_IN = audit.register_action("organisation.session.signed_in", _("Signed in"))
SIGN_IN_FAILED = audit.register_action("organisation.session.sign_in_failed", _("Sign-in failed"))
LOCKED_OUT = audit.register_action("organisation.session.locked_out", _("Account locked out"))
SIGNED_OUT = audit.register_action("organisation.session.signed_out", _("Signed out"))
ADMIN_ACTIONS = {
    (model, flag): audit.register_action(f"organisation.{model}.{verb}", label)
    for model, names in (
        ("person", (_("Person added"), _("Person changed"), _("Person deleted"))),
        ("unit", (_("Unit added"), _("Unit changed"), _("Unit deleted"))),
        ("group", (_("Role added"), _("Role changed"), _("Role deleted"))),
    )
    for flag, verb, label in zip(
        (ADDITION, CHANGE, DELETION), ("added", "changed", "deleted"), names, strict=True
    )
}
# The URLs whose `pk` is a document: a refusal there is a refused access to a document.
DOCUMENT_URLS = {
    "workflows": {"document", "review", "sign", "act", "comment", "compare", "print", "chart"},
    "planning": {"edit"},
    "budgeting": {"edit", "export", "import"},
    "standards": {"edit"},
}


def signed_in(sender, request, user, **kwargs):
    audit.record(action=SIGNED_IN, actor=user, ip=audit.client_ip(request))


def signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(action=SIGNED_OUT, actor=user, ip=audit.client_ip(request))


def sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; keep only the user name.
    username = str(credentials.get("username", ""))[:150]
    audit.record(action=SIGN_IN_FAILED, data={"username": username}, ip=audit.client_ip(request))


def locked_out(sender, request, username, ip_address, **kwargs):
    audit.record(
        action=LOCKED_OUT, data={"username": str(username or "")[:150]}, ip=ip_address or None
    )


class AuditDeniedMiddleware:
    """Records a refused look at, or action on, a document (404 outside the person's
    scope, 403 without the permission) unless the service already recorded it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Http404 | PermissionDenied):
            return None
        if getattr(exception, "audited", False) or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is None or match.url_name not in DOCUMENT_URLS.get(match.app_name, ()):
            return None
        from .models import Document

        pk = match.kwargs.get("pk")
        document = Document.objects.filter(pk=pk).first() if isinstance(pk, int) else None
        audit.record(
            action=audit.DENIED,
            actor=request.user,
            document=document,
            data={
                "path": request.path[:300],
                "method": request.method,
                "status": 403 if isinstance(exception, PermissionDenied) else 404,
            },
            ip=audit.client_ip(request),
        )
        return None


class AuditedAdminMixin:
    """Every add, change and delete an administrator makes to people, units and roles
    becomes an audit event, with the fields that changed."""

    def _audit(self, request, obj, flag, message):
        code = ADMIN_ACTIONS.get((obj._meta.model_name, flag))
        if code:
            audit.record(
                action=code,
                actor=request.user,
                data={"object": str(obj)[:200], "pk": obj.pk, "change": message},
                ip=audit.client_ip(request),
            )

    def log_addition(self, request, obj, message):
        self._audit(request, obj, ADDITION, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, obj, CHANGE, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, DELETION, [])
        return super().log_deletions(request, queryset)
