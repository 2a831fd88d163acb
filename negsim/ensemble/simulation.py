"""Simulate an ensemble: many runs of a scenario, computed in chunks by an executor.

:func:`simulate` plays ``runs`` runs of a scenario with the vectorised engine
(:func:`negsim.sim.engine.simulate_runs`) and returns an
:class:`~negsim.ensemble.result.EnsembleResult`. This module also holds what
:func:`simulate` and :func:`negsim.ensemble.sweeps.sweep` share: the argument checks
(:func:`resolve_scenario`, :func:`check_count`), the executor a call uses
(:func:`executor_scope`) and the computing of jobs chunk by chunk (:class:`EnsembleJob`,
:func:`run_jobs`).

Reproducibility: run ``i`` of root seed ``s`` draws all its randomness from
``numpy.random.default_rng(SeedSequence([s, i]))``. The runs are computed in chunks of
consecutive run indices (``chunk_size``) by an executor (:mod:`negsim.ensemble.executors`)
and put back in run order, so the DataFrame is the same whatever the executor, the number
of processes or the chunk size, and whether or not it was resumed from a results directory
(:mod:`negsim.ensemble.store`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from negsim.ensemble.executors import (
    ChunkTask,
    Executor,
    ProcessExecutor,
    SerialExecutor,
    run_chunk,
)
from negsim.ensemble.progress import ProgressBar
from negsim.ensemble.provenance import versions
from negsim.ensemble.result import EnsembleResult
from negsim.ensemble.store import ChunkStore, open_store
from negsim.scenario import Scenario, load_scenario
from negsim.sim.results import FrozenMap

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "EnsembleJob",
    "check_count",
    "executor_scope",
    "resolve_scenario",
    "run_jobs",
    "simulate",
]

#: Runs per chunk when ``chunk_size`` is not given (independent of the number of processes).
DEFAULT_CHUNK_SIZE = 5_000


def resolve_scenario(scenario: Any) -> Scenario:
    """Return the scenario a call names: a Scenario as is, a name or path loaded.

    Parameters
    ----------
    scenario : Scenario, str or path
        A scenario, the name of a built-in scenario or a TOML file.

    Raises
    ------
    TypeError
        If ``scenario`` is none of these.

    Examples
    --------
    >>> resolve_scenario("libya-2020").id
    'libya-2020'
    >>> resolve_scenario(42)
    Traceback (most recent call last):
    ...
    TypeError: expected a Scenario, a built-in scenario name or a path, got <class 'int'>
    """
    if isinstance(scenario, str | os.PathLike):
        return load_scenario(os.fspath(scenario))
    if not callable(getattr(scenario, "fingerprint", None)):
        raise TypeError(
            f"expected a Scenario, a built-in scenario name or a path, got {type(scenario)!r}"
        )
    return scenario


def check_count(name: str, value: Any, minimum: int) -> int:
    """Return ``value`` as an int if it is an integer (not a bool) of at least ``minimum``.

    Raises
    ------
    TypeError
        If ``value`` is not an integer.
    ValueError
        If it is below ``minimum``.

    Examples
    --------
    >>> check_count("runs", 10, 1)
    10
    >>> check_count("runs", 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: runs must be at least 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


@dataclass(frozen=True)
class EnsembleJob:
    """One ensemble to compute: ``runs`` runs of ``scenario`` and ``seed``, in chunks.

    Attributes
    ----------
    scenario : Scenario
    seed : int
        Root seed.
    runs : int
        Number of runs (run indices ``0 .. runs - 1``).
    chunk_size : int
        Runs per chunk (the last chunk may be shorter).
    store : ChunkStore or None
        Where finished chunks are written and read back from.

    Examples
    --------
    >>> job = EnsembleJob(resolve_scenario("libya-2020"), seed=1, runs=12, chunk_size=5,
    ...                   store=None)
    >>> job.chunks()
    [(0, 5), (5, 10), (10, 12)]
    """

    scenario: Any
    seed: int
    runs: int
    chunk_size: int
    store: ChunkStore | None

    def chunks(self) -> list[tuple[int, int]]:
        """Return the chunks' ``(start, stop)`` run indices, in run order."""
        return [(a, min(a + self.chunk_size, self.runs))
                for a in range(0, self.runs, self.chunk_size)]


@contextmanager
def executor_scope(executor: Executor | None, processes: int | None) -> Iterator[Executor]:
    """Yield the executor to use; one made here (from ``processes``) is closed at the end.

    Parameters
    ----------
    executor : Executor, optional
        Used as is, and not closed (it belongs to the caller).
    processes : int, optional
        Without ``executor``: a :class:`~negsim.ensemble.executors.ProcessExecutor` with this
        many processes if more than 1, else a serial executor.

    Raises
    ------
    ValueError
        If both are given.

    Examples
    --------
    >>> with executor_scope(None, 1) as ex:
    ...     ex.name
    'serial'
    >>> with executor_scope(None, 2) as ex:
    ...     ex.name
    'process(2)'
    """
    if executor is not None:
        if processes is not None:
            raise ValueError("give either executor or processes, not both")
        if not isinstance(executor, Executor):
            raise TypeError(
                f"executor must implement negsim.ensemble.executors.Executor, got {executor!r}"
            )
        yield executor
        return
    if processes is not None:
        processes = check_count("processes", processes, 1)
    own: Executor = (
        ProcessExecutor(processes) if processes is not None and processes > 1 else SerialExecutor()
    )
    try:
        yield own
    finally:
        own.close()


def run_jobs(jobs: Sequence[EnsembleJob], executor: Executor, progress: bool,
             desc: str = "negsim") -> tuple[list[pd.DataFrame], list[int]]:
    """Compute (or read back) every chunk of every job; return each job's runs in order.

    The chunks of all jobs are sent to the executor together; a chunk already in its job's
    store is read back instead, and a chunk computed is written to it as soon as it is done.

    Parameters
    ----------
    jobs : sequence of EnsembleJob
    executor : Executor
    progress : bool
        Show a progress bar on stderr (only when stderr is a terminal).
    desc : str
        The progress bar's label.

    Returns
    -------
    frames : list of pandas.DataFrame
        Each job's runs, in run order.
    resumed : list of int
        Each job's number of chunks read back from its store.

    Examples
    --------
    >>> sc = resolve_scenario("libya-2020")
    >>> jobs = [EnsembleJob(sc, seed, runs=6, chunk_size=4, store=None) for seed in (1, 2)]
    >>> frames, resumed = run_jobs(jobs, SerialExecutor(), progress=False)
    >>> [f["run"].tolist() for f in frames], resumed
    ([[0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5]], [0, 0])
    """
    done: list[dict[int, pd.DataFrame]] = [{} for _ in jobs]
    resumed = [0 for _ in jobs]
    todo: list[tuple[int, int, int]] = []
    n_done = 0
    for j, job in enumerate(jobs):
        for start, stop in job.chunks():
            if job.store is not None and job.store.has(start, stop):
                done[j][start] = job.store.read(start, stop)
                resumed[j] += 1
                n_done += stop - start
            else:
                todo.append((j, start, stop))
    bar = ProgressBar(sum(job.runs for job in jobs), desc, enabled=progress, initial=n_done)
    tasks = [ChunkTask(jobs[j].scenario, jobs[j].seed, start, stop) for j, start, stop in todo]
    try:
        for i, df in executor.map_unordered(run_chunk, tasks):
            j, start, stop = todo[i]
            store = jobs[j].store
            if store is not None:
                store.write(start, stop, df)
            done[j][start] = df
            bar.update(stop - start)
    finally:
        bar.close()
    frames = []
    for j, job in enumerate(jobs):
        parts = [done[j][start] for start, _ in job.chunks()]
        df = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        if len(parts) == 1:
            df = df.reset_index(drop=True)
        if job.store is not None and job.store.columns is not None:
            df = df.astype(job.store.dtypes())
        frames.append(df)
    return frames, resumed


def simulate(
    scenario: Any,
    runs: int = 10_000,
    seed: int = 0,
    *,
    executor: Executor | None = None,
    processes: int | None = None,
    chunk_size: int | None = None,
    results_dir: str | os.PathLike[str] | None = None,
    progress: bool = False,
) -> EnsembleResult:
    """Simulate an ensemble of runs of a scenario.

    Parameters
    ----------
    scenario : Scenario, str or path
        A scenario, the name of a built-in scenario (e.g. ``"libya-2020"``) or a TOML file.
    runs : int
        Number of runs (run indices ``0 .. runs - 1``).
    seed : int
        Root seed; run ``i`` uses ``SeedSequence([seed, i])``.
    executor : Executor, optional
        Where to compute the chunks (:mod:`negsim.ensemble.executors`); default serial. Not closed
        here: the caller owns it.
    processes : int, optional
        Shortcut for ``executor=ProcessExecutor(processes)`` (closed at the end); 1 or
        None means serial.
    chunk_size : int, optional
        Runs per task (default :data:`DEFAULT_CHUNK_SIZE`). The results do not depend on it.
    results_dir : path, optional
        Write finished chunks here and read them back on a rerun with the same arguments
        (see :mod:`negsim.ensemble.store`). Raises
        :class:`~negsim.ensemble.store.ResultsDirectoryError` if the directory holds a
        different ensemble.
    progress : bool
        Show a progress bar on stderr (only when stderr is a terminal).

    Returns
    -------
    EnsembleResult

    Examples
    --------
    >>> res = simulate("libya-2020", runs=200, seed=1)
    >>> res.n_runs, list(res.runs["run"][:3])
    (200, [0, 1, 2])
    >>> s = res.summary()
    >>> round(sum(s.to_dict()["outcomes"].values()), 12)
    1.0
    """
    sc = resolve_scenario(scenario)
    runs = check_count("runs", runs, 1)
    seed = check_count("seed", seed, 0)
    chunk = check_count("chunk_size", DEFAULT_CHUNK_SIZE if chunk_size is None else chunk_size, 1)
    store = open_store(sc, seed, runs, chunk, results_dir)
    t0 = time.perf_counter()
    with executor_scope(executor, processes) as ex:
        frames, resumed = run_jobs([EnsembleJob(sc, seed, runs, chunk, store)], ex, progress,
                                   desc=sc.id)
        name = ex.name
    return _result(sc, seed, frames[0], name, chunk, resumed[0], time.perf_counter() - t0,
                   results_dir)


def _result(sc: Any, seed: int, df: pd.DataFrame, executor: str, chunk: int, resumed: int,
            elapsed: float, results_dir: str | os.PathLike[str] | None) -> EnsembleResult:
    fingerprint = sc.fingerprint()
    metadata = FrozenMap({
        "seed": seed,
        "scenario_id": sc.id,
        "scenario_fingerprint": fingerprint,
        "parameters": tuple(u.parameter for u in sc.uncertainty),
        "versions": FrozenMap(versions()),
        "executor": executor,
        "chunk_size": chunk,
        "resumed_chunks": resumed,
        "elapsed_seconds": elapsed,
        "results_dir": None if results_dir is None else os.fspath(results_dir),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    })
    return EnsembleResult(runs=df, scenario_id=sc.id, scenario_fingerprint=fingerprint,
                          seed=seed, n_runs=len(df), metadata=metadata, scenario=sc)

