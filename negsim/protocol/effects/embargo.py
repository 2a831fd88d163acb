r"""The ``embargo`` effect: a committed patron that breaks the arms embargo pays.

What breaking the arms embargo costs actor :math:`i` is the sum of the ``breach_cost`` of
the ``embargo`` commitments it made, :math:`\sum_{c \in E,\ i\ \text{committed}} b_c`: in
the compliance game when a patron breaks the embargo, and in the implementation phase as
the expected cost of a delivery (times the detection probability). Its ``keep`` and
``break`` phrases name the patrons' compliance choice.

Examples
--------
>>> Embargo().patron_choice, Embargo().fields
(True, ())
"""

from __future__ import annotations

from typing import Any

import numpy as np

from negsim.scenario.effects import EffectKind

__all__ = ["Embargo"]


class Embargo(EffectKind):
    """The ``embargo`` kind (see the module docstring).

    Examples
    --------
    >>> Embargo().name
    'embargo'
    """

    name = "embargo"
    patron_choice = True
    doc = "a committed patron that breaks the arms embargo pays breach_cost"

    def terms(self, ctx: Any, idx: np.ndarray) -> dict[str, np.ndarray]:
        """Return ``embargo``: each actor's committed breach costs, summed.

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> ctx = SimpleNamespace(cost=np.array([[[0.1, 0.2], [0.0, 0.3]]]))
        >>> Embargo().terms(ctx, np.array([0, 1]))["embargo"].round(6).tolist()
        [[0.3, 0.3]]
        """
        return {"embargo": ctx.cost[:, :, idx].sum(axis=2)}
