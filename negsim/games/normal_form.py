r"""Finite n-player games in normal (strategic) form.

A :class:`NormalFormGame` holds a payoff tensor of shape ``(n_players, a_1, ..., a_n)``:
``payoffs[i, s_1, ..., s_n]`` is player ``i``'s payoff when player ``j`` plays its action
``s_j`` (action indices start at 0). Players and actions carry labels.

What it computes
----------------
* **Pure Nash equilibria** of any n-player game by vectorised best responses: for each
  player the payoff tensor is compared with its maximum over that player's own axis, and
  the n boolean tensors are combined (:func:`pure_equilibrium_mask`, which also works on a
  batch of games). Strict equilibria keep only profiles where every player's action is its
  unique best response.
* **Iterated elimination of strictly dominated strategies** (by pure strategies, and
  optionally by mixed strategies with a linear programme per strategy), and of weakly
  dominated ones on request.
* **Pareto comparisons** among equilibria, **regret** and **equilibrium checks** for mixed
  profiles, **coalition deviations** and **strong Nash** equilibria (Aumann 1959).
* **All equilibria of 2-player games** (:meth:`NormalFormGame.equilibria`) through
  :func:`negsim.games.mixed.enumerate_equilibria` or nashpy's algorithms, and a logit quantal
  response equilibrium for any number of players (:mod:`negsim.games.qre`).

Tolerances
----------
Payoff ties are decided with a tolerance ``tol`` relative to the size of the payoffs
compared: ``x`` counts as at least ``y`` when ``x >= y - tol * (1 + |y|)``. With the
default ``tol=1e-12`` integer and rational payoffs are compared exactly and floating-point
noise of a few ulps is ignored.
"""

from __future__ import annotations

import importlib.metadata
import itertools
import math
import numbers
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from negsim.games.qre import QREPath  # noqa: F401

__all__ = [
    "CoalitionDeviation",
    "NashResult",
    "NormalFormGame",
    "pure_equilibrium_mask",
]

_NASHPY_METHODS = ("support", "vertex", "lemke_howson")
_TWO_PLAYER_METHODS = ("enumeration", *_NASHPY_METHODS)
_ALL_METHODS = (*_TWO_PLAYER_METHODS, "pure", "logit")


# ---------------------------------------------------------------------------------------
# batched pure equilibria
# ---------------------------------------------------------------------------------------


def _infer_n_players(shape: tuple[int, ...]) -> int:
    """Largest ``k`` with ``shape[-(k + 1)] == k`` (fewest batch dimensions)."""
    for k in range(len(shape) - 1, 0, -1):
        if shape[-(k + 1)] == k:
            return k
    raise ValueError(
        f"payoffs of shape {shape} are not (*batch, n_players, a_1, ..., a_n): no axis "
        "holds the number of players followed by that many action axes"
    )


def pure_equilibrium_mask(
    payoffs: np.ndarray,
    tol: float = 1e-12,
    *,
    strict: bool = False,
    n_players: int | None = None,
) -> np.ndarray:
    """Mark the pure Nash equilibria of one game or of a batch of games.

    A profile is an equilibrium when every player's payoff there is (within ``tol``) the
    maximum over that player's own actions, the others' actions fixed. The test is one
    maximum and one comparison per player over the whole tensor: no Python loop over
    profiles or games.

    Parameters
    ----------
    payoffs : array_like, shape (*batch, n, a_1, ..., a_n)
        Payoff tensors; ``payoffs[..., i, s_1, ..., s_n]`` is player ``i``'s payoff.
    tol : float, default 1e-12
        Tie tolerance, relative to the payoff size (``x`` ties with the best payoff ``b``
        when ``b - x <= tol * (1 + |b|)``).
    strict : bool, default False
        Keep only strict equilibria (every player's action is its unique best response
        within ``tol``).
    n_players : int, optional
        Number of players ``n``. When omitted it is inferred as the largest ``k`` for which
        axis ``-(k + 1)`` has length ``k``; this always reads an unbatched game correctly,
        but a batch can be ambiguous (a batch of 3 two-player 2x2 games has the shape of
        one 3-player 2x2x2 game), so pass ``n_players`` for batches.

    Returns
    -------
    ndarray of bool, shape (*batch, a_1, ..., a_n)
        ``True`` at the pure equilibria.

    Raises
    ------
    ValueError
        If the shape does not fit ``(*batch, n, a_1, ..., a_n)`` or ``tol < 0``.

    Examples
    --------
    The prisoner's dilemma (action 1 = defect) has the single equilibrium ``(1, 1)``:

    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> pure_equilibrium_mask(pd)
    array([[False, False],
           [False,  True]])

    A batch of two games (the second is the same game with the players' payoffs
    negated); pass ``n_players`` for batches:

    >>> pure_equilibrium_mask(np.stack([pd, -pd]), n_players=2).reshape(2, -1)
    array([[False, False, False,  True],
           [ True, False, False, False]])
    """
    u = np.asarray(payoffs)
    if u.dtype == object or not np.issubdtype(u.dtype, np.number):
        u = u.astype(float)
    if not tol >= 0:
        raise ValueError(f"tol must be >= 0, got {tol!r}")
    n = _infer_n_players(u.shape) if n_players is None else int(n_players)
    if n < 1 or u.ndim < n + 1 or u.shape[-(n + 1)] != n:
        raise ValueError(
            f"payoffs of shape {u.shape} do not have the shape (*batch, {n}, a_1, ..., a_{n})"
        )
    if any(a < 1 for a in u.shape[-n:]):
        raise ValueError(f"every player needs at least one action, got shape {u.shape}")
    b = u.ndim - n - 1  # number of batch axes
    mask: np.ndarray | None = None
    for i in range(n):
        ax = b + i
        ui = u[(Ellipsis, i) + (slice(None),) * n]
        best = _axis_reduce(np.maximum, ui, ax)
        # near the best: ui >= best - tol (1 + |best|), the threshold computed on the
        # reduced array (a_i times smaller than the tensor)
        thr = best - tol * (1.0 + np.abs(best)) if tol > 0 else best
        ok = ui >= np.expand_dims(thr, ax)
        if strict:
            count = _axis_reduce(np.add, ok.view(np.uint8), ax)
            ok &= np.expand_dims(count == 1, ax)
        if mask is None:
            mask = ok
        else:
            mask &= ok
    assert mask is not None
    return mask


