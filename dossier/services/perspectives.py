"""Vos perspectives: load the dossier and its corps' grid in bulk, call the pure core, draw the timeline."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext

from dossier.models import Affectation, EchelonHistorique, EducationPrioritaire, Grade
from dossier.models import Dossier as DossierModel
from dossier.perspectives import (
    Condition,
    Duree,
    Grille,
    Perspectives,
    Situation,
    compute_perspectives,
    ecart,
    format_mois,
)
from dossier.timeline import Chart, Point, build_chart

PRIORITAIRE = (EducationPrioritaire.REP, EducationPrioritaire.REP_PLUS, EducationPrioritaire.POLITIQUE_VILLE)


@dataclass(frozen=True)
class Ligne:
    """One row of the table that says what the timeline draws."""

    date: datetime.date
    grade: str
    echelon: int
    projete: bool
    date_au_plus_tot: datetime.date | None = None


@dataclass(frozen=True)
class LigneGrille:
    echelon: int
    duree: str
    acceleree: str


@dataclass(frozen=True)
class PerspectivesPage:
    perspectives: Perspectives
    chart: Chart | None
    lignes: tuple[Ligne, ...]
    fonctions_particulieres_mois: int
    grade_libelle: str
    grille: tuple[LigneGrille, ...]


def grille_from(grade: Grade) -> Grille:
    return Grille(
        classe=grade.classe,
        libelle=grade.libelle,
        echelon_max=grade.echelon_max,
        durees={d.echelon: Duree(d.duree_mois, d.duree_acceleree_mois) for d in grade.durees.all()},
    )


def mois_en_education_prioritaire(affectations: list[Affectation], today: datetime.date) -> int:
    """Whole months spent in REP, REP+ or politique de la ville établissements, from the affectations."""
    total = 0
    for a in affectations:
        if a.etablissement is not None and a.etablissement.education_prioritaire in PRIORITAIRE:
            span = ecart(a.date_debut, min(a.date_fin or today, today))
            total += span.annees * 12 + span.mois
    return total


def perspectives_page(dossier: DossierModel, today: datetime.date) -> PerspectivesPage:
    grades = {
        g.pk: g
        for g in Grade.objects.filter(corps_id=dossier.corps_id).prefetch_related("durees", "conditions_promotion")
    }
    by_classe = {g.classe: g for g in grades.values()}
    grade = grades.get(dossier.grade_id) or dossier.grade
    conditions = tuple(
        Condition(
            libelle=c.libelle,
            depuis=g.classe,
            vers=grades[c.vers_id].classe if c.vers_id in grades else "",
            echelon_min=c.echelon_min,
            anciennete_mois=c.anciennete_echelon_mois,
            fonctions_particulieres_mois=c.fonctions_particulieres_mois,
            appreciation_mois=c.appreciation_mois,
            appreciation_jour=c.appreciation_jour,
        )
        for g in grades.values()
        for c in g.conditions_promotion.all()
    )
    affectations = list(dossier.affectations.select_related("etablissement"))
    fp = mois_en_education_prioritaire(affectations, today)
    situation = Situation(
        grille=grille_from(grade),
        echelon=dossier.echelon,
        date_effet=dossier.date_echelon,
        aujourd_hui=today,
        conditions=conditions,
        fonctions_particulieres_mois=fp,
    )
    result = compute_perspectives(situation)
    history = list(EchelonHistorique.objects.filter(dossier=dossier).select_related("grade").order_by("date_effet"))
    passe = [Point(h.date_effet, h.grade.classe, h.echelon) for h in history if h.date_effet <= today]
    current = Point(dossier.date_echelon, grade.classe, dossier.echelon) if dossier.date_echelon else None
    if current and current not in passe and current.date <= today:
        passe.append(current)
    futur = [Point(e.date, grade.classe, e.echelon) for e in result.projection]
    chart = build_chart(passe, futur, today, {c: g.echelon_max for c, g in by_classe.items()})
    lignes = [Ligne(h.date_effet, h.grade.libelle, h.echelon, False) for h in history if h.date_effet <= today]
    if current and current.date not in {h.date_effet for h in history}:
        lignes.append(Ligne(current.date, grade.libelle, current.echelon, False))
    lignes += [Ligne(e.date, grade.libelle, e.echelon, True, e.date_au_plus_tot) for e in result.projection]
    grille = tuple(
        LigneGrille(
            echelon,
            format_mois(d.mois) if (d := situation.grille.durees.get(echelon)) else _no_duration(echelon, grade),
            format_mois(d.acceleree_mois) if d and d.acceleree_mois else "",
        )
        for echelon in range(1, grade.echelon_max + 1)
    )
    return PerspectivesPage(result, chart, tuple(lignes), fp, grade.libelle, grille)


def _no_duration(echelon: int, grade: Grade) -> str:
    return gettext("dernier échelon") if echelon == grade.echelon_max else gettext("au choix (pas de durée)")
