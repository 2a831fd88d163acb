"""Pictures of an ensemble (outcomes, signatures, sweeps, ...) and of a deal design.

Ensembles: outcomes, signatures, commitments, sweeps, sensitivity, margins; deal designs:
the concession frontier.

Every ``plot_*`` function takes an :class:`~negsim.ensemble.EnsembleResult` (or a sweep
DataFrame), draws on ``ax`` (a new figure if ``ax`` is None) and returns the
:class:`matplotlib.axes.Axes`; nothing calls ``plt.show()``. The numbers behind each picture
come from a separate ``_*_data`` function that returns a DataFrame, so they can be checked
(and reused) without drawing. :func:`save_all` writes every applicable picture as a PNG
without touching pyplot's global figure list, so it works on headless machines (Agg).

Probabilities are shown with Wilson 95% intervals (:func:`negsim.ensemble.wilson_interval`).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from negsim.ensemble import simulate
>>> res = simulate("libya-2020", runs=300, seed=1)
>>> ax = plot_outcomes(res)
>>> len(ax.patches)
4
"""

from __future__ import annotations

import os
import textwrap
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from negsim.ensemble import (
    EnsembleResult,
    commitment_columns,
    decision_columns,
    sweep_parameters,
    sweep_summary,
    wilson_interval,
)
from negsim.scenario import OUTCOMES

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from negsim.analysis.design import DealDesign
    from negsim.scenario import Scenario

__all__ = [
    "plot_commitments",
    "plot_concession_frontier",
    "plot_issue_space",
    "plot_margins",
    "plot_outcomes",
    "plot_signing",
    "plot_sweep",
    "plot_tornado",
    "save_all",
]

OUTCOME_COLOURS = {
    "signed_and_holds": "#2a9d8f",
    "signed_but_fragile": "#e9c46a",
    "partial_signature": "#e76f51",
    "no_agreement": "#8d99ae",
}
_PALETTE = ("#264653", "#e76f51", "#2a9d8f", "#9b5de5", "#f4a261", "#577590", "#bc4749",
            "#90be6d")
_PARAMETER_PREFIXES = ("actors.", "model.", "issues.", "commitments.")
_DPI = 120


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def _runs_of(result: EnsembleResult | pd.DataFrame) -> pd.DataFrame:
    if isinstance(result, EnsembleResult):
        return result.runs
    if isinstance(result, pd.DataFrame):
        return result
    raise TypeError(f"expected an EnsembleResult or a runs DataFrame, got {type(result)!r}")


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def _label(s: str) -> str:
    return s.replace("_", " ")


def _subtitle(result: EnsembleResult | pd.DataFrame) -> str:
    if isinstance(result, EnsembleResult):
        return f"{result.scenario_id}: {result.n_runs:,} runs, seed {result.seed}"
    return f"{len(result):,} runs"


def _yerr(df: pd.DataFrame) -> np.ndarray:
    return np.vstack([df["probability"] - df["low"], df["high"] - df["probability"]])


def _proportions(k: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    k = np.asarray(k, dtype=float)
    lo, hi = wilson_interval(k, np.full_like(k, n))
    return k / n, np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)


def _scenario_for(result: EnsembleResult | pd.DataFrame, scenario: Scenario | None
                  ) -> Scenario | None:
    if scenario is not None:
        return scenario
    if isinstance(result, EnsembleResult):
        if result.scenario is not None:
            return result.scenario
        from negsim.scenario import load_scenario

        loaded = load_scenario(result.scenario_id)
        if loaded.fingerprint() != result.scenario_fingerprint:
            warnings.warn(
                f"the built-in scenario {result.scenario_id!r} differs from the one simulated "
                "(fingerprints differ); pass scenario= to plot the simulated one",
                UserWarning, stacklevel=3,
            )
        return loaded
    return None


def _issue_names(scenario: Scenario | None) -> dict[str, Any]:
    if scenario is None:
        return {}
    return {iss.id: iss for iss in scenario.issues}


