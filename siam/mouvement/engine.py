"""DA*: teacher-proposing deferred acceptance with tenured teachers protected.

Every post keeps a "pile" ranked by the barème its candidates have on it;
candidates propose down their list in order; a candidate held at voeu k is
only ever displaced by a stronger one and then tries voeu k + 1. Tenured
teachers hold one implicit seat at their own post, where they rank first, so
their list is cut just after it: they leave only for something better, and
the seat they release is offered again in the same run (the chains of moves
the rectorats call "postes libérés").

Priorities are encoded as plain ints so that the per-post piles are heaps of
ints: ``key = score * n + strength`` where ``strength`` (0 … n-1, higher
wins) comes from the published tie-break order, so no two keys are equal and
the key alone tells who holds it.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain


@dataclass(frozen=True, slots=True)
class Instance:
    """One mouvement, after expansion of large voeux, as flat sequences.

    Teachers and posts are indices. ``prefs[t]`` lists the posts of teacher
    ``t`` best first; ``scores[t][i]`` is their barème (in hundredths, higher
    is better) on ``prefs[t][i]``; ``voeu_ranks[t][i]`` is the 1-based rank
    of the voeu that position came from (several posts may come from one
    large voeu; ``None`` means every position is its own voeu, as at the
    inter). ``tiebreak[t]`` is the teacher's place in the published tie-break
    order (lower wins, all distinct). ``capacities[p]`` counts known
    vacancies only: the seat of each tenured teacher (``current_post``) is
    added by the engine. Sequences are used as given, never copied.
    """

    capacities: Sequence[int]
    prefs: Sequence[Sequence[int]]
    scores: Sequence[Sequence[int]]
    tiebreak: Sequence[int]
    current_post: Sequence[int | None]
    voeu_ranks: Sequence[Sequence[int]] | None = None

    @property
    def n_teachers(self) -> int:
        return len(self.prefs)

    @property
    def n_posts(self) -> int:
        return len(self.capacities)

    def voeu_rank(self, teacher: int, position: int) -> int:
        if self.voeu_ranks is None:
            return position + 1
        return self.voeu_ranks[teacher][position]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one teacher obtained."""

    post: int | None
    position: int | None
    voeu_rank: int | None
    kept: bool
    extended: bool


@dataclass(frozen=True, slots=True)
class Result:
    """Per teacher: the post obtained, where it sits on their list, and how.

    ``position`` indexes the teacher's list (their extension list when
    ``extended``); it is ``None`` when nothing was obtained and when a
    tenured teacher keeps a post they had not listed. ``voeu_rank`` is the
    rank of the voeu obtained (``None`` for kept-unlisted and extended).
    """

    post: tuple[int | None, ...]
    position: tuple[int | None, ...]
    voeu_rank: tuple[int | None, ...]
    kept: tuple[bool, ...]
    extended: tuple[bool, ...]

    def outcome(self, teacher: int) -> Outcome:
        return Outcome(
            post=self.post[teacher],
            position=self.position[teacher],
            voeu_rank=self.voeu_rank[teacher],
            kept=self.kept[teacher],
            extended=self.extended[teacher],
        )


@dataclass(frozen=True, slots=True)
class Summary:
    """The statistics stored with a run."""

    by_voeu_rank: dict[int, int]
    kept: int
    extended: int
    unassigned: int
    movers: int


def validate(instance: Instance) -> None:
    """Raise ``ValueError`` on an instance the engine cannot run on.

    Bulk checks run in C over all lists at once (this costs less than the
    engine itself on the national inter); a per-teacher scan only runs to
    name the culprit once something is known to be wrong.
    """
    n, m = instance.n_teachers, instance.n_posts
    prefs = instance.prefs
    sizes = {
        "scores": len(instance.scores),
        "tiebreak": len(instance.tiebreak),
        "current_post": len(instance.current_post),
    }
    if instance.voeu_ranks is not None:
        sizes["voeu_ranks"] = len(instance.voeu_ranks)
    for name, size in sizes.items():
        if size != n:
            raise ValueError(f"{name} has {size} rows for {n} teachers")
    if min(instance.capacities, default=0) < 0:
        raise ValueError("capacities must be non-negative")
    if len(set(instance.tiebreak)) != n:
        raise ValueError("tie-break values must be distinct")
    lengths = list(map(len, prefs))
    for name, rows in (("scores", instance.scores), ("voeu ranks", instance.voeu_ranks)):
        if rows is not None and (row_lengths := list(map(len, rows))) != lengths:
            t = _first(n, lambda t: row_lengths[t] != lengths[t])
            raise ValueError(f"teacher {t}: list and {name} differ in length")
    if any(lengths) and (min(chain.from_iterable(prefs)) < 0 or max(chain.from_iterable(prefs)) >= m):
        t = _first(n, lambda t: any(not 0 <= p < m for p in prefs[t]))
        raise ValueError(f"teacher {t}: post index out of range")
    if sum(map(len, map(set, prefs))) != sum(lengths):
        t = _first(n, lambda t: len(set(prefs[t])) != lengths[t])
        raise ValueError(f"teacher {t}: a post is listed twice")
    owns = [own for own in instance.current_post if own is not None]
    if owns and (min(owns) < 0 or max(owns) >= m):
        t = _first(n, lambda t: instance.current_post[t] not in (None, *range(m)))
        raise ValueError(f"teacher {t}: current post out of range")


