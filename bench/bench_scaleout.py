"""The production topology on loopback: HAProxy in front of two gunicorn nodes, Redis, PostgreSQL.

Run: IPROF_ENV=test .venv/bin/python bench/bench_scaleout.py   (or `make bench`)

A throwaway database `bench_scaleout` (demo data + 500 bench teachers), a throwaway Redis
(Debian redis-server on a free loopback port, no persistence) as the cache of both nodes
(CACHE_URL: allauth's login rate limits), a throwaway SFTP server (bench/sftpd.py, Debian's sshd) as
the private files' store (FILE_STORAGE_BACKEND=lib.storage.SFTPStorage; each node's MEDIA_ROOT is its
own and stays empty), and two `gunicorn iprof.wsgi` nodes (production settings, TRUSTED_PROXY_COUNT=1)
that share nothing else. HAProxy (Debian haproxy) balances round-robin
without stickiness, so one teacher's requests go to both nodes (sessions in PostgreSQL), and
checks GET /sante/ on each node every second (2 failures: DOWN).

0. Private files are shared: bench_storage.shared_files (a pièce and a courrier attachment uploaded
   through node 1, downloaded through node 2, another teacher refused on both, the file on the SFTP side).
1. Rate limits are shared: after 5 wrong passwords for one identifiant, sent to the two nodes in turn,
   the right password is refused too (allauth: 5/5m/key), and the counters are in Redis.
2. The closing-day journey (loadlib.JOURNEY) at BENCH_SCALE_LEVELS (8,16,32,64) concurrent teachers,
   BENCH_SCALE_SECONDS (12 s) each, with one node (the other in maintenance) then two: requests/s,
   journeys/s, p50/p95/p99 of every request and of the voeu save, 5xx, refused connections.
3. One node killed (SIGKILL, master and workers) mid-load at 16 teachers: when HAProxy marks it
   DOWN, the errors and when they happened, then the node restarted on its port and when it is UP
   again; every acknowledged voeu save is then looked up in the database.
Everything is stopped and dropped at the end. Needs haproxy and redis-server (Debian packages):
`make bench` installs them when missing, and openssh-server (without it the nodes share a MEDIA_ROOT
directory instead, as a shared file system would).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_load
import bench_storage
import loadlib
import server
import sftpd

DB = "bench_scaleout"
SLUG = "intra-2027-clermont"
TEACHERS = 500
LEVELS = [int(n) for n in os.environ.get("BENCH_SCALE_LEVELS", "8,16,32,64").split(",")]
SECONDS = float(os.environ.get("BENCH_SCALE_SECONDS", "12"))
KILL_SECONDS = 36.0  # kill at 8 s, restart at 18 s
KILL_CONCURRENCY = 16
SAVE = "voeu save POST"


@contextmanager
def redis_server(tmp: Path) -> Iterator[str]:
    port = server.free_port()
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp),
            "--protected-mode",
            "yes",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


HAPROXY = """
global
    maxconn 2000
    stats socket {socket} level admin
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout queue 30s
    # a busy node answers /sante/ after the requests ahead of it: never mark it DOWN for being busy
    timeout check 5s
    # a request a dead node refused (nothing sent yet) goes to the other node at once; nothing sent is replayed
    retries 3
    option redispatch 1
    option forwardfor
