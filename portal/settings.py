"""Settings for the Portal Standar Pelayanan.

Every setting that differs between a laptop and a server comes from an environment variable
(documented in `.env.example`, docs/deployment.md and docs/operations.md). The defaults are safe for
local use: SQLite in the project folder, DEBUG off unless asked for, mail printed to the console.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
PRODUCTION = env_bool("DJANGO_PRODUCTION", False)

SECRET_KEY = env("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY harus diisi di lingkungan produksi.")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal.apps.PortalConfig",
    "services",
    "complaints",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.IndonesianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body, the session or the login: too large a body (413), NUL
    # bytes (400), answered in the visitor's language.
    "portal.middleware.RequestGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Second factor of staff sign-in: which device verified the session; unverified staff
    # sessions count as anonymous when PORTAL_STAFF_2FA is on.
    "django_otp.middleware.OTPMiddleware",
    "portal.login.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, serve static files straight from static/ (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded documents are private: they live outside static/ and are only served by views
# that check who is asking.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The shared cache: the catalogue version (which public pages are current) and the rate-limit
# and lockout counters. Several app processes must share one: PORTAL_CACHE=db (a table, run
# `manage.py createcachetable`) or a redis:// URL. Production runs several processes, so it
# shares the database's unless told otherwise. Room for the counters of many clients (the
# default of 300 entries would forget them early).
PORTAL_CACHE = env("PORTAL_CACHE", "db" if PRODUCTION else "local")
if PORTAL_CACHE == "db":
    CACHES = {
        "default": {
            # Django's own, with an `incr` that holds under concurrent processes.
            "BACKEND": "portal.cache_backends.AtomicDatabaseCache",
            "LOCATION": "portal_cache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
elif PORTAL_CACHE.startswith("redis://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": PORTAL_CACHE,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Pages and form fragments are stored under the catalogue version, so each process keeps its
# own copies in memory (portal.caching); only the version and the counters are shared.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "portal-pages",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "portal-fragments",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env(
    "DJANGO_DEFAULT_FROM_EMAIL", "Portal Standar Pelayanan <noreply@localhost>"
)

# The public address of the portal, used in links inside emails and PDFs.
SITE_URL = env("PORTAL_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env("PORTAL_SITE_NAME", "Portal Standar Pelayanan")

SESSION_ENGINE = "portal.sessions"  # the database, without a lookup before each new key
SESSION_COOKIE_HTTPONLY = True
# The language cookie carries no secret, but gets the same flags as the others in production.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): every script, style, font and image comes from the portal
# itself; no inline script anywhere (the admin's scripts are files too). The only inline style is
# the attribute of templates/500.html, allowed by its hash (tests/security/test_headers.py checks
# that every style attribute in the templates is listed here). PDFs get no policy: see
# portal.security.
CSP_STYLE_ATTRIBUTE_HASHES = ["'sha256-BE0RjeIJLZ6fkROAW3Qxq+0WbH3nqA3V5JFikVqUURE='"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-hashes'", *CSP_STYLE_ATTRIBUTE_HASHES],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Staff logins (django-axes): after PORTAL_LOGIN_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is locked out for PORTAL_LOGIN_LOCKOUT_MINUTES (each further try
# restarts the wait). A successful login clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("PORTAL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PORTAL_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.security.login_lockout"
AXES_CLIENT_IP_CALLABLE = "portal.ratelimit.login_ip"
AXES_COOLOFF_MESSAGE = _("Akun dikunci sementara: terlalu banyak percobaan masuk. Coba lagi nanti.")
# Two-factor sign-in (django-otp, portal.login.twofactor) for every staff account: on in
# production, off by default elsewhere (PORTAL_STAFF_2FA=1 turns it on).
PORTAL_STAFF_2FA = env_bool("PORTAL_STAFF_2FA", PRODUCTION)
OTP_TOTP_ISSUER = env("PORTAL_SITE_NAME", "Portal Standar Pelayanan")
# Device keys are never shown again in the admin once a device exists.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Guessing spread over addresses or usernames (portal.login.throttle): after
# PORTAL_LOGIN_USERNAME_FREE_TRIES failures of one username from anywhere,
# PORTAL_LOGIN_ADDRESS_FREE_TRIES from one address for any username, or
# PORTAL_LOGIN_PASSWORD_FREE_TRIES with one password for any username, each try they cover waits
# PORTAL_LOGIN_USERNAME_DELAY_SECONDS, doubling per failure up to
# PORTAL_LOGIN_USERNAME_MAX_DELAY_SECONDS; addresses the user signed in from in the last
# PORTAL_LOGIN_KNOWN_ADDRESS_DAYS days are not slowed.
PORTAL_LOGIN_USERNAME_FREE_TRIES = env_int("PORTAL_LOGIN_USERNAME_FREE_TRIES", 10)
PORTAL_LOGIN_ADDRESS_FREE_TRIES = env_int("PORTAL_LOGIN_ADDRESS_FREE_TRIES", 30)
PORTAL_LOGIN_PASSWORD_FREE_TRIES = env_int("PORTAL_LOGIN_PASSWORD_FREE_TRIES", 10)
PORTAL_LOGIN_USERNAME_DELAY_SECONDS = env_int("PORTAL_LOGIN_USERNAME_DELAY_SECONDS", 15)
PORTAL_LOGIN_USERNAME_MAX_DELAY_SECONDS = env_int("PORTAL_LOGIN_USERNAME_MAX_DELAY_SECONDS", 300)
PORTAL_LOGIN_KNOWN_ADDRESS_DAYS = env_int("PORTAL_LOGIN_KNOWN_ADDRESS_DAYS", 30)

# Public forms (request, complaint, tracking, resubmission): at most PORTAL_FORM_RATE POSTs per
# client and form, e.g. "20/hour", "5/10m", "100/hari"; "off" disables the limit.
PORTAL_FORM_RATE = env("PORTAL_FORM_RATE", "20/hour")
# Behind N reverse proxies that append to X-Forwarded-For, the client is the address the outermost
# proxy saw (the N-th from the right). 0: REMOTE_ADDR, and X-Forwarded-For is ignored.
PORTAL_TRUSTED_PROXY_COUNT = env_int("PORTAL_TRUSTED_PROXY_COUNT", 0)
# scripts/bench only: serve /bench/minimal/, the baseline of the benchmark (never in production).
PORTAL_BENCH_VIEW = env_bool("PORTAL_BENCH_VIEW", False) and not PRODUCTION

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)

# Logs go to standard output; DJANGO_LOG_FORMAT=json (the production default) writes one JSON
# object per line for log collectors.
LOG_FORMAT = env("DJANGO_LOG_FORMAT", "json" if PRODUCTION else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "portal.logformat.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# The admin lives at a configurable path (e.g. "kelola-4f2a/") so it is not where bots look.
ADMIN_PATH = env("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

# Personal data of a closed case are kept this many days after its closure, then anonymised by
# `manage.py purge_personal_data --apply` (portal.cases.retention); the privacy page says so.
PORTAL_PERSONAL_DATA_RETENTION_DAYS = env_int("PORTAL_PERSONAL_DATA_RETENTION_DAYS", 730)

# Uploads: every document is checked by content (PDF, JPEG, PNG) and size.
PORTAL_UPLOAD_MAX_BYTES = env_int("PORTAL_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# Files of a public form that failed on another field are held this long for its next post
# (portal.cases.staging); `manage.py clear_staged_uploads` removes older ones.
PORTAL_STAGED_UPLOAD_HOURS = env_int("PORTAL_STAGED_UPLOAD_HOURS", 24)
# A file in private storage that no row names (a submission cut short between writing its files
# and committing) is removed by `manage.py sweep_orphan_files` once it is this old (portal.sweep).
PORTAL_ORPHAN_GRACE_HOURS = env_int("PORTAL_ORPHAN_GRACE_HOURS", 24)
# How long the browser that sent a form may see its receipt and code again (portal.cases.replay).
PORTAL_REPLAY_MINUTES = env_int("PORTAL_REPLAY_MINUTES", 15)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A file past PORTAL_UPLOAD_MAX_BYTES stops being stored while it is read (portal.uploads).
FILE_UPLOAD_HANDLERS = [
    "portal.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
