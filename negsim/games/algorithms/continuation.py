r"""Path-following along the principal branch of logit quantal response equilibria.

The logit QRE of a game at precision :math:`\lambda` (see :mod:`negsim.games.algorithms.qre`)
solve, for each player :math:`i` with a reference action :math:`r_i`,

.. math::

    y_{ij} - y_{ir_i} - \lambda\,(v_{ij}(\sigma) - v_{ir_i}(\sigma)) = 0 \quad (j \ne r_i),
    \qquad \sum_j e^{y_{ij}} = 1,

in the log-probabilities :math:`y = \log \sigma` (:class:`QRESystem`). The solution set is a
curve in :math:`(y, \lambda)` space, which is traced from the uniform profile at
:math:`\lambda = 0` by **pseudo-arclength continuation** (:func:`follow_branch`): an Euler
predictor along the curve's tangent (the null vector of the Jacobian), then Gauss-Newton
corrections back onto the curve, with step-size control (a step is refused and halved when
the corrector converges slowly, moves far, or the tangent turns sharply, which keeps the
path on its own branch). Corrector distances are measured relative to each coordinate's
size, since :math:`\lambda` and the log-probabilities of vanishing actions grow without
bound; residuals of the normalisation equations are held to an absolute tolerance, so that
accepted points are probability vectors. Where another branch passes close by, a long step
can land on it with a small correction; such a jump shows as a sign change of the
orientation :math:`\det [J; t]`, which cannot change along one regular branch: the step is
then shortened to the last point before the change (bisection), unless the change happens
within a tiny step, which means a bifurcation point (degenerate games), which is crossed
straight, as Gambit does. Parametrising by arclength instead of :math:`\lambda` lets the
path pass turning points where :math:`\lambda` temporarily decreases. When the path first
crosses a requested :math:`\lambda`, the point is computed exactly by Newton's method at
that fixed :math:`\lambda` (:func:`branch_points`). Each player's reference action is its
currently most likely action, so the equations stay well scaled when other probabilities
become tiny. Payoffs are rescaled internally to the range ``[0, 1]`` (with :math:`\lambda`
scaled accordingly), which does not change the QRE.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["QREConvergenceError", "QRESystem", "branch_points", "follow_branch"]


class QREConvergenceError(RuntimeError):
    """The path-following failed.

    The step size fell below its minimum, or ``max_steps`` were used up.

    Examples
    --------
    >>> sys = QRESystem(np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]]))
    >>> branch_points(sys, np.array([100.0]), max_steps=2)
    Traceback (most recent call last):
    ...
    negsim.games.algorithms.continuation.QREConvergenceError: logit QRE ... in 2 steps
    """


# ---------------------------------------------------------------------------------------
# the equation system
# ---------------------------------------------------------------------------------------


class QRESystem:
    """The logit-QRE equations of a game, with its payoffs rescaled to ``[0, 1]``.

    Parameters
    ----------
    payoffs : array_like, shape (n, a_1, ..., a_n)
        The game's payoff tensor (finite).

    Attributes
    ----------
    u : ndarray
        The rescaled payoffs.
    scale : float
        The payoff range: a precision ``lam`` in payoff units is ``lam * scale`` here.
    shape : tuple of int
        Number of actions of each player.
    n : int
        Number of players.
    offsets : ndarray of int
        Where each player's coordinates start in the stacked vector of all players'
        log-probabilities (and the total length at the end).
    N : int
        Length of that vector: the number of equations.

    Examples
    --------
    >>> sys = QRESystem(np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]]))
    >>> sys.scale, sys.N, [p.tolist() for p in sys.profile(sys.uniform())]
    (5.0, 4, [[0.5, 0.5], [0.5, 0.5]])
    >>> round(sys.regret(sys.profile(sys.uniform())) * sys.scale, 12)  # 3 - (1.5 + 3) / 2
    0.75
    """

    def __init__(self, payoffs: object) -> None:
        u = np.asarray(payoffs, dtype=float)
        lo, hi = float(u.min()), float(u.max())
        self.scale = hi - lo
        self.u = (u - lo) / self.scale if self.scale > 0 else np.zeros_like(u)
        self.shape = tuple(u.shape[1:])
        self.n = u.shape[0]
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)]).astype(int)
        self.N = int(self.offsets[-1])

    def split(self, vec: np.ndarray) -> list[np.ndarray]:
        """Split a stacked vector (length ``N``) into one view per player."""
        return [vec[self.offsets[i]:self.offsets[i + 1]] for i in range(self.n)]

    def values_pairs(self, sigma: list[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
        """Compute the action values ``v_i`` and the matrix ``G`` of pair payoffs.

        ``G[o_i + j, o_k + l]`` is player ``i``'s expected payoff when ``i`` plays ``j``
        and ``k`` plays ``l``, the others mixing (zero blocks for ``k == i``).
        """
        n, N, off = self.n, self.N, self.offsets
        G = np.zeros((N, N))
        vals = []
        for i in range(n):
            ui = self.u[i]
            if n == 1:
                vals.append(ui.copy())
                continue
            v_i = None
            for k in range(n):
                if k == i:
                    continue
                t = ui
                for j in range(n - 1, -1, -1):
                    if j not in (i, k):
                        t = np.tensordot(t, sigma[j], axes=([j], [0]))
                M = t if i < k else t.T  # (a_i, a_k)
                G[off[i]:off[i + 1], off[k]:off[k + 1]] = M
                if v_i is None:
                    v_i = M @ sigma[k]
            vals.append(v_i)
        return vals, G

    def residual_jacobian(
        self, y: np.ndarray, lam: float, refs: Sequence[int]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Residual ``H`` (N,) and Jacobian ``[dH/dy | dH/dlam]`` (N, N + 1)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self._residual_jacobian(y, lam, refs)

    def _residual_jacobian(
        self, y: np.ndarray, lam: float, refs: Sequence[int]
    ) -> tuple[np.ndarray, np.ndarray]:
        sigma_all = np.exp(y)
        sigma = self.split(sigma_all)
        vals, G = self.values_pairs(sigma)
        N, off = self.N, self.offsets
        H = np.empty(N)
        J = np.zeros((N, N + 1))
        for i in range(self.n):
            o, a, r = off[i], self.shape[i], refs[i]
            yi = y[o:o + a]
            others = [j for j in range(a) if j != r]
            H[o] = sigma[i].sum() - 1.0
            J[o, o:o + a] = sigma[i]
            if not others:
                continue
            rows = o + 1 + np.arange(len(others))
            oth = np.array(others)
            H[rows] = yi[oth] - yi[r] - lam * (vals[i][oth] - vals[i][r])
            J[rows, o + oth] = 1.0
            J[rows, o + r] = -1.0
            D = G[o + oth] - G[o + r]  # (a_i - 1, N), zero on the player's own block
            J[rows, :N] += -lam * D * sigma_all
            J[rows, N] = -(vals[i][oth] - vals[i][r])
        return H, J

    def residual_tol(self, lam: float) -> np.ndarray:
        """Largest residual accepted in each equation at precision ``lam``.

        The payoff equations hold terms of order ``lam`` (and log-probabilities that grow
        like it), so their rounding grows with ``lam``; the normalisation equations
        ``sum_j exp(y_ij) = 1`` do not, and are held to an absolute tolerance: an error
        ``e`` there is a profile whose probabilities sum to ``1 + e``.
        """
        tol = np.full(self.N, 1e-12 * (1.0 + abs(lam)))
        tol[self.offsets[:-1]] = 1e-12
        return tol

    def refs_of(self, y: np.ndarray) -> list[int]:
        """Each player's reference action at ``y``: its most likely action."""
        return [int(np.argmax(p)) for p in self.split(y)]

    def profile(self, y: np.ndarray) -> list[np.ndarray]:
        """Return the mixed profile at log-probabilities ``y``, each mixture normalised."""
        return [p / p.sum() for p in self.split(np.exp(y))]

    def regret(self, sigma: list[np.ndarray]) -> float:
        """Largest gain from a unilateral deviation at the mixed profile ``sigma`` (>= 0)."""
        vals, _ = self.values_pairs(sigma)
        return max(0.0, *(float(v.max() - v @ s) for v, s in zip(vals, sigma, strict=True)))

    def uniform(self) -> np.ndarray:
        """Log-probabilities of the uniform profile (the branch's start at lambda 0)."""
        return np.concatenate([np.full(a, -np.log(a)) for a in self.shape])


