"""The commitment effects, one module each, and what the protocol computes from them.

Importing this package registers the built-in effects in the registry of
:mod:`negsim.scenario.effects`: :mod:`~negsim.protocol.effects.embargo`,
:mod:`~negsim.protocol.effects.ceasefire_support`,
:mod:`~negsim.protocol.effects.monitoring`,
:mod:`~negsim.protocol.effects.sanctions_relief`,
:mod:`~negsim.protocol.effects.inspections` and :mod:`~negsim.protocol.effects.payments`.
A new effect is one module with an :class:`~negsim.scenario.effects.EffectKind` subclass,
registered with :func:`~negsim.scenario.effects.register_effect`; its terms are added up by
:func:`~negsim.protocol.effects.context.effect_terms`.

Examples
--------
>>> from negsim.scenario.effects import effect_kinds
>>> effect_kinds()
('embargo', 'ceasefire_support', 'monitoring', 'sanctions_relief', 'inspections', 'payments')
"""

from negsim.protocol.effects.ceasefire_support import CeasefireSupport
from negsim.protocol.effects.context import EffectContext, effect_terms
from negsim.protocol.effects.embargo import Embargo
from negsim.protocol.effects.inspections import Inspections
from negsim.protocol.effects.monitoring import Monitoring
from negsim.protocol.effects.payments import Payments
from negsim.protocol.effects.sanctions_relief import SanctionsRelief
from negsim.scenario.effects import register_effect

for _kind in (Embargo(), CeasefireSupport(), Monitoring(), SanctionsRelief(), Inspections(),
              Payments()):
    register_effect(_kind, replace=True)

__all__ = ["CeasefireSupport", "EffectContext", "Embargo", "Inspections", "Monitoring",
           "Payments", "SanctionsRelief", "effect_terms"]
