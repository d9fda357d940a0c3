"""Django settings for xaso. Everything that varies per machine comes from the environment."""

from datetime import timedelta
from pathlib import Path

import dj_database_url

from xaso.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("XASO_DATA_DIR", "var")).resolve()
SECRET_KEY_FILE = DATA_DIR / "secret_key"

SECRET_KEY = env_secret("XASO_SECRET_KEY", fallback_file=SECRET_KEY_FILE)
DEBUG = env_bool("XASO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("XASO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "xaso.org",
    "xaso.audit",
    "xaso.once",
    "xaso.catalog",
    "xaso.figures",
    "xaso.criteria",
    "xaso.reporting",
    "xaso.campaigns",
    "xaso.meetings",
    "xaso.groups",
    "xaso.documents",
    "xaso.publishing",
    "xaso.exchange",
    "ninja",
    "xaso.api",
    "xaso.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the path, the query or the body (docs/deploy.md, "Bad input").
    "xaso.web.middleware.EdgeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    # Last, so it sees the login view's answer and turns it into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xaso.urls"
WSGI_APPLICATION = "xaso.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# Each gunicorn worker thread keeps at most one connection open (CONN_MAX_AGE seconds, checked
# before reuse), so the server holds at most XASO_WORKERS × XASO_THREADS of them: keep that, plus
# the CLI's and backups' few, under PostgreSQL's max_connections (docs/deploy.md).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or f"sqlite:///{DATA_DIR / 'xaso.sqlite3'}",
        conn_max_age=env_int("XASO_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A statement running longer than this is cancelled by PostgreSQL (0: no limit). `xaso serve`
# sets it to the request timeout when unset, so a killed request does not leave its query behind.
_STATEMENT_TIMEOUT = env_int("XASO_DB_STATEMENT_TIMEOUT", 0)
if _STATEMENT_TIMEOUT > 0 and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={_STATEMENT_TIMEOUT * 1000}"
    )
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Take the write lock when a transaction begins: two requests that read and then write
    # (the entry sheet) wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after XASO_LOGIN_FAILURE_LIMIT wrong passwords in a row for
# one user name, or from one address, that name or address may not log in for
# XASO_LOGIN_COOLOFF_MINUTES, even with the right password. A success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the signed-in user by a statement written once.
    "xaso.web.auth.ModelBackend",
]
AXES_ENABLED = True
AXES_FAILURE_LIMIT = env_int("XASO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("XASO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/login.html"
AXES_CLIENT_IP_CALLABLE = "xaso.web.middleware.client_ip"
AXES_VERBOSE = False

# Vietnamese whatever the browser asks for: dates are typed dd/mm/yyyy and a browser set to
# English must not turn 08/07/2020 into August 7th. (LocaleMiddleware comes with English.)
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["xaso.formats"]
# Vietnamese for messages Django's own catalog lacks (compiled .mo beside its .po).
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
# `xaso serve` collects the static files here (with gzip copies) before it starts and WhiteNoise
# serves them; elsewhere (the development server, a fresh checkout, the tests) WhiteNoise finds
# them in the apps (XASO_STATIC_FINDERS, which `xaso serve` turns off).
STATIC_ROOT = Path(env_str("XASO_STATIC_ROOT", str(DATA_DIR / "static"))).resolve()
WHITENOISE_USE_FINDERS = env_bool("XASO_STATIC_FINDERS", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Django's database sessions, each request's row read by a statement written once.
SESSION_ENGINE = "xaso.web.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("XASO_SESSION_HOURS", 12) * 3600
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# HTTPS, served behind a reverse proxy that terminates TLS (nginx, docs/deploy.md).
# XASO_PROXIES: how many proxies stand in front; the proxy's X-Forwarded-Proto says whether the
# request came over HTTPS and X-Forwarded-For whose address it is (login throttling).
HTTPS = env_bool("XASO_HTTPS", default=False)
PROXIES = env_int("XASO_PROXIES", 1 if HTTPS else 0)
if PROXIES > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("XASO_SECURE_COOKIES", default=HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("XASO_SSL_REDIRECT", default=HTTPS)
SECURE_HSTS_SECONDS = env_int("XASO_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("XASO_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env_bool("XASO_HSTS_PRELOAD", default=HTTPS)
CSRF_TRUSTED_ORIGINS = env_list("XASO_CSRF_TRUSTED_ORIGINS")

# Mail (reminders of report deadlines, `xaso remind`; docs/deploy.md "Reminders"). Without
# XASO_EMAIL_HOST the mails are printed on standard output (the demo, a fresh checkout); a
# server names its SMTP relay. Port 587 speaks STARTTLS, 465 TLS from the start.
EMAIL_HOST = env_str("XASO_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("XASO_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("XASO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("XASO_EMAIL_PASSWORD", "")
EMAIL_USE_SSL = env_bool("XASO_EMAIL_SSL", default=EMAIL_PORT == 465)
EMAIL_USE_TLS = env_bool("XASO_EMAIL_TLS", default=EMAIL_PORT == 587 and not EMAIL_USE_SSL)
EMAIL_TIMEOUT = env_int("XASO_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("XASO_EMAIL_FROM", "xã số <xaso@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address of the site as officers open it, for the links in e-mails.
SITE_URL = env_str(
    "XASO_SITE_URL",
    f"https://{ALLOWED_HOSTS[0]}" if HTTPS and ALLOWED_HOSTS else "http://127.0.0.1:8000",
).rstrip("/")
# A unit that has not sent its report is reminded this many hours before the deadline, and
# once more when the deadline has passed, up to this many days after it (so a first run on an
# old database does not remind of every period ever).
REMINDER_BEFORE_HOURS = env_int("XASO_REMINDER_BEFORE_HOURS", 24)
REMINDER_OVERDUE_DAYS = env_int("XASO_REMINDER_OVERDUE_DAYS", 7)

# Request bodies: a body larger than XASO_MAX_REQUEST_BYTES is refused (413) before it is read,
# by xaso.web.middleware. Uploads are capped at 5 MB (documents.services); the rest is room for
# the multipart envelope and the form's other fields.
MAX_REQUEST_BYTES = env_int("XASO_MAX_REQUEST_BYTES", 6 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES

# Logs go to stderr (journald keeps them under systemd), one line per record beginning with the
# time, level and logger; a server error (500) is logged by django.request with its traceback
# on the lines below it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["stderr"], "level": env_str("XASO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (console only when DEBUG, mail to admins) give way to the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"handlers": [], "level": "ERROR", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
