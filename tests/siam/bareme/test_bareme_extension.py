"""The extension barème: the lowest barème among the vœux, without vœu-specific bonuses."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bareme_helpers import (
    BASE_TOTAL,
    BORDEAUX,
    CLERMONT,
    GRENOBLE,
    INTER,
    LILLE,
    LYON,
    MARTINIQUE,
    TOULOUSE,
    VALIDATED,
    academies,
    situation,
)

from siam.bareme import (
    CimmClaim,
    Claims,
    ClaimStatus,
    Famille,
    HandicapClaim,
    Lieu,
    PreferentielClaim,
    Rules,
    Stagiaire,
    compute_baremes,
    compute_extension_bareme,
    default_rules_inter,
)

D = Decimal


@pytest.mark.parametrize(
    ("claims", "fields", "codes", "total", "rang", "codes_kept"),
    [
        # Kept: RC on every voeu (Lyon and its neighbour Grenoble).
        (Claims(rc=VALIDATED), {"famille": Famille(conjoint=Lieu(academie=LYON))}, [LYON, GRENOBLE], BASE_TOTAL + D("150.2"), 1, {"rc"}),
        # The lowest voeu wins: Lille has no RC.
        (Claims(rc=VALIDATED), {"famille": Famille(conjoint=Lieu(academie=LYON))}, [LYON, GRENOBLE, LILLE], BASE_TOTAL, 3, {"rc"}),
        # Kept: RQTH on every voeu.
        (Claims(rqth=VALIDATED), {}, [LYON, LILLE], BASE_TOTAL + 100, 1, {"rqth"}),
        # Dropped: vœu préférentiel; equal barèmes, so the first voeu is named.
        (Claims(preferentiel=PreferentielClaim(status=ClaimStatus.VALIDATED, academie=BORDEAUX, annees_precedentes=4)), {}, [BORDEAUX, TOULOUSE], BASE_TOTAL, 1, set()),
        # Dropped: CIMM.
        (Claims(cimm=CimmClaim(status=ClaimStatus.VALIDATED, academie=MARTINIQUE)), {}, [MARTINIQUE], BASE_TOTAL, 1, set()),
        # Dropped: the stagiaire's voeu-1 bonus and académie de stage bonus (and, never titulaire, no poste: 60 less).
        (Claims(stagiaire_voeu_1=VALIDATED), {"stagiaire": Stagiaire(academie_stage=CLERMONT)}, [CLERMONT], BASE_TOTAL - 60, 1, set()),
        # Dropped: the exceptional handicap bonus, tied to some académies.
        (Claims(handicap=HandicapClaim(status=ClaimStatus.VALIDATED, academies=frozenset({LYON}))), {}, [LYON], BASE_TOTAL, 1, set()),
    ],
)  # fmt: skip
def test_extension_bareme_is_the_lowest_voeu_stripped_of_voeu_specific_bonuses(
    claims, fields, codes, total, rang, codes_kept
):
    extension = compute_extension_bareme(situation(claims, **fields), academies(*codes), INTER)
    assert (extension.total, extension.rang) == (total, rang)
    assert {line.code for line in extension.bareme.lines} - {"echelon", "poste"} == codes_kept


def test_extension_bareme_is_never_above_any_voeus_bareme():
    claims = Claims(
        rc=VALIDATED,
        preferentiel=PreferentielClaim(status=ClaimStatus.VALIDATED, academie=LYON, annees_precedentes=2),
    )
    s = situation(claims, famille=Famille(conjoint=Lieu(academie=LYON), enfants=1))
    voeux = academies(LYON, GRENOBLE, LILLE)
    assert compute_extension_bareme(s, voeux, INTER).total <= min(b.total for b in compute_baremes(s, voeux, INTER))


def test_a_participant_without_voeux_has_no_extension_bareme():
    with pytest.raises(ValueError, match="aucun vœu"):
        compute_extension_bareme(situation(), [], INTER)


def test_bonuses_reading_a_dropped_component_are_dropped_with_it():
    rows = default_rules_inter().to_dicts()
    for row in rows:
        if row["code"] == "rc":
            row["voeu_specific"] = True
    stripped = Rules.from_dicts(rows).without_voeu_specific()
    codes = [rule.code for rule in stripped.components]
    assert "rc" not in codes and "separation" not in codes
    # The APC no longer refers to the RC, so its non-cumul had to go: it goes too.
    assert "apc" not in codes and "enfants" not in codes
    assert "echelon" in codes and "rqth" in codes
