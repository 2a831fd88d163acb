"""Roles, outside-option kinds, mediator options and words in scenario files (issue #13)."""

from __future__ import annotations

from pathlib import Path

import pytest

import negsim

ACCORD = Path(__file__).parents[1] / "data" / "scenarios" / "accord.toml"


@pytest.fixture(scope="module")
def accord_text() -> str:
    return ACCORD.read_text(encoding="utf-8")


def _error(text: str) -> str:
    with pytest.raises(negsim.ScenarioError) as err:
        negsim.parse_scenario(text, "a.toml")
    return str(err.value)


def test_accord_validates_without_belligerents(accord_text):
    s = negsim.parse_scenario(accord_text, "a.toml")
    assert not s.belligerents
    assert {a.outside_option.kind for a in s.actors if a.outside_option} == {"no_deal",
                                                                          "contingent"}
    assert s.words.break_ == "exceed the enrichment cap"
    assert negsim.parse_scenario(s.to_toml()) == s
    assert "actors.IRN.outside_option.value_if_others_sign" in s.parameter_paths()
    t = s.with_overrides({"actors.IRN.outside_option.value": 0.6})
    assert t.get("actors.IRN.outside_option.value") == 0.6


@pytest.mark.parametrize(("old", "new", "message"), [
    ('kind = "no_deal", value = { value = 0.45',
     'kind = "no_dael", value = { value = 0.45',
     "a.toml: actors.USA.outside_option.kind: must be one of fight_on, no_deal, contingent"),
    ('outside_option = { kind = "no_deal", value = { value = 0.45, assumption = "test" }, ',
     'outside_option = { ',
     "a.toml: actors.USA.outside_option: a party is not at war: its outside option cannot be "
     "fight_on (the default kind)"),
    ('kind = "no_deal", value = { value = 0.45, assumption = "test" }',
     'kind = "no_deal", cost = { value = 0.45, assumption = "test" }',
     "a.toml: actors.USA.outside_option.cost: a no_deal outside option has no 'cost'"),
    ('participants = ["IRN", "USA", "E3", "RUS", "CHN"]\nmediators',
     'participants = ["IRN", "USA", "E3", "RUS", "CHN", "EU"]\nmediators = []\nobservers',
     "a.toml: timeline[0].participants[5]: 'EU' is not a belligerent and has no outside "
     "option: the participants of a mediated_round need one"),
    ('assumption = "test"\n\n[[timeline]]\nid = "after"',
     'draft_rule = "nahs"\nassumption = "test"\n\n[[timeline]]\nid = "after"',
     "a.toml: timeline[0].draft_rule: unknown draft rule 'nahs'; did you mean 'nash'?"),
    ('assumption = "test"\n\n[[timeline]]\nid = "after"',
     'respect_red_lines = "yes"\nassumption = "test"\n\n[[timeline]]\nid = "after"',
     "a.toml: timeline[0].respect_red_lines: must be true or false, got 'yes'"),
    ('horizon = 12\n', 'horizon = 12\ndraft_rule = "nash"\n',
     "a.toml: timeline[1].draft_rule: only a mediated_round has draft_rule, not an "
     "implementation"),
    ('deal = "the nuclear accord"', 'dael = "the nuclear accord"',
     "a.toml: words.dael: unknown field; did you mean 'deal'?"),
    ('roles = ["party"]\ncapability = { value = 0.0, assumption = "not at war" }\n'
     'demands.enrichment_cap = { ideal = { value = 1.0',
     'roles = ["party", "belligerent"]\ncapability = { value = 0.0, assumption = "x" }\n'
     'demands.enrichment_cap = { ideal = { value = 1.0',
     "a.toml: actors.USA.roles: an actor is a party (negotiates, not at war) or a belligerent"),
])
def test_accord_errors_name_file_field_and_problem(accord_text, old, new, message):
    assert old in accord_text
    assert message in _error(accord_text.replace(old, new, 1)).replace("\n", " ")


def test_fight_on_needs_a_war(accord_text):
    text = accord_text.replace(
        'outside_option = { kind = "no_deal", value = { value = 0.4, assumption = "test" }, ',
        'outside_option = { cost = { value = 0.1, assumption = "x" }, ', 1).replace(
        'name = "France, Germany and the United Kingdom"\nroles = ["party"]',
        'name = "France, Germany and the United Kingdom"\nroles = ["patron"]')
    err = _error(text)
    assert "actors.E3.outside_option: kind fight_on is the value of fighting on, but the " \
           "scenario has no belligerent" in err.replace("\n", " ")


def test_belligerent_with_a_no_deal_option_is_refused():
    text = negsim.load_scenario("libya-2020").to_toml().replace(
        "[actors.GNA.outside_option]\n", "[actors.GNA.outside_option]\nkind = \"no_deal\"\n")
    err = _error(text)
    assert "actors.GNA.outside_option.kind: a belligerent's outside option is fighting on" in err


def test_words_do_not_change_the_fingerprint():
    s = negsim.load_scenario("libya-2020")
    assert s.words.deal == "the ceasefire"
    assert s.commitment("arms_embargo").break_phrase == "break the arms embargo"
    plain = negsim.parse_scenario(s.to_toml(words=False))
    assert plain.words == negsim.scenario.words.Words()
    assert plain.fingerprint() == s.fingerprint()
    assert plain != s


def test_mediator_options_round_trip(accord_text):
    text = accord_text.replace('mediators = ["EU"]\n', 'mediators = ["EU"]\n'
                               'respect_red_lines = true\ndraft_rule = "weighted_mean"\n', 1)
    s = negsim.parse_scenario(text)
    assert (s.timeline[0].respect_red_lines, s.timeline[0].draft_rule) == (True,
                                                                           "weighted_mean")
    assert negsim.parse_scenario(s.to_toml()) == s
    assert s.fingerprint() != negsim.parse_scenario(accord_text).fingerprint()
