"""Fixed-text ensembles with an implementation phase: "holds" is the phase's verdict at its
horizon, played by the kind itself on the same runs as ``negsim run``."""

from __future__ import annotations

import json

import numpy as np
import pytest

from negsim.analysis.concessions import side_payments
from negsim.analysis.design import design_deal
from negsim.analysis.fixedtext import TextEnsemble
from negsim.ensemble.implementation import holds_counts
from negsim.scenario import load_scenario
from negsim.sim.engine import simulate_runs

PHASE = "aftermath"


@pytest.fixture(scope="module")
def libya():
    return load_scenario("libya-2020")


@pytest.fixture(scope="module")
def ens(libya):
    return TextEnsemble.build(libya, runs=400, seed=3)


def _signable(ens):
    """The mediators' central draft moved into every red line: every participant can sign."""
    return np.clip(ens.central_draft(), *ens.box())


def test_the_phase_is_the_engines_column_by_column(libya):
    # The phase replayed on each run's final text, with who signed it, is the engine's phase:
    # every column of the runs table, whether the text was in force or the status quo.
    ens = TextEnsemble.build(libya, runs=300, seed=7)
    df = simulate_runs(libya, 7, 300)
    r = ens.round
    text = df[[f"{r}.text.{k}" for k in ens.issue_ids]].to_numpy()
    signed = np.column_stack([(df[f"{r}.{a}.decision"] == "sign").to_numpy()
                              for a in ens.participants])
    assert 0 < signed.all(axis=1).sum() < 300  # both cases occur
    out = ens.text_phase.play(text, signed)
    phase_cols = [c for c in df.columns if c.startswith(PHASE + ".")]
    assert sorted(out.columns) == sorted(phase_cols)
    for c in phase_cols:
        assert np.array_equal(np.asarray(out.columns[c]), df[c].to_numpy()), c
    assert np.array_equal(out.holds, df["holds"].to_numpy())
    # tabling the engine's own drafts reproduces its outcomes and its holds
    draft = df[[f"{r}.draft.{k}" for k in ens.issue_ids]].to_numpy()
    tabled = ens.table(draft)
    assert np.array_equal(tabled.outcome, df["outcome"].to_numpy())
    assert np.array_equal(tabled.holds, df["holds"].to_numpy())


def test_holds_is_the_share_of_runs_whose_phase_held_by_hand(ens):
    ev = ens.evaluate(_signable(ens))
    cols = ev.phase.columns
    broke = np.asarray(cols[f"{PHASE}.broke"], dtype=bool)
    duration = np.asarray(cols[f"{PHASE}.duration"], dtype=float)
    assert ev.p_all_sign.min() > 0  # a text that signs
    assert np.array_equal(ev.holds, ~broke)
    assert ev.probability == pytest.approx(np.mean(ev.p_all_sign * ~broke), abs=1e-15)
    by_hand = {m: float(np.mean(~(broke & (duration <= m)))) for m in (1, 3, 6, 12, 24)}
    assert ev.phase.probability_at() == by_hand
    assert ev.phase.probability == by_hand[24]
    # the ensemble module's own count on the same columns agrees
    counts = holds_counts(ev.phase.runs_table())
    assert {m: c / len(broke) for m, c in counts.items()} == by_hand
    signed_and = ev.probability_at([3, 6, 12])
    for m, v in signed_and.items():
        assert v == pytest.approx(np.mean(ev.p_all_sign * ~(broke & (duration <= m))))
    # who broke it, from the phase's columns
    who = ev.phase.breakers()
    assert sum(v for _, v in who) == pytest.approx(broke.mean())
    # the phase's verdict is an indicator: smoothing does not apply to it
    assert ev.smoothed_probability(0.01) == ev.probability


