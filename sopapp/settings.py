"""Settings for SOP Aplikasi, read from the environment (see README, "Konfigurasi")."""

import importlib.util
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sopapp.env import env_bool, env_int, env_list, env_str, env_time

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env_list(
        "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"]
    )
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", required=True)
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters long.")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG=False.")

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_fsm",
    # Before django_tasks_db: its `db_worker` command is extended by reports' (self-healing).
    "reports",
    "django_tasks",
    "django_tasks_db",
    "requests_intake",
    "workflow",
    "catalogue",
    "instance",
    "signing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sopapp.middleware.SessionRefreshMiddleware",
    "sopapp.middleware.OfficeLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sopapp.middleware.ErrorPagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "sopapp.urls"

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
                "workflow.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "sopapp.wsgi.application"

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A web server, the document worker and several people write at once. IMMEDIATE takes
    # the write lock when a transaction starts, so a read is never upgraded to a write
    # mid-transaction (that fails at once with "database is locked", whatever the timeout);
    # writers then queue for up to `timeout` seconds. WAL lets readers run beside a writer.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "workflow.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force lockout (django-axes): after SOPAPP_LOGIN_FAILURE_LIMIT failed logins for one
# username from one client address, that pair is refused (HTTP 429) until the cool-off has
# passed. Keying on the pair keeps an attacker elsewhere from locking a colleague out, and a
# whole office behind one NAT address from being locked out by one person's typos.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SOPAPP_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SOPAPP_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "sopapp.security.client_ip"
# Reverse proxies in front of the app that append to X-Forwarded-For (0: none, use the peer).
SOPAPP_PROXY_COUNT = env_int("SOPAPP_PROXY_COUNT", 0, minimum=0)
# The public verification page: checks per client address per minute (then HTTP 429).
SOPAPP_VERIFY_LIMIT_PER_MINUTE = env_int("SOPAPP_VERIFY_LIMIT_PER_MINUTE", 30, minimum=1)

# An office application: sessions end when the browser closes and after idle time.
SESSION_COOKIE_AGE = env_int("SOPAPP_SESSION_IDLE_MINUTES", 60, minimum=5) * 60
# Writing the session on every request costs a write and a commit per page; the expiry is
# moved once a twelfth of the idle time has passed since it was last moved (every 5 minutes
# for an hour), so an idle session ends 55 to 60 minutes after the last request.
SESSION_SAVE_EVERY_REQUEST = False
SOPAPP_SESSION_REFRESH_SECONDS = SESSION_COOKIE_AGE // 12
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("SOPAPP_TIME_ZONE", "Asia/Jakarta")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"SOPAPP_TIME_ZONE {TIME_ZONE!r} is not a known time zone."
    ) from None
