"""Private files on an SFTP server (lib.storage.SFTPStorage) instead of a node's disk, against a real sshd.

The server is Debian's OpenSSH, started for this module on a loopback port with its own host key and a key
made for the run (bench/sftpd.py); `make test` installs openssh-server. Each "node" is the portal's storage
built afresh from the settings (its own SSH connection) with a MEDIA_ROOT of its own that must stay empty.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Agent
from bench import sftpd
from iprof.courrier.storage import store_blob
from siam.models import Demande, PieceJustificative
from tests.siam.conftest import client_for

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.sshd,
    pytest.mark.skipif(sftpd.missing() is not None, reason=f"no SFTP server here: {sftpd.missing()}"),
]

paramiko = pytest.importorskip("paramiko", reason="paramiko missing (pip: the sftp extra of pyproject.toml)")

PDF = b"%PDF-1.7\n" + hashlib.sha256(b"livret").digest() * 2000  # 64 KB: more than one SFTP read


@pytest.fixture(scope="module")
def sftp() -> Iterator[sftpd.SftpServer]:
    with sftpd.sftp_server() as server:
        yield server


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def node(settings: Any, sftp: sftpd.SftpServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """node(n): from now on the portal runs as node n: its own MEDIA_ROOT, its own storage built from
    FILE_STORAGE_BACKEND/OPTIONS as iprof.settings reads them (the pièce field's storage is resolved when
    the model is imported, i.e. when a node starts: it is pointed at the new node's storage)."""
    field = PieceJustificative._meta.get_field("fichier")

    def start(n: int, options: dict[str, Any] | None = None) -> Path:
        media = tmp_path / f"node{n}-media"
        settings.MEDIA_ROOT = media
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "lib.storage.SFTPStorage", "OPTIONS": options or sftp.storage_options()},
        }
        monkeypatch.setattr(field, "storage", storages["default"])
        return media

    return start


def upload(agent: Agent, demande: Demande, content: bytes) -> Any:
    return client_for(agent).post(
        f"/siam/demandes/{demande.pk}/pieces/", {"fichier": SimpleUploadedFile("livret de famille.pdf", content)}
    )


def test_a_piece_uploaded_on_one_node_is_downloaded_whole_on_another_from_the_sftp_server(
    node: Any, sftp: sftpd.SftpServer, demande_a: Demande, teacher_a: Agent, teacher_b: Agent
) -> None:
    media1 = node(1)
    assert upload(teacher_a, demande_a, PDF).status_code == 302
    piece = PieceJustificative.objects.get(demande=demande_a)
    media2 = node(2)

    response = client_for(teacher_a).get(f"/siam/pieces/{piece.pk}/fichier/")

    assert response.status_code == 200
    assert response["Content-Length"] == str(len(PDF))  # storages' own SFTPStorageFile announces 0 bytes
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert (sftp.root / str(piece.fichier.name)).read_bytes() == PDF
    assert files_under(media1) == files_under(media2) == []
    assert client_for(teacher_b).get(f"/siam/pieces/{piece.pk}/fichier/").status_code == 404


def test_a_withdrawn_piece_is_removed_from_the_sftp_server(
    node: Any, sftp: sftpd.SftpServer, demande_a: Demande, teacher_a: Agent, django_capture_on_commit_callbacks: Any
) -> None:
    node(1)
    assert upload(teacher_a, demande_a, PDF).status_code == 302
    piece = PieceJustificative.objects.get(demande=demande_a)
    stored = sftp.root / str(piece.fichier.name)
    assert stored.exists()
    node(2)
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(teacher_a).post(f"/siam/pieces/{piece.pk}/retirer/").status_code == 302
    assert not stored.exists()
    assert not PieceJustificative.objects.exists()


def test_courrier_attachments_go_to_the_same_sftp_server(node: Any, sftp: sftpd.SftpServer, db: None) -> None:
    media = node(1)
    name, sha256 = store_blob(PDF)
    assert (sftp.root / name).read_bytes() == PDF and name.endswith(sha256)
    assert files_under(media) == []


@pytest.mark.parametrize("listed", ["another key", "nothing"])
def test_a_server_whose_host_key_is_not_the_pinned_one_gets_no_file(
    node: Any, sftp: sftpd.SftpServer, tmp_path: Path, listed: str
) -> None:
    other = tmp_path / "other_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    key_type, key = other.with_suffix(".pub").read_text().split()[:2]
    pinned = tmp_path / "known_hosts"
    pinned.write_text(f"[127.0.0.1]:{sftp.port} {key_type} {key}\n" if listed == "another key" else "")
    node(1, {**sftp.storage_options(), "known_host_file": str(pinned)})

    content = f"%PDF-1.7 not for an impostor ({listed})".encode()
    with pytest.raises(paramiko.SSHException):  # BadHostKeyException for another key
        store_blob(content)
    assert not (sftp.root / "courrier" / hashlib.sha256(content).hexdigest()[:2]).exists()


def test_without_a_known_hosts_file_the_storage_refuses_to_connect(node: Any, sftp: sftpd.SftpServer) -> None:
    node(1, {**sftp.storage_options(), "known_host_file": ""})
    with pytest.raises(ImproperlyConfigured, match="known_host_file"):
        store_blob(b"%PDF-1.7 nowhere")
