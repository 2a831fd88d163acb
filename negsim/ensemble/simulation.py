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

import contextlib
import ctypes
import functools
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
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
from negsim.ensemble.output import RunsWriter
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
    "release_memory",
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


#: A function called with each job's chunks in run order: ``sink(job index, chunk)``. It
#: returns the part of the chunk to keep in memory (None: keep nothing).
ChunkSink = Callable[[int, pd.DataFrame], "pd.DataFrame | None"]


def run_jobs(jobs: Sequence[EnsembleJob], executor: Executor, progress: bool,
             desc: str = "negsim", sink: ChunkSink | None = None,
             ) -> tuple[list[pd.DataFrame], list[int]]:
    """Compute (or read back) every chunk of every job; return each job's runs in order.

    The chunks of all jobs are sent to the executor together; a chunk already in its job's
    store is read back instead (when its turn comes, so that stored chunks are not all held
    at once), and a chunk computed is written to it as soon as it is done. The stores are
    locked while the jobs run (:meth:`~negsim.ensemble.store.ChunkStore.locked`).

    Parameters
    ----------
    jobs : sequence of EnsembleJob
    executor : Executor
    progress : bool
        Show a progress bar on stderr (only when stderr is a terminal).
    desc : str
        The progress bar's label.
    sink : callable, optional
        Called as ``sink(j, chunk)`` with each chunk of job ``j`` in run order, as soon as
        the chunks before it are done (e.g. to stream them to a file); what it returns is
        kept in memory instead of the chunk (None: nothing). Categorical columns of the
        kept parts are joined with :func:`pandas.api.types.union_categoricals`.

    Returns
    -------
    frames : list of pandas.DataFrame
        Each job's runs (what ``sink`` kept of them), in run order.
    resumed : list of int
        Each job's number of chunks read back from its store.

    Examples
    --------
    >>> sc = resolve_scenario("libya-2020")
    >>> jobs = [EnsembleJob(sc, seed, runs=6, chunk_size=4, store=None) for seed in (1, 2)]
    >>> frames, resumed = run_jobs(jobs, SerialExecutor(), progress=False)
    >>> [f["run"].tolist() for f in frames], resumed
    ([[0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5]], [0, 0])
    >>> seen = []
    >>> frames, _ = run_jobs(jobs[:1], SerialExecutor(), progress=False,
    ...                      sink=lambda j, df: seen.append(len(df)) or df[["run"]])
    >>> seen, frames[0].columns.tolist()
    ([4, 2], ['run'])
    """
    with contextlib.ExitStack() as locks:
        for job in jobs:
            if job.store is not None:
                locks.enter_context(job.store.locked())
        return _run_jobs(jobs, executor, progress, desc, sink)


def _run_jobs(jobs: Sequence[EnsembleJob], executor: Executor, progress: bool, desc: str,
              sink: ChunkSink | None) -> tuple[list[pd.DataFrame], list[int]]:
    kept: list[list[pd.DataFrame]] = [[] for _ in jobs]
    joined = [0 for _ in jobs]  # kept[j][:joined[j]] are joined parts
    waiting: list[dict[int, pd.DataFrame]] = [{} for _ in jobs]
    order = [job.chunks() for job in jobs]
    position = [0 for _ in jobs]
    resumed = [0 for _ in jobs]
    todo: list[tuple[int, int, int]] = []
    n_done = 0
    for j, job in enumerate(jobs):
        for start, stop in order[j]:
            if job.store is not None and job.store.has(start, stop):
                resumed[j] += 1
                n_done += stop - start
            else:
                todo.append((j, start, stop))

    def flush(j: int) -> None:
        job = jobs[j]
        while position[j] < len(order[j]):
            start, stop = order[j][position[j]]
            df = waiting[j].pop(start, None)
            if df is None:
                if job.store is None or not job.store.has(start, stop):
                    return
                df = job.store.read(start, stop)
            part = df if sink is None else sink(j, df)
            if part is not None:
                kept[j].append(part)
                if sink is not None and len(kept[j]) - joined[j] >= _JOIN_EVERY:
                    # join the latest parts: each part's columns cost ~3 kB of pandas
                    # objects, more than a small part's values
                    kept[j][joined[j]:] = [_concat(kept[j][joined[j]:])]
                    joined[j] += 1
            position[j] += 1

    bar = ProgressBar(sum(job.runs for job in jobs), desc, enabled=progress, initial=n_done)
    tasks = [ChunkTask(jobs[j].scenario, jobs[j].seed, start, stop) for j, start, stop in todo]
    try:
        for j in range(len(jobs)):
            flush(j)
        for i, df in executor.map_unordered(run_chunk, tasks):
            j, start, stop = todo[i]
            store = jobs[j].store
            if store is not None:
                store.write(start, stop, df)
            waiting[j][start] = df
            bar.update(stop - start)
            flush(j)
    finally:
        bar.close()
    frames = []
    for j, job in enumerate(jobs):
        df = _concat(kept[j])
        if sink is None and job.store is not None and job.store.columns is not None:
            df = df.astype(job.store.dtypes())
        frames.append(df)
    return frames, resumed


