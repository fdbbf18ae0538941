"""Large vœux become posts nearest first; extension walks the table."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siam.mouvement.expansion import (
    PRECISION,
    Expander,
    Point,
    Site,
    Voeu,
    distance_km,
    expand,
    extension_posts,
    extension_zones,
    order_sites,
    reference_points,
)
from tests.properties import examples

CLERMONT = Point(45.7772, 3.0870)
RIOM = Point(45.8936, 3.1126)
ISSOIRE = Point(45.5440, 3.2490)
AMBERT = Point(45.5497, 3.7417)
PARIS = Point(48.8566, 2.3522)
LYON = Point(45.7640, 4.8357)

SITES = (
    Site(0, "0630001", ISSOIRE, "CLG"),
    Site(1, "0630002", RIOM, "LGT"),
    Site(2, "0630003", AMBERT, "CLG"),
    Site(3, "0630004", CLERMONT, "LP"),
    Site(4, "0630000", CLERMONT, "CLG"),  # same commune as 3, smaller key
)


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [(PARIS, LYON, 391), (CLERMONT, CLERMONT, 0), (CLERMONT, RIOM, 13)],
)
def test_distance_is_the_great_circle_distance(a: Point, b: Point, km: int) -> None:
    assert round(distance_km(a, b)) == km


@pytest.mark.parametrize(
    ("reference", "types", "expected"),
    [
        pytest.param(CLERMONT, None, (4, 3, 1, 0, 2), id="nearest_first_ties_by_key"),
        pytest.param(AMBERT, None, (2, 0, 4, 3, 1), id="from_another_commune"),
        pytest.param(CLERMONT, frozenset({"CLG"}), (4, 0, 2), id="type_filter_keeps_colleges_only"),
        pytest.param(None, None, (4, 0, 1, 2, 3), id="no_reference_gives_key_order"),
    ],
)
def test_large_voeu_is_ordered_by_distance_from_the_reference(
    reference: Point | None, types: frozenset[str] | None, expected: tuple[int, ...]
) -> None:
    assert order_sites(SITES, reference, types) == expected


def voeu(kind: str, point: Point | None = None, sites: tuple[Site, ...] = SITES, score: int = 0) -> Voeu:
    return Voeu((kind, point), sites, score, PRECISION[kind], point)


@pytest.mark.parametrize(
    ("voeux", "home", "expected"),
    [
        pytest.param([voeu("DPT")], RIOM, [RIOM], id="first_voeu_uses_the_current_post"),
        pytest.param([voeu("DPT")], None, [None], id="first_voeu_without_post_uses_the_key"),
        pytest.param(
            [voeu("ETB", AMBERT), voeu("COM", RIOM), voeu("DPT")],
            None,
            [None, AMBERT, AMBERT],
            id="most_precise_preceding_wins_over_a_later_wider_one",
        ),
        pytest.param(
            [voeu("ETB", AMBERT), voeu("ETB", ISSOIRE), voeu("DPT")],
            None,
            [None, AMBERT, ISSOIRE],
            id="equally_precise_the_latest_one",
        ),
        pytest.param([voeu("DPT"), voeu("ACA")], CLERMONT, [CLERMONT, CLERMONT], id="no_commune_yet_keeps_the_home"),
    ],
)
def test_reference_is_the_most_precise_preceding_voeu(
    voeux: list[Voeu], home: Point | None, expected: list[Point | None]
) -> None:
    assert reference_points(voeux, home) == expected


def test_expansion_drops_posts_already_listed_and_keeps_their_rank_and_score() -> None:
    first = Voeu(("ETB", 2), (SITES[2],), 150, PRECISION["ETB"], AMBERT)
    whole = Voeu(("DPT", 63), SITES, 90, PRECISION["DPT"])
    expanded = expand([first, whole], home=None)
    assert expanded.posts == [2, 0, 4, 3, 1]  # the DPT ordered from Ambert, without post 2
    assert expanded.scores == [150, 90, 90, 90, 90]
    assert expanded.voeu_ranks == [1, 2, 2, 2, 2]


def test_expander_remembers_an_ordering_without_changing_it() -> None:
    expander = Expander()
    once = expander.order("DPT63", SITES, RIOM, None)
    assert expander.order("DPT63", SITES, RIOM, None) is once
    assert once == order_sites(SITES, RIOM, None)


TABLE = {
    "Clermont": ["Lyon", "Limoges", "Corse"],
    "Lyon": ["Grenoble", "Clermont", "Corse"],
    "Limoges": ["Poitiers", "Bordeaux"],
    "Corse": ["Nice"],
    "Grenoble": ["Nice"],
}
OUTSIDE = {"Corse", "Guadeloupe"}


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        pytest.param(
            "Clermont",
            ["Clermont", "Lyon", "Limoges", "Grenoble", "Poitiers", "Bordeaux", "Nice"],
            id="breadth_first_in_table_order",
        ),
        pytest.param("Corse", ["Nice"], id="forbidden_start_is_only_the_origin"),
        pytest.param("Bordeaux", ["Bordeaux"], id="zone_without_row"),
    ],
)
def test_extension_walks_the_table_from_voeu_one(start: str, expected: list[str]) -> None:
    assert extension_zones(start, TABLE, OUTSIDE.__contains__) == expected


@settings(max_examples=examples(200), deadline=None)
@given(
    table=st.dictionaries(st.integers(0, 12), st.lists(st.integers(0, 12), max_size=6), max_size=13),
    start=st.integers(0, 12),
    forbidden=st.sets(st.integers(0, 12)),
)
def test_extension_path_never_enters_a_forbidden_zone(
    table: dict[int, list[int]], start: int, forbidden: set[int]
) -> None:
    path = extension_zones(start, table, forbidden.__contains__)
    assert not set(path) & forbidden
    assert len(path) == len(set(path))
    # Every zone on the path is reachable from the start through allowed zones.
    for zone in path[1:] if start not in forbidden else path:
        assert any(zone in table.get(z, ()) for z in [start, *path])


def test_extension_list_is_zone_after_zone_nearest_first_without_listed_posts() -> None:
    by_zone = {"Puy-de-Dôme": SITES[:2], "Allier": (Site(7, "0030001", Point(46.34, 2.60), "CLG"),)}
    posts = extension_posts(["Allier", "Puy-de-Dôme"], by_zone, CLERMONT, already=[1])
    assert posts == [7, 0]
