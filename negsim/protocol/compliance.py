r"""Does the deal hold? The compliance game among belligerents and their patrons.

After the rounds, the belligerents choose to comply with the ceasefire text or violate it,
and their patrons choose to keep or break the arms embargo. Payoffs are per-period flows:

* If no belligerent violates, the text is in force: belligerent and patron :math:`i` get
  :math:`U_i(x)`.
* If any belligerent violates, the war resumes: every player gets its value of fighting on
  (:func:`negsim.protocol.utility.war_values`), where violators' own capability carries the
  first-strike bonus :math:`f (1 - \text{monitoring share})` and a patron that keeps the
  embargo delivers only :math:`1 - e` of its support.
* A patron that breaks an embargo it committed to pays the commitment's ``breach_cost``; a
  belligerent that violates pays, for each patron that committed to support the ceasefire,
  ``leverage * breach_cost`` (the patron's pressure).
* Commitments whose effects add terms (:mod:`negsim.protocol.effects`: sanctions relief,
  inspections, payments) add a bonus to a player's payoff while the deal holds and a cost
  to the players who end it.

The deal is analysed at the all-comply profile: is it a Nash equilibrium of the stage game,
a strong Nash equilibrium (no coalition, such as a belligerent with its patrons, gains by
deviating jointly), and is it sustainable in the repeated game: a deviation pays its
one-period gain and is then punished for ever by the stage Nash equilibrium worst for the
deviator (or the deviator's minmax when the stage game has no pure equilibrium). A
coalition deviation is profitable in the repeated game when every member gains
:math:`(1-\delta_j)(u_j^{dev} - C_j) + \delta_j (P_j - C_j) > 0`. **The deal holds** when no
deviation, unilateral or joint, is profitable in the repeated game. The stage-game flags are
reported beside it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from negsim.protocol.utility import batch_power, text_utility, utility_block

__all__ = [
    "ComplianceVerdicts",
    "CompliancePlayers",
    "compliance_verdicts",
    "binary_equilibrium_mask",
    "compliance_payoffs",
    "players",
]

_TOL = 1e-9


@dataclass(frozen=True)
class CompliancePlayers:
    """Who plays the compliance game: belligerents first, then their patrons.

    Attributes
    ----------
    actors : ndarray of int
        Actor indices of the players, in player order.
    belligerent : ndarray of bool
        For each player, whether it is a belligerent (else a patron).
    profiles : ndarray of int, shape (2**k, k)
        Every pure profile, player 0's action most significant (C order of the tensor).
    party : ndarray of bool or None
        For each player, whether it is a party (an actor whose outside option is not at war:
        its break ends the deal); None: no party.

    Examples
    --------
    >>> pl = CompliancePlayers(np.array([0, 1]), np.array([True, True]),
    ...                        np.array([[0, 0], [0, 1], [1, 0], [1, 1]]))
    >>> pl.k, pl.profiles[2].tolist()  # profile 2: player 0 deviates
    (2, [1, 0])
    """

    actors: np.ndarray
    belligerent: np.ndarray
    profiles: np.ndarray
    party: np.ndarray | None = None

    @property
    def k(self) -> int:
        """Number of players.

        Examples
        --------
        >>> links = np.zeros((3, 3), bool); links[2, 0] = True
        >>> players(np.array([True, True, False]), links).k
        3
        """
        return len(self.actors)


def players(belligerent: np.ndarray, links: np.ndarray,
            party: np.ndarray | None = None) -> CompliancePlayers:
    """Find the players of the compliance game from the actors' roles and patron links.

    Parameters
    ----------
    belligerent : ndarray of bool, shape (n,)
    links : ndarray of bool, shape (n, n)
        ``links[p, c]``: the scenario file has ``p`` backing ``c``. A patron is an actor,
        not itself a belligerent or a party, that backs a belligerent.
    party : ndarray of bool, shape (n,), optional
        Actors whose outside option is not at war: they play after the belligerents and the
        patrons, and their break ends the deal.

    Examples
    --------
    >>> links = np.zeros((3, 3), bool); links[2, 0] = True
    >>> pl = players(np.array([True, True, False]), links)
    >>> pl.actors.tolist(), pl.profiles.shape
    ([0, 1, 2], (8, 3))
    """
    belligerent = np.asarray(belligerent, dtype=bool)
    is_party = (np.zeros_like(belligerent) if party is None
                else np.asarray(party, dtype=bool) & ~belligerent)
    patron = links[:, belligerent].any(axis=1) & ~belligerent & ~is_party
    actors = np.concatenate([np.flatnonzero(belligerent), np.flatnonzero(patron),
                             np.flatnonzero(is_party)])
    profiles = np.array(list(itertools.product((0, 1), repeat=len(actors))), dtype=np.int64)
    return CompliancePlayers(actors, belligerent[actors], profiles,
                             is_party[actors] if is_party.any() else None)


def compliance_payoffs(
    pl: CompliancePlayers,
    *,
    w: np.ndarray,
    ideal: np.ndarray,
    x: np.ndarray,
    capability: np.ndarray,
    support: np.ndarray,
    leverage: np.ndarray,
    cost: np.ndarray,
    discount: np.ndarray,
    status_quo: np.ndarray,
    belligerent: np.ndarray,
    exponent: np.ndarray,
    decisiveness: np.ndarray,
    first_strike: np.ndarray,
    embargo_effect: np.ndarray,
    embargo_breach: np.ndarray,
    ceasefire_pressure: np.ndarray,
    party: np.ndarray | None = None,
    refusal: np.ndarray | None = None,
    alone: np.ndarray | None = None,
    keep_bonus: np.ndarray | None = None,
) -> np.ndarray:
    """Payoff tensor of the compliance game, ``(R, k, 2, ..., 2)``.

    Parameters
    ----------
    pl : CompliancePlayers
    w, ideal : ndarray, shape (R, n, m)
    x : ndarray, shape (R, m)
        The text in force.
    capability, cost, discount : ndarray, shape (R, n)
    support, leverage : ndarray, shape (R, n, n)
    status_quo : ndarray, shape (R, m)
    belligerent : ndarray of bool, shape (n,)
    exponent, decisiveness, embargo_effect : ndarray, shape (R,)
    first_strike : ndarray, shape (R,)
        Effective first-strike bonus (already reduced by monitoring).
    embargo_breach : ndarray, shape (R, n)
        What each actor pays for breaking the embargo (its committed breach costs).
    ceasefire_pressure : ndarray, shape (R, n)
        What each actor's patrons' ceasefire commitments cost it if it violates.
    party : ndarray of bool, shape (n,), optional
        The parties (see :func:`players`). A party that breaks ends the deal as a violating
        belligerent does; once the deal has ended, a party gets ``alone`` if it broke and
        every other belligerent and party kept, else ``refusal`` (its outside option's values,
        :mod:`negsim.protocol.outside`), less its patrons' pressure if it broke.
    refusal, alone : ndarray, shape (R, n), optional
        The parties' values of no deal for anyone and of staying out alone.
    keep_bonus : ndarray, shape (R, n), optional
        What the deal is worth to each actor on top of the text while it holds (sanctions
        relief, payments: :mod:`negsim.protocol.effects`; the mediators' transfers:
        :mod:`negsim.protocol.inducements`): added to :math:`U_i(x)` in every profile in
        which the deal holds, lost when it ends.

    Returns
    -------
    ndarray, shape (R, k, 2, ..., 2)
        Action 0 is comply / keep the embargo, action 1 violate / break.

    Examples
    --------
    Two belligerents with opposite ideals on one issue and the text half way: peace is
    worth 0.75 to each; war (equal strength, one battle decides, discount 0.9, no cost)
    is worth 0.9 times the chance of winning, which a first strike raises from 1/2 to 2/3:

    >>> pl = players(np.array([True, True]), np.zeros((2, 2), bool))
    >>> pay = compliance_payoffs(
    ...     pl, w=np.ones((1, 2, 1)), ideal=np.array([[[0.0], [1.0]]]), x=np.array([[0.5]]),
    ...     capability=np.ones((1, 2)), support=np.zeros((1, 2, 2)),
    ...     leverage=np.zeros((1, 2, 2)), cost=np.zeros((1, 2)),
    ...     discount=np.full((1, 2), 0.9), status_quo=np.array([[0.5]]),
    ...     belligerent=np.array([True, True]), exponent=np.ones(1),
    ...     decisiveness=np.ones(1), first_strike=np.ones(1), embargo_effect=np.zeros(1),
    ...     embargo_breach=np.zeros((1, 2)), ceasefire_pressure=np.zeros((1, 2)))
    >>> np.round(pay[0, 0], 4)  # player 0: rows its action, columns the other's
    array([[0.75, 0.3 ],
           [0.6 , 0.45]])
    """
    runs, n = capability.shape
    k = pl.k
    prof = pl.profiles  # (P, k)
    n_prof = prof.shape[0]
    act = np.zeros((n_prof, n), dtype=bool)  # action 1 of each actor in each profile
    act[:, pl.actors] = prof.astype(bool)
    is_party = np.zeros(n, bool) if party is None else np.asarray(party, bool)
    quits = act & is_party[None, :]
    ends = act & (belligerent | is_party)[None, :]  # the deal ends when one of these breaks
    viol = act & belligerent[None, :]
    breaks = act & ~belligerent[None, :] & ~is_party[None, :]
    war = ends.any(axis=1)  # (P,): the deal is over (war resumes if anyone is at war)
    keeps = ~act  # patrons keep unless breaking; flow matters only for patrons

    # The profile-independent parts of strengths (utility.strengths) and of the value of
    # fighting on (utility.war_values) are computed once; each profile then does the same
    # floating-point operations on the same operands as those functions would, so the
    # payoffs are bitwise those of the formulas in the module docstring. Only the
    # belligerents' strengths and the players' payoffs are computed.
    players_ = pl.actors
    cols = np.flatnonzero(belligerent)
    n_bel = len(cols)
    peace_u = text_utility(w, ideal, x)[:, players_]  # (R, k)
    if keep_bonus is not None:
        peace_u = peace_u + keep_bonus[:, players_]
    # U_i(ideal_j) for players i and belligerents j (the only possible winners).
    umat_pb = utility_block(w, ideal, players_, cols)  # (R, k, b)
    has = np.isfinite(discount)
    sq_u = text_utility(w, ideal, status_quo)[:, players_]
    strike = first_strike[:, None]
    cut = embargo_effect[:, None]
    own_strike = (capability * (1.0 + strike))[:, cols]  # a violator's own capability
    own_plain = capability[:, cols]
    given_kept = capability * (1.0 - cut)  # support that gets through a kept embargo
    support_b = np.ascontiguousarray(support[:, :, cols])  # (R, n, b)
    gamma = exponent[:, None]
    delta = np.where(has, discount, 0.5)
    dq = (delta * decisiveness[:, None])[:, players_]
    dc = ((1.0 - delta) * cost)[:, players_]
    den = (1.0 - delta * (1.0 - decisiveness[:, None]))[:, players_]
    has_p = has[:, players_]
    breach_p = embargo_breach[:, players_]
    pressure_p = ceasefire_pressure[:, players_]
    viol_b = viol[:, cols]
    umat_b = [np.ascontiguousarray(umat_pb[:, :, j]) for j in range(n_bel)]
    if n_bel > 2:
        umat = np.zeros((runs, k, n))
        umat[:, :, cols] = umat_pb
    powered = np.zeros((runs, n))
    # One profile at a time: (R, n) arrays stay in cache.
    out = np.empty((runs, n_prof, k))  # run-major, so the final transpose stays in cache
    party_p = is_party[players_]
    for f in range(n_prof):
        if war[f] and n_bel == 0:
            u = peace_u.copy()  # no war to fight: only the parties' values (below) count
        elif war[f]:
            own = np.where(viol_b[f], own_strike, own_plain)
            given = np.where(keeps[f], given_kept, capability)
            s = own + np.einsum("...p,...pi->...i", given, support_b)  # (R, b)
            power_ = batch_power(np.maximum(s, 0.0), gamma)
            if n_bel <= 2:
                # A sum with at most two non-zero terms is the same in any order.
                total = power_[:, :1] if n_bel == 1 else power_[:, :1] + power_[:, 1:]
            else:
                powered[:, cols] = power_
                total = powered.sum(axis=-1, keepdims=True)
            if (total > 0).all():
                pi = power_ / total
            else:
                pi = np.where(total > 0, power_ / np.where(total > 0, total, 1.0), 1.0 / n_bel)
            if n_bel <= 2:
                w_end = pi[:, :1] * umat_b[0]
                if n_bel == 2:
                    w_end = w_end + pi[:, 1:] * umat_b[1]
            else:
                powered[:, cols] = pi
                w_end = np.einsum("...j,...ij->...i", powered, umat)
            u = np.where(has_p, (dq * w_end - dc) / den, sq_u)
        else:
            u = peace_u
        # Subtracting a zero cost changes nothing, so only charge the profiles that pay.
        if breaks[f].any():
            u = u - breach_p * breaks[f, players_]
        if war[f] and party_p.any():
            u = _party_values(u, f, ends, quits, players_, party_p, refusal, alone)
        if war[f]:
            u = u - pressure_p * ends[f, players_]
        out[:, f] = u
    return np.ascontiguousarray(out.transpose(0, 2, 1)).reshape((runs, k) + (2,) * k)


def _party_values(u: np.ndarray, f: int, ends: np.ndarray, quits: np.ndarray,
                  players_: np.ndarray, party_p: np.ndarray, refusal: np.ndarray | None,
                  alone: np.ndarray | None) -> np.ndarray:
    """Set the parties' payoffs in profile ``f``, in which the deal has ended (see above)."""
    assert refusal is not None and alone is not None
    u = u.copy()
    n_ends = int(ends[f].sum())
    for j in np.flatnonzero(party_p):
        a = players_[j]
        only = quits[f, a] and n_ends == 1
        u[:, j] = alone[:, a] if only else refusal[:, a]
    return u


