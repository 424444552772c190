"""Sessions end after `SESSION_COOKIE_AGE` (SESSION_IDLE_MINUTES) without a request.

Django's way, `SESSION_SAVE_EVERY_REQUEST`, writes the session row on every page view: a
write transaction for each GET, which on PostgreSQL waits for the WAL flush and on
SQLite holds the database's only write lock, so that reading pages queues behind one
another. Here a session is renewed at most once per `SESSION_RENEW_SECONDS` (60) of use:
it then ends between 29 and 30 minutes (for 30) after the last request, never later."""

from __future__ import annotations

import time

from django.conf import settings

_KEY = "_renewed_at"


def signed_in(sender, request, user, **kwargs) -> None:
    """Signing in saves the session anyway: it counts as renewed then (user_logged_in)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[_KEY] = int(time.time())


class SessionRenewalMiddleware:
    """After Django's SessionMiddleware, so that its response hook saves what this marks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.session_key or session.is_empty():
            return response  # nobody signed in: no session to keep alive, none to create
        now = int(time.time())
        if session.modified or now - session.get(_KEY, 0) >= settings.SESSION_RENEW_SECONDS:
            session[_KEY] = now  # saved by SessionMiddleware, with a new expiry date
        return response
