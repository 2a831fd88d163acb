"""The scenario objects, loading, lookups, parameter paths, overrides and TOML round trip."""

from __future__ import annotations

import dataclasses
import math
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from negsim.scenario import (
    Actor,
    Provenance,
    RedLine,
    Scenario,
    ScenarioError,
    ScenarioKeyError,
    Sourced,
    load_scenario,
    parse_scenario,
    scenarios,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"
FIXTURES = sorted(p.name for p in DATA.glob("*.toml"))


@pytest.fixture(scope="module")
def toy() -> Scenario:
    return load_scenario(DATA / "toy.toml")


# ---- the objects ---------------------------------------------------------------------
def test_toy_structure(toy: Scenario) -> None:
    assert toy.id == "toy" and toy.schema_version == 1
    assert toy.actor_ids == ("Red", "Blue", "Broker", "Ally")
    assert toy.issue_ids == ("withdrawal", "embargo")
    assert [a.id for a in toy.belligerents] == ["Red", "Blue"]
    assert [a.id for a in toy.mediators] == ["Broker"]
    assert [a.id for a in toy.patrons] == ["Ally"]
    assert [s.key for s in toy.sources] == ["brief", "wire"]
    assert [t.kind for t in toy.timeline] == ["event", "mediated_round", "conference"]
    assert [t.is_round for t in toy.timeline] == [False, True, True]
    assert toy.timeline[1].participants == ("Red", "Blue")
    assert toy.timeline[1].mediators == ("Broker",)
    assert toy.timeline[1].observers == ("Ally",)
    assert toy.timeline[2].commitments == ("arms_embargo",)
    assert toy.commitment("arms_embargo").effect == "embargo"
    assert [(o.round, o.actor, o.decision or o.outcome) for o in toy.observed] == [
        ("talks", "Blue", "sign"), ("talks", "Red", "no_sign"),
        ("talks", None, "partial_signature"), ("summit", "Ally", "commit"),
    ]
    assert [u.distribution for u in toy.uncertainty] == ["uniform", "triangular", "normal"]
    assert toy.uncertainty[1].describe() == "triangular(0.6, 0.8, 1)"


def test_actor_and_provenance(toy: Scenario) -> None:
    red = toy.actor("Red")
    assert isinstance(red, Actor) and red.name == "Red Army"
    assert red.has_role("belligerent") and not red.has_role("mediator")
    d = red.demand("withdrawal")
    assert d is not None and d.ideal.value == 0.0 and d.salience.value == 0.7
    assert d.ideal.provenance.describe() == 'brief: "Red wants to keep the northern towns"'
    assert d.salience.provenance.is_assumption
    assert d.salience.provenance.describe() == "assumption: the towns are Red's main war aim"
    assert red.capability.provenance.describe() == (
        'brief: "Red is the stronger side" (stronger than Blue\'s 0.4)'
    )
    assert toy.actor("Broker").outside_option is None
    assert red.outside_option is not None and red.outside_option.discount.value == 0.9
    (link,) = toy.actor("Ally").backs
    assert (link.client, link.leverage.value, link.support.value) == ("Blue", 0.5, 0.6)
    assert float(toy.actor("Blue").capability) == 0.4
    assert toy.actor("Broker").demand("nothing") is None


def test_red_lines(toy: Scenario) -> None:
    (red,) = toy.actor("Red").red_lines
    (blue,) = toy.actor("Blue").red_lines
    assert (red.issue, red.min, red.max) == ("withdrawal", None, 0.5)
    assert red.allows(0.5) and red.allows(0.5 + 1e-12) and not red.allows(0.51)
    assert blue.allows(0.3) and not blue.allows(0.29) and blue.allows(1.0)
    assert red.bounds_text() == "<= 0.5" and blue.bounds_text() == ">= 0.3"
    both = RedLine("x", 0.2, 0.6, "d", Provenance(assumption="a"))
    assert both.bounds_text() == "0.2 to 0.6" and not both.allows(0.7)
    assert red.provenance.source == "wire"


def test_lookup_errors_are_key_and_value_errors(toy: Scenario) -> None:
    with pytest.raises(ScenarioKeyError, match="unknown actor 'Rde'; did you mean 'Red'"):
        toy.actor("Rde")
    with pytest.raises(KeyError):
        toy.issue("land")
    with pytest.raises(ValueError, match="unknown commitment"):
        toy.commitment("nope")
    assert toy.source("wire").url == "https://example.invalid/wire"
    assert toy.round("talks").kind == "mediated_round"


def _walk(obj: Any) -> list[Any]:
    out = [obj]
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            out += _walk(getattr(obj, f.name))
    elif isinstance(obj, tuple):
        for item in obj:
            out += _walk(item)
    return out


@pytest.mark.parametrize("name", FIXTURES)
def test_objects_are_immutable_and_hashable(name: str) -> None:
    s = load_scenario(DATA / name)
    for obj in _walk(s):
        assert not isinstance(obj, list | dict | set), f"mutable {type(obj)} in scenario"
        if dataclasses.is_dataclass(obj):
            params = type(obj).__dataclass_params__  # type: ignore[attr-defined]
            assert params.frozen, type(obj)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.id = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.actors[0].capability.value = 2.0  # type: ignore[misc]
    assert hash(s) == hash(load_scenario(DATA / name))
    assert pickle.loads(pickle.dumps(s)) == s


def test_origin_is_not_part_of_equality(toy: Scenario) -> None:
    text = (DATA / "toy.toml").read_text(encoding="utf-8")
    other = parse_scenario(text, origin="elsewhere.toml")
    assert other.origin == "elsewhere.toml" and toy.origin.endswith("toy.toml")
    assert other == toy and hash(other) == hash(toy)
    assert other.fingerprint() == toy.fingerprint()
    assert "toy" in repr(toy) and "actors=4" in repr(toy)


# ---- parameter paths -----------------------------------------------------------------
def test_get_on_every_kind_of_path(toy: Scenario) -> None:
    assert toy.get("actors.Red.capability") == 0.6
    assert toy.get("actors.Ally.backs.Blue.leverage") == 0.5
    assert toy.get("actors.Ally.backs.Blue.support") == 0.6
    assert toy.get("actors.Blue.demands.withdrawal.salience") == 0.8
    assert toy.get("actors.Blue.demands.embargo.ideal") == 0.0
    assert toy.get("actors.Red.outside_option.cost") == 0.2
    assert toy.get("actors.Blue.outside_option.discount") == 0.9
    assert toy.get("issues.embargo.status_quo") == 0.2
    assert toy.get("model.rationality") == 5.0
    assert toy.get("model.amendment_reach") == 0.5
    assert toy.get("commitments.arms_embargo.breach_cost") == 0.1
    assert toy.sourced("issues.withdrawal.status_quo").provenance.source == "brief"


@pytest.mark.parametrize("path", [
    "actors.Red.capabilty", "actors.Broker.outside_option.cost", "actors.Red.backs.Blue.leverage",
    "actors.Red.demands.nowhere.ideal", "model.temperature", "issues.embargo.name",
    "commitments.none.breach_cost", "actors.Red", "", "actors.Red.capability.value",
])
def test_get_unknown_path(toy: Scenario, path: str) -> None:
    with pytest.raises(ScenarioKeyError) as info:
        toy.get(path)
    assert "unknown parameter path" in str(info.value)
    assert info.value.problems[0].path == path


def test_get_unknown_path_suggests(toy: Scenario) -> None:
    with pytest.raises(KeyError, match="did you mean 'actors.Red.capability'"):
        toy.get("actors.Red.capabilty")


def test_parameter_paths(toy: Scenario) -> None:
    paths = toy.parameter_paths()
    assert len(paths) == len(set(paths))
    # 2 status quos; 4 capabilities; 4 actors x 2 issues x (ideal, salience);
    # 1 patron link x 2; 2 outside options x 2; 2 red-line bounds; 6 model parameters;
    # 1 commitment.
    assert len(paths) == 2 + 4 + 16 + 2 + 4 + 2 + 6 + 1
    assert "actors.Red.red_lines[0].max" in paths and "actors.Blue.red_lines[0].min" in paths
    assert "actors.Red.red_lines[0].min" not in paths
    assert paths[:3] == ("issues.withdrawal.status_quo", "issues.embargo.status_quo",
                         "actors.Red.capability")
    assert "actors.Ally.backs.Blue.support" in paths
    assert "actors.Broker.outside_option.cost" not in paths
    assert paths[-1] == "commitments.arms_embargo.breach_cost"
    for path in paths:
        value = toy.get(path)
        lo, hi = toy.parameter_bounds(path)
        assert lo <= value <= hi


def test_parameter_bounds(toy: Scenario) -> None:
    assert toy.parameter_bounds("actors.Red.demands.withdrawal.salience") == (0.0, 1.0)
    assert toy.parameter_bounds("actors.Red.capability") == (0.0, math.inf)
    assert toy.parameter_bounds("commitments.arms_embargo.breach_cost") == (0.0, math.inf)
    lo, hi = toy.parameter_bounds("actors.Red.outside_option.discount")
    assert 0.0 < lo < 1e-300 and 1.0 - 1e-15 < hi < 1.0
    lo, hi = toy.parameter_bounds("model.decisiveness")
    assert 0.0 < lo < 1e-300 and hi == 1.0
    lo, hi = toy.parameter_bounds("model.contest_exponent")
    assert 0.0 < lo < 1e-300 and hi == math.inf
    # The bounds are valid values: overriding with them is accepted.
    for path in toy.parameter_paths():
        lo, hi = toy.parameter_bounds(path)
        for value in (lo, min(hi, 1e6)):
            if ("ideal" in path or "red_lines" in path) and path.startswith(
                    ("actors.Red", "actors.Blue")):
                continue  # may cross the actor's own red line
            assert toy.with_overrides({path: value}).get(path) == value
    assert toy.parameter_range("model.decisiveness") == "(0, 1]"
    with pytest.raises(ScenarioKeyError):
        toy.parameter_bounds("model.nothing")


# ---- overrides -----------------------------------------------------------------------
def test_with_overrides_happy_path(toy: Scenario) -> None:
    new = toy.with_overrides({
        "actors.Red.capability": 0.3,
        "actors.Ally.backs.Blue.leverage": np.float64(0.25),
        "model.rationality": 2,
    })
    assert new.get("actors.Red.capability") == 0.3
    assert new.get("actors.Ally.backs.Blue.leverage") == 0.25
    assert new.get("model.rationality") == 2.0
    assert new.sourced("actors.Red.capability").provenance == Provenance(
        assumption="override: actors.Red.capability = 0.3 (was 0.6)"
    )
    assert new.sourced("model.rationality").provenance.assumption == (
        "override: model.rationality = 2 (was 5)"
    )
    # Everything else is untouched, the original is unchanged, the origin is kept.
    changed = {"actors.Red.capability", "actors.Ally.backs.Blue.leverage", "model.rationality"}
    for path in toy.parameter_paths():
        if path not in changed:
            assert new.sourced(path) == toy.sourced(path)
    assert toy.get("actors.Red.capability") == 0.6
    assert new.origin == toy.origin and new != toy
    assert new.fingerprint() != toy.fingerprint()
    assert new.observed == toy.observed
    # Overrides pin values: the uncertainty entries of the overridden paths are dropped.
    assert [u.parameter for u in new.uncertainty] == ["actors.Blue.demands.withdrawal.salience"]


def test_with_overrides_same_value_keeps_provenance(toy: Scenario) -> None:
    same = toy.with_overrides({"actors.Blue.capability": 0.4})
    assert same == toy
    assert toy.with_overrides({}) is toy
    pinned = toy.with_overrides({"actors.Red.capability": 0.6})
    assert pinned.actor("Red") == toy.actor("Red")
    assert "actors.Red.capability" not in [u.parameter for u in pinned.uncertainty]


def test_with_overrides_errors_name_the_path(toy: Scenario) -> None:
    with pytest.raises(ScenarioError) as info:
        toy.with_overrides({"actors.Red.demands.withdrawal.salience": 1.7})
    assert str(info.value) == (
        f"{toy.origin}: actors.Red.demands.withdrawal.salience: must be in [0, 1], got 1.7"
    )
    with pytest.raises(ScenarioError, match=r"actors\.Red\.outside_option\.discount: must be "
                                            r"in \(0, 1\), got 1"):
        toy.with_overrides({"actors.Red.outside_option.discount": 1.0})
    with pytest.raises(ScenarioError, match="model.rationality: must be a finite number"):
        toy.with_overrides({"model.rationality": math.nan})


def test_with_overrides_collects_all_problems(toy: Scenario) -> None:
    with pytest.raises(ScenarioError) as info:
        toy.with_overrides({
            "actors.Red.capabilty": 0.3,
            "model.rationality": True,
            "actors.Blue.capability": "0.3",
            "actors.Green.capability": 1.0,
        })
    problems = info.value.problems
    assert [p.path for p in problems] == [
        "actors.Red.capabilty", "model.rationality", "actors.Blue.capability",
        "actors.Green.capability",
    ]
    assert "did you mean 'actors.Red.capability'?" in problems[0].message
    assert problems[1].message == "must be a number, got boolean true"
    assert problems[2].message == "must be a number, got string '0.3'"


def test_with_overrides_checks_consistency_like_a_file(toy: Scenario) -> None:
    with pytest.raises(ScenarioError) as info:
        toy.with_overrides({"actors.Red.demands.withdrawal.ideal": 0.9})
    (problem,) = info.value.problems
    assert problem.path == "actors.Red.red_lines[0]"
    assert "own ideal point on 'withdrawal' (0.9) violates this red line" in problem.message


def test_without_observed(toy: Scenario) -> None:
    bare = toy.without_observed()
    assert bare.observed == () and toy.observed
    assert dataclasses.replace(bare, observed=toy.observed) == toy
    assert parse_scenario(bare.to_toml()) == bare


# ---- TOML round trip -----------------------------------------------------------------
@pytest.mark.parametrize("name", FIXTURES)
def test_round_trip(name: str) -> None:
    s = load_scenario(DATA / name)
    text = s.to_toml()
    again = parse_scenario(text, origin="again.toml")
    assert again == s
    assert again.to_toml() == text
    assert again.fingerprint() == s.fingerprint()
    assert again.to_dict() == s.to_dict()


def test_round_trip_of_awkward_strings() -> None:
    base = load_scenario(DATA / "minimal.toml")
    awkward = 'quote "inside", back\\slash, tab\t, newline\nand unicode: \u00e9\u4e2d \U0001f600'
    raw = base.to_dict()
    raw["description"] = awkward
    raw["actors"]["A"]["name"] = awkward
    raw["issues"]["x"]["status_quo"]["assumption"] = awkward
    import tomli_w

    s = parse_scenario(tomli_w.dumps(raw))
    assert s.description == awkward and s.actor("A").name == awkward
    assert parse_scenario(s.to_toml()) == s


def test_to_dict_shape(toy: Scenario) -> None:
    d = toy.to_dict()
    assert list(d) == ["schema_version", "id", "title", "description", "sources", "issues",
                       "actors", "model", "commitments", "timeline", "observed", "uncertainty"]
    assert d["actors"]["Ally"]["backs"]["Blue"]["support"]["source"] == "brief"
    assert d["timeline"][1]["end"].isoformat() == "2020-01-13"
    assert d["uncertainty"][2] == {"parameter": "model.rationality", "distribution": "normal",
                                   "mean": 5.0, "sd": 2.0,
                                   "assumption": "a wide spread around the default"}
    assert "observed" not in toy.without_observed().to_dict()


def test_to_toml_writes_sourced_numbers_inline(toy: Scenario) -> None:
    text = toy.to_toml()
    assert 'capability = { value = 0.6, source = "brief", quote = "Red is the stronger side"' \
        in text
    assert "[[timeline]]" in text and "[actors.Ally.backs.Blue]" in text


def test_fingerprint_is_stable_across_processes(toy: Scenario) -> None:
    code = ("from negsim.scenario import load_scenario; "
            f"print(load_scenario({str(DATA / 'toy.toml')!r}).fingerprint())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PYTHONHASHSEED": "123", "PATH": ""})
    assert out.stdout.strip() == toy.fingerprint()
    assert len(toy.fingerprint()) == 64 and int(toy.fingerprint(), 16) >= 0


