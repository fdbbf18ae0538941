"""A throwaway SFTP server on loopback: Debian's OpenSSH sshd, its own host key, a key made for the run.

The private files' store of a multi-node portal in the benches and in the test of the SFTP path: the
portal reaches it through django-storages' SFTPStorage (paramiko), as it would reach the académie's
file server. Nothing of the machine's own ssh setup is read or changed: sshd runs with a config of its
own (-f), in the foreground, on a free 127.0.0.1 port, accepts only the run's key, only for SFTP
(ForceCommand internal-sftp, `restrict`), and is stopped with the context. The client pins the host key
through a known_hosts file written for the run (a different key would be refused).
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SSHD = "/usr/sbin/sshd"

CONFIG = """\
ListenAddress 127.0.0.1
Port {port}
HostKey {host_key}
PidFile {pid_file}
AuthorizedKeysFile {authorized_keys}
AllowUsers {user}
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
# the run's files live under a temporary directory (/tmp is world-writable): not the checks of a home
StrictModes no
AllowTcpForwarding no
X11Forwarding no
PermitTTY no
Subsystem sftp internal-sftp
ForceCommand internal-sftp
LogLevel ERROR
"""


@dataclass(frozen=True)
class SftpServer:
    port: int
    user: str
    root: Path  # the directory the portal's files go to, as seen from the server's side
    key_file: Path
    known_hosts: Path

    def storage_options(self) -> dict[str, object]:
        """FILE_STORAGE_OPTIONS for lib.storage.SFTPStorage (django-storages, DEPLOY.md)."""
        return {
            "host": "127.0.0.1",
            "root_path": str(self.root),
            "known_host_file": str(self.known_hosts),
            "params": {
                "port": self.port,
                "username": self.user,
                "key_filename": str(self.key_file),
                "allow_agent": False,
                "look_for_keys": False,
                "timeout": 10,
            },
        }

    def environment(self) -> dict[str, str]:
        """What a node's environment says to keep its private files on this server."""
        return {
            "FILE_STORAGE_BACKEND": "lib.storage.SFTPStorage",
            "FILE_STORAGE_OPTIONS": json.dumps(self.storage_options()),
        }

    def files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*") if p.is_file())


def missing() -> str | None:
    """Why no SFTP server can be started here, or None."""
    if not Path(SSHD).exists():
        return f"{SSHD} missing (Debian package openssh-server: make test and make bench install it)"
    if not shutil.which("ssh-keygen"):
        return "ssh-keygen missing (Debian package openssh-client)"
    try:
        import paramiko  # noqa: F401
    except ImportError:
        return "paramiko missing (pip: the sftp extra of pyproject.toml)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _keygen(path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "iprof-throwaway", "-f", str(path)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def sftp_server() -> Iterator[SftpServer]:
    """sshd on a free loopback port until the context ends; its directory is removed afterwards."""
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # Debian's sshd privilege separation directory
    with tempfile.TemporaryDirectory(prefix="iprof-sftpd-") as tmp_name:
        tmp = Path(tmp_name)
        host_key, client_key = tmp / "host_ed25519", tmp / "client_ed25519"
        _keygen(host_key)
        _keygen(client_key)
        authorized = tmp / "authorized_keys"
        authorized.write_text("restrict " + (tmp / "client_ed25519.pub").read_text())
        authorized.chmod(0o600)
        root = tmp / "store"
        root.mkdir()
        port, user = _free_port(), getpass.getuser()
        config = tmp / "sshd_config"
        config.write_text(
            CONFIG.format(
                port=port, host_key=host_key, pid_file=tmp / "sshd.pid", authorized_keys=authorized, user=user
            )
        )
        # the client refuses any other host key for this address (paramiko's known_hosts format)
        key_type, key = (tmp / "host_ed25519.pub").read_text().split()[:2]
        known_hosts = tmp / "known_hosts"
        known_hosts.write_text(f"[127.0.0.1]:{port} {key_type} {key}\n")
        proc = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                        if s.recv(64).startswith(b"SSH-2.0-"):
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    error = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                    raise RuntimeError(f"sshd did not start: {error.strip()[-300:]}")
                time.sleep(0.1)
            yield SftpServer(port, user, root, client_key, known_hosts)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
