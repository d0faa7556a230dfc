"""Settings of the APAP portal: one module, read from the environment.

Every value that differs between a laptop and production comes from an
environment variable (or a `.env` file beside manage.py); `.env.example`
documents each one. Development defaults are safe; production mode
(`DJANGO_DEBUG=false`) refuses to start without a real secret key and hosts.
"""

from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# A development key: recognisable, so production mode can refuse it.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

if not DEBUG:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a real secret when DJANGO_DEBUG=false."
        )
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is too weak: use at least 50 random characters."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS must list the portal's host names when DJANGO_DEBUG=false."
        )
elif not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "apap_portal.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.contrib.gis",
    "axes",
    "django_filters",
    "reversion",
    # Pictures in the sizes pages ask for, made when uploaded (apap_portal.pictures).
    "imagekit",
    # The read-only JSON API (/api/v1/), its OpenAPI description and Swagger UI's files.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    # The queue of background work (emails, digests, reminders) in PostgreSQL, and its
    # worker (`manage.py db_worker`): see "Background work" below.
    "django_tasks_db",
    "apap_portal",
    "members",
    "activities",
    "knowledge",
    "search",
    "in_numbers",
    "countries",
    "calls",
    "opendata",
    "api",
    "subscriptions",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS headers on /api/ and the open-data catalogue alone (CORS_URLS_REGEX), their
    # preflights answered here.
    "corsheaders.middleware.CorsMiddleware",
    "apap_portal.security.CrossOriginResourcePolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before everything that reads the database: an outage is one line in the log each.
    "apap_portal.errors.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whether this request's reads may go to a replica (DATABASE_REPLICA_URLS); around the
    # page cache, whose renderings may read from one.
    "apap_portal.replicas.middleware.ReplicaMiddleware",
    # Before sessions and everything that renders: a page served from it costs nothing more.
    "apap_portal.caching.pages.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a sign-in refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "apap_portal.urls"
WSGI_APPLICATION = "apap_portal.wsgi.application"
ASGI_APPLICATION = "apap_portal.asgi.application"

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
                "apap_portal.context_processors.site",
                "apap_portal.seo.seo",
            ],
        },
    },
]

# Database: PostgreSQL with PostGIS only (search relies on PostgreSQL, the protected areas'
# boundaries on PostGIS). DATABASE_URL may say postgres:// or postgis://.
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/apap_portal"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT compiles a query it estimates costly before running it: measured at full
# scale it only ever added time here (0.5 s to a 100,000-row download, 50-80 ms to the
# library's uncached counts; docs/performance.md). Off for the portal's own connections,
# unless DATABASE_URL's own `?options=` says otherwise.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# Lets parallel test runs on one server use databases of their own.
if test_database := env.str("DATABASE_TEST_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": test_database}
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.postgresql",
    "django.contrib.gis.db.backends.postgis",
):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://…).")
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
# Read replicas (hot standbys of the primary), comma-separated: the public's and the API's
# reads go to them, all else to the primary (apap_portal.replicas). Each is `replica_<n>`,
# with the primary's engine and options; the tests read the primary in their place.
for number, replica_url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[])):
    replica = env.db_url_config(replica_url)
    replica.update(
        ENGINE=DATABASES["default"]["ENGINE"],
        CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"],
        # The router asks each replica its replay position first: that is the health check.
        CONN_HEALTH_CHECKS=False,
        # Read-only: no transaction per request, so a request opens no connection to a
        # replica it does not read from.
        ATOMIC_REQUESTS=False,
        TEST={"MIRROR": "default"},
    )
    options = replica.setdefault("OPTIONS", {})
    options.setdefault("options", DATABASES["default"]["OPTIONS"]["options"])
    # A replica that does not answer is skipped after this, not waited for.
    options.setdefault("connect_timeout", env.int("DATABASE_REPLICA_CONNECT_TIMEOUT", default=2))
    DATABASES[f"replica_{number}"] = replica