_PROPERTY_BASE = load_scenario(DATA / "toy.toml")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_valid_overrides_round_trip(data: st.DataObject) -> None:
    s = _PROPERTY_BASE
    paths = data.draw(st.lists(st.sampled_from(s.parameter_paths()), min_size=1, max_size=6,
                               unique=True))
    overrides = {}
    for path in paths:
        lo, hi = s.parameter_bounds(path)
        overrides[path] = data.draw(
            st.floats(min_value=lo, max_value=min(hi, 1e12), allow_nan=False,
                      allow_infinity=False), label=path,
        )
    try:
        new = s.with_overrides(overrides)
    except ScenarioError as err:
        # Only consistency rules may reject values inside the bounds: an ideal point
        # across the actor's own red line, or an uncertainty range that no longer fits.
        assert all("red line" in p.message or p.path.startswith("uncertainty")
                   for p in err.problems), str(err)
        assume(False)
        return
    for path, value in overrides.items():
        assert new.get(path) == value
    again = parse_scenario(new.to_toml())
    assert again == new
    assert again.fingerprint() == new.fingerprint()


# ---- loading -------------------------------------------------------------------------
def test_load_accepts_str_and_pathlike(toy: Scenario) -> None:
    assert load_scenario(str(DATA / "toy.toml")) == toy
    assert load_scenario(DATA / "toy.toml").origin == str(DATA / "toy.toml")


