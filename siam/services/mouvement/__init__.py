"""Running a mouvement: load the campagne in bulk, compute and certify, store the run and every result.

    run_mouvement(*, campagne, by, exchange=False, extension=True, progress=None) -> MouvementRun
        = start_run(...) (checks, records a run « en cours ») + complete_run(run=..., progress=...)
    compare_runs(*, a, b) -> RunComparison
    audit_run(*, run) -> Audit               (re-runs engine and checker on the stored inputs)
    publish_run(*, run, by, exchange=False)  -> siam.services.mouvement.publication

A failed run is kept (statut « échoué », with its French error) and the error re-raised.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siam.calendar import at_or_after
from siam.errors import MouvementError, SiamError
from siam.models import Campagne, CampagneKind, Phase
from siam.models.bareme import TirageDepartage
from siam.models.mouvement import SCORE_SCALE, MouvementResultat, MouvementRun, StatutRun
from siam.mouvement import Extension, Instance, Verdict, assign, check_extension_run, run_with_extension
from siam.mouvement import check as check_result
from siam.services.bareme import extension_totals, voeu_totals
from siam.services.bareme.departage import tiebreak_ranks
from siam.services.mouvement.capacites import check_capacities
from siam.services.mouvement.compute import Computation, compute, stats_of
from siam.services.mouvement.market import Market, build_market, create_missing_postes, load_market, load_participants

if TYPE_CHECKING:
    from accounts.models import Agent

Progress = Callable[[str, int, int], None]
STALE_AFTER = datetime.timedelta(hours=2)  # a run still « en cours » after this was interrupted
BATCH = 2000
SNAPSHOT_VERSION = 1


def run_mouvement(
    *,
    campagne: Campagne,
    by: Agent | None,
    exchange: bool = False,
    extension: bool = True,
    progress: Progress | None = None,
) -> MouvementRun:
    """Compute the mouvement of ``campagne`` from the database and store it as a new run."""
    run = start_run(campagne=campagne, by=by, exchange=exchange, extension=extension)
    complete_run(run=run, progress=progress)
    return run


def start_run(*, campagne: Campagne, by: Agent | None, exchange: bool = False, extension: bool = True) -> MouvementRun:
    """Check that the campagne can be computed and record a run « en cours » (the admin then hands it to a task)."""
    if campagne.kind not in (CampagneKind.INTER, CampagneKind.INTRA):
        raise MouvementError(_("Les postes à profil (SPEN, SPEA) sont pourvus hors barème, sans calcul du mouvement."))
    if not at_or_after(campagne.phase_at(timezone.now()), Phase.CLOTURE):
        raise MouvementError(_("La saisie des vœux n'est pas close\u00a0: le mouvement se calcule après sa fermeture."))
    if campagne.kind == CampagneKind.INTER and extension:
        check_capacities(campagne)
    return _start(campagne, by, exchange=exchange, extension=extension)


def complete_run(*, run: MouvementRun, progress: Progress | None = None) -> MouvementRun:
    """Load, compute, certify and store a started run; on error the run is kept « échoué » with the reason."""
    try:
        with transaction.atomic():  # every write of a run, the posts it creates included, or none
            _run(run, progress)
    except Exception as exc:
        message = exc.message if isinstance(exc, SiamError) else _("Erreur interne\u00a0: %(e)r") % {"e": exc}
        MouvementRun.objects.filter(pk=run.pk).update(
            statut=StatutRun.FAILED, finished_at=timezone.now(), erreur=message
        )
        raise
    return run


def _start(campagne: Campagne, by: Agent | None, *, exchange: bool, extension: bool) -> MouvementRun:
    """A run interrupted long ago is closed « échoué » and the new one recorded, in one transaction (or neither)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            MouvementRun.objects.filter(
                campagne=campagne, statut=StatutRun.RUNNING, started_at__lt=now - STALE_AFTER
            ).update(
                statut=StatutRun.FAILED,
                finished_at=now,
                erreur=_("Interrompu\u00a0: le calcul ne s'est jamais terminé."),
            )
            return MouvementRun.objects.create(
                campagne=campagne, by=by, exchange=exchange, extension=extension, started_at=now
            )
    except IntegrityError:
        raise MouvementError(_("Un mouvement est déjà en cours de calcul pour cette campagne.")) from None


