"""Logit QRE: hand-computed fixed points, the fixed-point equation along the path, the
uniform start, pygambit's logit_solve_lambda (points on the branch) and logit_solve
(its limit), regressions of the path-following, the choice rule and validation."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pygambit as gbt
import pytest
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


# ------------------------------------------------------------------------------- helpers
def action_values(game: NormalFormGame, sigma) -> list[np.ndarray]:
    """v_i(a) = sum over the others' profiles of u_i times their probabilities (einsum)."""
    n = game.n_players
    letters = "abcdefgh"[:n]
    out = []
    for i in range(n):
        spec = letters + "," + ",".join(letters[j] for j in range(n) if j != i) + "->" + letters[i]
        out.append(np.einsum(spec, game.payoffs[i], *[sigma[j] for j in range(n) if j != i]))
    return out


def qre_residual(game: NormalFormGame, sigma, lam: float) -> float:
    """Largest violation of sigma_i = softmax(lam * v_i(sigma))."""
    vals = action_values(game, sigma)
    return max(float(np.abs(s - logit_choice_probabilities(v, lam)).max())
               for s, v in zip(sigma, vals, strict=True))


def gambit_game(u: np.ndarray) -> gbt.Game:
    return gbt.Game.from_arrays(*[np.asarray(u[i]).astype(np.int64).astype(object)
                                  for i in range(u.shape[0])])


def gambit_profile(game: gbt.Game, prof) -> list[np.ndarray]:
    return [np.array([float(Fraction(str(prof[s]))) if not isinstance(prof[s], float)
                      else prof[s] for s in p.strategies]) for p in game.players]


def random_games(seed: int, count: int):
    """Random games with payoffs drawn from 10**6 values (generic: no ties)."""
    rng = np.random.default_rng(seed)
    shapes = [(2, 2), (3, 3), (2, 3), (4, 4), (2, 2, 2), (3, 2, 2), (2, 2, 2, 2)]
    for k in range(count):
        shape = shapes[k % len(shapes)]
        yield rng.integers(0, 10**6, size=(len(shape), *shape))


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
        gg = gambit_game(u)
        ref = gbt.qre.logit_solve_lambda(gg, lam=lams)
        path = qre_path(g, lams)
        for k in range(len(lams)):
            theirs = gambit_profile(gg, ref[k].profile)
            for a, b in zip(path.profile(k), theirs, strict=True):
                np.testing.assert_allclose(a, b, atol=1e-7, err_msg=str(u.tolist()))
        count += 1
    assert count == 35


def test_limiting_nash_matches_pygambit_logit_solve():
    for u in random_games(12, 35):
        g = NormalFormGame(u)
        gg = gambit_game(u)
        ref = gambit_profile(gg, gbt.nash.logit_solve(gg).equilibria[0])
        res = limiting_nash(g)
        assert isinstance(res, LimitingNash) and res.converged
        assert res.max_regret <= 1e-8 * float(np.ptp(u))
        assert g.regret(list(res.profile)).max() == pytest.approx(res.max_regret, abs=1e-6)
        for a, b in zip(res.profile, ref, strict=True):
            np.testing.assert_allclose(a, b, atol=1e-5, err_msg=str(u.tolist()))


# A 2-player 4x4 game (from random_games(12, 35)) whose branch reaches lambda * range ~ 3e7
# before the regret falls below tol. The corrector used to accept points whose
# probabilities summed to 1 + 4e-6 (its residual test scaled every equation with lambda)
# and then 1 + 0.026 (a correction tiny relative to x was taken as convergence); the regret
# of those unnormalised vectors was negative (-12.8) and ended the path as "converged".
DRIFT = np.array(
    [[[558137, 187890, 689534, 670510], [678670, 946618, 424042, 922810],
      [975322, 880249, 303246, 64355], [860559, 936696, 331942, 649240]],
     [[168775, 871555, 848153, 408098], [784894, 219389, 969312, 792970],
      [815971, 661634, 48430, 778840], [711101, 201344, 857379, 134351]]])


def test_limiting_nash_regret_is_that_of_the_reported_profile():
    g = NormalFormGame(DRIFT)
    for polish in (False, True):
        res = limiting_nash(g, polish=polish)
        assert res.converged and res.max_regret >= 0.0
        assert res.max_regret <= 1e-8 * float(np.ptp(DRIFT))
        assert g.regret(list(res.profile)).max() == pytest.approx(res.max_regret, abs=1e-6)
    gg = gambit_game(DRIFT)
    ref = gambit_profile(gg, gbt.nash.logit_solve(gg).equilibria[0])
    for a, b in zip(res.profile, ref, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)


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
# A random 2x2x2x2 game where two branches almost meet near lambda * range = 6: the
# default steps used to land on the other branch (p1 -> 0.28 instead of 0.87 at
# lambda * range = 10, where pygambit and small steps agree on 0.874).
NEAR_BRANCH = np.array(
    [[[[[224387, 549079], [763084, 293408]], [[440114, 456578], [667237, 45712]]],
      [[[634769, 809519], [55705, 907498]], [[605899, 752647], [332724, 495622]]]],
     [[[[738730, 843784], [599456, 3820]], [[543327, 665957], [281248, 767385]]],
      [[[775219, 326656], [283804, 856571]], [[689728, 190], [269553, 632120]]]],
     [[[[623469, 301023], [902236, 628627]], [[334908, 251358], [382574, 209779]]],
      [[[380482, 626160], [790119, 496934]], [[459661, 187280], [508425, 886174]]]],
     [[[[662316, 882386], [516516, 549568]], [[107183, 706096], [903154, 451386]]],
      [[[569089, 801443], [342321, 833856]], [[345405, 764159], [774195, 243148]]]]])


