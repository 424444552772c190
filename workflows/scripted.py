"""Steps the command line takes on people's behalf (the demo loader): the signature and
the issue as the Minister and the Office would take them, and any run of steps a demo
document takes on its way."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from signing import step_up

from . import services
from .models import Document, State

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


def document_take(*, document_id: int, steps: list[tuple[str, object]]) -> Document:
    """Take each (action, person) step through the engine, as they would in the browser:
    a reviewer or signer has read the latest revision, a signer has just re-authenticated.
    Stops early at an issued document."""
    for action, user in steps:
        document = Document.objects.get(pk=document_id)
        if document.state == State.ISSUED:
            break
        if action in ("endorse", "sign"):
            latest = document.revisions.order_by("-number").first()
            services.revision_mark_seen(user=user, document=document, revision_number=latest.number)
        session = step_up.scripted_session() if action == "sign" else None
        services.document_act(user=user, document_id=document_id, action=action, session=session)
    return Document.objects.get(pk=document_id)
