"""Step-up authentication before a signature: the signer proves again who they are (their
TOTP code when enrolled with django-otp, otherwise their password) and earns ONE signature
within five minutes. A stolen, unattended session therefore cannot sign anything."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from workflows import audit

STEP_UP_VALIDITY = dt.timedelta(minutes=5)
SESSION_KEY = "signing_step_up_until"

PASSED = audit.register_action(
    "signing.step_up.passed", gettext_lazy("Re-authentication for signing passed")
)
FAILED = audit.register_action(
    "signing.step_up.failed", gettext_lazy("Re-authentication for signing failed")
)
CONSUMED = audit.register_action(
    "signing.step_up.consumed", gettext_lazy("Re-authentication used for a signature")
)


class StepUpRequired(ValidationError):
    """No valid step-up in this session: re-authenticate before signing."""


def _totp_devices(user) -> list[TOTPDevice]:
    return [d for d in devices_for_user(user, confirmed=True) if isinstance(d, TOTPDevice)]


def signing_step_up_method(user) -> str:
    """What the sign page asks for: "totp" when the person is enrolled, else "password"."""
    return "totp" if _totp_devices(user) else "password"


def scripted_session() -> dict:
    """A step-up for code that signs on a person's behalf from the command line (the
    demo loader): whoever runs it has the server's shell, which is more than a step-up
    proves. Never reachable from a request."""
    return {SESSION_KEY: (timezone.now() + STEP_UP_VALIDITY).isoformat()}


def signing_step_up(
    *,
    user,
    session,
    password: str | None = None,
    otp_token: str | None = None,
    ip: str | None = None,
) -> dt.datetime:
    """Check the second proof and record in ``session`` a step-up valid for one signature
    until the returned moment. A person enrolled in TOTP must give a code: their password
    alone no longer suffices, since it is what a stolen session's owner typed last."""
    devices = _totp_devices(user)
    if devices:
        method = "totp"
        # verify_token throttles repeated failures per device (django-otp's ThrottlingMixin).
        ok = bool(otp_token) and any(d.verify_token(otp_token.strip()) for d in devices)
        message = _("The authentication code is wrong or has expired. Try again.")
    else:
        method = "password"
        ok = bool(password) and user.check_password(password)
        message = _("The password is wrong. Try again.")
    if not ok:
        session.pop(SESSION_KEY, None)
        audit.record(action=FAILED, actor=user, data={"method": method}, ip=ip)
        raise ValidationError(message, code="step_up_failed")
    until = timezone.now() + STEP_UP_VALIDITY
    session[SESSION_KEY] = until.isoformat()
    audit.record(
        action=PASSED, actor=user, data={"method": method, "until": until.isoformat()}, ip=ip
    )
    return until


def signing_step_up_valid_until(session) -> dt.datetime | None:
    """When this session's step-up expires, or None when there is none in force."""
    raw = session.get(SESSION_KEY)
    if not raw:
        return None
    until = dt.datetime.fromisoformat(raw)
    return until if timezone.now() < until else None


def signing_step_up_consume(session, *, user=None, ip: str | None = None) -> None:
    """Use up the step-up for one signature; raise StepUpRequired when there is none.
    Called right before signing, so a second signature needs a new step-up."""
    until = signing_step_up_valid_until(session)
    session.pop(SESSION_KEY, None)
    if until is None:
        raise StepUpRequired(
            _("Confirm your identity again (password or authentication code) to sign."),
            code="step_up_required",
        )
    audit.record(action=CONSUMED, actor=user, data={"until": until.isoformat()}, ip=ip)
