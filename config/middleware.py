from django.conf import settings
from django.http import QueryDict
from django.utils import translation
from django.utils.cache import patch_vary_headers

from organisation.text import nfc


class LanguageMiddleware:
    """Vietnamese unless the person chose otherwise with the language switch.

    Django's LocaleMiddleware also follows the browser's Accept-Language, which would show
    English to every civil servant whose browser happens to be in English; here only the
    explicit choice (the language cookie) counts."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """No browser or proxy keeps a copy of a private page or an export.

    On a shared office computer the next person could otherwise open the last one's
    documents from the browser's cache (Back button, history), and a proxy could hand them
    to someone else. Every response to a signed-in person, and every file download
    (Content-Disposition: attachment) whoever asks, is sent with `Cache-Control: no-store,
    private` — unless the view chose its own header: Django's `never_cache` (the sign-in
    page, whose CSRF token must not be reused from a cache; /healthz; the admin) is
    stricter still and is kept as it is.

    Anonymous responses otherwise keep their caching: static files never get here
    (WhiteNoise answers them first, with long-lived headers for hashed names), and the
    redirect to the sign-in page holds nothing private. The middleware sits just after
    WhiteNoise so that responses made by the middleware below it (the CSRF refusal, the
    lockout page, the redirect to sign in) are covered too."""

    VALUE = "no-store, private"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        download = response.get("Content-Disposition", "").startswith("attachment")
        if signed_in or download:
            response["Cache-Control"] = self.VALUE
        return response


def _composed(data: QueryDict) -> QueryDict:
    """The submitted values in NFC, passwords excepted: a password is compared by its
    hash, and the hashes kept were made from what people typed, as they typed it."""
    if all(nfc(k) == k and all(nfc(v) == v for v in vs) for k, vs in data.lists()):
        return data
    composed = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        kept = values if "password" in key else [nfc(v) for v in values]
        composed.setlist(nfc(key), kept)
    composed._mutable = False
    return composed


class NfcInputMiddleware:
    """Every value a browser submits (a form, the admin, a search or filter in the query
    string) reaches the views in NFC. Some keyboards and text copied from PDFs send
    decomposed Unicode (NFD), which looks the same but compares unequal: stored as typed,
    a search in NFC then misses it, and the reverse. One boundary for every form rather
    than a rule each form must remember. Uploaded files are not text: the spreadsheet
    import composes its cells itself (budgeting/spreadsheets.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _composed(request.GET)
        if request.method == "POST":
            request.POST = _composed(request.POST)
        return self.get_response(request)
