"""The negotiation model: the Mesa reference against the vectorised engine, run by run, and
the behaviour the model promises (utilities, red lines, signatures, compliance, results).

Complements tests/protocol/test_kernels.py (the numeric kernels on their own) and the ensemble tests
(tests/ensemble/, tests/cli/test_run_cli.py: chunking, processes, the CLI).
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import inspect
import itertools
import math
import weakref
from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import pytest

import negsim
from negsim.games import pure_equilibrium_mask
from negsim.protocol.compliance import binary_equilibrium_mask, compliance_payoffs, players
from negsim.protocol.params import compile_scenario
from negsim.protocol.rounds import ImplementationResult
from negsim.protocol.rounds.kernels import mediator_box
from negsim.protocol.structure import compliance_inputs, structure
from negsim.protocol.utility import weights
from negsim.scenario import OUTCOMES, load_scenario
from negsim.sim.engine import simulate_runs
from negsim.sim.model import NegotiationModel, Negotiator
from negsim.sim.results import ConferenceResult, MediatedRoundResult, RunResult
from negsim.sim.rng import run_uniforms

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"


def _load(name: str) -> negsim.Scenario:
    return load_scenario(name if name == "libya-2020" else DATA / f"{name}.toml")


@pytest.fixture(scope="module")
def libya() -> negsim.Scenario:
    return load_scenario("libya-2020")


@pytest.fixture(scope="module")
def libya_runs(libya) -> pd.DataFrame:
    """1,000 runs of the Libya scenario with the engine (identical to the Mesa model)."""
    return simulate_runs(libya, 1, 1000)


@pytest.fixture(scope="module")
def toy() -> negsim.Scenario:
    """The toy scenario with its uncertain parameters pinned to their central values."""
    return _load("toy").with_overrides({
        "actors.Red.capability": 0.6,
        "actors.Blue.demands.withdrawal.salience": 0.8,
        "model.rationality": 5.0,
    })


def _mesa_frame(scenario: negsim.Scenario, seed: int, runs: np.ndarray) -> pd.DataFrame:
    rows = []
    for i in runs:
        model = NegotiationModel(scenario, rng=np.random.SeedSequence([seed, int(i)]))
        rows.append({"run": int(i), "seed": seed, **model.run().to_row()})
    return pd.DataFrame(rows)


def _assert_identical(mesa_df: pd.DataFrame, engine_df: pd.DataFrame) -> None:
    """Same columns and bitwise the same values (NaN equal to NaN), column by column."""
    assert list(mesa_df.columns) == list(engine_df.columns)
    for col in engine_df.columns:
        a, b = mesa_df[col].to_numpy(), engine_df[col].to_numpy()
        if engine_df[col].dtype.kind == "f":
            assert np.array_equal(a.astype(float), b, equal_nan=True), col
        else:
            assert [x for x in a] == [x for x in b], col


# ------------------------------------------------------------------ Mesa model == engine
@pytest.mark.parametrize(
    "name, seed, runs",
    [
        ("libya-2020", 1, np.arange(300)),
        ("libya-2020", 7, np.arange(10**6, 10**6 + 40)),
        ("libya-2020", 2**33 + 5, np.arange(25)),  # seeds >= 2**32 take numpy's generators
        ("toy", 2, np.arange(120)),
        ("tiny3", 3, np.arange(120)),
        ("nine", 4, np.arange(80)),
        ("minimal", 5, np.arange(30)),
        ("pd", 6, np.arange(40)),
        ("pd_guarantor", 7, np.arange(40)),
        ("harmony", 8, np.arange(40)),
        ("deadlock", 9, np.arange(20)),
        ("accord", 10, np.arange(60)),  # parties only: no_deal and contingent options
        ("accord_induced", 11, np.arange(80)),  # the mediator's side payments and guarantee
        ("spoiler", 12, np.arange(60)),  # a faction of a side may break the truce
    ],
)
def test_mesa_model_and_engine_agree_run_by_run(name, seed, runs):
    scenario = _load(name)
    engine_df = simulate_runs(scenario, seed, runs)
    mesa_df = _mesa_frame(scenario, seed, runs)
    # Put the Mesa columns in the engine's order (to_row documents the same layout).
    assert set(mesa_df.columns) == set(engine_df.columns)
    _assert_identical(mesa_df[list(engine_df.columns)], engine_df)


_EXTREMES = {
    "model.rationality": (0.0, 0.5, 40.0),
    "model.amendment_reach": (0.0, 1.0),
    "model.first_strike": (0.0, 2.0),
    "model.embargo_effect": (0.0, 1.0),
    "model.decisiveness": (0.05, 1.0),
    "model.contest_exponent": (0.5, 3.0),
    "actors.LNA.capability": (0.0, 0.2, 2.0),
    "actors.UAE.backs.LNA.leverage": (0.0, 1.0),
    "commitments.ceasefire_support.breach_cost": (0.0, 0.5),
}


@pytest.mark.parametrize("case", range(10))
def test_mesa_model_and_engine_agree_far_from_the_defaults(libya, case):
    """The identity also holds for parameters at the edges of their ranges."""
    rng = np.random.default_rng(case)
    picks = rng.choice(list(_EXTREMES), size=4, replace=False)
    overrides = {path: float(rng.choice(_EXTREMES[path])) for path in picks}
    scenario = libya.with_overrides(overrides)
    runs = np.arange(12)
    engine_df = simulate_runs(scenario, case, runs)
    _assert_identical(_mesa_frame(scenario, case, runs)[list(engine_df.columns)], engine_df)


@pytest.mark.parametrize("gamma", [0.5, 2.0])
def test_runs_do_not_depend_on_their_batch_for_special_exponents(libya, gamma):
    """numpy's power takes other paths (sqrt, square) for a broadcast exponent of 0.5 or 2."""
    scenario = libya.with_overrides({"model.contest_exponent": gamma})
    together = simulate_runs(scenario, 1, 30)
    alone = pd.concat([simulate_runs(scenario, 1, [i]) for i in range(30)], ignore_index=True)
    _assert_identical(alone, together)


