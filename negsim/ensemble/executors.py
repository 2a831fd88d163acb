"""Where the chunks of an ensemble are computed: in this process, a process pool or Dask.

An ensemble of ``N`` runs is cut into chunks of consecutive run indices; every chunk is one
task, ``(scenario, seed, start, stop)``, computed by :func:`run_chunk` with the vectorised
engine. Because run ``i`` of root seed ``s`` draws its randomness from
``SeedSequence([s, i])`` only, chunks can be computed anywhere, in any order, and the
reassembled runs are the same whatever executor computed them.

An executor is any object with a ``name`` and two methods (see :class:`Executor`):
``map_unordered(fn, tasks)``, which yields ``(task index, result)`` pairs as tasks finish,
and ``close()``. Three are provided:

* :class:`SerialExecutor`: in this process, in order (the default);
* :class:`ProcessExecutor`: a :class:`concurrent.futures.ProcessPoolExecutor` on this
  machine, started with the ``spawn`` method (what Mesa selects, and safe with threads);
* :class:`DaskExecutor`: a ``distributed.Client`` (optional extra ``negsim[dask]``), on a
  local cluster or a remote one given by its scheduler's address.

Tasks are always whole chunks, never single runs, so the per-task overhead (pickling the
scenario, sending back a DataFrame) is paid once per few thousand runs.

Examples
--------
>>> def square(x):
...     return x * x
>>> with SerialExecutor() as ex:
...     sorted(ex.map_unordered(square, [1, 2, 3]))
[(0, 1), (1, 4), (2, 9)]
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar, runtime_checkable

import numpy as np

from negsim.sim.engine import simulate_runs

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from negsim.scenario import Scenario

__all__ = [
    "ChunkTask",
    "DaskExecutor",
    "Executor",
    "ProcessExecutor",
    "SerialExecutor",
    "exit_with_parent",
    "run_chunk",
    "usable_cpus",
]

T = TypeVar("T")
R = TypeVar("R")


@runtime_checkable
class Executor(Protocol):
    """What :func:`negsim.ensemble.simulation.simulate` needs from an executor.

    Attributes
    ----------
    name : str
        A short description recorded in the results' metadata, e.g. ``"process(2)"``.

    Examples
    --------
    Any object with a ``name``, ``map_unordered`` and ``close`` is an executor:

    >>> class Inline:
    ...     name = "inline"
    ...     def map_unordered(self, fn, tasks):
    ...         for i, task in enumerate(tasks):
    ...             yield i, fn(task)
    ...     def close(self):
    ...         pass
    >>> isinstance(Inline(), Executor)
    True
    >>> from negsim.ensemble import simulate
    >>> simulate("libya-2020", runs=20, seed=1, executor=Inline()).metadata["executor"]
    'inline'
    """

    name: str

    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[tuple[int, R]]:
        """Apply ``fn`` to every task; yield ``(index in tasks, result)`` as each finishes.

        ``fn`` is a module-level function and the tasks are picklable, so that they can be
        sent to other processes or machines. An exception raised by a task propagates to
        the caller, and tasks not yet started are cancelled.
        """
        ...  # pragma: no cover

    def close(self) -> None:
        """Release the executor's workers (it may not be used afterwards)."""
        ...  # pragma: no cover


