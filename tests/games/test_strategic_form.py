"""StrategicForm (the base of NormalFormGame): constructors and labels, validation,
immutability, nashpy conversion, and the payoffs, regrets and best responses of pure
and mixed profiles against brute force."""

from __future__ import annotations

import nashpy
import numpy as np
import pytest
from games_references import brute_regret, profiles
from hypothesis import example, given, settings
from strategies import games, games_with_mixed_profile

from negsim.games import NormalFormGame


# -------------------------------------------------------------------- regret, equilibrium
@settings(max_examples=120, deadline=None)
@given(games_with_mixed_profile(min_players=1, max_players=3, max_actions=3))
@example((NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]),
          [np.array([0.5, 0.5]), np.array([0.5, 0.5])]))
@example((NormalFormGame(np.arange(8.0).reshape(2, 2, 2)), [np.array([1.0, 0.0])] * 2))
def test_property_regret_equals_brute_force(gp):
    g, sigma = gp
    r = g.regret(sigma)
    assert np.all(r >= 0)
    np.testing.assert_allclose(r, brute_regret(g, sigma), atol=1e-12)
    scale = max(1.0, float(np.ptp(g.payoffs)))
    assert g.is_equilibrium(sigma) == bool(np.all(r <= 1e-9 * scale))
    # no player gains from any pure deviation more than its regret
    ev = g.expected_payoffs(sigma)
    for i in range(g.n_players):
        for a in range(g.shape[i]):
            dev = list(sigma)
            dev[i] = np.eye(g.shape[i])[a]
            assert g.expected_payoffs(dev)[i] - ev[i] <= r[i] + 1e-12
    # best responses achieve the regret
    for i in range(g.n_players):
        for a in g.best_responses(i, sigma):
            dev = list(sigma)
            dev[i] = a
            assert g.expected_payoffs(dev)[i] - ev[i] == pytest.approx(r[i], abs=1e-12)


@settings(max_examples=120, deadline=None)
@given(games(max_players=4, max_actions=3))
@example(NormalFormGame(np.zeros((2, 1, 1))))
def test_property_every_reported_pure_equilibrium_has_zero_regret(g):
    eqs = set(g.pure_equilibria())
    for s in profiles(g.shape):
        r = g.regret(s)
        assert (r.max() == 0) == (s in eqs)
        # the same profile given as probability vectors
        vecs = [np.eye(a)[s[i]] for i, a in enumerate(g.shape)]
        np.testing.assert_allclose(g.regret(vecs), r, atol=1e-12)
        assert g.is_equilibrium(s) == (s in eqs)


def test_regret_hand_values_and_profile_forms():
    pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert pd.regret((0, 0)).tolist() == [2.0, 2.0]
    # mixed profile: against q = (1/2, 1/2), C earns 1.5 and D 3, so p = (1/2, 1/2) regrets
    # 3 - 2.25 = 0.75; the column player's case is symmetric
    assert pd.regret([[0.5, 0.5], [0.5, 0.5]]).tolist() == [0.75, 0.75]
    assert pd.regret([1, [0.5, 0.5]]).tolist() == [0.0, 0.5]  # index mixed with a vector
    # against D the row player earns 0 (C) or 1 (D); the column player's D earns 5 or 1
    assert pd.expected_payoffs([[0.5, 0.5], 1]).tolist() == [0.5, 3.0]
    assert pd.best_responses(1, [[0.5, 0.5], 0]) == (1,)
    tie = NormalFormGame.from_bimatrix([[1, 1], [0, 0]], [[2, 2], [0, 0]])
    assert tie.best_responses(1, (0, 0)) == (0, 1)


