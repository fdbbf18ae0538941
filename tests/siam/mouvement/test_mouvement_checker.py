"""The independent checker certifies DA* results and catches broken ones."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from siam.mouvement.checker import Kind, check
from siam.mouvement.engine import Instance, Result, assign
from siam.mouvement.synthetic import random_instance
from tests.properties import examples

A, B, C = range(3)


def replaced(result: Result, teacher: int, **changes: object) -> Result:
    """``result`` with some of one teacher's fields changed."""
    fields = {}
    for name, value in changes.items():
        column = list(getattr(result, name))
        column[teacher] = value
        fields[name] = tuple(column)
    return dataclasses.replace(result, **fields)


@settings(max_examples=examples(200), deadline=None)
@given(
    seed=st.integers(0, 2**32),
    n=st.integers(0, 30),
    m=st.integers(1, 10),
    tenured=st.sampled_from([0.0, 0.5, 1.0]),
    grouped=st.booleans(),
)
def test_checker_certifies_every_engine_result(seed: int, n: int, m: int, tenured: float, grouped: bool) -> None:
    inst = random_instance(seed, n, m, tenured_share=tenured)
    if not grouped:
        inst = dataclasses.replace(inst, voeu_ranks=None)
    verdict = check(inst, assign(inst))
    assert verdict.ok, verdict.violations


def unassign(inst: Instance, result: Result, t: int) -> Result:
    return replaced(result, t, post=None, position=None, voeu_rank=None, kept=False)


def move_up(inst: Instance, result: Result, t: int) -> Result:
    """Give the teacher the post they listed just above their result."""
    better = (result.position[t] or 0) - 1
    return replaced(result, t, post=inst.prefs[t][better], position=better, voeu_rank=inst.voeu_rank(t, better))


def give_unlisted(inst: Instance, result: Result, t: int) -> Result:
    unlisted = [p for p in range(inst.n_posts) if p not in inst.prefs[t] and p != inst.current_post[t]]
    return replaced(result, t, post=unlisted[0], position=None, voeu_rank=None, kept=False)


def assigned(inst: Instance, result: Result, t: int) -> bool:
    return result.post[t] is not None


def below_voeu_one(inst: Instance, result: Result, t: int) -> bool:
    pos = result.position[t]
    return pos is not None and pos > 0 and not result.kept[t]


def has_unlisted(inst: Instance, result: Result, t: int) -> bool:
    return len(inst.prefs[t]) + (inst.current_post[t] is not None) < inst.n_posts