def test_a_scenario_from_the_examples_agrees_too():
    path = Path(__file__).resolve().parents[2] / "examples" / "scenarios" / "highlands-2031.toml"
    if not path.exists():
        pytest.skip("examples/scenarios/highlands-2031.toml is not in this checkout")
    scenario = load_scenario(path)
    runs = np.arange(40)
    engine_df = simulate_runs(scenario, 3, runs)
    _assert_identical(_mesa_frame(scenario, 3, runs)[list(engine_df.columns)], engine_df)


def test_ensemble_runs_equal_the_mesa_model(libya):
    """negsim.simulate (chunks, executor) gives the Mesa model's runs, sampled across chunks."""
    ens = negsim.simulate(libya, runs=2000, seed=1, chunk_size=700).runs
    sample = np.array([0, 1, 699, 700, 1399, 1400, 1999])
    _assert_identical(_mesa_frame(libya, 1, sample)[list(ens.columns)],
                      ens.iloc[sample].reset_index(drop=True))


def test_the_identity_is_not_vacuous(libya_runs):
    """The compared runs differ among themselves in everything that is compared."""
    first = libya_runs.iloc[:300]
    assert first["outcome"].nunique() >= 2
    assert first["moscow.LNA.decision"].nunique() == 2
    assert first["moscow.LNA.choice"].nunique() == 3
    assert first["moscow.text.ceasefire"].nunique() > 250
    assert first["berlin.ceasefire_support.UAE"].nunique() == 2
    assert first["binding_constraint"].nunique() >= 3


@pytest.mark.parametrize("name", ["libya-2020", "nine", "deadlock", "minimal"])
def test_zero_runs_give_an_empty_frame_with_the_same_columns(name):
    scenario = _load(name)
    empty, some = simulate_runs(scenario, 1, 0), simulate_runs(scenario, 1, 2)
    assert len(empty) == 0 and list(empty.columns) == list(some.columns)


def test_run_uniforms_are_numpy_default_rng():
    small = np.array([0, 1, 2, 99, 65_536, 2**31, 2**32 - 1])  # the vectorised PCG64
    large = np.array([5, 2**32, 2**35 + 1])  # numpy's generators, run by run
    for seed in (0, 1, 12345, 2**32 - 1, 2**32, 2**40 + 3):
        for runs in (small, large):
            got = run_uniforms(seed, runs, 37)
            want = np.array([
                np.random.default_rng(np.random.SeedSequence([seed, int(r)])).random(37)
                for r in runs
            ])
            assert np.array_equal(got, want), (seed, runs)
    assert run_uniforms(3, np.array([], dtype=np.int64), 5).shape == (0, 5)


def test_binary_equilibrium_mask_is_the_game_engines_mask():
    rng = np.random.default_rng(11)
    for k in range(1, 7):
        for integer in (True, False):  # integer payoffs have ties and weak equilibria
            shape = (64, k) + (2,) * k
            pay = rng.integers(0, 3, size=shape).astype(float) if integer else rng.random(shape)
            want = pure_equilibrium_mask(pay, n_players=k).reshape(64, -1)
            assert np.array_equal(binary_equilibrium_mask(pay.reshape(64, k, -1)), want)


