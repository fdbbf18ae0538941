"""Searching the reference data for voeux, and the campagne's posts for the postes page.

A teacher types as one types: "reunion" for La Réunion, "lycee jeanne" for Lycée Jeanne-d'Arc,
"jeane" for Jeanne. Each word of the query must be found in the object's names, case and accents
aside (PostgreSQL's unaccent), or nearly (trigram word similarity, pg_trgm): both extensions are
created by migration siam 0004_french_search. Lists sort in French order (ICU collation "fr-x-icu":
"Éducation" before "Technologie", where the C order puts "É" after "z").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Collate, Concat, Lower

from dossier.models import Academie, Commune, Departement, Etablissement, GroupementCommunes, ZoneRemplacement
from siam.models import Campagne, Poste
from siam.models.choices import CIBLE_PAR_TYPE, TYPES_AVEC_FILTRE
from siam.models.demande import code_of

LIMIT = 20
FRENCH = "fr-x-icu"
# word_similarity from which a mistyped word still finds its name: "jeane" → "Jeanne" is 0.71, "lycee" → "Lyon" 0.17
SIMILARITY = 0.6
MAX_WORDS = 6  # a query is a few words; more is noise (and one similarity per word per row)
WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents, as PostgreSQL's unaccent(lower(…)) folds the names."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def french(field: str) -> Collate:
    return Collate(F(field), FRENCH)


def _folded(*fields: str) -> Func:
    parts: list[Combinable] = []
    for field in fields:
        parts += [Coalesce(F(field), Value(""), output_field=TextField()), Value(" ")]
    return Func(Lower(Concat(*parts, output_field=TextField())), function="unaccent", output_field=TextField())


def matching(queryset: QuerySet[Any], fields: Sequence[str], q: str) -> QuerySet[Any]:
    """Rows where every word of ``q`` is in one of ``fields`` (accents, case aside) or nearly so; best first."""
    words = WORD.findall(fold(q))[:MAX_WORDS]
    if not words:  # nothing searchable (punctuation, emoji): nothing found, as before
        return queryset.annotate(search_score=Value(0.0)).none()
    queryset = queryset.annotate(search_text=_folded(*fields))
    score: Any = Value(0.0)
    for i, word in enumerate(words):
        similarity = f"search_w{i}"
        queryset = queryset.annotate(**{similarity: TrigramWordSimilarity(word, "search_text")})
        queryset = queryset.filter(Q(search_text__contains=word) | Q(**{f"{similarity}__gte": SIMILARITY}))
        score = score + F(similarity)
    return queryset.annotate(search_score=score)


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
        )
        queryset = _by_name_or_code(queryset, ("nom", "commune__nom"), q, Q(uai__iexact=q))
    elif field == "commune":
        # accents, case and hyphens aside, or the INSEE code (dossier's trigram index)
        queryset = _in_academie(Commune.objects.search(q).select_related("departement"), "departement__", campagne)
    elif field == "groupement":
        queryset = _in_academie(GroupementCommunes.objects.all(), "departement__", campagne)
        queryset = _by_name_or_code(queryset, ("nom",), q, Q(code__iexact=q))
    elif field == "departement":
        queryset = Departement.objects.all()
        if campagne.academie_id:
            queryset = queryset.filter(academie_id=campagne.academie_id)
        queryset = _by_name_or_code(queryset, ("nom",), q, Q(code__iexact=q) | Q(code__iexact=q.zfill(3)))
    elif field == "academie":
        queryset = Academie.objects.all()
        if campagne.academie_id:
            queryset = queryset.filter(pk=campagne.academie_id)
        queryset = _by_name_or_code(queryset, ("nom",), q, Q(code__iexact=q))
    else:
        queryset = _in_academie(ZoneRemplacement.objects.all(), "departement__", campagne)
        queryset = _by_name_or_code(queryset, ("nom",), q, Q(code__iexact=q))
    filtrable = campagne.is_intra and voeu_type in TYPES_AVEC_FILTRE
    return [Resultat(voeu_type, code_of(voeu_type, obj), str(obj), filtrable) for obj in queryset[:LIMIT]]


def _by_name_or_code(queryset: QuerySet[Any], names: Sequence[str], q: str, code: Q) -> QuerySet[Any]:
    """An exact code, else the names matching ``q``: closest first, then in French order."""
    by_code = queryset.filter(code)
    if by_code.exists():
        return by_code
    return matching(queryset, names, q).order_by("-search_score", french(names[0]), "pk")


def filter_postes(campagne: Campagne, data: dict[str, Any]) -> QuerySet[Poste]:
    postes: QuerySet[Poste] = Poste.objects.filter(campagne=campagne).for_list()
    if data.get("discipline"):
        postes = postes.filter(discipline=data["discipline"])
    if data.get("departement"):
        dep = data["departement"]
        postes = postes.filter(Q(etablissement__commune__departement=dep) | Q(zone_remplacement__departement=dep))
    if data.get("commune"):
        commune = data["commune"].strip()
        if Poste.objects.filter(campagne=campagne, etablissement__commune__code_insee=commune).exists():
            postes = postes.filter(etablissement__commune__code_insee=commune)
        else:
            postes = matching(postes, ("etablissement__commune__nom",), commune)
    if data.get("type"):
        postes = postes.filter(etablissement__type=data["type"])
    if data.get("q"):
        q = data["q"].strip()
        by_code = postes.filter(Q(etablissement__uai__iexact=q) | Q(zone_remplacement__code__iexact=q))
        postes = by_code if by_code.exists() else matching(postes, POSTE_NAMES, q)
    return postes.order_by(
        "-profile",
        french("discipline__libelle"),
        french("academie__nom"),
        french("etablissement__nom"),
        "zone_remplacement__code",
        "pk",
    )


# what a teacher may type to find a post: the school, its town, the zone, the académie, the profile
POSTE_NAMES = (
    "etablissement__nom",
    "etablissement__commune__nom",
    "zone_remplacement__nom",
    "academie__nom",
    "profil",
)
