from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


@dataclass(frozen=True)
class Banner:
    nom: str
    prenom: str
    grade: str
    discipline: str


def _load(request: HttpRequest) -> Banner:
    from dossier.selectors import banner_identity

    return banner_identity(request.user)  # type: ignore[arg-type]


def banner_for(request: HttpRequest) -> Banner:
    """Lazy: pages that never show the banner never query for it."""
    return SimpleLazyObject(lambda: _load(request))  # type: ignore[return-value]
