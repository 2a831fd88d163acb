"""Resource limits of scenario files, checked before any work is done.

A scenario file is read only if it is a regular file of at most :data:`MAX_FILE_BYTES`;
its TOML may nest arrays and tables at most :data:`MAX_NESTING` deep; and it may have at
most :data:`MAX_ACTORS` actors, :data:`MAX_ISSUES` issues, :data:`MAX_COMMITMENTS`
commitments, :data:`MAX_TIMELINE` timeline entries and :data:`MAX_PLAYERS` players of
the compliance game (belligerents and their patrons). The limits are stated, with their
reasons, in ``docs/reference/scenario-format.md``.
"""

from __future__ import annotations

import os
import stat
from typing import Any

from negsim.scenario.errors import Problem, ScenarioError, scenario_error

__all__ = [
    "MAX_ACTORS",
    "MAX_COMMITMENTS",
    "MAX_FILE_BYTES",
    "MAX_ISSUES",
    "MAX_NESTING",
    "MAX_PARAMETER",
    "MAX_PLAYERS",
    "MAX_TIMELINE",
    "check_nesting",
    "check_sizes",
    "read_limited",
]

#: Largest scenario file read, in bytes (10 MB).
MAX_FILE_BYTES = 10_000_000
#: Deepest nesting of arrays and tables (the format itself needs 7).
MAX_NESTING = 32
#: Most actors in a scenario: arrays of shape (runs, actors, actors) are kept per chunk.
MAX_ACTORS = 50
#: Most issues in a scenario.
MAX_ISSUES = 50
#: Most commitments in a scenario.
MAX_COMMITMENTS = 50
#: Most timeline entries in a scenario.
MAX_TIMELINE = 200
#: Most players (belligerents and patrons) of the compliance game, which has 2**players
#: action profiles: its payoffs for a chunk of 5,000 runs take 5,000 x 2**k x k x 8 bytes
#: (410 MB for 10 players, and more than twice that for each player more).
MAX_PLAYERS = 10
#: Largest absolute value of a distribution parameter (low, high, mode, mean, sd).
MAX_PARAMETER = 1e9


def _megabytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def read_limited(path: str | os.PathLike[str], origin: str) -> bytes:
    """Read a scenario file, refusing anything but a regular file of at most the limit.

    Parameters
    ----------
    path : str or path-like
        The file.
    origin : str
        The name used in error messages.

    Returns
    -------
    bytes
        The file's contents.

    Raises
    ------
    OSError
        If the file cannot be opened (missing, a directory, no permission).
    ScenarioError
        If it is not a regular file (a device such as ``/dev/zero``, a pipe, a socket)
        or is larger than :data:`MAX_FILE_BYTES`.

    Examples
    --------
    >>> read_limited("/dev/zero", "/dev/zero")
    Traceback (most recent call last):
    ...
    negsim.scenario.errors.ScenarioError: /dev/zero: not a regular file (a device, pipe ...
    """
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(path)
    if not stat.S_ISREG(st.st_mode):
        raise scenario_error(origin, "", "not a regular file (a device, pipe or socket); a "
                             "scenario must be a TOML file")
    limit = _megabytes(MAX_FILE_BYTES)
    if st.st_size > MAX_FILE_BYTES:
        raise scenario_error(origin, "", f"the file is {_megabytes(st.st_size)}; scenario "
                             f"files are limited to {limit} ({MAX_FILE_BYTES:,} bytes)")
    with open(path, "rb") as f:
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # the file grew while it was read
        raise scenario_error(origin, "", f"the file is larger than {limit}; scenario files "
                             f"are limited to {limit} ({MAX_FILE_BYTES:,} bytes)")
    return data


def check_nesting(data: object, origin: str) -> None:
    """Raise a :class:`ScenarioError` if arrays and tables nest deeper than the limit.

    The walk uses an explicit stack, so it does not recurse however deep the data is.

    Parameters
    ----------
    data : object
        Parsed TOML.
    origin : str
        The file, for the message.

    Examples
    --------
    >>> check_nesting({"a": [[1]]}, "ok.toml")
    >>> deep: list = []
    >>> for _ in range(40): deep = [deep]
    >>> check_nesting({"x": deep}, "deep.toml")
    Traceback (most recent call last):
    ...
    negsim.scenario.errors.ScenarioError: deep.toml: x: arrays and tables nest more than 32 ...
    """
    stack: list[tuple[object, int, str]] = [(data, 1, "")]
    while stack:
        x, depth, path = stack.pop()
        if depth > MAX_NESTING:
            raise scenario_error(origin, path.split("[")[0].split(".")[0],
                                 f"arrays and tables nest more than {MAX_NESTING} deep "
                                 "(a scenario needs at most 7 levels)")
        if isinstance(x, dict):
            stack.extend((v, depth + 1, f"{path}.{k}" if path else str(k)) for k, v in x.items())
        elif isinstance(x, list):
            stack.extend((v, depth + 1, f"{path}[{i}]") for i, v in enumerate(x))


def _count(data: dict[str, Any], key: str) -> int:
    x = data.get(key)
    return len(x) if isinstance(x, dict | list) else 0


def check_sizes(data: dict[str, Any], origin: str) -> None:
    """Raise a :class:`ScenarioError` if the scenario is larger than the limits allow.

    Counts actors, issues, commitments, timeline entries and the players of the
    compliance game (belligerents, and the other actors that back one of them) in the
    parsed TOML, before anything else is checked or computed.

    Parameters
    ----------
    data : dict
        Parsed TOML.
    origin : str
        The file, for the message.

    Examples
    --------
    >>> check_sizes({"actors": {f"A{i}": {} for i in range(60)}}, "big.toml")
    Traceback (most recent call last):
    ...
    negsim.scenario.errors.ScenarioError: big.toml: actors: 60 actors; negsim is limited to 50 ...
    """
    if not isinstance(data, dict):
        return
    problems: list[Problem] = []
    for key, what, limit in (("actors", "actors", MAX_ACTORS), ("issues", "issues", MAX_ISSUES),
                             ("commitments", "commitments", MAX_COMMITMENTS),
                             ("timeline", "timeline entries", MAX_TIMELINE)):
        n = _count(data, key)
        if n > limit:
            problems.append(Problem(origin, key, f"{n} {what}; negsim is limited to {limit} "
                                    f"{what} per scenario"))
    actors = data.get("actors")
    if isinstance(actors, dict) and not problems:
        bel = {a for a, v in actors.items() if isinstance(v, dict)
               and isinstance(v.get("roles"), list) and "belligerent" in v["roles"]}
        patrons = {a for a, v in actors.items() if a not in bel and isinstance(v, dict)
                   and isinstance(v.get("backs"), dict) and bel.intersection(v["backs"])}
        k = len(bel) + len(patrons)
        if k > MAX_PLAYERS:
            problems.append(Problem(
                origin, "actors", f"the compliance game has {k} players ({len(bel)} "
                f"belligerents and {len(patrons)} patrons backing them); negsim is limited to "
                f"{MAX_PLAYERS} players, because the game has 2**players action profiles "
                "(for more, merge actors that act together into one)"))
    if problems:
        raise ScenarioError(problems)
