r"""Payoffs of strategy profiles: action values, expected payoffs and regrets.

A payoff tensor has shape ``(n_players, a_1, ..., a_n)``; a mixed profile ``sigma`` is one
probability vector per player (a pure action is the vector with a single 1). Against the
others' mixtures each action of player ``i`` has an expected payoff, its *value*
(:func:`action_values`); the player's expected payoff is the mean of its values under its
own mixture (:func:`expected_payoffs`), and its *regret* is what the best action would
add (:func:`mixed_regret`, :func:`pure_regret`): a profile is a Nash equilibrium when
every regret is 0.

The functions take valid profiles; :mod:`negsim.games.profiles` checks them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["action_values", "expected_payoffs", "mixed_regret", "pure_regret"]


def action_values(payoffs: np.ndarray, sigma: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Each player's expected payoff of each own action against the others' mixtures.

    Parameters
    ----------
    payoffs : ndarray, shape (n, a_1, ..., a_n)
        One game's payoff tensor.
    sigma : sequence of ndarray
        One probability vector per player (player ``i``'s own entry is not used for its
        values).

    Returns
    -------
    list of ndarray
        Entry ``i`` has shape ``(a_i,)``.

    Examples
    --------
    Matching pennies, the column player mixing 90/10:

    >>> mp = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> [v.round(6).tolist() for v in action_values(mp, [np.array([1.0, 0.0]),
    ...                                                   np.array([0.9, 0.1])])]
    [[0.8, -0.8], [-1.0, 1.0]]
    """
    n = payoffs.shape[0]
    out = []
    for i in range(n):
        t = payoffs[i]
        for j in range(n - 1, -1, -1):
            if j != i:
                t = np.tensordot(t, sigma[j], axes=([j], [0]))
        out.append(np.asarray(t, dtype=float))
    return out


def expected_payoffs(payoffs: np.ndarray, sigma: Sequence[np.ndarray]) -> np.ndarray:
    """Every player's expected payoff at the mixed profile ``sigma``.

    Parameters
    ----------
    payoffs : ndarray, shape (n, a_1, ..., a_n)
        One game's payoff tensor.
    sigma : sequence of ndarray
        One probability vector per player.

    Returns
    -------
    ndarray, shape (n,)

    Examples
    --------
    >>> mp = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> expected_payoffs(mp, [np.array([1.0, 0.0]), np.array([0.9, 0.1])]).round(6).tolist()
    [0.8, -0.8]
    """
    vals = action_values(payoffs, sigma)
    return np.array([float(vals[i] @ sigma[i]) for i in range(payoffs.shape[0])])


def mixed_regret(payoffs: np.ndarray, sigma: Sequence[np.ndarray]) -> np.ndarray:
    """Each player's largest gain from a unilateral deviation at the mixed profile ``sigma``.

    Parameters
    ----------
    payoffs : ndarray, shape (n, a_1, ..., a_n)
        One game's payoff tensor.
    sigma : sequence of ndarray
        One probability vector per player.

    Returns
    -------
    ndarray, shape (n,)
        Non-negative regrets (rounding below 0 is cut at 0), in payoff units.

    Examples
    --------
    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> mixed_regret(pd, [np.array([0.5, 0.5]), np.array([1.0, 0.0])]).tolist()
    [1.0, 1.5]
    """
    vals = action_values(payoffs, sigma)
    return np.array(
        [max(float(vals[i].max() - vals[i] @ sigma[i]), 0.0) for i in range(payoffs.shape[0])]
    )


def pure_regret(payoffs: np.ndarray, profile: Sequence[int]) -> np.ndarray:
    """Each player's largest gain from a unilateral deviation at a pure profile.

    Parameters
    ----------
    payoffs : ndarray, shape (n, a_1, ..., a_n)
        One game's payoff tensor.
    profile : sequence of int
        One valid action index per player.

    Returns
    -------
    ndarray, shape (n,)
        Non-negative regrets, in payoff units.

    Examples
    --------
    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> pure_regret(pd, (0, 1)).tolist()
    [1.0, 0.0]
    """
    n = payoffs.shape[0]
    out = np.empty(n)
    for i in range(n):
        idx: list[Any] = list(profile)
        idx[i] = slice(None)
        line = payoffs[(i, *idx)]
        out[i] = line.max() - line[profile[i]]
    return out
