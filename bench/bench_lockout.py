"""Closing-day lock-out attempt: 1,000 wrong passwords on one teacher's identifier, then the teacher logs in.

Run: IPROF_ENV=test .venv/bin/python bench/bench_lockout.py   (or `make bench`)

A throwaway database `bench_lockout` (demo data + 10 bench teachers) served by `gunicorn iprof.wsgi`
(production settings, TRUSTED_PROXY_COUNT=0: the client address is the loopback source address) on
loopback. 50 attacker threads, each from its own loopback address (127.0.x.y, loadlib.next_client_address),
send 20 wrong passwords each on `bench0001` (1,000 in all, loopback only, bounded). Then the owner, from his
own fresh address, opens the login page and logs in with his password at once. Printed: what the attacker
got (answers, latency), the owner's result and latency, and what the security journal recorded.
The database is dropped at the end.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadlib
import server

DB = "bench_lockout"
VICTIM = "bench0001"
ATTACKERS = 50
PER_ATTACKER = 20
LOGIN = "/compte/login/"


def attacker(index: int, stats: loadlib.Stats, keep_going: Callable[[], bool], port: int) -> None:
    b = loadlib.Browser(
        "127.0.0.1", port, stats, source=loadlib.next_client_address(), headers=loadlib.PROXY_HEADERS, scheme="https"
    )
    _status, _location, page = b.get("login page", LOGIN)
    for i in range(PER_ATTACKER):
        if not keep_going():
            break
        status, _location, text = b.post_form(
            "wrong password", LOGIN, page, {"login": VICTIM, "password": f"pas-le-bon-{index}-{i}"}
        )
        if status == 302:
            stats.error("a wrong password logged in")
        kind = "refused (too many attempts)" if "tentatives" in text.lower() or status == 429 else "wrong password"
        with stats.lock:
            stats.statuses[-1 if kind.startswith("refused") else -2] += 1
    b.close()


def owner(port: int) -> tuple[bool, float, int]:
    b = loadlib.Browser(
        "127.0.0.1", port, None, source=loadlib.next_client_address(), headers=loadlib.PROXY_HEADERS, scheme="https"
    )
    _status, _location, page = b.get("login page", LOGIN)
    started = time.perf_counter()
    status, location, _text = b.post_form(
        "owner login", LOGIN, page, {"login": VICTIM, "password": server.BENCH_PASSWORD}
    )
    elapsed = time.perf_counter() - started
    home_status, _l, _t = b.get("home", "/")
    b.close()
    return status == 302 and location in ("/", "https://127.0.0.1/") and home_status == 200, elapsed, status


def main() -> None:
    print(server.machine_line(), flush=True)
    with server.portal_database(DB, teachers=10) as url:
        with server.gunicorn(url) as g:
            stats = loadlib.Stats()
            started = time.perf_counter()
            threads = [
                threading.Thread(target=attacker, args=(i, stats, lambda: time.perf_counter() - started < 300, g.port))
                for i in range(ATTACKERS)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=360)
            elapsed = time.perf_counter() - started
            refused, wrong = stats.statuses.pop(-1, 0), stats.statuses.pop(-2, 0)
            loadlib.report(stats, elapsed, f"attack: {ATTACKERS} addresses x {PER_ATTACKER} wrong passwords")
            print(
                f"  answered « identifiant ou mot de passe incorrect »: {wrong}; refused (too many attempts): {refused}"
            )
            for error in sorted(set(stats.errors))[:5]:
                print(f"  unexpected: {error}")
            ok, seconds, status = owner(g.port)
            print(
                f"owner from his own address, right after: {'LOGGED IN' if ok else 'REFUSED'} "
                f"(login POST {status}, {seconds * 1000:.0f} ms)"
            )
        # the security journal: the « securite.* » entries of the journal (lib.audit), the identifier typed in
        # their data, the detail in their libellé (accounts.audit.record)
        rows = server.sql(
            url,
            "SELECT substr(action, 10), left(libelle, 9), count(*) FROM audit_logentry "
            "WHERE action LIKE 'securite.%%' AND data ->> 'identifiant' = %s GROUP BY 1, 2 ORDER BY 1, 2",
            (VICTIM,),
        )
        print(
            "security journal for "
            + VICTIM
            + ": "
            + ", ".join(f"{k} {d.strip()} {n}".replace("  ", " ") for k, d, n in rows)
        )
        delays = server.sql(
            url,
            "SELECT max(substring(libelle from 'retardée de ([0-9.]+) s')::float) FROM audit_logentry "
            "WHERE data ->> 'identifiant' = %s AND action = 'securite.login_limited' AND libelle LIKE 'ralentie%%'",
            (VICTIM,),
        )
        print(f"longest delay given to a failure: {delays[0][0] or 0} s")


if __name__ == "__main__":
    main()
