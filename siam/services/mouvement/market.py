"""From the ORM to the engine: one campagne's market, loaded in bulk, as the flat instance DA* reads.

Two layers: ``load_market`` reads the database in a fixed number of queries into plain
rows (``MarketData``); ``build_market`` turns those rows into the engine's ``Instance``
without touching the database, so it is tested on hand-made rows.

Each ``Poste`` row is one engine post with capacity ``nombre``. A discipline is a market
of its own, but teachers only ever list posts of their discipline, so one instance holding
every discipline computes exactly the per-discipline results (DA* never links two posts
nobody lists together). A tenured volunteer's current post is the ``Poste`` of their
établissement or zone (their académie at the inter) in their discipline; ``load_market``
creates it with no known vacancy when the campagne does not offer it, so that the seat they
free when they move can be taken by somebody else in the same run (chains).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Exists, Model, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from dossier.models import Academie, Commune, Departement, Etablissement, GroupementCommunes, Position, ZoneRemplacement
from siam.errors import MouvementError
from siam.models import (
    Campagne,
    CampagneKind,
    CapaciteAccueil,
    Demande,
    EtatDemande,
    Participation,
    Poste,
    TypeFiltre,
    Voeu,
)
from siam.models.choices import TYPES_AVEC_FILTRE
from siam.models.mouvement import SCORE_SCALE, TableExtension
from siam.mouvement import Expander, Extension, Instance, Point, Site, expand, extension_posts, extension_zones
from siam.mouvement import Voeu as CoreVoeu
from siam.mouvement.expansion import PRECISION, distance_km

Lieu = tuple[str, int]  # ("E", établissement id) | ("Z", zone de remplacement id) | ("A", académie id)
ZoneKey = tuple[str, int, int]  # (voeu type or "EXT", target id, discipline id)
Progress = Callable[[str, int, int], None]

# Which établissement types a voeu's type filter keeps (TypeEtablissement codes).
FILTRE_TYPES: Mapping[str, frozenset[str]] = {
    TypeFiltre.CLG: frozenset({"CLG"}),
    TypeFiltre.LYC: frozenset({"LGT", "LPO"}),
    TypeFiltre.LP: frozenset({"LP"}),
    TypeFiltre.SEP: frozenset({"LPO"}),
    TypeFiltre.EREA: frozenset({"EREA"}),
}
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


def to_score(total: Decimal) -> int:
    """A barème in points (one decimal) as the engine's int; anything finer would be silently lost."""
    scaled = total * SCORE_SCALE
    if scaled != scaled.to_integral_value():
        raise MouvementError(
            _("Barème %(total)s : le mouvement compare les barèmes au dixième de point près.") % {"total": total}
        )
    return int(scaled)


# --- pure: rows -> instance ---------------------------------------------------------


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
            if not data.inter and v.type in TYPES_AVEC_FILTRE and v.filtre != TypeFiltre.TOUT:
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

    problems = []
    if missing_dossiers:
        problems.append(
            _("%(n)s participant(s) sans dossier administratif (discipline inconnue)") % {"n": len(missing_dossiers)}
        )
    if missing_scores:
        problems.append(_("%(n)s voeu(x) sans barème calculé") % {"n": len(missing_scores)})
    missing_tiebreak = [p.demande_id for p in data.participants if p.demande_id not in data.tiebreak]
    if missing_tiebreak:
        problems.append(_("%(n)s participant(s) sans rang de départage") % {"n": len(missing_tiebreak)})
    obligatory = [p.obligatory and p.current is None for p in data.participants]
    # the barème service gives an extension barème to obligatory participants with voeux; without voeux
    # there is no barème to lower, they come last (0)
    missing_ext = [
        p.demande_id
        for p, must in zip(data.participants, obligatory, strict=True)
        if must and p.demande_id not in data.extension_scores and data.voeux.get(p.demande_id)
    ]
    if missing_ext:
        problems.append(_("%(n)s participant(s) obligatoire(s) sans barème d'extension") % {"n": len(missing_ext)})
    if problems:
        raise MouvementError(_("Le mouvement ne peut pas être calculé : %(p)s.") % {"p": " ; ".join(problems)})

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


# --- the database: campagne -> rows ---------------------------------------------------


def _point(lat: Decimal | None, lon: Decimal | None) -> Point | None:
    return None if lat is None or lon is None else Point(float(lat), float(lon))


def market_postes(campagne: Campagne) -> QuerySet[Poste]:
    """The posts a run offers: THE place where posts are left out of the general mouvement.

    Postes à profil are pourvus hors barème; posts given by a mouvement spécifique decision
    (SPEA) before the intra are to be excluded here as well, with one more ``.exclude(...)``.
    """
    return Poste.objects.filter(campagne=campagne, profile=False)