DATABASE_ROUTERS = ["apap_portal.replicas.router.ReplicaRouter"]
# Read-your-writes: a visitor who wrote reads from the primary this long afterwards.
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=20)
# A replica that did not answer is left alone this long (per process).
DATABASE_REPLICA_RETRY_SECONDS = env.int("DATABASE_REPLICA_RETRY_SECONDS", default=30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# GeoDjango warns that GDAL before 3.9 (Debian 12 ships 3.6) cannot block a spatial
# reference from reading files or URLs. GDAL reads only what the secretariat imports
# (manage.py import_wdpa, on files it downloaded from Protected Planet); no visitor's
# or member's upload reaches it. Upgrading GDAL turns the protection on by itself.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
AUTH_USER_MODEL = "members.User"

# Passwords as OWASP ASVS level 1 asks: at least 8 characters, not a common password,
# no composition rules (no "a digit and a capital"), long passphrases welcome.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day, and once

# Sign-in throttling (django-axes): after 5 failures for one username from one address,
# that pair is locked out for 15 minutes. Attempts are kept in PostgreSQL, so every app
# server sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "apap_portal.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "apap_portal.signin.client_ip_address"
AXES_USERNAME_CALLABLE = "apap_portal.signin.attempted_username"

# How often one address (or one email address) may ask for what costs an email or a
# guess (apap_portal.limits): "30/h" is thirty an hour (s, m, h, d). Counted in the cache.
REQUEST_LIMITS = {
    # Sign-in attempts from one address, whatever the username (axes pauses one username).
    "sign-in": env.str("DJANGO_SIGN_IN_LIMIT", default="30/h"),
    # Password-reset requests from one address, and for one email address.
    "password-reset": env.str("DJANGO_PASSWORD_RESET_LIMIT", default="10/h"),
    "password-reset-email": env.str("DJANGO_PASSWORD_RESET_EMAIL_LIMIT", default="3/h"),
    # Account requests from one address, and for one email address (/accounts/request/).
    "account-request": env.str("DJANGO_ACCOUNT_REQUEST_LIMIT", default="10/h"),
    "account-request-email": env.str("DJANGO_ACCOUNT_REQUEST_EMAIL_LIMIT", default="3/d"),
    # Markdown previews from one address (a writer previews as they type, paused a moment).
    "markdown-preview": env.str("DJANGO_MARKDOWN_PREVIEW_LIMIT", default="120/m"),
    # Subscription requests from one address, and confirmation emails to one email address.
    "subscribe": env.str("DJANGO_SUBSCRIBE_LIMIT", default="20/h"),
    "subscribe-email": env.str("DJANGO_SUBSCRIBE_EMAIL_LIMIT", default="3/h"),
}
RATELIMIT_IP_META_KEY = "apap_portal.signin.client_ip_address"

# The proxies allowed to tell the client's address in X-Forwarded-For (addresses or
# networks, e.g. "10.0.0.0/8"). A request from anywhere else is taken at its word:
# REMOTE_ADDR is the client, whatever X-Forwarded-For says.
TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network."
        ) from _error

# Cache: Redis when REDIS_URL is set, this process's memory otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Cached values are computed from one database: a staging copy sharing the
            # Redis database must not be served the production's (nor the reverse).
            "KEY_PREFIX": f"apap:{DATABASES['default']['NAME']}",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole pages for anonymous visitors (apap_portal.caching.pages): at most this old; 0 is off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)

