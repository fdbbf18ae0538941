"""A throwaway database and a gunicorn serving it, for benchmarks on loopback.

The portal benches (bench_load, bench_pages, bench_fault) share `portal_database()`: a database
migrated, with the demo data (what `manage.py load_demo` loads, but one password hash for every
account: PBKDF2 costs ~0.6 s a hash) and N bench teachers (bench0001…) whose dossiers are clones of
the demo teacher fdupont's, dropped at the end whatever happens. gunicorn runs with production
settings (IPROF_ENV=production, DEBUG=0, a random SECRET_KEY) behind a simulated TLS proxy: clients
send `X-Forwarded-Proto: https`, as the académie's reverse proxy does. Static files use the plain
storage (IPROF_PLAIN_STATIC=1) so that no collectstatic writes into the checkout's var/.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
BASE_URL = os.environ.get("DATABASE_URL", "postgres://iprof@127.0.0.1:54329/iprof")
BENCH_PASSWORD = "bench-iprof-clermont-2027"
# One secret for every process of a run, so that the in-process client and gunicorn agree.
SECRET_KEY = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(64)
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def machine_line() -> str:
    load1, load5, load15 = os.getloadavg()
    return f"machine: {os.cpu_count()} cores, load average {load1:.2f} {load5:.2f} {load15:.2f} (1/5/15 min)"


# Several checkouts share one PostgreSQL: every throwaway database is named after the checkout
# (bench_load_prod for /work/wt/prod), so that two benches never drop each other's database.
DB_SUFFIX = os.environ.get("BENCH_DB_SUFFIX", "_" + re.sub(r"[^a-z0-9]+", "_", ROOT.name.lower()).strip("_"))


def scoped(name: str) -> str:
    return name if name.endswith(DB_SUFFIX) else name + DB_SUFFIX


def database_url(name: str, base: str = BASE_URL) -> str:
    return base.rsplit("/", 1)[0] + "/" + scoped(name)


def recreate_database(name: str, base: str = BASE_URL) -> str:
    name = scoped(name)
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    return database_url(name, base)


def drop_database(name: str, base: str = BASE_URL) -> None:
    name = scoped(name)
    for attempt in range(10):  # after a PostgreSQL restart the server may need a moment
        try:
            with psycopg.connect(base, autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
            return
        except psycopg.OperationalError:
            if attempt == 9:
                raise
            time.sleep(1)


def env_for(url: str, *, production: bool = False, **extra: str) -> dict[str, str]:
    """Dev settings, DEBUG=0 (the default, as other benches expect); production=True for the portal's gunicorn.

    Production: a random SECRET_KEY shared by every process of the run, loopback hosts, mail kept in
    memory, and the plain static storage (no collectstatic into the checkout's shared var/).
    """
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DATABASE_URL=url, IPROF_ENV="dev", DEBUG="0", IPROF_PLAIN_STATIC="0", LOG_LEVEL="ERROR")
    if production:
        env.update(
            IPROF_ENV="production",
            IPROF_PLAIN_STATIC="1",
            SECRET_KEY=SECRET_KEY,
            ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            IPROF_SITE_URL="https://iprof.ac-clermont.fr",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
    env.update(extra)
    return env


def manage(url: str, *args: str, production: bool = False) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env_for(url, production=production),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SETUP = """
import sys
import time
import django
django.setup()
from django.core.management import call_command
started = time.perf_counter()
call_command("migrate", "--noinput", verbosity=0)
print(f"migrated in {time.perf_counter() - started:.1f} s", end=", ")
from django.contrib.auth.hashers import make_password
from django.db import transaction
from accounts.models import Agent
from dossier.models import Dossier
from iprof.demo import after_fixtures, fixture_files

n, password = int(sys.argv[1]), sys.argv[2]
hashed = make_password(password)  # one hash for all: PBKDF2 costs ~0.5 s each
# what `manage.py load_demo` does, but with one password hash for every demo agent (it hashes ~20)
with transaction.atomic():
    call_command("loaddata", *fixture_files(), verbosity=0)
    Agent.objects.filter(password="!").update(password=hashed)
    after_fixtures()
model = Dossier.objects.get(agent__identifiant="fdupont")
children = [
    rel for rel in Dossier._meta.related_objects
    if rel.one_to_many and rel.related_model.__name__ not in {"DossierChange"}
]


def copies_of(instance, **changes):
    fields = {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}
    fields.pop(type(instance)._meta.pk.attname, None)
    return type(instance)(**{**fields, **changes})


with transaction.atomic():
    agents = Agent.objects.bulk_create(
        Agent(identifiant=f"bench{i:04d}", nom="BENCH", prenom=f"Prof {i:04d}", email=f"bench{i:04d}@example.org",
              password=hashed)
        for i in range(1, n + 1)
    )
    dossiers = Dossier.objects.bulk_create(copies_of(model, agent_id=agent.pk) for agent in agents)
    for rel in children:
        rows = list(rel.related_model._default_manager.filter(**{rel.field.name: model}))
        attname = rel.field.attname
        copies = [copies_of(row, **{attname: dossier.pk}) for dossier in dossiers for row in rows]
        rel.related_model._default_manager.bulk_create(copies, batch_size=2000)
print(f"demo + {len(agents)} bench teachers with cloned dossiers", end="")
"""


def setup_portal(url: str, n: int) -> str:
    """In one process: migrate (the cache table included), the demo data (as load_demo), then n bench teachers
    bench0001… with a clone of fdupont's dossier each; every account has the password BENCH_PASSWORD."""
    done = subprocess.run(
        [sys.executable, "-c", SETUP, str(n), BENCH_PASSWORD],
        cwd=ROOT,
        env=env_for(url, DJANGO_SETTINGS_MODULE="iprof.settings"),
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


@contextmanager
def portal_database(name: str, teachers: int = 500, base: str = BASE_URL) -> Iterator[str]:
    """A throwaway copy of the portal with demo data and `teachers` bench teachers; always dropped.

    `base`: a URL of the PostgreSQL server to create it on (the checkout's by default, or a
    throwaway_postgres())."""
    started = time.perf_counter()
    url = recreate_database(name, base)
    try:
        made = setup_portal(url, teachers)
        print(f"setup: database {scoped(name)} {made}, {time.perf_counter() - started:.1f} s in all")
        yield url
    finally:
        drop_database(name, base)
        print(f"cleanup: database {scoped(name)} dropped")


def sql(url: str, query: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with psycopg.connect(url, connect_timeout=10) as conn:
        return list(conn.execute(query, params).fetchall())  # type: ignore[arg-type]


def gunicorn_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


CHAINED = ("During handling of the above exception", "The above exception was the direct cause")


def log_summary(text: str) -> str:
    """How many errors the log holds, by the exception that ended each traceback (the last of a chain)."""
    lines = [line for line in text.splitlines() if line.strip()]
    ends, inside = [], False
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            inside = True
        elif inside and not line.startswith((" ", "\t", *CHAINED)):
            inside = False
            after = next((x for x in lines[i + 1 :] if not x.startswith((" ", "\t"))), "")  # messages go on indented
            if not after.startswith(CHAINED):
                ends.append(line.strip()[:120])
    counted = Counter(ends)
    return f"{len(ends)} errors with a traceback" + "".join(f"; {n} x {end}" for end, n in counted.most_common(3))


@dataclass(frozen=True)
class Gunicorn:
    port: int
    pid: int  # the master; the workers are its children
    workers: int


@contextmanager
def gunicorn(
    url: str, workers: int | None = None, *, env: dict[str, str] | None = None, port: int | None = None
) -> Iterator[Gunicorn]:
    """`gunicorn iprof.wsgi` (the production command) on a free loopback port; always stopped.

    `env` replaces the production environment (bench_lighthouse serves what `make run` serves)."""
    port = port or free_port()
    workers = workers or gunicorn_workers()
    log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "iprof.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env or env_for(url, production=True),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    sante = urllib.request.Request(f"http://127.0.0.1:{port}/sante/", headers=PROXY_HEADERS)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(sante, timeout=2)  # noqa: S310 - a fixed http://127.0.0.1 address
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start; see {log.name}") from None
                time.sleep(0.2)
        # every worker imports the project lazily: warm them all before measuring
        for _ in range(workers * 4):
            urllib.request.urlopen(sante, timeout=10)  # noqa: S310
        yield Gunicorn(port, proc.pid, workers)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()
        errors = Path(log.name).read_text(errors="replace")
        if "Traceback" in errors or "[ERROR]" in errors or "[CRITICAL]" in errors:
            print(f"gunicorn log ({log.name}) has errors: {log_summary(errors)}; last lines:")
            print("\n".join(errors.splitlines()[-6:]))
        else:
            Path(log.name).unlink(missing_ok=True)


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own (initdb in a temporary directory, a free loopback port), for a bench that
    must stop the server: the checkout's shared server is never touched. As root the server runs as the Debian
    `postgres` user, as scripts/postgres.sh does."""

    def __init__(self, tmp: Path) -> None:
        self.bin = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1])
        self.data, self.run = tmp / "pgdata", tmp / "pgrun"
        self.port = free_port()
        self.url = f"postgres://iprof@127.0.0.1:{self.port}/postgres"
        self.root = os.geteuid() == 0
        for directory in (self.data, self.run):
            directory.mkdir(mode=0o700)
        if self.root:
            tmp.chmod(0o711)
            for directory in (self.data, self.run):
                shutil.chown(directory, "postgres", "postgres")
        self._as_owner(str(self.bin / "initdb"), "-D", str(self.data), "-U", "iprof", "--auth=trust", "-E", "UTF8",
                       "--locale=C.UTF-8")  # fmt: skip

    def _as_owner(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.root else []
        subprocess.run([*prefix, *command], cwd="/", check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.run} -c max_connections=100"
        self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.run / "postgres.log"), "-w",
                       "-t", "60", "-o", options, "start")  # fmt: skip

    def stop(self) -> None:
        self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        """What an operator's restart does: a fast shutdown (open transactions rolled back), then a start."""
        self.stop()
        self.start()


@contextmanager
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    with tempfile.TemporaryDirectory(prefix="bench-pg-") as tmp:
        cluster = ThrowawayPostgres(Path(tmp))
        cluster.start()
        try:
            yield cluster
        finally:
            with contextlib.suppress(subprocess.CalledProcessError):
                cluster.stop()
