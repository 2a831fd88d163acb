r"""Repeated-game compliance: when the threat of punishment sustains a deal profile.

A *deal* is a pure profile :math:`a^*` of a stage game played every period. Each player
:math:`i` weighs the future with a discount factor :math:`\delta_i \in [0, 1)`, and payoffs
are per-period flows normalised by :math:`1 - \delta_i`. Under **grim trigger** a player who
deviates earns its best one-shot deviation payoff :math:`D_i` once and is then punished for
ever with payoff :math:`P_i`; complying earns :math:`C_i = u_i(a^*)` for ever. Complying is
sustainable when

.. math::

    (1 - \delta_i)(D_i - C_i) + \delta_i (P_i - C_i) \le 0,

that is when :math:`\delta_i \ge \delta_i^* = (D_i - C_i) / (D_i - P_i)`, the *critical
discount factor*. Conventions: :math:`\delta_i^* = 0` when no deviation gains
(:math:`D_i \le C_i`), and :math:`\delta_i^* = \infty` when the punishment does not hurt the
deviator (:math:`D_i \le P_i`); :math:`\delta_i^* \ge 1` means no discount factor below 1
sustains the deal.

Punishments
-----------
``"nash"`` (default)
    Reversion to the stage-game pure Nash equilibrium worst for the deviator (Friedman
    1971). The punishment is itself an equilibrium, so the grim-trigger profile is subgame
    perfect. If the stage game has no pure equilibrium, the deviator's pure minmax is used
    instead and the report says so.
``"minmax"``
    The others hold the deviator to its minmax payoff (the folk-theorem threat of
    Fudenberg and Maskin 1986). ``minmax="pure"`` (default) lets the punishers choose a
    pure profile; ``minmax="mixed"`` lets the single punisher of a 2-player game mix,
    solved as a linear programme. A minmax threat is not in general an equilibrium of the
    stage game, so sustaining it needs punishers who are themselves deterred from
    shirking; the critical discount factor reported here is the deviator's condition only.

Everything is computed from one pass over the payoff tensor; the vectorised engine uses
:func:`negsim.protocol.compliance.compliance_verdicts`, which applies the same rules to a batch of
2-action games and is tested against this module. This is a front-level module: it takes a
:class:`~negsim.games.NormalFormGame`.

References
----------
Friedman, J. W. (1971). A non-cooperative equilibrium for supergames. *Review of Economic
Studies* 38(1), 1-12. Fudenberg, D. and Maskin, E. (1986). The folk theorem in repeated
games with discounting or with incomplete information. *Econometrica* 54(3), 533-554.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from negsim.games.checks import check_pure_profile, check_tol
from negsim.games.normal_form import NormalFormGame

__all__ = ["ComplianceReport", "compliance_report", "minmax_values"]

_TOL = 1e-9
_PUNISHMENTS = ("nash", "minmax")
_MINMAX = ("pure", "mixed")


def _readonly(values: object, dtype: type = float) -> np.ndarray:
    out = np.array(values, dtype=dtype)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class ComplianceReport:
    r"""Whether a deal profile is sustainable in the repeated game, player by player.

    Arrays are read-only and indexed by player.

    Attributes
    ----------
    profile : tuple of int
        The deal profile (action indices).
    punishment : str
        The punishment asked for: ``"nash"`` or ``"minmax"``.
    minmax : str
        How minmax values were computed: ``"pure"`` or ``"mixed"``.
    deal_payoffs : ndarray
        :math:`C_i`, each player's stage payoff at the deal.
    deviation_payoffs : ndarray
        :math:`D_i`, each player's best one-shot deviation payoff (the others keep the deal).
    best_deviations : tuple of int
        The action of each player's best deviation (its deal action when it has no other).
    punishment_payoffs : ndarray
        :math:`P_i`, each player's payoff for ever after deviating.
    punished_by : tuple of str
        Per player, ``"nash"`` or ``"minmax"``: what :math:`P_i` is (``"minmax"`` for every
        player when ``punishment="nash"`` but the stage game has no pure equilibrium).
    critical_discount : ndarray
        :math:`\delta_i^*` (0: no deviation gains; ``inf``: the punishment cannot deter).
    discount : ndarray or None
        The discount factors the deal was checked at, if any.
    margins : ndarray or None
        Per-period repeated-game margin of complying,
        :math:`-[(1-\delta_i)(D_i - C_i) + \delta_i (P_i - C_i)]`; positive is safe.
    sustainable : ndarray of bool or None
        Per player, whether no deviation is profitable at its discount factor.

    Examples
    --------
    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> r = compliance_report(pd, (0, 0), discount=0.6)
    >>> r.deviation_payoffs.tolist(), r.punishment_payoffs.tolist(), r.punished_by
    ([5.0, 5.0], [1.0, 1.0], ('nash', 'nash'))
    >>> r.margins.round(12).tolist()  # -[(1 - 0.6) (5 - 3) + 0.6 (1 - 3)]
    [0.4, 0.4]
    """

    profile: tuple[int, ...]
    punishment: str
    minmax: str
    deal_payoffs: np.ndarray
    deviation_payoffs: np.ndarray
    best_deviations: tuple[int, ...]
    punishment_payoffs: np.ndarray
    punished_by: tuple[str, ...]
    critical_discount: np.ndarray
    discount: np.ndarray | None
    margins: np.ndarray | None
    sustainable: np.ndarray | None

    @property
    def holds(self) -> bool | None:
        """Every player complies at its discount factor (``None`` when none was given).

        Examples
        --------
        >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> compliance_report(pd, (0, 0), 0.6).holds, compliance_report(pd, (0, 0)).holds
        (True, None)
        """
        if self.sustainable is None:
            return None
        return bool(self.sustainable.all())

    @property
    def binding_player(self) -> int | None:
        """The player with the smallest margin (``None`` without discount factors).

        Examples
        --------
        >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> compliance_report(pd, (0, 0), [0.9, 0.55]).binding_player
        1
        """
        if self.margins is None:
            return None
        return int(np.argmin(self.margins))


def _check_game(game: object) -> NormalFormGame:
    if not isinstance(game, NormalFormGame):
        raise TypeError(f"game must be a NormalFormGame, got {type(game).__name__}")
    return game


def _check_discount(discount: object, n: int) -> np.ndarray:
    d = np.array(discount, dtype=float)
    if d.ndim == 0:
        d = np.full(n, float(d))
    if d.shape != (n,):
        raise ValueError(f"discount: expected a number or {n} numbers, got shape {d.shape}")
    bad = ~((d >= 0.0) & (d < 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"discount: player {i}: must be in [0, 1), got {float(d[i])!r}")
    return d


def _mixed_minmax(u: np.ndarray, player: int) -> float:
    """Mixed minmax of ``player`` in a 2-player game: the punisher's LP."""
    from scipy.optimize import linprog

    rows = u if player == 0 else u.T  # rows: the deviator's actions; columns: punisher's
    n_col = rows.shape[1]
    # min v  s.t.  rows @ y <= v,  sum y = 1,  y >= 0
    c = np.zeros(n_col + 1)
    c[-1] = 1.0
    a_ub = np.hstack([rows, -np.ones((rows.shape[0], 1))])
    a_eq = np.zeros((1, n_col + 1))
    a_eq[0, :n_col] = 1.0
    res = linprog(c, A_ub=a_ub, b_ub=np.zeros(rows.shape[0]), A_eq=a_eq, b_eq=[1.0],
                  bounds=[(0, None)] * n_col + [(None, None)], method="highs")
    if not res.success:  # pragma: no cover - the LP is always feasible and bounded
        raise RuntimeError(f"minmax LP failed: {res.message}")
    return float(res.fun)


