"""The model's numerical kernels: utilities, outside options, drafting, choice, compliance."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from negsim.protocol.compliance import (
    CompliancePlayers,
    compliance_payoffs,
    compliance_verdicts,
    players,
)
from negsim.protocol.rounds.kernels import (
    amend,
    choose,
    commitment_payoffs,
    draft_text,
    feasible,
    select_equilibrium,
)
from negsim.protocol.utility import (
    outside_options,
    strengths,
    text_utility,
    utility_matrix,
    war_values,
    weights,
    win_probabilities,
)


# ----------------------------------------------------------------------------- utilities
def test_utility_hand_computed():
    w = weights(np.array([[2.0, 2.0, 0.0]]))
    u = text_utility(w, np.array([[1.0, 0.0, 0.3]]), np.array([0.5, 0.5, 0.9]))
    # 1 - 0.5*0.25 - 0.5*0.25 = 0.75; the third issue has no weight
    assert u.tolist() == [0.75]


def test_utility_at_ideal_is_one_and_in_unit_interval():
    rng = np.random.default_rng(3)
    ideal = rng.random((5, 4))
    w = weights(rng.random((5, 4)))
    assert np.allclose(np.diag(utility_matrix(w, ideal)), 1.0)
    u = text_utility(w, ideal, rng.random((100, 4)))
    assert u.shape == (100, 5) and u.min() >= 0.0 and u.max() <= 1.0


def test_strength_and_contest_hand_computed():
    cap = np.array([0.4, 0.5, 0.6])
    support = np.zeros((3, 3))
    support[2, 0] = 0.5  # actor 2 backs actor 0 with half its capability
    s = strengths(cap, support)
    assert np.allclose(s, [0.7, 0.5, 0.6])
    pi = win_probabilities(s, np.array([True, True, False]), 2.0)
    assert np.allclose(pi, [0.49 / 0.74, 0.25 / 0.74, 0.0])


def test_war_value_matches_series():
    # Sum the geometric series directly: V = sum_t (d(1-q))^t [-c + d q W/(1-d)], d_i = (1-d) V
    delta, q, cost = 0.85, 0.3, 0.07
    pi = np.array([0.6, 0.4])
    umat = np.array([[1.0, 0.2], [0.3, 1.0]])
    w_end = pi @ umat[0]
    v = sum((delta * (1 - q)) ** t * (-cost + delta * q * w_end / (1 - delta)) for t in range(2000))
    got = war_values(pi, umat, np.array([cost, cost]), np.array([delta, delta]), q)
    assert got[0] == pytest.approx((1 - delta) * v, rel=1e-9)


def test_outside_option_without_discount_is_status_quo_utility():
    d = outside_options(
        w=np.array([[[1.0], [1.0], [1.0]]]), ideal=np.array([[[0.0], [1.0], [0.5]]]),
        capability=np.array([[1.0, 1.0, 1.0]]), support=np.zeros((1, 3, 3)),
        cost=np.zeros((1, 3)), discount=np.array([[0.9, 0.9, np.nan]]),
        status_quo=np.array([[0.2]]), belligerent=np.array([True, True, False]),
        exponent=np.array([1.0]), decisiveness=np.array([1.0]),
    )
    assert d[0, 2] == pytest.approx(1 - 0.3**2)
    # belligerents: (0.9 * 1 * 0.5) with no cost
    assert d[0, 0] == pytest.approx(0.45)


# ----------------------------------------------------------------------------- drafting
def _nbs_scipy(w, ideal, d, omega, lo, hi):
    """Reference: maximise sum omega log(U - d) over the box with scipy (independent code)."""

    def neg(x):
        g = 1 - ((x[None, :] - ideal) ** 2 * w).sum(axis=1) - d
        if np.any(g <= 0):
            return 1e6
        return -np.sum(omega * np.log(g))

    best = None
    rng = np.random.default_rng(0)
    for _ in range(8):
        x0 = lo + rng.random(len(lo)) * (hi - lo)
        r = minimize(neg, x0, bounds=list(zip(lo, hi, strict=True)), method="L-BFGS-B")
        if best is None or r.fun < best.fun:
            best = r
    return best.x, -best.fun


@pytest.mark.parametrize("seed", range(25))
def test_draft_is_the_nash_bargaining_solution(seed):
    rng = np.random.default_rng(seed)
    b, m = rng.integers(2, 5), rng.integers(1, 5)
    ideal = rng.random((b, m))
    w = weights(rng.random((b, m)) + 0.05)
    d = rng.random(b) * 0.4
    omega = 1 + rng.random(b)
    lo = rng.random(m) * 0.3
    hi = 1 - rng.random(m) * 0.3
    x = draft_text(w[None], ideal[None], d[None], omega[None], lo, hi, np.zeros((1, m)))[0]
    ref_x, ref_val = _nbs_scipy(w, ideal, d, omega, lo, hi)
    g = text_utility(w, ideal, x) - d
    assert np.all(g > 0)
    ours = np.sum(omega * np.log(g))
    # negsim's fixed point is at least as good as scipy's best local optimum
    assert ours >= ref_val - 1e-7
    assert np.all(x >= lo - 1e-12) and np.all(x <= hi + 1e-12)


def test_draft_weights_shift_toward_heavier_party():
    w = np.ones((1, 2, 1))
    ideal = np.array([[[0.0], [1.0]]])
    x_eq = draft_text(w, ideal, np.zeros((1, 2)), np.array([[1.0, 1.0]]), np.zeros(1), np.ones(1),
                      np.zeros((1, 1)))
    x_b = draft_text(w, ideal, np.zeros((1, 2)), np.array([[1.0, 2.0]]), np.zeros(1), np.ones(1),
                     np.zeros((1, 1)))
    assert x_eq[0, 0] == pytest.approx(0.5, abs=1e-6)
    assert x_b[0, 0] > 0.55


def test_draft_respects_mediator_box():
    w = np.ones((1, 2, 1))
    ideal = np.array([[[1.0], [1.0]]])
    x = draft_text(w, ideal, np.zeros((1, 2)), np.ones((1, 2)), np.zeros(1), np.array([0.3]),
                   np.zeros((1, 1)))
    assert x[0, 0] == pytest.approx(0.3)


def test_amend_moves_only_cared_issues_and_stays_in_box():
    x = np.array([[0.2, 0.2, 0.2]])
    ideal = np.array([[[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]]])
    w = np.array([[[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]]])
    askers = np.array([[True, False]])
    out = amend(x, ideal, w, askers, np.array([0.5]), np.zeros(3), np.array([1.0, 0.4, 1.0]))
    assert np.allclose(out, [[0.6, 0.4, 0.2]])


def test_feasible_red_lines():
    lo = np.array([[0.5, 0.0]])
    hi = np.array([[1.0, 0.3]])
    assert feasible(lo, hi, np.array([0.5, 0.3])).tolist() == [True]
    assert feasible(lo, hi, np.array([0.49, 0.3])).tolist() == [False]
    assert feasible(lo, hi, np.array([0.6, 0.31])).tolist() == [False]


# ----------------------------------------------------------------------------- choice
@given(
    v=st.lists(st.floats(-2, 2), min_size=2, max_size=4),
    lam=st.floats(0, 30),
)
@settings(max_examples=60, deadline=None)
def test_choice_frequencies_match_logit_probabilities(v, lam):
    n = 4000
    u = (np.arange(n) + 0.5) / n
    values = np.tile(np.array(v), (n, 1))
    idx = choose(values, np.full(n, lam), u)
    p = np.exp(lam * (np.array(v) - max(v)))
    p /= p.sum()
    freq = np.bincount(idx, minlength=len(v)) / n
    assert np.allclose(freq, p, atol=2.0 / n + 1e-9)


def test_choice_never_picks_impossible_option():
    values = np.array([[-np.inf, 0.0, 0.0]] * 3)
    idx = choose(values, np.array([0.0, 5.0, 50.0]), np.array([0.0, 0.5, 0.999999]))
    assert 0 not in idx.tolist()


# ----------------------------------------------------------------------------- conference
def test_commitment_game_payoffs_and_selection():
    # Two powers; power 0 wants the issue at 1, power 1 at 0; status quo 0.
    w = np.ones((1, 2, 1))
    ideal = np.array([[[1.0], [0.0]]])
    pay = commitment_payoffs(w, ideal, np.zeros((1, 1)), np.array([0, 1]), 0)
    # level is the share committing: power 0 commits, power 1 does not
    assert pay[0, 0, 1, 0] == pytest.approx(-0.25)
    assert pay[0, 1, 1, 0] == pytest.approx(-0.25)
    mask = np.zeros((1, 2, 2), bool)
    mask[0, 1, 0] = True
    assert select_equilibrium(pay, mask).tolist() == [[1, 0]]


def test_selection_without_pure_equilibrium_uses_least_regret():
    mp = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=float)[None]
    out = select_equilibrium(mp, np.zeros((1, 2, 2), bool))
    assert out.shape == (1, 2)  # every profile has max regret 2: the first is chosen
    assert out.tolist() == [[0, 0]]


# ----------------------------------------------------------------------------- compliance
PD = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], dtype=float)
TWO = CompliancePlayers(np.array([0, 1]), np.array([True, True]),
                        np.array([[0, 0], [0, 1], [1, 0], [1, 1]]))


def test_prisoners_dilemma_compliance():
    a = compliance_verdicts(TWO, PD[None], np.array([[0.6, 0.6]]))
    assert not a.is_nash[0] and not a.is_strong[0]
    assert a.holds[0]
    assert np.allclose(a.critical[0], [0.5, 0.5])
    assert np.allclose(a.punish[0], [1, 1])
    b = compliance_verdicts(TWO, PD[None], np.array([[0.6, 0.3]]))
    assert not b.holds[0]
    assert b.binding[0] == 0b01  # player 1 (impatient) deviates alone


def test_coordination_is_nash_but_not_strong():
    # Both gain if they switch together; neither alone.
    g = np.array([[[2, 0], [0, 3]], [[2, 0], [0, 3]]], dtype=float)[None]
    a = compliance_verdicts(TWO, g, np.array([[0.0, 0.0]]))
    assert a.is_nash[0] and not a.is_strong[0] and not a.holds[0]
    assert a.binding[0] == 0b11


def test_compliance_payoffs_peace_and_war():
    # Two belligerents, one patron backing belligerent 1.
    n = 3
    w = np.ones((1, n, 1))
    ideal = np.array([[[0.0], [1.0], [1.0]]])
    links = np.zeros((n, n), bool)
    links[2, 1] = True
    pl = players(np.array([True, True, False]), links)
    support = np.zeros((1, n, n))
    support[0, 2, 1] = 1.0
    kw = dict(
        w=w, ideal=ideal, x=np.array([[0.5]]), capability=np.array([[1.0, 1.0, 1.0]]),
        support=support, leverage=np.zeros((1, n, n)), cost=np.array([[0.1, 0.1, 0.0]]),
        discount=np.array([[0.9, 0.9, 0.9]]), status_quo=np.array([[0.5]]),
        belligerent=np.array([True, True, False]), exponent=np.array([1.0]),
        decisiveness=np.array([1.0]), first_strike=np.array([0.0]),
        embargo_effect=np.array([0.5]), embargo_breach=np.array([[0.0, 0.0, 0.2]]),
        ceasefire_pressure=np.zeros((1, n)),
    )
    pay = compliance_payoffs(pl, **kw)[0]
    assert pay.shape == (3, 2, 2, 2)
    assert np.allclose(pay[:, 0, 0, 0], 0.75)  # peace: U = 1 - 0.25
    # Patron breaks the embargo in peace: pays the breach cost, nothing else changes.
    assert pay[2, 0, 0, 1] == pytest.approx(0.75 - 0.2)
    # War with the patron keeping the embargo: strengths 1 and 1 + 0.5
    pi1 = 1.5 / 2.5
    assert pay[0, 1, 0, 0] == pytest.approx(0.9 * (1 - pi1) - 0.1 * 0.1)
    # War with the patron breaking it: strengths 1 and 2
    assert pay[0, 1, 0, 1] == pytest.approx(0.9 * (1 / 3) - 0.1 * 0.1)


@pytest.mark.parametrize("k", [2, 3, 4])
def test_stage_profitable_marks_exactly_the_coalitions_whose_movers_all_gain(k):
    rng = np.random.default_rng(k)
    profiles = np.array([[int(b) for b in np.binary_repr(f, k)] for f in range(2**k)])
    pl = CompliancePlayers(np.arange(k), np.ones(k, dtype=bool), profiles)
    pay = rng.integers(0, 4, size=(100, k) + (2,) * k).astype(float)  # ties are common
    a = compliance_verdicts(pl, pay, np.full((100, k), 0.5))
    for r in range(100):
        flat = pay[r].reshape(k, -1)
        expected = [f for f, bits in enumerate(profiles)
                    if f and all(flat[i, f] - flat[i, 0] > 1e-9 for i in np.flatnonzero(bits))]
        assert np.flatnonzero(a.stage_profitable[r]).tolist() == expected
        assert bool(a.is_strong[r]) == (not expected)
