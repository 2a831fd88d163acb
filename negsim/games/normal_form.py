r"""Finite n-player games in normal form, with their solution concepts: the games front.

:class:`NormalFormGame` is a :class:`~negsim.games.strategic_form.StrategicForm` (a payoff
tensor of shape ``(n_players, a_1, ..., a_n)`` with player and action labels, its
constructors, conversions and the payoffs and regrets of profiles) that also computes:

* **Pure Nash equilibria** of any n-player game by vectorised best responses
  (:func:`~negsim.games.algorithms.pure.pure_equilibrium_mask`, which also works on a batch
  of games). Strict equilibria keep only profiles where every player's action is its
  unique best response.
* **Iterated elimination of dominated strategies** (strictly, by pure or mixed strategies;
  weakly on request), **Pareto comparisons** among equilibria, **coalition deviations** and
  **strong Nash** equilibria (Aumann 1959).
* **All equilibria of 2-player games** (:meth:`NormalFormGame.equilibria`) by negsim's
  vertex enumeration or nashpy's algorithms, and a logit quantal response equilibrium for
  any number of players (:meth:`NormalFormGame.qre`, :mod:`negsim.games.qre`), with
  :meth:`NormalFormGame.solve` recording how (:class:`~negsim.games.results.NashResult`).

The computations are in :mod:`negsim.games.algorithms`, on arrays; this module validates
the input and returns labelled results.

Tolerances
----------
Payoff ties are decided with a tolerance ``tol`` relative to the size of the payoffs
compared: ``x`` counts as at least ``y`` when ``x >= y - tol * (1 + |y|)``. With the
default ``tol=1e-12`` integer and rational payoffs are compared exactly and floating-point
noise of a few ulps is ignored.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Sequence
from types import MappingProxyType
from typing import Any, Self

import numpy as np

from negsim.games.algorithms.dominance import (
    iterated_elimination,
    pareto_matrix,
    payoff_dominant_index,
)
from negsim.games.algorithms.mixed import enumerate_equilibria
from negsim.games.algorithms.nashpy_bridge import NASHPY_METHODS, nashpy_equilibria
from negsim.games.algorithms.pure import (
    is_pure_equilibrium,
    profitable_deviations,
    pure_equilibrium_mask,
)
from negsim.games.algorithms.qre import logit_branch, logit_limit
from negsim.games.checks import check_tol
from negsim.games.results import CoalitionDeviation, NashResult
from negsim.games.strategic_form import StrategicForm

__all__ = ["NormalFormGame"]

_TWO_PLAYER_METHODS = ("enumeration", *NASHPY_METHODS)
_ALL_METHODS = (*_TWO_PLAYER_METHODS, "pure", "logit")


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        return "not installed"


def _readonly(a: np.ndarray) -> np.ndarray:
    out = np.array(a, dtype=float)
    out.setflags(write=False)
    return out


# ---------------------------------------------------------------------------------------
# the game
# ---------------------------------------------------------------------------------------


class NormalFormGame(StrategicForm):
    r"""A finite game in normal form with ``n`` players, and its solution concepts.

    The object is immutable: the payoff array is a read-only copy and attributes cannot be
    set. Two games are equal when their payoffs and labels are equal. The constructors,
    conversions, properties and the payoffs, regrets and best responses of profiles come
    from :class:`~negsim.games.strategic_form.StrategicForm`.

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

    __slots__ = ()

    # --- pure equilibria ----------------------------------------------------------------
    def pure_equilibrium_mask(self, tol: float = 1e-12, *, strict: bool = False) -> np.ndarray:
        """Boolean tensor of shape :attr:`shape` marking the pure equilibria.

        See :func:`negsim.games.algorithms.pure.pure_equilibrium_mask` (the batched
        function) for the parameters.

        Examples
        --------
        >>> sh = NormalFormGame.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]])
        >>> sh.pure_equilibrium_mask()
        array([[ True, False],
               [False,  True]])
        """
        return pure_equilibrium_mask(
            self._payoffs, check_tol(tol), strict=strict, n_players=self.n_players
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
        return is_pure_equilibrium(self._payoffs, prof, check_tol(tol))

    # --- dominance ----------------------------------------------------------------------
    def iterated_elimination(
        self, strict: bool = True, *, mixed: bool = False, tol: float = 1e-12
    ) -> tuple[Self, tuple[tuple[int, ...], ...]]:
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
        kept = iterated_elimination(self._payoffs, strict, mixed=mixed, tol=check_tol(tol))
        return self.restrict(kept), kept

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
        D = pareto_matrix(self._profile_values(eqs), check_tol(tol))
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
        D = pareto_matrix(self._profile_values(eqs), check_tol(tol))
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
        a = payoff_dominant_index(self._profile_values(eqs), check_tol(tol))
        return None if a is None else tuple(int(x) for x in eqs[a])

    # --- coalitions ---------------------------------------------------------------------
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
        ok, gains = profitable_deviations(self._payoffs, prof, check_tol(tol))
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
        ok, _ = profitable_deviations(self._payoffs, prof, check_tol(tol))
        return not bool(ok.any())

    # --- mixed equilibria ---------------------------------------------------------------
    def equilibria(
        self, method: str = "enumeration", *, tol: float = 1e-9, **kwargs: Any
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """All Nash equilibria of a 2-player game as ``(p, q)`` probability vectors.

        Parameters
        ----------
        method : {"enumeration", "support", "vertex", "lemke_howson"}
            ``"enumeration"`` (default): negsim's vectorised vertex enumeration
            (:func:`negsim.games.algorithms.mixed.enumerate_equilibria`), which returns all
            extreme equilibria, also of degenerate games. The others call nashpy for
            comparison (:func:`negsim.games.algorithms.nashpy_bridge.nashpy_equilibria`):
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
            return enumerate_equilibria(A, B, tol=tol, **kwargs)
        if method not in NASHPY_METHODS:
            raise ValueError(
                f"unknown method {method!r} for equilibria(); choose one of {_TWO_PLAYER_METHODS}"
            )
        return nashpy_equilibria(A, B, method, tol=tol, stacklevel=3, **kwargs)

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
            if method in NASHPY_METHODS:
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
            res = logit_limit(self._payoffs, **kwargs)
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
            Step controls of :func:`negsim.games.algorithms.qre.logit_branch`.

        Returns
        -------
        tuple of ndarray
            One probability vector per player. If the branch passes ``lam`` more than once
            (it can turn back in ``lam``), the first crossing is returned.

        Raises
        ------
        ValueError
            If ``lam`` is not a single number ``>= 0``.
        QREConvergenceError
            If path-following fails.

        Examples
        --------
        >>> mp = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> [p.round(6).tolist() for p in mp.qre(2.0)]
        [[0.5, 0.5], [0.5, 0.5]]
        """
        lam_arr = np.asarray(lam, dtype=float)
        if lam_arr.ndim != 0:
            raise ValueError(
                f"lam must be a single number, got {lam!r} (use qre_path for several)"
            )
        return logit_branch(self._payoffs, lam_arr.reshape(1), **kwargs).profile(0)