def _tangent(J: np.ndarray) -> np.ndarray | None:
    """Return the unit null vector of the ``N x (N + 1)`` Jacobian (``None``: not finite)."""
    if not np.all(np.isfinite(J)):
        return None
    try:
        t = np.linalg.svd(J)[2][-1]
    except np.linalg.LinAlgError:  # pragma: no cover
        return None
    return t / np.linalg.norm(t)


def _scaled(x: np.ndarray) -> float:
    return float(np.max(np.abs(x))) + 1.0


#: Step-control constants of the continuation (distances in (log-probability, lambda) space).
_MAX_DIST = 0.4  # largest accepted first corrector step
_MAX_CONTRACTION = 0.5  # largest accepted ratio of successive corrector steps
_MAX_ANGLE = 0.5  # largest accepted turn of the tangent in one step (radians)
_FLIP_BISECTIONS = 12  # bisections locating where a step's orientation flips


def _correct(
    sys: QRESystem, x: np.ndarray, refs: Sequence[int], max_iter: int = 10
) -> tuple[np.ndarray, float, float, bool]:
    """Gauss-Newton (minimum-norm) corrections from the predicted point onto the curve.

    Returns the corrected point, the size of the first correction, the largest
    contraction ratio of successive corrections, and success. Fails early when a
    correction exceeds ``_MAX_DIST`` or the corrections do not contract fast enough.

    Correction sizes are measured coordinate by coordinate relative to ``1 + |x_k|``:
    along the branch, lambda and the log-probabilities of vanishing actions grow without
    bound (like lambda), and their rounding errors with them, while the log-probabilities
    of the actions in use stay of order 1 (where the test is absolute). An absolute
    measure would refuse ever more steps at large lambda and crawl. Success also needs
    the residual within :meth:`QRESystem.residual_tol`: a correction that is tiny relative
    to ``x`` but leaves the residual above it means the corrections have stalled (the
    Jacobian is ill-conditioned at large lambda), and the step is refused.
    """
    first, prev, contraction = -1.0, np.inf, 0.0
    stalled = False
    for _ in range(max_iter):
        H, J = sys.residual_jacobian(x[:-1], x[-1], refs)
        if not np.all(np.isfinite(H)) or not np.all(np.isfinite(J)):
            return x, np.inf, np.inf, False
        if first >= 0 and bool(np.all(np.abs(H) <= sys.residual_tol(x[-1]))):
            return x, first, contraction, True
        if stalled:
            return x, first, contraction, False
        dx = np.linalg.lstsq(J, -H, rcond=None)[0]
        size = float(np.linalg.norm(dx / (1.0 + np.abs(x))))
        if size > _MAX_DIST:
            return x, size, np.inf, False
        tiny = 1e-11
        if first < 0:
            first = size
        elif size > tiny:
            contraction = max(contraction, size / (prev + 1e-12))
            if contraction > _MAX_CONTRACTION:
                return x, first, contraction, False
        x = x + dx
        stalled = size <= tiny
        prev = size
    return x, first, contraction, False


