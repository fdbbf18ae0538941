"""The cast: two teachers (A and B), rectorat staff, DRH staff; and the browser."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import Client

from accounts.models import Agent
from lib.roles import DRH, RECTORAT
from tests import properties  # noqa: F401 - loads the Hypothesis profile (ci or thorough) before any test module
from tests.factories import PASSWORD, make_staff, make_teacher

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# made by the tests themselves are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _plain_static(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Argon2 is deliberately slow; tests hash hundreds of passwords (tests/security checks the real setting).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _clear_cache(request: pytest.FixtureRequest) -> None:
    # Rate limits live in the database cache: each database test starts with a clean slate.
    # Pure tests (barème, mouvement) never touch the database.
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if not ({"db", "transactional_db"} & names or marker):
        return
    transactional = "transactional_db" in names or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def teacher_a(db: None) -> Agent:
    return make_teacher("Frédéric", "Dupont")


@pytest.fixture
def teacher_b(db: None) -> Agent:
    return make_teacher("Françoise", "Dupont", echelon=9)


@pytest.fixture
def rectorat(db: None) -> Agent:
    return make_staff("Claire", "Gestion", RECTORAT)


@pytest.fixture
def drh(db: None) -> Agent:
    return make_staff("Denis", "Rh", DRH)


def login(agent: Agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client


@pytest.fixture
def client_a(teacher_a: Agent) -> Client:
    return login(teacher_a)


@pytest.fixture
def client_b(teacher_b: Agent) -> Client:
    return login(teacher_b)


@pytest.fixture
def password() -> str:
    return PASSWORD


# --- Browser (Debian's Chromium, never a downloaded one) ---------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        "viewport": {"width": 1280, "height": 900},
    }
