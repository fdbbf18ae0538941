"""The postes list's « Ajouter à mes vœux »: the teacher's own demande, while its saisie is open."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from lib.queries import unique_row
from siam.models import Campagne, Demande
from siam.selectors import agent_of

register = template.Library()


@register.simple_tag(takes_context=True)
def demande_en_saisie(context: dict[str, Any], campagne: Campagne) -> Demande | None:
    """The logged-in teacher's demande for ``campagne`` if voeux can be added now (one query), else None."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated or not campagne.saisie_ouverte(timezone.now()):
        return None
    return unique_row(Demande.objects.for_agent(agent_of(request)).filter(campagne=campagne).only("pk", "version"))