def _pretty_parameter(path: str, scenario: Scenario | None = None) -> str:
    """Put a parameter path in words.

    Examples
    --------
    >>> _pretty_parameter("actors.UAE.backs.LNA.leverage")
    'UAE→LNA leverage'
    >>> _pretty_parameter("model.rationality")
    'rationality (model)'
    """
    issues = _issue_names(scenario)

    def issue(k: str) -> str:
        return getattr(issues.get(k), "name", k)

    match path.split("."):
        case ["actors", a, "backs", b, f]:
            return f"{a}→{b} {_label(f)}"
        case ["actors", a, "demands", k, f]:
            return f"{a} {f}: {issue(k)}"
        case ["actors", a, "outside_option", f]:
            return f"{a} {_label(f)} of fighting"
        case ["actors", a, f]:
            return f"{a} {_label(f)}"
        case ["issues", k, f]:
            return f"{_label(f)}: {issue(k)}"
        case ["commitments", c, f]:
            return f"{c} {_label(f)}"
        case ["model", f]:
            return f"{_label(f)} (model)"
    return path


# --------------------------------------------------------------------------------------
# data preparation
# --------------------------------------------------------------------------------------
def _outcome_data(result: EnsembleResult | pd.DataFrame) -> pd.DataFrame:
    """Outcome probabilities with Wilson intervals, one row per category (best first).

    Examples
    --------
    >>> df = pd.DataFrame({"outcome": ["no_agreement", "signed_and_holds", "no_agreement"]})
    >>> _outcome_data(df)["count"].tolist()
    [1, 0, 0, 2]
    """
    runs = _runs_of(result)
    n = len(runs)
    counts = runs["outcome"].astype(str).value_counts()
    k = np.array([int(counts.get(o, 0)) for o in OUTCOMES])
    p, lo, hi = _proportions(k, n)
    return pd.DataFrame({"outcome": list(OUTCOMES), "count": k, "probability": p,
                         "low": lo, "high": hi})


def _signing_data(result: EnsembleResult | pd.DataFrame) -> pd.DataFrame:
    """Probability that each participant signs each mediated round's final text.

    Returns columns ``round``, ``actor``, ``count``, ``probability``, ``low``, ``high``.
    """
    runs = _runs_of(result)
    rows = []
    for rnd, by_actor in decision_columns(runs).items():
        for actor, col in by_actor.items():
            rows.append({"round": rnd, "actor": actor, "count": int((runs[col] == "sign").sum())})
    df = pd.DataFrame(rows, columns=["round", "actor", "count"])
    p, lo, hi = _proportions(df["count"].to_numpy(), len(runs))
    return df.assign(probability=p, low=lo, high=hi)


def _commitment_data(result: EnsembleResult | pd.DataFrame) -> pd.DataFrame:
    """Probability that each power commits to each commitment at each conference.

    Returns columns ``round``, ``commitment``, ``power``, ``count``, ``probability``,
    ``low``, ``high``, ``equilibrium`` (share of runs whose selected equilibrium has the
    power commit).
    """
    runs = _runs_of(result)
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
    p, lo, hi = _proportions(df["count"].to_numpy(), len(runs))
    return df.assign(probability=p, low=lo, high=hi)


def _sweep_data(sweep_df: pd.DataFrame, parameter: str) -> pd.DataFrame:
    """Per sweep point, sorted by ``parameter``: outcome shares and holds probability.

    The columns are those of :func:`negsim.ensemble.sweep_summary`; rows are sorted by the
    other swept parameters, then by ``parameter``.
    """
    params = sweep_parameters(sweep_df)
    if parameter not in params:
        raise ValueError(f"{parameter!r} was not swept; swept parameters: {params}")
    others = [p for p in params if p != parameter]
    return sweep_summary(sweep_df).sort_values([*others, parameter], kind="stable").reset_index(
        drop=True)


def _tornado_parameters(result: EnsembleResult | pd.DataFrame) -> list[str]:
    if isinstance(result, EnsembleResult) and result.parameters:
        return list(result.parameters)
    runs = _runs_of(result)
    return [str(c) for c in runs.columns
            if str(c).startswith(_PARAMETER_PREFIXES) and pd.api.types.is_float_dtype(runs[c])]


def _metric(runs: pd.DataFrame, metric: str) -> np.ndarray:
    if metric in OUTCOMES:
        return (runs["outcome"] == metric).to_numpy()
    if metric in runs.columns and pd.api.types.is_bool_dtype(runs[metric]):
        return runs[metric].to_numpy(dtype=bool)
    raise ValueError(f"metric must be a boolean column or an outcome category, got {metric!r}")


