"""Outside-option kinds, mediators' options and words in a scenario without a war (#13)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import negsim  # noqa: E402
from negsim.cli.app import main  # noqa: E402
from negsim.protocol.aftermath import exit_values  # noqa: E402
from negsim.protocol.rounds.drafts import draft_rule, drafting_box  # noqa: E402
from negsim.protocol.rounds.kernels import feasible  # noqa: E402
from negsim.sim.engine import simulate_runs  # noqa: E402

ACCORD = Path(__file__).parents[1] / "data" / "scenarios" / "accord.toml"


@pytest.fixture(scope="module")
def accord() -> negsim.Scenario:
    return negsim.load_scenario(ACCORD)


def _with_round_option(s: negsim.Scenario, line: str) -> negsim.Scenario:
    text = s.to_toml().replace('mediators = ["EU"]\n', f'mediators = ["EU"]\n{line}\n', 1)
    return negsim.parse_scenario(text, "accord.toml")


def test_libya_kinds_are_fight_on_and_its_numbers_are_unchanged():
    s = negsim.load_scenario("libya-2020")
    assert {a.outside_option.kind for a in s.actors if a.outside_option} == {"fight_on"}
    st_ = negsim.protocol.structure.structure(s)
    assert not st_.party.any() and not st_.contingent.any()
    assert st_.players.party is None


def test_no_deal_and_contingent_values_are_the_files(accord):
    runs = simulate_runs(accord, 1, 50)
    assert (runs["outside_option.E3"] == 0.4).all()
    assert (runs["outside_option.IRN"] == 0.55).all()  # no deal for anyone: its value
    usa = runs["actors.USA.outside_option.value"]
    assert (runs["outside_option.USA"] == usa).all() and usa.between(0.35, 0.55).all()


def test_respecting_red_lines_gets_the_usa_to_sign_far_more_often(accord):
    base = simulate_runs(accord, 4, 400)
    kind = simulate_runs(_with_round_option(accord, "respect_red_lines = true"), 4, 400)
    crossed = (base["vienna.text.enrichment_cap"] < 0.7 - 1e-9).mean()
    assert crossed > 0.3  # the default draft crosses the USA's red line often
    assert (kind["vienna.draft.enrichment_cap"] >= 0.7 - 1e-9).all()
    p_base = (base["vienna.USA.decision"] == "sign").mean()
    p_kind = (kind["vienna.USA.decision"] == "sign").mean()
    assert p_kind > p_base + 0.3, (p_base, p_kind)


def test_weighted_mean_is_the_first_step_of_the_nash_iteration(accord):
    s = _with_round_option(accord, 'draft_rule = "weighted_mean"')
    runs = simulate_runs(s, 1, 20)
    draft = runs[[f"vienna.draft.{k}" for k in s.issue_ids]].to_numpy()
    assert np.allclose(draft, draft[0])  # it ignores the (uncertain) outside options
    nash = simulate_runs(accord, 1, 20)
    assert not np.allclose(nash[[f"vienna.draft.{k}" for k in s.issue_ids]].to_numpy(), draft)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.integers(1, 4), st.data())
def test_a_respecting_draft_stays_inside_compatible_red_lines(n_parts, m, data):
    n = n_parts + 1
    unit = st.floats(0.0, 1.0)
    lo = np.array(data.draw(st.lists(st.lists(unit, min_size=m, max_size=m), min_size=n,
                                     max_size=n)))
    width = np.array(data.draw(st.lists(st.lists(unit, min_size=m, max_size=m), min_size=n,
                                        max_size=n)))
    hi = np.minimum(lo + width, 1.0)
    meds, parts = np.array([0]), np.arange(1, n)
    lower, upper = drafting_box(lo, hi, meds, parts, True)
    w = np.array(data.draw(st.lists(st.lists(st.floats(0.0, 1.0), min_size=m, max_size=m),
                                    min_size=n, max_size=n)))[None]
    ideal = np.clip(np.array(data.draw(st.lists(st.lists(unit, min_size=m, max_size=m),
                                               min_size=n, max_size=n))), lo, hi)[None]
    for rule in ("nash", "weighted_mean"):
        x = draft_rule(rule)(w, ideal, np.zeros((1, n)), np.ones((1, n)), lower, upper,
                             np.zeros((1, m)))[0]
        # Inside the mediator's red lines always; inside the participants' on every issue
        # where their red lines are compatible with each other and with the mediator's.
        assert feasible(lo[:1], hi[:1], x)[0]
        compatible = np.maximum(lo[0], lo[parts].max(0)) <= np.minimum(hi[0], hi[parts].min(0))
        ok = (x >= lo[parts] - 1e-9) & (x <= hi[parts] + 1e-9)
        assert ok[:, compatible].all()


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_a_higher_no_deal_value_makes_breaking_worth_more(v1, v2, peace):
    lo_v, hi_v = sorted((v1, v2))
    values = [exit_values(np.array([[v]]), np.zeros((1, 1)), np.array([[peace]]),
                          np.array([[0.9]]), np.array([0]))[0, 0] for v in (lo_v, hi_v)]
    assert values[0] <= values[1]


@settings(max_examples=8, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_compliance_margin_falls_as_the_no_deal_value_rises(v1, v2):
    s = _with_round_option(negsim.load_scenario(ACCORD), 'draft_rule = "weighted_mean"')
    lo_v, hi_v = sorted((v1, v2))
    margins = [simulate_runs(s.with_overrides({"actors.E3.outside_option.value": v}), 1, 5)[
        "compliance.E3.margin"].to_numpy() for v in (lo_v, hi_v)]
    assert (margins[1] <= margins[0] + 1e-12).all()


def test_accord_runs_through_the_cli_without_war_words(capsys, tmp_path, monkeypatch):
    texts: list[str] = []
    save = Figure.savefig

    def spy(fig: Figure, *args: object, **kwargs: object) -> None:
        texts.extend(t.get_text() for t in fig.findobj(Text))
        save(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", spy)
    code = main(["run", str(ACCORD), "--runs", "300", "--seed", "3", "--out",
                 str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "the accord holds to the horizon" in out
    assert "exceed the enrichment cap" in out
    pngs = sorted(p.name for p in (tmp_path / "out").glob("*.png"))
    assert "survival.png" in pngs and "outcomes.png" in pngs
    assert texts and "Survival of the nuclear accord (after)" in "\n".join(texts)
    for word in ("ceasefire", "embargo"):
        assert word not in (out + err).lower()
        assert not [t for t in texts if word in t.lower()]
    code = main(["story", str(ACCORD), "--run", "2"])
    out, _ = capsys.readouterr()
    assert code == 0 and "Does the nuclear accord hold?" in out
    assert "ceasefire" not in out.lower() and "embargo" not in out.lower()


def test_the_parties_play_the_compliance_game(accord):
    st_ = negsim.protocol.structure.structure(accord)
    assert [st_.actor_ids[a] for a in st_.players.actors] == ["IRN", "USA", "E3", "RUS", "CHN"]
    assert set(st_.break_phrases) == {"exceed the enrichment cap"}
    runs = simulate_runs(accord, 5, 200)
    assert {f"compliance.{a}.margin" for a in ("IRN", "USA")} <= set(runs.columns)
    broke = runs[runs["after.broke"]]
    # a party's reason names both of its choices in the scenario's words ([words] keep/break)
    assert broke["after.reason"].str.contains(
        "exceeding the enrichment cap is worth more to it than keeping within the enrichment "
        "cap").any()


@pytest.mark.parametrize("line", ["", "respect_red_lines = true"])
def test_fixed_text_ensembles_agree_with_the_engine(accord, line):
    from negsim.analysis.fixedtext import TextEnsemble

    s = _with_round_option(accord, line) if line else accord
    ens = TextEnsemble.build(s, runs=150, seed=0)
    runs = simulate_runs(s, 0, 150)
    signed = np.logical_and.reduce([(runs[f"vienna.{a}.decision"] == "sign").to_numpy()
                                    for a in ens.participants])
    assert ens.table(ens.mediators_draft()).probability == float(
        np.mean(signed & runs["compliance.holds"]))
