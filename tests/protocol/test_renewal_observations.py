"""Dated observations of renewals: a deal with a term renewed by a date, or lapsed.

An ``[[observed]]`` entry on an implementation phase whose deal has a ``term``, with
``decision = "renewed"`` (or ``"lapsed"``, optionally naming the participant that did not
renew) and a date at or after the first renewal date, records that the deal had been renewed
at every renewal round up to the date (or had lapsed by then). It is validated when the file
is read and scored by the backtest as a kind of observation of its own (``renewal``, two
values), so that the ceasefire's holds/broken observations score as before. The fixture is
tests/data/scenarios/grain.toml: a phase of 12 months from 2022-07-22 with terms of 4
months, so renewal rounds at the ends of months 4 (2022-11-22) and 8 (2023-03-22).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pytest

import negsim
from negsim.analysis.backtest import (
    _values,
    backtest,
    base_rates,
    observation_frame,
    predicted_probabilities,
)
from negsim.sim.engine import simulate_runs

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"

RENEWALS = """
[[observed]]
round = "corridor"
decision = "renewed"
date = 2022-11-22
source = "initiative"
quote = "test"

[[observed]]
round = "corridor"
decision = "lapsed"
actor = "RUS"
date = 2023-07-22
source = "initiative"
quote = "test"
"""

CEASEFIRE = """
[[observed]]
round = "corridor"
decision = "holds"
date = 2022-11-22
source = "initiative"
quote = "test"

[[observed]]
round = "corridor"
decision = "broken"
date = 2023-05-01
source = "initiative"
quote = "test"
"""


@pytest.fixture(scope="module")
def grain() -> negsim.Scenario:
    return negsim.load_scenario(DATA / "grain.toml")


def _with(grain: negsim.Scenario, text: str = RENEWALS) -> negsim.Scenario:
    return negsim.parse_scenario(grain.to_toml() + text, "grain-observed.toml")


def test_renewal_observations_are_read_and_written(grain):
    s = _with(grain)
    assert [(o.decision, o.actor, o.date) for o in s.observed] == [
        ("renewed", None, datetime.date(2022, 11, 22)),
        ("lapsed", "RUS", datetime.date(2023, 7, 22))]
    assert negsim.parse_scenario(s.to_toml(), "again.toml") == s
    assert s.without_observed() == grain
    assert observation_frame(s.observed)["kind"].tolist() == ["renewal", "renewal"]


@pytest.mark.parametrize("change, message", [
    (('date = 2022-11-22', 'date = 2022-11-21'),
     r"grain-observed\.toml: observed\[0\]\.date: date 2022-11-21 is before the first renewal "
     r"date of 'corridor' \(2022-11-22, the end of month 4\): a renewal is observed at or "
     r"after a renewal date \(here 2022-11-22, 2023-03-22\)"),
    (('date = 2022-11-22', 'date = 2022-08-01'),
     r"observed\[0\]\.date: date 2022-08-01 is before the end of the first month of "
     "'corridor'"),
    (('date = 2023-07-22', 'date = 2023-07-23'),
     r"observed\[1\]\.date: date 2023-07-23 is after the horizon of 'corridor'"),
    (('date = 2022-11-22\n', ''),
     r"observed\[0\]\.date: missing: an observation of the renewals of 'corridor' is made "
     "at a date"),
    (('decision = "renewed"', 'decision = "renewed"\nactor = "RUS"'),
     r"observed\[0\]\.actor: 'renewed' is the deal's \(every participant renewed it\), not "
     "an actor's"),
    (('actor = "RUS"', 'actor = "TUR"'),
     r"observed\[1\]\.actor: 'TUR' is not a participant of 'corridor' \(participants: RUS, "
     r"UKR\)"),
    (('round = "corridor"\ndecision = "renewed"', 'round = "istanbul"\ndecision = "renewed"'),
     r"observed\[0\]\.decision: 'renewed' is a decision in an implementation phase; "
     "'istanbul' is a mediated_round"),
])
def test_renewal_observations_are_checked(grain, change, message):
    with pytest.raises(negsim.ScenarioError, match=message):
        _with(grain, RENEWALS.replace(*change, 1))


def test_a_deal_without_a_term_has_no_renewals_to_observe(grain):
    text = grain.to_toml().replace("term = 4\n", "").replace("suspension = true\n", "")
    with pytest.raises(negsim.ScenarioError,
                       match=r"observed\[0\]\.decision: 'renewed' is an observation of a deal "
                             r"with a term: 'corridor' has none"):
        negsim.parse_scenario(text + RENEWALS, "open.toml")
    truce = negsim.load_scenario(DATA / "truce.toml")
    with pytest.raises(negsim.ScenarioError, match=r"'lapsed' is an observation of a deal "
                       r"with a term: 'after' has none"):
        negsim.parse_scenario(truce.to_toml() + RENEWALS.replace("corridor", "after").replace(
            'actor = "RUS"', 'actor = "A"').replace("2022-11-22", "2021-08-01").replace(
            "2023-07-22", "2021-08-01"), "truce.toml")


def test_a_term_with_no_renewal_round_has_none_to_observe(grain):
    text = grain.to_toml().replace("term = 4\n", "term = 4\nrenewals = 0\n")
    with pytest.raises(negsim.ScenarioError,
                       match=r"observed\[0\]\.decision: 'corridor' holds no renewal round "
                             r"within its horizon \(term 4, horizon 12 months, renewals 0\)"):
        negsim.parse_scenario(text + RENEWALS, "once.toml")


def test_a_renewal_and_the_ceasefire_may_be_observed_on_the_same_date(grain):
    s = _with(grain, RENEWALS + CEASEFIRE)
    assert observation_frame(s.observed)["kind"].tolist() == [
        "renewal", "renewal", "ceasefire", "ceasefire"]
    twice = RENEWALS + RENEWALS.split("[[observed]]")[1].join(["[[observed]]", ""])
    with pytest.raises(negsim.ScenarioError, match=r"observed\[2\]: duplicates observed\[0\]"):
        _with(grain, twice)


def test_the_probability_is_a_count_of_renewals_and_lapses(grain):
    s = _with(grain, RENEWALS + """
