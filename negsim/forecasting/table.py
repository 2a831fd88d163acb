"""The input of a forecast: tables of actors, their checks, and :class:`ForecastError`.

A forecast reads, per issue, a table with one row per actor and the columns ``actor``,
``capability``, ``position`` and ``salience`` (:func:`actor_tables`), from a plain table or
from every issue of a scenario. :func:`check_arrays` and :func:`number_array` are the checks
every public forecasting function applies to its numbers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "MAX_ACTORS",
    "MAX_NUMBER",
    "ForecastError",
    "actor_tables",
    "check_arrays",
    "number_array",
]

_COLUMNS = ("actor", "capability", "position", "salience")
_TABLE_ISSUE = "issue"

#: Most actors in one forecast. A round of the expected-utility model takes time and memory
#: that grow with the square of the actors (about a second and 400 MB at 1,000 actors).
MAX_ACTORS = 1_000
#: Largest absolute position or capability (so that sums of weighted positions stay finite).
MAX_NUMBER = 1e12


class ForecastError(ValueError):
    """Bad input to a forecasting function (the message says what and where).

    Examples
    --------
    >>> from negsim import forecast
    >>> forecast({"actor": ["A"], "capability": [1], "position": [0.5], "salience": [1]},
    ...          model="poll")
    Traceback (most recent call last):
    ...
    negsim.forecasting.table.ForecastError: unknown model 'poll' (choose one of 'eu', ...)
    >>> issubclass(ForecastError, ValueError)
    True
    """


def number_array(values: Any, name: str, actors: Sequence[str] | None = None) -> np.ndarray:
    """Return ``values`` as a one-dimensional float array, or name the entry that is not a number.

    Parameters
    ----------
    values : sequence of float
        One entry per actor.
    name : str
        What the values are (``"position"``, ...), for the error message.
    actors : sequence of str, optional
        Actor names, to name the offending entry by actor rather than by index.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ForecastError
        If an entry is not a number or the values are not one-dimensional.

    Examples
    --------
    >>> number_array([0, 1.5], "position").tolist()
    [0.0, 1.5]
    >>> number_array([0, "x"], "position", actors=["A", "B"])
    Traceback (most recent call last):
    ...
    negsim.forecasting.table.ForecastError: position of actor 'B' is not a number: 'x'
    >>> number_array([0, 10**400], "position", actors=["A", "B"])
    Traceback (most recent call last):
    ...
    negsim.forecasting.table.ForecastError: position of actor 'B' is too large ...: 401 digits
    """
    raw = np.asarray(values) if not isinstance(values, np.ndarray) else values
    if raw.dtype == bool or raw.dtype == object:
        flat = raw.ravel().tolist() if raw.ndim else [raw.item()]
        for k, v in enumerate(flat):
            if isinstance(v, bool | np.bool_):
                who = f"actor {actors[k]!r}" if actors is not None and k < len(actors) \
                    else f"entry {k}"
                raise ForecastError(f"{name} of {who} is a boolean ({str(bool(v)).lower()}), "
                                    "not a number")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError, OverflowError):
        arr = None
    if arr is None or arr.ndim != 1:
        # find the offending entry for the message
        seq = list(values) if isinstance(values, Iterable) else [values]
        for k, v in enumerate(seq):
            who = f"actor {actors[k]!r}" if actors is not None else f"entry {k}"
            try:
                float(v)
            except (TypeError, ValueError):
                raise ForecastError(f"{name} of {who} is not a number: {v!r}") from None
            except OverflowError:  # an integer of hundreds of digits
                raise ForecastError(f"{name} of {who} is too large for a float: "
                                    f"{len(str(v))} digits") from None
        raise ForecastError(f"{name} must be a one-dimensional sequence of numbers")
    return arr


def check_arrays(
    positions: Any, capability: Any, salience: Any, actors: Sequence[str] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check the positions, capabilities and saliences of a set of actors.

    Every entry must be a finite number, capabilities non-negative, saliences in [0, 1],
    the three sequences of the same non-zero length, and the total weight (capability x
    salience) positive.

    Parameters
    ----------
    positions, capability, salience : sequence of float
        One entry per actor.
    actors : sequence of str, optional
        Actor names, to name the offending actor in error messages.

    Returns
    -------
    x, c, s : numpy.ndarray
        The three as float arrays.

    Raises
    ------
    ForecastError
        Naming the first offending entry.

    Examples
    --------
    >>> x, c, s = check_arrays([0, 1], [1, 2], [1, 0.5])
    >>> (c * s).tolist()
    [1.0, 1.0]
    >>> check_arrays([0, 1], [1, 1], [1, 90], actors=["A", "B"])
    Traceback (most recent call last):
    ...
    negsim.forecasting.table.ForecastError: salience of actor 'B' is 90.0, outside [0, 1] ...
    """
    x = number_array(positions, "position", actors)
    c = number_array(capability, "capability", actors)
    s = number_array(salience, "salience", actors)
    if not (x.size == c.size == s.size):
        raise ForecastError(
            f"positions, capability and salience must have the same length "
            f"(got {x.size}, {c.size}, {s.size})"
        )
    if x.size == 0:
        raise ForecastError("no actors: positions, capability and salience are empty")
    if x.size > MAX_ACTORS:
        raise ForecastError(
            f"{x.size:,} actors: forecasts are limited to {MAX_ACTORS:,} actors (a round of the "
            "expected-utility model takes time and memory growing with the square of the "
            "actors); merge actors with the same position, or forecast a sample"
        )

    def who(k: int) -> str:
        return f"actor {actors[k]!r}" if actors is not None else f"entry {k}"

    for name, arr in (("position", x), ("capability", c), ("salience", s)):
        bad = np.flatnonzero(~np.isfinite(arr))
        if bad.size:
            raise ForecastError(f"{name} of {who(int(bad[0]))} is {arr[bad[0]]} (must be finite)")
    for name, arr in (("position", x), ("capability", c)):
        bad = np.flatnonzero(np.abs(arr) > MAX_NUMBER)
        if bad.size:
            raise ForecastError(f"{name} of {who(int(bad[0]))} is {arr[bad[0]]:g}: positions and "
                                f"capabilities must be at most {MAX_NUMBER:g} in absolute value")
    bad = np.flatnonzero(c < 0)
    if bad.size:
        raise ForecastError(f"capability of {who(int(bad[0]))} is negative ({c[bad[0]]})")
    bad = np.flatnonzero((s < 0) | (s > 1))
    if bad.size:
        raise ForecastError(
            f"salience of {who(int(bad[0]))} is {s[bad[0]]}, outside [0, 1] "
            "(divide 0-100 scores by 100)"
        )
    if not np.sum(c * s) > 0:
        raise ForecastError(
            "the total weight (capability x salience) is zero: nobody has influence"
        )
    return x, c, s


