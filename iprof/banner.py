from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from dossier.selectors import Banner, banner_identity


def _load(request: HttpRequest) -> Banner:
    return banner_identity(request.user)  # type: ignore[arg-type]


def banner_for(request: HttpRequest) -> Banner:
    """Lazy: pages that never show the banner never query for it."""
    return SimpleLazyObject(lambda: _load(request))  # type: ignore[return-value]