[[observed]]
round = "corridor"
decision = "renewed"
date = 2023-04-01
source = "initiative"
quote = "test"

[[observed]]
round = "corridor"
decision = "lapsed"
date = 2023-03-22
source = "initiative"
quote = "test"
""")
    runs = simulate_runs(grain, seed=4, runs=400)
    renewed = runs["corridor.renewed"].to_numpy()
    lapsed = runs["corridor.lapsed"].to_numpy(dtype=bool)
    month = runs["corridor.duration"].to_numpy()
    by = runs["corridor.broken_by"].to_numpy()
    # 2022-11-22 is the first renewal date (1 round), 2023-07-22 the horizon (month 12: the
    # rounds of months 4 and 8), 2023-04-01 after 8 months (2 rounds), 2023-03-22 month 8.
    by_hand = [np.mean(renewed >= 1), np.mean(lapsed & (month <= 12) & (by == "RUS")),
               np.mean(renewed >= 2), np.mean(lapsed & (month <= 8))]
    p = predicted_probabilities(runs, observation_frame(s.observed), s)
    assert p.tolist() == by_hand
    assert all(0 < q < 1 for q in by_hand)  # the fixture discriminates
    # renewed and lapsed are not complements: a deal can end otherwise between two dates
    assert by_hand[2] + np.mean(lapsed & (month <= 8)) <= 1


def test_a_renewal_is_a_kind_of_its_own_in_the_base_rate(grain):
    assert _values("renewal") == 2 and _values("ceasefire") == 2 and _values("embargo") == 2
    alone = backtest(_with(grain, CEASEFIRE), runs=300, seed=1).to_frame()
    both = backtest(_with(grain, CEASEFIRE + RENEWALS), runs=300, seed=1).to_frame()
    ceasefire = both[both["kind"] == "ceasefire"].reset_index(drop=True)
    for column in ("probability", "brier", "log_score", "base_rate", "brier_base_rate"):
        assert ceasefire[column].tolist() == alone[column].tolist(), column
    assert both.loc[both["kind"] == "renewal", "base_rate"].tolist() == [1 / 3, 1 / 3]
    assert base_rates(observation_frame(_with(grain).observed)).tolist() == [1 / 3, 1 / 3]


def test_the_backtest_scores_and_words_them(grain):
    s = _with(grain)
    runs = simulate_runs(grain, seed=2, runs=300)
    p = predicted_probabilities(runs, observation_frame(s.observed), s)
    bt = backtest(s, runs=300, seed=2)
    frame = bt.to_frame()
    assert frame["probability"].tolist() == p.tolist()  # the blind scenario plays the same runs
    assert frame["brier"].tolist() == ((1 - p) ** 2).tolist()
    table = bt.table()
    assert "renewal of the grain deal by 2022-11-22  " in table
    assert "renewal of the grain deal by 2023-07-22 (RUS)  lapsed" in table
