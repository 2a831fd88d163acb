"""Plots: the numbers behind each picture, and that each picture draws what it should."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from negsim.ensemble import EnsembleResult, wilson_interval  # noqa: E402
from negsim.plot import (  # noqa: E402
    plot_commitments,
    plot_margins,
    plot_outcomes,
    plot_signing,
    plot_sweep,
    plot_tornado,
    save_all,
)
from negsim.plot.outcomes import _outcome_data  # noqa: E402
from negsim.plot.rounds import _signing_data, commitment_data, margins_data  # noqa: E402
from negsim.plot.sweep import _pretty_parameter, _sweep_data, tornado_data  # noqa: E402
from negsim.sim.results import FrozenMap  # noqa: E402

N = 400


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _runs(n: int = N) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    cap = rng.random(n)
    noise = rng.random(n)
    holds = cap < 0.5
    gna = np.arange(n) % 4 != 0  # 75% sign
    lna = np.arange(n) % 2 == 0  # 50% sign
    outcome = np.where(gna & lna, np.where(holds, "signed_and_holds", "signed_but_fragile"),
                       np.where(gna | lna, "partial_signature", "no_agreement"))
    return pd.DataFrame({
        "run": np.arange(n, dtype=np.int64),
        "seed": np.zeros(n, dtype=np.int64),
        "actors.LNA.capability": cap,
        "actors.UAE.backs.LNA.leverage": noise,
        "model.rationality": np.full(n, 4.0),
        "moscow.GNA.decision": np.where(gna, "sign", "no_sign"),
        "moscow.LNA.decision": np.where(lna, "sign", "no_sign"),
        "berlin.embargo.Turkey": np.arange(n) < n // 10,
        "berlin.embargo.Turkey.equilibrium": np.ones(n, dtype=bool),
        "berlin.embargo.Russia": np.zeros(n, dtype=bool),
        "berlin.embargo.Russia.equilibrium": np.zeros(n, dtype=bool),
        "berlin.ceasefire.Turkey": np.ones(n, dtype=bool),
        "berlin.ceasefire.Turkey.equilibrium": np.ones(n, dtype=bool),
        "outcome": outcome,
        "holds": holds,
        "utility.GNA": np.full(n, 0.8),
        "outside_option.GNA": 0.7 + 0.2 * cap,
        "utility.LNA": 0.5 + 0.0 * cap,
        "outside_option.LNA": np.full(n, 0.6),
        "binding_constraint": np.where(holds, "none", "LNA: a text worth less than fighting"),
    })


def _result(runs: pd.DataFrame) -> EnsembleResult:
    meta = FrozenMap({"parameters": ("actors.LNA.capability", "actors.UAE.backs.LNA.leverage",
                                     "model.rationality")})
    return EnsembleResult(runs=runs, scenario_id="hand", scenario_fingerprint="f", seed=0,
                          n_runs=len(runs), metadata=meta)


# ------------------------------------------------------------------------ data
def test_outcome_data():
    runs = _runs()
    df = _outcome_data(runs)
    expected = runs["outcome"].value_counts()
    assert df["outcome"].tolist() == ["signed_and_holds", "signed_but_fragile",
                                      "partial_signature", "no_agreement"]
    assert df["count"].tolist() == [int(expected.get(o, 0)) for o in df["outcome"]]
    assert df["probability"].sum() == pytest.approx(1.0)
    lo, hi = wilson_interval(int(df["count"][2]), N)
    assert (df["low"][2], df["high"][2]) == (lo, hi)


def test_signing_andcommitment_data():
    sig = _signing_data(_runs())
    assert sig[["round", "actor"]].values.tolist() == [["moscow", "GNA"], ["moscow", "LNA"]]
    assert sig["probability"].tolist() == [0.75, 0.5]
    com = commitment_data(_runs())
    assert com[["commitment", "power"]].values.tolist() == [
        ["embargo", "Turkey"], ["embargo", "Russia"], ["ceasefire", "Turkey"]]
    assert com["probability"].tolist() == [0.1, 0.0, 1.0]
    assert com["equilibrium"].tolist() == [1.0, 0.0, 1.0]


def test_tornado_data_finds_the_parameter_that_matters():
    df = tornado_data(_result(_runs()))
    # the constant rationality is left out; capability decides `holds` completely
    assert df["parameter"].tolist() == ["actors.LNA.capability", "actors.UAE.backs.LNA.leverage"]
    top = df.iloc[0]
    assert (top["p_low"], top["p_high"], top["effect"]) == (1.0, 0.0, -1.0)
    assert top["n_low"] == top["n_high"] == N // 5
    noise = df.iloc[1]
    assert abs(noise["effect"]) < 0.2
    assert noise["effect_low"] < noise["effect"] < noise["effect_high"]
    assert noise["effect_low"] < 0 < noise["effect_high"]
    # Newcombe's interval from the two Wilson intervals
    k1, n1 = round(noise["p_high"] * noise["n_high"]), int(noise["n_high"])
    k0, n0 = round(noise["p_low"] * noise["n_low"]), int(noise["n_low"])
    l1, u1 = wilson_interval(k1, n1)
    l0, u0 = wilson_interval(k0, n0)
    d = k1 / n1 - k0 / n0
    assert noise["effect_low"] == pytest.approx(d - np.hypot(k1 / n1 - l1, u0 - k0 / n0))
    assert noise["effect_high"] == pytest.approx(d + np.hypot(u1 - k1 / n1, k0 / n0 - l0))


def test_tornado_data_on_an_outcome_and_parameter_inference():
    runs = _runs()
    df = tornado_data(runs, metric="signed_and_holds")  # parameters found from column names
    assert set(df["parameter"]) == {"actors.LNA.capability", "actors.UAE.backs.LNA.leverage"}
    with pytest.raises(ValueError, match="metric"):
        tornado_data(runs, metric="nonsense")
    with pytest.raises(ValueError, match="quantile"):
        tornado_data(runs, quantile=0.7)


def testmargins_data():
    runs = _runs()
    df = margins_data(runs)
    assert list(df.columns) == ["GNA", "LNA"]
    assert np.allclose(df["GNA"], 0.1 - 0.2 * runs["actors.LNA.capability"])
    assert np.allclose(df["LNA"], -0.1)


def _sweep_frame() -> pd.DataFrame:
    parts = []
    for point, (x, y) in enumerate([(0.9, 1.0), (0.1, 1.0), (0.5, 2.0), (0.9, 2.0)]):
        runs = _runs(50).assign(holds=np.arange(50) < 50 * x)
        parts.append(pd.concat([pd.DataFrame({"point": [point] * 50, "x": x, "y": y}), runs],
                               axis=1))
    return pd.concat(parts, ignore_index=True)


def test_sweep_data_sorted_along_the_parameter():
    df = _sweep_data(_sweep_frame(), "x")
    assert df[["y", "x"]].values.tolist() == [[1.0, 0.1], [1.0, 0.9], [2.0, 0.5], [2.0, 0.9]]
    assert df["holds_probability"].tolist() == pytest.approx([0.1, 0.9, 0.5, 0.9])
    with pytest.raises(ValueError, match="not swept"):
        _sweep_data(_sweep_frame(), "z")


def test_pretty_parameter():
    assert _pretty_parameter("actors.LNA.capability") == "LNA capability"
    assert _pretty_parameter("actors.LNA.outside_option.cost") == "LNA cost of fighting"
    assert _pretty_parameter("actors.LNA.demands.sirte.ideal") == "LNA ideal: sirte"
    assert _pretty_parameter("something.else") == "something.else"


# ------------------------------------------------------------------------ drawing
def test_plots_return_axes_with_the_expected_marks():
    res = _result(_runs())
    ax = plot_outcomes(res)
    assert isinstance(ax, Axes) and len(ax.patches) == 4
    assert [round(p.get_height(), 6) for p in ax.patches] == pytest.approx(
        _outcome_data(res)["probability"].tolist())
    assert "Outcome" in ax.get_title() and ax.get_ylabel()
    ax = plot_signing(res)
    assert len(ax.patches) == 2 and [t.get_text() for t in ax.get_xticklabels()] == ["GNA", "LNA"]
    ax = plot_commitments(res)
    assert len(ax.patches) == 3
    ax = plot_tornado(res)
    assert len(ax.patches) == 2
    assert "capability" in ax.get_yticklabels()[0].get_text()
    ax = plot_margins(res)
    assert len(ax.patches) == 2  # one box per actor


def test_plots_draw_on_a_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_outcomes(_runs(), ax=ax) is ax


def test_plot_sweep_lines():
    one = _sweep_frame().query("y == 1.0").drop(columns="y")
    ax = plot_sweep(one, "x")
    assert len(ax.get_lines()) == 5  # holds + four outcome shares
    assert ax.get_lines()[0].get_xdata().tolist() == [0.1, 0.9]
    ax = plot_sweep(_sweep_frame(), "x")
    assert len(ax.get_lines()) == 2  # one line per value of the other swept parameter
    assert "x" in ax.get_xlabel()


def test_save_all_writes_pngs(tmp_path):
    paths = save_all(_result(_runs()), tmp_path / "plots")
    assert [p.name for p in paths] == ["outcomes.png", "signing.png", "commitments.png",
                                       "tornado.png", "margins.png"]
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert plt.get_fignums() == []  # save_all leaves no pyplot figure open


# ------------------------------------------------------------------------ on the Libya scenario
@pytest.fixture(scope="module")
def libya_result():
    from negsim.ensemble import simulate

    return simulate("libya-2020", runs=200, seed=3)


def test_issue_space_data(libya_result):
    from negsim.plot.issue_space import _issue_space_data

    sc = libya_result.scenario
    data = _issue_space_data(libya_result, ("security_agreement", "ceasefire"), sc)
    actors = data["actors"].set_index("actor")
    for a in actors.index:
        demand = sc.actor(a).demand("security_agreement")
        if demand is not None:
            assert actors.loc[a, "x"] == demand.ideal.value
    assert data["status_quo"].values.tolist() == [[sc.issue("security_agreement").status_quo.value,
                                                   sc.issue("ceasefire").status_quo.value]]
    texts = data["texts"]
    assert len(texts) == 2 * 200  # a draft and a final text per run of the one mediated round
    drafts = texts[texts["stage"] == "draft"]
    assert drafts["x"].tolist() == libya_result.runs["moscow.draft.security_agreement"].tolist()
    with pytest.raises(ValueError, match="unknown issue"):
        _issue_space_data(libya_result, ("nope", "ceasefire"), sc)


def test_plot_issue_space_and_save_all(libya_result, tmp_path):
    from negsim.plot import plot_issue_space

    ax = plot_issue_space(libya_result, ("security_agreement", "ceasefire"))
    assert "security agreement" in ax.get_xlabel() and "ceasefire" in ax.get_ylabel()
    assert len(ax.collections) >= 3  # drafts, final texts, status quo (+ error bars)
    names = [p.name for p in save_all(libya_result, tmp_path)]
    assert names[0] == "outcomes.png" and "issue-space.png" in names
    assert "signing.png" in names and "commitments.png" in names
    # Libya has an implementation phase: its survival, capability and embargo plots too.
    assert names[-3:] == ["survival.png", "capability.png", "embargo.png"]
