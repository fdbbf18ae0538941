"""The Hypothesis profile the suite runs under (tests/properties.py): ci caps every property test's examples."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.properties import CI_MAX_EXAMPLES, PROFILE, examples


def test_a_property_test_draws_the_count_of_the_profile() -> None:
    drawn: list[int] = []

    @settings(max_examples=examples(200), database=None)
    @given(st.integers())
    def property_(n: int) -> None:
        drawn.append(n)

    property_()
    assert len(drawn) == (CI_MAX_EXAMPLES if PROFILE == "ci" else 200)


def test_under_ci_a_smaller_count_written_in_a_test_is_kept_and_the_default_is_capped() -> None:
    default = settings.default
    assert default is not None
    if PROFILE == "ci":
        assert (examples(8), examples(300), default.max_examples) == (8, CI_MAX_EXAMPLES, CI_MAX_EXAMPLES)
    else:
        assert (examples(8), examples(300), default.max_examples) == (8, 300, 100)
