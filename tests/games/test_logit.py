"""The logit choice rule (negsim.games.algorithms.logit): probabilities, -inf for
unavailable alternatives, infinite precision, no overflow, validation."""

from __future__ import annotations

import numpy as np
import pytest

from negsim.games import logit_choice_probabilities


# ------------------------------------------------------------------------- the logit rule
def test_logit_choice_probabilities_rule():
    v = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, -np.inf]])
    p = logit_choice_probabilities(v, lam=[2.0, 0.0])
    e = np.exp(2.0 * np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(p[0], e / e.sum())
    np.testing.assert_allclose(p[1], [0.5, 0.5, 0.0])
    big = logit_choice_probabilities([1000.0, 999.0], lam=50.0)  # no overflow
    assert np.isfinite(big).all() and big[0] == pytest.approx(1.0)
    np.testing.assert_array_equal(logit_choice_probabilities([1.0, 3.0, 3.0], np.inf),
                                  [0.0, 0.5, 0.5])


@pytest.mark.parametrize(
    ("values", "lam", "match"),
    [
        ([1.0, np.nan], 1.0, r"values contain NaN at index \(1,\)"),
        ([[0.0, 1.0], [1.0, np.inf]], 1.0, r"values contain \+inf at index \(1, 1\)"),
        ([-np.inf, -np.inf], 1.0, "has no finite value"),
        ([1.0, 2.0], -1.0, "precision lam must be >= 0"),
        ([1.0, 2.0], np.nan, "precision lam must be >= 0"),
        (3.0, 1.0, "need a last axis"),
    ],
)
def test_logit_choice_probabilities_validation(values, lam, match):
    with pytest.raises(ValueError, match=match):
        logit_choice_probabilities(values, lam)
