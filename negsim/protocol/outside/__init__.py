"""The outside-option kinds, one module each, and what the protocol computes from them.

Importing this package registers the built-in kinds (:mod:`~negsim.protocol.outside.fight_on`,
:mod:`~negsim.protocol.outside.no_deal`, :mod:`~negsim.protocol.outside.contingent`) in the
registry of :mod:`negsim.scenario.outside`. A new kind is one module with a
:class:`~negsim.scenario.outside.OutsideOptionKind` subclass, registered with
:func:`~negsim.scenario.outside.register_outside_option`.

Examples
--------
>>> from negsim.scenario.outside import outside_option_kinds
>>> outside_option_kinds()
('fight_on', 'no_deal', 'contingent')
"""

from negsim.protocol.outside.contingent import Contingent
from negsim.protocol.outside.fight_on import FightOn
from negsim.protocol.outside.no_deal import NoDeal
from negsim.scenario.outside import register_outside_option

for _kind in (FightOn(), NoDeal(), Contingent()):
    register_outside_option(_kind, replace=True)

__all__ = ["Contingent", "FightOn", "NoDeal"]
