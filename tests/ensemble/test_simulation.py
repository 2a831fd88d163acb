"""simulate: its result, the same runs whatever the chunking or executor, resuming, and
its argument checks."""

from __future__ import annotations

import pytest
from pandas.testing import assert_frame_equal

from negsim.ensemble import (
    EnsembleResult,
    ProcessExecutor,
    ResultsDirectoryError,
    SerialExecutor,
    simulate,
)
from negsim.scenario import load_scenario

RUNS = 600
SEED = 11


@pytest.fixture(scope="module")
def libya():
    return load_scenario("libya-2020")


@pytest.fixture(scope="module")
def reference(libya):
    """Serial, one chunk."""
    return simulate(libya, runs=RUNS, seed=SEED, chunk_size=RUNS).runs


@pytest.fixture(scope="module")
def pool():
    with ProcessExecutor(2) as ex:
        yield ex


# ------------------------------------------------------------------------ the result
def test_simulate_result_and_summary(libya):
    res = simulate("libya-2020", runs=300, seed=5)
    assert isinstance(res, EnsembleResult)
    assert (res.scenario_id, res.seed, res.n_runs) == ("libya-2020", 5, 300)
    assert res.scenario_fingerprint == libya.fingerprint()
    assert res.runs["run"].tolist() == list(range(300)) and (res.runs["seed"] == 5).all()
    assert res.parameters == tuple(u.parameter for u in libya.uncertainty)
    assert set(res.metadata["versions"]) >= {"negsim", "numpy", "pandas", "mesa"}
    assert res.metadata["executor"] == "serial" and res.metadata["chunk_size"] == 5_000
    s = res.summary()
    assert sum(p.probability for p in s.outcomes.values()) == pytest.approx(1.0)
    rounds = {e.id: e.participants for e in libya.timeline if e.kind == "mediated_round"}
    assert {r: tuple(a) for r, a in s.sign_probability.items()} == rounds
    conferences = [e.id for e in libya.timeline if e.kind == "conference"]
    assert list(s.commit_probability) == conferences
    assert s.holds.count == int(res.runs["holds"].sum())
    assert sum(n for _, n in s.binding_constraints) == 300
    assert s.to_dict()["seed"] == 5 and s.to_dict()["scenario"]["id"] == "libya-2020"
    assert res == simulate(libya, runs=300, seed=5)  # a Scenario or its name


# ------------------------------------------------------------------------ same runs everywhere
@pytest.mark.parametrize("chunk_size", [1, 7, 100, 599, 5000])
def test_chunk_size_does_not_change_the_runs(libya, reference, chunk_size):
    got = simulate(libya, runs=RUNS, seed=SEED, chunk_size=chunk_size).runs
    assert_frame_equal(got, reference, check_exact=True)


def test_process_pool_gives_the_same_runs(libya, reference, pool):
    got = simulate(libya, runs=RUNS, seed=SEED, chunk_size=64, executor=pool)
    assert got.metadata["executor"] == "process(2)"
    assert_frame_equal(got.runs, reference, check_exact=True)
    via_processes = simulate(libya, runs=RUNS, seed=SEED, chunk_size=300, processes=2)
    assert_frame_equal(via_processes.runs, reference, check_exact=True)


def test_results_equal_regardless_of_how_computed(libya, reference, pool):
    a = simulate(libya, runs=RUNS, seed=SEED, chunk_size=RUNS)
    b = simulate(libya, runs=RUNS, seed=SEED, chunk_size=50, executor=pool)
    assert a == b and hash(a) == hash(b)
    assert a.metadata["created"] and a.metadata["executor"] != b.metadata["executor"]
    assert a != simulate(libya, runs=RUNS, seed=SEED + 1, chunk_size=RUNS)


def test_other_seeds_and_run_sets_differ(libya, reference):
    other = simulate(libya, runs=RUNS, seed=SEED + 1).runs
    assert not other.drop(columns="seed").equals(reference.drop(columns="seed"))
    # a shorter ensemble is a prefix of a longer one
    short = simulate(libya, runs=100, seed=SEED).runs
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


def test_resume_after_interruption(libya, reference, tmp_path):
    d = tmp_path / "results"
    with pytest.raises(KeyboardInterrupt):
        simulate(libya, runs=RUNS, seed=SEED, chunk_size=100, results_dir=d,
                 executor=_Interrupting(after=2))
    # the two finished chunks were kept, complete (no temporary files left behind)
    assert sorted(p.name.rsplit(".", 1)[0] for p in d.glob("chunk-*")) == [
        "chunk-0-100", "chunk-100-200"]
    counting = _Counting()
    res = simulate(libya, runs=RUNS, seed=SEED, chunk_size=100, results_dir=d,
                   executor=counting)
    assert counting.tasks == 4 and res.metadata["resumed_chunks"] == 2
    assert_frame_equal(res.runs, reference, check_exact=True)


def test_resume_after_deleting_chunks_and_with_processes(libya, reference, tmp_path, pool):
    d = tmp_path / "results"
    first = simulate(libya, runs=RUNS, seed=SEED, chunk_size=150, results_dir=d)
    assert_frame_equal(first.runs, reference, check_exact=True)
    chunks = sorted(d.glob("chunk-*"))
    assert len(chunks) == 4 and (d / "manifest.json").exists()
    chunks[1].unlink()
    chunks[3].unlink()
    counting = _Counting()
    again = simulate(libya, runs=RUNS, seed=SEED, chunk_size=150, results_dir=d,
                     executor=counting)
    assert counting.tasks == 2 and again.metadata["resumed_chunks"] == 2
    assert_frame_equal(again.runs, reference, check_exact=True)
    # everything read back, computed on nothing
    counting = _Counting()
    third = simulate(libya, runs=RUNS, seed=SEED, chunk_size=150, results_dir=d,
                     executor=counting)
    assert counting.tasks == 0
    assert_frame_equal(third.runs, reference, check_exact=True)
    chunks[0].unlink()
    fourth = simulate(libya, runs=RUNS, seed=SEED, chunk_size=150, results_dir=d,
                      executor=pool)
    assert_frame_equal(fourth.runs, reference, check_exact=True)


def test_mismatching_results_dir_is_refused(libya, tmp_path):
    d = tmp_path / "results"
    simulate(libya, runs=50, seed=SEED, chunk_size=25, results_dir=d)
    with pytest.raises(ResultsDirectoryError, match="seed"):
        simulate(libya, runs=50, seed=SEED + 1, chunk_size=25, results_dir=d)
    with pytest.raises(ResultsDirectoryError, match="runs"):
        simulate(libya, runs=60, seed=SEED, chunk_size=25, results_dir=d)
    with pytest.raises(ResultsDirectoryError, match="chunk_size"):
        simulate(libya, runs=50, seed=SEED, chunk_size=10, results_dir=d)
    other = libya.with_overrides({"model.rationality": 2.5})
    with pytest.raises(ResultsDirectoryError, match="scenario_fingerprint"):
        simulate(other, runs=50, seed=SEED, chunk_size=25, results_dir=d)


# ------------------------------------------------------------------------ argument checks
def test_simulate_argument_errors(libya):
    with pytest.raises(ValueError, match="runs"):
        simulate(libya, runs=0)
    with pytest.raises(ValueError, match="seed"):
        simulate(libya, runs=5, seed=-1)
    with pytest.raises(TypeError, match="runs"):
        simulate(libya, runs=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="either executor or processes"):
        simulate(libya, runs=5, executor=SerialExecutor(), processes=2)
    with pytest.raises(TypeError, match="Scenario"):
        simulate(42, runs=5)  # type: ignore[arg-type]
