"""Plots of a streamed ensemble (negsim.cli.output.write_plots): drawn from the few kept
columns plus columns read back one at a time from the Parquet file, they are byte for byte
the plots of the whole runs table; the kept parts of the chunks own their memory."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd

from negsim.cli.output import kept_columns, write_plots
from negsim.ensemble import RunsWriter, simulate
from negsim.ensemble.simulation import _Sink
from negsim.plot import save_all
from negsim.plot.implementation import capability_data
from negsim.plot.issue_space import _issue_space_data
from negsim.plot.rounds import margins_data
from negsim.plot.sweep import tornado_data
from negsim.scenario import load_scenario

matplotlib.use("Agg")


def test_streamed_plots_equal_the_plots_of_the_whole_table(tmp_path):
    sc = load_scenario("libya-2020")
    full = simulate(sc, runs=600, seed=4, chunk_size=250)
    expected = save_all(full, tmp_path / "full", scenario=sc)
    writer = RunsWriter(tmp_path / "streamed", "runs", "parquet")
    slim = simulate(sc, runs=600, seed=4, chunk_size=250, writer=writer,
                    keep_columns=kept_columns(sc, plots=False))
    parquet = writer.close()
    assert slim.runs.shape[1] < full.runs.shape[1] / 2
    assert slim.summary() == full.summary()
    got = write_plots(slim, tmp_path / "streamed", sc, parquet=parquet)
    assert sorted(p.name for p in got) == sorted(p.name for p in expected)
    assert {"tornado.png", "capability.png"} <= {p.name for p in got}
    for a in expected:
        assert a.read_bytes() == (tmp_path / "streamed" / a.name).read_bytes(), a.name


def test_plot_data_read_one_column_at_a_time_equals_the_table():
    sc = load_scenario("libya-2020")
    res = simulate(sc, runs=300, seed=2)
    runs = res.runs
    params = list(res.parameters)
    read = []
    got = tornado_data(runs.drop(columns=params), parameters=params,
                       read=lambda c: read.append(c) or runs[c].to_numpy())
    pd.testing.assert_frame_equal(got, tornado_data(runs, parameters=params))
    assert sorted(read) == sorted(params)
    cap = capability_data(runs.iloc[:0], read=lambda c: runs[c].to_numpy())
    pd.testing.assert_frame_equal(cap, capability_data(runs))
    read.clear()
    margins = margins_data(runs.iloc[:0], read=lambda c: read.append(c) or runs[c].to_numpy())
    pd.testing.assert_frame_equal(margins, margins_data(runs))
    assert len(read) == 2 * margins.shape[1]


def test_issue_space_data_limited_to_the_runs_drawn_are_the_first_rows():
    sc = load_scenario("libya-2020")
    res = simulate(sc, runs=300, seed=2)
    full = _issue_space_data(res, ("security_agreement", "ceasefire"), sc)["texts"]
    got = _issue_space_data(res, ("security_agreement", "ceasefire"), sc, limit=40)["texts"]
    expected = pd.concat([df.head(40) for _, df in full.groupby(["round", "stage"], sort=False)],
                         ignore_index=True)
    pd.testing.assert_frame_equal(got, expected)


def test_kept_parts_own_their_memory_and_store_booleans_as_bits():
    df = pd.DataFrame({"run": np.arange(4), "x": np.linspace(0, 1, 4),
                       "b": [True, False, True, True], "t": ["a", "b", "a", "c"],
                       "big": np.zeros(4)})
    part = _Sink(None, ["run", "x", "b", "t"])(0, df)
    assert part.columns.tolist() == ["run", "x", "b", "t"]
    assert str(part["b"].dtype) == "bool[pyarrow]" and part["b"].tolist() == df["b"].tolist()
    assert isinstance(part["t"].dtype, pd.CategoricalDtype)
    for col in ("run", "x"):
        assert not np.shares_memory(part[col].to_numpy(), df[col].to_numpy())
        np.testing.assert_array_equal(part[col].to_numpy(), df[col].to_numpy())


def test_kept_parts_joined_as_they_come_equal_the_parts_joined_at_the_end(monkeypatch):
    import negsim.ensemble.simulation as simulation
    from negsim.ensemble import summary_columns

    sc = load_scenario("libya-2020")
    args = {"runs": 1500, "seed": 5, "chunk_size": 40, "keep_columns": summary_columns}
    joined = simulate(sc, **args)  # 38 parts: joined by 16 as they come
    monkeypatch.setattr(simulation, "_JOIN_EVERY", 10**9)
    at_end = simulate(sc, **args)
    pd.testing.assert_frame_equal(joined.runs, at_end.runs)
    assert joined.summary() == at_end.summary()
