"""From rows to the engine and back, without the database: expansion, chains, extension, explanations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from siam.demo.synthetic import _Intra
from siam.errors import MouvementError
from siam.mouvement import Point
from siam.services.mouvement.compute import compute, exchange_is_sound, explain
from siam.services.mouvement.market import MarketData, Participant, PosteRow, VoeuRow, build_market, to_score

MATHS, LETTRES = 1, 2
DEP_63, DEP_03 = 63, 3
ACA = 6
CLERMONT, RIOM, MOULINS = 1, 2, 3
POINTS = {CLERMONT: Point(45.777, 3.087), RIOM: Point(45.89, 3.11), MOULINS: Point(46.56, 3.33)}


def etab(
    poste_id: int, etab_id: int, commune: int, nombre: int = 0, etab_type: str = "LGT", discipline: int = MATHS
) -> PosteRow:
    dep = DEP_03 if commune == MOULINS else DEP_63
    return PosteRow(
        poste_id, discipline, nombre, ("E", etab_id), f"UAI{etab_id:03d}", POINTS[commune], etab_type, commune, dep, ACA
    )


def voeu(
    pk: int,
    rang: int,
    kind: str,
    target: int,
    *,
    filtre: str = "TOUT",
    commune: int | None = None,
    dep: int | None = DEP_63,
) -> VoeuRow:
    return VoeuRow(pk, rang, kind, filtre, target, POINTS[commune] if commune else None, dep, ACA)


def tenured(demande: int, etab_id: int, commune: int = CLERMONT) -> Participant:
    return Participant(demande, demande, MATHS, False, ("E", etab_id), POINTS[commune], DEP_63)


def entrant(demande: int, obligatory: bool = True) -> Participant:
    return Participant(demande, demande, MATHS, obligatory, None, None, None)


# E1 … E6 in Clermont except E5 (Riom) and E6 (Moulins, the next département); E4 and E6 have a vacancy.
POSTES = [
    etab(101, 1, CLERMONT),
    etab(102, 2, CLERMONT),
    etab(103, 3, CLERMONT),
    etab(104, 4, CLERMONT, nombre=1),
    etab(105, 5, RIOM, etab_type="CLG"),
    etab(106, 6, MOULINS, nombre=1),
]


def chain_data(**overrides: object) -> MarketData:
    """A chain of three moves (C → E4, B → E3, A → E2), D the entrant takes E1, F stays, G is extended."""
    voeux = {
        1: [voeu(11, 1, "ETB", 2, commune=CLERMONT)],  # A at E1 wants E2
        2: [voeu(21, 1, "ETB", 3, commune=CLERMONT)],  # B at E2 wants E3
        3: [voeu(31, 1, "ETB", 4, commune=CLERMONT)],  # C at E3 wants E4 (vacant)
        4: [voeu(41, 1, "ETB", 2, commune=CLERMONT), voeu(42, 2, "COM", CLERMONT, commune=CLERMONT)],  # D, entrant
        5: [voeu(51, 1, "ETB", 4, commune=CLERMONT)],  # F at E5 wants E4, below C
        6: [voeu(61, 1, "ETB", 2, commune=CLERMONT)],  # G, obligatory, wants E2 only
    }
    scores = {11: 500, 21: 400, 31: 300, 41: 100, 42: 100, 51: 200, 61: 50}
    data = MarketData(
        inter=False,
        postes=list(POSTES),
        participants=[tenured(1, 1), tenured(2, 2), tenured(3, 3), entrant(4), tenured(5, 5, RIOM), entrant(6)],
        voeux=voeux,
        groupements={},
        voeu_scores={pk: s * 10 for pk, s in scores.items()},
        extension_scores={4: 1000, 6: 500},
        tiebreak={1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6},
        table={DEP_63: (DEP_03,), DEP_03: (DEP_63,)},
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def posts_of(market, result):  # type: ignore[no-untyped-def]
    return [None if p is None else market.poste_ids[p] for p in result.post]


def test_chain_of_three_moves_frees_each_post_for_the_next_and_the_last_for_an_entrant() -> None:
    market = build_market(chain_data())
    computation = compute(market)
    assert computation.verdict.ok
    assert posts_of(market, computation.combined) == [102, 103, 104, 101, 105, 106]
    assert computation.combined.kept == (False, False, False, False, True, False)
    assert computation.combined.extended == (False, False, False, False, False, True)
    assert computation.summary.movers == 3


def test_a_commune_voeu_expands_to_its_posts_nearest_the_preceding_voeu_first() -> None:
    market = build_market(chain_data())
    d = 3  # engine index of participant 4 (the entrant)
    listed = [market.poste_ids[p] for p in market.instance.prefs[d]]
    # voeu 1 is E2; the COM voeu covers E1, E3, E4 (E2 already listed), all in Clermont: stable key order
    assert listed == [102, 101, 103, 104]
    assert market.instance.voeu_ranks[d] == [1, 2, 2, 2]  # type: ignore[index]


def test_the_type_filter_keeps_only_matching_etablissements() -> None:
    data = chain_data()
    data.voeux = {**data.voeux, 4: [voeu(41, 1, "DPT", DEP_63, filtre="CLG")]}
    data.voeu_scores = {**data.voeu_scores, 41: 1000}
    market = build_market(data)
    assert [market.poste_ids[p] for p in market.instance.prefs[3]] == [105]  # the only collège


def test_extension_walks_to_the_next_departement_with_the_extension_bareme() -> None:
    market = build_market(chain_data())
    extension = market.extension_for(5)
    assert [market.poste_ids[p] for p in extension.posts] == [101, 103, 104, 105, 106]
    assert extension.score == 500  # 50 points


def test_missing_baremes_refuse_the_run_with_a_french_message() -> None:
    data = chain_data(voeu_scores={11: 5000}, tiebreak={1: 1})
    with pytest.raises(MouvementError, match=r"sans barème calculé.*sans rang de départage"):
        build_market(data)


def test_why_not_rows_give_each_better_voeu_its_bareme_and_barre() -> None:
    market = build_market(chain_data())
    computation = compute(market)
    # F (index 4) kept E5: their voeu 1 (E4) closed at C's 300 points, above F's 200
    assert computation.explanations[4] == [[1, 2000, 3000, "barre", 1, 104]]
    # G (index 5) was extended: voeu 1 (E2) taken by A with 500
    assert computation.explanations[5] == [[1, 500, 5000, "barre", 1, 102]]
    # A obtained voeu 1: nothing to explain
    assert computation.explanations[0] == []


def test_a_large_voeu_shows_the_lowest_barre_among_its_posts() -> None:
    data = chain_data()
    # H, a volunteer without post, asks for the whole commune with 50 points: every post there is taken
    data.participants = [*data.participants, entrant(7, obligatory=False)]
    data.voeux = {**data.voeux, 7: [voeu(71, 1, "COM", CLERMONT, commune=CLERMONT)]}
    data.voeu_scores = {**data.voeu_scores, 71: 500}
    data.tiebreak = {**data.tiebreak, 7: 7}
    market = build_market(data)
    computation = compute(market)
    assert computation.combined.post[6] is None
    rows = explain(market, computation.combined, computation.barres, 6)
    # E1 went to D (100), E2 to A (500), E3 to B (400), E4 to C (300): the lowest barre is D's on E1
    assert rows == [[1, 500, 1000, "barre", 4, 101]]


def test_a_voeu_covering_no_post_of_the_discipline_is_explained_as_such() -> None:
    data = chain_data()
    data.voeux = {**data.voeux, 5: [voeu(52, 1, "ETB", 99, commune=CLERMONT), *data.voeux[5]]}
    data.voeu_scores = {**data.voeu_scores, 52: 2000}
    data.voeux[5][1:] = [voeu(51, 2, "ETB", 4, commune=CLERMONT)]  # type: ignore[index]
    market = build_market(data)
    computation = compute(market)
    assert computation.explanations[4][0] == [1, 2000, None, "aucun", 0, None]


def test_ties_are_broken_by_the_published_order_and_said_so() -> None:
    data = chain_data()
    data.voeu_scores = {**data.voeu_scores, 51: 3000}  # F now ties with C on E4
    data.tiebreak = {**data.tiebreak, 3: 5, 5: 3}  # and F comes first in the published order
    market = build_market(data)
    computation = compute(market)
    assert posts_of(market, computation.combined)[4] == 104
    assert computation.explanations[2] == [[1, 3000, 3000, "egalite", 1, 104]]


def test_the_exchange_stage_is_reported_and_checked() -> None:
    market = build_market(chain_data())
    computation = compute(market, exchange_stage=True)
    assert computation.exchange is not None
    assert computation.exchange_ok is True
    assert exchange_is_sound(market.instance, computation.combined, computation.combined)


@pytest.mark.parametrize(("total", "score"), [(Decimal("150.2"), 1502), (Decimal("0.1"), 1), (Decimal(1500), 15000)])
def test_baremes_become_tenths_of_a_point(total: Decimal, score: int) -> None:
    assert to_score(total) == score


def test_a_bareme_finer_than_a_tenth_is_refused() -> None:
    with pytest.raises(MouvementError, match="dixième"):
        to_score(Decimal("10.05"))


def test_the_database_intra_draws_the_same_lists_as_the_pure_generator() -> None:
    from siam.mouvement import Expander, expand
    from siam.mouvement.synthetic import generate_intra

    aca, teachers, capacities = _Intra(None, 7, 300, 12, print).draw()  # type: ignore[arg-type]
    reference = generate_intra(7, 300, 12)
    expander = Expander()
    for t, teacher in enumerate(teachers):
        home = None if teacher["own"] is None else aca.communes[aca.commune_of[teacher["own"]]].point
        assert expand(teacher["voeux"], home, expander).posts == reference.instance.prefs[t]
    assert capacities == list(reference.instance.capacities)


def test_the_shared_expander_orders_exactly_as_the_core() -> None:
    from siam.mouvement import Expander, expand
    from siam.services.mouvement.market import SharedExpander

    aca, teachers, _capacities = _Intra(None, 11, 400, 20, print).draw()  # type: ignore[arg-type]
    core, shared = Expander(), SharedExpander()
    for teacher in teachers:
        home = None if teacher["own"] is None else aca.communes[aca.commune_of[teacher["own"]]].point
        assert expand(teacher["voeux"], home, shared) == expand(teacher["voeux"], home, core)
