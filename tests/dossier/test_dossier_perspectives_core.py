"""The projection core against hand-computed cases (grid of DOMAIN.md §1, no database)."""

from __future__ import annotations

import datetime

import pytest

from dossier.perspectives import (
    Condition,
    Duree,
    Ecart,
    Grille,
    Situation,
    Statut,
    add_months,
    campagne_for,
    compute_perspectives,
    ecart,
    format_date,
    format_mois,
    project,
)

D = datetime.date
TODAY = D(2026, 11, 28)

CN = Grille(
    "normale",
    "Professeur certifié de classe normale",
    11,
    {
        1: Duree(12),
        2: Duree(12),
        3: Duree(24),
        4: Duree(24),
        5: Duree(30),
        6: Duree(36, 24),
        7: Duree(36),
        8: Duree(42, 30),
        9: Duree(48),
        10: Duree(48),
    },
)
HC = Grille(
    "hors_classe",
    "Professeur certifié hors classe",
    6,
    {1: Duree(24), 2: Duree(24), 3: Duree(30), 4: Duree(30), 5: Duree(36)},
)
# Certifiés' classe exceptionnelle: 4 échelons by seniority, then the échelon spécial by choice.
CE = Grille(
    "exceptionnelle", "Professeur certifié de classe exceptionnelle", 5, {1: Duree(24), 2: Duree(24), 3: Duree(30)}
)

HORS_CLASSE = Condition("", "normale", "hors_classe", echelon_min=9, anciennete_mois=24)
VIVIER_1 = Condition("vivier 1", "hors_classe", "exceptionnelle", echelon_min=3, fonctions_particulieres_mois=96)
VIVIER_2 = Condition("vivier 2", "hors_classe", "exceptionnelle", echelon_min=6)
CONDITIONS = (HORS_CLASSE, VIVIER_1, VIVIER_2)


def situation(grille: Grille, echelon: int, date: datetime.date | None, fp: int | None = 0) -> Situation:
    return Situation(grille, echelon, date, TODAY, CONDITIONS, fp)


# --- next échelon ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grille", "echelon", "date_effet", "next_echelon", "due", "accelerated", "late"),
    [
        # 1 year in the 1st échelon
        (CN, 1, D(2026, 9, 1), 2, D(2027, 9, 1), None, False),
        # 2 and a half years in the 5th
        (CN, 5, D(2025, 9, 1), 6, D(2028, 3, 1), None, False),
        # 6th: 3 years, or 2 years accelerated — still ahead
        (CN, 6, D(2025, 3, 1), 7, D(2028, 3, 1), D(2027, 3, 1), False),
        # 6th: the accelerated date (1 March 2026) is past: it did not happen
        (CN, 6, D(2024, 3, 1), 7, D(2027, 3, 1), None, False),
        # 8th: 3 years 6 months, or 2 years 6 months accelerated
        (CN, 8, D(2025, 3, 1), 9, D(2028, 9, 1), D(2027, 9, 1), False),
        # 10th: 4 years
        (CN, 10, D(2025, 9, 1), 11, D(2029, 9, 1), None, False),
        # due date already past: the dossier is probably late
        (CN, 7, D(2022, 3, 1), 8, D(2025, 3, 1), None, True),
        # hors-classe 3rd: 2 years 6 months
        (HC, 3, D(2025, 9, 1), 4, D(2028, 3, 1), None, False),
        # échelon taking effect in the future
        (CN, 4, D(2027, 1, 1), 5, D(2029, 1, 1), None, False),
    ],
)
def test_next_echelon_date_follows_the_grid(
    grille: Grille,
    echelon: int,
    date_effet: datetime.date,
    next_echelon: int,
    due: datetime.date,
    accelerated: datetime.date | None,
    late: bool,
) -> None:
    result = compute_perspectives(situation(grille, echelon, date_effet))
    assert result.prochain is not None
    assert (result.prochain.echelon, result.prochain.date) == (next_echelon, due)
    assert result.prochain.date_acceleree == accelerated
    assert result.prochain.en_retard is late
    assert format_date(due) in result.prochain_phrase
    if accelerated:
        assert f"dès le {format_date(accelerated)}" in result.prochain_phrase
    if late:
        assert "était dû" in result.prochain_phrase


