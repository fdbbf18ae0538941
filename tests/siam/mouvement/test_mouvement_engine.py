"""DA*: hand-built mouvements, the `matching` oracle, and invariants."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siam.mouvement.engine import Instance, Result, assign, summarize, validate
from siam.mouvement.synthetic import random_instance
from tests.properties import examples

A, B, C, D = range(4)  # posts, in hand-built cases


def instance(
    capacities: Sequence[int],
    teachers: Sequence[tuple[Sequence[int], Sequence[int], int | None]],
) -> Instance:
    """Teachers as (list, scores per position, current post); tie-break = index."""
    return Instance(
        capacities=list(capacities),
        prefs=[list(p) for p, _, _ in teachers],
        scores=[list(s) for _, s, _ in teachers],
        tiebreak=list(range(len(teachers))),
        current_post=[c for _, _, c in teachers],
    )


HAND_BUILT = [
    pytest.param(
        # Three tenured teachers each want the next one's post; only D is
        # vacant. The last move frees C for the second, which frees B for
        # the first, whose post A goes to a newcomer.
        [0, 0, 0, 1],
        [([B], [10], A), ([C], [10], B), ([D], [10], C), ([A], [5], None)],
        [B, C, D, A],
        id="chain_of_three_moves_recycles_every_freed_post",
    ),
    pytest.param(
        # Two tenured teachers who want each other's post simply swap.
        [0, 0],
        [([B], [100], A), ([A], [100], B)],
        [B, A],
        id="plain_swap_goes_through",
    ),
    pytest.param(
        # The same swap, but a newcomer out-ranks the second teacher on A:
        # A is only free if its holder leaves, yet the newcomer's claim
        # pushes the second teacher home, which pushes the first one home.
        # Nobody moves: the exchange DA* blocks (TO-BE executes it).
        [0, 0],
        [([B], [100], A), ([A], [100], B), ([A], [200], None)],
        [A, B, None],
        id="swap_is_blocked_by_a_third_claim",
    ),
    pytest.param(
        [1],
        [([A], [50], None), ([A], [50], None)],
        [A, None],
        id="equal_bareme_goes_to_the_better_tiebreak",
    ),
    pytest.param(
        # The first is weak on A but strong on B: they end on B, the second
        # strong on A, and the third out-ranked on A by everyone who asks.
        [1, 1],
        [([A, B], [10, 90], None), ([B, A], [20, 80], None), ([A], [15], None)],
        [B, A, None],
        id="bareme_counts_per_voeu_not_per_teacher",
    ),
    pytest.param(
        [0, 0],
        [([B], [0], A), ([B], [999], None)],
        [A, None],
        id="tenured_teacher_who_gets_nothing_keeps_their_post",
    ),
    pytest.param(
        [0, 1],
        [([A, B], [0, 999], A)],
        [A],
        id="list_is_cut_after_the_own_post",
    ),
    pytest.param(
        # The tenured teacher tries A, is pushed out, and goes home to B;
        # B never frees, so the newcomer's second voeu stays closed.
        [1, 0],
        [([A], [0], B), ([A, B], [500, 500], None)],
        [B, A],
        id="bumped_mover_returns_home_and_the_home_post_stays_closed",
    ),
    pytest.param(
        [0, 0],
        [([B, A], [5, 5], A), ([A], [999], None)],
        [A, None],
        id="keeper_ranks_first_at_own_post_whatever_the_bareme",
    ),
]


@pytest.mark.parametrize(("capacities", "teachers", "expected"), HAND_BUILT)
def test_hand_built_mouvement_gives_the_expected_posts(
    capacities: list[int], teachers: list[tuple[list[int], list[int], int | None]], expected: list[int | None]
) -> None:
    assert list(assign(instance(capacities, teachers)).post) == expected


def test_equal_bareme_follows_the_published_tiebreak_whichever_teacher_comes_first() -> None:
    inst = instance([1], [([A], [50], None), ([A], [50], None)])
    reversed_order = Instance(inst.capacities, inst.prefs, inst.scores, [7, 3], inst.current_post)
    assert assign(reversed_order).post == (None, A)


def test_outcome_reports_rank_of_the_voeu_a_large_voeu_position_came_from() -> None:
    # Positions 0-2 come from voeu 1 (say a COM), position 3 from voeu 2.
    inst = Instance([0, 0, 1, 1], [[A, B, C, D]], [[10, 10, 10, 10]], [0], [None], [[1, 1, 1, 2]])
    outcome = assign(inst).outcome(0)
    assert (outcome.post, outcome.position, outcome.voeu_rank) == (C, 2, 1)


def test_kept_post_not_on_the_list_has_no_position_or_rank() -> None:
    outcome = assign(instance([0, 0], [([B], [1], A)])).outcome(0)
    assert (outcome.post, outcome.position, outcome.voeu_rank, outcome.kept) == (A, None, None, True)


def test_summary_counts_satisfied_by_rank_kept_unassigned_and_movers() -> None:
    inst = instance(
        [0, 0, 0, 1],
        [([B], [10], A), ([C], [10], B), ([D], [10], C), ([A], [5], None), ([B], [1], None), ([C], [0], D)],
    )
    summary = summarize(inst, assign(inst))
    assert summary.by_voeu_rank == {1: 4}
    assert (summary.kept, summary.unassigned, summary.movers, summary.extended) == (1, 1, 3, 0)


BAD_INSTANCES = [
    pytest.param(Instance([1], [[0]], [[1], [2]], [0], [None]), id="rows_differ"),
    pytest.param(Instance([1], [[0], [0]], [[1], [1]], [4, 4], [None, None]), id="tiebreak_not_distinct"),
    pytest.param(Instance([1], [[1]], [[1]], [0], [None]), id="post_out_of_range"),
    pytest.param(Instance([2], [[0, 0]], [[1, 1]], [0], [None]), id="post_listed_twice"),
    pytest.param(Instance([1], [[0]], [[1, 2]], [0], [None]), id="scores_length"),
    pytest.param(Instance([-1], [[0]], [[1]], [0], [None]), id="negative_capacity"),
    pytest.param(Instance([1], [[0]], [[1]], [0], [3]), id="current_post_out_of_range"),
    pytest.param(Instance([1], [[0]], [[1]], [0], [None], [[1, 2]]), id="voeu_ranks_length"),
]


@pytest.mark.parametrize("bad", BAD_INSTANCES)
def test_malformed_instance_is_refused(bad: Instance) -> None:
    with pytest.raises(ValueError):
        assign(bad)


def test_validation_accepts_an_empty_mouvement() -> None:
    validate(Instance([], [], [], [], []))
    assert assign(Instance([], [], [], [], [])).post == ()


def resident_optimal(inst: Instance) -> list[int | None]:
    """The `matching` package's resident-optimal stable matching (the oracle).

    Hospitals rank applicants by barème on that voeu then tie-break, which
    makes their preferences strict; posts without seats cannot be obtained
    and are left out, as `matching` refuses them.
    """
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * inst.n_teachers + 1000))
    from matching.games import HospitalResident

    residents: dict[int, list[int]] = {}
    applicants: dict[int, list[tuple[int, int, int]]] = {}
    for t, posts in enumerate(inst.prefs):
        open_posts = [p for p in posts if inst.capacities[p] > 0]
        if open_posts:
            residents[t] = open_posts
        for p, score in zip(posts, inst.scores[t], strict=True):
            if inst.capacities[p] > 0:
                applicants.setdefault(p, []).append((-score, inst.tiebreak[t], t))
    hospitals = {p: [t for *_, t in sorted(found)] for p, found in applicants.items()}
    got: list[int | None] = [None] * inst.n_teachers
    if not residents:
        return got
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any excluded player would make the oracle wrong
        game = HospitalResident.create_from_dictionaries(
            residents, hospitals, {p: inst.capacities[p] for p in hospitals}
        )
        for hospital, matched in game.solve(optimal="resident").items():
            for resident in matched:
                got[resident.name] = hospital.name
    return got


@settings(max_examples=examples(150), deadline=None)
@given(
    seed=st.integers(0, 2**32),
    n=st.integers(0, 30),
    m=st.integers(1, 10),
    levels=st.integers(0, 4),
)
def test_without_tenured_teachers_da_star_is_the_resident_optimal_stable_matching(
    seed: int, n: int, m: int, levels: int
) -> None:
    inst = random_instance(seed, n, m, tenured_share=0.0, score_levels=levels)
    assert list(assign(inst).post) == resident_optimal(inst)


def with_tenure_spelled_out(inst: Instance) -> Instance:
    """DA*'s modified priorities as a plain instance without tenured teachers.

    Each tenured list ends at the own post (appended if missing), where the
    teacher out-ranks everybody, and the own post gets one more seat.
    """
    top = 1 + max((max(s) for s in inst.scores if s), default=0)
    capacities = list(inst.capacities)
    prefs, scores = [], []
    for t, own in enumerate(inst.current_post):
        posts, sc = list(inst.prefs[t]), list(inst.scores[t])
        if own is not None:
            capacities[own] += 1
            cut = posts.index(own) if own in posts else len(posts)
            posts, sc = [*posts[:cut], own], [*sc[:cut], top]
        prefs.append(posts)
        scores.append(sc)
    return Instance(capacities, prefs, scores, inst.tiebreak, [None] * inst.n_teachers)


@settings(max_examples=examples(150), deadline=None)
@given(seed=st.integers(0, 2**32), n=st.integers(0, 30), m=st.integers(1, 10))
def test_with_tenured_teachers_da_star_is_the_resident_optimal_matching_of_its_priorities(
    seed: int, n: int, m: int
) -> None:
    inst = random_instance(seed, n, m, tenured_share=0.6)
    assert list(assign(inst).post) == resident_optimal(with_tenure_spelled_out(inst))


def test_oracle_agrees_on_a_few_hundred_teachers() -> None:
    inst = random_instance(7, 400, 40, tenured_share=0.0, max_list=12, max_capacity=12)
    assert list(assign(inst).post) == resident_optimal(inst)


def permuted(inst: Instance, order: Sequence[int]) -> Instance:
    """The same mouvement with teacher ``order[i]`` given as teacher ``i``."""
    ranks = inst.voeu_ranks
    return Instance(
        inst.capacities,
        [inst.prefs[t] for t in order],
        [inst.scores[t] for t in order],
        [inst.tiebreak[t] for t in order],
        [inst.current_post[t] for t in order],
        None if ranks is None else [ranks[t] for t in order],
    )


def per_teacher(result: Result, order: Sequence[int]) -> dict[int, tuple[object, ...]]:
    return {t: (result.post[i], result.position[i], result.voeu_rank[i], result.kept[i]) for i, t in enumerate(order)}


@settings(max_examples=examples(150), deadline=None)
@given(seed=st.integers(0, 2**32), n=st.integers(0, 25), m=st.integers(1, 8), data=st.data())
def test_result_does_not_depend_on_the_order_teachers_are_given_in(
    seed: int, n: int, m: int, data: st.DataObject
) -> None:
    inst = random_instance(seed, n, m)
    order = data.draw(st.permutations(range(n)))
    assert per_teacher(assign(permuted(inst, order)), order) == per_teacher(assign(inst), range(n))


@settings(max_examples=examples(150), deadline=None)
@given(seed=st.integers(0, 2**32), n=st.integers(0, 25), m=st.integers(1, 8))
def test_tenured_teacher_never_ends_worse_off(seed: int, n: int, m: int) -> None:
    inst = random_instance(seed, n, m, tenured_share=0.7)
    result = assign(inst)
    for t, own in enumerate(inst.current_post):
        if own is None:
            continue
        got = result.post[t]
        posts = list(inst.prefs[t])
        assert got is not None
        assert got == own or posts.index(got) < (posts.index(own) if own in posts else len(posts))


@settings(max_examples=examples(100), deadline=None)
@given(seed=st.integers(0, 2**32), n=st.integers(1, 25), m=st.integers(1, 8))
def test_raising_a_bareme_never_costs_the_teacher_their_result(seed: int, n: int, m: int) -> None:
    # A better priority on every voeu can only help under DA* (monotonicity).
    inst = random_instance(seed, n, m, tenured_share=0.0)
    before = assign(inst).position[0]
    boosted = [list(s) for s in inst.scores]
    boosted[0] = [s + 100 for s in boosted[0]]
    after = assign(Instance(inst.capacities, inst.prefs, boosted, inst.tiebreak, inst.current_post)).position[0]
    assert before is None or (after is not None and after <= before)