def _reference_payoffs(pl, kw: dict, r: int) -> np.ndarray:
    """Compliance payoffs of run r by loops over profiles and actors, from the formulas of
    the negsim.protocol.compliance docstring (independent of the vectorised code)."""
    w, ideal, x = kw["w"][r], kw["ideal"][r], kw["x"][r]
    cap, sup = kw["capability"][r], kw["support"][r]
    n = len(cap)
    bel = kw["belligerent"]

    def util(i: int, text: np.ndarray) -> float:
        return 1.0 - sum(w[i, k] * (text[k] - ideal[i, k]) ** 2 for k in range(len(text)))

    k = pl.k
    out = np.zeros((k,) + (2,) * k)
    for prof in itertools.product((0, 1), repeat=k):
        act = {int(a): bool(b) for a, b in zip(pl.actors, prof, strict=True)}
        violators = [a for a in act if act[a] and bel[a]]
        strength = np.zeros(n)
        for i in range(n):
            if not bel[i]:
                continue
            bonus = kw["first_strike"][r] if i in violators else 0.0
            strength[i] = cap[i] * (1 + bonus)
            for p in range(n):
                flow = 1.0 if act.get(p, False) else 1.0 - kw["embargo_effect"][r]
                strength[i] += sup[p, i] * cap[p] * flow
        powered = np.where(bel, strength ** kw["exponent"][r], 0.0)
        pi = powered / powered.sum()
        for j, a in enumerate(pl.actors):
            if not violators:
                u = util(a, x)
            elif math.isnan(kw["discount"][r, a]):
                u = util(a, kw["status_quo"][r])
            else:
                d, q, c = kw["discount"][r, a], kw["decisiveness"][r], kw["cost"][r, a]
                w_end = sum(pi[b] * util(a, ideal[b]) for b in range(n) if bel[b])
                u = (d * q * w_end - (1 - d) * c) / (1 - d * (1 - q))
            if act[int(a)] and not bel[a]:
                u -= kw["embargo_breach"][r, a]
            if act[int(a)] and bel[a]:
                u -= kw["ceasefire_pressure"][r, a]
            out[(j, *prof)] = u
    return out


@pytest.mark.parametrize("n, n_bel", [(5, 2), (6, 3), (4, 1)])
def test_compliance_payoffs_follow_the_documented_formulas(n, n_bel):
    rng = np.random.default_rng(n * 10 + n_bel)
    runs, m = 6, 3
    bel = np.arange(n) < n_bel
    links = np.zeros((n, n), dtype=bool)
    for p in range(n_bel, n - 1):  # the last actor backs nobody: not a player
        links[p, rng.integers(0, n_bel)] = True
    pl = players(bel, links)
    discount = rng.uniform(0.5, 0.95, (runs, n))
    discount[:, n - 2] = np.nan  # a patron without an outside option
    kw = dict(
        w=weights(rng.random((runs, n, m))), ideal=rng.random((runs, n, m)),
        x=rng.random((runs, m)), capability=rng.uniform(0.2, 1.0, (runs, n)),
        support=rng.random((runs, n, n)) * links, leverage=rng.random((runs, n, n)) * links,
        cost=rng.uniform(0, 0.2, (runs, n)), discount=discount,
        status_quo=rng.random((runs, m)), belligerent=bel,
        exponent=rng.uniform(0.5, 2.0, runs), decisiveness=rng.uniform(0.1, 1.0, runs),
        first_strike=rng.uniform(0, 1, runs), embargo_effect=rng.uniform(0, 1, runs),
        embargo_breach=rng.uniform(0, 0.1, (runs, n)),
        ceasefire_pressure=rng.uniform(0, 0.1, (runs, n)),
    )
    got = compliance_payoffs(pl, **kw)
    assert got.shape == (runs, pl.k) + (2,) * pl.k
    for r in range(runs):
        np.testing.assert_allclose(got[r], _reference_payoffs(pl, kw, r), rtol=0, atol=1e-12)


# ------------------------------------------------------------- utilities, outside options
def test_utilities_and_outside_options_by_hand(toy):
    model = NegotiationModel(toy, rng=0)
    red, blue, broker, ally = (model.agent(a) for a in ("Red", "Blue", "Broker", "Ally"))
    # Weights: Red (0.7, 0.3), Blue (0.8, 0.2), Broker (0.5, 0.5), Ally (0.6, 0.4).
    text = np.array([0.4, 0.2])  # withdrawal, embargo
    assert red.utility(text) == pytest.approx(1 - 0.7 * 0.4**2 - 0.3 * 0.8**2)
    assert blue.utility(text) == pytest.approx(1 - 0.8 * 0.6**2 - 0.2 * 0.2**2)
    assert broker.utility(text) == pytest.approx(1 - 0.5 * 0.1**2 - 0.5 * 0.8**2)
    assert ally.utility(text) == pytest.approx(1 - 0.6 * 0.6**2 - 0.4 * 0.2**2)
    assert red.utility(np.array([0.0, 1.0])) == pytest.approx(1.0)  # its ideal point
    # Fighting on: strengths Red 0.6, Blue 0.4 + 0.6 * 0.5 (the Ally's support); the winner
    # imposes its ideal, worth 0 to the loser; decisiveness 0.1, discount 0.9.
    pi_red, pi_blue = 0.6 / 1.3, 0.7 / 1.3
    assert red.outside_option == pytest.approx((0.9 * 0.1 * pi_red - 0.1 * 0.2) / (1 - 0.9 * 0.9))
    assert blue.outside_option == pytest.approx((0.9 * 0.1 * pi_blue - 0.1 * 0.15) / 0.19)
    # Without an outside option an actor values the status quo (withdrawal 0, embargo 0.2).
    assert broker.outside_option == pytest.approx(1 - 0.5 * 0.5**2 - 0.5 * 0.8**2)
    assert ally.outside_option == pytest.approx(1 - 0.6 * 1.0**2 - 0.4 * 0.2**2)
    # Lobbying: Blue's margin adds half the Ally's gain; Red has no patron.
    assert blue.patrons() == [(ally, 0.5)] and red.patrons() == []
    assert blue.stance(text) == pytest.approx(blue.utility(text) - blue.outside_option)
    assert blue.signing_margin(text) == pytest.approx(
        blue.utility(text) - blue.outside_option + 0.5 * (ally.utility(text) - ally.outside_option)
    )
    assert red.signing_margin(text) == pytest.approx(red.utility(text) - red.outside_option)
    # The commitment game payoff: the Ally wants no embargo (ideal 0, weight 0.4).
    assert ally.commitment_payoff(0.6, 1) == pytest.approx(-0.4 * 0.36)
    # The run reports the same numbers for its final text.
    result = model.run()
    final = np.array([result.round("talks").text[k] for k in toy.issue_ids])
    for agent in (red, blue, broker, ally):
        assert result.utilities[agent.actor_id] == agent.utility(final)
        assert result.outside_options[agent.actor_id] == agent.outside_option
    for a in ("Red", "Blue"):
        assert result.round("talks").margins[a] == model.agent(a).signing_margin(final)


