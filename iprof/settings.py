"""Settings of the I-Prof portal: one file, every value from the environment.

`make run` sets IPROF_ENV=dev (DEBUG, console mail, demo data); anything else is
production and refuses to start without a real secret key.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no setting; a value that is neither (a typo such as "ture") stops the start instead of meaning no."""
    value = env(name, "1" if default else "0").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} : valeur attendue 1/0, true/false, yes/no ou on/off.")


IPROF_ENV = env("IPROF_ENV", "production")
DEV = IPROF_ENV in {"dev", "test"}
DEBUG = env_bool("DEBUG", False)

_INSECURE_KEY = "dev-only-insecure-key-never-in-production"
SECRET_KEY = env("SECRET_KEY", _INSECURE_KEY if DEV else "")
if not DEV and (not SECRET_KEY or SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value in production.")

ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEV else "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]

INSTALLED_APPS = [
    "iprof.admin_apps.IProfAdminConfig",  # the Django admin on iprof.admin_site (the staff home)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # OpClass in index expressions (the commune search), unaccent
    "dsfr",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "import_export",
    "lib.audit",
    "accounts",
    "dossier",
    "siam",
    "iprof.courrier",
    "iprof.guides",
    # last: its post_migrate hook gives the staff groups the permissions of every app above
    "iprof",
]

MIDDLEWARE = [
    # first: an oversized body is refused before anything reads it (issue 17, point 5)
    "iprof.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",  # Django's, the user read with the session (one query)
    "django.contrib.messages.middleware.MessageMiddleware",
    "iprof.middleware.SessionExpiryMiddleware",
    "iprof.middleware.NoStoreForAuthenticatedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
    "iprof.middleware.PortalErrorPagesMiddleware",
    # last, so that it sees the views' exceptions first
    "iprof.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "iprof.urls"
WSGI_APPLICATION = "iprof.wsgi.application"

TEMPLATES = [
    {
        # No "loaders": Django wraps these in its cached loader (templates parsed once per process; under
        # runserver it is emptied when a template changes).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iprof.context_processors.portal",
            ],
        },
    },
]

# Database: DATABASE_URL, or the cluster `make` starts under var/.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "postgres://iprof@127.0.0.1:54329/iprof"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Prepared statements: parameters sent apart from the SQL (psycopg's server-side binding) and a statement run 5
# times on a connection prepared there, so that PostgreSQL plans it once per connection, not at every request.
# Planning the dossier page's query takes PostgreSQL 16 ms, the barème's dossier (19 tables) 8 ms; running
# each, 1 ms (issue 14). DB_PREPARED_STATEMENTS=0 behind a PgBouncer in transaction mode.
if env("DB_PREPARED_STATEMENTS", "1") == "1":
    DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
if env("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.Agent"
# The référentiel the courrier's correspondants de gestion are scoped by, named here as AUTH_USER_MODEL names the
# agent: the courrier imports no dossier and names none of its models (tests/test_architecture.py).
COURRIER_DISCIPLINE_MODEL = "dossier.Discipline"
COURRIER_DEPARTEMENT_MODEL = "dossier.Departement"

# One cache every gunicorn worker sees: allauth keeps its login rate limits here. By default the database
# cache (table iprof_cache, created by migrate: nothing else to run); CACHE_URL=redis://host:6379/0 when
# several nodes serve the portal, so that they share one count (DEPLOY.md, "Plusieurs nœuds").
CACHE_URL = env("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL, "KEY_PREFIX": "iprof"}
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "iprof_cache",
            # Rate-limit counters must not be culled on closing day (default: 300 entries).
            "OPTIONS": {"MAX_ENTRIES": int(env("CACHE_MAX_ENTRIES", "200000")), "CULL_FREQUENCY": 10},
        }
    ),
    # The parts of the page shell that are the same for everybody ({% cache None … using="shell" %} in
    # base.html and includes/_header.html: head, menu by active section, footer), rendered once per worker
    # process and keyed by what varies (language, signed in, staff, section); nothing per teacher goes in
    # it. Process-local: a deploy restarts the workers, and a changed setting clears it (iprof.shell).
    # DEBUG=1 (runserver) renders them every time, so that an edited template shows at once.
    "shell": {
        "BACKEND": (
            "django.core.cache.backends.dummy.DummyCache" if DEBUG else "django.core.cache.backends.locmem.LocMemCache"
        ),
        "LOCATION": "iprof-shell",
        "TIMEOUT": None,
    },
}

AUTHENTICATION_BACKENDS = [
    "accounts.backends.AuthenticationBackend",  # allauth's, the user read by a query compiled once
]

