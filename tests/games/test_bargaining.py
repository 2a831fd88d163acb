"""Bargaining solutions: Nash (finite and convex, asymmetric), Kalai-Smorodinsky,
individual rationality (negsim.games.algorithms.bargaining and, for the convex case,
bargaining_hull). Rubinstein's alternating offers are in test_rubinstein.py."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negsim.games import (
    BargainingResult,
    individually_rational,
    kalai_smorodinsky,
    nash_bargaining,
)

PIE = np.array([[1.0, 0.0], [0.0, 1.0]])  # all to player 1, all to player 2


# ------------------------------------------------------------------ reference solvers
def exact_nash_2p(U: np.ndarray, d: np.ndarray, w: np.ndarray) -> float:
    """Max log Nash product over the convex hull of 2-D points: the optimum lies on a
    segment between two of the points, where the stationary point is in closed form."""
    best = -np.inf
    for i in range(len(U)):
        for j in range(len(U)):
            a, b = U[i] - d, U[j] - U[i]
            ts = [0.0, 1.0]
            den = (w[0] + w[1]) * b[0] * b[1]
            if den != 0:
                ts.append(-(w[0] * b[0] * a[1] + w[1] * b[1] * a[0]) / den)
            for t in ts:
                if 0 <= t <= 1:
                    g = a + t * b
                    if np.all(g > 0):
                        best = max(best, float(np.sum(w * np.log(g))))
    return best


# ----------------------------------------------------------------- Nash: finite case
def test_symmetric_finite_nash_picks_equal_split():
    U = np.array([[1, 0], [0.7, 0.3], [0.5, 0.5], [0.3, 0.7], [0, 1]])
    r = nash_bargaining(U, [0, 0])
    assert r.agreement and r.index == 2 and r.method == "nash" and not r.convex
    np.testing.assert_array_equal(r.utilities, [0.5, 0.5])
    assert r.nash_product == pytest.approx(0.25)
    assert r.log_nash_product == pytest.approx(math.log(0.25))
    assert r.n_candidates == 3 and r.n_agreements == 5  # the two extremes give 0 gain
    np.testing.assert_array_equal(r.gains, [0.5, 0.5])
    assert r.mixture is None and r.support is None


def test_finite_nash_respects_disagreement_point():
    U = np.array([[6.0, 1.0], [4.0, 4.0], [1.0, 7.0]])
    assert nash_bargaining(U, [0, 0]).index == 1
    # a better outside option for player 2 moves the deal its way:
    # (4 - 0)(4 - 3.5) = 2 < (1 - 0)(7 - 3.5) = 3.5, and agreement 0 no longer beats d
    r = nash_bargaining(U, [0, 3.5])
    assert r.index == 2 and r.n_candidates == 2
    assert r.nash_product == pytest.approx(3.5)
    # and for player 1: (6 - 3.5)(1) = 2.5 > (4 - 3.5)(4) = 2
    assert nash_bargaining(U, [3.5, 0]).index == 0


def test_finite_nash_ties_go_to_first_agreement():
    U = np.array([[1.0, 4.0], [4.0, 1.0], [2.0, 2.0]])
    assert nash_bargaining(U, [0, 0]).index == 0
    assert nash_bargaining(U[::-1], [0, 0]).index == 0


def test_asymmetric_weights_favour_the_stronger_player_finite():
    U = np.array([[x, 1 - x] for x in np.linspace(0.05, 0.95, 19)])
    idx_sym = nash_bargaining(U, [0, 0]).index
    idx_p1 = nash_bargaining(U, [0, 0], weights=[3, 1]).index
    idx_p2 = nash_bargaining(U, [0, 0], weights=[1, 3]).index
    assert U[idx_p1, 0] > U[idx_sym, 0] > U[idx_p2, 0]
    assert U[idx_p1, 0] == pytest.approx(0.75)


def test_no_agreement_is_a_result_not_an_error():
    U = np.array([[2.0, 0.0], [0.0, 2.0]])
    r = nash_bargaining(U, [0.5, 0.5])
    assert isinstance(r, BargainingResult)
    assert not r.agreement and r.utilities is None and r.index is None
    assert r.nash_product is None and r.gains is None and r.n_candidates == 0
    # but a lottery over the two beats d for both
    rc = nash_bargaining(U, [0.5, 0.5], convex=True)
    assert rc.agreement and rc.n_candidates == 0
    np.testing.assert_allclose(rc.utilities, [1, 1], atol=1e-9)
    assert not nash_bargaining(U, [1.5, 1.5], convex=True).agreement


def test_three_players_finite():
    U = np.array([[3, 3, 3], [5, 2, 2], [1, 1, 9], [4, 4, 1]])
    r = nash_bargaining(U, [0, 0, 0])
    assert r.index == 0 and r.nash_product == pytest.approx(27)
    r = nash_bargaining(U, [0, 0, 0], weights=[1, 1, 5])
    assert r.index == 2


# ----------------------------------------------------------------- Nash: convex case
def test_symmetric_convex_nash_splits_the_pie_equally():
    r = nash_bargaining(PIE, [0, 0], convex=True)
    np.testing.assert_allclose(r.utilities, [0.5, 0.5], atol=1e-10)
    np.testing.assert_allclose(r.mixture, [0.5, 0.5], atol=1e-10)
    assert r.convex and r.index is None
    assert r.support.tolist() == [0, 1]


@pytest.mark.parametrize(("w1", "w2"), [(2, 1), (1, 3), (0.3, 0.7), (5, 5)])
def test_asymmetric_convex_nash_gives_weight_shares(w1, w2):
    r = nash_bargaining(PIE, [0, 0], weights=[w1, w2], convex=True)
    np.testing.assert_allclose(r.utilities, [w1 / (w1 + w2), w2 / (w1 + w2)], atol=1e-9)


def test_convex_nash_with_outside_options_splits_the_surplus():
    # pie of 1, d = (0.2, 0.4): each gets d_i plus half the remaining 0.4
    r = nash_bargaining(PIE, [0.2, 0.4], convex=True)
    np.testing.assert_allclose(r.utilities, [0.4, 0.6], atol=1e-9)


def test_convex_nash_at_a_vertex():
    # a kinked frontier: (0.9, 0.9) dominates the middle of the pie
    U = np.array([[1.0, 0.0], [0.0, 1.0], [0.9, 0.9]])
    r = nash_bargaining(U, [0, 0], convex=True)
    np.testing.assert_allclose(r.utilities, [0.9, 0.9], atol=1e-9)
    np.testing.assert_allclose(r.mixture, [0, 0, 1], atol=1e-9)


def test_convex_nash_matches_exact_two_player_reference():
    rng = np.random.default_rng(1)
    for _ in range(40):
        K = int(rng.integers(2, 12))
        U = rng.random((K, 2))
        d = rng.random(2) * 0.4
        w = rng.random(2) + 0.1
        r = nash_bargaining(U, d, w, convex=True)
        ref = exact_nash_2p(U, d, w)
        if not r.agreement:
            assert ref == -np.inf
            continue
        assert r.log_nash_product == pytest.approx(ref, abs=1e-9)
        np.testing.assert_allclose(r.mixture @ U, r.utilities)


def test_convex_nash_optimality_certificate_n_players():
    rng = np.random.default_rng(2)
    for _ in range(40):
        n, K = int(rng.integers(2, 6)), int(rng.integers(2, 40))
        U, d, w = rng.random((K, n)), rng.random(n) * 0.3, rng.random(n) + 0.2
        r = nash_bargaining(U, d, w, convex=True)
        if not r.agreement:
            continue
        assert r.mixture.min() >= 0 and r.mixture.sum() == pytest.approx(1)
        u = r.utilities
        g = w / (u - d)  # gradient: a supporting hyperplane of the hull at the optimum
        assert np.max(U @ g) <= g @ u + 1e-8
        finite = nash_bargaining(U, d, w)
        if finite.agreement:
            assert r.log_nash_product >= finite.log_nash_product - 1e-12


# ------------------------------------------------------------------- Nash: invariance
@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 50), st.integers(1, 50)), min_size=1, max_size=12),
    st.floats(0.1, 20),
    st.floats(-30, 30),
    st.integers(0, 1),
)
def test_nash_invariant_to_positive_affine_rescaling(points, a, b, player):
    U = np.array(points, dtype=float)
    d = np.zeros(2)
    U2, d2 = U.copy(), d.copy()
    U2[:, player] = a * U2[:, player] + b
    d2[player] = a * d2[player] + b
    r, r2 = nash_bargaining(U, d), nash_bargaining(U2, d2)
    assert r.index == r2.index
    rc, rc2 = nash_bargaining(U, d, convex=True), nash_bargaining(U2, d2, convex=True)
    u_back = rc2.utilities.copy()
    u_back[player] = (u_back[player] - b) / a
    np.testing.assert_allclose(u_back, rc.utilities, rtol=1e-6, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.05, 20), st.floats(0.05, 20))
def test_weight_shift_is_monotone(w1, w2):
    u1 = nash_bargaining(PIE, [0, 0], [w1, w2], convex=True).utilities[0]
    u1_more = nash_bargaining(PIE, [0, 0], [2 * w1, w2], convex=True).utilities[0]
    assert u1 == pytest.approx(w1 / (w1 + w2), abs=1e-8)
    assert u1_more > u1


# ------------------------------------------------------------------- Kalai-Smorodinsky
def test_ks_on_triangle():
    tri = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    r = kalai_smorodinsky(tri, [0, 0], convex=True)
    np.testing.assert_allclose(r.utilities, [0.5, 1.0], atol=1e-9)
    np.testing.assert_allclose(r.ideal, [1.0, 2.0], atol=1e-9)
    assert r.normalised_gain == pytest.approx(0.5)
    assert r.method == "kalai-smorodinsky" and r.weights.tolist() == [1.0, 1.0]


def test_ks_differs_from_nash_on_an_asymmetric_set():
    # hull of (0,0), (1,0), (1,0.5), (0,1): ideal (1, 1), KS on the diagonal.
    # Frontier from (1, 0.5) to (0, 1): u2 = 1 - u1 / 2, KS: u1 = u2 = 2/3.
    U = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 0.5], [0.0, 1.0]])
    ks = kalai_smorodinsky(U, [0, 0], convex=True)
    np.testing.assert_allclose(ks.utilities, [2 / 3, 2 / 3], atol=1e-9)
    # Nash maximises u1 (1 - u1/2) on that edge: u1 = 1, i.e. the vertex (1, 0.5)
    nb = nash_bargaining(U, [0, 0], convex=True)
    np.testing.assert_allclose(nb.utilities, [1.0, 0.5], atol=1e-9)


def test_ks_with_disagreement_point_and_ideal_restricted_to_ir_points():
    # player 2's best point (0, 1) leaves player 1 below d1 = 0.2: the ideal uses the
    # hull points with u >= d only, so ideal2 = 1 - 0.2 = 0.8 on the pie
    r = kalai_smorodinsky(PIE, [0.2, 0.0], convex=True)
    np.testing.assert_allclose(r.ideal, [1.0, 0.8], atol=1e-9)
    # d + t (ideal - d) = (0.2 + 0.8 t, 0.8 t) on u1 + u2 = 1: t = 0.5
    np.testing.assert_allclose(r.utilities, [0.6, 0.4], atol=1e-9)


def test_ks_convex_flat_boundary_result_is_pareto_optimal():
    # square: ideal (1, 1) is feasible, so KS is the ideal point itself
    sq = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)
    r = kalai_smorodinsky(sq, [0, 0], convex=True)
    np.testing.assert_allclose(r.utilities, [1, 1], atol=1e-9)
    # a rectangle seen from an off-centre d: ray hits the top edge, result is the corner
    r = kalai_smorodinsky(np.array([[0, 0], [2, 0], [2, 1], [0, 1]]), [1.5, 0], convex=True)
    np.testing.assert_allclose(r.utilities, [2, 1], atol=1e-9)


def test_ks_finite_max_min_with_leximin_tie_break():
    U = np.array([[3, 1], [2, 2], [1, 3]])
    r = kalai_smorodinsky(U, [0, 0])
    assert r.index == 1 and r.ideal.tolist() == [3, 3]
    assert r.normalised_gain == pytest.approx(2 / 3)
    # (2, 2) and (2, 3) tie on the min normalised gain; leximin prefers (2, 3)
    U = np.array([[2, 2], [2, 3], [4, 1], [1, 4]])
    assert kalai_smorodinsky(U, [0, 0]).index == 1
    # exact duplicates: the first one
    assert kalai_smorodinsky(np.array([[1, 1], [1, 1]]), [0, 0]).index == 0


def test_ks_no_agreement():
    r = kalai_smorodinsky(PIE, [0.6, 0.6], convex=True)
    assert not r.agreement and r.ideal is None and r.normalised_gain is None
    assert not kalai_smorodinsky(PIE, [0, 0]).agreement  # each extreme leaves one at 0


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 50), st.integers(1, 50), st.integers(1, 50)),
             min_size=1, max_size=10),
    st.floats(0.1, 10),
    st.floats(-10, 10),
)
def test_ks_invariant_to_positive_affine_rescaling(points, a, b):
    U = np.array(points, dtype=float)
    U2 = U.copy()
    U2[:, 2] = a * U2[:, 2] + b
    d, d2 = np.zeros(3), np.array([0.0, 0.0, b])
    assert kalai_smorodinsky(U, d).index == kalai_smorodinsky(U2, d2).index
    r, r2 = kalai_smorodinsky(U, d, convex=True), kalai_smorodinsky(U2, d2, convex=True)
    assert r.normalised_gain == pytest.approx(r2.normalised_gain, rel=1e-6, abs=1e-9)


# ---------------------------------------------------------------- individual rationality
def test_individually_rational_single_agreement():
    r = individually_rational([5.0, 2.0, 3.0], [4.0, 2.5, 0.0])
    assert r.rational is False
    assert r.margins.tolist() == [1.0, -0.5, 3.0]
    assert r.player_rational.tolist() == [True, False, True]
    assert r.worst_player == 1 and r.min_margin == -0.5
    assert individually_rational([4.0, 2.5], [4.0, 2.5]).rational is True
    assert individually_rational([4.0, 2.5], [4.0, 2.5], strict=True).rational is False
    assert individually_rational([4.0, 2.4], [4.0, 2.5], tol=0.2).rational is True


def test_individually_rational_vectorised():
    rng = np.random.default_rng(0)
    U, o = rng.random((1000, 4)), rng.random(4) * 0.5
    r = individually_rational(U, o)
    assert r.margins.shape == (1000, 4) and r.rational.shape == (1000,)
    np.testing.assert_array_equal(r.rational, np.all(U >= o, axis=1))
    np.testing.assert_array_equal(r.min_margin, np.min(U - o, axis=1))
    np.testing.assert_array_equal(r.worst_player, np.argmin(U - o, axis=1))
    assert individually_rational(U, 0.0).rational.all()  # scalar outside option


# ------------------------------------------------------------------ results, validation
def test_results_are_immutable():
    r = nash_bargaining(PIE, [0, 0], convex=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.index = 3
    with pytest.raises(ValueError, match="read-only"):
        r.utilities[0] = 2.0
    ir = individually_rational([[1, 2], [3, 4]], [0, 0])
    with pytest.raises(ValueError, match="read-only"):
        ir.margins[0, 0] = 2.0


def test_inputs_are_copied():
    U = np.array([[1.0, 1.0], [2.0, 0.5]])
    r = nash_bargaining(U, [0, 0])
    U[:] = 0
    assert r.utilities.tolist() == [1.0, 1.0]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"utilities": [1, 2], "disagreement": [0, 0]}, "must be 2-D"),
        ({"utilities": np.zeros((0, 2)), "disagreement": [0, 0]}, "empty"),
        ({"utilities": [[1, np.nan]], "disagreement": [0, 0]},
         "non-finite entry nan at agreement 0, player 1"),
        ({"utilities": [[1, 2]], "disagreement": [0, 0, 0]}, "one entry per player"),
        ({"utilities": [[1, 2]], "disagreement": [0, np.inf]}, "disagreement must be finite"),
        ({"utilities": [[1, 2]], "disagreement": [0, 0], "weights": [1, 0]},
         "weights must be finite and positive, got 0.0 for player 1"),
        ({"utilities": [["a", "b"]], "disagreement": [0, 0]}, "not numeric"),
    ],
)
def test_nash_bargaining_validation(kwargs, match):
    with pytest.raises(ValueError, match=match):
        nash_bargaining(**kwargs)


def test_ks_and_ir_validation():
    with pytest.raises(ValueError, match="one entry per player"):
        kalai_smorodinsky([[1, 2]], [0, 0, 0])
    with pytest.raises(ValueError, match="outside_options"):
        individually_rational([[1, 2]], [0, 0, 0])
    with pytest.raises(ValueError, match="tol"):
        individually_rational([[1, 2]], [0, 0], tol=-1)
    with pytest.raises(ValueError, match="must be 2-D"):
        individually_rational(np.zeros((2, 2, 2)), [0, 0])
