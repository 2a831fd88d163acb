"""Words for a side at war: its choice to break in the scenario's words, and what it costs it.

A side at war "strikes" (Libya's stories) only when the scenario's words say no more than
"break the deal"; a scenario that names the choice (``[words] break``) has every reason
about a side's choice to break told in that phrase. What breaking costs a side is named by
its sources in the scenario: its patrons' pressure, the costs of its own commitments, the
mediators' guarantee. Libya's sentences stay exactly as they were.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import negsim
from negsim.protocol.effects import EffectContext
from negsim.protocol.params import compile_scenario
from negsim.protocol.rounds.reasons import (
    CHANCE,
    DECLINE,
    OPTIMISM,
    QUIT,
    REASONS,
    STRIKE,
    STRUCK,
    WORSE,
    reason_words,
    told_as_striking,
)
from negsim.protocol.structure import break_cost_sources, structure
from negsim.scenario.effects import effect_kind, effect_kinds

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"
TRUCE = (DATA / "truce.toml").read_text(encoding="utf-8")  # two sides at war, default words

BORDER_WORDS = """
[words]
deal = "the border truce"
keep = "hold fire"
break = "shell across the border"
holds = "the border truce holds"
breaks = "the shelling resumes"
"""

INSPECTIONS = """
[commitments.inspect]
name = "Accept inspections"
issue = "monitoring"
effect = "inspections"
detection = { value = 0.5, assumption = "test" }
breach_cost = { value = 0.1, assumption = "test" }

[[timeline]]
id = "inspections"
date = 2021-03-10
kind = "conference"
description = "A accepts inspections of its lines"
participants = ["A"]
commitments = ["inspect"]
assumption = "test"
"""


def _parse(text: str) -> negsim.Scenario:
    return negsim.parse_scenario(text, "test.toml")


@pytest.fixture(scope="module")
def border():
    """The truce fixture with words that are not Libya's: a border truce, broken by shelling."""
    return _parse(TRUCE + BORDER_WORDS)


def test_libyas_sentences_are_unchanged():
    libya = negsim.load_scenario("libya-2020")
    st = structure(libya)
    lna = st.actor_ids.index("LNA")
    assert {c: reason_words(st, libya, lna, c) for c in (CHANCE, STRUCK, STRIKE)} == {
        CHANCE: "LNA: struck although striking was worth less than the ceasefire (logit choice)",
        STRUCK: "LNA: it expects the other side to strike first",
        STRIKE: "LNA: striking first gains more than the ceasefire and its patrons' pressure",
    }
    assert told_as_striking(libya.words)


def test_default_words_are_told_as_striking():
    truce = _parse(TRUCE)
    st = structure(truce)
    assert truce.words.is_default and told_as_striking(truce.words)
    assert reason_words(st, truce, 0, STRIKE) == (
        "A: striking first gains more than the agreement and its patrons' pressure")
    assert reason_words(st, truce, 1, STRUCK) == "B: it expects the other side to strike first"


def test_a_scenario_that_names_the_choice_has_every_break_told_in_its_phrase(border):
    st = structure(border)
    assert not told_as_striking(border.words)
    words = {c: reason_words(st, border, 0, c) for c in REASONS}
    assert words[STRIKE] == ("A: shelling across the border first gains more than holding "
                             "fire and its patrons' pressure")
    assert words[CHANCE] == ("A: it chose to shell across the border although holding fire "
                             "was worth more to it (logit choice)")
    assert words[STRUCK] == "A: it expects the other side to shell across the border first"
    # the reasons that are not about a choice to break are the same as Libya's
    assert words[WORSE] == "A: the terms in force are worth less to it than fighting on"
    assert words[OPTIMISM] == "A: it overestimates its chance of winning"
    assert words[DECLINE] == "A: it expects the balance of power to shift against it"
    assert words[QUIT] == "A: shelling across the border is worth more to it than holding fire"
    assert not any("strik" in w or "struck" in w for w in words.values()), words


def test_the_runs_and_the_story_speak_the_scenarios_words(border):
    result = negsim.simulate(border, runs=400, seed=3)
    runs = result.runs
    broke = runs["after.broke"].to_numpy(dtype=bool)
    assert broke.sum() > 20  # enough breakdowns to read
    reasons = set(runs.loc[broke, "after.reason"])
    text = " ".join(reasons | set(runs["binding_constraint"]))
    assert "strik" not in text and "struck" not in text, reasons
    assert any("shell" in r for r in reasons), reasons
    run = int(runs.loc[broke, "run"].iloc[0])
    model = negsim.NegotiationModel(border, rng=np.random.SeedSequence([3, run])).run()
    story = model.story(width=300)
    assert "strik" not in story and "struck" not in story, story
    assert runs.loc[runs["run"] == run, "after.reason"].iloc[0] in story


