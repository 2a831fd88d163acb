"""Test-wide settings.

Hypothesis runs derandomized by default, so that the suite (and CI, which must pass for work
to land) gives the same verdict on every run: the examples a property test tries depend on the
test, not on the clock. To search further for counterexamples, run with
``HYPOTHESIS_PROFILE=explore`` (random examples, five times as many); a failure it finds is
printed with the ``@example`` to add to the test.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("negsim", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True,
                          max_examples=settings.default.max_examples * 5)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "negsim"))


def assert_engine_equals_mesa(scenario, seed, runs, engine=None):
    """Assert that the engine's runs equal the Mesa model's, bit for bit; return the engine's.

    ``runs`` are run indices of root seed ``seed``; ``engine`` is the engine's frame of those
    runs if the caller has it (otherwise it is simulated here). Both frames must have the
    same columns; every column is compared exactly (floats bit for bit, NaN equal to NaN).
    """
    import numpy as np
    import pandas as pd

    from negsim import NegotiationModel
    from negsim.sim.engine import simulate_runs

    runs = np.asarray(runs)
    if engine is None:
        engine = simulate_runs(scenario, seed, runs)
    mesa = pd.DataFrame([
        {"run": int(i), "seed": seed,
         **NegotiationModel(scenario, rng=np.random.SeedSequence([seed, int(i)])).run().to_row()}
        for i in runs])
    assert set(mesa.columns) == set(engine.columns)
    for col in engine.columns:
        a, b = mesa[col].to_numpy(), engine[col].to_numpy()
        if engine[col].dtype.kind == "f":
            assert np.array_equal(a.astype(float), b, equal_nan=True), col
        else:
            assert list(a) == list(b), col
    return engine


@pytest.fixture
def engine_equals_mesa():
    """:func:`assert_engine_equals_mesa`, for tests that compare the two implementations."""
    return assert_engine_equals_mesa
