"""The static forecasts: weighted mean and weighted median (negsim.forecasting.baselines)."""

from __future__ import annotations

import numpy as np
import pytest
from forecast_cases import table
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from negsim.forecasting import forecast, weighted_mean, weighted_median


# ---------------------------------------------------------------------------------------
# weighted mean and median
# ---------------------------------------------------------------------------------------
def test_weighted_mean_by_hand():
    # weights c*s = 1, 1, 0.25: (0*1 + 1*1 + 4*0.25) / 2.25
    assert weighted_mean([0, 1, 4], [1, 2, 1], [1, 0.5, 0.25]) == pytest.approx(2 / 2.25)


def test_weighted_median_by_hand_and_unsorted_input():
    # cumulative weights 1, 2, 2.25; half is 1.125, first reached at position 1
    assert weighted_median([0, 1, 4], [1, 2, 1], [1, 0.5, 0.25]) == 1.0
    assert weighted_median([4, 0, 1], [1, 1, 2], [0.25, 1, 0.5]) == 1.0


def test_weighted_median_tie_rule_is_the_lower_position():
    # exactly half the weight at 0: the lower position, not the average 0.5
    assert weighted_median([0.0, 1.0], [1, 1], [1, 1]) == 0.0
    # cumulative 1, 2, 4 with half 2 reached exactly at position 1: 1, not 1.5
    assert weighted_median([0.0, 1.0, 2.0], [1, 1, 2], [1, 1, 1]) == 1.0
    # the rounding of 0.1 + 0.2 does not push the median past the tie
    assert weighted_median([0.0, 1.0, 2.0], [0.1, 0.2, 0.3], [1, 1, 1]) == 1.0


def test_zero_weight_actors_do_not_move_the_baselines():
    assert weighted_median([0, 5, 1], [1, 0, 1], [1, 1, 1]) == 0.0
    assert weighted_mean([0, 5, 1], [1, 3, 1], [1, 0, 1]) == pytest.approx(0.5)


finite = st.floats(-100, 100, allow_nan=False, allow_infinity=False)
weights = st.floats(0, 10, allow_nan=False, allow_infinity=False)
sal = st.floats(0, 1, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(x=finite, c=st.lists(st.floats(0.01, 10), min_size=1, max_size=8), data=st.data())
def test_identical_positions_give_that_position(x, c, data):
    s = data.draw(st.lists(st.floats(0.01, 1), min_size=len(c), max_size=len(c)))
    xs = [x] * len(c)
    assert weighted_median(xs, c, s) == x
    assert weighted_mean(xs, c, s) == pytest.approx(x, abs=1e-12 * max(1, abs(x)))
    res = forecast(table(xs, c, s), rounds=3)
    assert np.all(res.positions["position"].to_numpy() == x)
    assert res.moves.empty
    assert np.allclose(res.summary[["mean", "median"]].to_numpy(), x)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(finite, weights, sal), min_size=1, max_size=9))
def test_weighted_median_is_a_condorcet_winner(rows):
    x, c, s = map(np.array, zip(*rows, strict=True))
    w = c * s
    assume(w.sum() > 1e-6)
    m = weighted_median(x, c, s)
    assert m in x
    for y in x:  # no actor position beats the median in a weighted pairwise vote
        margin = np.sum(w * (np.abs(x - m) - np.abs(x - y)))
        assert margin <= 1e-9 * max(1.0, np.sum(w * np.abs(x)))
