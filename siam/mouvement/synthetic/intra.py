"""A seeded intra-académique mouvement with typed, large voeux.

An académie of a few départements, each made of groupements of communes
around a bourg-centre; établissements (collège, lycée, lycée professionnel)
offer disciplines and every groupement has a zone de remplacement.
Participants write ``n_voeux`` typed voeux from precise to wide around the
groupement they aim for (the chef-lieu's département is over-demanded);
entrants from the inter, obligatory, end with ZRD, half of them with ACA
and ZRA too, so that the others may go to extension. Lists are
built with ``expansion.expand``, so the benchmark measures it too.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from siam.mouvement.engine import Instance
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
)
from siam.mouvement.extension import Extension
from siam.mouvement.synthetic.draws import common_points, largest_remainder

CENTRE = Point(45.78, 3.08)
ETAB_TYPES = ("CLG", "LGT", "LP")
ETAB_WEIGHTS = (0.55, 0.25, 0.20)
TYPE_FILTERS = (frozenset({"CLG"}), frozenset({"LGT", "LP"}))
RC_WIDE, RC_NEAR = 15020, 9020  # rapprochement de conjoints, wide voeux / COM-GEO-ZRE

ZoneKey = tuple[str, int, int]  # (voeu type, zone id, discipline)


@dataclass(frozen=True, slots=True)
class Commune:
    point: Point
    groupement: int
    departement: int


@dataclass(frozen=True, slots=True)
class SyntheticIntra:
    """An intra after expansion, with what the extension needs."""

    instance: Instance
    obligatory: tuple[bool, ...]
    extension_score: tuple[int, ...]
    own_post_score: tuple[int | None, ...]  # barème without voeu bonuses, tenured only
    teacher_discipline: tuple[int, ...]
    voeu1: tuple[tuple[int, Point | None], ...]  # département and commune of voeu 1
    extension_table: Mapping[int, tuple[int, ...]]
    zones: Mapping[ZoneKey, tuple[Site, ...]]
    _expander: Expander = field(default_factory=Expander, repr=False, compare=False)

    def extension_for(self, teacher: int) -> Extension:
        """Départements from that of voeu 1, nearest posts first (ZR included)."""
        start, reference = self.voeu1[teacher]
        d = self.teacher_discipline[teacher]
        zones = extension_zones(start, self.extension_table, lambda _: False)
        sites = {("EXT", k, d): self.zones.get(("DPT", k, d), ()) + self.zones.get(("ZRD", k, d), ()) for k in zones}
        posts = extension_posts(list(sites), sites, reference, self.instance.prefs[teacher], self._expander)
        return Extension(posts, self.extension_score[teacher])


@dataclass(frozen=True, slots=True)
class _Academie:
    communes: tuple[Commune, ...]
    commune_of: tuple[int, ...]  # per post
    zones: Mapping[ZoneKey, tuple[Site, ...]]
    groupements: int  # per département
    departements: int


def _geography(rng: random.Random, departements: int, groupements: int, communes: int) -> list[Commune]:
    found = []
    for k in range(departements):
        angle = 2 * math.pi * k / departements
        centre = Point(CENTRE.lat + 0.8 * math.sin(angle), CENTRE.lon + 1.1 * math.cos(angle))
        for g in range(groupements):
            bourg = Point(centre.lat + rng.uniform(-0.35, 0.35), centre.lon + rng.uniform(-0.5, 0.5))
            for c in range(communes):
                spread = 0.0 if c == 0 else 0.08  # commune 0 is the bourg-centre
                point = Point(bourg.lat + rng.uniform(-spread, spread), bourg.lon + rng.uniform(-spread, spread))
                found.append(Commune(point, k * groupements + g, k))
    return found


def _academie(rng: random.Random, departements: int, groupements: int, communes: int, disciplines: int) -> _Academie:
    """Établissement posts, then one ZR post per groupement and discipline."""
    geo = _geography(rng, departements, groupements, communes)
    commune_of: list[int] = []
    zones: dict[ZoneKey, list[Site]] = defaultdict(list)

    def add(site: Site, c: int, keys: Sequence[tuple[str, int]], d: int) -> None:
        commune_of.append(c)
        for kind, ident in keys:
            zones[(kind, ident, d)].append(site)

    n_etab = 0
    for c, commune in enumerate(geo):
        bourg = c % communes == 0
        for _ in range(rng.randint(2, 4) if bourg else rng.choice((0, 1, 1, 2))):
            n_etab += 1
            kind = rng.choices(ETAB_TYPES, ETAB_WEIGHTS)[0]
            for d in range(disciplines):
                if rng.random() < 0.85:
                    site = Site(len(commune_of), f"E{n_etab:04d}-{d:02d}", commune.point, kind)
                    keys = [("COM", c), ("GEO", commune.groupement), ("DPT", commune.departement), ("ACA", 0)]
                    add(site, c, keys, d)
    for g in range(departements * groupements):
        c = g * communes
        for d in range(disciplines):
            site = Site(len(commune_of), f"Z{g:03d}-{d:02d}", geo[c].point, "ZR")
            add(site, c, [("ZRE", g), ("ZRD", geo[c].departement), ("ZRA", 0)], d)
    frozen = {key: tuple(sites) for key, sites in zones.items()}
    return _Academie(tuple(geo), tuple(commune_of), frozen, groupements, departements)


def generate_intra(
    seed: int = 2027,
    n_teachers: int = 20_000,
    n_voeux: int = 20,
    departements: int = 4,
    disciplines: int = 6,
    groupements: int = 10,
    communes: int = 6,
    obligatory_share: float = 0.35,
) -> SyntheticIntra:
    """A seeded intra; see the module docstring."""
    rng = random.Random(seed)
    aca = _academie(rng, departements, groupements, communes, disciplines)
    weight_g = [3.0 if g < groupements else 1.0 for g in range(departements * groupements)]
    expander = Expander()
    prefs, scores, ranks, current = [], [], [], []
    voeu1: list[tuple[int, Point | None]] = []
    discipline, ext_score, obligatory = [], [], []
    demand = [0] * disciplines
    for _ in range(n_teachers):
        must = rng.random() < obligatory_share
        d = rng.randrange(disciplines)
        own = None if must else rng.choice(aca.zones[("ACA", 0, d)]).post
        home = None if own is None else aca.communes[aca.commune_of[own]].point
        common = common_points(rng, tenured=not must)
        g = rng.choices(range(len(weight_g)), weight_g)[0]
        voeux = _voeux(rng, aca, g, d, must, n_voeux, common, rc=rng.random() < 0.2)
        expanded = expand(voeux, home, expander)
        prefs.append(expanded.posts)
        scores.append(expanded.scores)
        ranks.append(expanded.voeu_ranks)
        current.append(own)
        voeu1.append((aca.communes[aca.commune_of[voeux[0].sites[0].post]].departement, voeux[0].point or home))
        discipline.append(d)
        ext_score.append(common)
        obligatory.append(must)
        demand[d] += must

    return SyntheticIntra(
        Instance(_capacities(aca, demand), prefs, scores, rng.sample(range(n_teachers), n_teachers), current, ranks),
        tuple(obligatory),
        tuple(ext_score),
        tuple(None if own is None else e for own, e in zip(current, ext_score, strict=True)),
        tuple(discipline),
        tuple(voeu1),
        _extension_table(aca),
        aca.zones,
    )


def _capacities(aca: _Academie, demand: Sequence[int]) -> list[int]:
    """Known vacancies for the entrants, mostly away from the chef-lieu and in ZR."""
    capacities = [0] * len(aca.commune_of)
    for d, entrants in enumerate(demand):
        sites = aca.zones[("ACA", 0, d)] + aca.zones[("ZRA", 0, d)]
        weights = [
            (0.5 if aca.communes[aca.commune_of[s.post]].departement == 0 else 1.0)
            * (3.0 if s.etab_type == "ZR" else 1.0)
            for s in sites
        ]
        for site, seats in zip(sites, largest_remainder(entrants, weights), strict=True):
            capacities[site.post] = seats
    return capacities


def _extension_table(aca: _Academie) -> dict[int, tuple[int, ...]]:
    """Each département's others, nearest centre first."""
    centres = []
    for k in range(aca.departements):
        points = [c.point for c in aca.communes if c.departement == k]
        centres.append(Point(sum(p.lat for p in points) / len(points), sum(p.lon for p in points) / len(points)))
    return {
        k: tuple(
            sorted((j for j in range(aca.departements) if j != k), key=lambda j: distance_km(centres[k], centres[j]))
        )
        for k in range(aca.departements)
    }


