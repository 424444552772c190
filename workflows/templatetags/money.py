"""The template side of workflows/money.py: every amount a page shows goes through these,
so figures and the unit named beside them always agree.

    {% load money %}
    {{ line.amount|money }}                      1,5           (under a header naming the unit)
    {{ estimate_total|money_with_unit }}         1,5 triệu đồng
    {{ _("Planned cost")|money_header }}         Kinh phí kế hoạch (triệu đồng)
    {% money_switch %}                           the đồng / triệu đồng switch
"""

from django import template

from workflows import money as units

register = template.Library()


def _blank(value) -> bool:
    return value is None or value == ""


@register.filter
def money(value) -> str:
    return "" if _blank(value) else units.amount(value)


@register.filter
def money_with_unit(value) -> str:
    return "" if _blank(value) else units.with_unit(value)


@register.filter
def money_header(label) -> str:
    return units.header(label)


@register.simple_tag
def money_unit_label() -> str:
    return units.unit_label()


@register.inclusion_tag("includes/money_switch.html", takes_context=True)
def money_switch(context):
    """Links to the same page in each unit, keeping the page's other parameters (the
    revisions compared, a list's filters)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    choices = []
    for unit in units.UNITS:
        link = ""
        if query is not None:
            query["money"] = unit
            link = query.urlencode()
        choices.append(
            {
                "unit": unit,
                "label": units.unit_label(unit),
                "query": link,
                "active": unit == units.active_unit(),
            }
        )
    return {"choices": choices}
