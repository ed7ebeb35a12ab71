"""Production: the platform behind a reverse proxy that terminates TLS (nginx, a load balancer).

Required from the environment: ``SECRET_KEY``, ``BASE_DOMAIN`` (every committee's portal is a
subdomain of it), ``DATABASE_URL`` and ``REDIS_URL``. Optional:

- ``TRUSTED_PROXIES``: the proxy's addresses or networks, comma-separated; only from these is
  ``X-Forwarded-For`` believed (see ``core.addresses``). Without it every request's address is
  the peer's, which behind a proxy is the proxy's: set it there.
- ``SECURE_SSL_REDIRECT`` (default on): redirect plain HTTP to HTTPS (``/healthz`` excepted,
  for probes from inside). Turn off where the proxy redirects itself.
- ``SECURE_HSTS_SECONDS`` (default a year) and ``SECURE_HSTS_PRELOAD`` (default off: preloading
  is hard to undo and covers every subdomain, so it is a decision for the operator).
- ``EXTRA_ALLOWED_HOSTS``: further host names, comma-separated (a probe's address, say).
- ``LOG_FORMAT`` (default ``json``), ``METRICS_TOKEN`` and ``METRICS_ALLOWED_NETWORKS``
  (default none: behind a proxy every request would come from the proxy's address),
  ``SENTRY_DSN``: see the README's "Operating it".

``manage.py check --deploy`` passes with these settings (tests/test_settings.py).
"""

import os

from django.core.exceptions import ImproperlyConfigured

# Checked before the base settings read them: nothing falls back to a development default.
for _name in ("SECRET_KEY", "BASE_DOMAIN"):
    if not os.environ.get(_name, "").strip():
        raise ImproperlyConfigured(f"Set {_name} in the environment.")

from config.env import env, env_bool  # noqa: E402
from core import logs  # noqa: E402

from .base import *  # noqa: E402, F403

DEBUG = False
ALLOWED_HOSTS = [
    BASE_DOMAIN,  # noqa: F405
    f".{BASE_DOMAIN}",  # noqa: F405
    *[h.strip() for h in env("EXTRA_ALLOWED_HOSTS", "").split(",") if h.strip()],
]
CSRF_TRUSTED_ORIGINS = [f"https://{BASE_DOMAIN}", f"https://*.{BASE_DOMAIN}"]  # noqa: F405

# The proxy says whether the browser came by HTTPS; only the proxy can reach the platform.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz", r"^metrics$"]  # probes (/healthz, /live, /ready), Prometheus
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # every committee's portal is a subdomain
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# What a log collector reads: one JSON object per line.
LOG_FORMAT = env("LOG_FORMAT", "json")
LOGGING = logs.config(log_format=LOG_FORMAT, level=env("LOG_LEVEL", "INFO"))
# /metrics by token unless the operator names the networks of its Prometheus.
METRICS_ALLOWED_NETWORKS = [
    entry.strip() for entry in env("METRICS_ALLOWED_NETWORKS", "").split(",") if entry.strip()
]