def market_demandes(campagne: Campagne) -> QuerySet[Demande]:
    """The demandes a run reads: THE place where demandes are left out of the general mouvement.

    Cancelled demandes and those closed by the inter (a teacher who left the académie) never take
    part; demandes withdrawn by a SPEA decision are to be excluded here as well.
    """
    return campagne.demandes.exclude(etat__in=EXCLUES)


def load_postes(campagne: Campagne) -> list[PosteRow]:
    postes = _load_postes(campagne)
    if campagne.kind != CampagneKind.INTER:
        return postes
    places = inter_places(campagne)
    if places is None:
        return postes  # no capacité d'accueil entered: the académie posts' own numbers (synthetic campagnes)
    # the capacités d'accueil are the inter's piles; a post without capacity only anchors results
    return [replace(p, nombre=places.get((p.lieu[1], p.discipline_id), 0)) for p in postes]


def inter_places(campagne: Campagne) -> dict[tuple[int, int], int] | None:
    """(académie id, discipline id) -> places, or None when the campagne has no capacité d'accueil."""
    rows = CapaciteAccueil.objects.for_campagne(campagne).values_list("academie_id", "discipline_id", "places")
    found = {(a, d): n for a, d, n in rows}
    return found or None


def _load_postes(campagne: Campagne) -> list[PosteRow]:
    rows = (
        market_postes(campagne)
        .order_by("pk")
        .values_list(
            "pk",
            "discipline_id",
            "nombre",
            "etablissement_id",
            "zone_remplacement_id",
            "academie_id",
            "discipline__code",
            "etablissement__uai",
            "etablissement__type",
            "etablissement__commune_id",
            "etablissement__commune__latitude",
            "etablissement__commune__longitude",
            "etablissement__commune__departement_id",
            "etablissement__commune__departement__academie_id",
            "zone_remplacement__code",
            "zone_remplacement__siege_id",
            "zone_remplacement__siege__latitude",
            "zone_remplacement__siege__longitude",
            "zone_remplacement__departement_id",
            "zone_remplacement__departement__academie_id",
            "academie__code",
        )
    )
    postes = []
    for (
        pk,
        d,
        nombre,
        etab,
        zr,
        aca,
        dcode,
        uai,
        etype,
        com,
        lat,
        lon,
        dep,
        eaca,
        zcode,
        siege,
        zlat,
        zlon,
        zdep,
        zaca,
        acode,
    ) in rows:
        if etab is not None:
            postes.append(
                PosteRow(
                    pk, d, nombre, ("E", etab), f"{uai}-{dcode}", _point(lat, lon) or NOWHERE, etype, com, dep, eaca
                )
            )
        elif zr is not None:
            postes.append(
                PosteRow(
                    pk,
                    d,
                    nombre,
                    ("Z", zr),
                    f"ZR {zcode}-{dcode}",
                    _point(zlat, zlon) or NOWHERE,
                    "ZR",
                    siege,
                    zdep,
                    zaca,
                )
            )
        else:
            postes.append(PosteRow(pk, d, nombre, ("A", aca), f"{acode}-{dcode}", NOWHERE, "ACA", None, None, aca))
    return postes


def load_participants(campagne: Campagne) -> list[Participant]:
    # A volunteer who entered no voeu does not take part: no run row, no result courrier (DOMAIN.md §5).
    has_voeux = Exists(Voeu.objects.filter(demande=OuterRef("pk")))
    rows = (
        market_demandes(campagne)
        .filter(Q(participation=Participation.OBLIGATOIRE) | has_voeux)
        .order_by("pk")
        .values_list(
            "pk",
            "agent_id",
            "participation",
            "agent__dossier__discipline_id",
            "agent__dossier__position",
            "agent__dossier__affectation_provisoire",
            "agent__dossier__etablissement_id",
            "agent__dossier__etablissement__commune__latitude",
            "agent__dossier__etablissement__commune__longitude",
            "agent__dossier__etablissement__commune__departement_id",
            "agent__dossier__etablissement__commune__departement__academie_id",
            "agent__dossier__zone_remplacement_id",
            "agent__dossier__zone_remplacement__siege__latitude",
            "agent__dossier__zone_remplacement__siege__longitude",
            "agent__dossier__zone_remplacement__departement_id",
            "agent__dossier__zone_remplacement__departement__academie_id",
        )
    )
    inter = campagne.kind == CampagneKind.INTER
    participants = []
    for (
        pk,
        agent,
        participation,
        d,
        position,
        provisoire,
        etab,
        lat,
        lon,
        dep,
        eaca,
        zr,
        zlat,
        zlon,
        zdep,
        zaca,
    ) in rows:
        lieu: Lieu | None = None
        home, zone, aca = None, None, None
        if etab is not None:
            lieu, home, zone, aca = ("E", etab), _point(lat, lon), dep, eaca
        elif zr is not None:
            lieu, home, zone, aca = ("Z", zr), _point(zlat, zlon), zdep, zaca
        if inter:
            zone = aca
            lieu = ("A", aca) if aca is not None else None
        elif aca != campagne.academie_id:
            lieu, zone = None, None  # an entrant from another académie has no post to keep here
        obligatory = participation == Participation.OBLIGATOIRE
        tenured = not obligatory and position == Position.TITULAIRE and not provisoire and lieu is not None
        participants.append(Participant(pk, agent, d, obligatory, lieu if tenured else None, home, zone))
    return participants


