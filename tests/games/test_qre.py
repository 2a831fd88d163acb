"""Logit QRE (negsim.games.qre, negsim.games.algorithms.qre): hand-computed fixed points,
the fixed-point equation along the path, the uniform start, pygambit's logit_solve_lambda
(points on the branch) and logit_solve (its limit), and validation. Regressions of the
path-following are in test_continuation.py, the choice rule in test_logit.py."""

from __future__ import annotations

import numpy as np
import pytest
from gambit_api import GAMBIT_QRE_ATOL, logit_at, logit_limit
from games_references import qre_residual, random_games
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq
from strategies import games

from negsim.games import (
    LimitingNash,
    NormalFormGame,
    QREConvergenceError,
    limiting_nash,
    logit_choice_probabilities,
    logit_qre,
    qre_path,
)

PD = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
MP = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])


# ------------------------------------------------------------------- hand-computed points
@pytest.mark.parametrize("lam", [0.1, 0.5, 1.0, 2.0, 5.0])
def test_prisoners_dilemma_symmetric_fixed_point(lam):
    # against an opponent defecting with probability p, D earns 5 - 4p and C 3 - 3p: D
    # is better by 2 - p, so the symmetric QRE solves p = 1 / (1 + exp(-lam (2 - p)))
    p = brentq(lambda p: p - 1.0 / (1.0 + np.exp(-lam * (2.0 - p))), 0.0, 1.0, xtol=1e-15)
    for prob in logit_qre(PD, lam):
        np.testing.assert_allclose(prob, [1 - p, p], atol=1e-12)
    if lam == 1.0:
        assert p == pytest.approx(0.7732, abs=5e-5)


def test_matching_pennies_qre_is_uniform_at_every_precision():
    path = qre_path(MP, [0.0, 0.3, 1.0, 10.0, 100.0])
    for prob in path.probabilities:
        np.testing.assert_allclose(prob, 0.5, atol=1e-12)


