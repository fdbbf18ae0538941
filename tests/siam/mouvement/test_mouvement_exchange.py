"""Block exchanges after DA*: everyone in a cycle gains, every post gains."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siam.mouvement.engine import Instance, Result, assign, strengths
from siam.mouvement.exchange import Move, exchange, incumbent_scores
from siam.mouvement.synthetic import generate_inter, random_instance
from tests.properties import examples

A, B, C = range(3)

# The swap DA* blocks (see test_mouvement_engine): a newcomer's claim on A
# sends both tenured teachers home. Own-post barèmes are 50.
BLOCKED_SWAP = Instance([0, 0], [[B], [A], [A]], [[100], [100], [200]], [0, 1, 2], [A, B, None])


def test_exchange_executes_the_swap_da_star_blocks() -> None:
    before = assign(BLOCKED_SWAP)
    assert before.post == (A, B, None)
    outcome = exchange(BLOCKED_SWAP, before, own_post_score=[50, 50, None])
    assert outcome.result.post == (B, A, None)
    assert outcome.cycles == ((Move(0, A, B, 1), Move(1, B, A, 0)),)
    report = outcome.report
    assert (report.movers_before, report.movers_after, report.more_movers) == (0, 2, 2)
    assert (report.improved, report.cycles) == (2, 1)
    # each kept an unlisted post (rank 2, after their one voeu) and obtains voeu 1
    assert (report.ranks_gained, report.average_rank_gained) == (2, 1.0)
    assert outcome.result.kept == (False, False, False)
    assert outcome.result.voeu_rank == (1, 1, None)


@pytest.mark.parametrize(
    ("own_post_score", "moves"),
    [
        pytest.param([50, 50, None], True, id="both_outrank_the_one_leaving"),
        pytest.param([150, 50, None], False, id="second_does_not_outrank_the_first_on_a"),
        pytest.param([50, 150, None], False, id="first_does_not_outrank_the_second_on_b"),
        # By default a keeper holds their post with their highest barème
        # (100 here): equal barèmes fall to the tie-break, which favours the
        # first teacher on B but not the second on A.
        pytest.param(None, False, id="default_is_their_highest_bareme_then_tiebreak"),
    ],
)
def test_swap_respects_the_school_rule(own_post_score: list[int | None] | None, moves: bool) -> None:
    before = assign(BLOCKED_SWAP)
    after = exchange(BLOCKED_SWAP, before, own_post_score=own_post_score).result
    assert (after.post != before.post) is moves


def test_three_way_cycle_moves_everyone_up() -> None:
    # Tenured at A, B, C, each wanting the next post; newcomers with high
    # barèmes block DA*.
    inst = Instance(
        [0, 0, 0],
        [[B], [C], [A], [A], [B], [C]],
        [[90], [90], [90], [99], [99], [99]],
        list(range(6)),
        [A, B, C, None, None, None],
    )
    before = assign(inst)
    assert before.post == (A, B, C, None, None, None)
    outcome = exchange(inst, before, own_post_score=[10, 10, 10, None, None, None])
    assert outcome.result.post == (B, C, A, None, None, None)
    assert [len(cycle) for cycle in outcome.cycles] == [3]


def occupancy(result: Result) -> Counter[int | None]:
    return Counter(result.post)


def held_key(inst: Instance, result: Result, own_post_score: list[int | None] | None) -> dict[int, tuple[int, int]]:
    """(barème held with, strength) per assigned teacher: the school's view."""
    scores = incumbent_scores(inst, result, own_post_score)
    strength = strengths(inst.tiebreak)
    return {t: (s, strength[t]) for t, s in enumerate(scores) if s is not None}


def list_place(inst: Instance, result: Result, t: int) -> int:
    pos = result.position[t]
    return len(inst.prefs[t]) if pos is None else pos


@settings(max_examples=examples(200), deadline=None)
@given(
    seed=st.integers(0, 2**32),
    n=st.integers(0, 30),
    m=st.integers(1, 8),
    own=st.sampled_from(["default", "low"]),
)
def test_nobody_is_worse_off_and_every_exchange_respects_the_school_rule(seed: int, n: int, m: int, own: str) -> None:
    inst = random_instance(seed, n, m, tenured_share=0.8, score_levels=6)
    own_post_score: list[int | None] | None = None if own == "default" else [0] * n
    before = assign(inst)
    outcome = exchange(inst, before, own_post_score=own_post_score)
    after = outcome.result
    key_before = held_key(inst, before, own_post_score)
    strength = strengths(inst.tiebreak)
    for t in range(n):
        assert list_place(inst, after, t) <= list_place(inst, before, t)
    movers = set()
    for cycle in outcome.cycles:
        for move in cycle:
            movers.add(move.teacher)
            assert list_place(inst, after, move.teacher) < list_place(inst, before, move.teacher)
            assert before.post[move.replaces] == move.to_post == after.post[move.teacher]
            entrant = (inst.scores[move.teacher][inst.prefs[move.teacher].index(move.to_post)], strength[move.teacher])
            assert entrant > key_before[move.replaces]
    changed = {t for t in range(n) if after.post[t] != before.post[t]}
    assert changed == movers
    assert occupancy(after) == occupancy(before)
    assert outcome.report.improved == len(movers)


@settings(max_examples=examples(100), deadline=None)
@given(seed=st.integers(0, 2**32), n=st.integers(0, 20), m=st.integers(1, 6), data=st.data())
def test_exchange_does_not_depend_on_the_order_teachers_are_given_in(
    seed: int, n: int, m: int, data: st.DataObject
) -> None:
    inst = random_instance(seed, n, m, tenured_share=0.8)
    low: list[int | None] = [0] * n
    order = data.draw(st.permutations(range(n)))
    shuffled = Instance(
        inst.capacities,
        [inst.prefs[t] for t in order],
        [inst.scores[t] for t in order],
        [inst.tiebreak[t] for t in order],
        [inst.current_post[t] for t in order],
    )
    plain = exchange(inst, assign(inst), own_post_score=low).result.post
    other = exchange(shuffled, assign(shuffled), own_post_score=low).result.post
    assert [other[i] for i in range(n)] == [plain[t] for t in order]


def test_exchange_moves_more_teachers_on_a_synthetic_inter() -> None:
    inter = generate_inter(5, n_teachers=3000, n_obligatory=1300)
    before = assign(inter.instance)
    outcome = exchange(inter.instance, before, own_post_score=inter.own_post_score)
    assert outcome.report.more_movers > 0
    assert outcome.report.improved >= outcome.report.more_movers