#: How many kept parts of a streamed job (a ``sink``) are joined into one as they come.
_JOIN_EVERY = 16


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame()
    if len(parts) == 1:
        return parts[0].reset_index(drop=True)
    cats = [c for c, d in parts[0].dtypes.items() if isinstance(d, pd.CategoricalDtype)]
    if not cats:
        return pd.concat(parts, ignore_index=True)
    data = {}
    for col in parts[0].columns:
        if col in cats:
            data[col] = pd.api.types.union_categoricals([p[col] for p in parts])
        else:
            data[col] = pd.concat([p[col] for p in parts], ignore_index=True)
    return pd.DataFrame(data)


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
    writer: RunsWriter | None = None,
    keep_columns: Callable[[pd.DataFrame], Sequence[str]] | Sequence[str] | None = None,
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
    writer : RunsWriter, optional
        Stream the runs to a file (:class:`~negsim.ensemble.output.RunsWriter`) chunk by
        chunk, in run order, while the ensemble runs. Not closed here: the caller closes it
        (or, if this raises, aborts it, which leaves the chunks written in a readable file).
    keep_columns : list of str, or callable, optional
        Keep only these columns of the runs in memory (a callable is given the first chunk
        and returns the names), with their text columns as ``category``: the result's
        ``runs`` then holds only them. With ``writer``, memory then grows by a few bytes a
        run instead of about a kilobyte.

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

    Streamed to a Parquet file, keeping only what the summary needs:

    >>> import tempfile
    >>> from negsim.ensemble.columns import summary_columns
    >>> w = RunsWriter(tempfile.mkdtemp(), "runs", "parquet")
    >>> slim = simulate("libya-2020", runs=200, seed=1, writer=w, keep_columns=summary_columns)
    >>> path = w.close()
    >>> slim.summary() == s, pd.read_parquet(path).equals(res.runs)
    (True, True)
    """
    sc = resolve_scenario(scenario)
    runs = check_count("runs", runs, 1)
    seed = check_count("seed", seed, 0)
    chunk = check_count("chunk_size", DEFAULT_CHUNK_SIZE if chunk_size is None else chunk_size, 1)
    store = open_store(sc, seed, runs, chunk, results_dir)
    t0 = time.perf_counter()
    sink = None if writer is None and keep_columns is None else _Sink(writer, keep_columns)
    with executor_scope(executor, processes) as ex:
        frames, resumed = run_jobs([EnsembleJob(sc, seed, runs, chunk, store)], ex, progress,
                                   desc=sc.id, sink=sink)
        name = ex.name
    return _result(sc, seed, frames[0], name, chunk, resumed[0], time.perf_counter() - t0,
                   results_dir)


class _Sink:
    """Write each chunk to ``writer``; keep ``keep_columns`` of it (text as categories)."""

    def __init__(self, writer: RunsWriter | None,
                 keep: Callable[[pd.DataFrame], Sequence[str]] | Sequence[str] | None) -> None:
        self.writer = writer
        self.keep = keep
        self.columns: list[str] | None = None

    def __call__(self, j: int, df: pd.DataFrame) -> pd.DataFrame:
        if self.writer is not None:
            self.writer.write(df)
        _release_arrow_memory()
        if self.keep is None:
            return df
        if self.columns is None:
            cols = self.keep(df) if callable(self.keep) else self.keep
            self.columns = [str(c) for c in cols]
        return _compact(df[self.columns])


def _compact(part: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``part`` owning its memory: text as ``category``, booleans as bits.

    Boolean columns become pyarrow-backed (``bool[pyarrow]``: one bit a value instead of a
    byte; the same values, and joined without a copy); a plain ``astype`` would keep views
    into the whole chunk for the columns it leaves alone, holding every chunk in memory.
    """
    data: dict[str, Any] = {}
    for col, dtype in part.dtypes.items():
        values = part[col]
        if pd.api.types.is_bool_dtype(dtype) and not isinstance(dtype, pd.ArrowDtype):
            data[str(col)] = pd.array(values.to_numpy(dtype=bool), dtype="bool[pyarrow]")
        elif pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            data[str(col)] = values.to_numpy(copy=True)
        elif isinstance(dtype, pd.CategoricalDtype):
            data[str(col)] = values.array.copy()
        else:
            data[str(col)] = pd.Categorical(values)
    return pd.DataFrame(data, columns=list(map(str, part.columns)), copy=False)


def _release_arrow_memory() -> None:
    """Give memory freed since the last chunk back to the system.

    pyarrow's allocator (mimalloc) and glibc's ``malloc`` keep freed memory for reuse,
    which makes a streamed ensemble's resident memory creep up with the number of chunks.
    """
    release_memory()


def release_memory() -> None:
    """Return freed memory to the system: pyarrow's pool, and glibc's heap on Linux.

    Examples
    --------
    >>> release_memory()
    """
    pa = sys.modules.get("pyarrow")
    if pa is not None:
        pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return None


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