# Internationalisation: the default language at the root, each other one under /<code>/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("vi", _("Vietnamese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date style per context, in each language's convention (apap_portal/formats).
FORMAT_MODULE_PATH = ["apap_portal.formats"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

# Static files: WhiteNoise serves them, with hashed names outside development.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries installed by npm (package.json), served as our own files.
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Every uploaded file is served through the portal, which first asks whether the visitor
# may see the record it belongs to (apap_portal/media.py); who then sends the bytes:
# "django" (this process: development), "nginx" (X-Accel-Redirect to the internal
# location /protected-media/) or "apache" (X-Sendfile). See the README.
MEDIA_SERVER = env.str("MEDIA_SERVER", default="django")
_SENDFILE_BACKENDS = {
    "django": "django_sendfile.backends.simple",
    "nginx": "django_sendfile.backends.nginx",
    "apache": "django_sendfile.backends.xsendfile",
}
if MEDIA_SERVER not in _SENDFILE_BACKENDS:
    raise ImproperlyConfigured(
        f"MEDIA_SERVER must be one of {', '.join(_SENDFILE_BACKENDS)}, not {MEDIA_SERVER!r}."
    )
SENDFILE_BACKEND = _SENDFILE_BACKENDS[MEDIA_SERVER]
SENDFILE_ROOT = str(MEDIA_ROOT)
SENDFILE_URL = "/protected-media"
# Where uploads are kept: "local" (MEDIA_ROOT) or "s3" (S3-compatible storage, read
# through URLs signed for MEDIA_S3_URL_SECONDS after the portal's check).
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured(f'MEDIA_STORAGE must be "local" or "s3", not {MEDIA_STORAGE!r}.')
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
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("MEDIA_S3_BUCKET"),
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            # Private objects, read only through URLs signed after the portal's check.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("MEDIA_S3_URL_SECONDS", default=300),
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }
# Uploads: no file's bytes are kept past the largest limit while a request is read
# (apap_portal.uploads); files over 2.5 MB go to a temporary file, not memory.
FILE_UPLOAD_HANDLERS = [
    "apap_portal.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Email: the console in development, SMTP (EMAIL_URL) in production.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"]}}
if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": _email["EMAIL_HOST"],
        "port": _email["EMAIL_PORT"],
        "username": _email["EMAIL_HOST_USER"],
        "password": _email["EMAIL_HOST_PASSWORD"],
        "use_tls": _email.get("EMAIL_USE_TLS", False),
        "use_ssl": _email.get("EMAIL_USE_SSL", False),
        "timeout": 10,
    }
elif _email["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # filemail:///path/to/folder: each message a file there (a local check of the mail).
    # (django-environ drops the path's leading slash: the folder is absolute.)
    MAILERS["default"]["OPTIONS"] = {"file_path": "/" + _email["EMAIL_FILE_PATH"].lstrip("/")}
# Background work: Django's tasks framework, its queue in PostgreSQL (django-tasks-db).
# A task is enqueued in the transaction of the change that asks for it, so it exists if
# and only if the change does, and it survives any restart of the worker. The worker is
# `manage.py db_worker`; `manage.py scheduler` enqueues PERIODIC_TASKS (README).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# What the scheduler enqueues, and how often. Each task decides itself what is due.
PERIODIC_TASKS = {
    "resend unsent emails": {"task": "apap_portal.outbox.tasks.resend_due", "every_seconds": 60},
    "prune the outbox": {"task": "apap_portal.outbox.tasks.prune", "every_seconds": 24 * 3600},
    # Subscribers' daily and weekly digests (subscriptions/digests.py).
    "send the due digests": {"task": "subscriptions.tasks.send_digests", "every_seconds": 300},
    # Addresses never confirmed, once their confirmation link has expired (privacy page).
    "forget unconfirmed subscribers": {
        "task": "subscriptions.tasks.forget_unconfirmed",
        "every_seconds": 24 * 3600,
    },
    # Once per call and deadline, however often it runs (calls.models.CallReminder).
    "remind members of calls' deadlines": {
        "task": "calls.tasks.send_deadline_reminders",
        "every_seconds": 5 * 60,
    },
}
# The outbox (apap_portal.outbox): messages per sending task; how long a worker may take
# over one batch before another may take it over; the delays between failed attempts
# (after the last, a message is "failed" and shown in the admin); how long sent messages
# are listed.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=100)
OUTBOX_CLAIM_SECONDS = env.int("OUTBOX_CLAIM_SECONDS", default=300)
OUTBOX_RETRY_MINUTES = [
    int(minutes)
    for minutes in env.list("OUTBOX_RETRY_MINUTES", default=["1", "5", "30", "120", "720"])
]
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=30)
# The portal's address as readers know it, for links in emails sent without a request
# (digests, reminders): the first of DJANGO_ALLOWED_HOSTS over HTTPS unless set.
SITE_URL = env.str(
    "SITE_URL",
    default=(
        f"http://127.0.0.1:{env.str('PORT', default='8000')}"  # make run's port
        if DEBUG
        else f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
    ),
).rstrip("/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="APAP Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SECRETARIAT_EMAIL = env.str("SECRETARIAT_EMAIL", default="secretariat@localhost")
# Days before a call's deadline when eligible members who have not responded are reminded.
CALL_REMINDER_DAYS = env.int("CALL_REMINDER_DAYS", default=3)

# Maps: tiles are the one request to another server that our pages make.
# The licence of the open data (/data/): the partnership's own records. Protected areas and
# the coverage figures come from the WDPA and keep its terms of use.
OPEN_DATA_LICENCE_URL = env.str(
    "OPEN_DATA_LICENCE_URL", default="https://creativecommons.org/licenses/by/4.0/"
)
OPEN_DATA_LICENCE_NAME = env.str("OPEN_DATA_LICENCE_NAME", default="CC BY 4.0")
WDPA_TERMS_URL = "https://www.protectedplanet.net/en/legal"
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION",
    default="© OpenStreetMap contributors",
)


