"""From the ORM to the engine: one campagne's market, read in bulk into the core's plain rows.

``load_market`` reads the database in a fixed number of queries into ``MarketData`` and never
writes; ``create_missing_postes`` is the one write, called by the run inside its transaction;
``build_market`` is the pure core's (``siam.mouvement.market``), with its refusals in French.
``market_postes`` and ``market_demandes`` are the one place where posts and demandes are left
out of the general mouvement (postes à profil, cancelled or closed demandes; SPEA decisions).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Exists, Model, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from dossier.models import Academie, Commune, Departement, Etablissement, GroupementCommunes, Position, ZoneRemplacement
from siam.errors import MouvementError
from siam.models import (
    Campagne,
    CampagneKind,
    CandidatureSpea,
    CapaciteAccueil,
    Demande,
    EtatDemande,
    Participation,
    Poste,
    Voeu,
)
from siam.models.choices import TYPES_AVEC_FILTRE, TypeFiltre
from siam.models.mouvement import SCORE_SCALE, TableExtension
from siam.mouvement import Point
from siam.mouvement.market import (  # noqa: F401 - the rows and the builder, as callers name them
    ALL_TYPES,
    FILTERED_TYPES,
    FILTRE_TYPES,
    NOWHERE,
    Lieu,
    Market,
    MarketData,
    MarketProblems,
    Participant,
    PosteRow,
    Progress,
    SharedExpander,
    VoeuRow,
    missing_postes,
    own_post_scores,
    zones_of,
)
from siam.mouvement.market import build_market as core_build_market

# demandes that never take part in a run: cancelled, or closed because the inter gave another académie
EXCLUES = (EtatDemande.ANNULEE, EtatDemande.CLOSE_INTER)
# the core spells the choices out in plain strings: they must stay the models' own
assert set(FILTRE_TYPES) | {ALL_TYPES} == set(TypeFiltre.values) and FILTERED_TYPES == TYPES_AVEC_FILTRE


def to_score(total: Decimal) -> int:
    """A barème in points (one decimal) as the engine's int; anything finer would be silently lost."""
    scaled = total * SCORE_SCALE
    if scaled != scaled.to_integral_value():
        raise MouvementError(
            _("Barème %(total)s\u00a0: le mouvement compare les barèmes au dixième de point près.") % {"total": total}
        )
    return int(scaled)


def build_market(data: MarketData, progress: Progress | None = None) -> Market:
    """The core's ``build_market``, refusing in French on missing barèmes, dossiers or tie-break ranks."""
    try:
        return core_build_market(data, progress)
    except MarketProblems as found:
        problems = []
        if found.missing_dossiers:
            problems.append(
                _("%(n)s participant(s) sans dossier administratif (discipline inconnue)")
                % {"n": found.missing_dossiers}
            )
        if found.missing_scores:
            problems.append(_("%(n)s vœu(x) sans barème calculé") % {"n": found.missing_scores})
        if found.missing_tiebreak:
            problems.append(_("%(n)s participant(s) sans rang de départage") % {"n": found.missing_tiebreak})
        if found.missing_extension:
            problems.append(
                _("%(n)s participant(s) obligatoire(s) sans barème d'extension") % {"n": found.missing_extension}
            )
        raise MouvementError(
            _("Le mouvement ne peut pas être calculé\u00a0: %(p)s.") % {"p": " ; ".join(problems)}
        ) from None


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
        # SPEA (siam/services/spea.py): a teacher retained on a profiled post leaves the general mouvement.
        .exclude(Exists(CandidatureSpea.objects.retenues().filter(agent=OuterRef("agent"), campagne=campagne)))
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
            _("Table d'extension\u00a0: zone(s) inconnue(s) pour cette campagne\u00a0: %(codes)s.")
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
        # communes loaded from the COG have no coordinates: a département with none has no centre (gap inf)
        for row in Commune.objects.filter(departement_id__in=departements, latitude__isnull=False)
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
