"""Private files of the courrier: under MEDIA_ROOT, named by the SHA-256 of their content.

Storing by content makes writing idempotent (a re-run rewrites nothing) and stores a
PDF sent to 10,000 agents once. Nothing here is reachable by URL: the download view
checks who asks.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def blob_name(sha256: str) -> str:
    return f"courrier/{sha256[:2]}/{sha256}"


def store_blob(content: bytes) -> tuple[str, str]:
    """Write `content` once; return (storage name, sha256)."""
    sha256 = hashlib.sha256(content).hexdigest()
    name = blob_name(sha256)
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(content))
    return name, sha256
