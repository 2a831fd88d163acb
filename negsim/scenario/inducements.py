"""Mediators' inducements: side payments and guarantees, read from a mediated round's entry.

A ``mediated_round`` entry may give each of its mediators a table of inducements::

    [[timeline]]
    id = "vienna"
    kind = "mediated_round"
    mediators = ["EU"]
    ...
    [timeline.inducements.EU]
    side_payments = { value = 0.05, assumption = "budget per period, utility scale" }
    guarantee = { value = 0.2, source = "doc", quote = "..." }

``side_payments`` is the mediator's budget per period, on the utility scale of a text (a
perfect text is worth 1 a period to anyone); ``guarantee`` the cost per period that a
participant breaking the deal expects to pay the mediator (the credibility of the threat is
in the number). Both are sourced numbers of at least 0, addressable by ``--set`` and
``[[uncertainty]]`` as ``timeline[I].inducements.MEDIATOR.side_payments`` (``I`` the
entry's position in the timeline). How they are played: :mod:`negsim.protocol.inducements`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from negsim.scenario.checker import Checker, join_path
from negsim.scenario.elements import Sourced
from negsim.scenario.vocabulary import NONNEG

__all__ = ["INDUCEMENT_FIELDS", "Inducement", "read_inducements"]

INDUCEMENT_FIELDS = ("side_payments", "guarantee")
"""The inducements a mediator may offer, in the order of their table."""


@dataclass(frozen=True, slots=True)
class Inducement:
    """What one mediator offers in a mediated round: a budget for side payments, a guarantee.

    Attributes
    ----------
    mediator : str
        The mediator's actor id.
    side_payments : Sourced or None
        Its budget for transfers to the participants, per period (utility scale).
    guarantee : Sourced or None
        The cost per period a participant that breaks the deal pays.

    Examples
    --------
    >>> from negsim.scenario.elements import Provenance
    >>> i = Inducement("EU", Sourced(0.05, Provenance(assumption="a guess")), None)
    >>> i.mediator, i.side_payments.value, i.guarantee
    ('EU', 0.05, None)
    """

    mediator: str
    side_payments: Sourced | None = None
    guarantee: Sourced | None = None

    def _to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name)._to_dict() for name in INDUCEMENT_FIELDS
                if getattr(self, name) is not None}


def read_inducements(c: Checker, path: str, tbl: dict[str, Any], kind: str | None,
                     mediators: tuple[str, ...],
                     takes: bool) -> tuple[Inducement, ...]:
    """Check an entry's ``inducements`` table and return one :class:`Inducement` per mediator.

    Parameters
    ----------
    c : Checker
        Collects the problems.
    path : str
        The entry's path, e.g. ``"timeline[2]"``.
    tbl : dict
        The entry's table.
    kind : str or None
        The entry's kind (None if invalid).
    mediators : tuple of str
        The entry's mediators: the keys ``inducements`` may have.
    takes : bool
        Whether the entry's kind takes inducements.

    Examples
    --------
    >>> c = Checker("my.toml")
    >>> [i] = read_inducements(c, "timeline[0]", {"inducements": {"EU": {"guarantee": {
    ...     "value": 0.2, "assumption": "x"}}}}, "mediated_round", ("EU",), True)
    >>> i.guarantee.value, c.problems
    (0.2, [])
    >>> read_inducements(c, "timeline[0]", {"inducements": {"UN": {"guarantee": 0.2}}},
    ...                  "mediated_round", ("EU",), True)
    ()
    >>> for p in c.problems: print(p)  # doctest: +NORMALIZE_WHITESPACE
    my.toml: timeline[0].inducements.UN: 'UN' is not a mediator of this round (mediators: EU)
    """
    if "inducements" not in tbl:
        return ()
    at = join_path(path, "inducements")
    if not takes:
        c.fail(at, f"only a mediated_round has inducements, not {_article(kind or 'entry')}")
        return ()
    raw = tbl["inducements"]
    if not isinstance(raw, dict):
        c.fail(at, "must be a table of mediators, e.g. [timeline.inducements.EU] with "
               "side_payments = { value = 0.05, assumption = \"...\" }")
        return ()
    out = []
    for mediator, body in raw.items():
        where = join_path(at, mediator)
        if mediator not in mediators:
            c.fail(where, f"{mediator!r} is not a mediator of this round (mediators: "
                   f"{', '.join(mediators) or 'none'})")
            continue
        fields = c.table(body, where, (), INDUCEMENT_FIELDS)
        if fields is None:
            continue
        if not fields:
            c.fail(where, "needs side_payments or guarantee (or leave the mediator out)")
            continue
        values = {name: c.sourced(fields[name], join_path(where, name), NONNEG)
                  for name in INDUCEMENT_FIELDS if name in fields}
        out.append(Inducement(str(mediator), **values))
    return tuple(out)


def _article(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"
