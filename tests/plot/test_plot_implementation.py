"""Plots of the implementation phase: survival, capability fan chart, embargo compliance.

Drawn from synthetic runs tables that follow the implementation entry's column spec, with
known answers (see tests/ensemble/test_survival.py for the numbers themselves).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from negsim.ensemble import EnsembleResult  # noqa: E402
from negsim.plot import plot_capability, plot_embargo, plot_survival, save_all  # noqa: E402
from negsim.plot.implementation import (  # noqa: E402
    capability_data,
    embargo_data,
    survival_data,
)
from negsim.sim.results import FrozenMap  # noqa: E402

H = 12
PATRONS = ("UAE", "Russia")
BELLIGERENTS = ("LNA", "GNA")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _runs(n: int = 400, p_break: float = 0.08, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    month = rng.geometric(p_break, n)
    broke = month <= H
    cols: dict[str, object] = {
        "run": np.arange(n), "seed": np.zeros(n, dtype=np.int64),
        "outcome": np.where(broke, "signed_but_fragile", "signed_and_holds"),
        "holds": ~broke,
        "aftermath.duration": np.where(broke, month, H).astype(float),
        "aftermath.broke": broke,
        "aftermath.broken_by": np.where(broke, "LNA", ""),
        "aftermath.reason": np.where(broke, "the LNA expects to decline", ""),
    }
    for t in range(1, H + 1):
        for i, p in enumerate(PATRONS):
            d = rng.random(n) < 0.2 * (i + 1)
            cols[f"aftermath.m{t}.{p}.delivered"] = d
            cols[f"aftermath.m{t}.{p}.detected"] = d & (rng.random(n) < 0.5)
        cols[f"aftermath.m{t}.LNA.capability"] = 0.5 + 0.01 * t + rng.normal(0, 0.05, n)
        cols[f"aftermath.m{t}.GNA.capability"] = 0.5 - 0.01 * t + rng.normal(0, 0.05, n)
    return pd.DataFrame(cols)


def _result(runs: pd.DataFrame) -> EnsembleResult:
    return EnsembleResult(runs=runs, scenario_id="synthetic", scenario_fingerprint="x",
                          seed=7, n_runs=len(runs), metadata=FrozenMap({}))


def test_survival_plot_draws_the_step_curve_band_and_marks():
    runs = _runs()
    ax = plot_survival(runs, ax=Figure().add_subplot())
    df = survival_data(runs)
    step = ax.lines[0]
    assert step.get_drawstyle() == "steps-post"
    np.testing.assert_allclose(step.get_ydata(), df["probability"])
    marks = ax.lines[1]
    assert marks.get_xdata().tolist() == [1, 3, 6, 12]
    assert [t.get_text() for t in ax.texts] == [f"{p:.0%}" for p in marks.get_ydata()]
    assert len(ax.collections) == 1  # the band
    assert ax.get_xlim() == (0.0, float(H))
    assert "aftermath" in ax.get_title()


def test_survival_plot_with_a_baseline():
    runs, base = _runs(p_break=0.05), _runs(p_break=0.3, seed=1)
    ax = plot_survival(_result(runs), baseline=base, baseline_label="no monitoring")
    assert len(ax.collections) == 2 and ax.get_legend() is not None
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["this ensemble", "no monitoring"]
    assert ax.lines[2].get_linestyle() == "--"
    # the baseline breaks more: its curve is below
    assert ax.lines[2].get_ydata()[-1] < ax.lines[0].get_ydata()[-1]
    assert "synthetic: 400 runs, seed 7" in ax.get_title()


def _renewal_lines(ax: Axes) -> list[float]:
    return [float(line.get_xdata()[0]) for line in ax.lines if line.get_gid() == "renewal date"]


def test_survival_plot_marks_the_renewal_dates_of_a_deal_with_a_term():
    # grain.toml: terms of 4 months on a 12-month horizon, renewal rounds at months 4 and 8
    from pathlib import Path

    import negsim

    grain = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "grain.toml"
    result = negsim.simulate(grain, runs=100, seed=1)
    ax = plot_survival(result, ax=Figure().add_subplot())
    assert _renewal_lines(ax) == [4.0, 8.0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["renewal date"]
    with_base = plot_survival(result, baseline=result, baseline_label="again")
    assert _renewal_lines(with_base) == [4.0, 8.0]
    assert [t.get_text() for t in with_base.get_legend().get_texts()] == [
        "this ensemble", "again", "renewal date"]
    # Libya's entry has no term: no lines and, without a baseline, no legend
    libya = plot_survival(negsim.simulate("libya-2020", runs=50, seed=1))
    assert _renewal_lines(libya) == [] and libya.get_legend() is None
    assert isinstance(libya, Axes)


def test_known_answer_all_break_at_month_3():
    runs = _runs()
    runs["aftermath.duration"] = 3.0
    runs["aftermath.broke"] = True
    df = survival_data(runs)
    assert df["probability"].tolist() == [1.0, 1.0, 1.0] + [0.0] * (H - 2)
    ax = plot_survival(runs)
    assert isinstance(ax, Axes)


def test_capability_fan_chart():
    runs = _runs()
    df = capability_data(runs)
    assert len(df) == 2 * H and df["belligerent"].unique().tolist() == list(BELLIGERENTS)
    lna = df[df["belligerent"] == "LNA"]
    col = runs["aftermath.m5.LNA.capability"]
    row = lna[lna["month"] == 5].iloc[0]
    assert row["q50"] == pytest.approx(col.median())
    assert row["q05"] == pytest.approx(col.quantile(0.05))
    assert (df["q05"] <= df["q25"]).all() and (df["q75"] <= df["q95"]).all()
    ax = plot_capability(runs, ax=Figure().add_subplot())
    assert [line.get_label() for line in ax.lines] == ["LNA (median)", "GNA (median)"]
    assert len(ax.collections) == 4  # 50% and 90% bands per belligerent
    np.testing.assert_allclose(ax.lines[0].get_ydata(), lna["q50"])


def test_embargo_heatmap_writes_every_value():
    runs = _runs()
    df = embargo_data(runs)
    assert len(df) == H * len(PATRONS)
    fig = Figure()
    ax = plot_embargo(runs, ax=fig.add_subplot())
    assert len(ax.texts) == H * len(PATRONS)
    first = df[(df["month"] == 1) & (df["patron"] == "UAE")]["probability"].iloc[0]
    assert ax.texts[0].get_text() == f"{first:.2f}"
    assert [t.get_text() for t in ax.get_yticklabels()] == list(PATRONS)
    image = ax.images[0].get_array()
    assert image.shape == (len(PATRONS), H)
    assert image[1, 0] == pytest.approx(1 - runs["aftermath.m1.Russia.delivered"].mean())


def test_embargo_lines_with_intervals():
    ax = plot_embargo(_runs(), kind="lines")
    assert [line.get_label() for line in ax.lines] == list(PATRONS)
    assert len(ax.collections) == len(PATRONS)
    with pytest.raises(ValueError, match="kind"):
        plot_embargo(_runs(), kind="bars")


def test_plots_name_the_problem_without_an_implementation_phase():
    runs = _runs()[["run", "seed", "outcome", "holds"]]
    for plot in (plot_survival, plot_capability, plot_embargo):
        with pytest.raises(ValueError, match="no implementation phase"):
            plot(runs)


def test_save_all_writes_the_implementation_plots(tmp_path):
    paths = save_all(_result(_runs()), tmp_path)
    names = [p.name for p in paths]
    assert names[-3:] == ["survival.png", "capability.png", "embargo.png"]
    assert all(p.stat().st_size > 1000 for p in paths)


def test_save_all_without_the_columns_writes_none_of_them(tmp_path):
    runs = _runs()[["run", "seed", "outcome", "holds"]]
    names = [p.name for p in save_all(_result(runs), tmp_path)]
    assert not {"survival.png", "capability.png", "embargo.png"} & set(names)
