"""The implementation phase over an ensemble: survival, who breaks, the arms embargo.

An implementation entry ``I`` of the timeline (months after the talks, up to a horizon of
``H`` months) adds to every run the columns ``I.duration`` (the month the ceasefire broke,
1 to H, or H if it held), ``I.broke``, ``I.broken_by``, ``I.reason``, and per month ``t``
``I.m<t>.<patron>.delivered`` / ``.detected`` and ``I.m<t>.<belligerent>.capability``
(see ``docs/reference/results.md``). :func:`implementation_columns` finds them again;
:func:`survival_curve` estimates the survival of the ceasefire (Kaplan–Meier, censored at
the horizon: :mod:`~negsim.ensemble.survival`); :func:`holds_at` whether each run's
ceasefire still holds after a month and :func:`holds_counts` how many at the report months;
:func:`breakers` who breaks first and why;
:func:`embargo_kept` each patron's compliance with the embargo per month.
:func:`implementation_fields` and :func:`implementation_lines` give the
:class:`~negsim.ensemble.summary.Summary` its fields and printed lines.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from negsim.ensemble.proportions import Proportion, wilson_interval
from negsim.ensemble.renewals import term_fields, term_lines
from negsim.ensemble.survival import SurvivalCurve, kaplan_meier
from negsim.scenario.words import third_person
from negsim.sim.results import FrozenMap

__all__ = [
    "HOLDS_AT",
    "REPORT_MONTHS",
    "ImplementationColumns",
    "breakers",
    "embargo_kept",
    "holds_at",
    "holds_at_month",
    "holds_counts",
    "implementation_columns",
    "implementation_fields",
    "implementation_lines",
    "report_months",
    "survival_curve",
]

REPORT_MONTHS = (1, 3, 6, 12)
"""The months at which P(holds) and the embargo are reported (those within the horizon)."""

_MONTH = re.compile(r"^m([1-9][0-9]*)$")


@dataclass(frozen=True)
class ImplementationColumns:
    """Where an implementation entry's results are in a runs table.

    Attributes
    ----------
    entry : str
        The entry's timeline id (the columns' first part).
    horizon : int
        ``H``: the largest month of the per-month columns (or, without them, the largest
        duration rounded up).
    patrons, belligerents : tuple of str
        Actors with ``.delivered`` and with ``.capability`` columns, in column order.

    Examples
    --------
    >>> c = ImplementationColumns("aftermath", 24, ("UAE",), ("LNA", "GNA"))
    >>> c.duration, c.delivered(3, "UAE"), c.capability(24, "LNA")
    ('aftermath.duration', 'aftermath.m3.UAE.delivered', 'aftermath.m24.LNA.capability')
    """

    entry: str
    horizon: int
    patrons: tuple[str, ...]
    belligerents: tuple[str, ...]

    @property
    def duration(self) -> str:
        """Column of the months the ceasefire survived."""
        return f"{self.entry}.duration"

    @property
    def broke(self) -> str:
        """Column of whether it broke by the horizon."""
        return f"{self.entry}.broke"

    @property
    def broken_by(self) -> str:
        """Column of who broke it first."""
        return f"{self.entry}.broken_by"

    @property
    def reason(self) -> str:
        """Column of the binding mechanism, in words."""
        return f"{self.entry}.reason"

    def delivered(self, month: int, patron: str) -> str:
        """Column of whether ``patron`` delivered arms in ``month``."""
        return f"{self.entry}.m{month}.{patron}.delivered"

    def detected(self, month: int, patron: str) -> str:
        """Column of whether that delivery was detected."""
        return f"{self.entry}.m{month}.{patron}.detected"

    def capability(self, month: int, belligerent: str) -> str:
        """Column of ``belligerent``'s capability at the end of ``month``."""
        return f"{self.entry}.m{month}.{belligerent}.capability"