PASSWORD_HASHERS = [
    "accounts.hashers.IProfArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# ASVS 6.2: length, not composition; common and personal passwords refused.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.validators.PersonalWordsValidator"},
]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Static files as in production, also under `make run` (DEBUG=1): collectstatic writes hashed names
# with gzip and brotli copies (brotli installed), whitenoise serves them from STATIC_ROOT with
# `max-age=315360000, public, immutable`; unhashed names (none linked by the pages) get WHITENOISE_MAX_AGE.
# IPROF_PLAIN_STATIC=1 (the default when DEBUG=1 without make run: tests, runserver) serves the
# source files through the finders instead, uncached, with no collectstatic needed.
HASHED_STATIC = not env_bool("IPROF_PLAIN_STATIC", DEBUG)
WHITENOISE_USE_FINDERS = not HASHED_STATIC
WHITENOISE_AUTOREFRESH = not HASHED_STATIC
WHITENOISE_MAX_AGE = int(env("WHITENOISE_MAX_AGE", "3600")) if HASHED_STATIC else 0
STORAGES = {
    # Private files (pièces justificatives, contestations, courrier attachments) all go through this backend:
    # the file system under MEDIA_ROOT, or an object store shared by every node, e.g.
    # FILE_STORAGE_BACKEND=storages.backends.s3.S3Storage with FILE_STORAGE_OPTIONS={"bucket_name": …}, or an SFTP
    # server: lib.storage.SFTPStorage with {"host": …, "root_path": …, "known_host_file": …, "params": …} (DEPLOY.md).
    "default": {
        "BACKEND": env("FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(env("FILE_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {
        "BACKEND": (
            "iprof.staticfiles.HashedStaticFilesStorage"
            if HASHED_STATIC
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Private uploads (pièces justificatives, attachments): never under STATIC_ROOT,
# served only through views that check who asks.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/fichiers/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # form fields without the files: the longest textarea is far below
DSFR_USE_INTEGRITY_CHECKSUMS = False

# Sessions: 30 minutes idle (sliding), 12 hours at most (iprof.middleware).
SESSION_ENGINE = "accounts.sessions"  # database sessions with the agent (accounts.AgentSession), read with it
SESSION_IDLE_TIMEOUT = int(env("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_ABSOLUTE_TIMEOUT = int(env("SESSION_ABSOLUTE_TIMEOUT", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEV
CSRF_COOKIE_SECURE = not DEV
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "iprof.views.csrf_failure"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 0 if DEV else int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEV
SECURE_HSTS_PRELOAD = not DEV
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEV)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: no inline script anywhere; DSFR's scripts carry the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: identifiers only, no sign-up, no enumeration, rate-limited failures.
ACCOUNT_ADAPTER = "accounts.adapter.IProfAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "identifiant"
ACCOUNT_USER_MODEL_EMAIL_FIELD = "email"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGOUT_REDIRECT_URL = "accounts:logged-out"
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    # « key » is (identifier, address) (accounts.lockout): failures from elsewhere never lock the owner out
    "login_failed": env("LOGIN_RATE_LIMIT", "30/10m/ip,5/5m/key"),
    "reset_password": "5/m/ip,3/5m/key",
    "reset_password_from_key": "20/m/ip",
}
# Behind the académie's reverse proxy, the client address is the Nth from the right of
# X-Forwarded-For; without it every teacher would share the proxy's rate-limit bucket.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_FORMS = {
    "login": "accounts.forms.IdentifiantLoginForm",
    "reset_password": "accounts.forms.AdresseResetPasswordForm",
}
# The académie address is verified (accounts.emails): no reauthentication by an e-mailed code, only the
# password or the second factor, as before the address was verified.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # the subjects begin with « I-Prof : » themselves

# Second factor: TOTP + recovery codes; staff must enrol before any staff page.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "I-Prof " + env("IPROF_ACADEMIE", "CLERMONT-FERRAND")
MFA_ADAPTER = "accounts.adapter.IProfMFAAdapter"

# Mail: console under `make run`, SMTP in production.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEV else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "I-Prof <ne-pas-repondre@ac-clermont.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (mail notifications, acknowledgements): django-tasks database worker.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Deployment identity of the académie (DOMAIN.md §1).
IPROF_ACADEMIE = env("IPROF_ACADEMIE", "CLERMONT-FERRAND")
IPROF_ACADEMIE_CODE = env("IPROF_ACADEMIE_CODE", "CLERMONT")
IPROF_SUPPORT_EMAIL = env("IPROF_SUPPORT_EMAIL", "cia-iprof@ac-clermont.fr")
IPROF_SUPPORT_PHONE = env("IPROF_SUPPORT_PHONE", "0 810 811 135")
# Absolute address of the portal, for links in e-mails (notifications never carry content).
IPROF_SITE_URL = env("IPROF_SITE_URL", "http://127.0.0.1:8000" if DEV else "")
if not DEV and not IPROF_SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("IPROF_SITE_URL must be set to the portal's https:// address in production.")
IPROF_ASSISTANCE_URL = env("IPROF_ASSISTANCE_URL", "https://portailassistance.ac-clermont.fr/assistancecompte.php")
# The State-site pages of the footer (mentions légales, données personnelles): who answers for the portal.
IPROF_EDITEUR = env("IPROF_EDITEUR", "Rectorat de l'académie de Clermont-Ferrand")
IPROF_EDITEUR_ADRESSE = env("IPROF_EDITEUR_ADRESSE", "3 avenue Vercingétorix, 63033 Clermont-Ferrand Cedex 1")
IPROF_EDITEUR_TELEPHONE = env("IPROF_EDITEUR_TELEPHONE", "04 73 99 30 00")
IPROF_DIRECTEUR_PUBLICATION = env("IPROF_DIRECTEUR_PUBLICATION", "la rectrice ou le recteur de l'académie")
IPROF_HEBERGEUR = env("IPROF_HEBERGEUR", "Direction des systèmes d'information du rectorat de Clermont-Ferrand")
IPROF_HEBERGEUR_ADRESSE = env("IPROF_HEBERGEUR_ADRESSE", "3 avenue Vercingétorix, 63033 Clermont-Ferrand Cedex 1")
IPROF_DPO_EMAIL = env("IPROF_DPO_EMAIL", "dpd@ac-clermont.fr")
IPROF_DPO_ADRESSE = env(
    "IPROF_DPO_ADRESSE",
    "Délégué à la protection des données, rectorat, 3 avenue Vercingétorix, 63033 Clermont-Ferrand Cedex 1",
)

# --- Security limits (issue 17) ------------------------------------------------------------------------
# Per identifier, past LOGIN_SLOWDOWN_CEILING failures in LOGIN_SLOWDOWN_WINDOW seconds, each further failure
# is answered LOGIN_SLOWDOWN_STEP seconds later per failure over the ceiling, at most LOGIN_SLOWDOWN_MAX_DELAY:
# slowed, never refused (a right password is never delayed).
LOGIN_SLOWDOWN_CEILING = int(env("LOGIN_SLOWDOWN_CEILING", "20"))
LOGIN_SLOWDOWN_WINDOW = int(env("LOGIN_SLOWDOWN_WINDOW", str(15 * 60)))
LOGIN_SLOWDOWN_STEP = float(env("LOGIN_SLOWDOWN_STEP", "0.05"))
LOGIN_SLOWDOWN_MAX_DELAY = float(env("LOGIN_SLOWDOWN_MAX_DELAY", "1.0"))
# « Identifiant oublié »: like the password reset (allauth's reset_password rate).
IDENTIFIANT_OUBLIE_RATE_LIMIT = env("IDENTIFIANT_OUBLIE_RATE_LIMIT", "5/m/ip,3/5m/key")

# Request bodies: refused with a 413 above REQUEST_BODY_MAX_SIZE before being read (iprof.middleware);
# the largest legitimate form is a staff envoi with its 10 Mo attachment (teachers' uploads stop at 5 Mo).
# Keep the reverse proxy's client_max_body_size at the same value (README, « Déploiement »).
REQUEST_BODY_MAX_SIZE = int(env("REQUEST_BODY_MAX_SIZE", str(12 * 1024 * 1024)))
# Per-teacher quotas (French messages in the services): pièces of one demande, courrier attachments,
# conversations started.
SIAM_PIECES_MAX_PER_DEMANDE = int(env("SIAM_PIECES_MAX_PER_DEMANDE", "30"))
SIAM_PIECES_MAX_BYTES_PER_AGENT = int(env("SIAM_PIECES_MAX_BYTES_PER_AGENT", str(60 * 1024 * 1024)))
COURRIER_ATTACHMENTS_MAX_BYTES_PER_AGENT = int(env("COURRIER_ATTACHMENTS_MAX_BYTES_PER_AGENT", str(30 * 1024 * 1024)))
COURRIER_CONVERSATIONS_PER_DAY = int(env("COURRIER_CONVERSATIONS_PER_DAY", "5"))
COURRIER_CONVERSATIONS_MAX = int(env("COURRIER_CONVERSATIONS_MAX", "100"))
# The lettre de motivation of a SPEA application (a PDF).
SIAM_SPEA_LETTRE_MAX_BYTES = int(env("SIAM_SPEA_LETTRE_MAX_BYTES", str(2 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# django-import-export: exporting a list needs the right to view it (DRH and rectorat keep their own lists)
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