def _tornado_data(result: EnsembleResult | pd.DataFrame, parameters: Sequence[str] | None = None,
                  metric: str = "holds", quantile: float = 0.2) -> pd.DataFrame:
    """Each uncertain parameter's effect on a probability, by a top-vs-bottom comparison.

    For each parameter, the runs whose sampled value is at or below its ``quantile``
    quantile form the *low* group and those at or above its ``1 - quantile`` quantile the
    *high* group. The effect is ``P(metric | high) - P(metric | low)``, with Newcombe's
    hybrid score interval for a difference of proportions (built from the two groups'
    Wilson intervals). Because the other parameters are sampled independently, the
    difference measures the parameter's total effect averaged over the others; it is
    model-free (no regression) and so also shows non-linear (monotone) effects, but it
    cannot separate interactions. Parameters that take a single value are left out.

    Returns
    -------
    pandas.DataFrame
        Columns ``parameter``, ``low_value`` / ``high_value`` (the two thresholds),
        ``n_low``, ``n_high``, ``p_low``, ``p_high``, ``effect``, ``effect_low``,
        ``effect_high``; sorted by decreasing absolute effect.

    Examples
    --------
    >>> x = np.linspace(0, 1, 100)
    >>> df = pd.DataFrame({"model.rationality": x, "holds": x > 0.5})
    >>> _tornado_data(df)[["parameter", "p_low", "p_high", "effect"]]
               parameter  p_low  p_high  effect
    0  model.rationality    0.0     1.0     1.0
    """
    if not 0 < quantile <= 0.5:
        raise ValueError(f"quantile must be in (0, 0.5], got {quantile}")
    runs = _runs_of(result)
    params = _tornado_parameters(result) if parameters is None else list(parameters)
    y = _metric(runs, metric)
    rows = []
    for path in params:
        if path not in runs.columns:
            raise ValueError(f"no column {path!r} in the runs")
        x = runs[path].to_numpy(dtype=float)
        lo_v, hi_v = np.quantile(x, [quantile, 1.0 - quantile])
        low, high = x <= lo_v, x >= hi_v
        if np.ptp(x) == 0 or low.all() or high.all():
            continue
        n1, n0 = int(high.sum()), int(low.sum())
        k1, k0 = int(y[high].sum()), int(y[low].sum())
        p1, p0 = k1 / n1, k0 / n0
        l1, u1 = wilson_interval(k1, n1)
        l0, u0 = wilson_interval(k0, n0)
        d = p1 - p0
        rows.append({
            "parameter": path, "low_value": float(lo_v), "high_value": float(hi_v),
            "n_low": n0, "n_high": n1, "p_low": p0, "p_high": p1, "effect": d,
            "effect_low": d - np.hypot(p1 - l1, u0 - p0),
            "effect_high": d + np.hypot(u1 - p1, p0 - l0),
        })
    df = pd.DataFrame(rows, columns=["parameter", "low_value", "high_value", "n_low", "n_high",
                                     "p_low", "p_high", "effect", "effect_low", "effect_high"])
    order = np.argsort(-df["effect"].abs().to_numpy(), kind="stable")
    return df.iloc[order].reset_index(drop=True)


def _margins_data(result: EnsembleResult | pd.DataFrame) -> pd.DataFrame:
    """Each actor's utility of the final text minus its outside option, one column per actor.

    Examples
    --------
    >>> df = pd.DataFrame({"utility.A": [0.8, 0.6], "outside_option.A": [0.7, 0.7]})
    >>> _margins_data(df)["A"].round(3).tolist()
    [0.1, -0.1]
    """
    runs = _runs_of(result)
    actors = [str(c).split(".", 1)[1] for c in runs.columns if str(c).startswith("utility.")]
    data = {}
    for a in actors:
        if f"outside_option.{a}" not in runs.columns:
            continue
        data[a] = runs[f"utility.{a}"].to_numpy(dtype=float) - runs[
            f"outside_option.{a}"].to_numpy(dtype=float)
    return pd.DataFrame(data)


def _default_issues(scenario: Scenario) -> tuple[str, str]:
    from negsim.protocol.params import compile_scenario

    ids = list(scenario.issue_ids)
    if len(ids) < 2:
        raise ValueError(f"scenario {scenario.id!r} has fewer than two issues")
    sal = compile_scenario(scenario).salience[0].sum(axis=0)
    top = np.argsort(-sal, kind="stable")[:2]
    first, second = sorted(int(t) for t in top)
    return ids[first], ids[second]


