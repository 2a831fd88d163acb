r"""The expected-utility model of Bueno de Mesquita as operationalised by Scholz et al. (2011).

The expected-utility round
--------------------------
Distances are measured in units of the range of the initial positions,
:math:`d_{ij} = |x_i - x_j| / (x_{\max} - x_{\min})` (``EUParameters.position_range``
overrides it); the range is fixed for the whole run.

1. **Votes.** Actor :math:`k` votes on the contest between :math:`i` and :math:`j` with

   .. math:: v_k(i, j) = c_k s_k \left( d_{kj}^{\rho_k} - d_{ki}^{\rho_k} \right),

   positive when :math:`k` is closer to :math:`i` (:func:`pairwise_votes`). With
   :math:`\rho_k = 1` this is Scholz et al.'s eq. 28 without its constant factor 2 (which
   cancels everywhere votes are used). With ``vote_risk=True`` (default) the second pass of
   a round uses :math:`\rho_k = r_k`, each voter's risk exponent.

2. **Probability that i prevails over j** (:func:`prevail_probability`):

   .. math:: P_{ij} = \frac{\sum_k \max(v_k(i,j), 0)}{N_{ij}},

   with :math:`N_{ij} = \sum_k |v_k(i,j)|` for ``probability="pair"`` (eq. 30-31 as
   printed, so :math:`P_{ij} + P_{ji} = 1`) or :math:`N = \sum_{k,a,b} |v_k(a,b)|` over all
   voters and ordered pairs for ``probability="all_pairs"`` (default; see
   :mod:`negsim.forecasting.params`). Salience enters the probability through the weights
   :math:`c_k s_k`.

3. **Utilities** from :math:`i`'s point of view, with risk exponent :math:`r` (eqs. 15-24):

   .. math::

      U^s = 2 - 4\,(0.5 - 0.5\,d_{ij})^{r}, \quad
      U^f = 2 - 4\,(0.5 + 0.5\,d_{ij})^{r}, \quad
      U^{sq} = 2 - 4\,(0.5)^{r},

      U^b = 2 - 4\,\big(0.5 - 0.25\,(d_{i\mu} + d_{ij})\big)^{r}, \quad
      U^w = 2 - 4\,\big(0.5 + 0.25\,(d_{i\mu} + d_{ij})\big)^{r},

   where :math:`\mu` is the weighted median of the current positions. :math:`U^{sq}` is the
   status quo: the utility of no change, 0 for a risk-neutral actor.

4. **Expected utility of i challenging j** (eqs. 5-7): :math:`j` resists with
   probability :math:`s_j` (its salience), and if it resists :math:`i` wins with
   probability :math:`P_{ij}`; if :math:`i` does not challenge, the status quo persists
   with probability :math:`Q`, otherwise it changes for the better (:math:`T`) or worse:

   .. math::

      EU_i(j) = s_j \left(P_{ij} U^s + (1 - P_{ij}) U^f\right) + (1 - s_j)\,U^s
                - Q\,U^{sq} - (1 - Q)\left(T U^b + (1 - T) U^w\right).

   :math:`T = 1` when the median is closer to :math:`i` than :math:`j` is
   (:math:`|x_i - \mu| < |x_i - x_j|`, so :math:`j` drifting to the median helps :math:`i`),
   else 0 (Scholz et al.'s four cases); ``EUParameters.t`` fixes it instead. Actors at the
   same position have nothing to contest: their expected utilities are 0.

5. **Risk exponents** (eqs. 32-34). A first pass with every :math:`r = 1` gives each actor's
   danger, the expected utility the others see in challenging it,
   :math:`D_i = \sum_{j \ne i} EU_j(i)`; then

   .. math::

      R_i = \frac{2 D_i - D_{\max} - D_{\min}}{D_{\max} - D_{\min}} \in [-1, 1], \qquad
      r_i = \frac{1 - R_i/3}{1 + R_i/3} \in [0.5, 2]

   (:func:`risk_exponents`; every :math:`r_i = 1` if all dangers are equal, to within
   :math:`10^{-12}` relative, so that rounding noise is not blown up to :math:`R = \pm 1`). The most
   threatened actor gets :math:`r = 0.5`, which makes :math:`U^s, U^f` convex in distance
   (risk acceptant); the safest gets :math:`r = 2` (concave: risk averse) -- BDM's reading
   that an actor who holds a dangerous position has revealed a taste for risk. Steps 1-4
   are then repeated with these exponents.

6. **Offers.** Actor :math:`i` (the receiver) compares, for each :math:`j` at another
   position, :math:`a = EU_i(j)` with its estimate :math:`b` of :math:`EU_j(i)`:

   * **confrontation**, :math:`b > a > 0`: both expect to gain, :math:`j` more; :math:`i`
     expects to lose and moves to :math:`x_j`;
   * **compromise**, :math:`a < 0 < b` and :math:`|a| < b`: :math:`i` moves part way,
     to :math:`x_i + (x_j - x_i)\,|a| / b` (eqs. 35-36);
   * **capitulation**, :math:`a < 0 < b` and :math:`|a| \ge b`: :math:`i` moves to
     :math:`x_j`;
   * otherwise (:math:`b \le 0`, or :math:`i` has the upper hand) :math:`j` makes no offer
     that :math:`i` accepts; whether :math:`j` moves is decided from :math:`j`'s side.

7. **New positions.** Each actor takes at most one offer (``offer_rule``), all actors move
   at once, and the weighted mean and median are recorded. A move is to another actor's
   position or between two positions, so positions never leave the range of the initial
   positions.

Fixed (not options of :class:`~negsim.forecasting.params.EUParameters`), as in Scholz et
al.: salience enters twice, as the voting weight :math:`c_k s_k` in the probability of
success and as the probability :math:`s_j` that the target resists; the status-quo utility
is :math:`2 - 4(0.5)^r` (BDM 1985), not a distance to the median as in some
reimplementations; the security level is the others' expected utility of challenging
:math:`i`, computed with every :math:`r = 1`, so whose perception is used
(:math:`E^i(U_{ji})` as printed in the appendix, or :math:`E^j(U_{ji})`) makes no
difference; the median is found by sorting (the same point as the Condorcet winner of Scholz
et al.'s pairwise votes). Positions are not otherwise bounded: the update rule keeps them in
the initial range.
Dyads are evaluated with n x n arrays: the votes on every contest are summed from prefix
sums over the voters sorted by position (a voter supports the nearer actor), in O(n^2)
time and memory, so a round of 1,000 actors takes about a second; the only Python loop is
over rounds.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from negsim.forecasting.baselines import median_position
from negsim.forecasting.params import EUParameters
from negsim.forecasting.table import ForecastError, check_arrays, number_array

__all__ = [
    "EURound",
    "Offer",
    "distance_unit",
    "eu_round",
    "eu_trajectory",
    "pairwise_votes",
    "prevail_probability",
    "risk_exponents",
]

_MAX_VOTE_TABLE = 200  # actors of pairwise_votes (its n x n x n array: 64 MB at 200)



class Offer(enum.IntEnum):
    """How a receiver classifies the offer of another actor (codes in :class:`EURound`).

    Examples
    --------
    >>> rnd = eu_round([0.0, 0.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 0.2])
    >>> Offer(int(rnd.offer[2, 0])).name  # what actor 2 makes of actor 0's offer
    'COMPROMISE'
    """

    NONE = 0
    CONFRONTATION = 1
    COMPROMISE = 2
    CAPITULATION = 3


def distance_unit(x: np.ndarray, position_range: float | None) -> float:
    """Return the unit of distance: the range of the positions, or ``position_range``.

    Parameters
    ----------
    x : numpy.ndarray
        Positions (the initial ones: the unit is fixed for a whole forecast).
    position_range : float or None
        :attr:`EUParameters.position_range`; must be at least the range of ``x``.

    Returns
    -------
    float
        ``max(x) - min(x)`` (1 if all positions are equal) or ``position_range``.

    Examples
    --------
    >>> distance_unit(np.array([2.0, 5.0, 3.0]), None)
    3.0
    >>> distance_unit(np.array([0.5, 0.5]), None), distance_unit(np.array([0.2, 0.4]), 1.0)
    (1.0, 1.0)
    """
    spread = float(x.max() - x.min())
    if position_range is None:
        return spread if spread > 0 else 1.0
    if position_range < spread * (1 - 1e-12):
        raise ForecastError(
            f"position_range {position_range} is smaller than the range of the positions "
            f"({spread})"
        )
    return float(position_range)


def _distance_utility(x: np.ndarray, rho: np.ndarray, scale: float) -> np.ndarray:
    """G[k, a] = (|x_k - x_a| / scale) ** rho_k."""
    return (np.abs(x[:, None] - x[None, :]) / scale) ** rho[:, None]


def _vote_sums(x: np.ndarray, w: np.ndarray, rho: np.ndarray,
               scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Supporting votes sum_k max(v_k(i,j), 0) and sum_k |v_k(i,j)|, in O(n^2) time.

    A voter supports the nearer of the two actors of a contest, whatever its exponent, so
    with the actors sorted by position the supporters of the lower actor of a pair are a
    prefix (the voters below the midpoint) and those of the upper actor the rest. Each sum
    is then a difference of prefix sums (over voters) of w_k g_ka, one n x n table.
    """
    n = x.size
    order = np.argsort(x, kind="stable")
    xs = x[order]
    g = _distance_utility(xs, rho[order], scale)  # g[k, a], voters and actors sorted
    prefix = np.zeros((n + 1, n))
    np.cumsum(w[order][:, None] * g, axis=0, out=prefix[1:])
    whole = prefix[n]
    # cut[a, b]: number of voters strictly below the midpoint of a and b
    cut = np.searchsorted(xs, 0.5 * xs[:, None] + 0.5 * xs[None, :], side="left")
    cols = np.arange(n)
    pa = prefix[cut, cols[:, None]]
    pb = prefix[cut, cols[None, :]]
    del cut
    below = pb - pa  # sum over voters below the midpoint of w_k (g_kb - g_ka)
    above = (whole[None, :] - pb) - (whole[:, None] - pa)  # the same over the others
    del pa, pb
    lower = xs[:, None] < xs[None, :]  # a is the lower actor: its supporters are below
    upper = xs[:, None] > xs[None, :]
    support = np.where(lower, below, np.where(upper, above, 0.0))
    total = np.where(lower, below - above, np.where(upper, above - below, 0.0))
    support = np.clip(support, 0.0, total)
    inv = np.empty_like(order)
    inv[order] = cols
    return support[np.ix_(inv, inv)], total[np.ix_(inv, inv)]


