"""The cast: two teachers (A and B), rectorat staff, DRH staff; and the browser."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
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


# --- The test database: migrated once per run, cloned for each xdist worker ------------------------------------
# Migrating costs the same on every worker; PostgreSQL copies a migrated database in a fraction of it
# (CREATE DATABASE … TEMPLATE). The first worker migrates <test name>_template under a lock shared by the
# run's workers, each worker clones it as its own <test name>_gwN, and the controller drops the template at
# the end. A fresh run always migrates afresh (the lock's directory is the run's own); --reuse-db and a
# single process keep pytest-django's own setup.


def _test_database_name() -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    return str(database.get("TEST", {}).get("NAME") or f"test_{database['NAME']}")


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    verbosity = request.config.option.verbose
    if not worker or (django_db_keepdb and not django_db_createdb):
        with django_db_blocker.unblock():
            config = setup_databases(
                verbosity=verbosity, interactive=False, keepdb=django_db_keepdb and not django_db_createdb
            )
        yield
        if not django_db_keepdb:
            with django_db_blocker.unblock():
                teardown_databases(config, verbosity=verbosity)
        return

    clone = _test_database_name()  # pytest-django's xdist suffix is already there: test_…_gw0
    template = clone.removesuffix(f"_{worker}") + "_template"
    original = connection.settings_dict["NAME"]
    shared = tmp_path_factory.getbasetemp().parent  # the run's directory, the same for all its workers
    with django_db_blocker.unblock(), open(shared / "test-database.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, once this worker has its clone
        ready = shared / "test-database.ready"
        if not ready.exists():
            connection.settings_dict["TEST"] = {**connection.settings_dict.get("TEST", {}), "NAME": template}
            connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
            ready.write_text(template, encoding="utf-8")
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{clone}"')
            cursor.execute(f'CREATE DATABASE "{clone}" TEMPLATE "{template}"')
    _use_database(connection, clone)
    yield
    with django_db_blocker.unblock():
        connection.close()
        with connection._nodb_cursor() as cursor:  # a live server's thread may still hold a connection to the clone
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [clone],
            )
        connection.creation.destroy_test_db(original, verbosity=verbosity)


def _use_database(connection: Any, name: str) -> None:
    from django.conf import settings

    connection.close()
    for database in (settings.DATABASES["default"], connection.settings_dict):
        database["NAME"] = name
        database["TEST"] = {**database.get("TEST", {}), "NAME": name}


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The controller of an xdist run drops the template its workers cloned (nothing to do otherwise)."""
    config = session.config
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    if getattr(config.option, "reuse_db", False) and not getattr(config.option, "create_db", False):
        return
    import psycopg
    from django.conf import settings
    from psycopg.conninfo import make_conninfo

    database = settings.DATABASES["default"]
    given = {key.lower(): database.get(key) for key in ("HOST", "PORT", "USER", "PASSWORD")}
    conninfo = make_conninfo(dbname="postgres", **{key: str(value) for key, value in given.items() if value})
    try:
        db = psycopg.connect(conninfo, autocommit=True)
    except psycopg.OperationalError:
        return  # no server reached: no worker made a template on it either
    with db:
        db.execute(f'DROP DATABASE IF EXISTS "{_test_database_name()}_template"')  # type: ignore[arg-type]


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
