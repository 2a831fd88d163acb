r"""The ``inspections`` effect: the committed actor accepts inspections of its compliance.

Inspections detect a breach by the committed (inspected) actor :math:`a \in A_c` with
probability ``detection`` :math:`q_c`, and a detected breach costs it ``breach_cost``
:math:`b_c`; ending the deal therefore costs it :math:`q_c\, b_c` in expectation, added to
what breaking costs it (in the compliance game and in the implementation phase).

Inspections do not lower the first-strike bonus, unlike ``monitoring``: the model's bonus
is one number shared by every side at war (how much striking first pays when nobody watches
the lines), while inspections watch one actor's own compliance; lowering the shared bonus
for one actor's inspections would reward the uninspected sides too. An inspected actor's
breakout is deterred through its expected cost instead.

Examples
--------
>>> Inspections().required, Inspections().beneficiaries
(('detection',), False)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from negsim.scenario.effects import EffectKind

__all__ = ["Inspections"]


class Inspections(EffectKind):
    """The ``inspections`` kind (see the module docstring).

    Examples
    --------
    >>> Inspections().name
    'inspections'
    """

    name = "inspections"
    break_cost_on = "committed"
    required = ("detection",)
    doc = ("the committed actor accepts inspections that detect its breach with probability "
           "detection; a detected breach costs breach_cost")

    def terms(self, ctx: Any, idx: np.ndarray) -> dict[str, np.ndarray]:
        """Return ``break_cost``: detection times breach cost, summed over commitments.

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> ctx = SimpleNamespace(cost=np.array([[[0.5], [0.0]]]),
        ...                       number=lambda c, f: np.array([0.4]))
        >>> Inspections().terms(ctx, np.array([0]))["break_cost"].tolist()
        [[0.2, 0.0]]
        """
        out = None
        for c in idx:
            term = ctx.number(int(c), "detection")[:, None] * ctx.cost[:, :, c]
            out = term if out is None else out + term
        return {"break_cost": out}
