"""Probabilities estimated from an ensemble: :class:`Proportion` and its Wilson interval.

The lowest module of the summaries: :mod:`~negsim.ensemble.summary` and
:mod:`~negsim.ensemble.survival` both build on it (both re-export nothing else of each other).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Z95", "Proportion", "wilson_interval"]

Z95 = 1.959963984540054
"""The standard normal quantile of a two-sided 95% interval."""


def wilson_interval(k: Any, n: Any, z: float = Z95) -> tuple[Any, Any]:
    """Wilson score interval for a binomial proportion ``k / n``.

    Parameters
    ----------
    k : int or array of int
        Number of successes, ``0 <= k <= n``.
    n : int or array of int
        Number of trials, ``n >= 1``.
    z : float
        Standard normal quantile; the default gives a 95% interval.

    Returns
    -------
    (low, high) : tuple of float (or of arrays, for array input)
        The interval; exactly 0 below when ``k == 0`` and exactly 1 above when ``k == n``.

    Notes
    -----
    With ``p = k / n`` the interval is
    ``(p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``. Unlike the normal
    approximation it stays inside [0, 1] and keeps close to its nominal coverage for
    proportions near 0 or 1 (Wilson 1927; Brown, Cai and DasGupta 2001).

    Examples
    --------
    >>> lo, hi = wilson_interval(5, 10)
    >>> round(lo, 4), round(hi, 4)
    (0.2366, 0.7634)
    >>> wilson_interval(0, 10)[0], round(wilson_interval(0, 10)[1], 4)
    (0.0, 0.2775)
    """
    k_arr = np.asarray(k)
    n_arr = np.asarray(n)
    scalar = k_arr.ndim == 0 and n_arr.ndim == 0
    k_arr = k_arr.astype(float)
    n_arr = n_arr.astype(float)
    if np.any(n_arr < 1) or np.any(~np.isfinite(n_arr)):
        raise ValueError(f"wilson_interval: n must be a positive number of trials, got {n!r}")
    if np.any(k_arr < 0) or np.any(k_arr > n_arr) or np.any(~np.isfinite(k_arr)):
        raise ValueError(f"wilson_interval: k must be in [0, n], got k={k!r}, n={n!r}")
    if not z > 0:
        raise ValueError(f"wilson_interval: z must be positive, got {z!r}")
    p = k_arr / n_arr
    z2 = z * z
    denom = 1.0 + z2 / n_arr
    centre = (p + z2 / (2.0 * n_arr)) / denom
    half = z / denom * np.sqrt(p * (1.0 - p) / n_arr + z2 / (4.0 * n_arr * n_arr))
    low = np.where(k_arr == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(k_arr == n_arr, 1.0, np.clip(centre + half, 0.0, 1.0))
    if scalar:
        return float(low), float(high)
    return low, high


@dataclass(frozen=True)
class Proportion:
    """An estimated probability: ``count`` successes out of ``total`` runs.

    Attributes
    ----------
    count, total : int
    probability : float
        ``count / total``.
    low, high : float
        Wilson 95% interval.

    Examples
    --------
    >>> p = Proportion.of(30, 100)
    >>> p.probability, round(p.low, 3), round(p.high, 3)
    (0.3, 0.219, 0.396)
    """

    count: int
    total: int
    probability: float
    low: float
    high: float

    @classmethod
    def of(cls, count: int, total: int) -> Proportion:
        """Make the proportion ``count / total`` with its Wilson 95% interval."""
        low, high = wilson_interval(count, total)
        return cls(int(count), int(total), count / total, low, high)

    @property
    def interval(self) -> tuple[float, float]:
        """``(low, high)``."""
        return (self.low, self.high)
