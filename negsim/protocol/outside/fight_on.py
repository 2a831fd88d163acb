r"""The ``fight_on`` outside option: the value of fighting on (the default kind).

The actor's value of no deal is its per-period value of fighting on,
:math:`d_i = (\delta_i q W_i - (1 - \delta_i) c_i) / (1 - \delta_i (1 - q))`
(:func:`negsim.protocol.utility.war_values`), from its ``cost``, ``discount`` and the
belligerents' contest; ``optimism`` biases its estimate of its chance of winning in an
implementation phase. Its table: ``cost``, ``discount`` and optionally ``optimism``. A
participant with this kind must be a belligerent; a ``party`` cannot have it.

Examples
--------
>>> FightOn().required, FightOn().at_war
(('cost', 'discount'), True)
"""

from __future__ import annotations

from negsim.scenario.outside import OutsideOptionKind

__all__ = ["FightOn"]


class FightOn(OutsideOptionKind):
    """The ``fight_on`` kind (see the module docstring).

    Examples
    --------
    >>> FightOn().alternative
    'fighting on'
    """

    name = "fight_on"
    required = ("cost", "discount")
    optional = ("optimism",)
    at_war = True
    alternative = "fighting on"
