"""Geometry of the career timeline drawn on Vos perspectives (server-rendered SVG).

Pure: dates and échelons in, coordinates and labels out; the template only
writes them into <svg>. The vertical axis is the career ladder of the corps
(classe normale 1…11, then hors-classe 1…6, then classe exceptionnelle), so
a promotion of grade goes up, never down.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dossier.perspectives import CLASSE_LABELS, CLASSE_ORDER, format_date, ordinal

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 60, 20, 26, 40
SHORT = {"normale": "CN", "hors_classe": "HC", "exceptionnelle": "CE"}


@dataclass(frozen=True)
class Point:
    date: datetime.date
    classe: str
    echelon: int


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str
    projete: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    past_path: str
    future_path: str
    markers: tuple[Marker, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    today_x: float
    description: str

    @property
    def y_label_x(self) -> int:
        return self.left - 8

    @property
    def x_label_y(self) -> float:
        return self.bottom + 22

    @property
    def x_tick_end(self) -> float:
        return self.bottom + 6

    @property
    def today_anchor(self) -> str:
        """The label sits on the side of the line where there is room."""
        return "end" if self.today_x > (self.left + self.right) / 2 else "start"

    @property
    def today_label_y(self) -> int:
        return self.top - 8

    @property
    def today_label_x(self) -> float:
        return round(self.today_x - 4 if self.today_anchor == "end" else self.today_x + 4, 1)


def _offsets(echelons_par_classe: Mapping[str, int]) -> dict[str, int]:
    offsets, total = {}, 0
    for classe in CLASSE_ORDER:
        offsets[classe] = total
        total += echelons_par_classe.get(classe, 0)
    return offsets


def _path(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _steps(points: Sequence[tuple[float, float]], end_x: float | None) -> list[tuple[float, float]]:
    """A staircase through the points: flat until the next date, then up."""
    out: list[tuple[float, float]] = []
    for i, (x, y) in enumerate(points):
        if i:
            out.append((x, points[i - 1][1]))
        out.append((x, y))
    if points and end_x is not None and end_x > points[-1][0]:
        out.append((end_x, points[-1][1]))
    return out


def describe(passe: Sequence[Point], futur: Sequence[Point]) -> str:
    def what(p: Point) -> str:
        return f"{ordinal(p.echelon)} échelon de la {CLASSE_LABELS.get(p.classe, p.classe)}"

    parts = []
    if passe:
        first, last = passe[0], passe[-1]
        if len(passe) == 1:
            parts.append(f"{what(first)} depuis le {format_date(first.date)}")
        else:
            parts.append(
                f"Échelons atteints du {format_date(first.date)} ({what(first)}) "
                f"au {format_date(last.date)} ({what(last)})"
            )
    if futur:
        parts.append(f"projection à l'ancienneté jusqu'au {what(futur[-1])} le {format_date(futur[-1].date)}")
    text = ", puis ".join(parts) if parts else "Aucun échelon connu"
    return text[:1].upper() + text[1:] + "."


def build_chart(
    passe: Sequence[Point],
    futur: Sequence[Point],
    aujourd_hui: datetime.date,
    echelons_par_classe: Mapping[str, int],
) -> Chart | None:
    passe = sorted(passe, key=lambda p: p.date)
    futur = sorted(futur, key=lambda p: p.date)
    if not passe and not futur:
        return None
    offsets = _offsets(echelons_par_classe)

    def level(p: Point) -> int:
        return offsets.get(p.classe, 0) + p.echelon

    everything = [*passe, *futur]
    levels = [level(p) for p in everything]
    low, high = min(levels), max(levels)
    if low == high:
        low, high = max(low - 1, 0), high + 1
    start = min([p.date for p in everything] + [aujourd_hui])
    end = max([p.date for p in everything] + [aujourd_hui])
    start = datetime.date(start.year, 1, 1)
    end = datetime.date(end.year + 1, 1, 1)
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    span = (end - start).days

    def x(day: datetime.date) -> float:
        return round(LEFT + (right - LEFT) * (day - start).days / span, 1)

    def y(value: float) -> float:
        return round(bottom - (bottom - TOP) * (value - low + 0.5) / (high - low + 1), 1)

    past_xy = [(x(p.date), y(level(p))) for p in passe]
    past_path = _path(_steps(past_xy, x(aujourd_hui)))
    future_xy = ([past_xy[-1]] if past_xy else []) + [(x(p.date), y(level(p))) for p in futur]
    future_path = _path(_steps(future_xy, None)) if futur else ""

    def label(p: Point, projete: bool) -> str:
        prefix = "prévu le" if projete else "le"
        return f"{ordinal(p.echelon)} échelon ({CLASSE_LABELS.get(p.classe, p.classe)}) {prefix} {format_date(p.date)}"

    markers = tuple(Marker(x(p.date), y(level(p)), label(p, False), False) for p in passe) + tuple(
        Marker(x(p.date), y(level(p)), label(p, True), True) for p in futur
    )
    years = range(start.year, end.year + 1)
    step = 1 if len(years) <= 12 else (2 if len(years) <= 24 else 5)
    x_ticks = tuple(Tick(x(datetime.date(year, 1, 1)), str(year)) for year in years if year % step == 0)
    reverse = {offsets[c]: c for c in CLASSE_ORDER if c in offsets}
    y_step = 1 if high - low <= 16 else 2
    y_ticks = []
    for value in range(low, high + 1):
        classe = max((c for off, c in reverse.items() if off < value), key=lambda c: offsets[c], default="normale")
        if value > 0 and (value - low) % y_step == 0:
            y_ticks.append(Tick(y(value), f"{SHORT.get(classe, '')} {value - offsets.get(classe, 0)}"))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=right,
        top=TOP,
        bottom=bottom,
        past_path=past_path,
        future_path=future_path,
        markers=markers,
        x_ticks=x_ticks,
        y_ticks=tuple(y_ticks),
        today_x=x(aujourd_hui),
        description=describe(passe, futur),
    )
