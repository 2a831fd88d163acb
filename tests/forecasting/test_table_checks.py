"""Issue 16: forecast tables are checked (booleans, duplicates, size) and the model scales."""

from __future__ import annotations

import io
import itertools
import re

import numpy as np
import pandas as pd
import pytest

from negsim import forecast
from negsim.forecasting.model import _distance_utility, _vote_sums, pairwise_votes
from negsim.forecasting.table import MAX_ACTORS, ForecastError


def _csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text))


def test_boolean_capability_is_refused() -> None:
    with pytest.raises(ForecastError, match=r"^capability of actor 'A' is a boolean \(true\), "
                       "not a number$"):
        forecast(_csv("actor,capability,position,salience\nA,true,1,1\nB,false,2,1\n"))


def test_boolean_in_a_list_table_is_refused() -> None:
    with pytest.raises(ForecastError, match=r"^salience of actor 'B' is a boolean \(false\)"):
        forecast({"actor": ["A", "B"], "capability": [1, 1], "position": [0, 1],
                  "salience": [1.0, False]})


@pytest.mark.parametrize("second", ["a", " A", "A  ", "\ta"])
def test_actors_differing_by_case_or_whitespace_are_refused(second: str) -> None:
    table = pd.DataFrame({"actor": ["A", "B", second], "capability": [1, 1, 1],
                          "position": [0, 1, 2], "salience": [1, 1, 1]})
    msg = (f"actors 'A' and {second!r} differ only by case or whitespace: "
           "each actor must appear once")
    with pytest.raises(ForecastError, match=f"^{re.escape(msg)}$"):
        forecast(table)


def test_exact_duplicate_keeps_its_message() -> None:
    with pytest.raises(ForecastError, match="^actor 'A' appears twice$"):
        forecast({"actor": ["A", "A"], "capability": [1, 1], "position": [0, 1],
                  "salience": [1, 1]})


def test_duplicated_column_is_refused() -> None:
    with pytest.raises(ForecastError, match="^column 'capability' appears twice"):
        forecast(_csv("actor,capability,position,salience,capability\nA,1,1,1,2\nB,1,2,1,2\n"))
    df = pd.DataFrame([["A", 1, 0, 1, 1], ["B", 1, 1, 1, 1]],
                      columns=["actor", "position", "capability", "salience", "position"])
    with pytest.raises(ForecastError, match="^column 'position' appears twice"):
        forecast(df)


def _random_table(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"actor": [f"a{i}" for i in range(n)],
                         "capability": rng.uniform(0, 1, n),
                         "position": rng.uniform(0, 100, n), "salience": rng.uniform(0, 1, n)})


def test_too_many_actors_is_refused_up_front() -> None:
    with pytest.raises(ForecastError, match=f"^{MAX_ACTORS + 1:,} actors: forecasts are "
                       f"limited to {MAX_ACTORS:,} actors"):
        forecast(_random_table(MAX_ACTORS + 1))
    with pytest.raises(ForecastError, match="limited to 200 actors, got 201"):
        pairwise_votes(np.arange(201.0), np.ones(201), np.ones(201))


def test_the_supported_size_runs() -> None:
    # Its speed is measured in benchmarks/forecast.py (as a ratio to the definition).
    res = forecast(_random_table(MAX_ACTORS), rounds=3)
    assert len(res.positions) == 4 * MAX_ACTORS


def _brute_vote_sums(x: np.ndarray, w: np.ndarray, rho: np.ndarray,
                     scale: float) -> tuple[np.ndarray, np.ndarray]:
    """The definition: every voter's vote on every contest, summed (n x n x n)."""
    g = _distance_utility(x, rho, scale)
    v = w[:, None, None] * (g[:, None, :] - g[:, :, None])
    return np.clip(v, 0.0, None).sum(axis=0), np.abs(v).sum(axis=0)


@pytest.mark.parametrize("n,decimals,risky", list(itertools.product([1, 2, 3, 7, 40, 150],
                                                              [1, 3, 12], [False, True])))
def test_prefix_vote_sums_match_the_definition(n: int, decimals: int, risky: bool) -> None:
    rng = np.random.default_rng(n * 100 + decimals)
    x = np.round(rng.uniform(0, 1, n), decimals)  # few decimals: many ties
    w = rng.uniform(0, 1, n) * (rng.uniform(size=n) > 0.2)
    rho = rng.uniform(0.5, 2.0, n) if risky else np.ones(n)
    s1, t1 = _brute_vote_sums(x, w, rho, 1.0)
    s2, t2 = _vote_sums(x, w, rho, 1.0)
    grand = max(float(t1.sum()), 1.0)
    assert np.max(np.abs(s1 - s2)) <= 1e-12 * grand
    assert np.max(np.abs(t1 - t2)) <= 1e-12 * grand
    assert np.array_equal(s1 > 0, s2 > 1e-12 * grand) or n < 2


def test_huge_numbers_are_refused() -> None:
    with pytest.raises(ForecastError, match=r"^position of actor 'A' is -1e\+308: positions and "
                       r"capabilities must be at most 1e\+12 in absolute value$"):
        forecast({"actor": ["A", "B"], "capability": [1, 1], "position": [-1e308, 1e308],
                  "salience": [1, 1]})


def test_integers_too_large_for_a_float_are_refused() -> None:
    # found by tests/forecasting/test_forecast_fuzz.py: a CSV cell of 400 digits is read by
    # pandas as a Python int, which numpy cannot turn into a float (OverflowError)
    huge = "1" + "0" * 400
    with pytest.raises(ForecastError, match=r"^position of actor 'x0' is too large for a "
                       r"float: 401 digits$"):
        forecast(_csv(f"actor,capability,position,salience\nx0,0.1,{huge},0.8\nx1,0.1,7,0.4\n"))
