r"""Mediators' inducements on arrays: side payments to reluctant participants, guarantees.

The numbers come from a mediated round's ``inducements`` (:mod:`negsim.scenario.inducements`),
sampled per run into :attr:`~negsim.protocol.params.Params.side_payments` and
:attr:`~negsim.protocol.params.Params.guarantee` (shape ``(R, T, n)``: run, timeline entry,
mediator). The formulas are those of deal design (``negsim.analysis.concessions``), here
chosen by the mediators inside the simulation:

* **Side payments.** After drafting, the mediators know each participant's signing margin on
  the draft, :math:`m_i(x_0)` (the margins the model computes; the model has no private
  information at the signing stage, so the mediators' estimate is the true margin). A
  transfer :math:`t` per period while the deal holds adds :math:`t` to the value of signing;
  the smallest transfer that brings a negative margin to zero is :math:`t_i = -m_i(x_0)`.
  Participants that need one (margin below 0, the draft within their red lines: no transfer
  moves a red line) are offered theirs cheapest first (ties in participant order), as long as
  the running total stays within the mediators' pooled budget :math:`R = \sum_m R_m`; the
  first that does not fit and all dearer ones get nothing (an all-or-nothing offer: a part of
  :math:`t_i` would leave the margin negative). A larger budget therefore never lowers any
  participant's transfer. Each mediator pays the share :math:`R_m / R` of the total.
* **Guarantees.** A participant that breaks the deal pays :math:`\phi = \sum_m \phi_m` per
  period (each mediator's ``guarantee``), added to its ceasefire pressure.

While the deal holds, a transfer is paid: it adds :math:`t_i` to the recipient's payoff
(``keep_bonus``) and takes its share from each paying mediator, in the compliance game (in
every profile in which the deal has not ended) and in an implementation phase (the value of
keeping the deal). The guarantee adds :math:`\phi` to what breaking costs (``break_cost``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "entry_position",
    "inducement_terms",
    "offer_transfers",
    "total_budget",
    "uses_guarantee",
    "uses_side_payments",
]


def entry_position(scenario: Any, entry: Any) -> int:
    """Return the position of a timeline entry in its scenario's timeline (by its id).

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load_scenario("libya-2020")
    >>> entry_position(s, s.round("moscow"))
    2
    """
    return [t.id for t in scenario.timeline].index(entry.id)


def uses_side_payments(entry: Any) -> bool:
    """Whether a mediator of the entry has a budget for side payments.

    Examples
    --------
    >>> import negsim
    >>> uses_side_payments(negsim.load_scenario("libya-2020").round("moscow"))
    False
    """
    return any(i.side_payments is not None for i in getattr(entry, "inducements", ()))


def uses_guarantee(entry: Any) -> bool:
    """Whether a mediator of the entry guarantees the deal.

    Examples
    --------
    >>> import negsim
    >>> uses_guarantee(negsim.load_scenario("libya-2020").round("moscow"))
    False
    """
    return any(i.guarantee is not None for i in getattr(entry, "inducements", ()))


def total_budget(side_payments: np.ndarray, position: int, meds: np.ndarray) -> np.ndarray:
    """Return the mediators' pooled budget per run, ``(R,)``, summed in mediator order.

    Examples
    --------
    >>> b = np.zeros((1, 1, 3)); b[0, 0, 1] = 0.1; b[0, 0, 2] = 0.05
    >>> total_budget(b, 0, np.array([1, 2])).round(6).tolist()
    [0.15]
    """
    total = np.zeros(side_payments.shape[0])
    for m in meds:
        total = total + side_payments[:, position, m]
    return total


def offer_transfers(margin: np.ndarray, can_sign: np.ndarray, budget: np.ndarray) -> np.ndarray:
    """Return the transfer offered to each participant, ``(R, k)`` (see the module notes).

    Parameters
    ----------
    margin : ndarray, shape (R, k)
        The participants' signing margins on the draft.
    can_sign : ndarray of bool, shape (R, k)
        Whether the draft is within each participant's red lines.
    budget : ndarray, shape (R,)
        The mediators' pooled budget.

    Examples
    --------
    Three participants need 0.3, nothing and 0.1; a budget of 0.2 pays the cheapest need:

    >>> m = np.array([[-0.3, 0.2, -0.1]])
    >>> offer_transfers(m, np.ones((1, 3), bool), np.array([0.2])).tolist()
    [[0.0, 0.0, 0.1]]
    >>> offer_transfers(m, np.ones((1, 3), bool), np.array([0.4])).round(6).tolist()
    [[0.3, 0.0, 0.1]]
    """
    need = np.where(can_sign & (margin < 0), -margin, 0.0)
    order = np.argsort(need, axis=1, kind="stable")
    ranked = np.take_along_axis(need, order, axis=1)
    spent = np.zeros(len(need))
    paid = np.zeros_like(ranked)
    for j in range(ranked.shape[1]):
        spent = spent + ranked[:, j]
        paid[:, j] = np.where(spent <= budget, ranked[:, j], 0.0)
    out = np.zeros_like(need)
    np.put_along_axis(out, order, paid, axis=1)
    return out


def inducement_terms(side_payments: np.ndarray, guarantee: np.ndarray, position: int,
                     parts: np.ndarray, meds: np.ndarray, transfer: np.ndarray | None,
                     entry: Any) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Return ``(keep_bonus, break_cost)``, each ``(R, n)`` or None where the entry has none.

    ``keep_bonus`` is what each actor gains per period while the deal holds: its transfer
    (``transfer``, ``(R, k)`` for ``parts``; None: nothing paid), less, for a mediator, its
    share of the transfers. ``break_cost`` is what each participant pays per period if it
    breaks the deal: the sum of the mediators' guarantees.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> sp = SimpleNamespace(side_payments=1, guarantee=None)
    >>> entry = SimpleNamespace(inducements=(sp,))
    >>> budget = np.zeros((1, 1, 3)); budget[0, 0, 2] = 0.5
    >>> keep, cost = inducement_terms(budget, np.zeros((1, 1, 3)), 0, np.array([0, 1]),
    ...                               np.array([2]), np.array([[0.1, 0.0]]), entry)
    >>> keep.tolist(), cost
    ([[0.1, 0.0, -0.1]], None)
    """
    runs, n = side_payments.shape[0], side_payments.shape[2]
    keep = cost = None
    if uses_side_payments(entry):
        keep = np.zeros((runs, n))
        if transfer is not None:
            keep[:, parts] = transfer
            total = np.zeros(runs)
            for j in range(transfer.shape[1]):
                total = total + transfer[:, j]
            budget = total_budget(side_payments, position, meds)
            share = np.divide(total, budget, out=np.zeros(runs), where=budget > 0)
            for m in meds:
                keep[:, m] = keep[:, m] - share * side_payments[:, position, m]
    if uses_guarantee(entry):
        cost = np.zeros((runs, n))
        phi = np.zeros(runs)
        for m in meds:
            phi = phi + guarantee[:, position, m]
        cost[:, parts] = phi[:, None]
    return keep, cost
