"""Spoilers: factions of a side that may break the ceasefire its leader keeps.

The fixture tests/data/scenarios/spoiler.toml: B's hardliners care only about the ceasefire
line, which B's leaders trade for keeping monitors out. Comparisons use common random numbers
(the same seed and runs): a faction's uniforms come after every other draw of the phase, so
the sides' choices are the same with and without it, and a difference comes from the
changed number.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import negsim
from negsim.protocol.draws import draw_layout
from negsim.protocol.params import sample_params
from negsim.scenario import ScenarioError
from negsim.sim.engine import simulate_runs

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"
RUNS = 600
HARD = "actors.B.factions.hard"


@pytest.fixture(scope="module")
def spoiler() -> negsim.Scenario:
    return negsim.load_scenario(DATA / "spoiler.toml")


def _runs(scenario: negsim.Scenario, **overrides: float):
    sc = scenario.with_overrides(overrides) if overrides else scenario
    return simulate_runs(sc, seed=7, runs=RUNS)


def _by_faction(df) -> np.ndarray:
    return (df["after.broken_by"] == "B/hard").to_numpy()


def _without_factions(scenario: negsim.Scenario) -> negsim.Scenario:
    actors = tuple(dataclasses.replace(a, factions=()) for a in scenario.actors)
    plain = dataclasses.replace(scenario, actors=actors)
    return negsim.parse_scenario(plain.to_toml(), "no-faction.toml")


def test_a_faction_breaks_the_truce_its_leader_keeps(spoiler):
    # B's leaders value the truce (it keeps monitors out); its hardliners, who care only
    # about the line, value it far less, and most of B's forces are theirs.
    df = _runs(spoiler)
    assert (df["after.broken_by"] == "B").sum() == 0
    assert _by_faction(df).mean() > 0.1
    reasons = df.loc[_by_faction(df), "after.reason"]
    assert reasons.str.startswith("B (Hardliners): ").all()
    assert reasons.str.contains("gives it less than it wants on Ceasefire line").any()
    assert (df.loc[_by_faction(df), "holds"] == False).all()  # noqa: E712


def test_a_faction_farther_from_the_text_breaks_more_often(spoiler):
    # The truce's line (0.35) is B's hardliners' only issue: the farther their ideal from
    # it, the less the truce is worth to them, while the war's end (B's ideal or A's) moves
    # less; B itself is unchanged.
    rates = [_by_faction(_runs(spoiler, **{f"{HARD}.demands.line.ideal": v})).mean()
             for v in (0.8, 0.9, 1.0)]
    assert rates[0] < rates[1] < rates[2]


def test_a_faction_without_strength_breaks_only_by_chance(spoiler):
    # With no forces of its own it cannot win the war it would start: B's hardliners would
    # get A's ideal line, worse for them than the truce's. Breaking is then worth less than
    # the truce, so any break is the logit choice's noise, and a strong faction breaks more.
    weak = _runs(spoiler, **{f"{HARD}.strength": 0.0})
    assert _by_faction(weak).mean() < 0.01
    assert not weak.loc[_by_faction(weak), "after.reason"].str.contains("worth more").any()
    assert _by_faction(_runs(spoiler)).mean() > _by_faction(weak).mean()


def test_adding_a_faction_never_makes_the_deal_hold_longer(spoiler):
    # Under common random numbers the sides make the same choices with and without the
    # faction (its uniforms come last, and nothing else depends on it), and a faction's
    # break can only come before the sides' first strike or not at all.
    with_it, without = _runs(spoiler), _runs(_without_factions(spoiler))
    assert (with_it["after.duration"] <= without["after.duration"]).all()
    assert (with_it["after.duration"] < without["after.duration"]).any()
    assert (with_it["after.broke"] >= without["after.broke"]).all()
    same = ~_by_faction(with_it)
    assert (with_it.loc[same, "after.broken_by"] == without.loc[same, "after.broken_by"]).all()


def test_a_guarantor_restrains_a_faction_too(spoiler):
    # The patrons' pressure from the ceasefire-support pledges weighs on the leader's
    # factions as on the leader.
    loose = _runs(spoiler, **{"commitments.support.breach_cost": 0.0})
    held = _runs(spoiler, **{"commitments.support.breach_cost": 1.0})
    assert _by_faction(held).mean() < _by_faction(loose).mean()


def test_engine_and_mesa_agree_with_a_faction(spoiler, engine_equals_mesa):
    df = engine_equals_mesa(spoiler, 5, np.arange(40))
    assert _by_faction(df).any() and not df["after.broke"].all()


def test_factions_add_draws_only_where_they_are(spoiler):
    # One uniform per faction and month, after the others: the layout of a file without
    # factions is unchanged, and the first draws of the phase sit in the same places.
    lay, lay0 = draw_layout(spoiler), draw_layout(_without_factions(spoiler))
    assert lay.total == lay0.total + 12
    assert lay.rounds[-1].start == lay0.rounds[-1].start


def test_faction_numbers_are_parameters(spoiler):
    paths = spoiler.parameter_paths()
    assert f"{HARD}.strength" in paths and f"{HARD}.demands.line.salience" in paths
    text = spoiler.to_toml() + f"""
