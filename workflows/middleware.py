from . import content


class MoneyUnitMiddleware:
    """Amounts in đồng or in triệu đồng, as the person last chose (?money=million|dong);
    the choice is kept in the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.GET.get("money")
        session = getattr(request, "session", None)
        if chosen in ("dong", "million") and session is not None:
            session["money_unit"] = chosen
        unit = session.get("money_unit", "dong") if session is not None else "dong"
        request.money_unit = unit
        with content.money_unit(unit):
            return self.get_response(request)
