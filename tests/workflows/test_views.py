"""The engine's pages answering bad input: each refusal says what is wrong, in the
reader's language, with numbers formatted for it."""

import pytest
from django.test import Client

from tests.workflows import helpers as h
from workflows.models import Comment


@pytest.fixture
def reviewer_on_submitted_plan(demo_org):
    document = h.make_plan("submitted")
    client = Client()
    client.force_login(h.person(h.REVIEWER))
    return client, document


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("x" * 5001, "Ý kiến dài tối đa 5.000 ký tự (bạn đã nhập 5.001)"),
        ("", "Vui lòng nhập ý kiến góp ý trước khi gửi."),
        ("a\x00b", "Không được có ký tự rỗng"),
    ],
    ids=["too-long", "empty", "null-character"],
)
def test_a_refused_comment_says_why(reviewer_on_submitted_plan, body, expected):
    client, document = reviewer_on_submitted_plan
    before = Comment.objects.count()
    response = client.post(f"/documents/{document.pk}/comment/", {"body": body})
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert Comment.objects.count() == before


def test_a_comment_of_exactly_the_limit_is_saved(reviewer_on_submitted_plan):
    client, document = reviewer_on_submitted_plan
    response = client.post(f"/documents/{document.pk}/comment/", {"body": "x" * 5000})
    assert response.status_code == 302
    assert Comment.objects.filter(document=document, body="x" * 5000).exists()


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        (
            {"action": "return", "comment": "x" * 5001},
            "Ý kiến góp ý: Nội dung dài 5.001 ký tự: vui lòng rút gọn còn tối đa 5.000 ký tự.",
        ),
        ({"action": "return", "version": "x"}, "Trang chưa đầy đủ hoặc đã bị thay đổi"),
    ],
    ids=["comment-too-long", "page-altered"],
)
def test_a_refused_action_says_which_field_is_wrong_and_how_to_fix_it(
    reviewer_on_submitted_plan, posted, expected
):
    client, document = reviewer_on_submitted_plan
    task = h.open_task(document)
    data = {"version": document.version, **posted}
    response = client.post(f"/documents/{document.pk}/act/{task.pk}/", data)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert h.open_task(document).pk == task.pk  # nothing was done
