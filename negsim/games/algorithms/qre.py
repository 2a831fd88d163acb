r"""Logit quantal response equilibrium (QRE) of n-player games given as payoff tensors.

In a logit QRE (McKelvey and Palfrey 1995) every player chooses each action with a
probability proportional to :math:`\exp(\lambda\, v_{ij}(\sigma))`, where
:math:`v_{ij}(\sigma)` is the expected payoff of action :math:`j` of player :math:`i`
against the others' mixtures and :math:`\lambda \ge 0` is the players' precision (the
choice rule is :func:`~negsim.games.algorithms.logit.logit_choice_probabilities`). At
:math:`\lambda = 0` everybody mixes uniformly; as :math:`\lambda \to \infty` the *principal
branch* of QRE that starts there converges to a Nash equilibrium (for generic games), which
selects one equilibrium: the one :func:`logit_limit` approximates and the one Gambit's
``logit_solve`` reports.

* :func:`logit_branch`: the branch at given precisions (:class:`QREPath`).
* :func:`logit_limit`: the end of the branch, an approximate Nash equilibrium, polished on
  its supports (:class:`LimitingNash`).

The branch is traced by pseudo-arclength continuation
(:mod:`negsim.games.algorithms.continuation`). Both functions take a payoff tensor of shape
``(n_players, a_1, ..., a_n)``; :class:`~negsim.games.NormalFormGame` and
:mod:`negsim.games.qre` offer them for games.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from negsim.games.algorithms.continuation import (
    QREConvergenceError,
    QRESystem,
    branch_points,
    follow_branch,
)

__all__ = ["LimitingNash", "QREPath", "logit_branch", "logit_limit"]

# ---------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class QREPath:
    """Points of the principal logit-QRE branch at given precisions.

    Attributes
    ----------
    lams : ndarray, shape (k,)
        The precisions, in the order requested.
    probabilities : tuple of ndarray
        One read-only array per player, shape ``(k, a_i)``: row ``t`` is the player's
        mixture at ``lams[t]``.

    Examples
    --------
    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> path = logit_branch(pd, [1.0, 0.0])
    >>> len(path), path.lams.tolist(), path.probabilities[1].shape
    (2, [1.0, 0.0], (2, 2))
    """

    lams: np.ndarray
    probabilities: tuple[np.ndarray, ...]

    def __len__(self) -> int:
        return int(self.lams.shape[0])

    def profile(self, t: int) -> tuple[np.ndarray, ...]:
        """Return the profile at ``lams[t]`` (one probability vector per player).

        Examples
        --------
        >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
        >>> [p.round(4).tolist() for p in logit_branch(pd, [0.0, 1.0]).profile(1)]
        [[0.2268, 0.7732], [0.2268, 0.7732]]
        """
        return tuple(p[t] for p in self.probabilities)


@dataclass(frozen=True, eq=False)
class LimitingNash:
    """The end of the principal logit-QRE branch: an approximate Nash equilibrium.

    Attributes
    ----------
    profile : tuple of ndarray
        One probability vector per player (read-only).
    lam : float
        The precision reached, in the game's payoff units.
    max_regret : float
        Largest gain from a unilateral deviation at ``profile``, in payoff units.
    converged : bool
        Whether ``max_regret <= tol * payoff range`` was reached before ``lam_max``.
    polished : bool
        Whether the profile was refined by solving the indifference conditions on the
        detected supports (Newton's method) and so is exact to rounding.
    steps : int
        Number of accepted continuation steps.

    Examples
    --------
    >>> mp = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> res = logit_limit(mp)
    >>> [p.tolist() for p in res.profile], res.converged, res.max_regret
    ([[0.5, 0.5], [0.5, 0.5]], True, 0.0)
    """

    profile: tuple[np.ndarray, ...]
    lam: float
    max_regret: float
    converged: bool
    polished: bool
    steps: int


# ---------------------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------------------


def _payoff_tensor(payoffs: object) -> np.ndarray:
    """Check a payoff tensor: shape (n, a_1, ..., a_n) with every a_i >= 1, finite."""
    u = np.asarray(payoffs, dtype=float)
    if u.ndim < 2 or u.ndim != u.shape[0] + 1 or any(a < 1 for a in u.shape[1:]):
        raise ValueError(
            f"payoffs must have the shape (n_players, a_1, ..., a_n), got shape {u.shape}"
        )
    if not np.all(np.isfinite(u)):
        raise ValueError("payoffs must be finite")
    return u


def _validate_lams(lams: object) -> np.ndarray:
    arr = np.asarray(lams, dtype=float)
    if arr.ndim > 1:
        raise ValueError(f"lams must be a scalar or 1-D, got shape {arr.shape}")
    arr = arr.reshape(-1)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"precisions must be finite and >= 0, got {np.asarray(lams).tolist()}")
    return arr


def _readonly_prob(p: np.ndarray) -> np.ndarray:
    p = np.array(p, dtype=float)
    p /= p.sum()
    p.setflags(write=False)
    return p


# ---------------------------------------------------------------------------------------
# the branch and its limit
# ---------------------------------------------------------------------------------------


def logit_branch(
    payoffs: object,
    lams: Sequence[float] | np.ndarray | float,
    *,
    first_step: float = 0.05,
    max_accel: float = 1.5,
    max_steps: int = 100_000,
) -> QREPath:
    """Trace the principal logit-QRE branch once, through several precisions.

    Parameters
    ----------
    payoffs : array_like, shape (n, a_1, ..., a_n)
        The game's payoff tensor.
    lams : float or sequence of float
        Precisions ``>= 0`` in the units of the payoffs (``lam * payoff`` is what enters
        the exponent), in any order: the path is followed once through all of them.
    first_step : float, default 0.05
        Initial arclength step (in rescaled units).
    max_accel : float, default 1.5
        Largest factor by which a step may exceed the previous one.
    max_steps : int, default 100000
        Limit on the number of continuation steps.

    Returns
    -------
    QREPath
        If the branch passes a precision more than once (it can turn back in ``lam``),
        the first crossing is returned.

    Raises
    ------
    ValueError
        If a precision is negative or not finite, or ``lams`` has more than 1 dimension.
    QREConvergenceError
        If path-following fails.

    Examples
    --------
    In the prisoner's dilemma defection becomes more likely as the precision grows:

    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> logit_branch(pd, [0, 1, 5]).probabilities[0][:, 1].round(4).tolist()
    [0.5, 0.7732, 0.9935]
    """
    u = _payoff_tensor(payoffs)
    arr = _validate_lams(lams)
    order = np.argsort(arr, kind="stable")
    sys = QRESystem(u)
    ys = branch_points(sys, arr[order], first_step=first_step, max_accel=max_accel,
                       max_steps=max_steps)
    probs = [np.empty((arr.size, a)) for a in sys.shape]
    for pos, y in zip(order, ys, strict=True):
        for i, p in enumerate(sys.split(np.exp(y))):
            probs[i][pos] = p / p.sum()
    for p in probs:
        p.setflags(write=False)
    lam_out = arr.copy()
    lam_out.setflags(write=False)
    return QREPath(lams=lam_out, probabilities=tuple(probs))


def logit_limit(
    payoffs: object,
    *,
    tol: float = 1e-8,
    lam_max: float | None = None,
    polish: bool = True,
    first_step: float = 0.05,
    max_accel: float = 1.5,
    max_steps: int = 100_000,
) -> LimitingNash:
    """Approximate the Nash equilibrium at the end of the principal logit-QRE branch.

    The branch is followed until the largest regret of its (normalised) profile is at most
    ``tol`` times the game's payoff range (the acceptance rule of Gambit's
    ``logit_solve``) or the precision exceeds ``lam_max``. With ``polish=True`` the
    supports are then read off (probabilities above 1e-7) and the equilibrium conditions on
    those supports solved by Newton's method; the polished profile is kept if its regret is
    smaller.

    Parameters
    ----------
    payoffs : array_like, shape (n, a_1, ..., a_n)
        The game's payoff tensor.
    tol : float, default 1e-8
        Regret tolerance, relative to the payoff range.
    lam_max : float, optional
        Largest precision to follow, in payoff units (default ``1e10`` divided by the
        payoff range).
    polish : bool, default True
        Refine the profile on its supports.
    first_step, max_accel, max_steps
        As in :func:`logit_branch`.

    Returns
    -------
    LimitingNash

    Raises
    ------
    ValueError
        If ``tol`` or ``lam_max`` is not positive.

    Examples
    --------
    Battle of the sexes: the logit branch selects the pure equilibrium preferred by the
    player with the larger stake (here the column player, who gets 3.5 at ``(1, 1)``):

    >>> bos = np.array([[[3, 0], [0, 2]], [[2, 0], [0, 3.5]]])
    >>> res = logit_limit(bos)
    >>> [p.round(6).tolist() for p in res.profile], res.converged
    ([[0.0, 1.0], [0.0, 1.0]], True)
    """
    u = _payoff_tensor(payoffs)
    if not tol > 0:
        raise ValueError(f"tol must be > 0, got {tol!r}")
    sys = QRESystem(u)
    if sys.scale == 0:
        prof = tuple(_readonly_prob(p) for p in sys.split(np.exp(sys.uniform())))
        return LimitingNash(prof, 0.0, 0.0, True, False, 0)
    lam_cap = 1e10 if lam_max is None else float(lam_max) * sys.scale
    if not lam_cap > 0:
        raise ValueError(f"lam_max must be > 0, got {lam_max!r}")
    steps = 0
    x = np.concatenate([sys.uniform(), [0.0]])
    converged = False
    sigma = sys.profile(x[:-1])
    reg = sys.regret(sigma)
    if reg <= tol:
        converged = True
    else:
        path = follow_branch(sys, first_step, max_accel, max_steps)
        try:
            for _, x1 in path:
                steps += 1
                x = x1
                sigma = sys.profile(x[:-1])
                reg = sys.regret(sigma)
                if reg <= tol:
                    converged = True
                    break
                if x[-1] >= lam_cap:
                    break
        except QREConvergenceError:
            # typically a degenerate game whose branch ends in a continuum of equilibria,
            # where the equations become singular: keep the last point reached
            pass
        path.close()
    polished = False
    if polish:
        tried: list[list[np.ndarray]] = []
        start = sigma
        for threshold in (1e-7, 1e-5, 1e-3, 1e-2):
            supports = [p > threshold for p in start]
            if any(all(np.array_equal(a, b) for a, b in zip(s, supports, strict=True))
                   for s in tried):
                continue
            tried.append(supports)
            # the equilibrium conditions on these supports, and plain truncation (which
            # also works where those conditions are singular, in degenerate games)
            truncated = [np.where(m, p, 0.0) for m, p in zip(supports, start, strict=True)]
            candidates = [_polish(sys, start, threshold), [p / p.sum() for p in truncated]]
            for better in candidates:
                if better is not None:
                    r2 = sys.regret(better)
                    if r2 <= reg:
                        sigma, reg, polished = better, r2, True
        converged = converged or reg <= tol
    prof = tuple(_readonly_prob(p) for p in sigma)
    return LimitingNash(
        profile=prof,
        lam=float(x[-1] / sys.scale),
        max_regret=float(reg * sys.scale),
        converged=bool(converged),
        polished=polished,
        steps=steps,
    )


def _polish(
    sys: QRESystem, sigma: list[np.ndarray], threshold: float = 1e-7
) -> list[np.ndarray] | None:
    """Solve the indifference conditions on the supports of ``sigma`` by Newton's method."""
    supports = [np.flatnonzero(p > threshold) for p in sigma]
    if any(s.size == 0 for s in supports):
        return None
    refs = [int(s[np.argmax(p[s])]) for s, p in zip(supports, sigma, strict=True)]
    cur = [np.where(p > threshold, p, 0.0) for p in sigma]
    cur = [p / p.sum() for p in cur]
    cols = np.concatenate([sys.offsets[i] + supports[i] for i in range(sys.n)])
    for _ in range(50):
        vals, G = sys.values_pairs(cur)
        rows_H, rows_J = [], []
        for i in range(sys.n):
            o, r = sys.offsets[i], refs[i]
            row = np.zeros(sys.N)
            row[o + supports[i]] = 1.0
            rows_H.append(cur[i].sum() - 1.0)
            rows_J.append(row[cols])
            for j in supports[i]:
                if j == r:
                    continue
                rows_H.append(vals[i][j] - vals[i][r])
                rows_J.append((G[o + j] - G[o + r])[cols])
        H, J = np.array(rows_H), np.array(rows_J)
        try:
            d = np.linalg.solve(J, -H)
        except np.linalg.LinAlgError:
            return None
        flat = np.concatenate(cur)
        flat[cols] += d
        cur = sys.split(flat)
        cur = [p.copy() for p in cur]
        if float(np.max(np.abs(d))) <= 1e-14:
            break
    if any(np.any(p < -1e-12) or not np.all(np.isfinite(p)) for p in cur):
        return None
    return [np.clip(p, 0.0, None) / np.clip(p, 0.0, None).sum() for p in cur]