def _fixed_lam(
    sys: QRESystem, y: np.ndarray, lam: float, refs: Sequence[int], max_iter: int = 30
) -> tuple[np.ndarray, bool]:
    """Newton's method in ``y`` at fixed ``lam``."""
    for _ in range(max_iter):
        H, J = sys.residual_jacobian(y, lam, refs)
        try:
            dy = np.linalg.solve(J[:, :-1], -H)
        except np.linalg.LinAlgError:
            return y, False
        if not np.all(np.isfinite(dy)):
            return y, False
        y = y + dy
        if float(np.max(np.abs(dy))) <= 1e-12 * _scaled(y):
            return y, True
    H, _ = sys.residual_jacobian(y, lam, refs)
    return y, bool(np.max(np.abs(H)) <= 1e-9 * (1.0 + lam))


@dataclass
class _Step:
    """One predictor-corrector attempt of length ``h`` from a point."""

    h: float
    x: np.ndarray
    t: np.ndarray | None
    d1: float
    kappa: float
    angle: float
    ok: bool  # the corrector converged and the step moved forward without a sharp turn
    flipped: bool  # the orientation of the curve changed sign


def _attempt(
    sys: QRESystem, x: np.ndarray, t: np.ndarray, refs: Sequence[int], side: float, h: float
) -> _Step:
    """Predict a step ``h`` along ``t`` from ``x``, correct, and check the result."""
    xn, d1, kappa, ok = _correct(sys, x + h * t, refs)
    t_new, angle, flipped = None, np.inf, False
    if ok:
        _, J = sys.residual_jacobian(xn[:-1], xn[-1], refs)
        t_new = _tangent(J)
        if t_new is not None:
            if t_new @ t < 0:
                t_new = -t_new
            angle = float(np.arccos(np.clip(t_new @ t, -1.0, 1.0)))
            flipped = side * _orientation(J, t_new) < 0
        ok = t_new is not None and angle <= _MAX_ANGLE and (xn - x) @ t > 0
    return _Step(h, xn, t_new, d1, kappa, angle, bool(ok), bool(flipped))


