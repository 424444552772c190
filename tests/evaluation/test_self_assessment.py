"""Prefilled values, corrections with a reason, evidence files checked by content, and a
fuzz of the self-assessment service's input."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation import prefill, services
from evaluation.models import Evidence, Value
from organisation.models import Person
from reporting import sources
from standards import selectors as standards
from tests.evaluation import helpers as e
from workflows.exceptions import InvalidInput
from workflows.models import AuditEvent

pytestmark = pytest.mark.usefixtures("demo_org")


def _values(evaluation, code):
    return {
        v.indicator.code: v
        for v in Value.objects.select_related("indicator").filter(
            assessment__evaluation=evaluation, indicator__code=code
        )
    }


def test_prefilled_values_match_the_product_data(monkeypatch):
    monkeypatch.setitem(
        sources._PROVIDERS,
        sources.TRAINING_BY_UNIT,
        lambda **kw: {uid: {"people_trained": uid % 4} for uid in kw["unit_ids"]},
    )
    e.heads()
    evaluation = e.open_evaluation()
    summary = {s.unit.pk: s.totals for s in standards.units_summary() if s.unit}
    for v in Value.objects.select_related("indicator", "assessment").filter(
        assessment__evaluation=evaluation
    ):
        uid = v.assessment.unit_id
        if v.indicator.code == "3.1":
            t = summary.get(uid)
            expected = (
                None
                if not t or not t.subject
                else (Decimal(t.compliant) / t.subject).quantize(Decimal("0.0001"))
            )
            assert v.prefilled == expected
        elif v.indicator.code == "2.4":
            people = Person.objects.filter(unit_id=uid, is_active=True)
            acted = people.filter(
                pk__in=AuditEvent.objects.filter(created_at__year=2026).values("actor_id")
            ).count()
            assert v.prefilled == (Decimal(acted) / people.count()).quantize(Decimal("0.0001"))
            assert v.prefill_source == prefill.PRODUCT_USE
        elif v.indicator.code == "3.3":
            assert v.prefilled == Decimal(uid % 4)
            assert v.value == v.prefilled and v.prefill_source == prefill.TRAINING
        else:
            assert v.prefilled is None and v.prefill_source == ""


def test_no_training_app_means_no_data(monkeypatch):
    monkeypatch.delitem(sources._PROVIDERS, sources.TRAINING_BY_UNIT, raising=False)
    e.heads()
    evaluation = e.open_evaluation()
    v = next(iter(_values(evaluation, "3.3").values()))
    assert v.prefilled is None and v.prefill_source == ""


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.usefixtures("english")
def test_a_correction_needs_a_reason_and_is_flagged():
    heads = e.heads()
    evaluation = e.open_evaluation()
    a = e.assessment(evaluation, "TTTT")
    v = a.values.select_related("indicator").get(indicator__code="2.4")
    assert v.prefill_source  # the Centre's own people acted in 2026
    entry = services.Entry(value=Decimal("0.1"))
    with pytest.raises(InvalidInput) as refused:
        services.self_assessment_fill(
            user=heads["TTTT"], assessment_id=a.pk, entries={v.indicator_id: entry}
        )
    assert "give a reason" in refused.value.problems[0]
    v.refresh_from_db()
    assert v.value == v.prefilled
    entry.correction_reason = "Số liệu thực tế thấp hơn"
    services.self_assessment_fill(
        user=heads["TTTT"], assessment_id=a.pk, entries={v.indicator_id: entry}
    )
    v.refresh_from_db()
    assert v.corrected and v.correction_reason == "Số liệu thực tế thấp hơn"


def _xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bao-cao.pdf", b"MZ\x90\x00 this is an exe", "is not a PDF, PNG, JPEG or XLSX"),
        ("anh.png", b"%PDF-1.4 a pdf named png", "named as another type"),
        ("rong.pdf", b"", "is empty"),
        ("lon.pdf", b"%PDF-1.4" + b"0" * 2048, "larger than"),
        ("bang.xlsx", b"PK\x03\x04 not a zip", "is not a PDF"),
    ],
)
@pytest.mark.usefixtures("english")
def test_bad_evidence_is_refused(settings, name, content, message):
    settings.EVALUATION_EVIDENCE_MAX_BYTES = 1024
    heads = e.heads()
    evaluation = e.open_evaluation()
    v = e.assessment(evaluation, "KH").values.first()
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    with pytest.raises(InvalidInput) as refused:
        services.evidence_add(user=heads["KH"], value_id=v.pk, upload=upload)
    assert message in refused.value.problems[0]
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", e.PDF, "application/pdf"),
        ("a.PNG", b"\x89PNG\r\n\x1a\n" + b"0" * 10, "image/png"),
        ("a.jpg", b"\xff\xd8\xff\xe0" + b"0" * 10, "image/jpeg"),
        ("a.xlsx", _xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_good_evidence_is_kept_in_the_default_storage(name, content, kind):
    heads = e.heads()
    evaluation = e.open_evaluation()
    v = e.assessment(evaluation, "KH").values.first()
    item = services.evidence_add(
        user=heads["KH"], value_id=v.pk, upload=SimpleUploadedFile(name, content)
    )
    assert item.content_type == kind
    assert item.file.storage.exists(item.file.name)
    assert item.file.read() == content


NUMBERS = st.one_of(
    st.none(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20).map(Decimal),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=NUMBERS, explanation=st.text(max_size=2000), reason=st.text(max_size=50))
@pytest.mark.usefixtures("fuzz_target")
def test_fuzz_self_assessment_fill_never_crashes(value, explanation, reason):
    a = FUZZ["a"]
    v = FUZZ["v"]
    entry = services.Entry(value=value, explanation=explanation, correction_reason=reason)
    try:
        services.self_assessment_fill(user=FUZZ["head"], assessment_id=a.pk, entries={v: entry})
    except InvalidInput as refused:
        assert refused.problems
    else:
        saved = Value.objects.get(assessment=a, indicator_id=v)
        assert saved.value is None or (saved.value >= 0 and saved.value.is_finite())


FUZZ: dict = {}


@pytest.fixture
def fuzz_target(demo_org):
    heads = e.heads()
    evaluation = e.open_evaluation()
    a = e.assessment(evaluation, "VP")
    FUZZ.update(a=a, v=a.values.first().indicator_id, head=heads["VP"])
    yield
    FUZZ.clear()


@pytest.fixture
def fill_page(demo_org, client):
    heads = e.heads()
    evaluation = e.open_evaluation()
    a = e.assessment(evaluation, "TCCB")
    client.force_login(heads["TCCB"])
    FORM.update(client=client, a=a, pks=list(a.values.values_list("pk", flat=True))[:3])
    yield
    FORM.clear()


FORM: dict = {}
TYPED = st.one_of(
    st.text(max_size=30),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "1,5", "1.5", "-1", "1e400", "١٢", "0x10", " 2 ", "NaN"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(TYPED, min_size=3, max_size=3), text=st.text(max_size=1200))
@pytest.mark.usefixtures("fill_page")
def test_fuzz_the_fill_form_answers_302_or_400(values, text):
    from django.urls import reverse

    post = {"action": "fill"}
    for pk, typed in zip(FORM["pks"], values, strict=True):
        post[f"value_{pk}"] = typed
        post[f"explanation_{pk}"] = text
        post[f"reason_{pk}"] = text[:50]
    url = reverse("evaluation:assessment", args=[FORM["a"].pk])
    response = FORM["client"].post(url, post)
    assert response.status_code in (302, 400)
