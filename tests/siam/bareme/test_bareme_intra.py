"""Intra rules (Clermont-Ferrand, on the Amiens model): restrictions by vœu type and filter."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bareme_helpers import (
    INTER,
    INTRA,
    LYON,
    REFUSED,
    VALIDATED,
    academies,
    conjoint_clermont,
    line_of,
    situation,
    voeu,
)

from siam.bareme import (
    Claims,
    ClaimStatus,
    Famille,
    Lieu,
    TypeVoeu,
    TzrClaim,
    compute_bareme,
    warnings_for_voeu,
)

D = Decimal
T = TypeVoeu
RC_63 = situation(Claims(rc=VALIDATED), famille=Famille(conjoint=conjoint_clermont(), enfants=2))
POSTE = Lieu(academie="06", departement="063", commune="63113", etablissement="0630001A")


def intra_line(s, v, code):
    return line_of(compute_bareme(s, v, INTRA, all_voeux=[v]), code)


@pytest.mark.parametrize(
    ("v", "rc", "enfants", "why"),
    [
        (voeu(1, T.ETB, departement="063", etablissement="0630002B"), "0", "0", "ne s'applique pas aux vœux de type établissement (ETB)"),
        (voeu(1, T.COM, departement="063", communes=frozenset({"63113"})), "90.2", "200", "département de résidence professionnelle du conjoint (Puy-de-Dôme)"),
        (voeu(1, T.GEO, departement="063", communes=frozenset({"63014", "63032"})), "90.2", "200", "département de résidence professionnelle du conjoint (Puy-de-Dôme)"),
        (voeu(1, T.DPT, departement="063"), "150.2", "200", "département de résidence professionnelle du conjoint (Puy-de-Dôme)"),
        (voeu(1, T.ZRD, departement="063"), "150.2", "200", "département de résidence professionnelle du conjoint (Puy-de-Dôme)"),
        (voeu(1, T.ACA), "150.2", "200", "académie de résidence professionnelle du conjoint (Clermont-Ferrand)"),
        (voeu(1, T.ZRA), "90.2", "200", "académie de résidence professionnelle du conjoint (Clermont-Ferrand)"),
        (voeu(1, T.DPT, departement="003"), "0", "0", "hors du département du conjoint (Puy-de-Dôme)"),
        (voeu(1, T.COM, departement="063", communes=frozenset({"63113"}), filtre="LYC"), "0", "0", "exige un vœu « tout type d'établissement » : le filtre « lycée » de ce vœu le fait perdre"),
    ],
)  # fmt: skip
def test_intra_rc_is_never_on_etb_is_raised_on_dpt_zrd_aca_and_needs_tout_type(v, rc, enfants, why):
    bareme = compute_bareme(RC_63, v, INTRA, all_voeux=[v])
    assert (line_of(bareme, "rc").points, line_of(bareme, "rc").detail) == (D(rc), why)
    assert line_of(bareme, "enfants").points == D(enfants)


def test_lost_rc_on_an_etb_voeu_reads_as_the_portal_shows_it():
    v = voeu(1, T.ETB, departement="063", etablissement="0630002B")
    assert intra_line(RC_63, v, "rc").sentence == (
        "Rapprochement de conjoints : 0 point — ne s'applique pas aux vœux de type établissement (ETB)"
    )


@pytest.mark.parametrize(
    ("v", "points"),
    [
        (voeu(1, T.ETB, departement="063", etablissement="0630001A"), "1500"),
        (voeu(1, T.ETB, departement="063", etablissement="0630002B"), "0"),
        (voeu(1, T.COM, departement="063", communes=frozenset({"63113"})), "1500"),
        (voeu(1, T.COM, departement="063", communes=frozenset({"63014"})), "0"),
        (voeu(1, T.DPT, departement="063"), "1500"),
        (voeu(1, T.DPT, departement="003"), "0"),
        (voeu(1, T.ACA), "1500"),
    ],
)
def test_mesure_de_carte_scolaire_gives_1500_on_voeux_covering_the_closed_post(v, points):
    s = situation(Claims(carte_scolaire=VALIDATED), poste=POSTE)
    assert intra_line(s, v, "carte_scolaire").points == D(points)


@pytest.mark.parametrize(
    ("corps", "v", "points"),
    [
        ("AGREG", voeu(1, T.ETB, etablissement="0630003C", etablissement_type="LYC"), "120"),
        ("AGREG", voeu(1, T.ETB, etablissement="0630004D", etablissement_type="CLG"), "0"),
        ("AGREG", voeu(1, T.COM, communes=frozenset({"63113"}), filtre="LYC"), "0"),
        ("CERT", voeu(1, T.ETB, etablissement="0630003C", etablissement_type="LYC"), None),
    ],
)
def test_agrege_in_lycee_is_120_on_etb_lycee_voeux_only(corps, v, points):
    line = compute_bareme(situation(corps=corps), v, INTRA, all_voeux=[v]).line("agrege_lycee")
    assert (None if line is None else line.points) == (None if points is None else D(points))


def test_rep_plus_entry_is_600_on_a_rep_plus_etablissement_and_absent_elsewhere():
    rep_plus = voeu(1, T.ETB, etablissement="0630005E", etablissement_ep="REP+")
    plain = voeu(1, T.ETB, etablissement="0630006F")
    assert intra_line(situation(), rep_plus, "rep_plus_entree").points == D(600)
    assert compute_bareme(situation(), plain, INTRA, all_voeux=[plain]).line("rep_plus_entree") is None


@pytest.mark.parametrize(
    ("years", "v", "points", "why"),
    [
        (0, voeu(1, T.DPT, departement="063"), "0", "0 an comme titulaire sur zone de remplacement : il en faut 1"),
        (2, voeu(1, T.DPT, departement="063"), "40", "2 ans comme titulaire sur zone de remplacement"),
        (3, voeu(1, T.COM, communes=frozenset({"63113"})), "70", "3 ans comme titulaire sur zone de remplacement"),
        (6, voeu(1, T.GEO, communes=frozenset({"63113"})), "90", "6 ans comme titulaire sur zone de remplacement"),
        (6, voeu(1, T.ETB, etablissement="0630001A"), "0", "ne s'applique qu'aux vœux de type commune (COM), groupement de communes (GEO) ou département (DPT)"),
        (6, voeu(1, T.ZRD, departement="063"), "0", "ne s'applique qu'aux vœux de type commune (COM), groupement de communes (GEO) ou département (DPT)"),
    ],
)  # fmt: skip
def test_tzr_stabilisation_is_40_70_90_on_com_geo_dpt_voeux(years, v, points, why):
    s = situation(Claims(tzr=TzrClaim(status=ClaimStatus.VALIDATED, annees=years)))
    line = intra_line(s, v, "tzr")
    assert (line.points, line.detail) == (D(points), why)


def test_warnings_name_each_bonus_an_etb_voeu_makes_the_participant_lose():
    v = voeu(2, T.ETB, departement="063", etablissement="0630002B")
    assert warnings_for_voeu(RC_63, v, INTRA, all_voeux=[voeu(1, T.DPT, departement="063"), v]) == (
        "Rapprochement de conjoints : 90,2 points perdus sur ce vœu — ne s'applique pas aux vœux de type établissement (ETB)",
        "Enfants : 200 points perdus sur ce vœu — 2 enfants de moins de 18 ans, "
        "comptés seulement sur les vœux où s'applique le rapprochement de conjoints",
    )


def test_warnings_name_the_etablissement_filter_that_costs_a_bonus():
    s = situation(Claims(tzr=TzrClaim(status=ClaimStatus.DECLARED, annees=4)))
    v = voeu(1, T.DPT, departement="063", filtre="CLG")
    assert warnings_for_voeu(s, v, INTRA, all_voeux=[v]) == (
        "Stabilisation des TZR : 70 points perdus sur ce vœu — exige un vœu « tout type d'établissement » : "
        "le filtre « collège » de ce vœu le fait perdre",
    )


@pytest.mark.parametrize(
    ("s", "v"),
    [
        # The bonus would not apply anyway: the voeu is outside the conjoint's département.
        (RC_63, voeu(1, T.ETB, departement="003", etablissement="0030001A")),
        # The claim was refused: nothing to lose.
        (
            situation(Claims(rc=REFUSED), famille=Famille(conjoint=conjoint_clermont())),
            voeu(1, T.ETB, departement="063", etablissement="0630002B"),
        ),
        # A voeu keeping every bonus.
        (RC_63, voeu(1, T.DPT, departement="063")),
        # No claim at all.
        (situation(), voeu(1, T.ETB, departement="063", etablissement="0630002B")),
    ],
)
def test_no_warning_when_the_voeu_type_costs_nothing(s, v):
    assert warnings_for_voeu(s, v, INTRA, all_voeux=[v]) == ()


def test_inter_voeux_have_no_type_restriction_hence_no_warning():
    s = situation(Claims(rc=VALIDATED), famille=Famille(conjoint=Lieu(academie=LYON), enfants=1))
    voeux = academies(LYON, "09")
    assert warnings_for_voeu(s, voeux[1], INTER, all_voeux=voeux) == ()


def test_the_warnings_of_a_whole_list_are_those_of_each_voeu_asked_one_by_one():
    """The voeux page asks for the list at once (one plan for the list): the same sentences, in the list's order."""
    tzr = situation(Claims(rc=VALIDATED, tzr=TzrClaim(status=ClaimStatus.DECLARED, annees=4)),
                    famille=Famille(conjoint=conjoint_clermont(), enfants=2))  # fmt: skip
    voeux = [
        voeu(1, T.DPT, departement="063", filtre="CLG"),
        voeu(2, T.ETB, departement="063", etablissement="0630002B"),
        voeu(3, T.COM, departement="063", communes=frozenset({"63113"})),
        voeu(4, T.ETB, departement="003", etablissement="0030001A"),
        voeu(5, T.ETB, departement="063", etablissement="0630003C"),
    ]
    for s in (RC_63, tzr, situation()):
        one_by_one = tuple(warnings_for_voeu(s, v, INTRA, all_voeux=voeux) for v in voeux)
        assert INTRA.list_warnings(s, voeux) == one_by_one
    assert [bool(w) for w in INTRA.list_warnings(tzr, voeux)] == [True, True, False, True, True]