[[uncertainty]]
parameter = "{HARD}.strength"
distribution = "uniform"
low = 0.0
high = 1.0
assumption = "test"
"""
    s = negsim.parse_scenario(text, "unc.toml")
    df = simulate_runs(s, seed=3, runs=300)
    assert negsim.parse_scenario(s.to_toml(), "again.toml") == s
    p = sample_params(s, np.array([[0.25], [0.75]]))
    assert p.faction_strength[:, 0].tolist() == [0.25, 0.75]
    assert _by_faction(df).any()


@pytest.mark.parametrize(("change", "message"), [
    (('strength = { value = 0.8, assumption = "test: most of B\'s forces" }\n', ""),
     "actors.B.factions.hard.strength: missing required field"),
    (("value = 0.8, assumption", "value = 1.5, assumption"),
     "actors.B.factions.hard.strength: must be in [0, 1], got 1.5"),
    (('demands.line = { ideal = { value = 1.0, assumption = "test: as B" }',
      'demands.lien = { ideal = { value = 1.0, assumption = "test: as B" }'),
     "actors.B.factions.hard.demands.lien: unknown issue 'lien'; did you mean 'line'?"),
    (('demands.monitoring = { salience = { value = 0.0, assumption = "test: indifferent" } }',
      "demands.monitoring = {}"),
     "actors.B.factions.hard.demands.monitoring: a faction's demand needs 'ideal', "
     "'salience' or both"),
    (('name = "Hardliners"', 'name = "Hardliners"\nsize = 3'),
     "actors.B.factions.hard.size: unknown field"),
    (("[actors.B.factions.hard]", "[actors.PB.factions.hard]"),
     "actors.PB.factions: only a belligerent (an actor at war) may have factions"),
    (("[actors.B.factions.hard]", "[actors.B.factions.2hard]"),
     "actors.B.factions.2hard: invalid faction id '2hard'"),
])
def test_factions_are_checked(spoiler, change, message):
    text = (DATA / "spoiler.toml").read_text()
    assert change[0] in text
    with pytest.raises(ScenarioError) as err:
        negsim.parse_scenario(text.replace(*change, 1), "bad.toml")
    assert f"bad.toml: {message}" in str(err.value)


def test_a_bad_faction_path_is_refused(spoiler):
    with pytest.raises(ScenarioError, match="actors.B.factions.soft.strength: unknown"):
        spoiler.with_overrides({"actors.B.factions.soft.strength": 0.5})
    with pytest.raises(ScenarioError, match="must be in"):
        spoiler.with_overrides({f"{HARD}.strength": -0.1})



def test_who_breaks_it_first_names_the_faction(spoiler):
    from negsim.ensemble.implementation import implementation_fields, implementation_lines
    from negsim.ensemble.summary import report_words

    df = _runs(spoiler)
    fields = implementation_fields(df)
    assert "B/hard" in fields["first_breaker"]
    lines = implementation_lines(fields, runs=len(df), words=report_words(spoiler))
    assert any(line.endswith("  B/hard (Hardliners)") for line in lines)


def test_a_dated_break_by_the_leader_counts_its_factions(spoiler):
    # An observer sees B's forces strike: "broken by B" covers B's factions too.
    from negsim.protocol.rounds.dated import held_at

    df = _runs(spoiler)
    entry = spoiler.round("after")
    last = entry.date.replace(year=entry.date.year + 1)
    broken = held_at(df, entry, "B", "broken", last)
    assert (broken == _by_faction(df)).all() and broken.any()


def test_factions_and_a_term_together_keep_engine_and_mesa_equal(spoiler, engine_equals_mesa):
    # A faction's uniforms come after the months', a term's renewal uniforms after the
    # factions': with both, the engine and the Mesa model still read the same draws, and the
    # renewal draws (one per actor and renewal round) sit after the faction draws.
    text = spoiler.to_toml()
    assert "horizon = 12\n" in text
    both = negsim.parse_scenario(text.replace("horizon = 12\n", "horizon = 12\nterm = 4\n", 1),
                                 "t.toml")
    assert draw_layout(both).total == draw_layout(spoiler).total + 2 * 5  # 2 renewals x 5 actors
    df = engine_equals_mesa(both, 5, np.arange(40))
    assert _by_faction(df).any() and (df["after.renewed"] > 0).any()
