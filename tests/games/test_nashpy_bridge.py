"""nashpy's algorithms through NormalFormGame.equilibria (negsim.games.algorithms.
nashpy_bridge): each method on nondegenerate games, clear errors where nashpy fails,
Lemke-Howson cut off where nashpy cycles, and non-equilibria dropped with a warning."""

from __future__ import annotations

import warnings

import nashpy
import numpy as np
import pytest
from games_references import as_set, gambit_mixed

from negsim.games import NormalFormGame


# ----------------------------------------------------------------------- nashpy's methods
def test_each_nashpy_method_on_nondegenerate_games():
    rng = np.random.default_rng(8)
    for m, n in [(2, 2), (2, 3), (3, 3), (3, 4), (4, 4)] * 3:
        A, B = rng.random((m, n)), rng.random((m, n))
        g = NormalFormGame.from_bimatrix(A, B)
        ours = as_set(g.equilibria(), 6)
        assert as_set(g.equilibria("support"), 6) == ours
        assert as_set(g.equilibria("support", non_degenerate=True), 6) == ours
        assert as_set(g.equilibria("vertex"), 6) == ours
        lh = as_set(g.equilibria("lemke_howson"), 6)
        assert lh and lh <= ours  # Lemke-Howson finds some, not necessarily all


def test_nashpy_vertex_enumeration_failure_on_a_degenerate_game_is_a_clear_error():
    g = NormalFormGame.from_bimatrix(np.zeros((2, 3)), [[0, 0, 0], [1, 1, 1]])
    assert as_set(g.equilibria()) == gambit_mixed(*g.payoffs)
    with pytest.raises(ValueError, match="nashpy's vertex failed on this game .* "
                                         "use method='enumeration'"):
        g.equilibria("vertex")


@pytest.mark.parametrize(
    ("A", "B"),
    [([[0]], [[0]]), ([[1], [0], [1]], [[0], [1], [0]]), ([[0, 1]], [[1, 1]])],
)
def test_nashpy_lemke_howson_cycling_is_cut_off(A, B):
    # nashpy's Lemke-Howson loops for ever on these degenerate games (a player with a
    # single action); negsim runs nashpy's pivots with a limit and says so
    g = NormalFormGame.from_bimatrix(A, B)
    with pytest.warns(RuntimeWarning, match=r"did not finish within 50 pivots, or failed"):
        eqs = g.equilibria("lemke_howson", max_pivots=50)
    assert all(g.is_equilibrium(list(e)) for e in eqs)
    assert as_set(eqs) <= as_set(g.equilibria())
    with pytest.raises(ValueError, match="max_pivots must be a positive integer"):
        g.equilibria("lemke_howson", max_pivots=0)


def test_nashpy_vertex_enumeration_on_a_single_column_is_a_clear_error():
    g = NormalFormGame.from_bimatrix([[1], [0]], [[0], [1]])
    with pytest.raises(ValueError, match=r"nashpy's vertex failed on this game \(QhullError"):
        g.equilibria("vertex")
    assert as_set(g.equilibria()) == {(1.0, 0.0, 1.0)}


def test_lemke_howson_equals_nashpys_own_enumeration_on_nondegenerate_games():
    rng = np.random.default_rng(12)
    for m, n in [(2, 2), (3, 3), (3, 5), (4, 4)]:
        A, B = rng.random((m, n)), rng.random((m, n))
        g = NormalFormGame.from_bimatrix(A, B)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            ours = g.equilibria("lemke_howson")
            theirs = list(nashpy.Game(A, B).lemke_howson_enumeration())
        good = [e for e in theirs if g.is_equilibrium([np.asarray(x) for x in e])]
        assert as_set(ours, 6) == as_set(good, 6)


def test_non_equilibria_from_nashpy_are_dropped_with_a_warning(monkeypatch):
    # as documented: nashpy output that is not an equilibrium within tol (or is NaN) is
    # dropped with a RuntimeWarning, duplicates removed
    pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    fake = [
        (np.array([0.0, 1.0]), np.array([0.0, 1.0])),
        (np.array([0.0, 1.0]), np.array([1e-12, 1.0 - 1e-12])),  # a duplicate
        (np.array([1.0, 0.0]), np.array([1.0, 0.0])),  # not an equilibrium
        (np.array([np.nan, np.nan]), np.array([np.nan, np.nan])),
        (np.array([0.5, 0.6]), np.array([0.0, 1.0])),  # not a probability vector
    ]
    monkeypatch.setattr(nashpy.Game, "support_enumeration", lambda self, **kw: iter(fake))
    with pytest.warns(RuntimeWarning, match=r"returned 3 profile\(s\) that are not equilibria"):
        eqs = pd.equilibria("support")
    assert as_set(eqs) == {(0.0, 1.0, 0.0, 1.0)} and len(eqs) == 1
