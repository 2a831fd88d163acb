"""Fixed-text ensembles with the mediators' inducements (#13 item 3, side payments and a
guarantee on a mediated round): the offer on a text, its guarantee, in the signing margins,
the compliance game and the implementation phase exactly as ``negsim run`` plays them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import negsim
from negsim.analysis.concessions import side_payments
from negsim.analysis.fixedtext import TextEnsemble
from negsim.protocol.inducements import offer_transfers
from negsim.sim.engine import simulate_runs

INDUCED = Path(__file__).parents[1] / "data" / "scenarios" / "accord_induced.toml"
RUNS, SEED = 300, 4


@pytest.fixture(scope="module")
def induced() -> negsim.Scenario:
    return negsim.load_scenario(INDUCED)


def _no_phase(s: negsim.Scenario) -> negsim.Scenario:
    return dataclasses.replace(s, timeline=tuple(t for t in s.timeline
                                                 if t.kind != "implementation"))


def _without_inducements(s: negsim.Scenario) -> negsim.Scenario:
    return dataclasses.replace(s, timeline=tuple(
        dataclasses.replace(t, inducements=()) if t.kind == "mediated_round" else t
        for t in s.timeline))


def _engine_agrees(s: negsim.Scenario) -> tuple[TextEnsemble, object]:
    ens = TextEnsemble.build(s, runs=RUNS, seed=SEED)
    df = simulate_runs(s, SEED, RUNS)
    r = ens.round
    draft = df[[f"{r}.draft.{k}" for k in ens.issue_ids]].to_numpy()
    assert np.array_equal(draft, ens.mediators_draft())
    t = ens.table(draft)
    for j, a in enumerate(ens.participants):
        assert np.array_equal(t.signed[:, j], (df[f"{r}.{a}.decision"] == "sign").to_numpy()), a
        assert np.array_equal(t.transfer[:, j], df[f"{r}.{a}.transfer"].to_numpy()), a
    assert np.array_equal(t.holds, df["holds"].to_numpy())
    assert np.array_equal(t.outcome, df["outcome"].to_numpy())
    return ens, df


def test_tabling_the_mediators_draft_is_the_engine_with_inducements(induced):
    # The phase decides whether the text holds: the transfers and the guarantee enter it.
    ens, df = _engine_agrees(induced)
    assert (df["vienna.USA.transfer"] > 0).any() and (df["vienna.RUS.transfer"] > 0).any()
    assert 0 < df["outcome"].eq("signed_and_holds").mean() < 1


def test_tabling_without_a_phase_is_the_engines_compliance_game(induced):
    # Without a phase, holds is the compliance game with the inducements' terms.
    _, df = _engine_agrees(_no_phase(induced))
    assert np.array_equal(df["holds"].to_numpy(), df["compliance.holds"].to_numpy())


def test_the_inducements_change_what_the_ensemble_finds(induced):
    # Not a no-op: without the file's inducements the same draft signs less often.
    ens = TextEnsemble.build(induced, runs=RUNS, seed=SEED)
    bare = TextEnsemble.build(_without_inducements(induced), runs=RUNS, seed=SEED)
    x = ens.mediators_draft()
    assert ens.table(x).probability > bare.table(x).probability
    assert bare.table(x).transfer is None and bare.evaluate(x).offered is None


def test_a_final_text_gets_the_offer_on_its_own_margins(induced):
    ens = TextEnsemble.build(induced, runs=RUNS, seed=SEED)
    bare = TextEnsemble.build(_without_inducements(induced), runs=RUNS, seed=SEED)
    x = ens.mediators_draft()
    ev, ev0 = ens.evaluate(x), bare.evaluate(x)
    budget = np.full(RUNS, 0.05)  # the EU's budget in the file
    offer = offer_transfers(ev0.margin, ev0.feasible, budget)
    assert np.array_equal(ev.offered, offer) and (offer > 0).any()
    assert np.array_equal(ev.margin, ev0.margin + offer)
    assert (ev.offered.sum(axis=1) <= 0.05 + 1e-12).all()
    # the design's own transfer is paid on top of the mediators' offer, which does not move
    more = ens.evaluate(x, transfer={"USA": 0.01})
    assert np.array_equal(more.offered, ev.offered)
    assert np.array_equal(more.margin[:, 1], ev.margin[:, 1] + 0.01)


def test_the_guarantee_and_transfers_enter_the_phase_and_the_game(induced):
    # Signed and in force, the text holds at least as often with the inducements as without
    # (transfers add to the value of keeping it, the guarantee to the cost of breaking it).
    ens = TextEnsemble.build(induced, runs=RUNS, seed=SEED)
    bare = TextEnsemble.build(_without_inducements(induced), runs=RUNS, seed=SEED)
    x = ens.mediators_draft()
    ev, ev0 = ens.evaluate(x), bare.evaluate(x)
    assert ev.holds.mean() > ev0.holds.mean()
    assert ev.compliance_holds.mean() >= ev0.compliance_holds.mean()
    # the phase got the round's terms as the engine's round leaves them
    keep, cost = ens._inducements(ev.offered)
    out = ens.text_phase.play(np.array(x), np.ones((RUNS, 5), bool), keep, cost)
    assert np.array_equal(out.holds, ev.holds)
    assert not np.array_equal(ens.text_phase.play(np.array(x), np.ones((RUNS, 5), bool)).holds,
                              ev.holds)


def test_design_side_payments_are_sized_on_top_of_the_file_offer(induced):
    # Deal design's transfers close what is left after the mediators' offer: a margin the
    # offer brought to exactly 0 needs nothing more, and the design's guarantee adds to the
    # file's (a party, not only a belligerent, can be guaranteed against).
    ens = TextEnsemble.build(_no_phase(induced), runs=RUNS, seed=SEED)
    x = ens.mediators_draft()[0]
    ev = ens.evaluate(x)
    closed = (ev.offered > 0) & (ev.margin == 0)
    assert closed.any()
    pays = side_payments(ens, x)
    assert pays and all(s.amount > 0 for s in pays)
    for s in pays:
        j = ens.participants.index(s.actor)
        if s.kind == "transfer":
            assert s.share_needed == float((ev.margin[:, j] < 0).mean())
            more = ens.evaluate(x, transfer={s.actor: s.amount})
            assert np.array_equal(more.offered, ev.offered)  # the file's offer stays
        else:
            assert s.actor in ens.participants
            assert ens.evaluate(x, guarantee={s.actor: s.amount}).probability == (
                s.probability_with)
    with pytest.raises(ValueError, match="neither a belligerent nor a party"):
        ens.evaluate(x, guarantee={"EU": 0.1})


def test_deal_analysis_counts_the_inducements_as_the_ensemble(induced):
    # negsim.analyze at the central values = a one-run ensemble without uncertainty
    # (the United States' value of no deal in its range; more sanctions relief than the
    # draft: the United States needs a transfer, which the EU's budget covers)
    central = dataclasses.replace(induced, uncertainty=()).with_overrides(
        {"actors.USA.outside_option.value": 0.85})
    ens = TextEnsemble.build(central, runs=1, seed=0)
    x = ens.as_text({"sanctions_relief": 0.8})
    deal = dict(zip(ens.issue_ids, x.tolist(), strict=True))
    a = negsim.analyze(central, deal, runs=200)
    ev = ens.evaluate(x)
    assert [a.transfers[p] for p in ens.participants] == ev.offered[0].tolist()
    assert any(v > 0 for v in a.transfers.values())
    assert [a.margins[p] for p in ens.participants] == ev.margin[0].tolist()
    assert a.compliance.holds == bool(ev.compliance_holds[0])
    # the guarantee and the transfers reach the phase: more plays hold than without them
    bare = negsim.analyze(_without_inducements(central), deal, runs=200)
    assert bare.transfers == {}
    assert a.probability_holds > bare.probability_holds
