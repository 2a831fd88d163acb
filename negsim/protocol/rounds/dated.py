"""Dated observations of an implementation phase: whether the deal held at a date.

An ``[[observed]]`` entry on an ``implementation`` round records ``holds`` or ``broken``
at a ``date`` inside the phase (``broken`` may name the actor that broke the deal). The
phase is played in whole months, so a date is read as the number of whole calendar months
since the phase began (:func:`months_between`): the deal had broken by ``date`` in the runs
where it broke in that month or before. A break in the month under way at ``date`` is not
counted, because the runs say in which month the deal broke, not on which day.
"""

from __future__ import annotations

import calendar
from typing import Any

import numpy as np

__all__ = ["add_months", "date_problem", "held_at", "months_between"]


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
