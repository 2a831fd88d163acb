r"""A finite game's strategic form: players, actions, payoffs, and what profiles are worth.

:class:`StrategicForm` holds a payoff tensor of shape ``(n_players, a_1, ..., a_n)``:
``payoffs[i, s_1, ..., s_n]`` is player ``i``'s payoff when player ``j`` plays its action
``s_j`` (action indices start at 0). Players and actions carry labels. It builds games
(from arrays, payoff functions, bimatrices, nashpy games), converts them (nashpy, Gambit's
``.nfg`` text), restricts them to subgames, and evaluates strategy profiles: expected
payoffs, regrets, best responses, equilibrium checks.

:class:`~negsim.games.NormalFormGame` adds the solution concepts (equilibria, dominance,
Pareto comparisons, coalitions, quantal response); use it rather than this base class.

Tolerances
----------
Payoff ties are decided with a tolerance ``tol`` relative to the size of the payoffs
compared: ``x`` counts as at least ``y`` when ``x >= y - tol * (1 + |y|)``. With the
default ``tol=1e-12`` integer and rational payoffs are compared exactly and floating-point
noise of a few ulps is ignored.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any, Self

import numpy as np

from negsim.games.algorithms.payoffs import (
    action_values,
    expected_payoffs,
    mixed_regret,
    pure_regret,
)
from negsim.games.algorithms.pure import best_actions
from negsim.games.checks import (
    check_labels,
    check_mixed_profile,
    check_payoffs,
    check_pure_profile,
    check_tol,
    is_index,
    is_pure_profile,
)
from negsim.games.nfg_format import format_nfg

__all__ = ["StrategicForm"]


class StrategicForm:
    r"""A finite game in strategic (normal) form with ``n`` players, without solvers.

    The object is immutable: the payoff array is a read-only copy and attributes cannot be
    set. Two games are equal when their payoffs and labels are equal.
    :class:`~negsim.games.NormalFormGame` extends it with the solution concepts.

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

    >>> pd = StrategicForm([[[3, 0], [5, 1]], [[3, 5], [0, 1]]],
    ...                    actions=[["C", "D"], ["C", "D"]])
    >>> pd
    StrategicForm(players=('P1', 'P2'), actions=(('C', 'D'), ('C', 'D')), shape=(2, 2))
    >>> pd.regret((0, 0)).tolist(), pd.best_responses(0, (0, 0))
    ([2.0, 2.0], (1,))
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
        arr = check_payoffs(payoffs)
        n = arr.shape[0]
        shape = arr.shape[1:]
        pl = check_labels(players, n, lambda k: f"P{k + 1}", "players")
        if actions is None:
            acts = tuple(tuple(str(k + 1) for k in range(a)) for a in shape)
        else:
            if isinstance(actions, str) or len(actions) != n:
                raise ValueError(f"actions: expected one label sequence for each of {n} players")
            acts = tuple(
                check_labels(actions[i], shape[i], str, f"actions of player {i} ({pl[i]})")
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
    ) -> Self:
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

        >>> from negsim.games import NormalFormGame
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
    ) -> Self:
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
        >>> from negsim.games import NormalFormGame
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
    ) -> Self:
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
        >>> from negsim.games import NormalFormGame
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
        >>> from negsim.games import NormalFormGame
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
        >>> from negsim.games import NormalFormGame
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
        return format_nfg(self._payoffs, self._players, self._actions, title, comment,
                          outcomes=outcomes)

    # --- basic properties ---------------------------------------------------------------
    @property
    def payoffs(self) -> np.ndarray:
        """Read-only payoff tensor, shape ``(n_players, a_1, ..., a_n)``.

        Examples
        --------
        >>> from negsim.games import NormalFormGame
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
        >>> from negsim.games import NormalFormGame
        >>> NormalFormGame(np.zeros((3, 2, 2, 4))).n_players
        3
        """
        return self._payoffs.shape[0]

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of actions of each player.

        Examples
        --------
        >>> from negsim.games import NormalFormGame
        >>> NormalFormGame(np.zeros((3, 2, 2, 4))).shape
        (2, 2, 4)
        """
        return tuple(self._payoffs.shape[1:])

    @property
    def players(self) -> tuple[str, ...]:
        """Player labels.

        Examples
        --------
        >>> from negsim.games import NormalFormGame
        >>> NormalFormGame(np.zeros((2, 1, 1)), players=["GNA", "LNA"]).players
        ('GNA', 'LNA')
        """
        return self._players

    @property
    def actions(self) -> tuple[tuple[str, ...], ...]:
        """Action labels, one tuple per player.

        Examples
        --------
        >>> from negsim.games import NormalFormGame
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
        if not isinstance(other, StrategicForm):
            return NotImplemented
        return (
            self._players == other._players
            and self._actions == other._actions
            and self._payoffs.shape == other._payoffs.shape
            and bool(np.array_equal(self._payoffs, other._payoffs))
        )

    def __hash__(self) -> int:
        return hash((self._players, self._actions, self._payoffs.tobytes()))

    def restrict(self, kept_actions: Sequence[Sequence[int]]) -> Self:
        """Restrict each player ``i`` to the actions ``kept_actions[i]`` (a subgame).

        Parameters
        ----------
        kept_actions : sequence of sequence of int
            For each player, the distinct action indices to keep, in the order wanted.

        Returns
        -------
        NormalFormGame
            A game of the same class as this one, with the same player labels and the kept
            actions' labels.

        Raises
        ------
        ValueError
            If a list is empty, repeats an index or has one out of range.

        Examples
        --------
        >>> from negsim.games import NormalFormGame
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
        return type(self)(sub, self._players, acts)

    # --- profiles -----------------------------------------------------------------------
    def _pure(self, profile: Sequence[int], what: str = "profile") -> tuple[int, ...]:
        return check_pure_profile(profile, self.shape, self._players, what=what)

    def _mixed(self, profile: Sequence[object], what: str = "profile") -> list[np.ndarray]:
        """Validate a mixed profile (pure actions are accepted as degenerate mixtures)."""
        return check_mixed_profile(profile, self.shape, self._players, what)

    def _bimatrix(self, what: str) -> tuple[np.ndarray, np.ndarray]:
        if self.n_players != 2:
            raise ValueError(
                f"{what} needs a 2-player game, this one has {self.n_players} players; for "
                "n-player games use pure_equilibria() for pure equilibria or qre() / "
                "negsim.games.qre.limiting_nash() for a (logit-selected) mixed equilibrium"
            )
        return self._payoffs[0], self._payoffs[1]

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
        >>> from negsim.games import NormalFormGame
        >>> mp = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> mp.expected_payoffs([[0.5, 0.5], [0.9, 0.1]]).tolist()
        [0.0, 0.0]
        >>> mp.expected_payoffs([[1, 0], [0.9, 0.1]]).tolist()
        [0.8, -0.8]
        """
        return expected_payoffs(self._payoffs, self._mixed(profile))

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
        >>> from negsim.games import NormalFormGame
        >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> pd.regret((0, 1)).tolist()
        [1.0, 0.0]
        >>> pd.regret([[0.5, 0.5], [1, 0]]).tolist()
        [1.0, 1.5]
        """
        if is_pure_profile(profile):
            return pure_regret(self._payoffs, self._pure(profile))  # type: ignore[arg-type]
        return mixed_regret(self._payoffs, self._mixed(profile))

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
        >>> from negsim.games import NormalFormGame
        >>> mp = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> mp.is_equilibrium([[0.5, 0.5], [0.5, 0.5]]), mp.is_equilibrium((0, 0))
        (True, False)
        """
        tol = check_tol(tol)
        scale = max(1.0, float(np.ptp(self._payoffs)))
        return bool(np.all(self.regret(profile) <= tol * scale))

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
        >>> from negsim.games import NormalFormGame
        >>> bos = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
        >>> bos.best_responses(0, (0, 1)), bos.best_responses(0, [[1, 0], [0.6, 0.4]])
        ((1,), (0,))
        """
        if not is_index(player) or not 0 <= player < self.n_players:
            raise ValueError(f"player must be an index in [0, {self.n_players}), got {player!r}")
        tol = check_tol(tol)
        sigma = self._mixed(profile)
        return best_actions(action_values(self._payoffs, sigma)[player], tol)