@pytest.mark.parametrize(
    ("profile", "match"),
    [
        ([[0.5, 0.5]], r"one strategy per player \(2\), got 1"),
        ([[0.5, 0.5], [0.2, 0.2, 0.6]], r"player 1 \(P2\): expected 2 probabilities"),
        ([[0.7, 0.7], [1, 0]], r"player 0 \(P1\): probabilities sum to 1.4"),
        ([[1.5, -0.5], [1, 0]], "negative probability -0.5"),
        ([[np.nan, 1], [1, 0]], "must be finite"),
        ([["a", "b"], [1, 0]], "not a probability vector"),
        ([[1, 0], 5], r"action index 5 not in \[0, 2\)"),
        (3, "must be a sequence"),
    ],
)
def test_bad_mixed_profiles(profile, match):
    pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    with pytest.raises(ValueError, match=match):
        pd.regret(profile)


def test_bad_tolerances_and_players():
    pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="tol must be a finite number >= 0"):
            pd.pure_equilibria(tol=bad)
        with pytest.raises(ValueError, match="tol must be a finite number >= 0"):
            pd.is_equilibrium((0, 0), tol=bad)
    with pytest.raises(ValueError, match=r"player must be an index in \[0, 2\), got 2"):
        pd.best_responses(2, (0, 0))


# ------------------------------------------------------------------- constructors, labels
def test_from_function_from_bimatrix_and_array_agree():
    A, B = np.array([[3, 0], [5, 1]]), np.array([[3, 5], [0, 1]])
    g1 = NormalFormGame(np.stack([A, B]))
    g2 = NormalFormGame.from_bimatrix(A, B)
    g3 = NormalFormGame.from_function(lambda s: (A[s], B[s]), [2, 2])
    assert g1 == g2 == g3 and hash(g1) == hash(g3)
    assert g1 != NormalFormGame.from_bimatrix(A, B, players=["Row", "Col"])
    assert g1 != NormalFormGame.from_bimatrix(A, B + 1)
    assert (g1 == "not a game") is False


def test_from_function_passes_profiles_in_order():
    seen = []

    def f(s):
        seen.append(s)
        return [s[0] * 10 + s[1] + 100 * s[2], 0.0, -1.0]

    g = NormalFormGame.from_function(f, [2, 3, 2])
    assert sorted(seen) == list(profiles((2, 3, 2))) and len(seen) == 12
    assert g.payoffs[0, 1, 2, 1] == 112.0 and g.payoffs[2, 1, 2, 1] == -1.0


def test_nashpy_round_trip():
    rng = np.random.default_rng(3)
    A, B = rng.integers(-5, 5, (3, 4)), rng.integers(-5, 5, (3, 4))
    ng = nashpy.Game(A, B)
    g = NormalFormGame.from_nashpy(ng, players=["Row", "Col"])
    np.testing.assert_array_equal(g.payoffs[0], A)
    np.testing.assert_array_equal(g.payoffs[1], B)
    back = g.to_nashpy()
    np.testing.assert_array_equal(back.payoff_matrices[0], A)
    np.testing.assert_array_equal(back.payoff_matrices[1], B)
    assert NormalFormGame.from_nashpy(back, players=["Row", "Col"]) == g
    # a zero-sum nashpy game (one matrix)
    z = NormalFormGame.from_nashpy(nashpy.Game(A))
    np.testing.assert_array_equal(z.payoffs[1], -A)
    with pytest.raises(ValueError, match="expected a nashpy.Game"):
        NormalFormGame.from_nashpy(object())
    with pytest.raises(ValueError, match="to_nashpy needs a 2-player game, this one has 3"):
        NormalFormGame(np.zeros((3, 2, 2, 2))).to_nashpy()


def test_labels_default_and_custom():
    g = NormalFormGame(np.zeros((2, 2, 3)))
    assert g.players == ("P1", "P2") and g.actions == (("1", "2"), ("1", "2", "3"))
    g = NormalFormGame(np.zeros((2, 2, 3)), players=["GNA", "LNA"],
                       actions=[["talk", "fight"], ["a", "b", "c"]])
    assert repr(g) == ("NormalFormGame(players=('GNA', 'LNA'), actions=(('talk', 'fight'), "
                       "('a', 'b', 'c')), shape=(2, 3))")
    sub = g.restrict([[1], [2, 0]])
    assert sub.actions == (("fight",), ("c", "a")) and sub.shape == (1, 2)