def pairwise_votes(
    positions: Any, capability: Any, salience: Any, risk: Any = None,
    position_range: float | None = None,
) -> np.ndarray:
    """Every actor's vote on every contest, ``V[k, i, j] = c_k s_k (d_kj^r_k - d_ki^r_k)``.

    Positive when voter ``k`` is closer to ``i`` than to ``j``; ``d`` is distance divided by
    the range of the positions (or ``position_range``); ``risk`` (default all 1) are the
    voters' exponents. Returns an n x n x n array.

    Examples
    --------
    >>> v = pairwise_votes([0.0, 1.0], [1.0, 1.0], [1.0, 0.5])
    >>> v[:, 0, 1].tolist()  # votes for actor 0 against actor 1
    [1.0, -0.5]
    """
    x, c, s = check_arrays(positions, capability, salience)
    if x.size > _MAX_VOTE_TABLE:
        raise ForecastError(f"pairwise_votes returns an n x n x n array: it is limited to "
                            f"{_MAX_VOTE_TABLE} actors, got {x.size} (prevail_probability "
                            "sums the votes for more)")
    rho = np.ones_like(x) if risk is None else number_array(risk, "risk")
    if rho.size != x.size:
        raise ForecastError(f"risk must have one entry per actor ({x.size}), got {rho.size}")
    scale = distance_unit(x, position_range)
    g = _distance_utility(x, rho, scale)
    return (c * s)[:, None, None] * (g[:, None, :] - g[:, :, None])


