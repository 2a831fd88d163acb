"""Executors: the same seed gives the same runs whatever computes them, and resumes exactly."""

from __future__ import annotations

import math
import pickle
import sys

import numpy as np
import pytest
from pandas.testing import assert_frame_equal

from negsim.sim.engine import simulate_runs
from negsim.ensemble.core import ResultsDirectoryError, simulate
from negsim.ensemble.executors import (
    ChunkTask,
    DaskExecutor,
    Executor,
    ProcessExecutor,
    SerialExecutor,
    run_chunk,
)
from negsim.scenario import load_scenario

RUNS = 600
SEED = 11


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("libya-2020")


@pytest.fixture(scope="module")
def reference(scenario):
    """Serial, one chunk."""
    return simulate(scenario, runs=RUNS, seed=SEED, chunk_size=RUNS).runs


@pytest.fixture(scope="module")
def pool():
    with ProcessExecutor(2) as ex:
        yield ex


# ------------------------------------------------------------------------ executors alone
def test_serial_executor_in_order():
    ex = SerialExecutor()
    assert isinstance(ex, Executor)
    assert list(ex.map_unordered(math.factorial, [3, 4, 5])) == [(0, 6), (1, 24), (2, 120)]


def test_process_executor_maps_and_propagates_errors(pool):
    assert isinstance(pool, Executor) and pool.name == "process(2)"
    out = dict(pool.map_unordered(math.factorial, list(range(12))))
    assert out == {i: math.factorial(i) for i in range(12)}
    with pytest.raises(ValueError, match="math domain error"):
        list(pool.map_unordered(math.sqrt, [4.0, -1.0]))


def test_process_executor_validation():
    with pytest.raises(ValueError, match="at least 1"):
        ProcessExecutor(0)
    with pytest.raises(TypeError):
        ProcessExecutor("2")  # type: ignore[arg-type]
    ex = ProcessExecutor(1)
    ex.close()
    with pytest.raises(RuntimeError, match="closed"):
        list(ex.map_unordered(math.factorial, [1]))


def test_chunk_task_pickles_and_computes_its_runs(scenario):
    task = ChunkTask(scenario, SEED, 40, 45)
    again = pickle.loads(pickle.dumps(task))
    assert again.scenario.fingerprint() == scenario.fingerprint()
    df = run_chunk(again)
    assert df["run"].tolist() == [40, 41, 42, 43, 44]
    assert_frame_equal(df, simulate_runs(scenario, SEED, np.arange(40, 45)), check_exact=True)


# ------------------------------------------------------------------------ same runs everywhere
@pytest.mark.parametrize("chunk_size", [1, 7, 100, 599, 5000])
def test_chunk_size_does_not_change_the_runs(scenario, reference, chunk_size):
    got = simulate(scenario, runs=RUNS, seed=SEED, chunk_size=chunk_size).runs
    assert_frame_equal(got, reference, check_exact=True)


def test_process_pool_gives_the_same_runs(scenario, reference, pool):
    got = simulate(scenario, runs=RUNS, seed=SEED, chunk_size=64, executor=pool)
    assert got.metadata["executor"] == "process(2)"
    assert_frame_equal(got.runs, reference, check_exact=True)
    via_processes = simulate(scenario, runs=RUNS, seed=SEED, chunk_size=300, processes=2)
    assert_frame_equal(via_processes.runs, reference, check_exact=True)


def test_results_equal_regardless_of_how_computed(scenario, reference, pool):
    a = simulate(scenario, runs=RUNS, seed=SEED, chunk_size=RUNS)
    b = simulate(scenario, runs=RUNS, seed=SEED, chunk_size=50, executor=pool)
    assert a == b and hash(a) == hash(b)
    assert a.metadata["created"] and a.metadata["executor"] != b.metadata["executor"]
    assert a != simulate(scenario, runs=RUNS, seed=SEED + 1, chunk_size=RUNS)


def test_other_seeds_and_run_sets_differ(scenario, reference):
    other = simulate(scenario, runs=RUNS, seed=SEED + 1).runs
    assert not other.drop(columns="seed").equals(reference.drop(columns="seed"))
    # a shorter ensemble is a prefix of a longer one
    short = simulate(scenario, runs=100, seed=SEED).runs
    assert_frame_equal(short, reference.iloc[:100], check_exact=True)