def _table(data: Any, issue: str) -> pd.DataFrame:
    """Validate a table for one issue; returns actor (str), capability, position, salience."""
    where = "" if issue == _TABLE_ISSUE else f" (issue {issue!r})"
    if isinstance(data, pd.DataFrame):
        df = data
    elif isinstance(data, Mapping):
        try:
            df = pd.DataFrame(dict(data))
        except ValueError as exc:
            raise ForecastError(f"cannot read the table{where}: {exc}") from None
    elif isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        if not all(isinstance(r, Mapping) for r in data):
            raise ForecastError(
                f"a list table{where} must hold records (mappings) with keys "
                + ", ".join(_COLUMNS)
            )
        df = pd.DataFrame(list(data))
    else:
        raise ForecastError(
            "forecast() takes a Scenario, a scenario name or path, a pandas DataFrame, or a "
            f"mapping / list of records with columns {', '.join(_COLUMNS)}; "
            f"got {type(data).__name__}"
        )
    columns = [str(col) for col in df.columns]
    for col in _COLUMNS:
        if columns.count(col) > 1 or f"{col}.1" in columns:
            raise ForecastError(f"column {col!r} appears twice{where} (found: "
                                f"{', '.join(columns)})")
    missing = [col for col in _COLUMNS if col not in df.columns]
    if missing:
        found = ", ".join(map(str, df.columns)) or "none"
        raise ForecastError(
            f"missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(map(repr, missing))}{where} (found: {found})"
        )
    if len(df) == 0:
        raise ForecastError(f"the table{where} has no rows")
    actors = df["actor"]
    if actors.isna().any():
        raise ForecastError(f"column 'actor'{where} has a missing name in row "
                            f"{int(np.flatnonzero(actors.isna().to_numpy())[0])}")
    names = [str(a) for a in actors]
    seen: set[str] = set()
    folded: dict[str, str] = {}
    for name in names:
        if name in seen:
            raise ForecastError(f"actor {name!r} appears twice{where}")
        seen.add(name)
        key = " ".join(name.split()).casefold()
        if key in folded:
            raise ForecastError(f"actors {folded[key]!r} and {name!r} differ only by case or "
                                f"whitespace{where}: each actor must appear once")
        folded[key] = name
    try:
        x, c, s = check_arrays(df["position"].to_numpy(), df["capability"].to_numpy(),
                                df["salience"].to_numpy(), names)
    except ForecastError as exc:
        raise ForecastError(f"{exc}{where}") from None
    return pd.DataFrame({"actor": names, "capability": c, "position": x, "salience": s})