@pytest.mark.parametrize(("first_step", "max_accel"), [(0.05, 1.5), (0.03, 1.1), (0.005, 1.05)])
def test_path_does_not_jump_to_a_nearby_branch(first_step, max_accel):
    g = NormalFormGame(NEAR_BRANCH)
    lam = 10.0 / float(np.ptp(NEAR_BRANCH))
    p = logit_qre(g, lam, first_step=first_step, max_accel=max_accel)
    gg = gambit_game(NEAR_BRANCH)
    ref = gbt.qre.logit_solve_lambda(gg, lam=[lam])[0].profile
    for a, b in zip(p, gambit_profile(gg, ref), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-7)
    np.testing.assert_allclose(p[0], [0.874, 0.126], atol=1e-3)
    res = limiting_nash(g, first_step=first_step, max_accel=max_accel)
    assert res.converged
    np.testing.assert_allclose(res.profile[0], [1.0, 0.0], atol=1e-9)


def test_branch_ending_in_a_mixed_equilibrium_does_not_crawl():
    # the limit has 2x2 supports: lambda must reach ~1e8 (regret ~ 1 / lambda); with
    # absolute corrector distances the path took 100,000 steps (the cap) and stopped short
    u = np.array([[[7, 5, 67], [33, 57, 15], [86, 45, 89]],
                  [[79, 70, 23], [76, 5, 57], [40, 99, 19]]])
    g = NormalFormGame(u)
    res = limiting_nash(g)
    assert res.converged and res.steps < 1000
    gg = gambit_game(u)
    ref = gambit_profile(gg, gbt.nash.logit_solve(gg).equilibria[0])
    for a, b in zip(res.profile, ref, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)
    assert any(len(e) for e in g.equilibria())  # and it is one of the enumerated ones
    assert any(np.allclose(np.concatenate(res.profile), np.concatenate(e), atol=1e-6)
               for e in g.equilibria())


def test_symmetric_degenerate_game_crosses_its_bifurcation_point():
    # columns 0 and 2 are mirror images: the symmetric branch meets a pitchfork near
    # lambda = 2.16, where the path used to stall (step size underflow) once jumps were
    # detected; it goes straight through and ends in an equilibrium
    g = NormalFormGame.from_bimatrix([[1, 2, 1], [2, 2, 0]], [[0, 0, 1], [1, 0, 0]])
    res = limiting_nash(g)
    assert res.converged and res.max_regret <= 1e-8
    np.testing.assert_allclose(res.profile[0], [0.5, 0.5], atol=1e-9)
    np.testing.assert_allclose(res.profile[1], [0.5, 0.0, 0.5], atol=1e-9)
    path = qre_path(g, [1.0, 5.0, 20.0])
    for k, lam in enumerate(path.lams):
        assert qre_residual(g, path.profile(k), lam) <= 1e-9
        np.testing.assert_allclose(path.profile(k)[0], [0.5, 0.5], atol=1e-9)


def test_limiting_nash_on_degenerate_games_returns_an_equilibrium():
    rng = np.random.default_rng(4)
    for _ in range(20):
        u = rng.integers(0, 3, size=(3, 2, 2, 2))
        g = NormalFormGame(u)
        res = limiting_nash(g)
        if res.converged:
            assert g.is_equilibrium(list(res.profile), tol=1e-8)
        assert res.max_regret == pytest.approx(g.regret(list(res.profile)).max(), abs=1e-9)


# ------------------------------------------------------------------ the logit rule
def test_logit_choice_probabilities_rule():
    v = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, -np.inf]])
    p = logit_choice_probabilities(v, lam=[2.0, 0.0])
    e = np.exp(2.0 * np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(p[0], e / e.sum())
    np.testing.assert_allclose(p[1], [0.5, 0.5, 0.0])
    big = logit_choice_probabilities([1000.0, 999.0], lam=50.0)  # no overflow
    assert np.isfinite(big).all() and big[0] == pytest.approx(1.0)
    np.testing.assert_array_equal(logit_choice_probabilities([1.0, 3.0, 3.0], np.inf),
                                  [0.0, 0.5, 0.5])


@pytest.mark.parametrize(
    ("values", "lam", "match"),
    [
        ([1.0, np.nan], 1.0, r"values contain NaN at index \(1,\)"),
        ([[0.0, 1.0], [1.0, np.inf]], 1.0, r"values contain \+inf at index \(1, 1\)"),
        ([-np.inf, -np.inf], 1.0, "has no finite value"),
        ([1.0, 2.0], -1.0, "precision lam must be >= 0"),
        ([1.0, 2.0], np.nan, "precision lam must be >= 0"),
        (3.0, 1.0, "need a last axis"),
    ],
)
def test_logit_choice_probabilities_validation(values, lam, match):
    with pytest.raises(ValueError, match=match):
        logit_choice_probabilities(values, lam)


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
