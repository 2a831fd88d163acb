r"""Logit quantal response equilibrium (QRE) of n-player normal-form games.

In a logit QRE (McKelvey and Palfrey 1995) every player chooses each action with a
probability proportional to :math:`\exp(\lambda\, v_{ij}(\sigma))`, where
:math:`v_{ij}(\sigma)` is the expected payoff of action :math:`j` of player :math:`i`
against the others' mixtures and :math:`\lambda \ge 0` is the players' precision. At
:math:`\lambda = 0` everybody mixes uniformly; as :math:`\lambda \to \infty` the *principal
branch* of QRE that starts there converges to a Nash equilibrium (for generic games), which
selects one equilibrium: the one :func:`limiting_nash` approximates and the one Gambit's
``logit_solve`` reports.

Method
------
The QRE at :math:`\lambda` solve, for each player :math:`i` with a reference action
:math:`r_i`,

.. math::

    y_{ij} - y_{ir_i} - \lambda\,(v_{ij}(\sigma) - v_{ir_i}(\sigma)) = 0 \quad (j \ne r_i),
    \qquad \sum_j e^{y_{ij}} = 1,

in the log-probabilities :math:`y = \log \sigma`. The solution set is a curve in
:math:`(y, \lambda)` space, which is traced from the uniform profile at
:math:`\lambda = 0` by **pseudo-arclength continuation**: an Euler predictor along the
curve's tangent (the null vector of the Jacobian), then Gauss-Newton corrections back onto
the curve, with step-size control (a step is refused and halved when the corrector
converges slowly, moves far, or the tangent turns sharply, which keeps the path on its own
branch). Corrector distances are measured relative to each coordinate's size, since
:math:`\lambda` and the log-probabilities of vanishing actions grow without bound. Where
another branch passes close by, a long step can land on it with a small correction; such a
jump shows as a sign change of the orientation :math:`\det [J; t]`, which cannot change along
one regular branch: the step is then shortened to the last point before the change
(bisection), unless the change happens within a tiny step, which means a bifurcation point
(degenerate games), which is crossed straight, as Gambit does. Parametrising by arclength
instead of :math:`\lambda` lets the path pass turning points where :math:`\lambda`
temporarily decreases. When the path first crosses a requested
:math:`\lambda`, the point is computed exactly by Newton's method at that fixed
:math:`\lambda`. Each player's reference action is its currently most likely action, so
the equations stay well scaled when other probabilities become tiny. Payoffs are rescaled
internally to the range ``[0, 1]`` (with :math:`\lambda` scaled accordingly), which does not
change the QRE.

:func:`logit_choice_probabilities` is the vectorised logit choice rule itself (a stable
softmax), used by the simulation as a bounded-rationality choice model.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from negsim.games.normal_form import NormalFormGame

__all__ = [
    "LimitingNash",
    "QREConvergenceError",
    "QREPath",
    "limiting_nash",
    "logit_choice_probabilities",
    "logit_qre",
    "qre_path",
]


class QREConvergenceError(RuntimeError):
    """The path-following failed.

    The step size fell below its minimum, or ``max_steps`` were used up.

    Examples
    --------
    >>> from negsim.games.normal_form import NormalFormGame
    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> logit_qre(pd, 100.0, max_steps=2)
    Traceback (most recent call last):
    ...
    negsim.games.qre.QREConvergenceError: logit QRE path-following did not finish in 2 steps
    """


# ---------------------------------------------------------------------------------------
# the logit choice rule
# ---------------------------------------------------------------------------------------


def logit_choice_probabilities(values: object, lam: object = 1.0) -> np.ndarray:
    r"""Logit choice probabilities :math:`\propto \exp(\lambda v)` over the last axis.

    Computed stably (the largest value is subtracted first). Values of ``-inf`` mark
    unavailable actions: they get probability 0, also at ``lam = 0`` (uniform over the
    available actions). ``lam = inf`` gives the best responses, ties shared equally.

    Parameters
    ----------
    values : array_like, shape (..., k)
        Values of the ``k`` alternatives (any leading batch shape).
    lam : float or array_like, default 1.0
        Precision(s) ``>= 0``: a scalar, or an array broadcastable to ``values.shape[:-1]``
        (one precision per row).

    Returns
    -------
    ndarray, shape of ``values`` broadcast with ``lam``
        Probabilities summing to 1 over the last axis.

    Raises
    ------
    ValueError
        If a value is NaN or ``+inf``, a row has no finite value, or a precision is
        negative or NaN.

    Examples
    --------
    >>> logit_choice_probabilities([0.0, np.log(3.0)])
    array([0.25, 0.75])
    >>> logit_choice_probabilities([[1.0, 2.0, -np.inf], [1.0, 1.0, 0.0]], lam=[0.0, np.inf])
    array([[0.5, 0.5, 0. ],
           [0.5, 0.5, 0. ]])
    """
    v = np.asarray(values, dtype=float)
    if v.ndim == 0 or v.shape[-1] == 0:
        raise ValueError(f"values need a last axis of alternatives, got shape {v.shape}")
    if np.isnan(v).any():
        where = tuple(int(k) for k in np.argwhere(np.isnan(v))[0])
        raise ValueError(f"values contain NaN at index {where}")
    if np.isposinf(v).any():
        where = tuple(int(k) for k in np.argwhere(np.isposinf(v))[0])
        raise ValueError(f"values contain +inf at index {where}")
    lam_arr = np.asarray(lam, dtype=float)
    if np.isnan(lam_arr).any() or (lam_arr < 0).any():
        raise ValueError(f"precision lam must be >= 0, got {lam!r}")
    avail = ~np.isneginf(v)
    none = ~avail.any(axis=-1)
    if none.any():
        raise ValueError(
            f"row {tuple(int(k) for k in np.argwhere(none)[0])} of values has no finite "
            "value (every alternative is -inf)"
        )
    lam_b = lam_arr[..., None]
    vmax = np.where(avail, v, -np.inf).max(axis=-1, keepdims=True)
    d = np.where(avail, v - vmax, 0.0)  # <= 0 on the available alternatives
    inf_lam = np.isinf(lam_b)
    z = np.where(inf_lam, 0.0, lam_b) * d
    w = np.where(avail, np.exp(z), 0.0)
    w = np.where(inf_lam, (avail & (d >= 0)).astype(float), w)
    return w / w.sum(axis=-1, keepdims=True)


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
    >>> from negsim.games.normal_form import NormalFormGame
    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> path = qre_path(pd, [1.0, 0.0])
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
        >>> from negsim.games.normal_form import NormalFormGame
        >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> [p.round(4).tolist() for p in qre_path(pd, [0.0, 1.0]).profile(1)]
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
    >>> from negsim.games.normal_form import NormalFormGame
    >>> mp = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> res = limiting_nash(mp)
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
# the equation system
# ---------------------------------------------------------------------------------------


class _System:
    """QRE equations of a game with payoffs rescaled to [0, 1]."""

    def __init__(self, game: NormalFormGame) -> None:
        u = np.asarray(game.payoffs, dtype=float)
        lo, hi = float(u.min()), float(u.max())
        self.scale = hi - lo
        self.u = (u - lo) / self.scale if self.scale > 0 else np.zeros_like(u)
        self.shape = game.shape
        self.n = game.n_players
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)]).astype(int)
        self.N = int(self.offsets[-1])

    def split(self, vec: np.ndarray) -> list[np.ndarray]:
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
        return [int(np.argmax(p)) for p in self.split(y)]

    def profile(self, y: np.ndarray) -> list[np.ndarray]:
        """Return the mixed profile at log-probabilities ``y``, each mixture normalised."""
        return [p / p.sum() for p in self.split(np.exp(y))]

    def regret(self, sigma: list[np.ndarray]) -> float:
        """Largest gain from a unilateral deviation at the mixed profile ``sigma`` (>= 0)."""
        vals, _ = self.values_pairs(sigma)
        return max(0.0, *(float(v.max() - v @ s) for v, s in zip(vals, sigma, strict=True)))

    def uniform(self) -> np.ndarray:
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
    sys: _System, x: np.ndarray, refs: Sequence[int], max_iter: int = 10
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
    the residual within :meth:`_System.residual_tol`: a correction that is tiny relative
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
    sys: _System, y: np.ndarray, lam: float, refs: Sequence[int], max_iter: int = 30
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
    sys: _System, x: np.ndarray, t: np.ndarray, refs: Sequence[int], side: float, h: float
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
    sys: _System, x: np.ndarray, t: np.ndarray, refs: Sequence[int], side: float,
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


def _follow(
    sys: _System,
    first_step: float,
    max_accel: float,
    max_steps: int,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield consecutive accepted points ``(x_prev, x_new)`` on the principal branch.

    ``x = (y, lam)`` with ``lam`` in internal (rescaled) units.
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


def _hit(sys: _System, x0: np.ndarray, x1: np.ndarray, lam: float) -> np.ndarray | None:
    """Locate the branch point at internal precision ``lam`` between ``x0`` and ``x1``."""
    s = (lam - x0[-1]) / (x1[-1] - x0[-1])
    y = x0[:-1] + s * (x1[:-1] - x0[:-1])
    refs = sys.refs_of(y)
    y, ok = _fixed_lam(sys, y, lam, refs)
    return y if ok else None


def _check_game(game: object) -> NormalFormGame:
    from negsim.games.normal_form import NormalFormGame

    if not isinstance(game, NormalFormGame):
        raise TypeError(f"expected a NormalFormGame, got {type(game).__name__}")
    return game


def _points(
    game: NormalFormGame, lams: np.ndarray, first_step: float, max_accel: float, max_steps: int
) -> list[np.ndarray]:
    """Log-probabilities at the (sorted, user-unit) precisions ``lams``."""
    sys = _System(game)
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
    path = _follow(sys, first_step, max_accel, max_steps)
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


def _validate_lams(lams: object) -> np.ndarray:
    arr = np.asarray(lams, dtype=float)
    if arr.ndim > 1:
        raise ValueError(f"lams must be a scalar or 1-D, got shape {arr.shape}")
    arr = arr.reshape(-1)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"precisions must be finite and >= 0, got {np.asarray(lams).tolist()}")
    return arr


# ---------------------------------------------------------------------------------------
# public functions
# ---------------------------------------------------------------------------------------


def logit_qre(
    game: NormalFormGame,
    lam: float,
    *,
    first_step: float = 0.05,
    max_accel: float = 1.5,
    max_steps: int = 100_000,
) -> tuple[np.ndarray, ...]:
    """Compute the logit QRE on the principal branch at precision ``lam``.

    Parameters
    ----------
    game : NormalFormGame
    lam : float
        Precision ``>= 0``, in the units of the game's payoffs (``lam * payoff`` is what
        enters the exponent).
    first_step : float, default 0.05
        Initial arclength step (in rescaled units).
    max_accel : float, default 1.5
        Largest factor by which a step may exceed the previous one.
    max_steps : int, default 100000
        Limit on the number of continuation steps.

    Returns
    -------
    tuple of ndarray
        One probability vector per player. If the branch passes ``lam`` more than once
        (it can turn back in ``lam``), the first crossing is returned.

    Raises
    ------
    QREConvergenceError
        If path-following fails.

    Examples
    --------
    Asymmetric matching pennies (a higher stake for the row player at heads-heads): the
    row player leans to heads and the column player, anticipating it, to tails, although
    in the Nash equilibrium the row player mixes 1/2 (Goeree and Holt 2001, "Ten little
    treasures of game theory and ten intuitive contradictions"):

    >>> from negsim.games.normal_form import NormalFormGame
    >>> g = NormalFormGame.from_bimatrix([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    >>> [p.round(4).tolist() for p in logit_qre(g, 0.0)]
    [[0.5, 0.5], [0.5, 0.5]]
    >>> p, q = logit_qre(g, 2.0)
    >>> round(float(p[0]), 4), round(float(q[0]), 4)
    (0.8608, 0.1911)
    """
    game = _check_game(game)
    lams = _validate_lams(lam)
    if lams.shape != (1,) or np.ndim(lam) != 0:
        raise ValueError(f"lam must be a single number, got {lam!r} (use qre_path for several)")
    y = _points(game, lams, first_step, max_accel, max_steps)[0]
    sys = _System(game)
    return tuple(_readonly_prob(p) for p in sys.split(np.exp(y)))


def _readonly_prob(p: np.ndarray) -> np.ndarray:
    p = np.array(p, dtype=float)
    p /= p.sum()
    p.setflags(write=False)
    return p


def qre_path(
    game: NormalFormGame,
    lams: Sequence[float] | np.ndarray,
    *,
    first_step: float = 0.05,
    max_accel: float = 1.5,
    max_steps: int = 100_000,
) -> QREPath:
    """Trace the principal logit-QRE branch once, through several precisions.

    Parameters
    ----------
    game : NormalFormGame
    lams : sequence of float
        Precisions ``>= 0`` in any order (the path is followed once through all of
        them).
    first_step, max_accel, max_steps
        As in :func:`logit_qre`.

    Examples
    --------
    In the prisoner's dilemma defection becomes more likely as the precision grows:

    >>> from negsim.games.normal_form import NormalFormGame
    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> path = qre_path(pd, [0, 1, 5])
    >>> path.probabilities[0][:, 1].round(4).tolist()
    [0.5, 0.7732, 0.9935]
    """
    game = _check_game(game)
    arr = _validate_lams(lams)
    order = np.argsort(arr, kind="stable")
    ys = _points(game, arr[order], first_step, max_accel, max_steps)
    sys = _System(game)
    probs = [np.empty((arr.size, a)) for a in game.shape]
    for pos, y in zip(order, ys, strict=True):
        for i, p in enumerate(sys.split(np.exp(y))):
            probs[i][pos] = p / p.sum()
    for p in probs:
        p.setflags(write=False)
    lam_out = arr.copy()
    lam_out.setflags(write=False)
    return QREPath(lams=lam_out, probabilities=tuple(probs))


def limiting_nash(
    game: NormalFormGame,
    *,
    tol: float = 1e-8,
    lam_max: float | None = None,
    polish: bool = True,
    first_step: float = 0.05,
    max_accel: float = 1.5,
    max_steps: int = 100_000,
) -> LimitingNash:
    """Approximate the Nash equilibrium at the end of the principal logit-QRE branch.

    The branch is followed until the profile's largest regret is at most ``tol`` times
    the game's payoff range (the acceptance rule of Gambit's ``logit_solve``) or the
    precision exceeds ``lam_max``. With ``polish=True`` the supports are then read off
    (probabilities above 1e-7) and the equilibrium conditions on those supports solved by
    Newton's method; the polished profile is kept if its regret is smaller.

    Parameters
    ----------
    game : NormalFormGame
    tol : float, default 1e-8
        Regret tolerance, relative to the payoff range.
    lam_max : float, optional
        Largest precision to follow, in payoff units (default ``1e10`` divided by the
        payoff range).
    polish : bool, default True
    first_step, max_accel, max_steps
        As in :func:`logit_qre`.

    Returns
    -------
    LimitingNash

    Examples
    --------
    Battle of the sexes: the logit branch selects the pure equilibrium preferred by the
    player with the larger stake (here the column player, who gets 3.5 at ``(1, 1)``):

    >>> from negsim.games.normal_form import NormalFormGame
    >>> bos = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3.5]])
    >>> res = limiting_nash(bos)
    >>> [p.round(6).tolist() for p in res.profile], res.converged
    ([[0.0, 1.0], [0.0, 1.0]], True)
    """
    game = _check_game(game)
    if not tol > 0:
        raise ValueError(f"tol must be > 0, got {tol!r}")
    sys = _System(game)
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
        path = _follow(sys, first_step, max_accel, max_steps)
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
    sys: _System, sigma: list[np.ndarray], threshold: float = 1e-7
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
