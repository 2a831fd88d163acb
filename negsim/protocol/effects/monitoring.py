r"""The ``monitoring`` effect: powers that commit to monitoring reduce the first strike.

The monitoring share :math:`m` is the share of (power, ``monitoring`` commitment) pairs
committed, over the powers of every conference played
(:func:`negsim.protocol.structure.monitoring_share`). It lowers the first-strike bonus to
:math:`f\,(1 - m)` and raises the detection of deliveries in the implementation phase to
:math:`d + (1 - d)\, d_m\, m`. It adds no other term.

Examples
--------
>>> Monitoring().monitors, Monitoring().terms(None, np.array([0]))
(True, {})
"""

from __future__ import annotations

import numpy as np  # noqa: F401  (the doctest)

from negsim.scenario.effects import EffectKind

__all__ = ["Monitoring"]


class Monitoring(EffectKind):
    """The ``monitoring`` kind (see the module docstring).

    Examples
    --------
    >>> Monitoring().name
    'monitoring'
    """

    name = "monitoring"
    monitors = True
    doc = "committed powers monitor the deal: the first-strike bonus falls with their share"
