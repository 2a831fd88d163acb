r"""nashpy's equilibrium algorithms for bimatrix games, run for comparison and checked.

negsim's own :func:`~negsim.games.algorithms.mixed.enumerate_equilibria` finds all extreme
equilibria; nashpy's ``support_enumeration``, ``vertex_enumeration`` and Lemke-Howson are
offered next to it as independent cross-checks (:func:`nashpy_equilibria`). Their output is
checked: nashpy may return spurious or NaN profiles on degenerate games, which are dropped
with a warning; its vertex enumeration fails inside its polytope code on some degenerate
games, which becomes a clear ``ValueError``; and its Lemke-Howson loop, which has no limit
and cycles for ever on some degenerate games, is run here with the same tableaux and pivots
but a pivot limit.
"""

from __future__ import annotations

import numbers
import warnings
from itertools import cycle
from typing import Any

import numpy as np

from negsim.games.algorithms.payoffs import mixed_regret

__all__ = ["nashpy_equilibria"]

#: The nashpy algorithms :func:`nashpy_equilibria` runs.
NASHPY_METHODS = ("support", "vertex", "lemke_howson")


def nashpy_equilibria(
    A: np.ndarray, B: np.ndarray, method: str, *, tol: float = 1e-9, stacklevel: int = 2,
    **kwargs: Any,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Equilibria of the bimatrix game ``(A, B)`` by one of nashpy's algorithms, checked.

    Parameters
    ----------
    A, B : ndarray, shape (m, n)
        Row and column player's payoffs.
    method : {"support", "vertex", "lemke_howson"}
        ``"support"``: support enumeration (``non_degenerate=False`` unless given);
        ``"vertex"``: vertex enumeration (nondegenerate games only); ``"lemke_howson"``:
        Lemke-Howson from every initial label, duplicates removed (this finds *some*
        equilibria, not necessarily all; each path is cut at ``max_pivots=10000``, with a
        warning naming the labels skipped).
    tol : float, default 1e-9
        Profiles whose regret exceeds ``tol`` times the payoff range (at least 1) are
        dropped with a warning, and near-duplicates (within 1e-7) are dropped.
    stacklevel : int, default 2
        Stack level of the warnings (2: the caller of this function).
    **kwargs
        Passed on to nashpy's method.

    Returns
    -------
    list of (ndarray, ndarray)
        Sorted in decreasing lexicographic order of ``(p, q)``.

    Raises
    ------
    ValueError
        For an unknown method, or when nashpy's vertex enumeration fails on the game.

    Examples
    --------
    >>> A, B = np.array([[3, 0], [0, 2]]), np.array([[2, 0], [0, 3]])
    >>> [(p.round(2).tolist(), q.round(2).tolist()) for p, q in
    ...  nashpy_equilibria(A, B, "support")]
    [([1.0, 0.0], [1.0, 0.0]), ([0.6, 0.4], [0.4, 0.6]), ([0.0, 1.0], [0.0, 1.0])]
    """
    if method not in NASHPY_METHODS:
        raise ValueError(f"unknown nashpy method {method!r}; choose one of {NASHPY_METHODS}")
    import nashpy

    g = nashpy.Game(A, B)
    cut: list[int] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            if method == "support":
                kwargs.setdefault("non_degenerate", False)
                raw = list(g.support_enumeration(**kwargs))
            elif method == "vertex":
                raw = list(g.vertex_enumeration(**kwargs))
            else:
                raw, cut = _lemke_howson_all_labels(A, B, **kwargs)
        except (TypeError, RuntimeError) as exc:
            if "unexpected keyword" in str(exc):
                raise
            # nashpy's vertex enumeration fails inside its polytope code on some
            # degenerate games (a constant payoff matrix: TypeError; a player with
            # one action: scipy's QhullError, a RuntimeError)
            raise ValueError(
                f"nashpy's {method} failed on this game ({type(exc).__name__}: "
                f"{str(exc).strip().splitlines()[0]}); it is meant for nondegenerate "
                "games: use method='enumeration'"
            ) from exc
    if cut:
        warnings.warn(
            f"nashpy's Lemke-Howson did not finish within "
            f"{kwargs.get('max_pivots', 10_000)} pivots, or failed, from initial "
            f"label(s) {cut} (it cycles or breaks down on some degenerate games); "
            "those paths are skipped",
            RuntimeWarning,
            stacklevel=stacklevel,
        )
    return _clean(A, B, raw, tol, method, stacklevel + 1)


def _clean(
    A: np.ndarray, B: np.ndarray, raw: list[Any], tol: float, method: str, stacklevel: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Keep the valid, distinct equilibria among nashpy's profiles, sorted.

    ``stacklevel`` is that of the warning as seen from this function.
    """
    m, n = A.shape
    payoffs = np.stack([A, B])
    scale = max(1.0, float(np.ptp(payoffs)))
    good: list[tuple[np.ndarray, np.ndarray]] = []
    dropped = 0
    for pair in raw:
        p, q = (np.asarray(x, dtype=float).reshape(-1) for x in pair)
        valid = (
            p.shape == (m,)
            and q.shape == (n,)
            and np.all(np.isfinite(p))
            and np.all(np.isfinite(q))
            and np.all(p >= -1e-9)
            and np.all(q >= -1e-9)
            and abs(p.sum() - 1) <= 1e-6
            and abs(q.sum() - 1) <= 1e-6
        )
        if valid:
            p, q = np.clip(p, 0, None), np.clip(q, 0, None)
            p, q = p / p.sum(), q / q.sum()
            valid = bool(np.all(mixed_regret(payoffs, [p, q]) <= max(tol, 1e-9) * scale))
        if not valid:
            dropped += 1
            continue
        if any(np.allclose(p, p2, atol=1e-7) and np.allclose(q, q2, atol=1e-7)
               for p2, q2 in good):
            continue
        good.append((p, q))
    if dropped:
        warnings.warn(
            f"nashpy's {method} returned {dropped} profile(s) that are not equilibria "
            f"within tol={tol} (degenerate game?); dropped",
            RuntimeWarning,
            stacklevel=stacklevel,
        )
    good.sort(key=lambda e: tuple(-np.round(np.concatenate(e), 9)))
    return good


def _lemke_howson_all_labels(
    A: np.ndarray, B: np.ndarray, max_pivots: int = 10_000
) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[int]]:
    """Run nashpy's Lemke-Howson from every initial label, each path cut at ``max_pivots``.

    The same tableaux and pivots as ``nashpy.Game.lemke_howson_enumeration`` (nashpy's
    ``lemke_howson`` loop, with lexicographic pivoting), but nashpy's loop has no limit and
    cycles for ever on some degenerate games (on every game in which a player has a single
    action, for instance), and its pivoting can fail (``KeyError``) on others. Returns the
    equilibria found and the initial labels whose paths were cut at the limit or failed.
    """
    from nashpy.linalg import create_col_tableau, create_row_tableau

    if not (isinstance(max_pivots, numbers.Integral) and not isinstance(max_pivots, bool)
            and max_pivots >= 1):
        raise ValueError(f"max_pivots must be a positive integer, got {max_pivots!r}")
    out = []
    cut = []
    for label in range(sum(A.shape)):
        col = create_col_tableau(A, True)
        row = create_row_tableau(B, True)
        tableaux = cycle((row, col) if label in row.non_basic_variables else (col, row))
        entering = label
        try:
            for _ in range(max_pivots):
                entering = next(tableaux).pivot_and_drop_label(entering)
                if col.non_basic_variables.union(row.non_basic_variables) == col.labels:
                    out.append((row.to_strategy(col.non_basic_variables),
                                col.to_strategy(row.non_basic_variables)))
                    break
            else:
                cut.append(label)
        except (KeyError, IndexError, ValueError, ZeroDivisionError):
            cut.append(label)  # nashpy's pivoting breaks down (degenerate game)
    return out, cut
