"""The checkpoint directory: exact round trips, and refusing what belongs elsewhere."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from negsim.ensemble import ChunkStore, ResultsDirectoryError


def _awkward_frame(start: int, stop: int) -> pd.DataFrame:
    n = stop - start
    rng = np.random.default_rng(start)
    return pd.DataFrame({
        "run": np.arange(start, stop, dtype=np.int64),
        "seed": np.full(n, 3, dtype=np.int64),
        "x": rng.normal(size=n) * 10.0 ** rng.integers(-12, 12, size=n),
        "y": np.where(rng.random(n) < 0.3, np.nan, rng.random(n)),
        "z": np.where(rng.random(n) < 0.3, np.inf, -rng.random(n)),
        "flag": rng.random(n) < 0.5,
        "words": pd.Series(rng.choice(["NA", "none", "", 'a "quoted", text', "sign", "null"],
                                      size=n)).astype(object),
    })


def _identity(**kw):
    base = {"scenario_id": "s", "scenario_fingerprint": "f", "seed": 3, "runs": 30,
            "chunk_size": 10, "negsim_version": "0"}
    return base | kw


@pytest.mark.parametrize("storage", ["csv", "parquet"])
def test_chunk_store_round_trip_is_exact(tmp_path, storage):
    if storage == "parquet":
        pytest.importorskip("pyarrow")
    store = ChunkStore(tmp_path, _identity())
    store.storage = storage
    frames = [_awkward_frame(a, a + 10) for a in (0, 10, 20)]
    frames[0]["words"] = frames[0]["words"].astype(str)  # pandas' string dtype too
    frames = [f.astype(frames[0].dtypes.to_dict()) for f in frames]
    for f in frames:
        store.write(int(f["run"].iloc[0]), int(f["run"].iloc[-1]) + 1, f)
    assert store.has(10, 20) and not store.has(30, 40)
    again = ChunkStore(tmp_path, _identity())
    again.storage = storage
    for f in frames:
        back = again.read(int(f["run"].iloc[0]), int(f["run"].iloc[-1]) + 1)
        assert_frame_equal(back, f.reset_index(drop=True), check_exact=True)
        assert list(back.dtypes) == list(f.dtypes)


def test_chunk_store_refuses_a_different_ensemble(tmp_path):
    ChunkStore(tmp_path, _identity())
    with pytest.raises(ResultsDirectoryError, match="seed: directory has 3, this call has 4"):
        ChunkStore(tmp_path, _identity(seed=4))
    with pytest.raises(ResultsDirectoryError, match="scenario_fingerprint"):
        ChunkStore(tmp_path, _identity(scenario_fingerprint="g"))


def test_chunk_store_refuses_foreign_or_damaged_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "chunk-0-10.csv").write_text("run\n1\n")
    with pytest.raises(ResultsDirectoryError, match="no manifest.json"):
        ChunkStore(tmp_path / "a", _identity())
    store = ChunkStore(tmp_path / "b", _identity())
    store.write(0, 10, _awkward_frame(0, 10))
    store.path(10, 20).write_bytes(store.path(0, 10).read_bytes())  # wrong runs
    with pytest.raises(ResultsDirectoryError, match="delete it"):
        store.read(10, 20)
