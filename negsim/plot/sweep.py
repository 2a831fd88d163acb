"""What moves the outcome: a swept parameter, or an ensemble's uncertain parameters.

Outcome shares along a swept parameter (:func:`plot_sweep`) and each uncertain parameter's
effect on a probability over an ensemble, as a tornado chart (:func:`plot_tornado`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from negsim.ensemble import (
    EnsembleResult,
    sweep_parameters,
    sweep_summary,
    wilson_interval,
)
from negsim.plot._common import (
    OUTCOME_COLOURS,
    PALETTE,
    as_words,
    fit_title,
    issues_by_id,
    literal,
    metric_values,
    metric_words,
    new_axes,
    runs_of,
    subtitle,
)
from negsim.scenario import OUTCOMES

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from negsim.scenario import Scenario

__all__ = ["plot_sweep", "plot_tornado", "tornado_data"]

_PARAMETER_PREFIXES = ("actors.", "model.", "issues.", "commitments.")


def _pretty_parameter(path: str, scenario: Scenario | None = None) -> str:
    """Put a parameter path in words.

    Examples
    --------
    >>> _pretty_parameter("actors.UAE.backs.LNA.leverage")
    'UAE→LNA leverage'
    >>> _pretty_parameter("model.rationality")
    'rationality (model)'
    """
    issues = issues_by_id(scenario)

    def issue(k: str) -> str:
        return getattr(issues.get(k), "name", k)

    match path.split("."):
        case ["actors", a, "backs", b, f]:
            return f"{a}→{b} {as_words(f)}"
        case ["actors", a, "demands", k, f]:
            return f"{a} {f}: {issue(k)}"
        case ["actors", a, "outside_option", f]:
            return f"{a} {as_words(f)} of fighting"
        case ["actors", a, f]:
            return f"{a} {as_words(f)}"
        case ["issues", k, f]:
            return f"{as_words(f)}: {issue(k)}"
        case ["commitments", c, f]:
            return f"{c} {as_words(f)}"
        case ["model", f]:
            return f"{as_words(f)} (model)"
    return path


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
    runs = runs_of(result)
    return [str(c) for c in runs.columns
            if str(c).startswith(_PARAMETER_PREFIXES) and pd.api.types.is_float_dtype(runs[c])]


def tornado_data(result: EnsembleResult | pd.DataFrame, parameters: Sequence[str] | None = None,
                 metric: str = "holds", quantile: float = 0.2, *,
                 read: Callable[[str], Any] | None = None) -> pd.DataFrame:
    """Return each uncertain parameter's effect on a probability (top vs bottom runs).

    For each parameter, the runs whose sampled value is at or below its ``quantile``
    quantile form the *low* group and those at or above its ``1 - quantile`` quantile the
    *high* group. The effect is ``P(metric | high) - P(metric | low)``, with Newcombe's
    hybrid score interval for a difference of proportions (built from the two groups'
    Wilson intervals). Because the other parameters are sampled independently, the
    difference measures the parameter's total effect averaged over the others; it is
    model-free (no regression) and so also shows non-linear (monotone) effects, but it
    cannot separate interactions. Parameters that take a single value are left out.

    ``metric`` is any metric of :func:`negsim.plot._common.metric_values`: ``"holds"``, an
    outcome category, ``"sign:ROUND:ACTOR"`` or ``"holds_at:M"`` (the deal in force still
    holds after month ``M`` of the implementation phase, the survival curve's event).
    ``read(name)``, if given, returns the values of a parameter column the runs lack
    (e.g. read from a Parquet file one column at a time, so that memory holds one).

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
    >>> tornado_data(df)[["parameter", "p_low", "p_high", "effect"]]
               parameter  p_low  p_high  effect
    0  model.rationality    0.0     1.0     1.0
    """
    if not 0 < quantile <= 0.5:
        raise ValueError(f"quantile must be in (0, 0.5], got {quantile}")
    runs = runs_of(result)
    params = _tornado_parameters(result) if parameters is None else list(parameters)
    y = metric_values(runs, metric)
    rows = []
    for path in params:
        if read is not None and path not in runs.columns:
            x = np.asarray(read(path), dtype=float)  # one column at a time, e.g. from a file
        elif path not in runs.columns:
            raise ValueError(f"no column {path!r} in the runs")
        else:
            x = runs[path].to_numpy(dtype=float)
        lo_v, hi_v = np.quantile(x, [quantile, 1.0 - quantile])
        low, high = x <= lo_v, x >= hi_v
        if np.ptp(x) == 0 or low.all() or high.all() or not (low.any() and high.any()):
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
    >>> from negsim import sweep
    >>> df = sweep("libya-2020", {"model.rationality": [5.0, 20.0]}, runs=50)
    >>> ax = plot_sweep(df, "model.rationality")
    >>> len(ax.lines)  # holds and four outcome shares
    5
    """
    if metric != "holds" and metric not in OUTCOMES:
        raise ValueError(f"metric must be 'holds' or an outcome category, got {metric!r}")
    column = "holds_probability" if metric == "holds" else f"outcome.{metric}"
    what = "final text holds" if metric == "holds" else as_words(metric)
    df = _sweep_data(sweep_df, parameter)
    others = [p for p in sweep_parameters(sweep_df) if p != parameter]
    ax = new_axes(ax, (7.5, 4.8))
    x = df[parameter].to_numpy()
    runs = int(df["runs"].iloc[0])

    def line(xv: np.ndarray, col: str, label: str, colour: str, style: str = "-") -> None:
        ax.plot(xv, df.loc[mask, col], style, color=colour, marker="o", markersize=4,
                label=literal(label), linewidth=2 if style == "-" else 1.4)
        ax.fill_between(xv, df.loc[mask, f"{col}.low"], df.loc[mask, f"{col}.high"],
                        color=colour, alpha=0.18, linewidth=0)

    if not others:
        mask = np.ones(len(df), dtype=bool)
        line(x, "holds_probability", "final text holds", "black")
        for o in OUTCOMES:
            line(x, f"outcome.{o}", as_words(o), OUTCOME_COLOURS[o], "--")
    else:
        for i, (key, group) in enumerate(df.groupby(others, sort=False)):
            mask = df.index.isin(group.index)
            key_t = key if isinstance(key, tuple) else (key,)
            label = ", ".join(f"{_pretty_parameter(p, scenario)} = {v:g}"
                              for p, v in zip(others, key_t, strict=True))
            line(x[mask], column, label, PALETTE[i % len(PALETTE)])
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(literal(_pretty_parameter(parameter, scenario) + f"   ({parameter})"))
    ax.set_ylabel("Probability (95% band)")
    scenario_id = sweep_df.attrs.get("sweep", {}).get("scenario_id")
    fit_title(ax, literal(f"{'' if scenario_id is None else scenario_id + ': '}"
                         f"along {_pretty_parameter(parameter, scenario)}\n"
                         f"{runs:,} runs per point, common random numbers"))
    ax.legend(fontsize=8, loc="best", title=None if not others else f"P({what}), at",
              title_fontsize=8)
    ax.grid(alpha=0.3)
    return ax


def plot_tornado(result: EnsembleResult | pd.DataFrame, ax: Axes | None = None, *,
                 metric: str = "holds", quantile: float = 0.2, top: int = 15,
                 scenario: Scenario | None = None,
                 read: Callable[[str], Any] | None = None) -> Axes:
    """Tornado chart: how much each uncertain parameter moves the probability of ``metric``.

    Each bar is ``P(metric | parameter in its top 20%) - P(metric | bottom 20%)`` over the
    ensemble's runs (see :func:`tornado_data`), with a 95% interval; the largest effects
    are at the top.

    Parameters
    ----------
    result : EnsembleResult or runs DataFrame
    ax : matplotlib Axes, optional
    metric : str
        ``"holds"`` (the final text holds), another boolean column, an outcome category
        such as ``"signed_and_holds"``, or ``"sign:ROUND:ACTOR"`` (the actor signs the
        final text of that mediated round), or ``"holds_at:M"`` (the deal in force still
        holds after month ``M`` of the implementation phase, as the survival curve counts
        it); see :func:`negsim.plot._common.metric_values`.
    quantile : float
        Size of the low and high groups (0.2: quintiles).
    top : int
        Show at most this many parameters.
    scenario : Scenario, optional
        Used to name issues in parameter labels.
    read : callable, optional
        Passed to :func:`tornado_data`: reads parameter columns the runs lack.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per parameter shown.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from negsim import simulate
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> ax = plot_tornado(res, metric="signed_and_holds")
    >>> len(ax.patches) > 0
    True
    """
    df = tornado_data(result, metric=metric, quantile=quantile, read=read).head(top)
    if scenario is None and isinstance(result, EnsembleResult):
        scenario = result.scenario
    ax = new_axes(ax, (8.0, max(2.6, 0.42 * len(df) + 1.8)))
    y = np.arange(len(df), dtype=float)[::-1]
    colours = np.where(df["effect"] >= 0, "#2a9d8f", "#e76f51")
    err = np.vstack([df["effect"] - df["effect_low"], df["effect_high"] - df["effect"]])
    ax.barh(y, df["effect"], xerr=err, color=colours, edgecolor="black", linewidth=0.6,
            capsize=4)
    ax.axvline(0, color="black", linewidth=0.8)
    labels = [literal(f"{_pretty_parameter(p, scenario)}\n({lo:.3g} vs {hi:.3g})")
              for p, lo, hi in zip(df["parameter"], df["low_value"], df["high_value"],
                                   strict=True)]
    ax.set_yticks(y, labels, fontsize=8)
    deal = scenario.words.deal if scenario is not None else "the deal"
    what = literal(metric_words(metric, deal))
    pct = round(quantile * 100)
    ax.set_xlabel(f"P({what} | parameter in its top {pct}%)\n"
                  f"− P({what} | parameter in its bottom {pct}%)")
    # The title is centred on the axes, which the long parameter labels push to the right:
    # wrap it narrower than the figure so that it stays inside.
    fit_title(ax, f"Which uncertainty matters: effect on P({what})\n{subtitle(result)}",
              chars_per_inch=7.5)
    if len(df):
        span = float(np.nanmax(np.abs(np.concatenate([df["effect_low"], df["effect_high"]]))))
        ax.set_xlim(-max(span, 0.05) * 1.1, max(span, 0.05) * 1.1)
    else:
        ax.text(0.5, 0.5, "no uncertain parameter varies", ha="center", va="center",
                transform=ax.transAxes)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return ax