# Office hours, local time: a step that begins outside them (or on a day off) starts its clock
# at the next working day's office start.
SOPAPP_OFFICE_START = env_time("SOPAPP_OFFICE_START", "07:30")
SOPAPP_OFFICE_END = env_time("SOPAPP_OFFICE_END", "16:00")
if SOPAPP_OFFICE_START >= SOPAPP_OFFICE_END:
    raise ImproperlyConfigured("SOPAPP_OFFICE_START must be before SOPAPP_OFFICE_END.")

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("SOPAPP_STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))

# Uploaded and generated files live outside the static tree and are never served by URL:
# every download goes through a view that checks who may see the proposal.
MEDIA_ROOT = Path(env_str("SOPAPP_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = None
# Where those files live: a local folder (MEDIA_ROOT) by default, or S3-compatible object
# storage shared by several app servers (django-storages: the `s3` extra; README).
SOPAPP_FILE_STORAGE = env_str("SOPAPP_FILE_STORAGE", "local")
if SOPAPP_FILE_STORAGE == "local":
    _FILE_STORAGE: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif SOPAPP_FILE_STORAGE == "s3":
    _S3_ADDRESSING = env_str("SOPAPP_S3_ADDRESSING_STYLE", "path")
    if _S3_ADDRESSING not in ("path", "virtual", "auto"):
        raise ImproperlyConfigured("SOPAPP_S3_ADDRESSING_STYLE must be path, virtual or auto.")
    _FILE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("SOPAPP_S3_BUCKET", required=True),
            "endpoint_url": env_str("SOPAPP_S3_ENDPOINT_URL") or None,
            "region_name": env_str("SOPAPP_S3_REGION") or None,
            "location": env_str("SOPAPP_S3_PREFIX", "sopapp"),
            "default_acl": "private",
            "file_overwrite": False,
            "signature_version": "s3v4",
            # Most S3-compatible services (MinIO, Ceph) and every address given as an IP
            # need path-style URLs; AWS itself takes either.
            "addressing_style": _S3_ADDRESSING,
        },
    }
else:
    raise ImproperlyConfigured("SOPAPP_FILE_STORAGE must be 'local' or 's3'.")
STORAGES = {
    "default": _FILE_STORAGE,
    # Production serves hashed, compressed static files through WhiteNoise (collectstatic).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Development (and tests) serve static/ straight from the app folders, no collectstatic.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG
SOPAPP_MAX_UPLOAD_MB = env_int("SOPAPP_MAX_UPLOAD_MB", 20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "sop-aplikasi@localhost")
# A mail server that hangs must not hold a worker past its lease.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 30, minimum=1)
# Seconds a worker holds an e-mail it is sending; after that another worker sends it.
SOPAPP_EMAIL_LEASE = env_int("SOPAPP_EMAIL_LEASE", 4 * EMAIL_TIMEOUT, minimum=2)

SOPAPP_REGISTRATION_PREFIX = env_str("SOPAPP_REGISTRATION_PREFIX", "PA")
# Signs backup manifests (HMAC-SHA256); kept in the servers' environment, never in the
# database or the archive. When set, restore refuses an archive it did not sign.
SOPAPP_BACKUP_KEY = env_str("SOPAPP_BACKUP_KEY", "")
# Lists count matching rows up to this many; beyond it they say "more than …".
SOPAPP_LIST_COUNT_CAP = env_int("SOPAPP_LIST_COUNT_CAP", 1_000, minimum=100)

# Official documents (reports/): rendered in the background after each checkpoint commits.
# "immediate" runs the task in-process right after the commit (development, tests);
# "database" queues it for `manage.py db_worker` (production default).
SOPAPP_TASK_BACKEND = env_str("SOPAPP_TASK_BACKEND", "immediate" if DEBUG else "database")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if SOPAPP_TASK_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured("SOPAPP_TASK_BACKEND must be 'immediate' or 'database'.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[SOPAPP_TASK_BACKEND]}}
# A document's rendering budget: beyond it the document is marked "gagal dibuat" with the
# reason, so one huge document cannot hold up everyone else's. The time limit applies in
# the worker (db_worker); the page limit everywhere.
SOPAPP_RENDER_MAX_PAGES = env_int("SOPAPP_RENDER_MAX_PAGES", 60, minimum=1)
SOPAPP_RENDER_TIME_LIMIT = env_int("SOPAPP_RENDER_TIME_LIMIT", 60, minimum=1)
# A worker rendering a document holds it for this long; past it the worker is taken as
# dead and the document is rendered again. Must exceed the time limit.
SOPAPP_RENDER_LEASE = env_int("SOPAPP_RENDER_LEASE", 2 * SOPAPP_RENDER_TIME_LIMIT, minimum=2)
if SOPAPP_RENDER_LEASE <= SOPAPP_RENDER_TIME_LIMIT:
    raise ImproperlyConfigured("SOPAPP_RENDER_LEASE must exceed SOPAPP_RENDER_TIME_LIMIT.")
# How often each db_worker looks for missing, lost and stuck documents and queues them.
SOPAPP_DOCUMENT_HEAL_INTERVAL = env_int("SOPAPP_DOCUMENT_HEAL_INTERVAL", 30, minimum=1)
# Printed in each document's QR code: the public address of the verification page.
# Archived documents keep it forever, so production must name it.
SOPAPP_PUBLIC_URL = env_str(
    "SOPAPP_PUBLIC_URL", "http://127.0.0.1:8000" if DEBUG else None, required=not DEBUG
).rstrip("/")
if not SOPAPP_PUBLIC_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("SOPAPP_PUBLIC_URL must start with https:// or http://.")

# Electronic signatures (signing/): "local" signs with the office's own CA (manage.py
# signing_ca), "bsre" through BSrE's signing service at SOPAPP_BSRE_URL (README, "Tanda
# tangan elektronik").
SOPAPP_SIGNER = env_str("SOPAPP_SIGNER", "local")
if SOPAPP_SIGNER not in ("local", "bsre"):
    raise ImproperlyConfigured("SOPAPP_SIGNER must be 'local' or 'bsre'.")
# Encrypts the local CA's private key in the database; without it, SECRET_KEY does.
SOPAPP_SIGNING_CA_PASSPHRASE = env_str("SOPAPP_SIGNING_CA_PASSPHRASE", "")
SOPAPP_SIGNING_MIN_PASSPHRASE = env_int("SOPAPP_SIGNING_MIN_PASSPHRASE", 8, minimum=6)
# PEM files of further trusted roots for the verification page (e.g. BSrE's root and CA).
SOPAPP_SIGNING_TRUST_ROOTS = env_list("SOPAPP_SIGNING_TRUST_ROOTS")
# Whether verification may fetch CRLs/OCSP named in certificates from the network.
SOPAPP_SIGNING_FETCH_REVOCATION = env_bool("SOPAPP_SIGNING_FETCH_REVOCATION", False)
SOPAPP_BSRE_URL = env_str("SOPAPP_BSRE_URL", "", required=SOPAPP_SIGNER == "bsre")
SOPAPP_BSRE_USERNAME = env_str("SOPAPP_BSRE_USERNAME", "")
SOPAPP_BSRE_PASSWORD = env_str("SOPAPP_BSRE_PASSWORD", "")
SOPAPP_BSRE_TIMEOUT = env_int("SOPAPP_BSRE_TIMEOUT", 30, minimum=1)

# Our pages load scripts and styles from our own origin only: no inline script or style
# attribute anywhere in templates/ (a test keeps it so). Bootstrap's form icons are data: SVGs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The load balancer's health probe may speak plain HTTP to the app server.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# A form sent with a stale security token gets a page in the site's layout and language.
CSRF_FAILURE_VIEW = "sopapp.views.csrf_failure"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Master data read on every page (calendar, role titles, units) is cached for a minute.
# Several server processes should share a Redis cache (e.g. redis://127.0.0.1:6379/1).
SOPAPP_CACHE_URL = env_str("SOPAPP_CACHE_URL", "")
if SOPAPP_CACHE_URL:
    if not SOPAPP_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("SOPAPP_CACHE_URL must be a redis:// URL.")
    if importlib.util.find_spec("redis") is None:
        raise ImproperlyConfigured(
            "SOPAPP_CACHE_URL needs the redis extra: pip install '.[redis]'."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": SOPAPP_CACHE_URL,
            "KEY_PREFIX": "sopapp",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Everything is written once, by the root's console handler. Django's default configuration
# gives the "django" logger a console handler of its own while DEBUG is on (and one mailing
# ADMINS, which this project does not set); beside the root's, every 403/404 was written twice.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {"django": {"handlers": [], "propagate": True}},
}
