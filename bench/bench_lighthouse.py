"""Lighthouse (mobile preset, Debian Chromium) on the teacher's pages as `make run` serves them.

Run: IPROF_ENV=test .venv/bin/python bench/bench_lighthouse.py   (or `make bench`)

A throwaway database `bench_lighthouse` (demo data + 1 bench teacher), collectstatic with the
production storage (hashed names, gzip + brotli) into var/bench-static, and gunicorn with make
run's environment (IPROF_ENV=dev DEBUG=1 IPROF_PLAIN_STATIC=0). Lighthouse 12.2.3 (npm, installed
under var/lighthouse on first use, never committed) audits login, home, dossier, voeux and barème,
each with a cold cache, the teacher's session cookie sent as an extra header (BENCH_LIGHTHOUSE_PAGES=dossier,voeux
audits only those; the JSON reports stay in var/lighthouse/reports/). Printed per page:
performance and accessibility scores (targets >= 90 and 100), FCP, LCP, TBT, bytes transferred,
and the title of every failed accessibility audit.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadlib
import server

DB = "bench_lighthouse"
SLUG = "intra-2027-clermont"
LIGHTHOUSE_VERSION = "12.2.3"  # 13 wants Node 22; Debian 12 ships Node 20
TOOLS = server.ROOT / "var" / "lighthouse"
CLI = TOOLS / "node_modules" / "lighthouse" / "cli" / "index.js"
REPORTS = TOOLS / "reports"  # the full JSON reports of the last run
STATIC_ROOT = server.ROOT / "var" / "bench-static"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync"
)
TARGETS = {"performance": 90, "accessibility": 100}


def lighthouse_cli() -> Path:
    if not CLI.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "-E", f"lighthouse@{LIGHTHOUSE_VERSION}"],
            cwd=TOOLS,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return CLI


def make_run_env(url: str) -> dict[str, str]:
    return server.env_for(url, IPROF_ENV="dev", DEBUG="1", IPROF_PLAIN_STATIC="0", STATIC_ROOT=str(STATIC_ROOT))


def collectstatic(url: str) -> str:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=server.ROOT,
        env=make_run_env(url),
        check=True,
    )
    files = list(STATIC_ROOT.rglob("*"))
    brotli = sum(1 for f in files if f.suffix == ".br")
    return f"collectstatic: {len(files)} files ({brotli} .br) in {time.perf_counter() - started:.0f} s"


def teacher_pages(port: int) -> tuple[str, dict[str, str]]:
    """Log bench0001 in; the session cookie and the pages to audit."""
    b = loadlib.Browser("127.0.0.1", port)
    page = b.get("login page", "/compte/login/")
    status, _, _ = b.post_form(
        "login", "/compte/login/", page[2], {"login": "bench0001", "password": server.BENCH_PASSWORD}
    )
    if status != 302:
        raise RuntimeError(f"login answered {status}")
    _, location, _ = loadlib.start_demande(b, SLUG, "demande")  # a GET never opens it: the page's POST does
    demande = re.search(r"/siam/demandes/(\d+)/", location)
    if not demande:
        raise RuntimeError(f"no demande opened: {location!r}")
    n = demande.group(1)
    # the session and CSRF cookies; not the messages one, which a browser's next page would have emptied (sent with
    # every audit, it showed « Votre demande est ouverte » on every page)
    cookie = "; ".join(f"{k}={v}" for k, v in b.cookies.items() if k != "messages")
    b.close()
    base = f"http://127.0.0.1:{port}"
    return cookie, {
        "login": f"{base}/compte/login/",
        "home": f"{base}/",
        "dossier": f"{base}/dossier/",
        "voeux": f"{base}/siam/demandes/{n}/voeux/",
        "barème": f"{base}/siam/demandes/{n}/bareme/",
    }


def audit(cli: Path, name: str, url: str, cookie: str | None) -> dict[str, object]:
    """One Lighthouse run of the page; once more if Lighthouse itself fails (on this shared machine it sometimes
    loses Chromium's protocol: exit 1 before any report), saying so."""
    try:
        return _audit(cli, name, url, cookie)
    except subprocess.CalledProcessError as error:
        reason = (error.stderr or b"").decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        print(f"{name:<8} Lighthouse failed (exit {error.returncode}: {reason[0][:160]}); run again", flush=True)
        return _audit(cli, name, url, cookie)


def _audit(cli: Path, name: str, url: str, cookie: str | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        command = [
            "node",
            str(cli),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            "--only-categories=performance,accessibility",
            f"--chrome-flags={CHROME_FLAGS} --user-data-dir={tmp}/profile",
        ]
        if cookie:
            command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
        run = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}, timeout=180, stderr=subprocess.PIPE)
        if run.returncode:
            sys.stderr.write(run.stderr.decode(errors="replace")[-2000:])
            raise subprocess.CalledProcessError(run.returncode, command, stderr=run.stderr)
        REPORTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(out, REPORTS / f"{name}.json")
        return dict(json.loads(out.read_text()))


