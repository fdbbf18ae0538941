"""SIAM in « Les services »: one entry per visible campagne, with its phase in a sentence."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import IntegerField, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.models import Dossier
from lib.prepared import Param, PreparedQuery
from siam.calendar import phase_end
from siam.models import Campagne, Demande, Participation, Phase
from siam.models.campagne import VISIBLE_FOR, visible_campagnes
from siam.selectors import campagnes_from_json, campagnes_json, campagnes_of
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
        return _("saisie des vœux à partir du %(date)s") % {"date": moment(campagne.saisie_debut, with_year=False)}
    if phase == Phase.SAISIE:
        return _("saisie des vœux ouverte jusqu'au %(date)s") % {"date": moment(campagne.saisie_fin, with_year=False)}
    if (phase == Phase.RESULTATS or end is None) and campagne.resultats > now:
        return _("résultats publiés")  # published before the date the calendar now shows: that date is not it
    if phase == Phase.RESULTATS or end is None:
        return _("résultats publiés le %(date)s") % {"date": moment(campagne.resultats, with_year=False)}
    return _("%(phase)s jusqu'au %(date)s") % {"phase": Phase(phase).label, "date": moment(end, with_year=False)}


def siam_services(agent: Agent, now: datetime.datetime) -> Iterator[ServiceEntry]:
    from lib.procedures import EtatService, ServiceEntry

    url = reverse("siam:home")
    for campagne in visible_campagnes(now):
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
            description=_(
                "Système d'information et d'aide aux mutations\u00a0: dossier, postes, vœux, barème, résultat."
            ),
        )


# --- where an agent stands before a campagne (the SIAM home and the « pas de demande » page) --------


@dataclass(frozen=True)
class Depart:
    """Whether the agent can start a demande, and whether his participation is obligatory, and why."""

    peut_commencer: bool
    empechement: str  # why not, in French ("" when he can)
    obligatoire: bool
    raisons: list[str]
    consequences: list[str]  # what happens without voeux, true for his situation


def depart_for(dossier: Dossier | None, campagne: Campagne, *, demande: Demande | None = None) -> Depart:
    """``dossier`` as loaded by dossier_for_depart (one query for every campagne of the page)."""
    from siam.errors import SiamError
    from siam.services.demandes import participation_for, require_startable

    now = timezone.now()
    try:
        require_startable(dossier=dossier, campagne=campagne, now=now)
        peut, empechement = True, ""
    except SiamError as exc:
        peut, empechement = False, exc.message
    entrant = bool(demande and demande.entrant_inter)
    participation, raisons = participation_for(dossier, campagne, entrant_inter=entrant)
    if demande is not None and demande.participation_raisons:
        participation, raisons = demande.participation, list(demande.participation_raisons)
    obligatoire = participation == Participation.OBLIGATOIRE
    # from the first day of the saisie; once it is closed, only to those who are in the mouvement
    phase = campagne.phase_at(now)
    montrer = obligatoire and (phase == Phase.SAISIE or (demande is not None and phase != Phase.RESULTATS))
    return Depart(peut, empechement, montrer, raisons, consequences(dossier, campagne) if montrer else [])


def _dossier_for_depart() -> QuerySet[Dossier]:
    return Dossier.objects.select_related(
        "grade",  # and the discipline: the banner of the page that loads it (no query of its own)
        "discipline",
        "etablissement__commune__departement__academie",
        "zone_remplacement__departement__academie",
    ).filter(agent=Param("agent", IntegerField()))


# compiled once per process (lib.prepared): 5,100 Python calls to compile and read, 700 to read
_DOSSIER_FOR_DEPART = PreparedQuery(lambda: _dossier_for_depart()[:1])
# the SIAM home's: the same dossier with the visible campagnes and the agent's demandes as one more column
_DOSSIER_WITH_CAMPAGNES = PreparedQuery(
    lambda: _dossier_for_depart().annotate(siam_campagnes=campagnes_json("agent"))[:1]
)


def dossier_for_depart(agent: Agent) -> Dossier | None:
    return _DOSSIER_FOR_DEPART.first(agent=agent.pk)


def dossier_and_campagnes(
    agent: Agent, now: datetime.datetime
) -> tuple[Dossier | None, list[tuple[Campagne, Demande | None]]]:
    """dossier_for_depart and campagnes_of in one query (each query costs a request ~0.4 ms of Django); an agent
    without a dossier (staff) reads the campagnes in a second one."""
    dossier = _DOSSIER_WITH_CAMPAGNES.first(agent=agent.pk, cutoff=now - VISIBLE_FOR)
    if dossier is None:
        return None, campagnes_of(agent, now)
    campagnes = campagnes_from_json(dossier.siam_campagnes, dossier._state.db or "default")  # type: ignore[attr-defined]
    return dossier, campagnes


def consequences(dossier: Dossier | None, campagne: Campagne) -> list[str]:
    """What the mouvement does for an obligatory participant (siam/services/mouvement/market.py, DOMAIN.md §2)."""
    voeux = _(
        "Si vous n'obtenez aucun de vos vœux, vous serez affecté(e) d'office par la procédure d'extension\u00a0: "
        "à partir de votre vœu 1, selon la table d'extension %(table)s, avec le plus faible des barèmes de vos "
        "vœux, sans les bonifications propres à un vœu."
    ) % {"table": _("des académies, jamais en Corse ni dans un DOM") if campagne.is_inter else _("de l'académie")}
    departement = None
    if dossier is not None:
        lieu = dossier.etablissement.commune if dossier.etablissement else None
        departement = (
            lieu.departement if lieu else (dossier.zone_remplacement.departement if dossier.zone_remplacement else None)
        )
    if campagne.is_inter and departement is not None:
        depart = _("à partir de votre académie actuelle (%(academie)s)") % {"academie": departement.academie.nom}
    elif campagne.is_intra and departement is not None and departement.academie_id == campagne.academie_id:
        depart = _("à partir de votre département actuel (%(departement)s)") % {"departement": departement.nom}
    else:
        depart = (
            _("dans n'importe quelle zone de l'académie") if campagne.is_intra else _("dans n'importe quelle académie")
        )
    sans = _(
        "Si votre demande ne comporte aucun vœu, la même procédure vous affectera %(depart)s, avec un barème nul\u00a0: "
        "après tous les candidats qui ont formulé des vœux."
    ) % {"depart": depart}
    return [voeux, sans]
