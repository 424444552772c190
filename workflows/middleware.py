from . import money


class MoneyUnitMiddleware:
    """Amounts in đồng or in triệu đồng, as the person last chose (?money=million|dong);
    the choice is kept in the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = money.clean_unit(request.GET.get("money"))
        session = getattr(request, "session", None)
        if chosen and session is not None:
            session["money_unit"] = chosen
        stored = session.get("money_unit") if session is not None else None
        unit = money.clean_unit(stored) or money.DONG
        request.money_unit = unit
        with money.money_unit(unit):
            return self.get_response(request)
