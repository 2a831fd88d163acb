"""Executors: each computes every task, and an ensemble computed by any of them (a process
pool, Dask in this process, or a Dask cluster of worker processes) equals the serial one."""

from __future__ import annotations

import math
import pickle
import sys

import distributed
import numpy as np
import pytest
from pandas.testing import assert_frame_equal

from negsim.ensemble import (
    ChunkTask,
    DaskExecutor,
    Executor,
    ProcessExecutor,
    SerialExecutor,
    run_chunk,
    simulate,
)
from negsim.scenario import load_scenario
from negsim.sim.engine import simulate_runs

RUNS = 600
SEED = 11


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("libya-2020")


@pytest.fixture(scope="module")
def reference(scenario):
    """Serial, one chunk."""
    return simulate(scenario, runs=RUNS, seed=SEED, chunk_size=RUNS).runs


# ------------------------------------------------------------------------ executors alone
def test_serial_executor_in_order():
    ex = SerialExecutor()
    assert isinstance(ex, Executor)
    assert list(ex.map_unordered(math.factorial, [3, 4, 5])) == [(0, 6), (1, 24), (2, 120)]


def test_process_executor_maps_and_propagates_errors():
    with ProcessExecutor(2) as pool:
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
    assert again.engine is simulate_runs  # the engine itself travels, pickled by reference
    df = run_chunk(again)
    assert df["run"].tolist() == [40, 41, 42, 43, 44]
    assert_frame_equal(df, simulate_runs(scenario, SEED, np.arange(40, 45)), check_exact=True)


# ------------------------------------------------------------------------ Dask
def test_dask_executor_needs_distributed(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match=r"negsim\[dask\]"):
        DaskExecutor(object())


def test_dask_executor_gives_the_same_runs(scenario, reference):
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                            dashboard_address=None) as client:
        ex = DaskExecutor(client)
        assert ex.name.startswith("dask")
        got = simulate(scenario, runs=RUNS, seed=SEED, chunk_size=128, executor=ex)
    assert_frame_equal(got.runs, reference, check_exact=True)


def test_chunk_task_takes_another_engine(scenario):
    def backwards(sc, seed, runs):  # a local function: fine in this process
        return simulate_runs(sc, seed, runs[::-1])

    with pytest.raises(RuntimeError, match="engine .*backwards returned runs"):
        run_chunk(ChunkTask(scenario, SEED, 0, 3, engine=backwards))


def test_dask_cluster_of_worker_processes_equals_serial(scenario):
    """Two worker processes on a LocalCluster: the runs and the summary are bit for bit the
    serial ones (the chunks, the scenario and the engine travel between processes)."""
    runs = 300
    serial = simulate(scenario, runs=runs, seed=SEED)
    with (
        distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                 dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        ex = DaskExecutor(client)
        assert ex.name == f"dask({cluster.scheduler_address})"
        assert len(client.scheduler_info()["workers"]) == 2
        got = simulate(scenario, runs=runs, seed=SEED, chunk_size=40, executor=ex)
    assert cluster.status.name == "closed"
    assert_frame_equal(got.runs, serial.runs, check_exact=True)
    assert list(got.runs.dtypes) == list(serial.runs.dtypes)
    assert got == serial
    assert got.summary() == serial.summary()
    assert got.summary().to_json() == serial.summary().to_json()