@dataclass(frozen=True)
class ComplianceVerdicts:
    """Batched analysis of the all-comply profile (leading axis: runs).

    Attributes
    ----------
    is_nash, is_strong, holds : ndarray of bool, shape (R,)
        Stage Nash, stage strong Nash, and holds in the repeated game.
    comply : ndarray, shape (R, k)
        Payoff of complying.
    deviate : ndarray, shape (R, k)
        Payoff of the best unilateral deviation (the other action).
    punish : ndarray, shape (R, k)
        Punishment payoff (worst stage equilibrium for the player, or its minmax).
    critical : ndarray, shape (R, k)
        Critical discount factor (0: no gain from deviating; inf: punishment cannot deter).
    margin : ndarray, shape (R, k)
        Repeated-game margin of complying over deviating alone, per period.
    binding : ndarray of int, shape (R,)
        The flat profile index of the binding profitable deviation (its set bits are the
        coalition), 0 when the deal holds.
    punished_by_minmax : ndarray of bool, shape (R,)
        Runs whose stage game has no pure equilibrium.
    stage_profitable : ndarray of bool, shape (R, 2**k)
        Per flat profile, whether every player deviating in it (its set bits) gains in the
        stage game: the profitable coalition deviations from all-comply.

    Examples
    --------
    The prisoner's dilemma at discount factors 0.4: each player's best deviation pays 5
    against 3 for complying, and is punished by mutual defection (1):

    >>> g = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], dtype=float)[None]
    >>> pl = players(np.array([True, True]), np.zeros((2, 2), bool))
    >>> a = compliance_verdicts(pl, g, np.array([[0.4, 0.4]]))
    >>> a.comply[0].tolist(), a.deviate[0].tolist(), a.punish[0].tolist()
    ([3.0, 3.0], [5.0, 5.0], [1.0, 1.0])
    >>> bool(a.holds[0]), int(a.binding[0]), a.margin[0].round(2).tolist()
    (False, 1, [-0.4, -0.4])
    """

    is_nash: np.ndarray
    is_strong: np.ndarray
    holds: np.ndarray
    comply: np.ndarray
    deviate: np.ndarray
    punish: np.ndarray
    critical: np.ndarray
    margin: np.ndarray
    binding: np.ndarray
    punished_by_minmax: np.ndarray
    stage_profitable: np.ndarray


