"""Sweeps: an ensemble at each point of a grid of parameter values, and its summary.

:func:`sweep` repeats an ensemble at several values of one or more parameters, with common
random numbers, and returns one tidy DataFrame; :func:`sweep_summary` summarises it point by
point and :func:`sweep_parameters` names its swept columns.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from negsim.ensemble.columns import require_columns
from negsim.ensemble.executors import Executor
from negsim.ensemble.simulation import (
    DEFAULT_CHUNK_SIZE,
    EnsembleJob,
    check_count,
    executor_scope,
    resolve_scenario,
    run_jobs,
)
from negsim.ensemble.store import open_store
from negsim.ensemble.summary import wilson_interval
from negsim.scenario import OUTCOMES

__all__ = ["sweep", "sweep_parameters", "sweep_points", "sweep_summary"]


def sweep_points(parameters: Mapping[str, Sequence[float]], grid: bool) -> list[tuple[float, ...]]:
    """Return the points of a sweep: one tuple of values (in the dict's order) per point.

    Parameters
    ----------
    parameters : dict
        Parameter path -> list of finite values.
    grid : bool
        True: every combination (the last parameter varying fastest). False: the lists
        zipped (they must have equal lengths).

    Raises
    ------
    ValueError
        If a list is empty or not a list, a value is not finite, or zipped lists differ in
        length.

    Examples
    --------
    >>> sweep_points({"a": [1, 2], "b": [10, 20]}, grid=True)
    [(1.0, 10.0), (1.0, 20.0), (2.0, 10.0), (2.0, 20.0)]
    >>> sweep_points({"a": [1, 2], "b": [10, 20]}, grid=False)
    [(1.0, 10.0), (2.0, 20.0)]
    """
    if not isinstance(parameters, Mapping) or not parameters:
        raise ValueError("parameters must be a non-empty dict of path -> list of values")
    lists = []
    for path, values in parameters.items():
        if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
            raise ValueError(f"sweep: values of {path!r} must be a list, got {values!r}")
        vals = [float(v) for v in values]
        if not vals:
            raise ValueError(f"sweep: no values given for {path!r}")
        if not all(math.isfinite(v) for v in vals):
            raise ValueError(f"sweep: values of {path!r} must be finite numbers, got {vals}")
        lists.append(vals)
    if grid:
        return list(itertools.product(*lists))
    lengths = {len(v) for v in lists}
    if len(lengths) != 1:
        raise ValueError(
            "sweep with grid=False zips the value lists, which must have equal lengths; got "
            + ", ".join(f"{p}: {len(v)}" for p, v in zip(parameters, lists, strict=True))
        )
    return list(zip(*lists, strict=True))


def sweep(
    scenario: Any,
    parameters: Mapping[str, Sequence[float]],
    runs: int = 1_000,
    seed: int = 0,
    grid: bool = True,
    *,
    executor: Executor | None = None,
    processes: int | None = None,
    chunk_size: int | None = None,
    results_dir: str | os.PathLike[str] | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Simulate an ensemble at each point of a parameter sweep.

    Every point uses the same root seed and run indices (common random numbers), so runs
    differ between points only through the swept values: differences between points are
    not sampling noise of independent draws. A swept parameter takes the swept value in
    every run, even if the scenario gives it an uncertainty distribution
    (:meth:`Scenario.with_overrides` pins it); the other uncertain parameters are sampled as
    usual, with the same values at every point.

    Parameters
    ----------
    scenario : Scenario, str or path
    parameters : dict
        Dotted parameter path (as in ``Scenario.with_overrides``) -> list of values.
    runs, seed : int
        Runs per point and root seed.
    grid : bool
        True: every combination of the values (in the dict's order, the last parameter
        varying fastest). False: zip the lists (which must have equal lengths).
    executor, processes, chunk_size, progress
        As in :func:`simulate`; the chunks of all points are sent to the executor together.
    results_dir : path, optional
        Each point's chunks go to ``results_dir/point-<i>`` (resumable as in
        :func:`simulate`).

    Returns
    -------
    pandas.DataFrame
        Tidy: one row per (point, run). Columns ``point``, then one column per swept path
        holding its value at the point, then the columns of :func:`simulate`'s runs.

    Examples
    --------
    >>> df = sweep("libya-2020", {"model.rationality": [1.0, 8.0]}, runs=50, seed=2)
    >>> df.groupby("point")["model.rationality"].first().tolist()
    [1.0, 8.0]
    >>> len(df)
    100
    """
    sc = resolve_scenario(scenario)
    runs = check_count("runs", runs, 1)
    seed = check_count("seed", seed, 0)
    chunk = check_count("chunk_size", DEFAULT_CHUNK_SIZE if chunk_size is None else chunk_size, 1)
    paths = [str(p) for p in parameters] if isinstance(parameters, Mapping) else []
    points = sweep_points(parameters, grid)
    jobs = []
    for i, values in enumerate(points):
        overrides = dict(zip(paths, values, strict=True))
        try:
            variant = sc.with_overrides(overrides)
        except (ValueError, KeyError) as err:
            raise ValueError(f"sweep point {i} {overrides}: {err}") from err
        directory = None if results_dir is None else Path(results_dir) / f"point-{i}"
        store = open_store(variant, seed, runs, chunk, directory)
        jobs.append(EnsembleJob(variant, seed, runs, chunk, store))
    with executor_scope(executor, processes) as ex:
        frames, _ = run_jobs(jobs, ex, progress, desc=f"{sc.id} sweep")
    out = []
    for i, (values, df) in enumerate(zip(points, frames, strict=True)):
        head = pd.DataFrame({"point": np.full(len(df), i, dtype=np.int64)})
        for path, value in zip(paths, values, strict=True):
            head[path] = np.full(len(df), value, dtype=float)
        out.append(pd.concat([head, df], axis=1))
    result = pd.concat(out, ignore_index=True)
    result.attrs["sweep"] = {
        "parameters": paths, "grid": bool(grid), "runs": runs, "seed": seed,
        "scenario_id": sc.id, "scenario_fingerprint": sc.fingerprint(),
    }
    return result


def sweep_parameters(df: pd.DataFrame) -> list[str]:
    """Return the swept parameter columns of a :func:`sweep` DataFrame.

    They are the columns between ``point`` and ``run``.


    Examples
    --------
    >>> sweep_parameters(pd.DataFrame(columns=["point", "model.rationality", "run", "seed"]))
    ['model.rationality']
    """
    cols = [str(c) for c in df.columns]
    if "point" not in cols or "run" not in cols or cols.index("point") > cols.index("run"):
        raise ValueError("not a sweep DataFrame: expected columns 'point', swept values, 'run'")
    return cols[cols.index("point") + 1 : cols.index("run")]


def sweep_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per sweep point: outcome probabilities and the probability the text holds.

    Parameters
    ----------
    df : pandas.DataFrame
        A :func:`sweep` result.

    Returns
    -------
    pandas.DataFrame
        One row per point: ``point``, the swept values, ``runs``, then for each outcome
        ``outcome.<category>`` with ``outcome.<category>.low`` / ``.high`` (Wilson 95%),
        and ``holds_probability`` with ``holds_probability.low`` / ``.high``.

    Examples
    --------
    >>> df = pd.DataFrame({"point": [0, 0, 1, 1], "x": [0.0, 0.0, 1.0, 1.0],
    ...                    "run": [0, 1, 0, 1], "holds": [False, False, True, False],
    ...                    "outcome": ["no_agreement"] * 2 + ["signed_and_holds",
    ...                                                      "partial_signature"]})
    >>> sweep_summary(df)[["point", "x", "holds_probability"]]
       point    x  holds_probability
    0      0  0.0                0.0
    1      1  1.0                0.5
    """
    params = sweep_parameters(df)
    require_columns(df, "outcome", "holds")
    rows = []
    for point, g in df.groupby("point", sort=True):
        n = len(g)
        row: dict[str, Any] = {"point": int(point)}
        for p in params:
            row[p] = float(g[p].iloc[0])
        row["runs"] = n
        counts = g["outcome"].astype(str).value_counts()
        for o in OUTCOMES:
            k = int(counts.get(o, 0))
            lo, hi = wilson_interval(k, n)
            row[f"outcome.{o}"] = k / n
            row[f"outcome.{o}.low"] = lo
            row[f"outcome.{o}.high"] = hi
        k = int(g["holds"].to_numpy(dtype=bool).sum())
        lo, hi = wilson_interval(k, n)
        row["holds_probability"] = k / n
        row["holds_probability.low"] = lo
        row["holds_probability.high"] = hi
        rows.append(row)
    return pd.DataFrame(rows)
