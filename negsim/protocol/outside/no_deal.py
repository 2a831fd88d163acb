r"""The ``no_deal`` outside option: a fixed value per period of having no deal.

``value`` :math:`v_i` is the utility per period of no deal (the status quo, sanctions,
litigation), on the 0..1 scale of a text's utility; ``discount`` :math:`\delta_i` the
discount factor per period. Refusing or breaking the deal is worth the present value of
:math:`v_i` forever, in the per-period normalisation of the value of fighting on,
:math:`d_i = (1 - \delta_i) \sum_{t \ge 0} \delta_i^t v_i = v_i`, so the two kinds are
comparable. The discount factor weighs the future in the choices to ask for time and in the
repeated compliance game.

Examples
--------
>>> import numpy as np
>>> from types import SimpleNamespace
>>> p = SimpleNamespace(outside_value=np.array([[np.nan, 0.3]]))
>>> NoDeal().refusal_values(p, np.zeros((1, 2)), np.array([1])).tolist()
[[0.3]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from negsim.scenario.outside import OutsideOptionKind

__all__ = ["NoDeal"]


class NoDeal(OutsideOptionKind):
    """The ``no_deal`` kind (see the module docstring).

    Examples
    --------
    >>> NoDeal().required, NoDeal().depends_on_others
    (('value', 'discount'), False)
    """

    name = "no_deal"
    required = ("value", "discount")
    alternative = "no deal"

    def refusal_values(self, p: Any, war: np.ndarray, actors: np.ndarray) -> np.ndarray:
        """Return :math:`v_i` for ``actors``, ``(R, len(actors))``.

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> p = SimpleNamespace(outside_value=np.array([[0.2, 0.4]]))
        >>> NoDeal().refusal_values(p, None, np.array([0, 1])).tolist()
        [[0.2, 0.4]]
        """
        return p.outside_value[:, actors]
