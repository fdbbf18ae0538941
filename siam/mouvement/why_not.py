"""The explanation a teacher reads: the barre of each voeu they did not get.

For a post, the barre is the priority of the last entrant admitted: the
lowest barème among those who entered (then their tie-break). Every voeu a
teacher ranked above their result was full when the run ended, with a barre
above their own barème on that voeu, or equal to it with a better tie-break,
or had no seat at all opening to entrants; DA* guarantees nothing else can
happen, so anything else is reported as an error rather than explained.

Compute barres on the result of the voeux (``ExtensionRun.first`` when there
is an extension): the extension fills only seats nobody wanted on a voeu.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from siam.mouvement.engine import Instance, Result


class Reason(StrEnum):
    NO_SEAT = "aucune place ne s'est libérée"
    BELOW_BARRE = "barème inférieur à la barre"
    TIE_LOST = "barème égal à la barre, départagé par l'ordre publié"


@dataclass(frozen=True, slots=True)
class Barre:
    """How a post closed: its seats for entrants and who entered last."""

    seats: int  # known vacancies + seats freed by the tenured who left
    entrants: int
    score: int | None  # barème of the last entrant admitted; None without entrant
    tiebreak: int | None

    @property
    def full(self) -> bool:
        return self.entrants >= self.seats


@dataclass(frozen=True, slots=True)
class WhyNot:
    """One line of a teacher's explanation."""

    position: int
    voeu_rank: int
    post: int
    score: int
    barre: Barre
    reason: Reason


def barres(instance: Instance, result: Result) -> tuple[Barre, ...]:
    """The barre of every post, from the result of the voeux."""
    if any(result.extended):
        raise ValueError("compute barres on the result of the voeux, before extension")
    m = instance.n_posts
    seats = list(instance.capacities)
    entrants = [0] * m
    last: list[tuple[int, int] | None] = [None] * m  # (score, tiebreak) of the weakest entrant
    for t, own in enumerate(instance.current_post):
        got = result.post[t]
        if own is not None and got != own:
            seats[own] += 1
        if got is None or result.kept[t]:
            continue
        pos = result.position[t]
        if pos is None:
            raise ValueError(f"teacher {t} holds post {got} without a list position")
        entrants[got] += 1
        score, tiebreak = instance.scores[t][pos], instance.tiebreak[t]
        weakest = last[got]
        # Lower barème is weaker; at equal barème, the later in the tie-break order.
        if weakest is None or score < weakest[0] or (score == weakest[0] and tiebreak > weakest[1]):
            last[got] = (score, tiebreak)
    return tuple(
        Barre(seats[p], entrants[p], None, None)
        if weakest is None
        else Barre(seats[p], entrants[p], weakest[0], weakest[1])
        for p, weakest in enumerate(last)
    )


def why_not(instance: Instance, result: Result, post_barres: tuple[Barre, ...], teacher: int) -> tuple[WhyNot, ...]:
    """Lines for every list entry the teacher preferred to their result."""
    posts, scores = instance.prefs[teacher], instance.scores[teacher]
    own = instance.current_post[teacher]
    pos = result.position[teacher]
    if result.extended[teacher]:
        bound = len(posts)  # none of their voeux: the whole list is explained
    elif result.post[teacher] is not None and not result.kept[teacher] and pos is not None:
        bound = pos
    elif own is not None and own in posts:
        bound = posts.index(own)
    else:
        bound = len(posts)
    return tuple(_line(instance, teacher, j, posts[j], scores[j], post_barres[posts[j]]) for j in range(bound))


def _line(instance: Instance, teacher: int, j: int, post: int, score: int, barre: Barre) -> WhyNot:
    if not barre.full:
        raise ValueError(f"post {post} had a free seat: the result is not stable")
    if barre.score is None or barre.tiebreak is None:
        reason = Reason.NO_SEAT
    elif score < barre.score:
        reason = Reason.BELOW_BARRE
    elif score == barre.score and instance.tiebreak[teacher] > barre.tiebreak:
        reason = Reason.TIE_LOST
    else:
        raise ValueError(f"teacher {teacher} out-ranks the barre of post {post}: not stable")
    return WhyNot(j, instance.voeu_rank(teacher, j), post, score, barre, reason)