def _probability_from_sums(support: np.ndarray, total: np.ndarray, norm: str) -> np.ndarray:
    if norm == "pair":
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, support / np.where(total > 0, total, 1.0), 0.5)
    grand = float(total.sum())
    if not grand > 0:
        return np.full_like(support, 0.5)
    return support / grand


def prevail_probability(
    positions: Any, capability: Any, salience: Any, risk: Any = None,
    probability: Literal["all_pairs", "pair"] = "all_pairs",
    position_range: float | None = None,
) -> np.ndarray:
    """Probability ``P[i, j]`` that actor ``i`` prevails over ``j`` from everyone's votes.

    ``probability="pair"`` divides the votes supporting ``i`` by all votes on the contest
    (Scholz et al. eq. 30; ``P[i, j] + P[j, i] = 1``); ``"all_pairs"`` divides by all votes
    on every contest (the normalisation behind their published numbers). Contests nobody
    votes on get 0.5 under ``"pair"``.

    Examples
    --------
    >>> p = prevail_probability([0.0, 1.0], [1.0, 1.0], [1.0, 0.5], probability="pair")
    >>> p.round(4).tolist()
    [[0.5, 0.6667], [0.3333, 0.5]]
    """
    x, c, s = check_arrays(positions, capability, salience)
    rho = np.ones_like(x) if risk is None else number_array(risk, "risk")
    if rho.size != x.size:
        raise ForecastError(f"risk must have one entry per actor ({x.size}), got {rho.size}")
    if probability not in ("all_pairs", "pair"):
        raise ForecastError(f"probability must be 'all_pairs' or 'pair', got {probability!r}")
    support, total = _vote_sums(x, c * s, rho, distance_unit(x, position_range))
    return _probability_from_sums(support, total, probability)