def test_commitment_payoffs_of_the_agents_are_the_engines():
    """Bitwise, also for ideal points and status quos that are not round numbers."""
    from negsim.protocol.rounds.kernels import commitment_payoffs

    rng = np.random.default_rng(8)
    base = _load("toy")
    for _ in range(60):
        scenario = base.with_overrides({
            "actors.Ally.demands.embargo.ideal": float(rng.random()),
            "actors.Broker.demands.embargo.ideal": float(rng.random()),
            "issues.embargo.status_quo": float(rng.random()),
        })
        model = NegotiationModel(scenario, rng=0)
        powers = np.array([2, 3])  # Broker, Ally
        pay = commitment_payoffs(model.w, model.params.ideal, model.params.status_quo,
                                 powers, 1)[0]
        sq = model.params.status_quo[0, 1]
        for profile in itertools.product((0, 1), repeat=2):
            level = sq + (1.0 - sq) * (sum(profile) / 2)
            for j, a in enumerate(powers):
                assert pay[(j, *profile)] == model.negotiators[a].commitment_payoff(level, 1)


def test_outside_option_rises_with_patron_support():
    base = _load("toy").with_overrides({"actors.Red.capability": 0.6})
    more = base.with_overrides({"actors.Ally.backs.Blue.support": 1.0})
    d_base = NegotiationModel(base, rng=0).agent("Blue").outside_option
    d_more = NegotiationModel(more, rng=0).agent("Blue").outside_option
    red_base = NegotiationModel(base, rng=0).agent("Red").outside_option
    red_more = NegotiationModel(more, rng=0).agent("Red").outside_option
    assert d_more > d_base and red_more < red_base


# ------------------------------------------------------------------------------ red lines
def test_red_lines_block_signature_agent_level(toy):
    model = NegotiationModel(toy, rng=0)
    red = model.agent("Red")
    box = mediator_box(model.params.lo, model.params.hi, np.array([2]))  # the Broker's
    bad = np.array([0.8, 0.2])  # withdrawal beyond Red's maximum 0.5
    assert not red.accepts(bad) and red.accepts(np.array([0.5, 0.2]))
    assert red.violated_red_lines(bad) == ["no full withdrawal from the north"]
    assert red.violated_red_lines(np.array([0.5, 0.2])) == []
    uniforms = np.linspace(0.0, 1.0, 201, endpoint=False)
    firsts = {red.first_choice(bad, box, u) for u in uniforms}
    assert "sign" not in firsts and firsts <= {"time", "reject"}
    assert not any(red.final_choice(bad, u) for u in uniforms)
    # A text it accepts with a positive margin is signed for most draws.
    good = np.array([0.3, 0.5])
    assert red.signing_margin(good) > 0
    assert sum(red.final_choice(good, u) for u in uniforms) > 100
    code, lines, _ = red.refusal_reason(bad)
    assert lines == ["no full withdrawal from the north"]


def _violations(scenario: negsim.Scenario, df: pd.DataFrame, rid: str, actor: str) -> np.ndarray:
    bad = np.zeros(len(df), dtype=bool)
    for rl in next(a for a in scenario.actors if a.id == actor).red_lines:
        x = df[f"{rid}.text.{rl.issue}"].to_numpy()
        if rl.min is not None:
            bad |= x < rl.min - 1e-9
        if rl.max is not None:
            bad |= x > rl.max + 1e-9
    return bad


@pytest.mark.parametrize("name, rid, runs", [("libya-2020", "moscow", 1000), ("toy", "talks", 600)])
def test_a_text_across_a_red_line_is_never_signed(name, rid, runs):
    scenario = _load(name)
    df = simulate_runs(scenario, 3, runs)
    participants = next(e.participants for e in scenario.timeline if e.id == rid)
    crossed_somewhere = 0
    for a in participants:
        bad = _violations(scenario, df, rid, a)
        crossed_somewhere += int(bad.sum())
        assert (df.loc[bad, f"{rid}.{a}.decision"] == "no_sign").all(), a
        descriptions = [rl.description for x in scenario.actors if x.id == a
                        for rl in x.red_lines]
        for text in df.loc[bad, "binding_constraint"]:
            assert f"{a}: " in text and any(d in text for d in descriptions)
    assert crossed_somewhere > 0  # the property was exercised