Corruption = Callable[[Instance, Result, int], Result]
Eligible = Callable[[Instance, Result, int], bool]
CORRUPTIONS: dict[str, tuple[Corruption, Eligible, set[Kind]]] = {
    # A post left empty: a blocking pair, or a tenured teacher who lost theirs.
    "unassign": (unassign, assigned, {Kind.BLOCKING_PAIR, Kind.TENURED_WORSE}),
    # The better voeu was full under a stable result: it overflows now.
    "move_up": (move_up, below_voeu_one, {Kind.CAPACITY}),
    "give_unlisted": (give_unlisted, has_unlisted, {Kind.NOT_LISTED}),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
@settings(max_examples=examples(100), deadline=None)
@given(seed=st.integers(0, 2**32), n=st.integers(8, 30), m=st.integers(3, 8), data=st.data())
def test_checker_detects_a_deliberately_corrupted_result(
    corruption: str, seed: int, n: int, m: int, data: st.DataObject
) -> None:
    # Scarce seats and long lists: most instances have a teacher to corrupt.
    inst = random_instance(seed, n, m, max_list=m, max_capacity=1)
    result = assign(inst)
    corrupt, eligible, expected = CORRUPTIONS[corruption]
    candidates = [t for t in range(n) if eligible(inst, result, t)]
    assume(candidates)
    t = data.draw(st.sampled_from(candidates))
    verdict = check(inst, corrupt(inst, result, t))
    assert not verdict.ok
    assert expected & {v.kind for v in verdict.violations}


def two_teachers_one_seat() -> Instance:
    return Instance([1], [[A], [A]], [[50], [80]], [0, 1], [None, None])


def result_of(posts: list[int | None], positions: list[int | None], kept: list[bool] | None = None) -> Result:
    n = len(posts)
    ranks = tuple(None if p is None else p + 1 for p in positions)
    return Result(tuple(posts), tuple(positions), ranks, tuple(kept or [False] * n), (False,) * n)


HAND_BUILT = [
    pytest.param(
        two_teachers_one_seat(),
        result_of([A, None], [0, None]),
        Kind.BLOCKING_PAIR,
        id="the_higher_bareme_left_out_blocks",
    ),
    pytest.param(
        two_teachers_one_seat(),
        result_of([A, A], [0, 0]),
        Kind.CAPACITY,
        id="two_teachers_on_one_seat_overflow",
    ),
    pytest.param(
        Instance([0, 0], [[B]], [[5]], [0], [A]),
        result_of([None], [None]),
        Kind.TENURED_WORSE,
        id="tenured_teacher_left_without_a_post",
    ),
    pytest.param(
        Instance([0, 0, 1], [[B, A, C]], [[5, 5, 5]], [0], [A]),
        result_of([C], [2]),
        Kind.TENURED_WORSE,
        id="tenured_teacher_given_a_post_below_their_own",
    ),
    pytest.param(
        Instance([1, 0], [[A]], [[5]], [0], [None]),
        Result((A,), (0,), (1,), (True,), (False,)),
        Kind.INCONSISTENT,
        id="kept_flag_on_a_newcomer",
    ),
    pytest.param(
        Instance([1, 1], [[A, B]], [[5, 5]], [0], [None], [[1, 1]]),
        result_of([A], [0]),  # rank 1 is right; claim rank 2 below
        None,
        id="large_voeu_positions_share_their_rank",
    ),
    pytest.param(
        two_teachers_one_seat(),
        Result((None,), (None,), (None,), (False,), (False,)),
        Kind.SHAPE,
        id="result_for_the_wrong_number_of_teachers",
    ),
    pytest.param(
        Instance([1], [[A]], [[5]], [0], [None]),
        Result((A,), (0,), (1,), (False,), (True,)),
        Kind.INCONSISTENT,
        id="an_extended_result_needs_the_extension_check",
    ),
]


@pytest.mark.parametrize(("inst", "result", "kind"), HAND_BUILT)
def test_checker_names_what_is_wrong(inst: Instance, result: Result, kind: Kind | None) -> None:
    verdict = check(inst, result)
    assert {v.kind for v in verdict.violations} == (set() if kind is None else {kind})


def test_wrong_voeu_rank_is_reported() -> None:
    inst = Instance([1, 1], [[A, B]], [[5, 5]], [0], [None], [[1, 1]])
    verdict = check(inst, Result((A,), (0,), (2,), (False,), (False,)))
    assert [v.kind for v in verdict.violations] == [Kind.INCONSISTENT]


@pytest.mark.parametrize(
    ("inst", "result", "ok"),
    [
        # listed own post, right rank (1) / wrong rank (7)
        (Instance([0], [[A]], [[5]], [0], [A]), Result((A,), (0,), (1,), (True,), (False,)), True),
        (Instance([0], [[A]], [[5]], [0], [A]), Result((A,), (0,), (7,), (True,), (False,)), False),
        # grouped ranks: own post at position 1 comes from voeu 2
        (Instance([0, 0], [[B, A]], [[5, 5]], [0], [A], [[1, 2]]), Result((A,), (1,), (2,), (True,), (False,)), True),
        (Instance([0, 0], [[B, A]], [[5, 5]], [0], [A], [[1, 2]]), Result((A,), (1,), (1,), (True,), (False,)), False),
        # unlisted own post: no voeu rank at all
        (Instance([0, 0], [[B]], [[5]], [0], [A]), Result((A,), (None,), (None,), (True,), (False,)), True),
        (Instance([0, 0], [[B]], [[5]], [0], [A]), Result((A,), (None,), (3,), (True,), (False,)), False),
    ],
)
def test_a_keeper_with_a_wrong_voeu_rank_is_refused(inst: Instance, result: Result, ok: bool) -> None:
    verdict = check(inst, result)
    assert verdict.ok is ok
    assert {v.kind for v in verdict.violations} == (set() if ok else {Kind.INCONSISTENT})


def test_keeper_does_not_make_their_own_seat_contestable() -> None:
    # B is full with its tenured holder; the newcomer with a huge barème
    # wanting B is not a blocking pair.
    inst = Instance([0, 0], [[], [B]], [[], [999]], [0, 1], [B, None])
    assert check(inst, result_of([B, None], [None, None], [True, False])).ok


def test_verdict_keeps_the_first_violations_and_counts_them_all() -> None:
    n = 12
    inst = Instance([n], [[A]] * n, [[1]] * n, list(range(n)), [None] * n)
    verdict = check(inst, result_of([None] * n, [None] * n), limit=5)
    assert (len(verdict.violations), verdict.total) == (5, n)
    assert "place reste libre" in verdict.violations[0].message
