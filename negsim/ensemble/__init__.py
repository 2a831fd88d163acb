"""Ensembles: many runs of a scenario, their summary, sweeps, checkpoints and executors.

Modules, lowest first:

* :mod:`~negsim.ensemble.columns`: readers of a runs DataFrame (which columns hold the
  rounds' decisions and commitments);
* :mod:`~negsim.ensemble.provenance`: versions recorded with a result, and its JSON text;
* :mod:`~negsim.ensemble.proportions`: :class:`Proportion` and :func:`wilson_interval`;
* :mod:`~negsim.ensemble.survival`: the Kaplan–Meier survival of a ceasefire;
* :mod:`~negsim.ensemble.implementation`: the implementation phase's columns of a runs
  DataFrame (survival, who breaks the ceasefire, the arms embargo);
* :mod:`~negsim.ensemble.summary`: :func:`summarize` a runs DataFrame into a
  :class:`Summary` of probabilities (:class:`Proportion`) with Wilson intervals;
* :mod:`~negsim.ensemble.result`: :class:`EnsembleResult`, the runs and their metadata;
* :mod:`~negsim.ensemble.store`: the checkpoint directory of finished chunks;
* :mod:`~negsim.ensemble.executors`: where the chunks are computed (serial, processes, Dask);
* :mod:`~negsim.ensemble.progress`: the progress bar;
* :mod:`~negsim.ensemble.simulation`: :func:`simulate`, and the argument checks and chunked
  jobs it shares with sweeps;
* :mod:`~negsim.ensemble.sweeps`: :func:`sweep` and :func:`sweep_summary`.

The names below are re-exported here; the building blocks that :func:`simulate` and
:func:`sweep` share (``EnsembleJob``, ``run_jobs``, ``executor_scope``, ``open_store``, ...)
are public in their modules only.

May import: ``negsim._version``, ``negsim.scenario`` and ``negsim.sim`` (and what they
import).

Examples
--------
>>> from negsim.ensemble import simulate
>>> simulate("libya-2020", runs=50, seed=1).summary().runs
50
"""

from negsim.ensemble.columns import commitment_columns, decision_columns, summary_columns
from negsim.ensemble.executors import (
    ChunkTask,
    DaskExecutor,
    Executor,
    ProcessExecutor,
    SerialExecutor,
    run_chunk,
)
from negsim.ensemble.output import (
    RUNS_FORMATS,
    FolderInUseError,
    FolderLock,
    OutputError,
    RunsWriter,
    atomic_path,
    atomic_write_text,
)
from negsim.ensemble.provenance import dumps_json, versions
from negsim.ensemble.result import EnsembleResult
from negsim.ensemble.simulation import DEFAULT_CHUNK_SIZE, simulate
from negsim.ensemble.store import ChunkStore, ResultsDirectoryError
from negsim.ensemble.summary import Proportion, Summary, summarize, wilson_interval
from negsim.ensemble.sweeps import sweep, sweep_parameters, sweep_summary
from negsim.ensemble.texts import read_runs

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "RUNS_FORMATS",
    "ChunkStore",
    "ChunkTask",
    "DaskExecutor",
    "EnsembleResult",
    "Executor",
    "FolderInUseError",
    "FolderLock",
    "OutputError",
    "ProcessExecutor",
    "Proportion",
    "ResultsDirectoryError",
    "RunsWriter",
    "SerialExecutor",
    "Summary",
    "atomic_path",
    "atomic_write_text",
    "commitment_columns",
    "decision_columns",
    "dumps_json",
    "read_runs",
    "run_chunk",
    "simulate",
    "summarize",
    "summary_columns",
    "sweep",
    "sweep_parameters",
    "sweep_summary",
    "versions",
    "wilson_interval",
]
