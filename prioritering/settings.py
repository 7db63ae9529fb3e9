"""Settings for Prioritering, read from the environment.

Every variable is documented in README.md. Defaults suit a developer's machine
(SQLite in the project folder, DEBUG on); production sets DEBUG=0, a real
SECRET_KEY, ALLOWED_HOSTS and a PostgreSQL DATABASE_URL.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET = "dev-only-secret-key-not-for-production-use-0123456789abcdefghij"
SECRET_KEY = os.environ.get("SECRET_KEY") or (_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "prioritering.apps.PrioriteringAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "prioritering.apps.SignInRecordsConfig",  # django-axes, named in Swedish
    "django_tasks_db",
    # Two-factor sign-in (TOTP) for password accounts that administer (prioritering.two_factor).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "prioritering",
    "notices",  # e-mail notices: the outbox and its delivery (issue 17)
    "documents",
    "rounds",
    "ranking",
    "followup",
    "demo",  # on top of the domain apps: the demo data and load_demo
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # The provider's origin in form-action while OIDC is on (signing out there too).
    "prioritering.middleware.SignOutAtProviderMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session, so the 503 page of a database that is down is in the
    # reader's language too (it reads only the language cookie).
    "prioritering.middleware.SwedishFirstLocaleMiddleware",
    # Django's SessionMiddleware, answering 503 when the database cannot be reached.
    "prioritering.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session given a TOTP code (prioritering.two_factor).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "prioritering.middleware.SessionLifetimeMiddleware",
    # REQUIRE_2FA_FOR_ADMINS: administratörer and controllers give a code first.
    "prioritering.two_factor.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "prioritering.middleware.SessionExpiredMiddleware",
    "prioritering.middleware.PrivateCacheMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After the CSRF check: every write request's view in one transaction,
    # its form submitted once, a lost race retried once (prioritering.transactions).
    "prioritering.transactions.WriteTransactionMiddleware",
    # Last, as django-axes asks: it turns lockouts into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "prioritering.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "prioritering.context_processors.shell",
            ],
            "builtins": [
                "prioritering.templatetags.access",
                "prioritering.templatetags.formatting",
            ],
        },
    },
]

WSGI_APPLICATION = "prioritering.wsgi.application"
ASGI_APPLICATION = "prioritering.asgi.application"

# --- Database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
_db = dj_database_url.parse(DATABASE_URL)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: IMMEDIATE takes the write lock at BEGIN, so a
    # read-then-write transaction waits for the busy timeout instead of failing.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    _db["CONN_MAX_AGE"] = 0
else:
    # Keep connections, but check them before reuse so the app survives a
    # database restart without being restarted itself.
    _db["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
    # A database host that drops packets instead of refusing would hold every
    # request (and the health check) until TCP gives up; give up sooner, and
    # answer the outage page (DatabaseUnavailableMiddleware).
    _db.setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
    )
_db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "rounds.User"

# --- Authentication and sessions -------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, refusing passwords with OIDC_ONLY=1 but for emergency administrators.
    "prioritering.oidc.PasswordBackend",
    # The municipality's own accounts through OpenID Connect (mozilla-django-oidc);
    # answers only the callback of /konto/oidc/, and only when OIDC_ISSUER is set.
    "prioritering.oidc.OidcBackend",
]

# --- Sign-in with the municipality's accounts (OpenID Connect) ----------------------
# Unset OIDC_ISSUER: OIDC is off. The endpoints and keys are read from the issuer's
# /.well-known/openid-configuration (prioritering/oidc.py), never configured one by one.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip()
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES") or "openid email profile"
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO") or "RS256"
OIDC_USERNAME_CLAIM = os.environ.get("OIDC_USERNAME_CLAIM") or "email"
OIDC_CREATE_USERS = env_bool("OIDC_CREATE_USERS", False)
OIDC_ONLY = env_bool("OIDC_ONLY", False)
OIDC_TOKEN_USE_BASIC_AUTH = True  # client_secret_basic
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the provider's sign-out, nothing else
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"  # /konto/oidc/callback/
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT") or "10")
# Seconds of clock difference tolerated between the provider and this server.
OIDC_CLOCK_LEEWAY = int(os.environ.get("OIDC_CLOCK_LEEWAY") or "60")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Inactivity: the session cookie lives SESSION_IDLE_MINUTES from the last
# request. Absolute: SessionLifetimeMiddleware signs out after SESSION_MAX_HOURS.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: lock per username, never per address alone — a whole town hall
# shares one address. Unlocks by itself after the cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
if os.environ.get("PROXY_COUNT"):
    # Behind a reverse proxy: how many proxies stand before the app.
    AXES_IPWARE_PROXY_COUNT = int(os.environ["PROXY_COUNT"])

# Two-factor sign-in (TOTP, django-otp; prioritering/two_factor.py): administratörer
# and controllers who sign in with a password may add an authenticator app; with
# REQUIRE_2FA_FOR_ADMINS=1 they must before any page. OIDC accounts use their
# provider's MFA.
REQUIRE_2FA_FOR_ADMINS = env_bool("REQUIRE_2FA_FOR_ADMINS", False)
OTP_TOTP_ISSUER = "Prioritering"  # the account's name in the app
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # no secret is ever shown in the admin

# --- Internationalisation ------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True
# Not for every number (years would read "2 027"): money and amounts go through
# the |tkr and |signed_number filters, which group thousands the Swedish way.
USE_THOUSAND_SEPARATOR = False
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development (and tests) serve from the app folders; production serves the
# collected, hashed files.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Background tasks (documents): Django's tasks framework with the database as the
# queue, so no server beyond the database is needed. `manage.py db_worker` runs
# them; `make run` starts one beside the web server.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "documents", "mail"],
    }
}

# A running document whose task has not reported for this long is taken to be
# dead (its worker stopped); it can then be run again.
DOCUMENT_STALE_SECONDS = int(os.environ.get("DOCUMENT_STALE_SECONDS", "120"))
# WeasyPrint renders a document's parts in this many separate processes,
# started for the document and ended with it (memory is freed each time).
DOCUMENT_RENDER_PROCESSES = int(os.environ.get("DOCUMENT_RENDER_PROCESSES", "2"))
# The kommun's logo on the covers of the decision document and the follow-up
# report: a PNG or JPEG file in the project, MEDIA_ROOT or the static folders
# (documents/logo.py); empty, or a file not to be had, leaves it out.
PRIORITERING_LOGO = os.environ.get("PRIORITERING_LOGO", "")

# --- Security headers -------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = False
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a decision for the municipality's domain, not the app.
    "security.W021",
    # django-axes wants the address in the lockout key. We lock per username on
    # purpose: it stops guessing from any number of addresses, and never locks a
    # whole town hall out because its staff share one address.
    "axes.W006",
]

# A forum sheet, the agreed order and the decisions post two or three fields
# per proposal: with 600–1,500 forwarded proposals that is far beyond Django's
# default of 1,000 fields, which would refuse the save with a 400. Only
# signed-in users with the right role reach these forms; the request body
# stays bounded by DATA_UPLOAD_MAX_MEMORY_SIZE.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Every upload stops being received past the attachments' limit (10 MB), for
# every request: the handler is in place before anything — the CSRF check
# included — reads a request's body, so no view needs to skip that check.
FILE_UPLOAD_HANDLERS = [
    "rounds.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Contact and accessibility statement --------------------------------------------
# (docker-compose passes an unset variable as empty: that is the default too)
KOMMUN_CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL") or "tillganglighet@exempelkommun.se"
# Whom to ask for an account or a role (named on the refusal of an unknown account).
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL") or KOMMUN_CONTACT_EMAIL

# --- Open data (ranking.open_data) ------------------------------------------------
# The licence the published rounds' open data is given under, named in the data
# and on its page.
OPEN_DATA_LICENCE_NAME = os.environ.get("OPEN_DATA_LICENCE_NAME") or "CC0 1.0 Universell"
OPEN_DATA_LICENCE_URL = (
    os.environ.get("OPEN_DATA_LICENCE_URL")
    or "https://creativecommons.org/publicdomain/zero/1.0/deed.sv"
)

# --- E-mail notices (notices/) -----------------------------------------------------
# Sent by the background worker from the outbox (notices.delivery), never in a
# request. Without EMAIL_HOST, mails are written to the worker's console in
# development; in production they go to an SMTP server on localhost:25, and
# while there is none they wait in the outbox (tried again, never lost).
# Django 6.1's MAILERS, built from the usual EMAIL_* variables.
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host or not DEBUG:
    # Your own server: submission port with STARTTLS; the local default: port 25.
    _email_defaults = ("587", "1") if _email_host else ("25", "0")
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host or "localhost",
                "port": int(os.environ.get("EMAIL_PORT") or _email_defaults[0]),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": (os.environ.get("EMAIL_USE_TLS") or _email_defaults[1]) == "1",
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "prioritering@exempelkommun.se"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public address of the site: every link in a mail starts with it.
# Unset: the first of ALLOWED_HOSTS over HTTPS in production, the dev server otherwise.
SITE_URL = os.environ.get("SITE_URL") or (
    f"https://{ALLOWED_HOSTS[0]}" if not DEBUG and ALLOWED_HOSTS else "http://127.0.0.1:8000"
)

# --- Logging ----------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "utc": {
            "()": "prioritering.logging.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "utc"}},
    "loggers": {
        "prioritering.security": {"handlers": ["console"], "level": "INFO", "propagate": True},
        "django": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    },
}
