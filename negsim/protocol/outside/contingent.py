r"""The ``contingent`` outside option: a value that depends on the others' choices.

``value`` :math:`v_i` is the utility per period when nobody has the deal;
``value_if_others_sign`` :math:`a_i` when the actor stays out (does not sign, or breaks
the deal) while the other participants sign or keep it (isolation, sanctions, a deal that
goes on without it); ``discount`` as for ``no_deal``. Both are normalised like the value of
fighting on (:math:`(1 - \delta) \sum_t \delta^t v = v`).

- In the **signing game** the actor expects the others to sign when each other participant's
  own signing margin on the text, with every contingent participant valued at :math:`v`,
  is positive; its value of not signing is then :math:`a_i`, else :math:`v_i`.
- In the **compliance game** it gets :math:`a_i` when it alone breaks the deal while every
  other deal-ending player keeps it, and :math:`v_i` once someone else has broken it.
- In an **implementation phase** the deal is in force, so breaking it alone is worth
  :math:`a_i`.

Examples
--------
>>> import numpy as np
>>> from types import SimpleNamespace
>>> p = SimpleNamespace(outside_value=np.array([[0.5]]), outside_value_alone=np.array([[0.2]]))
>>> c = Contingent()
>>> c.refusal_values(p, None, np.array([0])).tolist(), c.alone_values(p, None, np.array([0]))
([[0.5]], array([[0.2]]))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from negsim.scenario.outside import OutsideOptionKind

__all__ = ["Contingent"]


class Contingent(OutsideOptionKind):
    """The ``contingent`` kind (see the module docstring).

    Examples
    --------
    >>> Contingent().depends_on_others
    True
    """

    name = "contingent"
    required = ("value", "value_if_others_sign", "discount")
    alternative = "staying out"

    def refusal_values(self, p: Any, war: np.ndarray, actors: np.ndarray) -> np.ndarray:
        """Return :math:`v_i` for ``actors`` (nobody has the deal), ``(R, len(actors))``.

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> p = SimpleNamespace(outside_value=np.array([[0.5]]))
        >>> Contingent().refusal_values(p, None, np.array([0])).tolist()
        [[0.5]]
        """
        return p.outside_value[:, actors]

    def alone_values(self, p: Any, war: np.ndarray, actors: np.ndarray) -> np.ndarray:
        """Return :math:`a_i` for ``actors`` (the others sign or keep the deal).

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> p = SimpleNamespace(outside_value_alone=np.array([[0.2]]))
        >>> Contingent().alone_values(p, None, np.array([0])).tolist()
        [[0.2]]
        """
        return p.outside_value_alone[:, actors]
