"""Problems with a scenario, the errors that carry them, and the helpers for their messages.

Everything wrong in a scenario file is a :class:`Problem` (file, dotted field, message);
a :class:`ScenarioError` carries all of them at once, one line per problem::

    my.toml: actors.LNA.demands.tarhuna.salience: must be in [0, 1], got 1.7

The helpers below format the parts of those messages the same way everywhere.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Problem",
    "ScenarioError",
    "ScenarioKeyError",
    "describe_value",
    "did_you_mean",
    "format_number",
    "scenario_error",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scenario file.

    Parameters
    ----------
    origin : str
        The file (or ``builtin:NAME``, ``<string>``) the problem is in.
    path : str
        The dotted field, e.g. ``actors.LNA.capability``; empty for the whole file.
    message : str
        What is wrong.
    line, column : int or None
        Position in the file, when known (TOML syntax errors).

    Examples
    --------
    >>> str(Problem("my.toml", "actors.LNA.capability", "must be >= 0, got -1"))
    'my.toml: actors.LNA.capability: must be >= 0, got -1'
    >>> str(Problem("my.toml", "", "TOML syntax error: invalid value", line=3, column=7))
    'my.toml: line 3, column 7: TOML syntax error: invalid value'
    """

    origin: str
    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.origin]
        if self.line is not None:
            parts.append(
                f"line {self.line}" + (f", column {self.column}" if self.column else "")
            )
        if self.path:
            parts.append(self.path)
        parts.append(self.message)
        return ": ".join(parts)


class ScenarioError(ValueError):
    """A scenario (file, override or lookup) is invalid; ``problems`` lists every problem.

    ``str(error)`` has one line per problem, each naming the file and the dotted field.

    Examples
    --------
    >>> err = ScenarioError([Problem("a.toml", "id", "missing required field")])
    >>> print(err)
    a.toml: id: missing required field
    >>> err.problems[0].path
    'id'
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problems,))


class ScenarioKeyError(ScenarioError, KeyError):
    """An unknown actor, issue, commitment or parameter path was looked up.

    It is both a :class:`ScenarioError` (a :class:`ValueError`) and a :class:`KeyError`.

    Examples
    --------
    >>> err = ScenarioKeyError([Problem("a.toml", "", "unknown actor 'X'")])
    >>> isinstance(err, KeyError), isinstance(err, ValueError), str(err)
    (True, True, "a.toml: unknown actor 'X'")
    """


def scenario_error(origin: str, path: str, message: str) -> ScenarioError:
    """Return a :class:`ScenarioError` with a single problem.

    Parameters
    ----------
    origin : str
        The file (or ``builtin:NAME``, ``<string>``) the problem is in.
    path : str
        The dotted field; empty for the whole file.
    message : str
        What is wrong.

    Returns
    -------
    ScenarioError
        The error, to be raised.

    Examples
    --------
    >>> print(scenario_error("my.toml", "", "is a directory, not a scenario file"))
    my.toml: is a directory, not a scenario file
    """
    return ScenarioError([Problem(origin, path, message)])


def format_number(x: float) -> str:
    """Format a number for a message: integers without ``.0``.

    Parameters
    ----------
    x : float
        The number.

    Returns
    -------
    str
        ``str(x)``, except that an integral float is written as an integer.

    Examples
    --------
    >>> format_number(1.0), format_number(0.25), format_number(3)
    ('1', '0.25', '3')
    """
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return str(x)


def did_you_mean(key: str, options: Iterable[str]) -> str:
    """Return ``"; did you mean 'X'?"`` for the closest option to ``key``, or ``""``.

    Parameters
    ----------
    key : str
        What was written.
    options : iterable of str
        What could have been meant.

    Returns
    -------
    str
        The hint, to be appended to a message, or an empty string if nothing is close.

    Examples
    --------
    >>> did_you_mean("capabilty", ["capability", "demands"])
    "; did you mean 'capability'?"
    >>> did_you_mean("xyz", ["capability"])
    ''
    """
    close = difflib.get_close_matches(str(key), list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _type_name(x: object) -> str:
    if isinstance(x, bool):
        return "boolean"
    if isinstance(x, int):
        return "integer"
    if isinstance(x, float):
        return "float"
    if isinstance(x, str):
        return "string"
    if isinstance(x, dict):
        return "table"
    if isinstance(x, list | tuple):
        return "array"
    if isinstance(x, _dt.datetime):
        return "date-time"
    if isinstance(x, _dt.date):
        return "date"
    if isinstance(x, _dt.time):
        return "time"
    return type(x).__name__


def describe_value(x: object) -> str:
    """Describe a value's TOML type and a short rendering, for messages.

    Parameters
    ----------
    x : object
        A value from a parsed TOML file (or an override).

    Returns
    -------
    str
        E.g. ``integer 3``, ``string 'abc'``, ``a table`` or ``an array``.

    Examples
    --------
    >>> describe_value(3), describe_value("abc"), describe_value(True), describe_value([1])
    ('integer 3', "string 'abc'", 'boolean true', 'an array')
    """
    name = _type_name(x)
    if isinstance(x, bool):
        return f"boolean {'true' if x else 'false'}"
    if isinstance(x, str):
        shown = x if len(x) <= 40 else x[:37] + "..."
        return f"string {shown!r}"
    if isinstance(x, int | float | _dt.date | _dt.time):
        return f"{name} {x}"
    if isinstance(x, dict):
        return "a table"
    if isinstance(x, list | tuple):
        return "an array"
    return name
