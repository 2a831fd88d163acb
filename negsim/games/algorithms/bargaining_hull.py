r"""Bargaining over the convex hull of agreements: linear programmes and Nash's product.

With ``convex=True`` the bargaining solutions of :mod:`negsim.games.algorithms.bargaining`
take the feasible set to be the convex hull of the agreements (lotteries over them). This
module holds the machinery: :func:`interior_mixture` (is some hull point strictly better
than the disagreement point for everybody?), :func:`max_linear` (the best hull point for a
linear objective, above given bounds) and :func:`nash_on_hull` (the maximum of the concave
log Nash product over the hull, by simplicial decomposition with an optimality
certificate).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog, minimize

__all__ = ["interior_mixture", "max_linear", "nash_on_hull"]


def interior_mixture(U: np.ndarray, d: np.ndarray) -> tuple[float, np.ndarray]:
    """Largest ``s`` with a mixture ``lam`` of the rows of ``U`` giving ``U.T lam >= d + s``.

    The hull contains a point strictly better than ``d`` for everyone iff ``s > 0``.

    Parameters
    ----------
    U : ndarray, shape (K, n)
        The points (agreements), one row each.
    d : ndarray, shape (n,)
        The disagreement point.

    Returns
    -------
    s : float
        The largest margin over ``d`` that every player gets at once.
    lam : ndarray, shape (K,)
        Weights of a mixture of the rows that reaches it.

    Examples
    --------
    >>> s, lam = interior_mixture(np.array([[1.0, 0.0], [0.0, 1.0]]), np.zeros(2))
    >>> round(s, 9), lam.round(9).tolist()
    (0.5, [0.5, 0.5])
    """
    K, n = U.shape
    c = np.zeros(K + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-U.T, np.ones((n, 1))])
    A_eq = np.concatenate([np.ones(K), [0.0]])[None, :]
    bounds = [(0, None)] * K + [(None, None)]
    res = linprog(c, A_ub=A_ub, b_ub=-d, A_eq=A_eq, b_eq=[1.0], bounds=bounds,
                  method="highs")
    if res.status != 0:  # pragma: no cover - the LP is always feasible and bounded
        raise RuntimeError(f"interior-point LP failed: {res.message}")
    lam = np.clip(res.x[:K], 0.0, None)
    return float(res.x[-1]), lam / lam.sum()


def max_linear(U: np.ndarray, c: np.ndarray, lower: np.ndarray) -> tuple[float, np.ndarray]:
    """Maximise ``c . (U.T lam)`` over mixtures with ``U.T lam >= lower``.

    Parameters
    ----------
    U : ndarray, shape (K, n)
        The points, one row each.
    c : ndarray, shape (n,)
        The objective's weights.
    lower : ndarray, shape (n,)
        Lower bounds on the mixture's point.

    Returns
    -------
    value : float
        The maximum of ``c . u`` over the hull points ``u >= lower``.
    lam : ndarray, shape (K,)
        The weights of a maximising mixture.

    Raises
    ------
    RuntimeError
        If the linear programme fails (no hull point is above ``lower``).

    Examples
    --------
    The best hull point for player 1 among those giving player 2 at least 0.25:

    >>> value, lam = max_linear(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, 0.0]),
    ...                         np.array([0.0, 0.25]))
    >>> round(value, 9), lam.round(9).tolist()
    (0.75, [0.75, 0.25])
    """
    K, n = U.shape
    res = linprog(-(U @ c), A_ub=-U.T, b_ub=-lower, A_eq=np.ones((1, K)), b_eq=[1.0],
                  bounds=[(0, None)] * K, method="highs")
    if res.status != 0:
        raise RuntimeError(f"LP failed: {res.message}")
    lam = np.clip(res.x, 0.0, None)
    return -float(res.fun), lam / lam.sum()


def _restricted_nash(V: np.ndarray, d: np.ndarray, w: np.ndarray, lam: np.ndarray,
                     floor: float) -> np.ndarray:
    """Maximise ``sum w log(V.T lam - d)`` over the simplex, from a feasible ``lam``.

    SLSQP (linear constraints keep the iterates feasible), then Newton steps on the
    optimal face for full precision.
    """
    a = len(V)

    def neg_obj(x: np.ndarray) -> float:
        gain = np.maximum(x @ V - d, floor)
        return -float(np.sum(w * np.log(gain)))

    def neg_grad(x: np.ndarray) -> np.ndarray:
        gain = np.maximum(x @ V - d, floor)
        return -(V @ (w / gain))

    if a > 1:
        res = minimize(
            neg_obj, lam, jac=neg_grad, method="SLSQP",
            bounds=[(0.0, 1.0)] * a,
            constraints=[
                {"type": "eq", "fun": lambda x: np.sum(x) - 1.0,
                 "jac": lambda x: np.ones_like(x)},
                {"type": "ineq", "fun": lambda x: x @ V - d - floor, "jac": lambda x: V.T},
            ],
            options={"ftol": 1e-15, "maxiter": 500},
        )
        cand = np.clip(res.x, 0.0, None)
        cand /= cand.sum()
        if np.all(cand @ V - d > 0) and neg_obj(cand) <= neg_obj(lam):
            lam = cand
    # Newton polish on the face spanned by the points in use
    for _ in range(30):
        on = lam > 1e-12
        Vf = V[on]
        gain = lam[on] @ Vf - d
        grad = Vf @ (w / gain)
        H = -(Vf * (w / gain**2)) @ Vf.T
        k = int(on.sum())
        kkt = np.zeros((k + 1, k + 1))
        kkt[:k, :k] = H
        kkt[:k, k] = 1.0
        kkt[k, :k] = 1.0
        step = np.linalg.lstsq(kkt, np.concatenate([-grad, [0.0]]), rcond=None)[0][:k]
        if not np.all(np.isfinite(step)) or np.max(np.abs(step)) < 1e-15:
            break
        base = neg_obj(lam)
        t = 1.0
        improved = False
        while t > 1e-8:
            trial = lam.copy()
            trial[on] = lam[on] + t * step
            if np.all(trial >= 0) and np.all(trial @ V - d > 0) and neg_obj(trial) <= base:
                lam = trial / trial.sum()
                improved = True
                break
            t /= 2
        if not improved:
            break
    return lam


def nash_on_hull(U: np.ndarray, d: np.ndarray, w: np.ndarray, lam0: np.ndarray,
                 *, rel_tol: float = 1e-9) -> np.ndarray:
    """Nash bargaining over the convex hull of the rows of ``U`` (simplicial decomposition).

    Keeps a small set of active points, solves the problem on their hull, and adds the
    point that most violates the optimality condition ``g . U_k <= g . u*`` with
    ``g = w / (u* - d)`` (a supporting hyperplane of the hull at ``u*``), until none does.

    Parameters
    ----------
    U : ndarray, shape (K, n)
        The points (agreements), one row each.
    d : ndarray, shape (n,)
        The disagreement point.
    w : ndarray, shape (n,)
        Positive bargaining weights.
    lam0 : ndarray, shape (K,)
        A mixture whose point is strictly better than ``d`` for everyone (see
        :func:`interior_mixture`).
    rel_tol : float, default 1e-9
        Relative tolerance of the optimality condition.

    Returns
    -------
    ndarray, shape (K,)
        The weights of the mixture maximising the Nash product (weights below 1e-12 set
        to 0).

    Examples
    --------
    Splitting a unit pie with weights 2 and 1:

    >>> U, d, w = np.array([[1.0, 0.0], [0.0, 1.0]]), np.zeros(2), np.array([2.0, 1.0])
    >>> nash_on_hull(U, d, w, interior_mixture(U, d)[1]).round(6).tolist()
    [0.666667, 0.333333]
    """
    K = len(U)
    floor = 1e-300
    active = np.flatnonzero(lam0 > 0)
    lam = lam0[active]
    for _ in range(10 * K + 50):
        lam = _restricted_nash(U[active], d, w, lam, floor)
        u = lam @ U[active]
        g = w / (u - d)
        score = U @ g
        j = int(np.argmax(score))
        level = float(g @ u)
        if score[j] <= level + rel_tol * max(1.0, abs(level)) or j in set(active.tolist()):
            break
        keep = lam > 1e-12
        active = np.concatenate([active[keep], [j]])
        lam = np.concatenate([lam[keep], [0.0]])
    mixture = np.zeros(K)
    np.add.at(mixture, active, lam)
    mixture[mixture < 1e-12] = 0.0
    return mixture / mixture.sum()
