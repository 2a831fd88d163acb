r"""Bargaining solutions: Nash, Kalai-Smorodinsky, individual rationality.

A bargaining problem is a set of feasible utility vectors for ``n`` players and a
*disagreement point* :math:`d` (what each player gets without a deal). negsim takes the
feasible set either as a **finite** list of agreements (rows of a utility matrix), or as
their **convex hull** (``convex=True``: lotteries over the agreements, or a convex set
given by samples of its boundary).

* :func:`nash_bargaining` maximises the (asymmetric) Nash product
  :math:`\prod_i (u_i - d_i)^{w_i}` over the agreements strictly better than :math:`d` for
  every player (Nash 1950; Kalai 1977 for the weights).
* :func:`kalai_smorodinsky` picks the point where the ray from :math:`d` to the ideal point
  (each player's best utility among those agreements) leaves the feasible set (Kalai and
  Smorodinsky 1975).
* :func:`individually_rational` checks agreements against each player's outside option.

The convex case is solved with the linear programmes and the simplicial decomposition of
:mod:`negsim.games.algorithms.bargaining_hull`; alternating offers (Rubinstein) are in
:mod:`negsim.games.algorithms.rubinstein`.

When no agreement is strictly better than :math:`d` for every player the result says so
(``agreement=False``) instead of raising: "no deal" is a normal answer in negotiation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from negsim.games.algorithms.bargaining_hull import interior_mixture, max_linear, nash_on_hull

__all__ = [
    "BargainingResult",
    "IRResult",
    "individually_rational",
    "kalai_smorodinsky",
    "nash_bargaining",
]

#: Relative tolerance for ties between agreements and for optimality checks.
_REL_TOL = 1e-9


# ---------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------


def _readonly(a: np.ndarray | None) -> np.ndarray | None:
    """Return a read-only float copy of ``a`` (``None`` stays ``None``)."""
    if a is None:
        return None
    out = np.array(a, dtype=float)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class BargainingResult:
    r"""Outcome of a bargaining solution, with the inputs that produced it.

    Arrays are read-only copies. Equality is identity (compare fields explicitly).

    Attributes
    ----------
    method : str
        ``"nash"`` or ``"kalai-smorodinsky"``.
    convex : bool
        Whether the feasible set was the convex hull of the agreements (else the finite
        set itself).
    agreement : bool
        Whether some feasible point is strictly better than the disagreement point for
        every player. If not, the solution is the disagreement outcome and ``utilities``,
        ``index`` and ``mixture`` are ``None``.
    utilities : ndarray or None
        The solution's utility vector, shape ``(n_players,)``.
    index : int or None
        Row of the chosen agreement (finite case only).
    mixture : ndarray or None
        Convex case: weights over the agreements (shape ``(n_agreements,)``, summing to
        1) whose mixture gives ``utilities``.
    disagreement : ndarray
        The disagreement point ``d``.
    weights : ndarray
        Bargaining weights (exponents of the Nash product); all ones for
        Kalai-Smorodinsky.
    nash_product : float or None
        :math:`\prod_i (u_i - d_i)^{w_i}` at the solution (may over- or underflow for
        many players; see ``log_nash_product``).
    log_nash_product : float or None
        :math:`\sum_i w_i \log(u_i - d_i)` at the solution.
    ideal : ndarray or None
        Kalai-Smorodinsky only: each player's best utility over the agreements (or hull
        points) that give every player at least ``d``.
    normalised_gain : float or None
        Kalai-Smorodinsky only: :math:`\min_i (u_i - d_i) / (\text{ideal}_i - d_i)`, the
        fraction of the way from ``d`` to the ideal point that the solution reaches.
    n_candidates : int
        Number of agreements strictly better than ``d`` for every player.
    n_agreements : int
        Number of agreements given.

    Examples
    --------
    >>> U = [[6, 1], [4, 4], [1, 7], [2, 2]]
    >>> r = nash_bargaining(U, [0, 0])
    >>> r.method, r.agreement, r.index, r.utilities.tolist()
    ('nash', True, 1, [4.0, 4.0])
    >>> round(r.log_nash_product, 4), r.n_candidates
    (2.7726, 4)
    >>> kalai_smorodinsky(U, [0, 0]).ideal.tolist()
    [6.0, 7.0]
    """

    method: str
    convex: bool
    agreement: bool
    utilities: np.ndarray | None
    index: int | None
    mixture: np.ndarray | None
    disagreement: np.ndarray
    weights: np.ndarray
    nash_product: float | None
    log_nash_product: float | None
    ideal: np.ndarray | None
    normalised_gain: float | None
    n_candidates: int
    n_agreements: int

    @property
    def gains(self) -> np.ndarray | None:
        """Each player's gain over disagreement, ``utilities - disagreement``."""
        if self.utilities is None:
            return None
        return self.utilities - self.disagreement

    @property
    def support(self) -> np.ndarray | None:
        """Indices of the agreements with positive weight in ``mixture`` (convex case)."""
        if self.mixture is None:
            return None
        return np.flatnonzero(self.mixture > 0)


