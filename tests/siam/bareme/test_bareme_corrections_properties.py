"""Invariants of staff corrections (hypothesis): random situations × corrected facts × line overrides.

The calculator stays the only source of points: an override changes only a line the rule applied on that
vœu, a bonus (or one of its sub-lines: enfants, années de séparation) never appears where its rule does not
apply, and every total is the sum of its counted lines.
"""

from __future__ import annotations

from decimal import Decimal

from bareme_helpers import INTER, INTRA
from hypothesis import given
from hypothesis import strategies as st
from test_bareme_properties import compiled, situations, voeux_lists

from siam.bareme import (
    COUNTED,
    FactCorrection,
    Fait,
    LineOverride,
    LineState,
    compute_baremes,
    corrected_baremes,
    corrected_extension,
    corrected_situation,
    fact_value,
)

CODES = sorted({c.code for c in INTER.components} | {c.code for c in INTRA.components})
FAMILY = ("rc", "apc")
SUB_LINES = ("enfants", "separation")

facts = st.lists(st.builds(FactCorrection, fait=st.sampled_from(list(Fait)), valeur=st.integers(0, 12)), max_size=3)
overrides = st.lists(
    st.builds(
        LineOverride,
        code=st.sampled_from(CODES),
        points=st.decimals(min_value=0, max_value=2000, places=1, allow_nan=False, allow_infinity=False),
        justification=st.just("pièce examinée"),
        rang=st.none() | st.integers(1, 8),
    ),
    max_size=4,
)


def counted(bareme, code):
    line = bareme.line(code)
    return line is not None and line.state in COUNTED


@given(situations, voeux_lists, compiled, facts, overrides)
def test_an_override_never_creates_a_line_nor_points_where_the_rule_gives_none(s, voeux, rules, fs, os):
    by_rule = compute_baremes(corrected_situation(s, fs), voeux, rules)
    for rule_bareme, bareme in zip(by_rule, corrected_baremes(s, voeux, rules, facts=fs, overrides=os), strict=True):
        assert [line.code for line in bareme.lines] == [line.code for line in rule_bareme.lines]
        for rule_line, line in zip(rule_bareme.lines, bareme.lines, strict=True):
            if rule_line.state is not LineState.APPLIED:
                assert line == rule_line
            else:
                assert line.state in COUNTED


@given(situations, voeux_lists, compiled, facts, overrides)
def test_a_voeu_without_rc_or_apc_never_carries_their_sub_lines(s, voeux, rules, fs, os):
    for bareme in corrected_baremes(s, voeux, rules, facts=fs, overrides=os):
        if not any(counted(bareme, code) for code in FAMILY):
            for code in SUB_LINES:
                line = bareme.line(code)
                assert line is None or (line.points == 0 and line.state not in COUNTED)


@given(situations, voeux_lists, compiled, facts, overrides)
def test_total_is_the_sum_of_the_counted_lines(s, voeux, rules, fs, os):
    for bareme in corrected_baremes(s, voeux, rules, facts=fs, overrides=os):
        assert bareme.total == sum((line.points for line in bareme.lines if line.state in COUNTED), Decimal(0))
        assert all(line.points == 0 for line in bareme.lines if line.state not in COUNTED)
    extension = corrected_extension(s, voeux, rules, facts=fs, overrides=os)
    lines = extension.bareme.lines
    assert extension.total == sum((line.points for line in lines if line.state in COUNTED), Decimal(0))


@given(situations, voeux_lists, compiled, st.sampled_from(list(Fait)))
def test_correcting_a_fact_to_its_own_value_changes_nothing(s, voeux, rules, fait):
    same = [FactCorrection(fait=fait, valeur=fact_value(s, fait))]
    assert corrected_baremes(s, voeux, rules, facts=same) == compute_baremes(s, voeux, rules)


@given(situations, voeux_lists, compiled, facts)
def test_a_corrected_fact_is_read_back_and_the_last_correction_wins(s, voeux, rules, fs):
    corrected = corrected_situation(s, fs)
    for fait in Fait:
        last = [c.valeur for c in fs if c.fait is fait]
        assert fact_value(corrected, fait) == (last[-1] if last else fact_value(s, fait))
