"""Per round of an ensemble: who signs, who commits, and who gains from the final text.

Signatures per mediated round (:func:`plot_signing`), commitments per conference
(:func:`plot_commitments`) and each actor's margin over its outside option
(:func:`plot_margins`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from negsim.ensemble import EnsembleResult, commitment_columns, decision_columns
from negsim.plot._common import (
    PALETTE,
    as_words,
    fit_title,
    literal,
    new_axes,
    percent,
    proportions,
    runs_of,
    subtitle,
    yerr,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from negsim.scenario import Scenario

__all__ = ["blocked_data", "commitment_data", "margins_data", "plot_commitments", "plot_margins",
           "plot_signing", "red_line_columns"]


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


def margins_data(result: EnsembleResult | pd.DataFrame,
                 read: Callable[[str], Any] | None = None) -> pd.DataFrame:
    """Return each actor's utility of the final text minus its outside option, per run.

    One column per actor with an outside option, one row per run.

    Parameters
    ----------
    result : EnsembleResult or runs DataFrame
    read : callable, optional
        ``read(name)`` returns the values of a ``utility.*`` or ``outside_option.*``
        column; with it, only the names of the runs' columns are used. Lets a caller read
        them one at a time (e.g. from a Parquet file), so that memory holds two at a time.

    Examples
    --------
    >>> df = pd.DataFrame({"utility.A": [0.8, 0.6], "outside_option.A": [0.7, 0.7]})
    >>> margins_data(df)["A"].round(3).tolist()
    [0.1, -0.1]
    >>> margins_data(df.iloc[:0], read=lambda name: df[name]).equals(margins_data(df))
    True
    """
    runs = runs_of(result)

    def get(name: str) -> np.ndarray:
        x = runs[name] if read is None else read(name)
        return x.to_numpy(dtype=float) if isinstance(x, pd.Series) else np.asarray(x, dtype=float)

    actors = [str(c).split(".", 1)[1] for c in runs.columns if str(c).startswith("utility.")]
    data = {}
    for a in actors:
        if f"outside_option.{a}" not in runs.columns:
            continue
        data[a] = get(f"utility.{a}") - get(f"outside_option.{a}")
    return pd.DataFrame(data, copy=False)


def _deciding_round(scenario: Scenario) -> tuple[str, tuple[str, ...]] | None:
    """Return the last round whose text is put to signature, with its participants."""
    from negsim.scenario.kinds import round_kind

    signing = [e for e in scenario.timeline if round_kind(e.kind).signs_text]
    return (signing[-1].id, tuple(signing[-1].participants)) if signing else None


def red_line_columns(scenario: Scenario) -> list[str]:
    """Return the columns of the runs that :func:`blocked_data` reads besides the margins.

    The final text of the deciding round on every issue a participant has a red line on,
    and the participants' decisions.

    Examples
    --------
    >>> from negsim import load_scenario
    >>> red_line_columns(load_scenario("libya-2020"))  # doctest: +NORMALIZE_WHITESPACE
    ['moscow.text.disband_deadline', 'moscow.text.turkish_forces',
     'moscow.text.security_agreement', 'moscow.GNA.decision', 'moscow.LNA.decision']
    """
    found = _deciding_round(scenario)
    if found is None:
        return []
    rnd, parts = found
    issues = dict.fromkeys(rl.issue for a in parts for rl in scenario.actor(a).red_lines)
    return [f"{rnd}.text.{k}" for k in issues] + [f"{rnd}.{a}.decision" for a in parts]


def blocked_data(result: EnsembleResult | pd.DataFrame, scenario: Scenario | None = None,
                 margins: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return, per actor, how often it gains from the text, signs, and is held by a red line.

    For each participant of the round whose text is put to signature last (the round a
    run's outcome is read from): the share of runs in which it gains from the final text
    (utility above its outside option), in which it signs, and in which it gains but the
    final text violates one of its red lines (so it cannot sign whatever the margin;
    :mod:`negsim.protocol.explain` gives the same reason per run).

    Returns
    -------
    pandas.DataFrame
        Columns ``actor``, ``gains``, ``signs``, ``red_line`` and ``gains_but_red_line``
        (shares of all runs; ``signs`` and the red-line shares are NaN for actors that are
        not participants or without the columns).

    Examples
    --------
    >>> from negsim import simulate
    >>> res = simulate("libya-2020", runs=200, seed=1)
    >>> df = blocked_data(res).set_index("actor")
    >>> bool(df.loc["LNA", "gains"] > df.loc["LNA", "signs"])
    True
    >>> bool(df.loc["LNA", "gains_but_red_line"] > 0), bool(df.loc["GNA", "red_line"] == 0)
    (True, True)
    """
    runs = runs_of(result)
    margins = margins_data(runs) if margins is None else margins
    sc = scenario if scenario is not None else getattr(result, "scenario", None)
    found = None if sc is None else _deciding_round(sc)
    rows = []
    for a in margins.columns:
        gains = margins[a].to_numpy() > 0
        row = {"actor": a, "gains": float(gains.mean()) if len(gains) else np.nan,
               "signs": np.nan, "red_line": np.nan, "gains_but_red_line": np.nan}
        if found is not None and a in found[1]:
            rnd = found[0]
            if f"{rnd}.{a}.decision" in runs.columns:
                row["signs"] = float((runs[f"{rnd}.{a}.decision"] == "sign").mean())
            bad = _red_line_runs(runs, sc, a)  # type: ignore[arg-type]
            if bad is not None:
                row["red_line"] = float(bad.mean())
                row["gains_but_red_line"] = float((bad & gains).mean())
        rows.append(row)
    return pd.DataFrame(rows, columns=["actor", "gains", "signs", "red_line",
                                       "gains_but_red_line"])


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
        ax.text(xi, hi + 0.015, percent(p), ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x, [literal(a) for a in df["actor"]])
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("Probability of signing the final text")
    ax.set_xlabel("Participant")
    fit_title(ax, f"Who signs, round by round\n{subtitle(result)}")
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
        ax.text(min(hi + 0.015, 1.02), yi, percent(p), va="center", fontsize=8)
    ax.set_yticks(y, [literal(a) for a in df["power"]])
    ax.set_xlim(0, 1.12)
    ax.set_xlabel("Probability of committing")
    fit_title(ax, f"Conference commitments\n{subtitle(result)}")
    ax.legend(loc="lower right", fontsize=8, title="commitment", title_fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def plot_margins(result: EnsembleResult | pd.DataFrame, ax: Axes | None = None, *,
                 scenario: Scenario | None = None, margins: pd.DataFrame | None = None
                 ) -> Axes:
    """Distribution of each actor's utility of the final text minus its outside option.

    Box plots (box: quartiles; whiskers: 5th to 95th percentile; line: median). Positive
    means the actor prefers the text to fighting on (or, for an actor without an outside
    option, to the status quo). A positive margin is not a signature: each participant's
    label says how often it gains, how often it signs, and in how many runs the final text
    crosses one of its red lines although it gains (:func:`blocked_data`); those runs'
    margins are drawn as red points.

    Parameters
    ----------
    result : EnsembleResult or runs DataFrame
    ax : matplotlib Axes, optional
    scenario : Scenario, optional
        Where the red lines are read (default: the result's own scenario).

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
    >>> label = [t.get_text() for t in ax.get_yticklabels() if t.get_text().startswith("LNA")]
    >>> "gains in" in label[0] and "signs in" in label[0] and "red line" in label[0]
    True
    """
    df = margins_data(result) if margins is None else margins
    why = blocked_data(result, scenario, margins=df).set_index("actor")
    runs = runs_of(result)
    sc = scenario if scenario is not None else getattr(result, "scenario", None)
    ax = new_axes(ax, (7.5, max(2.6, 0.75 * df.shape[1] + 1.6)))
    actors = list(df.columns)
    y = np.arange(len(actors))[::-1] + 1
    ax.boxplot([df[a].to_numpy() for a in actors], positions=y, orientation="horizontal",
               whis=(5, 95), showfliers=False, widths=0.6, patch_artist=True,
               boxprops={"facecolor": "#a8dadc", "edgecolor": "black"},
               medianprops={"color": "black", "linewidth": 1.5})
    ax.axvline(0, color="#e76f51", linewidth=1.2, linestyle="--", label="indifferent")
    labels = []
    shown = False
    for yi, a in zip(y, actors, strict=True):
        r = why.loc[a]
        label = f"{a}\ngains in {percent(r['gains'])}"
        if not np.isnan(r["signs"]):
            label += f", signs in {percent(r['signs'])}"
        bad = (None if sc is None or np.isnan(r["gains_but_red_line"])
               or not sc.actor(a).red_lines else _red_line_runs(runs, sc, a))
        if bad is not None:
            label += f"\ngains but red line crossed: {percent(r['gains_but_red_line'])}"
            pts = df[a].to_numpy()[bad & (df[a].to_numpy() > 0)][:500]
            if len(pts):
                jitter = np.linspace(-0.22, 0.22, len(pts))
                ax.scatter(pts, yi + jitter, s=6, color="#bc4749", alpha=0.5, linewidths=0,
                           zorder=3, label=None if shown else
                           "gains, but the text crosses its red line (cannot sign)")
                shown = True
        labels.append(literal(label))
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel("Utility of the final text − outside option (utility per period)")
    fit_title(ax, f"Who gains from the text, and why a gain is not a signature\n"
                  f"{subtitle(result)}")
    ax.legend(loc="best", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def _red_line_runs(runs: pd.DataFrame, scenario: Scenario, actor: str) -> np.ndarray | None:
    """Return the runs whose final text (of the deciding round) crosses an actor's red line.

    None if a column it needs is missing. The tolerance is that of
    :mod:`negsim.protocol.explain`.
    """
    found = _deciding_round(scenario)
    if found is None:
        return None
    bad = np.zeros(len(runs), dtype=bool)
    for rl in scenario.actor(actor).red_lines:
        col = f"{found[0]}.text.{rl.issue}"
        if col not in runs.columns:
            return None
        x = runs[col].to_numpy(dtype=float)
        if rl.min is not None:
            bad |= x < rl.min - 1e-9
        if rl.max is not None:
            bad |= x > rl.max + 1e-9
    return bad
