r"""Games with any number of players, stored as a flat payoff table: :class:`FlatGame`.

:class:`~negsim.games.NormalFormGame` holds a payoff tensor with one axis per player, and
numpy arrays have at most 64 axes, so it has at most 63 players. A :class:`FlatGame`
holds the same payoffs as a table of shape ``(n_profiles, n_players)``, one row per pure
profile in Gambit's order (player 1's action varying fastest), and reaches a player's
actions with strides, never with an array of more than three axes. It is what
``read_nfg(path, flat=True)`` returns, for games of any number of players.

It supports what needs only the table: payoffs of profiles, pure Nash equilibria (by
the same vectorised best-response test and tolerance as
:meth:`NormalFormGame.pure_equilibria <negsim.games.NormalFormGame.pure_equilibria>`),
writing ``.nfg`` text, and conversion to a :class:`~negsim.games.NormalFormGame` when it
has at most 63 players (for mixed equilibria, dominance and QRE).

Its size is the real limit: the payoffs of every profile are stored, ``n_profiles x
n_players`` floats. 70 players of whom 10 have two actions (the others one) are 1,024
profiles and fine; 70 players with two actions each are ``2**70`` profiles, which no
table can hold (the ``.nfg`` reader refuses such a header with the computed size).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from negsim.games.algorithms.pure import tie_tolerance
from negsim.games.checks import check_labels, check_tol
from negsim.games.nfg_format import MAX_TENSOR_PLAYERS
from negsim.games.nfg_write import format_nfg_flat
from negsim.games.normal_form import NormalFormGame

__all__ = ["FlatGame"]


class FlatGame:
    r"""A finite game in normal form as a flat payoff table, for any number of players.

    Immutable; two games are equal when their payoffs and labels are equal.

    Parameters
    ----------
    payoffs : array_like, shape (n_profiles, n_players)
        ``payoffs[k, i]`` is player ``i``'s payoff at the ``k``-th pure profile, with
        player 1's action varying fastest: profile ``(s_1, ..., s_n)`` is row
        ``s_1 + a_1 * (s_2 + a_2 * (s_3 + ...))``.
    shape : sequence of int
        The number of actions of each player (``a_1, ..., a_n``, each at least 1).
    players : sequence of str, optional
        Unique player labels (default ``"P1"``, ``"P2"``, ...).
    actions : sequence of sequence of str, optional
        Unique action labels of each player (default ``"1"``, ``"2"``, ...).

    Raises
    ------
    ValueError
        If the table does not have ``prod(shape)`` rows and one column per player, holds
        non-finite values, or the labels do not fit.

    Examples
    --------
    A coordination game of 80 players: 78 of them have one action, two choose left or
    right and want to match.

    >>> shape = [1] * 78 + [2, 2]
    >>> both = np.array([1.0, 0.0, 0.0, 1.0])  # profiles (L,L), (R,L), (L,R), (R,R)
    >>> g = FlatGame(np.tile(both[:, None], (1, 80)), shape)
    >>> g.n_players, g.n_profiles, g.pure_equilibria()[0][-2:]
    (80, 4, (0, 0))
    >>> len(g.pure_equilibria()), g.payoff([0] * 78 + [1, 1])[:2].tolist()
    (2, [1.0, 1.0])
    """

    __slots__ = ("_actions", "_payoffs", "_players", "_shape")

    def __init__(
        self,
        payoffs: object,
        shape: Sequence[int],
        players: Sequence[str] | None = None,
        actions: Sequence[Sequence[str]] | None = None,
    ) -> None:
        dims = tuple(int(a) for a in shape)
        if not dims or any(a < 1 for a in dims):
            raise ValueError(f"shape must list at least one player's actions, each >= 1, "
                             f"got {tuple(shape)}")
        n, n_prof = len(dims), math.prod(dims)
        arr = np.array(payoffs, dtype=float)
        if arr.shape != (n_prof, n):
            raise ValueError(f"payoffs of shape {arr.shape} do not fit {n} players with "
                             f"actions {dims}: expected ({n_prof}, {n})")
        if not np.isfinite(arr).all():
            raise ValueError("payoffs must be finite (no NaN or infinity)")
        arr.setflags(write=False)
        pl = check_labels(players, n, lambda k: f"P{k + 1}", "players")
        if actions is None:
            acts = tuple(tuple(str(k + 1) for k in range(a)) for a in dims)
        else:
            if isinstance(actions, str) or len(actions) != n:
                raise ValueError(f"actions: expected one label sequence for each of {n} players")
            acts = tuple(check_labels(actions[i], dims[i], str,
                                      f"actions of player {i} ({pl[i]})") for i in range(n))
        object.__setattr__(self, "_payoffs", arr)
        object.__setattr__(self, "_shape", dims)
        object.__setattr__(self, "_players", pl)
        object.__setattr__(self, "_actions", acts)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("FlatGame is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("FlatGame is immutable")

    @classmethod
    def from_normal_form(cls, game: NormalFormGame) -> FlatGame:
        """Return the same game as a flat table.

        Examples
        --------
        >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> FlatGame.from_normal_form(pd).payoffs.tolist()
        [[3.0, 3.0], [5.0, 0.0], [0.0, 5.0], [1.0, 1.0]]
        """
        u = game.payoffs
        flat = np.stack([u[i].reshape(-1, order="F") for i in range(game.n_players)], axis=1)
        return cls(flat, game.shape, game.players, game.actions)

    def to_normal_form(self) -> NormalFormGame:
        """Return the game as a :class:`~negsim.games.NormalFormGame` (at most 63 players).

        Raises
        ------
        ValueError
            If the game has more than 63 players (numpy arrays have at most 64 axes).

        Examples
        --------
        >>> g = FlatGame([[3, 3], [5, 0], [0, 5], [1, 1]], [2, 2])
        >>> g.to_normal_form().pure_equilibria()
        [(1, 1)]
        """
        n = self.n_players
        if n > MAX_TENSOR_PLAYERS:
            raise ValueError(
                f"a NormalFormGame holds at most {MAX_TENSOR_PLAYERS} players (numpy arrays "
                f"have at most {MAX_TENSOR_PLAYERS + 1} axes); this game has {n}"
            )
        u = np.stack([self._payoffs[:, i].reshape(self._shape, order="F") for i in range(n)])
        return NormalFormGame(u, self._players, self._actions)

    # --- properties ---------------------------------------------------------------------
    @property
    def payoffs(self) -> np.ndarray:
        """Read-only payoff table, shape ``(n_profiles, n_players)``.

        Examples
        --------
        >>> FlatGame([[1, 2], [3, 4]], [2, 1]).payoffs[1].tolist()
        [3.0, 4.0]
        """
        return self._payoffs

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of actions of each player.

        Examples
        --------
        >>> FlatGame([[1, 2], [3, 4]], [2, 1]).shape
        (2, 1)
        """
        return self._shape

    @property
    def n_players(self) -> int:
        """Number of players.

        Examples
        --------
        >>> FlatGame([[1, 2], [3, 4]], [2, 1]).n_players
        2
        """
        return len(self._shape)

    @property
    def n_profiles(self) -> int:
        """Number of pure profiles (rows of :attr:`payoffs`).

        Examples
        --------
        >>> FlatGame([[1, 2], [3, 4]], [2, 1]).n_profiles
        2
        """
        return self._payoffs.shape[0]

    @property
    def players(self) -> tuple[str, ...]:
        """Player labels.

        Examples
        --------
        >>> FlatGame([[1, 2]], [1, 1], players=["GNA", "LNA"]).players
        ('GNA', 'LNA')
        """
        return self._players

    @property
    def actions(self) -> tuple[tuple[str, ...], ...]:
        """Action labels, one tuple per player.

        Examples
        --------
        >>> FlatGame([[1, 2], [3, 4]], [2, 1]).actions
        (('1', '2'), ('1',))
        """
        return self._actions

    def __repr__(self) -> str:
        return (f"FlatGame(n_players={self.n_players}, n_profiles={self.n_profiles}, "
                f"players={self._players[:3]!r}{'...' if self.n_players > 3 else ''})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FlatGame):
            return NotImplemented
        return (self._shape == other._shape and self._players == other._players
                and self._actions == other._actions
                and bool(np.array_equal(self._payoffs, other._payoffs)))

    def __hash__(self) -> int:
        return hash((self._shape, self._players, self._actions, self._payoffs.tobytes()))

    # --- profiles -----------------------------------------------------------------------
    def index(self, profile: Sequence[int]) -> int:
        """Row of :attr:`payoffs` holding the pure profile (one action index per player).

        Raises
        ------
        ValueError
            If the profile does not give one valid action index per player.

        Examples
        --------
        >>> FlatGame(np.zeros((6, 2)), [2, 3]).index((1, 2))
        5
        """
        if len(profile) != self.n_players:
            raise ValueError(f"profile: expected {self.n_players} action indices, "
                             f"got {len(profile)}")
        row, stride = 0, 1
        for i, (s, a) in enumerate(zip(profile, self._shape, strict=True)):
            if isinstance(s, bool) or not isinstance(s, int | np.integer) or not 0 <= s < a:
                raise ValueError(f"profile: action {s!r} of player {i} ({self._players[i]}) "
                                 f"is not an index in 0..{a - 1}")
            row += int(s) * stride
            stride *= a
        return row

    def profile(self, index: int) -> tuple[int, ...]:
        """Return the pure profile at row ``index`` of :attr:`payoffs` (see :meth:`index`).

        Examples
        --------
        >>> FlatGame(np.zeros((6, 2)), [2, 3]).profile(5)
        (1, 2)
        """
        k, out = int(index), []
        for a in self._shape:
            k, s = divmod(k, a)
            out.append(s)
        return tuple(out)

    def payoff(self, profile: Sequence[int]) -> np.ndarray:
        """Every player's payoff at the pure profile.

        Examples
        --------
        >>> FlatGame([[3, 3], [5, 0], [0, 5], [1, 1]], [2, 2]).payoff((1, 0)).tolist()
        [5.0, 0.0]
        """
        return self._payoffs[self.index(profile)]

    # --- pure equilibria ----------------------------------------------------------------
    def pure_equilibrium_mask(self, tol: float = 1e-12, *, strict: bool = False) -> np.ndarray:
        """Boolean vector over the profiles (rows of :attr:`payoffs`): the pure equilibria.

        The test of :func:`negsim.games.algorithms.pure.pure_equilibrium_mask`: at an
        equilibrium every player's payoff is, within ``tol``, its best over its own actions
        (the only ones for ``strict``). Player ``i``'s actions are reached by viewing its
        column as an array of shape ``(rest, a_i, stride_i)``.

        Examples
        --------
        >>> FlatGame([[3, 3], [5, 0], [0, 5], [1, 1]], [2, 2]).pure_equilibrium_mask().tolist()
        [False, False, False, True]
        """
        tol = check_tol(tol)
        mask = np.ones(self.n_profiles, dtype=bool)
        stride = 1
        for i, a in enumerate(self._shape):
            if a > 1:
                u = self._payoffs[:, i].reshape(-1, a, stride)
                best = u.max(axis=1, keepdims=True)
                ok = u >= (best - tie_tolerance(best, tol) if tol > 0 else best)
                if strict:
                    ok &= ok.sum(axis=1, keepdims=True) == 1
                mask &= ok.reshape(-1)
            stride *= a
        return mask

    def pure_equilibria(self, strict: bool = False, tol: float = 1e-12) -> list[tuple[int, ...]]:
        """All pure Nash equilibria as action-index profiles, sorted lexicographically.

        The same profiles as :meth:`NormalFormGame.pure_equilibria
        <negsim.games.NormalFormGame.pure_equilibria>` of the same game.

        Parameters
        ----------
        strict : bool, default False
            Only strict equilibria (each player's action is its unique best response).
        tol : float, default 1e-12
            Tie tolerance, relative to the payoff size.

        Examples
        --------
        >>> g = FlatGame([[4, 4], [3, 0], [0, 3], [3, 3]], [2, 2])  # stag hunt
        >>> g.pure_equilibria(), g.pure_equilibria(strict=True)
        ([(0, 0), (1, 1)], [(0, 0), (1, 1)])
        """
        rows = np.flatnonzero(self.pure_equilibrium_mask(tol, strict=strict))
        return sorted(self.profile(int(k)) for k in rows)

    # --- writing ------------------------------------------------------------------------
    def to_nfg(self, title: str = "", comment: str = "", *, outcomes: bool = False) -> str:
        """Write the game in Gambit's ``.nfg`` format (see :func:`negsim.games.nfg.to_nfg`).

        Examples
        --------
        >>> print(FlatGame([[1, 2], [3, 4]], [2, 1]).to_nfg("t").splitlines()[3])
        1 2 3 4
        """
        return format_nfg_flat(self._payoffs, self._players, self._actions, title, comment,
                               outcomes=outcomes)
