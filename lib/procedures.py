"""Les services: what procedures are open to the teacher, each with the state of its calendar.

Apps register a provider from their AppConfig.ready(), without I-Prof importing them:

    from lib.procedures import ServiceEntry, EtatService, register_service

    def siam_services(agent, now):
        for campagne in Campagne.objects.visible():
            yield ServiceEntry(
                titre=f"SIAM — {campagne}",
                url=reverse("siam:campagne", args=[campagne.pk]),
                etat=EtatService.OUVERT,
                phrase="saisie des voeux ouverte jusqu'au 2 avril à 12 h",
            )

    register_service(siam_services)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

logger = logging.getLogger(__name__)


class EtatService(models.TextChoices):
    OUVERT = "ouvert", _("Ouvert")
    A_VENIR = "a_venir", _("À venir")
    FERME = "ferme", _("Fermé")


@dataclass(frozen=True)
class ServiceEntry:
    titre: str | Promise
    url: str
    etat: EtatService
    phrase: str | Promise  # the state in a sentence, e.g. « saisie des voeux ouverte jusqu'au 2 avril à 12 h »
    description: str | Promise = ""

    @property
    def etat_label(self) -> str:
        return str(EtatService(self.etat).label)


# providers receive the signed-in agent (accounts.Agent); lib names no app, so the type stays open
ServiceProvider = Callable[[Any, datetime], Iterable[ServiceEntry]]

_PROVIDERS: list[ServiceProvider] = []

_ORDER = {EtatService.OUVERT: 0, EtatService.A_VENIR: 1, EtatService.FERME: 2}


def register_service(provider: ServiceProvider) -> ServiceProvider:
    """Register a provider of service entries (once, whatever the number of calls); usable as a decorator."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def unregister_service(provider: ServiceProvider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def services_for(agent: AbstractBaseUser, now: datetime | None = None) -> list[ServiceEntry]:
    """Every registered service for this agent, open ones first. A failing provider hides only its own entries."""
    now = now or timezone.now()
    entries: list[ServiceEntry] = []
    for provider in _PROVIDERS:
        try:
            entries.extend(provider(agent, now))
        except Exception:
            logger.exception("Service provider %r failed", provider)
    return sorted(entries, key=lambda e: _ORDER[EtatService(e.etat)])
