"""The outcome distribution of an ensemble (:func:`plot_outcomes`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from negsim.ensemble import EnsembleResult
from negsim.plot._common import (
    OUTCOME_COLOURS,
    as_words,
    new_axes,
    proportions,
    runs_of,
    subtitle,
    yerr,
)
from negsim.scenario import OUTCOMES

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_outcomes"]


def _outcome_data(result: EnsembleResult | pd.DataFrame) -> pd.DataFrame:
    """Outcome probabilities with Wilson intervals, one row per category (best first).

    Examples
    --------
    >>> df = pd.DataFrame({"outcome": ["no_agreement", "signed_and_holds", "no_agreement"]})
    >>> _outcome_data(df)["count"].tolist()
    [1, 0, 0, 2]
    """
    runs = runs_of(result)
    n = len(runs)
    counts = runs["outcome"].astype(str).value_counts()
    k = np.array([int(counts.get(o, 0)) for o in OUTCOMES])
    p, lo, hi = proportions(k, n)
    return pd.DataFrame({"outcome": list(OUTCOMES), "count": k, "probability": p,
                         "low": lo, "high": hi})


def plot_outcomes(result: EnsembleResult | pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Bar chart of the outcome distribution with Wilson 95% intervals.

    Parameters
    ----------
    result : EnsembleResult or runs DataFrame
    ax : matplotlib Axes, optional

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
    >>> len(plot_outcomes(res).patches)
    4
    """
    ax = new_axes(ax, (7.0, 4.5))
    df = _outcome_data(result)
    x = np.arange(len(df))
    ax.bar(x, df["probability"], color=[OUTCOME_COLOURS[o] for o in df["outcome"]],
           yerr=yerr(df), capsize=5, edgecolor="black", linewidth=0.6,
           error_kw={"elinewidth": 1.2})
    for xi, (p, hi) in enumerate(zip(df["probability"], df["high"], strict=True)):
        ax.text(xi, hi + 0.015, f"{p:.1%}", ha="center", va="bottom", fontsize=10)
    ax.set_xticks(x, [as_words(o).replace(" ", "\n", 1) for o in df["outcome"]])
    ax.set_ylim(0, min(1.0, float(df["high"].max()) + 0.12))
    ax.set_ylabel("Probability (with 95% interval)")
    ax.set_title(f"Outcome distribution\n{subtitle(result)}")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return ax
