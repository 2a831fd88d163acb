"""Summaries: Wilson intervals, proportions and the summary of a runs DataFrame."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negsim.ensemble import Proportion, summarize, wilson_interval
from negsim.scenario import OUTCOMES

Z = 1.959963984540054


# ------------------------------------------------------------------------ Wilson interval
@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # hand-computed from (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
        (5, 10, 0.236593, 0.763407),
        (0, 10, 0.0, 0.277533),
        (10, 10, 0.722467, 1.0),
        (1, 1, 0.206549, 1.0),
        (30, 100, 0.218949, 0.395849),
        (500, 1000, 0.469070, 0.530930),
    ],
)
def test_wilson_hand_values(k, n, low, high):
    lo, hi = wilson_interval(k, n)
    assert lo == pytest.approx(low, abs=1e-6)
    assert hi == pytest.approx(high, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 10_000), frac=st.floats(0, 1))
def test_wilson_bounds_solve_the_score_equation(n, frac):
    # The Wilson bounds are the p where the score statistic equals z:
    # (phat - p)^2 = z^2 p (1 - p) / n.
    k = round(frac * n)
    lo, hi = wilson_interval(k, n)
    phat = k / n
    assert 0.0 <= lo <= phat <= hi <= 1.0
    for p in (lo, hi):
        assert (phat - p) ** 2 == pytest.approx(Z**2 * p * (1 - p) / n, abs=1e-12)


def test_wilson_arrays_and_narrower_z():
    lo, hi = wilson_interval(np.array([0, 5, 10]), np.array([10, 10, 10]))
    assert lo.shape == (3,) and lo[0] == 0.0 and hi[2] == 1.0
    lo90, hi90 = wilson_interval(5, 10, z=1.6448536269514722)
    assert lo90 > lo[1] and hi90 < hi[1]


@pytest.mark.parametrize(("k", "n"), [(1, 0), (-1, 5), (6, 5), (math.nan, 5)])
def test_wilson_rejects_bad_counts(k, n):
    with pytest.raises(ValueError, match="wilson_interval"):
        wilson_interval(k, n)


def test_proportion():
    p = Proportion.of(3, 4)
    assert p.probability == 0.75 and p.interval == wilson_interval(3, 4)


# ------------------------------------------------------------------------ summaries
def _hand_runs() -> pd.DataFrame:
    return pd.DataFrame({
        "run": np.arange(6, dtype=np.int64),
        "seed": np.zeros(6, dtype=np.int64),
        "moscow.GNA.decision": ["sign", "sign", "sign", "sign", "no_sign", "no_sign"],
        "moscow.LNA.decision": ["sign", "sign", "no_sign", "no_sign", "no_sign", "no_sign"],
        "berlin.embargo.Turkey": [True, False, False, False, True, False],
        "berlin.embargo.Turkey.equilibrium": [True] * 6,
        "berlin.embargo.UAE": [False] * 6,
        "berlin.embargo.UAE.equilibrium": [False] * 6,
        "outcome": ["signed_and_holds", "signed_but_fragile", "partial_signature",
                    "partial_signature", "no_agreement", "no_agreement"],
        "holds": [True, False, True, False, False, True],
        "binding_constraint": ["none", "b", "a", "a", "b", "b"],
    })


def test_summarize_hand_made():
    s = summarize(_hand_runs(), seed=7, scenario_id="x")
    assert s.runs == 6 and s.seed == 7
    assert list(s.outcomes) == list(OUTCOMES)
    assert [s.outcomes[o].count for o in OUTCOMES] == [1, 1, 2, 2]
    assert s.outcome_probability("partial_signature") == pytest.approx(1 / 3)
    assert s.sign_probability["moscow"]["GNA"].probability == pytest.approx(4 / 6)
    assert s.sign_probability["moscow"]["LNA"].count == 2
    assert s.commit_probability["berlin"]["embargo"]["Turkey"].count == 2
    assert s.commit_probability["berlin"]["embargo"]["UAE"].count == 0
    assert s.holds_probability == 0.5
    assert s.holds.interval == wilson_interval(3, 6)
    # runs 0 and 1 were signed by both; one of them holds
    assert (s.holds_if_signed.count, s.holds_if_signed.total) == (1, 2)
    # most frequent first, ties by name
    assert s.binding_constraints == (("b", 3), ("a", 2), ("none", 1))


def test_summary_dict_json_frame_and_table():
    s = summarize(_hand_runs(), seed=7, scenario_id="x", versions={"negsim": "0"})
    d = s.to_dict()
    for key in ("runs", "seed", "outcomes", "sign_probability", "holds_probability",
                "intervals", "binding_constraints", "scenario", "versions"):
        assert key in d
    assert d["outcomes"]["no_agreement"] == pytest.approx(1 / 3)
    assert d["sign_probability"] == {"moscow": {"GNA": 4 / 6, "LNA": 2 / 6}}
    assert d["intervals"]["holds_probability"] == list(wilson_interval(3, 6))
    assert d["intervals"]["sign_probability"]["moscow"]["LNA"] == list(wilson_interval(2, 6))
    assert list(d["binding_constraints"]) == ["b", "a", "none"]
    assert json.loads(s.to_json()) == d
    frame = s.to_frame()
    assert len(frame) == 4 + 2 + 2 + 2  # outcomes, holds (+ if signed), signers, commitments
    assert frame.loc[frame["quantity"] == "sign", "actor"].tolist() == ["GNA", "LNA"]
    text = str(s)
    assert "partial signature" in text and "moscow: GNA" in text and "berlin: embargo" in text


def test_summarize_rejects_bad_frames():
    with pytest.raises(ValueError, match="outcome"):
        summarize(pd.DataFrame({"holds": [True]}))
    with pytest.raises(ValueError, match="empty"):
        summarize(_hand_runs().iloc[:0])
    bad = _hand_runs().assign(outcome="peace")
    with pytest.raises(ValueError, match="unknown outcome"):
        summarize(bad)


def test_summary_without_rounds():
    s = summarize(pd.DataFrame({"outcome": ["no_agreement"] * 3, "holds": [False] * 3}))
    assert s.holds_if_signed is None and not s.sign_probability and s.binding_constraints == ()
    assert s.to_dict()["holds_if_signed"] is None