def _axis_reduce(op: np.ufunc, x: np.ndarray, axis: int) -> np.ndarray:
    """Reduce ``x`` with ``op`` along ``axis`` (``op.reduce``, int64 sums for ``np.add``).

    Short axes are reduced as a chain of elementwise ``op`` on the slices, which is
    several times faster than numpy's reduction over a short inner (strided or
    contiguous) axis of a large array.
    """
    k = x.shape[axis]
    if k > 16 or x.ndim == 1:
        if op is np.add:  # counts: no uint8 overflow
            return x.sum(axis=axis, dtype=np.int64)
        return op.reduce(x, axis=axis)
    lead = (slice(None),) * axis
    out = x[(*lead, 0)].copy()
    for j in range(1, k):
        op(out, x[(*lead, j)], out=out)
    return out


# ---------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoalitionDeviation:
    """A joint deviation from a pure profile in which every deviating player gains.

    Attributes
    ----------
    coalition : tuple of int
        The players who change their action (sorted).
    profile : tuple of int
        The profile after the deviation (the other players keep their actions).
    gains : tuple of float
        Each coalition member's payoff gain, in the order of ``coalition``.

    Examples
    --------
    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> (dev,) = pd.coalition_deviations((1, 1))
    >>> dev.coalition, dev.profile, dev.gains
    ((0, 1), (0, 0), (2.0, 2.0))
    """

    coalition: tuple[int, ...]
    profile: tuple[int, ...]
    gains: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class NashResult:
    """Equilibria computed by :meth:`NormalFormGame.solve`, with how they were computed.

    Modelled on pygambit's ``NashComputationResult``. Arrays are read-only; equality is
    identity.

    Attributes
    ----------
    game : NormalFormGame
        The game solved.
    method : str
        The method used (see :meth:`NormalFormGame.solve`).
    equilibria : tuple of tuple of ndarray
        One profile per equilibrium: a probability vector per player.
    regrets : tuple of float
        Each equilibrium's largest regret (gain from a unilateral deviation), in payoff
        units: a check on the answer.
    parameters : Mapping
        The method's parameters.
    versions : Mapping
        Versions of the libraries involved.

    Examples
    --------
    >>> bos = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    >>> res = bos.solve()
    >>> res.method, len(res), max(res.regrets) < 1e-12, sorted(res.versions)
    ('enumeration', 3, True, ['negsim', 'numpy'])
    >>> [(p.round(2).tolist(), q.round(2).tolist()) for p, q in res.equilibria][1]
    ([0.6, 0.4], [0.4, 0.6])
    """

    game: NormalFormGame
    method: str
    equilibria: tuple[tuple[np.ndarray, ...], ...]
    regrets: tuple[float, ...]
    parameters: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    versions: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __len__(self) -> int:
        return len(self.equilibria)


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        return "not installed"


def _readonly(a: np.ndarray) -> np.ndarray:
    out = np.array(a, dtype=float)
    out.setflags(write=False)
    return out


def _labels(
    given: Sequence[object] | None, count: int, default: Callable[[int], str], what: str
) -> tuple[str, ...]:
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
    return labels


def _is_index(x: object) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def _check_tol(tol: float) -> float:
    tol = float(tol)
    if not tol >= 0 or not math.isfinite(tol):
        raise ValueError(f"tol must be a finite number >= 0, got {tol!r}")
    return tol


def _ties(best: np.ndarray | float, tol: float) -> np.ndarray | float:
    """Tie tolerance at payoff level ``best``."""
    return tol * (1.0 + np.abs(best))


def _pareto_matrix(values: np.ndarray, tol: float) -> np.ndarray:
    """``D[a, b]``: row ``a`` of ``values`` Pareto-dominates row ``b``."""
    diff = values[:, None, :] - values[None, :, :]
    t = _ties(values[None, :, :], tol)
    return (diff >= -t).all(axis=2) & (diff > t).any(axis=2)


# ---------------------------------------------------------------------------------------
# the game
# ---------------------------------------------------------------------------------------