def _challenge_eu(x: np.ndarray, s: np.ndarray, p: np.ndarray, r: Any, prm: EUParameters,
                  mu: float, scale: float) -> np.ndarray:
    """E[i, j]: expected utility of i challenging j, with exponent r (broadcast to n x n)."""
    dist = np.abs(x[:, None] - x[None, :]) / scale
    us = 2.0 - 4.0 * (0.5 - 0.5 * dist) ** r
    uf = 2.0 - 4.0 * (0.5 + 0.5 * dist) ** r
    usq = 2.0 - 4.0 * 0.5 ** np.asarray(r, dtype=float)
    sj = s[None, :]
    eu = sj * (p * us + (1.0 - p) * uf) + (1.0 - sj) * us - prm.q * usq
    if prm.q < 1.0:
        dmu = (np.abs(x - mu) / scale)[:, None]
        half = np.minimum(0.25 * (dmu + dist), 0.5)
        ub = 2.0 - 4.0 * (0.5 - half) ** r
        uw = 2.0 - 4.0 * (0.5 + half) ** r
        t = (dmu < dist).astype(float) if prm.t is None else float(prm.t)
        eu = eu - (1.0 - prm.q) * (t * ub + (1.0 - t) * uw)
    return np.where(x[:, None] == x[None, :], 0.0, eu)


def _risk_from_danger(danger: np.ndarray) -> np.ndarray:
    hi, lo = float(danger.max()), float(danger.min())
    # equal dangers (up to rounding: the formula would blow rounding noise up to R = +-1)
    if not hi - lo > 1e-12 * max(1.0, abs(hi), abs(lo)):
        return np.ones_like(danger)
    big_r = np.clip((2.0 * danger - hi - lo) / (hi - lo), -1.0, 1.0)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def risk_exponents(danger: Any) -> np.ndarray:
    """Risk exponents ``r_i = (1 - R_i/3) / (1 + R_i/3)`` from the actors' dangers.

    ``R_i = (2 D_i - D_max - D_min) / (D_max - D_min)`` places each actor's danger (the sum
    of the others' expected utilities of challenging it) between the safest (-1, r = 2)
    and the most threatened (+1, r = 0.5). Equal dangers give r = 1.

    Examples
    --------
    >>> risk_exponents([0.0, 1.0, 2.0]).tolist()
    [2.0, 1.0, 0.5]
    """
    d = number_array(danger, "danger")
    if d.size == 0 or not np.all(np.isfinite(d)):
        raise ForecastError("danger must be a non-empty sequence of finite numbers")
    return _risk_from_danger(d)


