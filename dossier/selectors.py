"""Read helpers that scope every dossier object to its owner, in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import IntegerField, Model, OuterRef
from django.db.models.functions import JSONArray
from django.shortcuts import get_object_or_404

from dossier.models import (
    Affectation,
    CVContact,
    CVEntry,
    CVSection,
    Diplome,
    Dossier,
    EchelonHistorique,
    Enfant,
    Formation,
)
from lib.prepared import Param, PreparedQuery

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


class EnfantRow(NamedTuple):
    prenom: str
    date_naissance: datetime.date


class EchelonRow(NamedTuple):
    date_effet: datetime.date
    grade: str
    echelon: int
    modalite: str


class AffectationRow(NamedTuple):
    date_debut: datetime.date
    date_fin: datetime.date | None
    etablissement: str | None  # None: not an établissement
    commune: str | None
    zone_remplacement: str | None  # None: not a zone de remplacement
    libelle: str
    nature: str


class DiplomeRow(NamedTuple):
    annee: int
    intitule: str
    specialite: str
    etablissement: str


class FormationRow(NamedTuple):
    nature: str
    libelle: str
    date_debut: datetime.date
    date_fin: datetime.date | None


class DossierRecord(NamedTuple):
    """What the dossier page shows, in one row: the labels of the référentiel, the five histories in page order.

    A related label is None when the foreign key is empty (a non-null name is never None).
    """

    adresse: str
    code_postal: str
    ville: str
    telephone: str
    situation_familiale: str
    conjoint_nom: str
    conjoint_profession: str
    conjoint_academie: str | None
    conjoint_commune: str | None
    position: str
    corps: str
    grade: str
    echelon: int
    date_echelon: datetime.date | None
    reclassement_echelon: int | None
    academie_stage: str | None
    debut_ags: datetime.date | None
    discipline: str
    discipline_code: str
    etablissement: str | None
    etablissement_commune: str | None
    etablissement_type: str | None
    etablissement_uai: str | None
    education_prioritaire: str | None
    zone_remplacement: str | None
    zone_remplacement_code: str | None
    zone_remplacement_departement: str | None
    affectation_provisoire: bool
    date_entree_poste: datetime.date | None
    enfants: tuple[EnfantRow, ...]
    echelons: tuple[EchelonRow, ...]
    affectations: tuple[AffectationRow, ...]
    diplomes: tuple[DiplomeRow, ...]
    formations: tuple[FormationRow, ...]


def _rows(model: type[Model], order: tuple[str, ...], *fields: str) -> ArraySubquery:
    """The dossier's rows of ``model`` in page order, each a JSON array of ``fields`` (one column, no prefetch)."""
    rows = model._default_manager.filter(dossier=OuterRef("pk")).order_by(*order, "pk")
    return ArraySubquery(rows.values(row=JSONArray(*fields)))


def _dossier_query() -> Any:
    """The dossier page's query, compiled by the ORM once per process (lib.prepared: its text depends only on the
    code). Compiling it (29 columns through 9 joins, five subqueries) costs ~16,000 Python calls, running the
    compiled text ~500; only the agent id differs from one teacher to another. Nothing read is kept."""
    return (
        Dossier.objects.filter(agent=Param("agent", IntegerField()))
        .values_list(
            "adresse",
            "code_postal",
            "ville",
            "telephone",
            "situation_familiale",
            "conjoint_nom",
            "conjoint_profession",
            "conjoint_academie__nom",
            "conjoint_commune__nom",
            "position",
            "corps__libelle",
            "grade__libelle",
            "echelon",
            "date_echelon",
            "reclassement_echelon",
            "academie_stage__nom",
            "debut_ags",
            "discipline__libelle",
            "discipline__code",
            "etablissement__nom",
            "etablissement__commune__nom",
            "etablissement__type",
            "etablissement__uai",
            "etablissement__education_prioritaire",
            "zone_remplacement__nom",
            "zone_remplacement__code",
            "zone_remplacement__departement__nom",
            "affectation_provisoire",
            "date_entree_poste",
            _rows(Enfant, ("date_naissance",), "prenom", "date_naissance"),
            _rows(EchelonHistorique, ("-date_effet",), "date_effet", "grade__libelle", "echelon", "modalite"),
            _rows(
                Affectation,
                ("-date_debut",),
                "date_debut",
                "date_fin",
                "etablissement__nom",
                "etablissement__commune__nom",
                "zone_remplacement__nom",
                "libelle",
                "nature",
            ),
            _rows(Diplome, ("-annee",), "annee", "intitule", "specialite", "etablissement"),
            _rows(Formation, ("-date_debut",), "nature", "libelle", "date_debut", "date_fin"),
        )
        .order_by()[:1]
    )


_DOSSIER_RECORD: PreparedQuery[tuple[Any, ...]] = PreparedQuery(_dossier_query)


def _day(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _date(value: str | None) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


def dossier_record(agent: Agent) -> DossierRecord | None:
    """The agent's dossier as the dossier page shows it, in one query; None if the agent has none."""
    row = _DOSSIER_RECORD.first(agent=agent.pk)
    if row is None:
        return None
    enfants, echelons, affectations, diplomes, formations = row[29:]  # JSON arrays, decoded by the ORM's converters
    return DossierRecord._make(
        (
            *row[:29],
            tuple(EnfantRow(prenom, _day(ne)) for prenom, ne in enfants),
            tuple(EchelonRow(_day(d), g, e, m) for d, g, e, m in echelons),
            tuple(AffectationRow(_day(d), _date(f), *rest) for d, f, *rest in affectations),
            tuple(DiplomeRow(*d) for d in diplomes),
            tuple(FormationRow(n, lib, _day(d), _date(f)) for n, lib, d, f in formations),
        )
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
