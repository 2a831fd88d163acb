"""The expected-utility round (negsim.forecasting.model), by hand and against a reference."""

from __future__ import annotations

import math

import numpy as np
import pytest
from forecast_cases import variants
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from negsim.forecasting import (
    EUParameters,
    Offer,
    eu_round,
    pairwise_votes,
    prevail_probability,
    risk_exponents,
)

SQRT2 = math.sqrt(2.0)


# ---------------------------------------------------------------------------------------
# hand-computed expected-utility rounds
# ---------------------------------------------------------------------------------------
# Two actors: A at 0 (c=1, s=1) and B at 1 (c=1, s=0.5); weights 1 and 0.5; range 1.
def test_two_actor_votes_and_probabilities():
    v = pairwise_votes([0, 1], [1, 1], [1, 0.5])
    # contest A vs B: A votes 1 * (1 - 0) = 1, B votes 0.5 * (0 - 1) = -0.5
    assert v[:, 0, 1] == pytest.approx([1.0, -0.5])
    assert v[:, 1, 0] == pytest.approx([-1.0, 0.5])
    assert np.all(v[:, 0, 0] == 0)
    pair = prevail_probability([0, 1], [1, 1], [1, 0.5], probability="pair")
    assert pair[0, 1] == pytest.approx(2 / 3) and pair[1, 0] == pytest.approx(1 / 3)
    # all ordered pairs: the two contests have 1.5 votes each, 3 in all
    allp = prevail_probability([0, 1], [1, 1], [1, 0.5])
    assert allp[0, 1] == pytest.approx(1 / 3) and allp[1, 0] == pytest.approx(1 / 6)
    # risk exponents act on normalised distances: with d in {0, 1} they change nothing
    assert pairwise_votes([0, 1], [1, 1], [1, 0.5], risk=[2, 0.5])[:, 0, 1] == pytest.approx(
        [1.0, -0.5])


def test_two_actor_round_default_parameters():
    rnd = eu_round([0, 1], [1, 1], [1, 0.5])
    # first pass, r = 1, d = 1: U^s = 2, U^f = -2, U^sq = 0, P = 1/3 and 1/6
    # EU_A(B) = 0.5 (1/3 * 2 - 2/3 * 2) + 0.5 * 2 = 2/3; EU_B(A) = 1/6 * 2 - 5/6 * 2 = -4/3
    assert rnd.danger == pytest.approx([-4 / 3, 2 / 3])  # D_A = EU_B(A), D_B = EU_A(B)
    assert rnd.risk == pytest.approx([2.0, 0.5])  # R = -1 and +1
    # second pass: U^sq = 2 - 4 * 0.5**r is 1 (r=2) and 2 - 2 sqrt 2 (r=0.5)
    usq_a, usq_b = 1.0, 2 - 2 * SQRT2
    assert rnd.eu_challenge[0, 1] == pytest.approx(2 / 3 - usq_a)
    assert rnd.eu_challenge[1, 0] == pytest.approx(-4 / 3 - usq_b)
    # the receiver evaluates the proposer's EU with its own exponent
    assert rnd.eu_proposer[0, 1] == pytest.approx(-4 / 3 - usq_a)  # B's EU vs A, seen by A
    assert rnd.eu_proposer[1, 0] == pytest.approx(2 / 3 - usq_b)  # A's EU vs B, seen by B
    # B: a = 2 sqrt2 - 10/3 < 0 < b = 2 sqrt2 - 4/3 and |a| < b: compromise towards A
    assert rnd.offer[1, 0] == Offer.COMPROMISE and rnd.offer[0, 1] == Offer.NONE
    a, b = 2 * SQRT2 - 10 / 3, 2 * SQRT2 - 4 / 3
    assert rnd.new_positions == pytest.approx([0.0, 1.0 - abs(a) / b])
    assert rnd.proposer.tolist() == [-1, 0]


