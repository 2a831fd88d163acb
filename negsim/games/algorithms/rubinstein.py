r"""Rubinstein's alternating-offers bargaining: subgame-perfect shares of a pie.

Two players alternate offers to split a unit pie, player 1 first, each discounting a
round of delay (Rubinstein 1982). :func:`rubinstein` gives the unique subgame-perfect
shares from per-round discount factors, :func:`rubinstein_rates` from discount *rates* and
the time between offers, with the continuous-time limit (Binmore, Rubinstein and Wolinsky
1986), where the shares are the asymmetric Nash bargaining solution with weights
:math:`1 / r_i`.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["rubinstein", "rubinstein_rates"]


def _check_discount(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    v = float(value)
    if not (math.isfinite(v) and 0.0 <= v < 1.0):
        raise ValueError(f"{name} must be in [0, 1), got {v}")
    return v


def rubinstein(delta1: float, delta2: float) -> tuple[float, float]:
    r"""Subgame-perfect shares of a unit pie under alternating offers, player 1 first.

    With per-round discount factors :math:`\delta_1, \delta_2` the unique subgame-perfect
    equilibrium has player 1 offer immediately and keep
    :math:`(1 - \delta_2) / (1 - \delta_1 \delta_2)`; player 2 accepts at once and gets
    :math:`\delta_2 (1 - \delta_1) / (1 - \delta_1 \delta_2)`.

    Parameters
    ----------
    delta1, delta2 : float
        Discount factors in ``[0, 1)`` (a factor of 1 means no impatience, and the game
        then has no unique equilibrium).

    Returns
    -------
    (float, float)
        Shares of player 1 (the first proposer) and player 2, summing to 1.

    Raises
    ------
    ValueError
        If a discount factor is not a number in ``[0, 1)``.

    Examples
    --------
    >>> s1, s2 = rubinstein(0.9, 0.9)
    >>> round(s1, 6), round(1 / 1.9, 6)
    (0.526316, 0.526316)
    >>> rubinstein(0.0, 0.5)  # an impatient player 1 still gains from moving first
    (0.5, 0.5)
    """
    d1 = _check_discount(delta1, "delta1")
    d2 = _check_discount(delta2, "delta2")
    share1 = (1.0 - d2) / (1.0 - d1 * d2)
    return share1, 1.0 - share1


def rubinstein_rates(r1: float, r2: float, period: float | None = None) -> tuple[float, float]:
    r"""Rubinstein shares from discount *rates* and the time between offers.

    Player ``i`` discounts a delay of ``t`` by :math:`e^{-r_i t}`, and offers alternate
    every ``period`` units of time, so :math:`\delta_i = e^{-r_i \cdot \text{period}}`. As
    the period shrinks the first-mover advantage vanishes and the shares tend to
    :math:`r_2 / (r_1 + r_2)` and :math:`r_1 / (r_1 + r_2)`, the asymmetric Nash solution
    with weights :math:`1 / r_i` (Binmore, Rubinstein and Wolinsky 1986).

    Parameters
    ----------
    r1, r2 : float
        Positive discount rates (costs of delay) of players 1 and 2.
    period : float or None, default None
        Time between offers (positive); ``None`` gives the continuous-time limit.

    Returns
    -------
    (float, float)
        Shares of player 1 (the first proposer) and player 2.

    Raises
    ------
    ValueError
        If a rate or the period is not a positive finite number.

    Examples
    --------
    >>> rubinstein_rates(1.0, 3.0)
    (0.75, 0.25)
    >>> s1, _ = rubinstein_rates(1.0, 1.0, period=0.01)
    >>> round(s1, 4)
    0.5025
    """
    checks = [("r1", r1), ("r2", r2)] + ([("period", period)] if period is not None else [])
    for name, v in checks:
        if (isinstance(v, bool) or not isinstance(v, int | float | np.floating | np.integer)
                or not (math.isfinite(float(v)) and float(v) > 0)):
            raise ValueError(f"{name} must be a positive finite number, got {v!r}")
    r1, r2 = float(r1), float(r2)
    if period is None:
        return r2 / (r1 + r2), r1 / (r1 + r2)
    # (1 - delta2) / (1 - delta1 delta2), with expm1 for accuracy at short periods
    share1 = math.expm1(-r2 * period) / math.expm1(-(r1 + r2) * period)
    return share1, 1.0 - share1