def missing_postes(
    participants: Sequence[Participant], postes: Sequence[PosteRow], places: Mapping[tuple[int, int], int] | None
) -> list[tuple[int, Lieu]]:
    """(discipline, lieu) of the posts a run needs and the campagne lacks: each tenured participant's current
    post (so that the seat he frees can be taken in the same run) and, at the inter, each capacité d'accueil."""
    offered = {(p.discipline_id, p.lieu) for p in postes}
    wanted = {(p.discipline_id, p.current) for p in participants if p.current is not None and p.discipline_id}
    wanted |= {(d, ("A", a)) for a, d in (places or {})}
    return sorted(wanted - offered)  # type: ignore[arg-type]


def create_missing_postes(campagne: Campagne, participants: Sequence[Participant]) -> int:
    """Create, with no known vacancy, the posts ``missing_postes`` names. Called inside the run's transaction."""
    missing = missing_postes(
        participants, _load_postes(campagne), inter_places(campagne) if campagne.is_inter else None
    )
    if not missing:
        return 0
    field_of = {"E": "etablissement_id", "Z": "zone_remplacement_id", "A": "academie_id"}
    Poste.objects.bulk_create(
        [
            Poste(campagne=campagne, discipline_id=d, nombre=0, susceptible_vacant=True, **{field_of[lieu[0]]: lieu[1]})
            for d, lieu in missing
        ],
        ignore_conflicts=True,
    )
    return len(missing)


def load_voeux(campagne: Campagne) -> dict[int, list[VoeuRow]]:
    """The voeux by demande, in rank order: one query for the voeux, one per kind of target they name."""
    rows = list(
        Voeu.objects.filter(demande__in=market_demandes(campagne))
        .order_by("demande_id", "rang")
        .values_list(
            "pk",
            "demande_id",
            "rang",
            "type",
            "filtre",
            "etablissement_id",
            "commune_id",
            "groupement_id",
            "departement_id",
            "academie_id",
            "zone_remplacement_id",
        )
    )
    etabs = _targets(rows, 5, Etablissement, "commune__latitude", "commune__longitude", "commune__departement_id")
    communes = _targets(rows, 6, Commune, "latitude", "longitude", "departement_id")
    geos = _targets(rows, 7, GroupementCommunes, "departement_id")
    zones = _targets(rows, 10, ZoneRemplacement, "departement_id")
    voeux: dict[int, list[VoeuRow]] = defaultdict(list)
    for pk, demande, rang, vtype, filtre, etab, com, geo, dep, aca, zr in rows:
        point, departement = None, dep
        if etab:
            lat, lon, departement = etabs[etab]
            point = _point(lat, lon)
        elif com:
            lat, lon, departement = communes[com]
            point = _point(lat, lon)
        elif geo:
            (departement,) = geos[geo]
        elif zr:
            (departement,) = zones[zr]
        target = etab or com or geo or dep or aca or zr
        voeux[demande].append(VoeuRow(pk, rang, vtype, filtre, target, point, departement, aca))
    return voeux


def _targets(
    rows: Sequence[tuple[Any, ...]], column: int, model: type[Model], *fields: str
) -> dict[int, tuple[Any, ...]]:
    ids = {row[column] for row in rows if row[column]}
    if not ids:
        return {}
    return {pk: rest for pk, *rest in model._default_manager.filter(pk__in=ids).values_list("pk", *fields)}  # type: ignore[misc]