def test_two_actor_round_perspective_and_probability_variants():
    # own perspective: B sees A's EU with A's exponent 2: 2/3 - 1 < 0, so no offer at all
    own = eu_round([0, 1], [1, 1], [1, 0.5], EUParameters(perspective="own"))
    assert own.eu_proposer[1, 0] == pytest.approx(2 / 3 - 1.0)
    assert own.proposer.tolist() == [-1, -1]
    # pair probabilities 2/3, 1/3: EU_A(B) = 4/3, EU_B(A) = -2/3 in the first pass
    pair = eu_round([0, 1], [1, 1], [1, 0.5], EUParameters(probability="pair"))
    assert pair.danger == pytest.approx([-2 / 3, 4 / 3])
    # B: a = -2/3 - (2 - 2 sqrt2) > 0 and b = 4/3 - (2 - 2 sqrt2) > a: B loses a confrontation
    assert pair.eu_challenge[1, 0] == pytest.approx(2 * SQRT2 - 8 / 3)
    assert pair.eu_proposer[1, 0] == pytest.approx(2 * SQRT2 - 2 / 3)
    assert pair.offer[1, 0] == Offer.CONFRONTATION
    assert pair.new_positions.tolist() == [0.0, 0.0]


def test_three_actor_round_by_hand():
    # A and B at 0 (c=1, s=1), C at 1 (c=1, s=0.2); weights 1, 1, 0.2
    rnd = eu_round([0, 0, 1], [1, 1, 1], [1, 1, 0.2])
    # the four contests between 0 and 1 have 1 + 1 + 0.2 = 2.2 votes each: 8.8 in all
    assert rnd.probability[0, 2] == pytest.approx(2 / 8.8)
    assert rnd.probability[2, 0] == pytest.approx(0.2 / 8.8)
    assert rnd.probability[0, 1] == 0.0  # same position: no contest
    eu_ac = 0.2 * (4 * 2 / 8.8 - 2) + 0.8 * 2  # first pass, r = 1
    eu_ca = 4 * 0.2 / 8.8 - 2
    assert rnd.danger == pytest.approx([eu_ca, eu_ca, 2 * eu_ac])
    assert rnd.risk == pytest.approx([2.0, 2.0, 0.5])
    usq_c = 2 - 2 * SQRT2
    a, b = eu_ca - usq_c, eu_ac - usq_c
    assert rnd.eu_challenge[2, 0] == pytest.approx(a)
    assert rnd.eu_proposer[2, 0] == pytest.approx(b)
    assert a < 0 < b and abs(a) < b
    assert (rnd.offer[2, :2] == Offer.COMPROMISE).all()
    assert rnd.new_positions == pytest.approx([0.0, 0.0, 1 - abs(a) / b])
    assert rnd.proposer[2] in (0, 1) and rnd.proposer[:2].tolist() == [-1, -1]
    assert rnd.median == 0.0


def test_status_quo_term_when_q_below_one():
    # Q < 1 adds -(1-Q)(T U^b + (1-T) U^w); here mu = 0, so T = 1 for A vs C (|0 - 0| < 1)
    q = 0.5
    rnd = eu_round([0, 0, 1], [1, 1, 1], [1, 1, 0.2], EUParameters(q=q))
    # first pass for A challenging C: U^b = 2 - 4 (0.5 - 0.25 (0 + 1)) = 1
    eu_ac = 0.2 * (4 * 2 / 8.8 - 2) + 0.8 * 2 - q * 0.0 - (1 - q) * 1.0
    # C challenging A: |x_C - mu| = 1 is not < 1, T = 0, U^w = 2 - 4 (0.5 + 0.25 * 2) = -2
    eu_ca = 4 * 0.2 / 8.8 - 2 - (1 - q) * -2.0
    assert rnd.danger == pytest.approx([eu_ca, eu_ca, 2 * eu_ac])
    fixed_t = eu_round([0, 0, 1], [1, 1, 1], [1, 1, 0.2], EUParameters(q=q, t=1.0))
    # with T = 1 C's no-challenge branch is U^b = 2 - 4 (0.5 - 0.5) = 2
    assert fixed_t.danger[0] == pytest.approx(4 * 0.2 / 8.8 - 2 - (1 - q) * 2.0)


def test_risk_exponents_by_hand():
    assert risk_exponents([0.0, 1.0, 2.0]) == pytest.approx([2.0, 1.0, 0.5])
    # R = (2*1 - 4 - 0)/4 = -0.5: r = (1 + 1/6) / (1 - 1/6) = 1.4
    assert risk_exponents([0.0, 1.0, 4.0])[1] == pytest.approx(1.4)
    assert risk_exponents([3.0, 3.0]).tolist() == [1.0, 1.0]
    assert risk_exponents([3.0, 3.0 + 1e-15]).tolist() == [1.0, 1.0]