@dataclass(frozen=True, eq=False)
class IRResult:
    """Individual rationality of agreements against the players' outside options.

    Attributes
    ----------
    margins : ndarray
        ``utilities - outside_options``, shape ``(n_players,)`` for one agreement or
        ``(n_agreements, n_players)`` for several. Positive: the player prefers the deal.
    player_rational : ndarray of bool
        Same shape as ``margins``: the player's margin is at least ``-tol`` (``> tol`` when
        ``strict``).
    rational : bool or ndarray of bool
        Whether every player is individually rational, per agreement.
    worst_player : int or ndarray of int
        The player with the smallest margin (the first on ties), per agreement.
    min_margin : float or ndarray
        That smallest margin.
    outside_options : ndarray
        The outside options, shape ``(n_players,)``.
    strict : bool
        Whether a zero margin counts as not rational.
    tol : float
        Tolerance on the margins.

    Examples
    --------
    >>> r = individually_rational([5.0, 2.0, 3.0], [4.0, 2.5, 0.0])
    >>> r.rational, r.player_rational.tolist(), r.worst_player, r.min_margin
    (False, [True, False, True], 1, -0.5)
    """

    margins: np.ndarray
    player_rational: np.ndarray
    rational: bool | np.ndarray
    worst_player: int | np.ndarray
    min_margin: float | np.ndarray
    outside_options: np.ndarray
    strict: bool
    tol: float


# ---------------------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------------------


def _as_utilities(utilities: object) -> np.ndarray:
    """Check the agreement utility matrix: 2-D, non-empty, finite."""
    try:
        U = np.array(utilities, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"utilities is not numeric: {exc}") from exc
    if U.ndim != 2:
        raise ValueError(
            f"utilities must be 2-D (n_agreements, n_players), got shape {U.shape}"
        )
    if U.shape[0] == 0 or U.shape[1] == 0:
        raise ValueError(f"utilities is empty (shape {U.shape})")
    bad = ~np.isfinite(U)
    if bad.any():
        k, i = np.argwhere(bad)[0]
        raise ValueError(
            f"utilities has a non-finite entry {U[k, i]} at agreement {k}, player {i}"
        )
    return U


def _as_vector(v: object, n: int, name: str, *, positive: bool = False) -> np.ndarray:
    """Check a per-player vector: shape (n,), finite (and > 0 if ``positive``)."""
    try:
        arr = np.array(v, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} is not numeric: {exc}") from exc
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        raise ValueError(f"{name} must have one entry per player ({n}), got shape {arr.shape}")
    bad = ~np.isfinite(arr) | ((arr <= 0) if positive else False)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        what = "finite and positive" if positive else "finite"
        raise ValueError(f"{name} must be {what}, got {arr[i]} for player {i}")
    return arr


def _scale(U: np.ndarray, d: np.ndarray) -> float:
    """Magnitude of the utilities, for relative tolerances."""
    return max(1.0, float(np.max(np.abs(U))), float(np.max(np.abs(d))))


