"""Read helpers that scope every dossier object to its owner, in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import IntegerField, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from dossier.models import Affectation, CVContact, CVEntry, CVSection, Dossier, EchelonHistorique
from dossier.perspectives import Ecart, ecart
from lib.prepared import Param, PreparedQuery
from lib.queries import unique_row

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import Agent


@dataclass(frozen=True)
class Banner:
    """The identity the portal's banner shows: nom, prénom, grade, discipline."""

    nom: str
    prenom: str
    grade: str
    discipline: str


_LABELS: PreparedQuery[tuple[str, str]] = PreparedQuery(
    lambda: (
        Dossier.objects.filter(agent=Param("agent", IntegerField()))
        .values_list("grade__libelle", "discipline__libelle")
        .order_by()[:1]
    )
)


def banner_identity(agent: Agent) -> Banner:
    """Two labels, not the dossier: every page shows the banner (one narrow query, compiled once)."""
    grade, discipline = _LABELS.first(agent=agent.pk) or ("", "")
    return Banner(nom=agent.nom.upper(), prenom=agent.prenom, grade=grade, discipline=discipline)


def banner_of(agent: Agent, dossier: Dossier | None) -> Banner:
    """The banner from a dossier the page has already loaded with its grade and discipline (no query)."""
    if dossier is None:
        return Banner(nom=agent.nom.upper(), prenom=agent.prenom, grade="", discipline="")
    return Banner(
        nom=agent.nom.upper(), prenom=agent.prenom, grade=dossier.grade.libelle, discipline=dossier.discipline.libelle
    )


# --- Votre dossier ----------------------------------------------------------------


def dossier_queryset() -> QuerySet[Dossier]:
    """The dossier page's dossier; its agent is the one asking (dossier_page sets it: no join of the wide agent row)."""
    return Dossier.objects.select_related(
        "corps",
        "grade",
        "discipline",
        "etablissement__commune__departement",
        "zone_remplacement__departement",
        "conjoint_academie",
        "conjoint_commune",
        "academie_stage",
    ).prefetch_related(
        "enfants",
        Prefetch("echelons", queryset=EchelonHistorique.objects.select_related("grade")),
        Prefetch(
            "affectations",
            queryset=Affectation.objects.select_related("etablissement__commune", "zone_remplacement"),
        ),
        "diplomes",
        "formations",
    )


@dataclass(frozen=True)
class DossierPage:
    dossier: Dossier
    anciennete_echelon: Ecart | None
    ags: Ecart | None
    anciennete_poste: Ecart | None
    aujourd_hui: datetime.date


def dossier_page(agent: Agent, today: datetime.date) -> DossierPage | None:
    dossier = unique_row(dossier_queryset().filter(agent=agent))
    if dossier is None:
        return None
    dossier.agent = agent
    return DossierPage(
        dossier=dossier,
        anciennete_echelon=ecart(dossier.date_echelon, today) if dossier.date_echelon else None,
        ags=ecart(dossier.debut_ags, today) if dossier.debut_ags else None,
        anciennete_poste=ecart(dossier.date_entree_poste, today) if dossier.date_entree_poste else None,
        aujourd_hui=today,
    )


# --- Votre CV ---------------------------------------------------------------------


def get_cv_entry_for_user(request: HttpRequest, pk: int) -> CVEntry:
    """The entry if it belongs to the logged-in agent; 404 for anybody else's."""
    return get_object_or_404(CVEntry.objects.for_agent(request.user), pk=pk)


@dataclass(frozen=True)
class CVItem:
    entry: CVEntry
    is_first: bool
    is_last: bool


@dataclass(frozen=True)
class CVBlock:
    section: str
    label: str
    items: tuple[CVItem, ...]


def cv_blocks(agent: Agent) -> tuple[CVBlock, ...]:
    """Every section of the CV, in CVSection order, with its entries in the agent's order (one query)."""
    by_section: dict[str, list[CVEntry]] = {value: [] for value in CVSection.values}
    for entry in CVEntry.objects.for_agent(agent).order_by("section", "ordre", "id"):
        by_section.setdefault(entry.section, []).append(entry)
    return tuple(
        CVBlock(
            section=value,
            label=str(label),
            items=tuple(
                CVItem(entry, i == 0, i == len(by_section[value]) - 1) for i, entry in enumerate(by_section[value])
            ),
        )
        for value, label in CVSection.choices
    )


def cv_contact_of(agent: Agent) -> CVContact | None:
    return CVContact.objects.filter(agent=agent).first()
