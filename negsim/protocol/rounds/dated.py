"""Dated observations of an implementation phase: the deal held, a patron armed, a renewal.

An ``[[observed]]`` entry on an ``implementation`` round records, at a ``date`` inside the
phase,

- ``holds`` or ``broken``: the deal still held on that date, or had broken by it
  (``broken`` may name the actor that broke it); or
- ``breached`` or ``kept``: a patron (``actor``) had been found delivering arms to a side
  by that date (a *detected* delivery, :func:`breached_by`), or had not. The patron must be
  one that delivers in the phase (:func:`delivering_patrons`), whether or not it pledged an
  embargo at a conference: what is observed is a detected delivery, which the runs record for
  every patron. An optional ``commitment`` (an ``embargo`` commitment) names the pledge in
  the printed words; or
- ``renewed`` or ``lapsed``, on an entry whose deal has a ``term``, at a date at or after
  its first renewal date: the deal had been renewed at every renewal round up to that date,
  or it had lapsed by then, a participant not renewing it at a renewal round
  (:func:`renewed_by`; ``lapsed`` may name that participant). The two are one kind of
  observation of their own (``renewal``), not complements: a deal that broke between two
  renewal dates was neither renewed nor did it lapse.

The phase is played in whole months, so a date is read as the number of whole calendar
months since the phase began (:func:`months_between`): the deal had broken by ``date`` in
the runs where it broke in that month or before, and a patron had been found arming in the
runs where one of its deliveries of those months was detected. What happens in the month
under way at ``date`` is not counted, because the runs say in which month it happened, not
on which day.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from typing import Any

import numpy as np

from negsim.protocol.rounds.terms import Term
from negsim.scenario.outside import outside_option_kind, outside_option_kinds

__all__ = [
    "EMBARGO_DECISIONS",
    "RENEWAL_DECISIONS",
    "add_months",
    "breach_problem",
    "breached_by",
    "date_problem",
    "delivering_patrons",
    "held_at",
    "months_between",
    "renewal_problem",
    "renewed_by",
]

EMBARGO_DECISIONS = ("breached", "kept")
"""The decisions of an observation of a patron's arms deliveries (found by a date, or not)."""

RENEWAL_DECISIONS = ("renewed", "lapsed")
"""The decisions of an observation of a deal with a term (renewed, or lapsed, by a date)."""


def add_months(start: Any, months: int) -> Any:
    """Return the date ``start`` moved by whole months (the last day of a shorter month).

    Examples
    --------
    >>> import datetime
    >>> add_months(datetime.date(2020, 1, 31), 1)
    datetime.date(2020, 2, 29)
    """
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    return start.replace(year=year, month=month, day=min(start.day,
                                                          calendar.monthrange(year, month)[1]))


def months_between(start: Any, date: Any) -> int:
    """Return the whole months from ``start`` to ``date`` (calendar months, by day of month).

    Examples
    --------
    >>> import datetime
    >>> d = datetime.date
    >>> months_between(d(2020, 1, 20), d(2020, 2, 19)), months_between(d(2020, 1, 20),
    ...                                                                 d(2020, 2, 20))
    (0, 1)
    >>> months_between(d(2020, 1, 31), d(2020, 2, 29))  # the end of a shorter month counts
    1
    """
    months = (date.year - start.year) * 12 + date.month - start.month
    return months if date >= add_months(start, months) else months - 1


def date_problem(entry: Any, actor: str | None, decision: str,
                 date: Any) -> tuple[str, str] | None:
    """Return ``(key, problem)`` if an observation of phase ``entry`` is invalid, else None.

    The date must fall in the phase's months; ``holds`` names no actor.

    Examples
    --------
    >>> import datetime
    >>> from types import SimpleNamespace
    >>> e = SimpleNamespace(id="after", date=datetime.date(2021, 3, 11), horizon=12)
    >>> key, problem = date_problem(e, None, "holds", datetime.date(2021, 3, 20))
    >>> print(key, problem)
    date date 2021-03-20 is before the end of the first month of 'after' (2021-04-11): ...
    >>> date_problem(e, None, "holds", datetime.date(2021, 6, 1)) is None
    True
    """
    if actor is not None and decision == "holds":
        return "actor", ("'holds' is the deal's, not an actor's: omit 'actor' (a "
                         "'broken' observation may name who broke it)")
    if date is None:
        return "date", (f"missing: an observation of {entry.id!r} is made at a date "
                        "(the deal holds on it, or has broken by it)")
    return _in_phase(entry, date)


