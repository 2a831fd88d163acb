r"""The logit choice rule: choice probabilities proportional to :math:`\exp(\lambda v)`.

A decision maker who values alternative :math:`j` at :math:`v_j` and chooses with
precision :math:`\lambda \ge 0` picks :math:`j` with probability
:math:`e^{\lambda v_j} / \sum_k e^{\lambda v_k}` (McFadden's conditional logit): uniform at
:math:`\lambda = 0`, the best alternatives at :math:`\lambda = \infty`. It is the choice
rule of the logit quantal response equilibrium (:mod:`negsim.games.algorithms.qre`) and
the simulation's bounded-rationality choice model.
"""

from __future__ import annotations

import numpy as np

__all__ = ["logit_choice_probabilities"]


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
