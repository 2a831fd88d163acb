"""The built-in JCPOA 2015 scenario through the same API and CLI as Libya.

It validates, runs (a small ensemble, and one run in the Mesa model, bit for bit the same
as the engine), backtests on its observations, and nothing it prints or plots speaks of
ceasefires or embargoes: its ``[words]`` name the nuclear deal instead.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import negsim  # noqa: E402
from negsim.cli.app import main  # noqa: E402
from negsim.sim.engine import simulate_runs  # noqa: E402

NAME = "jcpoa-2015"
PARTIES = ("Iran", "USA", "EU3", "Russia", "China")
WAR_WORDS = re.compile(r"ceasefire|embargo", re.I)


@pytest.fixture(scope="module")
def scenario() -> negsim.Scenario:
    return negsim.load_scenario(NAME)


@pytest.fixture(scope="module")
def ensemble() -> negsim.EnsembleResult:
    return negsim.simulate(NAME, runs=80, seed=1)


def test_it_is_built_in_and_validates(scenario: negsim.Scenario) -> None:
    assert NAME in negsim.scenarios()
    assert {a.id: a.roles for a in scenario.actors} == {
        **{p: ("party",) for p in PARTIES}, "EU": ("mediator",)}
    assert not [a for a in scenario.actors if "belligerent" in a.roles]
    assert [t.kind for t in scenario.timeline] == [
        "event", "mediated_round", "event", "implementation"]
    assert scenario.words.deal == "the nuclear deal"


def test_validate_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", NAME]) == 0
    assert capsys.readouterr().out.strip() == f"{NAME}: ok"


def test_runs_and_everyone_signs_the_lausanne_box(ensemble: negsim.EnsembleResult,
                                                  scenario: negsim.Scenario) -> None:
    runs = ensemble.runs
    assert len(runs) == 80
    for p in PARTIES:  # Iran's margin is the thinnest (see the explanation page)
        assert (runs[f"vienna.{p}.decision"] == "sign").mean() > (0.75 if p == "Iran" else 0.95), p
    # Iran's max and the US min meet at 0.5: every text caps enrichment at reactor grade
    np.testing.assert_allclose(runs["vienna.text.enrichment_level"], 0.5, atol=1e-9)
    assert set(runs["outcome"]) <= set(negsim.scenario.OUTCOMES)


def test_the_model_and_the_engine_agree_run_by_run(scenario: negsim.Scenario) -> None:
    engine = simulate_runs(scenario, 3, 2)
    for r in range(2):
        model = negsim.NegotiationModel(scenario, rng=np.random.SeedSequence([3, r]))
        result = model.run()
        row = engine.iloc[r]
        assert result.outcome == row["outcome"]
        vienna = result.rounds[0]
        for issue in scenario.issue_ids:
            assert vienna.text[issue] == row[f"vienna.text.{issue}"], issue


def test_backtest_scores_every_observation() -> None:
    bt = negsim.backtest(NAME, runs=60, seed=1)
    frame = bt.to_frame()
    assert frame["observed"].tolist() == ["sign"] * 5 + ["signed_but_fragile"]
    assert (frame["probability"].iloc[:5] > 0.75).all()
    assert bt.overall()["observations"] == 6.0


def test_printed_summary_and_story_speak_of_the_nuclear_deal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", NAME, "--runs", "40", "--seed", "1", "--out", str(tmp_path / "r")]) == 0
    run_out = capsys.readouterr().out
    assert main(["story", NAME, "--seed", "1"]) == 0
    story_out = capsys.readouterr().out
    for text in (run_out, story_out):
        assert not WAR_WORDS.search(text), WAR_WORDS.findall(text)
    assert "the nuclear deal" in run_out


def _figure_texts(fig: plt.Figure) -> list[str]:
    out = [t.get_text() for t in fig.texts]
    if getattr(fig, "_suptitle", None) is not None:
        out.append(fig._suptitle.get_text())
    for ax in fig.axes:
        out += [ax.get_title(loc) for loc in ("left", "center", "right")]
        out += [ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        out += [t.get_text() for t in ax.texts]
        if ax.get_legend() is not None:
            out += [t.get_text() for t in ax.get_legend().get_texts()]
    return out


def test_plots_speak_of_the_nuclear_deal(ensemble: negsim.EnsembleResult,
                                         tmp_path: Path) -> None:
    from negsim import plot

    written = plot.save_all(ensemble, tmp_path)
    assert written
    texts: list[str] = []
    for draw in (plot.plot_outcomes, plot.plot_signing, plot.plot_margins, plot.plot_survival,
                 plot.plot_tornado, plot.plot_issue_space):
        ax = draw(ensemble)
        ax.figure.canvas.draw()
        texts += _figure_texts(ax.figure)
        plt.close(ax.figure)
    assert texts
    bad = [t for t in texts if WAR_WORDS.search(t)]
    assert not bad, bad


def test_a_literal_reading_of_the_leaders_red_lines_leaves_no_text(
        scenario: negsim.Scenario) -> None:
    """With hard bounds at the Leader's words the US bedrock principles cannot be met."""
    iran = scenario.actor("Iran")
    literal = dataclasses.replace(iran, red_lines=(*iran.red_lines, dataclasses.replace(
        iran.red_lines[0], issue="sanctions_relief", min=1.0, max=None,
        description="all sanctions lifted on the day of signing")))
    s = dataclasses.replace(scenario, actors=tuple(
        literal if a.id == "Iran" else a for a in scenario.actors))
    runs = simulate_runs(s, 1, 20)
    assert (runs["outcome"] != "signed_and_holds").all()