def test_the_draft_stays_inside_the_mediators_red_lines(libya, libya_runs):
    st = structure(libya)
    p = compile_scenario(libya)
    meds = np.array([st.actor_ids.index(m) for m in ("Russia", "Turkey")])
    lower, upper = mediator_box(p.lo, p.hi, meds)
    for col in ("draft", "text"):
        x = libya_runs[[f"moscow.{col}.{k}" for k in st.issue_ids]].to_numpy()
        assert (x >= lower - 1e-12).all() and (x <= upper + 1e-12).all()


# ----------------------------------------------------------------------- signed and holds
def test_everyone_s_demands_met_is_signed_and_holds():
    scenario = _load("harmony")
    for i in range(40):
        result = NegotiationModel(scenario, rng=np.random.SeedSequence([9, i])).run()
        talks = result.round("talks")
        assert dict(talks.text) == {"prisoners": 1.0, "elections": 1.0}
        assert result.utilities["A"] == 1.0 and result.utilities["B"] == 1.0
        assert result.outcome == "signed_and_holds" and result.binding_constraint == "none"
        assert result.compliance.is_nash and result.compliance.is_strong
    df = simulate_runs(scenario, 9, 3000)
    assert (df["outcome"] == "signed_and_holds").all()
    assert df["actors.A.capability"].std() > 0.1  # whatever the sampled strength


def test_mediators_whose_red_lines_conflict_draft_nothing():
    scenario = _load("deadlock")
    result = NegotiationModel(scenario, rng=0).run()
    round1 = result.round("round1")
    assert all(math.isnan(v) for v in round1.text.values())
    assert dict(round1.decisions) == {"A": "no_sign", "B": "no_sign"}
    assert result.outcome == "no_agreement"
    assert result.binding_constraint == "the mediators' red lines conflict: no text"
    assert "no text" in result.story()


# ----------------------------------------------------------- prisoner's dilemma, guarantor
DEAL = {"town": 0.5, "revenue": 0.0}


def _deal_payoffs(scenario: negsim.Scenario, deal: dict, committed: dict | None = None):
    """The compliance game of a deal at the scenario's central values: (players, tensor)."""
    st = structure(scenario)
    p = compile_scenario(scenario)
    x = p.status_quo.copy()
    for k, v in deal.items():
        x[0, st.issue_ids.index(k)] = v
    c = np.zeros((1, len(st.actor_ids), len(st.commitment_ids)), dtype=bool)
    for cid, who in (committed or {}).items():
        for a in who:
            c[0, st.actor_ids.index(a), st.commitment_ids.index(cid)] = True
    powers = [np.flatnonzero(c[0].any(axis=1))] if c.any() else []
    embargo, pressure, strike, _ = compliance_inputs(st, p, c, powers)
    pay = compliance_payoffs(
        st.players, w=weights(p.salience), ideal=p.ideal, x=x, capability=p.capability,
        support=p.support, leverage=p.leverage, cost=p.cost, discount=p.discount,
        status_quo=p.status_quo, belligerent=st.belligerent, exponent=p.contest_exponent,
        decisiveness=p.decisiveness, first_strike=strike, embargo_effect=p.embargo_effect,
        embargo_breach=embargo, ceasefire_pressure=pressure,
    )[0]
    return tuple(st.actor_ids[a] for a in st.players.actors), pay


def test_the_toy_compliance_game_is_a_prisoners_dilemma():
    names, pay = _deal_payoffs(_load("pd"), DEAL)
    assert names == ("A", "B") and pay.shape == (2, 2, 2)  # comply = 0, violate = 1
    a, b = pay[0], pay[1]
    temptation, reward, punishment, sucker = a[1, 0], a[0, 0], a[1, 1], a[0, 1]
    assert temptation > reward > punishment > sucker
    assert 2 * reward > temptation + sucker  # mutual compliance is the efficient outcome
    assert np.array_equal(b, a.T)  # symmetric
    # By hand: peace 1 - 0.6 * 0.25 - 0.4 = 0.45; war W = pi + (1 - pi) 0.4 per period,
    # d = 0.65 W - 0.35 * 0.1, with pi = 1/2 (both or neither strike first), 3/4 (A alone).
    assert (reward, punishment) == pytest.approx((0.45, 0.65 * 0.7 - 0.035))
    assert (temptation, sucker) == pytest.approx((0.65 * 0.85 - 0.035, 0.65 * 0.55 - 0.035))
    assert negsim.NormalFormGame(pay).pure_equilibria() == [(1, 1)]