def test_a_text_farther_from_a_sides_ideal_holds_less_often(ens):
    # The LNA wants to keep its positions south of Tripoli (its ideal is 0 on
    # southern_tripoli, the GNA's 1): a text that makes it withdraw lowers the LNA's value of
    # keeping the ceasefire against fighting, month after month, on the same runs, so the LNA
    # strikes more often and the ceasefire holds less often.
    k = ens.issue_ids.index("southern_tripoli")
    assert ens.params.ideal[0, ens._st.actor_ids.index("LNA"), k] == 0.0
    near, far = _signable(ens), _signable(ens)
    near[k], far[k] = 0.0, 1.0
    ev_near, ev_far = ens.evaluate(near), ens.evaluate(far)
    assert ev_far.holds.mean() < ev_near.holds.mean() - 0.02
    lna = dict(ev_far.phase.breakers()).get("LNA", 0.0)
    assert lna > dict(ev_near.phase.breakers()).get("LNA", 0.0)


def test_same_seed_same_results_whatever_the_chunks(libya):
    whole = TextEnsemble.build(libya, runs=40, seed=4)
    head = TextEnsemble.build(libya, runs=20, seed=4)
    tail = TextEnsemble.build(libya, runs=20, seed=4, first_run=20)
    x = _signable(whole)
    ev = whole.evaluate(x)
    parts = [head.evaluate(x), tail.evaluate(x)]
    for c, v in ev.phase.columns.items():
        joined = np.concatenate([np.asarray(p.phase.columns[c]) for p in parts])
        assert np.array_equal(np.asarray(v), joined), c
    assert np.array_equal(ev.holds, np.concatenate([p.holds for p in parts]))
    # and again: the ensemble is not changed by evaluating texts on it
    assert np.array_equal(whole.evaluate(x).phase.duration, ev.phase.duration)


def test_no_guarantee_is_sized_on_the_compliance_game_when_a_phase_decides(ens):
    x = _signable(ens)
    for issue in ("southern_tripoli", "tarhuna"):
        x[ens.issue_ids.index(issue)] = 1.0
    assert all(s.kind == "transfer" for s in side_payments(ens, x))


def test_design_reports_the_phase_and_is_deterministic(libya):
    a = design_deal(libya, runs=100, seed=1, maxiter=1)
    b = design_deal(libya, runs=100, seed=1, maxiter=1)
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())  # NaN != NaN in a dict
    assert a.phase == PHASE and list(a.holds_at) == [1, 3, 6, 12, 24]
    assert a.holds == a.holds_at[24]
    assert all(0.0 <= v <= 1.0 for _, v in a.breaks)
    table = a.table()
    assert "P(the text holds 24 months once in force)" in table
    assert "P(it still holds after 3 months once in force)" in table
    assert "Why the designed text breaks once in force" in table


# ------------------------------------------------------------------ negsim.analyze
def test_analyze_plays_the_phase_on_the_deal_in_force(libya):
    import dataclasses

    import negsim

    box = TextEnsemble.build(libya, runs=1).box()
    deal = dict(zip([i.id for i in libya.issues], np.clip(0.5, *box).tolist(), strict=True))
    a = negsim.analyze(libya, deal, runs=300, seed=2)
    v = a.implementation
    assert (v.entry, v.horizon, v.runs, v.seed) == (PHASE, 24, 300, 2)
    assert a.probability_holds == v.probability == v.holds_at[24]
    assert list(v.holds_at.values()) == sorted(v.holds_at.values(), reverse=True)
    # the same seed gives the same plays; the status quo (three red lines of the LNA
    # crossed) holds less often than a deal within every red line
    assert negsim.analyze(libya, deal, runs=300, seed=2) == a
    sq = negsim.analyze(libya, runs=300, seed=2).implementation
    assert sq.probability < v.probability
    assert sq.reasons and sum(s for _, s in sq.broken_by) == pytest.approx(1 - sq.probability)
    # without a phase: the compliance game, as before
    no_phase = dataclasses.replace(libya, timeline=libya.timeline[:-1])
    b = negsim.analyze(no_phase, deal)
    assert b.implementation is None and b.probability_holds == float(b.holds)
    assert b.compliance == a.compliance
    with pytest.raises(ValueError, match="runs"):
        negsim.analyze(libya, deal, runs=0)
