r"""The ``sanctions_relief`` effect: the committed actor lifts sanctions on the beneficiaries.

While the deal holds, each beneficiary :math:`b \in B_c` of commitment :math:`c` gains
``value`` :math:`v_c` per period (on the 0..1 scale of a text's utility) from each actor
other than itself that committed to it, :math:`A_c`:

.. math:: \text{bonus}_b \mathrel{+}= v_c\, |A_c \setminus \{b\}|,

added to its value of the deal in force (the compliance game's payoffs without a break,
and the implementation phase's value of keeping the deal) and lost when the deal ends.
Reimposing the sanctions is the committed actor's way of breaking the deal: ending it costs
each :math:`a \in A_c` the ``breach_cost`` :math:`b_c`. Mutual relief is one commitment
whose beneficiaries also commit.

Examples
--------
>>> SanctionsRelief().required, SanctionsRelief().beneficiaries
(('value',), True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from negsim.scenario.effects import EffectKind

__all__ = ["SanctionsRelief"]


class SanctionsRelief(EffectKind):
    """The ``sanctions_relief`` kind (see the module docstring).

    Examples
    --------
    >>> SanctionsRelief().name
    'sanctions_relief'
    """

    name = "sanctions_relief"
    break_cost_on = "committed"
    required = ("value",)
    beneficiaries = True
    doc = ("the committed actor lifts sanctions on the beneficiaries: each gains value per "
           "period while the deal holds; reimposing them (breaking) costs breach_cost")

    def terms(self, ctx: Any, idx: np.ndarray) -> dict[str, np.ndarray]:
        """Return ``bonus`` (the beneficiaries' gains) and ``break_cost`` (the committed's).

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> committed = np.array([[[True], [True], [False]]])  # actors 0 and 1 commit
        >>> ctx = SimpleNamespace(committed=committed, cost=0.2 * committed,
        ...                       beneficiaries=(np.array([1, 2]),),
        ...                       number=lambda c, f: np.array([0.1]),
        ...                       zeros=lambda: np.zeros((1, 3)))
        >>> t = SanctionsRelief().terms(ctx, np.array([0]))
        >>> t["bonus"].tolist(), t["break_cost"].tolist()  # 1 gains from 0; 2 from both
        ([[0.0, 0.1, 0.2]], [[0.2, 0.2, 0.0]])
        """
        bonus = ctx.zeros()
        for c in idx:
            value = ctx.number(int(c), "value")
            n_c = ctx.committed[:, :, c].sum(axis=1)
            for b in ctx.beneficiaries[c]:
                bonus[:, b] += value * (n_c - ctx.committed[:, b, c])
        return {"bonus": bonus, "break_cost": ctx.cost[:, :, idx].sum(axis=2)}
