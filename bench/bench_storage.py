"""Private files on a store shared by the nodes, not on a node's disk: SFTP (django-storages) on two gunicorn nodes.

Run: IPROF_ENV=test .venv/bin/python bench/bench_storage.py   (or `make bench`)

A throwaway SFTP server (bench/sftpd.py: Debian's OpenSSH sshd on a free loopback port, its own host key, a
key made for the run, SFTP only) is the private files' store; two `gunicorn iprof.wsgi` nodes (production
settings) keep their files there through lib.storage.SFTPStorage (django-storages; FILE_STORAGE_BACKEND,
FILE_STORAGE_OPTIONS), and each has a MEDIA_ROOT of its own that must stay empty. On a throwaway database
`bench_storage` (demo data + 3 bench teachers):
1. a teacher uploads a pièce justificative (a 300 KB PDF) through node 1 and downloads it through node 2:
   the same bytes; another teacher asking node 1 or node 2 for it gets 404; the file is on the SFTP side,
   under the name the database holds, and in neither node's MEDIA_ROOT;
2. the same for a courrier attachment (a message to the correspondant de gestion with a PDF);
3. upload and download times over SFTP (N_FILES pièces), next to the same on a node's own disk.
The same check (`shared_files`) runs in bench_scaleout behind HAProxy. Skipped, with the reason, when
sshd or paramiko is missing (`make bench` installs openssh-server).
"""

from __future__ import annotations

import hashlib
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_load
import loadlib
import server
import sftpd

DB = "bench_storage"
N_FILES = 8
PIECE_LINK = re.compile(r'href="/siam/pieces/(\d+)/fichier/"')
ATTACHMENT_LINK = re.compile(r'href="/courrier/pieces-jointes/(\d+)/"')