def _run(run: MouvementRun, progress: Progress | None) -> None:
    campagne = run.campagne
    durations: dict[str, float] = {}
    started = time.perf_counter()
    participants = load_participants(campagne)
    created = create_missing_postes(campagne, participants)
    data = load_market(
        campagne,
        participants=participants,
        voeu_totals=voeu_totals(campagne),
        extension_totals=extension_totals(campagne),
        tiebreak=tiebreak_ranks(campagne),
    )
    run.seed = TirageDepartage.objects.filter(campagne=campagne).values_list("seed", flat=True).first() or ""
    durations["chargement"] = time.perf_counter() - started
    _tell(progress, "chargement")
    started = time.perf_counter()
    market = build_market(data, progress)
    durations["expansion"] = time.perf_counter() - started

    computation = compute(
        market,
        extension=run.extension,
        exchange_stage=run.exchange,
        own_post_scores=market.own_post_scores,
        progress=progress,
    )
    durations.update(computation.durations)

    started = time.perf_counter()
    params = _params(run, created, data.table_source)
    # what was created on the way is not an input: two runs on the same data share their fingerprint
    snapshot = snapshot_of(market, computation, params={k: v for k, v in params.items() if k != "postes_crees"})
    _store_resultats(run, market, computation, progress)
    run.statut = StatutRun.DONE
    run.finished_at = timezone.now()
    run.params = params
    run.inputs = snapshot
    run.inputs_sha256 = hashlib.sha256(snapshot).hexdigest()
    run.verdict_ok = computation.verdict.ok
    run.violations = _violations(market, computation.verdict)
    run.violations_total = computation.verdict.total
    run.stats = stats_of(market, computation)
    run.barres = {
        str(market.poste_ids[p]): [b.seats, b.entrants, b.score, b.tiebreak]
        for p, b in enumerate(computation.barres)
        if b.seats or b.entrants
    }
    run.exchange_report = _exchange_report(computation)
    durations["enregistrement"] = time.perf_counter() - started
    run.durations = {stage: round(seconds, 3) for stage, seconds in durations.items()}
    run.save()
    _tell(progress, "enregistrement")


def _tell(progress: Progress | None, stage: str) -> None:
    if progress is not None:
        progress(stage, 1, 1)


def _params(run: MouvementRun, created_postes: int, table_source: str) -> dict[str, Any]:
    return {
        "exchange": run.exchange,
        "extension": run.extension,
        "score_scale": SCORE_SCALE,
        "postes_crees": created_postes,
        "table_extension": table_source,
    }


RESULTAT_COLUMNS = (
    "run_id",
    "demande_id",
    "poste_id",
    "voeu_rang",
    "position",
    "score",
    "kept",
    "extended",
    "why_not",
    "poste_echange_id",
    "voeu_rang_echange",
)


def _store_resultats(run: MouvementRun, market: Market, c: Computation, progress: Progress | None) -> None:
    """Every participant's row, through COPY: a national run writes 30,000 rows in well under a second."""
    result, poste_ids, scores = c.combined, market.poste_ids, market.instance.scores
    after = c.exchange.result if c.exchange is not None else None
    ext = c.extension_run
    ext_index = {t: j for j, t in enumerate(ext.participants)} if ext is not None else {}
    table = MouvementResultat._meta.db_table
    with (
        connection.cursor() as cursor,
        cursor.copy(  # type: ignore[attr-defined]
            f"COPY {table} ({', '.join(RESULTAT_COLUMNS)}) FROM STDIN"
        ) as copy,
    ):
        for t, part in enumerate(market.participants):
            got, pos, extended = result.post[t], result.position[t], result.extended[t]
            score = None  # the barème the post was obtained with: on that voeu, or the extension barème
            if pos is not None:
                score = ext.extension.scores[ext_index[t]][pos] if extended and ext is not None else scores[t][pos]
            exchanged = None if after is None or after.post[t] == got else after
            copy.write_row(
                (
                    run.pk,
                    part.demande_id,
                    _poste(poste_ids, got),
                    None if extended else result.voeu_rank[t],
                    pos,
                    score,
                    result.kept[t],
                    extended,
                    json.dumps(c.explanations[t], separators=(",", ":")),
                    _poste(poste_ids, exchanged.post[t]) if exchanged else None,
                    exchanged.voeu_rank[t] if exchanged else None,
                )
            )
            if progress is not None and (t + 1) % BATCH == 0:
                progress("enregistrement", t + 1, market.instance.n_teachers)


def _poste(poste_ids: Sequence[int], post: int | None) -> int | None:
    return None if post is None else poste_ids[post]


def _violations(market: Market, verdict: Verdict) -> list[dict[str, Any]]:
    return [
        {
            "kind": str(v.kind),
            "demande": None if v.teacher is None else market.participants[v.teacher].demande_id,
            "poste": None if v.post is None or v.post >= len(market.poste_ids) else market.poste_ids[v.post],
            "message": v.message,
        }
        for v in verdict.violations
    ]


def _exchange_report(c: Computation) -> dict[str, Any] | None:
    if c.exchange is None:
        return None
    report = c.exchange.report
    return {
        "movers_before": report.movers_before,
        "movers_after": report.movers_after,
        "more_movers": report.more_movers,
        "improved": report.improved,
        "cycles": report.cycles,
        "rangs_gagnes": report.ranks_gained,
        "rang_moyen_gagne": round(report.average_rank_gained, 2),
        "sound": c.exchange_ok,
    }


# --- the inputs snapshot: enough to re-run and audit -------------------------------


