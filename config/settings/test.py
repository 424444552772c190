"""Settings for the test suite: the dev settings with a fast password hasher."""

import tempfile

from .dev import *  # noqa: F403

# Uploads of the tests (demo evidence, signature images) go to a throw-away directory.
MEDIA_ROOT = tempfile.mkdtemp(prefix="ubdt-test-media-")

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Static files are served by WhiteNoise from the finders in the live server.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
AUDIT_ALLOW_FLUSH = True
# Tasks run in the calling thread, against huey's in-memory storage; the tests that need
# a real worker start one themselves (tests/worktime/…, marker "redis").
HUEY = {"huey_class": "huey.MemoryHuey", "name": "ubdt-test", "immediate": True, "utc": True}
# Page query records (tests/perf): "once" creates a missing record; CI sets "none" so a
# page without one fails; "overwrite" records again after a deliberate change.
PERF_REC = {"MODE": env("PERF_REC_MODE", default="once")}  # noqa: F405
# Sessions are renewed at most once an hour here (60 s in production), so that a test
# counting a page's queries does not meet a renewal because the machine was slow;
# tests/organisation/test_session_renewal.py sets the real interval.
SESSION_RENEW_SECONDS = 3600
