"""Production settings: every secret and host comes from the environment.

Importing this module fails loudly, rather than starting an insecure server, when DEBUG
is on, the SECRET_KEY is missing, short or a known default, or no DATABASE_URL is set.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env

IS_PRODUCTION = True

if env.bool("DEBUG", default=False):
    raise ImproperlyConfigured("DEBUG must be off in production: unset DEBUG.")
DEBUG = False

_INSECURE_PREFIXES = ("django-insecure", "changeme", "secret", "dev")
if (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.lower().startswith(_INSECURE_PREFIXES)
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in "
        "production (for example: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

if not env("DATABASE_URL", default=""):
    raise ImproperlyConfigured("DATABASE_URL must point at the production PostgreSQL database.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# The demo keys are public (signing/pki/): a signature made with them proves nothing. The
# system checks (signing/checks.py) also refuse demo certificates in any other backend.
if env("SIGNING_BACKEND", default="demo") == "demo":
    raise ImproperlyConfigured(
        "SIGNING_BACKEND must be pkcs12, pkcs11 or remote in production: the demo keys are "
        "public (README, 'Signing keys')."
    )

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Monitoring may ask gunicorn directly on loopback, without TLS (README, "Deploying").
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading binds every subdomain of the ministry's domain to HTTPS for good: a decision
# for the ministry's network team (SECURE_HSTS_PRELOAD=true), not for this app (README).
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

STORAGES = {
    **STORAGES,  # noqa: F405 - uploaded files as base.py chooses (local or S3)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
SERVER_EMAIL = env("SERVER_EMAIL", default=env("DEFAULT_FROM_EMAIL", default="khcntt@ubdt.gov.vn"))
ADMINS = [("Admin", a) for a in env.list("ADMIN_EMAILS", default=[])]
