"""Loading scenarios: the built-in ones by name, files by path, and TOML text.

Files are data: they are parsed with :mod:`tomllib` and never evaluated, executed or
unpickled. A TOML syntax error becomes a :class:`~negsim.scenario.errors.Problem` naming
the line and, where it can be told, the dotted field (e.g. a key set twice).
"""

from __future__ import annotations

import importlib.resources
import os
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from negsim.scenario.document import Scenario, build_scenario
from negsim.scenario.errors import Problem, ScenarioError, did_you_mean, scenario_error
from negsim.scenario.limits import MAX_FILE_BYTES, MAX_NESTING, check_nesting, read_limited
from negsim.scenario.vocabulary import BARE_KEY_RE

__all__ = ["load_scenario", "parse_scenario", "scenarios"]

_BUILTIN_PREFIX = "builtin:"


def _builtin_dir() -> Any:
    return importlib.resources.files("negsim").joinpath("data", "scenarios")


def scenarios() -> list[str]:
    """Names of the built-in scenarios, sorted.

    Examples
    --------
    >>> isinstance(scenarios(), list)
    True
    """
    try:
        entries = list(_builtin_dir().iterdir())
    except (FileNotFoundError, NotADirectoryError):  # pragma: no cover - broken install
        return []
    return sorted(e.name[: -len(".toml")] for e in entries if e.name.endswith(".toml"))


def load_scenario(name_or_path: str | os.PathLike[str]) -> Scenario:
    """Load a built-in scenario by name (e.g. ``"libya-2020"``) or a scenario file.

    A string that is the name of a built-in scenario loads it from the package data;
    anything else is a path to a TOML file.

    Raises
    ------
    ScenarioError
        If the file cannot be read (the message lists the built-in names) or is invalid.

    Examples
    --------
    >>> load_scenario("no-such-scenario")
    Traceback (most recent call last):
    ...
    negsim.scenario.errors.ScenarioError: no-such-scenario: no such file, and not a built-in ...
    """
    if isinstance(name_or_path, str) and name_or_path in scenarios():
        resource = _builtin_dir().joinpath(f"{name_or_path}.toml")
        return parse_scenario(resource.read_text(encoding="utf-8"),
                              origin=f"{_BUILTIN_PREFIX}{name_or_path}")
    if not isinstance(name_or_path, str | os.PathLike):
        raise TypeError(
            f"load_scenario expects a scenario name or a path, got {type(name_or_path)!r}"
        )
    path = Path(name_or_path)
    origin = os.fspath(name_or_path)
    try:
        data = read_limited(path, origin)
    except FileNotFoundError:
        names = scenarios()
        hint = did_you_mean(path.stem if path.suffix == ".toml" else origin, names)
        raise scenario_error(
            origin, "",
            f"no such file, and not a built-in scenario{hint} "
            f"(built-in scenarios: {', '.join(names) or 'none'})",
        ) from None
    except IsADirectoryError:
        raise scenario_error(origin, "", "is a directory, not a scenario file") from None
    except OSError as err:
        raise scenario_error(origin, "", f"cannot read the file: {err.strerror or err}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise scenario_error(
            origin, "", f"not a UTF-8 text file (undecodable byte at offset {err.start}); "
            "TOML files must be UTF-8"
        ) from None
    return parse_scenario(text, origin=origin)


def parse_scenario(text: str, origin: str = "<string>") -> Scenario:
    """Parse and validate a scenario from TOML text.

    Parameters
    ----------
    text : str
        The TOML document.
    origin : str
        Where the text came from, used in error messages.

    Raises
    ------
    ScenarioError
        With every problem found in the text.

    Examples
    --------
    >>> parse_scenario("id = 3", "bad.toml")
    Traceback (most recent call last):
    ...
    negsim.scenario.errors.ScenarioError: bad.toml: schema_version: missing required field
    bad.toml: title: missing required field
    ...
    bad.toml: id: must be a string, got integer 3
    >>> parse_scenario("x = [1,", "bad.toml")
    Traceback (most recent call last):
    ...
    negsim.scenario.errors.ScenarioError: bad.toml: TOML syntax error: Invalid value (at the end ...
    """
    if len(text) > MAX_FILE_BYTES:
        raise scenario_error(origin, "", f"the text has {len(text):,} characters; scenario files "
                             f"are limited to {MAX_FILE_BYTES:,} bytes")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError([_syntax_problem(err, text, origin)]) from None
    except RecursionError:
        raise scenario_error(origin, "", f"arrays and tables nest more than {MAX_NESTING} deep "
                             "(a scenario needs at most 7 levels)") from None
    check_nesting(data, origin)
    return build_scenario(data, origin)


# --------------------------------------------------------------------------------------
# TOML syntax errors
# --------------------------------------------------------------------------------------
_POS_RE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")
_HEADER_RE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY_RE = re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
                     r"(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=")
_SINGULAR = {"actors": "actor", "issues": "issue", "sources": "source",
             "commitments": "commitment"}


def _dotted(parts: Iterable[str]) -> str:
    return ".".join(p if BARE_KEY_RE.match(p) else '"' + p + '"' for p in parts)


def _split_key(key: str) -> list[str]:
    parts = re.findall(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)", key)
    return [next(x for x in p if x) if any(p) else "" for p in parts]


def _syntax_problem(err: tomllib.TOMLDecodeError, text: str, origin: str) -> Problem:
    msg = str(err)
    m = _POS_RE.search(msg)
    line = int(m.group(1)) if m and m.group(1) else None
    column = int(m.group(2)) if m and m.group(2) else None
    base = msg[: m.start()] if m else msg
    where = "" if line is not None else " (at the end of the file)"
    declared = re.match(r"Cannot declare \((.*)\) twice", base)
    if declared:
        keys = [a or b for a, b in re.findall(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"",
                                              declared.group(1))]
        path = _dotted(keys)
        if len(keys) == 2 and keys[0] in _SINGULAR:
            message = (f"duplicate {_SINGULAR[keys[0]]} id {keys[1]!r}: [{path}] is declared "
                       f"twice (each {_SINGULAR[keys[0]]} id must be unique)")
        else:
            message = f"table [{path}] is declared twice"
        return Problem(origin, path, message + where, line)
    if base.startswith("Cannot overwrite a value") and line is not None:
        lines = text.splitlines()
        header = ""
        counts: dict[str, int] = {}
        for raw in lines[: line - 1]:
            hm = _HEADER_RE.match(raw)
            if hm:
                header = _dotted(_split_key(hm.group(1)))
                if raw.lstrip().startswith("[["):  # array of tables: name the element
                    counts[header] = counts.get(header, -1) + 1
                    header = f"{header}[{counts[header]}]"
        km = _KEY_RE.match(lines[line - 1]) if line - 1 < len(lines) else None
        if km:
            key = _dotted(_split_key(km.group(1)))
            return Problem(
                origin, f"{header}.{key}" if header else key,
                "is set twice (or clashes with a table of the same name): each key may be "
                "defined only once",
                line,
            )
    dup_inline = re.match(r"Duplicate inline table key '(.*)'", base)
    if dup_inline:
        return Problem(origin, "", f"key {dup_inline.group(1)!r} appears twice in an inline "
                       "table", line, column)
    return Problem(origin, "", f"TOML syntax error: {base}{where}", line, column)