def _no_agreement(method: str, convex: bool, U: np.ndarray, d: np.ndarray,
                  w: np.ndarray, n_candidates: int) -> BargainingResult:
    return BargainingResult(
        method=method, convex=convex, agreement=False, utilities=None, index=None,
        mixture=None, disagreement=_readonly(d), weights=_readonly(w), nash_product=None,
        log_nash_product=None, ideal=None, normalised_gain=None,
        n_candidates=n_candidates, n_agreements=len(U),
    )


def _log_product(u: np.ndarray, d: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Log of the Nash product and the product itself at ``u``."""
    gain = u - d
    with np.errstate(over="ignore", under="ignore"):
        return float(np.sum(w * np.log(gain))), float(np.prod(gain**w))


# ---------------------------------------------------------------------------------------
# public solutions
# ---------------------------------------------------------------------------------------


def nash_bargaining(
    utilities: np.ndarray,
    disagreement: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    convex: bool = False,
) -> BargainingResult:
    r"""Nash bargaining solution (asymmetric with ``weights``) over agreements or their hull.

    Maximises :math:`\sum_i w_i \log(u_i - d_i)`, i.e. the Nash product
    :math:`\prod_i (u_i - d_i)^{w_i}`, over the feasible points strictly better than the
    disagreement point for every player.

    Parameters
    ----------
    utilities : array_like, shape (n_agreements, n_players)
        Each agreement's utility for each player.
    disagreement : array_like, shape (n_players,) or scalar
        Utilities without agreement.
    weights : array_like, shape (n_players,), optional
        Positive bargaining weights (default all 1: the symmetric solution). Only their
        ratios affect the solution.
    convex : bool, default False
        If true, the feasible set is the convex hull of the agreements (lotteries over
        them), and the result gives the mixing weights in ``mixture``. The log Nash
        product is concave there; it is maximised by simplicial decomposition with an
        optimality certificate (a supporting hyperplane of the hull).

    Returns
    -------
    BargainingResult
        With ``agreement=False`` if no feasible point is strictly better than ``d`` for
        every player. In the finite case ties (within a relative ``1e-9``) go to the
        first agreement.

    Raises
    ------
    ValueError
        If ``utilities`` is not a non-empty finite 2-D array, or ``disagreement`` or
        ``weights`` do not have one finite entry per player (weights positive).

    Examples
    --------
    >>> U = np.array([[6, 1], [4, 4], [1, 7], [2, 2]])
    >>> r = nash_bargaining(U, [0, 0])
    >>> r.index, r.utilities.tolist(), r.nash_product
    (1, [4.0, 4.0], 16.0)
    >>> nash_bargaining(U, [0, 0], weights=[5, 1]).index  # player 1 much stronger
    0

    Splitting a unit pie (the hull of "all to 1" and "all to 2"):

    >>> r = nash_bargaining([[1, 0], [0, 1]], [0, 0], weights=[2, 1], convex=True)
    >>> np.round(r.utilities, 6).tolist(), np.round(r.mixture, 6).tolist()
    ([0.666667, 0.333333], [0.666667, 0.333333])

    No deal when nothing beats disagreement:

    >>> nash_bargaining(U, [5, 5]).agreement
    False
    """
    U = _as_utilities(utilities)
    K, n = U.shape
    d = _as_vector(disagreement, n, "disagreement")
    w = np.ones(n) if weights is None else _as_vector(weights, n, "weights", positive=True)
    better = np.all(U > d, axis=1)
    n_cand = int(better.sum())
    if not convex:
        if n_cand == 0:
            return _no_agreement("nash", False, U, d, w, 0)
        logp = np.full(K, -np.inf)
        logp[better] = np.sum(w * np.log(U[better] - d), axis=1)
        best = logp.max()
        idx = int(np.flatnonzero(logp >= best - _REL_TOL * max(1.0, abs(best)))[0])
        u = U[idx]
        mixture = None
    else:
        s, lam0 = interior_mixture(U, d)
        if s <= 1e-12 * _scale(U, d):
            return _no_agreement("nash", True, U, d, w, n_cand)
        mixture = nash_on_hull(U, d, w, lam0)
        u = mixture @ U
        idx = None
    log_p, prod = _log_product(u, d, w)
    return BargainingResult(
        method="nash", convex=convex, agreement=True, utilities=_readonly(u), index=idx,
        mixture=_readonly(mixture), disagreement=_readonly(d), weights=_readonly(w),
        nash_product=prod, log_nash_product=log_p, ideal=None, normalised_gain=None,
        n_candidates=n_cand, n_agreements=K,
    )


def kalai_smorodinsky(
    utilities: np.ndarray, disagreement: np.ndarray, *, convex: bool = False
) -> BargainingResult:
    r"""Kalai-Smorodinsky solution over agreements or their convex hull.

    The ideal point gives each player the best utility available among the points that
    give every player at least the disagreement utility. The solution is where the
    segment from ``d`` toward the ideal point leaves the feasible set: every player gets
    the same fraction :math:`(u_i - d_i) / (\text{ideal}_i - d_i)` of their possible gain.

    Parameters
    ----------
    utilities : array_like, shape (n_agreements, n_players)
        Each agreement's utility for each player.
    disagreement : array_like, shape (n_players,) or scalar
        Utilities without agreement.
    convex : bool, default False
        Finite case (default): among the agreements strictly better than ``d`` for all,
        the one with the largest smallest normalised gain, ties broken lexicographically
        on the sorted normalised gains (leximin, so the choice is Pareto optimal among
        the agreements), then by index; the ideal point is taken over those agreements.
        Convex case: linear programs give the ideal point over the hull and the largest
        fraction ``t`` with ``d + t (ideal - d)`` weakly dominated by a hull point; a
        last LP picks, among hull points dominating it, one maximising the sum of
        normalised gains (so the result is Pareto optimal even where the hull boundary
        is flat).

    Returns
    -------
    BargainingResult
        ``ideal`` and ``normalised_gain`` are set; ``agreement=False`` if no feasible point
        is strictly better than ``d`` for every player.

    Raises
    ------
    ValueError
        On invalid ``utilities`` or ``disagreement`` (see :func:`nash_bargaining`).

    Examples
    --------
    On the triangle with vertices (0, 0), (1, 0), (0, 2) the ideal point is (1, 2) and the
    ray meets the frontier half way:

    >>> tri = [[0, 0], [1, 0], [0, 2]]
    >>> r = kalai_smorodinsky(tri, [0, 0], convex=True)
    >>> np.round(r.utilities, 6).tolist(), r.ideal.tolist(), round(r.normalised_gain, 6)
    ([0.5, 1.0], [1.0, 2.0], 0.5)
    >>> kalai_smorodinsky([[3, 1], [2, 2], [1, 3]], [0, 0]).index
    1
    """
    U = _as_utilities(utilities)
    K, n = U.shape
    d = _as_vector(disagreement, n, "disagreement")
    w = np.ones(n)
    better = np.all(U > d, axis=1)
    n_cand = int(better.sum())
    if not convex:
        if n_cand == 0:
            return _no_agreement("kalai-smorodinsky", False, U, d, w, 0)
        ideal = U[better].max(axis=0)
        ratio = (U[better] - d) / (ideal - d)
        leximin = np.sort(ratio, axis=1)
        # lexicographic maximum of the sorted gains; ties within a relative tolerance
        alive = np.ones(n_cand, dtype=bool)
        for col in range(n):
            vals = np.where(alive, leximin[:, col], -np.inf)
            alive &= vals >= vals.max() - _REL_TOL
        idx = int(np.flatnonzero(better)[np.flatnonzero(alive)[0]])
        u = U[idx]
        mixture = None
    else:
        s, _ = interior_mixture(U, d)
        if s <= 1e-12 * _scale(U, d):
            return _no_agreement("kalai-smorodinsky", True, U, d, w, n_cand)
        ideal = np.array([max_linear(U, np.eye(n)[i], d)[0] for i in range(n)])
        span = ideal - d
        # largest t with d + t * span <= U.T lam: variables (lam, t)
        c = np.zeros(K + 1)
        c[-1] = -1.0
        res = linprog(c, A_ub=np.hstack([-U.T, span[:, None]]), b_ub=-d,
                      A_eq=np.concatenate([np.ones(K), [0.0]])[None, :], b_eq=[1.0],
                      bounds=[(0, None)] * K + [(0, None)], method="highs")
        if res.status != 0:  # pragma: no cover
            raise RuntimeError(f"Kalai-Smorodinsky LP failed: {res.message}")
        t = float(res.x[-1])
        floor = d + t * span - 1e-10 * _scale(U, d)
        _, mixture = max_linear(U, 1.0 / span, floor)
        mixture[mixture < 1e-12] = 0.0
        mixture /= mixture.sum()
        u = mixture @ U
        idx = None
    log_p, prod = _log_product(u, d, w)
    gain = float(np.min((u - d) / (ideal - d)))
    return BargainingResult(
        method="kalai-smorodinsky", convex=convex, agreement=True, utilities=_readonly(u),
        index=idx, mixture=_readonly(mixture), disagreement=_readonly(d),
        weights=_readonly(w), nash_product=prod, log_nash_product=log_p,
        ideal=_readonly(ideal), normalised_gain=gain, n_candidates=n_cand, n_agreements=K,
    )


def individually_rational(
    agreement_utilities: np.ndarray,
    outside_options: np.ndarray,
    *,
    strict: bool = False,
    tol: float = 0.0,
) -> IRResult:
    """Whether agreements give every player at least their outside option, with margins.

    Parameters
    ----------
    agreement_utilities : array_like, shape (n_players,) or (n_agreements, n_players)
        One agreement's utilities, or one row per agreement.
    outside_options : array_like, shape (n_players,) or scalar
        Each player's best alternative to a negotiated agreement.
    strict : bool, default False
        If true a player must gain strictly (margin ``> tol``); else a margin of at least
        ``-tol`` suffices.
    tol : float, default 0.0
        Non-negative tolerance on the margins.

    Returns
    -------
    IRResult
        Scalars per agreement (``rational``, ``worst_player``, ``min_margin``) for a single
        agreement, arrays for several.

    Raises
    ------
    ValueError
        On non-finite input, mismatched shapes or a negative ``tol``.

    Examples
    --------
    >>> r = individually_rational([5.0, 2.0, 3.0], [4.0, 2.5, 0.0])
    >>> r.rational, r.margins.tolist(), r.worst_player
    (False, [1.0, -0.5, 3.0], 1)
    >>> individually_rational([[5, 3], [1, 9]], [2, 2]).rational.tolist()
    [True, False]
    """
    if not (isinstance(tol, int | float) and math.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a non-negative finite number, got {tol!r}")
    try:
        U = np.array(agreement_utilities, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"agreement_utilities is not numeric: {exc}") from exc
    single = U.ndim == 1
    if single:
        U = U[None, :]
    U = _as_utilities(U)
    o = _as_vector(outside_options, U.shape[1], "outside_options")
    margins = U - o
    ok = margins > tol if strict else margins >= -tol
    rational = ok.all(axis=1)
    worst = np.argmin(margins, axis=1)
    min_margin = margins[np.arange(len(U)), worst]
    if single:
        return IRResult(
            margins=_readonly(margins[0]), player_rational=_ro_bool(ok[0]),
            rational=bool(rational[0]), worst_player=int(worst[0]),
            min_margin=float(min_margin[0]), outside_options=_readonly(o), strict=strict,
            tol=float(tol),
        )
    worst.setflags(write=False)
    return IRResult(
        margins=_readonly(margins), player_rational=_ro_bool(ok), rational=_ro_bool(rational),
        worst_player=worst, min_margin=_readonly(min_margin), outside_options=_readonly(o),
        strict=strict, tol=float(tol),
    )


def _ro_bool(a: np.ndarray) -> np.ndarray:
    """Return a read-only boolean copy of ``a``."""
    out = np.array(a, dtype=bool)
    out.setflags(write=False)
    return out
