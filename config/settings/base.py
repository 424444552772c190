"""Settings shared by every environment.

Values that differ between a laptop and a ministry server come from environment
variables (see README, "Configuration"); `dev.py` and `production.py` only override.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

IS_PRODUCTION = False

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "axes",
    "huey.contrib.djhuey",
    "viewflow",
    "viewflow.workflow",
    "organisation",
    "worktime",
    "workflows",
    "planning",
    "budgeting",
    "standards",
    "reporting",
    "reminders",
    "dashboard",
    "followup",
    "delegation",
    "leave",
    "deadlines",
    "outbox",
    # Step-up authentication before signing (signing.step_up).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "digitisation",
    # The public verification of issued PDFs (/verify/, manage.py verify_pdf).
    "verification",
    "reports",
    # Signing keys' start-up checks, demo_pki, the signed audit checkpoints.
    "signing",
    "individual",
    "training",
    "evaluation",
    # The signed PDF through both signatures, and its dispatch to the recipient units.
    "issuance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files may be cached), before everything that answers.
    "config.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "organisation.session_renewal.SessionRenewalMiddleware",
    "config.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Before anything reads a body: the public /verify/ upload's rate limit, size cap
    # and memory-only parsing.
    "verification.middleware.VerifyUploadMiddleware",
    # Before every view, form and the admin: what was typed, composed to NFC.
    "config.middleware.NfcInputMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A count the header and the page both show is read once per request.
    "organisation.request_memo.RequestMemoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "workflows.audit_hooks.AuditDeniedMiddleware",
    "workflows.middleware.MoneyUnitMiddleware",
    # A stored PDF whose file is gone or changed: a page saying so (503), never a 500.
    "issuance.middleware.PdfUnavailableMiddleware",
    # Axes must come last so it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organisation.context_processors.person",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL comes in through DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}


def _tune_sqlite(db: dict) -> None:
    """WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at
    BEGIN so two concurrent submits queue behind busy_timeout instead of failing with
    'database is locked' half-way through a transaction."""
    if db["ENGINE"] != "django.db.backends.sqlite3":
        return
    options = db.setdefault("OPTIONS", {})
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("timeout", 20)
    options.setdefault(
        "init_command",
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
        "PRAGMA foreign_keys=ON;",
    )


_tune_sqlite(DATABASES["default"])
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "organisation.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock an account out after repeated failures, for a time the message states.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
# Lock the account for the address the failures came from: colleagues behind the
# same ministry NAT are not locked out together, and one address cannot lock everyone.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "organisation.auth.lockout_response"
AXES_USERNAME_CALLABLE = "organisation.auth.attempted_username"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None
# Lockouts count per client address as the audit trail records it (behind nginx, not
# nginx's own address, which would lock a name out for everyone).
AXES_CLIENT_IP_CALLABLE = "workflows.audit.client_ip"
AXES_ENABLE_ADMIN = True

# Sessions end after this much inactivity: a request renews the session, at most once a
# minute (organisation.session_renewal, not a write per page view).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers -----------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Uploads ---------------------------------------------------------------------------
# Django's defaults, stated: form fields (not files) may total 2.5 MB; an uploaded file
# larger than 2.5 MB is streamed to a temporary file instead of memory. The budget import
# accepts XLSX files of up to 5 MB and refuses larger ones itself with a clear message
# (budgeting.spreadsheets.MAX_BYTES), so there is no Django limit on file size to hit;
# cap request bodies at the web server a little above that (e.g. nginx
# `client_max_body_size 10m`).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# The public /verify/ page: verifications per client address and window (seconds),
# counted in the cache; its upload cap is signing.verification.MAX_BYTES (20 MB).
VERIFY_RATE_LIMIT = (env.int("VERIFY_RATE_LIMIT", default=30), 600)

# --- Language, time and number formats ------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "ubdt_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# Uploaded files are never served as static files: the views that own them check who may
# read them and stream them (no MEDIA_URL is served).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "config.staticfiles.ServedAppDirectoriesFinder",
]
# viewflow's own frontend is never served (our pages and our copy of its flow-chart
# template need none of it), and its CSS names fonts its wheel lacks: config/staticfiles.py.
STATICFILES_SKIP_APPS = ["viewflow", "viewflow.workflow"]
# Uploaded files (evidence, signature images, signed PDFs) go through Django's storage API:
# local files under MEDIA_ROOT by default; S3-compatible object storage (django-storages)
# when S3_BUCKET is set, so that every app server of a deployment sees the same files.
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
            "region_name": env("S3_REGION", default="") or None,
            "access_key": env("S3_ACCESS_KEY", default="") or None,
            "secret_key": env("S3_SECRET_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The cache (rate limits, anything one request leaves for the next) must be shared by
# every web process of a deployment: Redis when CACHE_REDIS_URL is set, otherwise the
# process's own memory, which is right only for one process (the demo, the tests).
CACHE_REDIS_URL = env("CACHE_REDIS_URL", default="")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": "ubdt",
        }
        if CACHE_REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Mail -----------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="khcntt@ubdt.gov.vn")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Task queue (huey) -----------------------------------------------------------------
# Embedded by default: a SQLite file beside the database, so `./scripts/demo.sh` needs no
# other server. Production sets HUEY_REDIS_URL and runs any number of workers
# (deploy/ubdt-worker.service) against the same Redis.
HUEY_REDIS_URL = env("HUEY_REDIS_URL", default="")
# With several workers, the schedule (periodic tasks) may run on one only: HUEY_PERIODIC=false
# on the others. Running it twice does no harm (every periodic job is idempotent).
# Tasks run in the calling process, on commit, with no worker (the benchmarks).
_HUEY_IMMEDIATE = env.bool("HUEY_IMMEDIATE", default=False)
_HUEY_CONSUMER = {
    "workers": env.int("HUEY_WORKERS", default=2),
    "worker_type": "thread",
    "periodic": env.bool("HUEY_PERIODIC", default=True),
}
if HUEY_REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env("HUEY_NAME", default="ubdt"),
        "url": HUEY_REDIS_URL,
        "immediate": _HUEY_IMMEDIATE,
        "utc": True,
        "consumer": _HUEY_CONSUMER,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": env("HUEY_NAME", default="ubdt"),
        "filename": env("HUEY_SQLITE_PATH", default=str(BASE_DIR / "huey.sqlite3")),
        "immediate": _HUEY_IMMEDIATE,
        "utc": True,
        "consumer": _HUEY_CONSUMER,
    }
# The outbox (outbox/services.py): exponential back-off from 1 minute, capped at an hour,
# failed after 10 attempts (about 4 hours of a mail server down); a row a worker claimed
# and never finished is retried after 10 minutes.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_RETRY_BASE_SECONDS = 60
OUTBOX_RETRY_CAP_SECONDS = 3600
OUTBOX_CLAIM_TIMEOUT_SECONDS = 600
# Far below the claim timeout, so a hung SMTP conversation ends before another worker
# takes its row over.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=60)
# The inspectorate's addresses: the worker mails them the audit chain's head every day.
AUDIT_HEAD_EMAILS = env.list("AUDIT_HEAD_EMAILS", default=[])

# --- Signing keys (signing/keys.py, signing/backends/; README, "Signing keys") -----------
# Secrets are NOT here: passphrases, the token PIN and the remote service's token are read
# from the environment when a key is opened (SIGNING_PKCS12_PASSPHRASE[_<KEY>],
# SIGNING_PKCS11_PIN, SIGNING_REMOTE_TOKEN).
SIGNING = {
    "BACKEND": env("SIGNING_BACKEND", default="demo"),
    "PKCS12_DIR": env("SIGNING_PKCS12_DIR", default=""),
    "PKCS11_MODULE": env("SIGNING_PKCS11_MODULE", default=""),
    "PKCS11_TOKEN_LABEL": env("SIGNING_PKCS11_TOKEN_LABEL", default=""),
    "REMOTE_URL": env("SIGNING_REMOTE_URL", default=""),
    "TSA_URL": env("SIGNING_TSA_URL", default=""),
    "TRUST_ROOTS": env.list("SIGNING_TRUST_ROOTS", default=[]),
    "CERTS": env.list("SIGNING_CERTS", default=[]),
    "CRLS": env.list("SIGNING_CRLS", default=[]),
    "FETCH_REVOCATION": env.bool("SIGNING_FETCH_REVOCATION", default=False),
    # The Committee's red seal as a PNG (signing.images); a drawn one when empty.
    "SEAL_IMAGE": env("SIGNING_SEAL_IMAGE", default=""),
}

# --- viewflow -------------------------------------------------------------------------
VIEWFLOW = {}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each rendering step (and its stylesheets at import) at INFO.
        "weasyprint": {"level": "WARNING"},
        # fontTools reports every table it prunes when the PDF's fields are filled.
        "fontTools": {"level": "ERROR"},
    },
}
