"""Test-wide settings.

Hypothesis runs derandomized by default, so that the suite (and CI, which must pass for work
to land) gives the same verdict on every run: the examples a property test tries depend on the
test, not on the clock. To search further for counterexamples, run with
``HYPOTHESIS_PROFILE=explore`` (random examples, five times as many); a failure it finds is
printed with the ``@example`` to add to the test.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("negsim", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True,
                          max_examples=settings.default.max_examples * 5)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "negsim"))
