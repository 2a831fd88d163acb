"""Every applicable picture of an ensemble, written as PNG files (:func:`save_all`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from negsim.ensemble import EnsembleResult, atomic_path, decision_columns
from negsim.ensemble.implementation import implementation_columns
from negsim.plot._common import metric_values, runs_of
from negsim.plot.implementation import plot_capability, plot_embargo, plot_survival
from negsim.plot.issue_space import plot_issue_space
from negsim.plot.outcomes import plot_outcomes
from negsim.plot.rounds import (
    commitment_data,
    margins_data,
    plot_commitments,
    plot_margins,
    plot_signing,
)
from negsim.plot.sweep import plot_tornado, tornado_data

if TYPE_CHECKING:  # pragma: no cover
    from negsim.scenario import Scenario

__all__ = ["save_all"]

_DPI = 120


def save_all(result: EnsembleResult, directory: str | os.PathLike[str],
             scenario: Scenario | None = None, only: Collection[str] | None = None, *,
             tornado_metric: str | None = None, issue_axes: Sequence[str] | None = None,
             capability: pd.DataFrame | None = None, margins: pd.DataFrame | None = None,
             read: Callable[[str], Any] | None = None) -> list[Path]:
    """Write every applicable plot of an ensemble as a PNG (120 dpi) into ``directory``.

    Writes ``outcomes.png`` (the observed outcome marked, if the scenario records it);
    ``signing.png`` (if there are mediated rounds), ``commitments.png`` (if there are
    conferences), ``tornado.png`` (if some uncertain parameter varies: for
    ``tornado_metric``, by default the probability that the text is signed and holds, or
    if that is 0 or 1 in every run, that it holds; left out if both are), ``margins.png``
    (with the red lines that keep a gaining participant from signing), and
    ``issue-space.png`` (``issue_axes``, by default the two most salient issues, with the
    red lines on them; needs the scenario), and with an
    implementation phase ``survival.png``, ``capability.png`` (if there are capability
    columns) and ``embargo.png`` (if there are patrons' delivery columns). Uses
    matplotlib's object interface, not pyplot, so no figure stays open and no display is
    needed.

    Each file is written under a temporary name and renamed into place when complete.

    Parameters
    ----------
    result : EnsembleResult
    directory : path
        Created if missing.
    scenario : Scenario, optional
        Default: the result's.
    only : collection of str, optional
        Write only these plots (names without ``.png``), e.g. to draw each from a result
        holding only the columns it needs.
    tornado_metric : str, optional
        What the tornado chart explains (see :func:`negsim.plot.plot_tornado`); given, it
        is drawn even if it is constant.
    issue_axes : (str, str), optional
        The issues of the issue-space plot.
    capability : pandas.DataFrame, optional
        The quantiles of ``capability.png`` (:func:`negsim.plot.implementation.capability_data`),
        if already computed, e.g. one column at a time from a file; the runs then need not
        hold the capability columns.
    margins : pandas.DataFrame, optional
        The margins of ``margins.png`` (:func:`negsim.plot.rounds.margins_data`), if
        already computed, e.g. one column at a time from a file; the runs then need not
        hold the utility and outside-option columns.
    read : callable, optional
        ``read(name)`` returns an uncertain parameter's column that the runs lack, for
        ``tornado.png`` (:func:`negsim.plot.sweep.tornado_data`).

    Returns
    -------
    list of Path
        The files written, in that order.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from negsim import simulate
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [f.name for f in save_all(res, tmp)][:2]
    ['outcomes.png', 'signing.png']
    """
    from matplotlib.figure import Figure

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    runs = runs_of(result)
    sc = scenario if scenario is not None else getattr(result, "scenario", None)
    def want(name: str) -> bool:
        return only is None or name in only

    jobs: list[tuple[str, tuple[float, float], Any]] = []
    if want("outcomes"):
        jobs.append(("outcomes", (7.0, 4.5), lambda ax: plot_outcomes(result, ax, scenario=sc)))
    if want("signing") and decision_columns(runs):
        jobs.append(("signing", (7.0, 4.5), lambda ax: plot_signing(result, ax)))
    n_com = len(commitment_data(result)) if want("commitments") else 0
    if n_com:
        jobs.append(("commitments", (7.5, max(2.5, 0.38 * n_com + 1.6)),
                     lambda ax: plot_commitments(result, ax)))
    metric = tornado_metric if tornado_metric is not None else next(
        (m for m in ("signed_and_holds", "holds") if metric_values(runs, m).any()
         and not metric_values(runs, m).all()), None)
    metric = metric if want("tornado") else None
    n_tor = 0 if metric is None else min(len(tornado_data(result, metric=metric, read=read)), 15)
    if n_tor:
        jobs.append(("tornado", (8.0, max(2.8, 0.42 * n_tor + 2.0)),
                     lambda ax: plot_tornado(result, ax, metric=metric, scenario=sc, read=read)))
    if want("margins") and margins is None:  # computed once, for the size and the plot
        margins = margins_data(result)
    n_act = margins.shape[1] if want("margins") and margins is not None else 0
    if n_act:
        jobs.append(("margins", (7.5, max(2.6, 0.75 * n_act + 1.6)),
                     lambda ax: plot_margins(result, ax, scenario=sc, margins=margins)))
    if (want("issue-space") and sc is not None and len(sc.issue_ids) >= 2
            and any(".draft." in str(c) for c in runs)):
        jobs.append(("issue-space", (9.5, 7.0),
                     lambda ax: plot_issue_space(result, issue_axes, ax=ax, scenario=sc)))
    impl = implementation_columns(runs)
    if impl:
        cols = list(impl.values())[-1]
        if want("survival"):
            jobs.append(("survival", (7.5, 4.5), lambda ax: plot_survival(result, ax)))
        if (cols.belligerents or capability is not None) and want("capability"):
            jobs.append(("capability", (7.5, 4.5),
                         lambda ax: plot_capability(result, ax, data=capability)))
        if cols.patrons and want("embargo"):
            jobs.append(("embargo", (max(6.0, 0.45 * cols.horizon + 2.5),
                                     max(2.6, 0.45 * len(cols.patrons) + 1.6)),
                         lambda ax: plot_embargo(result, ax)))
    paths = []
    for name, size, draw in jobs:
        fig = Figure(figsize=size, layout="constrained")
        draw(fig.add_subplot())
        path = out / f"{name}.png"
        with atomic_path(path) as tmp:  # complete files only, under their final names
            fig.savefig(tmp, dpi=_DPI, format="png")
        paths.append(path)
    return paths
