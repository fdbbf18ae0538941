"""A campagne's market as plain rows, and the pure builder that turns them into the engine's ``Instance``.

No Django here: ``siam.services.mouvement.market`` reads the database in a fixed number of
queries into these rows (``MarketData``) and writes nothing; ``build_market`` expands every
participant's voeux (``expansion``) and prepares each obligatory participant's extension list.

Each ``PosteRow`` is one engine post with capacity ``nombre``. A discipline is a market of its
own, but teachers only ever list posts of their discipline, so one instance holding every
discipline computes exactly the per-discipline results (DA* never links two posts nobody lists
together). A tenured volunteer's current post is the post of their établissement or zone (their
académie at the inter) in their discipline; ``missing_postes`` names those the campagne lacks, so
that the run creates them (no known vacancy) inside its transaction and the seat they free when
they move can be taken in the same run (chains).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from siam.mouvement.engine import Instance
from siam.mouvement.expansion import (
    PRECISION,
    Expander,
    Point,
    Site,
    distance_km,
    expand,
    extension_posts,
    extension_zones,
)
from siam.mouvement.expansion import Voeu as CoreVoeu
from siam.mouvement.extension import Extension

Lieu = tuple[str, int]  # ("E", établissement id) | ("Z", zone de remplacement id) | ("A", académie id)
ZoneKey = tuple[str, int, int]  # (voeu type or "EXT", target id, discipline id)
Progress = Callable[[str, int, int], None]

# Which établissement types a voeu's type filter keeps (TypeEtablissement codes).
# (siam.models.choices.TypeFiltre values; the voeu types a filter applies to are TYPES_AVEC_FILTRE there)
FILTRE_TYPES: Mapping[str, frozenset[str]] = {
    "CLG": frozenset({"CLG"}),
    "LYC": frozenset({"LGT", "LPO"}),
    "LP": frozenset({"LP"}),
    "SEP": frozenset({"LPO"}),
    "EREA": frozenset({"EREA"}),
}
ALL_TYPES = "TOUT"
FILTERED_TYPES = frozenset({"COM", "GEO", "DPT", "ACA"})
NOWHERE = Point(0.0, 0.0)  # académie-level posts (inter) are alone in their zone: never ordered by distance


@dataclass(frozen=True, slots=True)
class PosteRow:
    poste_id: int
    discipline_id: int
    nombre: int
    lieu: Lieu
    key: str  # stable, published order among equidistant posts
    point: Point
    etab_type: str  # TypeEtablissement code, "ZR" or "ACA"
    commune_id: int | None
    departement_id: int | None
    academie_id: int | None


@dataclass(frozen=True, slots=True)
class VoeuRow:
    voeu_id: int
    rang: int
    type: str
    filtre: str
    target_id: int
    point: Point | None  # ETB and COM voeux: their commune
    departement_id: int | None  # where the extension starts at the intra
    academie_id: int | None  # where it starts at the inter


@dataclass(frozen=True, slots=True)
class Participant:
    demande_id: int
    agent_id: int
    discipline_id: int | None
    obligatory: bool
    current: Lieu | None  # only for a tenured volunteer: the post they keep if nothing better comes
    home: Point | None  # commune of the current établissement (or ZR seat)
    home_zone: int | None  # its département (intra) or académie (inter)


@dataclass
class MarketData:
    """Everything a run reads, as plain rows."""

    inter: bool
    postes: list[PosteRow]
    participants: list[Participant]
    voeux: Mapping[int, Sequence[VoeuRow]]  # by demande id, in rang order
    groupements: Mapping[int, Sequence[int]]  # groupement id -> commune ids
    voeu_scores: Mapping[int, int]  # voeu id -> barème × SCORE_SCALE
    extension_scores: Mapping[int, int]  # demande id -> extension barème × SCORE_SCALE
    tiebreak: Mapping[int, int]  # demande id -> place in the published order (1 wins)
    table: Mapping[int, Sequence[int]]  # extension zone id -> next zones
    forbidden: frozenset[int] = frozenset()  # zones never reached by extension (Corse, DOM at the inter)
    zones: Sequence[int] = ()  # every extension zone: tried after the table, so that a short table strands nobody
    created_postes: int = 0
    table_source: str = ""


@dataclass
class Market:
    """The engine instance and how to read its indices back."""

    instance: Instance
    poste_ids: list[int]  # engine post -> Poste id
    participants: list[Participant]
    obligatory: list[bool]
    voeux: list[Sequence[VoeuRow]]  # engine teacher -> their voeux
    covered: list[list[int]]  # engine teacher -> per voeu, how many posts it covers (type filter applied)
    voeu_scores: list[list[int]]  # engine teacher -> per voeu, its barème × SCORE_SCALE
    extension_for: Callable[[int], Extension]
    sites: dict[ZoneKey, list[Site]] = field(repr=False)
    # engine teacher -> the barème a tenured teacher holds his own post with (None for the others)
    own_post_scores: list[int | None] = field(default_factory=list)


@dataclass
class SharedExpander(Expander):
    """The core's ``Expander`` giving the same orders, faster on a whole intra.

    A single post needs no ordering (most voeux are ETB), and the distance between two
    communes is computed once for all the zones and participants that meet it.
    """

    # per reference point: metres to each post (int keys hash fast), and to each commune (one haversine each)
    _metres: dict[Point, tuple[dict[int, int], dict[Point, int]]] = field(default_factory=dict)

    def order(
        self, zone: Hashable, sites: Sequence[Site], reference: Point | None, etab_types: frozenset[str] | None
    ) -> tuple[int, ...]:
        if len(sites) <= 1:
            return tuple(s.post for s in sites if etab_types is None or s.etab_type in etab_types)
        memo_key = (zone, reference, etab_types)
        found = self._memo.get(memo_key)
        if found is None:
            found = self._memo[memo_key] = self._order(sites, reference, etab_types)
        return found

    def _order(
        self, sites: Sequence[Site], reference: Point | None, etab_types: frozenset[str] | None
    ) -> tuple[int, ...]:
        """As ``expansion.order_sites``: nearest first in whole metres, then the stable key."""
        kept = [s for s in sites if etab_types is None or s.etab_type in etab_types]
        if reference is None:
            kept.sort(key=lambda s: s.key)
            return tuple(s.post for s in kept)
        by_post, by_point = self._metres.setdefault(reference, ({}, {}))

        def nearest(site: Site) -> tuple[int, str]:
            metres = by_post.get(site.post)
            if metres is None:
                metres = by_point.get(site.point)
                if metres is None:
                    metres = by_point[site.point] = round(distance_km(reference, site.point) * 1000)
                by_post[site.post] = metres
            return metres, site.key

        kept.sort(key=nearest)
        return tuple(s.post for s in kept)


@dataclass(frozen=True)
class MarketProblems(ValueError):
    """What keeps a market from being built; the service says it in French."""

    missing_dossiers: int  # participants without a dossier (discipline unknown)
    missing_scores: int  # voeux without a barème
    missing_tiebreak: int  # participants without a tie-break rank
    missing_extension: int  # obligatory participants with voeux but no extension barème


def zones_of(postes: Sequence[PosteRow], inter: bool) -> dict[ZoneKey, list[Site]]:
    """Every zone a voeu or the extension can name, with the sites (posts) it covers."""
    zones: dict[ZoneKey, list[Site]] = defaultdict(list)
    for index, p in enumerate(postes):
        site = Site(index, p.key, p.point, p.etab_type)
        d = p.discipline_id
        kind, ident = p.lieu
        if kind == "E":
            keys = [("ETB", ident), ("COM", p.commune_id), ("DPT", p.departement_id), ("ACA", p.academie_id)]
        elif kind == "Z":
            keys = [("ZRE", ident), ("ZRD", p.departement_id), ("ZRA", p.academie_id)]
        else:
            keys = [("ACA", ident)]
        keys.append(("EXT", p.academie_id if inter else p.departement_id))
        for voeu_type, target in keys:
            if target is not None:
                zones[(voeu_type, target, d)].append(site)
    return zones


def build_market(data: MarketData, progress: Progress | None = None) -> Market:
    """Expand every participant's voeux into the engine's lists; refuse on missing barèmes."""
    zones = zones_of(data.postes, data.inter)
    index_of = {(p.discipline_id, p.lieu): i for i, p in enumerate(data.postes)}
    expander = SharedExpander()
    missing_scores: list[int] = []
    missing_dossiers: list[int] = []

    def sites_for(v: VoeuRow, d: int) -> Sequence[Site]:
        if v.type != "GEO":
            return zones.get((v.type, v.target_id, d), ())
        key = ("GEO", v.target_id, d)
        if key not in zones:
            zones[key] = [s for c in data.groupements.get(v.target_id, ()) for s in zones.get(("COM", c, d), ())]
        return zones[key]

    prefs: list[list[int]] = []
    scores: list[list[int]] = []
    ranks: list[list[int]] = []
    current: list[int | None] = []
    voeux_of: list[Sequence[VoeuRow]] = []
    covered: list[list[int]] = []
    voeu_scores: list[list[int]] = []
    sizes: dict[tuple[ZoneKey, frozenset[str] | None], int] = {}
    total = len(data.participants)
    for t, part in enumerate(data.participants):
        voeux = data.voeux.get(part.demande_id, ())
        d = part.discipline_id
        if d is None:
            missing_dossiers.append(part.demande_id)
            d = -1
        core = []
        sized = []
        for v in voeux:
            score = data.voeu_scores.get(v.voeu_id)
            if score is None:
                missing_scores.append(v.voeu_id)
                score = 0
            filtre = None
            if not data.inter and v.type in FILTERED_TYPES and v.filtre != ALL_TYPES:
                filtre = FILTRE_TYPES.get(v.filtre, frozenset())
            sites = sites_for(v, d)
            size_key = ((v.type, v.target_id, d), filtre)
            size = sizes.get(size_key)
            if size is None:
                size = sizes[size_key] = sum(1 for s in sites if filtre is None or s.etab_type in filtre)
            sized.append(size)
            core.append(CoreVoeu(size_key[0], sites, score, PRECISION[v.type], v.point, filtre))
        covered.append(sized)
        voeu_scores.append([c.score for c in core])
        expanded = expand(core, part.home, expander)
        prefs.append(expanded.posts)
        scores.append(expanded.scores)
        contiguous = not voeux or voeux[-1].rang == len(voeux)  # ranks 1…k, as the saisie keeps them
        ranks.append(expanded.voeu_ranks if contiguous else [voeux[r - 1].rang for r in expanded.voeu_ranks])
        current.append(None if part.current is None else index_of[(d, part.current)])
        voeux_of.append(voeux)
        if progress is not None and (t + 1) % 2000 == 0:
            progress("expansion", t + 1, total)
    if progress is not None:
        progress("expansion", total, total)

    missing_tiebreak = [p.demande_id for p in data.participants if p.demande_id not in data.tiebreak]
    obligatory = [p.obligatory and p.current is None for p in data.participants]
    # the barème service gives an extension barème to obligatory participants with voeux; without voeux
    # there is no barème to lower, they come last (0)
    missing_ext = [
        p.demande_id
        for p, must in zip(data.participants, obligatory, strict=True)
        if must and p.demande_id not in data.extension_scores and data.voeux.get(p.demande_id)
    ]
    if missing_dossiers or missing_scores or missing_tiebreak or missing_ext:
        raise MarketProblems(len(missing_dossiers), len(missing_scores), len(missing_tiebreak), len(missing_ext))

    instance = Instance(
        capacities=[p.nombre for p in data.postes],
        prefs=prefs,
        scores=scores,
        tiebreak=[data.tiebreak[p.demande_id] for p in data.participants],
        current_post=current,
        voeu_ranks=ranks,
    )
    extension_for = _extension_builder(data, instance, voeux_of, zones, expander)
    return Market(
        instance,
        [p.poste_id for p in data.postes],
        list(data.participants),
        obligatory,
        voeux_of,
        covered,
        voeu_scores,
        extension_for,
        zones,
        own_post_scores(data, voeu_scores),
    )


def own_post_scores(data: MarketData, voeu_scores: Sequence[Sequence[int]]) -> list[int | None]:
    """The barème each tenured teacher holds his post with, as the exchange stage ranks him there.

    His barème stripped of voeu-specific bonuses: the stored extension barème when he has one,
    else the lowest barème among his voeux (bonuses only ever add to the common part).
    """
    held: list[int | None] = []
    for part, scores in zip(data.participants, voeu_scores, strict=True):
        if part.current is None:
            held.append(None)
        else:
            held.append(data.extension_scores.get(part.demande_id, min(scores, default=0)))
    return held


def _extension_builder(
    data: MarketData,
    instance: Instance,
    voeux_of: Sequence[Sequence[VoeuRow]],
    zones: Mapping[ZoneKey, Sequence[Site]],
    expander: Expander,
) -> Callable[[int], Extension]:
    walks: dict[int, list[int]] = {}

    def extension_for(t: int) -> Extension:
        part = data.participants[t]
        voeux = voeux_of[t]
        first = voeux[0] if voeux else None
        start = None
        if first is not None:
            start = first.academie_id if data.inter else first.departement_id
        if start is None:
            start = part.home_zone
        if start is None and (data.table or data.zones):
            start = min(data.table or data.zones)  # voeu 1 covers the whole académie: any zone starts the walk
        score = data.extension_scores.get(part.demande_id, 0)
        if start is None or part.discipline_id is None:
            return Extension([], score)
        walk = walks.get(start)
        if walk is None:
            walk = walks[start] = extension_zones(start, data.table, data.forbidden.__contains__, data.zones)
        d = part.discipline_id
        keys = [("EXT", z, d) for z in walk]
        sites = {key: zones.get(key, ()) for key in keys}
        reference = first.point if first is not None and first.point is not None else part.home
        return Extension(extension_posts(keys, sites, reference, instance.prefs[t], expander), score)

    return extension_for


def missing_postes(
    participants: Sequence[Participant], postes: Sequence[PosteRow], places: Mapping[tuple[int, int], int] | None
) -> list[tuple[int, Lieu]]:
    """(discipline, lieu) of the posts a run needs and the campagne lacks: each tenured participant's current
    post (so that the seat he frees can be taken in the same run) and, at the inter, each capacité d'accueil."""
    offered = {(p.discipline_id, p.lieu) for p in postes}
    wanted = {(p.discipline_id, p.current) for p in participants if p.current is not None and p.discipline_id}
    wanted |= {(d, ("A", a)) for a, d in (places or {})}
    return sorted(wanted - offered)  # type: ignore[arg-type]