def _scenario_tables(scenario: Any, issue: str | None) -> tuple[list[tuple[str, pd.DataFrame]],
                                                                 dict[str, str]]:
    ids = [str(i.id) for i in scenario.issues]
    if issue is not None:
        if issue not in ids:
            raise ForecastError(
                f"unknown issue {issue!r} (issues: {', '.join(ids) or 'none'})"
            )
        ids = [issue]
    tables: list[tuple[str, pd.DataFrame]] = []
    skipped: dict[str, str] = {}
    for iid in ids:
        rows = []
        for actor in scenario.actors:
            demand = actor.demand(iid)
            if demand is None:
                continue
            rows.append({
                "actor": str(actor.id),
                "capability": float(actor.capability.value),
                "position": float(demand.ideal.value),
                "salience": float(demand.salience.value),
            })
        if not rows:
            reason = "no actor has a demand on it"
        elif not sum(r["capability"] * r["salience"] for r in rows) > 0:
            reason = "the actors with a demand on it have no weight (capability x salience)"
        else:
            tables.append((iid, _table(rows, iid)))
            continue
        if issue is not None:
            raise ForecastError(f"cannot forecast issue {iid!r}: {reason}")
        skipped[iid] = reason
    if not tables:
        raise ForecastError("no issue of the scenario can be forecast: "
                            + "; ".join(f"{k}: {v}" for k, v in skipped.items()))
    return tables, skipped


def actor_tables(data: Any, issue: str | None = None
                 ) -> tuple[list[tuple[str, pd.DataFrame]], dict[str, str]]:
    """Read and check the actor table of every issue to forecast.

    Parameters
    ----------
    data : Scenario, str, path, DataFrame, mapping or list of records
        A negsim Scenario (or a built-in scenario name / TOML path): one table per issue,
        from the actors with a demand on it (position = ideal point, salience, capability).
        Or a table for one issue with columns ``actor, capability, position, salience``.
    issue : str, optional
        For a scenario, read only this issue; for a table, the label of its issue (default
        ``"issue"``).

    Returns
    -------
    tables : list of (str, pandas.DataFrame)
        Issue id and table (columns ``actor`` (str), ``capability``, ``position``,
        ``salience``), in the scenario's issue order.
    skipped : dict of str to str
        Issues of a scenario that cannot be forecast (nobody has weight on them), with the
        reason.

    Raises
    ------
    ForecastError
        Naming what is wrong and where.

    Examples
    --------
    >>> tables, skipped = actor_tables({"actor": ["A", "B"], "capability": [1, 2],
    ...                                 "position": [0, 1], "salience": [1, 0.5]})
    >>> [iid for iid, _ in tables], skipped
    (['issue'], {})
    >>> tables[0][1]
      actor  capability  position  salience
    0     A         1.0       0.0       1.0
    1     B         2.0       1.0       0.5
    """
    if isinstance(data, (str, os.PathLike)):
        from negsim.scenario import load_scenario

        data = load_scenario(data)
    skipped: dict[str, str] = {}
    if hasattr(data, "issues") and hasattr(data, "actors"):
        tables, skipped = _scenario_tables(data, issue)
    else:
        label = _TABLE_ISSUE if issue is None else issue
        tables = [(label, _table(data, label))]
    return tables, skipped
