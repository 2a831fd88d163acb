r"""Dominance among strategies and Pareto comparisons among profiles, on payoff arrays.

* :func:`iterated_elimination`: iterated elimination of strictly dominated strategies (by
  pure strategies, and optionally by mixed strategies with a linear programme per
  strategy), or of weakly dominated ones on request. In each round every player's
  dominated strategies are removed at once.
* :func:`pareto_matrix` and :func:`payoff_dominant_index`: which of a list of payoff
  vectors Pareto-dominates which, and the one (if any) that is at least as good as every
  other for everybody (payoff dominance, Harsanyi and Selten 1988).

Ties are decided with a tolerance relative to the payoffs compared (see
:func:`negsim.games.algorithms.pure.tie_tolerance`).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from negsim.games.algorithms.pure import tie_tolerance

__all__ = ["iterated_elimination", "pareto_matrix", "payoff_dominant_index"]


# ---------------------------------------------------------------------------------------
# dominated strategies
# ---------------------------------------------------------------------------------------


def _dominated(U: np.ndarray, strict: bool, tol: float) -> np.ndarray:
    """Rows of ``U`` (strategies x opponent profiles) dominated by another row."""
    diff = U[:, None, :] - U[None, :, :]  # diff[k, j] = U[k] - U[j]
    t = tie_tolerance(U[None, :, :], tol)
    if strict:
        D = (diff > t).all(axis=2)
    else:
        D = (diff >= -t).all(axis=2) & (diff > t).any(axis=2)
    np.fill_diagonal(D, False)
    return D.any(axis=0)


def _mixed_dominated(U: np.ndarray, j: int, tol: float) -> bool:
    """Whether row ``j`` is strictly dominated by a mixture of the other rows."""
    k, m = U.shape
    others = [r for r in range(k) if r != j]
    # variables: x (weights on the other rows), eps; maximise eps
    # subject to sum_r x_r U[r, c] - eps >= U[j, c] for every column c
    c = np.zeros(len(others) + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-U[others].T, np.ones((m, 1))])
    b_ub = -U[j]
    A_eq = np.zeros((1, len(others) + 1))
    A_eq[0, :-1] = 1.0
    span = float(np.ptp(U)) + 1.0
    res = linprog(
        c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0],
        bounds=[(0, 1)] * len(others) + [(-span, span)], method="highs",
    )
    if res.status != 0:  # pragma: no cover - the LP is always feasible and bounded
        return False
    return bool(-res.fun > tol * (1.0 + float(np.abs(U[j]).max())) + 1e-9 * span)


def iterated_elimination(
    payoffs: np.ndarray, strict: bool = True, *, mixed: bool = False, tol: float = 1e-12
) -> tuple[tuple[int, ...], ...]:
    """Remove dominated pure strategies, iteratively; return the survivors.

    In each round every player's dominated strategies (given the strategies still
    present) are found and all are removed at once; rounds repeat until nothing is
    dominated.

    Parameters
    ----------
    payoffs : ndarray, shape (n, a_1, ..., a_n)
        One game's payoff tensor.
    strict : bool, default True
        Remove strictly dominated strategies (another strategy is better against every
        remaining profile of the others); with ``False`` weakly dominated ones (never
        worse, somewhere better).
    mixed : bool, default False
        Also remove strategies strictly dominated by a mixture of the player's other
        strategies (one linear programme per remaining strategy). Only with
        ``strict=True``.
    tol : float, default 1e-12
        A payoff must exceed another by more than ``tol * (1 + |payoff|)`` to count as
        better.

    Returns
    -------
    tuple of tuple of int
        For each player, the indices of its surviving actions.

    Raises
    ------
    ValueError
        If ``mixed`` is asked for with ``strict=False``.

    Examples
    --------
    A row strategy dominated only by a mixture of the other two:

    >>> A = np.array([[3, 0], [0, 3], [1, 1]])
    >>> u = np.stack([A, np.zeros((3, 2))])
    >>> iterated_elimination(u), iterated_elimination(u, mixed=True)
    (((0, 1, 2), (0, 1)), ((0, 1), (0, 1)))
    """
    if mixed and not strict:
        raise ValueError("mixed=True is only available for strict dominance")
    n = payoffs.shape[0]
    kept = [list(range(a)) for a in payoffs.shape[1:]]
    while True:
        sub = payoffs[np.ix_(range(n), *kept)]
        removed = False
        new = []
        for i in range(n):
            U = np.moveaxis(sub[i], i, 0).reshape(len(kept[i]), -1)
            dom = _dominated(U, strict, tol)
            if mixed and len(kept[i]) > 2:
                for j in np.flatnonzero(~dom):
                    if _mixed_dominated(U, int(j), tol):
                        dom[j] = True
            if dom.any():
                removed = True
            new.append([a for a, d in zip(kept[i], dom, strict=True) if not d])
        kept = new
        if not removed:
            break
    return tuple(tuple(k) for k in kept)


# ---------------------------------------------------------------------------------------
# Pareto and payoff dominance
# ---------------------------------------------------------------------------------------


def pareto_matrix(values: np.ndarray, tol: float) -> np.ndarray:
    """``D[a, b]``: row ``a`` of ``values`` Pareto-dominates row ``b``.

    Row ``a`` dominates row ``b`` when every entry of ``a`` is at least that of ``b`` and
    some entry strictly larger (ties within ``tol``, relative to the entries of ``b``).

    Parameters
    ----------
    values : ndarray, shape (k, n)
        One payoff vector per row (one entry per player).
    tol : float
        Tie tolerance.

    Returns
    -------
    ndarray of bool, shape (k, k)

    Examples
    --------
    >>> pareto_matrix(np.array([[4, 4], [3, 3], [0, 5]]), 1e-12).astype(int).tolist()
    [[0, 1, 0], [0, 0, 0], [0, 0, 0]]
    """
    diff = values[:, None, :] - values[None, :, :]
    t = tie_tolerance(values[None, :, :], tol)
    return (diff >= -t).all(axis=2) & (diff > t).any(axis=2)


def payoff_dominant_index(values: np.ndarray, tol: float) -> int | None:
    """Return the first row of ``values`` that is at least every other row everywhere.

    Parameters
    ----------
    values : ndarray, shape (k, n)
        One payoff vector per row (one entry per player).
    tol : float
        Tie tolerance.

    Returns
    -------
    int or None
        ``None`` when no row qualifies (or ``values`` has no rows).

    Examples
    --------
    >>> payoff_dominant_index(np.array([[3, 3], [4, 4]]), 1e-12)
    1
    >>> payoff_dominant_index(np.array([[3, 2], [2, 3]]), 1e-12) is None
    True
    """
    diff = values[:, None, :] - values[None, :, :]
    weakly = (diff >= -tie_tolerance(values[None, :, :], tol)).all(axis=2)  # a >= b for all
    for a in range(len(values)):
        if weakly[a].all():
            return a
    return None
