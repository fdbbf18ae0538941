"""A small scripted HTTP client for load runs on loopback: cookies, CSRF, latency per endpoint.

No third-party load tool: threads + http.client keep the generator cheap and the figures honest.
Each simulated visitor may connect from its own loopback address (127.x.y.z): the portal's
per-IP login rate limit then sees distinct clients, as it would in production.
"""

from __future__ import annotations

import http.client
import itertools
import os
import re
import statistics
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Protocol

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONNECTION_ERROR = 599  # the client could not get an answer at all (refused, reset, timeout)


@dataclass(frozen=True)
class Event:
    """One request, kept for the timeline of a fault run."""

    at: float  # seconds since the Stats were created
    name: str
    status: int
    seconds: float
    retry_after: str = ""
    body: str = ""  # kept only for 5xx answers


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    origin: float = field(default_factory=time.perf_counter)

    def add(self, name: str, seconds: float, status: int, *, retry_after: str = "", body: str = "") -> None:
        event = Event(
            time.perf_counter() - self.origin, name, status, seconds, retry_after, body if status >= 500 else ""
        )
        with self.lock:
            self.latencies[name].append(seconds)
            self.statuses[status] += 1
            self.events.append(event)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)

    def count(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if 500 <= status < CONNECTION_ERROR)

    def connection_errors(self) -> int:
        return self.statuses.get(CONNECTION_ERROR, 0)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def report(stats: Stats, elapsed: float, title: str, order: list[str] | None = None) -> None:
    total = stats.count()
    print(
        f"{title}: {total} requests in {elapsed:.1f} s = {total / elapsed:.1f} req/s; "
        f"5xx: {stats.server_errors()}; no answer: {stats.connection_errors()}; "
        f"statuses: {dict(sorted(stats.statuses.items()))}"
    )
    names = order or sorted(stats.latencies)
    for name in [n for n in names if n in stats.latencies]:
        values = stats.latencies[name]
        print(
            f"  {name:<16} n={len(values):<5} p50={percentile(values, 50) * 1000:6.1f} ms  "
            f"p95={percentile(values, 95) * 1000:6.1f} ms  p99={percentile(values, 99) * 1000:6.1f} ms  "
            f"mean={statistics.fmean(values) * 1000:6.1f} ms"
        )


_addresses = itertools.count(1)
_addresses_lock = threading.Lock()


def next_client_address() -> str:
    """A fresh loopback source address per visitor: 127.0.0.2, 127.0.0.3, … (skipping .0 and .255)."""
    with _addresses_lock:
        while True:
            n = next(_addresses)
            a, b, c = (n >> 16) & 255, (n >> 8) & 255, n & 255
            if 1 < c < 255:
                return f"127.{a}.{b}.{c}"


