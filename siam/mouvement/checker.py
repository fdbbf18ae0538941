"""An independent certificate for a mouvement result.

Written apart from the engine on purpose: it shares no code with it (no
priority encoding, no piles) and re-derives everything from the instance and
the published result, so a bug in one is unlikely to hide in the other.
It verifies that the result is feasible (one post per teacher, by the shape
of ``Result``; posts taken from the teacher's list; capacities counting the
seats freed by movers), that tenured teachers are never worse off, and that
it is stable: no teacher prefers a post that had a free seat, or that holds
an entrant they out-rank there (barème on that voeu, then the published
tie-break). Tenured teachers rank first at their own post, so they never
make a seat contestable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from siam.mouvement.engine import Instance, Result
from siam.mouvement.extension import ExtensionRun


class Kind(StrEnum):
    SHAPE = "forme"
    INCONSISTENT = "incohérence"
    NOT_LISTED = "poste non demandé"
    CAPACITY = "capacité dépassée"
    TENURED_WORSE = "titulaire lésé"
    BLOCKING_PAIR = "paire bloquante"
    EXTENSION = "extension"


@dataclass(frozen=True, slots=True)
class Violation:
    kind: Kind
    teacher: int | None
    post: int | None
    message: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """``violations`` keeps the first ones found; ``total`` counts them all."""

    violations: tuple[Violation, ...]
    total: int

    @property
    def ok(self) -> bool:
        return self.total == 0


@dataclass
class _Findings:
    limit: int
    kept: list[Violation] = field(default_factory=list)
    total: int = 0

    def add(self, kind: Kind, teacher: int | None, post: int | None, message: str) -> None:
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append(Violation(kind, teacher, post, message))

    def verdict(self) -> Verdict:
        return Verdict(tuple(self.kept), self.total)


def check(instance: Instance, result: Result, *, limit: int = 100) -> Verdict:
    """Certify a DA* result on ``instance`` (not an extended or exchanged one)."""
    found = _Findings(limit)
    n = len(instance.prefs)
    fields = (result.post, result.position, result.voeu_rank, result.kept, result.extended)
    if any(len(f) != n for f in fields):
        found.add(Kind.SHAPE, None, None, f"Le résultat ne compte pas {n} enseignants.")
        return found.verdict()
    bounds = [_check_teacher(instance, result, t, found) for t in range(n)]
    free, cut_score, cut_tiebreak, cut_holder = _seats(instance, result, found)
    tiebreak = instance.tiebreak
    for t, bound in enumerate(bounds):
        posts, scores, tb = instance.prefs[t], instance.scores[t], tiebreak[t]
        for j in range(bound):
            p = posts[j]
            s = scores[j]
            if s > cut_score[p] or (s == cut_score[p] and tb < cut_tiebreak[p]):
                reason = "où une place reste libre" if free[p] else f"où il devance l'entrant {cut_holder[p]}"
                found.add(
                    Kind.BLOCKING_PAIR,
                    t,
                    p,
                    f"Enseignant {t} : préfère le poste {p} (position {j + 1} de sa liste) {reason}.",
                )
    return found.verdict()


def _check_teacher(instance: Instance, result: Result, t: int, found: _Findings) -> int:
    """Check one teacher's slot; return how far down their list they prefer."""
    posts = instance.prefs[t]
    own = instance.current_post[t]
    cut = len(posts) if own is None or own not in posts else posts.index(own)
    got, pos, kept = result.post[t], result.position[t], result.kept[t]
    if result.extended[t]:
        found.add(Kind.INCONSISTENT, t, got, f"Enseignant {t} : résultat d'extension, vérifier la run entière.")
        return cut
    if got is None:
        if own is not None:
            found.add(Kind.TENURED_WORSE, t, own, f"Enseignant {t} : titulaire, perd son poste {own}.")
        if pos is not None or kept or result.voeu_rank[t] is not None:
            found.add(Kind.INCONSISTENT, t, None, f"Enseignant {t} : sans poste mais avec un rang.")
        return cut
    if not 0 <= got < len(instance.capacities):
        found.add(Kind.SHAPE, t, got, f"Enseignant {t} : poste {got} inexistant.")
        return 0
    if kept != (got == own):
        found.add(Kind.INCONSISTENT, t, got, f"Enseignant {t} : « maintenu » ne correspond pas au poste.")
    if got == own:
        expected = None if cut == len(posts) else cut
        if pos != expected:
            found.add(Kind.INCONSISTENT, t, got, f"Enseignant {t} : rang de son propre poste erroné.")
        # kept on a listed post: the rank of that voeu; kept without listing it: no rank at all
        rank = (
            None
            if expected is None
            else expected + 1
            if instance.voeu_ranks is None
            else instance.voeu_ranks[t][expected]
        )
        if result.voeu_rank[t] != rank:
            found.add(Kind.INCONSISTENT, t, got, f"Enseignant {t} : rang de vœu erroné sur son propre poste.")
        return cut
    if pos is None or not 0 <= pos < len(posts) or posts[pos] != got:
        found.add(Kind.NOT_LISTED, t, got, f"Enseignant {t} : affecté au poste {got} hors de sa liste.")
        return cut
    if pos > cut:
        found.add(Kind.TENURED_WORSE, t, got, f"Enseignant {t} : le poste {got} est après son propre poste.")
    expected_rank = pos + 1 if instance.voeu_ranks is None else instance.voeu_ranks[t][pos]
    if result.voeu_rank[t] != expected_rank:
        found.add(Kind.INCONSISTENT, t, got, f"Enseignant {t} : rang de vœu erroné.")
    return min(pos, cut)


