from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def _production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"IPROF_ENV", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        IPROF_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="iprof.ac-clermont.fr",
        IPROF_SITE_URL="https://iprof.ac-clermont.fr",
    )
    return env


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_the_site_url() -> None:
    env = _production_env()
    env.pop("IPROF_SITE_URL")
    result = _check(env)
    assert result.returncode != 0
    assert "IPROF_SITE_URL" in result.stderr


def test_a_yes_no_setting_with_a_typo_stops_the_start() -> None:
    env = _production_env()
    env["SECURE_SSL_REDIRECT"] = "ture"
    result = _check(env)
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT='ture'" in result.stderr
    env["SECURE_SSL_REDIRECT"] = "off"
    assert _check(env).returncode == 0


def test_check_deploy_passes_with_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret() -> None:
    env = _production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_html_responses_carry_a_strict_policy(client_a: Client, settings) -> None:
    response = client_a.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    body = response.content.decode()
    # every script tag is external and carries the nonce
    import re

    found = re.search(r"'nonce-([^']+)'", csp)
    assert found is not None, csp
    nonce = found.group(1)
    for tag in re.findall(r"<script[^>]*>", body):
        assert "src=" in tag and f'nonce="{nonce}"' in tag, tag


def test_https_settings_in_production(settings) -> None:
    env = _production_env()
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='iprof.settings';django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.split() == ["True", "True", "True", "Lax", "True", "True", "False"], result.stderr
