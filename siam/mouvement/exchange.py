"""Block exchanges after DA*, in the spirit of Combe–Tercieux–Terrier's TO-BE.

DA* protects a tenured teacher by ranking them first at their own post. A
swap two teachers both want still goes through, unless somebody else ranks
above one of them on the other's post: that claim can never be met (the
post frees only if its holder leaves) yet it sends the teacher home, and
the swap is lost (Combe, Tercieux & Terrier 2022). This stage starts from
the DA* assignment and runs top trading cycles among assigned teachers:

* a teacher points at their best listed post, strictly better than what they
  hold, whose weakest remaining holder they out-rank there (barème on that
  voeu, then the tie-break); that holder is the one who would leave;
* a cycle of pointers is an exchange: everyone in it strictly gains, and
  every post gets a teacher ranking above the one leaving it (the "school
  rule"); its members are then settled at their new posts;
* a teacher with nothing to point at is settled where they are.

Holders only ever leave the market, so a post's weakest remaining holder
only rises and a teacher's pointer only moves down their list: the whole
stage is one pass over the lists. Teachers start from the best tie-break,
so the outcome does not depend on the order they are given in. A holder is
ranked at their post by the barème they hold it with; for a tenured teacher
keeping an unlisted post, ``own_post_score`` gives it (by default their
highest barème, the cautious choice: it makes them the hardest to replace).
Extended participants take no part. The outcome is a simulation to compare
with DA*, not a stable assignment.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from siam.mouvement.engine import Instance, Result, strengths


@dataclass(frozen=True, slots=True)
class Move:
    teacher: int
    from_post: int
    to_post: int
    replaces: int  # the teacher who leaves ``to_post`` in the same cycle


@dataclass(frozen=True, slots=True)
class ExchangeReport:
    movers_before: int  # tenured teachers who left their post under DA*
    movers_after: int
    improved: int  # teachers strictly better off after the exchanges
    cycles: int
    ranks_gained: int = 0  # voeu ranks gained, summed over the improved (an unlisted own post ranks after the list)

    @property
    def average_rank_gained(self) -> float:
        return self.ranks_gained / self.improved if self.improved else 0.0

    @property
    def more_movers(self) -> int:
        return self.movers_after - self.movers_before


@dataclass(frozen=True, slots=True)
class ExchangeOutcome:
    result: Result
    cycles: tuple[tuple[Move, ...], ...]
    report: ExchangeReport


def incumbent_scores(
    instance: Instance, result: Result, own_post_score: Sequence[int | None] | None = None
) -> list[int | None]:
    """The barème each assigned teacher holds their post with (else None)."""
    held: list[int | None] = [None] * instance.n_teachers
    for t, got in enumerate(result.post):
        if got is None or result.extended[t]:  # an extended position indexes the extension list, not prefs
            continue
        pos = result.position[t]
        if pos is not None:
            held[t] = instance.scores[t][pos]
        elif own_post_score is not None and own_post_score[t] is not None:
            held[t] = own_post_score[t]
        else:
            held[t] = max(instance.scores[t], default=0)
    return held


def exchange(
    instance: Instance, result: Result, *, own_post_score: Sequence[int | None] | None = None
) -> ExchangeOutcome:
    """Run the block exchanges from ``result`` and compare with it."""
    market = _Market(instance, result, incumbent_scores(instance, result, own_post_score))
    cycles = market.trade()
    post, position, rank = list(result.post), list(result.position), list(result.voeu_rank)
    for cycle in cycles:
        for move in cycle:
            t = move.teacher
            post[t], position[t] = move.to_post, market.pointer[t]
            rank[t] = instance.voeu_rank(t, market.pointer[t])
    kept = tuple(p is not None and p == own for p, own in zip(post, instance.current_post, strict=True))
    after = Result(tuple(post), tuple(position), tuple(rank), kept, result.extended)
    return ExchangeOutcome(after, tuple(cycles), compare(instance, result, after, cycles))


class _Market:
    """Assigned teachers still free to trade, and the posts they hold.

    Priorities are ints as in the engine (``score * n + strength``); each
    post keeps a min-heap of its tradeable holders, so its weakest holder is
    on top; settled holders are dropped from the top lazily.
    """

    def __init__(self, instance: Instance, result: Result, held: Sequence[int | None]) -> None:
        n = self.n = instance.n_teachers
        self.prefs, self.scores = instance.prefs, instance.scores
        self.strength = strengths(instance.tiebreak)
        self.holder_of = [0] * n
        for t, s in enumerate(self.strength):
            self.holder_of[s] = t
        self.holding = [-1] * n
        # How far down their list a teacher may look: strictly above what they hold.
        self.limit = [len(posts) for posts in self.prefs]
        self.piles: list[list[int]] = [[] for _ in range(instance.n_posts)]
        self.active = [False] * n
        for t, got in enumerate(result.post):
            score, pos = held[t], result.position[t]
            if pos is not None:
                self.limit[t] = pos
            if got is not None and score is not None and not result.extended[t]:
                self.holding[t] = got
                self.piles[got].append(score * n + self.strength[t])
                self.active[t] = True
        for pile in self.piles:
            heapq.heapify(pile)
        self.pointer = [0] * n
        self.target = [-1] * n

    def weakest_out_ranked(self, t: int) -> int:
        """Advance t's pointer to a post they gain on; return who would leave it, or -1."""
        n, posts, scores, s = self.n, self.prefs[t], self.scores[t], self.strength[t]
        j = self.pointer[t]
        while j < self.limit[t]:
            pile = self.piles[posts[j]]
            while pile and not self.active[self.holder_of[pile[0] % n]]:
                heapq.heappop(pile)
            if pile and scores[j] * n + s > pile[0]:
                self.pointer[t], self.target[t] = j, posts[j]
                return self.holder_of[pile[0] % n]
            j += 1
        self.pointer[t] = j
        return -1

    def trade(self) -> list[tuple[Move, ...]]:
        """Follow pointers from each teacher, best tie-break first; settle cycles."""
        cycles: list[tuple[Move, ...]] = []
        on_path = [False] * self.n
        starts = sorted((t for t in range(self.n) if self.active[t]), key=self.strength.__getitem__, reverse=True)
        for start in starts:
            path = [start] if self.active[start] else []
            for t in path:
                on_path[t] = True
            while path:
                u = self.weakest_out_ranked(path[-1])
                if u < 0:  # nothing to gain any more: settled where they are
                    self.active[path[-1]] = on_path[path[-1]] = False
                    path.pop()
                elif on_path[u]:
                    cycle = path[path.index(u) :]
                    del path[len(path) - len(cycle) :]
                    cycles.append(self.settle(cycle))
                    for c in cycle:
                        on_path[c] = False
                else:
                    path.append(u)
                    on_path[u] = True
        return cycles

    def settle(self, cycle: Sequence[int]) -> tuple[Move, ...]:
        """Each takes the post of the next, who leaves it; all leave the market."""
        for c in cycle:
            self.active[c] = False
        return tuple(Move(c, self.holding[c], self.target[c], cycle[(i + 1) % len(cycle)]) for i, c in enumerate(cycle))


def compare(instance: Instance, before: Result, after: Result, cycles: Sequence[tuple[Move, ...]]) -> ExchangeReport:
    """How many more teachers move, and how many are better off."""

    def movers(r: Result) -> int:
        return sum(
            1
            for own, got in zip(instance.current_post, r.post, strict=True)
            if own is not None and got is not None and got != own
        )

    def rank(r: Result, t: int) -> int:
        got = r.voeu_rank[t]
        if got is not None:
            return got
        last = len(instance.prefs[t]) - 1  # kept without listing it: just after the last voeu
        return instance.voeu_rank(t, last) + 1 if last >= 0 else 1

    gained = sum(rank(before, m.teacher) - rank(after, m.teacher) for cycle in cycles for m in cycle)
    return ExchangeReport(movers(before), movers(after), sum(map(len, cycles)), len(cycles), gained)
