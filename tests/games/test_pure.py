"""Pure equilibria (negsim.games.algorithms.pure and the NormalFormGame methods) against
pygambit's enumpure on random n-player games with ties and against brute force; strict
equilibria; the batched mask; coalition deviations and strong Nash against brute force."""

from __future__ import annotations

import numpy as np
import pytest
from games_references import brute_deviations, brute_pure, gambit_pure
from hypothesis import example, given, settings
from strategies import games, games_with_pure_profile

from negsim.games import CoalitionDeviation, NormalFormGame, pure_equilibrium_mask

# --------------------------------------------------- pure equilibria vs pygambit enumpure
FAMILIES = {
    "3x2": (3, 2), "4x3": (4, 3), "5x2": (5, 2), "2p-4x4": (2, 4),
}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_pure_equilibria_match_pygambit_on_random_games_with_ties(family):
    n, a = FAMILIES[family]
    rng = np.random.default_rng(sum(map(ord, family)))
    n_games, ties = 200, 0
    for k in range(n_games):
        high = (2, 4, 100)[k % 3]  # 0..1 and 0..3: many ties; 0..99: some
        u = rng.integers(0, high, size=(n,) + (a,) * n)
        g = NormalFormGame(u)
        got = g.pure_equilibria()
        assert set(got) == gambit_pure(u), u.tolist()
        assert got == sorted(got) and len(set(got)) == len(got)
        strict = g.pure_equilibria(strict=True)
        assert strict == brute_pure(u, strict=True)
        assert set(strict) <= set(got)
        ties += len(strict) < len(got)
    assert ties >= 20  # the families really contain weak equilibria


def test_pure_equilibria_match_pygambit_on_mixed_shapes():
    rng = np.random.default_rng(77)
    shapes = [(2, 3), (3, 1, 2), (2, 3, 4), (1, 1), (4, 1, 1, 2), (2, 2, 3, 2), (5,), (3, 3)]
    count = 0
    for _ in range(25):
        for shape in shapes:
            u = rng.integers(-2, 3, size=(len(shape), *shape))
            g = NormalFormGame(u)
            assert g.pure_equilibria() == brute_pure(u)
            if len(shape) > 1:  # pygambit needs at least 2 players
                assert set(g.pure_equilibria()) == gambit_pure(u)
            count += 1
    assert count >= 200


def test_pure_equilibria_with_real_payoffs_and_rounding_noise():
    # ties that are exact in decimal but not in binary floating point: 0.1 + 0.2 vs 0.3
    u = np.zeros((2, 2, 2))
    u[0] = [[0.1 + 0.2, 0.0], [0.3, 0.0]]
    u[1] = [[1.0, 0.0], [1.0, 0.0]]
    g = NormalFormGame(u)
    assert g.pure_equilibria() == [(0, 0), (1, 0)]  # a tie within the 1e-12 tolerance
    assert g.pure_equilibria(strict=True) == []
    # exact comparison: 0.1 + 0.2 = 0.30000000000000004 > 0.3
    assert g.pure_equilibria(tol=0.0) == [(0, 0)]


@settings(max_examples=150, deadline=None)
@given(games(max_players=4, max_actions=3))
@example(NormalFormGame(np.zeros((3, 2, 2, 2))))  # constant: every profile, none strict
@example(NormalFormGame([[1.0, 1.0]]))  # one player with a tie
def test_property_pure_equilibria_equal_brute_force(g):
    u = g.payoffs
    assert g.pure_equilibria() == brute_pure(u)
    assert g.pure_equilibria(strict=True) == brute_pure(u, strict=True)
    mask = g.pure_equilibrium_mask()
    assert mask.shape == g.shape and mask.sum() == len(g.pure_equilibria())


@pytest.mark.parametrize("k", [15, 16, 17, 257])
def test_strict_counts_many_tied_actions(k):
    # best-response counts must not wrap around (257 ties would count as 1 in uint8)
    g = NormalFormGame(np.zeros((1, k)))
    assert len(g.pure_equilibria()) == k and g.pure_equilibria(strict=True) == []
    u = np.zeros((2, 2, k))
    u[1, 1, 3] = 1.0  # against row 1 the column player has a unique best response
    u[0, 1, :] = 1.0  # and row 1 is the row player's unique best response everywhere
    g2 = NormalFormGame(u)
    assert g2.pure_equilibria(strict=True) == [(1, 3)]
    assert len(g2.pure_equilibria()) == 1


def test_constant_game_has_every_profile_as_weak_equilibrium():
    g = NormalFormGame(np.ones((3, 2, 3, 2)))
    assert len(g.pure_equilibria()) == 12
    assert g.pure_equilibria(strict=True) == []