def test_prisoners_dilemma_is_not_self_enforcing_without_a_guarantor():
    scenario = _load("pd")
    comp = negsim.analyze(scenario, DEAL).compliance
    assert comp.players == ("A", "B")
    assert not comp.is_nash and not comp.is_strong and not comp.holds
    # Grim trigger would need delta >= (T - R) / (T - P) = 0.0675 / 0.0975 > 0.65.
    for a in ("A", "B"):
        assert comp.critical_discount[a] == pytest.approx(0.0675 / 0.0975)
        assert comp.critical_discount[a] > 0.65 and comp.margins[a] < 0
    assert "gains by breaking the ceasefire" in comp.binding
    # The guarantor's links alone change nothing: it must commit.
    guarded = _load("pd_guarantor")
    assert not negsim.analyze(guarded, DEAL).compliance.holds


def test_a_committed_guarantor_makes_the_deal_hold():
    guarded = _load("pd_guarantor")
    comp = negsim.analyze(guarded, DEAL, commitments={"guarantee": ["M"]}).compliance
    assert comp.players == ("A", "B", "M")
    assert comp.is_nash and comp.is_strong and comp.holds and comp.binding == "none"
    assert all(comp.margins[a] > 0 for a in ("A", "B"))
    # The belligerents' game at the guarantor's "keep" is the dilemma minus its pressure
    # (leverage 0.5 x breach cost 0.2) on every violation: complying becomes dominant.
    _, plain = _deal_payoffs(_load("pd"), DEAL)
    _, pressed = _deal_payoffs(guarded, DEAL, {"guarantee": ["M"]})
    pressure = np.array([[0.0, 0.0], [0.1, 0.1]])
    np.testing.assert_allclose(pressed[0, :, :, 0], plain[0] - pressure, atol=1e-12)
    np.testing.assert_allclose(pressed[1, :, :, 0], plain[1] - pressure.T, atol=1e-12)
    assert (pressed[0, 0, :, 0] > pressed[0, 1, :, 0]).all()


def test_the_simulated_dilemma_is_fragile_and_the_guarantee_holds():
    seen = {"pd": 0, "pd_guarantor": 0}
    for name in seen:
        scenario = _load(name)
        for i in range(30):
            result = NegotiationModel(scenario, rng=np.random.SeedSequence([4, i])).run()
            if result.round("talks").signatories != ("A", "B"):
                continue
            seen[name] += 1
            if name == "pd":
                assert result.outcome == "signed_but_fragile"
                assert "gains by breaking the ceasefire" in result.binding_constraint
            else:
                assert result.round("guarantee").commitments["guarantee"]["M"]
                assert result.outcome == "signed_and_holds"
    assert min(seen.values()) >= 20


# ---------------------------------------------------------------------------- determinism
@pytest.mark.parametrize("name", ["libya-2020", "toy", "nine"])
def test_same_seed_same_result_different_seeds_differ(name):
    scenario = _load(name)
    runs = [NegotiationModel(scenario, rng=np.random.SeedSequence([5, i])).run()
            for i in range(12)]
    again = [NegotiationModel(scenario, rng=np.random.SeedSequence([5, i])).run()
             for i in range(12)]
    assert runs == again
    assert [r.to_row() == a.to_row() for r, a in zip(runs, again, strict=True)] == [True] * 12
    assert len({repr(r.to_row()) for r in runs}) == 12  # every seed gives another run
    assert NegotiationModel(scenario, rng=17).run() == NegotiationModel(scenario, rng=17).run()


def test_models_do_not_share_state(libya):
    alone = NegotiationModel(libya, rng=np.random.SeedSequence([2, 3])).run()
    first = NegotiationModel(libya, rng=np.random.SeedSequence([2, 3]))
    first.step()
    other = NegotiationModel(libya, rng=np.random.SeedSequence([2, 4]))
    other.step()
    assert first.run() == alone
    assert other.run() != alone


# ----------------------------------------------------------------------------- Mesa idioms
def test_mesa_idioms(libya):
    model = NegotiationModel(libya, rng=np.random.SeedSequence([1, 0]))
    assert isinstance(model, mesa.Model)
    agents = list(model.agents)
    assert len(agents) == len(libya.actors) and all(isinstance(a, Negotiator) for a in agents)
    assert [a.actor_id for a in agents] == list(libya.actor_ids)
    assert sorted(a.unique_id for a in agents) == list(range(1, len(agents) + 1))
    assert model.agent("LNA").actor.roles == ("belligerent",)
    assert model.steps == 0 and model.running
    # One step per entry, one per month of the implementation phase.
    steps = [e.horizon if e.kind == "implementation" else 1 for e in libya.timeline]
    ends = np.cumsum(steps)
    for position in range(1, int(ends[-1]) + 1):
        assert model.running and model.result is None
        model.step()
        assert model.steps == position
        done = [e for e, end in zip(libya.timeline, ends, strict=True) if end <= position]
        assert len(model.rounds) == sum(e.kind != "event" for e in done)
    assert not model.running and isinstance(model.result, RunResult)
    assert model.steps == sum(steps)
    assert model not in mesa.Agent._ids  # stepping to the end releases the registry too
    assert model.run() is model.result  # run() after the end returns the same result
    assert [type(r) for r in model.result.rounds] == [MediatedRoundResult, ConferenceResult,
                                                      ImplementationResult]