def implementation_columns(runs: pd.DataFrame) -> dict[str, ImplementationColumns]:
    """Find the implementation entries of a runs table: ``{entry: ImplementationColumns}``.

    An entry ``I`` is recognised by its columns ``I.duration`` and ``I.broke``; an older
    runs table has none (an empty dict).

    Examples
    --------
    >>> runs = pd.DataFrame({"aftermath.duration": [2.0, 3.0], "aftermath.broke": [True, False],
    ...                      "aftermath.m1.UAE.delivered": [True, False],
    ...                      "aftermath.m3.UAE.delivered": [False, False],
    ...                      "aftermath.m3.LNA.capability": [0.5, 0.6]})
    >>> implementation_columns(runs)["aftermath"]
    ImplementationColumns(entry='aftermath', horizon=3, patrons=('UAE',), belligerents=('LNA',))
    >>> implementation_columns(runs[["aftermath.duration"]])
    {}
    """
    names = [str(c) for c in runs.columns]
    present = set(names)
    out: dict[str, ImplementationColumns] = {}
    for col in names:
        if not col.endswith(".duration"):
            continue
        entry = col[: -len(".duration")]
        if f"{entry}.broke" not in present:
            continue
        months = [0]
        patrons: dict[str, None] = {}
        belligerents: dict[str, None] = {}
        prefix = f"{entry}."
        for other in names:
            if not other.startswith(prefix):
                continue
            parts = other[len(prefix):].split(".")
            match = _MONTH.match(parts[0]) if len(parts) == 3 else None
            if match is None:
                continue
            months.append(int(match.group(1)))
            if parts[2] == "delivered":
                patrons[parts[1]] = None
            elif parts[2] == "capability":
                belligerents[parts[1]] = None
        horizon = max(months)
        if horizon == 0:
            d = pd.to_numeric(runs[col], errors="coerce").to_numpy(dtype=float)
            finite = d[np.isfinite(d)]
            horizon = int(np.ceil(finite.max())) if finite.size else 0
        out[entry] = ImplementationColumns(entry, horizon, tuple(patrons), tuple(belligerents))
    return out


def report_months(horizon: int) -> tuple[int, ...]:
    """Return the months of :data:`REPORT_MONTHS` within ``horizon``, then the horizon.

    Examples
    --------
    >>> report_months(24), report_months(6), report_months(4)
    ((1, 3, 6, 12, 24), (1, 3, 6), (1, 3, 4))
    """
    months = [m for m in REPORT_MONTHS if m <= horizon]
    if horizon >= 1 and horizon not in months:
        months.append(horizon)
    return tuple(months)


def _entry(runs: pd.DataFrame, entry: str | None) -> ImplementationColumns:
    found = implementation_columns(runs)
    if not found:
        raise ValueError("runs table has no implementation phase (no '<entry>.duration' "
                         "with '<entry>.broke' columns)")
    if entry is None:
        return list(found.values())[-1]
    if entry not in found:
        raise ValueError(f"runs table has no implementation entry {entry!r}; it has "
                         f"{sorted(found)}")
    return found[entry]


def _duration_broke(runs: pd.DataFrame, cols: ImplementationColumns) -> tuple[Any, Any]:
    if len(runs) == 0:
        raise ValueError("cannot summarise an empty runs DataFrame")
    broke = runs[cols.broke]
    if not pd.api.types.is_bool_dtype(broke):
        raise ValueError(f"column {cols.broke!r} must be boolean, got dtype {broke.dtype}")
    d = pd.to_numeric(runs[cols.duration], errors="coerce").to_numpy(dtype=float)
    b = broke.to_numpy(dtype=bool)
    h = cols.horizon
    bad = ~np.isfinite(d) | (d < 0) | (d > h)
    if bad.any():
        raise ValueError(f"column {cols.duration!r}: {int(bad.sum())} run(s) outside "
                         f"[0, {h}] (the horizon), e.g. {d[bad][0]!r}")
    early = ~b & (d != h)
    if early.any():
        raise ValueError(f"column {cols.duration!r}: {int(early.sum())} run(s) held "
                         f"({cols.broke} False) but have a duration other than the horizon "
                         f"{h}, e.g. {d[early][0]!r}")
    return d, b


