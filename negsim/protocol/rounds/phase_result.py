"""What happened in the months after the talks, for one run (:class:`ImplementationResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from negsim._frozen import FrozenMap

__all__ = ["ImplementationResult"]


@dataclass(frozen=True)
class ImplementationResult:
    """What happened in the months after the talks (one run).

    Attributes
    ----------
    id : str
    horizon : int
    duration : int
        The month the ceasefire broke, or the horizon if it held.
    broke : bool
    broken_by, reason : str
        Who struck first and why, in words ("" if it held).
    delivered, detected : FrozenMap
        Month -> FrozenMap(patron -> bool).
    capability : FrozenMap
        Month -> FrozenMap(side -> capability at the end of the month).
    deal : str
        What the deal is called (the scenario's ``words.deal``).
    own_break : FrozenMap
        Actor -> its own ``break`` phrase, for the actors that name one
        (``[actors.ID.words]``): a patron's deliveries are then told in its words.
    terms : TermRecord or None
        With a term or suspension (:mod:`negsim.protocol.rounds.terms`): the renewals, the
        end of the last term and the suspensions, with their columns.

    Examples
    --------
    >>> r = ImplementationResult("after", 1, 1, False, "", "", FrozenMap({1: FrozenMap()}),
    ...                          FrozenMap({1: FrozenMap()}), FrozenMap({1: FrozenMap()}))
    >>> r.columns()["after.broke"], r.story()[0]
    (False, 'after: the agreement held for 1 month.')
    """

    id: str
    horizon: int
    duration: int
    broke: bool
    broken_by: str
    reason: str
    delivered: FrozenMap
    detected: FrozenMap
    capability: FrozenMap
    deal: str = "the agreement"
    own_break: FrozenMap = field(default_factory=FrozenMap)
    terms: Any = None
    signs_text: ClassVar[bool] = False

    def columns(self) -> dict[str, Any]:
        """Return this phase's columns of the runs table (see the module docstring).

        Examples
        --------
        >>> r = ImplementationResult("a", 1, 1, True, "X", "X: why", FrozenMap({1: FrozenMap()}),
        ...                          FrozenMap({1: FrozenMap()}), FrozenMap({1: FrozenMap()}))
        >>> list(r.columns())
        ['a.duration', 'a.broke', 'a.broken_by', 'a.reason']
        """
        row: dict[str, Any] = {f"{self.id}.duration": float(self.duration),
                               f"{self.id}.broke": self.broke,
                               f"{self.id}.broken_by": self.broken_by,
                               f"{self.id}.reason": self.reason}
        for t in range(1, self.horizon + 1):
            for a, v in self.delivered[t].items():
                row[f"{self.id}.m{t}.{a}.delivered"] = v
                row[f"{self.id}.m{t}.{a}.detected"] = self.detected[t][a]
            for a, v in self.capability[t].items():
                row[f"{self.id}.m{t}.{a}.capability"] = v
        if self.terms is not None:
            row.update(self.terms.columns)
        return row

    def story(self, reasons: Any = None) -> list[str]:
        """Tell the months after the talks in lines of words (``reasons`` is unused).

        Examples
        --------
        >>> r = ImplementationResult("a", 6, 2, True, "X", "X: why", FrozenMap(),
        ...                          FrozenMap(), FrozenMap())
        >>> r.story()
        ['a: the agreement broke in month 2 of 6: X: why.']
        >>> yes, no = FrozenMap({"UAE": True}), FrozenMap({"UAE": False})
        >>> r = ImplementationResult("a", 2, 2, False, "", "", FrozenMap({1: yes, 2: no}),
        ...                          FrozenMap({1: no, 2: no}), FrozenMap(),
        ...                          own_break=FrozenMap({"UAE": "ship arms to the LNA"}))
        >>> r.story()[1]
        '  UAE chose to ship arms to the LNA in 1 of 2 months (0 detected).'
        """
        if not self.broke:
            s = "" if self.horizon == 1 else "s"
            lines = [f"{self.id}: {self.deal} held for {self.horizon} month{s}."]
            if self.terms is not None and self.terms.expired:
                lines = [f"{self.id}: {self.deal} held to the end of its last term, month "
                         f"{self.terms.term.end} of {self.horizon}."]
        else:
            lines = [f"{self.id}: {self.deal} broke in month {self.duration} of "
                     f"{self.horizon}: {self.reason}."]
        if self.terms is not None:
            lines += self.terms.story(self.deal)
        for a in (self.delivered[1] if self.delivered else {}):
            months = [t for t in self.delivered if self.delivered[t][a]]
            seen = sum(bool(self.detected[t][a]) for t in months)
            did = (f"chose to {self.own_break[a]}" if a in self.own_break
                   else "delivered arms")
            if months:
                lines.append(f"  {a} {did} in {len(months)} of {self.horizon} months "
                             f"({seen} detected).")
        return lines