def compliance_verdicts(pl: CompliancePlayers, payoffs: np.ndarray, discount: np.ndarray) -> (
    ComplianceVerdicts
):
    """Analyse the all-comply profile of a batch of compliance games.

    Parameters
    ----------
    pl : CompliancePlayers
    payoffs : ndarray, shape (R, k, 2, ..., 2)
    discount : ndarray, shape (R, k)
        Players' discount factors (NaN counts as 0: a player without a stated discount
        factor does not weigh the future).

    Examples
    --------
    A prisoner's dilemma (comply = cooperate) is not a stage equilibrium, but holds in the
    repeated game when both players are patient enough (critical discount factor 0.5):

    >>> g = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], dtype=float)[None]
    >>> pl = CompliancePlayers(np.array([0, 1]), np.array([True, True]),
    ...                        np.array([[0, 0], [0, 1], [1, 0], [1, 1]]))
    >>> a = compliance_verdicts(pl, g, np.array([[0.6, 0.6]]))
    >>> bool(a.is_nash[0]), bool(a.holds[0]), a.critical[0].tolist()
    (False, True, [0.5, 0.5])
    >>> bool(compliance_verdicts(pl, g, np.array([[0.4, 0.4]])).holds[0])
    False
    """
    runs, k = payoffs.shape[:2]
    flat = payoffs.reshape(runs, k, 1 << k)  # (R, k, P)
    n_prof = flat.shape[2]
    members = pl.profiles.astype(bool)  # (P, k)
    comply = flat[:, :, 0]
    single = 1 << (k - 1 - np.arange(k))  # flat index of "only player j deviates"
    deviate = flat[:, np.arange(k), single]  # (R, k)

    mask = binary_equilibrium_mask(flat)  # (R, P)
    has_ne = mask.any(axis=1)
    punish_ne = np.empty((runs, k))  # each player's worst pure equilibrium
    for j in range(k):
        punish_ne[:, j] = np.where(mask, flat[:, j], np.inf).min(axis=1)
    punish = punish_ne
    if not has_ne.all():  # the pure minmax, only where there is no pure equilibrium
        punish = punish_ne.copy()
        punish[~has_ne] = _minmax(flat[~has_ne])

    delta = np.nan_to_num(discount, nan=0.0)
    gain = deviate - comply
    hurt = deviate - punish
    with np.errstate(divide="ignore", invalid="ignore"):
        critical = np.where(
            gain <= _TOL, 0.0, np.where(hurt <= _TOL, np.inf, gain / np.where(hurt > 0, hurt, 1))
        )
    margin = -((1.0 - delta) * gain + delta * (punish - comply))

    # Coalition deviations: a profile is profitable when every player that deviates in it
    # (its set bits) gains. Player j's gains are computed only on the profiles in which it
    # deviates, as strided views of the (R, P) profile axis.
    stage_prof = np.ones((runs, n_prof), dtype=bool)
    rep_prof = np.ones((runs, n_prof), dtype=bool)
    min_gain = np.full((runs, n_prof), np.inf)
    keep = 1.0 - delta
    threat = delta * (punish - comply)
    for j in range(k):
        def dev(a: np.ndarray, j: int = j) -> np.ndarray:
            return a.reshape(runs, 1 << j, 2, n_prof >> (j + 1))[:, :, 1]

        stage_gain = dev(flat[:, j]) - comply[:, j, None, None]
        rep_gain = keep[:, j, None, None] * stage_gain + threat[:, j, None, None]
        dev(stage_prof)[...] &= stage_gain > _TOL
        dev(rep_prof)[...] &= rep_gain > _TOL
        np.minimum(dev(min_gain), rep_gain, out=dev(min_gain))
    stage_prof[:, 0] = False
    rep_prof[:, 0] = False

    is_nash = ~stage_prof[:, single].any(axis=1)
    is_strong = ~stage_prof.any(axis=1)
    holds = ~rep_prof.any(axis=1)
    binding = _binding(rep_prof, min_gain, members)
    return ComplianceVerdicts(
        is_nash, is_strong, holds, comply, deviate, punish, critical, margin, binding, ~has_ne,
        stage_prof,
    )