def test_load_unknown_name_lists_builtins() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("libya-2021")
    message = str(info.value)
    assert message.startswith("libya-2021: no such file, and not a built-in scenario")
    assert "built-in scenarios: " in message
    for name in scenarios():
        assert name in message


def test_load_directory_and_type_errors(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="is a directory"):
        load_scenario(tmp_path)
    with pytest.raises(TypeError):
        load_scenario(42)  # type: ignore[arg-type]


def test_scenarios_lists_package_data() -> None:
    names = scenarios()
    assert names == sorted(names)
    assert all(not n.endswith(".toml") for n in names)


def test_builtin_libya_round_trips() -> None:
    if "libya-2020" not in scenarios():
        pytest.skip("the built-in libya-2020 scenario is not there yet")
    s = load_scenario("libya-2020")
    assert s.origin == "builtin:libya-2020"
    assert s.actor_ids == ("GNA", "LNA", "Russia", "Turkey", "Egypt", "UAE")
    assert parse_scenario(s.to_toml()) == s
    for path in s.parameter_paths():
        lo, hi = s.parameter_bounds(path)
        assert lo <= s.get(path) <= hi


def test_sourced_and_provenance_basics() -> None:
    p = Provenance(source="s", quote="q", note="n")
    assert p.describe() == 's: "q" (n)' and not p.is_assumption
    assert Sourced(1.0, p) == Sourced(1.0, Provenance(source="s", quote="q", note="n"))
    assert hash(Sourced(1.0, p)) == hash(Sourced(1.0, p))
