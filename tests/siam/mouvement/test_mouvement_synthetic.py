"""The synthetic mouvements are seeded, well-formed and shaped like the real ones."""

from __future__ import annotations

from collections import Counter

from siam.bareme import geography
from siam.mouvement.checker import check, check_extension_run
from siam.mouvement.engine import assign, validate
from siam.mouvement.extension import run_with_extension
from siam.mouvement.synthetic import ACADEMIES, generate_inter, generate_intra, random_instance


def test_same_seed_gives_the_same_inter_and_another_seed_another() -> None:
    one, again, other = (generate_inter(s, n_teachers=400, n_obligatory=170) for s in (3, 3, 4))
    assert one.instance == again.instance
    assert one.instance.prefs != other.instance.prefs


def test_inter_has_the_requested_participants_and_one_post_per_academie_and_discipline() -> None:
    inter = generate_inter(1, n_teachers=2000, n_obligatory=850, n_disciplines=3)
    validate(inter.instance)
    assert inter.instance.n_posts == len(ACADEMIES) * 3
    assert sum(inter.obligatory) == 850
    # Obligatory participants have no post; volunteers are tenured somewhere.
    assert all((c is None) == o for c, o in zip(inter.instance.current_post, inter.obligatory, strict=True))
    assert sum(inter.instance.capacities) == 850


def test_synthetic_academies_are_those_of_the_referentiel() -> None:
    assert {a.code: a.name for a in ACADEMIES} == dict(geography.ACADEMIES)
    assert {a.code for a in ACADEMIES if a.outside} == geography.DOM | geography.CORSE


def test_inter_demand_is_skewed_towards_the_sunny_and_western_academies() -> None:
    inter = generate_inter(2, n_teachers=3000, n_obligatory=1280)
    first = Counter(inter.academies[inter.academie_of(p[0])].name for p in inter.instance.prefs)
    assert first["Rennes"] > 5 * first["Créteil"]
    assert first["Bordeaux"] > 5 * first["Versailles"]


def test_full_lists_rank_every_other_academie() -> None:
    inter = generate_inter(2, n_teachers=300, n_obligatory=120, full_lists=True)
    for posts, own in zip(inter.instance.prefs, inter.instance.current_post, strict=True):
        assert len(posts) == (30 if own is None else 29)


def test_inter_run_with_extension_is_certified() -> None:
    inter = generate_inter(8, n_teachers=2500, n_obligatory=1070)
    run = run_with_extension(inter.instance, inter.obligatory, inter.extension_for)
    assert any(run.combined.extended)
    assert check_extension_run(inter.instance, inter.obligatory, run).ok


def test_intra_lists_come_from_typed_voeux_in_rank_order() -> None:
    intra = generate_intra(5, n_teachers=600, n_voeux=12, departements=3, groupements=4, communes=4)
    inst = intra.instance
    validate(inst)
    assert inst.voeu_ranks is not None
    for ranks in inst.voeu_ranks:
        assert ranks == sorted(ranks)
        assert max(ranks, default=0) <= 12
    assert max(len(p) for p in inst.prefs) > 12  # large voeux did expand
    assert check(inst, assign(inst)).ok


def test_intra_extension_places_obligatory_participants_on_seats_left() -> None:
    intra = generate_intra(6, n_teachers=800, n_voeux=10, departements=3, groupements=4, communes=4)
    run = run_with_extension(intra.instance, intra.obligatory, intra.extension_for)
    assert check_extension_run(intra.instance, intra.obligatory, run).ok
    assert any(run.combined.extended)


def test_random_instance_is_well_formed_and_seeded() -> None:
    one = random_instance(11, 40, 7)
    validate(one)
    assert one == random_instance(11, 40, 7)
