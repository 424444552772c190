"""Steps the command line takes on people's behalf (the demo loader): the signature and
the issue as the Minister and the Office would take them."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from signing import step_up

from . import services
from .models import Document

OFFICE_CLERK = "vanthu.vp"


def document_sign_and_issue(*, signer, document_id: int, clerk=None) -> Document:
    """Sign (the step-up granted as to a signer who has just re-authenticated: whoever
    runs the command has the server's shell) and issue through the engine's services.
    The clerk is the demo's Office clerk unless given."""
    clerk = clerk or get_user_model().objects.get(username=OFFICE_CLERK)
    services.document_act(
        user=signer,
        document_id=document_id,
        action="sign",
        session=step_up.scripted_session(),
    )
    return services.document_act(user=clerk, document_id=document_id, action="issue")