def test_asymmetric_matching_pennies_hand_fixed_point():
    # row: 9 at (H, H), 1 at (T, T); the column player earns 1 on a mismatch. With
    # p = P(row H) and q = P(column H): row H earns 9 q and T earns 1 - q, so
    # p = 1 / (1 + exp(-lam (10 q - 1))); column H earns 1 - p and T earns p, so
    # q = 1 / (1 + exp(-lam (1 - 2 p))). One equation in p, solved by bisection.
    g = NormalFormGame.from_bimatrix([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    lam = 0.7

    def f(p):
        q = 1.0 / (1.0 + np.exp(-lam * (1.0 - 2.0 * p)))
        return p - 1.0 / (1.0 + np.exp(-lam * (10.0 * q - 1.0)))

    p = brentq(f, 0.0, 1.0, xtol=1e-15)
    q = 1.0 / (1.0 + np.exp(-lam * (1.0 - 2.0 * p)))
    got = logit_qre(g, lam)
    np.testing.assert_allclose(got[0], [p, 1 - p], atol=1e-12)
    np.testing.assert_allclose(got[1], [q, 1 - q], atol=1e-12)


def test_one_player_qre_is_the_logit_rule():
    g = NormalFormGame([[0.0, 1.0, 3.0]])
    for lam in (0.0, 0.5, 2.0):
        np.testing.assert_allclose(logit_qre(g, lam)[0],
                                   logit_choice_probabilities([0.0, 1.0, 3.0], lam), atol=1e-12)
    # two tied best actions share the limit equally
    tied = limiting_nash(NormalFormGame([[0.0, 2.0, 2.0, 1.0]]))
    assert tied.converged
    np.testing.assert_allclose(tied.profile[0], [0.0, 0.5, 0.5, 0.0], atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(games(min_players=1, max_players=3, max_actions=3))
def test_property_lambda_zero_is_uniform(g):
    for p, a in zip(logit_qre(g, 0.0), g.shape, strict=True):
        np.testing.assert_allclose(p, np.full(a, 1.0 / a), atol=1e-15)
    path = qre_path(g, [0.0, 0.0])
    for p, a in zip(path.profile(1), g.shape, strict=True):
        np.testing.assert_allclose(p, np.full(a, 1.0 / a), atol=1e-15)


def test_constant_game_stays_uniform_and_is_its_own_limit():
    g = NormalFormGame(np.full((3, 2, 3, 2), 7.0))
    for p, a in zip(logit_qre(g, 50.0), g.shape, strict=True):
        np.testing.assert_allclose(p, 1.0 / a)
    res = limiting_nash(g)
    assert res.converged and res.lam == 0.0 and res.max_regret == 0.0 and res.steps == 0


# ----------------------------------------------------------- the fixed-point equation
@settings(max_examples=40, deadline=None)
@given(games(min_players=2, max_players=3, max_actions=3, low=0, high=9),
       st.lists(st.floats(0.0, 3.0), min_size=1, max_size=4))
@example(PD, [1.0, 0.25, 3.0])
def test_property_every_path_point_solves_the_qre_equations(g, lams):
    # lambda in units of the payoff range, so the test covers the same part of the branch
    scale = max(float(np.ptp(g.payoffs)), 1.0)
    lams = [lam / scale for lam in lams]
    try:
        path = qre_path(g, lams)
    except QREConvergenceError:  # pragma: no cover - a documented possibility, not seen
        pytest.skip("path-following failed")
    assert path.lams.tolist() == lams  # the order asked for
    for k, lam in enumerate(lams):
        sigma = path.profile(k)
        assert qre_residual(g, sigma, lam) <= 1e-9
        for p in sigma:
            assert np.all(p > 0) and p.sum() == pytest.approx(1.0, abs=1e-14)


def test_path_points_equal_single_calls_and_are_read_only():
    g = NormalFormGame.from_bimatrix([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    lams = [2.0, 0.0, 0.5, 0.5]
    path = qre_path(g, lams)
    assert len(path) == 4
    for k, lam in enumerate(lams):
        for a, b in zip(path.profile(k), logit_qre(g, lam), strict=True):
            np.testing.assert_allclose(a, b, atol=1e-12)
    with pytest.raises(ValueError, match="read-only"):
        path.probabilities[0][0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        path.lams[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        logit_qre(g, 1.0)[0][0] = 1.0
    for a, b in zip(g.qre(0.5), logit_qre(g, 0.5), strict=True):
        np.testing.assert_array_equal(a, b)


# -------------------------------------------------------------------------- pygambit
def test_points_on_the_branch_match_pygambit_logit_solve_lambda():
    count = 0
    for u in random_games(11, 35):
        g = NormalFormGame(u)
        scale = float(np.ptp(u))
        lams = [0.3 / scale, 2.0 / scale, 8.0 / scale, 30.0 / scale]
        ref = logit_at(u, lams)
        path = qre_path(g, lams)
        for k in range(len(lams)):
            assert qre_residual(g, path.profile(k), lams[k]) <= 1e-10
            for a, b in zip(path.profile(k), ref[k], strict=True):
                np.testing.assert_allclose(a, b, atol=GAMBIT_QRE_ATOL, err_msg=str(u.tolist()))
        count += 1
    assert count == 35


def test_limiting_nash_matches_pygambit_logit_solve():
    for u in random_games(12, 35):
        g = NormalFormGame(u)
        ref = logit_limit(u)
        res = limiting_nash(g)
        assert isinstance(res, LimitingNash) and res.converged
        assert res.max_regret <= 1e-8 * float(np.ptp(u))
        assert g.regret(list(res.profile)).max() == pytest.approx(res.max_regret, abs=1e-6)
        for a, b in zip(res.profile, ref, strict=True):
            np.testing.assert_allclose(a, b, atol=1e-5, err_msg=str(u.tolist()))


def test_limiting_nash_of_textbook_games():
    # battle of the sexes with a larger stake for the column player at (1, 1): the logit
    # branch goes to that player's preferred equilibrium; pygambit agrees
    bos = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3.5]])
    res = limiting_nash(bos)
    np.testing.assert_allclose(res.profile[0], [0, 1], atol=1e-9)
    np.testing.assert_allclose(res.profile[1], [0, 1], atol=1e-9)
    # matching pennies: the mixed equilibrium; PD: defection
    np.testing.assert_allclose(limiting_nash(MP).profile[0], [0.5, 0.5], atol=1e-9)
    np.testing.assert_allclose(limiting_nash(PD).profile[1], [0, 1], atol=1e-9)
    # solve("logit") reports the same profile
    res2 = bos.solve("logit")
    np.testing.assert_allclose(res2.equilibria[0][0], res.profile[0])


# --------------------------------------------------------- path-following regressions


# ------------------------------------------------------------------ the logit rule


# --------------------------------------------------------------------------- validation
def test_qre_validation():
    with pytest.raises(TypeError, match="expected a NormalFormGame, got list"):
        logit_qre([[1, 2]], 1.0)
    with pytest.raises(ValueError, match="must be finite and >= 0"):
        logit_qre(PD, -0.5)
    with pytest.raises(ValueError, match="must be finite and >= 0"):
        qre_path(PD, [1.0, np.inf])
    with pytest.raises(ValueError, match="lam must be a single number"):
        logit_qre(PD, [1.0, 2.0])
    with pytest.raises(ValueError, match="scalar or 1-D"):
        qre_path(PD, [[1.0]])
    with pytest.raises(ValueError, match="tol must be > 0"):
        limiting_nash(PD, tol=0.0)
    with pytest.raises(ValueError, match="lam_max must be > 0"):
        limiting_nash(PD, lam_max=-1.0)
    with pytest.raises(QREConvergenceError, match="did not finish in 3 steps"):
        logit_qre(PD, 1e6, max_steps=3)


def test_lam_max_stops_the_path_early():
    res = limiting_nash(MP, lam_max=0.5, polish=False)
    # matching pennies' branch is uniform all along: regret 0 from the start
    assert res.converged and res.steps == 0
    g = NormalFormGame.from_bimatrix([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    short = limiting_nash(g, lam_max=0.5, polish=False)
    assert not short.converged and short.lam >= 0.5 and not short.polished
    assert short.max_regret > 1e-3
