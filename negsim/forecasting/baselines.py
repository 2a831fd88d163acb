r"""The static forecasts: the weighted mean and the weighted median of the positions.

Each actor's weight is capability times salience, :math:`w_i = c_i s_i`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from negsim.forecasting.table import check_arrays

__all__ = ["median_position", "weighted_mean", "weighted_median"]


def _wmean(x: np.ndarray, w: np.ndarray) -> float:
    return float(np.dot(w, x) / np.sum(w))


def median_position(x: np.ndarray, w: np.ndarray) -> float:
    """Weighted median of positions ``x`` with weights ``w``, without checking the input.

    The rule of :func:`weighted_median` (the lowest position at which the cumulative
    weight reaches half of the total), on float arrays already checked by
    :func:`negsim.forecasting.table.check_arrays`; the expected-utility model calls it every
    round.

    Parameters
    ----------
    x, w : numpy.ndarray
        Positions and weights (capability x salience), one entry per actor.

    Returns
    -------
    float

    Examples
    --------
    >>> median_position(np.array([2.0, 0.0, 1.0]), np.array([1.0, 1.0, 2.0]))
    1.0
    """
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order])
    total = cum[-1]
    k = int(np.searchsorted(cum, 0.5 * total - 1e-12 * total, side="left"))
    return float(x[order][min(k, x.size - 1)])


def weighted_mean(positions: Any, capability: Any, salience: Any) -> float:
    r"""Weighted mean position, weights capability x salience.

    Parameters
    ----------
    positions, capability, salience : sequence of float
        One entry per actor; capability >= 0, salience in [0, 1].

    Returns
    -------
    float
        :math:`\sum_i c_i s_i x_i / \sum_i c_i s_i`.

    Examples
    --------
    >>> weighted_mean([0.0, 1.0], [1.0, 3.0], [1.0, 1.0])
    0.75
    """
    x, c, s = check_arrays(positions, capability, salience)
    return _wmean(x, c * s)


def weighted_median(positions: Any, capability: Any, salience: Any) -> float:
    """Weighted median position, weights capability x salience.

    The lowest position at which the cumulative weight (positions sorted ascending) reaches
    half of the total weight. It is an actor's position and the Condorcet winner among the
    actors' positions. If the cumulative weight is exactly half at a position, that lower
    position is returned (never the average of the two middle positions).

    Examples
    --------
    >>> weighted_median([0.0, 1.0, 2.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0])
    1.0
    >>> weighted_median([0.0, 1.0], [1.0, 1.0], [1.0, 1.0])  # exact tie: the lower one
    0.0
    """
    x, c, s = check_arrays(positions, capability, salience)
    return median_position(x, c * s)

