"""Positions and texts on two issues (:func:`plot_issue_space`)."""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from negsim.ensemble import EnsembleResult
from negsim.plot._common import (
    PALETTE,
    fit_title,
    issues_by_id,
    literal,
    new_axes,
    runs_of,
    subtitle,
)
from negsim.scenario.kinds import round_kind

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from negsim.scenario import Scenario

__all__ = ["default_issues", "plot_issue_space"]


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


def default_issues(scenario: Scenario) -> tuple[str, str]:
    """Return the two most salient issues of a scenario (summed over actors), in file order.

    Raises
    ------
    ValueError
        If the scenario has fewer than two issues.

    Examples
    --------
    >>> from negsim import load_scenario
    >>> default_issues(load_scenario("libya-2020"))
    ('security_agreement', 'ceasefire')
    """
    from negsim.protocol.params import compile_scenario

    ids = list(scenario.issue_ids)
    if len(ids) < 2:
        raise ValueError(f"scenario {scenario.id!r} has fewer than two issues")
    sal = compile_scenario(scenario).salience[0].sum(axis=0)
    top = np.argsort(-sal, kind="stable")[:2]
    first, second = sorted(int(t) for t in top)
    return ids[first], ids[second]


def _issue_space_data(result: EnsembleResult | pd.DataFrame, issues: Sequence[str],
                      scenario: Scenario, limit: int | None = None) -> dict[str, pd.DataFrame]:
    """Actors' ideal points, the status quo and every run's drafts on two issues.

    ``limit``: keep only the first ``limit`` runs' drafts and texts per round and stage
    (what the plot draws), so that a large ensemble's are not all copied.

    Returns
    -------
    dict of DataFrame
        ``"actors"``: ``actor``, ``x``, ``y`` (ideal points), ``salience_x``,
        ``salience_y``, ``x_low``/``x_high``/``y_low``/``y_high`` (5-95% range of the
        sampled ideal point, equal to it when certain); actors with no salience on either
        issue are left out. ``"status_quo"``: one row ``x``, ``y``. ``"texts"``: ``round``,
        ``stage`` (``draft`` or ``text``), ``run``, ``x``, ``y``, one row per run (the first
        ``limit``) and round and stage. ``"red_lines"``: ``actor``, ``axis`` (``x`` or
        ``y``), ``bound`` (``min`` or ``max``), ``value``, ``description``, one row per
        bound of a red line on either issue.
    """
    from negsim.protocol.params import compile_scenario

    runs = runs_of(result)
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
            # the 5-95% range of the samples, stretched to hold the file's value (which may
            # sit at an edge of the sampled range, outside the central 90%)
            row[f"{axis}_low"] = min(float(lo), row[axis])
            row[f"{axis}_high"] = max(float(hi), row[axis])
        rows.append(row)
    actors = pd.DataFrame(rows, columns=["actor", "x", "y", "salience_x", "salience_y",
                                         "x_low", "x_high", "y_low", "y_high"])
    sq = pd.DataFrame({"x": [float(p.status_quo[0, kx])], "y": [float(p.status_quo[0, ky])]})
    texts = []
    first = slice(None, limit)
    for entry in scenario.timeline:
        if not round_kind(entry.kind).signs_text:
            continue
        for stage in ("draft", "text"):
            cx, cy = f"{entry.id}.{stage}.{issues[0]}", f"{entry.id}.{stage}.{issues[1]}"
            if cx in runs.columns and cy in runs.columns:
                texts.append(pd.DataFrame({
                    "round": entry.id, "stage": stage, "run": runs["run"].to_numpy()[first],
                    "x": runs[cx].to_numpy(dtype=float)[first],
                    "y": runs[cy].to_numpy(dtype=float)[first],
                }))
    text_df = (pd.concat(texts, ignore_index=True) if texts else
               pd.DataFrame(columns=["round", "stage", "run", "x", "y"]))
    bounds = []
    for actor in scenario.actors:
        for rl in actor.red_lines:
            for axis, k in (("x", issues[0]), ("y", issues[1])):
                if rl.issue != k:
                    continue
                for bound in ("min", "max"):
                    value = getattr(rl, bound)
                    if value is not None:
                        bounds.append({"actor": actor.id, "axis": axis, "bound": bound,
                                       "value": float(value), "description": rl.description})
    red_lines = pd.DataFrame(bounds, columns=["actor", "axis", "bound", "value", "description"])
    return {"actors": actors, "status_quo": sq, "texts": text_df, "red_lines": red_lines}


def _axis_label(issue: Any, fallback: str) -> str:
    name = getattr(issue, "name", fallback)
    low, high = getattr(issue, "low", None), getattr(issue, "high", None)
    if low is None or high is None:
        return name
    return "\n".join([name, textwrap.shorten(f"0 = {low}", 80, placeholder=" ..."),
                      textwrap.shorten(f"1 = {high}", 80, placeholder=" ...")])