def survival_curve(runs: pd.DataFrame, entry: str | None = None) -> SurvivalCurve:
    """Kaplan–Meier survival of the ceasefire in months ``0..H``, censored at the horizon.

    Parameters
    ----------
    runs : pandas.DataFrame
        A runs table with an implementation entry (see :func:`implementation_columns`).
    entry : str, optional
        Which entry (default: the last one).

    Raises
    ------
    ValueError
        If there is no such entry, or its ``duration`` / ``broke`` columns are not as
        specified (naming the column).

    Examples
    --------
    >>> runs = pd.DataFrame({"I.duration": [3.0, 3.0, 6.0, 6.0], "I.broke": [True] * 3 + [False],
    ...                      "I.m6.LNA.capability": [0.5] * 4})
    >>> c = survival_curve(runs)
    >>> c.months[-1], c.probability
    (6, (1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25))
    """
    cols = _entry(runs, entry)
    d, b = _duration_broke(runs, cols)
    return kaplan_meier(d, b, range(cols.horizon + 1), entry=cols.entry)


def _still_holds(d: np.ndarray, b: np.ndarray, month: int) -> np.ndarray:
    """Return the survival curve's event: a run still holds after ``month`` unless it broke."""
    return ~(b & (d <= month))


def holds_counts(runs: pd.DataFrame, entry: str | None = None,
                 months: Any = None) -> dict[int, int]:
    """Count the runs whose ceasefire still holds after each month (default: report months).

    Examples
    --------
    >>> runs = pd.DataFrame({"I.duration": [1.0, 3.0, 4.0], "I.broke": [True, True, False]})
    >>> holds_counts(runs)
    {1: 2, 3: 1, 4: 1}
    """
    cols = _entry(runs, entry)
    d, b = _duration_broke(runs, cols)
    months = report_months(cols.horizon) if months is None else months
    return {int(m): int(np.sum(_still_holds(d, b, int(m)))) for m in months}


HOLDS_AT = "holds_at:"
"""The prefix of the per-run metric ``holds_at:M`` (:func:`holds_at_month`)."""


def holds_at_month(metric: str) -> int | None:
    """Return ``M`` of a metric ``"holds_at:M"``, or None for another metric.

    Raises
    ------
    ValueError
        If the metric starts with ``holds_at:`` but ``M`` is not a whole number of months of
        at least 1 (whether it is within the horizon is checked against the runs, by
        :func:`holds_at`).

    Examples
    --------
    >>> holds_at_month("holds_at:3"), holds_at_month("holds")
    (3, None)
    >>> holds_at_month("holds_at:0")
    Traceback (most recent call last):
    ...
    ValueError: metric 'holds_at:0': M must be a whole number of months, at least 1, got '0'
    """
    if not metric.startswith(HOLDS_AT):
        return None
    text = metric[len(HOLDS_AT):]
    if not re.fullmatch(r"[0-9]+", text) or int(text) < 1:
        raise ValueError(f"metric {metric!r}: M must be a whole number of months, at least 1, "
                         f"got {text!r}")
    return int(text)


