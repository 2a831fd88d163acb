"""The picture of a forecast (negsim.plot.forecast)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from negsim.forecasting import ForecastError, forecast, forecast_plot_data  # noqa: E402
from negsim.plot import plot_forecast  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data"


def test_plot_forecast():
    res = forecast(pd.read_csv(DATA / "forecast" / "bdm1994_emissions.csv"), rounds=4)
    _, summ = forecast_plot_data(res)
    before = plt.get_fignums()
    ax = plot_forecast(res)
    assert len(ax.lines) == 12
    assert ax.lines[-2].get_ydata() == pytest.approx(summ["mean"].to_numpy())
    assert ax.get_xlabel() == "round"
    fig = ax.figure
    _, mine = plt.subplots()
    assert plot_forecast(res, ax=mine) is mine
    assert plt.get_fignums() == before + [fig.number, mine.figure.number]
    plt.close(fig)
    plt.close(mine.figure)


def test_plot_forecast_needs_an_issue_when_there_are_several():
    res = forecast(DATA / "scenarios" / "tiny3.toml", rounds=1)
    with pytest.raises(ForecastError, match="2 issues; pass issue="):
        plot_forecast(res)
    ax = plot_forecast(res, issue="power")
    assert ax.get_title() == "eu forecast: power"
    plt.close(ax.figure)
