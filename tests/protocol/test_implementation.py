"""The months after the talks (the ``implementation`` round kind).

Directional properties on a small fixture (tests/data/scenarios/truce.toml), each with its
reason; both implementations agree run by run with the phase on; and the scenario format
checks what the phase needs. Comparisons use common random numbers (the same seed and runs),
so a difference comes from the changed number, not from sampling.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import negsim
from negsim.sim.engine import simulate_runs

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"
RUNS = 1000


@pytest.fixture(scope="module")
def truce() -> negsim.Scenario:
    return negsim.load_scenario(DATA / "truce.toml")


def _runs(scenario: negsim.Scenario, **overrides: float):
    sc = scenario.with_overrides(overrides) if overrides else scenario
    return simulate_runs(sc, seed=11, runs=RUNS)


def _broke(df) -> float:
    return float(df["after.broke"].mean())


def test_more_optimism_means_more_breakdowns(truce):
    # A side that overrates its chance of winning values war more than it is worth: with
    # larger errors more runs have a side for which striking looks better than the truce.
    rates = [_broke(_runs(truce, **{"model.estimate_error": e})) for e in (0.0, 0.1, 0.3)]
    assert rates[0] < rates[1] < rates[2]


def test_more_monitoring_means_longer_survival(truce):
    # Monitoring cuts the first-strike advantage and makes deliveries more likely to be
    # caught (fewer deliveries, less shifting power). The patrons commit to monitoring when
    # they want it: raise their demand for it.
    keen = {f"actors.{p}.demands.monitoring.{f}": 1.0 for p in ("PA", "PB")
            for f in ("ideal", "salience")}
    base, monitored = _runs(truce), _runs(truce, **keen)
    assert monitored["conference.monitor.PA"].mean() > base["conference.monitor.PA"].mean()
    assert monitored["after.duration"].mean() > base["after.duration"].mean()
    assert _broke(monitored) < _broke(base)


def test_a_guarantor_with_a_credible_cost_means_longer_survival(truce):
    # Patrons that committed to support the ceasefire press their client not to break it:
    # the cost of breaking it is their leverage times the pledge's breach cost.
    base = _runs(truce, **{"commitments.support.breach_cost": 0.0})
    guaranteed = _runs(truce, **{"commitments.support.breach_cost": 1.0})
    assert guaranteed["after.duration"].mean() > base["after.duration"].mean()
    assert _broke(guaranteed) < _broke(base)


def test_a_faster_shift_of_power_against_a_side_makes_it_break_sooner(truce):
    # B's patron backs B twice as strongly as A's backs A: when deliveries flow, B's
    # capability grows faster than A's month after month. A, expecting to decline (or to be
    # struck first once B is stronger), has reason to strike while it can. At month 0 the
    # balance is the same with and without deliveries; only its expected path differs.
    tilted = {"actors.PB.backs.B.support": 0.6, "model.volatility": 0.0}
    still = _runs(truce, **tilted, **{"model.delivery": 0.0})
    shifting = _runs(truce, **tilted, **{"model.delivery": 0.2})
    a_still = (still["after.broken_by"] == "A").mean()
    a_shifting = (shifting["after.broken_by"] == "A").mean()
    assert a_shifting > a_still
    months_a = shifting.loc[shifting["after.broken_by"] == "A", "after.duration"]
    assert len(months_a) > 10 and months_a.mean() < 12


def test_a_balanced_stalemate_that_does_not_shift_survives(truce):
    # Equal sides, the line in the middle, war costly, nobody misjudging, no deliveries and
    # no events on the ground: striking is worth less than the truce to both, every month.
    calm = {"issues.line.status_quo": 0.5, "actors.A.outside_option.cost": 0.1,
            "actors.B.outside_option.cost": 0.1, "model.estimate_error": 0.0,
            "model.delivery": 0.0, "model.volatility": 0.0}
    df = _runs(truce, **calm)
    assert df["holds"].mean() > 0.99


def test_engine_and_mesa_agree_with_the_phase_on(truce):
    df = simulate_runs(truce, seed=5, runs=np.arange(40))
    assert df["after.broke"].any() and not df["after.broke"].all()
    for i in range(40):
        row = negsim.NegotiationModel(truce, rng=np.random.SeedSequence([5, i])).run().to_row()
        assert set(row) == set(df.columns) - {"run", "seed"}
        for col, value in row.items():
            got = df[col].iloc[i]
            if isinstance(value, float) and np.isnan(value):
                assert np.isnan(got), (i, col)
            else:
                assert got == value, (i, col, got, value)


def test_one_mesa_step_per_month(truce):
    model = negsim.NegotiationModel(truce, rng=0)
    result = model.run()
    assert model.steps == 2 + 12  # the truce, the conference, then 12 months
    phase = result.round("after")
    assert phase.horizon == 12 and len(phase.delivered) == 12
    assert result.holds == (not phase.broke)


def test_holds_means_still_holding_at_the_horizon(truce):
    df = _runs(truce)
    assert (df["holds"] == ~df["after.broke"]).all()
    broke = df[df["after.broke"]]
    assert (broke["after.broken_by"].isin(["A", "B"])).all()
    assert broke["after.reason"].str.len().gt(0).all()
    assert (df.loc[~df["after.broke"], "after.duration"] == 12).all()


def test_the_phase_needs_its_model_fields_and_horizon(truce):
    text = truce.to_toml()
    with pytest.raises(negsim.ScenarioError, match="model.volatility: missing: the "
                       "implementation entry 'after'"):
        negsim.parse_scenario(text.replace("\nvolatility = ", "\n# volatility = "), "t.toml")
    with pytest.raises(negsim.ScenarioError, match=r"timeline\[2\]\.horizon: missing"):
        negsim.parse_scenario(text.replace("horizon = 12\n", ""), "t.toml")
    with pytest.raises(negsim.ScenarioError, match="horizon: must be a whole number"):
        negsim.parse_scenario(text.replace("horizon = 12", "horizon = 0"), "t.toml")
    with pytest.raises(negsim.ScenarioError, match="is not a belligerent"):
        negsim.parse_scenario(text.replace('participants = ["A", "B"]\nhorizon',
                                           'participants = ["A", "PA"]\nhorizon'), "t.toml")


def test_libya_phase_breaks_partial_signatures_for_named_reasons():
    df = simulate_runs(negsim.load_scenario("libya-2020"), seed=3, runs=1000)
    partial = df[df["outcome"] == "partial_signature"]
    signed = df[df["outcome"].isin(["signed_and_holds", "signed_but_fragile"])]
    # A ceasefire only some parties signed breaks more often than a signed text.
    assert partial["aftermath.broke"].mean() > signed["aftermath.broke"].mean()
    reasons = set(partial.loc[partial["aftermath.broke"], "aftermath.reason"])
    assert any(r.startswith("LNA: ") for r in reasons)
