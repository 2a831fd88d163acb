"""Deals with a term: renewal rounds, the end of the last term and suspensions.

A small renewable grain-corridor fixture (tests/data/scenarios/grain.toml: two parties with
no_deal outside options, two mediators, terms of 4 months, suspensions allowed) and the
truce fixture with a term (sides at war). Both implementations agree run by run with terms
and suspensions on; directional properties use common random numbers (the same seed and
runs), so a difference comes from the changed number, not from sampling.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import negsim
from negsim.protocol.rounds.implementation import Implementation
from negsim.sim.engine import simulate_runs

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"
RUNS = 2000


@pytest.fixture(scope="module")
def grain() -> negsim.Scenario:
    return negsim.load_scenario(DATA / "grain.toml")


@pytest.fixture(scope="module")
def truce() -> negsim.Scenario:
    return negsim.load_scenario(DATA / "truce.toml")


def _edit(scenario: negsim.Scenario, old: str, new: str) -> negsim.Scenario:
    text = scenario.to_toml()
    assert old in text
    return negsim.parse_scenario(text.replace(old, new, 1), "t.toml")


def _truce_with_term(truce: negsim.Scenario, lines: str) -> negsim.Scenario:
    return _edit(truce, "horizon = 12\n", f"horizon = 12\n{lines}\n")


def test_engine_and_mesa_agree_with_terms_and_suspensions(grain, engine_equals_mesa):
    df = simulate_runs(grain, seed=5, runs=np.arange(60))
    # the fixture exercises what is compared: renewals, refusals, suspensions, breaks
    assert df["corridor.renewed"].max() == 2 and df["corridor.suspended"].any()
    assert df["corridor.broke"].any() and not df["corridor.broke"].all()
    engine_equals_mesa(grain, 5, np.arange(60), engine=df)


def test_engine_and_mesa_agree_for_sides_at_war_with_a_term(truce, engine_equals_mesa):
    # A side that prefers fighting on usually strikes first rather than let the deal lapse;
    # without a first-strike advantage and with noisier choices some let it lapse.
    s = _truce_with_term(truce, "term = 3\nrenewals = 2").with_overrides(
        {"model.first_strike": 0.0, "model.rationality": 5.0})
    runs = list(range(30)) + [44, 53, 63]
    df = simulate_runs(s, seed=5, runs=np.array(runs))
    assert df["after.lapsed"].sum() >= 3 and df["after.expired"].any()
    assert df.loc[df["after.lapsed"], "after.reason"].str.contains(
        "did not renew the agreement").all()
    engine_equals_mesa(s, 5, runs, engine=df)


def test_a_file_without_a_term_keeps_its_draws_and_columns(truce):
    entry = truce.round("after")
    assert entry.term is None and not entry.suspension
    assert Implementation().draws(entry, truce) == 5 + 4 * 5 * 12
    df = simulate_runs(truce, seed=3, runs=50)
    assert not [c for c in df.columns if c.endswith((".renewed", ".lapsed", ".expired",
                                                     ".suspended"))]


def test_renewal_draws_come_after_the_months(truce):
    s = _truce_with_term(truce, "term = 3")  # renewal rounds after months 3, 6 and 9
    assert Implementation().draws(s.round("after"), s) == 5 + 4 * 5 * 12 + 5 * 3


def test_a_term_as_long_as_the_horizon_is_open_ended(truce):
    # A renewal at the horizon would be about months after it, which are not played: a term
    # that lasts the whole phase draws nothing more and changes nothing.
    base = simulate_runs(truce, seed=3, runs=300)
    long = simulate_runs(_truce_with_term(truce, "term = 12"), seed=3, runs=300)
    assert set(long.columns) - set(base.columns) == {"after.renewed", "after.lapsed",
                                                     "after.expired"}
    assert long[base.columns].equals(base)
    assert not long["after.renewed"].any() and not long["after.lapsed"].any()


def test_renewals_zero_ends_the_deal_at_its_term_without_a_breakdown(grain):
    s = _edit(grain, "term = 4\n", "term = 4\nrenewals = 0\n")
    df = simulate_runs(s, seed=2, runs=RUNS)
    broke, expired = df["corridor.broke"], df["corridor.expired"]
    # a deal that ran its full term was not broken: it holds, and nobody breaks it later
    assert expired.any() and (expired == ~broke).all()
    assert (df.loc[broke, "corridor.duration"] <= 4).all()
    assert (df.loc[expired, "corridor.duration"] == 12).all()
    assert (df["holds"] == ~broke).all()
    assert not df["corridor.lapsed"].any() and not df["corridor.renewed"].any()
    i = int(np.flatnonzero(expired)[0])
    result = negsim.NegotiationModel(s, rng=np.random.SeedSequence([2, i])).run()
    assert result.verdict()[0] == "Does the grain deal hold? Yes, to the end of its last " \
        "term (month 4)."
    assert result.round("corridor").story()[0] == ("corridor: the grain deal held to the end "
                                                   "of its last term, month 4 of 12.")
    # its suspensions stop with it
    late = [f"corridor.m{t}.{a}.suspended" for t in range(5, 13) for a in ("RUS", "UKR")]
    assert not df[late].to_numpy().any()


def _refusal_rate(df, actor: str) -> float:
    rounds = (df["corridor.renewed"] + df["corridor.lapsed"]).sum()
    refused = (df["corridor.lapsed"] & (df["corridor.broken_by"] == actor)).sum()
    return refused / rounds


def test_a_party_with_a_higher_outside_value_renews_less_often(grain):
    # Not renewing is worth its value of no deal against the deal: the higher that value,
    # the likelier a refusal at each renewal round it reaches.
    rates = [_refusal_rate(simulate_runs(grain.with_overrides(
        {"actors.RUS.outside_option.value": v}), seed=4, runs=RUNS), "RUS")
        for v in (0.3, 0.5, 0.6)]
    assert rates[0] < rates[1] < rates[2]


def test_a_suspension_is_not_a_breakdown(grain):
    df = simulate_runs(grain, seed=6, runs=RUNS)
    months = [c for c in df.columns if c.endswith(".suspended") and ".m" in c]
    per_month = df[months].sum(axis=1)
    assert (per_month == df["corridor.suspended"]).all()
    suspended_only = (df["corridor.suspended"] > 0) & ~df["corridor.broke"]
    assert suspended_only.any() and df.loc[suspended_only, "holds"].all()


def test_pressure_turns_exits_into_suspensions():
    # A suspension escapes the guarantors' pressure, leaving for good does not: between a
    # month's gain of 0 and pressure / discount a party suspends (module docstring).
    from negsim.protocol.rounds.terms import suspension_choices

    gain, pen, delta = np.array([[0.05, 0.05]]), np.array([[0.0, 0.2]]), 0.9
    leave = (gain - pen) / (1 - delta)
    u = np.linspace(0.001, 0.999, 999)[:, None] * np.ones((1, 2))
    out, sus = suspension_choices(np.repeat(leave, 999, 0), np.repeat(gain, 999, 0),
                                  np.array([[20.0]]), u)
    assert out[:, 0].mean() > 0.9 and sus[:, 1].mean() > 0.5 and out[:, 1].mean() < 0.01


def test_stories_tell_renewals_suspensions_and_refusals(grain):
    df = simulate_runs(grain, seed=5, runs=400)
    picked = list(np.flatnonzero(df["corridor.lapsed"])[:2]) + list(range(10))
    lines = []
    for i in picked:
        result = negsim.NegotiationModel(grain, rng=np.random.SeedSequence([5, i])).run()
        lines += result.round("corridor").story()
    text = "\n".join(lines)
    assert "the grain deal was renewed 2 times (terms of 4 months)." in text
    assert "suspended its participation in" in text
    assert "corridor: the grain deal broke in month 4 of 12: RUS did not renew the grain " \
        "deal" in text
    assert "ceasefire" not in text and "embargo" not in text


def test_terms_are_written_back(grain):
    again = negsim.parse_scenario(grain.to_toml(), "again.toml")
    entry = again.round("corridor")
    assert (entry.term, entry.renewals, entry.suspension) == (4, None, True)
    assert again.fingerprint() == grain.fingerprint()


@pytest.mark.parametrize(("old", "new", "message"), [
    ("term = 4\n", "term = 0\n", r"timeline\[1\]\.term: must be a whole number of months"),
    ("term = 4\n", "term = 120\n", r"timeline\[1\]\.term: term 120 is longer than the "
     r"horizon \(12 months\): a term is in months \(120 days are about 4 months\)"),
    ("term = 4\n", "term = 4\nrenewals = -1\n", r"timeline\[1\]\.renewals: must be a whole "
     "number from 0"),
    ("term = 4\n", "renewals = 2\n", r"timeline\[1\]\.renewals: renewals without a term"),
    ("suspension = true\n", 'suspension = "yes"\n',
     r"timeline\[1\]\.suspension: must be true or false"),
    ('mediators = ["TUR", "UN"]\n', 'mediators = ["TUR", "UN"]\nterm = 2\n',
     r"timeline\[0\]\.term: only an implementation has term, not a mediated_round"),
])
def test_terms_are_checked(grain, old, new, message):
    with pytest.raises(negsim.ScenarioError, match=r"t\.toml: " + message):
        _edit(grain, old, new)


def test_suspension_needs_a_party(truce):
    with pytest.raises(negsim.ScenarioError, match=r"t\.toml: timeline\[2\]\.suspension: a "
                       "suspension is a party's choice"):
        _truce_with_term(truce, "suspension = true")
