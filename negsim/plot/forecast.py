"""The picture of a forecast: each actor's position per round (:func:`plot_forecast`).

The numbers come from :func:`negsim.forecasting.forecast_plot_data`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from negsim.forecasting import ForecastResult, forecast_plot_data
from negsim.plot._common import fit_title, literal

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_forecast"]


def plot_forecast(result: ForecastResult, issue: str | None = None,
                  ax: Axes | None = None) -> Axes:
    """Draw each actor's position per round with the weighted mean and median.

    Parameters
    ----------
    result : ForecastResult
    issue : str, optional
        Which issue (required when the result has several).
    ax : matplotlib Axes, optional
        Where to draw; a new figure is created if None. Nothing is shown.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from negsim import forecast
    >>> res = forecast({"actor": ["A", "B"], "capability": [1, 1], "position": [0, 1],
    ...                 "salience": [1, 0.2]}, rounds=2)
    >>> ax = plot_forecast(res)
    >>> len(ax.lines)  # two actors, mean, median
    4
    """
    traj, summ = forecast_plot_data(result, issue)
    iid = result.issues[0] if issue is None else issue  # checked just above
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7.0, 4.5), layout="constrained")
    rounds = traj.index.to_numpy()
    for actor in traj.columns:
        ax.plot(rounds, traj[actor].to_numpy(), marker="o", markersize=3.5, linewidth=1.2,
                alpha=0.85, label=literal(actor))
    ax.plot(rounds, summ["mean"].to_numpy(), color="black", linestyle="--", linewidth=2.0,
            label="weighted mean")
    ax.plot(rounds, summ["median"].to_numpy(), color="dimgray", linestyle=":", linewidth=2.5,
            label="weighted median")
    ax.set_xlabel("round")
    ax.set_ylabel("position")
    fit_title(ax, literal(f"{result.model} forecast: {iid.replace('_', ' ')}"))
    if len(rounds) <= 20:
        ax.set_xticks(rounds)
    ax.legend(fontsize="small", ncol=2 if traj.shape[1] > 6 else 1, loc="best")
    return ax
