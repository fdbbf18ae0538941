"""The barème of the old list against the new one: which rank-conditioned bonus a change loses or gains."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from siam.bareme import (
    CimmClaim,
    Claims,
    ClaimStatus,
    Famille,
    Lieu,
    PreferentielClaim,
    Situation,
    Stagiaire,
    VoeuFacts,
)
from siam.bareme.compare import Comparison, Entry, compare_lists, describe
from tests.siam.bareme.bareme_helpers import (
    BASE_TOTAL,
    BORDEAUX,
    CLERMONT,
    DECLARED,
    GRENOBLE,
    INTER,
    LYON,
    PARIS,
    REUNION,
    VALIDATED,
    conjoint_clermont,
    situation,
)

NAMES = {LYON: "Lyon", GRENOBLE: "Grenoble", PARIS: "Paris", BORDEAUX: "Bordeaux", REUNION: "La Réunion",
         CLERMONT: "Clermont-Ferrand"}  # fmt: skip
RC = Decimal("150.2")


def entries(*codes: str) -> list[Entry]:
    """A list of académies in this order; the key is the académie code (stable across lists)."""
    return [Entry(int(code), NAMES[code], VoeuFacts(rang=i, academie=code)) for i, code in enumerate(codes, 1)]


def conjoint_lyon(claim=VALIDATED, enfants: int = 0) -> Situation:  # type: ignore[no-untyped-def]
    lieu = Lieu(academie=LYON, departement="069", commune="69123")
    return situation(Claims(rc=claim), famille=Famille(conjoint=lieu, enfants=enfants))


def run(s: Situation, before: tuple[str, ...], after: tuple[str, ...]) -> Comparison:
    return compare_lists(s, entries(*before), entries(*after), INTER)


def lost(c: Comparison) -> dict[str, tuple[str, ...]]:
    return {d.libelle: d.perdus for d in c.pertes}


def won(c: Comparison) -> dict[str, tuple[str, ...]]:
    return {d.libelle: d.gagnes for d in c.gains}


CIMM = situation(Claims(cimm=CimmClaim(status=ClaimStatus.VALIDATED, academie=REUNION)))
PREFERENTIEL = situation(
    Claims(preferentiel=PreferentielClaim(status=ClaimStatus.VALIDATED, academie=BORDEAUX, annees_precedentes=3))
)
STAGIAIRE = situation(Claims(stagiaire_voeu_1=VALIDATED), stagiaire=Stagiaire(academie_stage=CLERMONT))


@pytest.mark.parametrize(
    ("name", "s", "before", "after", "lost_", "won_"),
    [
        # RC counts on the conjoint's académie and its neighbours only while that académie is voeu 1
        ("rc moved to 2", conjoint_lyon(), (LYON, GRENOBLE), (GRENOBLE, LYON),
         {"Lyon": ("rc",), "Grenoble": ("rc",)}, {}),
        ("rc moved back to 1", conjoint_lyon(), (GRENOBLE, LYON), (LYON, GRENOBLE),
         {}, {"Lyon": ("rc",), "Grenoble": ("rc",)}),
        ("rc: vœu 1 removed", conjoint_lyon(), (LYON, GRENOBLE, PARIS), (GRENOBLE, PARIS), {"Grenoble": ("rc",)}, {}),
        ("rc: a far vœu added last changes nothing", conjoint_lyon(), (LYON, GRENOBLE), (LYON, GRENOBLE, PARIS),
         {}, {}),
        ("rc: moving vœux 2 and 3 changes nothing", conjoint_lyon(), (LYON, GRENOBLE, PARIS),
         (LYON, PARIS, GRENOBLE), {}, {}),
        # the children's points ride on the RC: named with it, not apart
        ("rc and children", conjoint_lyon(enfants=2), (LYON, PARIS), (PARIS, LYON), {"Lyon": ("rc",)}, {}),
        ("cimm needs the DOM académie as vœu 1", CIMM, (REUNION, PARIS), (PARIS, REUNION),
         {"La Réunion": ("cimm",)}, {}),
        ("préférentiel follows vœu 1", PREFERENTIEL, (BORDEAUX, PARIS), (PARIS, BORDEAUX),
         {"Bordeaux": ("preferentiel",)}, {}),
        ("stagiaire bonus moves with vœu 1", STAGIAIRE, (PARIS, LYON), (LYON, PARIS),
         {"Paris": ("stagiaire_voeu_1",)}, {"Lyon": ("stagiaire_voeu_1",)}),
        ("no claim, nothing to lose", situation(), (LYON, PARIS), (PARIS, LYON), {}, {}),
    ],
)  # fmt: skip
def test_rank_conditioned_bonuses_lost_and_gained(
    name: str,
    s: Situation,
    before: tuple[str, ...],
    after: tuple[str, ...],
    lost_: dict[str, tuple[str, ...]],
    won_: dict[str, tuple[str, ...]],
) -> None:
    comparison = run(s, before, after)
    assert lost(comparison) == lost_
    assert won(comparison) == won_


def test_totals_before_and_after_are_the_calculators() -> None:
    comparison = run(conjoint_lyon(enfants=2), (LYON, GRENOBLE), (GRENOBLE, LYON))
    # 116 + 150,2 (RC) + 2 × 100 (children) before; the base 116 after (DOMAIN.md §3)
    assert [(d.libelle, d.avant, d.apres) for d in comparison.voeux] == [
        ("Grenoble", BASE_TOTAL + RC + 200, BASE_TOTAL),
        ("Lyon", BASE_TOTAL + RC + 200, BASE_TOTAL),
    ]


def test_the_sentence_names_the_bonus_the_voeux_and_both_totals() -> None:
    comparison = run(conjoint_lyon(enfants=2), (LYON, GRENOBLE), (GRENOBLE, LYON))
    losses, gains = describe(comparison, "En plaçant Lyon en 2e position")
    assert losses == (
        "En plaçant Lyon en 2e position, vous perdez la bonification de rapprochement de conjoints "
        "sur tous vos vœux\u00a0: 466,2 → 116\u00a0points.",
    )
    assert gains == ()


def test_the_sentence_lists_the_voeux_when_not_all_lose() -> None:
    comparison = run(conjoint_lyon(), (LYON, GRENOBLE, PARIS), (PARIS, LYON, GRENOBLE))
    (loss,), _ = describe(comparison, "En plaçant Paris en 1re position")
    assert loss.replace("\u00a0", " ") == (
        "En plaçant Paris en 1re position, vous perdez la bonification de rapprochement de conjoints "
        "sur vos vœux Lyon et Grenoble : 266,2 → 116 points."
    )


def test_one_voeu_and_a_pending_claim_are_said_so() -> None:
    comparison = run(conjoint_lyon(claim=DECLARED), (LYON, PARIS), (PARIS, LYON))
    (loss,), _ = describe(comparison, "En supprimant Bordeaux")
    # a declared RC does not count yet, but it is what the teacher stands to lose
    assert loss.replace("\u00a0", " ") == (
        "En supprimant Bordeaux, vous perdez la bonification de rapprochement de conjoints sur votre vœu Lyon : "
        "266,2 → 116 points (bonification en attente de la validation de vos pièces justificatives)."
    )


def test_gains_are_sentences_too() -> None:
    comparison = run(conjoint_lyon(), (PARIS, LYON), (LYON, PARIS))
    losses, (gain,) = describe(comparison, "En plaçant Lyon en 1re position")
    assert losses == ()
    assert gain.replace("\u00a0", " ") == (
        "En plaçant Lyon en 1re position, vous obtenez la bonification de rapprochement de conjoints "
        "sur votre vœu Lyon : 116 → 266,2 points."
    )


def test_a_voeu_only_in_the_new_list_is_not_compared() -> None:
    before = entries(LYON)
    after = [*before, Entry(99, "Nouveau", replace(before[0].voeu, rang=2, academie=PARIS))]
    assert [d.key for d in compare_lists(conjoint_lyon(), before, after, INTER).voeux] == [int(LYON)]


def test_an_empty_list_compares_to_nothing() -> None:
    assert compare_lists(conjoint_lyon(), [], entries(LYON), INTER).voeux == ()
    assert describe(Comparison(()), "En ajoutant Lyon") == ((), ())
    assert conjoint_clermont().academie == CLERMONT  # helpers stay in use