@dataclass(frozen=True, slots=True, repr=False)
class EURound:
    r"""Everything computed in one round of the expected-utility model.

    Arrays are indexed by actor in input order; in the n x n arrays row ``i`` is the
    receiver (or challenger) and column ``j`` the other actor.

    Attributes
    ----------
    positions : ndarray
        Positions at the start of the round.
    median : float
        Weighted median at the start of the round (the :math:`\mu` in U^b, U^w).
    danger : ndarray
        :math:`D_i = \sum_{j \ne i} EU_j(i)` from the first pass (all r = 1).
    risk : ndarray
        Risk exponents r_i used in the second pass.
    probability : ndarray
        ``probability[i, j]``: probability that i prevails over j (second pass).
    eu_challenge : ndarray
        ``eu_challenge[i, j]`` = :math:`EU_i(j)`, i challenging j, with exponent r_i.
    eu_proposer : ndarray
        ``eu_proposer[i, j]``: j's expected utility of challenging i as seen by receiver i.
    offer : ndarray of int
        :class:`Offer` code of j's offer to i.
    target : ndarray
        Position i would move to by accepting j's offer (``x_j`` unless a compromise).
    proposer : ndarray of int
        Index of the offer actor i accepted, or -1.
    new_positions : ndarray
        Positions at the end of the round.

    Examples
    --------
    >>> rnd = eu_round([0.0, 0.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 0.2])
    >>> rnd
    EURound(actors=3, moved=1)
    >>> rnd.median, rnd.new_positions.round(3).tolist()  # actor 2 compromises toward 0
    (0.0, [0.0, 0.0, 0.511])
    """

    positions: np.ndarray
    median: float
    danger: np.ndarray
    risk: np.ndarray
    probability: np.ndarray
    eu_challenge: np.ndarray
    eu_proposer: np.ndarray
    offer: np.ndarray
    target: np.ndarray
    proposer: np.ndarray
    new_positions: np.ndarray

    def __repr__(self) -> str:
        moved = int(np.sum(self.proposer >= 0))
        return f"EURound(actors={self.positions.size}, moved={moved})"


def _select(x: np.ndarray, a: np.ndarray, b: np.ndarray, offer: np.ndarray,
            target: np.ndarray, rule: str) -> np.ndarray:
    """Index of the accepted offer per receiver (-1 if none), vectorised over rows."""
    n = x.size
    has = offer != Offer.NONE
    move = np.abs(target - x[:, None])
    inf = np.inf
    if rule == "scholz":
        priority = np.select(
            [offer == Offer.CONFRONTATION, offer == Offer.COMPROMISE,
             offer == Offer.CAPITULATION], [0.0, 1.0, 2.0], default=inf)
        aa, bb = np.abs(a), np.abs(b)
        with np.errstate(invalid="ignore", divide="ignore"):
            pull = (aa * x[:, None] + bb * x[None, :]) / (aa + bb)
        second = np.where(offer == Offer.COMPROMISE, pull, move)
        keys = (target, move, np.where(has, second, inf), priority)
    elif rule == "least_move":
        keys = (target, np.where(has, -b, inf), np.where(has, move, inf))
    else:  # highest_eu
        keys = (target, np.where(has, move, inf), np.where(has, -b, inf))
    order = np.lexsort(np.stack(keys), axis=-1)
    best = order[:, 0]
    return np.where(has[np.arange(n), best], best, -1)


def _eu_step(x: np.ndarray, c: np.ndarray, s: np.ndarray, prm: EUParameters,
             scale: float) -> EURound:
    n = x.size
    w = c * s
    mu = median_position(x, w)
    ones = np.ones(n)
    support, total = _vote_sums(x, w, ones, scale)
    p1 = _probability_from_sums(support, total, prm.probability)
    e1 = _challenge_eu(x, s, p1, 1.0, prm, mu, scale)
    np.fill_diagonal(e1, 0.0)
    danger = e1.sum(axis=0)
    r = _risk_from_danger(danger)
    if prm.vote_risk:
        support, total = _vote_sums(x, w, r, scale)
    p2 = _probability_from_sums(support, total, prm.probability)
    a = _challenge_eu(x, s, p2, r[:, None], prm, mu, scale)
    if prm.perspective == "receiver":
        b = _challenge_eu(x, s, p2, r[None, :], prm, mu, scale).T
    else:
        b = a.T.copy()
    np.fill_diagonal(a, 0.0)
    np.fill_diagonal(b, 0.0)
    differ = x[:, None] != x[None, :]
    confront = differ & (a > 0) & (b > a)
    compromise = differ & (a < 0) & (b > 0) & (b > -a)
    capitulate = differ & (a < 0) & (b > 0) & (-a >= b) & bool(prm.capitulation)
    offer = np.zeros((n, n), dtype=np.int8)
    offer[confront] = Offer.CONFRONTATION
    offer[compromise] = Offer.COMPROMISE
    offer[capitulate] = Offer.CAPITULATION
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(compromise, -a / np.where(compromise, b, 1.0), 1.0)
    target = np.where(compromise, x[:, None] + (x[None, :] - x[:, None]) * frac, x[None, :])
    proposer = _select(x, a, b, offer, target, prm.offer_rule)
    rows = np.arange(n)
    new_x = np.where(proposer >= 0, target[rows, np.maximum(proposer, 0)], x)
    return EURound(positions=x.copy(), median=mu, danger=danger, risk=r, probability=p2,
                   eu_challenge=a, eu_proposer=b, offer=offer, target=target,
                   proposer=proposer, new_positions=new_x)