def _resolve_flip(
    sys: QRESystem, x: np.ndarray, t: np.ndarray, refs: Sequence[int], side: float,
    step: _Step,
) -> _Step:
    """Decide whether a step that flipped the curve's orientation jumped or crossed.

    Along one regular branch the orientation ``sign det [J; t]`` cannot change. A flip
    means that the step either jumped to another branch passing close by (two branches
    almost meet) or went through a bifurcation point. Bisection on the step length finds
    where the flip starts; if a tiny step from the last unflipped point flips too, a
    bifurcation point lies there and the full step, which goes through it, is accepted
    (as Gambit does). Otherwise the step was a jump, and the last unflipped point, still on
    this branch, is accepted instead: the following, shorter steps follow the branch round
    the sharp turn where the other one passes.
    """
    lo: _Step | None = None
    hi = step.h
    for _ in range(_FLIP_BISECTIONS):
        mid = _attempt(sys, x, t, refs, side, 0.5 * ((lo.h if lo else 0.0) + hi))
        if mid.ok and not mid.flipped:
            lo = mid
        else:
            hi = mid.h
    if lo is None:  # flips immediately: a bifurcation point at x
        return step
    assert lo.t is not None
    _, J = sys.residual_jacobian(lo.x[:-1], lo.x[-1], refs)
    probe = _attempt(sys, lo.x, lo.t, refs, _orientation(J, lo.t), 2.0 * (hi - lo.h))
    return step if (probe.flipped or not probe.ok) else lo


