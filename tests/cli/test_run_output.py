"""What `negsim run` and `negsim sweep` write: streamed runs in each format, plots drawn from
the columns kept in memory, locked output folders, interrupted and failed writes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from pandas.testing import assert_frame_equal  # noqa: E402

from negsim.cli.app import main  # noqa: E402
from negsim.ensemble import simulate  # noqa: E402

RUNS = 300


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def reference():
    return simulate("libya-2020", runs=RUNS, seed=4)


def test_runs_formats(capsys, tmp_path, reference):
    base = ("run", "--runs", str(RUNS), "--seed", "4", "--no-plots", "--chunk-size", "70")
    for fmt in ("parquet", "csv", "none"):
        code, _, err = _run(capsys, *base, "--runs-format", fmt, "--out", str(tmp_path / fmt))
        assert code == 0
        names = sorted(p.name for p in (tmp_path / fmt).iterdir())
        runs = [] if fmt == "none" else [f"runs.{fmt}"]
        assert names == sorted([*runs, "summary.json"])  # no lock or partial file left
        if fmt != "none":
            assert f"Writing {RUNS} runs to {tmp_path / fmt / f'runs.{fmt}'}" in err
    assert_frame_equal(pd.read_parquet(tmp_path / "parquet" / "runs.parquet"), reference.runs,
                       check_exact=True)
    assert (tmp_path / "csv" / "runs.csv").read_text() == reference.runs.to_csv(index=False)
    texts = {(tmp_path / f / "summary.json").read_text() for f in ("parquet", "csv", "none")}
    assert len(texts) == 1
    code, _, err = _run(capsys, *base, "--runs-format", "xlsx")
    assert code == 2 and "--runs-format" in err


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_plots_from_the_streamed_runs_equal_plots_of_all_columns(capsys, tmp_path, reference,
                                                                  fmt):
    from negsim.plot import save_all

    code, _, err = _run(capsys, "run", "--runs", str(RUNS), "--seed", "4", "--out",
                        str(tmp_path / "cli"), "--runs-format", fmt, "--chunk-size", "64")
    assert code == 0 and "Writing plots to" in err
    full = save_all(reference, tmp_path / "full")
    assert len(full) >= 5
    for path in full:
        assert (tmp_path / "cli" / path.name).read_bytes() == path.read_bytes(), path.name


def test_out_must_be_a_folder(capsys, tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    code, _, err = _run(capsys, "run", "--runs", "10", "--no-plots", "--out", str(afile))
    assert code == 1 and f"--out {afile}: is a file, not a folder" in err
    assert "Errno" not in err and "Traceback" not in err


def test_write_errors_name_the_path(capsys, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    code, out, err = _run(capsys, "run", "--runs", "50", "--no-plots", "--out", str(tmp_path))
    assert code == 1 and "Traceback" not in err
    assert f"cannot write {tmp_path / 'runs.parquet.partial'}: No space left on device" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_sweep_writes_each_format_and_is_locked(capsys, tmp_path):
    argv = ("sweep", "--param", "model.rationality=1,3", "--runs", "40", "--no-plots",
            "--quiet")
    code, _, _ = _run(capsys, *argv, "--runs-format", "csv", "--out", str(tmp_path / "a"))
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [
        "summary.json", "sweep.csv", "sweep_summary.csv"]
    (tmp_path / "b").mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / "b" / ".negsim.lock").write_text(f"{holder.pid}\n")
        code, _, err = _run(capsys, *argv, "--out", str(tmp_path / "b"))
        assert code == 1 and f"in use by another negsim run (pid {holder.pid})" in err
    finally:
        holder.kill()
        holder.wait()


# ------------------------------------------------------------------------ other processes
def _negsim(*argv: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    return subprocess.Popen([sys.executable, "-m", "negsim", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def _wait_for(predicate, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_two_runs_into_one_folder_never_mix(tmp_path):
    out = tmp_path / "out"
    first = _negsim("run", "--runs", "40000", "--seed", "1", "--no-plots", "--json",
                    "--chunk-size", "2000", "--out", str(out))
    _wait_for(lambda: (out / "runs.parquet.partial").exists(), first)
    second = _negsim("run", "--runs", "40000", "--seed", "2", "--no-plots", "--out", str(out))
    _, err2 = second.communicate(timeout=120)
    assert second.returncode == 1
    assert f"{out} is in use by another negsim run (pid {first.pid})" in err2
    stdout, _ = first.communicate(timeout=300)
    assert first.returncode == 0
    assert sorted(p.name for p in out.iterdir()) == ["runs.parquet", "summary.json"]
    assert json.loads((out / "summary.json").read_text())["seed"] == 1
    runs = pd.read_parquet(out / "runs.parquet", columns=["run", "seed"])
    assert runs["run"].tolist() == list(range(40000)) and set(runs["seed"]) == {1}


def test_killed_run_leaves_no_truncated_file_under_a_final_name(tmp_path):
    proc = _negsim("run", "--runs", "200000", "--no-plots", "--chunk-size", "2000",
                   "--out", str(tmp_path))
    partial = tmp_path / "runs.parquet.partial"
    _wait_for(lambda: partial.exists() and partial.stat().st_size > 5_000_000, proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "runs.parquet" not in names and "summary.json" not in names
    # the next run takes over the dead run's lock and writes complete files
    code = subprocess.run([sys.executable, "-m", "negsim", "run", "--runs", "100",
                           "--no-plots", "--quiet", "--out", str(tmp_path)],
                          env={**os.environ, "PYTHONPATH": str(Path.cwd())}).returncode
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs.parquet", "summary.json"]


def test_interrupted_run_leaves_a_readable_partial_file(tmp_path, reference):
    proc = _negsim("run", "--runs", "200000", "--seed", "4", "--no-plots", "--chunk-size",
                   "2000", "--out", str(tmp_path))
    partial = tmp_path / "runs.parquet.partial"
    _wait_for(lambda: partial.exists() and partial.stat().st_size > 5_000_000, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert f"runs done are in {partial} (a readable, incomplete file)" in err
    runs = pd.read_parquet(partial)
    assert len(runs) > 0 and len(runs) % 2000 == 0
    assert runs["run"].tolist() == list(range(len(runs)))
    assert_frame_equal(runs.head(RUNS), reference.runs, check_exact=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs.parquet.partial"]