def test_offer_rules_choose_differently():
    # receiver R at 5 gets offers from a near weak actor and a far strong actor
    x, c, s = [0.0, 4.0, 5.0, 10.0], [3.0, 0.3, 0.2, 3.0], [0.9, 0.3, 0.3, 0.9]
    for rule in ("scholz", "least_move", "highest_eu"):
        rnd = eu_round(x, c, s, EUParameters(offer_rule=rule))
        has = rnd.offer != Offer.NONE
        for i in np.flatnonzero(rnd.proposer >= 0):
            j = rnd.proposer[i]
            moves = np.where(has[i], np.abs(rnd.target[i] - x[i]), np.inf)
            if rule == "least_move":
                assert moves[j] == moves.min()
            elif rule == "highest_eu":
                assert rnd.eu_proposer[i, j] == rnd.eu_proposer[i][has[i]].max()
            else:
                kinds = rnd.offer[i][has[i]]
                assert rnd.offer[i, j] == kinds.min()  # confrontation before compromise...


# ---------------------------------------------------------------------------------------
# an independent, loop-based reference implementation of one round
# ---------------------------------------------------------------------------------------
def _reference_round(x, c, s, prm: EUParameters):
    n = len(x)
    rng = max(x) - min(x)
    R = rng if rng > 0 else 1.0
    w = [c[k] * s[k] for k in range(n)]

    def vote(k, i, j, rho):
        return w[k] * ((abs(x[k] - x[j]) / R) ** rho[k] - (abs(x[k] - x[i]) / R) ** rho[k])

    def probs(rho):
        grand = sum(abs(vote(k, i, j, rho)) for k in range(n) for i in range(n)
                    for j in range(n))
        out = [[0.5] * n for _ in range(n)]
        for i in range(n):
            for j in range(n):
                sup = sum(max(vote(k, i, j, rho), 0.0) for k in range(n))
                tot = sum(abs(vote(k, i, j, rho)) for k in range(n))
                if prm.probability == "pair":
                    out[i][j] = sup / tot if tot > 0 else 0.5
                else:
                    out[i][j] = sup / grand if grand > 0 else 0.5
        return out

    pairs = sorted(zip(x, w, strict=True))
    half, acc, mu = sum(w) / 2, 0.0, pairs[-1][0]
    for pos, wt in pairs:
        acc += wt
        if acc >= half - 1e-12 * sum(w):
            mu = pos
            break

    def eu(i, j, p, r):
        if x[i] == x[j]:
            return 0.0
        d = abs(x[i] - x[j]) / R
        us, uf, usq = 2 - 4 * (0.5 - 0.5 * d) ** r, 2 - 4 * (0.5 + 0.5 * d) ** r, 2 - 4 * 0.5**r
        e = s[j] * (p[i][j] * us + (1 - p[i][j]) * uf) + (1 - s[j]) * us - prm.q * usq
        if prm.q < 1:
            dm = abs(x[i] - mu) / R
            h = min(0.25 * (dm + d), 0.5)
            t = prm.t if prm.t is not None else (1.0 if dm < d else 0.0)
            e -= (1 - prm.q) * (t * (2 - 4 * (0.5 - h) ** r) + (1 - t) * (2 - 4 * (0.5 + h) ** r))
        return e

    p1 = probs([1.0] * n)
    danger = [sum(eu(j, i, p1, 1.0) for j in range(n) if j != i) for i in range(n)]
    hi, lo = max(danger), min(danger)
    if hi - lo <= 1e-12 * max(1.0, abs(hi), abs(lo)):
        risk = [1.0] * n
    else:
        big = [(2 * d - hi - lo) / (hi - lo) for d in danger]
        risk = [(1 - b / 3) / (1 + b / 3) for b in big]
    p2 = probs(risk if prm.vote_risk else [1.0] * n)
    a = [[eu(i, j, p2, risk[i]) if i != j else 0.0 for j in range(n)] for i in range(n)]
    b = [[eu(j, i, p2, risk[i] if prm.perspective == "receiver" else risk[j])
          if i != j else 0.0 for j in range(n)] for i in range(n)]
    new = list(x)
    for i in range(n):
        offers = []  # (kind, target, a, b, x_j)
        for j in range(n):
            if x[j] == x[i]:
                continue
            aa, bb = a[i][j], b[i][j]
            if aa > 0 and bb > aa:
                offers.append((1, x[j], aa, bb, x[j]))
            elif aa < 0 < bb and bb > -aa:
                offers.append((2, x[i] + (x[j] - x[i]) * (-aa / bb), aa, bb, x[j]))
            elif aa < 0 < bb and -aa >= bb and prm.capitulation:
                offers.append((3, x[j], aa, bb, x[j]))
        if not offers:
            continue
        if prm.offer_rule == "least_move":
            best = min(offers, key=lambda o: (abs(o[1] - x[i]), -o[3], o[1]))
        elif prm.offer_rule == "highest_eu":
            best = min(offers, key=lambda o: (-o[3], abs(o[1] - x[i]), o[1]))
        else:
            kind = min(o[0] for o in offers)
            cand = [o for o in offers if o[0] == kind]
            if kind == 2:  # the lowest (|a| x_i + |b| x_j) / (|a| + |b|)
                best = min(cand, key=lambda o: (
                    (abs(o[2]) * x[i] + abs(o[3]) * o[4]) / (abs(o[2]) + abs(o[3])),
                    abs(o[1] - x[i]), o[1]))
            else:
                best = min(cand, key=lambda o: (abs(o[1] - x[i]), o[1]))
        new[i] = best[1]
    return np.array(p2), np.array(risk), np.array(a), np.array(b), np.array(new)