def test_run_releases_the_mesa_id_registry(libya):
    model = NegotiationModel(libya, rng=np.random.SeedSequence([1, 1]))
    assert model in mesa.Agent._ids  # Mesa 3.3 registers every model that creates agents
    result = model.run()
    assert model not in mesa.Agent._ids
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None  # nothing keeps a finished model alive
    assert isinstance(result, RunResult)


# ---------------------------------------------------------------------- Libya over seeds
def test_libya_gna_signs_and_lna_does_not_in_most_runs(libya, libya_runs):
    gna = (libya_runs["moscow.GNA.decision"] == "sign").mean()
    lna = (libya_runs["moscow.LNA.decision"] == "sign").mean()
    assert gna > 0.5 and lna < 0.5, (gna, lna)
    other = simulate_runs(libya, 2, 1000)
    assert (other["moscow.GNA.decision"] == "sign").mean() > 0.5
    assert (other["moscow.LNA.decision"] == "sign").mean() < 0.5


def test_libya_names_why_the_lna_does_not_sign(libya, libya_runs):
    lna = next(a for a in libya.actors if a.id == "LNA")
    lines = [rl.description for rl in lna.red_lines]
    patrons = [a.id for a in libya.actors if any(b.client == "LNA" for b in a.backs)]
    assert set(patrons) == {"Russia", "Egypt", "UAE"}
    refused = libya_runs[libya_runs["moscow.LNA.decision"] == "no_sign"]
    assert len(refused) > 500
    for text in refused["binding_constraint"]:
        assert "LNA: " in text
        assert any(line in text for line in lines) or "patrons' pressure" in text
    # The same reasons in the RunResult of the Mesa model.
    checked = 0
    for i in refused["run"].to_numpy()[:25]:
        result = NegotiationModel(libya, rng=np.random.SeedSequence([1, int(i)])).run()
        assert result.round("moscow").decisions["LNA"] == "no_sign"
        assert result.outcome in ("partial_signature", "no_agreement")
        assert any(line in result.binding_constraint for line in lines)
        assert "LNA" in result.story()
        checked += 1
    assert checked == 25


def test_an_amendment_for_one_party_can_cost_the_other_s_signature(libya):
    """docs/explanation/model.md: the mediators amend within their own red lines only."""
    df = simulate_runs(libya, 1, 5000)
    gna, lna = df["moscow.GNA.choice"], df["moscow.LNA.choice"]
    signs = df["moscow.LNA.decision"] == "sign"
    alone = signs[(gna == "sign") & (lna == "time")].mean()
    both = signs[(gna == "time") & (lna == "time")].mean()
    lost = signs[(gna == "time") & (lna == "sign")]
    assert round(alone, 2) == 0.94 and round(both, 2) == 0.37  # the numbers on the page
    assert len(lost) > 100 and not lost.any()


# --------------------------------------------------------------------------- analyze()
def test_analyze_a_hand_checked_deal():
    toy = _load("toy")  # analyze uses the central values, whatever the uncertainty
    a = negsim.analyze(toy, {"withdrawal": 0.4, "embargo": 0.2})
    assert dict(a.text) == {"withdrawal": 0.4, "embargo": 0.2}
    assert a.utilities["Red"] == pytest.approx(1 - 0.7 * 0.16 - 0.3 * 0.64)
    assert a.utilities["Blue"] == pytest.approx(1 - 0.8 * 0.36 - 0.2 * 0.04)
    assert a.utilities["Ally"] == pytest.approx(1 - 0.6 * 0.36 - 0.4 * 0.04)
    d_red = (0.9 * 0.1 * 0.6 / 1.3 - 0.02) / 0.19
    d_blue = (0.9 * 0.1 * 0.7 / 1.3 - 0.015) / 0.19
    d_ally = 1 - 0.6 - 0.4 * 0.04
    assert a.outside_options["Red"] == pytest.approx(d_red)
    assert a.outside_options["Blue"] == pytest.approx(d_blue)
    assert a.outside_options["Ally"] == pytest.approx(d_ally)
    assert a.margins["Red"] == pytest.approx(0.696 - d_red)
    assert a.margins["Blue"] == pytest.approx(0.704 - d_blue + 0.5 * (0.768 - d_ally))
    assert dict(a.would_sign) == {"Red": True, "Blue": True}
    assert all(v == () for v in a.red_lines_violated.values())
    # Issues not given stay at the status quo; crossing a red line blocks a signature.
    b = negsim.analyze(toy, {"withdrawal": 0.6})
    assert b.text["embargo"] == 0.2
    assert b.red_lines_violated["Red"] == ("no full withdrawal from the north",)
    assert not b.would_sign["Red"] and b.margins["Red"] > 0
    # A committed embargo makes breaking it cost the Ally its breach cost (0.1); a myopic
    # patron's margin is then exactly that cost.
    free = negsim.analyze(toy, {"withdrawal": 0.4})
    bound = negsim.analyze(toy, {"withdrawal": 0.4}, commitments={"arms_embargo": ["Ally"]})
    assert free.compliance.margins["Ally"] == 0.0
    assert bound.compliance.margins["Ally"] == pytest.approx(0.1)
    assert a.holds == a.compliance.holds