# ------------------------------------------------------------------------ resuming
class _Interrupting(SerialExecutor):
    """Computes ``after`` chunks, then behaves as if the user pressed Ctrl-C."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.computed = 0

    def map_unordered(self, fn, tasks):
        for i, task in enumerate(tasks):
            if self.computed == self.after:
                raise KeyboardInterrupt
            self.computed += 1
            yield i, fn(task)


class _Counting(SerialExecutor):
    def __init__(self) -> None:
        self.tasks = 0

    def map_unordered(self, fn, tasks):
        self.tasks += len(tasks)
        yield from super().map_unordered(fn, tasks)


def test_resume_after_interruption(scenario, reference, tmp_path):
    d = tmp_path / "results"
    with pytest.raises(KeyboardInterrupt):
        simulate(scenario, runs=RUNS, seed=SEED, chunk_size=100, results_dir=d,
                 executor=_Interrupting(after=2))
    # the two finished chunks were kept, complete (no temporary files left behind)
    assert sorted(p.name.rsplit(".", 1)[0] for p in d.glob("chunk-*")) == [
        "chunk-0-100", "chunk-100-200"]
    counting = _Counting()
    res = simulate(scenario, runs=RUNS, seed=SEED, chunk_size=100, results_dir=d,
                   executor=counting)
    assert counting.tasks == 4 and res.metadata["resumed_chunks"] == 2
    assert_frame_equal(res.runs, reference, check_exact=True)


def test_resume_after_deleting_chunks_and_with_processes(scenario, reference, tmp_path, pool):
    d = tmp_path / "results"
    first = simulate(scenario, runs=RUNS, seed=SEED, chunk_size=150, results_dir=d)
    assert_frame_equal(first.runs, reference, check_exact=True)
    chunks = sorted(d.glob("chunk-*"))
    assert len(chunks) == 4 and (d / "manifest.json").exists()
    chunks[1].unlink()
    chunks[3].unlink()
    counting = _Counting()
    again = simulate(scenario, runs=RUNS, seed=SEED, chunk_size=150, results_dir=d,
                     executor=counting)
    assert counting.tasks == 2 and again.metadata["resumed_chunks"] == 2
    assert_frame_equal(again.runs, reference, check_exact=True)
    # everything read back, computed on nothing
    counting = _Counting()
    third = simulate(scenario, runs=RUNS, seed=SEED, chunk_size=150, results_dir=d,
                     executor=counting)
    assert counting.tasks == 0
    assert_frame_equal(third.runs, reference, check_exact=True)
    chunks[0].unlink()
    fourth = simulate(scenario, runs=RUNS, seed=SEED, chunk_size=150, results_dir=d,
                      executor=pool)
    assert_frame_equal(fourth.runs, reference, check_exact=True)


def test_mismatching_results_dir_is_refused(scenario, tmp_path):
    d = tmp_path / "results"
    simulate(scenario, runs=50, seed=SEED, chunk_size=25, results_dir=d)
    with pytest.raises(ResultsDirectoryError, match="seed"):
        simulate(scenario, runs=50, seed=SEED + 1, chunk_size=25, results_dir=d)
    with pytest.raises(ResultsDirectoryError, match="runs"):
        simulate(scenario, runs=60, seed=SEED, chunk_size=25, results_dir=d)
    with pytest.raises(ResultsDirectoryError, match="chunk_size"):
        simulate(scenario, runs=50, seed=SEED, chunk_size=10, results_dir=d)
    other = scenario.with_overrides({"model.rationality": 2.5})
    with pytest.raises(ResultsDirectoryError, match="scenario_fingerprint"):
        simulate(other, runs=50, seed=SEED, chunk_size=25, results_dir=d)


# ------------------------------------------------------------------------ Dask
def test_dask_executor_needs_distributed(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match=r"negsim\[dask\]"):
        DaskExecutor(object())


def test_dask_executor_gives_the_same_runs(scenario, reference):
    distributed = pytest.importorskip("distributed")
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                            dashboard_address=None) as client:
        ex = DaskExecutor(client)
        assert ex.name.startswith("dask")
        got = simulate(scenario, runs=RUNS, seed=SEED, chunk_size=128, executor=ex)
    assert_frame_equal(got.runs, reference, check_exact=True)


# ------------------------------------------------------------------------ argument checks
def test_simulate_argument_errors(scenario):
    with pytest.raises(ValueError, match="runs"):
        simulate(scenario, runs=0)
    with pytest.raises(ValueError, match="seed"):
        simulate(scenario, runs=5, seed=-1)
    with pytest.raises(TypeError, match="runs"):
        simulate(scenario, runs=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="either executor or processes"):
        simulate(scenario, runs=5, executor=SerialExecutor(), processes=2)
    with pytest.raises(TypeError, match="Scenario"):
        simulate(42, runs=5)  # type: ignore[arg-type]