def holds_at(runs: pd.DataFrame, month: int, entry: str | None = None) -> np.ndarray:
    """Return, per run, whether the ceasefire in force still holds after ``month`` months.

    This is the event the survival curve counts (:func:`survival_curve`,
    :func:`holds_counts`): a run holds after month ``M`` unless it broke (``I.broke``) in
    month ``I.duration <= M``. Every run plays the phase from the deal in force: the signed
    text where every participant signed, otherwise the scenario's status quo, so a run
    without a signed deal is counted like any other, by whether the terms in force held;
    a deal that lapsed at a renewal date broke then; one that ran its last term and
    expired (``I.expired``) did not break, and holds.

    Parameters
    ----------
    runs : pandas.DataFrame
        A runs table with an implementation entry (see :func:`implementation_columns`).
    month : int
        ``M``, from 1 to the entry's horizon.
    entry : str, optional
        Which entry (default: the last one, as for the survival curve).

    Raises
    ------
    ValueError
        If the runs have no implementation phase (or no such entry), or ``month`` is not a
        whole number from 1 to the horizon.

    Examples
    --------
    >>> runs = pd.DataFrame({"I.duration": [1.0, 3.0, 4.0], "I.broke": [True, True, False]})
    >>> holds_at(runs, 3).tolist(), holds_at(runs, 2).tolist()
    ([False, False, True], [False, True, True])
    >>> holds_at(runs, 5)
    Traceback (most recent call last):
    ...
    ValueError: holds_at:5: month 5 is after the horizon of implementation entry 'I' (4 months)
    """
    cols = _entry(runs, entry)
    if isinstance(month, bool) or not isinstance(month, (int, np.integer)) or month < 1:
        raise ValueError(f"holds_at:{month}: the month must be a whole number, at least 1")
    if month > cols.horizon:
        raise ValueError(f"holds_at:{month}: month {month} is after the horizon of "
                         f"implementation entry {cols.entry!r} ({cols.horizon} months)")
    d, b = _duration_broke(runs, cols)
    return _still_holds(d, b, int(month))


def breakers(runs: pd.DataFrame, entry: str | None = None,
             by: str = "broken_by") -> tuple[tuple[str, int], ...]:
    """Who broke the ceasefire first (or why), with numbers of runs, most frequent first.

    Parameters
    ----------
    runs : pandas.DataFrame
    entry : str, optional
        Which implementation entry (default: the last one).
    by : {"broken_by", "reason"}
        The actor (or ``ACTOR/FACTION``) that broke it, or the binding mechanism.

    Returns
    -------
    tuple of (str, int)
        Runs in which it held are left out.

    Examples
    --------
    >>> runs = pd.DataFrame({"I.duration": [1.0, 2.0, 2.0, 3.0],
    ...                      "I.broke": [True, True, True, False],
    ...                      "I.broken_by": ["LNA/base", "GNA", "LNA/base", ""]})
    >>> breakers(runs)
    (('LNA/base', 2), ('GNA', 1))
    """
    if by not in ("broken_by", "reason"):
        raise ValueError(f"by must be 'broken_by' or 'reason', got {by!r}")
    cols = _entry(runs, entry)
    col = getattr(cols, by)
    if col not in runs.columns:
        return ()
    _, b = _duration_broke(runs, cols)
    vc = runs.loc[b, col].astype(str).value_counts()
    return tuple(sorted(((str(k), int(v)) for k, v in vc.items() if str(k) != ""),
                        key=lambda kv: (-kv[1], kv[0])))


def embargo_kept(runs: pd.DataFrame, entry: str | None = None) -> pd.DataFrame:
    """Compliance with the arms embargo: per month and patron, P(kept) = 1 - P(delivered).

    Parameters
    ----------
    runs : pandas.DataFrame
    entry : str, optional
        Which implementation entry (default: the last one).

    Returns
    -------
    pandas.DataFrame
        One row per month (1..H) and patron, in that order: ``month``, ``patron``,
        ``kept`` (runs without a delivery), ``detected`` (runs with a detected delivery),
        ``runs``, ``probability`` (``kept / runs``) and its Wilson 95% ``low`` and
        ``high``. Empty (with these columns) if no patron has delivery columns.

    Examples
    --------
    >>> runs = pd.DataFrame({"I.duration": [2.0, 2.0], "I.broke": [False, False],
    ...                      "I.m1.UAE.delivered": [True, False],
    ...                      "I.m2.UAE.delivered": [False, False]})
    >>> embargo_kept(runs)[["month", "patron", "kept", "probability"]]
       month patron  kept  probability
    0      1    UAE     1          0.5
    1      2    UAE     2          1.0
    """
    cols = _entry(runs, entry)
    n = len(runs)
    rows = []
    for t in range(1, cols.horizon + 1):
        for p in cols.patrons:
            name = cols.delivered(t, p)
            if name not in runs.columns:
                raise ValueError(f"runs table lacks column {name!r} (patron {p!r} has "
                                 f"delivery columns for other months)")
            delivered = runs[name]
            if not pd.api.types.is_bool_dtype(delivered):
                raise ValueError(f"column {name!r} must be boolean, got dtype "
                                 f"{delivered.dtype}")
            dv = delivered.to_numpy(dtype=bool)
            det_col = cols.detected(t, p)
            det = (int((dv & runs[det_col].to_numpy(dtype=bool)).sum())
                   if det_col in runs.columns else 0)
            rows.append((t, p, int(n - dv.sum()), det))
    df = pd.DataFrame(rows, columns=["month", "patron", "kept", "detected"])
    df["runs"] = n
    kept = df["kept"].to_numpy(dtype=float)
    df["probability"] = kept / n if n else kept
    if len(df):
        low, high = wilson_interval(kept, np.full_like(kept, n))
    else:
        low = high = kept
    df["low"] = np.asarray(low, dtype=float)
    df["high"] = np.asarray(high, dtype=float)
    return df


