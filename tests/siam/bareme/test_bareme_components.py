"""Every inter component, on cases worked by hand from the DOMAIN.md §3 values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bareme_helpers import (
    BASE_TOTAL,
    BORDEAUX,
    CLERMONT,
    DECLARED,
    GRENOBLE,
    INTER,
    LILLE,
    LYON,
    MARTINIQUE,
    REFUSED,
    TOULOUSE,
    VALIDATED,
    academies,
    line_of,
    situation,
)

from siam.bareme import (
    CimmClaim,
    Claim,
    Claims,
    ClaimStatus,
    Classe,
    EducationPrioritaire,
    EducationPrioritaireType,
    ExContractuelClaim,
    Famille,
    HandicapClaim,
    Lieu,
    LineState,
    PreferentielClaim,
    Stagiaire,
    compute_bareme,
    compute_baremes,
)

D = Decimal


def inter_line(s, code, codes, rang=1):
    voeux = academies(*codes)
    return line_of(compute_bareme(s, voeux[rang - 1], INTER, all_voeux=voeux), code)


@pytest.mark.parametrize(
    ("corps", "classe", "echelon", "years_at_4th", "points", "why"),
    [
        ("CERT", Classe.NORMALE, 1, 0, "14", "1er échelon de la classe normale (minimum de 14 points)"),
        ("CERT", Classe.NORMALE, 2, 0, "14", "2e échelon de la classe normale (7 points par échelon)"),
        ("CERT", Classe.NORMALE, 8, 0, "56", "8e échelon de la classe normale (7 points par échelon)"),
        ("PLP", Classe.NORMALE, 11, 0, "77", "11e échelon de la classe normale (7 points par échelon)"),
        ("CERT", Classe.HORS_CLASSE, 1, 0, "63", "1er échelon de la hors-classe (56 + 7 par échelon)"),
        ("CPE", Classe.HORS_CLASSE, 6, 0, "98", "6e échelon de la hors-classe (56 + 7 par échelon)"),
        ("CERT", Classe.HORS_CLASSE, 4, 3, "84", "4e échelon de la hors-classe (56 + 7 par échelon)"),
        ("AGREG", Classe.HORS_CLASSE, 2, 0, "77", "2e échelon de la hors-classe (63 + 7 par échelon pour les agrégés)"),
        ("AGREG", Classe.HORS_CLASSE, 4, 1, "91", "4e échelon de la hors-classe (63 + 7 par échelon pour les agrégés)"),
        ("AGREG", Classe.HORS_CLASSE, 4, 2, "98", "4e échelon de la hors-classe des agrégés depuis 2 ans"),
        ("CERT", Classe.EXCEPTIONNELLE, 1, 0, "84", "1er échelon de la classe exceptionnelle (77 + 7 par échelon, maximum 105)"),
        ("EPS", Classe.EXCEPTIONNELLE, 3, 0, "98", "3e échelon de la classe exceptionnelle (77 + 7 par échelon, maximum 105)"),
        ("CERT", Classe.EXCEPTIONNELLE, 4, 0, "105", "4e échelon de la classe exceptionnelle (77 + 7 par échelon, maximum 105)"),
        ("CERT", Classe.EXCEPTIONNELLE, 5, 0, "105", "5e échelon de la classe exceptionnelle (77 + 7 par échelon, maximum 105)"),
    ],
)  # fmt: skip
def test_echelon_points_follow_the_grid_of_each_classe(corps, classe, echelon, years_at_4th, points, why):
    s = situation(corps=corps, classe=classe, echelon=echelon, annees_4e_echelon_hc=years_at_4th)
    line = inter_line(s, "echelon", [LYON])
    assert (line.points, line.state, line.detail) == (D(points), LineState.APPLIED, why)


@pytest.mark.parametrize(
    ("years", "points", "why"),
    [
        (0, "0", "moins d'une année complète dans le poste"),
        (1, "20", "1 an dans le poste (20 × 1)"),
        (3, "60", "3 ans dans le poste (20 × 3)"),
        (4, "130", "4 ans dans le poste (20 × 4) et 1 tranche complète de 4 ans (50 par tranche)"),
        (7, "190", "7 ans dans le poste (20 × 7) et 1 tranche complète de 4 ans (50 par tranche)"),
        (8, "260", "8 ans dans le poste (20 × 8) et 2 tranches complètes de 4 ans (50 par tranche)"),
        (12, "390", "12 ans dans le poste (20 × 12) et 3 tranches complètes de 4 ans (50 par tranche)"),
    ],
)
def test_anciennete_dans_le_poste_is_20_a_year_plus_50_per_complete_4_year_tranche(years, points, why):
    line = inter_line(situation(anciennete_poste=years), "poste", [LYON])
    assert (line.points, line.detail) == (D(points), why)


RC_LYON = situation(Claims(rc=VALIDATED), famille=Famille(conjoint=Lieu(academie=LYON)))


@pytest.mark.parametrize(
    ("codes", "rang", "points", "why"),
    [
        ([LYON, GRENOBLE, LILLE], 1, "150.2", "académie de résidence professionnelle du conjoint (Lyon), en vœu 1"),
        ([LYON, GRENOBLE, LILLE], 2, "150.2", "académie limitrophe de celle du conjoint (Lyon)"),
        ([LYON, CLERMONT, LILLE], 2, "150.2", "académie limitrophe de celle du conjoint (Lyon)"),
        ([LYON, GRENOBLE, LILLE], 3, "0", "ni l'académie du conjoint (Lyon) ni une académie limitrophe"),
        ([GRENOBLE, LYON], 1, "0", "l'académie du conjoint (Lyon) doit être le vœu 1 ; le vœu 1 porte sur Grenoble"),
        ([GRENOBLE, LYON], 2, "0", "l'académie du conjoint (Lyon) doit être le vœu 1 ; le vœu 1 porte sur Grenoble"),
    ],
)
def test_rc_needs_the_conjoints_academie_as_voeu_1_and_covers_its_limitrophes(codes, rang, points, why):
    line = inter_line(RC_LYON, "rc", codes, rang)
    assert (line.points, line.detail) == (D(points), why)
    assert line.applies is (points != "0")


def test_rc_sentence_names_the_academie_and_the_voeu_1():
    line = inter_line(RC_LYON, "rc", [LYON])
    expected = (
        "Rapprochement de conjoints : 150,2 points — académie de résidence professionnelle du conjoint (Lyon), en vœu 1"
    )
    assert line.sentence == expected


def test_rc_without_the_conjoints_place_in_the_dossier_gives_nothing_and_says_so():
    line = inter_line(situation(Claims(rc=VALIDATED)), "rc", [LYON])
    assert line.sentence == (
        "Rapprochement de conjoints : 0 point — lieu de résidence professionnelle du conjoint non renseigné dans le dossier"
    )


def test_a_refused_claim_gives_0_and_shows_the_rectorats_reason():
    s = situation(Claims(rc=REFUSED), famille=Famille(conjoint=Lieu(academie=LYON), enfants=2, annees_separation=3))
    bareme = compute_baremes(s, academies(LYON), INTER)[0]
    rc = line_of(bareme, "rc")
    assert rc.sentence == "Rapprochement de conjoints : refusé par le rectorat — pièce justificative manquante"
    assert (rc.points, rc.state) == (0, LineState.REFUSED)
    assert line_of(bareme, "enfants").points == 0
    assert line_of(bareme, "separation").points == 0
    assert bareme.total == BASE_TOTAL


def test_a_declared_claim_is_pending_shows_its_worth_and_adds_nothing():
    s = situation(Claims(rc=DECLARED), famille=Famille(conjoint=Lieu(academie=LYON), enfants=1))
    bareme = compute_baremes(s, academies(LYON), INTER)[0]
    rc, enfants = line_of(bareme, "rc"), line_of(bareme, "enfants")
    assert (rc.state, rc.points, rc.potential) == (LineState.PENDING, 0, D("150.2"))
    assert rc.sentence == (
        "Rapprochement de conjoints : 150,2 points en attente de validation par le rectorat — "
        "académie de résidence professionnelle du conjoint (Lyon), en vœu 1"
    )
    assert (enfants.state, enfants.potential) == (LineState.PENDING, D(100))
    assert bareme.total == BASE_TOTAL


def test_the_worked_example_adds_echelon_poste_rc_enfants_and_separation():
    s = situation(
        Claims(rc=VALIDATED),
        anciennete_poste=5,
        famille=Famille(conjoint=Lieu(academie=LYON), enfants=2, annees_separation=2),
    )
    lyon, grenoble, lille = compute_baremes(s, academies(LYON, GRENOBLE, LILLE), INTER)
    # 56 (8e échelon) + 150 (5 ans, 1 tranche) + 150,2 + 2 × 100 + 325
    assert lyon.total == grenoble.total == D("881.2")
    assert lille.total == D(206)


@pytest.mark.parametrize(
    ("claims", "residence", "enfants", "codes", "rang", "lines"),
    [
        # RC: every child counts, on the RC voeux only.
        (Claims(rc=VALIDATED), None, 2, [LYON, LILLE], 1, {"rc": "150.2", "enfants": "200"}),
        (Claims(rc=VALIDATED), None, 2, [LYON, LILLE], 2, {"rc": "0", "enfants": "0"}),
        # APC: 250,2 includes the first child, the others are on the enfants line.
        (Claims(apc=VALIDATED), LYON, 1, [LYON], 1, {"apc": "250.2", "enfants": "0"}),
        (Claims(apc=VALIDATED), LYON, 3, [LYON, GRENOBLE], 2, {"apc": "250.2", "enfants": "200"}),
        (Claims(apc=VALIDATED), LYON, 0, [LYON], 1, {"apc": "0"}),
        # Both validated: the RC wins, the APC is not cumulated, children counted once.
        (Claims(rc=VALIDATED, apc=VALIDATED), LYON, 2, [LYON], 1, {"rc": "150.2", "apc": "0", "enfants": "200"}),
        # Children alone give nothing: no family bonus carries them.
        (Claims(rqth=VALIDATED), None, 3, [LYON], 1, {"rqth": "100"}),
    ],
)
def test_enfants_count_only_with_rc_or_apc_and_never_twice(claims, residence, enfants, codes, rang, lines):
    famille = Famille(
        conjoint=Lieu(academie=LYON),
        residence_enfants=Lieu(academie=residence) if residence else None,
        enfants=enfants,
    )
    voeux = academies(*codes)
    bareme = compute_bareme(situation(claims, famille=famille), voeux[rang - 1], INTER, all_voeux=voeux)
    got = {line.code: line.points for line in bareme.lines if line.code not in ("echelon", "poste")}
    assert got == {code: D(points) for code, points in lines.items()}


def test_enfants_and_apc_lines_explain_the_first_child_and_the_non_cumul():
    famille = Famille(conjoint=Lieu(academie=LYON), residence_enfants=Lieu(academie=LYON), enfants=2)
    only_apc = compute_baremes(situation(Claims(apc=VALIDATED), famille=famille), academies(LYON), INTER)[0]
    assert line_of(only_apc, "enfants").sentence == (
        "Enfants : 100 points — 2 enfants de moins de 18 ans, le premier déjà compté dans l'autorité parentale conjointe"
    )
    both = compute_baremes(situation(Claims(rc=VALIDATED, apc=VALIDATED), famille=famille), academies(LYON), INTER)[0]
    assert line_of(both, "apc").detail == "non cumulable avec le rapprochement de conjoints, déjà retenu sur ce vœu"
    lille = compute_baremes(situation(Claims(rc=VALIDATED), famille=famille), academies(LYON, LILLE), INTER)[1]
    assert line_of(lille, "enfants").detail == (
        "2 enfants de moins de 18 ans, comptés seulement sur les vœux où s'applique le rapprochement de conjoints"
    )


@pytest.mark.parametrize(
    ("years", "points", "why"),
    [
        (1, "190", "1 année de séparation, avec le rapprochement de conjoints"),
        (2, "325", "2 années de séparation, avec le rapprochement de conjoints"),
        (3, "475", "3 années de séparation, avec le rapprochement de conjoints"),
        (4, "600", "4 années de séparation, avec le rapprochement de conjoints"),
        (7, "600", "7 années de séparation, avec le rapprochement de conjoints"),
    ],
)
def test_separation_follows_the_190_325_475_600_grid_on_rc_voeux(years, points, why):
    s = situation(Claims(rc=VALIDATED), famille=Famille(conjoint=Lieu(academie=LYON), annees_separation=years))
    on_rc, off_rc = compute_baremes(s, academies(LYON, LILLE), INTER)
    assert (line_of(on_rc, "separation").points, line_of(on_rc, "separation").detail) == (D(points), why)
    assert line_of(off_rc, "separation").points == 0


def test_no_separation_line_without_years_of_separation():
    s = situation(Claims(rc=VALIDATED), famille=Famille(conjoint=Lieu(academie=LYON)))
    assert compute_baremes(s, academies(LYON), INTER)[0].line("separation") is None


@pytest.mark.parametrize(
    ("claims", "codes", "points"),
    [
        (Claims(mutation_simultanee=VALIDATED), [LYON, GRENOBLE, LILLE], ["80", "80", "0"]),
        (Claims(mutation_simultanee=VALIDATED), [LILLE, LYON], ["80", "0"]),
        # Not cumulated with an RC retained on the voeu (conjoint in Lyon)...
        (Claims(rc=VALIDATED, mutation_simultanee=VALIDATED), [LYON, GRENOBLE], ["0", "0"]),
        # ...but kept where the RC gives nothing (Lyon is not the voeu 1).
        (Claims(rc=VALIDATED, mutation_simultanee=VALIDATED), [GRENOBLE, LYON], ["80", "80"]),
    ],
)
def test_mutation_simultanee_is_80_on_voeu_1_and_its_limitrophes(claims, codes, points):
    s = situation(claims, famille=Famille(conjoint=Lieu(academie=LYON)))
    got = [line_of(b, "mutation_simultanee").points for b in compute_baremes(s, academies(*codes), INTER)]
    assert got == [D(p) for p in points]


@pytest.mark.parametrize("status", [ClaimStatus.VALIDATED, ClaimStatus.DECLARED])
def test_rqth_is_100_on_every_voeu_once_validated(status):
    s = situation(Claims(rqth=VALIDATED if status is ClaimStatus.VALIDATED else DECLARED))
    expected = D(100) if status is ClaimStatus.VALIDATED else D(0)
    assert [line_of(b, "rqth").points for b in compute_baremes(s, academies(LYON, LILLE, CLERMONT), INTER)] == [
        expected
    ] * 3


def test_exceptional_handicap_is_1000_only_on_the_academies_named_after_medical_opinion():
    claim = HandicapClaim(status=ClaimStatus.VALIDATED, academies=frozenset({LYON, BORDEAUX}))
    lines = [
        line_of(b, "handicap")
        for b in compute_baremes(situation(Claims(handicap=claim)), academies(LYON, LILLE), INTER)
    ]
    assert [line.points for line in lines] == [D(1000), D(0)]
    assert lines[0].detail == "académie de Lyon : zone retenue après avis médical"
    assert lines[1].detail == "seulement sur les zones retenues après avis médical (Bordeaux et Lyon)"


@pytest.mark.parametrize(
    ("kind", "years", "points"),
    [
        (EducationPrioritaireType.REP_PLUS, 5, "400"),
        (EducationPrioritaireType.POLITIQUE_VILLE, 6, "400"),
        (EducationPrioritaireType.REP, 5, "200"),
        (EducationPrioritaireType.REP, 4, "0"),
        (EducationPrioritaireType.REP_PLUS, 4, "0"),
    ],
)
def test_education_prioritaire_needs_5_years_and_gives_400_or_200(kind, years, points):
    s = situation(education_prioritaire=EducationPrioritaire(type=kind, annees=years))
    assert inter_line(s, "education_prioritaire", [LYON]).points == D(points)


@pytest.mark.parametrize(("echelon", "points"), [(1, "150"), (3, "150"), (4, "165"), (5, "180"), (7, "180")])
def test_stagiaire_ex_contractuel_gets_150_165_180_by_reclassement_echelon(echelon, points):
    claim = ExContractuelClaim(status=ClaimStatus.VALIDATED, echelon_reclassement=echelon)
    s = situation(Claims(stagiaire_ex_contractuel=claim), stagiaire=Stagiaire(academie_stage=CLERMONT))
    bareme = compute_baremes(s, academies(LYON), INTER)[0]
    assert line_of(bareme, "stagiaire_ex_contractuel").points == D(points)
    assert bareme.line("stagiaire_academie_stage") is None


def test_other_stagiaire_gets_0_1_on_the_academie_de_stage_and_the_optional_10_on_voeu_1():
    s = situation(Claims(stagiaire_voeu_1=VALIDATED), stagiaire=Stagiaire(academie_stage=CLERMONT))
    first, second = compute_baremes(s, academies(LYON, CLERMONT), INTER)
    assert (line_of(first, "stagiaire_academie_stage").points, line_of(second, "stagiaire_academie_stage").points) == (
        0,
        D("0.1"),
    )
    assert line_of(second, "stagiaire_academie_stage").sentence == (
        "Stagiaire, académie de stage : 0,1 point — académie de stage (Clermont-Ferrand)"
    )
    assert (line_of(first, "stagiaire_voeu_1").points, line_of(second, "stagiaire_voeu_1").points) == (D(10), 0)
    assert line_of(second, "stagiaire_voeu_1").detail == "ne s'applique qu'au vœu 1"


@pytest.mark.parametrize(
    ("previous_years", "codes", "rang", "points", "why"),
    [
        (0, [BORDEAUX], 1, "0", "1re année avec Bordeaux en vœu 1 : les points commencent à la 2e année consécutive"),
        (1, [BORDEAUX], 1, "20", "Bordeaux en vœu 1 pour la 2e année consécutive (20 points par année à partir de la 2e)"),
        (3, [BORDEAUX], 1, "60", "Bordeaux en vœu 1 pour la 4e année consécutive (20 points par année à partir de la 2e)"),
        (3, [TOULOUSE, BORDEAUX], 1, "0", "le vœu 1 n'est pas l'académie du vœu préférentiel (Bordeaux) : la série recommence"),
        (3, [BORDEAUX, TOULOUSE], 2, "0", "ne s'applique qu'au vœu 1"),
    ],
)  # fmt: skip
def test_voeu_preferentiel_gives_20_per_consecutive_year_from_the_second(previous_years, codes, rang, points, why):
    claim = PreferentielClaim(status=ClaimStatus.VALIDATED, academie=BORDEAUX, annees_precedentes=previous_years)
    line = inter_line(situation(Claims(preferentiel=claim)), "preferentiel", codes, rang)
    assert (line.points, line.detail) == (D(points), why)


@pytest.mark.parametrize(
    ("family", "points", "why"),
    [
        (Claims(rc=VALIDATED), "0", "non cumulable avec les bonifications familiales (rapprochement de conjoints validé)"),
        (Claims(apc=VALIDATED), "0", "non cumulable avec les bonifications familiales (autorité parentale conjointe validée)"),
        (Claims(mutation_simultanee=VALIDATED), "0", "non cumulable avec les bonifications familiales (mutation simultanée validée)"),
        # Only a validated family bonus excludes it.
        (Claims(rc=DECLARED), "60", None),
        (Claims(rc=REFUSED), "60", None),
    ],
)  # fmt: skip
def test_voeu_preferentiel_is_not_combined_with_a_validated_family_bonus(family, points, why):
    preferentiel = PreferentielClaim(status=ClaimStatus.VALIDATED, academie=BORDEAUX, annees_precedentes=3)
    claims = Claims(
        rc=family.rc, apc=family.apc, mutation_simultanee=family.mutation_simultanee, preferentiel=preferentiel
    )
    famille = Famille(conjoint=Lieu(academie=LYON), residence_enfants=Lieu(academie=LYON), enfants=1)
    line = inter_line(situation(claims, famille=famille), "preferentiel", [BORDEAUX])
    assert line.points == D(points)
    if why:
        assert line.detail == why


@pytest.mark.parametrize(
    ("cimm", "codes", "rang", "points", "why"),
    [
        (MARTINIQUE, [MARTINIQUE, LYON], 1, "1000", "académie du centre des intérêts matériels et moraux (Martinique)"),
        (MARTINIQUE, [LYON, MARTINIQUE], 2, "0", "ne s'applique qu'au vœu 1"),
        (MARTINIQUE, [LYON, MARTINIQUE], 1, "0", "seulement sur l'académie du centre des intérêts matériels et moraux (Martinique)"),
        (LYON, [LYON], 1, "0", "Lyon n'est pas une académie d'outre-mer"),
    ],
)  # fmt: skip
def test_cimm_is_1000_on_a_dom_academie_as_voeu_1(cimm, codes, rang, points, why):
    s = situation(Claims(cimm=CimmClaim(status=ClaimStatus.VALIDATED, academie=cimm)))
    line = inter_line(s, "cimm", codes, rang)
    assert (line.points, line.detail) == (D(points), why)


def test_a_participant_without_bonus_shares_one_bareme_across_voeux():
    baremes = compute_baremes(situation(), academies(LYON, LILLE, GRENOBLE), INTER)
    assert baremes[0] is baremes[1] is baremes[2]
    assert [line.code for line in baremes[0].lines] == ["echelon", "poste"]
    assert baremes[0].total == BASE_TOTAL


@pytest.mark.parametrize(
    ("claims", "sentence"),
    [
        (Claims(apc=REFUSED), "Autorité parentale conjointe : refusée par le rectorat — pièce justificative manquante"),
        (Claims(rqth=REFUSED), "Handicap (RQTH) : refusé par le rectorat — pièce justificative manquante"),
        (
            Claims(mutation_simultanee=Claim(status=ClaimStatus.REFUSED)),
            "Mutation simultanée : refusée par le rectorat — sans motif communiqué",
        ),
    ],
)
def test_a_refused_claim_reads_in_good_french_even_without_a_reason(claims, sentence):
    bareme = compute_baremes(situation(claims), academies(LYON), INTER)[0]
    assert [line.sentence for line in bareme.lines if line.state is LineState.REFUSED] == [sentence]
