"""Dominance and Pareto comparisons (negsim.games.algorithms.dominance through the
NormalFormGame methods): iterated elimination keeps the equilibria, weak elimination
may lose some, mixed dominance, Pareto and payoff dominance against brute force."""

from __future__ import annotations

import numpy as np
import pytest
from games_references import as_set, strictly_dominated
from hypothesis import example, given, settings
from strategies import bimatrices, games

from negsim.games import NormalFormGame


# ------------------------------------------------------------------------------ dominance
@settings(max_examples=120, deadline=None)
@given(games(min_players=2, max_players=3, max_actions=4))
@example(NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
def test_property_removing_a_strictly_dominated_strategy_keeps_the_equilibria(g):
    u = g.payoffs
    base = set(g.pure_equilibria())
    # one strategy at a time (the brute-force dominance test), in the original indices
    for i, j in strictly_dominated(u):
        kept = [list(range(a)) for a in g.shape]
        kept[i].remove(j)
        sub = g.restrict(kept)
        back = {tuple(kept[p][s[p]] for p in range(g.n_players)) for s in sub.pure_equilibria()}
        assert back == base
    # the whole iterated elimination, pure and mixed dominance
    for mixed in (False, True):
        reduced, kept = g.iterated_elimination(mixed=mixed)
        back = {tuple(kept[p][s[p]] for p in range(g.n_players))
                for s in reduced.pure_equilibria()}
        assert back == base
        assert strictly_dominated(reduced.payoffs) == []  # nothing dominated is left
        assert reduced.players == g.players
        assert reduced.actions == tuple(tuple(g.actions[p][a] for a in kept[p])
                                        for p in range(g.n_players))


@settings(max_examples=60, deadline=None)
@given(bimatrices(max_m=4, max_n=4))
def test_property_strict_elimination_keeps_all_mixed_equilibria(ab):
    g = NormalFormGame.from_bimatrix(*ab)
    reduced, (rows, cols) = g.iterated_elimination(mixed=True)
    back = []
    for p, q in reduced.equilibria():
        P, Q = np.zeros(g.shape[0]), np.zeros(g.shape[1])
        P[list(rows)], Q[list(cols)] = p, q
        back.append((P, Q))
    assert as_set(back) == as_set(g.equilibria())


@settings(max_examples=80, deadline=None)
@given(games(min_players=2, max_players=3, max_actions=3))
def test_property_weak_elimination_keeps_only_equilibria(g):
    # removing weakly dominated strategies can lose equilibria, but never creates one
    reduced, kept = g.iterated_elimination(strict=False)
    back = {tuple(kept[p][s[p]] for p in range(g.n_players)) for s in reduced.pure_equilibria()}
    assert back <= set(g.pure_equilibria())
    assert all(len(k) >= 1 for k in kept)


def test_weak_elimination_can_remove_an_equilibrium():
    # (1, 1) is an equilibrium, but row 1 and column 1 are weakly dominated
    g = NormalFormGame.from_bimatrix([[1, 0], [0, 0]], [[1, 0], [0, 0]])
    assert g.pure_equilibria() == [(0, 0), (1, 1)]
    assert g.iterated_elimination()[1] == ((0, 1), (0, 1))
    reduced, kept = g.iterated_elimination(strict=False)
    assert kept == ((0,), (0,)) and reduced.pure_equilibria() == [(0, 0)]


def test_mixed_dominance_needs_strict():
    g = NormalFormGame.from_bimatrix([[3, 0], [0, 3], [1, 1]], [[0, 0]] * 3)
    assert g.iterated_elimination(mixed=True)[1] == ((0, 1), (0, 1))
    with pytest.raises(ValueError, match="only available for strict"):
        g.iterated_elimination(strict=False, mixed=True)
    # 1.5 = (3 + 0) / 2 exactly: not strictly dominated by the 50/50 mixture
    g2 = NormalFormGame.from_bimatrix([[3, 0], [0, 3], [1.5, 1.5]], [[0, 0]] * 3)
    assert g2.iterated_elimination(mixed=True)[1] == ((0, 1, 2), (0, 1))


# --------------------------------------------------------------------------------- Pareto
@settings(max_examples=100, deadline=None)
@given(games(min_players=1, max_players=3, max_actions=3, low=0, high=2))
def test_property_pareto_partition_equals_brute_force(g):
    eqs = g.pure_equilibria()
    vals = {e: g.payoffs[(slice(None), *e)] for e in eqs}

    def dominates(a, b):
        return bool(np.all(vals[a] >= vals[b]) and np.any(vals[a] > vals[b]))

    dominated = [e for e in eqs if any(dominates(f, e) for f in eqs)]
    assert g.pareto_dominated() == dominated
    assert g.pareto_dominant() == [e for e in eqs if e not in dominated]
    if eqs:
        assert g.pareto_dominant()  # a finite set has an undominated element
    top = [e for e in eqs if all(np.all(vals[e] >= vals[f]) for f in eqs)]
    assert g.payoff_dominant() == (top[0] if top else None)


def test_pareto_on_given_profiles_and_payoff_dominant():
    sh = NormalFormGame.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    assert sh.payoff_dominant() == (0, 0)
    # any listed profiles, not only equilibria
    # (0, 3) and (3, 0) are both below (3, 3)
    assert sh.pareto_dominated([(0, 1), (1, 1), (1, 0)]) == [(0, 1), (1, 0)]
    assert sh.pareto_dominant([(0, 1), (1, 0)]) == [(0, 1), (1, 0)]
    assert sh.pareto_dominant([]) == [] and sh.payoff_dominant([]) is None
    bos = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    assert bos.payoff_dominant() is None
    with pytest.raises(ValueError, match="equilibrium: action of player 1"):
        sh.pareto_dominated([(0, 2)])