def implementation_fields(runs: pd.DataFrame) -> dict[str, Any]:
    """Return the :class:`~negsim.ensemble.summary.Summary` fields of the implementation phase.

    For the last implementation entry of ``runs``: ``survival`` (:class:`SurvivalCurve`,
    months 0..H), ``holds_at`` (month -> :class:`Proportion` of runs still holding after
    it, at :func:`report_months`), ``first_breaker`` and ``break_reasons`` (actor or
    reason -> :class:`Proportion` of all runs, most frequent first) and ``embargo_kept``
    (month -> patron -> :class:`Proportion` of runs without a delivery); with a term or
    suspensions, also ``renewed_at`` and ``suspended``
    (:func:`~negsim.ensemble.renewals.term_fields`). Empty if the runs table has no
    implementation entry.

    Examples
    --------
    >>> runs = pd.DataFrame({"I.duration": [1.0, 2.0], "I.broke": [True, False],
    ...                      "I.broken_by": ["LNA", ""], "I.reason": ["decline", ""]})
    >>> f = implementation_fields(runs)
    >>> f["holds_at"][1].probability, f["first_breaker"]["LNA"].probability
    (0.5, 0.5)
    >>> implementation_fields(pd.DataFrame({"outcome": ["no_agreement"]}))
    {}
    """
    found = implementation_columns(runs)
    if not found:
        return {}
    entry = list(found)[-1]
    n = len(runs)
    curve = survival_curve(runs, entry)
    holds_at = FrozenMap({m: Proportion.of(k, n) for m, k in holds_counts(runs, entry).items()})
    first = FrozenMap({a: Proportion.of(k, n) for a, k in breakers(runs, entry)})
    reasons = FrozenMap({r: Proportion.of(k, n) for r, k in breakers(runs, entry, by="reason")})
    kept: dict[int, dict[str, Proportion]] = {}
    for row in embargo_kept(runs, entry).itertuples(index=False):
        kept.setdefault(int(row.month), {})[str(row.patron)] = Proportion(
            int(row.kept), n, float(row.probability), float(row.low), float(row.high))
    return {
        "survival": curve,
        "holds_at": holds_at,
        "first_breaker": first,
        "break_reasons": reasons,
        "embargo_kept": FrozenMap({m: FrozenMap(v) for m, v in kept.items()}),
        **term_fields(runs, entry),
    }