def test_game_is_immutable():
    g = NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    with pytest.raises(ValueError, match="read-only"):
        g.payoffs[0, 0, 0] = 1.0
    with pytest.raises(AttributeError, match="immutable"):
        g._payoffs = None  # noqa: SLF001
    with pytest.raises(AttributeError, match="immutable"):
        del g._players  # noqa: SLF001
    src = np.zeros((2, 2, 2))
    g = NormalFormGame(src)
    src[0, 0, 0] = 5.0  # the game keeps its own copy
    assert g.payoffs[0, 0, 0] == 0.0


@pytest.mark.parametrize(
    ("payoffs", "kwargs", "match"),
    [
        ([[[1, np.nan], [0, 0]], [[0, 0], [0, 0]]], {},
         r"payoffs contain NaN at index \(0, 0, 1\) \(player 0, profile \(0, 1\)\); 1 non-finite"),
        ([[[1, np.inf], [0, -np.inf]], [[0, 0], [0, 0]]], {}, r"an infinite value .* 2 non-finite"),
        ([1, 2, 3], {}, r"shape \(n_players, a_1, ..., a_n\), got shape \(3,\)"),
        (np.zeros((3, 2, 2)), {}, r"list 3 players, so they need 4 dimensions .* not 3"),
        (np.zeros((2, 2, 0)), {}, "at least one action"),
        ([["a", "b"]], {}, "payoffs must be a numeric array"),
        ([[[1, 2], [3]]], {}, "payoffs must be a numeric array"),
        (np.zeros((2, 2, 2)), {"players": "AB"}, "not the string 'AB'"),
        (np.zeros((2, 2, 2)), {"players": ["A"]}, r"players: expected 2 labels, got 1"),
        (np.zeros((2, 2, 2)), {"players": ["A", "A"]}, r"labels must be unique, repeated: \['A'\]"),
        (np.zeros((2, 2, 2)), {"players": ["A", 2]}, "labels must be strings, got 2"),
        (np.zeros((2, 2, 2)), {"actions": [["x", "y"]]}, "one label sequence for each of 2"),
        (np.zeros((2, 2, 2)), {"actions": [["x", "y"], ["z"]]},
         r"actions of player 1 \(P2\): expected 2 labels, got 1"),
        (np.zeros((2, 2, 2)), {"actions": [["x", "x"], ["y", "z"]]}, "repeated: \\['x'\\]"),
    ],
)
def test_constructor_validation(payoffs, kwargs, match):
    with pytest.raises(ValueError, match=match):
        NormalFormGame(payoffs, **kwargs)


def test_alternative_constructor_validation():
    with pytest.raises(ValueError, match=r"f\(0, 0\) returned 3 payoffs, expected 2"):
        NormalFormGame.from_function(lambda s: [0, 0, 0], [2, 2])
    with pytest.raises(ValueError, match="at least one action per player"):
        NormalFormGame.from_function(lambda s: [0], [])
    with pytest.raises(ValueError, match="at least one action per player"):
        NormalFormGame.from_function(lambda s: [0, 0], [2, 0])
    with pytest.raises(ValueError, match=r"same shape, got \(2, 2\) and \(2, 3\)"):
        NormalFormGame.from_bimatrix(np.zeros((2, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="matrices of the same shape"):
        NormalFormGame.from_bimatrix(np.zeros(2), np.zeros(2))
    g = NormalFormGame(np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match=r"one list per player \(2\)"):
        g.restrict([[0]])
    with pytest.raises(ValueError, match=r"player 1 \(P2\) must be distinct indices in \[0, 3\)"):
        g.restrict([[0], [0, 0]])
    with pytest.raises(ValueError, match="at least one"):
        g.restrict([[0], []])
