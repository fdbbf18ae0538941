"""A small scripted HTTP client for load runs on loopback: cookies, CSRF, latency per endpoint.

No third-party load tool: threads + http.client keep the generator cheap and the figures honest.
"""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies[name].append(seconds)
            self.statuses[status] += 1

    def count(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def report(stats: Stats, elapsed: float, title: str) -> None:
    total = stats.count()
    print(
        f"{title}: {total} requests in {elapsed:.1f} s = {total / elapsed:.1f} req/s; "
        f"5xx: {stats.server_errors()}; statuses: {dict(sorted(stats.statuses.items()))}"
    )
    for name, values in sorted(stats.latencies.items()):
        print(
            f"  {name:<22} n={len(values):<6} p50={percentile(values, 50) * 1000:6.1f} ms  "
            f"p95={percentile(values, 95) * 1000:6.1f} ms  p99={percentile(values, 99) * 1000:6.1f} ms  "
            f"mean={statistics.fmean(values) * 1000:6.1f} ms"
        )


class Browser:
    """One user: keeps cookies, follows nothing automatically, records each request."""

    def __init__(self, host: str, port: int, stats: Stats | None = None) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.stats = stats
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        return self.conn

    def request(self, name: str, method: str, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        headers = {"Host": f"{self.host}:{self.port}", "Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        started = time.perf_counter()
        try:
            conn = self._connection()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            if self.stats is not None:
                self.stats.add(name, time.perf_counter() - started, 599)
                with self.stats.lock:
                    self.stats.errors.append(f"{name}: {exc!r}")
            return 599, "", ""
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        if self.stats is not None:
            self.stats.add(name, elapsed, response.status)
        return response.status, response.headers.get("Location", ""), text

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
    seconds: float, users: int, scenario: Callable[[int, Stats, Callable[[], bool]], None]
) -> tuple[Stats, float]:
    """Run `scenario(user_index, stats, keep_going)` in `users` threads for a bounded time."""
    stats = Stats()
    deadline = time.perf_counter() + seconds

    def keep_going() -> bool:
        return time.perf_counter() < deadline

    threads = [threading.Thread(target=scenario, args=(i, stats, keep_going), daemon=True) for i in range(users)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    return stats, time.perf_counter() - started
