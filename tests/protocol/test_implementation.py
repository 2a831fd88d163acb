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


def test_engine_and_mesa_agree_with_the_phase_on(truce, engine_equals_mesa):
    df = engine_equals_mesa(truce, 5, np.arange(40))
    assert df["after.broke"].any() and not df["after.broke"].all()


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


# ------------------------------------------------------------------ dated observations
# What was observed during the phase, at a date: the ceasefire still held on it, or had
# broken by it (by a named side, optionally). The truce starts on 2021-03-11 and lasts 12
# months, so its whole months end on the 11th.
DATED = """
[[observed]]
round = "after"
decision = "holds"
date = 2021-06-11
source = "doc"
quote = "test"

[[observed]]
round = "after"
decision = "broken"
actor = "A"
date = 2021-09-30
source = "doc"
quote = "test"

[[observed]]
round = "after"
decision = "broken"
date = 2022-03-11
source = "doc"
quote = "test"
"""


def _dated(truce: negsim.Scenario, text: str = DATED) -> negsim.Scenario:
    return negsim.parse_scenario(truce.to_toml() + text, "dated.toml")


def test_dated_observations_are_read_and_written(truce):
    import datetime

    s = _dated(truce)
    assert [(o.decision, o.actor, o.date) for o in s.observed] == [
        ("holds", None, datetime.date(2021, 6, 11)), ("broken", "A", datetime.date(2021, 9, 30)),
        ("broken", None, datetime.date(2022, 3, 11))]
    assert negsim.parse_scenario(s.to_toml(), "again.toml") == s
    assert s.without_observed() == truce


def test_dated_observations_are_scored_at_their_dates(truce):
    # Each observation is the share of runs in which it happened at its own date: months
    # 3, 6 (the 30th of September is 6 whole months and 19 days in) and 12.
    from negsim.analysis.backtest import backtest, observation_frame, predicted_probabilities

    s = _dated(truce)
    runs = simulate_runs(truce, seed=2, runs=400)
    broke, months = runs["after.broke"].to_numpy(), runs["after.duration"].to_numpy()
    by_a = (runs["after.broken_by"] == "A").to_numpy()
    p = predicted_probabilities(runs, observation_frame(s.observed), s)
    assert p.tolist() == [np.mean(~(broke & (months <= 3))), np.mean(by_a & (months <= 6)),
                          np.mean(broke)]
    bt = backtest(s, runs=400, seed=2)
    frame = bt.to_frame()
    assert frame["kind"].tolist() == ["ceasefire"] * 3
    assert frame["date"].tolist() == ["2021-06-11", "2021-09-30", "2022-03-11"]
    assert frame["probability"].tolist() == p.tolist()  # the blind scenario plays the same runs
    assert frame["brier"].tolist() == ((1 - p) ** 2).tolist()
    assert "ceasefire on 2021-09-30 (A)" in bt.table()


@pytest.mark.parametrize("change, message", [
    (("date = 2021-06-11", "date = 2021-04-10"),
     r"observed\[0\]\.date: date 2021-04-10 is before the end of the first month of 'after' "
     r"\(2021-04-11\)"),
    (("date = 2022-03-11", "date = 2022-03-12"),
     r"observed\[2\]\.date: date 2022-03-12 is after the horizon of 'after' \(2022-03-11, "
     "12 months after 2021-03-11\\)"),
    (("date = 2021-06-11\n", ""), r"observed\[0\]\.date: missing: an observation of 'after' is "
     "made at a date"),
    (('decision = "holds"\n', 'decision = "holds"\nactor = "A"\n'),
     r"observed\[0\]\.actor: 'holds' is the deal's, not an actor's"),
    (('actor = "A"', 'actor = "PA"'), r"observed\[1\]\.actor: 'PA' is not a participant"),
    (('date = 2021-06-11', 'date = "2021-06-11"'), r"observed\[0\]\.date: must be a date"),
    (('round = "after"\ndecision = "holds"', 'round = "after"\ndecision = "sign"'),
     r"observed\[0\]\.decision: 'sign' is a decision on a text in a mediated_round; "
     "'after' is an implementation"),
])
def test_dated_observations_are_checked(truce, change, message):
    with pytest.raises(negsim.ScenarioError, match=message):
        _dated(truce, DATED.replace(*change, 1))