def follow_branch(
    sys: QRESystem,
    first_step: float = 0.05,
    max_accel: float = 1.5,
    max_steps: int = 100_000,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield consecutive accepted points ``(x_prev, x_new)`` on the principal branch.

    ``x = (y, lam)``: the log-probabilities of all players, stacked, and the precision in
    internal (rescaled) units. The generator runs until it is closed or fails.

    Parameters
    ----------
    sys : QRESystem
        The game's equations (payoffs not all equal).
    first_step : float, default 0.05
        Initial arclength step (in rescaled units).
    max_accel : float, default 1.5
        Largest factor by which a step may exceed the previous one.
    max_steps : int, default 100000
        Limit on the number of continuation steps.

    Raises
    ------
    QREConvergenceError
        If the step size underflows or ``max_steps`` are used up.

    Examples
    --------
    >>> sys = QRESystem(np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]]))
    >>> path = follow_branch(sys)
    >>> x0, x1 = next(path)
    >>> bool(x0[-1] == 0.0 < x1[-1]), [round(float(p.sum()), 12) for p in sys.profile(x1[:-1])]
    (True, [1.0, 1.0])
    >>> path.close()
    """
    x = np.concatenate([sys.uniform(), [0.0]])
    refs = sys.refs_of(x[:-1])
    _, J = sys.residual_jacobian(x[:-1], 0.0, refs)
    t = _tangent(J)
    assert t is not None
    if t[-1] < 0:
        t = -t
    h = first_step
    h_min = 1e-12
    for _ in range(max_steps):
        _, J = sys.residual_jacobian(x[:-1], x[-1], refs)
        side = _orientation(J, t)
        while True:
            step = _attempt(sys, x, t, refs, side, h)
            if step.ok and step.flipped:
                step = _resolve_flip(sys, x, t, refs, side, step)
            if step.ok:
                break
            h /= 2.0
            if h < h_min:
                lam_user = x[-1] / sys.scale if sys.scale > 0 else 0.0
                raise QREConvergenceError(
                    f"logit QRE path-following failed near lambda = {lam_user:.6g} "
                    "(step size underflow)"
                )
        assert step.t is not None
        yield x, step.x
        # step-size control: slow down when the corrector worked hard or the path turned
        decel = max(
            np.sqrt(step.d1 / _MAX_DIST) * 2.0,
            np.sqrt(step.kappa / _MAX_CONTRACTION) * 2.0,
            step.angle / _MAX_ANGLE * 2.0,
            1.0 / max_accel,
        )
        h = step.h / min(decel, 2.0)
        x, t = step.x, step.t
        refs = sys.refs_of(x[:-1])
    raise QREConvergenceError(f"logit QRE path-following did not finish in {max_steps} steps")


def _orientation(J: np.ndarray, t: np.ndarray) -> float:
    """Return the sign of ``det [J; t]`` (0 if the determinant is not finite).

    It is constant along a regular stretch of the curve when the tangent ``t`` is oriented
    continuously.
    """
    sign, logdet = np.linalg.slogdet(np.vstack([J, t]))
    return float(sign) if np.isfinite(logdet) else 0.0


def _hit(sys: QRESystem, x0: np.ndarray, x1: np.ndarray, lam: float) -> np.ndarray | None:
    """Locate the branch point at internal precision ``lam`` between ``x0`` and ``x1``."""
    s = (lam - x0[-1]) / (x1[-1] - x0[-1])
    y = x0[:-1] + s * (x1[:-1] - x0[:-1])
    refs = sys.refs_of(y)
    y, ok = _fixed_lam(sys, y, lam, refs)
    return y if ok else None


def branch_points(
    sys: QRESystem,
    lams: np.ndarray,
    *,
    first_step: float = 0.05,
    max_accel: float = 1.5,
    max_steps: int = 100_000,
) -> list[np.ndarray]:
    """Log-probabilities of the principal branch at the precisions ``lams``.

    The branch is followed once; where it first crosses a precision, the point there is
    computed by Newton's method at that fixed precision.

    Parameters
    ----------
    sys : QRESystem
        The game's equations.
    lams : ndarray, shape (k,)
        Precisions in payoff units, finite, ``>= 0`` and sorted in increasing order.
    first_step, max_accel, max_steps
        As in :func:`follow_branch`.

    Returns
    -------
    list of ndarray
        One stacked vector of log-probabilities (length ``sys.N``) per precision.

    Raises
    ------
    QREConvergenceError
        If path-following fails.

    Examples
    --------
    >>> sys = QRESystem(np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]]))
    >>> [np.exp(y).round(4).tolist() for y in branch_points(sys, np.array([0.0, 1.0]))]
    [[0.5, 0.5, 0.5, 0.5], [0.2268, 0.7732, 0.2268, 0.7732]]
    """
    out: list[np.ndarray] = []
    if sys.scale == 0 or lams.size == 0 or lams[-1] == 0:
        return [sys.uniform() for _ in lams]
    targets = lams * sys.scale
    k = 0
    while k < len(targets) and targets[k] == 0:
        out.append(sys.uniform())
        k += 1
    if k == len(targets):
        return out
    path = follow_branch(sys, first_step, max_accel, max_steps)
    for x0, x1 in path:
        while k < len(targets) and targets[k] <= x1[-1]:
            if targets[k] == x1[-1]:
                out.append(x1[:-1].copy())
            else:
                y = _hit(sys, x0, x1, float(targets[k]))
                if y is None:  # pragma: no cover - fixed-lambda Newton from a close start
                    raise QREConvergenceError(
                        f"could not locate the QRE at lambda = {lams[k]:.6g}"
                    )
                out.append(y)
            k += 1
        if k == len(targets):
            break
    path.close()
    return out