def test_projection_from_the_first_echelon_to_the_last_with_and_without_accelerations() -> None:
    etapes, bloque = project(situation(CN, 1, D(2026, 9, 1)))
    assert bloque is None
    assert [(e.echelon, e.date, e.date_au_plus_tot) for e in etapes] == [
        (2, D(2027, 9, 1), D(2027, 9, 1)),
        (3, D(2028, 9, 1), D(2028, 9, 1)),
        (4, D(2030, 9, 1), D(2030, 9, 1)),
        (5, D(2032, 9, 1), D(2032, 9, 1)),
        (6, D(2035, 3, 1), D(2035, 3, 1)),
        (7, D(2038, 3, 1), D(2037, 3, 1)),
        (8, D(2041, 3, 1), D(2040, 3, 1)),
        (9, D(2044, 9, 1), D(2042, 9, 1)),
        (10, D(2048, 9, 1), D(2046, 9, 1)),
        (11, D(2052, 9, 1), D(2050, 9, 1)),
    ]


def test_projection_stops_where_the_grid_has_no_duration() -> None:
    result = compute_perspectives(situation(CE, 3, D(2025, 9, 1)))
    assert [(e.echelon, e.date) for e in result.projection] == [(4, D(2028, 3, 1))]
    assert "le passage au 5e échelon se fait ensuite au choix" in result.projection_phrase


# --- edge cases -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grille", "echelon", "expected"),
    [
        (CN, 11, "Vous avez atteint le dernier échelon (11e) de la classe normale"),
        (HC, 6, "Vous avez atteint le dernier échelon (6e) de la hors-classe"),
        (CE, 5, "le sommet de la grille"),
        (CE, 4, "ce passage n'est pas automatique, il se fait au choix"),
    ],
)
def test_no_next_echelon_at_the_top_or_where_advancement_is_by_choice(
    grille: Grille, echelon: int, expected: str
) -> None:
    result = compute_perspectives(situation(grille, echelon, D(2023, 3, 1)))
    assert result.prochain is None
    assert result.projection == ()
    assert expected in result.prochain_phrase


def test_missing_date_d_effet_says_what_is_missing_instead_of_guessing() -> None:
    result = compute_perspectives(situation(CN, 4, None))
    assert result.prochain is None
    assert result.projection == ()
    assert result.manques == ("la date d'effet de votre 4e échelon",)
    assert "il manque la date d'effet de votre 4e échelon" in result.prochain_phrase
    assert "n'est pas renseignée" in result.situation
    hors_classe = result.eligibilites[0]
    assert hors_classe.statut is Statut.INCONNUE
    assert hors_classe.date is None
    assert "manque dans votre dossier" in hors_classe.phrase


def test_an_echelon_outside_the_grade_is_reported_not_projected() -> None:
    result = compute_perspectives(situation(CN, 12, D(2020, 9, 1)))
    assert result.prochain is None and result.projection == () and result.eligibilites == ()
    assert "la classe normale en compte 11" in result.situation


def test_seniority_in_the_echelon_is_stated_in_years_months_and_days() -> None:
    result = compute_perspectives(situation(CN, 8, D(2025, 3, 1)))
    assert result.anciennete_echelon == Ecart(1, 8, 27)
    assert "depuis le 1er mars 2025, soit 1 an 8 mois et 27 jours" in result.situation


# --- hors-classe promouvabilité -------------------------------------------------------


