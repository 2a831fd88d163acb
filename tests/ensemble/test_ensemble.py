"""Ensembles: Wilson intervals, summaries, resumable chunk storage, simulate and sweep."""

from __future__ import annotations

import io
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from negsim.ensemble.core import (
    OUTCOME_ORDER,
    EnsembleResult,
    Proportion,
    ResultsDirectoryError,
    _ChunkStore,
    _Progress,
    _sweep_points,
    simulate,
    summarize,
    sweep,
    sweep_parameters,
    sweep_summary,
    wilson_interval,
)

Z = 1.959963984540054


# ------------------------------------------------------------------------ Wilson interval
@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # hand-computed from (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
        (5, 10, 0.236593, 0.763407),
        (0, 10, 0.0, 0.277533),
        (10, 10, 0.722467, 1.0),
        (1, 1, 0.206549, 1.0),
        (30, 100, 0.218949, 0.395849),
        (500, 1000, 0.469070, 0.530930),
    ],
)
def test_wilson_hand_values(k, n, low, high):
    lo, hi = wilson_interval(k, n)
    assert lo == pytest.approx(low, abs=1e-6)
    assert hi == pytest.approx(high, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 10_000), frac=st.floats(0, 1))
def test_wilson_bounds_solve_the_score_equation(n, frac):
    # The Wilson bounds are the p where the score statistic equals z:
    # (phat - p)^2 = z^2 p (1 - p) / n.
    k = round(frac * n)
    lo, hi = wilson_interval(k, n)
    phat = k / n
    assert 0.0 <= lo <= phat <= hi <= 1.0
    for p in (lo, hi):
        assert (phat - p) ** 2 == pytest.approx(Z**2 * p * (1 - p) / n, abs=1e-12)


def test_wilson_arrays_and_narrower_z():
    lo, hi = wilson_interval(np.array([0, 5, 10]), np.array([10, 10, 10]))
    assert lo.shape == (3,) and lo[0] == 0.0 and hi[2] == 1.0
    lo90, hi90 = wilson_interval(5, 10, z=1.6448536269514722)
    assert lo90 > lo[1] and hi90 < hi[1]


@pytest.mark.parametrize(("k", "n"), [(1, 0), (-1, 5), (6, 5), (math.nan, 5)])
def test_wilson_rejects_bad_counts(k, n):
    with pytest.raises(ValueError, match="wilson_interval"):
        wilson_interval(k, n)


def test_proportion():
    p = Proportion.of(3, 4)
    assert p.probability == 0.75 and p.interval == wilson_interval(3, 4)


# ------------------------------------------------------------------------ summaries
def _hand_runs() -> pd.DataFrame:
    return pd.DataFrame({
        "run": np.arange(6, dtype=np.int64),
        "seed": np.zeros(6, dtype=np.int64),
        "moscow.GNA.decision": ["sign", "sign", "sign", "sign", "no_sign", "no_sign"],
        "moscow.LNA.decision": ["sign", "sign", "no_sign", "no_sign", "no_sign", "no_sign"],
        "berlin.embargo.Turkey": [True, False, False, False, True, False],
        "berlin.embargo.Turkey.equilibrium": [True] * 6,
        "berlin.embargo.UAE": [False] * 6,
        "berlin.embargo.UAE.equilibrium": [False] * 6,
        "outcome": ["signed_and_holds", "signed_but_fragile", "partial_signature",
                    "partial_signature", "no_agreement", "no_agreement"],
        "holds": [True, False, True, False, False, True],
        "binding_constraint": ["none", "b", "a", "a", "b", "b"],
    })


def test_summarize_hand_made():
    s = summarize(_hand_runs(), seed=7, scenario_id="x")
    assert s.runs == 6 and s.seed == 7
    assert list(s.outcomes) == list(OUTCOME_ORDER)
    assert [s.outcomes[o].count for o in OUTCOME_ORDER] == [1, 1, 2, 2]
    assert s.outcome_probability("partial_signature") == pytest.approx(1 / 3)
    assert s.sign_probability["moscow"]["GNA"].probability == pytest.approx(4 / 6)
    assert s.sign_probability["moscow"]["LNA"].count == 2
    assert s.commit_probability["berlin"]["embargo"]["Turkey"].count == 2
    assert s.commit_probability["berlin"]["embargo"]["UAE"].count == 0
    assert s.holds_probability == 0.5
    assert s.holds.interval == wilson_interval(3, 6)
    # runs 0 and 1 were signed by both; one of them holds
    assert (s.holds_if_signed.count, s.holds_if_signed.total) == (1, 2)
    # most frequent first, ties by name
    assert s.binding_constraints == (("b", 3), ("a", 2), ("none", 1))


