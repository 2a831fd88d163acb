"""Long scenario text (a red line's description) is written once per runs file, not in each
row: runs files do not grow with the description's length times the runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from negsim.ensemble import simulate
from negsim.ensemble.output import RunsWriter
from negsim.ensemble.texts import LONG_TEXT, TextTable, read_runs, texts_path
from negsim.scenario import parse_scenario

LIBYA = (Path(__file__).resolve().parents[2] / "negsim" / "data" / "scenarios"
         / "libya-2020.toml").read_text(encoding="utf-8")
RED_LINE = "no deal without a deadline for disbanding the GNA armed groups"


def text_of(size: int) -> str:
    """Random letters and spaces (not compressible to nothing, as a repeated phrase is)."""
    return "".join(np.random.default_rng(size).choice(list("abcdefghij "), size))


def scenario_with(description: str):
    assert LIBYA.count(f'"{RED_LINE}"') == 1
    return parse_scenario(LIBYA.replace(f'"{RED_LINE}"', f'"{description}"'), "long.toml")


@pytest.fixture(scope="module")
def ensembles():
    """200 runs with a 5 MB description and with a 2 kB one."""
    out = {}
    for size in (2_000, 5_000_000):
        description = text_of(size)
        res = simulate(scenario_with(description), runs=200, seed=1)
        quoting = res.runs["binding_constraint"].str.contains(description[:200], regex=False)
        distinct = res.runs["binding_constraint"][quoting].nunique()
        assert quoting.sum() >= 2 * distinct  # rows quote it more often than texts hold it
        out[size] = res
    return out


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_runs_files_do_not_grow_with_the_description_times_the_runs(tmp_path, ensembles, fmt):
    sizes = {}
    for size, res in ensembles.items():
        w = RunsWriter(tmp_path / str(size), "runs", fmt)
        w.write(res.runs.iloc[:100])
        w.write(res.runs.iloc[100:])  # two chunks: the text is stored once all the same
        path = w.close()
        side = texts_path(path)
        sizes[size] = path.stat().st_size + (side.stat().st_size if side.exists() else 0)
        back = read_runs(path)
        if fmt == "parquet":
            assert back.equals(res.runs)
        else:
            pd.testing.assert_frame_equal(back, pd.read_csv(path).assign(
                binding_constraint=res.runs["binding_constraint"]))
    # the 5 MB description is in the files once per distinct binding constraint quoting it,
    # not once per row
    runs = ensembles[5_000_000].runs["binding_constraint"]
    quoting = runs[runs.str.len() > 5_000_000]
    grown = sizes[5_000_000] - sizes[2_000]
    assert quoting.nunique() * 4_990_000 < grown < quoting.nunique() * 5_100_000, sizes
    assert grown < len(quoting) * 5_000_000 / 2


def test_csv_rows_hold_references_and_the_table_is_next_to_the_file(tmp_path, ensembles):
    res = ensembles[5_000_000]
    w = RunsWriter(tmp_path, "runs", "csv")
    w.write(res.runs)
    path = w.close()
    rows = pd.read_csv(path)["binding_constraint"]
    long = res.runs["binding_constraint"].str.len() > LONG_TEXT
    assert rows[long].str.fullmatch(r"@text:\d+").all()
    assert (rows[~long] == res.runs["binding_constraint"][~long]).all()
    table = TextTable.from_json(texts_path(path).read_text(encoding="utf-8"))
    assert sorted(table.texts) == sorted(set(res.runs["binding_constraint"][long]))
    # a new writer in the same folder removes the stale table of a previous run
    w2 = RunsWriter(tmp_path, "runs", "csv")
    w2.write(ensembles[2_000].runs.iloc[:1].assign(binding_constraint="none"))
    w2.close()
    assert not texts_path(path).exists()


def test_an_interrupted_csv_keeps_its_texts(tmp_path, ensembles):
    res = ensembles[5_000_000]
    w = RunsWriter(tmp_path, "runs", "csv")
    w.write(res.runs.iloc[:150])
    partial = w.abort()
    assert partial is not None and partial.name == "runs.csv.partial"
    back = read_runs(partial)
    assert (back["binding_constraint"] == res.runs["binding_constraint"].iloc[:150]).all()


def test_values_that_look_like_references_are_stored_in_the_table_too():
    table = TextTable()
    df = pd.DataFrame({"binding_constraint": ["@text:0", "short", "y" * (LONG_TEXT + 1)]})
    small = table.compact(df)
    assert small["binding_constraint"].tolist() == ["@text:0", "short", "@text:1"]
    assert table.texts == ["@text:0", "y" * (LONG_TEXT + 1)]
    assert table.expand(small).equals(df)
    assert df["binding_constraint"].iloc[2] == "y" * (LONG_TEXT + 1)  # df is not changed
    with pytest.raises(ValueError, match="reference '@text:7' is not in the file's text table"):
        TextTable(["a"]).expand(pd.DataFrame({"binding_constraint": ["@text:7"]}))


def test_ordinary_descriptions_are_written_in_the_rows(tmp_path):
    res = simulate("libya-2020", runs=30, seed=1)
    w = RunsWriter(tmp_path, "runs", "csv")
    w.write(res.runs)
    path = w.close()
    assert not texts_path(path).exists()
    assert "@text:" not in path.read_text(encoding="utf-8")


def test_checkpoint_chunks_store_long_texts_once(tmp_path, ensembles):
    res = ensembles[5_000_000]
    store_dir = tmp_path / "ck"
    long = scenario_with(text_of(5_000_000))
    first = simulate(long, runs=200, seed=1, chunk_size=100, results_dir=store_dir)
    assert first.runs.equals(res.runs)
    chunks = sorted(store_dir.glob("chunk-*"))
    assert len(chunks) == 2 and all(c.stat().st_size < 1_000_000 for c in chunks)
    again = simulate(long, runs=200, seed=1, chunk_size=100, results_dir=store_dir)
    assert again.runs.equals(res.runs)


def test_the_writer_lists_the_text_table_among_its_files(tmp_path, ensembles):
    res = ensembles[2_000]
    w = RunsWriter(tmp_path / "csv", "runs", "csv")
    w.write(res.runs)
    path = w.close()
    assert w.files == [path, texts_path(path)] and texts_path(path).exists()
    short = RunsWriter(tmp_path / "short", "runs", "csv")
    short.write(res.runs.assign(binding_constraint="none"))
    assert short.files == [] and short.close() and short.files == [short.path]
    parquet = RunsWriter(tmp_path / "pq", "runs", "parquet")
    parquet.write(res.runs)
    assert parquet.close() and parquet.files == [parquet.path]  # the texts are in its metadata


def test_negsim_run_lists_runs_texts_json(tmp_path, capsys):
    from negsim.cli import main

    src = tmp_path / "long.toml"
    src.write_text(scenario_with(text_of(2_000)).to_toml(), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(src), "--runs", "50", "--seed", "1", "--runs-format", "csv",
                 "--no-plots", "--out", str(out)]) == 0
    said = "".join(capsys.readouterr())
    assert (out / "runs.texts.json").exists()
    assert "Wrote 3 files" in said and "runs.csv, runs.texts.json, summary.json" in said