def usable_cpus() -> int:
    """Return the number of CPUs this process may run on (its affinity, else the count).

    ``negsim --processes`` is capped at this number: more workers than CPUs only add
    start-up time, and the results are the same whatever the number of processes.

    Examples
    --------
    >>> 1 <= usable_cpus() <= (os.cpu_count() or 1)
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


class _ContextManager:
    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()  # type: ignore[attr-defined]


class SerialExecutor(_ContextManager):
    """Run the tasks one after the other in this process, in order.

    Examples
    --------
    >>> list(SerialExecutor().map_unordered(len, ["ab", "c"]))
    [(0, 2), (1, 1)]
    """

    name = "serial"

    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[tuple[int, R]]:
        """Yield ``(i, fn(tasks[i]))`` for ``i = 0, 1, ...``."""
        for i, task in enumerate(tasks):
            yield i, fn(task)

    def close(self) -> None:
        """Nothing to release."""

    def __repr__(self) -> str:
        return "SerialExecutor()"


class ProcessExecutor(_ContextManager):
    """Run the tasks in a pool of worker processes on this machine.

    The pool is started on first use with the ``spawn`` start method and reused until
    :meth:`close` (or the end of a ``with`` block), so a sweep pays the start-up cost of
    the workers (importing numpy, pandas and negsim: about a second) only once. As with any
    ``spawn`` pool, a script that uses it must guard its entry point with
    ``if __name__ == "__main__":``.

    Parameters
    ----------
    processes : int, optional
        Number of worker processes (default: :func:`usable_cpus`).

    Examples
    --------
    >>> ex = ProcessExecutor(2)
    >>> ex.name
    'process(2)'
    >>> ex.close()
    """

    def __init__(self, processes: int | None = None) -> None:
        if processes is None:
            processes = usable_cpus()
        if isinstance(processes, bool) or not isinstance(processes, int | np.integer):
            raise TypeError(f"processes must be an integer, got {processes!r}")
        if processes < 1:
            raise ValueError(f"processes must be at least 1, got {processes}")
        self.processes = int(processes)
        self.name = f"process({self.processes})"
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._closed:
            raise RuntimeError("this ProcessExecutor has been closed")
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.processes, mp_context=multiprocessing.get_context("spawn"),
                initializer=exit_with_parent, initargs=(os.getpid(),),
            )
        return self._pool

    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[tuple[int, R]]:
        """Submit every task to the pool; yield ``(index, result)`` as they complete."""
        if not tasks:
            return
        pool = self._get_pool()
        index: dict[Future[R], int] = {pool.submit(fn, t): i for i, t in enumerate(tasks)}
        pending = set(index)
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in sorted(done, key=index.__getitem__):
                    yield index[fut], fut.result()
        finally:
            for fut in pending:
                fut.cancel()

    def close(self) -> None:
        """Shut the pool down, cancelling tasks that have not started."""
        self._closed = True
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __repr__(self) -> str:
        return f"ProcessExecutor({self.processes})"


def exit_with_parent(parent: int, interval: float = 0.5) -> None:
    """Make this (worker) process exit when process ``parent`` dies.

    The initializer of :class:`ProcessExecutor`'s workers, so that killing the parent (even
    with ``SIGKILL``, which runs no clean-up) does not leave idle workers behind. On Linux
    the kernel sends ``SIGKILL`` when the parent dies (``prctl(PR_SET_PDEATHSIG)``);
    everywhere, a daemon thread checks every ``interval`` seconds that the parent is still
    this process's parent, and ends the process if not.

    Examples
    --------
    >>> import multiprocessing, os
    >>> ctx = multiprocessing.get_context("spawn")
    >>> with ctx.Pool(1, initializer=exit_with_parent, initargs=(os.getpid(),)) as pool:
    ...     pool.apply(os.getppid) == os.getpid()
    True
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="negsim-exit-with-parent", daemon=True).start()


