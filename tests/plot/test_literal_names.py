"""Issue 16: names are free text and every plot draws them literally, never as TeX."""

from __future__ import annotations

import importlib.resources
import tomllib
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

import negsim  # noqa: E402
from negsim import plot  # noqa: E402
from negsim.plot._common import literal  # noqa: E402
from negsim.scenario.document import build_scenario  # noqa: E402

TEX = r" $\notacommand$ $$ a_b^c \frac{1}{ $"


def _tex_names(x: Any) -> None:
    if isinstance(x, dict):
        for k, v in x.items():
            if k in ("name", "low", "high", "title", "description") and isinstance(v, str):
                x[k] = v + TEX
            else:
                _tex_names(v)
    elif isinstance(x, list):
        for v in x:
            _tex_names(v)


@pytest.fixture(scope="module")
def scenario() -> negsim.Scenario:
    text = importlib.resources.files("negsim").joinpath(
        "data", "scenarios", "libya-2020.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    _tex_names(data)
    return build_scenario(data, "tex.toml")


@pytest.fixture(scope="module")
def result(scenario: negsim.Scenario) -> negsim.EnsembleResult:
    return negsim.simulate(scenario, runs=200, seed=1)


def _draw(draw: Any) -> None:
    fig = Figure(layout="constrained")
    draw(fig.add_subplot())
    fig.canvas.draw()  # mathtext is parsed when drawn


def test_literal_round_trips_through_matplotlib() -> None:
    fig = Figure()
    ax = fig.add_subplot()
    name = r"a\$b $\notacommand$ $$"
    t = ax.set_title(literal(name))
    fig.canvas.draw()
    assert not t._preprocess_math(t.get_text())[1]  # not math text
    assert t._preprocess_math(t.get_text())[0] == name  # drawn as written


@pytest.mark.parametrize("name", ["plot_outcomes", "plot_signing", "plot_commitments",
                                  "plot_margins", "plot_tornado"])
def test_each_ensemble_plot_draws_tex_names(result: negsim.EnsembleResult, name: str) -> None:
    _draw(lambda ax: getattr(plot, name)(result, ax))


def test_issue_space_draws_tex_names(result: negsim.EnsembleResult,
                                     scenario: negsim.Scenario) -> None:
    _draw(lambda ax: plot.plot_issue_space(result, ax=ax, scenario=scenario))


def test_save_all_draws_tex_names(result: negsim.EnsembleResult, tmp_path: Path) -> None:
    written = plot.save_all(result, tmp_path)
    assert [p.name for p in written] == ["outcomes.png", "signing.png", "commitments.png",
                                         "tornado.png", "margins.png", "issue-space.png",
                                         "survival.png", "capability.png", "embargo.png"]


def test_sweep_draws_tex_names(scenario: negsim.Scenario) -> None:
    issue = scenario.issue_ids[0]
    df = negsim.sweep(scenario, {f"issues.{issue}.status_quo": [0.2, 0.4],
                                 "model.rationality": [2.0, 5.0]}, runs=20, seed=1)
    _draw(lambda ax: plot.plot_sweep(df, f"issues.{issue}.status_quo", ax, scenario=scenario))


def test_concession_frontier_draws_tex_names(scenario: negsim.Scenario) -> None:
    design = negsim.design_deal(scenario, runs=50, maxiter=1)
    _draw(lambda ax: plot.plot_concession_frontier(design, ax))


def test_forecast_draws_tex_names() -> None:
    table = pd.DataFrame({"actor": ["$A$", r"$\notacommand$", "C $$"],
                          "capability": [1.0, 2.0, 3.0], "position": [0.0, 50.0, 100.0],
                          "salience": [1.0, 0.5, 0.8]})
    res = negsim.forecast(table, rounds=2)
    _draw(lambda ax: plot.plot_forecast(res, ax=ax))
