"""Ancienneté dans le poste is a titulaire's: the stagiaire rule (DOMAIN.md §6).

Followed text: the inter note de service as summarised by the unions (SNES Besançon 2021, CGT Éduc'action
Versailles 2024), quoted in DOMAIN.md §6: 20 points per year in the current post *as titulaire* (+ 50 per full
4-year tranche); stagiaires who were titulaires of another corps count their previous post; other stagiaires
get none for their stage year.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from bareme_helpers import CLERMONT, INTER, LYON, VALIDATED, academies, line_of, situation

from siam.bareme import Claims, ExContractuelClaim, LineState, Stagiaire, compute_bareme, compute_baremes

D = Decimal
NEVER = "stagiaire : seules les années dans un poste comme titulaire comptent, pas l'année de stage"


@pytest.mark.parametrize(
    ("years_in_post", "stagiaire", "claims", "points", "why"),
    [
        # A titulaire: his years in the current post.
        (1, None, Claims(), "20", "1 an dans le poste (20 × 1)"),
        (4, None, Claims(), "130", "4 ans dans le poste (20 × 4) et 1 tranche complète de 4 ans (50 par tranche)"),
        # A stagiaire who never was titulaire: the stage year gives nothing (was 20 for « 1 an »).
        (1, Stagiaire(academie_stage=CLERMONT), Claims(), "0", NEVER),
        (2, Stagiaire(academie_stage=CLERMONT), Claims(), "0", NEVER),
        # An ex-contractuel is a stagiaire too: his contract years are not a titulaire's post.
        (1, Stagiaire(academie_stage=CLERMONT),
         Claims(stagiaire_ex_contractuel=ExContractuelClaim(status=VALIDATED.status, echelon_reclassement=4)), "0", NEVER),
        # A stagiaire titulaire of another corps counts his previous post, not the stage year.
        (1, Stagiaire(academie_stage=CLERMONT, anciennete_poste_titulaire=5), Claims(), "150",
         "5 ans dans le poste précédent, comme titulaire d'un autre corps (20 × 5) et 1 tranche complète de 4 ans "
         "(50 par tranche)"),
        (1, Stagiaire(academie_stage=CLERMONT, anciennete_poste_titulaire=0), Claims(), "0",
         "moins d'une année complète dans le poste précédent, comme titulaire d'un autre corps"),
        # Without an académie de stage in the dossier, still a stagiaire.
        (1, Stagiaire(), Claims(), "0", NEVER),
    ],
)  # fmt: skip
def test_anciennete_dans_le_poste_counts_only_years_as_titulaire(years_in_post, stagiaire, claims, points, why):
    s = situation(claims, anciennete_poste=years_in_post, stagiaire=stagiaire)
    voeux = academies(LYON)
    line = line_of(compute_bareme(s, voeux[0], INTER, all_voeux=voeux), "poste")
    assert (line.points, line.detail) == (D(points), why)
    assert line.state is (LineState.APPLIED if D(points) else LineState.NOT_APPLICABLE)


def test_a_stagiaire_without_academie_de_stage_has_no_academie_de_stage_line():
    baremes = compute_baremes(situation(stagiaire=Stagiaire()), academies(CLERMONT, LYON), INTER)
    assert all(b.line("stagiaire_academie_stage") is None for b in baremes)
