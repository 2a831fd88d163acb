"""The outcome distribution of an ensemble (:func:`plot_outcomes`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from negsim.ensemble import EnsembleResult
from negsim.plot._common import (
    OUTCOME_COLOURS,
    as_words,
    fit_title,
    literal,
    new_axes,
    observed_outcome,
    percent,
    proportions,
    runs_of,
    subtitle,
    yerr,
)
from negsim.scenario import OUTCOMES

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from negsim.scenario import Scenario

__all__ = ["plot_outcomes"]


def _outcome_data(result: EnsembleResult | pd.DataFrame) -> pd.DataFrame:
    """Outcome probabilities with Wilson intervals, one row per category (best first).

    Examples
    --------
    >>> df = pd.DataFrame({"outcome": ["no_agreement", "signed_and_holds", "no_agreement"]})
    >>> _outcome_data(df)["count"].tolist()
    [1, 0, 0, 2]
    >>> _outcome_data(df.astype("category"))["count"].tolist()
    [1, 0, 0, 2]
    """
    runs = runs_of(result)
    n = len(runs)
    col = runs["outcome"]
    counts: dict[str, int] = {}
    if isinstance(col.dtype, pd.CategoricalDtype):  # counted by code: no string per run
        codes = col.cat.codes.to_numpy()
        found = np.bincount(codes[codes >= 0], minlength=len(col.cat.categories))
        for c, m in zip(col.cat.categories, found, strict=True):
            counts[str(c)] = counts.get(str(c), 0) + int(m)
    else:
        counts = {str(c): int(m) for c, m in col.astype(str).value_counts().items()}
    k = np.array([int(counts.get(o, 0)) for o in OUTCOMES])
    p, lo, hi = proportions(k, n)
    return pd.DataFrame({"outcome": list(OUTCOMES), "count": k, "probability": p,
                         "low": lo, "high": hi})


def plot_outcomes(result: EnsembleResult | pd.DataFrame, ax: Axes | None = None, *,
                  scenario: Scenario | None = None) -> Axes:
    """Bar chart of the outcome distribution with Wilson 95% intervals.

    Where the scenario records the observed outcome of the round a run's outcome is read
    from (:func:`~negsim.plot._common.observed_outcome`), that bar is outlined and marked
    "observed".

    Parameters
    ----------
    result : EnsembleResult or runs DataFrame
    ax : matplotlib Axes, optional
    scenario : Scenario, optional
        Where the observed outcome is read (default: the result's own scenario).

    Returns
    -------
    matplotlib.axes.Axes
        One bar per outcome category.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from negsim import simulate
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> ax = plot_outcomes(res)
    >>> len(ax.patches), [t.get_text() for t in ax.texts if "observed" in t.get_text()]
    (4, ['observed (moscow)'])
    """
    ax = new_axes(ax, (7.0, 4.5))
    df = _outcome_data(result)
    x = np.arange(len(df))
    bars = ax.bar(x, df["probability"], color=[OUTCOME_COLOURS[o] for o in df["outcome"]],
                  yerr=yerr(df), capsize=5, edgecolor="black", linewidth=0.6,
                  error_kw={"elinewidth": 1.2})
    for xi, (p, hi) in enumerate(zip(df["probability"], df["high"], strict=True)):
        ax.text(xi, hi + 0.015, percent(p, 1), ha="center", va="bottom", fontsize=10)
    top = min(1.0, float(df["high"].max()) + 0.12)
    sc = scenario if scenario is not None else getattr(result, "scenario", None)
    observed = observed_outcome(sc)
    if observed is not None and observed[1] in list(df["outcome"]):
        i = list(df["outcome"]).index(observed[1])
        bars[i].set_linewidth(2.5)
        bars[i].set_hatch("//")
        y = float(df["high"].iloc[i]) + 0.09
        ax.annotate(literal(f"observed ({observed[0]})"), (i, float(df["high"].iloc[i]) + 0.06),
                    xytext=(i, y + 0.06), ha="center", va="bottom", fontsize=9,
                    fontweight="bold", arrowprops={"arrowstyle": "->", "color": "black"})
        top = max(top, min(1.25, y + 0.14))
    ax.set_xticks(x, [as_words(o).replace(" ", "\n", 1) for o in df["outcome"]])
    ax.set_ylim(0, top)
    if top > 1.0:  # room for the mark; the ticks stay probabilities
        ax.set_yticks(np.linspace(0.0, 1.0, 6))
    ax.set_ylabel("Probability (with 95% interval)")
    fit_title(ax, f"Outcome distribution\n{subtitle(result)}")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return ax
