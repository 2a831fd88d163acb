"""The tornado on survival at a month: ``holds_at:M`` (issue 12's "the tornado behind it").

``holds_at:M`` is the survival curve's event, "the deal in force still holds after month M",
read per run from the implementation phase's ``I.duration`` and ``I.broke``. The tornado's
low and high values must be the shares of such runs among the runs whose parameter is in
its bottom and top quintiles, counted by hand here.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import negsim  # noqa: E402
from negsim import plot  # noqa: E402
from negsim.cli.app import main  # noqa: E402
from negsim.ensemble.implementation import holds_at, holds_counts, survival_curve  # noqa: E402
from negsim.plot._common import metric_values  # noqa: E402
from negsim.plot.sweep import tornado_data  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"
EDGE = DATA / "edge.toml"  # a 6-month implementation phase, seven uncertain numbers
GRAIN = DATA / "grain.toml"  # a deal with a term: lapses and expiries
NO_PHASE = DATA / "pd.toml"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def edge_result():
    return negsim.simulate(negsim.load_scenario(EDGE), runs=400, seed=2)


def test_low_and_high_are_the_hand_counted_shares_on_a_small_table():
    # Ten runs, x = 0..9: the bottom 20% are x <= 1.8 (runs 0, 1), the top 20% x >= 7.2
    # (runs 8, 9). Run 0 broke in month 2, run 1 in month 5 (after month 3: it still holds
    # then), run 8 held to the horizon, run 9 broke in month 3.
    x = np.arange(10.0)
    duration = np.array([2, 5, 6, 6, 1, 6, 6, 6, 6, 3], dtype=float)
    broke = np.array([True, True, False, False, True, False, False, False, False, True])
    runs = pd.DataFrame({"model.rationality": x, "I.duration": duration, "I.broke": broke})
    row = tornado_data(runs, metric="holds_at:3").iloc[0]
    assert (row["n_low"], row["n_high"]) == (2, 2)
    assert row["p_low"] == 0.5  # run 0 broke by month 3, run 1 had not
    assert row["p_high"] == 0.5  # run 8 held, run 9 broke in month 3
    row = tornado_data(runs, metric="holds_at:1").iloc[0]
    assert (row["p_low"], row["p_high"]) == (1.0, 1.0)
    row = tornado_data(runs, metric="holds_at:6").iloc[0]
    assert (row["p_low"], row["p_high"]) == (0.0, 0.5)


def test_low_and_high_equal_hand_computed_shares_on_an_ensemble(edge_result):
    runs = edge_result.runs
    d = runs["after.duration"].to_numpy()
    b = runs["after.broke"].to_numpy(dtype=bool)
    for month in (1, 3, 6):
        held = ~(b & (d <= month))  # still holding after `month`, counted by hand
        df = tornado_data(edge_result, metric=f"holds_at:{month}")
        assert len(df) > 0
        for row in df.itertuples(index=False):
            x = runs[row.parameter].to_numpy(dtype=float)
            lo, hi = np.quantile(x, [0.2, 0.8])
            assert row.n_low == int((x <= lo).sum()) and row.n_high == int((x >= hi).sum())
            assert row.p_low == held[x <= lo].sum() / (x <= lo).sum()
            assert row.p_high == held[x >= hi].sum() / (x >= hi).sum()


def test_holds_at_is_the_survival_curves_event(edge_result):
    runs = edge_result.runs
    curve = survival_curve(runs)
    counts = holds_counts(runs, months=range(1, 7))
    for month in range(1, 7):
        held = holds_at(runs, month)
        # censoring only at the horizon: Kaplan-Meier is the share still holding
        assert held.mean() == pytest.approx(curve.probability[month], abs=1e-12)
        assert int(held.sum()) == counts[month]
        assert held.tolist() == metric_values(runs, f"holds_at:{month}").tolist()


def test_an_expired_deal_holds_and_a_lapsed_one_broke():
    runs = negsim.simulate(negsim.load_scenario(GRAIN), runs=300, seed=1).runs
    h = int(max(int(c.split(".m")[1].split(".")[0]) for c in runs.columns
                if c.startswith("corridor.m")))
    held = holds_at(runs, h)
    lapsed = runs["corridor.lapsed"].to_numpy(dtype=bool)
    assert lapsed.any() and not held[lapsed].any()
    if "corridor.expired" in runs:
        expired = runs["corridor.expired"].to_numpy(dtype=bool)
        assert held[expired].all()
    assert held.mean() == pytest.approx(survival_curve(runs).probability[h], abs=1e-12)


@pytest.mark.parametrize("metric, message", [
    ("holds_at:0", "whole number of months, at least 1"),
    ("holds_at:x", "whole number of months, at least 1"),
    ("holds_at:2.5", "whole number of months, at least 1"),
    ("holds_at:", "whole number of months, at least 1"),
    ("holds_at:7", "after the horizon of implementation entry 'after' (6 months)"),
])
def test_a_bad_month_is_a_clear_error_in_the_api(edge_result, metric, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        tornado_data(edge_result, metric=metric)
    with pytest.raises(ValueError, match=metric):
        plot.plot_tornado(edge_result, metric=metric)


def test_runs_without_a_phase_are_a_clear_error_in_the_api():
    runs = negsim.simulate(negsim.load_scenario(NO_PHASE), runs=20, seed=1)
    with pytest.raises(ValueError, match="'holds_at:3': runs table has no implementation phase"):
        tornado_data(runs, metric="holds_at:3")


@pytest.mark.parametrize("scenario, value, expected", [
    (EDGE, "holds_at:0", "whole number of months, at least 1"),
    (EDGE, "holds_at:three", "whole number of months, at least 1"),
    (EDGE, "holds_at:7", "month 7 is after the horizon of 'after' (6 months)"),
    (NO_PHASE, "holds_at:3", "has no implementation phase"),
    (EDGE, "nope", "holds_at:M (M = 1 to 6)"),
])
def test_a_bad_month_is_refused_by_the_cli_before_any_work(capsys, tmp_path, scenario, value,
                                                           expected):
    code = main(["run", str(scenario), "--runs", "10", "--out", str(tmp_path / "x"),
                 "--tornado-metric", value])
    err = capsys.readouterr().err
    assert code != 0 and expected in err and "--tornado-metric" in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "x").exists()


def test_the_cli_draws_the_tornado_of_holds_at(capsys, tmp_path):
    code = main(["run", str(EDGE), "--runs", "300", "--seed", "1", "--out", str(tmp_path),
                 "--quiet", "--tornado-metric", "holds_at:3"])
    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "tornado.png").read_bytes().startswith(b"\x89PNG")


def test_the_title_names_the_month_in_the_scenarios_words(edge_result):
    ax = plot.plot_tornado(edge_result, metric="holds_at:3")
    deal = negsim.load_scenario(EDGE).words.deal
    assert f"P({deal} still holds after 3 months)" in " ".join(ax.get_title().split())