def plot_issue_space(result: EnsembleResult | pd.DataFrame, issues: Sequence[str] | None = None,
                     ax: Axes | None = None, *, scenario: Scenario | None = None,
                     max_points: int = 2_000, red_lines: bool = True,
                     legend_outside: bool = True) -> Axes:
    """Plot the actors' ideal points and the runs' drafts and final texts on two issues.

    Each actor's ideal point is drawn with the 5-95% range of its sampled values (the range
    always holds the file's value, even when that value sits at an edge of the sampled
    range). Red lines on either issue are drawn as dashed red bounds, the excluded side
    shaded and the line labelled with its actor.

    Parameters
    ----------
    result : EnsembleResult or runs DataFrame
    issues : (str, str), optional
        Issue ids for the x and y axes (default: the two most salient issues overall,
        :func:`default_issues`).
    ax : matplotlib Axes, optional
    scenario : Scenario, optional
        The scenario (default: the result's own, or the built-in one of the same id).
    max_points : int
        Draw at most this many runs (the first ones) per round and stage.
    red_lines : bool
        Draw the red lines on the two issues.
    legend_outside : bool
        Put the legend to the right of the axes, off the data (default); False: inside,
        where it covers the fewest points.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from negsim import simulate
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> ax = plot_issue_space(res, issues=("southern_tripoli", "security_agreement"))
    >>> [float(v) for v in ax.get_xlim()]
    [-0.05, 1.05]
    >>> [t.get_text() for t in ax.texts if "red line" in t.get_text()]
    ['red line: LNA ≥ 0.5, Turkey ≤ 0.5']
    """
    sc = _scenario_for(result, scenario)
    if sc is None:
        raise ValueError("plot_issue_space needs the scenario: pass scenario=")
    pair = default_issues(sc) if issues is None else tuple(issues)
    data = _issue_space_data(result, pair, sc,  # type: ignore[arg-type]
                             limit=max_points if max_points >= 0 else None)
    ax = new_axes(ax, (9.5, 7.0) if legend_outside else (7.0, 7.0))
    texts = data["texts"]
    markers = {"draft": ("o", 0.15, "first draft"), "text": ("s", 0.25, "final text")}
    for i, rnd in enumerate(dict.fromkeys(texts["round"])):
        for stage, (marker, alpha, what) in markers.items():
            sel = texts[(texts["round"] == rnd) & (texts["stage"] == stage)].head(max_points)
            colour = PALETTE[(2 * i + (stage == "text")) % len(PALETTE)]
            ax.scatter(sel["x"], sel["y"], s=10, marker=marker, alpha=alpha, color=colour,
                       linewidths=0, label=literal(f"{rnd}: {what} (runs)"))
    if red_lines:
        _draw_red_lines(ax, data["red_lines"])
    actors = data["actors"]
    xerr = np.clip([actors["x"] - actors["x_low"], actors["x_high"] - actors["x"]], 0.0, None)
    yerr = np.clip([actors["y"] - actors["y_low"], actors["y_high"] - actors["y"]], 0.0, None)
    ax.errorbar(actors["x"], actors["y"], xerr=xerr, yerr=yerr, fmt="D", color="black",
                markersize=7, capsize=3, label="ideal points (5-95% of samples)")
    at_point: dict[tuple[float, float], list[str]] = {}
    for a, x, y in zip(actors["actor"], actors["x"], actors["y"], strict=True):
        at_point.setdefault((round(x, 3), round(y, 3)), []).append(a)
    for (x, y), names_here in at_point.items():  # actors at the same point share a label
        right = x < 0.85
        ax.annotate(literal(", ".join(names_here)), (x, y), xytext=(7 if right else -7, 7),
                    textcoords="offset points", fontsize=10, fontweight="bold",
                    ha="left" if right else "right")
    sq = data["status_quo"]
    ax.scatter(sq["x"], sq["y"], marker="*", s=220, color="#f4a261", edgecolor="black",
               zorder=5, label="status quo")
    names = issues_by_id(sc)
    ax.set_xlabel(literal(_axis_label(names.get(pair[0]), pair[0])), fontsize=8)
    ax.set_ylabel(literal(_axis_label(names.get(pair[1]), pair[1])), fontsize=8)
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.05, 1.05)
    ax.set_aspect("equal")
    fit_title(ax, f"Positions and texts\n{subtitle(result)}")
    if legend_outside:
        leg = ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                        borderaxespad=0.0)
    else:
        leg = ax.legend(fontsize=8, loc="best")
    for handle in getattr(leg, "legend_handles", []):
        if hasattr(handle, "set_alpha"):
            handle.set_alpha(1.0)
        if hasattr(handle, "set_sizes"):
            handle.set_sizes([40.0])
    ax.grid(alpha=0.3)
    return ax


def _draw_red_lines(ax: Axes, red: pd.DataFrame) -> None:
    """Draw each red-line bound: a dashed red line, the excluded side lightly shaded.

    Bounds at the same place share one line, labelled with every actor's bound.
    """
    labels: dict[tuple[str, float], list[str]] = {}
    for row in red.itertuples(index=False):
        sign = "\u2265" if row.bound == "min" else "\u2264"
        labels.setdefault((row.axis, row.value), []).append(f"{row.actor} {sign} {row.value:g}")
        lo, hi = (-0.05, row.value) if row.bound == "min" else (row.value, 1.05)
        span = ax.axvspan if row.axis == "x" else ax.axhspan
        span(lo, hi, color="#bc4749", alpha=0.05, linewidth=0)
    for j, ((axis, v), who) in enumerate(labels.items()):
        label = "red lines (excluded side shaded)" if j == 0 else None
        text = literal("red line: " + ", ".join(who))
        box = {"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 1.5}
        if axis == "x":  # labelled near the bottom of the line, over the points
            ax.axvline(v, color="#bc4749", linestyle="--", linewidth=1.4, label=label)
            ax.text(v, 0.12, text, rotation=90, fontsize=7, color="#bc4749", ha="center",
                    va="bottom", bbox=box, zorder=6, transform=ax.get_xaxis_transform())
        else:
            ax.axhline(v, color="#bc4749", linestyle="--", linewidth=1.4, label=label)
            ax.text(0.88, v, text, fontsize=7, color="#bc4749", ha="right", va="center",
                    bbox=box, zorder=6, transform=ax.get_yaxis_transform())
