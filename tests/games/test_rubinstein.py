"""Rubinstein's alternating offers (negsim.games.algorithms.rubinstein): the closed form,
patience as bargaining power, discount rates and the continuous-time limit (the asymmetric
Nash solution), validation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from negsim.games import nash_bargaining, rubinstein, rubinstein_rates

PIE = np.array([[1.0, 0.0], [0.0, 1.0]])  # all to player 1, all to player 2


# -------------------------------------------------------------------------- Rubinstein
@pytest.mark.parametrize(
    ("d1", "d2", "share1"),
    [
        (0.9, 0.9, 1 / 1.9),
        (0.5, 0.5, 2 / 3),
        (0.0, 0.0, 1.0),
        (0.9, 0.0, 1.0),  # a responder who does not wait accepts nothing
        (0.0, 0.8, 0.2),  # an impatient proposer keeps only 1 - delta2
        (0.95, 0.8, 0.2 / (1 - 0.76)),
    ],
)
def test_rubinstein_closed_form(d1, d2, share1):
    s1, s2 = rubinstein(d1, d2)
    assert s1 == pytest.approx(share1)
    assert s1 + s2 == pytest.approx(1.0)


def test_rubinstein_patience_is_power():
    assert rubinstein(0.95, 0.9)[0] > rubinstein(0.9, 0.9)[0] > rubinstein(0.9, 0.95)[0]


@pytest.mark.parametrize("bad", [1.0, -0.1, 1.5, float("nan"), float("inf"), True, "0.9", None])
def test_rubinstein_rejects_bad_discount_factors(bad):
    with pytest.raises(ValueError, match="delta1"):
        rubinstein(bad, 0.5)
    with pytest.raises(ValueError, match="delta2"):
        rubinstein(0.5, bad)


def test_rubinstein_rates_matches_discrete_and_limit():
    r1, r2 = 0.1, 0.3
    for period in (2.0, 0.5, 1e-3):
        got = rubinstein_rates(r1, r2, period)
        ref = rubinstein(math.exp(-r1 * period), math.exp(-r2 * period))
        assert got == pytest.approx(ref, rel=1e-9)
    assert rubinstein_rates(r1, r2) == pytest.approx((0.75, 0.25))
    assert rubinstein_rates(r1, r2, 1e-9)[0] == pytest.approx(0.75, abs=1e-8)
    # the limit is the asymmetric Nash solution with weights 1 / r_i
    nb = nash_bargaining(PIE, [0, 0], weights=[1 / r1, 1 / r2], convex=True)
    np.testing.assert_allclose(nb.utilities, rubinstein_rates(r1, r2), atol=1e-9)


@pytest.mark.parametrize(("args", "name"), [((0, 1), "r1"), ((1, -1), "r2"),
                                            ((1, 1, 0.0), "period"), ((1, float("nan")), "r2")])
def test_rubinstein_rates_validation(args, name):
    with pytest.raises(ValueError, match=name):
        rubinstein_rates(*args)
