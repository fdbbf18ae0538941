"""Vœux that cannot be right: the rules on plain data, one case per line."""

from __future__ import annotations

import pytest

from siam.bareme.validity import Affectation, Cible, Kind, Refus, refusal

ALL = frozenset({"ETB", "COM", "GEO", "DPT", "ACA", "ZRE", "ZRD", "ZRA"})
INTER_TYPES = frozenset({"ACA"})
TITULAIRE = Affectation(titulaire=True, academie="CLERMONT", etablissement="0630018C")
TZR = Affectation(titulaire=True, academie="CLERMONT", zone_remplacement="ZR063CLF")
STAGIAIRE = Affectation(titulaire=False, academie="CLERMONT", etablissement="0630018C")


@pytest.mark.parametrize(
    ("kind", "types", "affectation", "cible", "expected"),
    [
        # a titulaire does not ask for his own académie at the inter
        (Kind.INTER, INTER_TYPES, TITULAIRE, Cible(type="ACA", academie="CLERMONT"), Refus.PROPRE_ACADEMIE),
        (Kind.INTER, INTER_TYPES, TZR, Cible(type="ACA", academie="CLERMONT"), Refus.PROPRE_ACADEMIE),
        (Kind.INTER, INTER_TYPES, TITULAIRE, Cible(type="ACA", academie="LYON"), None),
        # a stagiaire has no académie of his own yet: he may ask for his stage académie
        (Kind.INTER, INTER_TYPES, STAGIAIRE, Cible(type="ACA", academie="CLERMONT"), None),
        # at the intra the académie is everyone's: an ACA voeu is fine
        (Kind.INTRA, ALL, TITULAIRE, Cible(type="ACA", academie="CLERMONT"), None),
        # nor his own établissement at the intra
        (Kind.INTRA, ALL, TITULAIRE, Cible(type="ETB", etablissement="0630018C"), Refus.PROPRE_ETABLISSEMENT),
        (Kind.INTRA, ALL, TITULAIRE, Cible(type="ETB", etablissement="0631018P"), None),
        (Kind.INTRA, ALL, STAGIAIRE, Cible(type="ETB", etablissement="0630018C"), None),
        # nor the zone de remplacement he holds
        (Kind.INTRA, ALL, TZR, Cible(type="ZRE", zone_remplacement="ZR063CLF"), Refus.PROPRE_ZONE),
        (Kind.INTRA, ALL, TZR, Cible(type="ZRE", zone_remplacement="ZR063RIO"), None),
        (Kind.INTRA, ALL, TITULAIRE, Cible(type="ZRE", zone_remplacement="ZR063CLF"), None),
        # wider voeux covering one's post stay allowed (the commune, the département…)
        (Kind.INTRA, ALL, TITULAIRE, Cible(type="COM"), None),
        # a type the campagne does not open, whoever asks, before anything else
        (Kind.INTER, INTER_TYPES, TITULAIRE, Cible(type="ETB", etablissement="0630018C"), Refus.TYPE_FERME),
        (Kind.INTRA, frozenset({"ETB", "COM"}), STAGIAIRE, Cible(type="ZRE"), Refus.TYPE_FERME),
        # mouvements spécifiques: profiled posts, one may apply to one's own school's
        (Kind.OTHER, frozenset({"ETB"}), TITULAIRE, Cible(type="ETB", etablissement="0630018C"), None),
        # nothing known about the post: nothing to compare with
        (Kind.INTER, INTER_TYPES, Affectation(titulaire=True), Cible(type="ACA", academie="CLERMONT"), None),
    ],
)
def test_refusal(kind: Kind, types: frozenset[str], affectation: Affectation, cible: Cible, expected: Refus) -> None:
    assert refusal(kind=kind, types_ouverts=types, affectation=affectation, cible=cible) is expected