def _origin(url: str) -> str:
    """The scheme and host of a tile URL template, for the content security policy."""
    scheme, _sep, rest = url.partition("://")
    host = rest.split("/", 1)[0]
    return f"{scheme}://{host.replace('{s}', '*')}"


# Security: a strict content security policy everywhere, HTTPS behind a proxy in production.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", _origin(MAP_TILE_URL)],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
CSRF_FAILURE_VIEW = "apap_portal.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Other sites may link to what the portal serves, not embed it (apap_portal.security).
SECURE_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe the health check over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A database outage or a refused host is one line a request, not a traceback
    # (apap_portal.errors).
    "filters": {"one_line": {"()": "apap_portal.errors.OneLineFailureFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["one_line"]},
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Missing variables in templates are expected; keep the log readable.
        "django.template": {"level": "WARNING"},
        # WeasyPrint names every rule of site.css it cannot print (media queries, shadows):
        # sixty warnings a PDF profile. What fails to load is still an error. (With a
        # handler of its own, WeasyPrint leaves the level set here when it is imported.)
        "weasyprint": {"level": "ERROR", "handlers": ["console"], "propagate": False},
        "fontTools": {"level": "ERROR"},
    },
}

# The read-only JSON API (/api/v1/, the `api` app; docs/api.md). Readers without a token
# are counted per address, readers with a member's token per token: "60/minute" is sixty
# a minute (second, minute, hour, day). Counted in the cache (Redis in production).
API_RATE_LIMITS = {
    "address": env.str("API_RATE_LIMIT_ADDRESS", default="60/minute"),
    "token": env.str("API_RATE_LIMIT_TOKEN", default="600/minute"),
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AddressRateThrottle",
        "api.throttling.TokenRateThrottle",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "DEFAULT_FILTER_BACKENDS": ["api.filters.PageFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "APAP portal API",
    "DESCRIPTION": (
        "The read-only JSON API of the Asia Protected Areas Partnership's portal: its "
        "countries, members, protected areas, activities and knowledge library."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": False,
    "ENUM_NAME_OVERRIDES": {
        "ActivityKindEnum": "activities.models.Activity.Kind",
        "ActivityStatusEnum": "activities.models.Activity.Status",
        "ResourceKindEnum": "knowledge.models.Resource.Kind",
        "StoryKindEnum": "knowledge.models.Story.Kind",
        "OrganizationKindEnum": "members.models.Organization.Kind",
        "MembershipStatusEnum": "members.models.Membership.Status",
        "ProtectedAreaStatusEnum": "members.models.ProtectedAreaStatus",
    },
}
# Any site may read the API and the DCAT catalogue from a browser (GET, HEAD, OPTIONS): a
# harvester running in a page reads /data/catalog.jsonld. No other URL is shared.
CORS_URLS_REGEX = r"^/(api/.*|data/catalog\.jsonld)$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False

# The portal's own settings.
# load_demo creates accounts whose passwords the README prints: development only.
ALLOW_DEMO_DATA = env.bool("DJANGO_ALLOW_DEMO_DATA", default=DEBUG)
SITE_NAME = "Asia Protected Areas Partnership"
PAGINATE_BY = 24
PROTECTED_PLANET_URL = "https://www.protectedplanet.net/"
