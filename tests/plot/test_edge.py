"""Every plot works on a valid scenario whose uncertain values sit at the edges of their
sampled ranges (tests/data/scenarios/edge.toml), through the API and `negsim run --out`;
and the plot fixes an analyst asked for: observed outcome, red lines, chosen axes and
metric, titles that fit, margins explained, the frontier drawn, honest percentages."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import negsim  # noqa: E402
from negsim import plot  # noqa: E402
from negsim.cli.app import main  # noqa: E402
from negsim.plot.rounds import blocked_data  # noqa: E402

EDGE = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "edge.toml"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def edge():
    return negsim.load_scenario(EDGE)


@pytest.fixture(scope="module")
def result(edge):
    return negsim.simulate(edge, runs=400, seed=2)


def test_the_fixture_puts_uncertain_values_at_the_edges_of_their_ranges(edge):
    blue = edge.actor("Blue").demand("withdrawal").ideal.value
    red = edge.actor("Red").demand("withdrawal").ideal.value
    ranges = {u.parameter: (u.low, u.high) for u in edge.uncertainty}
    assert blue == ranges["actors.Blue.demands.withdrawal.ideal"][1] == 1.0
    assert red == ranges["actors.Red.demands.withdrawal.ideal"][0] == 0.0
    assert len(edge.title) > 100  # a long title too


def _draw(fn, *args, **kwargs):
    fig = Figure(figsize=(8, 6), layout="constrained")
    ax = fn(*args, ax=fig.add_subplot(), **kwargs)
    fig.canvas.draw()  # a failure in drawing (not only in plotting) shows here
    return ax


def test_every_plot_draws_on_the_edge_scenario(edge, result):
    sweep_df = negsim.sweep(edge, {"actors.Red.capability": [0.6, 0.8]}, runs=60)
    design = negsim.design_deal(edge, runs=100, maxiter=1)
    fc = negsim.forecast(edge, model="eu", rounds=3)
    axes = [
        _draw(plot.plot_outcomes, result), _draw(plot.plot_signing, result),
        _draw(plot.plot_commitments, result), _draw(plot.plot_margins, result),
        _draw(plot.plot_tornado, result), _draw(plot.plot_tornado, result, metric="holds"),
        _draw(plot.plot_tornado, result, metric="sign:talks:Red"),
        _draw(plot.plot_issue_space, result),
        _draw(plot.plot_issue_space, result, issues=("embargo", "withdrawal"),
              legend_outside=False),
        _draw(plot.plot_survival, result), _draw(plot.plot_capability, result),
        _draw(plot.plot_embargo, result),
        _draw(plot.plot_sweep, sweep_df, "actors.Red.capability"),
        _draw(plot.plot_concession_frontier, design), _draw(plot.plot_forecast, fc, "withdrawal"),
    ]
    assert all(ax.get_title() for ax in axes)


def test_save_all_on_the_edge_scenario(result, tmp_path):
    names = [p.name for p in plot.save_all(result, tmp_path)]
    assert names == ["outcomes.png", "signing.png", "commitments.png", "tornado.png",
                     "margins.png", "issue-space.png", "survival.png", "capability.png",
                     "embargo.png"]
    assert all((tmp_path / n).read_bytes()[:8] == PNG for n in names)


def test_negsim_run_writes_every_plot_on_the_edge_scenario(capsys, tmp_path):
    code = main(["run", str(EDGE), "--runs", "300", "--seed", "1", "--out", str(tmp_path / "a"),
                 "--quiet"])
    err = capsys.readouterr().err
    assert code == 0, err
    pngs = sorted(p.name for p in (tmp_path / "a").glob("*.png"))
    assert "issue-space.png" in pngs and "tornado.png" in pngs and len(pngs) == 9
    code = main(["run", str(EDGE), "--runs", "300", "--seed", "1", "--out", str(tmp_path / "b"),
                 "--quiet", "--issue-axes", "embargo,withdrawal",
                 "--tornado-metric", "sign:talks:Red", "--runs-format", "csv"])
    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "b" / "tornado.png").read_bytes() != (tmp_path / "a" / "tornado.png"
                                                             ).read_bytes()


@pytest.mark.parametrize("option, value, expected", [
    ("--tornado-metric", "sign:summit:Red", "sign:talks:Red"),
    ("--tornado-metric", "nope", "signed_and_holds, holds"),
    ("--issue-axes", "withdrawal", "issues: withdrawal, embargo"),
    ("--issue-axes", "withdrawal,withdrawal", "two different issue ids"),
])
def test_bad_plot_options_are_refused_before_any_work(capsys, tmp_path, option, value,
                                                      expected):
    code = main(["run", str(EDGE), "--runs", "10", "--out", str(tmp_path / "x"), option, value])
    err = capsys.readouterr().err
    assert code != 0 and expected in err and option in err and "Traceback" not in err
    assert not (tmp_path / "x").exists()


# ------------------------------------------------------------------------ the plot fixes
def test_outcomes_mark_the_observed_outcome(result):
    ax = plot.plot_outcomes(result)
    marks = [t.get_text() for t in ax.texts if t.get_text().startswith("observed")]
    assert marks == ["observed (talks)"]
    partial = ax.patches[2]  # signed_and_holds, signed_but_fragile, partial_signature, ...
    assert partial.get_hatch() == "//" and partial.get_linewidth() > 2
    runs_only = plot.plot_outcomes(result.runs)  # no scenario: nothing to mark
    assert not [t for t in runs_only.texts if "observed" in t.get_text()]


def test_issue_space_draws_red_lines_and_keeps_the_legend_off_the_data(result):
    ax = _draw(plot.plot_issue_space, result, issues=("withdrawal", "embargo"))
    reds = [t.get_text() for t in ax.texts if t.get_text().startswith("red line")]
    assert reds == ["red line: Red ≤ 0.5", "red line: Blue ≥ 0.3"]
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1  # right of the axes, off the data
    ax = plot.plot_issue_space(result, issues=("embargo", "withdrawal"))
    assert "Arms flows" in ax.get_xlabel() and "Red forces" in ax.get_ylabel()
    with pytest.raises(ValueError, match="unknown issue"):
        plot.plot_issue_space(result, issues=("withdrawal", "nope"))


def test_tornado_metric_is_selectable_and_named_in_the_title(result):
    ax = plot.plot_tornado(result, metric="sign:talks:Red")
    assert "Red signs at talks" in ax.get_title()
    with pytest.raises(ValueError, match="sign:talks:Blue"):
        plot.plot_tornado(result, metric="sign:talks:Nobody")


def test_titles_wrap_to_the_figure():
    runs = pd.DataFrame({"outcome": ["no_agreement"] * 3, "run": range(3)})
    res = negsim.EnsembleResult(runs=runs, scenario_id="a-very-long-scenario-name-" * 4,
                                scenario_fingerprint="x", seed=1, n_runs=3,
                                metadata=negsim.sim.results.FrozenMap())
    ax = plot.plot_outcomes(res, ax=Figure(figsize=(7, 4.5)).add_subplot())
    lines = ax.get_title().splitlines()
    assert len(lines) >= 3 and max(map(len, lines)) <= 63


def test_margins_show_why_a_gain_is_not_a_signature(result):
    df = blocked_data(result).set_index("actor")
    assert df.loc["Red", "gains"] > df.loc["Red", "signs"]
    assert df.loc["Red", "gains_but_red_line"] > 0.1
    assert np.isnan(df.loc["Ally", "signs"])  # not a participant of the talks
    ax = plot.plot_margins(result)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    red = next(lab for lab in labels if lab.startswith("Red"))
    assert "signs in" in red and "red line crossed" in red
    assert any("cannot sign" in t.get_text() for t in ax.get_legend().get_texts())


def test_frontier_of_one_step_spans_its_path():
    from types import SimpleNamespace

    fr = pd.DataFrame({"step": [0, 1], "issue": ["(draft)", "border"], "from": [np.nan, 0.5],
                       "to": [np.nan, 0.503], "total_concession": [0.0, 0.003],
                       "probability": [0.0, 0.999], "se": [0.0, 0.001]})
    ax = plot.plot_concession_frontier(SimpleNamespace(frontier=fr, scenario_id="s",
                                                       parameters={"runs": 10, "seed": 0}))
    lo, hi = ax.get_xlim()
    assert lo < 0 < 0.003 < hi < 0.006  # not an empty axis up to 0.125
    path = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 2]
    assert path and list(path[0].get_xdata()) == [0.0, 0.003]


def test_signing_never_rounds_a_probability_to_100_percent():
    n = 1000
    runs = pd.DataFrame({"run": range(n), "outcome": ["partial_signature"] * n,
                         "talks.A.decision": ["sign"] * (n - 2) + ["no_sign"] * 2,
                         "talks.B.decision": ["sign"] * n})
    ax = plot.plot_signing(runs)
    assert [t.get_text() for t in ax.texts] == ["99.8%", "100%"]
