r"""The ``payments`` effect: the committed actor pays the beneficiaries while the deal holds.

Each committed actor :math:`a \in A_c` pays ``amount`` :math:`m_c` per period (on the
0..1 scale of a text's utility), split equally among the beneficiaries other than itself,
:math:`B_c \setminus \{a\}`:

.. math::

    \text{bonus}_a \mathrel{-}= m_c, \qquad
    \text{bonus}_b \mathrel{+}= \frac{m_c}{|B_c \setminus \{a\}|}
    \quad (b \in B_c \setminus \{a\}),

added to their values of the deal in force and lost when it ends (nobody pays or is paid
without a deal). Stopping payment is the payer's way of breaking: ending the deal costs it
``breach_cost`` :math:`b_c`.

Examples
--------
>>> Payments().required, Payments().beneficiaries
(('amount',), True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from negsim.scenario.effects import EffectKind

__all__ = ["Payments"]


class Payments(EffectKind):
    """The ``payments`` kind (see the module docstring).

    Examples
    --------
    >>> Payments().name
    'payments'
    """

    name = "payments"
    break_cost_on = "committed"
    required = ("amount",)
    beneficiaries = True
    doc = ("the committed actor pays amount per period, split equally among the "
           "beneficiaries, while the deal holds; stopping payment (breaking) costs breach_cost")

    def terms(self, ctx: Any, idx: np.ndarray) -> dict[str, np.ndarray]:
        """Return ``bonus`` (paid: negative, received: positive) and ``break_cost``.

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> committed = np.array([[[True], [False], [False]]])  # actor 0 pays 1 and 2
        >>> ctx = SimpleNamespace(committed=committed, cost=0.3 * committed,
        ...                       beneficiaries=(np.array([1, 2]),),
        ...                       number=lambda c, f: np.array([0.2]),
        ...                       zeros=lambda: np.zeros((1, 3)))
        >>> t = Payments().terms(ctx, np.array([0]))
        >>> t["bonus"].tolist(), t["break_cost"].tolist()
        ([[-0.2, 0.1, 0.1]], [[0.3, 0.0, 0.0]])
        """
        bonus = ctx.zeros()
        for c in idx:
            amount = ctx.number(int(c), "amount")
            for a in range(bonus.shape[1]):
                paid = ctx.beneficiaries[c][ctx.beneficiaries[c] != a]
                if not len(paid):
                    continue
                pays = np.where(ctx.committed[:, a, c], amount, 0.0)
                bonus[:, a] -= pays
                for b in paid:
                    bonus[:, b] += pays / len(paid)
        return {"bonus": bonus, "break_cost": ctx.cost[:, :, idx].sum(axis=2)}