class NormalFormGame:
    r"""A finite game in normal form with ``n`` players.

    The object is immutable: the payoff array is a read-only copy and attributes cannot be
    set. Two games are equal when their payoffs and labels are equal.

    Parameters
    ----------
    payoffs : array_like, shape (n_players, a_1, ..., a_n)
        ``payoffs[i, s_1, ..., s_n]`` is player ``i``'s payoff at the profile
        ``(s_1, ..., s_n)`` of action indices.
    players : sequence of str, optional
        Unique player labels (default ``"P1"``, ``"P2"``, ...).
    actions : sequence of sequence of str, optional
        For each player, unique labels of its actions (default ``"1"``, ``"2"``, ...,
        as in Gambit).

    Raises
    ------
    ValueError
        If the payoffs are not numeric, contain NaN or infinite values, or do not have the
        shape ``(n, a_1, ..., a_n)`` with every ``a_i >= 1``, or if the labels do not fit.

    Examples
    --------
    The prisoner's dilemma, action 0 = cooperate, 1 = defect:

    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                   actions=[["C", "D"], ["C", "D"]])
    >>> pd
    NormalFormGame(players=('P1', 'P2'), actions=(('C', 'D'), ('C', 'D')), shape=(2, 2))
    >>> pd.pure_equilibria()
    [(1, 1)]
    >>> pd.regret((0, 0)).tolist()
    [2.0, 2.0]
    >>> [d.coalition for d in pd.coalition_deviations((1, 1))]
    [(0, 1)]
    """

    __slots__ = ("_actions", "_payoffs", "_players")

    _payoffs: np.ndarray
    _players: tuple[str, ...]
    _actions: tuple[tuple[str, ...], ...]

    def __init__(
        self,
        payoffs: object,
        players: Sequence[str] | None = None,
        actions: Sequence[Sequence[str]] | None = None,
    ) -> None:
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
        shape = arr.shape[1:]
        pl = _labels(players, n, lambda k: f"P{k + 1}", "players")
        if actions is None:
            acts = tuple(tuple(str(k + 1) for k in range(a)) for a in shape)
        else:
            if isinstance(actions, str) or len(actions) != n:
                raise ValueError(f"actions: expected one label sequence for each of {n} players")
            acts = tuple(
                _labels(actions[i], shape[i], str, f"actions of player {i} ({pl[i]})")
                for i in range(n)
            )
        object.__setattr__(self, "_payoffs", arr)
        object.__setattr__(self, "_players", pl)
        object.__setattr__(self, "_actions", acts)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    # --- alternative constructors -------------------------------------------------------
    @classmethod
    def from_function(
        cls,
        f: Callable[[tuple[int, ...]], Sequence[float]],
        n_actions: Sequence[int],
        players: Sequence[str] | None = None,
        actions: Sequence[Sequence[str]] | None = None,
    ) -> NormalFormGame:
        """Build a game from a payoff function over pure profiles.

        Parameters
        ----------
        f : callable
            ``f(profile)`` takes a tuple of action indices and returns the ``n`` payoffs.
        n_actions : sequence of int
            Number of actions of each player.
        players, actions : optional
            Labels, as in :class:`NormalFormGame`.

        Examples
        --------
        A 3-player public-goods game: contributing (action 1) costs 1, and each
        contribution gives every player 0.5:

        >>> g = NormalFormGame.from_function(
        ...     lambda s: [0.5 * sum(s) - s[i] for i in range(3)], [2, 2, 2])
        >>> g.pure_equilibria()
        [(0, 0, 0)]
        """
        sizes = tuple(int(a) for a in n_actions)
        if not sizes or any(a < 1 for a in sizes):
            raise ValueError(f"n_actions must list at least one action per player, got {sizes}")
        n = len(sizes)
        out = np.empty((n, *sizes))
        for prof in itertools.product(*(range(a) for a in sizes)):
            vals = np.asarray(f(prof), dtype=float).reshape(-1)
            if vals.shape != (n,):
                raise ValueError(
                    f"f{prof} returned {vals.size} payoffs, expected {n} (one per player)"
                )
            out[(slice(None), *prof)] = vals
        return cls(out, players, actions)

    @classmethod
    def from_bimatrix(
        cls,
        A: object,
        B: object,
        players: Sequence[str] | None = None,
        actions: Sequence[Sequence[str]] | None = None,
    ) -> NormalFormGame:
        """Two-player game from the row player's matrix ``A`` and the column player's ``B``.

        Parameters
        ----------
        A, B : array_like, shape (m, n)
            Payoffs of the row and the column player: ``A[i, j]`` and ``B[i, j]`` when
            the row player plays ``i`` and the column player ``j``.
        players, actions : optional
            Labels, as in :class:`NormalFormGame`.

        Raises
        ------
        ValueError
            If ``A`` and ``B`` are not matrices of the same shape, or as in
            :class:`NormalFormGame`.

        Examples
        --------
        >>> NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]).shape
        (2, 2)
        """
        a, b = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
        if a.ndim != 2 or a.shape != b.shape:
            raise ValueError(
                f"A and B must be matrices of the same shape, got {a.shape} and {b.shape}"
            )
        return cls(np.stack([a, b]), players, actions)

    @classmethod
    def from_nashpy(
        cls,
        game: Any,
        players: Sequence[str] | None = None,
        actions: Sequence[Sequence[str]] | None = None,
    ) -> NormalFormGame:
        """Convert a :class:`nashpy.Game` (its ``payoff_matrices``).

        Parameters
        ----------
        game : nashpy.Game
            A zero-sum nashpy game (built from one matrix) gets ``B = -A``.
        players, actions : optional
            Labels, as in :class:`NormalFormGame`.

        Raises
        ------
        ValueError
            If ``game`` has no pair of ``payoff_matrices``.

        Examples
        --------
        >>> import nashpy
        >>> NormalFormGame.from_nashpy(nashpy.Game([[1, 2], [3, 4]])).payoffs[1].tolist()
        [[-1.0, -2.0], [-3.0, -4.0]]
        """
        try:
            A, B = game.payoff_matrices
        except (AttributeError, TypeError, ValueError):
            raise ValueError("expected a nashpy.Game (with two payoff_matrices)") from None
        return cls.from_bimatrix(A, B, players, actions)

    def to_nashpy(self) -> Any:
        """Convert the game to a :class:`nashpy.Game` (2 players only).

        Raises
        ------
        ValueError
            For games with other than 2 players.

        Examples
        --------
        >>> g = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> g.to_nashpy().payoff_matrices[0].tolist()
        [[3.0, 0.0], [5.0, 1.0]]
        """
        import nashpy

        A, B = self._bimatrix("to_nashpy")
        return nashpy.Game(A.copy(), B.copy())

    def to_nfg(self, title: str = "", comment: str = "", *, outcomes: bool = False) -> str:
        """Write the game in Gambit's ``.nfg`` format (see :func:`negsim.games.nfg.to_nfg`).

        Parameters
        ----------
        title, comment : str, default ""
        outcomes : bool, default False
            Write the outcome format instead of the payoff format.

        Examples
        --------
        >>> g = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> print(g.to_nfg("Matching pennies", outcomes=True))
        NFG 1 R "Matching pennies" { "P1" "P2" } { { "1" "2" } { "1" "2" } }
        ""
        <BLANKLINE>
        {
        { "" 1, -1 }
        { "" -1, 1 }
        { "" -1, 1 }
        { "" 1, -1 }
        }
        1 2 3 4
        <BLANKLINE>
        """
        from negsim.games.nfg import to_nfg

        return to_nfg(self, title=title, comment=comment, outcomes=outcomes)

    # --- basic properties ---------------------------------------------------------------
    @property
    def payoffs(self) -> np.ndarray:
        """Read-only payoff tensor, shape ``(n_players, a_1, ..., a_n)``.

        Examples
        --------
        >>> g = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> g.payoffs[:, 1, 0].tolist()  # both players' payoffs at the profile (1, 0)
        [5.0, 0.0]
        """
        return self._payoffs

    @property
    def n_players(self) -> int:
        """Number of players.

        Examples
        --------
        >>> NormalFormGame(np.zeros((3, 2, 2, 4))).n_players
        3
        """
        return self._payoffs.shape[0]

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of actions of each player.

        Examples
        --------
        >>> NormalFormGame(np.zeros((3, 2, 2, 4))).shape
        (2, 2, 4)
        """
        return tuple(self._payoffs.shape[1:])

    @property
    def players(self) -> tuple[str, ...]:
        """Player labels.

        Examples
        --------
        >>> NormalFormGame(np.zeros((2, 1, 1)), players=["GNA", "LNA"]).players
        ('GNA', 'LNA')
        """
        return self._players

    @property
    def actions(self) -> tuple[tuple[str, ...], ...]:
        """Action labels, one tuple per player.

        Examples
        --------
        >>> NormalFormGame(np.zeros((2, 2, 3))).actions
        (('1', '2'), ('1', '2', '3'))
        """
        return self._actions

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(players={self._players!r}, actions={self._actions!r}, "
            f"shape={self.shape!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NormalFormGame):
            return NotImplemented
        return (
            self._players == other._players
            and self._actions == other._actions
            and self._payoffs.shape == other._payoffs.shape
            and bool(np.array_equal(self._payoffs, other._payoffs))
        )

    def __hash__(self) -> int:
        return hash((self._players, self._actions, self._payoffs.tobytes()))

    def restrict(self, kept_actions: Sequence[Sequence[int]]) -> NormalFormGame:
        """Restrict each player ``i`` to the actions ``kept_actions[i]`` (a subgame).

        Parameters
        ----------
        kept_actions : sequence of sequence of int
            For each player, the distinct action indices to keep, in the order wanted.

        Returns
        -------
        NormalFormGame
            With the same player labels and the kept actions' labels.

        Raises
        ------
        ValueError
            If a list is empty, repeats an index or has one out of range.

        Examples
        --------
        >>> g = NormalFormGame(np.arange(12).reshape(2, 3, 2))
        >>> g.restrict([[0, 2], [1]]).payoffs.tolist()
        [[[1.0], [5.0]], [[7.0], [11.0]]]
        """
        if len(kept_actions) != self.n_players:
            raise ValueError(f"kept_actions needs one list per player ({self.n_players})")
        idx = []
        for i, keep in enumerate(kept_actions):
            k = [int(a) for a in keep]
            if not k or any(not 0 <= a < self.shape[i] for a in k) or len(set(k)) != len(k):
                raise ValueError(
                    f"kept actions of player {i} ({self._players[i]}) must be distinct "
                    f"indices in [0, {self.shape[i]}), at least one, got {list(keep)}"
                )
            idx.append(k)
        sub = self._payoffs[np.ix_(range(self.n_players), *idx)]
        acts = [[self._actions[i][a] for a in idx[i]] for i in range(self.n_players)]
        return NormalFormGame(sub, self._players, acts)

    # --- profiles -----------------------------------------------------------------------
    def _pure(self, profile: Sequence[int], what: str = "profile") -> tuple[int, ...]:
        prof = tuple(profile)
        if len(prof) != self.n_players:
            raise ValueError(f"{what} must give one action per player ({self.n_players}), "
                             f"got {len(prof)}")
        for i, a in enumerate(prof):
            if not _is_index(a) or not 0 <= a < self.shape[i]:
                raise ValueError(
                    f"{what}: action of player {i} ({self._players[i]}) must be an index in "
                    f"[0, {self.shape[i]}), got {a!r}"
                )
        return tuple(int(a) for a in prof)

    def _is_pure_profile(self, profile: object) -> bool:
        try:
            items = list(profile)  # type: ignore[call-overload]
        except TypeError:
            raise ValueError(f"a profile must be a sequence, got {profile!r}") from None
        return all(_is_index(a) for a in items)

    def _mixed(self, profile: Sequence[object], what: str = "profile") -> list[np.ndarray]:
        """Validate a mixed profile (pure actions are accepted as degenerate mixtures)."""
        items = list(profile)
        if len(items) != self.n_players:
            raise ValueError(f"{what} must give one strategy per player ({self.n_players}), "
                             f"got {len(items)}")
        out = []
        for i, s in enumerate(items):
            name = f"{what}: player {i} ({self._players[i]})"
            if _is_index(s):
                if not 0 <= s < self.shape[i]:  # type: ignore[operator]
                    raise ValueError(f"{name}: action index {s} not in [0, {self.shape[i]})")
                v = np.zeros(self.shape[i])
                v[int(s)] = 1.0  # type: ignore[call-overload]
                out.append(v)
                continue
            try:
                v = np.asarray(s, dtype=float)
            except (TypeError, ValueError):
                raise ValueError(f"{name}: not a probability vector: {s!r}") from None
            if v.ndim != 1 or v.shape[0] != self.shape[i]:
                raise ValueError(
                    f"{name}: expected {self.shape[i]} probabilities, got shape {v.shape}"
                )
            if not np.all(np.isfinite(v)):
                raise ValueError(f"{name}: probabilities must be finite, got {v.tolist()}")
            if np.any(v < 0):
                raise ValueError(f"{name}: negative probability {float(v.min())!r}")
            total = float(v.sum())
            if abs(total - 1.0) > 1e-9:
                raise ValueError(f"{name}: probabilities sum to {total!r}, not 1")
            out.append(v)
        return out

    def _action_values(self, sigma: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Each player's expected payoff of each own action against the others' mixtures."""
        n = self.n_players
        out = []
        for i in range(n):
            t = self._payoffs[i]
            for j in range(n - 1, -1, -1):
                if j != i:
                    t = np.tensordot(t, sigma[j], axes=([j], [0]))
            out.append(np.asarray(t, dtype=float))
        return out

    def expected_payoffs(self, profile: Sequence[object]) -> np.ndarray:
        """Compute every player's expected payoff at a mixed (or pure) profile.

        Parameters
        ----------
        profile : sequence
            One entry per player: a probability vector over its actions, or an action
            index.

        Returns
        -------
        ndarray, shape (n_players,)

        Raises
        ------
        ValueError
            If an entry is not a probability vector of the right length (negative entries,
            sum not 1 within 1e-9); the message names the player.

        Examples
        --------
        >>> mp = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> mp.expected_payoffs([[0.5, 0.5], [0.9, 0.1]]).tolist()
        [0.0, 0.0]
        >>> mp.expected_payoffs([[1, 0], [0.9, 0.1]]).tolist()
        [0.8, -0.8]
        """
        sigma = self._mixed(profile)
        vals = self._action_values(sigma)
        return np.array([float(vals[i] @ sigma[i]) for i in range(self.n_players)])

    def regret(self, profile: Sequence[object]) -> np.ndarray:
        """Each player's largest gain from a unilateral deviation at ``profile``.

        Parameters
        ----------
        profile : sequence
            A pure profile (action indices) or a mixed profile (one probability vector per
            player; action indices may be mixed in).

        Returns
        -------
        ndarray, shape (n_players,)
            Non-negative regrets, in payoff units.

        Examples
        --------
        >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> pd.regret((0, 1)).tolist()
        [1.0, 0.0]
        >>> pd.regret([[0.5, 0.5], [1, 0]]).tolist()
        [1.0, 1.5]
        """
        if self._is_pure_profile(profile):
            prof = self._pure(profile)  # type: ignore[arg-type]
            out = np.empty(self.n_players)
            for i in range(self.n_players):
                idx: list[Any] = list(prof)
                idx[i] = slice(None)
                line = self._payoffs[(i, *idx)]
                out[i] = line.max() - line[prof[i]]
            return out
        sigma = self._mixed(profile)
        vals = self._action_values(sigma)
        return np.array(
            [max(float(vals[i].max() - vals[i] @ sigma[i]), 0.0) for i in range(self.n_players)]
        )

    def is_equilibrium(self, profile: Sequence[object], tol: float = 1e-9) -> bool:
        """Whether no player gains more than ``tol`` by deviating unilaterally.

        Parameters
        ----------
        profile : sequence
            A pure or mixed profile, as in :meth:`regret`.
        tol : float, default 1e-9
            Largest regret accepted, relative to the game's payoff range (absolute when
            the range is below 1).

        Examples
        --------
        >>> mp = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> mp.is_equilibrium([[0.5, 0.5], [0.5, 0.5]]), mp.is_equilibrium((0, 0))
        (True, False)
        """
        tol = _check_tol(tol)
        scale = max(1.0, float(np.ptp(self._payoffs)))
        return bool(np.all(self.regret(profile) <= tol * scale))

    # --- pure equilibria ----------------------------------------------------------------
    def pure_equilibrium_mask(self, tol: float = 1e-12, *, strict: bool = False) -> np.ndarray:
        """Boolean tensor of shape :attr:`shape` marking the pure equilibria.

        See :func:`pure_equilibrium_mask` (the batched function) for the parameters.

        Examples
        --------
        >>> sh = NormalFormGame.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]])
        >>> sh.pure_equilibrium_mask()
        array([[ True, False],
               [False,  True]])
        """
        return pure_equilibrium_mask(
            self._payoffs, _check_tol(tol), strict=strict, n_players=self.n_players
        )

    def pure_equilibria(self, strict: bool = False, tol: float = 1e-12) -> list[tuple[int, ...]]:
        """All pure Nash equilibria, sorted lexicographically.

        Parameters
        ----------
        strict : bool, default False
            Only strict equilibria (each player's action is its unique best response).
        tol : float, default 1e-12
            Tie tolerance (see the module docstring).

        Returns
        -------
        list of tuple of int
            The equilibrium profiles (action indices), sorted.

        Examples
        --------
        Battle of the sexes has two pure equilibria, both strict:

        >>> bos = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
        >>> bos.pure_equilibria(), bos.pure_equilibria(strict=True)
        ([(0, 0), (1, 1)], [(0, 0), (1, 1)])

        With a tie only the weak equilibrium remains:

        >>> g = NormalFormGame.from_bimatrix([[1, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> g.pure_equilibria(), g.pure_equilibria(strict=True)
        ([(0, 0), (0, 1)], [])
        """
        mask = self.pure_equilibrium_mask(tol, strict=strict)
        return [tuple(int(a) for a in row) for row in np.argwhere(mask)]

    def is_pure_equilibrium(self, profile: Sequence[int], tol: float = 1e-12) -> bool:
        """Whether the pure profile is a Nash equilibrium (ties within ``tol``).

        Parameters
        ----------
        profile : sequence of int
            One action index per player.
        tol : float, default 1e-12
            Tie tolerance (see the module docstring).

        Examples
        --------
        >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> pd.is_pure_equilibrium((1, 1)), pd.is_pure_equilibrium((0, 0))
        (True, False)
        """
        prof = self._pure(profile)
        tol = _check_tol(tol)
        for i in range(self.n_players):
            idx: list[Any] = list(prof)
            idx[i] = slice(None)
            line = self._payoffs[(i, *idx)]
            best = line.max()
            if best - line[prof[i]] > _ties(best, tol):
                return False
        return True

    def best_responses(
        self, player: int, profile: Sequence[object], tol: float = 1e-12
    ) -> tuple[int, ...]:
        """List the actions of ``player`` that are best responses to the others' play.

        Parameters
        ----------
        player : int
            The player's index.
        profile : sequence
            A pure or mixed profile (as in :meth:`regret`); the entry of ``player`` itself
            is ignored (but must be valid).
        tol : float, default 1e-12
            Tie tolerance (see the module docstring).

        Returns
        -------
        tuple of int
            The best-response actions, in increasing order.

        Examples
        --------
        >>> bos = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
        >>> bos.best_responses(0, (0, 1)), bos.best_responses(0, [[1, 0], [0.6, 0.4]])
        ((1,), (0,))
        """
        if not _is_index(player) or not 0 <= player < self.n_players:
            raise ValueError(f"player must be an index in [0, {self.n_players}), got {player!r}")
        tol = _check_tol(tol)
        sigma = self._mixed(profile)
        vals = self._action_values(sigma)[player]
        best = vals.max()
        return tuple(int(a) for a in np.flatnonzero(best - vals <= _ties(best, tol)))

    # --- dominance ----------------------------------------------------------------------
    def iterated_elimination(
        self, strict: bool = True, *, mixed: bool = False, tol: float = 1e-12
    ) -> tuple[NormalFormGame, tuple[tuple[int, ...], ...]]:
        """Remove dominated pure strategies, iteratively.

        In each round every player's dominated strategies (given the strategies still
        present) are found and all are removed at once; rounds repeat until nothing is
        dominated.

        Parameters
        ----------
        strict : bool, default True
            Remove strictly dominated strategies (another strategy is better against every
            remaining profile of the others). The result does not depend on the order of
            removal, and the pure (indeed all) Nash equilibria of the reduced game are
            exactly those of the original game. With ``strict=False`` weakly dominated
            strategies are removed (never worse, somewhere better); that can remove
            equilibria and depends on the order of removal (here: all at once per round).
        mixed : bool, default False
            Also remove strategies strictly dominated by a *mixture* of the player's other
            strategies (one linear programme per remaining strategy, with scipy's
            ``linprog``). Only with ``strict=True``. By default dominance is by pure
            strategies only, which removes fewer strategies.
        tol : float, default 1e-12
            A payoff must exceed another by more than ``tol * (1 + |payoff|)`` to count as
            better.

        Returns
        -------
        reduced : NormalFormGame
            The game restricted to the surviving strategies (labels kept).
        kept_actions : tuple of tuple of int
            For each player, the original indices of its surviving actions.

        Examples
        --------
        In the prisoner's dilemma cooperation is strictly dominated:

        >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> reduced, kept = pd.iterated_elimination()
        >>> kept, reduced.shape
        (((1,), (1,)), (1, 1))

        A strategy dominated only by a mixture (row 2 against rows 0 and 1):

        >>> A = [[3, 0], [0, 3], [1, 1]]
        >>> g = NormalFormGame.from_bimatrix(A, [[0, 0]] * 3)
        >>> g.iterated_elimination()[1], g.iterated_elimination(mixed=True)[1]
        (((0, 1, 2), (0, 1)), ((0, 1), (0, 1)))
        """
        if mixed and not strict:
            raise ValueError("mixed=True is only available for strict dominance")
        tol = _check_tol(tol)
        n = self.n_players
        kept = [list(range(a)) for a in self.shape]
        while True:
            sub = self._payoffs[np.ix_(range(n), *kept)]
            removed = False
            new = []
            for i in range(n):
                U = np.moveaxis(sub[i], i, 0).reshape(len(kept[i]), -1)
                dom = _dominated(U, strict, tol)
                if mixed and len(kept[i]) > 2:
                    for j in np.flatnonzero(~dom):
                        if _mixed_dominated(U, int(j), dom, tol):
                            dom[j] = True
                if dom.any():
                    removed = True
                new.append([a for a, d in zip(kept[i], dom, strict=True) if not d])
            kept = new
            if not removed:
                break
        return self.restrict(kept), tuple(tuple(k) for k in kept)

    # --- Pareto -------------------------------------------------------------------------
    def _profile_values(self, profiles: Sequence[Sequence[int]]) -> np.ndarray:
        profs = [self._pure(p, "equilibrium") for p in profiles]
        if not profs:
            return np.empty((0, self.n_players))
        idx = tuple(np.array(col) for col in zip(*profs, strict=True))
        return self._payoffs[(slice(None), *idx)].T

    def pareto_dominated(
        self, equilibria: Sequence[Sequence[int]] | None = None, tol: float = 1e-12
    ) -> list[tuple[int, ...]]:
        """Return the profiles in ``equilibria`` that another listed one Pareto-dominates.

        ``b`` Pareto-dominates ``a`` when every player gets at least as much at ``b`` and
        some player strictly more (ties within ``tol``, see the module docstring).

        Parameters
        ----------
        equilibria : sequence of pure profiles, optional
            Any pure profiles; default :meth:`pure_equilibria`.
        tol : float, default 1e-12

        Returns
        -------
        list of tuple of int
            In the order of ``equilibria``.

        Examples
        --------
        In the stag hunt, hunting hare together is Pareto-dominated:

        >>> sh = NormalFormGame.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]])
        >>> sh.pure_equilibria(), sh.pareto_dominated()
        ([(0, 0), (1, 1)], [(1, 1)])
        """
        eqs = self.pure_equilibria() if equilibria is None else [tuple(e) for e in equilibria]
        D = _pareto_matrix(self._profile_values(eqs), _check_tol(tol))
        return [tuple(int(a) for a in e) for e, d in zip(eqs, D.any(axis=0), strict=True) if d]

    def pareto_dominant(
        self, equilibria: Sequence[Sequence[int]] | None = None, tol: float = 1e-12
    ) -> list[tuple[int, ...]]:
        """Return the profiles in ``equilibria`` that no other listed one Pareto-dominates.

        These are the Pareto-efficient equilibria (the complement of
        :meth:`pareto_dominated`); see :meth:`payoff_dominant` for a single equilibrium
        that is at least as good as every other for everyone.

        Examples
        --------
        >>> sh = NormalFormGame.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]])
        >>> sh.pareto_dominant()
        [(0, 0)]
        >>> bos = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
        >>> bos.pareto_dominant()
        [(0, 0), (1, 1)]
        """
        eqs = self.pure_equilibria() if equilibria is None else [tuple(e) for e in equilibria]
        D = _pareto_matrix(self._profile_values(eqs), _check_tol(tol))
        return [tuple(int(a) for a in e) for e, d in zip(eqs, D.any(axis=0), strict=True) if not d]

    def payoff_dominant(
        self, equilibria: Sequence[Sequence[int]] | None = None, tol: float = 1e-12
    ) -> tuple[int, ...] | None:
        """Return the payoff-dominant equilibrium (Harsanyi and Selten 1988), if any.

        That is the listed profile whose payoffs are at least those of every other listed
        profile for every player (so it Pareto-dominates every listed profile with
        different payoffs). Returns ``None`` when no profile qualifies; when several listed
        profiles qualify (they then have the same payoffs), the first of them is returned.

        Parameters
        ----------
        equilibria : sequence of pure profiles, optional
            Default: :meth:`pure_equilibria`.
        tol : float, default 1e-12
            Tie tolerance (see the module docstring).

        Examples
        --------
        >>> sh = NormalFormGame.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]])
        >>> sh.payoff_dominant()
        (0, 0)
        >>> NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]]).payoff_dominant()
        """
        eqs = self.pure_equilibria() if equilibria is None else [tuple(e) for e in equilibria]
        if not eqs:
            return None
        tol = _check_tol(tol)
        V = self._profile_values(eqs)
        diff = V[:, None, :] - V[None, :, :]
        weakly = (diff >= -_ties(V[None, :, :], tol)).all(axis=2)  # a >= b for all players
        for a in range(len(eqs)):
            if weakly[a].all():
                return tuple(int(x) for x in eqs[a])
        return None

    # --- coalitions ---------------------------------------------------------------------
    def _deviation_mask(self, prof: tuple[int, ...], tol: float) -> tuple[np.ndarray, np.ndarray]:
        """Profiles where every player who moved gains; and the gains tensor."""
        n = self.n_players
        here = self._payoffs[(slice(None), *prof)]  # (n,)
        gains = self._payoffs - here.reshape((n,) + (1,) * n)
        ok = np.ones(self.shape, dtype=bool)
        for i in range(n):
            moved = (np.arange(self.shape[i]) != prof[i]).reshape(
                [-1 if k == i else 1 for k in range(n)]
            )
            ok &= ~moved | (gains[i] > _ties(here[i], tol))
        ok[prof] = False
        return ok, gains

    def coalition_deviations(
        self, profile: Sequence[int], tol: float = 1e-12
    ) -> list[CoalitionDeviation]:
        """All joint deviations from a pure profile that every deviating player gains from.

        A deviation moves a non-empty set of players (the *coalition*) to other actions;
        it is profitable when each player who changes action gains strictly (more than
        ``tol * (1 + |payoff|)``). A profitable deviation in which some member would not
        need to move is listed under the smaller coalition of the players who do move.
        The profile is a Nash equilibrium exactly when no single-player coalition is
        listed, and a strong Nash equilibrium when the list is empty.

        All profiles are tested at once (each profile differs from ``profile`` in exactly
        one set of players), so the cost is one pass over the payoff tensor.

        Parameters
        ----------
        profile : sequence of int
            A pure profile.
        tol : float, default 1e-12
            A gain must exceed ``tol * (1 + |payoff|)`` to count.

        Returns
        -------
        list of CoalitionDeviation
            Sorted by coalition size, then coalition, then deviation profile.

        Examples
        --------
        In the prisoner's dilemma both players gain by jointly cooperating:

        >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> pd.coalition_deviations((1, 1))
        [CoalitionDeviation(coalition=(0, 1), profile=(0, 0), gains=(2.0, 2.0))]
        """
        prof = self._pure(profile)
        ok, gains = self._deviation_mask(prof, _check_tol(tol))
        out = []
        for row in np.argwhere(ok):
            dev = tuple(int(a) for a in row)
            members = tuple(i for i in range(self.n_players) if dev[i] != prof[i])
            out.append(
                CoalitionDeviation(
                    coalition=members,
                    profile=dev,
                    gains=tuple(float(gains[(i, *dev)]) for i in members),
                )
            )
        out.sort(key=lambda d: (len(d.coalition), d.coalition, d.profile))
        return out

    def is_strong_nash(self, profile: Sequence[int], tol: float = 1e-12) -> bool:
        """Whether no coalition (including single players and all players) gains by deviating.

        A strong Nash equilibrium (Aumann 1959) is also a Nash equilibrium (coalitions of
        one) and Pareto-efficient among all profiles (the coalition of everybody).

        Parameters
        ----------
        profile : sequence of int
            A pure profile.
        tol : float, default 1e-12
            Gains of at most ``tol * (1 + |payoff|)`` do not count (see
            :meth:`coalition_deviations`).

        Examples
        --------
        >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> pd.is_pure_equilibrium((1, 1)), pd.is_strong_nash((1, 1))
        (True, False)
        """
        prof = self._pure(profile)
        ok, _ = self._deviation_mask(prof, _check_tol(tol))
        return not bool(ok.any())

    # --- mixed equilibria ---------------------------------------------------------------
    def _bimatrix(self, what: str) -> tuple[np.ndarray, np.ndarray]:
        if self.n_players != 2:
            raise ValueError(
                f"{what} needs a 2-player game, this one has {self.n_players} players; for "
                "n-player games use pure_equilibria() for pure equilibria or qre() / "
                "negsim.games.qre.limiting_nash() for a (logit-selected) mixed equilibrium"
            )
        return self._payoffs[0], self._payoffs[1]

    def equilibria(
        self, method: str = "enumeration", *, tol: float = 1e-9, **kwargs: Any
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """All Nash equilibria of a 2-player game as ``(p, q)`` probability vectors.

        Parameters
        ----------
        method : {"enumeration", "support", "vertex", "lemke_howson"}
            ``"enumeration"`` (default): negsim's vectorised vertex enumeration
            (:func:`negsim.games.mixed.enumerate_equilibria`), which returns all extreme
            equilibria, also of degenerate games. The others call nashpy for comparison:
            ``"support"`` (support enumeration, ``non_degenerate=False`` unless given),
            ``"vertex"`` (vertex enumeration; nondegenerate games only) and
            ``"lemke_howson"`` (Lemke-Howson from every initial label, duplicates removed;
            this finds *some* equilibria, not necessarily all; nashpy's pivots, each path
            cut at ``max_pivots=10000`` because nashpy's own loop cycles for ever on some
            degenerate games, with a warning naming the labels skipped). nashpy may
            return spurious or NaN profiles: profiles that are not equilibria within
            ``tol`` are dropped with a warning. Where nashpy's vertex enumeration fails
            (on some degenerate games) a ``ValueError`` says so.
        tol : float, default 1e-9
            Tolerance passed to negsim's enumeration, and used to drop non-equilibria and
            duplicates from nashpy's output.
        **kwargs
            Passed on to the method.

        Returns
        -------
        list of (ndarray, ndarray)
            Sorted in decreasing lexicographic order of ``(p, q)``.

        Raises
        ------
        ValueError
            For games with other than 2 players, an unknown method, or when nashpy's
            vertex enumeration fails on the game.

        Examples
        --------
        >>> bos = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
        >>> [(p.round(2).tolist(), q.round(2).tolist()) for p, q in bos.equilibria()]
        [([1.0, 0.0], [1.0, 0.0]), ([0.6, 0.4], [0.4, 0.6]), ([0.0, 1.0], [0.0, 1.0])]
        >>> len(bos.equilibria("support"))
        3
        """
        A, B = self._bimatrix("equilibria()")
        if method == "enumeration":
            from negsim.games.mixed import enumerate_equilibria

            return enumerate_equilibria(A, B, tol=tol, **kwargs)
        if method not in _NASHPY_METHODS:
            raise ValueError(
                f"unknown method {method!r} for equilibria(); choose one of {_TWO_PLAYER_METHODS}"
            )
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
                stacklevel=2,
            )
        return self._clean_bimatrix(raw, tol, method)

    def _clean_bimatrix(
        self, raw: list[Any], tol: float, method: str
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        m, n = self.shape
        scale = max(1.0, float(np.ptp(self._payoffs)))
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
                valid = bool(np.all(self.regret([p, q]) <= max(tol, 1e-9) * scale))
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
                stacklevel=3,
            )
        good.sort(key=lambda e: tuple(-np.round(np.concatenate(e), 9)))
        return good

    def solve(self, method: str = "enumeration", **kwargs: Any) -> NashResult:
        """Compute equilibria and record how (method, parameters, library versions).

        Parameters
        ----------
        method : str
            ``"enumeration"``, ``"support"``, ``"vertex"``, ``"lemke_howson"`` (2-player
            games, see :meth:`equilibria`), ``"pure"`` (all pure equilibria, any number of
            players; keyword ``strict`` and ``tol``) or ``"logit"`` (the limit of the
            principal branch of the logit QRE, any number of players; keywords of
            :func:`negsim.games.qre.limiting_nash`).
        **kwargs
            The method's parameters.

        Returns
        -------
        NashResult
            The equilibria as probability vectors, with each one's largest regret, the
            parameters and the library versions.

        Raises
        ------
        ValueError
            For an unknown method, or a 2-player method on another game.

        Examples
        --------
        >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> res = pd.solve("pure")
        >>> res.method, [tuple(s.tolist()) for s in res.equilibria[0]], res.regrets
        ('pure', [(0.0, 1.0), (0.0, 1.0)], (0.0,))
        """
        versions = {"negsim": _version("negsim"), "numpy": np.__version__}
        if method in _TWO_PLAYER_METHODS:
            self._bimatrix(f"solve(method={method!r})")
            eqs = [tuple(e) for e in self.equilibria(method, **kwargs)]
            params = {"tol": 1e-9, **kwargs}
            if method == "support":
                params.setdefault("non_degenerate", False)
            if method in _NASHPY_METHODS:
                versions["nashpy"] = _version("nashpy")
        elif method == "pure":
            params = {"strict": False, "tol": 1e-12, **kwargs}
            eqs = []
            for prof in self.pure_equilibria(**kwargs):
                vecs = []
                for i, a in enumerate(prof):
                    v = np.zeros(self.shape[i])
                    v[a] = 1.0
                    vecs.append(v)
                eqs.append(tuple(vecs))
        elif method == "logit":
            from negsim.games.qre import limiting_nash

            res = limiting_nash(self, **kwargs)
            params = {"lam": res.lam, "converged": res.converged, **kwargs}
            eqs = [res.profile]
        else:
            raise ValueError(f"unknown method {method!r}; choose one of {_ALL_METHODS}")
        frozen = tuple(tuple(_readonly(v) for v in e) for e in eqs)
        regrets = tuple(float(self.regret(list(e)).max()) for e in frozen)
        return NashResult(
            game=self,
            method=method,
            equilibria=frozen,
            regrets=regrets,
            parameters=MappingProxyType(dict(params)),
            versions=MappingProxyType(versions),
        )

    def qre(self, lam: float, **kwargs: Any) -> tuple[np.ndarray, ...]:
        """Logit quantal response equilibrium at precision ``lam`` (principal branch).

        Parameters
        ----------
        lam : float
            Precision ``>= 0`` in the game's payoff units.
        **kwargs
            Step controls of :func:`negsim.games.qre.logit_qre`.

        Returns
        -------
        tuple of ndarray
            One probability vector per player.

        Examples
        --------
        >>> mp = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> [p.round(6).tolist() for p in mp.qre(2.0)]
        [[0.5, 0.5], [0.5, 0.5]]
        """
        from negsim.games.qre import logit_qre

        return logit_qre(self, lam, **kwargs)


