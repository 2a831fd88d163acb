r"""Pure-strategy computations on payoff tensors: equilibria, best responses, deviations.

A payoff tensor has shape ``(n_players, a_1, ..., a_n)``: ``payoffs[i, s_1, ..., s_n]`` is
player ``i``'s payoff when player ``j`` plays its action ``s_j`` (action indices start at 0).

* :func:`pure_equilibrium_mask`: the pure Nash equilibria of any n-player game, or of a
  batch of games, by vectorised best responses: for each player the payoff tensor is
  compared with its maximum over that player's own axis, and the n boolean tensors are
  combined. Strict equilibria keep only profiles where every player's action is its unique
  best response.
* :func:`is_pure_equilibrium` tests one profile, :func:`best_actions` lists the best
  responses among action values, and :func:`profitable_deviations` finds every joint
  deviation from a pure profile that all the players who move gain from (coalitions,
  strong Nash equilibria).

Tolerances
----------
Payoff ties are decided with a tolerance ``tol`` relative to the size of the payoffs
compared (:func:`tie_tolerance`): ``x`` counts as at least ``y`` when
``x >= y - tol * (1 + |y|)``. With ``tol=1e-12`` integer and rational payoffs are compared
exactly and floating-point noise of a few ulps is ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "best_actions",
    "is_pure_equilibrium",
    "profitable_deviations",
    "pure_equilibrium_mask",
    "tie_tolerance",
]


def tie_tolerance(best: np.ndarray | float, tol: float) -> np.ndarray | float:
    """Tie tolerance at payoff level ``best``: ``tol * (1 + |best|)``.

    Parameters
    ----------
    best : float or ndarray
        The payoff level(s) compared against.
    tol : float
        Relative tolerance.

    Returns
    -------
    float or ndarray
        Payoff differences up to this size count as ties.

    Examples
    --------
    >>> float(tie_tolerance(3.0, 0.5))
    2.0
    >>> tie_tolerance(np.array([0.0, -9.0]), 0.1).tolist()
    [0.1, 1.0]
    """
    return tol * (1.0 + np.abs(best))


# ---------------------------------------------------------------------------------------
# batched pure equilibria
# ---------------------------------------------------------------------------------------


def _infer_n_players(shape: tuple[int, ...]) -> int:
    """Largest ``k`` with ``shape[-(k + 1)] == k`` (fewest batch dimensions)."""
    for k in range(len(shape) - 1, 0, -1):
        if shape[-(k + 1)] == k:
            return k
    raise ValueError(
        f"payoffs of shape {shape} are not (*batch, n_players, a_1, ..., a_n): no axis "
        "holds the number of players followed by that many action axes"
    )


def pure_equilibrium_mask(
    payoffs: np.ndarray,
    tol: float = 1e-12,
    *,
    strict: bool = False,
    n_players: int | None = None,
) -> np.ndarray:
    """Mark the pure Nash equilibria of one game or of a batch of games.

    A profile is an equilibrium when every player's payoff there is (within ``tol``) the
    maximum over that player's own actions, the others' actions fixed. The test is one
    maximum and one comparison per player over the whole tensor: no Python loop over
    profiles or games.

    Parameters
    ----------
    payoffs : array_like, shape (*batch, n, a_1, ..., a_n)
        Payoff tensors; ``payoffs[..., i, s_1, ..., s_n]`` is player ``i``'s payoff.
    tol : float, default 1e-12
        Tie tolerance, relative to the payoff size (``x`` ties with the best payoff ``b``
        when ``b - x <= tol * (1 + |b|)``).
    strict : bool, default False
        Keep only strict equilibria (every player's action is its unique best response
        within ``tol``).
    n_players : int, optional
        Number of players ``n``. When omitted it is inferred as the largest ``k`` for which
        axis ``-(k + 1)`` has length ``k``; this always reads an unbatched game correctly,
        but a batch can be ambiguous (a batch of 3 two-player 2x2 games has the shape of
        one 3-player 2x2x2 game), so pass ``n_players`` for batches.

    Returns
    -------
    ndarray of bool, shape (*batch, a_1, ..., a_n)
        ``True`` at the pure equilibria.

    Raises
    ------
    ValueError
        If the shape does not fit ``(*batch, n, a_1, ..., a_n)`` or ``tol < 0``.

    Examples
    --------
    The prisoner's dilemma (action 1 = defect) has the single equilibrium ``(1, 1)``:

    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> pure_equilibrium_mask(pd)
    array([[False, False],
           [False,  True]])

    A batch of two games (the second is the same game with the players' payoffs
    negated); pass ``n_players`` for batches:

    >>> pure_equilibrium_mask(np.stack([pd, -pd]), n_players=2).reshape(2, -1)
    array([[False, False, False,  True],
           [ True, False, False, False]])
    """
    u = np.asarray(payoffs)
    if u.dtype == object or not np.issubdtype(u.dtype, np.number):
        u = u.astype(float)
    if not tol >= 0:
        raise ValueError(f"tol must be >= 0, got {tol!r}")
    n = _infer_n_players(u.shape) if n_players is None else int(n_players)
    if n < 1 or u.ndim < n + 1 or u.shape[-(n + 1)] != n:
        raise ValueError(
            f"payoffs of shape {u.shape} do not have the shape (*batch, {n}, a_1, ..., a_{n})"
        )
    if any(a < 1 for a in u.shape[-n:]):
        raise ValueError(f"every player needs at least one action, got shape {u.shape}")
    b = u.ndim - n - 1  # number of batch axes
    mask: np.ndarray | None = None
    for i in range(n):
        ax = b + i
        ui = u[(Ellipsis, i) + (slice(None),) * n]
        best = _axis_reduce(np.maximum, ui, ax)
        # near the best: ui >= best - tol (1 + |best|), the threshold computed on the
        # reduced array (a_i times smaller than the tensor)
        thr = best - tol * (1.0 + np.abs(best)) if tol > 0 else best
        ok = ui >= np.expand_dims(thr, ax)
        if strict:
            count = _axis_reduce(np.add, ok.view(np.uint8), ax)
            ok &= np.expand_dims(count == 1, ax)
        if mask is None:
            mask = ok
        else:
            mask &= ok
    assert mask is not None
    return mask


def _axis_reduce(op: np.ufunc, x: np.ndarray, axis: int) -> np.ndarray:
    """Reduce ``x`` with ``op`` along ``axis`` (``op.reduce``, int64 sums for ``np.add``).

    Short axes are reduced as a chain of elementwise ``op`` on the slices, which is
    several times faster than numpy's reduction over a short inner (strided or
    contiguous) axis of a large array.
    """
    k = x.shape[axis]
    if k > 16 or x.ndim == 1:
        if op is np.add:  # counts: no uint8 overflow
            return x.sum(axis=axis, dtype=np.int64)
        return op.reduce(x, axis=axis)
    lead = (slice(None),) * axis
    out = x[(*lead, 0)].copy()
    for j in range(1, k):
        op(out, x[(*lead, j)], out=out)
    return out


# ---------------------------------------------------------------------------------------
# one profile
# ---------------------------------------------------------------------------------------


def is_pure_equilibrium(payoffs: np.ndarray, profile: Sequence[int], tol: float) -> bool:
    """Whether the pure profile is a Nash equilibrium (ties within ``tol``).

    Parameters
    ----------
    payoffs : ndarray, shape (n, a_1, ..., a_n)
        One game's payoff tensor.
    profile : sequence of int
        One valid action index per player.
    tol : float
        Tie tolerance (see :func:`tie_tolerance`).

    Examples
    --------
    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> is_pure_equilibrium(pd, (1, 1), 1e-12), is_pure_equilibrium(pd, (0, 0), 1e-12)
    (True, False)
    """
    for i in range(payoffs.shape[0]):
        idx: list[Any] = list(profile)
        idx[i] = slice(None)
        line = payoffs[(i, *idx)]
        best = line.max()
        if best - line[profile[i]] > tie_tolerance(best, tol):
            return False
    return True


def best_actions(values: np.ndarray, tol: float) -> tuple[int, ...]:
    """List the actions whose value is the largest, within ``tol``.

    Parameters
    ----------
    values : ndarray, shape (a,)
        A player's expected payoff of each of its actions.
    tol : float
        Tie tolerance (see :func:`tie_tolerance`).

    Returns
    -------
    tuple of int
        The best actions, in increasing order.

    Examples
    --------
    >>> best_actions(np.array([1.0, 3.0, 3.0 - 1e-15, 2.0]), 1e-12)
    (1, 2)
    """
    best = values.max()
    return tuple(int(a) for a in np.flatnonzero(best - values <= tie_tolerance(best, tol)))


def profitable_deviations(
    payoffs: np.ndarray, profile: tuple[int, ...], tol: float
) -> tuple[np.ndarray, np.ndarray]:
    """Mark the profiles reached by a joint deviation that every player who moves gains from.

    Every profile differs from ``profile`` in exactly one set of players (those who
    moved), so all joint deviations are tested at once, in one pass over the tensor. A
    gain must exceed ``tol * (1 + |payoff at profile|)`` to count.

    Parameters
    ----------
    payoffs : ndarray, shape (n, a_1, ..., a_n)
        One game's payoff tensor.
    profile : tuple of int
        One valid action index per player.
    tol : float
        Relative tolerance on the gains.

    Returns
    -------
    mask : ndarray of bool, shape (a_1, ..., a_n)
        ``True`` at the profiles where every player who moved gains (``profile`` itself
        is ``False``).
    gains : ndarray, shape (n, a_1, ..., a_n)
        Each player's payoff at each profile minus its payoff at ``profile``.

    Examples
    --------
    In the prisoner's dilemma both players gain by cooperating together:

    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> mask, gains = profitable_deviations(pd, (1, 1), 1e-12)
    >>> np.argwhere(mask).tolist(), gains[:, 0, 0].tolist()
    ([[0, 0]], [2, 2])
    """
    n = payoffs.shape[0]
    shape = payoffs.shape[1:]
    here = payoffs[(slice(None), *profile)]  # (n,)
    gains = payoffs - here.reshape((n,) + (1,) * n)
    ok = np.ones(shape, dtype=bool)
    for i in range(n):
        moved = (np.arange(shape[i]) != profile[i]).reshape(
            [-1 if k == i else 1 for k in range(n)]
        )
        ok &= ~moved | (gains[i] > tie_tolerance(here[i], tol))
    ok[profile] = False
    return ok, gains
