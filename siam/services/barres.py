"""Published barres: per zone × discipline, who entered, who left, and the lowest barème admitted.

Zones are académies at the inter and départements at the intra (the zones of the table
d'extension). Read from the published run's stored results in a fixed number of queries:

- *entrants*: participants who obtained a post of the zone (on a vœu or in extension), whether
  they came from elsewhere or moved inside it; teachers who kept their post are not counted;
- *sortants*: participants whose post was in the zone and who obtained one in another zone;
- *barre*: the lowest barème of those admitted on a vœu (extension uses another barème). It is
  published only when at least ``SEUIL`` people were admitted on a vœu there: below, the lowest
  barème would be one identifiable colleague's.

When the published result is the one after exchanges, the post after exchanges counts and the
barre is read on those who kept their DA* post (the exchange stage stores no barème).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Min, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from dossier.models import Academie, Departement, Discipline
from lib import exports
from siam.models import Campagne, MouvementResultat, MouvementRun
from siam.models.mouvement import SCORE_SCALE

SEUIL = 3


@dataclass(frozen=True, slots=True)
class Flux:
    """One group of results: where they went, where they came from, how many, the lowest barème on a vœu."""

    destination: int
    origine: int | None
    discipline: int
    nombre: int
    admis_sur_voeu: int
    score_min: int | None


@dataclass
class Cellule:
    zone: str
    discipline: str
    entrants: int = 0
    sortants: int = 0
    admis_sur_voeu: int = 0
    score_min: int | None = None

    @property
    def barre(self) -> Decimal | None:
        if self.admis_sur_voeu < SEUIL or self.score_min is None:
            return None
        return Decimal(self.score_min) / SCORE_SCALE


@dataclass
class TableDiscipline:
    libelle: str
    cellules: list[Cellule] = field(default_factory=list)

    @property
    def chart(self) -> Chart:
        return Chart.of(self.cellules)


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart drawn by the template as SVG: one bar per zone that has a barre."""

    bars: tuple[Bar, ...]
    height: int
    max_value: Decimal

    ROW = 22
    WIDTH = 300  # bar area, in SVG units, beside a 160-unit label column

    @classmethod
    def of(cls, cellules: Sequence[Cellule]) -> Chart:
        shown = [(c.zone, c.barre) for c in cellules if c.barre is not None]
        top = max((v for _z, v in shown), default=Decimal(0))
        bars = tuple(
            Bar(zone, value, index * cls.ROW, int(value * cls.WIDTH / top) if top else 0)
            for index, (zone, value) in enumerate(shown)
        )
        return cls(bars, len(bars) * cls.ROW, top)


@dataclass
class Barres:
    run: MouvementRun
    inter: bool
    disciplines: list[TableDiscipline]


def published_run(campagne: Campagne) -> MouvementRun | None:
    return MouvementRun.objects.published().for_campagne(campagne).first()


def load_flux(run: MouvementRun, *, inter: bool) -> list[Flux]:
    """One aggregate query: the run's movers grouped by destination zone, origin zone and discipline."""
    poste = "poste_echange" if run.published_exchange else "poste"
    rows = MouvementResultat.objects.filter(run=run, poste__isnull=False, kept=False)
    destination: dict[str, Any]
    if run.published_exchange:
        destination = {
            "aca": Coalesce("poste_echange__academie_id", "poste__academie_id"),
            "dep": Coalesce(
                "poste_echange__etablissement__commune__departement_id",
                "poste_echange__zone_remplacement__departement_id",
                "poste__etablissement__commune__departement_id",
                "poste__zone_remplacement__departement_id",
            ),
        }
        on_voeu = Q(extended=False) & (Q(poste_echange__isnull=True) | Q(poste_echange=F("poste")))
    else:
        destination = {
            "aca": F(f"{poste}__academie_id"),
            "dep": Coalesce(
                f"{poste}__etablissement__commune__departement_id", f"{poste}__zone_remplacement__departement_id"
            ),
        }
        on_voeu = Q(extended=False)
    dossier = "demande__agent__dossier"
    origine = (
        Coalesce(
            f"{dossier}__etablissement__commune__departement__academie_id",
            f"{dossier}__zone_remplacement__departement__academie_id",
        )
        if inter
        else Coalesce(
            f"{dossier}__etablissement__commune__departement_id", f"{dossier}__zone_remplacement__departement_id"
        )
    )
    grouped = (
        rows.order_by()
        .values(dest=destination["aca" if inter else "dep"], orig=origine, disc=F("poste__discipline_id"))
        .annotate(n=Count("pk"), admis=Count("pk", filter=on_voeu), score_min=Min("score", filter=on_voeu))
    )
    return [Flux(r["dest"], r["orig"], r["disc"], r["n"], r["admis"], r["score_min"]) for r in grouped if r["dest"]]


def aggregate(flux: Iterable[Flux], zones: dict[int, str], disciplines: dict[int, str]) -> list[TableDiscipline]:
    """Pure: the groups of results as one table per discipline, zones in name order."""
    cells: dict[tuple[int, int], Cellule] = {}

    def cell(zone: int, discipline: int) -> Cellule:
        key = (zone, discipline)
        if key not in cells:
            cells[key] = Cellule(zones.get(zone, str(zone)), disciplines.get(discipline, str(discipline)))
        return cells[key]

    for f in flux:
        c = cell(f.destination, f.discipline)
        c.entrants += f.nombre
        c.admis_sur_voeu += f.admis_sur_voeu
        if f.score_min is not None:
            c.score_min = f.score_min if c.score_min is None else min(c.score_min, f.score_min)
        if f.origine is not None and f.origine != f.destination and f.origine in zones:
            cell(f.origine, f.discipline).sortants += f.nombre
    by_discipline: dict[str, list[Cellule]] = defaultdict(list)
    for c in cells.values():
        by_discipline[c.discipline].append(c)
    return [
        TableDiscipline(libelle, sorted(cellules, key=lambda c: c.zone))
        for libelle, cellules in sorted(by_discipline.items())
    ]


def barres_of(campagne: Campagne) -> Barres | None:
    """The published barres of a campagne, or None before publication (4 queries)."""
    run = published_run(campagne)
    if run is None:
        return None
    inter = campagne.is_inter
    flux = load_flux(run, inter=inter)
    if inter:
        zones = dict(Academie.objects.values_list("pk", "nom"))
    else:
        zones = dict(Departement.objects.filter(academie=campagne.academie_id).values_list("pk", "nom"))
    ids = {f.discipline for f in flux}
    disciplines = dict(Discipline.objects.filter(pk__in=ids).values_list("pk", "libelle"))
    return Barres(run, inter, aggregate(flux, zones, disciplines))


def neutralise(value: object) -> str:
    """The cell as text, neutralised as every export's (lib.exports: a formula gets a leading quote)."""
    return str(exports.neutralise("" if value is None else str(value)))


def barres_csv(barres: Barres) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    zone = _("académie") if barres.inter else _("département")
    writer.writerow([_("discipline"), zone, _("entrants"), _("sortants"), _("barre")])
    for discipline in barres.disciplines:
        for c in discipline.cellules:
            barre = "" if c.barre is None else f"{c.barre:.1f}".replace(".", ",")
            writer.writerow([neutralise(v) for v in (c.discipline, c.zone, c.entrants, c.sortants, barre)])
    return out.getvalue()
