"""The register of delegations of signature: who may sign "KT." what, and when."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from workflows import audit, kinds
from workflows.exceptions import WorkflowError

from . import selectors, services
from .forms import DelegationForm, RevokeForm


def _require_reader(user) -> None:
    if not selectors.can_view_register(user):
        raise PermissionDenied


def _register_page(request, *, form=None, status=200):
    labels = dict(kinds.choices())
    rows = [
        {
            "delegation": d,
            "state": selectors.delegation_state(d),
            "kinds": [str(labels.get(c, c)) for c in d.kinds],
        }
        for d in selectors.register_rows()
    ]
    may_record = selectors.can_record(request.user)
    if form is None and may_record:
        form = DelegationForm()
    return render(
        request,
        "delegation/register.html",
        {
            "rows": rows,
            "form": form if may_record else None,
            "revoke_form": RevokeForm() if may_record else None,
            "may_record": may_record,
            "needs_instruction": may_record and not selectors.signs_in_own_right(request.user),
        },
        status=status,
    )


@require_GET
def register(request):
    _require_reader(request.user)
    return _register_page(request)


@require_POST
def record(request):
    """The service checks the permission (and records a refusal) before the input, so
    only someone who may record is told what is wrong with the form."""
    form = DelegationForm(request.POST)
    if not form.is_valid() and selectors.can_record(request.user):
        return _register_page(request, form=form, status=400)
    d = form.cleaned_data
    try:
        delegation = services.delegation_record(
            user=request.user,
            delegate_id=getattr(d.get("delegate"), "pk", None),
            kind_codes=d.get("kinds") or [],
            all_kinds=bool(d.get("all_kinds")),
            starts_on=d.get("starts_on"),
            ends_on=d.get("ends_on"),
            decision_reference=d.get("decision_reference", ""),
            instruction_reference=d.get("instruction_reference", ""),
            ip=audit.client_ip(request),
        )
    except WorkflowError as exc:
        for problem in exc.problems or [exc.message]:
            form.add_error(None, problem)
        return _register_page(request, form=form, status=exc.status)
    messages.success(
        request,
        _(
            "Delegation recorded: %(who)s may sign on the Minister's behalf "
            "from %(start)s to %(end)s."
        )
        % {
            "who": delegation.delegate.display_name,
            "start": formats.date_format(delegation.starts_on, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(delegation.ends_on, "SHORT_DATE_FORMAT"),
        },
    )
    return redirect("delegation:register")


@require_POST
def revoke(request, pk):
    try:
        delegation = services.delegation_revoke(
            user=request.user,
            delegation_id=pk,
            # Checked (length, required for an administrator) by the service.
            instruction_reference=request.POST.get("instruction_reference", ""),
            ip=audit.client_ip(request),
        )
    except WorkflowError as exc:
        for problem in exc.problems or [exc.message]:
            messages.error(request, problem)
        return _register_page(request, status=exc.status)
    messages.success(
        request,
        _("Delegation to %(who)s revoked: it no longer allows any signature.")
        % {"who": delegation.delegate.display_name},
    )
    return redirect("delegation:register")
