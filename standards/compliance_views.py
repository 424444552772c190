"""Compliance with the competency standard in force: each person's own page, the units
summary and a unit's people with filters and exports (Personnel Department, leadership,
inspectors), and the Personnel Department's recording of certificates."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from organisation.models import Person, Unit
from workflows import audit, exports, paging
from workflows.exceptions import WorkflowError
from workflows.forms import Form, refuse

from . import certificates, selectors
from .models import Certificate, Module, PositionGroup
from .services import in_force

EXPORTED = audit.register_action(
    "standards.compliance.exported", gettext_lazy("IT skills compliance exported")
)
VIEW_PERMISSIONS = (
    "organisation.manage_certificates",
    "organisation.draft_competency_standards",
    "organisation.sign_documents",
    "organisation.view_audit_trail",
)
PAGE_SIZE = 100


def can_view_compliance(user) -> bool:
    return any(user.has_perm(p) for p in VIEW_PERMISSIONS)


def _require_viewer(user) -> None:
    if not can_view_compliance(user):
        raise PermissionDenied


def _require_recorder(user) -> None:
    if not user.has_perm(certificates.PERMISSION):
        raise PermissionDenied


def _standard_context(standard) -> dict:
    return {"standard": standard, "deadline": selectors.compliance_deadline(standard)}


# --- A person's own page, and a person's page for the Personnel Department -------------


# Sections other apps add to a person's IT skills page (training: their courses), each a
# callable (request, person) -> rendered HTML, so standards imports none of them.
PERSON_PANELS: list = []


def register_person_panel(panel) -> None:
    if panel not in PERSON_PANELS:
        PERSON_PANELS.append(panel)


def _person_page(request, person, *, own: bool):
    standard = in_force()
    compliance = selectors.person_compliance(person, standard)
    return render(
        request,
        "standards/compliance/person.html",
        {
            **_standard_context(standard),
            "person": person,
            "c": compliance,
            "modules": list(Module.objects.order_by("code")),
            "own": own,
            "can_view_all": can_view_compliance(request.user),
            "can_record": request.user.has_perm(certificates.PERMISSION),
            "panels": [panel(request, person) for panel in PERSON_PANELS],
        },
    )


@require_GET
def my_skills(request):
    return _person_page(request, request.user, own=True)


@require_GET
def person_skills(request, person_id):
    _require_viewer(request.user)
    person = get_object_or_404(Person.objects.select_related("unit"), pk=person_id)
    return _person_page(request, person, own=person.pk == request.user.pk)


# --- Units summary and a unit's people ----------------------------------------------


class ComplianceFilterForm(Form):
    group = forms.ChoiceField(label=gettext_lazy("Position group"), required=False)
    compliant = forms.ChoiceField(
        label=gettext_lazy("Compliant"),
        required=False,
        choices=[
            ("", gettext_lazy("All")),
            ("yes", gettext_lazy("Yes")),
            ("no", gettext_lazy("No")),
        ],
    )
    q = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [
            ("", _("All")),
            *((g.code, g.name) for g in PositionGroup.objects.all()),
            (selectors.NO_GROUP_FILTER, _("No position group")),
        ]


def _filter_form(request) -> ComplianceFilterForm:
    data = {k: request.GET[k] for k in ("group", "compliant", "q") if k in request.GET}
    return ComplianceFilterForm(data or None)


def _filters(form: ComplianceFilterForm) -> dict[str, str]:
    if not form.is_bound:
        return {}
    return {k: v for k, v in form.cleaned_data.items() if v}


def _unit_rows(request, unit):
    """(form, standard, rows, unit totals, filters valid); no rows when the filters are
    not valid."""
    form = _filter_form(request)
    standard = in_force()
    valid = not form.is_bound or form.is_valid()
    filters = _filters(form) if valid else {}
    rows = selectors.unit_compliance(unit, standard, **filters)
    return form, standard, rows if valid else [], rows.totals, valid


@require_GET
def summary(request):
    _require_viewer(request.user)
    standard = in_force()
    units = selectors.units_summary(standard)
    return render(
        request,
        "standards/compliance/summary.html",
        {
            **_standard_context(standard),
            "units": units,
            "overall": units.overall,
            "can_record": request.user.has_perm(certificates.PERMISSION),
        },
    )


@require_GET
def unit_page(request, code):
    _require_viewer(request.user)
    unit = get_object_or_404(Unit, code=code)
    form, standard, rows, unit_totals, valid = _unit_rows(request, unit)
    page = paging.page_of(request, rows, PAGE_SIZE)
    return render(
        request,
        "standards/compliance/unit.html",
        {
            **_standard_context(standard),
            "unit": unit,
            "form": form,
            "page": page,
            "shown": len(rows),
            "totals": unit_totals,
            "query": paging.query_without(request, "page"),
            "can_record": request.user.has_perm(certificates.PERMISSION),
        },
        status=200 if valid else 400,
    )


# --- Exports -----------------------------------------------------------------------------


def _unit_table(rows: Iterable[selectors.Compliance]) -> tuple[list[str], list[list]]:
    headers = [
        _("Full name"),
        _("User name"),
        _("Unit"),
        _("Position group"),
        _("Requirement"),
        _("Required modules"),
        _("Modules held"),
        _("Missing modules"),
        _("Status"),
    ]
    table = [
        [
            r.person.display_name,
            r.person.username,
            r.person.unit.code if r.person.unit_id else "",
            r.group.name if r.group else "",
            r.level_label,
            ", ".join(r.required),
            ", ".join(r.held),
            ", ".join(r.gap),
            r.status_label,
        ]
        for r in rows
    ]
    return headers, table


def _summary_table(units, overall) -> tuple[list[str], list[list]]:
    headers = [
        _("Unit code"),
        _("Unit"),
        _("People"),
        _("Without a position group"),
        _("Nothing required"),
        _("Required to comply"),
        _("Compliant"),
        _("Not compliant"),
        _("Share compliant (%)"),
    ]

    def line(code, name, t):
        return [
            code,
            name,
            t.people,
            t.no_group,
            t.not_required,
            t.subject,
            t.compliant,
            t.gap,
            t.share_percent,
        ]

    table = [
        line(u.unit.code if u.unit else "", u.unit.name if u.unit else _("No unit"), u.totals)
        for u in units
    ]
    table.append(line("", _("Whole Committee"), overall))
    return headers, table


def _export(request, fmt, *, filename, sheet, headers, table, data):
    audit.record(
        action=EXPORTED,
        actor=request.user,
        data={"format": fmt, "rows": len(table), **data},
        ip=audit.client_ip(request),
    )
    if fmt == "csv":
        return exports.csv_response(f"{filename}.csv", headers, table)
    return exports.xlsx_table(f"{filename}.xlsx", sheet, headers, table)


def _standard_data(standard) -> dict:
    if standard is None:
        return {"standard": None}
    return {"standard": standard.pk, "standard_number": standard.document.number_text}


@require_GET
def unit_export(request, code, fmt):
    _require_viewer(request.user)
    unit = get_object_or_404(Unit, code=code)
    form, standard, rows, _totals, valid = _unit_rows(request, unit)
    if not valid:
        return HttpResponse(
            _("The filters are not valid: correct them on the unit's page, then export."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    headers, table = _unit_table(rows)
    return _export(
        request,
        fmt,
        filename=f"tuan-thu-chuan-ky-nang-{unit.code}",
        sheet=_("IT skills compliance"),
        headers=headers,
        table=table,
        data={"unit": unit.code, "filters": _filters(form), **_standard_data(standard)},
    )


@require_GET
def summary_export(request, fmt):
    _require_viewer(request.user)
    standard = in_force()
    units = selectors.units_summary(standard)
    headers, table = _summary_table(units, units.overall)
    return _export(
        request,
        fmt,
        filename="tuan-thu-chuan-ky-nang-cac-don-vi",
        sheet=_("Compliance by unit"),
        headers=headers,
        table=table,
        data={"unit": "", "filters": {}, **_standard_data(standard)},
    )


# --- Recording and removing certificates -------------------------------------------------


class UnitChoiceForm(Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"),
        queryset=Unit.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All units"),
        error_messages={"invalid_choice": gettext_lazy("Unknown unit: choose one in the list.")},
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        unit = f" — {obj.unit.code}" if obj.unit_id else ""
        return f"{obj.display_name} ({obj.username}){unit}"


class ModuleCodesField(forms.MultipleChoiceField):
    """Posted codes go to the service as they are: it names every unknown one at once."""

    def valid_value(self, value):
        return True


class CertificateForm(Form):
    person = PersonChoiceField(
        label=gettext_lazy("Person"),
        queryset=Person.objects.none(),
        error_messages={
            "required": gettext_lazy("Choose the person who holds the certificate."),
            "invalid_choice": gettext_lazy(
                "Choose the person in the list (people of the chosen unit)."
            ),
        },
    )
    modules = ModuleCodesField(
        label=gettext_lazy("Modules covered"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Tick at least one module the certificate covers."),
        },
    )
    issued_on = forms.DateField(  # certificates.date_problems bounds it
        label=gettext_lazy("Date issued (dd/mm/yyyy)"),
        error_messages={
            "required": gettext_lazy("Give the date the certificate was issued."),
            "invalid": gettext_lazy("Give the date as dd/mm/yyyy, for example 15/03/2025."),
        },
    )
    issuing_body = forms.CharField(
        label=gettext_lazy("Issuing body"),
        max_length=certificates.MAX_BODY,
        error_messages={"required": gettext_lazy("Give the body that issued the certificate.")},
    )
    number = forms.CharField(
        label=gettext_lazy("Certificate number"),
        max_length=certificates.MAX_NUMBER,
        error_messages={"required": gettext_lazy("Give the certificate number.")},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["modules"].choices = [
            (m.code, f"{m.code} {m.name}") for m in Module.objects.order_by("code")
        ]

    def clean_issued_on(self):
        issued_on = self.cleaned_data["issued_on"]
        problems = certificates.date_problems(issued_on)
        if problems:
            raise forms.ValidationError(problems)
        return issued_on


def _unit_choice(request) -> tuple[UnitChoiceForm, Unit | None, bool]:
    source = request.POST if request.method == "POST" else request.GET
    value = source.get("unit", "")
    form = UnitChoiceForm({"unit": value} if value else None)
    if not value:
        return form, None, True
    if form.is_valid():
        return form, form.cleaned_data["unit"], True
    return form, None, False


@require_http_methods(["GET", "POST"])
def certificate_new(request):
    _require_recorder(request.user)
    unit_form, unit, unit_ok = _unit_choice(request)
    people = Person.objects.filter(is_active=True).select_related("unit")
    if unit is not None:
        people = people.filter(unit=unit)
    people = people.order_by("sort_key", "username")
    status = 200 if unit_ok else 400
    if request.method == "POST":
        form = CertificateForm(request.POST, people=people)
        if unit_ok and form.is_valid():
            d = form.cleaned_data
            try:
                certificate = certificates.certificate_record(
                    user=request.user,
                    person_id=d["person"].pk,
                    module_codes=d["modules"],
                    issued_on=d["issued_on"],
                    issuing_body=d["issuing_body"],
                    number=d["number"],
                    ip=audit.client_ip(request),
                )
            except WorkflowError as exc:
                status = refuse(form, exc)
            else:
                messages.success(
                    request,
                    _("Certificate %(number)s recorded for %(person)s.")
                    % {"number": certificate.number, "person": d["person"].display_name},
                )
                url = reverse("standards:certificate_new")
                return redirect(f"{url}?{urlencode({'unit': unit.code})}" if unit else url)
        else:
            status = 400
    else:
        initial = {}
        wanted = request.GET.get("person", "")
        if wanted.isdigit() and len(wanted) < 12:
            initial["person"] = people.filter(pk=int(wanted)).first()
        form = CertificateForm(initial=initial, people=people)
    return render(
        request,
        "standards/compliance/certificate_form.html",
        {"form": form, "unit_form": unit_form, "unit": unit, "standard": in_force()},
        status=status,
    )


class CertificateDeleteForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is it removed?"),
        max_length=certificates.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say why the certificate is removed.")},
    )


@require_http_methods(["GET", "POST"])
def certificate_delete(request, certificate_id):
    _require_recorder(request.user)
    certificate = get_object_or_404(
        Certificate.objects.select_related("person__unit").prefetch_related("modules"),
        pk=certificate_id,
    )
    form = CertificateDeleteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                certificates.certificate_delete(
                    user=request.user,
                    certificate_id=certificate.pk,
                    reason=form.cleaned_data["reason"],
                    ip=audit.client_ip(request),
                )
            except WorkflowError as exc:
                status = refuse(form, exc)
            else:
                messages.success(
                    request,
                    _("Certificate %(number)s removed.") % {"number": certificate.number},
                )
                return redirect("standards:person_skills", person_id=certificate.person_id)
        else:
            status = 400
    return render(
        request,
        "standards/compliance/certificate_delete.html",
        {"certificate": certificate, "form": form},
        status=status,
    )
