"""The result of a forecast (:class:`ForecastResult`) and the numbers of one issue.

:func:`forecast_plot_data` gives, for one issue, the positions per round and the weighted
mean and median in the wide form that :func:`negsim.plot.plot_forecast` draws.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from negsim._tables import html_card, html_table
from negsim.forecasting.table import ForecastError

__all__ = ["ForecastResult", "forecast_plot_data"]


@dataclass(frozen=True, repr=False)
class ForecastResult:
    """Result of :func:`forecast`.

    Attributes
    ----------
    positions : pandas.DataFrame
        Tidy: ``round, issue, actor, position``; round 0 holds the initial positions.
    summary : pandas.DataFrame
        ``round, issue, mean, median``: weighted mean and median per round.
    model : str
        ``"eu"``, ``"mean"`` or ``"median"``.
    parameters : Mapping
        The settings used (for ``"eu"`` the :class:`EUParameters` fields, the rounds, the
        distance unit per issue, and issues skipped because nobody could move them).
    moves : pandas.DataFrame
        ``round, issue, actor, proposer, offer, from_position, to_position``: every accepted
        offer (empty for the static models).

    Examples
    --------
    >>> from negsim import forecast
    >>> res = forecast({"actor": ["A", "B", "C"], "capability": [1, 1, 2],
    ...                 "position": [0.0, 0.5, 1.0], "salience": [1, 1, 0.5]},
    ...                rounds=2)
    >>> res
    ForecastResult(model='eu', issues=1, actors=3, rounds=2)
    >>> res.positions.columns.tolist(), res.summary.columns.tolist()
    (['round', 'issue', 'actor', 'position'], ['round', 'issue', 'mean', 'median'])
    """

    positions: pd.DataFrame
    summary: pd.DataFrame
    model: str
    parameters: Mapping[str, Any]
    moves: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["round", "issue", "actor", "proposer", "offer", "from_position",
                 "to_position"]))

    def __repr__(self) -> str:
        issues = self.summary["issue"].nunique()
        actors = self.positions["actor"].nunique()
        rounds = int(self.summary["round"].max()) if len(self.summary) else 0
        return (f"ForecastResult(model={self.model!r}, issues={issues}, actors={actors}, "
                f"rounds={rounds})")

    def _repr_html_(self) -> str:
        first = self.summary.loc[self.summary.groupby("issue", sort=False)["round"].idxmin()]
        start = dict(zip(first["issue"], first["mean" if self.model == "mean" else "median"],
                         strict=True))
        rows = [[k, round(float(start[k]), 3), round(float(v), 3)]
                for k, v in self.prediction().items()]
        rounds = int(self.summary["round"].max()) if len(self.summary) else 0
        fields = [("model", self.model), ("actors", self.positions["actor"].nunique()),
                  ("issues", len(rows)), ("rounds", rounds), ("accepted offers", len(self.moves))]
        table = html_table(["issue", "round 0", "forecast"], rows, caption="Forecast per issue")
        return html_card("Forecast", fields, table)

    @property
    def issues(self) -> tuple[str, ...]:
        """Issue ids in forecast order.

        Examples
        --------
        >>> from negsim import forecast
        >>> forecast("libya-2020", model="mean").issues[:2]
        ('turkish_forces', 'security_agreement')
        """
        return tuple(dict.fromkeys(self.summary["issue"]))

    def prediction(self) -> pd.Series:
        """Return the forecast outcome per issue.

        The weighted mean for ``"mean"``; the weighted median of the last round for
        ``"median"`` and ``"eu"`` (Bueno de Mesquita's forecast is the median voter position
        after the last round).

        Examples
        --------
        >>> from negsim import forecast
        >>> table = {"actor": ["A", "B", "C"], "capability": [1, 1, 2],
        ...          "position": [0.0, 0.5, 1.0], "salience": [1, 1, 1]}
        >>> forecast(table, model="median").prediction().to_dict()
        {'issue': 0.5}
        >>> forecast(table, model="mean").prediction().round(3).to_dict()
        {'issue': 0.625}
        """
        last = self.summary.loc[self.summary.groupby("issue", sort=False)["round"].idxmax()]
        column = "mean" if self.model == "mean" else "median"
        out = pd.Series(last[column].to_numpy(), index=pd.Index(last["issue"], name="issue"),
                        name=column)
        return out


    def settled(self, last: int = 2, tol: float = 1e-9) -> pd.Series:
        """Return, per issue, whether no position moved by more than ``tol`` in the last rounds.

        ``last`` rounds are checked (the expected-utility model can cycle: actors that
        respond to each other's last positions swap sides every round). The static models
        are always settled.

        Examples
        --------
        >>> from negsim import forecast
        >>> table = {"actor": ["A", "B"], "capability": [1, 1], "position": [0, 1],
        ...          "salience": [1, 0.5]}
        >>> forecast(table, rounds=3).settled().to_dict()  # B creeps towards A
        {'issue': False}
        >>> forecast(table, rounds=3, probability="pair").settled().to_dict()  # B gives in
        {'issue': True}
        """
        if isinstance(last, bool) or not isinstance(last, (int, np.integer)) or last < 1:
            raise ForecastError(f"last must be a positive integer, got {last!r}")
        out = {}
        for iid, grp in self.positions.groupby("issue", sort=False):
            wide = grp.pivot(index="round", columns="actor", values="position").to_numpy()
            tail = wide[-(last + 1):]
            out[iid] = bool(np.all(np.abs(tail - tail[-1]) <= tol))
        return pd.Series(out, name="settled").rename_axis("issue")


def _pick_issue(result: ForecastResult, issue: str | None) -> str:
    issues = result.issues
    if issue is None:
        if len(issues) != 1:
            raise ForecastError(
                f"the result has {len(issues)} issues; pass issue= one of {', '.join(issues)}"
            )
        return issues[0]
    if issue not in issues:
        raise ForecastError(f"unknown issue {issue!r} (issues: {', '.join(issues)})")
    return issue


def forecast_plot_data(result: ForecastResult,
                       issue: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the numbers :func:`negsim.plot.plot_forecast` draws for one issue.

    Returns
    -------
    trajectories : pandas.DataFrame
        Index ``round``, one column per actor (in input order): positions.
    summary : pandas.DataFrame
        Index ``round``, columns ``mean`` and ``median``.

    Examples
    --------
    >>> from negsim import forecast
    >>> res = forecast({"actor": ["A", "B"], "capability": [1, 1], "position": [0, 1],
    ...                 "salience": [1, 0.2]}, rounds=2)
    >>> traj, summ = forecast_plot_data(res)
    >>> traj.columns.tolist(), summ.columns.tolist()
    (['A', 'B'], ['mean', 'median'])
    """
    if not isinstance(result, ForecastResult):
        raise ForecastError(f"expected a ForecastResult, got {type(result).__name__}")
    iid = _pick_issue(result, issue)
    pos = result.positions[result.positions["issue"] == iid]
    actors = list(dict.fromkeys(pos["actor"]))
    traj = pos.pivot(index="round", columns="actor", values="position")[actors]
    traj.columns.name = None
    summ = result.summary[result.summary["issue"] == iid].set_index("round")[["mean", "median"]]
    return traj, summ
