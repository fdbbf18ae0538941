"""Charts of the campagne admin page: server-rendered SVG (no script, CSP-safe) with its table equivalent."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from siam.models import Campagne, DemandeVersion

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
