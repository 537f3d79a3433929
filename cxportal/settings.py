"""CX portal settings: everything comes from the environment, with embedded defaults.

Unset, the defaults run the whole product on one machine without any server: SQLite under ``var/``,
kombu's filesystem transport as the Celery broker, and e-mail written to files under ``var/mail/``.
``DATABASE_URL=postgres://…`` and ``CELERY_BROKER_URL=redis://…`` switch to the real engines.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
import plotly
from django.core.exceptions import ImproperlyConfigured
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
VAR_DIR = Path(env.str("CXPORTAL_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# --- Core ---------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
_DEV_SECRET = "insecure-dev-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "auditlog",
    "cxportal",
    "cxportal.webhooks",
    "cxportal.sso",
    "journeys",
    "surveys",
    "voice",
    "metrics",
    "decisions",
    "actionplans",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cxportal.api.middleware.ApiJsonMiddleware",  # before CommonMiddleware: API paths are not redirected
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # after auth and LocaleMiddleware: a signed-in person's profile language beats cookie and Accept-Language
    "cxportal.i18n.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cxportal.audit.AuditMiddleware",  # who changed what: the person (or API key) and address on audit entries
    "cxportal.api.idempotency.IdempotencyMiddleware",  # after AuthenticationMiddleware: keys are scoped per credential
    "cxportal.dbrouter.PrimaryAfterWriteMiddleware",  # with a replica: a writer reads its writes
]

ROOT_URLCONF = "cxportal.urls"
WSGI_APPLICATION = "cxportal.wsgi.application"

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
                "cxportal.roles.role_context",
                "cxportal.navigation.navigation_context",
                "metrics.context.notifications",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'cxportal.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: wait for a lock instead of failing, take the write lock up front.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 30, "transaction_mode": "IMMEDIATE"})
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Optional PostgreSQL streaming replica: dashboard and metrics API reads that tolerate lag go there, every
# write and every read-your-writes path stays on the primary (cxportal/dbrouter.py); migrations only on the
# primary. In tests the alias mirrors the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["cxportal.dbrouter.ReplicaRouter"]
# After a write, the same client reads from the primary for this long (longer than the replica's usual lag).
DATABASE_REPLICA_STICKY_SECONDS = env.int("DATABASE_REPLICA_STICKY_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth ---------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Single sign-on (OpenID Connect, cxportal/sso; README "Single sign-on") -----------------------------
# Off unless a client id is set. Authorisation code flow with PKCE (S256) and a nonce; the ID token's
# signature, issuer, audience and expiry are checked. Password sign-in stays unless SSO_ONLY.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=bool(OIDC_RP_CLIENT_ID))
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="")  # the button says "Sign in with <name>"
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")  # optional: claims then from the ID token
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_OP_LOGOUT_ENDPOINT = env.str("OIDC_OP_LOGOUT_ENDPOINT", default="")  # end_session; optional
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_ROLE_CLAIM = env.str("OIDC_ROLE_CLAIM", default="groups")  # Entra ID app roles: "roles"
# Group → "manager" or "department:<name>" (or a list of them), e.g.
# {"cx-managers": "manager", "dept-sales": "department:Sales"}; a person in no mapped group is refused.
OIDC_ROLE_MAP = env.json("OIDC_ROLE_MAP", default={})
OIDC_LINK_BY_EMAIL = env.bool("OIDC_LINK_BY_EMAIL", default=False)  # first SSO sign-in may take over a local account
OIDC_CLOCK_LEEWAY_SECONDS = env.int("OIDC_CLOCK_LEEWAY_SECONDS", default=30)
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_VERIFY_SSL = env.bool("OIDC_VERIFY_SSL", default=True)
SSO_ONLY = env.bool("SSO_ONLY", default=False)
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_STORE_ID_TOKEN = True  # for the provider's sign-out (id_token_hint)
OIDC_CREATE_USER = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
if OIDC_ENABLED:
    _missing = [
        name
        for name in ("OIDC_RP_CLIENT_ID", "OIDC_OP_ISSUER", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT")
        if not globals()[name]
    ]
    if OIDC_RP_SIGN_ALGO.startswith(("RS", "ES", "PS")) and not OIDC_OP_JWKS_ENDPOINT:
        _missing.append("OIDC_OP_JWKS_ENDPOINT")
    if _missing:
        raise ImproperlyConfigured(f"Single sign-on is on; set {', '.join(_missing)}.")
_sso_logout = urlsplit(OIDC_OP_LOGOUT_ENDPOINT) if OIDC_ENABLED and OIDC_OP_LOGOUT_ENDPOINT else None
_SSO_LOGOUT_ORIGIN = f"{_sso_logout.scheme}://{_sso_logout.netloc}" if _sso_logout else ""
AUTHENTICATION_BACKENDS = [
    *([] if OIDC_ENABLED and SSO_ONLY else ["django.contrib.auth.backends.ModelBackend"]),
    *(["cxportal.sso.backend.SsoBackend"] if OIDC_ENABLED else []),
]

# --- Internationalisation -----------------------------------------------------------------------
# The site language: pages before a person picks one, and what the system writes into shared records
# (follow-up actions opened by rules). German companies set LANGUAGE_CODE=de.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates, numbers and what date fields accept, per language (cxportal/formats/de/formats.py: 04.12.2026, 12,9).
FORMAT_MODULE_PATH = ["cxportal.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("plotly", Path(plotly.__file__).parent / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_FILE_PATH = VAR_DIR / "mail"
if env.str("EMAIL_URL", default=""):
    vars().update(env.email("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CX portal <cx@localhost>")

# --- Security (production) ----------------------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp) on every response: scripts only from our own static files (no inline
# script, no on…= handler, no eval), nothing from another host, no plugins, no framing, forms post only here.
# Styles allow 'unsafe-inline': plotly.js writes style attributes and <style> rules into the page as it draws
# (so do Bootstrap's JavaScript for positions and Redoc for its theme); a style cannot run code under this
# policy. Extra sources come from the environment, e.g. CSP_EXTRA_IMG_SRC=https://cdn.example.com for a logo.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *env.list("CSP_EXTRA_IMG_SRC", default=[])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", *env.list("CSP_EXTRA_CONNECT_SRC", default=[])],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # With single sign-on, signing out posts here and is redirected to the provider's end_session, which
        # form-action governs too.
        "form-action": ["'self'", *([_SSO_LOGOUT_ORIGIN] if _SSO_LOGOUT_ORIGIN else [])],
        "frame-ancestors": ["'none'"],
        **({"report-uri": env.str("CSP_REPORT_URI")} if env.str("CSP_REPORT_URI", default="") else {}),
    },
}

# --- REST API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cxportal.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cxportal.api.authentication.HasScopeOrRole"],
    "DEFAULT_PAGINATION_CLASS": "cxportal.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "cxportal.api.filtering.FilterBackend",  # unknown or repeated query parameters are a 400
        "cxportal.api.filtering.OrderingFilter",  # so is an unknown ordering field
    ],
    # JSON in and out, nothing else: no browsable HTML API (it cannot render for API keys, and a generated client
    # must not be offered form or multipart bodies it would then send).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cxportal.api.errors.exception_handler",
    # Rates: API_KEY_RATE, API_USER_RATE, API_ANON_RATE below; counters in the cache (CACHES).
    "DEFAULT_THROTTLE_CLASSES": [
        "cxportal.api.throttling.ApiKeyRateThrottle",
        "cxportal.api.throttling.UserRateThrottle",
        "cxportal.api.throttling.AnonRateThrottle",
    ],
    # Unused by our throttles, which count the address behind TRUSTED_PROXIES (cxportal/clientip.py); 0 keeps
    # DRF's own get_ident from ever trusting a client-sent X-Forwarded-For.
    "NUM_PROXIES": 0,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CX portal API",
    "DESCRIPTION": "Customer journeys, surveys, KPIs and action plans. Authenticate with "
    "`Authorization: Api-Key <key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cxportal.api.throttling.schema_add_throttled_response",  # every operation may answer 429
        "cxportal.api.schema.schema_add_conventions",  # 400/401/403/404 answers, Idempotency-Key on POST
    ],
    "ENUM_NAME_OVERRIDES": {
        "JourneyMapKindEnum": "journeys.models.JourneyMap.Kind",
        "QuestionKindEnum": "surveys.models.Question.Kind",
        "JourneyMapStatusEnum": "journeys.models.JourneyMap.Status",
        "LaneKindEnum": "journeys.models.Lane.Kind",
        "ActionStatusEnum": "actionplans.models.Action.Status",
        "CampaignStatusEnum": "surveys.models.Campaign.Status",
        "InvitationStatusEnum": "surveys.models.Invitation.Status",
        "ScopeTypeEnum": "metrics.models.ScopeType",
        "EventKindEnum": "metrics.models.TouchpointEvent.Kind",
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery (every CELERY_* setting lives here) -------------------------------------------------
_BROKER_DIR = VAR_DIR / "broker"
for _sub in ("queue", "processed", "control"):
    (_BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        # Broadcast (worker control) tables; kombu's default is ./control in the working directory.
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # Longer than any countdown/ETA we use, so a late-acked task is not redelivered while it waits.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 60 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 11 * 60
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# One beat only: the scheduler holds a lock and a second beat on the same database refuses to start.
CELERY_BEAT_SCHEDULER = "cxportal.beat:LockedDatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Queues by purpose, so production can give each its own workers (deploy/cxportal-worker@.service) and a
# long recompute never holds up a campaign's mails; `make run` starts one worker consuming all of them.
# Every task is routed here by name (tests/cxportal/test_task_routes.py fails for a task that is not).
CX_CELERY_QUEUES = ("mail", "metrics", "voice", "webhooks", "default")
CELERY_TASK_DEFAULT_QUEUE = "default"
# Declared, so that a worker started without -Q consumes every queue (and none is forgotten). Each has an
# exchange and routing key of its own, as Celery makes for a queue it creates: with one shared routing key
# a message would land in every queue.
CELERY_TASK_QUEUES = [Queue(name, Exchange(name), routing_key=name) for name in CX_CELERY_QUEUES]
CELERY_TASK_ROUTES = {
    # mail: invitations, reminders (the dispatch queues both), digests, reports
    "surveys.dispatch_due_campaigns": {"queue": "mail"},
    "surveys.send_invitations": {"queue": "mail"},
    "actionplans.send_daily_digest": {"queue": "mail"},
    "reports.send_due": {"queue": "mail"},
    "reports.send_now": {"queue": "mail"},
    # metrics: the KPI recomputation
    "metrics.recompute_changed": {"queue": "metrics"},
    "metrics.recompute_all": {"queue": "metrics"},
    "decisions.train_churn_model": {"queue": "metrics"},
    # voice: text analysis of comments (reserved: its tasks land here once they exist)
    "voice.*": {"queue": "voice"},
    # webhooks: deliveries to integrators' endpoints (slow or unreachable targets wait only here)
    "webhooks.deliver": {"queue": "webhooks"},
    "webhooks.deliver_due": {"queue": "webhooks"},
    "webhooks.purge_deliveries": {"queue": "webhooks"},
    # default: short bookkeeping (closed-loop follow-up actions)
    "actionplans.detractor_follow_up": {"queue": "default"},
    "actionplans.target_crossing_follow_up": {"queue": "default"},
    "cxportal.apply_retention": {"queue": "default"},
}

# --- Product settings ---------------------------------------------------------------------------
CX_GROSS_MARGIN = env.float("CX_GROSS_MARGIN", default=1.0)
CX_MIN_SAMPLE_SIZE = env.int("CX_MIN_SAMPLE_SIZE", default=10)
# Decisions: key drivers need this many customers per driver; churn risk looks this many days ahead and
# refuses below these minimums (customers per training set, churners, held-out ROC AUC).
CX_DRIVERS_MIN_N = env.int("CX_DRIVERS_MIN_N", default=30)
CX_CHURN_HORIZON_DAYS = env.int("CX_CHURN_HORIZON_DAYS", default=90)
CX_CHURN_MIN_CUSTOMERS = env.int("CX_CHURN_MIN_CUSTOMERS", default=200)
CX_CHURN_MIN_CHURNERS = env.int("CX_CHURN_MIN_CHURNERS", default=10)
CX_CHURN_MIN_AUC = env.float("CX_CHURN_MIN_AUC", default=0.6)
CX_CURRENCY = env.str("CX_CURRENCY", default="EUR")
# Branding defaults for respondent pages and invitations until a CX manager sets them (/settings/branding/).
CX_COMPANY_NAME = env.str("CX_COMPANY_NAME", default="")
CX_ACCENT_COLOR = env.str("CX_ACCENT_COLOR", default="#0b5ed7")
# Fatigue rule: nobody is invited more than once in this many days, across all surveys.
CX_QUIET_PERIOD_DAYS = env.int("CX_QUIET_PERIOD_DAYS", default=14)
# Closed loop: a detractor answer older than this (an imported history) opens no follow-up action.
CX_FOLLOW_UP_MAX_AGE_DAYS = env.int("CX_FOLLOW_UP_MAX_AGE_DAYS", default=7)
# Send rate limit: at most this many invitations are queued per dispatch run (beat runs it every minute).
CX_SEND_RATE_PER_MINUTE = env.int("CX_SEND_RATE_PER_MINUTE", default=1000)
# Public survey links: at most this many submits per client IP and survey in the window (seconds).
SURVEY_SUBMIT_LIMIT = env.int("SURVEY_SUBMIT_LIMIT", default=20)
SURVEY_SUBMIT_WINDOW = env.int("SURVEY_SUBMIT_WINDOW", default=600)
# API throttling (429 with Retry-After): requests per API key, per signed-in person, per anonymous client
# address; <number>/[<count>]<second|minute|hour|day> (600/min, 10/15min), empty turns one off. Counted in
# the cache (see CACHE_URL).
API_KEY_RATE = env.str("API_KEY_RATE", default="600/min")
API_USER_RATE = env.str("API_USER_RATE", default="600/min")
API_ANON_RATE = env.str("API_ANON_RATE", default="60/min")
# Brute-force limit, same format: failed API-key authentications per client address (beyond: 429 for further
# invalid keys from it; a valid key is never refused for it).
API_AUTH_FAILURE_RATE = env.str("API_AUTH_FAILURE_RATE", default="20/min")
# Failed web sign-ins (cxportal/login.py): growing delays, never a hard lock. So many failures are free per
# (username, address), per address and per username (the last held only against addresses that failed on it);
# then each attempt waits BASE·2^n seconds after the last failure, at most MAX; forgotten after MEMORY seconds.
LOGIN_FAILURES_FREE = env.int("LOGIN_FAILURES_FREE", default=5)
LOGIN_ADDRESS_FAILURES_FREE = env.int("LOGIN_ADDRESS_FAILURES_FREE", default=20)
LOGIN_USERNAME_FAILURES_FREE = env.int("LOGIN_USERNAME_FAILURES_FREE", default=20)
LOGIN_BACKOFF_BASE_SECONDS = env.int("LOGIN_BACKOFF_BASE_SECONDS", default=2)
LOGIN_BACKOFF_MAX_SECONDS = env.int("LOGIN_BACKOFF_MAX_SECONDS", default=15 * 60)
LOGIN_FAILURE_MEMORY_SECONDS = env.int("LOGIN_FAILURE_MEMORY_SECONDS", default=24 * 60 * 60)
# Reverse proxies allowed to name the client in X-Forwarded-For (cxportal/clientip.py): a number of proxies
# in front of the app (nginx alone: 1), or their networks, comma-separated. Default 0: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env.str("TRUSTED_PROXIES", default="0")
# The largest request body the API's Idempotency-Key handling reads (bytes); larger ones answer 413.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=20 * 1024 * 1024)
# Webhooks: targets must resolve to public addresses unless this allows private/loopback ones (SSRF guard).
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=False)
# An attempt that does not answer 2xx is retried after 1, 2, 4 … minutes (capped), at most this many attempts.
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=8)
WEBHOOKS_RETRY_BASE_SECONDS = env.int("WEBHOOKS_RETRY_BASE_SECONDS", default=60)
WEBHOOKS_RETRY_MAX_SECONDS = env.int("WEBHOOKS_RETRY_MAX_SECONDS", default=60 * 60)
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=10.0)
# Finished deliveries (delivered, or failed for good) are purged this many days after their last attempt
# (beat, daily); 0 or empty keeps them forever. Once-only events stay recorded, so none is sent twice.
_webhooks_retention = env.str("WEBHOOKS_RETENTION_DAYS", default="30").strip() or "0"
WEBHOOKS_RETENTION_DAYS = int(_webhooks_retention) if _webhooks_retention.isdecimal() else -1
if not 0 <= WEBHOOKS_RETENTION_DAYS <= 36500:
    raise ImproperlyConfigured(
        f"WEBHOOKS_RETENTION_DAYS must be a whole number of days from 0 to 36500 (0 or empty keeps webhook "
        f"deliveries forever), not {_webhooks_retention!r}."
    )

# Data retention (cxportal/retention.py, nightly and `manage.py apply_retention [--dry-run]`): survey responses
# older than this are unlinked from the customer and their free texts blanked (scores keep counting); audit
# entries older than this are deleted. 0 keeps forever.
RETENTION_RESPONSES_DAYS = env.int("RETENTION_RESPONSES_DAYS", default=0)
RETENTION_AUDIT_DAYS = env.int("RETENTION_AUDIT_DAYS", default=730)
# Feedback items (tickets, reviews, survey comments) older than this are deleted with their topic links.
RETENTION_FEEDBACK_DAYS = env.int("RETENTION_FEEDBACK_DAYS", default=0)
for _name in ("RETENTION_RESPONSES_DAYS", "RETENTION_AUDIT_DAYS", "RETENTION_FEEDBACK_DAYS"):
    if not 0 <= globals()[_name] <= 36500:
        raise ImproperlyConfigured(f"{_name} must be a whole number of days from 0 to 36500 (0 keeps forever).")

# --- Cache --------------------------------------------------------------------------------------
# Holds the submit counters of public survey links, the sign-in delays and the API throttle counters. The
# local-memory default counts per process; with several web processes use a shared cache, so the limits hold
# across them: Redis in production (CACHE_URL=redis://127.0.0.1:6379/1); `make run` uses filecache:// in var/.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