grid = st.sampled_from([0.0, 1.0, 2.5, 4.0, 7.0, 10.0])
actor_rows = st.lists(st.tuples(grid, st.floats(0.05, 1.0), st.floats(0.05, 1.0)),
                      min_size=2, max_size=5)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(rows=actor_rows, prm=variants)
def test_vectorised_round_matches_reference(rows, prm):
    x, c, s = (list(v) for v in zip(*rows, strict=True))
    p, risk, a, b, new = _reference_round(x, c, s, prm)
    # skip knife-edge classifications, where rounding decides
    xa = np.array(x)
    contest = xa[:, None] != xa[None, :]
    edges = np.concatenate([np.abs(b - a)[contest], np.abs(np.abs(a) - b)[contest],
                            np.abs(a)[contest], np.abs(b)[contest], [1.0]])
    assume(edges.min() > 1e-9)
    rnd = eu_round(x, c, s, prm)
    assert rnd.probability == pytest.approx(p, abs=1e-12)
    assert rnd.risk == pytest.approx(risk, abs=1e-9)
    assert rnd.eu_challenge == pytest.approx(a, abs=1e-9)
    assert rnd.eu_proposer == pytest.approx(b, abs=1e-9)
    assert rnd.new_positions == pytest.approx(new, abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(rows=actor_rows, prm=variants)
def test_offers_follow_the_sign_rules(rows, prm):
    x, c, s = (np.array(v) for v in zip(*rows, strict=True))
    rnd = eu_round(x, c, s, prm)
    a, b, offer = rnd.eu_challenge, rnd.eu_proposer, rnd.offer
    differ = x[:, None] != x[None, :]
    assert np.array_equal(offer == Offer.CONFRONTATION, differ & (a > 0) & (b > a))
    assert np.array_equal(offer == Offer.COMPROMISE, differ & (a < 0) & (b > -a))
    cap = differ & (a < 0) & (b > 0) & (-a >= b)
    assert np.array_equal(offer == Offer.CAPITULATION, cap & prm.capitulation)
    comp = offer == Offer.COMPROMISE
    lo = np.minimum(x[:, None], x[None, :])
    hi = np.maximum(x[:, None], x[None, :])
    assert np.all((rnd.target[comp] >= lo[comp]) & (rnd.target[comp] <= hi[comp]))
    assert np.all(rnd.target[~comp] == np.broadcast_to(x[None, :], offer.shape)[~comp])
    assert np.all((rnd.risk >= 0.5 - 1e-12) & (rnd.risk <= 2 + 1e-12))