class DaskExecutor(_ContextManager):
    """Run the tasks on a Dask cluster through a ``distributed.Client``.

    Needs the optional dependency ``distributed`` (``pip install "negsim[dask]"``), and
    negsim installed on the workers. The client is not closed by :meth:`close`: it belongs
    to the caller.

    Parameters
    ----------
    client : distributed.Client
        A connected client: ``Client("tcp://scheduler:8786")`` for a running cluster (its
        scheduler's address), or ``Client(LocalCluster(...))`` for one on this machine.

    Raises
    ------
    ImportError
        If ``distributed`` is not installed.

    Examples
    --------
    On a cluster, given by its scheduler's address (not run here: it needs the cluster):

    >>> from distributed import Client  # doctest: +SKIP
    >>> from negsim.ensemble import simulate  # doctest: +SKIP
    >>> with Client("tcp://scheduler:8786") as client:  # doctest: +SKIP
    ...     res = simulate("libya-2020", runs=1_000_000, seed=1, executor=DaskExecutor(client))

    Anything but a connected client is refused (with ``ImportError`` when ``distributed``
    is not installed, ``TypeError`` when it is):

    >>> try:
    ...     DaskExecutor(object())
    ... except (ImportError, TypeError):
    ...     print("refused")
    refused
    """

    def __init__(self, client: Any) -> None:
        self._distributed = _import_distributed()
        if not hasattr(client, "map") or not hasattr(client, "submit"):
            raise TypeError(f"DaskExecutor needs a distributed.Client, got {client!r}")
        self.client = client
        address = getattr(getattr(client, "scheduler", None), "address", None)
        self.name = f"dask({address})" if address else "dask"

    def map_unordered(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[tuple[int, R]]:
        """Map the tasks on the cluster; yield ``(index, result)`` as they complete."""
        if not tasks:
            return
        futures = self.client.map(fn, list(tasks), pure=False)
        index = {fut.key: i for i, fut in enumerate(futures)}
        remaining = set(index)
        try:
            for fut in self._distributed.as_completed(futures):
                remaining.discard(fut.key)
                yield index[fut.key], fut.result()
                fut.release()
        finally:
            left = [f for f in futures if f.key in remaining]
            if left:
                self.client.cancel(left)

    def close(self) -> None:
        """Nothing to release (the client belongs to the caller)."""

    def __repr__(self) -> str:
        return f"DaskExecutor({self.client!r})"


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as err:
        raise ImportError(
            "DaskExecutor needs the 'distributed' package, which is not installed; "
            'install it with: pip install "negsim[dask]"'
        ) from err
    return distributed


@dataclass(frozen=True)
class ChunkTask:
    """One chunk of an ensemble: runs ``start, ..., stop - 1`` of ``scenario`` and ``seed``.

    Attributes
    ----------
    scenario : Scenario
        Sent to the worker by pickling (a scenario is a frozen dataclass of plain values).
    seed : int
        Root seed.
    start, stop : int
        The chunk's run indices, ``range(start, stop)``.
    engine : callable
        The function computing the chunk (default
        :func:`negsim.sim.engine.simulate_runs`), called as ``engine(scenario, seed, runs)``
        and returning one DataFrame row per run. It is sent to the workers with the task, so
        it must be a module-level function (pickled by reference).

    Examples
    --------
    >>> from negsim.scenario import load_scenario
    >>> task = ChunkTask(load_scenario("libya-2020"), seed=1, start=0, stop=10)
    >>> task.engine.__name__, task.stop - task.start
    ('simulate_runs', 10)
    """

    scenario: Scenario
    seed: int
    start: int
    stop: int
    engine: Callable[[Scenario, int, np.ndarray], pd.DataFrame] = simulate_runs


def run_chunk(task: ChunkTask) -> pd.DataFrame:
    """Compute one chunk (the function every executor runs, in whatever process).

    Examples
    --------
    >>> from negsim.scenario import load_scenario
    >>> sc = load_scenario("libya-2020")
    >>> df = run_chunk(ChunkTask(sc, seed=1, start=5, stop=8))
    >>> df["run"].tolist()
    [5, 6, 7]
    """
    runs = np.arange(task.start, task.stop, dtype=np.int64)
    df = task.engine(task.scenario, task.seed, runs)
    if len(df) != len(runs) or not np.array_equal(df["run"].to_numpy(), runs):
        name = getattr(task.engine, "__qualname__", repr(task.engine))
        raise RuntimeError(
            f"engine {name} returned runs {df['run'].tolist()[:5]}... for chunk "
            f"{task.start}-{task.stop}"
        )
    return df