def _in_phase(entry: Any, date: Any) -> tuple[str, str] | None:
    """Return ``("date", problem)`` unless ``date`` falls in the phase's whole months."""
    first, last = add_months(entry.date, 1), add_months(entry.date, int(entry.horizon))
    if date < first:
        return "date", (f"date {date} is before the end of the first month of {entry.id!r} "
                        f"({first}): the phase is read in whole months, from {first} to "
                        f"{last}")
    if date > last:
        return "date", (f"date {date} is after the horizon of {entry.id!r} ({last}, "
                        f"{int(entry.horizon)} months after {entry.date})")
    return None


def held_at(runs: Any, entry: Any, actor: str | None, value: str, date: Any) -> np.ndarray:
    """Whether the deal still held at ``date`` (``value="holds"``) or had broken (``"broken"``).

    ``date`` falls after ``m`` whole months of the phase (:func:`months_between`); the deal
    had broken by then in the runs where it broke in month ``m`` or before (by ``actor`` or
    one of its factions, if an actor is named: an observer sees the actor's forces strike).

    Examples
    --------
    >>> import datetime, pandas as pd
    >>> from types import SimpleNamespace
    >>> e = SimpleNamespace(id="after", date=datetime.date(2021, 3, 11), horizon=12)
    >>> runs = pd.DataFrame({"after.broke": [True, True, False], "after.duration": [2.0, 5.0,
    ...                      12.0], "after.broken_by": ["A", "B", ""]})
    >>> held_at(runs, e, None, "holds", datetime.date(2021, 6, 1)).tolist()  # 2 whole months
    [False, True, True]
    >>> held_at(runs, e, "B", "broken", datetime.date(2021, 9, 1)).tolist()
    [False, True, False]
    >>> runs["after.broken_by"] = ["A", "B/hard", ""]  # a faction of B
    >>> held_at(runs, e, "B", "broken", datetime.date(2021, 9, 1)).tolist()
    [False, True, False]
    """
    cols = [f"{entry.id}.broke", f"{entry.id}.duration", f"{entry.id}.broken_by"]
    missing = [c for c in cols if c not in runs.columns]
    if missing:
        raise ValueError(f"the runs have no column {missing[0]!r} for the observation of "
                         f"{entry.id}")
    months = months_between(entry.date, date)
    broken = runs[cols[0]].to_numpy(dtype=bool) & (runs[cols[1]].to_numpy() <= months)
    if actor is not None:  # the actor or one of its factions (``ACTOR/FACTION``)
        by = runs[cols[2]].astype(str)
        broken &= ((by == actor) | by.str.startswith(actor + "/")).to_numpy()
    return broken if value == "broken" else ~broken


