from django import template

from workflows import audit

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return audit.action_label(code)


@register.filter
def lookup(mapping, key):
    """{{ comments_by_anchor|lookup:"section:basis" }}: templates cannot index by variable."""
    if not mapping:
        return []
    return mapping.get(key, [])


@register.simple_tag
def anchor(*parts) -> str:
    return ":".join(str(p) for p in parts)


@register.filter
def state_label(value: str) -> str:
    from workflows.models import State

    if not value:
        return "—"
    try:
        return State(value).label
    except ValueError:
        return value


# Days left from which a due date is shown as near (amber rather than green).
DUE_SOON_DAYS = 2


def _calendar_and_today(context):
    """One working calendar and one "today" per request, however many rows a list
    shows: the calendar reads the day swaps in one query."""
    from worktime.calendar import WorkingCalendar, today

    request = context.get("request")
    cached = getattr(request, "_due_calendar", None)
    if cached is None:
        cached = (WorkingCalendar.load(), today())
        if request is not None:
            request._due_calendar = cached
    return cached


@register.inclusion_tag("workflows/includes/due.html", takes_context=True)
def due_status(context, due_on):
    """The due date of a task or document with its status in words and in colour: the
    one rendering every list and page uses."""
    if not due_on:
        return {"due": None}
    calendar, on = _calendar_and_today(context)
    status = calendar.status(due_on, on)
    css = status.kind
    if status.kind == status.LEFT and status.days <= DUE_SOON_DAYS:
        css = "soon"
    return {"due": {"on": due_on, "kind": status.kind, "css": css, "words": status.words()}}
