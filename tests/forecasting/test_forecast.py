"""forecast() end to end (negsim.forecasting.run and .result): whole forecasts, the published
example, results, scenarios and input validation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from forecast_cases import DATA, FORECAST, emissions, fake_scenario, table, variants
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from negsim.forecasting import (
    EUParameters,
    ForecastError,
    ForecastResult,
    forecast,
    forecast_plot_data,
    weighted_mean,
    weighted_median,
)

# ---------------------------------------------------------------------------------------
# properties of whole forecasts
# ---------------------------------------------------------------------------------------
cont_rows = st.lists(st.tuples(st.floats(-5, 5), st.floats(0, 2), st.floats(0, 1)),
                     min_size=1, max_size=7)


@settings(max_examples=60, deadline=None)
@given(rows=cont_rows, prm=variants, rounds=st.integers(0, 6))
def test_positions_stay_in_the_initial_range(rows, prm, rounds):
    x, c, s = (list(v) for v in zip(*rows, strict=True))
    assume(sum(ci * si for ci, si in zip(c, s, strict=True)) > 1e-9)
    res = forecast(table(x, c, s), rounds=rounds, params=prm)
    pos = res.positions["position"].to_numpy()
    assert pos.min() >= min(x) and pos.max() <= max(x)
    assert len(res.summary) == rounds + 1
    assert np.all((res.summary["median"] >= min(x)) & (res.summary["median"] <= max(x)))


@settings(max_examples=50, deadline=None)
@given(rows=cont_rows, prm=variants, perm_seed=st.integers(0, 2**16))
def test_permuting_actors_permutes_results(rows, prm, perm_seed):
    x, c, s = (list(v) for v in zip(*rows, strict=True))
    assume(sum(ci * si for ci, si in zip(c, s, strict=True)) > 1e-9)
    tab = table(x, c, s)
    perm = np.random.default_rng(perm_seed).permutation(len(tab))
    res = forecast(tab, rounds=4, params=prm)
    res_p = forecast(tab.iloc[perm].reset_index(drop=True), rounds=4, params=prm)
    key = ["round", "actor"]
    a = res.positions.sort_values(key).reset_index(drop=True)
    b = res_p.positions.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert np.allclose(res.summary["mean"], res_p.summary["mean"], rtol=1e-12, atol=1e-12)
    assert np.array_equal(res.summary["median"], res_p.summary["median"])


# ---------------------------------------------------------------------------------------
# the published example (Bueno de Mesquita 1994; Scholz, Calbert and Smith 2011)
# ---------------------------------------------------------------------------------------
def test_published_example_mean_within_0_1_per_round():
    table2 = pd.read_csv(FORECAST / "scholz2011_table2.csv")
    res = forecast(emissions(), model="eu", rounds=10)
    got = res.summary.set_index("round")["mean"]
    diff = (got.loc[table2["round"]].to_numpy() - table2["mean"].to_numpy())
    assert np.abs(diff).max() < 0.1
    assert got.loc[0] == pytest.approx(7.389955686853767)  # the input's weighted mean


def test_published_example_medians():
    # the median of every round but the second, truncated to one decimal, is the table's;
    # in round 2 the table reads 9.9 while Belgium, the median actor, is at 9.61 here
    table2 = pd.read_csv(FORECAST / "scholz2011_table2.csv").set_index("round")
    med = forecast(emissions(), rounds=8).summary.set_index("round")["median"]
    assert med.loc[0] == 7.0
    for rnd in (1, 3, 4, 5, 6, 7, 8):
        assert math.floor(med.loc[rnd] * 10) / 10 == pytest.approx(table2.loc[rnd, "median"])
    assert med.loc[2] == pytest.approx(9.610859134120188)


def test_reimplementation_log_reproduced_exactly():
    log = pd.read_csv(FORECAST / "reimplementation_log.csv")
    res = forecast(emissions(), rounds=10)
    assert res.summary["mean"].to_numpy() == pytest.approx(log["mean"].to_numpy(),
                                                           rel=1e-13, abs=1e-13)
    ref = pd.read_csv(FORECAST / "reimplementation_moves.csv")
    got = res.moves.set_index(["round", "actor"]).sort_index()
    ref = ref.set_index(["round", "actor"]).sort_index()
    assert got.index.equals(ref.index)
    assert got["offer"].tolist() == ref["offer"].tolist()
    assert got["proposer"].tolist() == ref["proposer"].tolist()
    assert got["to_position"].to_numpy() == pytest.approx(ref["to_position"].to_numpy(),
                                                          rel=1e-13)


def test_capitulation_switch_and_printed_equations_on_the_example():
    base = forecast(emissions(), rounds=10).summary["mean"].to_numpy()
    no_cap = forecast(emissions(), rounds=10, capitulation=False).summary["mean"].to_numpy()
    assert np.array_equal(base, no_cap)  # no capitulation arises in this example
    table2 = pd.read_csv(FORECAST / "scholz2011_table2.csv")
    printed = forecast(emissions(), rounds=8, params=EUParameters.as_printed())
    got = printed.summary.set_index("round")["mean"].loc[table2["round"]].to_numpy()
    assert np.abs(got - table2["mean"].to_numpy()).max() > 0.1  # as documented


# ---------------------------------------------------------------------------------------
# results, scenarios, validation
# ---------------------------------------------------------------------------------------
def test_result_structure():
    tab = emissions()
    res = forecast(tab, rounds=3, issue="emission_year")
    assert isinstance(res, ForecastResult)
    assert list(res.positions.columns) == ["round", "issue", "actor", "position"]
    assert list(res.summary.columns) == ["round", "issue", "mean", "median"]
    assert res.issues == ("emission_year",)
    first = res.positions[res.positions["round"] == 0]
    assert first["actor"].tolist() == tab["actor"].tolist()
    assert first["position"].tolist() == tab["position"].astype(float).tolist()
    w = (tab["capability"] * tab["salience"]).to_numpy()
    for rnd, grp in res.positions.groupby("round"):
        row = res.summary[res.summary["round"] == rnd].iloc[0]
        assert row["mean"] == pytest.approx(np.dot(w, grp["position"]) / w.sum())
        assert row["median"] == weighted_median(grp["position"], tab["capability"],
                                                tab["salience"])
    for mv in res.moves.itertuples():
        pos = res.positions[(res.positions["round"] == mv.round)
                            & (res.positions["actor"] == mv.actor)]["position"].item()
        assert pos == mv.to_position
    assert res.parameters["q"] == 1.0 and res.parameters["rounds"] == 3
    assert res.parameters["position_range"] == {"emission_year": 6.0}
    assert res.prediction().to_dict() == {"emission_year": res.summary["median"].iloc[-1]}
    assert repr(res) == "ForecastResult(model='eu', issues=1, actors=10, rounds=3)"


def test_static_models_report_round_zero():
    tab = emissions()
    for model, expected in (("mean", 7.389955686853767), ("median", 7.0)):
        res = forecast(tab, model=model, rounds=10)
        assert res.positions["round"].unique().tolist() == [0]
        assert res.moves.empty
        assert res.prediction()["issue"] == pytest.approx(expected)
        assert res.parameters["rounds"] == 0


def test_table_forms_are_equivalent():
    tab = emissions()
    as_records = tab.to_dict(orient="records")
    as_columns = {k: list(v) for k, v in tab.to_dict(orient="list").items()}
    ref = forecast(tab, rounds=2).positions
    for form in (as_records, as_columns):
        pd.testing.assert_frame_equal(forecast(form, rounds=2).positions, ref)


def test_options_override_parameters():
    a = forecast(emissions(), rounds=3, q=0.5)
    b = forecast(emissions(), rounds=3, params=EUParameters(q=0.5))
    pd.testing.assert_frame_equal(a.positions, b.positions)
    assert a.parameters["q"] == 0.5


def test_scenario_input_forecasts_each_issue_independently():
    sc = fake_scenario()
    res = forecast(sc, rounds=2)
    assert res.issues == ("land", "water")
    assert res.parameters["skipped_issues"] == {"empty": "no actor has a demand on it"}
    land = res.positions[(res.positions["issue"] == "land") & (res.positions["round"] == 0)]
    assert land["actor"].tolist() == ["A", "B", "M"]
    water = res.positions[res.positions["issue"] == "water"]
    assert set(water["actor"]) == {"A", "M"}
    single = forecast(table([0.0, 1.0, 0.5], [1.0, 0.5, 0.0], [1.0, 0.8, 1.0],
                             ["A", "B", "M"]), rounds=2, issue="land")
    pd.testing.assert_frame_equal(
        res.positions[res.positions["issue"] == "land"].reset_index(drop=True),
        single.positions)
    only = forecast(sc, issue="water", model="mean")
    assert only.issues == ("water",)
    assert only.prediction()["water"] == pytest.approx(0.2)  # M has no capability
    with pytest.raises(ForecastError, match="unknown issue 'fish'.*land, water, empty"):
        forecast(sc, issue="fish")
    with pytest.raises(ForecastError, match="cannot forecast issue 'empty'"):
        forecast(sc, issue="empty")


def test_scenario_files_and_names():
    from negsim.scenario import load_scenario

    path = DATA / "scenarios" / "tiny3.toml"
    res = forecast(path, rounds=2)
    assert res.issues == ("land", "power")
    assert set(res.positions["actor"]) == {"A", "B"}  # the mediator has no demands
    pd.testing.assert_frame_equal(res.positions,
                                  forecast(load_scenario(path), rounds=2).positions)
    libya = forecast("libya-2020", rounds=3)
    assert len(libya.issues) >= 5
    assert libya.positions["position"].between(0, 1).all()


@pytest.mark.parametrize(
    ("table", "kwargs", "message"),
    [
        ({"actor": ["A"], "capability": [1], "position": [0]}, {},
         r"missing column 'salience' \(found: actor, capability, position\)"),
        ({"actor": ["A"], "position": [0]}, {}, "missing columns 'capability', 'salience'"),
        ({"actor": ["A", "B"], "capability": [1, 1], "position": [0, float("nan")],
          "salience": [1, 1]}, {}, "position of actor 'B' is nan"),
        ({"actor": ["A", "B"], "capability": [1, 1], "position": [0, 1],
          "salience": [1, 90]}, {}, r"salience of actor 'B' is 90.0, outside \[0, 1\]"),
        ({"actor": ["A", "B"], "capability": [1, -0.5], "position": [0, 1],
          "salience": [1, 1]}, {}, "capability of actor 'B' is negative"),
        ({"actor": ["A", "A"], "capability": [1, 1], "position": [0, 1],
          "salience": [1, 1]}, {}, "actor 'A' appears twice"),
        ({"actor": ["A", "B"], "capability": [1, 1], "position": [0, "x"],
          "salience": [1, 1]}, {}, "position of actor 'B' is not a number"),
        ({"actor": ["A", "B"], "capability": [0, 1], "position": [0, 1],
          "salience": [1, 0]}, {}, "total weight"),
        ({"actor": [], "capability": [], "position": [], "salience": []}, {}, "no rows"),
        ({"actor": ["A"], "capability": [1], "position": [0], "salience": [1]},
         {"model": "bdm"}, "unknown model 'bdm'.*'eu', 'mean', 'median'"),
        ({"actor": ["A"], "capability": [1], "position": [0], "salience": [1]},
         {"rounds": -1}, "rounds must be a non-negative integer"),
        ({"actor": ["A"], "capability": [1], "position": [0], "salience": [1]},
         {"rounds": 2.5}, "rounds must be a non-negative integer"),
        ({"actor": ["A"], "capability": [1], "position": [0], "salience": [1]},
         {"Q": 0.5}, "unknown option 'Q'"),
        ({"actor": ["A"], "capability": [1], "position": [0], "salience": [1]},
         {"model": "mean", "q": 0.5}, "'eu' model only"),
        ({"actor": ["A", "B"], "capability": [1, 1], "position": [0, 2],
          "salience": [1, 1]}, {"position_range": 1.0}, "smaller than the range"),
    ],
)
def test_bad_input_is_named(table, kwargs, message):
    with pytest.raises(ForecastError, match=message):
        forecast(table, **kwargs)


def test_bad_input_types_and_parameters():
    with pytest.raises(ForecastError, match="takes a Scenario"):
        forecast(42)
    with pytest.raises(ForecastError, match="records"):
        forecast([1, 2, 3])
    with pytest.raises(ForecastError, match=r"q must be in \[0, 1\]"):
        EUParameters(q=1.5)
    with pytest.raises(ForecastError, match="offer_rule must be one of"):
        EUParameters(offer_rule="nearest")
    with pytest.raises(ForecastError, match="position_range"):
        EUParameters(position_range=0)
    with pytest.raises(ForecastError, match="same length"):
        weighted_mean([0, 1], [1], [1, 1])
    with pytest.raises(ForecastError, match="salience of entry 1"):
        weighted_median([0, 1], [1, 1], [1, 2])
    assert issubclass(ForecastError, ValueError)


# ---------------------------------------------------------------------------------------
# the numbers of one issue (drawn by negsim.plot.plot_forecast: tests/plot)
# ---------------------------------------------------------------------------------------
def test_plot_data():
    res = forecast(emissions(), rounds=4)
    traj, summ = forecast_plot_data(res)
    assert traj.shape == (5, 10) and traj.columns.tolist() == emissions()["actor"].tolist()
    assert traj.loc[4, "Belgium"] == pytest.approx(4.800881140632622)
    assert summ.loc[0, "mean"] == pytest.approx(7.389955686853767)


def test_plot_data_needs_an_issue_when_there_are_several():
    res = forecast(fake_scenario(), rounds=1)
    with pytest.raises(ForecastError, match="2 issues; pass issue="):
        forecast_plot_data(res)
    traj, _ = forecast_plot_data(res, issue="water")
    assert traj.columns.tolist() == ["A", "M"]
    with pytest.raises(ForecastError, match="unknown issue"):
        forecast_plot_data(res, issue="fish")


def test_settled_detects_cycles():
    res = forecast(emissions(), rounds=10)
    assert res.settled().to_dict() == {"issue": False}  # Belgium keeps moving
    # with pair probabilities B loses a confrontation in round 1 and nothing moves after
    calm = forecast(table([0.0, 1.0], [1.0, 1.0], [1.0, 0.5]), rounds=4, probability="pair")
    assert calm.settled(last=3).to_dict() == {"issue": True}
    assert not calm.settled(last=4).iloc[0]
    assert forecast(emissions(), model="mean").settled().all()
    # two-cycle: the positions of round 10 equal those of round 8 but not of round 9
    libya = forecast("libya-2020", rounds=10, issue="southern_tripoli")
    wide = libya.positions.pivot(index="round", columns="actor", values="position")
    if not libya.settled().iloc[0]:
        assert not np.allclose(wide.loc[10], wide.loc[9])
    with pytest.raises(ForecastError, match="last must be a positive integer"):
        res.settled(last=0)