def _voeux(
    rng: random.Random, aca: _Academie, g: int, d: int, must: bool, n_voeux: int, common: int, rc: bool
) -> list[Voeu]:
    """From precise to wide around groupement ``g``; ETB voeux fill up to ``n_voeux``."""
    dept = g // aca.groupements
    around = [dept * aca.groupements + i for i in rng.sample(range(aca.groupements), 3)]
    per_groupement = len(aca.communes) // (aca.departements * aca.groupements)
    wide = [("COM", g * per_groupement + c) for c in range(min(2, per_groupement))] + [("GEO", g)]
    wide += [("ZRE", g)] if rng.random() < 0.3 else []
    wide += [("GEO", h) for h in around if h != g][: rng.randint(0, 2)]
    wide.append(("DPT", dept))
    if must:
        wide += [("ZRD", dept)] + ([("ACA", 0), ("ZRA", 0)] if rng.random() < 0.5 else [])
    elif rng.random() < 0.3:
        wide += [("DPT", (dept + 1) % aca.departements)]
    wide = [(kind, ident) for kind, ident in wide if (kind, ident, d) in aca.zones]
    nearby = [s for h in [g, *around] for s in aca.zones.get(("GEO", h, d), ())]
    etabs = rng.sample(nearby, min(len(nearby), max(0, n_voeux - len(wide))))
    voeux = [Voeu(("ETB", s.post), (s,), common, PRECISION["ETB"], s.point) for s in etabs]
    for kind, ident in wide:
        bonus = (RC_WIDE if kind in ("DPT", "ZRD", "ACA", "ZRA") else RC_NEAR) if rc else 0
        filt = rng.choice(TYPE_FILTERS) if kind in ("COM", "GEO", "DPT") and rng.random() < 0.1 else None
        point = aca.communes[ident].point if kind == "COM" else None
        sites = aca.zones[(kind, ident, d)]
        voeux.append(Voeu((kind, ident, d), sites, common + bonus, PRECISION[kind], point, filt))
    return voeux[:n_voeux]