def _first(n: int, wrong: Callable[[int], bool]) -> int:
    return next(t for t in range(n) if wrong(t))


def strengths(tiebreak: Sequence[int]) -> list[int]:
    """Map the published tie-break (lower wins) to 0 … n-1 (higher wins)."""
    n = len(tiebreak)
    strength = [0] * n
    for place, teacher in enumerate(sorted(range(n), key=tiebreak.__getitem__)):
        strength[teacher] = n - 1 - place
    return strength


def own_positions(instance: Instance) -> list[int]:
    """Index of each tenured teacher's own post on their list, else -1."""
    found = [-1] * instance.n_teachers
    for t, own in enumerate(instance.current_post):
        if own is not None:
            posts = instance.prefs[t]
            if own in posts:
                found[t] = posts.index(own)
    return found


def assign(instance: Instance, *, check_input: bool = True) -> Result:
    """Run DA* and return the teacher-optimal stable assignment.

    The outcome does not depend on the order in which teachers are given,
    because with strict priorities deferred acceptance has a unique
    teacher-optimal stable result whatever the proposal order.
    """
    if check_input:
        validate(instance)
    n = instance.n_teachers
    prefs, scores, current = instance.prefs, instance.scores, instance.current_post
    strength = strengths(instance.tiebreak)
    holder_of = [0] * n  # strength -> teacher, to decode heap keys
    for t, s in enumerate(strength):
        holder_of[s] = t

    own_at = own_positions(instance)
    # A tenured teacher proposes down to just before their own post, then
    # falls back on the seat reserved for them there (listed there or not).
    end = [len(pl) for pl in prefs]
    seats = list(instance.capacities)
    for t, own in enumerate(current):
        if own is not None:
            seats[own] += 1
            if own_at[t] >= 0:
                end[t] = own_at[t]

    # Piles hold entrants only: keepers rank first at their post, so they
    # just take a seat and are never compared with anybody.
    piles: list[list[int]] = [[] for _ in seats]
    # floor[p]: what a key must beat to get in. -inf while a seat is left,
    # then the weakest entrant, +inf once no seat and no entrant remain.
    # One comparison rejects most proposals without touching the pile.
    floor: list[float] = [-math.inf if free else math.inf for free in seats]
    nxt = [0] * n
    kept = [False] * n
    push, replace, pop = heapq.heappush, heapq.heapreplace, heapq.heappop
    for first in range(n):
        t = first
        while t >= 0:
            posts, sc, s = prefs[t], scores[t], strength[t]
            bumped = -1
            for i in range(nxt[t], end[t]):
                p = posts[i]
                key = sc[i] * n + s
                if key > floor[p]:
                    pile = piles[p]
                    if seats[p]:
                        push(pile, key)
                        seats[p] -= 1
                        if not seats[p]:
                            floor[p] = pile[0]
                    else:
                        bumped = holder_of[replace(pile, key) % n]
                        floor[p] = pile[0]
                    nxt[t] = i + 1
                    break
            else:
                nxt[t] = end[t]
                own = current[t]
                if own is not None:
                    kept[t] = True
                    pile = piles[own]
                    if seats[own]:
                        seats[own] -= 1
                    else:
                        # Full: the reserved seat is held by an entrant, who goes.
                        bumped = holder_of[pop(pile) % n]
                    if not seats[own]:
                        floor[own] = pile[0] if pile else math.inf
            t = bumped

    return _collect(instance, piles, nxt, own_at, holder_of, kept)


def _collect(
    instance: Instance,
    piles: list[list[int]],
    nxt: list[int],
    own_at: list[int],
    holder_of: list[int],
    kept: list[bool],
) -> Result:
    n = instance.n_teachers
    post: list[int | None] = [None] * n
    position: list[int | None] = [None] * n
    rank: list[int | None] = [None] * n
    for p, pile in enumerate(piles):
        for key in pile:
            t = holder_of[key % n]
            post[t] = p
            position[t] = nxt[t] - 1
            rank[t] = instance.voeu_rank(t, nxt[t] - 1)
    for t, own in enumerate(instance.current_post):
        if kept[t]:
            post[t] = own
            if own_at[t] >= 0:
                position[t] = own_at[t]
                rank[t] = instance.voeu_rank(t, own_at[t])
    return Result(tuple(post), tuple(position), tuple(rank), tuple(kept), (False,) * n)


def summarize(instance: Instance, result: Result) -> Summary:
    """Satisfied per voeu rank, kept, extended, unassigned and movers."""
    by_rank = Counter(r for r, k in zip(result.voeu_rank, result.kept, strict=True) if r is not None and not k)
    movers = sum(
        1
        for own, got in zip(instance.current_post, result.post, strict=True)
        if own is not None and got is not None and got != own
    )
    return Summary(
        by_voeu_rank=dict(sorted(by_rank.items())),
        kept=sum(result.kept),
        extended=sum(result.extended),
        unassigned=sum(1 for p in result.post if p is None),
        movers=movers,
    )
