r"""The months after the talks as batched kernels: arms flows, shifting power, the choice to strike.

Every function takes arrays with a leading run axis ``R``, so that the Mesa agents (one
run) and the vectorised engine (many runs) do the same arithmetic (see
:mod:`negsim.protocol.rounds.implementation` for the protocol and
``docs/explanation/model.md`` for the formulas and their reasons).

A month of the implementation phase:

1. **Arms flows.** Each patron decides whether to deliver arms to its clients this month.
   A delivery adds ``delivery * support[p, i] * capability[p]`` to client ``i``'s own
   capability, for good. Its value to the patron is the gain in its value of fighting on,
   :math:`(W_p(c + \Delta_p) - W_p(c)) / (1 - \delta_p)` (the new balance lasts), against
   the expected cost of being caught, :math:`\pi\,b_p`: ``b_p`` is the breach cost of the
   embargo commitments ``p`` made and :math:`\pi = d + (1 - d)\,d_m\,m` the probability that
   a delivery is detected (``detection`` :math:`d`, ``monitoring_detection`` :math:`d_m`, the
   monitoring share :math:`m`). The patron delivers by a logit choice on the difference: a
   pledge is kept only when keeping it pays.
2. **The choice to strike.** Each belligerent compares striking now with keeping the
   ceasefire one more month, given where it expects the balance to be next month (this
   month's deliveries repeated) and given its own estimate of its chance of winning:

   .. math::

      B_i = (1 - \delta_i)\,[\hat W^{s}_i(t) - \text{pen}_i - U_i(x)]
            + \delta_i\,[\hat W_i(t + 1) - C_i(t + 1)]

   :math:`\hat W^{s}_i(t)`: its value of fighting on if it strikes first now (its own
   capability raised by the effective first-strike bonus); :math:`\hat W_i(t+1)`: its value
   of fighting on at next month's expected capabilities; :math:`C_i(t+1)`: what keeping the
   ceasefire is worth next month: :math:`U_i(x)` if no other belligerent is expected to
   strike then, or its value of fighting on after being struck first if one is (a side that
   expects to decline has reason to strike while it can; one that expects to rise has
   reason to wait). :math:`\text{pen}_i` is the patrons' pressure of the ceasefire-support
   commitments. It strikes by a logit choice on :math:`B_i`.
3. **Private information.** Each belligerent's estimate of its chance of winning is the
   true chance plus an error drawn once per run, :math:`\varepsilon_i = b_i + s\,z_i` with
   :math:`z_i` standard normal (its ``outside_option.optimism`` :math:`b_i`, a bias, and the
   model's ``estimate_error`` :math:`s`), which events on the ground wear down:
   :math:`\varepsilon_i(t) = \varepsilon_i (1 - \ell)^{t-1}` (``learning`` :math:`\ell`).
   Both sides can be optimistic at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.special import ndtri

from negsim.protocol.structure import Structure
from negsim.protocol.utility import (
    batch_power,
    strengths,
    war_discount,
    war_values,
    win_probabilities,
    winner_utilities,
)

__all__ = [
    "Contest",
    "break_values",
    "delivery_gains",
    "estimate_errors",
    "patrons_of",
    "exit_values",
    "perceived_war_values",
    "takes_it",
]


@dataclass(frozen=True)
class Contest:
    """What the war values of a batch of runs depend on, besides capabilities.

    Attributes
    ----------
    umat : ndarray, shape (R, n, n)
        ``U_i(ideal_j)`` for belligerents ``j`` (0 in other columns).
    support : ndarray, shape (R, n, n)
    cost, discount : ndarray, shape (R, n)
        Cost of fighting and the discount factor used for war values (0.5 where an actor
        has no outside option, as for outside options).
    belligerent : ndarray of bool, shape (n,)
    exponent, decisiveness : ndarray, shape (R,)

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.params import compile_scenario
    >>> from negsim.protocol.utility import weights
    >>> s = negsim.load_scenario("libya-2020")
    >>> p = compile_scenario(s)
    >>> bel = np.array([a.has_role("belligerent") for a in s.actors])
    >>> c = Contest.of(p, weights(p.salience), bel)
    >>> c.war_values(p.capability).shape
    (1, 6)
    """

    umat: np.ndarray
    support: np.ndarray
    cost: np.ndarray
    discount: np.ndarray
    belligerent: np.ndarray
    exponent: np.ndarray
    decisiveness: np.ndarray

    @classmethod
    def of(cls, p: object, w: np.ndarray, belligerent: np.ndarray) -> Contest:
        """Build it from a batch's :class:`~negsim.protocol.params.Params` and weights.

        Examples
        --------
        >>> import negsim
        >>> from negsim.protocol.params import compile_scenario
        >>> from negsim.protocol.utility import weights
        >>> s = negsim.load_scenario("libya-2020")
        >>> p = compile_scenario(s, runs=2)
        >>> Contest.of(p, weights(p.salience), np.array([1, 1, 0, 0, 0, 0], bool)).umat.shape
        (2, 6, 6)
        """
        return cls(umat=winner_utilities(w, p.ideal, belligerent), support=p.support,
                   cost=p.cost, discount=war_discount(p.discount), belligerent=belligerent,
                   exponent=p.contest_exponent, decisiveness=p.decisiveness)

    def take(self, rows: np.ndarray) -> Contest:
        """Return the contest of a subset of runs.

        Examples
        --------
        >>> c = Contest(np.zeros((3, 2, 2)), np.zeros((3, 2, 2)), np.zeros((3, 2)),
        ...             np.full((3, 2), 0.9), np.array([True, True]), np.ones(3), np.ones(3))
        >>> c.take(np.array([0, 2])).umat.shape
        (2, 2, 2)
        """
        out = Contest(self.umat[rows], self.support[rows], self.cost[rows],
                      self.discount[rows], self.belligerent, self.exponent[rows],
                      self.decisiveness[rows])
        pair = self.__dict__.get("_pair")
        if pair is not None:  # already set up: take its rows rather than set it up again
            out.__dict__["_pair"] = pair.take(rows)
        return out

    def win_probabilities(self, capability: np.ndarray, bonus: np.ndarray | float = 0.0) -> (
        np.ndarray
    ):
        """Return the true win probabilities at these capabilities, ``(R, n)``.

        Examples
        --------
        >>> c = Contest(np.zeros((1, 2, 2)), np.zeros((1, 2, 2)), np.zeros((1, 2)),
        ...             np.full((1, 2), 0.9), np.array([True, True]), np.ones(1), np.ones(1))
        >>> c.win_probabilities(np.array([[1.0, 3.0]])).tolist()
        [[0.25, 0.75]]
        """
        return win_probabilities(strengths(capability, self.support, bonus), self.belligerent,
                                 self.exponent)

    def war_values(self, capability: np.ndarray, bonus: np.ndarray | float = 0.0,
                   pi: np.ndarray | None = None, actors: np.ndarray | None = None) -> (
        np.ndarray
    ):
        """Return every actor's value of fighting on, ``(R, n)`` (``pi`` overrides the odds).

        With ``actors``, only theirs, ``(R, len(actors))`` (the same numbers).

        Examples
        --------
        >>> c = Contest(np.array([[[1.0, 0.0], [0.0, 1.0]]]), np.zeros((1, 2, 2)),
        ...             np.full((1, 2), 0.1), np.full((1, 2), 0.9), np.array([True, True]),
        ...             np.ones(1), np.ones(1))
        >>> c.war_values(np.array([[1.0, 1.0]])).round(2).tolist()
        [[0.44, 0.44]]
        >>> c.war_values(np.array([[1.0, 1.0]]), actors=np.array([1])).round(2).tolist()
        [[0.44]]
        """
        pair = self._pair
        if actors is not None and pi is None and np.ndim(bonus) == 0 and bonus == 0.0 and (
                pair is not None):
            odds = pair.share(pair.power(pair.strengths(capability.T)[0]))
            return pair.values(odds, actors).T
        if pi is None:
            pi = self.win_probabilities(capability, bonus)
        out = war_values(pi, self.umat, self.cost, self.discount, self.decisiveness)
        return out if actors is None else out[:, actors]

    @cached_property
    def _pair(self) -> _Pair | None:
        """The arithmetic of a contest between two belligerents, or None (see :class:`_Pair`)."""
        cols = np.flatnonzero(self.belligerent)
        return _Pair(self, cols) if len(cols) == 2 else None


class _Pair:
    """A contest's arithmetic when exactly two actors are belligerents, on their two columns.

    Every sum over a row of win probabilities (the total of the powered strengths, the
    expected utility of the war's end) then has at most two terms that are not zero, and a
    sum of two numbers and zeros is the same number in any order and grouping. So these sums
    are written as ``a + b`` on the belligerents' two columns instead of over every actor,
    and the results are bit for bit those of
    :func:`~negsim.protocol.utility.win_probabilities` and
    :func:`~negsim.protocol.utility.war_values` on full rows. The patrons' part of the
    strengths is a sum of many terms: numpy's ``einsum("...p,...pi->...i")`` adds them one by
    one from 0 in actor order, and so does :meth:`strengths`, for the two columns only.

    The arrays are held with the run axis last (``(..., R)``), so that every operation runs
    along the runs; what does not change from month to month (the backing, the discounting
    terms of war values) is computed once; powers are raised in one call per kernel, on
    contiguous arrays of at least two numbers (see :func:`batch_power`).
    """

    def __init__(self, contest: Contest, cols: np.ndarray) -> None:
        self.cols = cols
        self.col = {int(a): k for k, a in enumerate(cols)}

        def runs_last(x: np.ndarray) -> np.ndarray:
            return np.ascontiguousarray(np.moveaxis(x, 0, -1))

        self.backing = runs_last(contest.support[..., cols])  # (n, 2, R)
        self.umat = runs_last(contest.umat[..., cols])  # (n, 2, R): U_i(ideal of each side)
        self.gamma = np.asarray(contest.exponent, dtype=float)
        q = np.asarray(contest.decisiveness, dtype=float)[..., None]
        d = contest.discount
        self.dq = runs_last(d * q)  # (n, R), the terms of war_values
        self.fixed = runs_last((1.0 - d) * contest.cost)
        self.den = runs_last(1.0 - d * (1.0 - q))

    def take(self, rows: np.ndarray) -> _Pair:
        """Return the arithmetic of a subset of runs."""
        out = object.__new__(_Pair)
        out.cols, out.col = self.cols, self.col
        for name in ("backing", "umat", "dq", "fixed", "den"):
            setattr(out, name, np.ascontiguousarray(getattr(self, name)[..., rows]))
        out.gamma = self.gamma[rows]
        return out

    def strengths(self, capability: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the sides' strengths (no bonus) and their patrons' part, ``(..., 2, R)``.

        ``capability`` is ``(..., n, R)``.
        """
        given = 0.0 + capability[..., 0, None, :] * self.backing[0]
        for p in range(1, capability.shape[-2]):
            given = given + capability[..., p, None, :] * self.backing[p]
        return capability[..., self.cols, :] + given, given

    def power(self, strength: np.ndarray) -> np.ndarray:
        """Return the powered strengths, as :func:`win_probabilities` raises them."""
        return batch_power(np.maximum(strength, 0.0), self.gamma)

    @staticmethod
    def share(powered: np.ndarray) -> np.ndarray:
        """Return the win probabilities from powered strengths, ``(..., 2, R)``."""
        total = (powered[..., 0, :] + powered[..., 1, :])[..., None, :]
        return np.where(total > 0, powered / np.where(total > 0, total, 1.0), 0.5)

    def values(self, pi: np.ndarray, actors: np.ndarray) -> np.ndarray:
        """Return the war values of ``actors``, ``(len(actors), R)``.

        ``pi`` is ``(2, R)`` for all of them, or ``(len(actors), 2, R)``, one per actor.
        """
        u = self.umat[actors]
        w_end = pi[..., 0, :] * u[:, 0] + pi[..., 1, :] * u[:, 1]
        return (self.dq[actors] * w_end - self.fixed[actors]) / self.den[actors]

    def perceived(self, pi: np.ndarray, error: np.ndarray, i: int) -> np.ndarray:
        """Return side ``i``'s war value as it perceives it (:func:`perceived_war_values`)."""
        k = self.col[i]
        own = np.clip(pi[k] + error[:, i], 0.0, 1.0)
        rest = 1.0 - pi[k]
        scale = np.where(rest > 0, (1.0 - own) / np.where(rest > 0, rest, 1.0), 0.0)
        belief = np.empty_like(pi)
        belief[1 - k] = pi[1 - k] * scale
        belief[k] = own
        return self.values(belief, np.array([i]))[0]

    def gains(self, capability: np.ndarray, step: np.ndarray, patrons: np.ndarray) -> (
        np.ndarray
    ):
        """Return each patron's war value after its delivery minus before, ``(R, patrons)``."""
        cap = capability.T
        now, _ = self.strengths(cap)
        moved, _ = self.strengths(cap + step[:, patrons, :].transpose(1, 2, 0))
        pi = self.share(self.power(np.concatenate([now[None], moved])))
        return (self.values(pi[1:], patrons) - self.values(pi[0], patrons)).T

    def terms(self, capability: np.ndarray, projected: np.ndarray, error: np.ndarray,
              strike: np.ndarray, sides: np.ndarray) -> tuple[np.ndarray, ...]:
        """Return what :func:`break_values` weighs (see :func:`_break_terms`)."""
        cap, nxt = capability.T, projected.T
        s_now, g_now = self.strengths(cap)
        s_next, g_next = self.strengths(nxt)
        ks = [self.col[int(i)] for i in sides]
        first = 1.0 + strike
        raised = [cap[i] * first + g_now[k] for i, k in zip(sides, ks, strict=True)]
        raised += [nxt[i] * first + g_next[k] for i, k in zip(sides, ks, strict=True)]
        powered = self.power(np.concatenate([s_now, s_next, np.stack(raised)]))
        p_now, p_next = powered[0:2], powered[2:4]
        odds_next = self.share(p_next)
        m, n_runs = len(sides), len(capability)
        struck = np.empty((n_runs, m, m))
        now, later = np.empty((n_runs, m)), np.empty((n_runs, m))
        for j, (i, k) in enumerate(zip(sides, ks, strict=True)):
            p = p_next.copy()
            p[k] = powered[4 + m + j]
            struck[:, j, :] = self.values(self.share(p), sides).T
            p = p_now.copy()
            p[k] = powered[4 + j]
            now[:, j] = self.perceived(self.share(p), error, int(i))
            later[:, j] = self.perceived(odds_next, error, int(i))
        return struck, now, later


def estimate_errors(bias: np.ndarray, spread: np.ndarray, u: np.ndarray,
                    belligerent: np.ndarray) -> np.ndarray:
    """Each belligerent's error in its chance of winning, ``bias + spread * z``, z ~ N(0, 1).

    ``bias`` has shape ``(R, n)``, ``spread`` ``(R,)``, ``u`` one uniform per actor
    ``(R, n)``; non-belligerents get 0.

    Examples
    --------
    >>> estimate_errors(np.array([[0.0, 0.05, 0.0]]), np.array([0.1]),
    ...                 np.array([[0.5, 0.975, 0.5]]), np.array([True, True, False])
    ...                 ).round(3).tolist()
    [[0.0, 0.246, 0.0]]
    """
    z = ndtri(np.clip(u, 1e-12, 1.0 - 1e-12))
    return np.where(belligerent, bias + spread[:, None] * z, 0.0)


def perceived_war_values(contest: Contest, capability: np.ndarray, error: np.ndarray,
                         bonus: np.ndarray, actors: np.ndarray) -> np.ndarray:
    """Each of ``actors``' value of fighting on as it perceives it, ``(R, len(actors))``.

    Actor ``i`` believes it wins with probability ``clip(pi_i + error_i, 0, 1)``; the
    other belligerents' chances are scaled to fill the rest. ``bonus`` (shape ``(R, n)``)
    raises capabilities as a first strike does.

    Examples
    --------
    >>> c = Contest(np.array([[[1.0, 0.0], [0.0, 1.0]]]), np.zeros((1, 2, 2)),
    ...             np.zeros((1, 2)), np.full((1, 2), 0.9), np.array([True, True]),
    ...             np.ones(1), np.ones(1))
    >>> cap = np.array([[1.0, 1.0]])
    >>> perceived_war_values(c, cap, np.array([[0.2, 0.0]]), np.zeros((1, 2)),
    ...                      np.array([0])).round(2).tolist()
    [[0.7]]
    """
    pi = contest.win_probabilities(capability, bonus)
    out = np.empty((capability.shape[0], len(actors)))
    for j, i in enumerate(actors):
        own = np.clip(pi[:, i] + error[:, i], 0.0, 1.0)
        rest = 1.0 - pi[:, i]
        scale = np.where(rest > 0, (1.0 - own) / np.where(rest > 0, rest, 1.0), 0.0)
        belief = pi * scale[:, None]
        belief[:, i] = own
        out[:, j] = contest.war_values(capability, pi=belief)[:, i]
    return out


def delivery_gains(contest: Contest, capability: np.ndarray, step: np.ndarray,
                   patrons: np.ndarray, discount: np.ndarray, expected_cost: np.ndarray) -> (
    np.ndarray
):
    """Return what delivering arms this month is worth to each patron, net of expected cost.

    Parameters
    ----------
    contest : Contest
    capability : ndarray, shape (R, n)
    step : ndarray, shape (R, n, n)
        ``step[r, p, i]``: capability that patron ``p``'s delivery adds to client ``i``.
    patrons : ndarray of int
        The patrons' actor indices.
    discount : ndarray, shape (R, n)
        Discount factors (NaN counts as 0: the gain counts for one month only).
    expected_cost : ndarray, shape (R, n)
        Detection probability times the breach cost of each patron's embargo pledges.

    Returns
    -------
    ndarray, shape (R, len(patrons))

    Examples
    --------
    >>> c = Contest(np.array([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0]]]),
    ...             np.zeros((1, 3, 3)), np.zeros((1, 3)), np.full((1, 3), 0.9),
    ...             np.array([True, True, False]), np.ones(1), np.ones(1))
    >>> step = np.zeros((1, 3, 3)); step[0, 2, 1] = 0.5
    >>> gain = delivery_gains(c, np.array([[1.0, 1.0, 1.0]]), step, np.array([2]),
    ...                       np.full((1, 3), np.nan), np.zeros((1, 3)))
    >>> bool(gain[0, 0] > 0)  # a stronger client is worth something to its patron
    True
    """
    delta = np.nan_to_num(discount, nan=0.0)
    pair = contest._pair
    if pair is not None:
        gain = pair.gains(capability, step, patrons)
        return gain / (1.0 - delta[:, patrons]) - expected_cost[:, patrons]
    base = contest.war_values(capability)
    out = np.empty((capability.shape[0], len(patrons)))
    for j, q in enumerate(patrons):
        gain = contest.war_values(capability + step[:, q, :])[:, q] - base[:, q]
        out[:, j] = gain / (1.0 - delta[:, q]) - expected_cost[:, q]
    return out


def break_values(contest: Contest, capability: np.ndarray, projected: np.ndarray,
                 error: np.ndarray, strike: np.ndarray, pressure: np.ndarray,
                 peace: np.ndarray, discount: np.ndarray, sides: np.ndarray) -> (
    tuple[np.ndarray, np.ndarray]
):
    r"""Each side's value of striking now over keeping the ceasefire, :math:`B_i`.

    Parameters
    ----------
    contest : Contest
    capability, projected : ndarray, shape (R, n)
        Capabilities now and expected next month.
    error : ndarray, shape (R, n)
        Errors in the sides' estimates of their chances of winning (this month).
    strike : ndarray, shape (R,)
        The effective first-strike bonus (reduced by monitoring).
    pressure : ndarray, shape (R, n)
        What breaking the ceasefire costs each side (its patrons' pressure).
    peace : ndarray, shape (R, n)
        :math:`U_i(x)`, the text in force.
    discount : ndarray, shape (R, n)
        Discount factors (NaN counts as 0).
    sides : ndarray of int
        The belligerents bound by the ceasefire.

    Returns
    -------
    (values, expects_strike) : ndarray, shape (R, len(sides)) each
        :math:`B_i`, and whether side ``i`` expects another side to strike next month.

    Examples
    --------
    >>> c = Contest(np.array([[[1.0, 0.0], [0.0, 1.0]]]), np.zeros((1, 2, 2)),
    ...             np.full((1, 2), 0.05), np.full((1, 2), 0.9), np.array([True, True]),
    ...             np.ones(1), np.full(1, 0.5))
    >>> cap = np.array([[1.0, 1.0]])
    >>> b, _ = break_values(c, cap, cap, np.zeros((1, 2)), np.zeros(1), np.zeros((1, 2)),
    ...                     np.full((1, 2), 0.9), np.full((1, 2), 0.9), np.array([0, 1]))
    >>> bool((b < 0).all())  # a text worth 0.9 to both beats a coin-flip war
    True
    """
    n_runs = capability.shape[0]
    delta = np.nan_to_num(discount, nan=0.0)
    struck, now, later = _break_terms(contest, capability, projected, error, strike, sides)
    values = np.empty((n_runs, len(sides)))
    expects = np.zeros((n_runs, len(sides)), dtype=bool)
    # Who is expected to strike next month, as a one-month comparison at the projected
    # balance with the true odds: striking first then beats the text net of pressure.
    next_strike = np.zeros((n_runs, len(sides)), dtype=bool)
    for j, i in enumerate(sides):
        next_strike[:, j] = struck[:, j, j] - pressure[:, i] > peace[:, i]
    for j, i in enumerate(sides):
        cont = peace[:, i].copy()
        for k in range(len(sides)):  # the first other side expected to strike sets the continuation
            if k == j:
                continue
            hit = next_strike[:, k] & ~expects[:, j]
            cont = np.where(hit, struck[:, k, j], cont)
            expects[:, j] |= hit
        values[:, j] = ((1.0 - delta[:, i]) * (now[:, j] - pressure[:, i] - peace[:, i])
                        + delta[:, i] * (later[:, j] - cont))
    return values, expects


def _break_terms(contest: Contest, capability: np.ndarray, projected: np.ndarray,
                 error: np.ndarray, strike: np.ndarray, sides: np.ndarray) -> (
    tuple[np.ndarray, np.ndarray, np.ndarray]
):
    """Return the war values that :func:`break_values` weighs, side ``j`` in column ``j``.

    ``struck[:, j, k]``: side ``k``'s true war value at the projected capabilities if side
    ``j`` strikes first then; ``now[:, j]``: side ``j``'s perceived war value if it strikes
    first now; ``later[:, j]``: its perceived war value at the projected capabilities.
    """
    pair = contest._pair
    if pair is not None and all(int(i) in pair.col for i in sides):
        return pair.terms(capability, projected, error, strike, sides)
    n_runs, n = capability.shape
    struck = np.empty((n_runs, len(sides), len(sides)))
    now, later = np.empty((n_runs, len(sides))), np.empty((n_runs, len(sides)))
    for j, i in enumerate(sides):
        bonus = np.zeros((n_runs, n))
        bonus[:, i] = strike
        struck[:, j, :] = contest.war_values(projected, bonus)[:, sides]
        now[:, j] = perceived_war_values(contest, capability, error, bonus, np.array([i]))[:, 0]
        later[:, j] = perceived_war_values(contest, projected, error, np.zeros((n_runs, n)),
                                           np.array([i]))[:, 0]
    return struck, now, later


def takes_it(value: np.ndarray, rationality: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Whether a logit choice between an option worth ``value`` and one worth 0 takes the first.

    The same numbers as :func:`~negsim.protocol.rounds.kernels.choose` on the options
    ``np.stack([value, np.zeros_like(value)], -1)`` (``== 0``), operation for operation,
    without stacking them: the first option is taken when ``u`` is below its cumulative
    probability (and below the second's, ``s / s``, which is 1 unless the sum is not a
    positive finite number).

    Examples
    --------
    >>> from negsim.protocol.rounds.kernels import choose
    >>> v, lam = np.array([[0.2, -0.1, np.inf]]), np.array([[20.0]])
    >>> u = np.array([[0.9, 0.1, 0.5]])
    >>> takes_it(v, lam, u).tolist()
    [[True, True, False]]
    >>> (choose(np.stack([v, np.zeros_like(v)], -1), lam, u) == 0).tolist()
    [[True, True, False]]
    """
    ok = np.isfinite(value)
    first = np.where(ok, rationality * np.where(ok, value, 0.0), -np.inf)
    second = rationality * 0.0
    top = np.maximum(first, second)
    p_first, p_second = np.exp(first - top), np.exp(second - top)
    total = p_first + p_second
    return ~((u >= p_first / total) | (u >= total / total))


def patrons_of(st: Structure, sides: np.ndarray) -> np.ndarray:
    """Return the non-belligerent actors that back at least one of ``sides``, in actor order.

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.structure import structure
    >>> st = structure(negsim.load_scenario("libya-2020"))
    >>> patrons_of(st, np.array([1])).tolist()  # the LNA's backers
    [2, 4, 5]
    """
    backs = st.links[:, sides].any(axis=1) & ~st.belligerent
    return np.flatnonzero(backs)

def exit_values(quit_value: np.ndarray, pressure: np.ndarray, peace: np.ndarray,
                discount: np.ndarray, parties: np.ndarray) -> np.ndarray:
    r"""Each party's value of breaking the deal this month (a party is not at war).

    A party weighs breaking the deal alone, worth its value of staying out :math:`v_i(t)`
    (which drifts from month to month) less its patrons' pressure, against keeping it,
    worth :math:`U_i(x)`, by a logit choice on the present value of the difference,
    :math:`(v_i(t) - \text{pen}_i - U_i(x)) / (1 - \delta_i)`.

    Parameters
    ----------
    quit_value : ndarray, shape (R, len(parties))
    pressure, peace, discount : ndarray, shape (R, n)
    parties : ndarray of int

    Returns
    -------
    ndarray, shape (R, len(parties))

    Examples
    --------
    >>> exit_values(np.array([[0.8, 0.2]]), np.zeros((1, 2)), np.full((1, 2), 0.5),
    ...             np.full((1, 2), 0.9), np.array([0, 1])).round(6).tolist()
    [[3.0, -3.0]]
    """
    value = quit_value - pressure[:, parties] - peace[:, parties]
    return value / (1.0 - np.nan_to_num(discount[:, parties], nan=0.0))