def pdf(size: int, seed: str) -> bytes:
    """A PDF-looking file (the portal checks the first bytes) whose content is unique to the run."""
    body = hashlib.sha256(seed.encode()).digest() * (size // 32 + 1)
    return b"%PDF-1.7\n" + body[: size - 9]


def login(port: int, identifiant: str) -> loadlib.Browser:
    b = loadlib.Browser("127.0.0.1", port, headers=loadlib.PROXY_HEADERS, scheme="https")
    page = b.get("login page", "/compte/login/")
    got = b.post_form("login", "/compte/login/", page[2], {"login": identifiant, "password": server.BENCH_PASSWORD})
    if got[0] != 302:
        raise RuntimeError(f"login of {identifiant} on :{port} -> {got[0]}")
    return b


def on_node(b: loadlib.Browser, port: int) -> loadlib.Browser:
    """The same browser (same cookies: the session is in PostgreSQL) talking to another node."""
    other = loadlib.Browser("127.0.0.1", port, headers=loadlib.PROXY_HEADERS, scheme="https")
    other.cookies = b.cookies
    return other


def local_files(roots: list[Path]) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def upload_piece(b: loadlib.Browser, data: bytes, name: str) -> tuple[int, float]:
    """(pièce id, seconds of the upload POST) for the teacher logged in on b."""
    opened = loadlib.start_demande(b, bench_load.SLUG)
    demande = loadlib.DEMANDE_URL.match(opened[1])
    if not demande:
        raise RuntimeError(f"demande: {opened[0]} {opened[1]}")
    path = f"/siam/demandes/{demande.group(1)}/pieces/"
    page = b.get("pieces page", path)
    started = time.perf_counter()
    got = b.post_file("piece upload", path, page[2], {"description": "bench"}, "fichier", name, data)
    took = time.perf_counter() - started
    if got[0] != 302:
        raise RuntimeError(f"upload -> {got[0]}: {' '.join(got[2].split())[:300]}")
    ids = [int(i) for i in PIECE_LINK.findall(b.get("pieces page", path)[2])]
    return max(ids), took


def send_attachment(b: loadlib.Browser, data: bytes) -> int:
    page = b.get("conversation new", "/courrier/correspondant/nouveau/")
    fields = {"sujet": "Pièce pour mon dossier", "corps": "Voici le justificatif demandé."}
    got = b.post_file("conversation POST", "/courrier/correspondant/nouveau/", page[2], fields, "piece_jointe",
                      "justificatif.pdf", data)  # fmt: skip
    if got[0] != 302:
        raise RuntimeError(f"message -> {got[0]}: {' '.join(got[2].split())[:300]}")
    ids = [int(i) for i in ATTACHMENT_LINK.findall(b.get("conversation", got[1])[2])]
    return max(ids)


def shared_files(
    url: str, ports: tuple[int, int], store: sftpd.SftpServer, media_roots: list[Path], *, label: str = ""
) -> bool:
    """Upload through node 1, download through node 2, another teacher refused on both; True when all holds."""
    owner, stranger = "bench0001", "bench0002"
    a1 = login(ports[0], owner)
    data = pdf(300_000, f"piece {label} {time.time()}")
    piece, _ = upload_piece(a1, data, "livret de famille.pdf")
    a2 = on_node(a1, ports[1])
    status, _, body = a2.send("piece download", "GET", f"/siam/pieces/{piece}/fichier/")
    strangers = [login(port, stranger).send("x", "GET", f"/siam/pieces/{piece}/fichier/")[0] for port in ports]
    stored = str(server.sql(url, "SELECT fichier FROM siam_piecejustificative WHERE id = %s", (piece,))[0][0])
    remote = store.root / stored
    on_sftp = remote.exists() and remote.read_bytes() == data
    local = local_files(media_roots)
    ok = status == 200 and body == data and strangers == [404, 404] and on_sftp and not local
    print(
        f"{label}pièce {piece}: uploaded through node 1 (:{ports[0]}), downloaded through node 2 (:{ports[1]}) -> "
        f"{status}, {len(body):,} bytes, {'the same bytes' if body == data else 'DIFFERENT bytes'}; another teacher "
        f"-> {strangers} on the two nodes; on the SFTP side as {stored}: {'yes, same bytes' if on_sftp else 'NO'}; "
        f"files in the nodes' MEDIA_ROOT: {len(local)} -> {'holds' if ok else 'FAILED'}"
    )
    message = pdf(120_000, f"courrier {label} {time.time()}")
    try:
        attachment = send_attachment(a1, message)
    except RuntimeError as exc:
        print(f"{label}courrier attachment: not sent ({exc})")
        return ok
    status, _, body = a2.send("attachment download", "GET", f"/courrier/pieces-jointes/{attachment}/")
    strangers = [login(port, stranger).send("x", "GET", f"/courrier/pieces-jointes/{attachment}/")[0] for port in ports]
    stored = str(server.sql(url, "SELECT file FROM courrier_attachment WHERE id = %s", (attachment,))[0][0])
    on_sftp = (store.root / stored).exists() and (store.root / stored).read_bytes() == message
    local = local_files(media_roots)
    ok_mail = status == 200 and body == message and strangers == [404, 404] and on_sftp and not local
    print(
        f"{label}courrier attachment {attachment}: sent through node 1, downloaded through node 2 -> {status}, "
        f"{'the same bytes' if body == message else 'DIFFERENT bytes'}; another teacher -> {strangers}; on the SFTP "
        f"side as {stored}: {'yes' if on_sftp else 'NO'}; files in the nodes' MEDIA_ROOT: {len(local)} -> "
        f"{'holds' if ok_mail else 'FAILED'}"
    )
    return ok and ok_mail


def timings(url: str, port: int, identifiant: str, what: str) -> None:
    """N_FILES uploads of 300 KB then their downloads, one teacher, one node: the cost of the store."""
    b = login(port, identifiant)
    ups, downs = [], []
    for i in range(N_FILES):
        data = pdf(300_000, f"{what} {i} {time.time()}")
        piece, took = upload_piece(b, data, f"piece-{i}.pdf")
        ups.append(took)
        started = time.perf_counter()
        status, _, body = b.send("piece download", "GET", f"/siam/pieces/{piece}/fichier/")
        downs.append(time.perf_counter() - started)
        if status != 200 or body != data:
            print(f"  {what}: download of pièce {piece} -> {status}, {len(body)} bytes")
    p = loadlib.percentile
    print(
        f"{what}: {N_FILES} uploads of 300 KB p50 {p(ups, 50) * 1000:.0f} ms (max {max(ups) * 1000:.0f}), "
        f"downloads p50 {p(downs, 50) * 1000:.0f} ms (max {max(downs) * 1000:.0f})"
    )


def main() -> None:
    print(server.machine_line(), flush=True)
    why = sftpd.missing()
    if why:
        print(f"skipped: {why}")
        return
    with (
        sftpd.sftp_server() as store,
        server.portal_database(DB, teachers=3) as url,
        tempfile.TemporaryDirectory(prefix="bench-storage-") as tmp_name,
    ):
        tmp = Path(tmp_name)
        roots = [tmp / "node1-media", tmp / "node2-media"]
        envs = [server.env_for(url, production=True, MEDIA_ROOT=str(root), **store.environment()) for root in roots]
        print(f"SFTP store: sshd 127.0.0.1:{store.port} (user {store.user}, host key pinned), files under {store.root}")
        with server.gunicorn(url, 2, env=envs[0]) as node1, server.gunicorn(url, 2, env=envs[1]) as node2:
            shared_files(url, (node1.port, node2.port), store, roots)
            timings(url, node1.port, "bench0003", "SFTP store")
        local_env = server.env_for(url, production=True, MEDIA_ROOT=str(tmp / "local-media"))
        with server.gunicorn(url, 2, env=local_env) as node:
            timings(url, node.port, "bench0003", "node's own disk (reference)")


if __name__ == "__main__":
    main()