frontend portal
    bind 127.0.0.1:{port}
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk
    http-check send meth GET uri /sante/ ver HTTP/1.1 hdr Host 127.0.0.1 hdr X-Forwarded-Proto https
    http-check expect status 200
    # at most one request per sync worker on a node; the others wait here, not in gunicorn's backlog
    # a node that refuses real traffic is taken out at once, without waiting for 2 failed checks
    default-server check inter 1s fall 2 rise 2 maxconn {maxconn} observe layer4 error-limit 1 on-error mark-down
{servers}
"""


class HAProxy:
    def __init__(self, tmp: Path, nodes: dict[str, int], maxconn: int) -> None:
        self.port = server.free_port()
        self.socket = tmp / "haproxy.sock"
        config = tmp / "haproxy.cfg"
        servers = "\n".join(f"    server {name} 127.0.0.1:{port}" for name, port in nodes.items())
        config.write_text(HAPROXY.format(socket=self.socket, port=self.port, servers=servers, maxconn=maxconn))
        self.proc = subprocess.Popen(["haproxy", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while [self.states().get(name) for name in nodes] != ["UP"] * len(nodes):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"haproxy did not start: {self.proc.stderr.read().decode() if self.proc.stderr else ''}"
                )
            time.sleep(0.2)

    def command(self, line: str) -> str:
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(str(self.socket))
                s.sendall(line.encode() + b"\n")
                chunks = []
                while chunk := s.recv(65536):
                    chunks.append(chunk)
            return b"".join(chunks).decode()
        except OSError:
            return ""

    def rows(self) -> list[dict[str, str]]:
        lines = self.command("show stat").splitlines()
        if not lines:
            return []
        header = lines[0].lstrip("# ").split(",")
        return [dict(zip(header, row.split(","), strict=False)) for row in lines[1:] if row]

    def states(self) -> dict[str, str]:
        return {
            r["svname"]: r["status"].split(" ")[0]
            for r in self.rows()
            if r.get("pxname") == "nodes" and r["svname"] not in {"FRONTEND", "BACKEND"}
        }

    def served(self) -> dict[str, int]:
        return {
            r["svname"]: int(r["stot"] or 0)
            for r in self.rows()
            if r.get("pxname") == "nodes" and r["svname"] not in {"FRONTEND", "BACKEND"}
        }

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def kill_node(g: server.Gunicorn) -> None:
    """A node dies: the master and every worker at once (SIGKILL), as when the machine goes."""
    for pid in [*loadlib._children(g.pid), g.pid]:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def shared_rate_limit(proxy: HAProxy, redis_url: str) -> None:
    """5 wrong passwords for one identifiant through HAProxy, then the right one: refused only if both nodes count
    in the same cache (allauth: 5/5m/key). Round-robin over 3 requests a try (login page, POST, /sante/) sends the
    POSTs to the two nodes in turn; the key includes the Host, the same for both nodes behind the proxy."""
    stats = loadlib.Stats()

    def login(password: str) -> int:
        b = loadlib.Browser("127.0.0.1", proxy.port, stats, headers=loadlib.PROXY_HEADERS, scheme="https")
        page = b.get("login page", "/compte/login/")
        status = b.post_form("login", "/compte/login/", page[2], {"login": "bench0500", "password": password})[0]
        b.get("sante", "/sante/")
        b.close()
        return status

    before = proxy.served()
    wrong = [login("pas le bon mot de passe") for _ in range(5)]
    right = login(server.BENCH_PASSWORD)
    served = {k: v - before.get(k, 0) for k, v in proxy.served().items()}
    import pickle

    import redis

    client = redis.Redis.from_url(redis_url)
    counts = {}
    for key in client.keys("iprof:*allauth:rl:*"):
        value = client.get(key)
        # Django's RedisCache pickles what is not an int: allauth keeps a list of attempt times per key
        history = pickle.loads(value) if value and not value.isdigit() else []  # noqa: S301 - our own throwaway Redis
        counts[key.decode().split(":", 5)[-1][:48]] = len(history)
    verdict = "refused: the nodes share the count" if right == 200 else "NOT refused"
    print(
        f"rate limit across nodes: 5 wrong passwords for one identifiant -> {wrong}; then the right password -> "
        f"{right} ({verdict}); requests per node {served}; attempts counted in Redis: {counts}"
    )
    for error in sorted(set(stats.errors))[:3]:
        print(f"  unexpected: {error}")


def level(port: int, journey: loadlib.Journey, c: int, label: str, pids: list[int]) -> float:
    journey.port = port
    cpu_before = sum(loadlib.tree_cpu_seconds(pid) for pid in pids)
    stats, elapsed = loadlib.run_for(SECONDS, c, journey.user)
    cpu = sum(loadlib.tree_cpu_seconds(pid) for pid in pids) - cpu_before
    every = [v for values in stats.latencies.values() for v in values]
    save = stats.latencies.get(SAVE, [])
    journeys = len(stats.latencies.get("logout POST", [])) / elapsed
    rps = stats.count() / elapsed
    p = loadlib.percentile
    print(
        f"{label} c={c:>2}: {rps:5.1f} req/s, {journeys:4.2f} journeys/s; every request p50/p95/p99 "
        f"{p(every, 50) * 1000:.0f}/{p(every, 95) * 1000:.0f}/{p(every, 99) * 1000:.0f} ms; save p95 "
        f"{p(save, 95) * 1000:.0f} ms; 5xx={stats.server_errors()}, no answer={stats.connection_errors()}; "
        f"gunicorn CPU {cpu / elapsed:.2f} cores ({rps / max(cpu / elapsed, 0.01):.1f} req/s per busy core)",
        flush=True,
    )
    for error in sorted(set(stats.errors))[:3]:
        print(f"  unexpected: {error}")
    for e in [e for e in stats.events if e.status >= 500][:2]:
        print(f"  {e.name} -> {e.status}: {' '.join(e.body.split())[:200]}")
    return journeys


def kill_run(
    url: str, env: dict[str, str], journey: loadlib.Journey, proxy: HAProxy, stack: ExitStack, node2: server.Gunicorn
) -> None:
    journey.port = proxy.port
    stats = loadlib.Stats()
    done: list[float] = []

    def load() -> None:
        _, elapsed = loadlib.run_for(KILL_SECONDS, KILL_CONCURRENCY, journey.user, stats)
        done.append(elapsed)

    runner = threading.Thread(target=load)
    runner.start()
    time.sleep(8)
    killed = time.perf_counter() - stats.origin
    kill_node(node2)
    while proxy.states().get("node2") == "UP":
        time.sleep(0.05)
    down = time.perf_counter() - stats.origin
    time.sleep(max(0.0, 18 - (time.perf_counter() - stats.origin)))
    restarted = time.perf_counter() - stats.origin
    stack.enter_context(server.gunicorn(url, env=env, port=node2.port))
    while proxy.states().get("node2") != "UP":
        time.sleep(0.05)
    up = time.perf_counter() - stats.origin
    runner.join()
    failures = [e for e in stats.events if e.status >= 500]
    window = [e for e in failures if killed <= e.at <= down + 1]
    print(
        f"node killed at {killed:.1f} s: HAProxy marked it DOWN {down - killed:.2f} s later; restarted at "
        f"{restarted:.1f} s, UP again at {up:.1f} s ({up - restarted:.1f} s to start and pass 2 checks)"
    )
    print(
        f"  {stats.count()} requests in {done[0]:.1f} s at c={KILL_CONCURRENCY}: {len(failures)} failed "
        f"({len(window)} between the kill and DOWN + 1 s, {len(failures) - len(window)} elsewhere); "
        f"statuses {dict(sorted(stats.statuses.items()))}"
    )
    for e in failures[:6]:
        print(f"  failed at {e.at:.2f} s: {e.name} -> {e.status} {' '.join(e.body.split())[:90]}")


def main() -> None:
    print(server.machine_line(), flush=True)
    missing = [tool for tool in ("haproxy", "redis-server") if not shutil.which(tool)]
    if missing:
        print(f"skipped: {', '.join(missing)} missing (make bench installs the Debian packages)")
        return
    with server.portal_database(DB, TEACHERS) as url, tempfile.TemporaryDirectory(prefix="bench-scaleout-") as tmp_name:
        tmp = Path(tmp_name)
        targets, max_voeux = bench_load.campagne_targets(url, SLUG)
        pool = loadlib.AccountPool(bench_load.bench_identifiants(url)[:-1], targets, per_account=max_voeux, seed=2027)
        journey = loadlib.Journey(port=0, slug=SLUG, password=server.BENCH_PASSWORD, pool=pool)
        with ExitStack() as stack:
            redis_url = stack.enter_context(redis_server(tmp))
            no_sftp = sftpd.missing()
            store = None if no_sftp else stack.enter_context(sftpd.sftp_server())
            files = store.environment() if store else {}
            roots = [tmp / "node1-media", tmp / "node2-media"] if store else [tmp / "media"] * 2
            env1, env2 = (
                server.env_for(
                    url, production=True, CACHE_URL=redis_url, TRUSTED_PROXY_COUNT="1", MEDIA_ROOT=str(root), **files
                )
                for root in roots
            )
            node1 = stack.enter_context(server.gunicorn(url, env=env1))
            node2 = stack.enter_context(server.gunicorn(url, env=env2))
            proxy = HAProxy(tmp, {"node1": node1.port, "node2": node2.port}, maxconn=node1.workers)
            stack.callback(proxy.stop)
            print(
                f"HAProxy 127.0.0.1:{proxy.port} -> node1 :{node1.port}, node2 :{node2.port} "
                f"({node1.workers} sync workers each, production settings), Redis {redis_url}, "
                f"PostgreSQL database {server.scoped(DB)}, private files "
                + (f"on sshd 127.0.0.1:{store.port} (SFTP)" if store else f"in one shared MEDIA_ROOT ({no_sftp})")
            )
            if store:
                bench_storage.shared_files(url, (node1.port, node2.port), store, list(set(roots)))
            shared_rate_limit(proxy, redis_url)
            journey.port = proxy.port
            loadlib.run_for(3, 4, journey.user)  # warm-up of both nodes
            results: dict[str, dict[int, float]] = {"1 node ": {}, "2 nodes": {}}
            proxy.command("disable server nodes/node2")
            for c in LEVELS:
                results["1 node "][c] = level(proxy.port, journey, c, "1 node ", [node1.pid])
            proxy.command("enable server nodes/node2")
            while proxy.states().get("node2") != "UP":
                time.sleep(0.1)
            before = proxy.served()
            for c in LEVELS:
                results["2 nodes"][c] = level(proxy.port, journey, c, "2 nodes", [node1.pid, node2.pid])
            after = proxy.served()
            print(
                f"requests served per node during the two-node levels: { {k: after[k] - before.get(k, 0) for k in after} }"
            )
            kill_run(url, env2, journey, proxy, stack, node2)
        bench_load.reconcile(url, journey.acks)


if __name__ == "__main__":
    main()
