"""The extension pass: after every vœu, on the seats left, never elsewhere."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siam.mouvement.checker import Kind, check_extension_run
from siam.mouvement.engine import Instance, assign
from siam.mouvement.expansion import Point, Site, extension_posts, extension_zones
from siam.mouvement.extension import Extension, ExtensionRun, run_with_extension
from siam.mouvement.synthetic import generate_inter, random_instance
from tests.properties import examples

A, B, C = range(3)
NONE: dict[int, Extension] = {}  # for runs where nobody may be sent to extension


def test_extended_participant_takes_a_seat_left_but_never_displaces_a_voeu() -> None:
    # Teacher 0 obtained B on a voeu with 10 points; teacher 1, obligatory,
    # asked only for A (full) and has 500 points of extension barème. B is
    # on their extension list, yet they get C, the seat nobody took.
    inst = Instance([0, 1, 1], [[B], [A]], [[10], [600]], [0, 1], [None, None])
    run = run_with_extension(inst, [False, True], {1: Extension([B, C], 500)}.__getitem__)
    assert run.combined.post == (B, C)
    assert run.combined.extended == (False, True)
    assert run.combined.position[1] == 1  # position on the extension list
    assert check_extension_run(inst, [False, True], run).ok


def test_extension_participants_compete_by_extension_bareme_then_tiebreak() -> None:
    inst = Instance([0, 1], [[A], [A], [A]], [[900], [900], [900]], [0, 1, 2], [None, None, None])
    lists = {0: Extension([B], 100), 1: Extension([B], 300), 2: Extension([B], 300)}
    run = run_with_extension(inst, [True, True, True], lists.__getitem__)
    assert run.combined.post == (None, B, None)
    assert run.participants == (0, 1, 2)


def test_volunteer_and_tenured_participants_are_never_sent_to_extension() -> None:
    # The volunteer gets nothing and stays without a post; the tenured
    # (obligatory flag or not) keeps theirs.
    inst = Instance([0, 1], [[A], [A]], [[5], [5]], [0, 1], [None, B])
    run = run_with_extension(inst, [False, True], NONE.__getitem__)
    assert run.participants == ()
    assert run.combined.post == (None, B)


def test_obligatory_flags_must_cover_every_teacher() -> None:
    with pytest.raises(ValueError, match="obligatory"):
        run_with_extension(Instance([1], [[A]], [[1]], [0], [None]), [], NONE.__getitem__)


def random_extension(seed: int, n_posts: int) -> dict[int, Extension]:
    rng = random.Random(seed)
    return {t: Extension(rng.sample(range(n_posts), rng.randint(0, n_posts)), rng.randint(0, 3)) for t in range(200)}


def random_run(seed: int, n: int, m: int) -> tuple[Instance, list[bool], ExtensionRun]:
    inst = random_instance(seed, n, m, max_capacity=3)
    obligatory = [random.Random(seed + t).random() < 0.6 for t in range(n)]
    lists = random_extension(seed, m)
    return inst, obligatory, run_with_extension(inst, obligatory, lists.__getitem__)


@settings(max_examples=examples(150), deadline=None)
@given(seed=st.integers(0, 2**32), n=st.integers(0, 30), m=st.integers(1, 8))
def test_results_of_those_not_extended_are_those_of_the_voeux_alone(seed: int, n: int, m: int) -> None:
    inst, _, run = random_run(seed, n, m)
    alone = assign(inst)
    for t in range(n):
        if not run.combined.extended[t]:
            assert run.combined.outcome(t) == alone.outcome(t)


@settings(max_examples=examples(150), deadline=None)
@given(seed=st.integers(0, 2**32), n=st.integers(0, 30), m=st.integers(1, 8))
def test_checker_certifies_both_passes_and_their_combination(seed: int, n: int, m: int) -> None:
    inst, obligatory, run = random_run(seed, n, m)
    verdict = check_extension_run(inst, obligatory, run)
    assert verdict.ok, verdict.violations


def test_checker_catches_an_extension_offered_more_seats_than_were_left() -> None:
    inst = Instance([1, 0], [[A], [A]], [[9], [1]], [0, 1], [None, None])
    run = run_with_extension(inst, [True, True], {1: Extension([B], 1)}.__getitem__)
    inflated = ExtensionRun(
        run.first,
        run.participants,
        Instance([0, 1], run.extension.prefs, run.extension.scores, run.extension.tiebreak, [None]),
        assign(Instance([0, 1], [[B]], [[1]], [1], [None])),
        run.combined,
    )
    assert run.combined.post == (A, None)
    verdict = check_extension_run(inst, [True, True], inflated)
    assert Kind.EXTENSION in {v.kind for v in verdict.violations}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_inter_extension_never_lands_in_corse_or_the_dom(seed: int) -> None:
    inter = generate_inter(seed, n_teachers=1500, n_obligatory=900)
    run = run_with_extension(inter.instance, inter.obligatory, inter.extension_for)
    extended = [t for t in range(1500) if run.combined.extended[t]]
    assert extended  # the instance does exercise the extension
    for t in extended:
        got = run.combined.post[t]
        assert got is not None
        assert not inter.is_forbidden(inter.academie_of(got))
        assert got not in inter.instance.prefs[t]  # only posts they had not asked for
    assert check_extension_run(inter.instance, inter.obligatory, run).ok


@st.composite
def sized_markets(draw: st.DrawFn) -> tuple[Instance, list[bool], dict[int, tuple[int, ...]], frozenset[int]]:
    """An inter of one discipline: académies are posts, some forbidden (Corse, DOM), a partial extension table,
    and capacities outside the forbidden ones covering whoever may need a seat there (the admin's check)."""
    k = draw(st.integers(1, 7))
    far = frozenset(a for a in range(k) if draw(st.booleans()) and a)  # académie 0 is always on the mainland
    n_must = draw(st.integers(0, 12))
    n_vol = draw(st.integers(0, 4))  # volunteers with no post to keep
    own = draw(st.lists(st.integers(0, k - 1), max_size=12))  # tenured volunteers' académies
    prefs, current = [], []
    for t in range(n_must + n_vol + len(own)):
        mine = own[t - n_must - n_vol] if t >= n_must + n_vol else None
        others = [a for a in range(k) if a != mine]
        listed = draw(st.permutations(others))[
            : draw(st.integers(0 if t < n_must else min(1, len(others)), len(others)))
        ]
        prefs.append(list(listed))
        current.append(mine)
    need = n_must + n_vol + sum(1 for a in own if a in far)  # a tenured teacher from far away may come
    mainland = [a for a in range(k) if a not in far]
    capacities = [draw(st.integers(0, 3)) for _ in range(k)]
    for _ in range(max(0, need - sum(capacities[a] for a in mainland))):
        capacities[draw(st.sampled_from(mainland))] += 1
    scores = [[draw(st.integers(0, 5)) for _ in p] for p in prefs]
    tiebreak = draw(st.permutations(range(len(prefs))))
    table = {a: tuple(draw(st.lists(st.sampled_from(range(k)), max_size=k, unique=True))) for a in range(k)}
    inst = Instance(capacities, prefs, scores, list(tiebreak), current)
    return inst, [t < n_must for t in range(len(prefs))], table, far


@settings(max_examples=examples(300), deadline=None)
@given(market=sized_markets())
def test_with_enough_capacity_extension_places_every_obligatory_participant(
    market: tuple[Instance, list[bool], dict[int, tuple[int, ...]], frozenset[int]],
) -> None:
    inst, obligatory, table, far = market
    sites = {a: (Site(a, f"A{a:02d}", Point(0.0, 0.0), "ACA"),) for a in range(inst.n_posts)}

    def extension_for(t: int) -> Extension:
        start = inst.prefs[t][0] if inst.prefs[t] else 0
        zones = extension_zones(start, table, far.__contains__, every=range(inst.n_posts))
        return Extension(extension_posts(zones, sites, None, inst.prefs[t]), 0)

    run = run_with_extension(inst, obligatory, extension_for)
    assert check_extension_run(inst, obligatory, run).ok
    assert all(run.combined.post[t] is not None for t, must in enumerate(obligatory) if must)
    # and never into Corse or the DOM by extension
    assert all(run.combined.post[t] not in far for t in range(inst.n_teachers) if run.combined.extended[t])
