"""Per round of an ensemble: who signs, who commits, and who gains from the final text.

Signatures per mediated round (:func:`plot_signing`), commitments per conference
(:func:`plot_commitments`) and each actor's margin over its outside option
(:func:`plot_margins`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from negsim.ensemble import EnsembleResult, commitment_columns, decision_columns
from negsim.plot._common import (
    PALETTE,
    as_words,
    literal,
    new_axes,
    proportions,
    runs_of,
    subtitle,
    yerr,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["commitment_data", "margins_data", "plot_commitments", "plot_margins", "plot_signing"]


def _signing_data(result: EnsembleResult | pd.DataFrame) -> pd.DataFrame:
    """Probability that each participant signs each mediated round's final text.

    Returns columns ``round``, ``actor``, ``count``, ``probability``, ``low``, ``high``.
    """
    runs = runs_of(result)
    rows = []
    for rnd, by_actor in decision_columns(runs).items():
        for actor, col in by_actor.items():
            rows.append({"round": rnd, "actor": actor, "count": int((runs[col] == "sign").sum())})
    df = pd.DataFrame(rows, columns=["round", "actor", "count"])
    p, lo, hi = proportions(df["count"].to_numpy(), len(runs))
    return df.assign(probability=p, low=lo, high=hi)


def commitment_data(result: EnsembleResult | pd.DataFrame) -> pd.DataFrame:
    """Return the probability that each power commits to each commitment at each conference.

    Returns
    -------
    pandas.DataFrame
        Columns ``round``, ``commitment``, ``power``, ``count``, ``equilibrium`` (share of
        runs whose selected equilibrium has the power commit), ``probability``, ``low``,
        ``high``; one row per (conference, commitment, power).

    Examples
    --------
    >>> runs = pd.DataFrame({"berlin.embargo.Turkey": [True, False],
    ...                      "berlin.embargo.Turkey.equilibrium": [True, True]})
    >>> commitment_data(runs)[["round", "commitment", "power", "probability", "equilibrium"]]
        round commitment   power  probability  equilibrium
    0  berlin    embargo  Turkey          0.5          1.0
    """
    runs = runs_of(result)
    rows = []
    for rnd, by_com in commitment_columns(runs).items():
        for com, by_power in by_com.items():
            for power, col in by_power.items():
                rows.append({
                    "round": rnd, "commitment": com, "power": power,
                    "count": int(runs[col].to_numpy(dtype=bool).sum()),
                    "equilibrium": float(runs[f"{col}.equilibrium"].to_numpy(dtype=bool).mean()),
                })
    df = pd.DataFrame(rows, columns=["round", "commitment", "power", "count", "equilibrium"])
    p, lo, hi = proportions(df["count"].to_numpy(), len(runs))
    return df.assign(probability=p, low=lo, high=hi)


def margins_data(result: EnsembleResult | pd.DataFrame) -> pd.DataFrame:
    """Return each actor's utility of the final text minus its outside option, per run.

    One column per actor with an outside option, one row per run.

    Examples
    --------
    >>> df = pd.DataFrame({"utility.A": [0.8, 0.6], "outside_option.A": [0.7, 0.7]})
    >>> margins_data(df)["A"].round(3).tolist()
    [0.1, -0.1]
    """
    runs = runs_of(result)
    actors = [str(c).split(".", 1)[1] for c in runs.columns if str(c).startswith("utility.")]
    data = {}
    for a in actors:
        if f"outside_option.{a}" not in runs.columns:
            continue
        data[a] = runs[f"utility.{a}"].to_numpy(dtype=float) - runs[
            f"outside_option.{a}"].to_numpy(dtype=float)
    return pd.DataFrame(data)


def plot_signing(result: EnsembleResult | pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Probability that each participant signs, per mediated round, with 95% intervals.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per (round, participant), coloured by round.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from negsim import simulate
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> [t.get_text() for t in plot_signing(res).get_xticklabels()]
    ['GNA', 'LNA']
    """
    ax = new_axes(ax, (7.0, 4.5))
    df = _signing_data(result)
    rounds = list(dict.fromkeys(df["round"]))
    x = np.arange(len(df), dtype=float) + np.array([rounds.index(r) for r in df["round"]]) * 0.6
    for i, rnd in enumerate(rounds):
        sel = (df["round"] == rnd).to_numpy()
        ax.bar(x[sel], df["probability"][sel], yerr=yerr(df[sel]), capsize=5,
               color=PALETTE[i % len(PALETTE)], edgecolor="black", linewidth=0.6,
               label=literal(f"round: {rnd}"))
    for xi, p, hi in zip(x, df["probability"], df["high"], strict=True):
        ax.text(xi, hi + 0.015, f"{p:.0%}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x, [literal(a) for a in df["actor"]])
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("Probability of signing the final text")
    ax.set_xlabel("Participant")
    ax.set_title(f"Who signs, round by round\n{subtitle(result)}")
    if len(rounds) > 0:
        ax.legend(loc="upper right", fontsize=9)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def plot_commitments(result: EnsembleResult | pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Probability that each power commits to each commitment at the conferences.

    Returns
    -------
    matplotlib.axes.Axes
        One horizontal bar per (conference, commitment, power), coloured by commitment.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from negsim import simulate
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> len(plot_commitments(res).patches)  # 3 commitments x 4 powers
    12
    """
    df = commitment_data(result)
    ax = new_axes(ax, (7.5, max(2.5, 0.38 * len(df) + 1.6)))
    keys = list(dict.fromkeys(zip(df["round"], df["commitment"], strict=True)))
    y = np.arange(len(df), dtype=float)[::-1]
    for i, (rnd, com) in enumerate(keys):
        sel = ((df["round"] == rnd) & (df["commitment"] == com)).to_numpy()
        label = as_words(com) if len({r for r, _ in keys}) == 1 else f"{rnd}: {as_words(com)}"
        ax.barh(y[sel], df["probability"][sel], xerr=yerr(df[sel]), capsize=4,
                color=PALETTE[i % len(PALETTE)], edgecolor="black", linewidth=0.6,
                label=literal(label))
    for yi, p, hi in zip(y, df["probability"], df["high"], strict=True):
        ax.text(min(hi + 0.015, 1.02), yi, f"{p:.0%}", va="center", fontsize=8)
    ax.set_yticks(y, [literal(a) for a in df["power"]])
    ax.set_xlim(0, 1.12)
    ax.set_xlabel("Probability of committing")
    ax.set_title(f"Conference commitments\n{subtitle(result)}")
    ax.legend(loc="lower right", fontsize=8, title="commitment", title_fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def plot_margins(result: EnsembleResult | pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Distribution of each actor's utility of the final text minus its outside option.

    Box plots (box: quartiles; whiskers: 5th to 95th percentile; line: median). Positive
    means the actor prefers the text to fighting on (or, for an actor without an outside
    option, to the status quo).

    Returns
    -------
    matplotlib.axes.Axes
        One box per actor.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from negsim import simulate
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> ax = plot_margins(res)
    >>> ax.get_xlabel() != ""
    True
    """
    df = margins_data(result)
    ax = new_axes(ax, (7.5, max(2.6, 0.5 * df.shape[1] + 1.6)))
    actors = list(df.columns)
    y = np.arange(len(actors))[::-1] + 1
    ax.boxplot([df[a].to_numpy() for a in actors], positions=y, orientation="horizontal",
               whis=(5, 95), showfliers=False, widths=0.6, patch_artist=True,
               boxprops={"facecolor": "#a8dadc", "edgecolor": "black"},
               medianprops={"color": "black", "linewidth": 1.5})
    ax.axvline(0, color="#e76f51", linewidth=1.2, linestyle="--", label="indifferent")
    labels = [literal(f"{a}\n({(df[a] > 0).mean():.0%} of runs > 0)") for a in actors]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel("Utility of the final text − outside option (utility per period)")
    ax.set_title(f"Who gains from the text\n{subtitle(result)}")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax
