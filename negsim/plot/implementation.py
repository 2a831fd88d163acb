"""The months after the talks: survival of the ceasefire, capabilities, the arms embargo.

:func:`plot_survival` draws the Kaplan–Meier survival curve of the ceasefire with its 95%
band (optionally against a baseline ensemble), :func:`plot_capability` a fan chart of each
belligerent's capability by month, and :func:`plot_embargo` each patron's compliance with
the arms embargo by month. The numbers come from :func:`survival_data`,
:func:`capability_data` and :func:`embargo_data` (see
:mod:`negsim.ensemble.implementation`). Each needs a runs table with an implementation
entry; ``entry`` picks one (default: the last).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from negsim.ensemble import EnsembleResult
from negsim.ensemble.implementation import (
    REPORT_MONTHS,
    embargo_kept,
    implementation_columns,
    survival_curve,
)
from negsim.plot._common import (
    PALETTE,
    deal_words,
    fit_title,
    literal,
    new_axes,
    runs_of,
    subtitle,
)
from negsim.protocol.rounds.terms import Term
from negsim.scenario.effects import effect_kind

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "capability_data",
    "embargo_data",
    "plot_capability",
    "plot_embargo",
    "plot_survival",
    "survival_data",
]

_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def _example_runs() -> pd.DataFrame:
    """Make a small synthetic runs table with an implementation entry (for the examples).

    Examples
    --------
    >>> _example_runs().shape
    (200, 13)
    """
    rng = np.random.default_rng(0)
    n, h = 200, 3
    month = rng.integers(1, 6, n)
    cols: dict[str, object] = {"I.duration": np.minimum(month, h).astype(float),
                               "I.broke": month <= h}
    for t in range(1, h + 1):
        cols[f"I.m{t}.UAE.delivered"] = rng.random(n) < 0.3
        cols[f"I.m{t}.LNA.capability"] = 0.5 + 0.05 * t * rng.standard_normal(n)
        cols[f"I.m{t}.GNA.capability"] = 0.4 + 0.05 * t * rng.standard_normal(n)
    cols["I.broken_by"] = np.where(cols["I.broke"], "LNA", "")
    cols["I.reason"] = np.where(cols["I.broke"], "the LNA expects to decline", "")
    return pd.DataFrame(cols)


def survival_data(result: EnsembleResult | pd.DataFrame, entry: str | None = None
                  ) -> pd.DataFrame:
    """Return the survival curve behind :func:`plot_survival`, one row per month 0..H.

    Columns ``month``, ``probability``, ``low``, ``high`` (Greenwood 95%, log-log),
    ``at_risk`` and ``events``.

    Examples
    --------
    >>> df = survival_data(_example_runs())
    >>> df["month"].tolist(), float(df["probability"].iloc[0])
    ([0, 1, 2, 3], 1.0)
    """
    return survival_curve(runs_of(result), entry).to_frame()


def capability_data(result: EnsembleResult | pd.DataFrame, entry: str | None = None, *,
                    read: Callable[[str], Any] | None = None) -> pd.DataFrame:
    """Return the capability quantiles behind :func:`plot_capability`.

    Parameters
    ----------
    result : EnsembleResult or runs DataFrame
        With an implementation entry. With ``read``, only the names of its capability
        columns are needed (the DataFrame may have no rows).
    entry : str, optional
        The implementation entry (default: the last).
    read : callable, optional
        ``read(name)`` returns the values of a capability column; default: the runs'
        column. Lets a caller read them one at a time (e.g. from a Parquet file), so that
        memory holds one column, not all of them.

    Returns
    -------
    pandas.DataFrame
        One row per belligerent and month (1..H): ``belligerent``, ``month`` and the 5%,
        25%, 50%, 75% and 95% quantiles over runs (``q05`` ... ``q95``).

    Examples
    --------
    >>> runs = _example_runs()
    >>> df = capability_data(runs)
    >>> df.columns.tolist()
    ['belligerent', 'month', 'q05', 'q25', 'q50', 'q75', 'q95']
    >>> df["belligerent"].unique().tolist()
    ['LNA', 'GNA']
    >>> capability_data(runs.iloc[:0], read=lambda name: runs[name]).equals(df)
    True
    """
    runs = runs_of(result)
    found = implementation_columns(runs)
    if read is None:
        survival_curve(runs, entry)  # the same checks and errors as the other plots
    elif not found or (entry is not None and entry not in found):
        survival_curve(runs, entry)  # raises, naming what is missing
    cols = found[entry] if entry is not None else list(found.values())[-1]
    rows = []
    for b in cols.belligerents:
        for t in range(1, cols.horizon + 1):
            name = cols.capability(t, b)
            if name not in runs.columns:
                raise ValueError(f"runs table lacks column {name!r} (belligerent {b!r} has "
                                 f"capability columns for other months)")
            values = runs[name] if read is None else read(name)
            q = np.quantile(np.asarray(values, dtype=float), _QUANTILES)
            rows.append((b, t, *(float(x) for x in q)))
    return pd.DataFrame(rows, columns=["belligerent", "month",
                                       *(f"q{round(100 * q):02d}" for q in _QUANTILES)])


def embargo_data(result: EnsembleResult | pd.DataFrame, entry: str | None = None
                 ) -> pd.DataFrame:
    """Return the embargo compliance behind :func:`plot_embargo`.

    One row per month (1..H) and patron: see :func:`negsim.ensemble.implementation.embargo_kept`.

    Examples
    --------
    >>> embargo_data(_example_runs())[["month", "patron"]].values.tolist()
    [[1, 'UAE'], [2, 'UAE'], [3, 'UAE']]
    """
    return embargo_kept(runs_of(result), entry)


def _draw_curve(ax: Axes, df: pd.DataFrame, colour: str, label: str, dashed: bool) -> None:
    x = df["month"].to_numpy(dtype=float)
    ax.fill_between(x, df["low"], df["high"], step="post", color=colour, alpha=0.18,
                    linewidth=0)
    ax.step(x, df["probability"], where="post", color=colour, linewidth=2,
            linestyle="--" if dashed else "-", label=label)
    marks = df[df["month"].isin(REPORT_MONTHS)]
    ax.plot(marks["month"], marks["probability"], "o", color=colour, markersize=5)
    for m, p in zip(marks["month"], marks["probability"], strict=True):
        ax.annotate(f"{p:.0%}", (m, p), textcoords="offset points", xytext=(3, 5),
                    fontsize=8, color=colour)


def _renewal_dates(result: EnsembleResult | pd.DataFrame, entry: str) -> tuple[int, ...]:
    """Return the renewal dates (months) of the entry's term; none without a term or scenario.

    Examples
    --------
    >>> _renewal_dates(_example_runs(), "I")  # a runs table: no scenario at hand
    ()
    """
    scenario = getattr(result, "scenario", None)
    found = [e for e in getattr(scenario, "timeline", ()) if e.id == entry]
    term = Term.of(found[0]) if found else None
    return () if term is None else term.dates


def _mark_renewals(ax: Axes, dates: tuple[int, ...]) -> list[Any]:
    """Draw a light vertical line at each renewal date; return the legend's one handle."""
    lines = [ax.axvline(m, color="0.55", linewidth=1, linestyle=":", alpha=0.8, zorder=1,
                        gid="renewal date", label="renewal date" if i == 0 else "_renewal")
             for i, m in enumerate(dates)]
    return lines[:1]