def line(name: str, report: dict[str, object]) -> str:
    categories = report["categories"]
    audits = report["audits"]
    assert isinstance(categories, dict) and isinstance(audits, dict)
    scores = {k: round((categories[k]["score"] or 0) * 100) for k in TARGETS}
    verdict = " ".join(f"{k} {v} ({'met' if v >= TARGETS[k] else 'MISSED'})" for k, v in scores.items())
    fcp = audits["first-contentful-paint"]["numericValue"] / 1000
    lcp = audits["largest-contentful-paint"]["numericValue"] / 1000
    tbt = audits["total-blocking-time"]["numericValue"]
    cls = audits["cumulative-layout-shift"]["numericValue"]
    si = audits["speed-index"]["numericValue"] / 1000
    weight = audits["total-byte-weight"]["numericValue"] / 1024
    text = (
        f"{name:<8} {verdict}; FCP {fcp:.1f} s, LCP {lcp:.1f} s, TBT {tbt:.0f} ms, CLS {cls:.3f}, SI {si:.1f} s, "
        f"{weight:.0f} KB transferred"
    )
    failed = [
        audits[ref["id"]]["title"]
        for ref in categories["accessibility"]["auditRefs"]
        if ref["weight"] and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
    ]
    shifts = audits.get("layout-shifts", {}).get("details", {}).get("items", [])
    culprits = [f"{i['node'].get('selector', '?')} ({i['score']:.3f})" for i in shifts[:3] if "node" in i]
    return (
        text
        + "".join(f"\n           accessibility failed: {title}" for title in failed)
        + (f"\n           layout shifts: {', '.join(culprits)}" if cls > 0.1 else "")
    )


def main() -> None:
    print(server.machine_line(), flush=True)
    if not Path(CHROME).exists() or not shutil.which("node"):
        print(f"skipped: needs {CHROME} (make browser) and node")
        return
    cli = lighthouse_cli()
    with server.portal_database(DB, teachers=1) as url:
        print(collectstatic(url), flush=True)
        with server.gunicorn(url, workers=2, env=make_run_env(url)) as g:
            cookie, pages = teacher_pages(g.port)
            print(f"Lighthouse {LIGHTHOUSE_VERSION}, mobile preset (simulated slow 4G, 4x CPU slowdown), {CHROME}")
            only = [n for n in os.environ.get("BENCH_LIGHTHOUSE_PAGES", "").split(",") if n]
            for name, page in pages.items():
                if only and name not in only:
                    continue
                report = audit(cli, name, page, None if name == "login" else cookie)
                final = str(report.get("finalDisplayedUrl") or report.get("finalUrl"))
                if final.rstrip("/") != page.rstrip("/"):
                    print(f"{name:<8} redirected to {final}: not audited")
                    continue
                print(line(name, report), flush=True)


if __name__ == "__main__":
    main()