def delivering_patrons(entry: Any, actors: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the actors that deliver arms in phase ``entry``, in the scenario's order.

    They are the non-belligerent actors that back (``[actors.P.backs.C]``) one of the sides
    of the phase: its participants at war, not those whose outside option is not fighting
    (the patrons of :func:`negsim.protocol.aftermath.patrons_of`, named by their ids).

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load_scenario("libya-2020")
    >>> delivering_patrons(s.timeline[-1], {a.id: a for a in s.actors})
    ('Russia', 'Turkey', 'Egypt', 'UAE')
    """
    def at_war(a: str) -> bool:
        oo = actors[a].outside_option
        return (oo is None or oo.kind not in outside_option_kinds()
                or outside_option_kind(oo.kind).at_war)

    sides = {a for a in entry.participants if a in actors and at_war(a)}
    return tuple(i for i, a in actors.items() if not a.has_role("belligerent")
                 and any(link.client in sides for link in a.backs))


def breach_problem(entry: Any, actor: str | None, date: Any) -> tuple[str, str] | None:
    """Return ``(key, problem)`` if an observation of a patron's deliveries is invalid.

    It names the patron (``actor``) and a date in the phase's months.

    Examples
    --------
    >>> import datetime
    >>> from types import SimpleNamespace
    >>> e = SimpleNamespace(id="after", date=datetime.date(2021, 3, 11), horizon=12)
    >>> print(*breach_problem(e, None, datetime.date(2021, 6, 1)))
    actor missing: an observation of the embargo in 'after' names the patron (actor = ...) ...
    >>> breach_problem(e, "PA", datetime.date(2021, 6, 1)) is None
    True
    """
    if actor is None:
        return "actor", (f"missing: an observation of the embargo in {entry.id!r} names the "
                         "patron (actor = ...) found delivering arms by its date ('breached') "
                         "or not ('kept')")
    if date is None:
        return "date", (f"missing: an observation of {entry.id!r} is made at a date (the "
                        "patron had been found delivering arms by it, or had not)")
    return _in_phase(entry, date)


def breached_by(runs: Any, entry: Any, actor: str, value: str, date: Any) -> np.ndarray:
    """Whether ``actor`` had been found delivering arms by ``date`` (``"breached"``) or not.

    ``date`` falls after ``m`` whole months of the phase (:func:`months_between`); the
    patron had been found in the runs where one of its deliveries of months 1 to ``m`` was
    detected (the columns ``I.m{t}.{actor}.detected``); ``"kept"`` is the other runs.

    Examples
    --------
    >>> import datetime, pandas as pd
    >>> from types import SimpleNamespace
    >>> e = SimpleNamespace(id="after", date=datetime.date(2021, 3, 11), horizon=3)
    >>> runs = pd.DataFrame({f"after.m{t}.PA.detected": d for t, d in
    ...                      [(1, [False, False, True]), (2, [False, True, False]),
    ...                       (3, [True, False, False])]})
    >>> breached_by(runs, e, "PA", "breached", datetime.date(2021, 5, 20)).tolist()
    [False, True, True]
    >>> breached_by(runs, e, "PA", "kept", datetime.date(2021, 6, 11)).tolist()
    [False, False, False]
    """
    months = months_between(entry.date, date)
    cols = [f"{entry.id}.m{t}.{actor}.detected" for t in range(1, months + 1)]
    missing = [c for c in cols if c not in runs.columns]
    if missing:
        raise ValueError(f"the runs have no column {missing[0]!r} for the observation of "
                         f"{actor} in {entry.id}")
    found = np.zeros(len(runs), dtype=bool)
    for col in cols:
        found |= runs[col].to_numpy(dtype=bool)
    return found if value == "breached" else ~found


def _renewal_dates(entry: Any) -> tuple[int, ...]:
    """Return the months at whose end the entry holds a renewal round (none without a term)."""
    term = Term.of(entry)
    return () if term is None else term.dates


def renewal_problem(entry: Any, actor: str | None, decision: str,
                    date: Any) -> tuple[str, str] | None:
    """Return ``(key, problem)`` if a renewal observation of ``entry`` is invalid, else None.

    The entry's deal has a ``term`` and holds a renewal round within its horizon; the date
    falls in the phase's months, at or after the first renewal date (the end of month
    ``term``); ``renewed`` names no actor (every participant renewed).

    Examples
    --------
    >>> import datetime
    >>> from types import SimpleNamespace
    >>> e = SimpleNamespace(id="corridor", date=datetime.date(2022, 7, 22), horizon=12,
    ...                     term=4, renewals=None, suspension=False)
    >>> print(*renewal_problem(e, None, "renewed", datetime.date(2022, 10, 1)))
    date date 2022-10-01 is before the first renewal date of 'corridor' (2022-11-22, the end of
    month 4): a renewal is observed at or after a renewal date (here 2022-11-22, 2023-03-22)
    >>> renewal_problem(e, "RUS", "lapsed", datetime.date(2023, 3, 22)) is None
    True
    >>> print(*renewal_problem(SimpleNamespace(id="after", term=None, suspension=False,
    ...                                        horizon=12), None, "lapsed", None))
    decision 'lapsed' is an observation of a deal with a term: 'after' has none (its deal is
    open-ended; give the entry a term = ... to observe its renewals)
    """
    if getattr(entry, "term", None) is None:
        return "decision", (f"{decision!r} is an observation of a deal with a term: "
                            f"{entry.id!r} has none (its deal is open-ended; give the entry a "
                            "term = ... to observe its renewals)")
    if actor is not None and decision == "renewed":
        return "actor", ("'renewed' is the deal's (every participant renewed it), not an "
                         "actor's: omit 'actor' (a 'lapsed' observation may name the "
                         "participant that did not renew)")
    if date is None:
        return "date", (f"missing: an observation of the renewals of {entry.id!r} is made at a "
                        "date (the deal had been renewed by it, or had lapsed)")
    problem = _in_phase(entry, date)
    if problem is not None:
        return problem
    months = _renewal_dates(entry)
    if not months:
        renewals = getattr(entry, "renewals", None)
        return "decision", (f"{entry.id!r} holds no renewal round within its horizon (term "
                            f"{entry.term}, horizon {int(entry.horizon)} months"
                            + ("" if renewals is None else f", renewals {renewals}")
                            + "): nothing can be observed renewed or lapsed")
    first = add_months(entry.date, months[0])
    if date < first:
        dates = ", ".join(str(add_months(entry.date, m)) for m in months)
        return "date", (f"date {date} is before the first renewal date of {entry.id!r} "
                        f"({first}, the end of month {months[0]}): a renewal is observed at or "
                        f"after a renewal date (here {dates})")
    return None


def renewed_by(runs: Any, entry: Any, actor: str | None, value: str, date: Any) -> np.ndarray:
    """Whether the deal had been renewed at every renewal round by ``date``, or had lapsed.

    ``date`` falls after ``m`` whole months of the phase (:func:`months_between`), after the
    ``j`` renewal dates (ends of months ``term``, ``2 term``, ...) up to month ``m``.
    ``"renewed"``: the runs with at least ``j`` renewals agreed (``I.renewed``; renewals
    come one after the other, so these are the runs renewed at each of those rounds and
    in force after the last). ``"lapsed"``: the runs whose deal lapsed, a participant not
    renewing it, at a renewal round of month ``m`` or before (``I.lapsed`` with
    ``I.duration <= m``), by ``actor`` if one is named (``I.broken_by``).

    Examples
    --------
    >>> import datetime, pandas as pd
    >>> from types import SimpleNamespace
    >>> e = SimpleNamespace(id="c", date=datetime.date(2022, 7, 22), horizon=12, term=4,
    ...                     renewals=None, suspension=False)
    >>> runs = pd.DataFrame({"c.renewed": [2, 1, 0, 0], "c.lapsed": [False, True, True, False],
    ...                      "c.duration": [12.0, 8.0, 4.0, 2.0], "c.broke": [False] + [True] * 3,
    ...                      "c.broken_by": ["", "UKR", "RUS", "RUS"]})
    >>> renewed_by(runs, e, None, "renewed", datetime.date(2022, 12, 1)).tolist()  # 1 round
    [True, True, False, False]
    >>> renewed_by(runs, e, None, "renewed", datetime.date(2023, 3, 22)).tolist()  # 2 rounds
    [True, False, False, False]
    >>> renewed_by(runs, e, "RUS", "lapsed", datetime.date(2023, 7, 1)).tolist()
    [False, False, True, False]
    """
    cols = [f"{entry.id}.renewed", f"{entry.id}.lapsed", f"{entry.id}.duration",
            f"{entry.id}.broken_by"]
    missing = [c for c in cols if c not in runs.columns]
    if missing:
        raise ValueError(f"the runs have no column {missing[0]!r} for the observation of the "
                         f"renewals of {entry.id}")
    months = months_between(entry.date, date)
    if value == "renewed":
        rounds = sum(1 for m in _renewal_dates(entry) if m <= months)
        return runs[cols[0]].to_numpy() >= rounds
    lapsed = runs[cols[1]].to_numpy(dtype=bool) & (runs[cols[2]].to_numpy() <= months)
    if actor is not None:
        lapsed &= runs[cols[3]].to_numpy() == actor
    return lapsed
