"""The summary of a deal with a term: P(renewed at each renewal date) and suspensions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

import negsim
from negsim.ensemble import simulate
from negsim.ensemble.columns import summary_columns

GRAIN = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "grain.toml"


def test_renewals_and_suspensions_are_summarised():
    result = simulate(negsim.load_scenario(GRAIN), runs=400, seed=3)
    runs, s = result.runs, result.summary()
    renewed = runs["corridor.renewed"].to_numpy()
    assert list(s.renewed_at) == [1, 2]
    for k, p in s.renewed_at.items():
        assert p.count == int(np.sum(renewed >= k)) and p.total == 400
    months = [c for c in runs.columns if c.startswith("corridor.m") and
              c.endswith(".RUS.suspended")]
    assert s.suspended["RUS"].count == int(runs[months].any(axis=1).sum()) > 0
    d = s.to_dict()
    assert d["renewed_at"] == {"1": s.renewed_at[1].probability,
                               "2": s.renewed_at[2].probability}
    assert set(d["suspended"]) == {"RUS", "UKR"}
    json.dumps(d)
    frame = s.to_frame()
    assert len(frame[frame["quantity"] == "renewed_at"]) == 2
    text = s.table()
    assert "renewed at its 2nd renewal date" in text and "RUS suspended at least once" in text


def test_a_streamed_summary_keeps_what_renewals_need():
    scenario = negsim.load_scenario(GRAIN)
    full = simulate(scenario, runs=300, seed=2, chunk_size=70).summary()
    slim = simulate(scenario, runs=300, seed=2, chunk_size=110,
                    keep_columns=summary_columns).summary()
    assert slim.renewed_at == full.renewed_at and slim.suspended == full.suspended


def test_without_a_term_nothing_is_added():
    d = simulate("libya-2020", runs=50, seed=1).summary().to_dict()
    assert "renewed_at" not in d and "suspended" not in d