def load_groupements(voeux: Mapping[int, Sequence[VoeuRow]]) -> dict[int, list[int]]:
    ids = {v.target_id for rows in voeux.values() for v in rows if v.type == "GEO"}
    if not ids:
        return {}
    through = GroupementCommunes.communes.through.objects.filter(groupementcommunes_id__in=ids)
    found: dict[int, list[int]] = defaultdict(list)
    for geo, commune in through.order_by("groupementcommunes_id", "commune_id").values_list(
        "groupementcommunes_id", "commune_id"
    ):
        found[geo].append(commune)
    return found


def load_table(campagne: Campagne) -> tuple[dict[int, tuple[int, ...]], frozenset[int], str]:
    """The table d'extension as zone ids, the forbidden zones, and where the table came from."""
    rows = list(TableExtension.objects.for_campagne(campagne).values_list("zone", "voisins"))
    if campagne.kind == CampagneKind.INTER:
        academies = list(Academie.objects.order_by("nom").values_list("pk", "code", "is_dom", "is_corse"))
        ids = {code: pk for pk, code, _dom, _corse in academies}
        forbidden = frozenset(pk for pk, _code, dom, corse in academies if dom or corse)
        if rows:
            return _table_from_rows(rows, ids), forbidden, "table"
        return _table_from_limitrophes([pk for pk, *_ in academies]), forbidden, "limitrophes"
    departements = list(Departement.objects.filter(academie=campagne.academie).values_list("pk", "code"))
    ids = {code: pk for pk, code in departements}
    if rows:
        return _table_from_rows(rows, ids), frozenset(), "table"
    return _table_by_distance([pk for pk, _code in departements]), frozenset(), "distance"


def _table_from_rows(rows: Sequence[tuple[str, list[str]]], ids: Mapping[str, int]) -> dict[int, tuple[int, ...]]:
    unknown = sorted({code for zone, voisins in rows for code in (zone, *voisins) if code not in ids})
    if unknown:
        raise MouvementError(
            _("Table d'extension : zone(s) inconnue(s) pour cette campagne : %(codes)s.")
            % {"codes": ", ".join(unknown)}
        )
    return {ids[zone]: tuple(ids[v] for v in voisins) for zone, voisins in rows}


def _table_from_limitrophes(order: Sequence[int]) -> dict[int, tuple[int, ...]]:
    """Limitrophes first, then every other académie (by name): the walk reaches them all."""
    through = Academie.limitrophes.through.objects.values_list("from_academie_id", "to_academie_id")
    near: dict[int, set[int]] = defaultdict(set)
    for a, b in through:
        near[a].add(b)
    return {
        a: tuple([b for b in order if b in near[a]] + [b for b in order if b != a and b not in near[a]]) for a in order
    }


def _table_by_distance(departements: Sequence[int]) -> dict[int, tuple[int, ...]]:
    """Each département's others, nearest centre (mean of its communes) first."""
    centres = {
        row["departement_id"]: Point(float(row["lat"]), float(row["lon"]))
        for row in Commune.objects.filter(departement_id__in=departements)
        .values("departement_id")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude"))
        .order_by()
    }

    def gap(a: int, b: int) -> float:
        pa, pb = centres.get(a), centres.get(b)
        return math.inf if pa is None or pb is None else math.hypot(pa.lat - pb.lat, pa.lon - pb.lon)

    return {a: tuple(sorted((b for b in departements if b != a), key=lambda b: (gap(a, b), b))) for a in departements}


def load_market(
    campagne: Campagne,
    *,
    voeu_totals: Mapping[int, Decimal],
    extension_totals: Mapping[int, Decimal],
    tiebreak: Mapping[int, int],
    participants: list[Participant] | None = None,
) -> MarketData:
    """Read one campagne's market, after ``create_missing_postes`` (in the same transaction). Never writes."""
    if participants is None:
        participants = load_participants(campagne)
    postes = load_postes(campagne)
    voeux = load_voeux(campagne)
    table, forbidden, source = load_table(campagne)
    zones = list(
        Academie.objects.order_by("nom", "pk").values_list("pk", flat=True)
        if campagne.kind == CampagneKind.INTER
        else Departement.objects.filter(academie=campagne.academie).order_by("code").values_list("pk", flat=True)
    )
    return MarketData(
        inter=campagne.kind == CampagneKind.INTER,
        postes=postes,
        participants=participants,
        voeux=voeux,
        groupements=load_groupements(voeux),
        voeu_scores={pk: to_score(total) for pk, total in voeu_totals.items()},
        extension_scores={pk: to_score(total) for pk, total in extension_totals.items()},
        tiebreak=tiebreak,
        table=table,
        forbidden=forbidden,
        zones=zones,
        table_source=source,
    )


EXCLUES = (EtatDemande.ANNULEE, EtatDemande.CLOSE_INTER)