def test_summary_dict_json_frame_and_table():
    s = summarize(_hand_runs(), seed=7, scenario_id="x", versions={"negsim": "0"})
    d = s.to_dict()
    for key in ("runs", "seed", "outcomes", "sign_probability", "holds_probability",
                "intervals", "binding_constraints", "scenario", "versions"):
        assert key in d
    assert d["outcomes"]["no_agreement"] == pytest.approx(1 / 3)
    assert d["sign_probability"] == {"moscow": {"GNA": 4 / 6, "LNA": 2 / 6}}
    assert d["intervals"]["holds_probability"] == list(wilson_interval(3, 6))
    assert d["intervals"]["sign_probability"]["moscow"]["LNA"] == list(wilson_interval(2, 6))
    assert list(d["binding_constraints"]) == ["b", "a", "none"]
    assert json.loads(s.to_json()) == d
    frame = s.to_frame()
    assert len(frame) == 4 + 2 + 2 + 2  # outcomes, holds (+ if signed), signers, commitments
    assert frame.loc[frame["quantity"] == "sign", "actor"].tolist() == ["GNA", "LNA"]
    text = str(s)
    assert "partial signature" in text and "moscow: GNA" in text and "berlin: embargo" in text


def test_summarize_rejects_bad_frames():
    with pytest.raises(ValueError, match="outcome"):
        summarize(pd.DataFrame({"holds": [True]}))
    with pytest.raises(ValueError, match="empty"):
        summarize(_hand_runs().iloc[:0])
    bad = _hand_runs().assign(outcome="peace")
    with pytest.raises(ValueError, match="unknown outcome"):
        summarize(bad)


def test_summary_without_rounds():
    s = summarize(pd.DataFrame({"outcome": ["no_agreement"] * 3, "holds": [False] * 3}))
    assert s.holds_if_signed is None and not s.sign_probability and s.binding_constraints == ()
    assert s.to_dict()["holds_if_signed"] is None


# ------------------------------------------------------------------------ sweep helpers
def test_sweep_points_grid_and_zip():
    assert _sweep_points({"a": [1, 2], "b": [10, 20, 30]}, grid=True) == [
        (1, 10), (1, 20), (1, 30), (2, 10), (2, 20), (2, 30)]
    assert _sweep_points({"a": [1, 2], "b": [10, 20]}, grid=False) == [(1, 10), (2, 20)]
    with pytest.raises(ValueError, match="equal lengths"):
        _sweep_points({"a": [1, 2], "b": [10]}, grid=False)
    with pytest.raises(ValueError, match="no values"):
        _sweep_points({"a": []}, grid=True)
    with pytest.raises(ValueError, match="non-empty"):
        _sweep_points({}, grid=True)
    with pytest.raises(ValueError, match="finite"):
        _sweep_points({"a": [math.inf]}, grid=True)


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


# ------------------------------------------------------------------------ chunk storage
def _awkward_frame(start: int, stop: int) -> pd.DataFrame:
    n = stop - start
    rng = np.random.default_rng(start)
    return pd.DataFrame({
        "run": np.arange(start, stop, dtype=np.int64),
        "seed": np.full(n, 3, dtype=np.int64),
        "x": rng.normal(size=n) * 10.0 ** rng.integers(-12, 12, size=n),
        "y": np.where(rng.random(n) < 0.3, np.nan, rng.random(n)),
        "z": np.where(rng.random(n) < 0.3, np.inf, -rng.random(n)),
        "flag": rng.random(n) < 0.5,
        "words": pd.Series(rng.choice(["NA", "none", "", 'a "quoted", text', "sign", "null"],
                                      size=n)).astype(object),
    })


def _identity(**kw):
    base = {"scenario_id": "s", "scenario_fingerprint": "f", "seed": 3, "runs": 30,
            "chunk_size": 10, "negsim_version": "0"}
    return base | kw


