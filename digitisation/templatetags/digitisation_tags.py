from django import template

register = template.Library()


@register.filter
def figure(figures: dict, name: str) -> int:
    """One named figure of a row of the progress page."""
    return figures.get(name, 0)