def minmax_values(game: NormalFormGame, mixed: bool = False) -> np.ndarray:
    r"""Each player's minmax payoff: the least the others can hold it to.

    Parameters
    ----------
    game : NormalFormGame
    mixed : bool, default False
        ``False``: the punishers choose a pure profile,
        :math:`\min_{a_{-i}} \max_{a_i} u_i(a_i, a_{-i})`. ``True``: the punisher mixes;
        only for 2-player games (with several independent punishers the problem is not a
        linear programme).

    Returns
    -------
    ndarray, shape (n_players,)

    Examples
    --------
    In matching pennies a pure punisher can be outguessed (minmax 1), a mixing one holds
    the deviator to 0:

    >>> mp = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> minmax_values(mp).tolist(), minmax_values(mp, mixed=True).round(9).tolist()
    ([1.0, 1.0], [0.0, 0.0])
    """
    game = _check_game(game)
    u = game.payoffs
    n = game.n_players
    if mixed:
        if n != 2:
            raise ValueError(
                f"mixed minmax values need a 2-player game, this one has {n} players; "
                "use mixed=False (pure punishers)"
            )
        return np.array([_mixed_minmax(u[0], 0), _mixed_minmax(u[1], 1)])
    out = np.empty(n)
    for i in range(n):
        out[i] = u[i].max(axis=i).min() if n > 1 else u[i].max()
    return out


