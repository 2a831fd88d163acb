"""The concession frontier of a deal design (:func:`plot_concession_frontier`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from negsim.plot._common import fit_title, literal, new_axes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from negsim.analysis.design import DealDesign

__all__ = ["plot_concession_frontier"]


def _concession_frontier_data(design: DealDesign) -> pd.DataFrame:
    """Return the concession path of a deal design with labels and 95% bands.

    Returns the columns of :attr:`negsim.analysis.design.DealDesign.frontier` plus ``label`` (the
    draft, or ``issue from -> to``), ``low`` and ``high`` (``probability`` -/+ 1.96 ``se``,
    clipped to [0, 1]).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> fr = pd.DataFrame({"step": [0, 1], "issue": ["(draft)", "border"],
    ...                    "from": [np.nan, 0.5], "to": [np.nan, 0.6],
    ...                    "total_concession": [0.0, 0.1], "probability": [0.0, 0.99],
    ...                    "se": [0.0, 0.01]})
    >>> df = _concession_frontier_data(SimpleNamespace(frontier=fr))
    >>> df["label"].tolist(), df["high"].round(4).tolist()
    (['draft', 'border 0.5 -> 0.6'], [0.0, 1.0])
    """
    df = design.frontier.copy()
    labels = []
    for issue, a, b in zip(df["issue"], df["from"], df["to"], strict=True):
        labels.append("draft" if issue == "(draft)" else f"{issue} {a:.3g} -> {b:.3g}")
    df["label"] = labels
    df["low"] = np.clip(df["probability"] - 1.959963984540054 * df["se"], 0.0, 1.0)
    df["high"] = np.clip(df["probability"] + 1.959963984540054 * df["se"], 0.0, 1.0)
    return df


def plot_concession_frontier(design: DealDesign, ax: Axes | None = None) -> Axes:
    """Probability that every party signs and the deal holds against total concession.

    One point per text on the concession path from the mediators' draft (total concession
    0) to the designed text (:func:`negsim.analysis.design.concession_path`), each labelled with the
    concession it adds, with a 95% Monte Carlo band.

    Parameters
    ----------
    design : DealDesign
        A :func:`negsim.design_deal` result.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from negsim import design_deal
    >>> d = design_deal("libya-2020", runs=100, maxiter=1)
    >>> ax = plot_concession_frontier(d)
    >>> ax.get_xlabel()
    'Total concession from the draft (sum of |moves| on the 0-1 issue scales)'
    >>> right = ax.get_xlim()[1]  # the axis spans the path, however short
    >>> bool(d.total_concession < right < 2 * d.total_concession)
    True
    """
    df = _concession_frontier_data(design)
    ax = new_axes(ax, (7.5, 4.8))
    x = df["total_concession"].to_numpy(dtype=float)
    y = df["probability"].to_numpy(dtype=float)
    ax.plot(x, y, color="#264653", linewidth=1.6, label="concession path (texts joined)")
    ax.errorbar(x, y, yerr=np.clip([y - df["low"], df["high"] - y], 0.0, None), fmt="o",
                color="#264653", capsize=4, markersize=6, label="texts on the concession path")
    ax.plot(x[-1:], y[-1:], marker="*", markersize=16, color="#2a9d8f", linestyle="none",
            label="designed text", zorder=5)
    for xi, yi, label in zip(x, y, df["label"], strict=True):
        ax.annotate(literal(label), (xi, yi), xytext=(6, -12 if yi > 0.9 else 6),
                    textcoords="offset points", fontsize=8)
    if len(df) == 1:
        ax.text(0.5, 0.5, "the draft needs no concession", ha="center", va="center",
                transform=ax.transAxes, fontsize=9, color="dimgray")
    # The x axis spans the path itself (however small the concessions), with room on the
    # right for the labels.
    span = float(x.max()) if len(x) and x.max() > 0 else 0.1
    ax.set_xlim(-0.05 * span, span * 1.35)
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel("Total concession from the draft (sum of |moves| on the 0-1 issue scales)")
    ax.set_ylabel("P(every party signs and the deal holds)")
    prm = getattr(design, "parameters", {})
    fit_title(ax, f"{literal(design.scenario_id)}: concession frontier\n"
                  f"{prm.get('runs', 0):,} runs, seed {prm.get('seed')}, common random numbers")
    ax.legend(fontsize=8, loc="center right")
    ax.grid(alpha=0.3)
    return ax
