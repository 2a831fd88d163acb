"""Fuzzing scenario files (issue 16): mutations of the built-in scenario either load and run,
or are refused with a ScenarioError naming the file (and, for a changed field, the field).
Never another exception.

Two hypothesis tests, bounded so that together they take well under a minute:

- ``test_mutated_data``: 1 to 3 changes of the parsed TOML (a value of a wrong type, out of
  range or not finite, a huge integer or string; a deleted, added or unknown key; a dangling
  reference; an emptied section; many more actors), written back as TOML;
- ``test_mutated_bytes``: changes of the file's bytes (deep nesting of arrays or inline
  tables, bytes that are not UTF-8, other encodings, truncation, stray characters, a
  duplicated line, a file over the size limit).
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.resources
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import negsim
from negsim.scenario import Scenario, ScenarioError, load_scenario
from negsim.scenario.limits import MAX_FILE_BYTES

#: Examples per test and CI run (see the module docstring).
DATA_EXAMPLES = int(os.environ.get("NEGSIM_FUZZ_EXAMPLES", 400))
BYTES_EXAMPLES = int(os.environ.get("NEGSIM_FUZZ_EXAMPLES", 300))

LIBYA_TEXT = importlib.resources.files("negsim").joinpath(
    "data", "scenarios", "libya-2020.toml").read_text(encoding="utf-8")
LIBYA = tomllib.loads(LIBYA_TEXT)


def _paths(x: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(x, dict):
        for k, v in x.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(x, list):
        for i, v in enumerate(x):
            out += _paths(v, (*prefix, i))
    return out


PATHS = _paths(LIBYA)


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for k in path:
        data = data[k]
    return data


TABLE_PATHS = [()] + [p for p in PATHS if isinstance(_get(LIBYA, p), dict)]
NUMBER_PATHS = [p for p in PATHS if isinstance(_get(LIBYA, p), int | float)
                and not isinstance(_get(LIBYA, p), bool)]

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
VALUES = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, -1, 0.0, 0.5, 1.0, 2.0, -0.5, 1e9, 1e10, 1e308, -1e308, 5e-324]),
    _text,
    st.sampled_from(["GNA", "LNA", "Russia", "nosuch", "", "  ", r"$\notacommand$", "$$",
                     "mediated_round", "conference", "event", "normal", "uniform",
                     "triangular", "belligerent", "patron", "mediator", "x" * 100_000]),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(),
    st.lists(st.one_of(st.integers(-5, 5), _text, st.floats(-2, 2)), max_size=3),
    st.dictionaries(_text, st.one_of(st.integers(-5, 5), _text), max_size=2),
    st.just({}),
    st.just([]),
)


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, Any]:
    kind = draw(st.sampled_from(["set", "set", "number", "number", "delete", "unknown",
                                 "many_actors"]))
    if kind == "number":  # often valid: extreme but allowed values reach the engine
        value = draw(st.one_of(st.floats(0.0, 1.0), st.floats(0.0, 1e9),
                               st.sampled_from([0.0, 1.0, 5e-324, 1.0 - 2**-53, 1e9, 1e300])))
        return "set", (draw(st.sampled_from(NUMBER_PATHS)), value)
    if kind == "set":
        return kind, (draw(st.sampled_from(PATHS)), draw(VALUES))
    if kind == "delete":
        return kind, draw(st.sampled_from(PATHS))
    if kind == "unknown":
        return kind, (draw(st.sampled_from(TABLE_PATHS)), draw(_text), draw(VALUES))
    return kind, draw(st.integers(1, 60))


def _apply(data: dict[str, Any], kind: str, arg: Any) -> None:
    try:
        if kind == "set":
            path, value = arg
            _get(data, path[:-1])[path[-1]] = value
        elif kind == "delete":
            del _get(data, arg[:-1])[arg[-1]]
        elif kind == "unknown":
            path, key, value = arg
            _get(data, path)[key] = value
        else:
            gna = data["actors"]["GNA"] if isinstance(data.get("actors"), dict) \
                and "GNA" in data["actors"] else {}
            for i in range(arg):
                data.setdefault("actors", {})[f"Extra{i}"] = copy.deepcopy(gna)
    except (KeyError, IndexError, TypeError):
        pass  # an earlier change removed or replaced the place this one changes


def _check(file: Path, needs_field: bool, record: bool = True) -> None:
    """The property: load and run, or a ScenarioError naming the file (and a field)."""
    try:
        scenario = load_scenario(file)
    except ScenarioError as err:
        assert err.problems, "a ScenarioError without problems"
        for p in err.problems:
            assert p.origin == str(file), str(p)
            assert str(p).startswith(f"{file}: ") and p.message, str(p)
        if needs_field:
            assert any(p.path or p.line is not None for p in err.problems), str(err)
        if record:
            event("refused")
        return
    assert isinstance(scenario, Scenario)
    negsim.simulate(scenario, runs=3, seed=0)
    if record:
        event("valid, and runs")


@settings(max_examples=DATA_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(changes=st.lists(mutation(), min_size=1, max_size=3))
def test_mutated_data(changes: list[tuple[str, Any]], tmp_path: Path) -> None:
    data = copy.deepcopy(LIBYA)
    for kind, arg in changes:
        _apply(data, kind, arg)
    file = tmp_path / "fuzz.toml"
    file.write_text(tomli_w.dumps(data), encoding="utf-8")
    _check(file, needs_field=True)


@st.composite
def byte_mutation(draw: st.DrawFn) -> bytes:
    raw = LIBYA_TEXT.encode("utf-8")
    kind = draw(st.sampled_from(["deep", "deep", "bad_utf8", "encoding", "truncate", "insert",
                                 "duplicate_line", "huge"]))
    at = draw(st.integers(0, len(raw)))
    if kind == "deep":
        depth = draw(st.integers(1, 5000))
        opener, closer = draw(st.sampled_from([("[", "]"), ("{a = ", "}"), ("[{b = ", "}]")]))
        value = opener * depth + "1" + closer * depth
        where = draw(st.sampled_from(["top", "in_table"]))
        line = f"notes = {value}\n".encode()
        if where == "top":
            return line + raw
        return raw + b"\n[model.extra]\n" + line
    if kind == "bad_utf8":
        junk = draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x80", b"\xfe\xff",
                                     b"\x00"]))
        return raw[:at] + junk + raw[at:]
    if kind == "encoding":
        return LIBYA_TEXT.encode(draw(st.sampled_from(["utf-16", "utf-32", "latin-1",
                                                       "cp1252"])), errors="replace")
    if kind == "truncate":
        return raw[:at]
    if kind == "insert":
        snippet = draw(st.sampled_from(["[", "]", "{", "}", "=", '"', "'", "\n", "[[", "#",
                                        "\\", "\"\"\"", "x = 1\n", "[actors]\n", "inf", "nan"]))
        return raw[:at] + snippet.encode() + raw[at:]
    if kind == "duplicate_line":
        lines = raw.split(b"\n")
        i = at % len(lines)
        return b"\n".join(lines[: i + 1] + [lines[i]] + lines[i + 1:])
    return raw + b"\n" + b"#" * (MAX_FILE_BYTES - len(raw)) + b"\n"


@settings(max_examples=BYTES_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=byte_mutation())
def test_mutated_bytes(content: bytes, tmp_path: Path) -> None:
    file = tmp_path / "fuzz.toml"
    file.write_bytes(content)
    _check(file, needs_field=False)


@pytest.mark.parametrize("runs", [3])
def test_unmutated_scenario_runs(runs: int, tmp_path: Path) -> None:
    file = tmp_path / "fuzz.toml"
    file.write_text(tomli_w.dumps(LIBYA), encoding="utf-8")
    _check(file, needs_field=True, record=False)
