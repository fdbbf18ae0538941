"""From typed voeux to the ordered list of posts the engine reads.

A large voeu (COM, GEO, DPT, ACA, ZRE, ZRD, ZRA) covers many posts; the rules
give "the post closest to the most precise preceding voeu", as the crow
flies, so its posts are ordered by great-circle distance from that voeu's
commune. The same ordering serves the procédure d'extension, which walks the
académie's table d'extension outward from the zone of voeu 1.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

EARTH_RADIUS_KM = 6371.0088

# Lower is more precise. ZR voeux sit beside the zones they mirror.
PRECISION: Mapping[str, int] = {
    "ETB": 0,
    "COM": 1,
    "GEO": 2,
    "ZRE": 2,
    "DPT": 3,
    "ZRD": 3,
    "ACA": 4,
    "ZRA": 4,
}

Zone = TypeVar("Zone", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Point:
    """Commune coordinates, in degrees."""

    lat: float
    lon: float


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine)."""
    dlat = math.radians(b.lat - a.lat)
    dlon = math.radians(b.lon - a.lon)
    h = (
        math.sin(dlat / 2) ** 2
        + math.cos(math.radians(a.lat)) * math.cos(math.radians(b.lat)) * math.sin(dlon / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class Site:
    """A post as expansion sees it: where it is and what kind of school."""

    post: int
    key: str  # stable, published order among equidistant posts (e.g. UAI + discipline)
    point: Point
    etab_type: str


@dataclass(frozen=True, slots=True)
class Voeu:
    """One typed voeu of one participant.

    ``zone`` names the set of ``sites`` (e.g. ``("DPT", "063", "L1300")``);
    equal zones must carry equal sites, which lets ``Expander`` share the
    ordering between participants. ``point`` is the voeu's own commune (ETB,
    COM) or ``None`` for wider zones.
    """

    zone: Hashable
    sites: Sequence[Site]
    score: int
    precision: int
    point: Point | None = None
    etab_types: frozenset[str] | None = None  # None: tout type


@dataclass(frozen=True, slots=True)
class Expanded:
    """One participant's list, in the engine's shape."""

    posts: list[int]
    scores: list[int]
    voeu_ranks: list[int]


def order_sites(sites: Sequence[Site], reference: Point | None, etab_types: frozenset[str] | None) -> tuple[int, ...]:
    """Posts of ``sites`` passing the type filter, nearest first.

    Distances are compared in whole metres so that posts of one commune tie
    exactly and fall back on the stable key, whatever the float rounding.
    """
    kept = [s for s in sites if etab_types is None or s.etab_type in etab_types]
    if reference is None:
        kept.sort(key=lambda s: s.key)
    else:
        kept.sort(key=lambda s: (round(distance_km(reference, s.point) * 1000), s.key))
    return tuple(s.post for s in kept)


@dataclass
class Expander:
    """``order_sites`` remembered per (zone, reference, filter).

    Participants share a few hundred communes and zones, so an intra of
    20,000 lists computes each ordering once instead of once per voeu.
    """

    _memo: dict[tuple[Hashable, Point | None, frozenset[str] | None], tuple[int, ...]] = field(default_factory=dict)

    def order(
        self,
        zone: Hashable,
        sites: Sequence[Site],
        reference: Point | None,
        etab_types: frozenset[str] | None,
    ) -> tuple[int, ...]:
        if len(sites) <= 1:  # an ETB voeu: nothing to order, nothing worth keeping
            return order_sites(sites, reference, etab_types)
        memo_key = (zone, reference, etab_types)
        found = self._memo.get(memo_key)
        if found is None:
            found = self._memo[memo_key] = order_sites(sites, reference, etab_types)
        return found


def reference_points(voeux: Sequence[Voeu], home: Point | None) -> list[Point | None]:
    """For each voeu, the point its posts are ordered from.

    The most precise preceding voeu that has a commune; among equally
    precise ones the latest, being nearest in the list to the voeu it
    frames. Without one (voeu 1 included): ``home``, the commune of the
    current post, or ``None`` for the stable key order.
    """
    refs: list[Point | None] = []
    best: Voeu | None = None
    for voeu in voeux:
        refs.append(best.point if best is not None else home)
        if voeu.point is not None and (best is None or voeu.precision <= best.precision):
            best = voeu
    return refs


def expand(voeux: Sequence[Voeu], home: Point | None, expander: Expander | None = None) -> Expanded:
    """Expand the voeux in order; a post already listed keeps its first place."""
    expander = expander if expander is not None else Expander()
    posts: list[int] = []
    scores: list[int] = []
    ranks: list[int] = []
    seen: set[int] = set()
    for rank, (voeu, ref) in enumerate(zip(voeux, reference_points(voeux, home), strict=True), 1):
        for post in expander.order(voeu.zone, voeu.sites, ref, voeu.etab_types):
            if post not in seen:
                seen.add(post)
                posts.append(post)
                scores.append(voeu.score)
                ranks.append(rank)
    return Expanded(posts, scores, ranks)


def extension_zones(
    start: Zone, table: Mapping[Zone, Sequence[Zone]], forbidden: Callable[[Zone], bool], every: Sequence[Zone] = ()
) -> list[Zone]:
    """The zones an extension tries, in order, from the zone of voeu 1.

    Breadth-first along the table, each zone's neighbours in the table's
    order: when the table lists every zone for every start (the inter's
    table), this is exactly the table's row. A forbidden zone (Corse, DOM at
    the inter) is never tried nor walked through; a forbidden start is only
    the origin of the walk. Then every zone of ``every`` the table did not
    reach, in that order: a table that stops short must not leave an
    obligatory participant without a post while a zone has room (the
    guarantee the capacities are sized for). Forbidden zones stay out even
    then: when only Corse or the DOM have room, the participant is left
    without a post and the rectorat decides (the run refuses such capacities
    beforehand, see ``siam.services.mouvement.capacites``).
    """
    order = [] if forbidden(start) else [start]
    seen = {start}
    queue = deque([start])
    while queue:
        for neighbour in table.get(queue.popleft(), ()):
            if neighbour not in seen and not forbidden(neighbour):
                seen.add(neighbour)
                order.append(neighbour)
                queue.append(neighbour)
    for zone in every:
        if zone not in seen and not forbidden(zone):
            seen.add(zone)
            order.append(zone)
    return order


def extension_posts(
    zones: Sequence[Zone],
    sites_by_zone: Mapping[Zone, Sequence[Site]],
    reference: Point | None,
    already: Collection[int],
    expander: Expander | None = None,
) -> list[int]:
    """The extension list: each zone's posts nearest first, zone after zone.

    ``reference`` is the commune of voeu 1 (or of the current post). Posts
    on the participant's own list are left out: they were tried there with a
    barème at least as high as the extension barème.
    """
    expander = expander if expander is not None else Expander()
    posts: list[int] = []
    seen = set(already)
    for zone in zones:
        for post in expander.order(zone, sites_by_zone.get(zone, ()), reference, None):
            if post not in seen:
                seen.add(post)
                posts.append(post)
    return posts