def _seats(
    instance: Instance, result: Result, found: _Findings
) -> tuple[list[bool], list[float], list[float], list[int | None]]:
    """Per post: a seat left? and the weakest entrant (barème, tie-break, who).

    A post with a free seat gets a cut-off of minus infinity (anybody who
    prefers it blocks); a full post without entrants plus infinity.
    """
    m = len(instance.capacities)
    places = list(instance.capacities)
    for own in instance.current_post:
        if own is not None:
            places[own] += 1
    held = [0] * m
    cut_score = [math.inf] * m
    cut_tiebreak = [-math.inf] * m
    cut_holder: list[int | None] = [None] * m
    for t, got in enumerate(result.post):
        if got is None or not 0 <= got < m:
            continue
        held[got] += 1
        pos = result.position[t]
        posts = instance.prefs[t]
        if got == instance.current_post[t] or pos is None or not 0 <= pos < len(posts) or posts[pos] != got:
            continue  # keepers rank first; bad positions are reported already
        s, tb = instance.scores[t][pos], instance.tiebreak[t]
        if s < cut_score[got] or (s == cut_score[got] and tb > cut_tiebreak[got]):
            cut_score[got], cut_tiebreak[got], cut_holder[got] = s, tb, t
    free = [False] * m
    for p in range(m):
        if held[p] > places[p]:
            found.add(
                Kind.CAPACITY,
                None,
                p,
                f"Poste {p} : {held[p]} affectés pour {places[p]} places (vacances connues et postes des titulaires).",
            )
        elif held[p] < places[p]:
            free[p] = True
            cut_score[p], cut_tiebreak[p] = -math.inf, math.inf
    return free, cut_score, cut_tiebreak, cut_holder


def check_extension_run(
    instance: Instance, obligatory: Sequence[bool], run: ExtensionRun, *, limit: int = 100
) -> Verdict:
    """Certify both passes of an extension run and their combination."""
    found = _Findings(limit)
    if len(obligatory) != len(instance.prefs):
        found.add(Kind.SHAPE, None, None, "Il faut un indicateur « obligatoire » par enseignant.")
        return found.verdict()
    first = check(instance, run.first, limit=limit)
    for v in first.violations:
        found.add(v.kind, v.teacher, v.post, v.message)
    found.total += first.total - len(first.violations)
    n, m = len(instance.prefs), len(instance.capacities)
    k = len(run.participants)
    if any(len(r.post) != n for r in (run.first, run.combined)) or k != len(run.second.post):
        found.add(Kind.SHAPE, None, None, "Les deux passes ne couvrent pas les mêmes enseignants.")
        return found.verdict()
    sent = set(run.participants)
    for t in range(n):
        due = obligatory[t] and run.first.post[t] is None and instance.current_post[t] is None
        if due != (t in sent):
            found.add(Kind.EXTENSION, t, None, f"Enseignant {t} : envoi en extension injustifié ou oublié.")

    residual = list(instance.capacities)
    for own, got in zip(instance.current_post, run.first.post, strict=True):
        if own is not None:
            residual[own] += 1
        if got is not None and 0 <= got < m:
            residual[got] -= 1
    if list(run.extension.capacities) != residual:
        found.add(Kind.EXTENSION, None, None, "Les places offertes en extension ne sont pas les places restantes.")
    if [instance.tiebreak[t] for t in run.participants] != list(run.extension.tiebreak):
        found.add(Kind.EXTENSION, None, None, "L'ordre de départage de l'extension diffère.")

    second = check(run.extension, run.second, limit=limit)
    for v in second.violations:
        teacher = None if v.teacher is None else run.participants[v.teacher]
        found.add(v.kind, teacher, v.post, f"Extension — {v.message}")
    found.total += second.total - len(second.violations)

    _check_combination(instance, run, found, m)
    return found.verdict()


def _check_combination(instance: Instance, run: ExtensionRun, found: _Findings, m: int) -> None:
    combined, first = run.combined, run.first
    by_participant = {t: j for j, t in enumerate(run.participants)}
    for t in range(len(instance.prefs)):
        j = by_participant.get(t)
        if j is None:
            same = (combined.post[t], combined.position[t], combined.extended[t]) == (
                first.post[t],
                first.position[t],
                False,
            )
        else:
            got = run.second.post[j]
            same = (combined.post[t], combined.position[t], combined.extended[t]) == (
                got,
                run.second.position[j],
                got is not None,
            )
        if not same:
            found.add(Kind.EXTENSION, t, combined.post[t], f"Enseignant {t} : résultat combiné erroné.")
    places = list(instance.capacities)
    for own in instance.current_post:
        if own is not None:
            places[own] += 1
    held = [0] * m
    for got in combined.post:
        if got is not None and 0 <= got < m:
            held[got] += 1
    for p in range(m):
        if held[p] > places[p]:
            found.add(Kind.CAPACITY, None, p, f"Poste {p} : {held[p]} affectés pour {places[p]} places.")