def test_analyze_takes_the_monitoring_share_over_the_conference_powers(libya):
    """One of Berlin's four powers backing the committee is a quarter share, as in a run."""
    deal = {k: 0.5 for k in libya.issue_ids}
    margin = {
        n: negsim.analyze(libya, deal, {"military_committee": ["Russia", "Turkey", "Egypt",
                                                               "UAE"][:n]} if n else None)
        .compliance.margins["GNA"]
        for n in (0, 1, 4)
    }
    assert margin[0] < margin[1] < margin[4]  # less first-strike bonus, more to keep


@pytest.mark.parametrize(
    "deal, commitments, message",
    [
        ({"nope": 0.5}, None, "unknown issue 'nope'"),
        ({"withdrawal": 1.5}, None, r"must be in \[0, 1\]"),
        ({"withdrawal": -0.1}, None, r"must be in \[0, 1\]"),
        ({"withdrawal": float("nan")}, None, r"must be in \[0, 1\]"),
        ({}, {"no_such": ["Ally"]}, "unknown commitment 'no_such'"),
        ({}, {"arms_embargo": ["Nobody"]}, "unknown actor 'Nobody'"),
    ],
)
def test_analyze_errors(deal, commitments, message):
    with pytest.raises(ValueError, match=message):
        negsim.analyze(_load("toy"), deal, commitments)


# ------------------------------------------------------------- other sizes, no code change
@pytest.mark.parametrize("name, n_actors, n_issues", [("tiny3", 3, 2), ("nine", 9, None)])
def test_other_numbers_of_actors_and_issues_run(name, n_actors, n_issues):
    scenario = _load(name)
    assert len(scenario.actors) == n_actors
    if n_issues is not None:
        assert len(scenario.issues) == n_issues
    outcomes = set()
    for i in range(30):
        model = NegotiationModel(scenario, rng=np.random.SeedSequence([0, i]))
        assert len(model.agents) == n_actors
        result = model.run()
        assert [r.id for r in result.rounds] == [e.id for e in scenario.timeline
                                                 if e.kind != "event"]
        for r in result.rounds:
            if isinstance(r, MediatedRoundResult):
                assert list(r.text) == list(scenario.issue_ids)
                assert all(0.0 <= v <= 1.0 for v in r.text.values())
        assert result.outcome in OUTCOMES
        outcomes.add(result.outcome)
        assert result.story().count("\n") >= 2
    df = simulate_runs(scenario, 0, 500)
    assert set(df["outcome"]) <= set(OUTCOMES) and df["outcome"].nunique() >= 2


# ------------------------------------------------------------------------- documentation
_DOCUMENTED = ("sim.model", "sim.engine", "protocol.rounds.kernels", "protocol.utility",
               "protocol.compliance", "protocol.explain", "analysis.deal", "protocol.params",
               "sim.results")


def _public_callables():
    for name in _DOCUMENTED:
        mod = importlib.import_module(f"negsim.{name}")
        for attr in mod.__all__:
            obj = getattr(mod, attr)
            if not callable(obj):
                continue
            yield f"{name}.{attr}", obj
            if inspect.isclass(obj):
                for member, value in vars(obj).items():
                    if member.startswith("_"):
                        continue
                    func = value.fget if isinstance(value, property) else value
                    if inspect.isfunction(func):
                        yield f"{name}.{attr}.{member}", func


def test_every_public_name_is_in_all_and_has_an_example():
    for name in _DOCUMENTED:
        mod = importlib.import_module(f"negsim.{name}")
        own = {n for n, v in vars(mod).items() if not n.startswith("_")
               and (inspect.isfunction(v) or inspect.isclass(v))
               and v.__module__ == mod.__name__}
        assert own <= set(mod.__all__), (name, own - set(mod.__all__))
    missing = [q for q, obj in _public_callables()
               if "Examples\n" not in (inspect.getdoc(obj) or "")]
    assert missing == []


# ------------------------------------------------------------------------------ example
def test_moscow_and_berlin_example_tells_the_run(capsys):
    path = Path(__file__).resolve().parents[2] / "examples" / "moscow_and_berlin.py"
    spec = importlib.util.spec_from_file_location("moscow_and_berlin", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--seed", "3"]) == 0
    text = capsys.readouterr().out
    result = NegotiationModel(load_scenario("libya-2020"),
                              rng=np.random.SeedSequence([3, 0])).run()
    moscow = result.round("moscow")
    assert moscow.decisions == {"GNA": "sign", "LNA": "no_sign"}  # the story told below
    assert "MOSCOW, 13-14 January 2020" in text and "BERLIN, 19 January 2020" in text
    assert "A partial signature: GNA signed, LNA did not." in text
    reason = result.binding_constraint.partition(": ")[2]
    assert "Why LNA did not sign: " in text and reason.split()[0] in text
    assert "CROSSED" in text  # the red line the text crosses is shown in the table
    assert "Respect the arms embargo on Libya:" in text
    assert "DOES THE CEASEFIRE HOLD?" in text and "OUTCOME: partial signature" in text
    assert module.main(["--seed", "6"]) == 0
    assert "OUTCOME: signed and holds" in capsys.readouterr().out
