"""Every number of a scenario is a parameter path: red-line bounds, suggestions, uncertainty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import negsim
from negsim.protocol.params import (
    compile_scenario,
    sample_params,
    scenario_value,
    slot,
    split_by_red_lines,
)
from negsim.scenario import Scenario, ScenarioError, ScenarioKeyError, load_scenario
from negsim.scenario.document import build_scenario
from negsim.scenario.paths import find_numbers, split_path, walk_numbers
from negsim.sim.engine import simulate_runs

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"


@pytest.fixture(scope="module")
def libya() -> Scenario:
    return load_scenario("libya-2020")


@pytest.fixture(scope="module")
def toy() -> Scenario:
    return load_scenario(DATA / "toy.toml")


def _with_uncertainty(s: Scenario, *entries: dict[str, Any],
                      change: dict[str, Any] | None = None) -> dict[str, Any]:
    data = s.to_dict()
    for path, value in (change or {}).items():
        node: Any = data
        parts = split_path(path)
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
    data.setdefault("uncertainty", [])
    data["uncertainty"] += [{"assumption": "a test", **e} for e in entries]
    return data


# ---- the paths -------------------------------------------------------------------------
def test_every_red_line_bound_has_a_path(libya: Scenario) -> None:
    paths = libya.parameter_paths()
    expected = [f"actors.{a.id}.red_lines[{i}].{b}" for a in libya.actors
                for i, rl in enumerate(a.red_lines) for b in ("min", "max")
                if getattr(rl, b) is not None]
    assert len(expected) == 5
    assert [p for p in paths if ".red_lines[" in p] == expected
    for path in expected:
        actor, rest = path.split(".")[1], path.split("red_lines[")[1]
        i, bound = int(rest.split("]")[0]), rest.split(".")[1]
        rl = libya.actor(actor).red_lines[i]
        assert libya.get(path) == getattr(rl, bound)
        assert libya.sourced(path).provenance == rl.provenance
        assert libya.parameter_bounds(path) == (0.0, 1.0)
    # every kind of number named in the format has its paths
    for prefix in ("issues.", "actors.LNA.capability", "actors.LNA.demands.",
                   "actors.UAE.backs.LNA.", "actors.LNA.outside_option.", "model.",
                   "commitments.arms_embargo.breach_cost"):
        assert any(p.startswith(prefix) for p in paths), prefix
    assert len(paths) == len(set(paths))


def test_paths_come_from_the_file_shape_so_new_numbers_need_no_code() -> None:
    # A sourced number the format does not know yet (here an outside option's `value`)
    # is found like any other, and a plain number in a table with provenance too.
    data = {
        "id": "x", "sources": {"s": {"title": "t"}},
        "actors": {"A": {"name": "A", "outside_option": {
            "kind": "no_deal", "value": {"value": 0.3, "assumption": "x"},
            "value_if_others_sign": {"value": 0.1, "source": "s", "quote": "q"}},
            "red_lines": [{"issue": "i", "max": 0.4, "description": "d", "assumption": "y"},
                          {"issue": "j", "min": 0.1, "max": 0.9, "description": "e",
                           "assumption": "z"}]}},
        "timeline": [{"id": "r", "months": 12, "assumption": "a"}],
    }
    table = find_numbers(data)
    assert list(table) == [
        "actors.A.outside_option.value", "actors.A.outside_option.value_if_others_sign",
        "actors.A.red_lines[0].max", "actors.A.red_lines[1].min", "actors.A.red_lines[1].max",
    ]
    assert table["actors.A.outside_option.value_if_others_sign"].provenance.quote == "q"
    assert table["actors.A.red_lines[1].min"].provenance.assumption == "z"
    assert [p for p, _ in walk_numbers({"sources": {"s": {"value": 1.0, "assumption": "a"}}})] \
        == []


@pytest.mark.parametrize("path, parts", [
    ("actors.LNA.red_lines[0].min", ["actors", "LNA", "red_lines", 0, "min"]),
    ("model.rationality", ["model", "rationality"]),
    ("a.b[2][3].c", ["a", "b", 2, 3, "c"]),
])
def test_split_path(path: str, parts: list[Any]) -> None:
    assert split_path(path) == parts


@pytest.mark.parametrize("bad", ["a..b", "a.b[x]", "a.[0]", "a.b]"])
def test_split_path_refuses_what_is_not_a_path(bad: str) -> None:
    with pytest.raises(ValueError, match="not a dotted path"):
        split_path(bad)


@pytest.mark.parametrize("path", [
    "actors.LNA.red_lines[3].min", "actors.LNA.red_lines[0].max", "actors.LNA.red_lines.min",
    "actors.LNA.red_lines[0]", "actors.LNA.red_lines[0].issue", "actors.LNA.red_lines[x].min",
])
def test_unknown_red_line_paths(libya: Scenario, path: str) -> None:
    with pytest.raises(ScenarioKeyError, match="unknown parameter path"):
        libya.get(path)
    with pytest.raises(ValueError, match="unknown parameter path"):
        slot(libya, path)


# ---- overrides (--set, sweeps) ------------------------------------------------------------
def test_override_a_red_line_bound(libya: Scenario) -> None:
    path = "actors.Turkey.red_lines[1].max"
    new = libya.with_overrides({path: 0.8})
    rl = new.actor("Turkey").red_lines[1]
    assert rl.max == 0.8 and rl.issue == "security_agreement" and rl.min is None
    assert rl.provenance.assumption == f"override: {path} = 0.8 (was 0.5)"
    assert rl.description == libya.actor("Turkey").red_lines[1].description
    assert new.actor("Turkey").red_lines[0] == libya.actor("Turkey").red_lines[0]
    assert compile_scenario(new).hi[new.actor_ids.index("Turkey"),
                                     new.issue_ids.index("security_agreement")] == 0.8
    assert negsim.parse_scenario(new.to_toml()) == new
    # the same value keeps the provenance
    assert libya.with_overrides({path: 0.5}).actor("Turkey") == libya.actor("Turkey")


def test_override_of_a_red_line_bound_is_validated(toy: Scenario) -> None:
    with pytest.raises(ScenarioError) as info:
        toy.with_overrides({"actors.Blue.red_lines[0].min": 1.5})
    assert str(info.value) == (f"{toy.origin}: actors.Blue.red_lines[0].min: must be in "
                               "[0, 1], got 1.5")
    data = toy.to_dict()
    data["actors"]["Red"]["red_lines"][0]["min"] = 0.1
    data["actors"]["Red"]["demands"]["withdrawal"]["ideal"]["value"] = 0.2
    s = build_scenario(data, "t.toml")
    with pytest.raises(ScenarioError, match=r"actors\.Red\.red_lines\[0\]: min 0\.7 is greater "
                                            r"than max 0\.5"):
        s.with_overrides({"actors.Red.red_lines[0].min": 0.7})


def test_sweep_of_a_red_line_bound(libya: Scenario) -> None:
    df = negsim.sweep(libya, {"actors.Turkey.red_lines[1].max": [0.5, 1.0]}, runs=30, seed=1)
    assert sorted(set(df["actors.Turkey.red_lines[1].max"])) == [0.5, 1.0]


# ---- did you mean ----------------------------------------------------------------------
@pytest.mark.parametrize("typed, meant", [
    ("actors.Haftar.capability", "actors.LNA.capability"),
    ("actors.haftar.red_lines[0].min", "actors.LNA.red_lines[0].min"),
    ("actors.LNA.red_lines[0].mni", "actors.LNA.red_lines[0].min"),
    ("actors.Turkey.redlines[1].max", "actors.Turkey.red_lines[1].max"),
])
def test_suggestions_match_names_as_well_as_ids(libya: Scenario, typed: str, meant: str) -> None:
    with pytest.raises(ScenarioError) as info:
        libya.with_overrides({typed: 0.3})
    assert f"did you mean '{meant}'" in str(info.value)
    data = _with_uncertainty(libya, {"parameter": typed, "distribution": "uniform",
                                     "low": 0.1, "high": 0.2})
    with pytest.raises(ScenarioError) as info:
        build_scenario(data, "my.toml")
    [problem] = info.value.problems
    assert problem.origin == "my.toml" and problem.path == "uncertainty[22].parameter"
    assert f"did you mean '{meant}'" in problem.message


# ---- red lines under uncertainty -------------------------------------------------------
def test_uncertain_red_line_must_keep_min_below_max(toy: Scenario) -> None:
    data = _with_uncertainty(toy, {"parameter": "actors.Blue.red_lines[0].min",
                                   "distribution": "uniform", "low": 0.2, "high": 0.95},
                             change={"actors.Blue.red_lines[0].max": 0.9,
                                     "actors.Blue.demands.withdrawal.ideal.value": 0.8})
    with pytest.raises(ScenarioError) as info:
        build_scenario(data, "t.toml")
    assert [str(p) for p in info.value.problems] == [
        "t.toml: uncertainty[3].parameter: actors.Blue.red_lines[0].min can be drawn up to "
        "0.95, above the red line's max 0.9: the draws must keep min <= max (e.g. high <= 0.9)"
    ]
    data["uncertainty"][3]["high"] = 0.8
    assert build_scenario(data, "t.toml").uncertainty[3].parameter.endswith("min")
    # both bounds uncertain: the supports must not overlap
    data["uncertainty"].append({"parameter": "actors.Blue.red_lines[0].max",
                                "distribution": "triangular", "low": 0.75, "mode": 0.9,
                                "high": 1.0, "assumption": "x"})
    with pytest.raises(ScenarioError, match=r"min can be drawn up to 0\.8, above the red "
                                            r"line's max 0\.75"):
        build_scenario(data, "t.toml")
    # a normal on a red line with two bounds is truncated to the side of the other bound
    # (and of the actor's ideal): accepted (see test_a_normal_red_line_bound_keeps_its_side)
    data["uncertainty"][3:] = [{"parameter": "actors.Blue.red_lines[0].max",
                                "distribution": "normal", "mean": 0.95, "sd": 0.01,
                                "assumption": "x"}]
    assert build_scenario(data, "t.toml").uncertainty[3].distribution == "normal"
    # both bounds normal, with nothing fixed between them (the ideal point is uncertain too):
    # refused, saying why
    data["uncertainty"][3:] = [
        {"parameter": f"actors.Blue.red_lines[0].{b}", "distribution": "normal", "mean": m,
         "sd": 0.1, "assumption": "x"} for b, m in (("min", 0.3), ("max", 0.9))]
    data["uncertainty"].append({"parameter": "actors.Blue.demands.withdrawal.ideal",
                                "distribution": "uniform", "low": 0.7, "high": 0.9,
                                "assumption": "x"})
    with pytest.raises(ScenarioError, match=r"min can be drawn up to 1, above the red line's "
                       r"max 0: .*; both bounds are drawn from normal distributions"):
        build_scenario(data, "t.toml")


def test_a_normal_red_line_bound_keeps_its_side(toy: Scenario) -> None:
    # A normal draw of a red-line bound is truncated, like every normal, to the values that
    # are valid for it: here [0.3, 1] for Blue's max, above its min 0.3 (and its ideal 0.8),
    # and [0, 0.8] for Blue's min under a fixed max 0.9 and ideal 0.8.
    from negsim.scenario.paths import draw_range

    data = _with_uncertainty(toy, {"parameter": "actors.Blue.red_lines[0].max",
                                   "distribution": "normal", "mean": 0.6, "sd": 0.3},
                             change={"actors.Blue.red_lines[0].max": 0.9,
                                     "actors.Blue.demands.withdrawal.ideal.value": 0.8})
    s = build_scenario(data, "t.toml")
    unc = s.uncertainty[-1]
    assert draw_range(unc, s.to_dict(), s.uncertainty) == (0.8, 1.0)
    u = np.linspace(0.0, 1.0, 101)[:, None] * np.ones((1, len(s.uncertainty)))
    drawn = scenario_value(sample_params(s, u), s, "actors.Blue.red_lines[0].max")
    assert drawn.min() == 0.8 and drawn.max() == 1.0 and np.all(np.diff(drawn) >= 0)
    # the truncated normal's quantiles: F^-1(F(0.8) + u (F(1) - F(0.8))) for mean 0.6, sd 0.3
    from scipy.stats import truncnorm

    ref = truncnorm.ppf(0.5, (0.8 - 0.6) / 0.3, (1.0 - 0.6) / 0.3, loc=0.6, scale=0.3)
    assert abs(drawn[50] - ref) < 1e-12
    data["uncertainty"][-1] = {"parameter": "actors.Blue.red_lines[0].min",
                               "distribution": "normal", "mean": 0.5, "sd": 0.3,
                               "assumption": "x"}
    s = build_scenario(data, "t.toml")
    assert draw_range(s.uncertainty[-1], s.to_dict(), s.uncertainty) == (0.0, 0.8)
    runs = simulate_runs(s, seed=1, runs=40)  # and the ensemble plays it
    assert len(runs) == 40


def test_uncertain_red_line_must_keep_the_actors_own_ideal(toy: Scenario) -> None:
    # Red's ideal on withdrawal is 0 and its red line says "at most 0.5".
    data = _with_uncertainty(toy, {"parameter": "actors.Red.red_lines[0].max",
                                   "distribution": "normal", "mean": 0.4, "sd": 0.2})
    assert build_scenario(data, "t.toml")  # a max drawn down to 0 still allows 0
    data = _with_uncertainty(toy, {"parameter": "actors.Blue.red_lines[0].min",
                                   "distribution": "uniform", "low": 0.2, "high": 0.6},
                             change={"actors.Blue.demands.withdrawal.ideal.value": 0.5})
    with pytest.raises(ScenarioError, match=r"uncertainty\[3\]\.parameter: actors\.Blue\."
                                            r"red_lines\[0\]\.min can be drawn above the "
                                            r"actor's own ideal point on 'withdrawal' \(0\.5\)"):
        build_scenario(data, "t.toml")


@pytest.fixture(scope="module")
def uncertain_red_line(libya: Scenario) -> Scenario:
    data = _with_uncertainty(libya, {"parameter": "actors.Turkey.red_lines[1].max",
                                     "distribution": "uniform", "low": 0.3, "high": 0.9},
                             {"parameter": "actors.LNA.red_lines[2].min",
                              "distribution": "triangular", "low": 0.2, "mode": 0.5,
                              "high": 0.7})
    return build_scenario(data, "libya-uncertain-red-lines.toml")


def test_red_lines_are_sampled_run_by_run(uncertain_red_line: Scenario) -> None:
    s = uncertain_red_line
    u = np.random.default_rng(0).random((6, len(s.uncertainty)))
    p = sample_params(s, u)
    turkey = scenario_value(p, s, "actors.Turkey.red_lines[1].max")
    lna = scenario_value(p, s, "actors.LNA.red_lines[2].min")
    assert np.array_equal(turkey, 0.3 + u[:, -2] * (0.9 - 0.3))
    assert np.all((0.2 <= lna) & (lna <= 0.7)) and len(set(lna)) == 6
    assert np.isnan(p.lo).all() and np.isnan(p.hi).all()  # no single set of red lines
    groups = split_by_red_lines(p)
    assert [idx.tolist() for idx, _ in groups] == [[i] for i in range(6)]
    t, k = s.actor_ids.index("Turkey"), s.issue_ids.index("security_agreement")
    a, j = s.actor_ids.index("LNA"), s.issue_ids.index("security_agreement")
    for idx, q in groups:
        assert q.hi[t, k] == turkey[idx[0]] and q.lo[a, j] == lna[idx[0]]
        assert q.capability.shape == (1, len(s.actors))
    # one run (the Mesa model) has its red lines directly
    one = sample_params(s, u[:1])
    assert one.hi[t, k] == turkey[0] and one.lo[a, j] == lna[0]


def test_runs_sharing_red_lines_are_played_together(toy: Scenario) -> None:
    data = _with_uncertainty(toy, {"parameter": "actors.Red.red_lines[0].max",
                                   "distribution": "uniform", "low": 0.4, "high": 0.4})
    s = build_scenario(data, "t.toml")
    p = sample_params(s, np.full((5, len(s.uncertainty)), 0.5))
    assert p.hi[0, 0] == 0.4 and len(split_by_red_lines(p)) == 1


def test_engine_and_model_agree_with_uncertain_red_lines(uncertain_red_line: Scenario) -> None:
    s = uncertain_red_line
    runs = np.array([0, 1, 2, 3, 4, 5, 6, 7])
    df = simulate_runs(s, 3, runs)
    assert list(df["run"]) == list(runs)
    col = df["actors.Turkey.red_lines[1].max"]
    assert col.between(0.3, 0.9).all() and col.nunique() == len(runs)
    for i in runs:
        row = negsim.NegotiationModel(s, rng=np.random.SeedSequence([3, i])).run().to_row()
        for key, value in row.items():
            other = df.loc[i, key]
            if isinstance(value, float) and np.isnan(value):
                assert pd.isna(other), key
            else:
                assert value == other, key
    # whatever the batch: the same rows
    part = simulate_runs(s, 3, np.array([5, 2]))
    pd.testing.assert_frame_equal(part, df.iloc[[5, 2]].reset_index(drop=True))
    # the red line matters: Turkey's looser security-agreement red line shows in the drafts
    assert df["moscow.draft.security_agreement"].max() <= 0.9 + 1e-12


def test_binding_constraints_use_each_runs_red_lines(uncertain_red_line: Scenario) -> None:
    s = uncertain_red_line
    df = simulate_runs(s, 1, 300)
    rl = s.actor("LNA").red_lines[2]
    assert rl.issue == "security_agreement" and rl.min == 0.5
    drawn = df["actors.LNA.red_lines[2].min"]
    violated = df["moscow.text.security_agreement"] < drawn - 1e-9
    named = df["binding_constraint"].str.contains(rl.description, regex=False)
    unsigned = df["moscow.LNA.decision"] == "no_sign"
    assert named.sum() > 0
    assert (named == (violated & unsigned)).all()


def test_fixed_text_ensembles_take_each_runs_red_lines(uncertain_red_line: Scenario) -> None:
    # (they used to refuse uncertain red lines; tests/analysis/test_textredlines.py has more)
    from negsim.analysis.fixedtext import TextEnsemble

    ens = TextEnsemble.build(uncertain_red_line, runs=5, seed=0)
    df = simulate_runs(uncertain_red_line, 0, 5)
    draft = df[[f"moscow.draft.{k}" for k in ens.issue_ids]].to_numpy()
    assert np.array_equal(ens.mediators_draft(), draft)
