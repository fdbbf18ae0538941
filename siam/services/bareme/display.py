"""What the barème pages show: each voeu's total and lines, claims not retained, the history of changes.

Before the display date the barème is provisional: computed now from the dossier and the claims as
they stand. From the display date on, it is the stored barème, the one staff verified.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dossier.models import Dossier
from siam import bareme as core
from siam.bareme.components import REGISTRY
from siam.models import Demande, MotifDeclare, StatutMotif, Voeu
from siam.models.bareme import (
    COUNTING,
    BaremeChange,
    BaremeExtension,
    BaremeLigne,
    BaremeVoeu,
    Contestation,
    EtatLigne,
    StatutContestation,
)
from siam.selectors import dossier_for_bareme, motifs_of, voeux_of
from siam.services.bareme import baremes_shown, provisional_baremes
from siam.services.bareme.facts import situation_for, voeu_facts
from siam.services.bareme.rules import compiled_rules
from siam.services.bareme.store import corrections_of

logger = logging.getLogger(__name__)

BADGES = {
    EtatLigne.APPLIQUEE: "fr-badge--success",
    EtatLigne.CORRIGEE: "fr-badge--info",
    EtatLigne.EN_ATTENTE: "fr-badge--new",
    EtatLigne.REFUSEE: "fr-badge--error",
    EtatLigne.NON_APPLICABLE: "",
}


@dataclass(frozen=True)
class LigneVue:
    code: str
    etat: str
    points: Decimal
    potentiel: Decimal
    detail: str
    phrase: str

    @property
    def label(self) -> str:
        cls = REGISTRY.get(self.code)
        return cls.label if cls else self.code

    @property
    def etat_label(self) -> str:
        return str(EtatLigne(self.etat).label)

    @property
    def badge(self) -> str:
        return BADGES[EtatLigne(self.etat)]

    @property
    def compte(self) -> bool:
        return self.etat in COUNTING


@dataclass(frozen=True)
class VoeuBareme:
    voeu: Voeu
    total: Decimal | None
    lignes: list[LigneVue]


@dataclass
class BaremePage:
    provisoire: bool
    voeux: list[VoeuBareme]
    calcule_le: datetime.datetime | None = None
    definitif: bool = False
    extension: tuple[int, Decimal, list[LigneVue]] | None = None
    refusees: list[MotifDeclare] = field(default_factory=list)
    en_attente: list[MotifDeclare] = field(default_factory=list)
    historique: list[BaremeChange] = field(default_factory=list)
    contestations: list[Contestation] = field(default_factory=list)

    @property
    def calcule(self) -> bool:
        return any(v.total is not None for v in self.voeux)

    @property
    def contestation_ouverte(self) -> Contestation | None:
        return next((c for c in self.contestations if c.statut == StatutContestation.OUVERTE), None)


def _vue(line: Any) -> LigneVue:
    return LigneVue(line.code, str(line.state), line.points, line.potential, line.detail, line.sentence)


def _stored_lines(ids: Iterable[int]) -> dict[int, LigneVue]:
    rows = BaremeLigne.objects.filter(pk__in=set(ids)).values_list(
        "pk", "code", "etat", "points", "potentiel", "detail", "phrase"
    )
    return {
        pk: LigneVue(code, etat, points, potentiel, detail, phrase)
        for pk, code, etat, points, potentiel, detail, phrase in rows
    }


def provisional_rows(demande: Demande, voeux: list[Voeu]) -> list[VoeuBareme]:
    baremes = provisional_baremes(demande)
    rows = []
    for voeu in voeux:
        bareme = baremes.get(voeu.pk)
        rows.append(
            VoeuBareme(voeu, bareme.total if bareme else None, [_vue(x) for x in bareme.lines] if bareme else [])
        )
    return rows


def bareme_page(demande: Demande, now: datetime.datetime | None = None, *, stored: bool | None = None) -> BaremePage:
    """Everything the barème page shows, in a fixed number of queries.

    ``stored``: the stored barème or the provisional one; by default, the stored one from the display date on.
    """
    if stored is None:
        stored = baremes_shown(demande.campagne, now or timezone.now())
    voeux = voeux_of(demande)
    if not stored:
        page = BaremePage(provisoire=True, voeux=provisional_rows(demande, voeux))
    else:
        page = _stored_page(demande, voeux)
    motifs = motifs_of(demande)
    page.refusees = [m for m in motifs if m.statut == StatutMotif.REFUSE]
    page.en_attente = [m for m in motifs if m.statut == StatutMotif.DECLARE]
    page.historique = list(BaremeChange.objects.for_demande(demande))
    page.contestations = list(Contestation.objects.filter(demande=demande).select_related("voeu"))
    return page


def _stored_page(demande: Demande, voeux: list[Voeu]) -> BaremePage:
    stored = {b.voeu_id: b for b in BaremeVoeu.objects.filter(voeu__demande=demande)}
    extension = BaremeExtension.objects.filter(demande=demande).first()
    ids = [i for b in stored.values() for i in b.lignes] + (extension.lignes if extension else [])
    lines = _stored_lines(ids)
    rows = []
    for voeu in voeux:
        found = stored.get(voeu.pk)
        rows.append(VoeuBareme(voeu, found.total if found else None, [lines[i] for i in found.lignes] if found else []))
    first = next(iter(stored.values()), None)
    page = BaremePage(
        provisoire=False,
        voeux=rows,
        calcule_le=first.calcule_le if first else None,
        definitif=bool(first and first.definitif),
    )
    if extension is not None:
        page.extension = (extension.rang, extension.total, [lines[i] for i in extension.lignes])
    return page


_UNLOADED: Any = object()


def provisional_for_voeux(
    demande: Demande,
    voeux: Sequence[Voeu],
    *,
    dossier: Dossier | None = _UNLOADED,
    motifs: Sequence[MotifDeclare] | None = None,
) -> dict[int, Decimal]:
    """The voeux page's « barème provisoire », until the verified barèmes are displayed; never blocks the page.

    Reuses the voeux the page loaded (targets included), and the dossier and claims when the page has them:
    a few queries more, whatever their number.
    """
    if not voeux or baremes_shown(demande.campagne, timezone.now()):
        return {}
    if dossier is _UNLOADED:
        dossier = dossier_for_bareme(demande.agent_id)  # type: ignore[arg-type]
    if dossier is None:
        return {}
    found = _list_facts(demande, dossier, motifs_of(demande) if motifs is None else motifs, voeux)
    return {} if found is None else _provisional(demande, voeux, *found)


def _list_facts(
    demande: Demande, dossier: Dossier, motifs: Sequence[MotifDeclare], voeux: Sequence[Voeu]
) -> tuple[core.Situation, list[core.VoeuFacts], core.CompiledRules] | None:
    """The participant, the list and the rules as the calculator takes them, built once for the page."""
    try:
        situation = situation_for(dossier, motifs, campagne=demande.campagne)
        return situation, [voeu_facts(v) for v in voeux], compiled_rules(demande.campagne)
    except Exception:  # a display aid must never stop the saisie
        logger.exception("SIAM: barème de la liste indisponible (demande %s)", demande.pk)
        return None


def _provisional(
    demande: Demande,
    voeux: Sequence[Voeu],
    situation: core.Situation,
    facts: list[core.VoeuFacts],
    rules: core.CompiledRules,
    *,
    computed: Sequence[core.Bareme] | None = None,
) -> dict[int, Decimal]:
    """``computed``: the list's barèmes without corrections, when the page has them (the warnings' own)."""
    try:
        corrections = corrections_of(demande)
        if computed is not None and not corrections.facts and not corrections.lines:
            baremes = computed  # nothing corrected: the barèmes the warnings were computed from
        else:
            baremes = corrections.baremes(situation, [v.pk for v in voeux], facts, rules)
        return {v.pk: b.total for v, b in zip(voeux, baremes, strict=True)}
    except Exception:  # a display aid must never stop the saisie
        logger.exception("SIAM: barème provisoire indisponible (demande %s)", demande.pk)
        return {}


def _warnings(
    demande: Demande,
    voeux: Sequence[Voeu],
    situation: core.Situation,
    facts: list[core.VoeuFacts],
    rules: core.CompiledRules,
    *,
    computed: Sequence[core.Bareme] | None = None,
) -> dict[int, tuple[str, ...]]:
    try:
        found = rules.list_warnings(situation, facts, baremes=computed)
        return {v.pk: said for v, said in zip(voeux, found, strict=True)}
    except Exception:  # a warning is advice: on the last day of the saisie it must never block saving voeux
        logger.exception("SIAM: avertissements de barème indisponibles pour la campagne %s", demande.campagne_id)
        return {}


@dataclass(frozen=True)
class ListeBareme:
    """What the voeux page shows about the barème, from one load of the dossier and the claims."""

    dossier: Dossier | None
    warnings: dict[int, tuple[str, ...]]
    provisoires: dict[int, Decimal]


def bareme_of_list(demande: Demande, voeux: Sequence[Voeu]) -> ListeBareme:
    """The bonuses each voeu loses and the provisional barème of each (DOMAIN.md §2); the dossier for the banner.

    The participant, the list's facts and the rules are built once for both; the claims are read only when
    there is a list to judge.
    """
    dossier = dossier_for_bareme(demande.agent_id)  # type: ignore[arg-type]
    found = _list_facts(demande, dossier, motifs_of(demande), voeux) if dossier is not None and voeux else None
    if found is None:
        return ListeBareme(dossier=dossier, warnings={}, provisoires={})
    shown = baremes_shown(demande.campagne, timezone.now())
    computed = _computed(demande, *found)  # once for both: the warnings compare them, the provisional shows them
    return ListeBareme(
        dossier=dossier,
        warnings=_warnings(demande, voeux, *found, computed=computed),
        provisoires={} if shown else _provisional(demande, voeux, *found, computed=computed),
    )


def _computed(
    demande: Demande, situation: core.Situation, facts: list[core.VoeuFacts], rules: core.CompiledRules
) -> tuple[core.Bareme, ...] | None:
    """The list's barèmes under the campagne's rules, before any correction (None: each use computes its own)."""
    try:
        return rules.baremes(situation, facts)
    except Exception:  # a display aid must never stop the saisie
        logger.exception("SIAM: barème de la liste indisponible (demande %s)", demande.pk)
        return None
