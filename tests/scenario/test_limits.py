"""Issue 16: bad and oversized scenario files get a clear ScenarioError, never a crash."""

from __future__ import annotations

import importlib.resources
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

import negsim
from negsim.scenario import ScenarioError, load_scenario, parse_scenario
from negsim.scenario.document import build_scenario
from negsim.scenario.limits import (
    MAX_ACTORS,
    MAX_COMMITMENTS,
    MAX_FILE_BYTES,
    MAX_ISSUES,
    MAX_PLAYERS,
    MAX_TIMELINE,
)
from negsim.scenario.minimal import MINIMAL

LIBYA_TEXT = importlib.resources.files("negsim").joinpath(
    "data", "scenarios", "libya-2020.toml").read_text(encoding="utf-8")


def _libya() -> dict[str, Any]:
    return tomllib.loads(LIBYA_TEXT)


def _error(data: dict[str, Any]) -> str:
    with pytest.raises(ScenarioError) as err:
        build_scenario(data, "f.toml")
    return str(err.value)


def test_empty_sources_with_references_is_refused() -> None:
    data = _libya()
    n_refs = LIBYA_TEXT.count("source = \"")
    data["sources"] = {}
    msg = _error(data)
    lines = [m for m in msg.splitlines() if "unknown source" in m]
    assert len(lines) == n_refs
    assert all(m.startswith("f.toml: ") and ".source: unknown source" in m for m in lines)
    assert "(sources: none)" in lines[0]


def test_empty_sources_without_references_is_valid() -> None:
    text = MINIMAL.replace('[sources.doc]\ntitle = "A document"\n', "sources = {}\n")
    text = text.replace('source = "doc", quote = "A is as strong as B"', 'assumption = "equal"')
    assert parse_scenario(text, "f.toml").sources == ()


@pytest.mark.parametrize("opener,closer", [("[", "]"), ("{a = ", "}")])
@pytest.mark.parametrize("depth", [40, 500, 100_000])
def test_deep_nesting_is_refused(opener: str, closer: str, depth: int, tmp_path: Path) -> None:
    text = MINIMAL + "\n[extra]\nx = " + opener * depth + "1" * (opener == "{a = ") \
        + closer * depth + "\n"
    file = tmp_path / "deep.toml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"deep.toml: (extra: )?arrays and tables nest more "
                       r"than 32 deep"):
        load_scenario(file)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_device_is_refused() -> None:
    with pytest.raises(ScenarioError, match="^/dev/zero: not a regular file"):
        load_scenario("/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    with pytest.raises(ScenarioError, match="pipe.toml: not a regular file"):
        load_scenario(fifo)


def test_large_file_is_refused_with_its_size_and_the_limit(tmp_path: Path) -> None:
    file = tmp_path / "big.toml"
    with open(file, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ScenarioError, match=r"big.toml: the file is 10.0 MB; scenario files "
                       r"are limited to 10.0 MB \(10,000,000 bytes\)"):
        load_scenario(file)
    with pytest.raises(ScenarioError, match="limited to 10,000,000 bytes"):
        parse_scenario("#" * (MAX_FILE_BYTES + 1), "big.toml")


def _many_actors(n: int) -> dict[str, Any]:
    data = _libya()
    gna = data["actors"]["GNA"]
    for i in range(n - len(data["actors"])):
        data["actors"][f"X{i}"] = {**gna, "roles": ["third_party"]}
    return data


@pytest.mark.parametrize("n", [MAX_ACTORS + 1, 10_000])
def test_too_many_actors_refused_up_front(n: int) -> None:
    assert _error(_many_actors(n)) == (
        f"f.toml: actors: {n} actors; negsim is limited to {MAX_ACTORS} actors per scenario")


def test_actor_limit_is_allowed() -> None:
    s = build_scenario(_many_actors(MAX_ACTORS), "f.toml")
    assert len(s.actors) == MAX_ACTORS
    negsim.simulate(s, runs=4, seed=1)


@pytest.mark.parametrize("key,limit,what", [
    ("issues", MAX_ISSUES, "issues"),
    ("commitments", MAX_COMMITMENTS, "commitments"),
])
def test_too_many_issues_or_commitments(key: str, limit: int, what: str) -> None:
    data = _libya()
    first = next(iter(data[key].values()))
    for i in range(limit + 1 - len(data[key])):
        data[key][f"x{i}"] = first
    assert _error(data) == (f"f.toml: {key}: {limit + 1} {what}; negsim is limited to "
                            f"{limit} {what} per scenario")


def test_too_many_timeline_entries() -> None:
    data = _libya()
    data["timeline"] = data["timeline"] * (MAX_TIMELINE // len(data["timeline"]) + 1)
    n = len(data["timeline"])
    assert _error(data) == (f"f.toml: timeline: {n} timeline entries; negsim is limited to "
                            f"{MAX_TIMELINE} timeline entries per scenario")


def test_too_many_players_of_the_compliance_game() -> None:
    data = _libya()
    gna = data["actors"]["GNA"]
    for i in range(MAX_PLAYERS + 1 - 6):
        data["actors"][f"B{i}"] = gna
    msg = _error(data)
    assert msg.startswith(f"f.toml: actors: the compliance game has {MAX_PLAYERS + 1} players "
                          f"({MAX_PLAYERS + 1 - 4} belligerents and 4 patrons backing them); "
                          f"negsim is limited to {MAX_PLAYERS} players")


@pytest.mark.parametrize("mean,sd,field", [(1e300, 1e308, "mean"), (5.0, 1e308, "sd"),
                                           (-1e308, 1.0, "mean")])
def test_extreme_normal_uncertainty_is_refused(mean: float, sd: float, field: str) -> None:
    data = _libya()
    data["uncertainty"].append({"parameter": "model.rationality", "distribution": "normal",
                                "mean": mean, "sd": sd, "assumption": "x"})
    data["uncertainty"] = [u for u in data["uncertainty"][:-1]
                           if u["parameter"] != "model.rationality"] + data["uncertainty"][-1:]
    i = len(data["uncertainty"]) - 1
    msg = _error(data)
    assert f"f.toml: uncertainty[{i}].{field}: must be at most 1e+09 in absolute value" in msg


def test_wide_normal_within_the_limit_runs() -> None:
    data = _libya()
    data["uncertainty"] = [u for u in data["uncertainty"]
                           if u["parameter"] != "model.rationality"]
    data["uncertainty"].append({"parameter": "model.rationality", "distribution": "normal",
                                "mean": 1e9, "sd": 1e9, "assumption": "x"})
    s = parse_scenario(tomli_w.dumps(data), "f.toml")
    r = negsim.simulate(s, runs=20, seed=1)
    from negsim.plot.sweep import tornado_data

    tornado_data(r)


def test_tornado_skips_a_parameter_without_finite_values() -> None:
    """The ZeroDivisionError of issue 16: a sampled column of inf/nan left a group empty."""
    import numpy as np
    import pandas as pd

    from negsim.plot.sweep import tornado_data

    x = np.linspace(0.0, 1.0, 50)
    df = pd.DataFrame({"model.rationality": np.where(x > 0.3, np.inf, np.nan),
                       "model.decisiveness": x, "holds": x > 0.5})
    assert tornado_data(df)["parameter"].tolist() == ["model.decisiveness"]
