"""Barres and the why-not lines a teacher reads."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siam.mouvement.engine import Instance, Result, assign
from siam.mouvement.synthetic import random_instance
from siam.mouvement.why_not import Barre, Reason, barres, why_not
from tests.properties import examples

A, B, C = range(3)


def test_barre_is_the_lowest_bareme_admitted() -> None:
    inst = Instance([2], [[A], [A], [A]], [[300], [100], [200]], [0, 1, 2], [None] * 3)
    assert barres(inst, assign(inst)) == (Barre(seats=2, entrants=2, score=200, tiebreak=2),)


def test_post_with_room_left_has_no_barre_to_beat() -> None:
    inst = Instance([3], [[A], [A]], [[300], [100]], [0, 1], [None, None])
    barre = barres(inst, assign(inst))[0]
    assert not barre.full
    assert barre.score == 100  # the last one in, for the record


def test_seat_freed_by_a_mover_counts_in_the_barre() -> None:
    # The tenured teacher leaves B for A: B opens one seat to entrants.
    inst = Instance([1, 0], [[A], [B]], [[10], [10]], [0, 1], [B, None])
    assert barres(inst, assign(inst))[B] == Barre(seats=1, entrants=1, score=10, tiebreak=1)


REASONS = [
    pytest.param([[A, B], [A]], [[100, 0], [200]], [1, 0], [None, None], Reason.BELOW_BARRE, id="below_the_barre"),
    pytest.param([[A, B], [A]], [[200, 0], [200]], [1, 0], [None, None], Reason.TIE_LOST, id="tie_lost"),
    pytest.param([[A, B], []], [[900, 0], []], [0, 1], [None, A], Reason.NO_SEAT, id="no_seat_opened"),
]


@pytest.mark.parametrize(("prefs", "scores", "tiebreak", "current", "reason"), REASONS)
def test_why_not_line_says_why_the_first_voeu_was_missed(
    prefs: list[list[int]],
    scores: list[list[int]],
    tiebreak: list[int],
    current: list[int | None],
    reason: Reason,
) -> None:
    capacities = [1, 1] if current[1] is None else [0, 1]
    inst = Instance(capacities, prefs, scores, tiebreak, current)
    result = assign(inst)
    lines = why_not(inst, result, barres(inst, result), 0)
    assert [(line.post, line.voeu_rank, line.score, line.reason) for line in lines] == [(A, 1, scores[0][0], reason)]
    assert result.post[0] == B


def test_kept_teacher_reads_every_voeu_above_their_own_post() -> None:
    inst = Instance([0, 0, 1], [[B, C, A], [B], [C]], [[5, 5, 5], [9], [9]], [2, 0, 1], [A, B, None])
    result = assign(inst)
    assert result.kept[0]
    assert [line.post for line in why_not(inst, result, barres(inst, result), 0)] == [B, C]


def test_satisfied_on_voeu_one_reads_nothing() -> None:
    inst = Instance([1], [[A]], [[5]], [0], [None])
    result = assign(inst)
    assert why_not(inst, result, barres(inst, result), 0) == ()


def test_unstable_result_cannot_be_explained() -> None:
    inst = Instance([1], [[A], [A]], [[50], [80]], [0, 1], [None, None])
    unstable = Result((A, None), (0, None), (1, None), (False, False), (False, False))
    with pytest.raises(ValueError, match="not stable"):
        why_not(inst, unstable, barres(inst, unstable), 1)


def test_barres_refuse_a_result_with_extension() -> None:
    inst = Instance([1], [[A]], [[5]], [0], [None])
    extended = Result((A,), (0,), (None,), (False,), (True,))
    with pytest.raises(ValueError, match="before extension"):
        barres(inst, extended)


@settings(max_examples=examples(150), deadline=None)
@given(seed=st.integers(0, 2**32), n=st.integers(0, 30), m=st.integers(1, 8))
def test_every_voeu_above_the_result_is_explained_by_its_barre(seed: int, n: int, m: int) -> None:
    inst = random_instance(seed, n, m)
    result = assign(inst)
    post_barres = barres(inst, result)
    for t in range(n):
        for line in why_not(inst, result, post_barres, t):
            barre = line.barre
            assert barre.full
            if line.reason is Reason.NO_SEAT:
                assert barre.entrants == 0
            else:
                assert barre.score is not None
                assert barre.tiebreak is not None
                assert (line.score, -inst.tiebreak[t]) < (barre.score, -barre.tiebreak)
