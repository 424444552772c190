import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisation import roles
from signing import step_up
from tests.factories import PASSWORD, PersonFactory
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 12, 2, 5, 0, tzinfo=dt.UTC)


@pytest.fixture
def minister():
    return PersonFactory(role=roles.MINISTER)


def actions(person):
    return list(AuditEvent.objects.filter(actor_id=person.pk).values_list("action", flat=True))


def code(device, at=NOON):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at.timestamp()
    return f"{totp.token():0{device.digits}d}"


def test_password_step_up_allows_one_signature_within_five_minutes(minister):
    session = SessionStore()
    with time_machine.travel(NOON, tick=False):
        until = step_up.signing_step_up(user=minister, session=session, password=PASSWORD)
    assert until == NOON + dt.timedelta(minutes=5)

    with time_machine.travel(NOON + dt.timedelta(minutes=4, seconds=59), tick=False):
        step_up.signing_step_up_consume(session, user=minister)
        # One signature only: the second needs a new step-up.
        with pytest.raises(step_up.StepUpRequired):
            step_up.signing_step_up_consume(session, user=minister)

    assert actions(minister) == [step_up.PASSED, step_up.CONSUMED]


def test_step_up_expires_after_five_minutes(minister):
    session = SessionStore()
    with time_machine.travel(NOON, tick=False):
        step_up.signing_step_up(user=minister, session=session, password=PASSWORD)
    with time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False):
        assert step_up.signing_step_up_valid_until(session) is None
        with pytest.raises(step_up.StepUpRequired):
            step_up.signing_step_up_consume(session, user=minister)


def test_no_step_up_means_no_signature():
    with pytest.raises(step_up.StepUpRequired):
        step_up.signing_step_up_consume(SessionStore())


def test_wrong_password_is_refused_in_the_users_language_and_audited(minister):
    session = SessionStore()
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        step_up.signing_step_up(user=minister, session=session, password="wrong")
    with translation.override("en"), pytest.raises(ValidationError) as refused_en:
        step_up.signing_step_up(user=minister, session=session, password="")

    assert refused_en.value.messages == ["The password is wrong. Try again."]
    assert refused.value.code == "step_up_failed"
    assert step_up.SESSION_KEY not in session
    assert actions(minister) == [step_up.FAILED, step_up.FAILED]


def test_a_failed_attempt_cancels_a_step_up_in_force(minister):
    session = SessionStore()
    step_up.signing_step_up(user=minister, session=session, password=PASSWORD)
    with pytest.raises(ValidationError):
        step_up.signing_step_up(user=minister, session=session, password="wrong")
    with pytest.raises(step_up.StepUpRequired):
        step_up.signing_step_up_consume(session)


def test_enrolled_person_needs_a_totp_code(minister):
    device = TOTPDevice.objects.create(user=minister, name="phone", confirmed=True)
    session = SessionStore()
    with time_machine.travel(NOON, tick=False):
        # The password alone no longer suffices once enrolled.
        with pytest.raises(ValidationError, match="authentication code|Mã xác thực"):
            step_up.signing_step_up(user=minister, session=session, password=PASSWORD)
        with pytest.raises(ValidationError):
            step_up.signing_step_up(
                user=minister, session=session, otp_token=f"{(int(code(device)) + 1) % 10**6:06d}"
            )
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    with time_machine.travel(NOON, tick=False):
        until = step_up.signing_step_up(user=minister, session=session, otp_token=code(device))
        step_up.signing_step_up_consume(session, user=minister)

    assert until == NOON + dt.timedelta(minutes=5)
    assert actions(minister) == [
        step_up.FAILED,
        step_up.FAILED,
        step_up.PASSED,
        step_up.CONSUMED,
    ]


def test_unconfirmed_totp_device_falls_back_to_the_password(minister):
    TOTPDevice.objects.create(user=minister, name="phone", confirmed=False)
    step_up.signing_step_up(user=minister, session=SessionStore(), password=PASSWORD)