# --------------------------------------------------------------------------- batched mask
def test_batched_mask_equals_one_game_at_a_time():
    rng = np.random.default_rng(5)
    batch = rng.integers(0, 3, size=(7, 4, 3, 3, 3, 3))
    masks = pure_equilibrium_mask(batch, n_players=4)
    strict = pure_equilibrium_mask(batch, n_players=4, strict=True)
    for k in range(7):
        g = NormalFormGame(batch[k])
        np.testing.assert_array_equal(masks[k], g.pure_equilibrium_mask())
        np.testing.assert_array_equal(strict[k], g.pure_equilibrium_mask(strict=True))


def test_batch_shape_ambiguity_is_resolved_by_n_players():
    # a batch of three 2-player 2x2 games has the shape of one 3-player 2x2x2 game: without
    # n_players the shape is read as one game, as documented
    rng = np.random.default_rng(1)
    batch = rng.integers(0, 5, size=(3, 2, 2, 2))
    assert pure_equilibrium_mask(batch).shape == (2, 2, 2)
    per_game = pure_equilibrium_mask(batch, n_players=2)
    assert per_game.shape == (3, 2, 2)
    for k in range(3):
        assert [tuple(x) for x in np.argwhere(per_game[k])] == brute_pure(batch[k])


@pytest.mark.parametrize(
    ("payoffs", "kwargs", "match"),
    [
        (np.zeros((3, 2, 2)), {}, r"no axis holds the number of players"),
        (np.zeros((2, 2, 2)), {"n_players": 3}, r"do not have the shape \(\*batch, 3"),
        (np.zeros((2, 2, 0)), {}, "at least one action"),
        (np.zeros((2, 2, 2)), {"tol": -1.0}, "tol must be >= 0"),
    ],
)
def test_mask_validation(payoffs, kwargs, match):
    with pytest.raises(ValueError, match=match):
        pure_equilibrium_mask(payoffs, **kwargs)


# ------------------------------------------------------------- coalitions and strong Nash
@settings(max_examples=150, deadline=None)
@given(games_with_pure_profile(min_players=1, max_players=4, max_actions=3))
@example((NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]), (1, 1)))
def test_property_coalition_deviations_equal_brute_force(gp):
    g, s = gp
    devs = g.coalition_deviations(s)
    assert [(d.coalition, d.profile, d.gains) for d in devs] == brute_deviations(g.payoffs, s)
    assert g.is_strong_nash(s) == (devs == [])
    # a profile is Nash exactly when no single player deviates profitably
    assert g.is_pure_equilibrium(s) == (not any(len(d.coalition) == 1 for d in devs))
    if g.is_strong_nash(s):
        assert g.is_pure_equilibrium(s)


def test_coalition_deviation_of_a_patron_and_a_belligerent():
    # 3 players; (0, 0, 0) is Nash, but players 0 and 2 gain by moving together, and all
    # three gain in a second way; player 1 alone cannot gain
    u = np.zeros((3, 2, 2, 2))
    u[:, 0, 0, 0] = [2, 2, 2]
    u[:, 1, 0, 1] = [3, 1, 4]  # 0 and 2 gain (player 1 does not move)
    u[:, 1, 1, 1] = [5, 3, 3]  # everybody gains
    u[:, 1, 0, 0] = [1, 9, 9]  # player 0 alone: loses
    u[:, 0, 0, 1] = [9, 9, 1]  # player 2 alone: loses
    g = NormalFormGame(u)
    assert g.is_pure_equilibrium((0, 0, 0))
    assert not g.is_strong_nash((0, 0, 0))
    assert g.coalition_deviations((0, 0, 0)) == [
        CoalitionDeviation(coalition=(0, 2), profile=(1, 0, 1), gains=(1.0, 2.0)),
        CoalitionDeviation(coalition=(0, 1, 2), profile=(1, 1, 1), gains=(3.0, 1.0, 1.0)),
    ]
    # a gain within the tolerance is not a gain
    u2 = u.copy()
    u2[:, 1, 0, 1] = [2 + 1e-14, 2, 2 + 1e-14]
    u2[:, 1, 1, 1] = 0
    assert NormalFormGame(u2).is_strong_nash((0, 0, 0))
    assert not NormalFormGame(u2).is_strong_nash((0, 0, 0), tol=0.0)


def test_coalitions_reject_bad_profiles():
    g = NormalFormGame(np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match=r"one action per player \(2\), got 3"):
        g.coalition_deviations((0, 0, 0))
    with pytest.raises(ValueError, match=r"player 1 \(P2\) must be an index in \[0, 3\), got 3"):
        g.is_strong_nash((0, 3))
    with pytest.raises(ValueError, match=r"got 0.5"):
        g.is_strong_nash((0, 0.5))