def compliance_report(
    game: NormalFormGame,
    profile: Sequence[int],
    discount: object | None = None,
    *,
    punishment: str = "nash",
    minmax: str = "pure",
    tol: float = _TOL,
) -> ComplianceReport:
    """Critical discount factors of a deal profile under grim-trigger punishment.

    Parameters
    ----------
    game : NormalFormGame
        The stage game.
    profile : sequence of int
        The deal: one action index per player.
    discount : float or sequence of float, optional
        Discount factors in [0, 1) (one for all players, or one each). When given, the
        report says for each player whether complying is sustainable.
    punishment : {"nash", "minmax"}, default "nash"
        Reversion to the stage Nash equilibrium worst for the deviator (its minmax when the
        stage game has no pure equilibrium), or the deviator's minmax.
    minmax : {"pure", "mixed"}, default "pure"
        How minmax values are computed (``"mixed"`` for 2-player games only).
    tol : float, default 1e-9
        Gains of at most ``tol`` (absolute, payoff units) do not count as gains.

    Returns
    -------
    ComplianceReport

    Raises
    ------
    ValueError
        For a profile that does not fit the game, a discount factor outside [0, 1), or an
        unknown ``punishment`` or ``minmax``.

    Examples
    --------
    Cooperation in the prisoner's dilemma (3 each; defecting pays 5 once, then mutual
    defection pays 1) needs a discount factor of at least (5 - 3) / (5 - 1) = 0.5:

    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> r = compliance_report(pd, (0, 0), discount=[0.6, 0.4])
    >>> r.critical_discount.tolist(), r.sustainable.tolist(), r.holds
    ([0.5, 0.5], [True, False], False)
    """
    game = _check_game(game)
    if punishment not in _PUNISHMENTS:
        raise ValueError(f"punishment must be one of {_PUNISHMENTS}, got {punishment!r}")
    if minmax not in _MINMAX:
        raise ValueError(f"minmax must be one of {_MINMAX}, got {minmax!r}")
    tol = check_tol(tol)
    prof = check_pure_profile(profile, game.shape, game.players, wording="actions")
    n = game.n_players
    u = game.payoffs
    comply = np.array([u[(i, *prof)] for i in range(n)])

    deviate = np.empty(n)
    best_dev: list[int] = []
    for i in range(n):
        idx: list[object] = list(prof)
        idx[i] = slice(None)
        line = np.array(u[(i, *idx)], dtype=float)
        line[prof[i]] = -np.inf
        if game.shape[i] == 1:
            deviate[i], choice = comply[i], prof[i]
        else:
            choice = int(np.argmax(line))
            deviate[i] = line[choice]
        best_dev.append(choice)

    mm = minmax_values(game, mixed=minmax == "mixed")
    if punishment == "nash":
        mask = game.pure_equilibrium_mask()
        if mask.any():
            punish = np.array([u[i][mask].min() for i in range(n)])
            punished_by = ("nash",) * n
        else:
            punish, punished_by = mm, ("minmax",) * n
    else:
        punish, punished_by = mm, ("minmax",) * n

    gain = deviate - comply
    hurt = deviate - punish
    critical = np.where(
        gain <= tol, 0.0, np.where(hurt <= tol, np.inf, gain / np.where(hurt > 0, hurt, 1.0))
    )
    d = margins = sustainable = None
    if discount is not None:
        d = _check_discount(discount, n)
        rep_gain = (1.0 - d) * gain + d * (punish - comply)
        margins = _readonly(-rep_gain)
        sustainable = _readonly(rep_gain <= tol, bool)
        d = _readonly(d)
    return ComplianceReport(
        profile=prof,
        punishment=punishment,
        minmax=minmax,
        deal_payoffs=_readonly(comply),
        deviation_payoffs=_readonly(deviate),
        best_deviations=tuple(best_dev),
        punishment_payoffs=_readonly(punish),
        punished_by=punished_by,
        critical_discount=_readonly(critical),
        discount=d,
        margins=margins,
        sustainable=sustainable,
    )
