"""Voeux that cannot be right: asking for where one already is, or for a type the campagne does not open.

Pure (no Django): the voeux service describes the teacher's current post and the voeu in plain
values, asks ``refusal``, and turns the answer into a translated message. The rules (DOMAIN.md §6,
« Where one already is »): a titulaire does not ask for his own académie at the inter, nor for his
own établissement or his own zone de remplacement at the intra: if he obtains nothing he simply
stays. Stagiaires have no post of their own yet (their stage établissement is not one), so they may
ask for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    INTER = "inter"
    INTRA = "intra"
    OTHER = "other"  # mouvements spécifiques: the posts are profiled, the rules below do not apply


class Refus(StrEnum):
    TYPE_FERME = "type_ferme"
    PROPRE_ACADEMIE = "propre_academie"
    PROPRE_ETABLISSEMENT = "propre_etablissement"
    PROPRE_ZONE = "propre_zone"


@dataclass(frozen=True, slots=True, kw_only=True)
class Affectation:
    """Where the teacher is now; empty codes when unknown."""

    titulaire: bool
    academie: str = ""
    etablissement: str = ""
    zone_remplacement: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Cible:
    """The voeu asked for: its type and the codes of what it names (only the relevant one is set)."""

    type: str
    academie: str = ""
    etablissement: str = ""
    zone_remplacement: str = ""


def refusal(*, kind: Kind, types_ouverts: frozenset[str], affectation: Affectation, cible: Cible) -> Refus | None:
    """Why this voeu cannot join the list, or None. The first rule that fails wins, in the order below."""
    if cible.type not in types_ouverts:
        return Refus.TYPE_FERME
    if not affectation.titulaire:
        return None
    if kind is Kind.INTER and cible.type == "ACA" and cible.academie and cible.academie == affectation.academie:
        return Refus.PROPRE_ACADEMIE
    if kind is Kind.INTRA:
        if cible.type == "ETB" and cible.etablissement and cible.etablissement == affectation.etablissement:
            return Refus.PROPRE_ETABLISSEMENT
        if cible.type == "ZRE" and cible.zone_remplacement and cible.zone_remplacement == affectation.zone_remplacement:
            return Refus.PROPRE_ZONE
    return None