def snapshot_of(market: Market, c: Computation, *, params: dict[str, Any]) -> bytes:
    instance = market.instance
    ext = c.extension_run
    data = {
        "version": SNAPSHOT_VERSION,
        "params": params,
        "postes": market.poste_ids,
        "capacities": list(instance.capacities),
        "demandes": [p.demande_id for p in market.participants],
        "prefs": instance.prefs,
        "scores": instance.scores,
        "voeu_ranks": instance.voeu_ranks,
        "tiebreak": list(instance.tiebreak),
        "current_post": list(instance.current_post),
        "obligatory": market.obligatory,
        "extension": None
        if ext is None
        else {
            "participants": list(ext.participants),
            "prefs": [list(p) for p in ext.extension.prefs],
            "scores": [s[0] if s else None for s in ext.extension.scores],
        },
    }
    return gzip.compress(json.dumps(data, separators=(",", ":")).encode(), compresslevel=1, mtime=0)


def load_snapshot(blob: bytes) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(gzip.decompress(blob))
    if data.get("version") != SNAPSHOT_VERSION:
        raise MouvementError(_("Instantané d'une version inconnue\u00a0: %(v)s.") % {"v": data.get("version")})
    return data


@dataclass(frozen=True)
class Audit:
    verdict: Verdict
    participants: int
    differences: int  # stored results that the re-run does not reproduce
    sha256_ok: bool


def audit_run(*, run: MouvementRun) -> Audit:
    """Re-run DA* (and the extension) on the stored inputs, certify, and compare with the stored results."""
    if run.inputs is None:
        raise MouvementError(_("Ce run n'a pas de données d'entrée enregistrées."))
    blob = bytes(run.inputs)
    data = load_snapshot(blob)
    instance = Instance(
        data["capacities"], data["prefs"], data["scores"], data["tiebreak"], data["current_post"], data["voeu_ranks"]
    )
    ext = data["extension"]
    if ext is not None:
        lists = {t: Extension(p, s) for t, p, s in zip(ext["participants"], ext["prefs"], ext["scores"], strict=True)}
        ext_run = run_with_extension(instance, data["obligatory"], lists.__getitem__)
        result, verdict = ext_run.combined, check_extension_run(instance, data["obligatory"], ext_run)
    else:
        result = assign(instance)
        verdict = check_result(instance, result)
    postes: Sequence[int] = data["postes"]
    expected = {
        demande: (None if result.post[t] is None else postes[result.post[t]], result.kept[t], result.extended[t])  # type: ignore[index]
        for t, demande in enumerate(data["demandes"])
    }
    stored = MouvementResultat.objects.filter(run=run).values_list("demande_id", "poste_id", "kept", "extended")
    differences = sum(1 for d, p, k, e in stored if expected.get(d) != (p, k, e))
    differences += len(expected) - len(stored)
    return Audit(verdict, len(expected), differences, hashlib.sha256(blob).hexdigest() == run.inputs_sha256)


# --- comparing two runs -------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    demande_id: int
    before: tuple[int | None, int | None, bool, bool]  # poste, voeu rang, kept, extended
    after: tuple[int | None, int | None, bool, bool]


@dataclass(frozen=True)
class RunComparison:
    a: MouvementRun
    b: MouvementRun
    changed: int
    only_a: int
    only_b: int
    sample: list[Change]
    stats: list[tuple[str, Any, Any]]  # (statistic, in a, in b)


STAT_LABELS = (
    ("participants", gettext_lazy("participants")),
    ("satisfaits", gettext_lazy("satisfaits sur un vœu")),
    ("maintenus", gettext_lazy("maintenus sur leur poste")),
    ("extensions", gettext_lazy("affectés en extension")),
    ("sans_poste", gettext_lazy("sans poste")),
    ("obligatoires_sans_poste", gettext_lazy("obligatoires sans poste")),
    ("mutations", gettext_lazy("titulaires mutés")),
    ("entrants", gettext_lazy("entrants affectés")),
)


EXCHANGE_LABELS = (
    ("movers_after", gettext_lazy("titulaires mutés après les échanges")),
    ("improved", gettext_lazy("mieux affectés par les échanges")),
    ("cycles", gettext_lazy("échanges (cycles)")),
    ("rang_moyen_gagne", gettext_lazy("rang de vœu gagné en moyenne")),
)


def compare_runs(*, a: MouvementRun, b: MouvementRun, sample: int = 50) -> RunComparison:
    """Who obtains something else in ``b`` than in ``a`` (two queries)."""

    def outcomes(run: MouvementRun) -> dict[int, tuple[int | None, int | None, bool, bool]]:
        rows = MouvementResultat.objects.filter(run=run).order_by("demande_id")
        return {
            d: (p, r, k, e)
            for d, p, r, k, e in rows.values_list("demande_id", "poste_id", "voeu_rang", "kept", "extended")
        }

    before, after = outcomes(a), outcomes(b)
    changes = [Change(d, before[d], after[d]) for d in sorted(before.keys() & after.keys()) if before[d] != after[d]]
    stats = [(str(label), a.stats.get(key), b.stats.get(key)) for key, label in STAT_LABELS]
    stats += [
        (str(label), (a.exchange_report or {}).get(key), (b.exchange_report or {}).get(key))
        for key, label in EXCHANGE_LABELS
    ]
    return RunComparison(
        a,
        b,
        len(changes),
        len(before.keys() - after.keys()),
        len(after.keys() - before.keys()),
        changes[:sample],
        stats,
    )
