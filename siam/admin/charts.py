"""Charts of the campagne admin page: server-rendered SVG (no script, CSP-safe) with its table equivalent."""

from __future__ import annotations

import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.postgres.fields import ArrayField
from django.db.models import Aggregate, Case, Count, F, FloatField, Max, Min, Value, When
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from siam.models import Campagne, DemandeVersion
from siam.models.bareme import BaremeVoeu
from siam.models.mouvement import MouvementResultat, MouvementRun

PARIS = ZoneInfo("Europe/Paris")
WIDTH, HEIGHT, GAP = 600, 160, 2


@dataclass(frozen=True)
class Barre:
    label: str
    n: int
    x: float
    y: float
    width: float
    height: float

    @property
    def milieu(self) -> float:
        return round(self.x + self.width / 2, 1)


def bars(rows: list[tuple[str, int]]) -> list[Barre]:
    """Bars scaled to the largest value; pure arithmetic, tested on its own."""
    if not rows:
        return []
    top = max(n for _, n in rows) or 1
    step = WIDTH / len(rows)
    out = []
    for i, (label, n) in enumerate(rows):
        h = HEIGHT * n / top
        out.append(
            Barre(label, n, round(i * step + GAP / 2, 1), round(HEIGHT - h, 1), round(step - GAP, 1), round(h, 1))
        )
    return out


def saves_per_day(campagne: Campagne) -> SafeString:
    """Demandes saved per day (each save is a DemandeVersion), the closing-day wave: one query."""
    rows = (
        DemandeVersion.objects.filter(demande__campagne=campagne)
        .annotate(jour=TruncDate("date", tzinfo=PARIS))
        .values("jour")
        .annotate(n=Count("pk"))
        .order_by("jour")
    )
    data = [(row["jour"].strftime("%d/%m"), row["n"]) for row in rows]
    context = {"bars": bars(data), "width": WIDTH, "height": HEIGHT, "total": sum(n for _, n in data)}
    return SafeString(render_to_string("admin/iprof/chart_saves.html", context))


# --- barème distribution per discipline (vœu 1) ------------------------------------------------------

LABEL_WIDTH, ROW, PLOT = 170, 30, 400  # the box plot: discipline names, then the scale


class Quartiles(Aggregate):
    """PostgreSQL's percentile_cont (linear interpolation) at 25, 50 and 75 %, as one array."""

    function = "percentile_cont"
    template = "%(function)s(ARRAY[0.25, 0.5, 0.75]::double precision[]) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = ArrayField(FloatField())


@dataclass(frozen=True)
class Boite:
    """One discipline's vœu-1 barèmes: the five figures and where they are drawn."""

    discipline: str
    n: int
    mini: float
    q1: float
    mediane: float
    q3: float
    maxi: float
    y: int
    x: tuple[float, float, float, float, float]

    @property
    def largeur(self) -> float:
        return round(self.x[3] - self.x[1], 1)


def echelle(top: float) -> float:
    """A round top for the scale at or above the largest barème, whose quarters are round too."""
    if top <= 0:
        return 1.0
    unit = 10 ** math.floor(math.log10(top))
    return float(next(k * unit for k in (1, 2, 4, 6, 8, 10) if k * unit >= top))


def boxes(rows: list[tuple[str, int, float, float, float, float, float]]) -> tuple[list[Boite], float]:
    """Rows (discipline, n, min, q1, median, q3, max) placed on one scale from 0; pure arithmetic."""
    top = echelle(max((row[6] for row in rows), default=0))

    def x(value: float) -> float:
        return round(LABEL_WIDTH + PLOT * value / top, 1)

    out = [
        Boite(d, n, lo, q1, med, q3, hi, i * ROW + 4, (x(lo), x(q1), x(med), x(q3), x(hi)))
        for i, (d, n, lo, q1, med, q3, hi) in enumerate(rows)
    ]
    return out, top


def bareme_distribution(campagne: Campagne) -> SafeString:
    """Per discipline, min / quartiles / max of the stored vœu-1 barèmes: one query."""
    rows = (
        BaremeVoeu.objects.filter(demande__campagne=campagne, voeu__rang=1)
        .values(discipline=F("demande__agent__dossier__discipline__libelle"))
        .annotate(n=Count("pk"), lo=Min("total"), hi=Max("total"), q=Quartiles("total"))
        .order_by("discipline")
    )
    data = [
        (r["discipline"] or "—", r["n"], float(r["lo"]), *(round(v, 2) for v in r["q"]), float(r["hi"])) for r in rows
    ]
    drawn, top = boxes(data)  # type: ignore[arg-type]
    ticks = [(round(LABEL_WIDTH + PLOT * k / 4, 1), _number(top * k / 4)) for k in range(5)]
    height = len(drawn) * ROW + 4
    context = {
        "boxes": drawn,
        "ticks": ticks,
        "width": LABEL_WIDTH + PLOT + 30,
        "height": height,
        "axis": height + 14,
        "total": sum(b.n for b in drawn),
    }
    return SafeString(render_to_string("admin/iprof/chart_baremes.html", context))


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


# --- the run's outcome: rank obtained, extension, kept, none ------------------------------------------


@dataclass(frozen=True)
class Issue:
    """One column of the outcome chart: « vœu 1 », « extension »… and its count per discipline."""

    label: str
    n: int
    par_discipline: tuple[int, ...]


def run_outcomes(run: MouvementRun) -> SafeString:
    """How many obtained their vœu 1, 2, 3…, an extension, kept their post, got nothing: one query."""
    categorie = Case(
        When(kept=True, then=Value("maintenu")),
        When(extended=True, then=Value("extension")),
        When(poste__isnull=True, then=Value("aucun")),
        default=Value("voeu"),
    )
    rows = (
        MouvementResultat.objects.filter(run=run)
        .annotate(categorie=categorie)
        .values("categorie", "voeu_rang", discipline=F("demande__agent__dossier__discipline__libelle"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[str, str], int] = {}
    ranks: set[int] = set()
    disciplines: set[str] = set()
    for r in rows:
        key = r["categorie"]
        if key == "voeu":  # obtained on a vœu: its rank is never null (mouvementresultat constraints)
            ranks.add(r["voeu_rang"] or 0)
            key = f"voeu{r['voeu_rang']}"
        d = r["discipline"] or "—"
        disciplines.add(d)
        counts[key, d] = counts.get((key, d), 0) + r["n"]
    columns = [(f"voeu{k}", _("vœu %(rang)s") % {"rang": k}) for k in sorted(ranks)]
    columns += [("extension", _("extension")), ("maintenu", _("maintenus")), ("aucun", _("sans poste"))]
    names = sorted(disciplines)
    issues = [
        Issue(label, sum(per), per) for key, label in columns for per in [tuple(counts.get((key, d), 0) for d in names)]
    ]
    dense = len(issues) > 8  # labels slanted, values left to the table and the tooltips
    context = {
        "bars": bars([(i.label, i.n) for i in issues]),
        "dense": dense,
        "bottom": 70 if dense else 36,
        "issues": issues,
        "disciplines": names,
        "width": WIDTH,
        "height": HEIGHT,
        "total": sum(i.n for i in issues),
        "lignes": [(d, per, sum(per)) for j, d in enumerate(names) for per in [[i.par_discipline[j] for i in issues]]],
    }
    return SafeString(render_to_string("admin/iprof/chart_outcomes.html", context))