def _issue_space_data(result: EnsembleResult | pd.DataFrame, issues: tuple[str, str],
                      scenario: Scenario) -> dict[str, pd.DataFrame]:
    """Actors' ideal points, the status quo and every run's drafts on two issues.

    Returns
    -------
    dict of DataFrame
        ``"actors"``: ``actor``, ``x``, ``y`` (ideal points), ``salience_x``,
        ``salience_y``, ``x_low``/``x_high``/``y_low``/``y_high`` (5-95% range of the
        sampled ideal point, equal to it when certain); actors with no salience on either
        issue are left out. ``"status_quo"``: one row ``x``, ``y``. ``"texts"``: ``round``,
        ``stage`` (``draft`` or ``text``), ``run``, ``x``, ``y``, one row per run and round
        and stage.
    """
    from negsim.protocol.params import compile_scenario

    runs = _runs_of(result)
    ids = list(scenario.issue_ids)
    for k in issues:
        if k not in ids:
            raise ValueError(f"unknown issue {k!r}; issues: {ids}")
    if len(issues) != 2 or issues[0] == issues[1]:
        raise ValueError(f"issues must be two different issue ids, got {issues!r}")
    kx, ky = ids.index(issues[0]), ids.index(issues[1])
    p = compile_scenario(scenario)
    rows = []
    for i, a in enumerate(scenario.actor_ids):
        sx, sy = float(p.salience[0, i, kx]), float(p.salience[0, i, ky])
        if sx == 0 and sy == 0:
            continue
        row = {"actor": a, "x": float(p.ideal[0, i, kx]), "y": float(p.ideal[0, i, ky]),
               "salience_x": sx, "salience_y": sy}
        for axis, k in (("x", issues[0]), ("y", issues[1])):
            col = f"actors.{a}.demands.{k}.ideal"
            if col in runs.columns:
                lo, hi = np.quantile(runs[col].to_numpy(dtype=float), [0.05, 0.95])
            else:
                lo = hi = row[axis]
            row[f"{axis}_low"], row[f"{axis}_high"] = float(lo), float(hi)
        rows.append(row)
    actors = pd.DataFrame(rows, columns=["actor", "x", "y", "salience_x", "salience_y",
                                         "x_low", "x_high", "y_low", "y_high"])
    sq = pd.DataFrame({"x": [float(p.status_quo[0, kx])], "y": [float(p.status_quo[0, ky])]})
    texts = []
    for entry in scenario.timeline:
        if entry.kind != "mediated_round":
            continue
        for stage in ("draft", "text"):
            cx, cy = f"{entry.id}.{stage}.{issues[0]}", f"{entry.id}.{stage}.{issues[1]}"
            if cx in runs.columns and cy in runs.columns:
                texts.append(pd.DataFrame({
                    "round": entry.id, "stage": stage, "run": runs["run"].to_numpy(),
                    "x": runs[cx].to_numpy(dtype=float), "y": runs[cy].to_numpy(dtype=float),
                }))
    text_df = (pd.concat(texts, ignore_index=True) if texts else
               pd.DataFrame(columns=["round", "stage", "run", "x", "y"]))
    return {"actors": actors, "status_quo": sq, "texts": text_df}


