"""Survival of the ceasefire in the implementation phase, over synthetic runs tables.

The runs tables follow the column spec of an implementation entry (``I.duration``,
``I.broke``, ``I.broken_by``, ``I.reason``, ``I.m<t>.<patron>.delivered`` / ``.detected``,
``I.m<t>.<belligerent>.capability``) and are built here with numpy, with known answers.
The Kaplan–Meier estimator is checked against scipy's ``stats.ecdf`` and, when installed,
lifelines' ``KaplanMeierFitter``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from negsim.ensemble import Summary, summarize, wilson_interval
from negsim.ensemble.implementation import (
    breakers,
    embargo_kept,
    holds_counts,
    implementation_columns,
    implementation_fields,
    report_months,
    survival_curve,
)
from negsim.ensemble.survival import kaplan_meier

PATRONS = ("UAE", "Russia", "Turkey")
BELLIGERENTS = ("LNA", "GNA")


def _runs(duration, broke, *, horizon: int, entry: str = "aftermath", seed: int = 0,
          deliver=None, broken_by=None, reason=None) -> pd.DataFrame:
    """A runs table with one implementation entry; ``deliver[p]`` is P(delivery)."""
    rng = np.random.default_rng(seed)
    duration = np.asarray(duration, dtype=float)
    broke = np.asarray(broke, dtype=bool)
    n = duration.size
    outcome = np.where(broke, "signed_but_fragile", "signed_and_holds")
    cols: dict[str, object] = {
        "run": np.arange(n), "seed": np.zeros(n, dtype=np.int64),
        "outcome": outcome, "holds": ~broke,
        f"{entry}.duration": duration, f"{entry}.broke": broke,
        f"{entry}.broken_by": (np.where(broke, "LNA", "") if broken_by is None
                               else np.asarray(broken_by, dtype=object)),
        f"{entry}.reason": (np.where(broke, "the LNA expects to decline", "") if reason is None
                            else np.asarray(reason, dtype=object)),
    }
    deliver = deliver or {p: 0.1 * (i + 1) for i, p in enumerate(PATRONS)}
    cap = {b: np.full(n, 0.5) for b in BELLIGERENTS}
    for t in range(1, horizon + 1):
        for p in PATRONS:
            d = rng.random(n) < deliver[p]
            cols[f"{entry}.m{t}.{p}.delivered"] = d
            cols[f"{entry}.m{t}.{p}.detected"] = d & (rng.random(n) < 0.5)
        for b in BELLIGERENTS:
            cap[b] = np.clip(cap[b] + rng.normal(0, 0.02, n), 0, 1)
            cols[f"{entry}.m{t}.{b}.capability"] = cap[b]
    cols["binding_constraint"] = np.full(n, "none")
    return pd.DataFrame(cols)


def _random_runs(n: int = 500, horizon: int = 24, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    month = rng.geometric(0.06, n)  # ties: many runs break in the same month
    broke = month <= horizon
    return _runs(np.where(broke, month, horizon), broke, horizon=horizon, seed=seed)


# ---- the estimator ----------------------------------------------------------------------
def test_all_break_at_month_3():
    c = kaplan_meier(np.full(10, 3.0), np.ones(10, bool), months=range(7))
    assert c.probability == (1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0)
    assert c.low == c.high == c.probability  # [1, 1] before, [0, 0] after
    assert c.at_risk == (10, 10, 10, 10, 0, 0, 0)
    assert c.events == (0, 0, 0, 10, 0, 0, 0)


def test_none_break():
    c = kaplan_meier(np.full(5, 6.0), np.zeros(5, bool), months=range(7))
    assert c.probability == (1.0,) * 7 and c.low == (1.0,) * 7 and c.high == (1.0,) * 7


def test_censoring_removes_runs_from_the_risk_set():
    # 4 runs: breaks at 1, censored at 2, breaks at 3, censored at 3 (events before censoring)
    c = kaplan_meier([1, 2, 3, 3], [True, False, True, False], months=[0, 1, 2, 3, 4])
    assert c.probability == pytest.approx((1.0, 0.75, 0.75, 0.375, 0.375))
    assert c.at_risk == (4, 4, 3, 2, 0)


def test_fixed_horizon_censoring_is_the_empirical_survival_with_binomial_greenwood():
    """Censored only at H: S(t) is the share of runs not broken by t, Var = S(1-S)/n."""
    runs = _random_runs(n=800, horizon=24)
    d, b = runs["aftermath.duration"].to_numpy(), runs["aftermath.broke"].to_numpy()
    c = survival_curve(runs)
    n = len(runs)
    for t in range(25):
        s = np.mean(~(b & (d <= t)))
        assert c.at(t) == pytest.approx(s, abs=1e-12)
        if 0 < s < 1:
            se = np.sqrt((1 - s) / (n * s)) / abs(np.log(s))
            z = 1.959963984540054
            assert c.band(t) == pytest.approx((s ** np.exp(z * se), s ** np.exp(-z * se)))
            assert c.low[t] < s < c.high[t]


def _random_censored(seed: int, n: int = 300):
    rng = np.random.default_rng(seed)
    event = rng.integers(1, 15, n).astype(float)  # integer months: many ties
    censor = rng.integers(1, 20, n).astype(float)
    duration = np.minimum(event, censor)
    observed = event <= censor  # a tie of event and censoring counts as the event
    return duration, observed


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_scipy_ecdf_with_censoring_and_ties(seed):
    from scipy.stats import CensoredData, ecdf

    d, e = _random_censored(seed)
    grid = np.arange(0, 21, 0.5)
    ours = kaplan_meier(d, e, months=grid)
    res = ecdf(CensoredData(uncensored=d[e], right=d[~e]))
    np.testing.assert_allclose(ours.probability, res.sf.evaluate(grid), rtol=0, atol=1e-12)
    with warnings.catch_warnings():  # scipy warns where its band is undefined (S = 0)
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = res.sf.confidence_interval(0.95, method="log-log")
        lo, hi = ci.low.evaluate(grid), ci.high.evaluate(grid)
    ok = np.isfinite(lo) & np.isfinite(hi)
    assert ok.sum() > 10
    np.testing.assert_allclose(np.asarray(ours.low)[ok], lo[ok], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(np.asarray(ours.high)[ok], hi[ok], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_lifelines_with_censoring_and_ties(seed):
    lifelines = pytest.importorskip("lifelines")
    d, e = _random_censored(seed)
    grid = np.arange(0, 21, 0.5)
    ours = kaplan_meier(d, e, months=grid)
    kmf = lifelines.KaplanMeierFitter().fit(d, e, alpha=0.05)
    np.testing.assert_allclose(ours.probability, kmf.survival_function_at_times(grid).to_numpy(),
                               rtol=0, atol=1e-12)
    ci = kmf.confidence_interval_survival_function_
    times = ci.index.to_numpy()
    idx = np.searchsorted(times, grid, side="right") - 1
    np.testing.assert_allclose(ours.low, ci.iloc[idx, 0].to_numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.high, ci.iloc[idx, 1].to_numpy(), rtol=1e-9, atol=1e-12)


def test_estimator_rejects_bad_input():
    with pytest.raises(ValueError, match="boolean"):
        kaplan_meier([1, 2], [1, 0], months=[0])
    with pytest.raises(ValueError, match="length"):
        kaplan_meier([1, 2], [True], months=[0])
    with pytest.raises(ValueError, match="finite"):
        kaplan_meier([1, np.nan], [True, True], months=[0])
    with pytest.raises(ValueError, match="no runs"):
        kaplan_meier([], np.array([], bool), months=[0])
    with pytest.raises(KeyError, match="grid"):
        kaplan_meier([1], [True], months=[0, 1]).at(5)


# ---- reading the runs table -------------------------------------------------------------
def test_columns_are_recognised():
    runs = _runs([3, 6], [True, False], horizon=6)
    cols = implementation_columns(runs)
    assert list(cols) == ["aftermath"]
    c = cols["aftermath"]
    assert (c.horizon, c.patrons, c.belligerents) == (6, PATRONS, BELLIGERENTS)
    assert implementation_columns(runs.drop(columns="aftermath.broke")) == {}
    assert report_months(c.horizon) == (1, 3, 6)


def test_holds_at_first_breaker_and_reasons():
    n = 100
    d = np.r_[np.full(20, 1.0), np.full(30, 3.0), np.full(10, 12.0), np.full(40, 24.0)]
    b = np.r_[np.ones(60, bool), np.zeros(40, bool)]
    who = np.r_[["LNA"] * 20, ["LNA/support_base"] * 30, ["GNA"] * 10, [""] * 40]
    why = np.r_[["decline"] * 50, ["optimism"] * 10, [""] * 40]
    runs = _runs(d, b, horizon=24, broken_by=who, reason=why)
    assert holds_counts(runs) == {1: 80, 3: 50, 6: 50, 12: 40, 24: 40}
    assert breakers(runs) == (("LNA/support_base", 30), ("LNA", 20), ("GNA", 10))
    assert breakers(runs, by="reason") == (("decline", 50), ("optimism", 10))
    s = summarize(runs)
    assert [m for m in s.holds_at] == [1, 3, 6, 12, 24]
    assert s.holds_at[3].probability == 0.5
    assert (s.holds_at[3].low, s.holds_at[3].high) == wilson_interval(50, n)
    for m, p in s.holds_at.items():
        assert s.survival.at(m) == pytest.approx(p.probability)
    assert list(s.first_breaker) == ["LNA/support_base", "LNA", "GNA"]
    assert s.first_breaker["LNA"].probability == 0.2
    assert s.break_reasons["optimism"].count == 10


def test_embargo_kept_with_wilson_intervals():
    runs = _runs(np.full(400, 4.0), np.zeros(400, bool), horizon=4,
                 deliver={"UAE": 0.0, "Russia": 1.0, "Turkey": 0.3})
    df = embargo_kept(runs)
    assert len(df) == 4 * 3 and df["month"].tolist()[:3] == [1, 1, 1]
    uae = df[df["patron"] == "UAE"]
    assert (uae["probability"] == 1.0).all() and (uae["high"] == 1.0).all()
    assert (df[df["patron"] == "Russia"]["probability"] == 0.0).all()
    turkey = df[df["patron"] == "Turkey"].iloc[0]
    delivered = runs["aftermath.m1.Turkey.delivered"].to_numpy()
    assert turkey["kept"] == 400 - delivered.sum()
    assert (turkey["low"], turkey["high"]) == wilson_interval(int(turkey["kept"]), 400)
    assert turkey["detected"] == (delivered & runs["aftermath.m1.Turkey.detected"]).sum()
    kept = summarize(runs).embargo_kept
    assert list(kept) == [1, 2, 3, 4] and list(kept[1]) == list(PATRONS)
    assert kept[1]["Turkey"].probability == turkey["probability"]


@pytest.mark.parametrize("change, match", [
    (lambda r: r.assign(**{"aftermath.broke": r["aftermath.broke"].astype(int)}), "boolean"),
    (lambda r: r.assign(**{"aftermath.duration": r["aftermath.duration"] + 30}), "outside"),
    (lambda r: r.assign(**{"aftermath.duration": np.where(r["aftermath.broke"], 2.0, 5.0)}),
     "held"),
    (lambda r: r.drop(columns="aftermath.m2.UAE.delivered"), "m2.UAE.delivered"),
])
def test_bad_columns_are_named(change, match):
    runs = change(_runs([2, 6], [True, False], horizon=6))
    with pytest.raises(ValueError, match=match) as err:
        summarize(runs)
    assert "aftermath" in str(err.value)


def test_unknown_entry_is_named():
    runs = _runs([2, 6], [True, False], horizon=6)
    with pytest.raises(ValueError, match="'ceasefire'"):
        survival_curve(runs, "ceasefire")
    with pytest.raises(ValueError, match="no implementation phase"):
        survival_curve(runs[["outcome", "holds"]])


# ---- the summary ------------------------------------------------------------------------
def test_summary_json_gains_survival_and_embargo_kept():
    runs = _random_runs(n=300, horizon=12)
    s = summarize(runs, seed=3)
    d = s.to_dict()
    keys = list(d)
    assert keys[keys.index("holds_if_signed") + 1: keys.index("holds_if_signed") + 3] == [
        "survival", "embargo_kept"]
    assert list(d["survival"]) == [str(m) for m in range(13)]
    assert d["survival"]["0"] == 1.0
    assert d["survival"]["12"] == pytest.approx(1 - runs["aftermath.broke"].mean())
    assert list(d["embargo_kept"]) == [str(m) for m in range(1, 13)]
    assert list(d["embargo_kept"]["1"]) == list(PATRONS)
    assert d["embargo_kept"]["5"]["Russia"] == pytest.approx(
        1 - runs["aftermath.m5.Russia.delivered"].mean())
    assert json.loads(s.to_json()) == json.loads(json.dumps(d))
    frame = s.to_frame()
    assert set(frame["quantity"]) >= {"survival", "holds_at", "first_breaker", "break_reason",
                                      "embargo_kept"}
    assert (frame["quantity"] == "survival").sum() == 13


def test_summary_json_says_who_breaks_it_first_as_the_printed_summary():
    # B's hardliners (a faction, "B/hard") and, with noisier choices, B itself break the
    # spoiler fixture's truce: the JSON's broken_first is a hand count of the runs'
    # broken_by, in the printed order and with the printed numbers.
    import negsim
    from negsim.ensemble.summary import report_words

    fixture = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "spoiler.toml"
    spoiler = negsim.load_scenario(fixture).with_overrides({"model.rationality": 5.0})
    result = negsim.simulate(spoiler, runs=400, seed=7)
    runs = result.runs
    counts: dict[str, int] = {}
    for who in runs["after.broken_by"]:
        if who != "":
            counts[who] = counts.get(who, 0) + 1
    assert "B/hard" in counts and len(counts) >= 2
    by_hand = {who: k / len(runs) for who, k in sorted(counts.items(),
                                                        key=lambda kv: (-kv[1], kv[0]))}
    d = result.summary().to_dict()
    assert list(d["broken_first"].items()) == list(by_hand.items())
    keys = list(d)
    assert keys[keys.index("embargo_kept") + 1] == "broken_first"
    assert json.loads(result.summary().to_json())["broken_first"] == by_hand
    table = summarize(runs, words=report_words(spoiler)).table()
    block = table.split("Who breaks it first (share of runs)\n", 1)[1].split("\n\n", 1)[0]
    printed = [line.split()[:2] for line in block.splitlines() if "nobody" not in line]
    assert printed == [[f"{p:.1%}", who] for who, p in d["broken_first"].items()]
    # nothing broke: an empty mapping (the runs that held are left out)
    held = summarize(_runs([3, 3], [False, False], horizon=3)).to_dict()
    assert held["broken_first"] == {}


def test_summary_text_shows_holds_breakers_and_embargo():
    runs = _random_runs(n=300, horizon=12)
    # The report names the deal in the scenario's words (Libya's here); see report_words.
    words = {"deal": "the ceasefire", "holds": "the ceasefire holds",
             "embargo": "keep the arms embargo"}
    text = summarize(runs, words=words).table()
    assert "Ceasefire (aftermath, horizon 12 months)" in text
    assert "the ceasefire holds to the horizon" in text
    plain = summarize(runs).table()
    assert "Agreement (aftermath" in plain and "ceasefire" not in plain.lower()
    for m in ("holds after 1 month ", "holds after 3 months", "holds after 6 months",
              "holds after 12 months (horizon)"):
        assert m in text
    assert "Who breaks it first (share of runs)" in text and "LNA" in text
    assert "nobody: it held for 12 months" in text
    assert "Why it breaks" in text
    embargo = text.split("Arms embargo kept (P)", 1)[1].splitlines()
    assert embargo[0].split() == ["month", "1", "month", "3", "month", "6", "month", "12"]
    assert [line.split()[0] for line in embargo[1:4]] == list(PATRONS)


def test_without_the_columns_nothing_changes():
    runs = _runs([2, 6], [True, False], horizon=6)
    plain = runs[["run", "seed", "outcome", "holds", "binding_constraint"]]
    s = summarize(plain)
    assert s.survival is None and not s.holds_at and not s.embargo_kept
    assert "survival" not in s.to_dict() and "Ceasefire" not in s.table()
    assert set(s.to_frame()["quantity"]) == {"outcome", "holds"}
    assert isinstance(s, Summary)


def test_implementation_fields_use_the_last_entry():
    a = _runs([2, 6], [True, False], horizon=6, entry="first")
    b = _runs([1, 1], [True, True], horizon=3, entry="second")
    both = pd.concat([a, b.drop(columns=["run", "seed", "outcome", "holds",
                                         "binding_constraint"])], axis=1)
    f = implementation_fields(both)
    assert f["survival"].entry == "second" and f["survival"].months[-1] == 3
    assert survival_curve(both, "first").months[-1] == 6