def test_an_actors_own_words_still_win_over_the_scenarios(border):
    text = TRUCE + BORDER_WORDS + '\n[actors.B.words]\nbreak = "storm the hills"\n'
    s = _parse(text)
    st = structure(s)
    assert reason_words(st, s, 1, STRIKE) == (
        "B: storming the hills first gains more than holding fire and its patrons' pressure")
    # "the other side" is told in the scenario's words
    assert reason_words(st, s, 1, STRUCK) == (
        "B: it expects the other side to shell across the border first")


def test_what_breaking_costs_is_named_by_its_sources():
    # A accepts inspections at a conference of its own: its own commitment costs it too
    s = _parse(TRUCE.replace('[[timeline]]\nid = "after"', INSPECTIONS + '\n[[timeline]]\n'
                             'id = "after"'))
    st = structure(s)
    assert st.break_costs[:2] == (("its patrons' pressure", "the costs of its own commitments"),
                                  ("its patrons' pressure",))
    assert reason_words(st, s, 0, STRIKE) == (
        "A: striking first gains more than the agreement, its patrons' pressure and the costs "
        "of its own commitments")
    # without ceasefire support, patrons press nobody: nothing is named
    bare = _parse(TRUCE.replace('effect = "ceasefire_support"', 'effect = "monitoring"'))
    assert reason_words(structure(bare), bare, 0, STRIKE) == (
        "A: striking first gains more than the agreement")


def test_a_mediators_guarantee_is_named():
    s = negsim.load_scenario(DATA / "accord_induced.toml")
    st = structure(s)
    irn = st.actor_ids.index("IRN")
    assert st.break_costs[irn] == ("the mediators' guarantee",)
    assert reason_words(st, s, irn, STRIKE) == (
        "IRN: exceeding the enrichment cap first gains more than keeping within the enrichment "
        "cap and the mediators' guarantee")
    relief = negsim.load_scenario(DATA / "relief.toml")
    st = structure(relief)
    assert st.break_costs[st.actor_ids.index("IRN")] == ("the costs of its own commitments",)
    assert break_cost_sources(relief, st.links) == st.break_costs


@pytest.mark.parametrize("path", ["truce.toml", "relief.toml"])
def test_each_kind_declares_where_its_costs_of_ending_the_deal_fall(path):
    s = negsim.load_scenario(DATA / path)
    st, p = structure(s), compile_scenario(s)
    ctx = EffectContext.of(st, p, np.ones((1, len(s.actors), len(s.commitments)), bool))
    seen = set()
    for name in effect_kinds():
        idx = np.array([c for c, e in enumerate(st.commitment_effect) if e == name], dtype=int)
        if not len(idx):
            continue
        keys = set(effect_kind(name).terms(ctx, idx))
        on = effect_kind(name).break_cost_on
        assert ("support" in keys) == (on == "clients"), name
        assert ("break_cost" in keys) == (on == "committed"), name
        seen.add(name)
    assert seen  # the two files hold the six built-in kinds between them


def _faction_words(s: negsim.Scenario) -> dict[int, str]:
    """Why B's hardliners broke the truce, by the issue they care about and by chance."""
    from negsim.protocol.rounds.factions import CHANCE as BY_CHANCE
    from negsim.protocol.rounds.factions import Spoilers

    st, p = structure(s), compile_scenario(s)
    sp = Spoilers.start(st, p, p.status_quo, np.array([0, 1]))
    assert sp is not None
    return {c: sp.words(st, s, 0, c) for c in (0, BY_CHANCE)}


def test_a_faction_is_told_as_its_leader():
    spoiler = (DATA / "spoiler.toml").read_text(encoding="utf-8")
    # the default words: the hardliners strike, as their leader would
    assert list(_faction_words(_parse(spoiler)).values()) == [
        "B (Hardliners): striking is worth more to it than the agreement, which gives it less "
        "than it wants on Ceasefire line",
        "B (Hardliners): struck although striking was worth less to it than the agreement "
        "(logit choice)"]
    # words that name the choice: the hardliners shell across the border
    border = _parse(spoiler + BORDER_WORDS)
    assert list(_faction_words(border).values()) == [
        "B (Hardliners): shelling across the border is worth more to it than the border "
        "truce, which gives it less than it wants on Ceasefire line",
        "B (Hardliners): chose to shell across the border although shelling across the "
        "border was worth less to it than the border truce (logit choice)"]
    runs = negsim.simulate(border, runs=200, seed=7).runs
    reasons = set(runs.loc[runs["after.broken_by"] == "B/hard", "after.reason"])
    assert reasons and all("shelling across the border" in r for r in reasons), reasons
    assert not any("strik" in r or "struck" in r for r in reasons), reasons


def test_libyas_faction_still_strikes():
    libya = negsim.load_scenario("libya-2020")
    assert list(_faction_words(libya).values())[0].startswith(
        "LNA (Libyan support base): striking is worth more to it than the ceasefire, which "
        "gives it less than it wants on ")
