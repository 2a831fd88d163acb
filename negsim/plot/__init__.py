"""Plots of scenarios, ensembles, sweeps, designs and forecasts (matplotlib).

Every plot function takes an optional ``ax`` and returns the ``Axes``. May import every
layer below the command line.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import negsim
>>> res = negsim.simulate("libya-2020", runs=50, seed=1)
>>> ax = negsim.plot.plot_outcomes(res)
>>> ax.get_title() != ""
True
"""

from negsim.plot.core import (
    plot_commitments,
    plot_concession_frontier,
    plot_issue_space,
    plot_margins,
    plot_outcomes,
    plot_signing,
    plot_sweep,
    plot_tornado,
    save_all,
)
from negsim.plot.forecast import plot_forecast

__all__ = [
    "plot_commitments",
    "plot_concession_frontier",
    "plot_forecast",
    "plot_issue_space",
    "plot_margins",
    "plot_outcomes",
    "plot_signing",
    "plot_sweep",
    "plot_tornado",
    "save_all",
]
