"""Shared pieces of the bimatrix solvers: input checks, payoff rescaling, profile sorting."""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["rescale", "sorted_unique_profiles", "validate_bimatrix"]


def validate_bimatrix(A: object, B: object, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Check and convert the payoff matrices; raise ``ValueError`` on bad input.

    Examples
    --------
    >>> validate_bimatrix([[1, 2]], [[0, 1]], 1e-9)[0].shape
    (1, 2)
    """
    if not (isinstance(tol, numbers.Real) and not isinstance(tol, bool)
            and math.isfinite(tol) and 0 <= tol < 1e-2):
        raise ValueError(f"tol must be a finite number in [0, 0.01), got {tol!r}")
    mats = []
    for name, M in (("A", A), ("B", B)):
        try:
            arr = np.asarray(M, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"payoff matrix {name} is not numeric: {exc}") from exc
        if arr.ndim != 2:
            raise ValueError(f"payoff matrix {name} must be 2-D, got shape {arr.shape}")
        if arr.shape[0] == 0 or arr.shape[1] == 0:
            raise ValueError(f"payoff matrix {name} is empty (shape {arr.shape})")
        bad = ~np.isfinite(arr)
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise ValueError(
                f"payoff matrix {name} has a non-finite entry {arr[i, j]} at row {i}, "
                f"column {j}"
            )
        mats.append(arr)
    if mats[0].shape != mats[1].shape:
        raise ValueError(
            f"payoff matrices A and B must have the same shape, got {mats[0].shape} and "
            f"{mats[1].shape}"
        )
    return mats[0], mats[1]


def rescale(M: np.ndarray) -> np.ndarray:
    """Map a payoff matrix affinely onto [1, 2] (all ones if it is constant).

    Examples
    --------
    >>> rescale(np.array([[0.0, 4.0]])).tolist()
    [[1.0, 2.0]]
    """
    lo, hi = float(M.min()), float(M.max())
    if hi - lo <= 0.0:
        return np.ones_like(M)
    return 1.0 + (M - lo) / (hi - lo)


def sorted_unique_profiles(
    P: np.ndarray, Q: np.ndarray, tol: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Deduplicate (rounded to ~tol) and sort profiles, largest first lexicographically.

    Examples
    --------
    >>> P = np.array([[0.5, 0.5], [0.5, 0.5]]); Q = np.array([[1.0, 0.0], [1.0, 0.0]])
    >>> len(sorted_unique_profiles(P, Q, 1e-9))
    1
    """
    if len(P) == 0:
        return []
    P = np.where(P <= tol, 0.0, P)
    Q = np.where(Q <= tol, 0.0, Q)
    P /= P.sum(axis=1, keepdims=True)
    Q /= Q.sum(axis=1, keepdims=True)
    decimals = max(0, min(15, int(-math.log10(max(tol, 1e-15))) - 1))
    keys = np.round(np.hstack([P, Q]), decimals)
    _, first = np.unique(keys, axis=0, return_index=True)
    keys, P, Q = keys[first], P[first], Q[first]
    order = np.lexsort(-keys.T[::-1])
    return [(P[i].copy(), Q[i].copy()) for i in order]
