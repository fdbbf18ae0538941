"""Invariants of the calculator on random situations and vœux (hypothesis)."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

from bareme_helpers import INTER, INTRA
from hypothesis import assume, given
from hypothesis import strategies as st

from siam.bareme import (
    FRANCE,
    CimmClaim,
    Claim,
    Claims,
    ClaimStatus,
    Classe,
    EducationPrioritaire,
    EducationPrioritaireType,
    ExContractuelClaim,
    Famille,
    HandicapClaim,
    Lieu,
    LineState,
    PreferentielClaim,
    Rules,
    Situation,
    Stagiaire,
    TypeVoeu,
    TzrClaim,
    VoeuFacts,
    compute_bareme,
    compute_baremes,
    compute_extension_bareme,
    default_rules_inter,
    default_rules_intra_clermont,
    warnings_for_voeu,
)

ACADEMIES = sorted(FRANCE.academies)
academie = st.sampled_from(["06", "06", "10", "08", "31", *ACADEMIES])
departement = st.sampled_from(["063", "003", "015", "043", "069"])
commune = st.sampled_from(["63113", "63014", "03185", "15014"])
etablissement = st.sampled_from(["", "0630001A", "0630002B"])
statuses = st.sampled_from(list(ClaimStatus))


def maybe(strategy):
    return st.none() | strategy


claim = st.builds(Claim, status=statuses, motif_refus=st.just("motif"))
lieux = st.builds(Lieu, academie=academie, departement=departement, commune=commune, etablissement=etablissement)
claims = st.builds(
    Claims,
    rc=maybe(claim),
    apc=maybe(claim),
    mutation_simultanee=maybe(claim),
    rqth=maybe(claim),
    handicap=maybe(
        st.builds(
            HandicapClaim,
            status=statuses,
            academies=st.frozensets(academie, max_size=3),
            departements=st.frozensets(departement, max_size=2),
        )
    ),
    cimm=maybe(st.builds(CimmClaim, status=statuses, academie=academie)),
    carte_scolaire=maybe(claim),
    tzr=maybe(st.builds(TzrClaim, status=statuses, annees=st.integers(0, 8))),
    preferentiel=maybe(
        st.builds(PreferentielClaim, status=statuses, academie=academie, annees_precedentes=st.integers(0, 6))
    ),
    stagiaire_ex_contractuel=maybe(
        st.builds(ExContractuelClaim, status=statuses, echelon_reclassement=st.integers(1, 9))
    ),
    stagiaire_voeu_1=maybe(claim),
)
situations = st.builds(
    Situation,
    corps=st.sampled_from(["CERT", "AGREG", "PLP", "CPE", "PSYEN", "EPS"]),
    classe=st.sampled_from(list(Classe)),
    echelon=st.integers(1, 11),
    annees_4e_echelon_hc=st.integers(0, 4),
    anciennete_poste=st.integers(0, 20),
    poste=maybe(lieux),
    education_prioritaire=maybe(
        st.builds(EducationPrioritaire, type=st.sampled_from(list(EducationPrioritaireType)), annees=st.integers(0, 10))
    ),
    stagiaire=maybe(st.builds(Stagiaire, academie_stage=academie)),
    famille=st.builds(
        Famille,
        conjoint=maybe(lieux),
        residence_enfants=maybe(lieux),
        enfants=st.integers(0, 4),
        annees_separation=st.integers(0, 6),
    ),
    claims=claims,
)
voeu_bodies = st.fixed_dictionaries(
    {
        "type": st.sampled_from(list(TypeVoeu)),
        "academie": academie,
        "departement": departement,
        "communes": st.frozensets(commune, max_size=2),
        "etablissement": etablissement,
        "etablissement_type": st.sampled_from(["", "LYC", "CLG", "LP"]),
        "etablissement_ep": st.sampled_from(["", "REP", "REP+"]),
        "filtre": st.sampled_from(["TOUT", "TOUT", "LYC", "CLG"]),
    }
)
voeux_lists = st.lists(voeu_bodies, min_size=1, max_size=8).map(
    lambda bodies: [VoeuFacts(rang=rang, **body) for rang, body in enumerate(bodies, start=1)]  # type: ignore[arg-type]
)
compiled = st.sampled_from([INTER, INTRA])


@given(situations, voeux_lists, compiled)
def test_total_is_the_sum_of_the_applying_lines(s, voeux, rules):
    for bareme in compute_baremes(s, voeux, rules):
        assert bareme.total == sum((line.points for line in bareme.lines if line.applies), Decimal(0))
        assert all(line.points == 0 for line in bareme.lines if not line.applies)
        assert all(line.sentence.endswith(f" — {line.detail}") for line in bareme.lines)


@given(situations, voeux_lists, compiled, st.sampled_from([f.name for f in dataclasses.fields(Claims)]), statuses)
def test_a_claim_not_validated_never_adds_points(s, voeux, rules, field, status):
    current = getattr(s.claims, field)
    assume(current is not None and status is not ClaimStatus.VALIDATED)
    unvalidated = dataclasses.replace(
        s, claims=dataclasses.replace(s.claims, **{field: dataclasses.replace(current, status=status)})
    )
    absent = dataclasses.replace(s, claims=dataclasses.replace(s.claims, **{field: None}))
    with_claim = compute_baremes(unvalidated, voeux, rules)
    assert [b.total for b in with_claim] == [b.total for b in compute_baremes(absent, voeux, rules)]
    for bareme in with_claim:
        line = bareme.line(field)
        assert line is None or (line.points == 0 and line.state is not LineState.APPLIED)


@given(situations, voeux_lists, compiled)
def test_one_voeu_at_a_time_gives_what_the_bulk_path_gives(s, voeux, rules):
    bulk = compute_baremes(s, voeux, rules)
    assert [compute_bareme(s, v, rules, all_voeux=voeux) for v in voeux] == list(bulk)


@given(situations, voeux_lists, st.booleans())
def test_baremes_are_deterministic_across_compilations(s, voeux, inter):
    # The long-lived compiled rules share lines between participants: they must
    # give what fresh ones give.
    fresh = (default_rules_inter() if inter else default_rules_intra_clermont()).compile()
    assert compute_baremes(s, voeux, fresh) == compute_baremes(s, voeux, INTER if inter else INTRA)


@given(situations, voeux_lists, compiled)
def test_extension_bareme_is_never_above_the_lowest_voeu(s, voeux, rules):
    lowest = min(b.total for b in compute_baremes(s, voeux, rules))
    assert compute_extension_bareme(s, voeux, rules).total <= lowest


@given(situations, voeux_lists)
def test_inter_rules_restrict_no_voeu_type_so_never_warn(s, voeux):
    assert all(warnings_for_voeu(s, v, INTER, all_voeux=voeux) == () for v in voeux)


points = st.decimals(min_value=0, max_value=5000, places=1, allow_nan=False, allow_infinity=False)


@given(points, points, st.lists(points, min_size=1, max_size=5, unique=True), st.booleans(), situations, voeux_lists)
def test_edited_rules_round_trip_and_compute_the_same(rc, enfant, grid, limitrophes, s, voeux):
    rows: list[dict[str, Any]] = default_rules_inter().to_dicts()  # type: ignore[assignment]
    for row in rows:
        if row["code"] == "rc":
            row["params"].update(points=str(rc), limitrophes=limitrophes)
        elif row["code"] == "enfants":
            row["params"]["par_enfant"] = str(enfant)
        elif row["code"] == "separation":
            row["params"]["paliers"] = [[years, str(p)] for years, p in enumerate(sorted(grid), start=1)]
    rules = Rules.from_dicts(rows)
    again = Rules.from_dicts(json.loads(json.dumps(rules.to_dicts())))
    assert again == rules
    assert compute_baremes(s, voeux, again.compile()) == compute_baremes(s, voeux, rules.compile())
