"""Hypothesis profiles: how many examples each property test draws.

- ``ci`` (the default, what ``make test`` runs): every property test draws at most ``CI_MAX_EXAMPLES``
  examples, so that the whole suite stays under five minutes on two cores;
- ``thorough`` (``HYPOTHESIS_PROFILE=thorough make test``, before a release or when touching a core): each test
  draws the count written in it (``examples(200)`` draws 200), 100 for those that name none.

A test names its thorough count with ``@settings(max_examples=examples(n))``; the properties themselves are
the same in both profiles. No profile has a deadline: on a shared machine the clock says nothing of the code.
"""

from __future__ import annotations

import os

from hypothesis import settings

CI_MAX_EXAMPLES = 25
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

settings.register_profile("ci", deadline=None, max_examples=CI_MAX_EXAMPLES)
settings.register_profile("thorough", deadline=None, max_examples=100)
if PROFILE not in ("ci", "thorough"):
    raise RuntimeError(f"HYPOTHESIS_PROFILE={PROFILE!r}: « ci » ou « thorough »")
settings.load_profile(PROFILE)


def examples(thorough: int) -> int:
    """The examples a test draws: ``thorough`` under the thorough profile, at most CI_MAX_EXAMPLES under ci."""
    return thorough if PROFILE == "thorough" else min(thorough, CI_MAX_EXAMPLES)
