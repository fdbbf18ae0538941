"""Default rules, as the JSON rows staff will see and edit.

Inter: the DOMAIN.md §3 table. Intra Clermont-Ferrand: the same structure
with the restrictions of the Amiens example (no family bonus on ETB voeux,
RC raised on DPT/ZRD/ACA, REP+ entry and agrégé-in-lycée on ETB only, carte
scolaire, TZR stabilisation). Every figure here is a default to be checked
against the campagne's note de service, never a constant of the code.
"""

from __future__ import annotations

from siam.bareme.config import JSON
from siam.bareme.rules import Rules

_ECHELON: dict[str, JSON] = {
    "code": "echelon",
    "params": {
        "normale_par_echelon": "7",
        "normale_minimum": "14",
        "hors_classe_base": "56",
        "hors_classe_base_agreges": "63",
        "hors_classe_par_echelon": "7",
        "agreges_dernier_echelon_hc": 4,
        "agreges_dernier_echelon_hc_paliers": [[2, "98"]],
        "exceptionnelle_base": "77",
        "exceptionnelle_par_echelon": "7",
        "exceptionnelle_maximum": "105",
        "corps_agreges": ["AGREG"],
    },
}
_POSTE: dict[str, JSON] = {"code": "poste", "params": {"par_an": "20", "par_tranche": "50", "annees_tranche": 4}}
_ENFANTS: dict[str, JSON] = {"code": "enfants", "params": {"par_enfant": "100", "avec": {"rc": 0, "apc": 1}}}
_SEPARATION: dict[str, JSON] = {
    "code": "separation",
    "params": {"paliers": [[1, "190"], [2, "325"], [3, "475"], [4, "600"]], "avec": ["rc"]},
}
_RQTH: dict[str, JSON] = {"code": "rqth", "params": {"points": "100"}}
_HANDICAP: dict[str, JSON] = {"code": "handicap", "voeu_specific": True, "params": {"points": "1000"}}
_EDUCATION_PRIORITAIRE: dict[str, JSON] = {
    "code": "education_prioritaire",
    "params": {"annees_minimum": 5, "points": {"REP+": "400", "PV": "400", "REP": "200"}},
}
_EX_CONTRACTUEL: dict[str, JSON] = {
    "code": "stagiaire_ex_contractuel",
    "params": {"paliers": [[1, "150"], [4, "165"], [5, "180"]]},
}
_VOEU_1: dict[str, JSON] = {"rangs": "voeu_1"}


def default_rules_inter() -> Rules:
    return Rules.from_dicts(
        [
            _ECHELON,
            _POSTE,
            {
                "code": "rc",
                "params": {"points": "150.2", "niveau": "academie", "limitrophes": True, "en_voeu_1": True},
            },
            {
                "code": "apc",
                "params": {
                    "points": "250.2",
                    "niveau": "academie",
                    "limitrophes": True,
                    "en_voeu_1": True,
                    "non_cumulable_avec": ["rc"],
                },
            },
            {
                "code": "mutation_simultanee",
                "params": {"points": "80", "limitrophes": True, "non_cumulable_avec": ["rc", "apc"]},
            },
            _ENFANTS,
            _SEPARATION,
            _RQTH,
            _HANDICAP,
            _EDUCATION_PRIORITAIRE,
            _EX_CONTRACTUEL,
            {"code": "stagiaire_academie_stage", "voeu_specific": True, "params": {"points": "0.1"}},
            {"code": "stagiaire_voeu_1", "voeu_specific": True, "applique_a": _VOEU_1, "params": {"points": "10"}},
            {
                "code": "preferentiel",
                "voeu_specific": True,
                "applique_a": _VOEU_1,
                "params": {"par_an": "20", "exclu_par": ["rc", "apc", "mutation_simultanee"]},
            },
            {"code": "cimm", "voeu_specific": True, "applique_a": _VOEU_1, "params": {"points": "1000"}},
        ]
    )


def default_rules_intra_clermont() -> Rules:
    family_voeux: dict[str, JSON] = {"types_exclus": ["ETB"], "filtres": ["TOUT"]}
    wide = ["DPT", "ZRD", "ACA"]
    return Rules.from_dicts(
        [
            _ECHELON,
            _POSTE,
            {
                "code": "rc",
                "applique_a": family_voeux,
                "params": {
                    "points": "90.2",
                    "points_par_type": dict.fromkeys(wide, "150.2"),
                    "niveau": "departement",
                },
            },
            {
                # As at the inter, the APC includes the first child: RC + 100.
                "code": "apc",
                "applique_a": family_voeux,
                "params": {
                    "points": "190.2",
                    "points_par_type": dict.fromkeys(wide, "250.2"),
                    "niveau": "departement",
                    "non_cumulable_avec": ["rc"],
                },
            },
            {
                "code": "mutation_simultanee",
                "applique_a": family_voeux,
                "params": {"points": "80", "niveau": "departement", "non_cumulable_avec": ["rc", "apc"]},
            },
            _ENFANTS,
            _SEPARATION,
            _RQTH,
            _HANDICAP,
            _EDUCATION_PRIORITAIRE,
            _EX_CONTRACTUEL,
            {"code": "carte_scolaire", "voeu_specific": True, "params": {"points": "1500"}},
            {
                "code": "agrege_lycee",
                "voeu_specific": True,
                "applique_a": {"types": ["ETB"]},
                "params": {"points": "120", "corps": ["AGREG"], "etablissement_types": ["LYC"]},
            },
            {
                "code": "rep_plus_entree",
                "voeu_specific": True,
                "applique_a": {"types": ["ETB"]},
                "params": {"points": "600"},
            },
            {
                "code": "tzr",
                "voeu_specific": True,
                "applique_a": {"types": ["COM", "GEO", "DPT"], "filtres": ["TOUT"]},
                "params": {"paliers": [[1, "40"], [3, "70"], [5, "90"]]},
            },
        ]
    )
