"""The one approval flow, shared by every document kind.

viewflow routes the human tasks (who holds the document now) while the document's own
lifecycle (django-fsm) says what state it is in. The services move both in the same
transaction; the gates below read the state the service has just set.
"""

from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from viewflow import this
from viewflow.workflow import flow, lock

from .models import State


class TaskPage(RedirectView):
    """viewflow needs a view per human task; the product's own document pages do the
    work (see workflows/views.py), so viewflow's task URLs are never mounted."""

    pattern_name = "workflows:my_work"


def _kind_permission(attr: str):
    def permission(activation) -> str:
        return getattr(activation.process.document.kind_config, attr)

    return permission


class DocumentFlow(flow.Flow):
    """Document approval

    Draft and revise in the drafting unit, review in the reviewing unit, sign by the
    Minister or a Vice-Minister on delegation, issue by the Office."""

    process_title = _("Document approval")
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Annotation(title=_("Created")).Next(this.draft)

    draft = (
        flow.View(TaskPage)
        .Annotation(
            title=_("Draft or revise"), description=_("The drafting unit edits and submits.")
        )
        .Permission(_kind_permission("draft_permission"))
        .Next(this.after_draft)
    )

    after_draft = (
        flow.If(this.is_submitted_for_review)
        .Annotation(title=_("To review or to signature?"))
        .Then(this.review)
        .Else(this.sign)
    )

    review = (
        flow.View(TaskPage)
        .Annotation(
            title=_("Review"),
            description=_(
                "The reviewing unit returns the document with comments or endorses it, "
                "or gives its opinion."
            ),
        )
        .Permission(_kind_permission("review_permission"))
        .Next(this.after_review)
    )

    after_review = (
        flow.If(this.is_endorsed).Annotation(title=_("Endorsed?")).Then(this.sign).Else(this.draft)
    )

    sign = (
        flow.View(TaskPage)
        .Annotation(
            title=_("Sign"),
            description=_(
                "The Minister, or a Vice-Minister on delegation, signs the PDF or returns."
            ),
        )
        .Permission(_kind_permission("sign_permission"))
        .Next(this.after_sign)
    )

    after_sign = (
        flow.If(this.is_signed).Annotation(title=_("Signed?")).Then(this.issue).Else(this.draft)
    )

    issue = (
        flow.View(TaskPage)
        .Annotation(
            title=_("Issue"),
            description=_(
                "The Office registers the number, date and recipients and applies the "
                "Committee's seal."
            ),
        )
        .Permission(_kind_permission("issue_permission"))
        .Next(this.end)
    )

    end = flow.End().Annotation(title=_("Issued"))

    def start_process(self, activation, document):
        activation.process.save()
        document.process = activation.process
        document.save(update_fields=["process"])
        return activation.process

    def is_submitted_for_review(self, activation) -> bool:
        return activation.process.document.state == State.SUBMITTED

    def is_endorsed(self, activation) -> bool:
        return activation.process.document.state == State.ENDORSED

    def is_signed(self, activation) -> bool:
        return activation.process.document.state == State.SIGNED


HUMAN_NODES = ("draft", "review", "sign", "issue")
