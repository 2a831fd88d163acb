r"""The ``ceasefire_support`` effect: a committed patron pressures its clients to comply.

A patron :math:`p`'s support costs are the sum of the ``breach_cost`` of the
``ceasefire_support`` commitments it made, :math:`s_p`; breaking the deal costs each
client :math:`i` the pressure :math:`\sum_p \text{leverage}_{pi}\, s_p` (in the compliance
game and in the implementation phase).

Examples
--------
>>> CeasefireSupport().name
'ceasefire_support'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from negsim.scenario.effects import EffectKind

__all__ = ["CeasefireSupport"]


class CeasefireSupport(EffectKind):
    """The ``ceasefire_support`` kind (see the module docstring).

    Examples
    --------
    >>> CeasefireSupport().fields
    ()
    """

    name = "ceasefire_support"
    break_cost_on = "clients"
    doc = ("a committed patron pressures its clients to comply: breaking costs a client "
           "leverage x breach_cost")

    def terms(self, ctx: Any, idx: np.ndarray) -> dict[str, np.ndarray]:
        """Return ``support``: each patron's committed breach costs, summed.

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> ctx = SimpleNamespace(cost=np.array([[[0.1], [0.0]]]))
        >>> CeasefireSupport().terms(ctx, np.array([0]))["support"].tolist()
        [[0.1, 0.0]]
        """
        return {"support": ctx.cost[:, :, idx].sum(axis=2)}
