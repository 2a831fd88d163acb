r"""Logit quantal response equilibrium (QRE) of normal-form games.

In a logit QRE (McKelvey and Palfrey 1995) every player chooses each action with a
probability proportional to :math:`\exp(\lambda\, v_{ij}(\sigma))`, where
:math:`v_{ij}(\sigma)` is the expected payoff of action :math:`j` of player :math:`i`
against the others' mixtures and :math:`\lambda \ge 0` is the players' precision. At
:math:`\lambda = 0` everybody mixes uniformly; as :math:`\lambda \to \infty` the *principal
branch* of QRE that starts there converges to a Nash equilibrium (for generic games), which
selects one equilibrium: the one :func:`limiting_nash` approximates and the one Gambit's
``logit_solve`` reports.

These functions take a :class:`~negsim.games.NormalFormGame`; the computations, on payoff
arrays, are in :mod:`negsim.games.algorithms.qre` (results, the branch and its limit) and
:mod:`negsim.games.algorithms.continuation` (the equations and the path-following).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from negsim.games.algorithms.qre import LimitingNash, QREPath, logit_branch, logit_limit
from negsim.games.normal_form import NormalFormGame

__all__ = ["limiting_nash", "logit_qre", "qre_path"]


def _check_game(game: object) -> NormalFormGame:
    if not isinstance(game, NormalFormGame):
        raise TypeError(f"expected a NormalFormGame, got {type(game).__name__}")
    return game


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
    TypeError
        If ``game`` is not a :class:`~negsim.games.NormalFormGame`.
    ValueError
        If ``lam`` is not a single number ``>= 0``.
    QREConvergenceError
        If path-following fails.

    Examples
    --------
    Asymmetric matching pennies (a higher stake for the row player at heads-heads): the
    row player leans to heads and the column player, anticipating it, to tails, although
    in the Nash equilibrium the row player mixes 1/2 (Goeree and Holt 2001, "Ten little
    treasures of game theory and ten intuitive contradictions"):

    >>> g = NormalFormGame.from_bimatrix([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    >>> [p.round(4).tolist() for p in logit_qre(g, 0.0)]
    [[0.5, 0.5], [0.5, 0.5]]
    >>> p, q = logit_qre(g, 2.0)
    >>> round(float(p[0]), 4), round(float(q[0]), 4)
    (0.8608, 0.1911)
    """
    return _check_game(game).qre(lam, first_step=first_step, max_accel=max_accel,
                                 max_steps=max_steps)


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

    Returns
    -------
    QREPath

    Raises
    ------
    TypeError
        If ``game`` is not a :class:`~negsim.games.NormalFormGame`.
    ValueError
        If a precision is negative or not finite, or ``lams`` has more than 1 dimension.
    QREConvergenceError
        If path-following fails.

    Examples
    --------
    In the prisoner's dilemma defection becomes more likely as the precision grows:

    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> path = qre_path(pd, [0, 1, 5])
    >>> path.probabilities[0][:, 1].round(4).tolist()
    [0.5, 0.7732, 0.9935]
    """
    return logit_branch(_check_game(game).payoffs, lams, first_step=first_step,
                        max_accel=max_accel, max_steps=max_steps)


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

    The branch is followed until the largest regret of its profile is at most ``tol``
    times the game's payoff range (the acceptance rule of Gambit's ``logit_solve``) or the
    precision exceeds ``lam_max``. With ``polish=True`` the supports are then read off
    (probabilities above 1e-7) and the equilibrium conditions on those supports solved by
    Newton's method; the polished profile is kept if its regret is smaller. See
    :func:`negsim.games.algorithms.qre.logit_limit`.

    Parameters
    ----------
    game : NormalFormGame
    tol : float, default 1e-8
        Regret tolerance, relative to the payoff range.
    lam_max : float, optional
        Largest precision to follow, in payoff units (default ``1e10`` divided by the
        payoff range).
    polish : bool, default True
        Refine the profile on its supports.
    first_step, max_accel, max_steps
        As in :func:`logit_qre`.

    Returns
    -------
    LimitingNash

    Raises
    ------
    TypeError
        If ``game`` is not a :class:`~negsim.games.NormalFormGame`.
    ValueError
        If ``tol`` or ``lam_max`` is not positive.

    Examples
    --------
    Battle of the sexes: the logit branch selects the pure equilibrium preferred by the
    player with the larger stake (here the column player, who gets 3.5 at ``(1, 1)``):

    >>> bos = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3.5]])
    >>> res = limiting_nash(bos)
    >>> [p.round(6).tolist() for p in res.profile], res.converged
    ([[0.0, 1.0], [0.0, 1.0]], True)
    """
    return logit_limit(_check_game(game).payoffs, tol=tol, lam_max=lam_max, polish=polish,
                       first_step=first_step, max_accel=max_accel, max_steps=max_steps)