def test_only_the_phase_takes_dated_observations(truce):
    text = truce.to_toml() + """
[[observed]]
round = "conference"
actor = "PA"
decision = "commit"
commitment = "embargo"
date = 2021-03-10
source = "doc"
quote = "test"
"""
    with pytest.raises(negsim.ScenarioError, match=r"observed\[0\]\.date: a date is only for "
                       "observations during an implementation phase, not in a 'conference'"):
        negsim.parse_scenario(text, "t.toml")


# --------------------------------------------------- the two-belligerent arithmetic
def _random_contest(rng, runs: int, n: int, gamma: float | None = None):
    from negsim.protocol.aftermath import Contest

    bel = np.zeros(n, dtype=bool)
    bel[rng.choice(n, 2, replace=False)] = True
    umat = np.where(bel, rng.random((runs, n, n)), 0.0)
    support = np.where(rng.random((runs, n, n)) < 0.5, rng.random((runs, n, n)), 0.0)
    exponent = np.full(runs, gamma) if gamma is not None else rng.uniform(0.3, 3.0, runs)
    return Contest(umat, support, rng.uniform(0, 0.1, (runs, n)), rng.uniform(0.5, 0.99,
                   (runs, n)), bel, exponent, rng.uniform(0.1, 1.0, runs))


@pytest.mark.parametrize("runs, n, gamma", [(1, 3, None), (7, 5, None), (300, 6, None),
                                            (50, 6, 0.5), (50, 4, 2.0), (1, 6, 1.0)])
def test_two_belligerent_kernels_equal_the_full_rows_bit_for_bit(runs, n, gamma):
    # With two belligerents the kernels sum on the two sides' columns (a sum of two numbers
    # and zeros is the same in any order); the definitions on full rows (Contest.war_values
    # and perceived_war_values) must give the same bits, for one run (the Mesa model) too.
    from negsim.protocol.aftermath import break_values, delivery_gains, perceived_war_values

    rng = np.random.default_rng(runs * 100 + n)
    c = _random_contest(rng, runs, n, gamma)
    sides = np.flatnonzero(c.belligerent)
    patrons = np.flatnonzero(~c.belligerent)
    cap, nxt = rng.random((runs, n)), rng.random((runs, n))
    step = np.zeros((runs, n, n))
    step[:, patrons[:, None], sides] = rng.random((runs, len(patrons), len(sides)))
    discount, cost = c.discount, rng.random((runs, n))
    gains = delivery_gains(c, cap, step, patrons, discount, cost)
    base = c.war_values(cap)
    for j, q in enumerate(patrons):
        want = (c.war_values(cap + step[:, q, :])[:, q] - base[:, q]) / (1 - discount[:, q]) \
            - cost[:, q]
        assert np.array_equal(gains[:, j], want)
    assert np.array_equal(c.war_values(nxt, actors=sides), c.war_values(nxt)[:, sides])
    error, strike = rng.normal(0, 0.2, (runs, n)), rng.random(runs)
    pressure, peace = rng.random((runs, n)) * 0.1, rng.random((runs, n))
    values, _ = break_values(c, cap, nxt, error, strike, pressure, peace, discount, sides)
    for j, i in enumerate(sides):
        bonus = np.zeros((runs, n))
        bonus[:, i] = strike
        now = perceived_war_values(c, cap, error, bonus, np.array([i]))[:, 0]
        later = perceived_war_values(c, nxt, error, np.zeros((runs, n)), np.array([i]))[:, 0]
        k = sides[1 - j]
        kb = np.zeros((runs, n))
        kb[:, k] = strike
        other = c.war_values(nxt, kb)
        expected_strike = other[:, k] - pressure[:, k] > peace[:, k]
        cont = np.where(expected_strike, other[:, i], peace[:, i])
        want = (1 - discount[:, i]) * (now - pressure[:, i] - peace[:, i]) \
            + discount[:, i] * (later - cont)
        assert np.array_equal(values[:, j], want)


def test_takes_it_is_choose_between_a_value_and_zero():
    from negsim.protocol.aftermath import takes_it
    from negsim.protocol.rounds.kernels import choose

    rng = np.random.default_rng(0)
    v = rng.normal(0, 1, (2000, 3)) * rng.choice([1e-3, 1.0, 1e3], (2000, 3))
    v[rng.random(v.shape) < 0.05] = np.inf
    v[rng.random(v.shape) < 0.05] = -np.inf
    v[rng.random(v.shape) < 0.05] = np.nan
    lam = rng.choice([0.0, 0.5, 20.0, 1e6], (2000, 1))
    u = rng.random((2000, 3))
    want = choose(np.stack([v, np.zeros_like(v)], -1), lam, u) == 0
    assert np.array_equal(takes_it(v, lam, u), want)
