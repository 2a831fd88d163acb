"""Shared hypothesis strategies for the game-solver tests.

Payoffs are small integers by default, so that ties (weak best responses, degenerate
games) occur often: that is where solvers disagree. Every strategy here draws from
hypothesis' own randomness; none touches numpy's global random state.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from negsim.games import NormalFormGame


def shapes(
    min_players: int = 1, max_players: int = 4, min_actions: int = 1, max_actions: int = 3,
    max_profiles: int = 64,
) -> st.SearchStrategy[tuple[int, ...]]:
    """Numbers of actions per player, ``(a_1, ..., a_n)``, with at most ``max_profiles``
    pure profiles."""
    return st.integers(min_players, max_players).flatmap(
        lambda n: st.tuples(*[st.integers(min_actions, max_actions)] * n)
    ).filter(lambda s: int(np.prod(s)) <= max_profiles)


def payoff_tensors(
    shape: tuple[int, ...], low: int = -3, high: int = 3
) -> st.SearchStrategy[np.ndarray]:
    """An integer payoff tensor of shape ``(n, *shape)`` with entries in ``[low, high]``."""
    return arrays(np.int64, (len(shape), *shape), elements=st.integers(low, high))


def games(
    min_players: int = 1, max_players: int = 4, min_actions: int = 1, max_actions: int = 3,
    low: int = -3, high: int = 3, max_profiles: int = 64,
) -> st.SearchStrategy[NormalFormGame]:
    """Random n-player games with small integer payoffs (many ties)."""
    return shapes(min_players, max_players, min_actions, max_actions, max_profiles).flatmap(
        lambda s: payoff_tensors(s, low, high)
    ).map(NormalFormGame)


def bimatrices(
    max_m: int = 4, max_n: int = 4, low: int = -3, high: int = 3, min_size: int = 1
) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray]]:
    """``(A, B)`` integer payoff matrices of a random 2-player game."""
    return st.tuples(st.integers(min_size, max_m), st.integers(min_size, max_n)).flatmap(
        lambda s: st.tuples(
            arrays(np.int64, s, elements=st.integers(low, high)),
            arrays(np.int64, s, elements=st.integers(low, high)),
        )
    )


def bimatrix_games(**kwargs: int) -> st.SearchStrategy[NormalFormGame]:
    """Random 2-player games as :class:`NormalFormGame` (keywords of :func:`bimatrices`)."""
    return bimatrices(**kwargs).map(lambda ab: NormalFormGame.from_bimatrix(*ab))


def pure_profiles(shape: tuple[int, ...]) -> st.SearchStrategy[tuple[int, ...]]:
    """A pure profile (action indices) of a game with ``shape``."""
    return st.tuples(*[st.integers(0, a - 1) for a in shape])


def probability_vectors(k: int, resolution: int = 6) -> st.SearchStrategy[np.ndarray]:
    """A probability vector of length ``k`` from integer weights (so pure and partially
    mixed vectors, with exact zeros, are frequent)."""
    return st.lists(st.integers(0, resolution), min_size=k, max_size=k).filter(
        lambda w: sum(w) > 0
    ).map(lambda w: np.asarray(w, dtype=float) / sum(w))


def mixed_profiles(shape: tuple[int, ...]) -> st.SearchStrategy[list[np.ndarray]]:
    """A mixed profile: one probability vector per player."""
    return st.tuples(*[probability_vectors(a) for a in shape]).map(list)


def games_with_pure_profile(**kwargs: int) -> st.SearchStrategy[
    tuple[NormalFormGame, tuple[int, ...]]
]:
    """A game (keywords of :func:`games`) and one of its pure profiles."""
    return games(**kwargs).flatmap(lambda g: st.tuples(st.just(g), pure_profiles(g.shape)))


def games_with_mixed_profile(**kwargs: int) -> st.SearchStrategy[
    tuple[NormalFormGame, list[np.ndarray]]
]:
    """A game (keywords of :func:`games`) and a mixed profile of it."""
    return games(**kwargs).flatmap(lambda g: st.tuples(st.just(g), mixed_profiles(g.shape)))
