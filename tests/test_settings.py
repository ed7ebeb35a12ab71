"""The production settings, read in a process of their own with a deployment's environment."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NAMES = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "TRUSTED_PROXIES",
    "CONTENT_SECURITY_POLICY",
]


def _environment(**changes) -> dict:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "BASE_DOMAIN": "qingnian.example.cn",
        "TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.7",
        **changes,
    }
    return {name: value for name, value in environment.items() if value is not None}


def _settings(**changes) -> subprocess.CompletedProcess:
    program = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {NAMES!r}}}))"
    )
    return subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        env=_environment(**changes),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_for_a_deployment_behind_a_tls_proxy():
    done = _settings()
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["qingnian.example.cn", ".qingnian.example.cn"]
    assert values["CSRF_TRUSTED_ORIGINS"] == [
        "https://qingnian.example.cn",
        "https://*.qingnian.example.cn",
    ]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True  # every committee is a subdomain
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["TRUSTED_PROXIES"] == ["10.0.0.0/8", "192.168.1.7/32"]
    directives = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert "*.qingnian.example.cn:*" in directives["form-action"]


def test_the_redirect_to_https_can_be_left_to_the_proxy():
    done = _settings(SECURE_SSL_REDIRECT="off", SECURE_HSTS_PRELOAD="on")
    values = json.loads(done.stdout.strip().splitlines()[-1])
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_PRELOAD"] is True


@pytest.mark.parametrize("missing", ["SECRET_KEY", "BASE_DOMAIN"])
def test_production_refuses_to_start_without_its_secret_or_domain(missing):
    done = _settings(**{missing: None})
    assert done.returncode != 0
    assert f"Set {missing} in the environment." in done.stderr


def test_a_trusted_proxy_that_is_no_address_stops_the_start():
    done = _settings(TRUSTED_PROXIES="the-proxy")
    assert done.returncode != 0
    assert "the-proxy" in done.stderr


@pytest.mark.slow
def test_the_deployment_check_passes_but_for_preloading():
    """``check --deploy`` finds nothing but W021: preloading HSTS is left to the operator."""
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_environment(SECURE_HSTS_PRELOAD="on"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
