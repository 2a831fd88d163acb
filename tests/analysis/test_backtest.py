"""negsim.backtest: scores on hand-made ensembles, and predictions that ignore observations."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import negsim
from negsim.analysis.backtest import (
    LOG_CLIP,
    BacktestResult,
    backtest,
    base_rates,
    observation_frame,
    predicted_probabilities,
    score,
)
from negsim.scenario import load_scenario, parse_scenario

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"


@pytest.fixture(scope="module")
def toy():
    return load_scenario(DATA / "toy.toml")


@pytest.fixture(scope="module")
def libya():
    return load_scenario("libya-2020")


def _hand_runs() -> pd.DataFrame:
    # 4 runs of the toy's layout: talks (Red, Blue), summit commitment of Broker and Ally.
    return pd.DataFrame({
        "talks.Red.decision": ["sign", "no_sign", "no_sign", "sign"],
        "talks.Blue.decision": ["sign", "sign", "no_sign", "sign"],
        "summit.arms_embargo.Ally": [True, False, False, False],
        "holds": [True, True, True, False],
    })


# ------------------------------------------------------------------ pure scoring
def test_score_hand_values_and_clipping():
    obs = pd.DataFrame({"kind": ["sign", "sign", "outcome"],
                        "observed": ["sign", "no_sign", "partial_signature"]})
    df = score(obs, [1.0, 0.25, 0.0])
    assert df["brier"].tolist() == [0.0, 0.5625, 1.0]
    assert df["log_score"].tolist() == pytest.approx([0.0, math.log(4.0), -math.log(LOG_CLIP)])
    assert df["brier_coin"].tolist() == [0.25] * 3
    assert df["log_score_coin"].tolist() == pytest.approx([math.log(2.0)] * 3)
    # base rates: sign 'sign' among others {no_sign}: (0+1)/(1+2); outcome alone: 1/4
    assert df["base_rate"].tolist() == pytest.approx([1 / 3, 1 / 3, 0.25])
    assert df["brier_base_rate"].tolist() == pytest.approx([(2 / 3) ** 2, (2 / 3) ** 2, 0.5625])


def test_score_rejects_bad_probabilities():
    obs = pd.DataFrame({"kind": ["sign"], "observed": ["sign"]})
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        score(obs, [1.5])
    with pytest.raises(ValueError, match="one probability per observation"):
        score(obs, [0.5, 0.5])


def test_base_rates_leave_one_out():
    obs = pd.DataFrame({"kind": ["commit", "commit", "commit", "sign"],
                        "observed": ["commit", "commit", "no_commit", "no_sign"]})
    # commit 0: others {commit, no_commit} -> (1+1)/(2+2); no_commit: others {commit, commit}
    assert base_rates(obs).tolist() == pytest.approx([0.5, 0.5, 0.25, 0.5])


def test_predicted_probabilities_every_kind(toy):
    obs = observation_frame(toy.observed)
    assert obs["kind"].tolist() == ["sign", "sign", "outcome", "commit"]
    p = predicted_probabilities(_hand_runs(), obs, toy)
    # Blue signed in 3 of 4; Red no_sign in 2 of 4; partial signature: runs 1 only
    # (run 2: nobody signed, runs 0 and 3: both); Ally committed in 1 of 4.
    assert p.tolist() == [0.75, 0.5, 0.25, 0.25]


def test_round_outcome_uses_holds_when_all_signed(toy):
    obs = pd.DataFrame({"round": ["talks", "talks", "summit"], "actor": [None] * 3,
                        "commitment": [None] * 3, "kind": ["outcome"] * 3,
                        "observed": ["signed_and_holds", "signed_but_fragile",
                                     "signed_and_holds"], "source": ["wire"] * 3})
    # runs 0 and 3 are all signed; run 0 holds, run 3 does not; the summit (after the
    # talks) reads the talks' signatures.
    assert predicted_probabilities(_hand_runs(), obs, toy).tolist() == [0.25, 0.25, 0.25]


def test_round_outcome_matches_the_engine_outcome(toy):
    runs = negsim.simulate(toy.without_observed(), runs=300, seed=2).runs
    obs = pd.DataFrame({"round": ["talks"] * 4, "actor": [None] * 4, "commitment": [None] * 4,
                        "kind": ["outcome"] * 4, "observed": list(negsim.scenario.OUTCOMES),
                        "source": ["wire"] * 4})
    p = predicted_probabilities(runs, obs, toy)
    expected = [float((runs["outcome"] == o).mean()) for o in negsim.scenario.OUTCOMES]
    assert p.tolist() == expected
    assert sum(p) == pytest.approx(1.0)


def test_missing_column_is_an_error(toy):
    with pytest.raises(ValueError, match="no column"):
        predicted_probabilities(_hand_runs().drop(columns=["talks.Red.decision"]),
                                observation_frame(toy.observed), toy)


# ------------------------------------------------------------------ predictions ignore observations
def test_removing_observations_leaves_the_runs_unchanged(libya):
    with_obs = negsim.simulate(libya, runs=300, seed=5).runs
    without = negsim.simulate(libya.without_observed(), runs=300, seed=5).runs
    pd.testing.assert_frame_equal(with_obs, without)
    # and the TOML round trip of a copy without observations simulates the same runs
    again = parse_scenario(libya.without_observed().to_toml())
    assert not again.observed
    pd.testing.assert_frame_equal(negsim.simulate(again, runs=300, seed=5).runs, without)


def test_flipping_an_observation_changes_the_score_not_the_prediction(libya):
    bt = backtest(libya, runs=400, seed=3)
    flipped_obs = tuple(dataclasses.replace(o, decision="sign") if o.actor == "LNA" else o
                        for o in libya.observed)
    flipped = dataclasses.replace(libya, observed=flipped_obs)
    bt2 = backtest(flipped, runs=400, seed=3)
    a, b = bt.to_frame(), bt2.to_frame()
    assert bt.scenario_fingerprint == bt2.scenario_fingerprint  # the same scenario simulated
    assert b.loc[1, "observed"] == "sign"
    assert b.loc[1, "probability"] == pytest.approx(1.0 - a.loc[1, "probability"])
    assert b.loc[[0, 2], "probability"].tolist() == a.loc[[0, 2], "probability"].tolist()
    assert b.loc[1, "brier"] != a.loc[1, "brier"]


# ------------------------------------------------------------------ the result
def test_backtest_result_means_table_and_frame(toy):
    bt = backtest(toy, runs=300, seed=1)
    assert isinstance(bt, BacktestResult)
    df = bt.to_frame()
    assert len(df) == 4 and bt.runs == 300 and bt.seed == 1
    assert bt.brier == pytest.approx(df["brier"].mean())
    assert bt.log_score == pytest.approx(df["log_score"].mean())
    assert bt.brier_coin == 0.25
    assert bt.brier_base_rate == pytest.approx(df["brier_base_rate"].mean())
    df.loc[0, "brier"] = 99.0  # a copy
    assert bt.to_frame().loc[0, "brier"] != 99.0
    text = bt.table()
    assert "Ally: arms_embargo" in text and "(round outcome)" in text and "coin (0.5)" in text
    d = bt.to_dict()
    assert d["overall"]["observations"] == 4.0 and len(d["observations"]) == 4
    assert d["parameters"]["log_clip"] == LOG_CLIP


def test_backtest_is_reproducible(toy):
    a = backtest(toy, runs=200, seed=4).to_frame()
    b = backtest(toy, runs=200, seed=4).to_frame()
    pd.testing.assert_frame_equal(a, b)


def test_backtest_needs_observations(libya):
    with pytest.raises(ValueError, match="no \\[\\[observed\\]\\] records"):
        backtest(libya.without_observed(), runs=10)


def test_libya_backtest_beats_both_baselines(libya):
    bt = backtest(libya, runs=1000, seed=0)
    df = bt.to_frame()
    assert df["probability"].iloc[0] > 0.9  # Serraj signs
    assert bt.brier < bt.brier_coin and bt.brier < bt.brier_base_rate
    assert bt.log_score < bt.log_score_coin
    assert np.all(df["probability"] > 0.5)