def implementation_lines(fields: dict[str, Any], runs: int, top: int = 5,
                         width: int = 100, words: Any = None) -> list[str]:
    """Render :func:`implementation_fields` as lines of the printed summary.

    ``words`` names the deal (``deal``), the embargo kept (``embargo``, a verb phrase) and
    the choice of each actor that names its own (``break:ID``, shown next to it among who
    breaks it first) and each faction's name (``name:ID/FID``, shown next to it): see
    :func:`negsim.ensemble.summary.report_words`.

    P(holds) at the report months with Wilson intervals, who breaks the ceasefire first,
    why (the ``top`` most frequent reasons, wrapped at ``width``), and P(embargo kept) by
    patron at the report months. No lines without an implementation phase.

    Examples
    --------
    >>> runs = pd.DataFrame({"I.duration": [1.0, 2.0], "I.broke": [True, False],
    ...                      "I.broken_by": ["LNA", ""],
    ...                      "I.m1.UAE.delivered": [True, False],
    ...                      "I.m2.UAE.delivered": [False, False]})
    >>> words = {"deal": "the ceasefire", "embargo": "keep the arms embargo"}
    >>> for line in implementation_lines(implementation_fields(runs), runs=2, words=words):
    ...     print(line)
    <BLANKLINE>
    Ceasefire (I, horizon 2 months)      P  95% interval
    holds after 1 month              0.500  [0.095, 0.905]
    holds after 2 months (horizon)   0.500  [0.095, 0.905]
    <BLANKLINE>
    Who breaks it first (share of runs)
     50.0%  LNA
     50.0%  nobody: it held for 2 months
    <BLANKLINE>
    Arms embargo kept (P)       month 1  month 2
    UAE                           0.500    1.000
    """
    if not fields:
        return []
    curve: SurvivalCurve = fields["survival"]
    horizon = int(curve.months[-1])
    holds = fields["holds_at"]
    rows = []
    for m, p in holds.items():
        label = f"holds after {m} month{'s' if m != 1 else ''}"
        rows.append((label + (" (horizon)" if m == horizon else ""), p))
    words = words or {}
    head = f"{_noun(words.get('deal', 'the agreement'))} ({curve.entry}, horizon {horizon} months)"
    w = max(len(head), *(len(label) for label, _ in rows))
    lines = ["", f"{head:<{w}}  {'P':>6}  95% interval"]
    lines += [f"{label:<{w}}  {p.probability:6.3f}  [{p.low:.3f}, {p.high:.3f}]"
              for label, p in rows]
    first = fields["first_breaker"]
    held = runs - sum(p.count for p in first.values())
    lines += ["", "Who breaks it first (share of runs)"]
    lines += [f"{p.count / runs:6.1%}  {who}" + (
        f" ({words[f'name:{who}']})" if f"name:{who}" in words else "") + (
        f": {third_person(words[f'break:{who}'])}" if f"break:{who}" in words else "")
        for who, p in first.items()]
    lines.append(f"{held / runs:6.1%}  nobody: it held for {horizon} months")
    reasons = list(fields["break_reasons"].items())
    if reasons:
        shown = reasons[:top]
        of = f" of {len(reasons)}" if len(shown) < len(reasons) else ""
        lines += ["", f"Why it breaks (share of runs; top {len(shown)}{of})"]
        for text, p in shown:
            share = f"{p.count / runs:6.1%}"
            lines += textwrap.wrap(text, width=width, initial_indent=f"{share}  ",
                                   subsequent_indent=" " * 8) or [share]
    kept = fields["embargo_kept"]
    months = [m for m in holds if m in kept]
    patrons = list(kept[months[0]]) if months else []
    if patrons:
        cols = [f"month {m}" for m in months]
        title = f"{_noun(words.get('embargo', 'keep the embargo').partition(' ')[2])} kept (P)"
        pw = max(len(title), *(len(p) for p in patrons))
        lines += ["", f"{title:<{pw}}  " + "  ".join(
            f"{c:>7}" for c in cols)]  # every column is at least 7 wide
        lines += [f"{p:<{pw}}  " + "  ".join(f"{kept[m][p].probability:>{max(7, len(c))}.3f}"
                                              for m, c in zip(months, cols, strict=True))
                  for p in patrons]
    return lines + term_lines(fields, words)


def _noun(phrase: str) -> str:
    """Return a noun phrase as a heading: ``"the arms embargo"`` -> ``"Arms embargo"``."""
    for article in ("the ", "a ", "an "):
        if phrase.lower().startswith(article):
            phrase = phrase[len(article):]
            break
    return phrase[:1].upper() + phrase[1:]