@pytest.mark.parametrize(
    ("echelon", "date_effet", "statut", "date", "campagne"),
    [
        # 2 years in the 9th reached on 1 September 2025: promouvable
        (9, D(2023, 9, 1), Statut.REMPLIE, D(2025, 9, 1), None),
        # reached on 1 September 2027, after 31 August: the 2028 campagne
        (9, D(2025, 9, 1), Statut.A_VENIR, D(2027, 9, 1), 2028),
        # reached on 1 June 2027: the 2027 campagne
        (9, D(2025, 6, 1), Statut.A_VENIR, D(2027, 6, 1), 2027),
        # reached exactly on 31 August 2027: still the 2027 campagne
        (9, D(2025, 8, 31), Statut.A_VENIR, D(2027, 8, 31), 2027),
        # 8th since 1 March 2025: 9th on 1 September 2028, + 2 years
        (8, D(2025, 3, 1), Statut.A_VENIR, D(2030, 9, 1), 2031),
        # beyond the 9th: the condition is met whatever the dates
        (10, D(2025, 9, 1), Statut.REMPLIE, None, None),
        (11, D(2021, 9, 1), Statut.REMPLIE, None, None),
    ],
)
def test_hors_classe_promouvabilite_from_two_years_in_the_ninth_echelon(
    echelon: int,
    date_effet: datetime.date,
    statut: Statut,
    date: datetime.date | None,
    campagne: int | None,
) -> None:
    result = compute_perspectives(situation(CN, echelon, date_effet))
    hors_classe = result.eligibilites[0]
    assert hors_classe.titre == "Hors-classe"
    assert (hors_classe.statut, hors_classe.date, hors_classe.campagne) == (statut, date, campagne)
    assert "2 ans d'ancienneté dans le 9e échelon de la classe normale au 31 août" in hors_classe.phrase
    if statut is Statut.REMPLIE:
        assert "Vous êtes promouvable" in hors_classe.phrase


def test_hors_classe_date_from_an_earlier_echelon_also_gives_the_earliest_date() -> None:
    hors_classe = compute_perspectives(situation(CN, 8, D(2025, 3, 1))).eligibilites[0]
    # 9th at the earliest on 1 September 2027 (accelerated), + 2 years
    assert "au plus tôt le 1er septembre 2029" in hors_classe.phrase


def test_classe_normale_agents_are_told_the_classe_exceptionnelle_comes_after_the_hors_classe() -> None:
    result = compute_perspectives(situation(CN, 7, D(2024, 9, 1)))
    assert [(e.titre, e.statut) for e in result.eligibilites] == [
        ("Hors-classe", Statut.A_VENIR),
        ("Classe exceptionnelle", Statut.SANS_OBJET),
    ]
    assert "après une promotion à la hors-classe" in result.eligibilites[1].phrase


# --- classe exceptionnelle eligibility ------------------------------------------------


@pytest.mark.parametrize(
    ("echelon", "date_effet", "fp", "vivier_1", "vivier_2"),
    [
        # last échelon of the hors-classe, no éducation prioritaire: vivier 2 only
        (6, D(2023, 3, 1), 0, Statut.NON_REMPLIE, Statut.REMPLIE),
        # 8 years in REP+: both viviers
        (6, D(2023, 3, 1), 96, Statut.REMPLIE, Statut.REMPLIE),
        # 2nd échelon with 8 years of fonctions particulières: vivier 1 when the 3rd comes
        (2, D(2025, 9, 1), 100, Statut.A_VENIR, Statut.A_VENIR),
        # fonctions particulières unknown
        (4, D(2025, 9, 1), None, Statut.INCONNUE, Statut.A_VENIR),
    ],
)
def test_classe_exceptionnelle_viviers_from_the_hors_classe(
    echelon: int, date_effet: datetime.date, fp: int | None, vivier_1: Statut, vivier_2: Statut
) -> None:
    result = compute_perspectives(situation(HC, echelon, date_effet, fp))
    assert [e.statut for e in result.eligibilites] == [vivier_1, vivier_2]
    assert all(e.titre.startswith("Classe exceptionnelle — vivier") for e in result.eligibilites)