def eu_round(
    positions: Any, capability: Any, salience: Any, params: EUParameters | None = None,
) -> EURound:
    """One synchronous round of the expected-utility model (all dyads at once).

    Parameters
    ----------
    positions, capability, salience : sequence of float
        One entry per actor; capability >= 0, salience in [0, 1].
    params : EUParameters, optional
        Operational choices (defaults reproduce Scholz et al.'s published results).

    Returns
    -------
    EURound
        Dangers, risk exponents, probabilities, expected utilities, offers and new positions.

    Examples
    --------
    >>> rnd = eu_round([0.0, 0.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 0.2])
    >>> rnd.new_positions.tolist(), rnd.proposer.tolist()
    ([0.0, 0.0, 0.511...], [-1, -1, 0])
    """
    x, c, s = check_arrays(positions, capability, salience)
    prm = EUParameters() if params is None else params
    if not isinstance(prm, EUParameters):
        raise ForecastError(f"params must be EUParameters, got {type(prm).__name__}")
    return _eu_step(x, c, s, prm, distance_unit(x, prm.position_range))



def eu_trajectory(x0: np.ndarray, c: np.ndarray, s: np.ndarray, rounds: int,
                  prm: EUParameters
                  ) -> tuple[np.ndarray, list[tuple[int, int, int, int, float, float]]]:
    """Run the expected-utility model for ``rounds`` rounds on one issue.

    The actors are put in a canonical order (by position, capability, salience) first, so
    that the result does not depend on their order; the unit of distance is that of the
    initial positions (:func:`distance_unit`) for every round.

    Parameters
    ----------
    x0, c, s : numpy.ndarray
        Initial positions, capabilities and saliences as checked by
        :func:`negsim.forecasting.table.check_arrays` (not checked again).
    rounds : int
        Number of rounds.
    prm : EUParameters
        Operational choices.

    Returns
    -------
    trajectory : numpy.ndarray
        ``(rounds + 1) x n`` positions, round 0 first, actors in input order.
    moves : list of tuple
        ``(round, actor, proposer, offer code, from position, to position)`` for every
        accepted offer, actors by input index, sorted by round and actor.

    Examples
    --------
    >>> traj, moves = eu_trajectory(np.array([1.0, 0.0, 0.0]), np.ones(3),
    ...                             np.array([0.2, 1.0, 1.0]), 1, EUParameters())
    >>> traj.round(3).tolist()
    [[1.0, 0.0, 0.0], [0.511, 0.0, 0.0]]
    >>> [(t, i, j, Offer(code).name) for t, i, j, code, _, _ in moves]
    [(1, 0, 1, 'COMPROMISE')]
    """
    # canonical order so that results do not depend on the order of the actors
    order = np.lexsort((s, c, x0))
    inv = np.empty_like(order)
    inv[order] = np.arange(order.size)
    x = x0[order].astype(float)
    cc, ss = c[order], s[order]
    scale = distance_unit(x, prm.position_range)
    traj = np.empty((rounds + 1, x.size))
    traj[0] = x
    moves: list[tuple[int, int, int, int, float, float]] = []
    for t in range(1, rounds + 1):
        rnd = _eu_step(x, cc, ss, prm, scale)
        for i in np.flatnonzero(rnd.proposer >= 0):
            j = int(rnd.proposer[i])
            moves.append((t, int(order[i]), int(order[j]), int(rnd.offer[i, j]),
                          float(x[i]), float(rnd.new_positions[i])))
        x = rnd.new_positions
        traj[t] = x
    moves.sort(key=lambda m: (m[0], m[1]))
    return traj[:, inv], moves