# --------------------------------------------------------------------------------------
# plots
# --------------------------------------------------------------------------------------
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
    >>> from negsim.ensemble import simulate
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> len(plot_outcomes(res).patches)
    4
    """
    ax = _new_axes(ax, (7.0, 4.5))
    df = _outcome_data(result)
    x = np.arange(len(df))
    ax.bar(x, df["probability"], color=[OUTCOME_COLOURS[o] for o in df["outcome"]],
           yerr=_yerr(df), capsize=5, edgecolor="black", linewidth=0.6,
           error_kw={"elinewidth": 1.2})
    for xi, (p, hi) in enumerate(zip(df["probability"], df["high"], strict=True)):
        ax.text(xi, hi + 0.015, f"{p:.1%}", ha="center", va="bottom", fontsize=10)
    ax.set_xticks(x, [_label(o).replace(" ", "\n", 1) for o in df["outcome"]])
    ax.set_ylim(0, min(1.0, float(df["high"].max()) + 0.12))
    ax.set_ylabel("Probability (with 95% interval)")
    ax.set_title(f"Outcome distribution\n{_subtitle(result)}")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


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
    >>> from negsim.ensemble import simulate
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> [t.get_text() for t in plot_signing(res).get_xticklabels()]
    ['GNA', 'LNA']
    """
    ax = _new_axes(ax, (7.0, 4.5))
    df = _signing_data(result)
    rounds = list(dict.fromkeys(df["round"]))
    x = np.arange(len(df), dtype=float) + np.array([rounds.index(r) for r in df["round"]]) * 0.6
    for i, rnd in enumerate(rounds):
        sel = (df["round"] == rnd).to_numpy()
        ax.bar(x[sel], df["probability"][sel], yerr=_yerr(df[sel]), capsize=5,
               color=_PALETTE[i % len(_PALETTE)], edgecolor="black", linewidth=0.6,
               label=f"round: {rnd}")
    for xi, p, hi in zip(x, df["probability"], df["high"], strict=True):
        ax.text(xi, hi + 0.015, f"{p:.0%}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x, list(df["actor"]))
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("Probability of signing the final text")
    ax.set_xlabel("Participant")
    ax.set_title(f"Who signs, round by round\n{_subtitle(result)}")
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
    >>> from negsim.ensemble import simulate
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> len(plot_commitments(res).patches)  # 3 commitments x 4 powers
    12
    """
    df = _commitment_data(result)
    ax = _new_axes(ax, (7.5, max(2.5, 0.38 * len(df) + 1.6)))
    keys = list(dict.fromkeys(zip(df["round"], df["commitment"], strict=True)))
    y = np.arange(len(df), dtype=float)[::-1]
    for i, (rnd, com) in enumerate(keys):
        sel = ((df["round"] == rnd) & (df["commitment"] == com)).to_numpy()
        label = _label(com) if len({r for r, _ in keys}) == 1 else f"{rnd}: {_label(com)}"
        ax.barh(y[sel], df["probability"][sel], xerr=_yerr(df[sel]), capsize=4,
                color=_PALETTE[i % len(_PALETTE)], edgecolor="black", linewidth=0.6,
                label=label)
    for yi, p, hi in zip(y, df["probability"], df["high"], strict=True):
        ax.text(min(hi + 0.015, 1.02), yi, f"{p:.0%}", va="center", fontsize=8)
    ax.set_yticks(y, list(df["power"]))
    ax.set_xlim(0, 1.12)
    ax.set_xlabel("Probability of committing")
    ax.set_title(f"Conference commitments\n{_subtitle(result)}")
    ax.legend(loc="lower right", fontsize=8, title="commitment", title_fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def plot_sweep(sweep_df: pd.DataFrame, parameter: str, ax: Axes | None = None,
               scenario: Scenario | None = None, metric: str = "holds") -> Axes:
    """Probability that the text holds (and the outcome shares) along a swept parameter.

    With one swept parameter, draws the probability that the final text holds and the
    share of each outcome, each with a shaded Wilson 95% band. With several, draws the
    probability of ``metric`` along ``parameter``, one line per combination of the other
    swept values.

    Parameters
    ----------
    sweep_df : pandas.DataFrame
        A :func:`negsim.ensemble.sweep` result.
    parameter : str
        The swept path for the x axis.
    ax : matplotlib Axes, optional
    scenario : Scenario, optional
        Used to name issues in the axis label.
    metric : str
        With several swept parameters: ``"holds"`` (the final text holds) or an outcome
        category such as ``"signed_and_holds"``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from negsim.ensemble import sweep
    >>> df = sweep("libya-2020", {"model.rationality": [5.0, 20.0]}, runs=50)
    >>> ax = plot_sweep(df, "model.rationality")
    >>> len(ax.lines)  # holds and four outcome shares
    5
    """
    if metric != "holds" and metric not in OUTCOMES:
        raise ValueError(f"metric must be 'holds' or an outcome category, got {metric!r}")
    column = "holds_probability" if metric == "holds" else f"outcome.{metric}"
    what = "final text holds" if metric == "holds" else _label(metric)
    df = _sweep_data(sweep_df, parameter)
    others = [p for p in sweep_parameters(sweep_df) if p != parameter]
    ax = _new_axes(ax, (7.5, 4.8))
    x = df[parameter].to_numpy()
    runs = int(df["runs"].iloc[0])

    def line(xv: np.ndarray, col: str, label: str, colour: str, style: str = "-") -> None:
        ax.plot(xv, df.loc[mask, col], style, color=colour, marker="o", markersize=4,
                label=label, linewidth=2 if style == "-" else 1.4)
        ax.fill_between(xv, df.loc[mask, f"{col}.low"], df.loc[mask, f"{col}.high"],
                        color=colour, alpha=0.18, linewidth=0)

    if not others:
        mask = np.ones(len(df), dtype=bool)
        line(x, "holds_probability", "final text holds", "black")
        for o in OUTCOMES:
            line(x, f"outcome.{o}", _label(o), OUTCOME_COLOURS[o], "--")
    else:
        for i, (key, group) in enumerate(df.groupby(others, sort=False)):
            mask = df.index.isin(group.index)
            key_t = key if isinstance(key, tuple) else (key,)
            label = ", ".join(f"{_pretty_parameter(p, scenario)} = {v:g}"
                              for p, v in zip(others, key_t, strict=True))
            line(x[mask], column, label, _PALETTE[i % len(_PALETTE)])
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(_pretty_parameter(parameter, scenario) + f"   ({parameter})")
    ax.set_ylabel("Probability (95% band)")
    scenario_id = sweep_df.attrs.get("sweep", {}).get("scenario_id")
    ax.set_title(f"{'' if scenario_id is None else scenario_id + ': '}"
                 f"along {_pretty_parameter(parameter, scenario)}\n"
                 f"{runs:,} runs per point, common random numbers")
    ax.legend(fontsize=8, loc="best", title=None if not others else f"P({what}), at",
              title_fontsize=8)
    ax.grid(alpha=0.3)
    return ax


def plot_tornado(result: EnsembleResult | pd.DataFrame, ax: Axes | None = None, *,
                 metric: str = "holds", quantile: float = 0.2, top: int = 15,
                 scenario: Scenario | None = None) -> Axes:
    """Tornado chart: how much each uncertain parameter moves the probability of ``metric``.

    Each bar is ``P(metric | parameter in its top 20%) - P(metric | bottom 20%)`` over the
    ensemble's runs (see :func:`_tornado_data`), with a 95% interval; the largest effects
    are at the top.

    Parameters
    ----------
    result : EnsembleResult or runs DataFrame
    ax : matplotlib Axes, optional
    metric : str
        ``"holds"`` (the final text holds), another boolean column, or an outcome category
        such as ``"signed_and_holds"``.
    quantile : float
        Size of the low and high groups (0.2: quintiles).
    top : int
        Show at most this many parameters.
    scenario : Scenario, optional
        Used to name issues in parameter labels.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per parameter shown.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from negsim.ensemble import simulate
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> ax = plot_tornado(res, metric="signed_and_holds")
    >>> len(ax.patches) > 0
    True
    """
    df = _tornado_data(result, metric=metric, quantile=quantile).head(top)
    if scenario is None and isinstance(result, EnsembleResult):
        scenario = result.scenario
    ax = _new_axes(ax, (8.0, max(2.6, 0.42 * len(df) + 1.8)))
    y = np.arange(len(df), dtype=float)[::-1]
    colours = np.where(df["effect"] >= 0, "#2a9d8f", "#e76f51")
    err = np.vstack([df["effect"] - df["effect_low"], df["effect_high"] - df["effect"]])
    ax.barh(y, df["effect"], xerr=err, color=colours, edgecolor="black", linewidth=0.6,
            capsize=4)
    ax.axvline(0, color="black", linewidth=0.8)
    labels = [f"{_pretty_parameter(p, scenario)}\n({lo:.3g} vs {hi:.3g})"
              for p, lo, hi in zip(df["parameter"], df["low_value"], df["high_value"],
                                   strict=True)]
    ax.set_yticks(y, labels, fontsize=8)
    what = "the final text holds" if metric == "holds" else _label(metric)
    pct = round(quantile * 100)
    ax.set_xlabel(f"P({what} | parameter in its top {pct}%)\n"
                  f"− P({what} | parameter in its bottom {pct}%)")
    ax.set_title(f"Which uncertainty matters: effect on P({what})\n{_subtitle(result)}")
    if len(df):
        span = float(np.nanmax(np.abs(np.concatenate([df["effect_low"], df["effect_high"]]))))
        ax.set_xlim(-max(span, 0.05) * 1.1, max(span, 0.05) * 1.1)
    else:
        ax.text(0.5, 0.5, "no uncertain parameter varies", ha="center", va="center",
                transform=ax.transAxes)
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
    >>> from negsim.ensemble import simulate
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> ax = plot_margins(res)
    >>> ax.get_xlabel() != ""
    True
    """
    df = _margins_data(result)
    ax = _new_axes(ax, (7.5, max(2.6, 0.5 * df.shape[1] + 1.6)))
    actors = list(df.columns)
    y = np.arange(len(actors))[::-1] + 1
    ax.boxplot([df[a].to_numpy() for a in actors], positions=y, orientation="horizontal",
               whis=(5, 95), showfliers=False, widths=0.6, patch_artist=True,
               boxprops={"facecolor": "#a8dadc", "edgecolor": "black"},
               medianprops={"color": "black", "linewidth": 1.5})
    ax.axvline(0, color="#e76f51", linewidth=1.2, linestyle="--", label="indifferent")
    labels = [f"{a}\n({(df[a] > 0).mean():.0%} of runs > 0)" for a in actors]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel("Utility of the final text − outside option (utility per period)")
    ax.set_title(f"Who gains from the text\n{_subtitle(result)}")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax


def _axis_label(issue: Any, fallback: str) -> str:
    name = getattr(issue, "name", fallback)
    low, high = getattr(issue, "low", None), getattr(issue, "high", None)
    if low is None or high is None:
        return name
    return "\n".join([name, textwrap.shorten(f"0 = {low}", 80, placeholder=" ..."),
                      textwrap.shorten(f"1 = {high}", 80, placeholder=" ...")])


def plot_issue_space(result: EnsembleResult | pd.DataFrame, issues: tuple[str, str] | None = None,
                     ax: Axes | None = None, *, scenario: Scenario | None = None,
                     max_points: int = 2_000) -> Axes:
    """Plot the actors' ideal points and the runs' drafts and final texts on two issues.

    Parameters
    ----------
    result : EnsembleResult or runs DataFrame
    issues : (str, str), optional
        Issue ids for the x and y axes (default: the two most salient issues overall).
    ax : matplotlib Axes, optional
    scenario : Scenario, optional
        The scenario (default: the result's own, or the built-in one of the same id).
    max_points : int
        Draw at most this many runs (the first ones) per round and stage.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from negsim.ensemble import simulate
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> ax = plot_issue_space(res, issues=("southern_tripoli", "tarhuna"))
    >>> [float(v) for v in ax.get_xlim()]
    [-0.05, 1.05]
    """
    sc = _scenario_for(result, scenario)
    if sc is None:
        raise ValueError("plot_issue_space needs the scenario: pass scenario=")
    issues = _default_issues(sc) if issues is None else tuple(issues)  # type: ignore[assignment]
    data = _issue_space_data(result, issues, sc)  # type: ignore[arg-type]
    ax = _new_axes(ax, (7.0, 7.0))
    texts = data["texts"]
    markers = {"draft": ("o", 0.15, "first draft"), "text": ("s", 0.25, "final text")}
    for i, rnd in enumerate(dict.fromkeys(texts["round"])):
        for stage, (marker, alpha, what) in markers.items():
            sel = texts[(texts["round"] == rnd) & (texts["stage"] == stage)].head(max_points)
            colour = _PALETTE[(2 * i + (stage == "text")) % len(_PALETTE)]
            ax.scatter(sel["x"], sel["y"], s=10, marker=marker, alpha=alpha, color=colour,
                       linewidths=0, label=f"{rnd}: {what} (runs)")
    actors = data["actors"]
    ax.errorbar(actors["x"], actors["y"],
                xerr=[actors["x"] - actors["x_low"], actors["x_high"] - actors["x"]],
                yerr=[actors["y"] - actors["y_low"], actors["y_high"] - actors["y"]],
                fmt="D", color="black", markersize=7, capsize=3, label="ideal points")
    at_point: dict[tuple[float, float], list[str]] = {}
    for a, x, y in zip(actors["actor"], actors["x"], actors["y"], strict=True):
        at_point.setdefault((round(x, 3), round(y, 3)), []).append(a)
    for (x, y), names_here in at_point.items():  # actors at the same point share a label
        right = x < 0.85
        ax.annotate(", ".join(names_here), (x, y), xytext=(7 if right else -7, 7),
                    textcoords="offset points", fontsize=10, fontweight="bold",
                    ha="left" if right else "right")
    sq = data["status_quo"]
    ax.scatter(sq["x"], sq["y"], marker="*", s=220, color="#f4a261", edgecolor="black",
               zorder=5, label="status quo")
    names = _issue_names(sc)
    ax.set_xlabel(_axis_label(names.get(issues[0]), issues[0]), fontsize=8)
    ax.set_ylabel(_axis_label(names.get(issues[1]), issues[1]), fontsize=8)
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.05, 1.05)
    ax.set_aspect("equal")
    ax.set_title(f"Positions and texts\n{_subtitle(result)}")
    leg = ax.legend(fontsize=8, loc="best")
    for handle in getattr(leg, "legend_handles", []):
        if hasattr(handle, "set_alpha"):
            handle.set_alpha(1.0)
        if hasattr(handle, "set_sizes"):
            handle.set_sizes([40.0])
    ax.grid(alpha=0.3)
    return ax


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
    0) to the designed text (:func:`negsim.analysis.concessions.concession_path`), each
    labelled with the concession it adds, with a 95% Monte Carlo band.

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
    >>> from negsim.analysis.design import design_deal
    >>> d = design_deal("libya-2020", runs=100, maxiter=1)
    >>> ax = plot_concession_frontier(d)
    >>> ax.get_xlabel()
    'Total concession from the draft (sum of |moves| on the 0-1 issue scales)'
    """
    df = _concession_frontier_data(design)
    ax = _new_axes(ax, (7.5, 4.8))
    x = df["total_concession"].to_numpy()
    y = df["probability"].to_numpy()
    ax.step(x, y, where="post", color="#264653", linewidth=1.2, alpha=0.5)
    ax.errorbar(x, y, yerr=[y - df["low"], df["high"] - y], fmt="o", color="#264653",
                capsize=4, markersize=6, label="texts on the concession path")
    ax.plot(x[-1:], y[-1:], marker="*", markersize=16, color="#2a9d8f", linestyle="none",
            label="designed text", zorder=5)
    for xi, yi, label in zip(x, y, df["label"], strict=True):
        ax.annotate(label, (xi, yi), xytext=(6, -12 if yi > 0.9 else 6),
                    textcoords="offset points", fontsize=8)
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlim(-0.02 * max(x.max(), 0.1), max(x.max(), 0.1) * 1.25)
    ax.set_xlabel("Total concession from the draft (sum of |moves| on the 0-1 issue scales)")
    ax.set_ylabel("P(every party signs and the deal holds)")
    prm = getattr(design, "parameters", {})
    ax.set_title(f"{design.scenario_id}: concession frontier\n"
                 f"{prm.get('runs', 0):,} runs, seed {prm.get('seed')}, common random numbers")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3)
    return ax


def save_all(result: EnsembleResult, directory: str | os.PathLike[str],
             scenario: Scenario | None = None) -> list[Path]:
    """Write every applicable plot of an ensemble as a PNG (120 dpi) into ``directory``.

    Writes ``outcomes.png``; ``signing.png`` (if there are mediated rounds),
    ``commitments.png`` (if there are conferences), ``tornado.png`` (if some uncertain
    parameter varies, for the probability that the text holds, or if that is 0 or 1 in
    every run, that it is signed and holds; left out if both are), ``margins.png``, and
    ``issue-space.png`` (the two most salient issues; needs the scenario). Uses
    matplotlib's object interface, not pyplot, so no figure stays open and no display is
    needed.

    Returns
    -------
    list of Path
        The files written, in that order.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from negsim.ensemble import simulate
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [f.name for f in save_all(res, tmp)][:2]
    ['outcomes.png', 'signing.png']
    """
    from matplotlib.figure import Figure

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    runs = _runs_of(result)
    sc = scenario if scenario is not None else getattr(result, "scenario", None)
    jobs: list[tuple[str, tuple[float, float], Any]] = [
        ("outcomes", (7.0, 4.5), lambda ax: plot_outcomes(result, ax)),
    ]
    if decision_columns(runs):
        jobs.append(("signing", (7.0, 4.5), lambda ax: plot_signing(result, ax)))
    n_com = len(_commitment_data(result))
    if n_com:
        jobs.append(("commitments", (7.5, max(2.5, 0.38 * n_com + 1.6)),
                     lambda ax: plot_commitments(result, ax)))
    metric = next((m for m in ("holds", "signed_and_holds") if _metric(runs, m).any()
                   and not _metric(runs, m).all()), None)
    n_tor = 0 if metric is None else min(len(_tornado_data(result, metric=metric)), 15)
    if n_tor:
        jobs.append(("tornado", (8.0, max(2.8, 0.42 * n_tor + 2.0)),
                     lambda ax: plot_tornado(result, ax, metric=metric, scenario=sc)))
    n_act = _margins_data(result).shape[1]
    if n_act:
        jobs.append(("margins", (7.5, max(2.6, 0.5 * n_act + 1.6)),
                     lambda ax: plot_margins(result, ax)))
    if sc is not None and len(sc.issue_ids) >= 2 and any(".draft." in str(c) for c in runs):
        jobs.append(("issue-space", (7.0, 7.0),
                     lambda ax: plot_issue_space(result, ax=ax, scenario=sc)))
    paths = []
    for name, size, draw in jobs:
        fig = Figure(figsize=size, layout="constrained")
        draw(fig.add_subplot())
        path = out / f"{name}.png"
        fig.savefig(path, dpi=_DPI)
        paths.append(path)
    return paths
