"""Searching the reference data for voeux, and the campagne's posts for the postes page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from dossier.models import Academie, Commune, Departement, Etablissement, GroupementCommunes, ZoneRemplacement
from siam.models import Campagne, Poste
from siam.models.choices import CIBLE_PAR_TYPE, TYPES_AVEC_FILTRE
from siam.models.demande import code_of

LIMIT = 20


@dataclass(frozen=True)
class Resultat:
    type: str
    code: str
    libelle: str
    filtrable: bool

    @property
    def montre_code(self) -> bool:
        return self.code not in self.libelle


def _in_academie(queryset: QuerySet[Any], path: str, campagne: Campagne) -> QuerySet[Any]:
    if not campagne.academie_id:
        return queryset
    return queryset.filter(**{f"{path}academie_id": campagne.academie_id})


def search_cibles(campagne: Campagne, voeu_type: str, q: str) -> list[Resultat]:
    """Up to LIMIT targets of that type matching a name or code, inside the campagne's académie."""
    field = CIBLE_PAR_TYPE[voeu_type]
    q = q.strip()
    queryset: QuerySet[Any]
    if field == "etablissement":
        queryset = _in_academie(
            Etablissement.objects.select_related("commune__departement"), "commune__departement__", campagne
        ).filter(Q(nom__icontains=q) | Q(uai__iexact=q) | Q(commune__nom__icontains=q))
    elif field == "commune":
        # accents, case and hyphens aside, or the INSEE code (dossier's trigram index)
        queryset = _in_academie(Commune.objects.search(q).select_related("departement"), "departement__", campagne)
    elif field == "groupement":
        queryset = _in_academie(GroupementCommunes.objects.all(), "departement__", campagne).filter(
            Q(nom__icontains=q) | Q(code__iexact=q)
        )
    elif field == "departement":
        queryset = Departement.objects.filter(Q(nom__icontains=q) | Q(code__iexact=q) | Q(code__iexact=q.zfill(3)))
        if campagne.academie_id:
            queryset = queryset.filter(academie_id=campagne.academie_id)
    elif field == "academie":
        queryset = Academie.objects.filter(Q(nom__icontains=q) | Q(code__iexact=q))
        if campagne.academie_id:
            queryset = queryset.filter(pk=campagne.academie_id)
    else:
        queryset = _in_academie(ZoneRemplacement.objects.all(), "departement__", campagne).filter(
            Q(nom__icontains=q) | Q(code__iexact=q)
        )
    filtrable = campagne.is_intra and voeu_type in TYPES_AVEC_FILTRE
    return [Resultat(voeu_type, code_of(voeu_type, obj), str(obj), filtrable) for obj in queryset[:LIMIT]]


def filter_postes(campagne: Campagne, data: dict[str, Any]) -> QuerySet[Poste]:
    postes = Poste.objects.filter(campagne=campagne).for_list()
    if data.get("discipline"):
        postes = postes.filter(discipline=data["discipline"])
    if data.get("departement"):
        dep = data["departement"]
        postes = postes.filter(Q(etablissement__commune__departement=dep) | Q(zone_remplacement__departement=dep))
    if data.get("commune"):
        commune = data["commune"].strip()
        postes = postes.filter(
            Q(etablissement__commune__nom__icontains=commune) | Q(etablissement__commune__code_insee=commune)
        )
    if data.get("type"):
        postes = postes.filter(etablissement__type=data["type"])
    if data.get("q"):
        q = data["q"].strip()
        postes = postes.filter(
            Q(etablissement__nom__icontains=q)
            | Q(etablissement__uai__iexact=q)
            | Q(zone_remplacement__nom__icontains=q)
            | Q(zone_remplacement__code__iexact=q)
            | Q(academie__nom__icontains=q)
            | Q(profil__icontains=q)
        )
    return postes.order_by(
        "-profile", "discipline__libelle", "academie__nom", "etablissement__nom", "zone_remplacement__code", "pk"
    )
