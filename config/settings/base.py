"""Settings shared by every environment; everything that differs comes from the environment.

``DATABASE_URL`` and ``REDIS_URL`` name the servers. Without them the embedded servers of
the ``dev`` profile (see ``config.embedded``) are started and used.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from config import sentry
from config.env import env, env_bool, server_urls
from core import logs

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env("SECRET_KEY", "dev-only-secret-key-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", False)

# Every committee's portal is a subdomain of BASE_DOMAIN; the bare domain is the central console.
BASE_DOMAIN = env("BASE_DOMAIN", "localhost")
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}", "127.0.0.1"]
# The reverse proxies in front of the platform (addresses or networks, comma-separated): only
# their X-Forwarded-For is believed when the client's address is needed (core.addresses).
TRUSTED_PROXIES = [
    str(ipaddress.ip_network(entry.strip(), strict=False))
    for entry in env("TRUSTED_PROXIES", "").split(",")
    if entry.strip()
]

DATABASE_URL, REDIS_URL = server_urls(env("YV_PROFILE", "dev"))

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "core",
    "franchise",
    "reporting",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "captcha",
    "import_export",
]
TENANT_APPS = [
    "portal",
    "timeline",
    "casework",
    "similarity",
    "qa",
    "helpcases",
    "capacity",
    "homes",
    "activities",
    "surveys",
    "shares",
    "suggestions",
    "ratings",
    "reactions",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Committee"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
TENANT_LIMIT_SET_CALLS = True
# The schema that new tenants are built from; migrated with every deploy (tenants.schema).
TENANT_TEMPLATE_SCHEMA = "tenant_template"

DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# A request never waits long for a database that is restarting: it gets a 503 (config.errors).
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
    env("DATABASE_CONNECT_TIMEOUT_S", "5")
)
# A database of its own on the same server (the benchmarks create and drop theirs).
if env("DATABASE_NAME", ""):
    DATABASES["default"]["NAME"] = env("DATABASE_NAME", "")
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MIDDLEWARE = [
    # Outermost: the request id, one log line and the latency of every answer.
    "core.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files first: they are the same for every committee and need no schema.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.middleware.CommitteeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the committee, language and account are known: its refusals are branded pages.
    "config.middleware.RequestGuardMiddleware",
    # One sign-in: an anonymous browser on a portal takes the console's session (core.relay).
    "core.relay.RelayMiddleware",
    # The central auditor writes nothing, on any domain, pages and API alike.
    "core.middleware.ReadOnlyAccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

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
                "django.template.context_processors.i18n",
                "tenants.context_processors.committee",
                "portal.context_processors.shell",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / ".local" / "media")))
# Question attachments: served only through a view that checks who asks.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / ".local" / "private")))
# Logos and banners are small; anything bigger is refused with a clear error.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024

# Content-Security-Policy on every response: scripts only from the platform's own static files
# (no inline script, no eval), images from here or data: URLs. Styles may be inline: a portal's
# colour is set in its page head. Forms post to this domain or another committee's.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, f"{BASE_DOMAIN}:*", f"*.{BASE_DOMAIN}:*"],
    }
}

# Redis carries caches, limits and tasks, never the truth: every client waits at most
# REDIS_TIMEOUT_S for it, and after a failure a process skips it for REDIS_RETRY_AFTER_S
# (core.redisguard); the cache then answers from this process's memory (core.cache).
REDIS_TIMEOUT_S = float(env("REDIS_TIMEOUT_S", "0.5"))
REDIS_RETRY_AFTER_S = float(env("REDIS_RETRY_AFTER_S", "5"))
CACHES = {
    "default": {
        "BACKEND": "core.cache.FallbackRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "SOCKET_TIMEOUT": REDIS_TIMEOUT_S,
            "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT_S,
        },
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "yv"),
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.JWTAuthentication",
        "core.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=30),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=14),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": SECRET_KEY,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Youth Voice API",
    "DESCRIPTION": "青年之声: one API for every League committee's portal. "
    "The committee is chosen by the host name; a token works on every committee's domain.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RoleKindEnum": "core.models.Role.Kind",
        "GrantableRoleKindEnum": "core.models.GRANTABLE_KINDS",
        "QuestionStateEnum": "qa.models.Question.State",
        "ReplyStateEnum": "qa.models.Reply.State",
        "ReplyKindEnum": "qa.models.Reply.Kind",
        "TeamKindEnum": "casework.models.Team.Kind",
        "StandardScoreKindEnum": "reporting.models.StandardScore.Kind",
        "QuestionEventKindEnum": "qa.models.QuestionEvent",
        "HelpCaseStateEnum": "helpcases.models.HelpCase.State",
        "BookingStateEnum": "homes.models.Booking.State",
        "ActivityStateEnum": "activities.models.Activity.State",
        "RegistrationStateEnum": "activities.models.Registration.State",
        "TeamStateEnum": "activities.models.Squad.State",
        "TruthReviewStateEnum": "casework.models.TruthReview.State",
        "CaseStateEnum": "franchise.models.CaseStudy.State",
        "CheckInMethodEnum": "activities.models.CheckIn.Method",
        "VerificationMethodEnum": "helpcases.models.Verification.Method",
        "SurveyQuestionKindEnum": "surveys.models.Question.Kind",
        "SuggestionStateEnum": "suggestions.models.Suggestion.State",
    },
}

# Where notifications go besides the in-app list (core.notifications), e.g.
# "core.notifications.SmsBackend".
NOTIFICATION_BACKENDS = env("NOTIFICATION_BACKENDS", "core.notifications.InAppBackend").split(",")
# Attachments to a question: images only.
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENTS_PER_QUESTION = 4
# The largest request body taken: a question with all its images (config.middleware); any
# other body is held to DATA_UPLOAD_MAX_MEMORY_SIZE (Django's 2.5 MB).
MAX_REQUEST_BYTES = ATTACHMENTS_PER_QUESTION * ATTACHMENT_MAX_BYTES + 1024 * 1024
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

# One-time codes for confirming a mobile number (core.sms).
SMS_BACKEND = env("SMS_BACKEND", "core.sms.ConsoleBackend")
SMS_CODE_TTL_S = 300
SMS_CODE_MAX_ATTEMPTS = 5
SMS_CODE_RESEND_S = 60
# Codes sent to one number a day (every purpose), and from one client address an hour before
# each further code from that address needs the picture challenge (core.challenges).
SMS_CODES_PER_PHONE_DAY = 10
SMS_CODES_PER_IP_HOUR = 20
# Failed logins allowed per phone number (then the number is locked for the window: a code
# still signs in and resets the password), and per client address before every login from it
# needs the picture challenge: a campus or a mobile carrier puts many people behind one
# address, so an address is never locked.
LOGIN_MAX_FAILURES = 5
LOGIN_CHALLENGE_AFTER_FAILURES_PER_ADDRESS = 20
LOGIN_FAILURE_WINDOW_S = 900
# The picture challenge: a sum drawn with secrets (core.challenges), answerable for 5 minutes.
CAPTCHA_CHALLENGE_FUNCT = "core.challenges.arithmetic_challenge"
CAPTCHA_TIMEOUT = 5
CAPTCHA_FONT_SIZE = 30
CAPTCHA_IMAGE_SIZE = (120, 44)
# Requests per client (the account when signed in, else the trusted client address) on the
# endpoints anyone may call (core.api.throttling); generous, as one address may be a campus.
# Each can be set by THROTTLE_<SCOPE> (e.g. THROTTLE_SEARCH=600/min), for a deployment whose
# traffic comes from a few addresses, or a load test from one.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    scope: env(f"THROTTLE_{scope.upper()}", rate)
    for scope, rate in {
        "classify": "120/min",
        "similar": "120/min",
        "search": "300/min",
        "ask": "30/hour",
        "register": "300/hour",
        "codes": "300/hour",
        "challenges": "600/hour",
        "vote": "30/min",
    }.items()
}
# An anonymous browser on a portal asks the console for its session again after this long
# (core.relay), and whenever it opens a sign-in page.
RELAY_RECHECK_S = 120

# Celery: tenant-aware (tenant-schemas-celery); Redis only carries the work.
CELERY_BROKER_URL = REDIS_URL.replace("unix://", "redis+socket://", 1)
CELERY_RESULT_BACKEND = None
# Publishing a task waits little for Redis and does not insist: the outbox and the pending
# notifications are swept by beat, so a task that could not be sent is done later anyway.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": max(REDIS_TIMEOUT_S, 1.0),
    "socket_connect_timeout": max(REDIS_TIMEOUT_S, 1.0),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = max(REDIS_TIMEOUT_S, 1.0)
# The worker keeps trying to reach Redis for as long as it is away (and at start-up).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "celery")
CELERY_TASK_TENANT_CACHE_SECONDS = 30
# The outbox (tenants.outbox): a message that failed this many times (10 s after the first
# failure, doubling up to an hour) is dead; it waits, with its receiver's later messages
# behind it, for the central admin to retry or discard it on the console.
OUTBOX_MAX_ATTEMPTS = int(env("OUTBOX_MAX_ATTEMPTS", "8"))
# Without "tenant_schemas" an entry is sent to every committee (tenants.scheduler).
SWEEP_S = float(env("SWEEP_S", "30"))
CELERY_BEAT_SCHEDULE = {
    "publish-due-notices": {
        "task": "portal.tasks.publish_due_notices",
        "schedule": 60.0,
    },
    "supervise-deadlines": {
        "task": "casework.tasks.supervise_deadlines",
        "schedule": 300.0,
    },
    # Youth homes: the coming days' slots, waitlist offers passed on, no-shows released.
    "make-home-slots": {
        "task": "homes.tasks.make_slots",
        "schedule": 3600.0,
    },
    "lapse-referral-offers": {
        "task": "homes.tasks.lapse_referrals",
        "schedule": 300.0,
    },
    "sync-home-directory": {
        "task": "homes.tasks.sync_directory",
        "schedule": 3600.0,
    },
    "lapse-waitlist-offers": {
        "task": "capacity.tasks.lapse_offers",
        "schedule": 60.0,
    },
    "remind-bookings": {
        "task": "homes.tasks.remind",
        "schedule": 300.0,
    },
    "release-no-shows": {
        "task": "homes.tasks.release_no_shows",
        "schedule": 300.0,
    },
    "end-activities": {
        "task": "activities.tasks.end_activities",
        "schedule": 300.0,
    },
    # 每周公告: last week's adopted suggestions, published once from Monday 09:00.
    "announce-adopted-suggestions": {
        "task": "suggestions.tasks.announce_adopted",
        "schedule": 3600.0,
    },
    # Words' rarity for the similarity service: recounted daily, checked hourly.
    "recount-words": {
        "task": "similarity.tasks.recount_words",
        "schedule": 3600.0,
    },
    # What could not be sent when it happened (Redis away) is done by these sweeps.
    "deliver-outbox": {
        "task": "tenants.tasks.deliver_outbox",
        "schedule": SWEEP_S,
        "tenant_schemas": ["public"],
    },
    "deliver-notifications": {
        "task": "core.tasks.deliver_pending_notifications",
        "schedule": SWEEP_S,
        "tenant_schemas": ["public"],
    },
    # The central rollup: lag stays under a minute (a sweep finds nothing to do in ~1 ms
    # per 200 committees).
    "ship-figures": {
        "task": "reporting.tasks.ship_figures",
        "schedule": 15.0,
        "tenant_schemas": ["public"],
    },
    # The operator's gauges that need every schema (core.monitoring), kept for /metrics.
    "measure-platform": {
        "task": "reporting.tasks.measure_platform",
        "schedule": 30.0,
        "tenant_schemas": ["public"],
    },
    # The standard scores (青年评议标准分) of every staff member and team, recomputed whole.
    "recompute-standard-scores": {
        "task": "reporting.tasks.recompute_standard_scores",
        "schedule": 6 * 3600.0,
        "tenant_schemas": ["public"],
    },
    "retrain-classifier": {
        "task": "franchise.tasks.retrain_classifier",
        "schedule": 24 * 3600.0,
        "tenant_schemas": ["public"],
    },
}
CELERY_BEAT_SCHEDULER = "tenants.scheduler.CommitteeScheduler"
# The worker and beat log through LOGGING below (JSON with the committee), not Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Logs (core.logs): one JSON object per line with LOG_FORMAT=json (production, ./yv start),
# a readable line otherwise; both with the request id, committee and user.
LOG_FORMAT = env("LOG_FORMAT", "text")
LOGGING = logs.config(log_format=LOG_FORMAT, level=env("LOG_LEVEL", "INFO"))

# Prometheus metrics at /metrics on the console (core.monitoring), for the operator only:
# a bearer token, or a client address in these networks (comma-separated).
METRICS_TOKEN = env("METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = [
    str(ipaddress.ip_network(entry.strip(), strict=False))
    for entry in env("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128").split(",")
    if entry.strip()
]

# Errors to Sentry when SENTRY_DSN is set (config.sentry): tagged with the committee, without
# personal data.
SENTRY_DSN = env("SENTRY_DSN", "")
if SENTRY_DSN:
    sentry.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
