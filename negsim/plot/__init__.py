"""Plots of scenarios, ensembles, sweeps, designs and forecasts (matplotlib).

Ensembles: outcomes (:mod:`~negsim.plot.outcomes`); signatures, commitments and margins per
round (:mod:`~negsim.plot.rounds`); sweeps and sensitivity (:mod:`~negsim.plot.sweep`);
positions and texts on two issues (:mod:`~negsim.plot.issue_space`); every applicable
picture as PNG files (:mod:`~negsim.plot.save`). Deal designs: the concession frontier
(:mod:`~negsim.plot.design`). Forecasts: positions per round (:mod:`~negsim.plot.forecast`).
The months after the talks: survival of the ceasefire, capabilities and the arms embargo
(:mod:`~negsim.plot.implementation`).

Every plot function takes an optional ``ax`` and returns the ``Axes``: it draws on ``ax``
(a new figure if ``ax`` is None) and nothing calls ``plt.show()``. The numbers behind each
picture come from a separate ``*_data`` function of its module that returns a DataFrame, so
they can be checked (and reused) without drawing. :func:`save_all` writes every applicable
picture as a PNG without touching pyplot's global figure list, so it works on headless
machines (Agg). Probabilities are shown with Wilson 95% intervals
(:func:`negsim.ensemble.wilson_interval`).

May import every layer below the command line.

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

from negsim.plot.design import plot_concession_frontier
from negsim.plot.forecast import plot_forecast
from negsim.plot.implementation import plot_capability, plot_embargo, plot_survival
from negsim.plot.issue_space import plot_issue_space
from negsim.plot.outcomes import plot_outcomes
from negsim.plot.rounds import plot_commitments, plot_margins, plot_signing
from negsim.plot.save import save_all
from negsim.plot.sweep import plot_sweep, plot_tornado

__all__ = [
    "plot_capability",
    "plot_commitments",
    "plot_concession_frontier",
    "plot_embargo",
    "plot_forecast",
    "plot_issue_space",
    "plot_margins",
    "plot_outcomes",
    "plot_signing",
    "plot_survival",
    "plot_sweep",
    "plot_tornado",
    "save_all",
]
