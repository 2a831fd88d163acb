"""Dated observations of the embargo: a patron found breaching it by a date, or not.

An ``[[observed]]`` entry on an implementation phase with ``decision = "breached"`` (or
``"kept"``) and ``actor = PATRON`` records that the patron had been found delivering arms to
a side by ``date`` (or had not). It is validated when the file is read and scored by the
backtest as the share of runs in which one of the patron's deliveries of the whole months
before ``date`` was detected. The fixture is tests/data/scenarios/truce.toml (patrons PA and
PB of sides A and B; the phase starts on 2021-03-11, so its whole months end on the 11th).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pytest

import negsim
from negsim.analysis.backtest import backtest, observation_frame, predicted_probabilities
from negsim.sim.engine import simulate_runs

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"

EMBARGO = """
[[observed]]
round = "after"
decision = "breached"
actor = "PA"
commitment = "embargo"
date = 2021-06-11
source = "doc"
quote = "test"

[[observed]]
round = "after"
decision = "kept"
actor = "PB"
date = 2021-09-30
source = "doc"
quote = "test"
"""


@pytest.fixture(scope="module")
def truce() -> negsim.Scenario:
    return negsim.load_scenario(DATA / "truce.toml")


def _with(truce: negsim.Scenario, text: str = EMBARGO) -> negsim.Scenario:
    return negsim.parse_scenario(truce.to_toml() + text, "embargo.toml")


def test_embargo_observations_are_read_and_written(truce):
    s = _with(truce)
    assert [(o.decision, o.actor, o.commitment, o.date) for o in s.observed] == [
        ("breached", "PA", "embargo", datetime.date(2021, 6, 11)),
        ("kept", "PB", None, datetime.date(2021, 9, 30))]
    assert negsim.parse_scenario(s.to_toml(), "again.toml") == s
    assert s.without_observed() == truce
    assert observation_frame(s.observed)["kind"].tolist() == ["embargo", "embargo"]


@pytest.mark.parametrize("change, message", [
    (('actor = "PA"', 'actor = "A"'),
     r"observed\[0\]\.actor: 'A' is not a patron that delivers arms in 'after': an "
     r"observation of the embargo names a non-belligerent actor that backs one of its sides "
     r"\(patrons: PA, PB\)"),
    (('actor = "PA"', 'actor = "M"'), r"observed\[0\]\.actor: 'M' is not a patron"),
    (('actor = "PA"\n', ''), r"observed\[0\]\.actor: missing: an observation of the embargo "
     "in 'after' names the patron"),
    (('commitment = "embargo"', 'commitment = "support"'),
     r"observed\[0\]\.commitment: 'support' is not an arms embargo \(its effect is "
     r"'ceasefire_support'\)"),
    (('commitment = "embargo"', 'commitment = "nope"'),
     r"observed\[0\]\.commitment: unknown commitment 'nope'"),
    (('date = 2021-06-11', 'date = 2021-04-10'),
     r"observed\[0\]\.date: date 2021-04-10 is before the end of the first month of 'after'"),
    (('date = 2021-09-30', 'date = 2022-03-12'),
     r"observed\[1\]\.date: date 2022-03-12 is after the horizon of 'after'"),
    (('date = 2021-06-11\n', ''), r"observed\[0\]\.date: missing: an observation of 'after' "
     "is made at a date"),
    (('round = "after"\ndecision = "breached"', 'round = "conference"\ndecision = "breached"'),
     r"observed\[0\]\.decision: 'breached' is a decision in an implementation phase; "
     "'conference' is a conference"),
])
def test_embargo_observations_are_checked(truce, change, message):
    with pytest.raises(negsim.ScenarioError, match=message):
        _with(truce, EMBARGO.replace(*change, 1))


def test_only_embargo_observations_of_a_phase_name_a_commitment(truce):
    text = EMBARGO.replace('decision = "breached"\nactor = "PA"', 'decision = "broken"', 1)
    with pytest.raises(negsim.ScenarioError, match=r"observed\[0\]\.commitment: only "
                       "commit/no_commit/breached/kept decisions name a commitment, not "
                       "'broken'"):
        _with(truce, text)


def test_the_patrons_are_those_the_phase_plays(truce):
    # The validator's patrons (from the file) are the engine's (from the structure).
    from negsim.protocol.aftermath import patrons_of
    from negsim.protocol.rounds.dated import delivering_patrons
    from negsim.protocol.structure import structure

    for s in (truce, negsim.load_scenario("libya-2020")):
        st, entry = structure(s), s.timeline[-1]
        sides = np.array([st.actor_ids.index(a) for a in entry.participants])
        expected = tuple(st.actor_ids[q] for q in patrons_of(st, sides))
        assert delivering_patrons(entry, {a.id: a for a in s.actors}) == expected


def test_the_probability_is_a_count_of_detected_deliveries(truce):
    # 2021-06-11 is 3 whole months into the phase, 2021-09-30 six months and 19 days: PA had
    # been found in the runs with a detected delivery in months 1-3; PB had not been found in
    # the runs with no detected delivery in months 1-6.
    s = _with(truce)
    runs = simulate_runs(truce, seed=5, runs=300)
    pa = [runs[f"after.m{t}.PA.detected"].to_numpy(dtype=bool) for t in (1, 2, 3)]
    pb = [runs[f"after.m{t}.PB.detected"].to_numpy(dtype=bool) for t in range(1, 7)]
    by_hand = [sum(any(m[r] for m in pa) for r in range(300)) / 300,
               sum(not any(m[r] for m in pb) for r in range(300)) / 300]
    p = predicted_probabilities(runs, observation_frame(s.observed), s)
    assert p.tolist() == by_hand
    assert 0 < by_hand[0] < 1 and 0 < by_hand[1] < 1  # the fixture discriminates


def test_the_backtest_scores_them_at_their_dates(truce):
    s = _with(truce)
    runs = simulate_runs(truce, seed=2, runs=200)
    p = predicted_probabilities(runs, observation_frame(s.observed), s)
    bt = backtest(s, runs=200, seed=2)
    frame = bt.to_frame()
    assert frame["probability"].tolist() == p.tolist()  # the blind scenario plays the same runs
    assert frame["brier"].tolist() == ((1 - p) ** 2).tolist()
    assert frame["base_rate"].tolist() == [1 / 3, 1 / 3]  # K = 2, the other one differs
    table = bt.table()
    # The named commitment's words (the fixture gives none: "break" and its name).
    assert "PA: found to break Respect the embargo by 2021-06-11  breached" in table
    assert "PB: found to break Respect the embargo by 2021-09-30  kept" in table


def test_libya_words_come_from_its_file():
    libya = negsim.load_scenario("libya-2020")
    s = negsim.parse_scenario(libya.to_toml() + """
[[observed]]
round = "aftermath"
decision = "breached"
actor = "Turkey"
date = 2020-03-20
assumption = "x"
source = "seed-003"
quote = "a growing participation of foreign powers"
""".replace('assumption = "x"\n', ""), "libya.toml")
    bt = backtest(s, runs=50, seed=0)
    assert "Turkey: found to break the arms embargo by 2020-03-20" in bt.table()
    # Libya's own file records no embargo observation: no seed reports a patron found
    # breaching the embargo after Berlin.
    assert "embargo" not in observation_frame(libya.observed)["kind"].tolist()
