from django.urls import reverse

from . import views


class VerifyUploadMiddleware:
    """The public /verify/ upload is guarded before any other middleware reads the body
    (NfcInputMiddleware composes every POST, which parses it): an oversized or
    rate-limited upload is never read, and an accepted one is kept in memory only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path == reverse("verification:verify"):
            refused = views.upload_guard(request)
            if refused is not None:
                return refused
        return self.get_response(request)