@pytest.mark.parametrize("storage", ["csv", "parquet"])
def test_chunk_store_round_trip_is_exact(tmp_path, storage):
    if storage == "parquet":
        pytest.importorskip("pyarrow")
    store = _ChunkStore(tmp_path, _identity())
    store.storage = storage
    frames = [_awkward_frame(a, a + 10) for a in (0, 10, 20)]
    frames[0]["words"] = frames[0]["words"].astype(str)  # pandas' string dtype too
    frames = [f.astype(frames[0].dtypes.to_dict()) for f in frames]
    for f in frames:
        store.write(int(f["run"].iloc[0]), int(f["run"].iloc[-1]) + 1, f)
    assert store.has(10, 20) and not store.has(30, 40)
    again = _ChunkStore(tmp_path, _identity())
    again.storage = storage
    for f in frames:
        back = again.read(int(f["run"].iloc[0]), int(f["run"].iloc[-1]) + 1)
        assert_frame_equal(back, f.reset_index(drop=True), check_exact=True)
        assert list(back.dtypes) == list(f.dtypes)


def test_chunk_store_refuses_a_different_ensemble(tmp_path):
    _ChunkStore(tmp_path, _identity())
    with pytest.raises(ResultsDirectoryError, match="seed: directory has 3, this call has 4"):
        _ChunkStore(tmp_path, _identity(seed=4))
    with pytest.raises(ResultsDirectoryError, match="scenario_fingerprint"):
        _ChunkStore(tmp_path, _identity(scenario_fingerprint="g"))


def test_chunk_store_refuses_foreign_or_damaged_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "chunk-0-10.csv").write_text("run\n1\n")
    with pytest.raises(ResultsDirectoryError, match="no manifest.json"):
        _ChunkStore(tmp_path / "a", _identity())
    store = _ChunkStore(tmp_path / "b", _identity())
    store.write(0, 10, _awkward_frame(0, 10))
    store.path(10, 20).write_bytes(store.path(0, 10).read_bytes())  # wrong runs
    with pytest.raises(ResultsDirectoryError, match="delete it"):
        store.read(10, 20)


# ------------------------------------------------------------------------ progress bar
class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal():
    tty, pipe = _Tty(), io.StringIO()
    for stream in (tty, pipe):
        bar = _Progress(100, "demo", stream=stream, delay=0.0)
        bar.update(50)
        bar.update(50)
        bar.close()
    assert "demo: 100%" in tty.getvalue() and "100/100 runs" in tty.getvalue()
    assert tty.getvalue().endswith("\n")
    assert pipe.getvalue() == ""
    quiet = _Tty()
    bar = _Progress(10, enabled=False, stream=quiet, delay=0.0)
    bar.update(10)
    bar.close()
    assert quiet.getvalue() == ""


# ------------------------------------------------------------------------ simulate and sweep
@pytest.fixture(scope="module")
def libya():
    from negsim.scenario import load_scenario

    return load_scenario("libya-2020")


def test_simulate_result_and_summary(libya):
    res = simulate("libya-2020", runs=300, seed=5)
    assert isinstance(res, EnsembleResult)
    assert (res.scenario_id, res.seed, res.n_runs) == ("libya-2020", 5, 300)
    assert res.scenario_fingerprint == libya.fingerprint()
    assert res.runs["run"].tolist() == list(range(300)) and (res.runs["seed"] == 5).all()
    assert res.parameters == tuple(u.parameter for u in libya.uncertainty)
    assert set(res.metadata["versions"]) >= {"negsim", "numpy", "pandas", "mesa"}
    assert res.metadata["executor"] == "serial" and res.metadata["chunk_size"] == 5_000
    s = res.summary()
    assert sum(p.probability for p in s.outcomes.values()) == pytest.approx(1.0)
    rounds = {e.id: e.participants for e in libya.timeline if e.kind == "mediated_round"}
    assert {r: tuple(a) for r, a in s.sign_probability.items()} == rounds
    conferences = [e.id for e in libya.timeline if e.kind == "conference"]
    assert list(s.commit_probability) == conferences
    assert s.holds.count == int(res.runs["holds"].sum())
    assert sum(n for _, n in s.binding_constraints) == 300
    assert s.to_dict()["seed"] == 5 and s.to_dict()["scenario"]["id"] == "libya-2020"
    assert res == simulate(libya, runs=300, seed=5)  # a Scenario or its name


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
    assert len(s) == 4 and np.allclose(s[[f"outcome.{o}" for o in OUTCOME_ORDER]].sum(axis=1), 1)
    with pytest.raises(ValueError, match="sweep point 0"):
        sweep(libya, {"actors.Nobody.capability": [0.1]}, runs=5)
