"""Where each random number of a run sits: the draw layout shared by both engines."""

from __future__ import annotations

from dataclasses import dataclass

from negsim.scenario import Scenario
from negsim.scenario.kinds import round_kind

__all__ = ["DrawLayout", "draw_layout"]


@dataclass(frozen=True)
class DrawLayout:
    """Where each random number of a run sits in its block of uniforms.

    A run draws ``total`` uniforms from its own generator, in this order: one per
    uncertainty entry, then for each timeline entry in order the block its round kind asks
    for (:meth:`negsim.scenario.kinds.RoundKind.draws`; mediated round: the first choices of
    its participants, then their choices on an amended text; conference: one per power and
    commitment, commitment-major). Every draw is made even
    when it is not used (the choices on an amended text when nobody asked for time), so a
    run's later draws do not depend on its earlier choices.

    Attributes
    ----------
    uncertainty : slice
        The uniforms of the uncertain parameters, in file order.
    rounds : tuple of (slice or None)
        Each timeline entry's block (``None`` for an event, which draws nothing).
    total : int
        How many uniforms a run draws.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load_scenario("libya-2020")
    >>> lay = draw_layout(s)
    >>> lay.uncertainty == slice(0, len(s.uncertainty)), lay.rounds[:2]
    (True, (None, None))
    >>> lay.rounds[2].stop - lay.rounds[2].start  # Moscow: 2 draws for each of 2 parties
    4
    """

    uncertainty: slice
    rounds: tuple[slice | None, ...]
    total: int


def draw_layout(scenario: Scenario) -> DrawLayout:
    """Compute the :class:`DrawLayout` of a scenario.

    Examples
    --------
    >>> import negsim
    >>> lay = draw_layout(negsim.load_scenario("libya-2020"))
    >>> lay.total >= 4
    True
    """
    start = len(scenario.uncertainty)
    blocks: list[slice | None] = []
    for entry in scenario.timeline:
        size = round_kind(entry.kind).draws(entry, scenario)
        blocks.append(slice(start, start + size) if size else None)
        start += size
    return DrawLayout(slice(0, len(scenario.uncertainty)), tuple(blocks), start)