# ---------------------------------------------------------------------------------------
# nashpy's Lemke-Howson with a pivot limit
# ---------------------------------------------------------------------------------------


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
    from itertools import cycle

    from nashpy.linalg import create_col_tableau, create_row_tableau

    if not (_is_index(max_pivots) and max_pivots >= 1):
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


# ---------------------------------------------------------------------------------------
# dominance helpers
# ---------------------------------------------------------------------------------------


def _dominated(U: np.ndarray, strict: bool, tol: float) -> np.ndarray:
    """Rows of ``U`` (strategies x opponent profiles) dominated by another row."""
    diff = U[:, None, :] - U[None, :, :]  # diff[k, j] = U[k] - U[j]
    t = _ties(U[None, :, :], tol)
    if strict:
        D = (diff > t).all(axis=2)
    else:
        D = (diff >= -t).all(axis=2) & (diff > t).any(axis=2)
    np.fill_diagonal(D, False)
    return D.any(axis=0)


def _mixed_dominated(U: np.ndarray, j: int, already: np.ndarray, tol: float) -> bool:
    """Whether row ``j`` is strictly dominated by a mixture of the other rows."""
    from scipy.optimize import linprog

    k, m = U.shape
    others = [r for r in range(k) if r != j]
    # variables: x (weights on the other rows), eps; maximise eps
    # subject to sum_r x_r U[r, c] - eps >= U[j, c] for every column c
    c = np.zeros(len(others) + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-U[others].T, np.ones((m, 1))])
    b_ub = -U[j]
    A_eq = np.zeros((1, len(others) + 1))
    A_eq[0, :-1] = 1.0
    span = float(np.ptp(U)) + 1.0
    res = linprog(
        c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0],
        bounds=[(0, 1)] * len(others) + [(-span, span)], method="highs",
    )
    if res.status != 0:  # pragma: no cover - the LP is always feasible and bounded
        return False
    return bool(-res.fun > tol * (1.0 + float(np.abs(U[j]).max())) + 1e-9 * span)