def test_vivier_dates_are_projected_through_the_hors_classe_grid() -> None:
    vivier_1, vivier_2 = compute_perspectives(situation(HC, 2, D(2025, 9, 1), 100)).eligibilites
    # 3rd échelon on 1 September 2027: after 31 August, so the 2028 campagne
    assert (vivier_1.date, vivier_1.campagne) == (D(2027, 9, 1), 2028)
    # 3rd (+2 y) → 4th on 1 March 2030 (+2.5 y) → 5th 1 September 2032 (+2.5 y) → 6th 1 September 2035 (+3 y)
    assert (vivier_2.date, vivier_2.campagne) == (D(2035, 9, 1), 2036)


def test_vivier_1_counts_the_months_of_education_prioritaire() -> None:
    vivier_1 = compute_perspectives(situation(HC, 6, D(2023, 3, 1), 74)).eligibilites[0]
    assert vivier_1.statut is Statut.NON_REMPLIE
    assert "vous comptez 6 ans 2 mois en éducation prioritaire, pour 8 ans exigés" in vivier_1.phrase


def test_classe_exceptionnelle_is_the_top_grade() -> None:
    result = compute_perspectives(situation(CE, 2, D(2025, 3, 1)))
    assert [(e.titre, e.statut) for e in result.eligibilites] == [("Promotion de grade", Statut.SANS_OBJET)]
    assert "le grade le plus élevé de votre corps" in result.eligibilites[0].phrase


# --- French wording and date arithmetic -----------------------------------------------


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (D(2026, 11, 27), "27 novembre 2026"),
        (D(2027, 9, 1), "1er septembre 2027"),
        (D(2028, 2, 29), "29 février 2028"),
        (D(2030, 8, 31), "31 août 2030"),
    ],
)
def test_dates_are_written_in_french(day: datetime.date, text: str) -> None:
    assert format_date(day) == text


@pytest.mark.parametrize(
    ("months", "text"),
    [(6, "6 mois"), (12, "1 an"), (24, "2 ans"), (30, "2 ans 6 mois"), (42, "3 ans 6 mois"), (0, "0 mois")],
)
def test_durations_in_months_are_written_in_years_and_months(months: int, text: str) -> None:
    assert format_mois(months) == text


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2025, 3, 1), 42, D(2028, 9, 1)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2025, 8, 31), 24, D(2027, 8, 31)),
    ],
)
def test_add_months_clamps_to_the_end_of_shorter_months(start: datetime.date, months: int, end: datetime.date) -> None:
    assert add_months(start, months) == end


@pytest.mark.parametrize(
    ("start", "end", "expected", "text"),
    [
        (D(2010, 9, 1), D(2026, 11, 28), Ecart(16, 2, 27), "16 ans 2 mois et 27 jours"),
        (D(2025, 11, 28), D(2026, 11, 28), Ecart(1, 0, 0), "1 an"),
        (D(2026, 11, 27), D(2026, 11, 28), Ecart(0, 0, 1), "1 jour"),
        (D(2024, 1, 31), D(2024, 2, 29), Ecart(0, 1, 0), "1 mois"),
        (D(2026, 12, 1), D(2026, 11, 28), Ecart(0, 0, 0), "0 jour"),
    ],
)
def test_ecart_counts_whole_years_then_months_then_days(
    start: datetime.date, end: datetime.date, expected: Ecart, text: str
) -> None:
    assert ecart(start, end) == expected
    assert expected.texte == text


@pytest.mark.parametrize(
    ("day", "year"),
    [(D(2027, 8, 31), 2027), (D(2027, 9, 1), 2028), (D(2027, 1, 1), 2027), (D(2027, 12, 31), 2028)],
)
def test_the_first_campagne_is_the_year_whose_31_august_follows_the_date(day: datetime.date, year: int) -> None:
    assert campagne_for(day, HORS_CLASSE) == year
