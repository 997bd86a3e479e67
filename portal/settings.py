"""Settings for the Pathways TA Portal.

Everything comes from environment variables (see the README's table). Development defaults need no
servers: SQLite, a file-system Celery broker and a file cache. Production (PORTAL_ENV=production)
refuses to start with DEBUG on, the development SECRET_KEY, no ALLOWED_HOSTS or no Redis.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PORTAL_ENV = os.environ.get("PORTAL_ENV", "development")
if PORTAL_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("PORTAL_ENV must be development, production or test.")
PRODUCTION = PORTAL_ENV == "production"

DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
REDIS_URL = os.environ.get("REDIS_URL", "")

if PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("DEBUG must be off")
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY must be set to a long random value")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must name the site's host(s)")
    if not REDIS_URL:
        problems.append("REDIS_URL must be set (cache, rate limits and Celery broker)")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems) + ".")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # TemplatesSetting form renderer finds the widget templates through it
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_htmx",
    "template_partials",
    "csp",
    "portal",
    "grantees",
    "assessments",
    "reports",
    "newsletter",
    "labor_market",
    "partners",
    "pathways",
    "outcomes",
    "audit",
    "support_hours",
    "booking",
    "events",
    "library",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "portal.middleware.UserTimeZoneMiddleware",
    "portal.middleware.RequireMFAMiddleware",
    "portal.middleware.TenantScopeMiddleware",
    "portal.middleware.HtmxMessagesMiddleware",
    "portal.middleware.SessionTimeoutMiddleware",
]

if PRODUCTION:
    # Static files straight from gunicorn with far-future caching; development uses runserver.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "portal.context_processors.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # CONN_HEALTH_CHECKS: the pool tests each connection as it hands it out, so after a
    # PostgreSQL restart requests get fresh connections instead of dead ones.
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=0, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # psycopg 3's pool: connections are reused across requests without a sidecar pooler.
        DATABASES["default"]["OPTIONS"] = {
            "pool": {
                "min_size": int(os.environ.get("DB_POOL_MIN", "1")),
                "max_size": int(os.environ.get("DB_POOL_MAX", "10")),
            },
            # Data on SSD or in memory: random reads cost about as much as sequential ones. With
            # PostgreSQL's default (4) the planner reads every row's search vector instead of
            # using the library's GIN index, several times slower for common words.
            "options": "-c random_page_cost=1.1",
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
            # Web, worker and beat share this file: wait for locks rather than fail.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "grantees.User"

# --- Cache (allauth's rate limits need a real, shared cache) -----------------------------------
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails open: with Redis down pages still work (portal/cache.py).
            "BACKEND": "portal.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
    # Sessions are read from Redis (one query fewer on every page) and written through to the
    # database, which stays the record: with Redis down they are read from there.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }

# Program reports and dashboards are recomputed at most this often (portal/aggregates.py).
PROGRAM_AGGREGATE_CACHE_SECONDS = int(os.environ.get("PROGRAM_AGGREGATE_CACHE_SECONDS", "60"))

# A person's roles are kept this long for pages (portal/roles.py cached_roles; 0 = off).
ROLES_CACHE_SECONDS = int(os.environ.get("ROLES_CACHE_SECONDS", "60"))

# Library search results (facets, total, a page's ids) are kept this long, and never past a
# change to the library (portal/versions.py; 0 = off).
LIBRARY_SEARCH_CACHE_SECONDS = int(os.environ.get("LIBRARY_SEARCH_CACHE_SECONDS", "600"))

# --- Authentication (django-allauth) ---------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # accounts come from invitations, which prove the address
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "grantees.adapters.PortalAccountAdapter"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("LOGIN_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Pathways TA Portal"
USERSESSIONS_TRACK_ACTIVITY = False  # sessions are recorded at sign-in; no write per request
# Roles whose accounts see many grantees' data must use a second factor (portal.middleware).
MFA_REQUIRED_ROLES = ("ta_admin", "coach", "state_admin")

# --- Sessions and security -------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
# Idle and absolute limits (portal.middleware.SessionTimeoutMiddleware): staff who see many
# grantees' data are signed out sooner when they step away.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", 3 * 60 * 60))
SESSION_IDLE_TIMEOUT_STAFF = int(os.environ.get("SESSION_IDLE_TIMEOUT_STAFF", 30 * 60))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60))
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Strict CSP: nothing inline, no eval. htmx is configured through a <meta> tag to match.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- E-mail ----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Pathways TA Portal <no-reply@example.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Celery ----------------------------------------------------------------------------------
CELERY_QUEUE_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1}
    # With the broker down, enqueueing fails fast instead of holding the request: the write is
    # already committed, and the beat sweeps pick up what was not enqueued once Redis is back.
    CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
else:
    # A broker that needs no server: kombu's file-system transport works across processes.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "store_processed": False,
        "polling_interval": 0.25,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "portal.tasks.clear_expired_sessions",
        "schedule": 6 * 60 * 60,
    },
    "send-pending-notifications": {
        "task": "portal.tasks.send_pending_notifications",
        "schedule": 5 * 60,
    },
    "hour-alerts-sweep": {
        "task": "support_hours.tasks.hour_alerts_sweep",
        "schedule": 15 * 60,
    },
    "event-reminders": {
        "task": "events.tasks.send_event_reminders",
        "schedule": 5 * 60,
    },
    "publish-filed-materials": {
        "task": "events.tasks.publish_filed_materials",
        "schedule": 15 * 60,
    },
    "booking-reminders": {
        "task": "booking.tasks.send_booking_reminders",
        "schedule": 5 * 60,
    },
    "expire-exports": {
        "task": "reports.tasks.expire_exports",
        "schedule": 60 * 60,
    },
    "sessions-auto-confirm": {
        "task": "support_hours.tasks.sessions_auto_confirm",
        "schedule": 60 * 60,
    },
}

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
# Spanish number and date formats as used in California (portal/formats/es).
FORMAT_MODULE_PATH = ["portal.formats"]
# The portal is in English; the student-facing pathway map is also printed in Spanish.
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = "America/Los_Angeles"  # shown to people; stored in UTC
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))  # never served as static
# Uploaded library files: outside the static root, served only through views that check access.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Behind nginx, the internal location that maps to PRIVATE_MEDIA_ROOT (X-Accel-Redirect); empty:
# Django streams the file itself.
PRIVATE_MEDIA_ACCEL = os.environ.get("PRIVATE_MEDIA_ACCEL", "")
LIBRARY_MAX_UPLOAD_MB = int(os.environ.get("LIBRARY_MAX_UPLOAD_MB", "50"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields; files stream to disk past 2.5 MB
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Portal ----------------------------------------------------------------------------------
INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "14"))
# How long a finished program export stays downloadable before the worker deletes it.
REPORT_EXPORT_KEEP_DAYS = int(os.environ.get("REPORT_EXPORT_KEEP_DAYS", "7"))
SITE_NAME = "Pathways TA Portal"
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

FORM_RENDERER = "portal.forms.PortalFormRenderer"
