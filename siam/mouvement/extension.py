"""The procédure d'extension, run as a second pass after every voeu.

Rectorats examine all voeux of all participants first; only then do the
obligatory participants left with nothing go to extension, on what is still
free. We do the same: pass 1 is DA* on the voeux alone and is final for
everyone it placed; pass 2 is DA* among the participants sent to extension,
on their extension lists and extension barème, over the seats pass 1 left
free (known vacancies plus seats freed by movers, minus entrants). So an
extended participant never displaces somebody who obtained a voeu, whatever
their barèmes, and the results of the others are those of pass 1 exactly.

Re-running DA* with the extension lists appended instead would let a
participant with a high base barème push out, on their extension, a teacher
who had obtained that post as a voeu, who could then fall to extension in
turn; the outcome would be stable for the extended priorities but would not
be "extension after the voeux". Each pass is certified on its own instance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from siam.mouvement.engine import Instance, Result, assign


@dataclass(frozen=True, slots=True)
class Extension:
    """One participant's extension list and the barème used on all of it."""

    posts: Sequence[int]
    score: int


@dataclass(frozen=True, slots=True)
class ExtensionRun:
    """Both passes and the combined result.

    ``participants[j]`` is the teacher who is teacher ``j`` of the
    ``extension`` instance and its ``second`` result.
    """

    first: Result
    participants: tuple[int, ...]
    extension: Instance
    second: Result
    combined: Result


def residual_capacities(instance: Instance, result: Result) -> list[int]:
    """Seats still free after ``result``: vacancies + own seats - holders."""
    free = list(instance.capacities)
    for own in instance.current_post:
        if own is not None:
            free[own] += 1
    for post in result.post:
        if post is not None:
            free[post] -= 1
    return free


def run_with_extension(
    instance: Instance,
    obligatory: Sequence[bool],
    extension_for: Callable[[int], Extension],
) -> ExtensionRun:
    """DA* on the voeux, then extension for obligatory participants left out.

    ``extension_for(t)`` is only called for those participants; build it
    with ``expansion.extension_zones`` and ``expansion.extension_posts``.
    Tenured participants are never sent: DA* always leaves them their post.
    """
    if len(obligatory) != instance.n_teachers:
        raise ValueError("one obligatory flag per teacher is needed")
    first = assign(instance)
    participants = tuple(
        t
        for t, (post, must) in enumerate(zip(first.post, obligatory, strict=True))
        if post is None and must and instance.current_post[t] is None
    )
    lists = [extension_for(t) for t in participants]
    extension = Instance(
        capacities=residual_capacities(instance, first),
        prefs=[ext.posts for ext in lists],
        scores=[[ext.score] * len(ext.posts) for ext in lists],
        tiebreak=[instance.tiebreak[t] for t in participants],
        current_post=[None] * len(participants),
    )
    second = assign(extension)
    return ExtensionRun(first, participants, extension, second, _combine(first, participants, second))


def _combine(first: Result, participants: tuple[int, ...], second: Result) -> Result:
    post = list(first.post)
    position = list(first.position)
    extended = list(first.extended)
    for j, t in enumerate(participants):
        if second.post[j] is not None:
            post[t] = second.post[j]
            position[t] = second.position[j]
            extended[t] = True
    return Result(tuple(post), tuple(position), first.voeu_rank, first.kept, tuple(extended))
