"""The ``event`` kind: a dated fact of the context (a ceasefire declared, a visit); nobody decides.

An event draws nothing, plays nothing and has no result or columns; it is one Mesa step.
"""

from __future__ import annotations

from negsim.scenario.kinds import RoundKind

__all__ = ["Event"]


class Event(RoundKind):
    """The ``event`` kind (see the module docstring).

    Examples
    --------
    >>> import negsim
    >>> from negsim.scenario.kinds import round_kind
    >>> [round_kind(e.kind).decides for e in negsim.load_scenario("libya-2020").timeline]
    [False, False, True, True, True]
    """

    name = "event"
    lists = frozenset({"participants", "mediators"})
    decides = False
