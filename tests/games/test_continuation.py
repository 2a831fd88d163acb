"""Regressions of the path-following along the principal QRE branch
(negsim.games.algorithms.continuation): nearby branches, slow convergence to a mixed
limit, a bifurcation point, degenerate games, and points off the curve at large lambda."""

from __future__ import annotations

import numpy as np
import pytest
from gambit_api import GAMBIT_QRE_ATOL, logit_at, logit_limit
from games_references import qre_residual

from negsim.games import NormalFormGame, limiting_nash, logit_qre, qre_path

# ------------------------------------------------------------- path-following regressions
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
    # on the curve (to rounding), and on pygambit's branch (to its corrector's accuracy:
    # 17.0.0b2 stops ~1e-7 off the curve, 16.x ~1e-11)
    assert qre_residual(g, p, lam) <= 1e-12
    for a, b in zip(p, logit_at(NEAR_BRANCH, [lam])[0], strict=True):
        np.testing.assert_allclose(a, b, atol=GAMBIT_QRE_ATOL)
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
    for a, b in zip(res.profile, logit_limit(u), strict=True):
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
    for a, b in zip(res.profile, logit_limit(DRIFT), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
