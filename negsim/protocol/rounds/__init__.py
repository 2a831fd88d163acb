"""The round kinds of a timeline, one module each, and the kernels they share.

Importing this package registers the built-in kinds (:mod:`~negsim.protocol.rounds.event`,
:mod:`~negsim.protocol.rounds.mediated`, :mod:`~negsim.protocol.rounds.conference`,
:mod:`~negsim.protocol.rounds.implementation`) in the
registry of :mod:`negsim.scenario.kinds`. A new kind is one new module with a
:class:`~negsim.scenario.kinds.RoundKind` subclass, registered with
:func:`~negsim.scenario.kinds.register_round_kind` (here for a built-in kind, or by the code
that defines it): the engine, the Mesa model, fixed-text ensembles, backtests and plots
dispatch through the registry.

Examples
--------
>>> from negsim.scenario.kinds import round_kind
>>> type(round_kind("conference")).__name__
'Conference'
"""

from negsim.protocol.rounds.conference import Conference, ConferenceResult
from negsim.protocol.rounds.event import Event
from negsim.protocol.rounds.implementation import Implementation, ImplementationResult
from negsim.protocol.rounds.mediated import MediatedRound, MediatedRoundResult
from negsim.scenario.kinds import register_round_kind

for _kind in (Event(), MediatedRound(), Conference(), Implementation()):
    register_round_kind(_kind, replace=True)

__all__ = [
    "Conference",
    "ConferenceResult",
    "Event",
    "Implementation",
    "ImplementationResult",
    "MediatedRound",
    "MediatedRoundResult",
]
