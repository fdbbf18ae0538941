"""SIAM in « Les services »: one entry per visible campagne, with its phase in a sentence."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from siam.calendar import phase_end
from siam.models import Campagne, Phase
from siam.text import moment

if TYPE_CHECKING:
    from accounts.models import Agent
    from lib.procedures import ServiceEntry

ACTIVE = (Phase.SAISIE, Phase.CONFIRMATION, Phase.AFFICHAGE_BAREMES)


def phrase(campagne: Campagne, now: datetime.datetime) -> str:
    """« saisie des voeux ouverte jusqu'au 2 avril à 12 h »."""
    phase = campagne.phase_at(now)
    end = phase_end(campagne.calendrier, phase)
    if phase == Phase.A_VENIR:
        return _("saisie des voeux à partir du %(date)s") % {"date": moment(campagne.saisie_debut, with_year=False)}
    if phase == Phase.SAISIE:
        return _("saisie des voeux ouverte jusqu'au %(date)s") % {"date": moment(campagne.saisie_fin, with_year=False)}
    if phase == Phase.RESULTATS or end is None:
        return _("résultats publiés le %(date)s") % {"date": moment(campagne.resultats, with_year=False)}
    return _("%(phase)s jusqu'au %(date)s") % {"phase": Phase(phase).label, "date": moment(end, with_year=False)}


def siam_services(agent: Agent, now: datetime.datetime) -> Iterator[ServiceEntry]:
    from lib.procedures import EtatService, ServiceEntry

    url = reverse("siam:home")
    for campagne in Campagne.objects.visibles():
        phase = campagne.phase_at(now)
        etat = (
            EtatService.A_VENIR
            if phase == Phase.A_VENIR
            else EtatService.OUVERT
            if phase in ACTIVE
            else EtatService.FERME
        )
        yield ServiceEntry(
            titre=_("SIAM — %(campagne)s") % {"campagne": campagne.libelle},
            url=url,
            etat=etat,
            phrase=phrase(campagne, now),
            description=_("Système d'information et d'aide aux mutations : dossier, postes, voeux, barème, résultat."),
        )