def binary_equilibrium_mask(flat: np.ndarray, tol: float = 1e-12) -> np.ndarray:
    """Pure equilibria of a batch of games in which every player has two actions.

    The same test as :func:`negsim.games.pure_equilibrium_mask` (a profile is an
    equilibrium when each player's payoff there is within ``tol * (1 + |best|)`` of its
    best payoff over its own two actions), on payoffs flattened to ``(R, k, 2**k)`` (C
    order, player 0's action most significant), without reductions along short axes.

    Returns
    -------
    ndarray of bool, shape (R, 2**k)

    Examples
    --------
    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], dtype=float)[None]
    >>> binary_equilibrium_mask(pd.reshape(1, 2, 4))
    array([[False, False, False,  True]])
    """
    runs, k, n_prof = flat.shape
    mask = np.ones((runs, n_prof), dtype=bool)
    for i in range(k):
        ui = flat[:, i].reshape(runs, 1 << i, 2, n_prof >> (i + 1))
        best = np.maximum(ui[:, :, 0], ui[:, :, 1])
        slack = tol * (1.0 + np.abs(best))
        view = mask.reshape(runs, 1 << i, 2, n_prof >> (i + 1))
        view[:, :, 0] &= best - ui[:, :, 0] <= slack
        view[:, :, 1] &= best - ui[:, :, 1] <= slack
    return mask


def _minmax(flat: np.ndarray) -> np.ndarray:
    """Pure-strategy minmax payoff of every player of binary games ``(R, k, 2**k)``."""
    runs, k, n_prof = flat.shape
    out = np.empty((runs, k))
    for j in range(k):
        uj = flat[:, j].reshape(runs, 1 << j, 2, n_prof >> (j + 1))
        out[:, j] = np.maximum(uj[:, :, 0], uj[:, :, 1]).reshape(runs, n_prof // 2).min(axis=1)
    return out


def _binding(profitable: np.ndarray, min_gain: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Pick the binding deviation of every run (0 where no deviation is profitable).

    Fewest members first, then the largest smallest gain, then the lowest profile index;
    ``min_gain[r, f]`` is the smallest member's gain of profile ``f``.
    """
    size = members.sum(axis=1)  # (P,)
    best_size = np.where(profitable, size[None, :], np.iinfo(np.int64).max).min(axis=1)
    cand = profitable & (size[None, :] == best_size[:, None])
    best_gain = np.where(cand, min_gain, -np.inf).max(axis=1)
    cand &= min_gain == best_gain[:, None]
    return np.where(profitable.any(axis=1), np.argmax(cand, axis=1), 0)
