"""Seeded synthetic mouvements, for demos, benchmarks and property tests.

Shaped after public figures (DOMAIN.md §4): about 30,000 participants at
the inter of whom about 12,800 obligatory, the 30 académies with sunny and
western ones over-demanded and known vacancies concentrated where few want
to go (Créteil, Versailles, the north and east), barèmes built from the
usual components. The same seed always gives the same mouvement.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from siam.mouvement.engine import Instance
from siam.mouvement.expansion import (
    Expander,
    Point,
    Site,
    distance_km,
    extension_posts,
    extension_zones,
)
from siam.mouvement.extension import Extension
from siam.mouvement.synthetic.draws import common_points, gumbel, largest_remainder


@dataclass(frozen=True, slots=True)
class AcademieSpec:
    code: str  # the ministry's académie code, as in the référentiel
    name: str
    point: Point
    attractiveness: float  # 0 … 1: how much participants want it
    vacancies: float  # relative share of the known vacancies
    staff: float  # relative share of the tenured participants posted there
    outside: bool  # Corse or DOM: never reached by extension at the inter


def _aca(
    code: str,
    name: str,
    lat: float,
    lon: float,
    attract: float,
    vac: float,
    staff: float,
    outside: bool = False,
) -> AcademieSpec:
    return AcademieSpec(code, name, Point(lat, lon), attract, vac, staff, outside)


# The 30 académies since 2020 (Normandie merged Caen and Rouen; Mayotte is
# one of them), at their rectorat, with made-up demand and supply.
ACADEMIES: tuple[AcademieSpec, ...] = (
    _aca("01", "Paris", 48.86, 2.35, 0.50, 2, 2),
    _aca("02", "Aix-Marseille", 43.53, 5.45, 0.80, 3, 3),
    _aca("03", "Besançon", 47.24, 6.02, 0.35, 2, 2),
    _aca("04", "Bordeaux", 44.84, -0.58, 0.95, 1, 2),
    _aca("06", "Clermont-Ferrand", 45.78, 3.08, 0.45, 1, 2),
    _aca("07", "Dijon", 47.32, 5.04, 0.35, 2, 2),
    _aca("08", "Grenoble", 45.19, 5.72, 0.70, 3, 3),
    _aca("09", "Lille", 50.63, 3.06, 0.30, 5, 5),
    _aca("10", "Lyon", 45.76, 4.84, 0.70, 3, 3),
    _aca("11", "Montpellier", 43.61, 3.88, 0.90, 1, 2),
    _aca("12", "Nancy-Metz", 48.69, 6.18, 0.25, 3, 3),
    _aca("13", "Poitiers", 46.58, 0.34, 0.60, 1, 1.5),
    _aca("14", "Rennes", 48.11, -1.68, 0.95, 1, 2),
    _aca("15", "Strasbourg", 48.58, 7.75, 0.40, 3, 3),
    _aca("16", "Toulouse", 43.60, 1.44, 0.90, 1, 2),
    _aca("17", "Nantes", 47.22, -1.55, 0.90, 1, 2),
    _aca("18", "Orléans-Tours", 47.90, 1.91, 0.35, 3, 3),
    _aca("19", "Reims", 49.26, 4.03, 0.20, 3, 2.5),
    _aca("20", "Amiens", 49.89, 2.30, 0.15, 5, 5),
    _aca("22", "Limoges", 45.83, 1.26, 0.40, 1, 1),
    _aca("23", "Nice", 43.70, 7.27, 0.85, 1, 2),
    _aca("24", "Créteil", 48.79, 2.46, 0.05, 16, 14),
    _aca("25", "Versailles", 48.80, 2.13, 0.10, 14, 13),
    _aca("27", "Corse", 41.93, 8.74, 0.85, 0.3, 0.5, outside=True),
    _aca("28", "La Réunion", -20.88, 55.45, 0.75, 0.5, 1, outside=True),
    _aca("31", "Martinique", 14.61, -61.07, 0.60, 0.5, 0.8, outside=True),
    _aca("32", "Guadeloupe", 16.24, -61.53, 0.60, 0.5, 0.8, outside=True),
    _aca("33", "Guyane", 4.94, -52.33, 0.20, 3, 1.5, outside=True),
    _aca("43", "Mayotte", -12.78, 45.23, 0.10, 3, 1, outside=True),
    _aca("70", "Normandie", 49.30, 0.40, 0.40, 5, 5),
)

DOM = frozenset({"28", "31", "32", "33", "43"})

DISCIPLINES: tuple[str, ...] = (
    "Lettres modernes",
    "Mathématiques",
    "Anglais",
    "Histoire-géographie",
    "EPS",
    "Physique-chimie",
)

# Barème components, in hundredths (DOMAIN.md §3 defaults).
RC_POINTS = 15020
CHILD_POINTS = 10000
SEPARATION_POINTS = (0, 19000, 32500, 47500, 60000)
LIMITROPHE_KM = 260.0  # académies whose centres are this close count as limitrophes


@dataclass(frozen=True, slots=True)
class SyntheticInter:
    """A national inter: posts are académie × discipline, ``a * D + d``."""

    instance: Instance
    obligatory: tuple[bool, ...]
    extension_score: tuple[int, ...]
    own_post_score: tuple[int | None, ...]  # barème without voeu bonuses, tenured only
    teacher_discipline: tuple[int, ...]
    academies: tuple[AcademieSpec, ...]
    disciplines: tuple[str, ...]
    extension_table: Mapping[int, tuple[int, ...]]
    _zones: dict[int, list[int]] = field(default_factory=dict, repr=False, compare=False)
    _sites: dict[int, dict[tuple[int, int], tuple[Site, ...]]] = field(default_factory=dict, repr=False, compare=False)
    _expander: Expander = field(default_factory=Expander, repr=False, compare=False)

    def post(self, academie: int, discipline: int) -> int:
        return academie * len(self.disciplines) + discipline

    def academie_of(self, post: int) -> int:
        return post // len(self.disciplines)

    def is_forbidden(self, academie: int) -> bool:
        return self.academies[academie].outside

    def extension_for(self, teacher: int) -> Extension:
        """Along the table from the académie of voeu 1, on the extension barème."""
        listed = self.instance.prefs[teacher]
        start = self.academie_of(listed[0])
        zones = self._zones.get(start)
        if zones is None:
            zones = self._zones[start] = extension_zones(start, self.extension_table, self.is_forbidden)
        d = self.teacher_discipline[teacher]
        sites = self._sites.get(d)
        if sites is None:
            # Zones are (académie, discipline): the shared expander never mixes disciplines.
            sites = self._sites[d] = {
                (a, d): (Site(self.post(a, d), spec.code, spec.point, "ACA"),) for a, spec in enumerate(self.academies)
            }
        posts = extension_posts([(a, d) for a in zones], sites, self.academies[start].point, listed, self._expander)
        return Extension(posts, self.extension_score[teacher])


def generate_inter(
    seed: int = 2026,
    n_teachers: int = 30_000,
    n_obligatory: int = 12_800,
    n_disciplines: int = 4,
    *,
    full_lists: bool = False,
) -> SyntheticInter:
    """A seeded national inter with skewed demand (see module docstring).

    ``full_lists`` makes every participant rank all académies (but their
    own): the 30,000 × 30 worst case for the engine's running time.
    """
    rng = random.Random(seed)
    academies = ACADEMIES
    k = len(academies)
    dist = [[distance_km(a.point, b.point) for b in academies] for a in academies]
    near = [[math.exp(-dist[a][b] / 300.0) for b in range(k)] for a in range(k)]
    obligatory_set = set(rng.sample(range(n_teachers), n_obligatory))
    staff = [a.staff for a in academies]
    weights_d = [1.0 / (1 + d) for d in range(n_disciplines)]

    prefs: list[list[int]] = []
    scores: list[list[int]] = []
    current: list[int | None] = []
    discipline: list[int] = []
    ext_score: list[int] = []
    obligatory_per_d = [0] * n_disciplines
    for t in range(n_teachers):
        must = t in obligatory_set
        d = rng.choices(range(n_disciplines), weights_d)[0]
        origin = rng.choices(range(k), staff)[0]
        home = None if must else rng.choices(range(k), staff)[0]
        utility = [4.0 * academies[a].attractiveness + 2.5 * near[origin][a] + 0.7 * gumbel(rng) for a in range(k)]
        ranking = sorted(range(k), key=utility.__getitem__, reverse=True)
        if home is None:
            obligatory_per_d[d] += 1
            length = k if full_lists or rng.random() < 0.4 else rng.randint(3, k - 1)
        else:
            # Volunteers only ask for what they prefer to where they are
            # (or, for the stress case, rank every other académie).
            ranking = [a for a in ranking if a != home] if full_lists else ranking[: ranking.index(home)]
            length = k if full_lists else 1 + int(rng.expovariate(1 / 6))
        chosen = ranking[:length] or [rng.choice([a for a in range(k) if a != home])]
        common = common_points(rng, tenured=not must)
        bonus = _voeu_bonuses(rng, chosen, dist, origin, must, academies)
        prefs.append([a * n_disciplines + d for a in chosen])
        scores.append([common + b for b in bonus])
        current.append(None if home is None else home * n_disciplines + d)
        discipline.append(d)
        ext_score.append(common)

    capacities = [0] * (k * n_disciplines)
    vacancies = [a.vacancies for a in academies]
    for d in range(n_disciplines):
        for a, seats in enumerate(largest_remainder(obligatory_per_d[d], vacancies)):
            capacities[a * n_disciplines + d] = seats
    tiebreak = rng.sample(range(n_teachers), n_teachers)
    table = {
        a: tuple(sorted((b for b in range(k) if b != a), key=lambda b: (academies[b].outside, dist[a][b])))
        for a in range(k)
    }
    instance = Instance(capacities, prefs, scores, tiebreak, current)
    return SyntheticInter(
        instance,
        tuple(t in obligatory_set for t in range(n_teachers)),
        tuple(ext_score),
        tuple(None if c is None else e for c, e in zip(current, ext_score, strict=True)),
        tuple(discipline),
        academies,
        DISCIPLINES[:n_disciplines],
        table,
    )


def _voeu_bonuses(
    rng: random.Random,
    chosen: Sequence[int],
    dist: Sequence[Sequence[float]],
    origin: int,
    must: bool,
    academies: Sequence[AcademieSpec],
) -> list[int]:
    """Per-voeu bonuses: RC and children, stagiaire, vœu préférentiel, CIMM."""
    bonus = [0] * len(chosen)
    first = chosen[0]
    if rng.random() < 0.25:  # rapprochement de conjoints on voeu 1 and limitrophes
        family = RC_POINTS + CHILD_POINTS * rng.choice((0, 0, 1, 2, 3))
        if not must:
            family += rng.choice(SEPARATION_POINTS)
        for i, a in enumerate(chosen):
            if dist[first][a] <= LIMITROPHE_KM:
                bonus[i] += family
    elif not must and rng.random() < 0.13:
        bonus[0] += 2000 * rng.randint(1, 5)  # vœu préférentiel
    if must:
        for i, a in enumerate(chosen):
            if a == origin:
                bonus[i] += 10  # 0.1 point on the académie de stage
        if rng.random() < 0.5:
            bonus[0] += 1000
    if academies[first].code in DOM and first == origin:
        bonus[0] += 100000  # CIMM: a DOM as voeu 1 where one's interests lie
    return bonus
