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
