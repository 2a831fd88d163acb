"""Sweeps: points, common random numbers, grids and zips, and the per-point summary."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from negsim.ensemble import simulate, sweep, sweep_parameters, sweep_summary, wilson_interval
from negsim.ensemble.sweeps import sweep_points
from negsim.scenario import OUTCOMES, load_scenario


@pytest.fixture(scope="module")
def libya():
    return load_scenario("libya-2020")


def test_sweep_points_grid_and_zip():
    assert sweep_points({"a": [1, 2], "b": [10, 20, 30]}, grid=True) == [
        (1, 10), (1, 20), (1, 30), (2, 10), (2, 20), (2, 30)]
    assert sweep_points({"a": [1, 2], "b": [10, 20]}, grid=False) == [(1, 10), (2, 20)]
    with pytest.raises(ValueError, match="equal lengths"):
        sweep_points({"a": [1, 2], "b": [10]}, grid=False)
    with pytest.raises(ValueError, match="no values"):
        sweep_points({"a": []}, grid=True)
    with pytest.raises(ValueError, match="non-empty"):
        sweep_points({}, grid=True)
    with pytest.raises(ValueError, match="finite"):
        sweep_points({"a": [math.inf]}, grid=True)


def test_sweep_summary_hand_made():
    df = pd.DataFrame({
        "point": [0, 0, 0, 1, 1, 1], "x": [0.1] * 3 + [0.9] * 3, "run": [0, 1, 2] * 2,
        "outcome": ["no_agreement", "signed_and_holds", "signed_and_holds",
                    "signed_and_holds", "signed_and_holds", "signed_and_holds"],
        "holds": [False, True, True, True, True, False],
    })
    assert sweep_parameters(df) == ["x"]
    s = sweep_summary(df)
    assert s["point"].tolist() == [0, 1] and s["x"].tolist() == [0.1, 0.9]
    assert s["outcome.signed_and_holds"].tolist() == pytest.approx([2 / 3, 1.0])
    assert s["holds_probability"].tolist() == pytest.approx([2 / 3, 2 / 3])
    lo, hi = wilson_interval(2, 3)
    assert s["holds_probability.low"].tolist() == [lo, lo]
    assert s["holds_probability.high"].tolist() == [hi, hi]
    with pytest.raises(ValueError, match="not a sweep"):
        sweep_parameters(df.drop(columns="point"))


def _sampled_columns(libya, df):
    return [u.parameter for u in libya.uncertainty if u.parameter in df.columns]


def test_sweep_uses_common_random_numbers(libya):
    swept = libya.uncertainty[0].parameter  # an uncertain parameter: fixed at each point
    lo, hi = libya.parameter_bounds(swept)
    values = [lo + 0.25 * (min(hi, 1.0) - lo), lo + 0.75 * (min(hi, 1.0) - lo)]
    df = sweep(libya, {swept: values}, runs=120, seed=9)
    assert sweep_parameters(df) == [swept]
    assert len(df) == 240 and df["point"].tolist() == [0] * 120 + [1] * 120
    a = df[df["point"] == 0].reset_index(drop=True)
    b = df[df["point"] == 1].reset_index(drop=True)
    assert a[swept].unique().tolist() == [values[0]] and b[swept].unique().tolist() == [values[1]]
    others = [c for c in _sampled_columns(libya, df) if c != swept]
    assert others, "the Libya scenario should have more than one uncertain parameter"
    # the same uniforms drive every point: the other sampled parameters are identical
    assert_frame_equal(a[others], b[others], check_exact=True)
    assert a["run"].tolist() == list(range(120))
    # each point is exactly the ensemble of the fixed scenario
    alone = simulate(libya.with_overrides({swept: values[1]}), runs=120, seed=9).runs
    assert_frame_equal(b.drop(columns=["point", swept]), alone, check_exact=True)


def test_sweep_grid_zip_and_errors(libya):
    grid = sweep(libya, {"model.rationality": [1.0, 3.0], "model.amendment_reach": [0.2, 0.6]},
                 runs=20, seed=1)
    assert grid.groupby("point")[["model.rationality", "model.amendment_reach"]].first(
    ).values.tolist() == [[1.0, 0.2], [1.0, 0.6], [3.0, 0.2], [3.0, 0.6]]
    zipped = sweep(libya, {"model.rationality": [1.0, 3.0], "model.amendment_reach": [0.2, 0.6]},
                   runs=20, seed=1, grid=False)
    assert zipped["point"].nunique() == 2
    assert_frame_equal(zipped[zipped["point"] == 1].drop(columns="point").reset_index(drop=True),
                       grid[grid["point"] == 3].drop(columns="point").reset_index(drop=True),
                       check_exact=True)
    s = sweep_summary(grid)
    assert len(s) == 4 and np.allclose(s[[f"outcome.{o}" for o in OUTCOMES]].sum(axis=1), 1)
    with pytest.raises(ValueError, match="sweep point 0"):
        sweep(libya, {"actors.Nobody.capability": [0.1]}, runs=5)