def plot_survival(result: EnsembleResult | pd.DataFrame, ax: Axes | None = None, *,
                  baseline: EnsembleResult | pd.DataFrame | None = None,
                  entry: str | None = None, label: str = "this ensemble",
                  baseline_label: str = "baseline") -> Axes:
    """Step plot of the probability that the deal still holds, month by month.

    Kaplan–Meier with censoring at the horizon and a Greenwood 95% band (log-log); the
    probability is marked and written at 1, 3, 6 and 12 months (within the horizon). A
    deal with a term (the entry's ``term``, :mod:`negsim.protocol.rounds.terms`) has its
    renewal dates marked by light vertical lines ("renewal date" in the legend; those of
    ``result``'s entry, read from its scenario, so not for a bare runs table).

    Parameters
    ----------
    result : EnsembleResult or runs DataFrame
        With an implementation entry.
    ax : matplotlib Axes, optional
    baseline : EnsembleResult or runs DataFrame, optional
        Another ensemble (e.g. without monitoring) drawn dashed on the same axes.
    entry : str, optional
        The implementation entry (default: the last; the same id in ``baseline``).
    label, baseline_label : str
        Legend labels (the legend is drawn only with a baseline or renewal dates).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> runs = _example_runs()
    >>> ax = plot_survival(runs, baseline=runs.assign(**{"I.broke": False, "I.duration": 3.0}))
    >>> len(ax.lines) >= 2, float(ax.get_xlim()[1])
    (True, 3.0)
    """
    ax = new_axes(ax, (7.5, 4.5))
    df = survival_data(result, entry)
    entry_id = survival_curve(runs_of(result), entry).entry
    _draw_curve(ax, df, PALETTE[0], label, dashed=False)
    horizon = float(df["month"].iloc[-1])
    handles = []
    if baseline is not None:
        base = survival_data(baseline, entry)
        _draw_curve(ax, base, PALETTE[1], baseline_label, dashed=True)
        horizon = max(horizon, float(base["month"].iloc[-1]))
        handles = ax.get_legend_handles_labels()[0]
    handles += _mark_renewals(ax, _renewal_dates(result, entry_id))
    if handles:
        ax.legend(handles=handles, loc="lower left", frameon=False)
    ax.set_xlim(0, horizon)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("Months after the talks")
    deal, bare = deal_words(result)
    ax.set_ylabel(f"P({bare} still holds)\n(Kaplan–Meier, 95% band)")
    fit_title(ax, f"Survival of {deal} ({entry_id})\n{subtitle(result)}")
    ax.grid(alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def plot_capability(result: EnsembleResult | pd.DataFrame, ax: Axes | None = None, *,
                    entry: str | None = None, data: pd.DataFrame | None = None) -> Axes:
    """Fan chart of each belligerent's capability by month: median, 50% and 90% bands.

    Parameters
    ----------
    result : EnsembleResult or runs DataFrame
        With an implementation entry.
    ax : matplotlib Axes, optional
    entry : str, optional
        The implementation entry (default: the last).
    data : pandas.DataFrame, optional
        The quantiles, if already computed by :func:`capability_data` (e.g. reading the
        columns one at a time); default: computed from ``result``.

    Returns
    -------
    matplotlib.axes.Axes
        One median line per belligerent, each with two shaded bands.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_capability(_example_runs())
    >>> [line.get_label() for line in ax.lines]
    ['LNA (median)', 'GNA (median)']
    """
    ax = new_axes(ax, (7.5, 4.5))
    df = capability_data(result, entry) if data is None else data
    for i, (who, g) in enumerate(df.groupby("belligerent", sort=False)):
        colour = PALETTE[i % len(PALETTE)]
        ax.fill_between(g["month"], g["q05"], g["q95"], color=colour, alpha=0.15, linewidth=0)
        ax.fill_between(g["month"], g["q25"], g["q75"], color=colour, alpha=0.35, linewidth=0)
        ax.plot(g["month"], g["q50"], color=colour, linewidth=2, label=f"{who} (median)")
    if len(df):
        ax.set_xlim(1, max(2, int(df["month"].max())))
    ax.set_xlabel("Month")
    ax.set_ylabel("Capability at the end of the month")
    fit_title(ax, f"Capabilities: median, 50% and 90% of runs\n{subtitle(result)}")
    ax.legend(loc="best", frameon=False)
    ax.grid(alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def plot_embargo(result: EnsembleResult | pd.DataFrame, ax: Axes | None = None, *,
                 entry: str | None = None,
                 kind: Literal["heatmap", "lines"] = "heatmap") -> Axes:
    """Compliance with the arms embargo by patron and month: P(no delivery).

    Parameters
    ----------
    result : EnsembleResult or runs DataFrame
        With an implementation entry.
    ax : matplotlib Axes, optional
    entry : str, optional
        The implementation entry (default: the last).
    kind : {"heatmap", "lines"}
        A heatmap (patrons by months, the probability written in each cell), or one line
        per patron with its Wilson 95% band.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_embargo(_example_runs())
    >>> len(ax.texts)  # one value per patron and month
    3
    >>> len(plot_embargo(_example_runs(), kind="lines").lines)
    1
    """
    if kind not in ("heatmap", "lines"):
        raise ValueError(f"kind must be 'heatmap' or 'lines', got {kind!r}")
    df = embargo_data(result, entry)
    patrons = list(dict.fromkeys(df["patron"]))
    scenario = getattr(result, "scenario", None)
    own = {a.id: a.words.keep for a in getattr(scenario, "actors", ()) if a.words.keep}
    names = [f"{p}: {own[p]}" if p in own else p for p in patrons]  # its own words, if any
    months = sorted(set(df["month"]))
    ax = new_axes(ax, (max(6.0, 0.45 * len(months) + 2.5),
                       max(2.6, 0.45 * len(patrons) + 1.6)))
    if kind == "heatmap":
        grid = df.pivot(index="patron", columns="month", values="probability")
        grid = grid.reindex(index=patrons, columns=months)
        image = ax.imshow(grid.to_numpy(dtype=float), cmap="RdYlGn", vmin=0.0, vmax=1.0,
                          aspect="auto")
        size = 8 if len(months) <= 12 else 6
        for i in range(len(patrons)):
            for j in range(len(months)):
                p = float(grid.iat[i, j])
                ax.text(j, i, f"{p:.2f}", ha="center", va="center", fontsize=size,
                        color="black" if 0.25 < p < 0.85 else "white")
        ax.set_xticks(range(len(months)), [str(m) for m in months])
        ax.set_yticks(range(len(patrons)), names)
        ax.set_xlabel("Month")
        ax.figure.colorbar(image, ax=ax, label="P(embargo kept)", shrink=0.9)
    else:
        for i, (p, name) in enumerate(zip(patrons, names, strict=True)):
            g = df[df["patron"] == p]
            colour = PALETTE[i % len(PALETTE)]
            ax.fill_between(g["month"], g["low"], g["high"], color=colour, alpha=0.2,
                            linewidth=0)
            ax.plot(g["month"], g["probability"], color=colour, marker="o", markersize=3,
                    label=literal(name))
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("Month")
        ax.set_ylabel("P(embargo kept)\n(with 95% interval)")
        ax.legend(loc="best", frameon=False)
        ax.grid(alpha=0.3)
    kept = [c.keep_phrase.partition(" ")[2] for c in getattr(scenario, "commitments", ())
            if effect_kind(c.effect).patron_choice]
    what = deal_words(" and ".join(kept)) if kept else ("", "arms embargo")
    fit_title(ax, f"{what[1][:1].upper() + what[1][1:]} kept, by patron and month\n"
                  f"{subtitle(result)}")
    return ax
