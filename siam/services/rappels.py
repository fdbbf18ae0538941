"""A reminder posted to the courrier of the agents of a set of demandes (staff, from a filtered list)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from iprof.courrier.models import Categorie
from iprof.courrier.services import PostResult, post_courrier
from siam.models import Demande

if TYPE_CHECKING:
    from accounts.models import Agent


def send_rappel(*, demandes: Iterable[int], staff: Agent, sujet: str, corps: str, key: str) -> PostResult:
    """Idempotent by key: the same confirmation submitted twice posts nothing more."""
    agents = Demande.objects.filter(pk__in=list(demandes)).values_list("agent_id", flat=True).distinct()
    return post_courrier(
        recipients=list(agents),
        sujet=sujet,
        corps=corps,
        key=key,
        categorie=Categorie.INFORMATION,
        posted_by=staff,
        description="rappel SIAM depuis la liste des demandes",
    )
