"""The Kaplan–Meier survival of a ceasefire, with Greenwood confidence bands.

:func:`kaplan_meier` estimates, from per-run durations and whether the ceasefire broke, the
probability that it still holds after each month, as a :class:`SurvivalCurve`.
:mod:`~negsim.ensemble.implementation` applies it to a runs table.

Why a numpy Kaplan–Meier and not lifelines
------------------------------------------
The estimator is twenty lines of numpy: the product over event times of ``1 - d/n`` and
Greenwood's variance. lifelines (0.30.3) would add autograd, autograd-gamma, formulaic,
interface-meta and narwhals (about 11 MB) and, worse, requires ``pandas<3``, so installing
it would downgrade pandas under every other part of negsim. scipy's ``stats.ecdf`` (already
a dependency) also does Kaplan–Meier with Greenwood bands, but returns NaN bands (with a
warning) where the survival is 0 or where every remaining run is censored, which would need
the same edge handling as writing the estimator. Here censoring happens only at the
horizon, so below ``H`` the estimate is the empirical survival function and exact; the
implementation is general all the same (censoring at any time, tied times: events are
counted before censorings at the same time, as lifelines and scipy do), and
``tests/ensemble/test_survival.py`` checks it against scipy's ``ecdf`` and, when it is
installed, lifelines' ``KaplanMeierFitter`` on random data with censoring and ties.

Confidence bands are Greenwood's with the log-log transform (lifelines' "exponential
Greenwood", scipy's ``method="log-log"``): they stay inside [0, 1]. They are ``[1, 1]``
where the survival is 1 (no run broke yet) and ``[0, 0]`` where it is 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from negsim.ensemble.proportions import Z95

__all__ = ["SurvivalCurve", "kaplan_meier"]


@dataclass(frozen=True)
class SurvivalCurve:
    """The Kaplan–Meier survival of a ceasefire on a grid of months, with 95% bands.

    Attributes
    ----------
    months : tuple of float
        The grid, ``0, 1, ..., H`` for :func:`survival_curve`.
    probability : tuple of float
        ``S(t)``: the estimated probability that the ceasefire still holds after month
        ``t`` (has not broken in months 1 to ``t``).
    low, high : tuple of float
        Greenwood 95% band, log-log transform.
    at_risk : tuple of int
        Runs whose ceasefire was still in force at ``t`` (duration >= ``t``).
    events : tuple of int
        Runs whose ceasefire broke in ``(t_prev, t]`` (0 at the first point).
    runs : int
        Number of runs.
    entry : str
        The implementation entry ("" if not from a runs table).

    Examples
    --------
    >>> c = kaplan_meier([1, 2, 2, 3], [True, True, True, False], months=range(4))
    >>> c.probability
    (1.0, 0.75, 0.25, 0.25)
    >>> c.at(2), c.band(0), c.to_dict()[1]
    (0.25, (1.0, 1.0), 0.75)
    """

    months: tuple[float, ...]
    probability: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    at_risk: tuple[int, ...]
    events: tuple[int, ...]
    runs: int
    entry: str = ""

    def _index(self, month: float) -> int:
        try:
            return self.months.index(month)
        except ValueError:
            raise KeyError(f"month {month!r} is not on the curve's grid {self.months}") from None

    def at(self, month: float) -> float:
        """``S(month)``, for a month on the grid."""
        return self.probability[self._index(month)]

    def band(self, month: float) -> tuple[float, float]:
        """Return the 95% band ``(low, high)`` at a month on the grid."""
        i = self._index(month)
        return (self.low[i], self.high[i])

    def to_dict(self) -> dict[Any, float]:
        """``{month: probability}`` (integer months as ``int``)."""
        return {_month_key(m): p for m, p in zip(self.months, self.probability, strict=True)}

    def to_frame(self) -> pd.DataFrame:
        """Columns ``month``, ``probability``, ``low``, ``high``, ``at_risk``, ``events``."""
        return pd.DataFrame({"month": list(self.months), "probability": list(self.probability),
                             "low": list(self.low), "high": list(self.high),
                             "at_risk": list(self.at_risk), "events": list(self.events)})


def _month_key(m: float) -> Any:
    return int(m) if float(m).is_integer() else float(m)


def kaplan_meier(duration: Any, observed: Any, months: Any, *, z: float = Z95,
                 entry: str = "") -> SurvivalCurve:
    """Kaplan–Meier estimate of survival, evaluated at ``months``, with Greenwood bands.

    Parameters
    ----------
    duration : array of float
        Time of the event, or of censoring, per run (finite, >= 0).
    observed : array of bool
        True where the event (the ceasefire breaking) happened at ``duration``; False
        where the run is censored there (the ceasefire still held).
    months : iterable of float
        Where to evaluate ``S(t) = P(T > t)`` (a right-continuous step function).
    z : float
        Normal quantile of the band (default 95%).
    entry : str
        Recorded in the result.

    Returns
    -------
    SurvivalCurve

    Notes
    -----
    With event times ``u`` (``d`` events, ``n`` runs at risk at each),
    ``S(t) = prod_{u <= t} (1 - d/n)`` and Greenwood's
    ``Var S(t) = S(t)^2 sum_{u <= t} d / (n (n - d))``. The band is computed for
    ``log(-log S)``, whose standard error is ``sqrt(sum d/(n(n-d))) / |log S|``, and
    mapped back: ``low = S^exp(z se)``, ``high = S^exp(-z se)``. Events are counted
    before censorings at the same time.

    Examples
    --------
    All of three runs break at month 3:

    >>> kaplan_meier([3, 3, 3], [True, True, True], months=range(5)).probability
    (1.0, 1.0, 1.0, 0.0, 0.0)

    Censoring: the run censored at 2 leaves the risk set before the break at 3.

    >>> c = kaplan_meier([1, 2, 3, 3], [True, False, True, False], months=[0, 1, 3])
    >>> c.probability, c.at_risk
    ((1.0, 0.75, 0.375), (4, 4, 2))
    """
    d = np.asarray(duration, dtype=float).ravel()
    e = np.asarray(observed).ravel()
    if e.dtype != bool:
        raise ValueError(f"kaplan_meier: observed must be boolean, got dtype {e.dtype}")
    if d.shape != e.shape:
        raise ValueError(f"kaplan_meier: duration and observed differ in length "
                         f"({d.size} and {e.size})")
    if d.size == 0:
        raise ValueError("kaplan_meier: no runs")
    if not np.all(np.isfinite(d)) or np.any(d < 0):
        raise ValueError("kaplan_meier: durations must be finite and >= 0")
    grid = np.asarray(list(months), dtype=float)
    times, deaths = np.unique(d[e], return_counts=True)
    sorted_d = np.sort(d)
    n_at = (d.size - np.searchsorted(sorted_d, times, side="left")).astype(float)
    surv = np.cumprod(1.0 - deaths / n_at)
    with np.errstate(divide="ignore", invalid="ignore"):
        green = np.cumsum(np.where(n_at > deaths, deaths / (n_at * (n_at - deaths)), np.inf))
    idx = np.searchsorted(times, grid, side="right") - 1
    before = idx < 0
    safe = np.where(before, 0, idx)
    s = np.where(before, 1.0, surv[safe] if surv.size else 1.0)
    g = np.where(before, 0.0, green[safe] if green.size else 0.0)
    inside = (s > 0.0) & (s < 1.0)
    s_in = np.where(inside, s, 0.5)
    log_s = np.log(s_in)
    se = np.sqrt(np.where(inside, g, 0.0)) / np.abs(log_s)
    low = np.where(inside, s_in ** np.exp(z * se), s)
    high = np.where(inside, s_in ** np.exp(-z * se), s)
    at_risk = d.size - np.searchsorted(sorted_d, grid, side="left")
    ev_sorted = np.sort(d[e])
    cum = np.searchsorted(ev_sorted, grid, side="right")
    events = np.diff(cum, prepend=cum[0] if cum.size else 0)
    return SurvivalCurve(
        months=tuple(_month_key(m) for m in grid),
        probability=tuple(float(x) for x in s),
        low=tuple(float(x) for x in low),
        high=tuple(float(x) for x in high),
        at_risk=tuple(int(x) for x in at_risk),
        events=tuple(int(x) for x in events),
        runs=int(d.size),
        entry=entry,
    )
