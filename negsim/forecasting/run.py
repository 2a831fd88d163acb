"""Forecast where each issue settles: :func:`forecast` runs one model on every issue.

The input is read by :func:`negsim.forecasting.table.actor_tables`; the static models are in
:mod:`negsim.forecasting.baselines` and the expected-utility model in
:mod:`negsim.forecasting.model`; the result is a
:class:`~negsim.forecasting.result.ForecastResult`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from negsim.forecasting.baselines import median_position
from negsim.forecasting.model import Offer, distance_unit, eu_trajectory
from negsim.forecasting.params import EUParameters
from negsim.forecasting.result import ForecastResult
from negsim.forecasting.table import ForecastError, actor_tables

__all__ = ["MODELS", "forecast"]

MODELS: tuple[str, ...] = ("eu", "mean", "median")
"""The forecasting models :func:`forecast` knows."""


def forecast(
    scenario_or_table: Any,
    model: str = "eu",
    rounds: int = 10,
    issue: str | None = None,
    params: EUParameters | None = None,
    **options: Any,
) -> ForecastResult:
    """Forecast where each issue settles, round by round.

    Parameters
    ----------
    scenario_or_table : Scenario, str, path, DataFrame, mapping or list of records
        A negsim Scenario (or a built-in scenario name / TOML path): every issue is
        forecast independently from the actors with a demand on it (position = ideal
        point, salience, capability). Or a table for one issue with columns ``actor,
        capability, position, salience`` (salience in [0, 1]).
    model : {"eu", "mean", "median"}
        The expected-utility model, or a static baseline.
    rounds : int
        Rounds of the expected-utility model; the static models report round 0 only.
    issue : str, optional
        For a scenario, forecast only this issue; for a table, the label of its issue
        (default ``"issue"``).
    params : EUParameters, optional
        Operational choices of the ``"eu"`` model.
    **options
        Overrides of ``params`` fields, e.g. ``q=0.5`` (``"eu"`` only).

    Returns
    -------
    ForecastResult

    Examples
    --------
    >>> rows = [{"actor": "A", "capability": 1, "position": 0, "salience": 1},
    ...         {"actor": "B", "capability": 1, "position": 1, "salience": 0.5}]
    >>> forecast(rows, model="median").summary
       round  issue  mean  median
    0      0  issue  0.333333     0.0
    >>> MODELS
    ('eu', 'mean', 'median')
    """
    if model not in MODELS:
        raise ForecastError(
            f"unknown model {model!r} (choose one of {', '.join(map(repr, MODELS))})"
        )
    if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)) or rounds < 0:
        raise ForecastError(f"rounds must be a non-negative integer, got {rounds!r}")
    if issue is not None and not isinstance(issue, str):
        raise ForecastError(f"issue must be a string, got {issue!r}")
    if model != "eu" and (params is not None or options):
        raise ForecastError(f"parameters apply to the 'eu' model only, not {model!r}")
    prm = EUParameters() if params is None else params
    if not isinstance(prm, EUParameters):
        raise ForecastError(f"params must be EUParameters, got {type(prm).__name__}")
    if options:
        known = [f.name for f in dataclasses.fields(EUParameters)]
        unknown = [k for k in options if k not in known]
        if unknown:
            raise ForecastError(
                f"unknown option{'s' if len(unknown) > 1 else ''} "
                f"{', '.join(map(repr, unknown))} (options: {', '.join(known)})"
            )
        prm = dataclasses.replace(prm, **options)

    tables, skipped = actor_tables(scenario_or_table, issue)

    n_rounds = int(rounds) if model == "eu" else 0
    pos_frames, sum_frames, move_rows = [], [], []
    scales: dict[str, float] = {}
    for iid, tab in tables:
        names = tab["actor"].to_numpy()
        x0 = tab["position"].to_numpy()
        c = tab["capability"].to_numpy()
        s = tab["salience"].to_numpy()
        w = c * s
        if model == "eu":
            scales[iid] = distance_unit(x0, prm.position_range)
            traj, moves = eu_trajectory(x0, c, s, n_rounds, prm)
            for t, i, j, code, old, new in moves:
                move_rows.append((t, iid, names[i], names[j], Offer(code).name.lower(),
                                  old, new))
        else:
            traj = x0[None, :].astype(float)
        n_t, n_a = traj.shape
        pos_frames.append(pd.DataFrame({
            "round": np.repeat(np.arange(n_t), n_a),
            "issue": iid,
            "actor": np.tile(names, n_t),
            "position": traj.ravel(),
        }))
        sum_frames.append(pd.DataFrame({
            "round": np.arange(n_t),
            "issue": iid,
            "mean": traj @ w / w.sum(),
            "median": [median_position(row, w) for row in traj],
        }))
    positions = pd.concat(pos_frames, ignore_index=True)
    summary = pd.concat(sum_frames, ignore_index=True)
    moves_df = pd.DataFrame(move_rows, columns=["round", "issue", "actor", "proposer", "offer",
                                                "from_position", "to_position"])
    parameters: dict[str, Any] = {"rounds": n_rounds, "weights": "capability x salience"}
    if model == "eu":
        parameters.update(dataclasses.asdict(prm))
        parameters["position_range"] = scales
    if skipped:
        parameters["skipped_issues"] = skipped
    return ForecastResult(positions=positions, summary=summary, model=model,
                          parameters=parameters, moves=moves_df)

