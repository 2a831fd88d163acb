"""Per-actor compliance phrases (``[actors.ID.words]``, issue #13 item 7).

An actor may name its own choice (``break = "exceed the enrichment cap"``); every sentence
about that actor's compliance choice uses it (the compliance game's deviations, deal
analysis, the implementation phase's reasons, stories, the printed summary, plots),
falling back to the scenario's ``[words]``. Words are validated like any field, round-trip
through ``to_toml`` and stay out of the fingerprint. ``words.keep`` names keeping the deal
in a party's reasons.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import negsim  # noqa: E402
from negsim.cli.app import main  # noqa: E402
from negsim.protocol.explain import deviation_words  # noqa: E402
from negsim.protocol.rounds.reasons import (  # noqa: E402
    CHANCE,
    QUIT,
    QUIT_CHANCE,
    STRIKE,
    reason_words,
)
from negsim.protocol.structure import structure  # noqa: E402
from negsim.scenario.words import ActorWords  # noqa: E402

ACCORD = Path(__file__).parents[1] / "data" / "scenarios" / "accord.toml"
IRAN = ('exceed the enrichment cap', 'keep within the enrichment cap')


def _accord(extra: str = "") -> str:
    """The accord fixture, with the USA naming its own choice (and ``extra`` after it)."""
    text = ACCORD.read_text(encoding="utf-8")
    return text + ('\n[actors.USA.words]\nbreak = "reimpose sanctions"\n'
                   'keep = "keep the sanctions lifted"\n' + extra)


def _error(text: str) -> str:
    with pytest.raises(negsim.ScenarioError) as err:
        negsim.parse_scenario(text, "a.toml")
    return str(err.value).replace("\n", " ")


@pytest.fixture(scope="module")
def jcpoa() -> negsim.Scenario:
    return negsim.load_scenario("jcpoa-2015")


def test_actor_words_are_read_round_trip_and_stay_out_of_the_fingerprint():
    plain = negsim.parse_scenario(ACCORD.read_text(encoding="utf-8"), "a.toml")
    s = negsim.parse_scenario(_accord(), "a.toml")
    assert s.actor("USA").words == ActorWords("keep the sanctions lifted", "reimpose sanctions")
    assert s.actor("IRN").words.is_default
    assert negsim.parse_scenario(s.to_toml()) == s
    assert "reimpose sanctions" in s.to_toml()
    assert "reimpose sanctions" not in s.to_toml(words=False)
    assert s.fingerprint() == plain.fingerprint()
    assert s != plain


def test_an_unknown_key_names_file_field_and_problem():
    assert "a.toml: actors.USA.words.brake: unknown field; did you mean 'break'?" in _error(
        _accord('brake = "x"\n'))


@pytest.mark.parametrize(("body", "message"), [
    ('break = 3', "a.toml: actors.USA.words.break: must be a string"),
    ('keep = ""', "a.toml: actors.USA.words.keep: must not be empty"),
    ('keep = "  "', "a.toml: actors.USA.words.keep: must not be empty"),
    ('deal = "the sanctions deal"', "a.toml: actors.USA.words.deal: unknown field"),
])
def test_bad_words_name_file_field_and_problem(body, message):
    text = ACCORD.read_text(encoding="utf-8") + f"\n[actors.USA.words]\n{body}\n"
    assert message in _error(text)


def test_a_words_value_that_is_not_a_table_is_an_error():
    text = ACCORD.read_text(encoding="utf-8").replace(
        '[actors.USA]\n', '[actors.USA]\nwords = "reimpose sanctions"\n', 1)
    assert "a.toml: actors.USA.words: must be a table" in _error(text)


def test_the_compliance_game_and_deal_analysis_use_the_actors_phrase():
    s = negsim.parse_scenario(_accord(), "a.toml")
    st = structure(s)
    by_actor = dict(zip((st.actor_ids[a] for a in st.players.actors), st.break_phrases,
                        strict=True))
    assert by_actor["USA"] == "reimpose sanctions"
    assert by_actor["IRN"] == "exceed the enrichment cap"  # falls back to [words]
    usa = list(st.players.actors).index(st.actor_ids.index("USA"))
    irn = list(st.players.actors).index(st.actor_ids.index("IRN"))
    alone = int(np.flatnonzero([p.tolist() == [int(j == usa) for j in range(len(p))]
                                for p in st.players.profiles])[0])
    both = int(np.flatnonzero([p.tolist() == [int(j in (usa, irn)) for j in range(len(p))]
                               for p in st.players.profiles])[0])
    assert deviation_words(st.players, st.actor_ids, alone, st.break_phrases) == \
        "USA gains by reimposing sanctions"
    assert "IRN exceeds the enrichment cap, USA reimposes sanctions" in deviation_words(
        st.players, st.actor_ids, both, st.break_phrases)
    # deal analysis names the binding deviation with the same phrases
    assert negsim.analyze(s, {k: 0.0 for k in s.issue_ids}).compliance.binding == \
        "USA gains by reimposing sanctions"
    jcpoa = negsim.load_scenario("jcpoa-2015")
    assert negsim.analyze(jcpoa, {k: 1.0 for k in jcpoa.issue_ids}).compliance.binding == \
        "Iran gains by exceeding the enrichment cap"


def test_reasons_use_the_actors_keep_and_break_phrases(jcpoa):
    st = structure(jcpoa)
    i, r = st.actor_ids.index("Iran"), st.actor_ids.index("Russia")
    assert reason_words(st, jcpoa, i, QUIT) == (
        "Iran: exceeding the enrichment cap is worth more to it than keeping within the "
        "enrichment cap")
    assert reason_words(st, jcpoa, i, QUIT_CHANCE) == (
        "Iran: it chose to exceed the enrichment cap although keeping within the enrichment "
        "cap was worth more to it (logit choice)")
    # Russia names no choice of its own: the scenario's [words], keep included
    assert reason_words(st, jcpoa, r, QUIT) == (
        "Russia: leaving the nuclear deal is worth more to it than keeping the nuclear deal")


def test_a_side_at_war_is_told_in_its_own_words_only_if_it_names_them():
    libya = negsim.load_scenario("libya-2020")
    st = structure(libya)
    lna = st.actor_ids.index("LNA")
    assert reason_words(st, libya, lna, STRIKE).startswith("LNA: striking first gains more")
    text = libya.to_toml() + '\n[actors.LNA.words]\nbreak = "resume the offensive on Tripoli"\n'
    named = negsim.parse_scenario(text, "l.toml")
    st = structure(named)
    assert reason_words(st, named, lna, STRIKE) == (
        "LNA: resuming the offensive on Tripoli first gains more than keeping the ceasefire "
        "and its patrons' pressure")
    assert reason_words(st, named, lna, CHANCE) == (
        "LNA: it chose to resume the offensive on Tripoli although keeping the ceasefire was "
        "worth more to it (logit choice)")
    assert st.break_phrases[list(st.players.actors).index(lna)] == \
        "resume the offensive on Tripoli"


def test_a_patrons_deliveries_are_told_in_its_words():
    libya = negsim.load_scenario("libya-2020")
    text = (libya.to_toml().replace("horizon = 24", "horizon = 6")
            + '\n[actors.UAE.words]\nbreak = "fly arms to Haftar"\n'
            'keep = "keep arms away from Haftar"\n')
    s = negsim.parse_scenario(text, "l.toml")
    run = negsim.NegotiationModel(s, rng=np.random.SeedSequence([3, 1])).run()
    story = run.story(width=200)
    assert re.search(r"UAE chose to fly arms to Haftar in \d+ of 6 months", story), story
    assert re.search(r"Egypt delivered arms in \d+ of 6 months", story)
    import matplotlib.pyplot as plt

    from negsim.plot import plot_embargo

    res = negsim.simulate(s, runs=20, seed=1)
    ax = plot_embargo(res)
    assert "UAE: keep arms away from Haftar" in [t.get_text() for t in ax.get_yticklabels()]
    plt.close("all")


def test_jcpoa_names_iran_usa_and_e3_choices(jcpoa):
    words = {a.id: (a.words.break_, a.words.keep) for a in jcpoa.actors}
    assert words["Iran"] == IRAN
    assert words["USA"][0] == "reimpose nuclear sanctions"
    assert words["EU3"][0] == "reimpose the EU's nuclear sanctions"
    assert words["Russia"] == words["China"] == (None, None)  # [words]: leave the nuclear deal
    st = structure(jcpoa)
    assert st.break_phrases == ("exceed the enrichment cap", "reimpose nuclear sanctions",
                                "reimpose the EU's nuclear sanctions", "leave the nuclear deal",
                                "leave the nuclear deal")


def test_jcpoa_summary_and_story_use_the_actors_phrases(capsys, tmp_path):
    assert main(["run", "jcpoa-2015", "--runs", "300", "--seed", "1", "--no-plots",
                 "--runs-format", "none", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    who = out[out.index("Who breaks it first"):out.index("Why it breaks")]
    assert re.search(r"%  Iran: exceeds the enrichment cap\n", who), who
    assert re.search(r"%  Russia\n", who)  # names no choice of its own
    why = " ".join(out[out.index("Why it breaks"):].split())
    assert "Iran: exceeding the enrichment cap is worth more to it than keeping within the " \
           "enrichment cap" in why
    runs = negsim.simulate("jcpoa-2015", runs=300, seed=1).runs
    iran = runs[runs["implementation.broken_by"] == "Iran"]
    assert len(iran) and iran["implementation.reason"].str.contains("enrichment cap").all()
    usa = runs[runs["implementation.broken_by"] == "USA"]
    assert usa["implementation.reason"].str.contains("nuclear sanctions").all()
    row = int(iran.index[0])
    assert main(["story", "jcpoa-2015", "--seed", "1", "--run", str(row), "--width", "200"]) == 0
    story = capsys.readouterr().out
    assert re.search(r"implementation: the nuclear deal broke in month \d+ of 48: Iran: "
                     r"(exceeding the enrichment cap is worth|it chose to exceed)", story), story


def test_libya_prints_as_before():
    """Libya's actors name no choice of their own: its sentences are Libya's."""
    libya = negsim.load_scenario("libya-2020")
    assert all(a.words.is_default for a in libya.actors)
    st = structure(libya)
    assert set(st.break_phrases) == {"break the ceasefire", "break the arms embargo"}


def test_the_templates_commented_actor_words_validate_when_uncommented():
    from negsim.scenario.template import scenario_template

    text = scenario_template("x").replace("# [actors.North.words]\n# keep", "[actors.North.words]"
                                          "\nkeep").replace('# break = "raise', 'break = "raise')
    assert negsim.parse_scenario(text, "x.toml").actor("North").words.break_ == "raise its tariffs"


def test_the_summarys_html_names_the_deal_in_the_scenarios_words():
    html = negsim.simulate("jcpoa-2015", runs=30, seed=1).summary()._repr_html_()
    assert "the nuclear deal holds to the horizon" in html and "ceasefire" not in html
    libya = negsim.simulate("libya-2020", runs=30, seed=1).summary()._repr_html_()
    assert "the ceasefire holds to the horizon" in libya
