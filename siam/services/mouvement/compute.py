"""One run on a built market: DA*, the extension, the certificate, the explanations, the exchanges.

No database here: the run service loads the market before and stores this after.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from siam.models.mouvement import RaisonEchec
from siam.mouvement import (
    Barre,
    ExchangeOutcome,
    ExtensionRun,
    Instance,
    Reason,
    Result,
    Summary,
    Verdict,
    assign,
    barres,
    check,
    check_extension_run,
    exchange,
    run_with_extension,
    summarize,
    why_not,
)
from siam.services.mouvement.market import Market

Progress = Callable[[str, int, int], None]
WhyNotRow = list[Any]  # [rang, barème × 10, barre × 10 | None, raison, postes couverts, poste de la barre | None]

REASON = {
    Reason.BELOW_BARRE: RaisonEchec.BARRE,
    Reason.TIE_LOST: RaisonEchec.EGALITE,
    Reason.NO_SEAT: RaisonEchec.PLACE,
}


@dataclass
class Computation:
    first: Result  # the voeux alone: what the barres are computed on
    combined: Result  # with the extension
    extension_run: ExtensionRun | None
    verdict: Verdict
    summary: Summary
    barres: tuple[Barre, ...]
    explanations: list[list[WhyNotRow]]
    exchange: ExchangeOutcome | None = None
    exchange_ok: bool | None = None
    durations: dict[str, float] = field(default_factory=dict)


def compute(
    market: Market,
    *,
    extension: bool = True,
    exchange_stage: bool = False,
    own_post_scores: Sequence[int | None] | None = None,
    progress: Progress | None = None,
) -> Computation:
    instance = market.instance
    durations: dict[str, float] = {}
    started = time.perf_counter()
    ext_run: ExtensionRun | None = None
    if extension and any(market.obligatory):
        ext_run = run_with_extension(instance, market.obligatory, market.extension_for)
        first, combined = ext_run.first, ext_run.combined
    else:
        first = combined = assign(instance)
    durations["calcul"] = time.perf_counter() - started
    _tell(progress, "calcul")

    started = time.perf_counter()
    verdict = check_extension_run(instance, market.obligatory, ext_run) if ext_run else check(instance, first)
    durations["vérification"] = time.perf_counter() - started
    _tell(progress, "vérification")

    started = time.perf_counter()
    post_barres = barres(instance, first)
    explanations: list[list[WhyNotRow]] = []
    # An uncertified result may hold lines the why-not cannot explain: they are left out, the verdict says why.
    for t in range(instance.n_teachers):
        explanations.append(explain(market, combined, post_barres, t) if verdict.ok else [])
        if progress is not None and (t + 1) % 5000 == 0:
            progress("explications", t + 1, instance.n_teachers)
    durations["explications"] = time.perf_counter() - started
    _tell(progress, "explications")

    computation = Computation(
        first, combined, ext_run, verdict, summarize(instance, combined), post_barres, explanations, durations=durations
    )
    if exchange_stage:
        started = time.perf_counter()
        computation.exchange = exchange(instance, combined, own_post_score=own_post_scores)
        computation.exchange_ok = exchange_is_sound(instance, combined, computation.exchange.result)
        durations["échanges"] = time.perf_counter() - started
        _tell(progress, "échanges")
    return computation


def _tell(progress: Progress | None, stage: str) -> None:
    if progress is not None:
        progress(stage, 1, 1)


def explain(market: Market, result: Result, post_barres: tuple[Barre, ...], t: int) -> list[WhyNotRow]:
    """One row per voeu ranked above the one obtained (every voeu if none was): the barre it closed at.

    A large voeu covers several posts: its row shows the lowest barre among them, the
    one the teacher came closest to.
    """
    instance: Instance = market.instance
    got = result.post[t]
    obtained_rank = result.voeu_rank[t] if got is not None and not result.extended[t] else None
    best: dict[int, WhyNotRow] = {}
    weakest_tiebreak: dict[int, int] = {}
    for line in why_not(instance, result, post_barres, t):
        rank = line.voeu_rank
        if obtained_rank is not None and rank >= obtained_rank:
            continue
        barre = line.barre
        row = best.get(rank)
        poste_id = market.poste_ids[line.post]
        if row is None:
            best[rank] = [rank, line.score, barre.score, REASON[line.reason].value, 0, poste_id]
            if barre.tiebreak is not None:
                weakest_tiebreak[rank] = barre.tiebreak
        elif (
            barre.score is not None
            and barre.tiebreak is not None
            and (
                row[2] is None
                or barre.score < row[2]
                or (barre.score == row[2] and barre.tiebreak > weakest_tiebreak[rank])
            )
        ):
            row[2], row[3], row[5] = barre.score, REASON[line.reason].value, poste_id
            weakest_tiebreak[rank] = barre.tiebreak
    rows: list[WhyNotRow] = []
    for voeu, covered, score in zip(market.voeux[t], market.covered[t], market.voeu_scores[t], strict=True):
        if obtained_rank is not None and voeu.rang >= obtained_rank:
            break
        row = best.get(voeu.rang)
        if row is None:
            reason = RaisonEchec.DEJA_DEMANDE if covered else RaisonEchec.AUCUN_POSTE
            row = [voeu.rang, score, None, reason.value, covered, None]
        row[4] = covered
        rows.append(row)
    return rows


def exchange_is_sound(instance: Instance, before: Result, after: Result) -> bool:
    """Nobody worse off than under DA*, and no post holding more teachers than it has seats."""
    places = list(instance.capacities)
    for own in instance.current_post:
        if own is not None:
            places[own] += 1
    held = [0] * instance.n_posts
    for t, (was, now) in enumerate(zip(before.post, after.post, strict=True)):
        if now is not None:
            held[now] += 1
        if now == was:
            continue
        pos, old = after.position[t], before.position[t]
        if now is None or pos is None or instance.prefs[t][pos] != now:
            return False
        if old is not None and pos >= old:
            return False
    return all(h <= p for h, p in zip(held, places, strict=True))


def stats_of(market: Market, computation: Computation) -> dict[str, Any]:
    """The statistics stored with the run and shown in the admin."""
    s = computation.summary
    result = computation.combined
    current = market.instance.current_post
    obligatory = market.obligatory
    n = len(result.post)
    return {
        "participants": n,
        "obligatoires": sum(obligatory),
        "titulaires": sum(1 for c in current if c is not None),
        "satisfaits_par_rang": {str(rank): count for rank, count in s.by_voeu_rank.items()},
        "satisfaits": sum(s.by_voeu_rank.values()),
        "maintenus": s.kept,
        "extensions": s.extended,
        "sans_poste": s.unassigned,
        "obligatoires_sans_poste": sum(1 for t in range(n) if obligatory[t] and result.post[t] is None),
        "mutations": s.movers,
        "entrants": sum(
            1 for t in range(n) if result.post[t] is not None and current[t] is None and not result.extended[t]
        ),
        "postes": market.instance.n_posts,
        "places_connues": sum(market.instance.capacities),
    }
