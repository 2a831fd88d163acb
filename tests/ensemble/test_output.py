"""Streamed runs files, atomic writes, folder locks, checkpoint checksums, write errors and
workers that exit with their parent."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from negsim.ensemble import (
    FolderInUseError,
    FolderLock,
    OutputError,
    ProcessExecutor,
    ResultsDirectoryError,
    RunsWriter,
    SerialExecutor,
    atomic_path,
    atomic_write_text,
    simulate,
    summary_columns,
)
from negsim.scenario import load_scenario

RUNS = 500
SEED = 3


@pytest.fixture(scope="module")
def libya():
    return load_scenario("libya-2020")


@pytest.fixture(scope="module")
def reference(libya):
    return simulate(libya, runs=RUNS, seed=SEED)


@pytest.fixture(scope="module")
def pool():
    with ProcessExecutor(2) as ex:
        yield ex


# ------------------------------------------------------------------------ streamed files
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
@pytest.mark.parametrize("chunk_size", [RUNS, 64, 7])
def test_streamed_runs_equal_the_simulated_frame(libya, reference, tmp_path, fmt, chunk_size):
    writer = RunsWriter(tmp_path, "runs", fmt)
    slim = simulate(libya, runs=RUNS, seed=SEED, chunk_size=chunk_size, writer=writer,
                    keep_columns=summary_columns)
    path = writer.close()
    assert path == tmp_path / f"runs.{fmt}" and not writer.partial.exists()
    if fmt == "parquet":
        assert_frame_equal(pd.read_parquet(path), reference.runs, check_exact=True)
    else:  # byte for byte what DataFrame.to_csv writes of the whole frame
        assert path.read_text(encoding="utf-8") == reference.runs.to_csv(index=False)
        back = pd.read_csv(path, keep_default_na=False)
        assert_frame_equal(back, reference.runs, check_exact=True, check_dtype=False)
    # only the summary's columns are kept in memory, and they summarise the same
    assert list(slim.runs.columns) == summary_columns(reference.runs)
    assert slim.runs.shape[1] < reference.runs.shape[1] / 2  # no capabilities, detections...
    assert slim.summary() == reference.summary()
    assert slim.summary().to_json() == reference.summary().to_json()


def test_streamed_with_processes_and_resumed_checkpoint(libya, reference, tmp_path, pool):
    w1 = RunsWriter(tmp_path / "a", "runs", "parquet")
    simulate(libya, runs=RUNS, seed=SEED, chunk_size=50, executor=pool, writer=w1,
             results_dir=tmp_path / "ck", keep_columns=["run", "outcome", "holds"])
    w2 = RunsWriter(tmp_path / "b", "runs", "parquet")  # everything read back from the store
    again = simulate(libya, runs=RUNS, seed=SEED, chunk_size=50, writer=w2,
                     results_dir=tmp_path / "ck", keep_columns=["run", "outcome", "holds"])
    assert again.metadata["resumed_chunks"] == RUNS // 50
    for w in (w1, w2):
        assert_frame_equal(pd.read_parquet(w.close()), reference.runs, check_exact=True)


class _Interrupting(SerialExecutor):
    def map_unordered(self, fn, tasks):
        for i, task in enumerate(tasks):
            if i == 3:
                raise KeyboardInterrupt
            yield i, fn(task)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_interrupted_stream_leaves_a_readable_partial_file(libya, reference, tmp_path, fmt):
    writer = RunsWriter(tmp_path, "runs", fmt)
    with pytest.raises(KeyboardInterrupt):
        simulate(libya, runs=RUNS, seed=SEED, chunk_size=40, writer=writer,
                 executor=_Interrupting())
    partial = writer.abort()
    assert partial == tmp_path / f"runs.{fmt}.partial" and not (tmp_path / f"runs.{fmt}").exists()
    back = pd.read_parquet(partial) if fmt == "parquet" else pd.read_csv(partial)
    assert back["run"].tolist() == list(range(120)) and writer.rows == 120


def test_writer_errors_name_the_path(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    writer = RunsWriter(tmp_path, "runs", "parquet")
    with pytest.raises(OutputError, match=r"runs\.parquet\.partial: No space left on device"):
        writer.write(pd.DataFrame({"run": [0]}))
    assert not (tmp_path / "runs.parquet").exists()
    with pytest.raises(ValueError, match="format"):
        RunsWriter(tmp_path, "runs", "xlsx")


def test_atomic_writes_leave_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "summary.json"
    atomic_write_text(target, "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == [
        "summary.json"]

    def replace(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OutputError, match=r"cannot write .*summary\.json: No space left"):
        atomic_write_text(target, "new")
    assert target.read_text() == "old" and len(list(tmp_path.iterdir())) == 1


# ------------------------------------------------------------------------ locks
def test_folder_lock_refuses_a_second_holder_and_takes_over_stale_locks(tmp_path):
    with FolderLock(tmp_path, "--out folder") as lock:
        assert lock.path.read_text().strip() == str(os.getpid())
        child = subprocess.run(
            [sys.executable, "-c", "import sys; from negsim.ensemble import FolderLock\n"
             "try:\n    FolderLock(sys.argv[1]).acquire()\n"
             "except OSError as e:\n    print(e)\n", str(tmp_path)],
            capture_output=True, text=True, check=True)
        assert f"in use by another negsim run (pid {os.getpid()})" in child.stdout
    assert not (tmp_path / ".negsim.lock").exists()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / ".negsim.lock").write_text(f"{dead.pid}\n")  # left by a killed run
    with FolderLock(tmp_path) as lock:
        assert lock.held


def test_a_checkpoint_in_use_is_refused(libya, tmp_path):
    from negsim.ensemble.store import open_store

    store = open_store(libya, SEED, 100, 50, tmp_path)
    with store.locked(), pytest.raises(FolderInUseError, match="in use"):
        simulate(libya, runs=100, seed=SEED, chunk_size=50, results_dir=tmp_path)
    simulate(libya, runs=100, seed=SEED, chunk_size=50, results_dir=tmp_path)  # released


# ------------------------------------------------------------------------ checksums
@pytest.mark.parametrize("storage", ["parquet", "csv"])
def test_an_edited_checkpoint_chunk_is_refused(libya, tmp_path, monkeypatch, storage):
    from negsim.ensemble import store as store_module

    monkeypatch.setattr(store_module, "_parquet_available", lambda: storage == "parquet")
    simulate(libya, runs=100, seed=SEED, chunk_size=50, results_dir=tmp_path)
    chunk = tmp_path / f"chunk-50-100.{storage}"
    df = pd.read_parquet(chunk) if storage == "parquet" else pd.read_csv(chunk)
    df.loc[3, "model.rationality"] += 1.0
    if storage == "parquet":
        df.to_parquet(chunk, index=False)
    else:
        df.to_csv(chunk, index=False)
    with pytest.raises(ResultsDirectoryError, match=r"chunk-50-100\..*checksum"):
        simulate(libya, runs=100, seed=SEED, chunk_size=50, results_dir=tmp_path)
    chunk.unlink()  # as the message says: deleted, it is computed again
    res = simulate(libya, runs=100, seed=SEED, chunk_size=50, results_dir=tmp_path)
    assert res.metadata["resumed_chunks"] == 1


def test_a_chunk_without_checksum_is_recomputed(libya, tmp_path):
    import json

    simulate(libya, runs=100, seed=SEED, chunk_size=50, results_dir=tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    del manifest["checksums"]["chunk-0-50.parquet"]  # killed between chunk and manifest
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    res = simulate(libya, runs=100, seed=SEED, chunk_size=50, results_dir=tmp_path)
    assert res.metadata["resumed_chunks"] == 1


# ------------------------------------------------------------------------ orphaned workers
def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def test_workers_exit_when_their_parent_is_killed(tmp_path):
    script = textwrap.dedent("""
        import os, sys, time
        from negsim.ensemble import ProcessExecutor
        if __name__ == "__main__":
            ex = ProcessExecutor(2)
            pool = ex._get_pool()
            futures = [pool.submit(os.getpid) for _ in range(8)]
            print(" ".join(str(p) for p in sorted({f.result() for f in futures})), flush=True)
            time.sleep(60)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    workers = [int(p) for p in parent.stdout.readline().split()]
    assert workers and all(_alive(p) for p in workers)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(p) for p in workers)


def test_progress_is_silent_when_not_a_terminal(libya, capsys):
    simulate(libya, runs=50, seed=1, progress=True)
    assert capsys.readouterr().err == ""
    assert io.StringIO().isatty() is False
