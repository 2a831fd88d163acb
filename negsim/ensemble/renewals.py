"""Deals with a term over an ensemble: how often each renewal happened, who suspended.

An implementation entry ``I`` with a ``term`` adds the columns ``I.renewed`` (renewals agreed),
``I.lapsed`` (a participant did not renew) and ``I.expired`` (the deal ran its last term);
with ``suspension = true``, ``I.suspended`` (months of suspension) and per month ``t``
``I.m<t>.<party>.suspended`` (see :mod:`negsim.protocol.rounds.terms` and
``docs/reference/results.md``). :func:`term_fields` gives the
:class:`~negsim.ensemble.summary.Summary` its ``renewed_at`` and ``suspended`` fields, and
:func:`term_lines` their printed lines.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from negsim.ensemble.proportions import Proportion
from negsim.sim.results import FrozenMap

__all__ = ["term_fields", "term_lines"]


def term_fields(runs: pd.DataFrame, entry: str) -> dict[str, FrozenMap]:
    """Return ``renewed_at`` and ``suspended`` of an implementation entry (empty without).

    ``renewed_at``: renewal round ``k`` (1, 2, ... up to the most renewals in a run) ->
    :class:`Proportion` of all runs in which the deal was renewed at its ``k``-th renewal
    date. ``suspended``: party -> Proportion of all runs in which it suspended its
    participation at least once.

    Examples
    --------
    >>> runs = pd.DataFrame({"I.renewed": [0, 1, 2, 2], "I.suspended": [0, 1, 0, 2],
    ...                      "I.m1.RUS.suspended": [False, True, False, True],
    ...                      "I.m2.RUS.suspended": [False, False, False, True]})
    >>> f = term_fields(runs, "I")
    >>> {k: p.probability for k, p in f["renewed_at"].items()}
    {1: 0.75, 2: 0.5}
    >>> f["suspended"]["RUS"].probability
    0.5
    >>> term_fields(runs[["I.suspended"]].iloc[:0], "J")
    {}
    """
    n = len(runs)
    out: dict[str, FrozenMap] = {}
    col = f"{entry}.renewed"
    if col in runs.columns:
        renewed = pd.to_numeric(runs[col]).to_numpy(dtype=int)
        most = int(renewed.max()) if n else 0
        out["renewed_at"] = FrozenMap({k: Proportion.of(int(np.sum(renewed >= k)), n)
                                       for k in range(1, most + 1)})
    month = re.compile(rf"^{re.escape(entry)}\.m[1-9][0-9]*\.(.+)\.suspended$")
    by_party: dict[str, np.ndarray] = {}
    for name in runs.columns:
        m = month.match(str(name))
        if m is not None:
            seen = by_party.setdefault(m.group(1), np.zeros(n, dtype=bool))
            seen |= runs[name].to_numpy(dtype=bool)
    if f"{entry}.suspended" in runs.columns:
        out["suspended"] = FrozenMap({a: Proportion.of(int(s.sum()), n)
                                      for a, s in by_party.items()})
    return out


def term_lines(fields: dict[str, Any], words: Any = None) -> list[str]:
    """Render :func:`term_fields` as lines of the printed summary (none without them).

    Examples
    --------
    >>> from negsim.ensemble.proportions import Proportion
    >>> f = {"renewed_at": FrozenMap({1: Proportion.of(3, 4), 2: Proportion.of(2, 4)}),
    ...      "suspended": FrozenMap({"RUS": Proportion.of(2, 4)})}
    >>> for line in term_lines(f, {"deal": "the grain deal"}): print(line)
    <BLANKLINE>
    Renewals of the grain deal         P  95% interval
    renewed at its 1st renewal date  0.750  [0.301, 0.954]
    renewed at its 2nd renewal date  0.500  [0.150, 0.850]
    <BLANKLINE>
    Suspensions (share of runs)        P  95% interval
    RUS suspended at least once      0.500  [0.150, 0.850]
    """
    rows: list[tuple[str, list[tuple[str, Proportion]]]] = []
    deal = (words or {}).get("deal", "the agreement")
    renewed = fields.get("renewed_at") or {}
    if renewed:
        rows.append((f"Renewals of {deal}", [(f"renewed at its {_ordinal(k)} renewal date", p)
                                             for k, p in renewed.items()]))
    suspended = fields.get("suspended") or {}
    if suspended:
        rows.append(("Suspensions (share of runs)", [(f"{a} suspended at least once", p)
                                                     for a, p in suspended.items()]))
    if not rows:
        return []
    w = max(len(label) for head, body in rows for label in [head, *(b for b, _ in body)])
    lines: list[str] = []
    for head, body in rows:
        lines += ["", f"{head:<{w}}  {'P':>6}  95% interval"]
        lines += [f"{label:<{w}}  {p.probability:6.3f}  [{p.low:.3f}, {p.high:.3f}]"
                  for label, p in body]
    return lines


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"
