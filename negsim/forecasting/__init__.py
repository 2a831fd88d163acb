r"""Forecasts of where each issue settles, from tables of actors (no simulation).

Each actor :math:`i` holds a position :math:`x_i` on a one-dimensional issue, a capability
:math:`c_i \ge 0` and a salience :math:`s_i \in [0, 1]`; its weight is :math:`w_i = c_i s_i`.
Three models forecast where the issue settles:

``"mean"``
    the weighted mean :math:`\bar x = \sum_i w_i x_i / \sum_i w_i` (:func:`weighted_mean`);
``"median"``
    the weighted median (:func:`weighted_median`): sort the positions and take the *lowest*
    position at which the cumulative weight reaches half of the total weight. It is always
    an actor's position, and it is the Condorcet winner among the actors' positions (no
    other position beats it in a pairwise vote, Black's median voter theorem). When the
    cumulative weight reaches exactly half at a position, that (lower) position is taken,
    not the average of the two middle positions: the forecast stays an actor's position.
``"eu"``
    the expected-utility model of Bueno de Mesquita (1985, 1994) in the operational form of
    Scholz, Calbert and Smith (2011), "Unravelling Bueno De Mesquita's group decision
    model", *Journal of Theoretical Politics* 23(4), 510-531 (conference version: ICAART
    2011, pp. 18-30). Actors challenge each other pairwise, concede, compromise or hold
    firm, and all positions are updated synchronously each round (:func:`eu_round`).

Modules, lowest first: :mod:`~negsim.forecasting.table` (the input, its checks and
:class:`ForecastError`), :mod:`~negsim.forecasting.baselines` (weighted mean and median),
:mod:`~negsim.forecasting.params` (:class:`EUParameters`), :mod:`~negsim.forecasting.model`
(the expected-utility round), :mod:`~negsim.forecasting.result` (:class:`ForecastResult`) and
:mod:`~negsim.forecasting.run` (:func:`forecast`). The package is named ``forecasting``
because ``negsim.forecast`` is the function. Plots of a forecast are in :mod:`negsim.plot`
(:func:`negsim.plot.plot_forecast`).

May import: ``negsim.scenario`` (to load scenarios), nothing else of negsim; never
matplotlib.

Examples
--------
>>> table = {"actor": ["A", "B", "C"], "capability": [1.0, 1.0, 2.0],
...          "position": [0.0, 0.5, 1.0], "salience": [1.0, 0.5, 0.8]}
>>> weighted_mean(table["position"], table["capability"], table["salience"])
0.6...
>>> weighted_median(table["position"], table["capability"], table["salience"])
1.0
>>> res = forecast(table, model="eu", rounds=3)
>>> res
ForecastResult(model='eu', issues=1, actors=3, rounds=3)
>>> list(res.summary.columns)
['round', 'issue', 'mean', 'median']
"""

from negsim.forecasting.baselines import weighted_mean, weighted_median
from negsim.forecasting.model import (
    EURound,
    Offer,
    eu_round,
    pairwise_votes,
    prevail_probability,
    risk_exponents,
)
from negsim.forecasting.params import EUParameters
from negsim.forecasting.result import ForecastResult, forecast_plot_data
from negsim.forecasting.run import MODELS, forecast
from negsim.forecasting.table import ForecastError

__all__ = [
    "EUParameters",
    "EURound",
    "ForecastError",
    "ForecastResult",
    "MODELS",
    "Offer",
    "eu_round",
    "forecast",
    "forecast_plot_data",
    "pairwise_votes",
    "prevail_probability",
    "risk_exponents",
    "weighted_mean",
    "weighted_median",
]