class Browser:
    """One user: keeps cookies, follows nothing automatically, records each request."""

    def __init__(
        self,
        host: str,
        port: int,
        stats: Stats | None = None,
        *,
        source: str | None = None,
        headers: dict[str, str] | None = None,
        scheme: str = "http",
    ) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.stats = stats
        self.source = source
        self.extra_headers = headers or {}
        self.scheme = scheme  # what the pages believe (https behind the TLS proxy): Referer must match
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            source = (self.source, 0) if self.source else None
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30, source_address=source)
        return self.conn

    def request(self, name: str, method: str, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        status, location, content = self.send(name, method, path, body, "application/x-www-form-urlencoded")
        return status, location, content.decode("utf-8", "replace")

    def send(
        self, name: str, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> tuple[int, str, bytes]:
        """One request with a raw body (a form, a multipart upload); the answer's bytes as they came."""
        headers = {"Host": f"{self.host}:{self.port}", "Connection": "keep-alive", **self.extra_headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
            headers["Referer"] = f"{self.scheme}://{self.host}:{self.port}{path}"
        started = time.perf_counter()
        try:
            conn = self._connection()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            if self.stats is not None:
                self.stats.add(name, time.perf_counter() - started, CONNECTION_ERROR)
                self.stats.error(f"{name}: {exc!r}")
            return CONNECTION_ERROR, "", b""
        elapsed = time.perf_counter() - started
        if response.will_close:
            self.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel.value in ("", '""'):
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        if self.stats is not None:
            text = content.decode("utf-8", "replace") if response.status >= 500 else ""
            self.stats.add(
                name, elapsed, response.status, retry_after=response.headers.get("Retry-After", ""), body=text
            )
        return response.status, response.headers.get("Location", ""), content

    def post_file(
        self, name: str, path: str, page_text: str, fields: dict[str, str], file_field: str, filename: str, data: bytes
    ) -> tuple[int, str, str]:
        """A multipart/form-data POST with one file, as a browser sends an <input type=file> form."""
        match = CSRF_INPUT.search(page_text)
        boundary = "----iprof" + os.urandom(12).hex()
        parts = [b""]
        for key, value in {"csrfmiddlewaretoken": match.group(1) if match else "", **fields}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        body = b"".join(parts)
        status, location, content = self.send(name, "POST", path, body, f"multipart/form-data; boundary={boundary}")
        return status, location, content.decode("utf-8", "replace")

    def get(self, name: str, path: str) -> tuple[int, str, str]:
        return self.request(name, "GET", path)

    def post_form(self, name: str, path: str, page_text: str, fields: dict[str, str]) -> tuple[int, str, str]:
        match = CSRF_INPUT.search(page_text)
        data = {"csrfmiddlewaretoken": match.group(1) if match else "", **fields}
        return self.request(name, "POST", path, data)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def run_for(
    seconds: float, users: int, scenario: Callable[[int, Stats, Callable[[], bool]], None], stats: Stats | None = None
) -> tuple[Stats, float]:
    """Run `scenario(user_index, stats, keep_going)` in `users` threads for a bounded time.

    Pass `stats` to know its origin (Event.at counts from it) while the run goes on.
    """
    stats = stats or Stats()
    deadline = time.perf_counter() + seconds

    def keep_going() -> bool:
        return time.perf_counter() < deadline

    def guarded(i: int) -> None:
        try:
            scenario(i, stats, keep_going)
        except Exception as exc:
            stats.error(f"user {i} stopped: {exc!r}")

    threads = [threading.Thread(target=guarded, args=(i,), daemon=True) for i in range(users)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    return stats, time.perf_counter() - started


# --- CPU accounting: is the server saturating the cores? -------------------------------------------


def _proc_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of a process and its live children (gunicorn master + workers)."""
    return _proc_cpu_seconds(pid) + sum(_proc_cpu_seconds(child) for child in _children(pid))


def postgres_cpu_seconds() -> dict[int, float]:
    """CPU seconds of every live `postgres` process, by pid (the server is shared with other runs)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found[int(entry.name)] = _proc_cpu_seconds(int(entry.name))
            except OSError:
                continue
    return found


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


@dataclass
class CpuMeter:
    """Where the CPU went during a run: gunicorn, PostgreSQL, this load generator, the whole machine."""

    gunicorn_pid: int
    started: float = 0.0
    marks: tuple[float, float, float, float] = (0, 0, 0, 0)
    postgres_marks: dict[int, float] = field(default_factory=dict)
    gunicorn: float = 0.0  # results, in cores
    postgres: float = 0.0
    client: float = 0.0
    machine: float = 0.0

    def __enter__(self) -> CpuMeter:
        busy, total = machine_busy()
        self.started = time.perf_counter()
        self.postgres_marks = postgres_cpu_seconds()
        self.marks = (tree_cpu_seconds(self.gunicorn_pid), time.process_time(), busy, total)
        return self

    def __exit__(self, *exc: object) -> None:
        busy, total = machine_busy()
        elapsed = time.perf_counter() - self.started
        g0, c0, b0, t0 = self.marks
        cores = os.cpu_count() or 1
        self.gunicorn = (tree_cpu_seconds(self.gunicorn_pid) - g0) / elapsed
        # backends that ended during the run are not counted: a lower bound
        now = postgres_cpu_seconds()
        self.postgres = sum(max(0.0, cpu - self.postgres_marks.get(pid, 0.0)) for pid, cpu in now.items()) / elapsed
        self.client = (time.process_time() - c0) / elapsed
        self.machine = (busy - b0) / max(1, total - t0) * cores

    def line(self) -> str:
        cores = os.cpu_count() or 1
        return (
            f"CPU in cores (of {cores}): gunicorn {self.gunicorn:.2f}, postgres (all databases) {self.postgres:.2f}, "
            f"load generator {self.client:.2f}, whole machine {self.machine:.2f} ({self.machine / cores:.0%} busy)"
        )


# --- The closing-day journey of a teacher on the portal ---------------------------------------------

PROXY_HEADERS = {"X-Forwarded-Proto": "https"}  # the académie's TLS-terminating reverse proxy
DEMANDE_URL = re.compile(r"^/siam/demandes/(\d+)/$")


class FormBrowser(Protocol):
    def get(self, name: str, path: str) -> tuple[int, str, str]: ...
    def post_form(self, name: str, path: str, page_text: str, fields: dict[str, str]) -> tuple[int, str, str]: ...


def start_demande(b: FormBrowser, slug: str, name: str = "demande open") -> tuple[int, str, str]:
    """The account's demande: a GET redirects to it; without one, POST « Commencer ma demande » from that page."""
    opened = b.get(name, f"/siam/{slug}/demande/")
    if opened[0] == 200:  # a GET never creates the demande
        opened = b.post_form("demande start POST", f"/siam/{slug}/demande/commencer/", opened[2], {})
    return opened


SAVED_URL = re.compile(r"^/siam/demandes/(\d+)/voeux/\?ajout=(\d+)")
VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')
JOURNEY = [
    "login page",
    "login POST",
    "home",
    "dossier",
    "demande open",
    "voeux page",
    "voeu save POST",
    "voeux after save",
    "logout POST",
]


@dataclass(frozen=True)
class Ack:
    """A voeu the server said it saved (302 to the list with ?ajout=<pk>)."""

    identifiant: str
    demande: int
    voeu: int
    type: str
    code: str


@dataclass
class Account:
    identifiant: str
    targets: list[tuple[str, str]]  # (type, code) still to add, each valid for the campagne and distinct


class AccountPool:
    """Bench teachers handed out one at a time: no two threads ever share an account."""

    def __init__(self, identifiants: list[str], targets: list[tuple[str, str]], per_account: int, seed: int) -> None:
        import random

        self._rng = random.Random(seed)
        self._identifiants = iter(identifiants)
        self._targets, self._per_account = targets, per_account
        self._lock = threading.Lock()

    def take(self) -> Account:
        with self._lock:
            identifiant = next(self._identifiants)  # StopIteration: the pool is too small for the run
            chosen = self._rng.sample(self._targets, min(self._per_account, len(self._targets)))
        return Account(identifiant, chosen)


@dataclass
class Journey:
    """GET login, POST login, home, dossier, open the demande, voeux, add a voeu, voeux, logout."""

    port: int
    slug: str
    password: str
    pool: AccountPool
    acks: list[Ack] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    pause_after_failure: float = 0.1
    # fault runs: a 5xx or no answer is retried like a user pressing reload (same page, same session)
    retry_for: float = 0.0

    def user(self, index: int, stats: Stats, keep_going: Callable[[], bool]) -> None:
        account = self.pool.take()
        while keep_going():
            if not account.targets:
                account = self.pool.take()
            if not self.visit(account, stats):
                time.sleep(self.pause_after_failure)

    def visit(self, account: Account, stats: Stats) -> bool:
        """One visit; False (and a note in stats.errors) at the first unexpected answer."""
        b = Browser("127.0.0.1", self.port, stats, source=next_client_address(), headers=PROXY_HEADERS, scheme="https")
        try:
            return self._steps(b, account, stats)
        finally:
            b.close()

    def _steps(self, b: Browser, account: Account, stats: Stats) -> bool:
        def expect(step: str, got: tuple[int, str, str], status: int) -> bool:
            if got[0] != status:
                stats.error(f"{step}: {got[0]} (expected {status}) {got[1]}")
                return False
            return True

        if self.retry_for:
            b = Retrying(b, self.retry_for, self.pause_after_failure)  # type: ignore[assignment]

        page = b.get("login page", "/compte/login/")
        if not expect("login page", page, 200):
            return False
        login = {"login": account.identifiant, "password": self.password}
        if not expect("login POST", b.post_form("login POST", "/compte/login/", page[2], login), 302):
            return False
        if not expect("home", b.get("home", "/"), 200):
            return False
        if not expect("dossier", b.get("dossier", "/dossier/"), 200):
            return False
        opened = start_demande(b, self.slug)
        match = DEMANDE_URL.match(opened[1])
        if not expect("demande open", opened, 302) or not match:
            return False
        demande = int(match.group(1))
        page = b.get("voeux page", f"/siam/demandes/{demande}/voeux/")
        version = VERSION_INPUT.search(page[2])
        if not expect("voeux page", page, 200) or not version:
            return False
        voeu_type, code = account.targets.pop()  # never retried: a lost answer may hide a saved voeu
        fields = {"version": version.group(1), "type": voeu_type, "code": code, "filtre": "TOUT"}
        saved = b.post_form("voeu save POST", f"/siam/demandes/{demande}/voeux/ajouter/", page[2], fields)
        match = SAVED_URL.match(saved[1])
        if not expect("voeu save POST", saved, 302) or not match:
            return False
        with self.lock:
            self.acks.append(Ack(account.identifiant, demande, int(match.group(2)), voeu_type, code))
        page = b.get("voeux after save", saved[1].split("#", 1)[0])
        if not expect("voeux after save", page, 200):
            return False
        return expect("logout POST", b.post_form("logout POST", "/compte/deconnexion/", page[2], {}), 302)


class Retrying:
    """A Browser whose requests are repeated while the answer is a 5xx or nothing, for a bounded time."""

    def __init__(self, browser: Browser, seconds: float, pause: float) -> None:
        self.browser, self.seconds, self.pause = browser, seconds, pause

    def _again(self, call: Callable[[], tuple[int, str, str]]) -> tuple[int, str, str]:
        deadline = time.perf_counter() + self.seconds
        got = call()
        while got[0] >= 500 and time.perf_counter() < deadline:
            time.sleep(self.pause)
            got = call()
        return got

    def get(self, name: str, path: str) -> tuple[int, str, str]:
        return self._again(lambda: self.browser.get(name, path))

    def post_form(self, name: str, path: str, page_text: str, fields: dict[str, str]) -> tuple[int, str, str]:
        return self._again(lambda: self.browser.post_form(name, path, page_text, fields))
