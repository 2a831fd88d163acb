"""negsim.analysis.design, .concessions and .fixedtext: a toy with a known best deal, CRN, the
engine's kernels."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import negsim
from negsim.analysis.concessions import concession_path, side_payments
from negsim.analysis.design import DealDesign, design_deal
from negsim.analysis.fixedtext import TextEnsemble
from negsim.scenario import load_scenario
from negsim.sim.engine import simulate_runs

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"
RUNS = 300


@pytest.fixture(scope="module")
def toy():
    return load_scenario(DATA / "design-toy.toml")


@pytest.fixture(scope="module")
def toy_design(toy):
    return design_deal(toy, runs=RUNS, seed=0)


# ------------------------------------------------------------------ the fixed-text evaluator
@pytest.mark.parametrize("name", ["libya-2020", str(DATA / "toy.toml")])
def test_fixed_text_reproduces_the_engine_run_by_run(name):
    s = load_scenario(name)
    ens = TextEnsemble.build(s, runs=400, seed=7)
    df = simulate_runs(s, 7, 400)
    r = ens.round
    draft = df[[f"{r}.draft.{k}" for k in ens.issue_ids]].to_numpy()
    assert np.array_equal(ens.mediators_draft(), draft)
    text = df[[f"{r}.text.{k}" for k in ens.issue_ids]].to_numpy()
    ev = ens.evaluate(text)
    # the conference (played once, text-independent) and the compliance game agree exactly
    assert np.array_equal(ev.compliance_holds, df["compliance.holds"].to_numpy())
    assert np.array_equal(ev.margin, df[[f"{r}.{a}.margin" for a in ens.participants]].to_numpy())
    assert np.array_equal(ev.hold_margin > 0, ev.compliance_holds)
    # holds is the engine's holds wherever the text was in force (every participant signed):
    # the implementation phase where there is one (Libya), else the compliance game
    signed = np.column_stack([(df[f"{r}.{a}.decision"] == "sign").to_numpy()
                              for a in ens.participants])
    in_force = signed.all(axis=1)
    assert (ens.text_phase is None) == (name != "libya-2020")
    assert np.array_equal(ev.holds[in_force], df["holds"].to_numpy()[in_force])
    # the full round protocol with the engine's draft tabled reproduces the engine's runs
    tabled = ens.table(draft)
    assert np.array_equal(tabled.outcome, df["outcome"].to_numpy())
    assert np.array_equal(tabled.text, text)
    assert np.array_equal(tabled.signed, np.column_stack(
        [(df[f"{r}.{a}.decision"] == "sign").to_numpy() for a in ens.participants]))


def test_first_run_gives_the_later_runs_of_the_same_ensemble(toy):
    whole = TextEnsemble.build(toy, runs=20, seed=4)
    tail = TextEnsemble.build(toy, runs=10, seed=4, first_run=10)
    assert tail.run_index.tolist() == list(range(10, 20))
    x = np.array([0.7, 1.0])
    assert np.array_equal(whole.evaluate(x).signed[10:], tail.evaluate(x).signed)
    assert np.array_equal(whole.params.capability[10:], tail.params.capability)


def test_common_random_numbers(toy):
    a = TextEnsemble.build(toy, runs=200, seed=1)
    b = TextEnsemble.build(toy, runs=200, seed=1)
    x = np.array([0.7, 0.9])
    assert a.evaluate(x).probability == b.evaluate(x).probability
    assert np.array_equal(a.evaluate(x).signed, b.evaluate(x).signed)
    c = TextEnsemble.build(toy, runs=200, seed=2)
    assert not np.array_equal(a.params.capability, c.params.capability)


def test_probability_is_the_mean_of_products(toy):
    ens = TextEnsemble.build(toy, runs=200, seed=0)
    ev = ens.evaluate(np.array([0.8, 1.0]))
    lam = ens.params.rationality[:, None]
    expected = (1.0 / (1.0 + np.exp(-lam * ev.margin))).prod(axis=1) * ev.holds
    assert ev.probability == pytest.approx(expected.mean())
    # B cannot sign a border short of its red line (0.6)
    assert ens.evaluate(np.array([0.59, 1.0])).probability == 0.0
    # the realised draws agree with the probabilities on average
    assert abs(ev.realised_probability - ev.probability) < 0.1


def test_smoothed_probability_tends_to_the_exact_one():
    # Libya without its implementation phase: the compliance game decides whether it holds
    s = load_scenario("libya-2020")
    s = dataclasses.replace(s, timeline=tuple(e for e in s.timeline
                                              if e.kind != "implementation"))
    ens = TextEnsemble.build(s, runs=200, seed=0)
    assert ens.text_phase is None
    ev = ens.evaluate(np.clip(ens.central_draft(), *ens.box()))
    # indifferent coalitions (zero gain whatever the text) do not count as near-breaking
    assert np.all(ev.hold_margin[ev.holds] > 1e-6)
    assert abs(ev.smoothed_probability(1e-7) - ev.probability) < 1e-9
    assert ev.smoothed_probability(0.0) == ev.probability
    assert ev.smoothed_probability(0.01) < ev.smoothed_probability(1e-4) <= ev.probability


def test_evaluate_rejects_bad_texts(toy):
    ens = TextEnsemble.build(toy, runs=10)
    with pytest.raises(ValueError, match="shape"):
        ens.evaluate(np.array([0.5]))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        ens.evaluate(np.array([1.5, 0.0]))
    with pytest.raises(ValueError, match="unknown issue"):
        ens.evaluate({"nope": 0.1})
    with pytest.raises(ValueError, match="not a participant"):
        ens.evaluate(np.array([0.6, 1.0]), transfer={"M": 0.1})


def test_a_timeline_without_mediated_round_is_an_error(toy):
    import dataclasses

    no_round = dataclasses.replace(toy, timeline=())
    with pytest.raises(ValueError, match="no mediated round"):
        TextEnsemble.build(no_round, runs=5)


# ------------------------------------------------------------------ the known best deal
def test_toy_known_best_deal(toy_design):
    d = toy_design
    assert isinstance(d, DealDesign)
    # the draft splits the difference and opens trade (symmetric parties)
    assert d.draft["border"] == pytest.approx(0.5, abs=1e-6)
    assert d.draft["trade"] == pytest.approx(1.0, abs=1e-6)
    # the best deal moves the border exactly to B's red line and leaves trade alone
    assert d.text["border"] == pytest.approx(0.6, abs=2e-3)
    assert d.text["trade"] == d.draft["trade"]
    assert d.probability_draft == 0.0
    assert d.probability > 0.99
    assert d.holds_draft == 1.0 and d.holds == 1.0  # the draft would hold: B cannot sign it
    assert [c.issue for c in d.concessions] == ["border"]
    c = d.concessions[0]
    assert c.mattered and c.marginal_effect == pytest.approx(d.probability)
    assert c.draft == pytest.approx(0.5, abs=1e-6) and c.designed == d.text["border"]
    binding = [(r.actor, r.issue, r.bound) for r in d.red_lines if r.binds]
    assert binding == [("B", "border", "min")]
    assert d.side_payments == ()
    assert d.total_concession == pytest.approx(0.1, abs=2e-3)
    assert d.parameters["runs"] == RUNS and d.parameters["seed"] == 0
    # on independent runs the designed text does as well: it is not fitted to the noise
    assert d.probability_holdout_draft == 0.0
    assert d.probability_holdout == pytest.approx(d.probability, abs=0.02)


def test_toy_frontier_goes_from_draft_to_design(toy_design):
    f = toy_design.frontier
    assert f["step"].tolist() == [0, 1]
    assert f["probability"].iloc[0] == 0.0
    assert f["probability"].iloc[-1] == pytest.approx(toy_design.probability)
    assert f["total_concession"].iloc[-1] == pytest.approx(toy_design.total_concession)


def test_design_is_reproducible(toy, toy_design):
    again = design_deal(toy, runs=RUNS, seed=0)
    assert dict(again.text) == dict(toy_design.text)
    assert again.probability == toy_design.probability


def _strong_b(toy):
    # B much stronger and patient, fighting at no cost: its outside option nearly matches a
    # text at its red line, so the border must move further, traded off against the penalty.
    return toy.with_overrides({"actors.B.capability": 10.0, "actors.B.outside_option.cost": 0.0,
                               "actors.B.outside_option.discount": 0.99})


@pytest.fixture(scope="module")
def grid_best(toy):
    """The best objective on a 81 x 21 grid of the strong-B toy (same runs as the design)."""
    ens = TextEnsemble.build(_strong_b(toy), runs=200, seed=0)
    draft = ens.central_draft()
    best = -np.inf
    for b in np.linspace(0.6, 1.0, 81):
        for t in np.linspace(0.0, 1.0, 21):
            x = np.array([b, t])
            best = max(best, ens.evaluate(x).probability - 0.02 * np.abs(x - draft).sum())
    return best


@pytest.mark.parametrize("method", ["Powell", "Nelder-Mead", "differential_evolution"])
def test_optimiser_matches_a_brute_force_grid(toy, grid_best, method):
    s = _strong_b(toy)
    d = design_deal(s, runs=200, seed=0, method=method, smoothing=0.0)
    assert d.objective >= grid_best - 2e-3
    assert d.text["border"] > 0.65  # the red line alone is not enough here
    assert d.probability > d.frontier["probability"].iloc[0]


# ------------------------------------------------------------------ side payments
def test_transfer_is_the_missing_margin(toy):
    ens = TextEnsemble.build(toy, runs=300, seed=0)
    x = np.array([1.0, 0.0])  # B's border, no trade: worthless to A
    ev = ens.evaluate(x)
    m = ev.margin[:, 0]
    assert np.all(m < 0)
    pays = {(p.actor, p.kind): p for p in side_payments(ens, x)}
    t = pays[("A", "transfer")]
    assert t.share_needed == 1.0
    assert t.amount == pytest.approx(np.quantile(-m[m <= 0], 0.9))
    paid = ens.evaluate(x, transfer={"A": t.amount})
    assert np.mean(paid.margin[:, 0] >= -1e-12) >= 0.9
    assert t.probability_with == pytest.approx(paid.probability)
    assert np.mean(paid.p_sign[:, 0] >= 0.5 - 1e-9) >= 0.9  # a positive margin: P(sign) >= 1/2
    assert np.all(ev.p_sign[:, 0] < 0.5)
    # paid while the deal is in force, the transfer also makes complying worth more to A
    assert np.all(paid.compliance_margin[:, 0] > ev.compliance_margin[:, 0])
    # the same margin at central values from negsim.analyze (no uncertainty on A's margin
    # except A's capability): the transfer is of that size
    a = negsim.analyze(toy, {"border": 1.0, "trade": 0.0})
    assert -a.margins["A"] == pytest.approx(np.median(-m), abs=0.02)


def test_guarantee_restores_compliance(toy):
    s = toy.with_overrides({"model.first_strike": 10.0, "actors.A.outside_option.cost": 0.0})
    ens = TextEnsemble.build(s, runs=300, seed=0)
    x = np.array([1.0, 1.0])
    ev = ens.evaluate(x)
    assert 0.0 < ev.holds.mean() < 1.0
    pays = {(p.actor, p.kind): p for p in side_payments(ens, x)}
    g = pays[("A", "guarantee")]
    assert g.share_needed == pytest.approx(np.mean(ev.compliance_margin[:, 0] <= 0))
    assert g.amount > 0
    with_g = ens.evaluate(x, guarantee={"A": g.amount})
    assert with_g.holds.mean() > ev.holds.mean()
    assert g.probability_with == pytest.approx(with_g.probability)


def test_guarantees_paid_together_in_a_prisoners_dilemma():
    # pd.toml: each militia gains by a first strike; one guarantee alone cannot make the text
    # hold (the other still strikes), both together can
    d = design_deal(DATA / "pd.toml", runs=100, seed=0)
    g = [s for s in d.side_payments if s.kind == "guarantee"]
    assert sorted(s.actor for s in g) == ["A", "B"]
    assert all(s.probability_with == d.probability for s in g)
    assert d.probability_all_paid > d.probability + 0.5
    assert "all of them paid together" in d.table()


def test_concession_path_orders_by_gain(toy):
    ens = TextEnsemble.build(toy, runs=100, seed=0)
    draft = ens.central_draft()
    path = concession_path(ens, draft, np.array([0.6, 0.5]))
    # the border move is the one that makes B able to sign: it comes first
    assert path["issue"].tolist() == ["(draft)", "border", "trade"]
    assert path["probability"].iloc[1] > path["probability"].iloc[0]
    assert path["total_concession"].tolist() == pytest.approx([0.0, 0.1, 0.6], abs=1e-6)


# ------------------------------------------------------------------ errors and Libya
def test_design_rejects_bad_arguments(toy):
    with pytest.raises(ValueError, match="method"):
        design_deal(toy, runs=10, method="bfgs")
    with pytest.raises(ValueError, match="penalty"):
        design_deal(toy, runs=10, penalty=-1.0)


def test_empty_box_is_reported(toy):
    import dataclasses

    m = toy.actor("M")
    rl = dataclasses.replace(toy.actor("B").red_lines[0], min=None, max=0.3,
                             description="the mediator will not draft past 0.3")
    actors = tuple(dataclasses.replace(a, red_lines=(rl,)) if a.id == "M" else a
                   for a in toy.actors)
    assert m.red_lines == ()
    s = dataclasses.replace(toy, actors=actors)
    with pytest.raises(ValueError, match="no text every participant can sign"):
        design_deal(s, runs=10)


def test_libya_design_names_a_concession():
    d = design_deal("libya-2020", runs=300, seed=0, maxiter=2)
    assert d.probability > d.probability_draft
    moved = [c.issue for c in d.concessions if c.mattered]
    assert moved
    for c in d.concessions:
        assert c.draft != c.designed
    text = d.table()
    assert "Concessions" in text and moved[0] in text


# ------------------------------------------------------------------ the frontier plot
def test_concession_frontier_data_and_plot(toy_design):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from negsim.plot.design import _concession_frontier_data, plot_concession_frontier

    df = _concession_frontier_data(toy_design)
    assert df["label"].iloc[0] == "draft"
    assert df["label"].iloc[1].startswith("border 0.5 -> 0.6")
    assert np.all(df["low"] <= df["probability"]) and np.all(df["probability"] <= df["high"])
    assert np.all((df["low"] >= 0) & (df["high"] <= 1))
    ax = plot_concession_frontier(toy_design, Figure().add_subplot())
    xs, ys = ax.lines[0].get_data()  # the step line through the path
    assert list(xs) == pytest.approx(df["total_concession"].tolist())
    assert list(ys) == pytest.approx(df["probability"].tolist())
    assert "design-toy" in ax.get_title()


def test_design_snaps_to_a_red_line_and_reports_it():
    # toy.toml: Red will not withdraw beyond 0.5; the draft (about 0.56) crosses that line
    d = design_deal(DATA / "toy.toml", runs=200, seed=0)
    assert d.draft["withdrawal"] > 0.5
    assert d.text["withdrawal"] == 0.5
    assert ("Red", "withdrawal", "max") in [(r.actor, r.issue, r.bound) for r in d.red_lines
                                            if r.binds]
