"""Several nodes: the shared cache and the private files' storage are chosen by the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
READ = (
    "import json, django; django.setup(); from django.conf import settings as s;"
    "from siam.models import PieceJustificative; from iprof.courrier.storage import default_storage;"
    "default_storage.exists('x');"
    "print(json.dumps({'cache': s.CACHES['default']['BACKEND'], 'location': s.CACHES['default']['LOCATION'],"
    "'pieces': type(PieceJustificative._meta.get_field('fichier').storage).__name__,"
    "'courrier': type(default_storage._wrapped).__name__,"
    "'options': s.STORAGES['default']['OPTIONS']}))"
)


def settings_under(**env: str) -> dict[str, Any]:
    base = {
        k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "FILE_STORAGE_BACKEND", "FILE_STORAGE_OPTIONS"}
    }
    done = subprocess.run(
        [sys.executable, "-c", READ],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "iprof.settings", "IPROF_ENV": "dev", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_one_node_keeps_the_database_cache_and_the_local_disk() -> None:
    got = settings_under()
    assert (got["cache"], got["location"]) == ("django.core.cache.backends.db.DatabaseCache", "iprof_cache")
    assert got["pieces"] == "FileSystemStorage"
    assert got["options"] == {}


def test_cache_url_makes_every_node_share_one_redis() -> None:
    got = settings_under(CACHE_URL="redis://10.0.0.5:6379/0")
    assert (got["cache"], got["location"]) == ("django.core.cache.backends.redis.RedisCache", "redis://10.0.0.5:6379/0")


def test_private_files_follow_the_configured_storage() -> None:
    # Any storage class stands for an object store here: pièces and courrier both go through STORAGES["default"].
    got = settings_under(
        FILE_STORAGE_BACKEND="django.core.files.storage.InMemoryStorage",
        FILE_STORAGE_OPTIONS=json.dumps({"location": "/prive"}),
    )
    assert got["pieces"] == "InMemoryStorage"
    assert got["courrier"] == "InMemoryStorage"
    assert got["options"] == {"location": "/prive"}
