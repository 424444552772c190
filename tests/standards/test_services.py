"""Writing and approving competency standards through the services: the matrix rules
(Circular 03/2014/TT-BTTTT modules), sections, effective date and months, what blocks a
submission, the Information Centre's opinion step, signing into the decisions register,
supersession by a newer standard, and what the revisions and their diff show."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from standards import selectors as compliance
from standards import services as st
from standards.kinds import SCHEMA
from standards.models import BASIC_MODULES, PositionGroup, Requirement, RequirementItem, Standard
from standards.services import ItemRow, RequirementRow
from tests.standards import helpers as s
from tests.workflows import helpers as h
from workflows import content, selectors
from workflows.exceptions import (
    ActionForbidden,
    AlreadyHandled,
    InvalidInput,
    NotEditable,
    NotInScope,
    WorkflowError,
)
from workflows.models import AuditEvent, Comment, Document, Verdict

pytestmark = pytest.mark.usefixtures("org")


@pytest.fixture
def draft() -> Document:
    """A standard just created: empty sections, no effective date, no matrix."""
    return s.create()


def save(document: Document, **changes) -> Standard:
    """standard_update with complete content, but for `changes`."""
    document.refresh_from_db()
    values = {
        "title": document.title,
        "sections": s.SECTIONS,
        "effective_date": timezone.localdate(),
        "months_to_comply": 12,
        "requirements": s.MATRIX,
        "items": s.ITEMS,
        **changes,
    }
    return st.standard_update(
        user=h.person(s.DRAFTER), document_id=document.pk, version=document.version, **values
    )


def refused(document: Document, **changes) -> list[str]:
    """The problems of a refused save, once it is checked that nothing was saved."""
    document.refresh_from_db()
    version = document.version
    rows = list(Requirement.objects.filter(standard__document=document).values())
    items = list(RequirementItem.objects.filter(standard__document=document).values())
    standard = Standard.objects.values().get(document=document)
    events = AuditEvent.objects.filter(document=document).count()
    with pytest.raises(InvalidInput) as caught:
        save(document, **changes)
    document.refresh_from_db()
    assert document.version == version
    assert list(Requirement.objects.filter(standard__document=document).values()) == rows
    assert list(RequirementItem.objects.filter(standard__document=document).values()) == items
    assert Standard.objects.values().get(document=document) == standard
    assert AuditEvent.objects.filter(document=document).count() == events
    return [str(p) for p in caught.value.problems]


def matrix_with(*rows: RequirementRow) -> list[RequirementRow]:
    """The default matrix with the rows of the same groups replaced by `rows`."""
    replaced = {r.group: r for r in rows}
    return [replaced.get(r.group, r) for r in s.MATRIX]


def latest_event(document: Document, action: str) -> AuditEvent:
    return AuditEvent.objects.filter(document=document, action=action).latest("seq")


# --- Creating and saving ----------------------------------------------------------------


def test_only_the_personnel_department_creates_standards():
    today = timezone.localdate()
    standard = st.standard_create(user=h.person(s.DRAFTER), title="  Chuẩn kỹ năng CNTT  ")
    document = standard.document
    assert (document.kind, document.state, document.title) == (
        "competency_standard",
        "draft",
        "Chuẩn kỹ năng CNTT",
    )
    assert (document.drafting_unit.code, document.reviewing_unit.code) == ("TCCB", "TTTT")
    assert standard.sections == {"scope": "", "applies_to": ""}
    assert document.year == today.year

    for username in (s.CENTRE, h.MINISTER, "thanhtra", "vanthu.vp"):
        with pytest.raises(ActionForbidden):
            st.standard_create(user=h.person(username), title="Chuẩn khác")
    for title in ("", "   ", "x" * 501):
        with pytest.raises(InvalidInput):
            st.standard_create(user=h.person(s.DRAFTER), title=title)
    assert Document.objects.filter(kind="competency_standard").count() == 1


def test_a_complete_standard_is_saved_with_its_matrix_and_items(draft):
    today = timezone.localdate()
    version = Document.objects.get(pk=draft.pk).version
    save(
        draft,
        title="  Chuẩn kỹ năng sử dụng CNTT  ",
        sections={"scope": "  Phạm vi.  ", "applies_to": "Đối tượng."},
        months_to_comply=18,
        items=[*s.ITEMS, ItemRow(" IU01.3 ", " Khởi động máy tính. ")],
    )

    document = s.fresh(draft)
    standard = Standard.objects.get(document=document)
    assert document.title == "Chuẩn kỹ năng sử dụng CNTT"
    assert document.version == version + 1
    assert standard.sections == {"scope": "Phạm vi.", "applies_to": "Đối tượng."}
    assert (standard.effective_date, standard.months_to_comply) == (today, 18)
    assert [
        (r.group.code, r.level, sorted(m.code for m in r.advanced_modules.all()))
        for r in standard.requirements.all()
    ] == [
        ("LANHDAO_UB", "none", []),
        ("LANHDAO_VU", "basic", []),
        ("CHUYENVIEN", "basic", []),
        ("CNTT", "advanced", s.CNTT_ADVANCED),
        ("HANHCHINH", "none", []),
    ]
    assert [(i.code, i.module.code, i.text) for i in standard.items.all()] == [
        ("IU01.3", "IU01", "Khởi động máy tính."),
        ("IU07.1", "IU07", s.ITEMS[0].text),
        ("IU07.1.1", "IU07", s.ITEMS[1].text),
        ("IU14.2", "IU14", s.ITEMS[2].text),
    ]
    event = latest_event(document, "standards.standard.edited")
    assert (event.actor.username, h.own_data(event)) == (s.DRAFTER, {"what": "content"})

    # Saving again replaces the matrix and the items rather than adding to them.
    save(draft, requirements=[RequirementRow("CHUYENVIEN", "basic")], items=[])
    assert list(standard.requirements.values_list("group__code", "level")) == [
        ("CHUYENVIEN", "basic")
    ]
    assert not standard.items.exists()


def test_a_stale_form_is_refused(draft):
    today = timezone.localdate()
    save(draft)
    with pytest.raises(WorkflowError) as caught:
        st.standard_update(
            user=h.person(s.DRAFTER),
            document_id=draft.pk,
            version=1,
            title="Cũ",
            sections=s.SECTIONS,
            effective_date=today,
            months_to_comply=12,
            requirements=s.MATRIX,
            items=[],
        )
    assert caught.value.status == 409
    assert s.fresh(draft).title != "Cũ"


def test_only_tccb_edits_and_only_while_draft_or_returned():
    today = timezone.localdate()
    document = s.make_standard("submitted")
    with pytest.raises(NotEditable):
        save(document)
    with pytest.raises(ActionForbidden):
        st.standard_update(
            user=h.person(s.CENTRE),
            document_id=document.pk,
            version=None,
            title="Sửa",
            sections=s.SECTIONS,
            effective_date=today,
            months_to_comply=12,
            requirements=s.MATRIX,
            items=[],
        )
    # A draft is outside the Centre's scope until it is first submitted.
    other = s.make_standard("draft", title="Bản nháp khác")
    with pytest.raises(NotInScope):
        st.standard_update(
            user=h.person(s.CENTRE),
            document_id=other.pk,
            version=None,
            title="Sửa",
            sections=s.SECTIONS,
            effective_date=today,
            months_to_comply=12,
            requirements=s.MATRIX,
            items=[],
        )


# --- The matrix -----------------------------------------------------------------------


def test_basic_means_iu01_to_iu06_and_advanced_adds_its_modules(draft):
    assert tuple(s.BASIC) == BASIC_MODULES
    assert compliance.required_modules("basic") == frozenset(s.BASIC)
    assert compliance.required_modules("advanced", s.CNTT_ADVANCED) == frozenset(
        s.BASIC + s.CNTT_ADVANCED
    )
    assert compliance.required_modules("none") == frozenset()

    standard = save(draft)
    by_group = compliance.requirements_by_group(standard)
    group = {g.code: g.pk for g in PositionGroup.objects.all()}
    assert by_group[group["LANHDAO_VU"]].modules == frozenset(s.BASIC)
    assert by_group[group["CNTT"]].modules == frozenset(s.BASIC + s.CNTT_ADVANCED)
    assert by_group[group["HANHCHINH"]].modules == frozenset()


@pytest.mark.parametrize(
    ("modules", "problem"),
    [
        ([], "“CNTT”: the advanced certificate needs at least three advanced modules."),
        (
            ["IU07", "IU08"],
            "“CNTT”: the advanced certificate needs at least three advanced modules.",
        ),
        # The same module twice counts once.
        (
            ["IU07", "IU07", "IU08"],
            "“CNTT”: the advanced certificate needs at least three advanced modules.",
        ),
        # Basic modules (IU01–IU06) are not advanced ones.
        (["IU07", "IU08", "IU01"], "IU01 are not advanced modules."),
        (["IU07", "IU08", "IU99"], "Unknown module codes: IU99."),
        (["IU07", "IU08", "iu09"], "Unknown module codes: iu09."),
    ],
)
def test_the_advanced_certificate_needs_three_advanced_modules(draft, modules, problem):
    problems = refused(draft, requirements=matrix_with(RequirementRow("CNTT", "advanced", modules)))
    assert problems == [problem]


@pytest.mark.parametrize(
    "modules",
    [
        ["IU08", "IU10", "IU15"],
        ["IU07", "IU08", "IU09", "IU14"],
        [f"IU{n:02d}" for n in range(7, 16)],  # all nine advanced modules
    ],
)
def test_three_or_more_advanced_modules_are_accepted(draft, modules):
    standard = save(draft, requirements=matrix_with(RequirementRow("CNTT", "advanced", modules)))
    row = standard.requirements.get(group__code="CNTT")
    assert sorted(m.code for m in row.advanced_modules.all()) == sorted(modules)


@pytest.mark.parametrize("level", ["basic", "none"])
def test_advanced_modules_go_only_with_the_advanced_certificate(draft, level):
    problems = refused(
        draft, requirements=matrix_with(RequirementRow("CHUYENVIEN", level, ["IU07"]))
    )
    assert problems == ["“CHUYENVIEN”: advanced modules only go with the advanced certificate."]


def test_unknown_or_repeated_position_groups_and_unknown_levels_are_refused(draft):
    assert refused(draft, requirements=[*s.MATRIX, RequirementRow("GIAMDOC", "basic")]) == [
        "Unknown position group “GIAMDOC”."
    ]
    assert refused(draft, requirements=[*s.MATRIX, RequirementRow("CNTT", "basic")]) == [
        "Position group “CNTT” appears twice."
    ]
    assert refused(draft, requirements=matrix_with(RequirementRow("CNTT", "expert"))) == [
        "Unknown requirement for “CNTT”."
    ]
    # Every problem is reported at once.
    problems = refused(
        draft,
        requirements=[
            RequirementRow("GIAMDOC", "basic"),
            RequirementRow("CNTT", "advanced", ["IU07"]),
            RequirementRow("CNTT", "basic"),
        ],
    )
    assert problems == [
        "Unknown position group “GIAMDOC”.",
        "“CNTT”: the advanced certificate needs at least three advanced modules.",
        "Position group “CNTT” appears twice.",
    ]


def test_a_new_position_group_can_be_required_once_saved(draft):
    assert refused(draft, requirements=[RequirementRow("KETOAN", "basic")]) == [
        "Unknown position group “KETOAN”."
    ]
    group = st.position_group_save(
        user=h.person(s.DRAFTER),
        code=" ketoan ",
        name_vi="Kế toán",
        name_en="Accountants",
        sort_order=60,
    )
    assert (group.code, group.active) == ("KETOAN", True)
    event = AuditEvent.objects.filter(action="standards.group.saved").latest("seq")
    assert (event.actor.username, event.data) == (
        s.DRAFTER,
        {"code": "KETOAN", "created": True, "active": True},
    )
    standard = save(draft, requirements=[RequirementRow("KETOAN", "basic")])
    assert standard.requirements.get().group == group

    # Saving it again changes it in place.
    st.position_group_save(
        user=h.person(s.DRAFTER), code="KETOAN", name_vi="Kế toán viên", name_en="Accountants"
    )
    assert PositionGroup.objects.get(code="KETOAN").name_vi == "Kế toán viên"
    assert (
        AuditEvent.objects.filter(action="standards.group.saved").latest("seq").data["created"]
        is False
    )


def test_only_the_personnel_department_manages_position_groups():
    for username in (s.CENTRE, h.MINISTER, "thanhtra", "quantri"):
        with pytest.raises(ActionForbidden):
            st.position_group_save(
                user=h.person(username), code="KETOAN", name_vi="Kế toán", name_en="Accountants"
            )
    for code, name_vi, name_en in (("", "Kế toán", "Accountants"), ("KETOAN", " ", "A")):
        with pytest.raises(InvalidInput):
            st.position_group_save(
                user=h.person(s.DRAFTER), code=code, name_vi=name_vi, name_en=name_en
            )
    assert not PositionGroup.objects.filter(code="KETOAN").exists()


# --- Requirement items ----------------------------------------------------------------


def test_items_under_existing_modules_are_accepted(draft):
    items = [
        ItemRow("IU07.1", "Một."),
        ItemRow("IU07.1.1", "Hai."),
        ItemRow("IU07.12.3", "Ba."),
        ItemRow("IU01.2", "Bốn."),
        ItemRow("IU15.1", "Năm."),
    ]
    standard = save(draft, items=items)
    assert sorted(standard.items.values_list("code", "module__code")) == [
        ("IU01.2", "IU01"),
        ("IU07.1", "IU07"),
        ("IU07.1.1", "IU07"),
        ("IU07.12.3", "IU07"),
        ("IU15.1", "IU15"),
    ]


@pytest.mark.parametrize(
    "code",
    [
        "IU99.1",  # no such module
        "IU16.1",
        "IU07",  # the module itself, not an item under it
        "IU07.",
        "IU07.a",
        "IU07.1.b",
        "iu07.1",
        "XX07.1",
        "IU07-1",
    ],
)
def test_item_codes_must_be_under_an_existing_module(draft, code):
    assert refused(draft, items=[ItemRow(code, "Yêu cầu.")]) == [
        f"“{code}” is not a code under a module, like IU07.1 or IU07.1.1."
    ]


def test_item_codes_may_not_repeat_and_need_a_text(draft):
    items = [ItemRow("IU07.1", "Một."), ItemRow(" IU07.1 ", "Hai.")]
    assert refused(draft, items=items) == ["The item code “IU07.1” appears twice."]
    assert refused(draft, items=[ItemRow("IU07.2", "  ")]) == [
        "Each requirement item needs a code and a text."
    ]
    assert refused(draft, items=[ItemRow("", "Một.")]) == [
        "Each requirement item needs a code and a text."
    ]
    assert refused(draft, items=[ItemRow("IU07.2", "x" * 1001)]) == [
        "An item may be at most 1.000 characters: shorten it."
    ]


@pytest.mark.parametrize("code", ["IU07.123", "IU07.1.2.3.4", "IU07.1234567890123456789"])
def test_item_codes_outside_the_models_format_are_refused(draft, code):
    with pytest.raises(InvalidInput):
        save(draft, items=[ItemRow(code, "Yêu cầu.")])


# --- Sections, effective date, months -----------------------------------------------------


def test_sections_are_checked(draft):
    assert refused(draft, sections={**s.SECTIONS, "budget": "Kinh phí."}) == [
        "Unknown section “budget”."
    ]
    assert refused(draft, sections={**s.SECTIONS, "scope": "x" * 20_001}) == [
        "A section may be at most 20.000 characters: shorten it."
    ]
    # At the limit, and missing sections saved empty (submission asks for them).
    standard = save(draft, sections={"scope": "x" * 20_000})
    assert standard.sections == {"scope": "x" * 20_000, "applies_to": ""}


def test_the_effective_date_cannot_be_before_today(draft):
    today = timezone.localdate()
    assert refused(draft, effective_date=today - dt.timedelta(days=1)) == [
        "The effective date cannot be before the date of issue."
    ]
    for day in (today, today + dt.timedelta(days=365), None):
        assert save(draft, effective_date=day).effective_date == day
    # "Today" is the day of the save: a date fine yesterday is refused today.
    with s.today_is(today + dt.timedelta(days=2)):
        assert refused(draft, effective_date=today + dt.timedelta(days=1)) == [
            "The effective date cannot be before the date of issue."
        ]


@pytest.mark.parametrize("months", [-1, 121, 1000, None, "12", 12.0])
def test_months_to_comply_must_be_0_to_120(draft, months):
    assert refused(draft, months_to_comply=months) == [
        "The time allowed to comply must be 0 to 120 months."
    ]


@pytest.mark.parametrize("months", [0, 1, 120])
def test_months_to_comply_from_0_to_120_are_accepted(draft, months):
    assert save(draft, months_to_comply=months).months_to_comply == months


def test_a_standard_needs_a_title(draft):
    assert refused(draft, title="  ") == ["A standard needs a title."]


def test_a_title_over_500_characters_is_refused(draft):
    with pytest.raises(InvalidInput):
        save(draft, title="x" * 501)


# --- Submission -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        (
            {"sections": {"scope": "", "applies_to": "  "}},
            [
                "The section “Scope” must be filled in.",
                "The section “Who it applies to” must be filled in.",
            ],
        ),
        (
            {"sections": {"scope": "Phạm vi."}},
            ["The section “Who it applies to” must be filled in."],
        ),
        ({"effective_date": None}, ["Give the effective date."]),
        (
            {"requirements": [RequirementRow(r.group, "none") for r in s.MATRIX]},
            ["The matrix must require something of at least one group."],
        ),
        ({"requirements": []}, ["The matrix must require something of at least one group."]),
    ],
)
def test_what_blocks_a_submission(draft, changes, problems):
    save(draft, **changes)
    document = s.fresh(draft)

    with pytest.raises(InvalidInput) as caught:
        h.act(document, "submit", s.DRAFTER)

    assert [str(p) for p in caught.value.problems] == problems
    document = s.fresh(draft)
    assert (document.state, document.revision_count) == ("draft", 0)
    assert not AuditEvent.objects.filter(
        document=document, action="standards.standard.submitted"
    ).exists()


def test_a_fresh_standard_lists_every_problem(draft):
    with pytest.raises(InvalidInput) as caught:
        h.act(draft, "submit", s.DRAFTER)
    assert [str(p) for p in caught.value.problems] == [
        "The section “Scope” must be filled in.",
        "The section “Who it applies to” must be filled in.",
        "Give the effective date.",
        "The matrix must require something of at least one group.",
    ]


def test_submission_freezes_a_revision_and_goes_to_the_centre():
    today = timezone.localdate()
    document = s.make_standard("submitted")
    assert (document.state, document.revision_count) == ("submitted", 1)
    assert h.open_task(document).flow_task.name == "review"
    assert [t.process.document.pk for t in selectors.my_tasks(h.person(s.CENTRE))] == [document.pk]
    revision = document.revisions.get()
    assert revision.content["title"] == document.title
    assert revision.content["fields"] == {
        "effective_date": today.isoformat(),
        "months_to_comply": 12,
    }
    assert revision.content["sections"] == s.SECTIONS
    assert revision.content["tables"]["matrix"] == [
        {"uid": "LANHDAO_UB", "group": "Lãnh đạo Ủy ban", "level": "none", "advanced_modules": ""},
        {
            "uid": "LANHDAO_VU",
            "group": "Lãnh đạo Vụ, đơn vị",
            "level": "basic",
            "advanced_modules": "",
        },
        {"uid": "CHUYENVIEN", "group": "Chuyên viên", "level": "basic", "advanced_modules": ""},
        {
            "uid": "CNTT",
            "group": "Cán bộ CNTT của Trung tâm Thông tin",
            "level": "advanced",
            "advanced_modules": "IU07, IU09, IU14",
        },
        {
            "uid": "HANHCHINH",
            "group": "Nhân viên hành chính, văn thư",
            "level": "none",
            "advanced_modules": "",
        },
    ]
    assert [r["uid"] for r in revision.content["tables"]["items"]] == [
        "IU07.1",
        "IU07.1.1",
        "IU14.2",
    ]


# --- The Information Centre's opinion -------------------------------------------------------


@pytest.mark.parametrize(
    ("verdict", "comment"),
    [
        (Verdict.AGREE, ""),
        (Verdict.AGREE, "Thống nhất."),
        (Verdict.AGREE_WITH_COMMENTS, "Bổ sung IU14 cho lãnh đạo Vụ."),
        (Verdict.DISAGREE, "Chưa phù hợp với Thông tư 03/2014/TT-BTTTT."),
    ],
)
def test_the_opinion_returns_the_standard_to_tccb(verdict, comment):
    document = s.make_standard("submitted")
    revision = document.revisions.get()

    h.act(document, "opinion", s.CENTRE, comment=comment, verdict=verdict)

    document = s.fresh(document)
    assert document.state == "returned"
    # Back with TCCB: its draft task is open and in its queue.
    assert h.open_task(document).flow_task.name == "draft"
    assert [t.process.document.pk for t in selectors.my_tasks(h.person(s.DRAFTER))] == [document.pk]
    assert not selectors.my_tasks(h.person(s.CENTRE)).exists()
    opinion = Comment.objects.get(document=document)
    assert (opinion.action, opinion.verdict, opinion.body) == ("opinion", verdict, comment)
    assert (opinion.author.username, opinion.revision) == (s.CENTRE, revision)
    assert document.has_opinion
    event = latest_event(document, "standards.standard.opinion_given")
    assert event.actor.username == s.CENTRE
    assert (event.from_state, event.to_state) == ("submitted", "returned")
    assert event.data["verdict"] == verdict
    assert (event.comment, event.revision_number) == (comment, 1)


@pytest.mark.parametrize("verdict", [Verdict.AGREE_WITH_COMMENTS, Verdict.DISAGREE])
def test_comments_are_required_unless_the_centre_agrees(verdict):
    document = s.make_standard("submitted")

    for comment in ("", "   "):
        with pytest.raises(InvalidInput) as caught:
            h.act(document, "opinion", s.CENTRE, comment=comment, verdict=verdict)
        assert [str(p) for p in caught.value.problems] == [
            "Comments or reasons are required unless you agree."
        ]

    document = s.fresh(document)
    assert document.state == "submitted"
    assert not Comment.objects.filter(document=document).exists()
    assert not AuditEvent.objects.filter(
        document=document, action="standards.standard.opinion_given"
    ).exists()


@pytest.mark.parametrize("verdict", ["", "maybe", "endorse"])
def test_the_opinion_needs_a_known_verdict(verdict):
    document = s.make_standard("submitted")
    with pytest.raises(InvalidInput):
        h.act(document, "opinion", s.CENTRE, comment="Ý kiến.", verdict=verdict)
    assert s.fresh(document).state == "submitted"


def test_submit_to_signer_is_refused_before_the_opinion_and_allowed_after():
    document = s.make_standard("draft")
    with pytest.raises(WorkflowError):
        h.act(document, "submit_to_signer", s.DRAFTER)
    assert (s.fresh(document).state, s.fresh(document).revision_count) == ("draft", 0)

    h.act(document, "submit", s.DRAFTER)
    # While the Centre holds it, TCCB cannot go round it.
    with pytest.raises(AlreadyHandled):
        h.act(document, "submit_to_signer", s.DRAFTER)
    assert s.fresh(document).state == "submitted"

    h.act(document, "opinion", s.CENTRE, verdict=Verdict.AGREE)
    h.act(document, "submit_to_signer", s.DRAFTER)

    document = s.fresh(document)
    assert (document.state, document.revision_count) == ("endorsed", 2)
    assert h.open_task(document).flow_task.name == "sign"
    event = latest_event(document, "standards.standard.submitted_for_signature")
    assert (event.actor.username, event.from_state, event.to_state) == (
        s.DRAFTER,
        "returned",
        "endorsed",
    )
    assert {t.process.document.pk for t in selectors.my_tasks(h.person(h.MINISTER))} == {
        document.pk
    }


def test_submit_to_signer_before_any_opinion_is_invalid_input():
    document = s.make_standard("draft")
    with pytest.raises(InvalidInput):
        h.act(document, "submit_to_signer", s.DRAFTER)


def test_tccb_may_ask_for_a_new_opinion_after_revising():
    document = s.make_standard("returned")  # opinion: agree with comments
    s.fill(document, sections={**s.SECTIONS, "scope": "Phạm vi đã bổ sung."})

    h.act(document, "submit", s.DRAFTER)

    document = s.fresh(document)
    assert (document.state, document.revision_count) == ("submitted", 2)
    assert h.open_task(document).flow_task.name == "review"
    h.act(document, "opinion", s.CENTRE, verdict=Verdict.AGREE)
    document = s.fresh(document)
    assert document.state == "returned"
    assert list(
        Comment.objects.filter(document=document, action="opinion")
        .order_by("pk")
        .values_list("verdict", "revision__number")
    ) == [(Verdict.AGREE_WITH_COMMENTS, 1), (Verdict.AGREE, 2)]


def test_the_centre_gives_opinions_but_does_not_return_or_endorse():
    document = s.make_standard("submitted")
    for action in ("return", "endorse"):
        with pytest.raises(WorkflowError):
            h.act(document, action, s.CENTRE, comment="Trả lại.")
    assert s.fresh(document).state == "submitted"


# --- Signing ----------------------------------------------------------------------------


def test_signing_issues_the_standard_in_the_decisions_register():
    today = timezone.localdate()
    document = s.make_standard("endorsed")

    h.sign_and_issue(document, h.MINISTER)

    document = s.fresh(document)
    assert document.state == "issued"
    assert (document.register, document.number, document.number_year) == ("QĐ", 1, today.year)
    assert document.number_text == "01/QĐ-UBDT"
    assert (document.issued_on, document.signed_by.username) == (today, h.MINISTER)
    assert document.signed_on_behalf is False
    assert document.signed_revision == document.revisions.latest("number")
    assert document.signed_sha256 == document.signed_revision.sha256
    assert st.in_force() == Standard.objects.get(document=document)
    assert latest_event(document, "standards.standard.issued").data["number"] == "01/QĐ-UBDT"


@pytest.mark.usefixtures("vice_minister_delegation")
def test_a_vice_minister_signs_on_behalf_and_numbers_follow_on():
    first = s.make_standard("issued", title="Chuẩn thứ nhất")
    second = s.make_standard("issued", title="Chuẩn thứ hai", signer=h.VICE_MINISTER)
    assert (first.number_text, second.number_text) == ("01/QĐ-UBDT", "02/QĐ-UBDT")
    assert (second.signed_by.username, second.signed_on_behalf) == (h.VICE_MINISTER, True)


def test_the_decisions_register_is_shared_with_budget_estimates():
    from tests.budgeting import helpers as b

    estimate = b.make_estimate("issued")
    standard = s.make_standard("issued")
    assert (estimate.number_text, standard.number_text) == ("01/QĐ-UBDT", "02/QĐ-UBDT")


def test_signing_is_refused_once_the_effective_date_has_passed():
    today = timezone.localdate()
    document = s.make_standard("endorsed")  # effective today
    later = today + dt.timedelta(days=1)

    with s.today_is(later), pytest.raises(InvalidInput) as caught:
        h.act(document, "sign", h.MINISTER)

    assert len(caught.value.problems) == 1
    assert "is before the date of issue" in str(caught.value.problems[0])
    document = s.fresh(document)
    assert (document.state, document.number, document.number_text) == ("endorsed", None, "")
    assert not AuditEvent.objects.filter(
        document=document, action__in=["standards.standard.signed", "standards.standard.issued"]
    ).exists()

    # The signer returns it, TCCB sets a new date and submits it to the signer again (the
    # Centre's opinion stands); the refused attempt took no number from the register.
    with s.today_is(later):
        h.act(document, "return", h.MINISTER, comment="Đề nghị sửa ngày hiệu lực.")
        s.fill(document, effective_date=later)
        h.act(document, "submit_to_signer", s.DRAFTER)
        h.sign_and_issue(document, h.MINISTER)
    document = s.fresh(document)
    assert (document.state, document.number_text, document.issued_on) == (
        "issued",
        "01/QĐ-UBDT",
        later,
    )
    assert Standard.objects.get(document=document).effective_date == later


@pytest.mark.usefixtures("vice_minister_delegation")
def test_an_effective_date_of_the_signing_day_or_later_may_be_signed():
    today = timezone.localdate()
    document = s.make_standard("endorsed", effective_date=today + dt.timedelta(days=30))
    with s.today_is(today + dt.timedelta(days=30)):
        h.sign_and_issue(document, h.VICE_MINISTER)
    assert s.fresh(document).state == "issued"


def test_the_signer_may_return_and_tccb_resubmits_or_asks_again():
    document = s.make_standard("endorsed")
    with pytest.raises(InvalidInput):
        h.act(document, "return", h.MINISTER, comment="")
    h.act(document, "return", h.VICE_MINISTER, comment="Bổ sung đối tượng áp dụng.")
    document = s.fresh(document)
    assert (document.state, h.open_task(document).flow_task.name) == ("returned", "draft")

    h.act(document, "submit", s.DRAFTER)  # a new opinion on the revised text
    assert s.fresh(document).state == "submitted"


# --- In force and superseded ------------------------------------------------------------


def test_a_newer_standard_in_force_supersedes_the_older():
    old = s.make_standard("issued", title="Chuẩn năm trước")
    assert st.in_force().document == old

    new = s.make_standard("issued", title="Chuẩn mới")

    old, new = s.fresh(old), s.fresh(new)
    assert (old.state, new.state) == ("superseded", "issued")
    assert st.in_force().document == new
    event = latest_event(old, "standards.standard.superseded")
    assert (event.from_state, event.to_state, event.actor) == ("issued", "superseded", None)
    assert h.own_data(event) == {"by": new.pk, "by_number": "02/QĐ-UBDT"}
    # A superseded standard stays as issued: its number, text and signature are kept.
    assert (old.number_text, old.signed_sha256) != ("", "")


def test_a_standard_issued_for_later_supersedes_on_its_effective_date():
    today = timezone.localdate()
    old = s.make_standard("issued", title="Chuẩn đang áp dụng")
    starts = today + dt.timedelta(days=10)
    new = s.make_standard("issued", title="Chuẩn áp dụng sau", effective_date=starts)

    assert (s.fresh(old).state, s.fresh(new).state) == ("issued", "issued")
    assert st.in_force().document == old
    assert st.in_force(starts).document == new
    # The day before it takes effect nothing changes.
    with s.today_is(starts - dt.timedelta(days=1)):
        assert st.apply_supersession() == []
    assert s.fresh(old).state == "issued"

    with s.today_is(starts):
        done = st.apply_supersession()

    assert [d.pk for d in done] == [old.pk]
    assert (s.fresh(old).state, s.fresh(new).state) == ("superseded", "issued")
    with s.today_is(starts):
        assert st.in_force().document == new
    assert latest_event(old, "standards.standard.superseded").data["by"] == new.pk


def test_the_daily_command_applies_supersession():
    today = timezone.localdate()
    old = s.make_standard("issued", title="Chuẩn đang áp dụng")
    starts = today + dt.timedelta(days=3)
    s.make_standard("issued", title="Chuẩn áp dụng sau", effective_date=starts)

    out = io.StringIO()
    call_command("apply_standards", stdout=out)
    assert out.getvalue().strip() == "nothing to supersede"
    assert s.fresh(old).state == "issued"

    out = io.StringIO()
    with s.today_is(starts):
        call_command("apply_standards", stdout=out)
    assert out.getvalue().strip() == "superseded: 01/QĐ-UBDT Chuẩn đang áp dụng"
    assert s.fresh(old).state == "superseded"

    # Run again: nothing left to do, and no second event.
    out = io.StringIO()
    with s.today_is(starts):
        call_command("apply_standards", stdout=out)
    assert out.getvalue().strip() == "nothing to supersede"
    assert AuditEvent.objects.filter(action="standards.standard.superseded").count() == 1


def test_no_standard_is_in_force_before_the_first_takes_effect():
    today = timezone.localdate()
    assert st.in_force() is None
    assert st.apply_supersession() == []
    starts = today + dt.timedelta(days=5)
    document = s.make_standard("issued", effective_date=starts)
    assert st.in_force() is None
    assert st.in_force(starts).document == document
    # Drafts and standards awaiting signature are never in force.
    s.make_standard("endorsed", title="Chuẩn chờ ký")
    assert st.in_force() is None


# --- Revisions and their diff -------------------------------------------------------------


def test_the_diff_between_revisions_shows_the_matrix_and_sections():
    document = s.make_standard("returned")
    s.fill(
        document,
        sections={**s.SECTIONS, "scope": "Công chức, viên chức và người lao động."},
        matrix=matrix_with(RequirementRow("CHUYENVIEN", "advanced", ["IU07", "IU08", "IU10"])),
    )
    h.act(document, "submit", s.DRAFTER)
    first, second = s.fresh(document).revisions.order_by("number")

    changes = content.diff(SCHEMA, first.content, second.content)

    assert changes["empty"] is False
    assert changes["title"] is None
    assert changes["fields"] == []
    assert [(c["key"], c["status"], c["old"], c["new"]) for c in changes["sections"]] == [
        (
            "scope",
            "changed",
            "Công chức, viên chức của Ủy ban Dân tộc.",
            "Công chức, viên chức và người lao động.",
        )
    ]
    assert [t["key"] for t in changes["tables"]] == ["matrix"]
    (row,) = changes["tables"][0]["rows"]
    assert (row["uid"], row["status"], row["name"]) == ("CHUYENVIEN", "changed", "Chuyên viên")
    assert [(str(c["label"]), c["old"], c["new"]) for c in row["cells"]] == [
        ("Requirement", "Basic certificate (IU01–IU06)", str(Requirement.Level.ADVANCED.label)),
        ("Advanced modules", "", "IU07, IU08, IU10"),
    ]


def test_the_diff_shows_fields_rows_added_and_removed():
    today = timezone.localdate()
    document = s.make_standard("returned")
    later = today + dt.timedelta(days=60)
    s.fill(
        document,
        effective_date=later,
        months_to_comply=24,
        matrix=[r for r in s.MATRIX if r.group != "HANHCHINH"],
        items=[*s.ITEMS[:2], ItemRow("IU08.1", "Lập bảng tính dự toán.")],
    )
    h.act(document, "submit", s.DRAFTER)
    first, second = s.fresh(document).revisions.order_by("number")

    changes = content.diff(SCHEMA, first.content, second.content)

    assert [(str(f["label"]), f["new"]) for f in changes["fields"]] == [
        ("Effective date", content.format_value(SCHEMA.fields[0], later.isoformat())),
        ("Months allowed to comply", "24"),
    ]
    tables = {t["key"]: t for t in changes["tables"]}
    assert [(r["uid"], r["status"]) for r in tables["matrix"]["rows"]] == [("HANHCHINH", "removed")]
    assert [(r["uid"], r["status"]) for r in tables["items"]["rows"]] == [
        ("IU08.1", "added"),
        ("IU14.2", "removed"),
    ]
    # Nothing changed: an empty diff.
    assert content.diff(SCHEMA, second.content, second.content)["empty"] is True
