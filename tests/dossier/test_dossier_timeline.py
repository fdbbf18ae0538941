"""Geometry of the career timeline: a staircase up the career ladder, with today marked."""

from __future__ import annotations

import datetime

from dossier.timeline import Point, build_chart

D = datetime.date
LADDER = {"normale": 11, "hors_classe": 6, "exceptionnelle": 5}


def xy(path: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in path.split())]


def test_past_and_projected_echelons_form_one_rising_staircase() -> None:
    passe = [Point(D(2010, 9, 1), "normale", 1), Point(D(2011, 9, 1), "normale", 2), Point(D(2025, 3, 1), "normale", 8)]
    futur = [Point(D(2028, 9, 1), "normale", 9), Point(D(2032, 9, 1), "normale", 10)]
    chart = build_chart(passe, futur, D(2026, 11, 27), LADDER)
    assert chart is not None
    past, future = xy(chart.past_path), xy(chart.future_path)
    assert [x for x, _ in past] == sorted(x for x, _ in past)
    assert [y for _, y in past] == sorted((y for _, y in past), reverse=True)  # up the page as échelons rise
    assert past[-1][0] == chart.today_x  # the past stops today
    assert future[0] == past[len(passe) * 2 - 2]  # the projection starts from the current échelon
    assert chart.left < chart.today_x < chart.right
    assert [t.label for t in chart.y_ticks][:2] == ["CN 1", "CN 2"]
    assert [m.projete for m in chart.markers] == [False, False, False, True, True]
    assert chart.markers[-1].label == "10e échelon (classe normale) prévu le 1er septembre 2032"
    assert chart.description == (
        "Échelons atteints du 1er septembre 2010 (1er échelon de la classe normale) au 1er mars 2025 "
        "(8e échelon de la classe normale), puis projection à l'ancienneté jusqu'au 10e échelon de la "
        "classe normale le 1er septembre 2032."
    )


def test_a_promotion_goes_up_the_ladder_not_down() -> None:
    passe = [Point(D(2013, 9, 1), "normale", 11), Point(D(2017, 9, 1), "hors_classe", 1)]
    chart = build_chart(passe, [], D(2026, 11, 27), LADDER)
    assert chart is not None
    assert chart.markers[1].y < chart.markers[0].y
    assert {t.label for t in chart.y_ticks} == {"CN 11", "HC 1"}
    assert chart.future_path == ""


def test_nothing_to_draw_without_any_dated_echelon() -> None:
    assert build_chart([], [], D(2026, 11, 27), LADDER) is None
