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

import numpy as np
from scipy.special import ndtri

from negsim.protocol.utility import (
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
    "exit_values",
    "perceived_war_values",
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
        return Contest(self.umat[rows], self.support[rows], self.cost[rows],
                       self.discount[rows], self.belligerent, self.exponent[rows],
                       self.decisiveness[rows])

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
                   pi: np.ndarray | None = None) -> np.ndarray:
        """Return every actor's value of fighting on, ``(R, n)`` (``pi`` overrides the odds).

        Examples
        --------
        >>> c = Contest(np.array([[[1.0, 0.0], [0.0, 1.0]]]), np.zeros((1, 2, 2)),
        ...             np.full((1, 2), 0.1), np.full((1, 2), 0.9), np.array([True, True]),
        ...             np.ones(1), np.ones(1))
        >>> c.war_values(np.array([[1.0, 1.0]])).round(2).tolist()
        [[0.44, 0.44]]
        """
        if pi is None:
            pi = self.win_probabilities(capability, bonus)
        return war_values(pi, self.umat, self.cost, self.discount, self.decisiveness)


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
    base = contest.war_values(capability)
    delta = np.nan_to_num(discount, nan=0.0)
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
    n_runs, n = capability.shape
    delta = np.nan_to_num(discount, nan=0.0)
    values = np.empty((n_runs, len(sides)))
    expects = np.zeros((n_runs, len(sides)), dtype=bool)
    # Who is expected to strike next month, as a one-month comparison at the projected
    # balance with the true odds: striking first then beats the text net of pressure.
    next_strike = np.zeros((n_runs, len(sides)), dtype=bool)
    struck = np.empty((n_runs, len(sides), n))
    for j, i in enumerate(sides):
        bonus = np.zeros((n_runs, n))
        bonus[:, i] = strike
        w_s = contest.war_values(projected, bonus)
        next_strike[:, j] = w_s[:, i] - pressure[:, i] > peace[:, i]
        struck[:, j, :] = w_s
    for j, i in enumerate(sides):
        bonus = np.zeros((n_runs, n))
        bonus[:, i] = strike
        now = perceived_war_values(contest, capability, error, bonus, np.array([i]))[:, 0]
        later = perceived_war_values(contest, projected, error, np.zeros((n_runs, n)),
                                     np.array([i]))[:, 0]
        others = [k for k in range(len(sides)) if k != j]
        cont = peace[:, i].copy()
        for k in others:  # the first other side expected to strike sets the continuation
            hit = next_strike[:, k] & ~expects[:, j]
            cont = np.where(hit, struck[:, k, i], cont)
            expects[:, j] |= hit
        values[:, j] = ((1.0 - delta[:, i]) * (now - pressure[:, i] - peace[:, i])
                        + delta[:, i] * (later - cont))
    return values, expects



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
