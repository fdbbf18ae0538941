"""Private files on an SFTP server shared by every node: django-storages' SFTPStorage, with downloads that work.

FILE_STORAGE_BACKEND=lib.storage.SFTPStorage (DEPLOY.md). django-storages 1.14's SFTPStorageFile opens the
remote file on the first read() only: until then seek() and tell() act on an empty buffer, so Django's
FileResponse, which measures the file with seek(0, SEEK_END) and tell() before streaming it, sends
`Content-Length: 0` and the browser receives an empty pièce (bench/bench_storage.py found it). Here a file
opened for reading is opened on the server at once (a missing file raises FileNotFoundError there, as on a
disk) and read ahead in pipelined requests. Writing goes through storages' code unchanged.

The server is authenticated: its host key must be in `known_host_file` (storages' own backend accepts and
records any key of a server it has never seen, so a first connection to an impostor would succeed).
"""

from __future__ import annotations

from typing import Any

import paramiko
from django.core.exceptions import ImproperlyConfigured
from storages.backends import sftpstorage


class SFTPStorageFile(sftpstorage.SFTPStorageFile):  # type: ignore[misc]
    def __init__(self, name: str, storage: SFTPStorage, mode: str) -> None:
        super().__init__(name, storage, mode)
        if not set(mode) & set("wa+"):
            remote = storage._read(name)
            remote.prefetch()  # the whole file in pipelined reads, not one round trip per 32 KB
            self.file, self._is_read = remote, True


class SFTPStorage(sftpstorage.SFTPStorage):  # type: ignore[misc]
    def _connect(self) -> None:
        if not self.known_host_file:
            raise ImproperlyConfigured(
                "FILE_STORAGE_OPTIONS : « known_host_file » doit désigner un fichier known_hosts qui contient la clé "
                "d'hôte du serveur SFTP."
            )
        self._ssh = paramiko.SSHClient()
        self._ssh.load_host_keys(self.known_host_file)
        self._ssh.set_missing_host_key_policy(paramiko.RejectPolicy())
        self._ssh.connect(self.host, **self.params)
        self._sftp = self._ssh.open_sftp()

    def _open(self, name: str, mode: str = "rb") -> Any:
        return SFTPStorageFile(name, self, mode)
