"""Checks of what users hand to the games front: payoffs, labels, tolerances, profiles.

:class:`~negsim.games.NormalFormGame` and the front-level functions (:mod:`negsim.games.qre`,
:mod:`negsim.games.repeated`) validate their inputs here, so that each check, and each
error message naming the player at fault, is written once. The solvers in
:mod:`negsim.games.algorithms` take checked arrays.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence

import numpy as np

__all__ = [
    "check_labels",
    "check_mixed_profile",
    "check_payoffs",
    "check_pure_profile",
    "check_tol",
    "is_index",
    "is_pure_profile",
]

#: Wordings of :func:`check_pure_profile`'s errors.
_WORDINGS = ("index", "actions")


def is_index(x: object) -> bool:
    """Whether ``x`` is an integer usable as an action index (``bool`` is not).

    Examples
    --------
    >>> is_index(2), is_index(np.int64(2)), is_index(True), is_index(2.0)
    (True, True, False, False)
    """
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def check_tol(tol: float) -> float:
    """Return ``tol`` as a float; raise ``ValueError`` unless it is finite and ``>= 0``.

    Examples
    --------
    >>> check_tol(0)
    0.0
    >>> check_tol(-1e-9)
    Traceback (most recent call last):
    ...
    ValueError: tol must be a finite number >= 0, got -1e-09
    """
    tol = float(tol)
    if not tol >= 0 or not math.isfinite(tol):
        raise ValueError(f"tol must be a finite number >= 0, got {tol!r}")
    return tol


def check_payoffs(payoffs: object) -> np.ndarray:
    """Return a payoff tensor as a read-only float array, after checking it.

    Parameters
    ----------
    payoffs : array_like, shape (n_players, a_1, ..., a_n)
        ``payoffs[i, s_1, ..., s_n]`` is player ``i``'s payoff at the profile
        ``(s_1, ..., s_n)``.

    Returns
    -------
    ndarray
        A read-only float copy.

    Raises
    ------
    ValueError
        If the payoffs are not numeric, contain NaN or infinite values, or do not have the
        shape ``(n, a_1, ..., a_n)`` with every ``a_i >= 1``.

    Examples
    --------
    >>> check_payoffs([[[3, 0], [5, 1]], [[3, 5], [0, 1]]]).shape
    (2, 2, 2)
    >>> check_payoffs([[1, 2], [3, 4]])
    Traceback (most recent call last):
    ...
    ValueError: payoffs of shape (2, 2) list 2 players, so they need 3 dimensions ..., not 2
    """
    try:
        src = np.asarray(payoffs)
        arr = np.array(src, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"payoffs must be a numeric array: {exc}") from None
    if arr.ndim < 2:
        raise ValueError(
            f"payoffs must have shape (n_players, a_1, ..., a_n), got shape {arr.shape}"
        )
    n = arr.shape[0]
    if n < 1 or arr.ndim != n + 1:
        raise ValueError(
            f"payoffs of shape {arr.shape} list {n} players, so they need {n + 1} "
            f"dimensions (n_players, a_1, ..., a_{n}), not {arr.ndim}"
        )
    if any(a < 1 for a in arr.shape[1:]):
        raise ValueError(f"every player needs at least one action, got shape {arr.shape}")
    # integer and boolean payoffs are finite: skip the check (it is a full pass)
    bad = None if src.dtype.kind in "iub" else ~np.isfinite(arr)
    if bad is not None and bad.any():
        where = tuple(int(k) for k in np.argwhere(bad)[0])
        kind = "NaN" if np.isnan(arr[where]) else "an infinite value"
        raise ValueError(
            f"payoffs contain {kind} at index {where} (player {where[0]}, profile "
            f"{where[1:]}); {int(bad.sum())} non-finite value(s) in all"
        )
    arr.setflags(write=False)
    return arr


def check_labels(
    given: Sequence[object] | None, count: int, default: Callable[[int], str], what: str
) -> tuple[str, ...]:
    """Return ``count`` unique string labels: ``given``, or ``default(k)`` for each ``k``.

    Parameters
    ----------
    given : sequence of str or None
        The labels given, if any.
    count : int
        How many are needed.
    default : callable
        ``default(k)`` is the ``k``-th label when none are given.
    what : str
        What the labels name, for error messages.

    Raises
    ------
    ValueError
        If ``given`` is a string, has the wrong length, holds a non-string or repeats a
        label.

    Examples
    --------
    >>> check_labels(None, 2, lambda k: f"P{k + 1}", "players")
    ('P1', 'P2')
    >>> check_labels(["A", "A"], 2, str, "players")
    Traceback (most recent call last):
    ...
    ValueError: players: labels must be unique, repeated: ['A']
    """
    if given is None:
        return tuple(default(k) for k in range(count))
    if isinstance(given, str):
        raise ValueError(f"{what} must be a sequence of labels, not the string {given!r}")
    labels = tuple(given)
    if len(labels) != count:
        raise ValueError(f"{what}: expected {count} labels, got {len(labels)}")
    for lab in labels:
        if not isinstance(lab, str):
            raise ValueError(f"{what}: labels must be strings, got {lab!r}")
    if len(set(labels)) != len(labels):
        dup = sorted({x for x in labels if labels.count(x) > 1})
        raise ValueError(f"{what}: labels must be unique, repeated: {dup}")
    return labels  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------
# profiles
# ---------------------------------------------------------------------------------------


def check_pure_profile(
    profile: Sequence[object],
    shape: Sequence[int],
    players: Sequence[str],
    *,
    what: str = "profile",
    wording: str = "index",
) -> tuple[int, ...]:
    """Return a pure profile as a tuple of ints, after checking it against the game.

    Parameters
    ----------
    profile : sequence of int
        One action index per player.
    shape : sequence of int
        Each player's number of actions.
    players : sequence of str
        The player labels, for error messages.
    what : str, default "profile"
        What the profile is, for error messages.
    wording : {"index", "actions"}, default "index"
        How errors are worded: ``"index"`` as in
        ``"profile: action of player 1 (P2) must be an index in [0, 3), got 3"`` (the
        methods of :class:`~negsim.games.NormalFormGame`), ``"actions"`` as in
        ``"profile: player 1 (P2) has actions 0..2, got 3"`` (:mod:`negsim.games.repeated`).

    Raises
    ------
    ValueError
        If the profile does not give one action index per player, each in range (a
        ``bool`` or ``float`` is not an index).

    Examples
    --------
    >>> check_pure_profile([1, np.int64(0)], (2, 3), ("P1", "P2"))
    (1, 0)
    >>> check_pure_profile((0, 3), (2, 3), ("P1", "P2"))
    Traceback (most recent call last):
    ...
    ValueError: profile: action of player 1 (P2) must be an index in [0, 3), got 3
    >>> check_pure_profile((0, 3), (2, 3), ("P1", "P2"), wording="actions")
    Traceback (most recent call last):
    ...
    ValueError: profile: player 1 (P2) has actions 0..2, got 3
    """
    if wording not in _WORDINGS:
        raise ValueError(f"wording must be one of {_WORDINGS}, got {wording!r}")
    prof = tuple(profile)
    n = len(shape)
    if len(prof) != n:
        if wording == "index":
            raise ValueError(f"{what} must give one action per player ({n}), got {len(prof)}")
        raise ValueError(
            f"{what}: expected one action index for each of {n} players, got {len(prof)}"
        )
    for i, a in enumerate(prof):
        if not is_index(a) or not 0 <= a < shape[i]:  # type: ignore[operator]
            if wording == "index":
                raise ValueError(
                    f"{what}: action of player {i} ({players[i]}) must be an index in "
                    f"[0, {shape[i]}), got {a!r}"
                )
            raise ValueError(
                f"{what}: player {i} ({players[i]}) has actions 0..{shape[i] - 1}, got {a!r}"
            )
    return tuple(int(a) for a in prof)  # type: ignore[call-overload]


def is_pure_profile(profile: object) -> bool:
    """Whether every entry of the sequence ``profile`` is an action index.

    Raises
    ------
    ValueError
        If ``profile`` is not a sequence.

    Examples
    --------
    >>> is_pure_profile((0, 1)), is_pure_profile([[0.5, 0.5], 1])
    (True, False)
    """
    try:
        items = list(profile)  # type: ignore[call-overload]
    except TypeError:
        raise ValueError(f"a profile must be a sequence, got {profile!r}") from None
    return all(is_index(a) for a in items)


def check_mixed_profile(
    profile: Sequence[object],
    shape: Sequence[int],
    players: Sequence[str],
    what: str = "profile",
) -> list[np.ndarray]:
    """Return a mixed profile as probability vectors, after checking it against the game.

    Pure actions (indices) are accepted as degenerate mixtures.

    Parameters
    ----------
    profile : sequence
        One entry per player: a probability vector over its actions, or an action index.
    shape : sequence of int
        Each player's number of actions.
    players : sequence of str
        The player labels, for error messages.
    what : str, default "profile"
        What the profile is, for error messages.

    Raises
    ------
    ValueError
        If an entry is not a probability vector of the right length (negative entries,
        sum not 1 within 1e-9) or an index in range; the message names the player.

    Examples
    --------
    >>> [v.tolist() for v in check_mixed_profile([[0.5, 0.5], 2], (2, 3), ("P1", "P2"))]
    [[0.5, 0.5], [0.0, 0.0, 1.0]]
    >>> check_mixed_profile([[0.5, 0.6], 0], (2, 3), ("P1", "P2"))
    Traceback (most recent call last):
    ...
    ValueError: profile: player 0 (P1): probabilities sum to 1.1, not 1
    """
    items = list(profile)
    n = len(shape)
    if len(items) != n:
        raise ValueError(f"{what} must give one strategy per player ({n}), got {len(items)}")
    out = []
    for i, s in enumerate(items):
        name = f"{what}: player {i} ({players[i]})"
        if is_index(s):
            if not 0 <= s < shape[i]:  # type: ignore[operator]
                raise ValueError(f"{name}: action index {s} not in [0, {shape[i]})")
            v = np.zeros(shape[i])
            v[int(s)] = 1.0  # type: ignore[call-overload]
            out.append(v)
            continue
        try:
            v = np.asarray(s, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{name}: not a probability vector: {s!r}") from None
        if v.ndim != 1 or v.shape[0] != shape[i]:
            raise ValueError(f"{name}: expected {shape[i]} probabilities, got shape {v.shape}")
        if not np.all(np.isfinite(v)):
            raise ValueError(f"{name}: probabilities must be finite, got {v.tolist()}")
        if np.any(v < 0):
            raise ValueError(f"{name}: negative probability {float(v.min())!r}")
        total = float(v.sum())
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"{name}: probabilities sum to {total!r}, not 1")
        out.append(v)
    return out
