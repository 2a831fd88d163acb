"""Helpers the plot modules share: colours, new axes, labels, run columns, proportions.

Not part of the API of :mod:`negsim.plot` (the module is private); the plot modules import
these names from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from negsim.ensemble import EnsembleResult, wilson_interval
from negsim.scenario import OUTCOMES

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from negsim.scenario import Scenario

__all__ = [
    "OUTCOME_COLOURS",
    "PALETTE",
    "as_words",
    "deal_words",
    "issues_by_id",
    "literal",
    "metric_values",
    "new_axes",
    "proportions",
    "runs_of",
    "subtitle",
    "yerr",
]

OUTCOME_COLOURS = {
    "signed_and_holds": "#2a9d8f",
    "signed_but_fragile": "#e9c46a",
    "partial_signature": "#e76f51",
    "no_agreement": "#8d99ae",
}
"""The colour of each outcome category."""

PALETTE = ("#264653", "#e76f51", "#2a9d8f", "#9b5de5", "#f4a261", "#577590", "#bc4749",
           "#90be6d")
"""Colours of rounds, commitments and lines, in order of use."""


def runs_of(result: EnsembleResult | pd.DataFrame) -> pd.DataFrame:
    """Return the runs DataFrame of an ensemble (or the DataFrame itself).

    Raises
    ------
    TypeError
        If ``result`` is neither.

    Examples
    --------
    >>> df = pd.DataFrame({"outcome": ["no_agreement"]})
    >>> runs_of(df) is df
    True
    """
    if isinstance(result, EnsembleResult):
        return result.runs
    if isinstance(result, pd.DataFrame):
        return result
    raise TypeError(f"expected an EnsembleResult or a runs DataFrame, got {type(result)!r}")


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """Return ``ax``, or the axes of a new pyplot figure of ``figsize`` inches if it is None.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> new_axes(ax, (7.0, 4.5)) is ax
    True
    >>> new_axes(None, (7.0, 4.5)).figure.get_size_inches().tolist()
    [7.0, 4.5]
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def as_words(s: str) -> str:
    """Put an identifier in words (underscores become spaces).

    Examples
    --------
    >>> as_words("signed_and_holds")
    'signed and holds'
    """
    return s.replace("_", " ")


def literal(text: object) -> str:
    r"""Return ``text`` so that matplotlib draws it as written, not as TeX.

    Names are free text: a ``$`` would start matplotlib's math mode, where a backslash
    starts a command, so every ``$`` is escaped (``\$`` is drawn as ``$``). Every piece
    of text that comes from a scenario or a table goes through this before it is drawn.

    Examples
    --------
    >>> print(literal(r"$\notacommand$ costs $$"))
    \$\notacommand\$ costs \$\$
    >>> literal("Party A")
    'Party A'
    """
    return str(text).replace("$", r"\$")


def deal_words(result: EnsembleResult | pd.DataFrame | str) -> tuple[str, str]:
    """Return how the ensemble's scenario names its deal: ``(noun phrase, bare noun)``.

    ``("the ceasefire", "ceasefire")`` for Libya; ``("the agreement", "agreement")`` when
    the scenario is not at hand (a runs DataFrame). A string is taken as the noun phrase.

    Examples
    --------
    >>> deal_words(pd.DataFrame({"run": [0]}))
    ('the agreement', 'agreement')
    >>> deal_words("the arms embargo")
    ('the arms embargo', 'arms embargo')
    """
    scenario = getattr(result, "scenario", None)
    deal = (result if isinstance(result, str) else
            scenario.words.deal if scenario is not None else "the agreement")
    bare = deal
    for article in ("the ", "a ", "an "):
        if bare.lower().startswith(article):
            bare = bare[len(article):]
            break
    return literal(deal), literal(bare)


def subtitle(result: EnsembleResult | pd.DataFrame) -> str:
    """Say which ensemble a picture shows: scenario, number of runs and seed.

    Examples
    --------
    >>> subtitle(pd.DataFrame({"run": range(1200)}))
    '1,200 runs'
    """
    if isinstance(result, EnsembleResult):
        return literal(f"{result.scenario_id}: {result.n_runs:,} runs, seed {result.seed}")
    return f"{len(result):,} runs"


def yerr(df: pd.DataFrame) -> np.ndarray:
    """Return matplotlib error bars (2 x n) from the ``probability``, ``low``, ``high`` columns.

    Examples
    --------
    >>> yerr(pd.DataFrame({"probability": [0.5], "low": [0.4], "high": [0.7]})).round(2)
    array([[0.1],
           [0.2]])
    """
    return np.vstack([df["probability"] - df["low"], df["high"] - df["probability"]])


def proportions(k: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the proportions ``k / n`` with their Wilson 95% intervals.

    Returns
    -------
    p, low, high : numpy.ndarray

    Examples
    --------
    >>> p, lo, hi = proportions(np.array([0, 5]), 10)
    >>> p.tolist(), bool(lo[1] < 0.5 < hi[1])
    ([0.0, 0.5], True)
    """
    k = np.asarray(k, dtype=float)
    lo, hi = wilson_interval(k, np.full_like(k, n))
    return k / n, np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)


def issues_by_id(scenario: Scenario | None) -> dict[str, Any]:
    """Return the issues of a scenario by id (empty without a scenario).

    Examples
    --------
    >>> from negsim import load_scenario
    >>> issues_by_id(load_scenario("libya-2020"))["ceasefire"].id
    'ceasefire'
    >>> issues_by_id(None)
    {}
    """
    if scenario is None:
        return {}
    return {iss.id: iss for iss in scenario.issues}


def metric_values(runs: pd.DataFrame, metric: str) -> np.ndarray:
    """Return, per run, whether ``metric`` holds: a boolean column or an outcome category.

    Raises
    ------
    ValueError
        If ``metric`` is neither.

    Examples
    --------
    >>> runs = pd.DataFrame({"outcome": ["no_agreement", "signed_and_holds"],
    ...                      "holds": [False, True]})
    >>> metric_values(runs, "no_agreement").tolist(), metric_values(runs, "holds").tolist()
    ([True, False], [False, True])
    """
    if metric in OUTCOMES:
        return (runs["outcome"] == metric).to_numpy()
    if metric in runs.columns and pd.api.types.is_bool_dtype(runs[metric]):
        return runs[metric].to_numpy(dtype=bool)
    raise ValueError(f"metric must be a boolean column or an outcome category, got {metric!r}")
