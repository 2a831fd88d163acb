"""Helpers the plot modules share: colours, new axes, labels, run columns, proportions.

Not part of the API of :mod:`negsim.plot` (the module is private); the plot modules import
these names from here.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from negsim.ensemble import EnsembleResult, wilson_interval
from negsim.ensemble.implementation import HOLDS_AT, holds_at, holds_at_month
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
    "fit_title",
    "literal",
    "metric_values",
    "metric_words",
    "new_axes",
    "observed_outcome",
    "percent",
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
    """Return, per run, whether ``metric`` holds.

    ``metric`` is a boolean column (``"holds"``: the final text holds), an outcome category
    (``"signed_and_holds"``, ...), ``"sign:ROUND:ACTOR"``: the actor signed the final
    text of that mediated round, or ``"holds_at:M"``: the deal in force still holds after
    month ``M`` of the (last) implementation phase, as the survival curve counts it
    (:func:`negsim.ensemble.implementation.holds_at`).

    Raises
    ------
    ValueError
        If ``metric`` is none of these, naming the choices.

    Examples
    --------
    >>> runs = pd.DataFrame({"outcome": ["no_agreement", "signed_and_holds"],
    ...                      "holds": [False, True], "talks.A.decision": ["sign", "no_sign"]})
    >>> metric_values(runs, "no_agreement").tolist(), metric_values(runs, "holds").tolist()
    ([True, False], [False, True])
    >>> metric_values(runs, "sign:talks:A").tolist()
    [True, False]
    >>> phase = pd.DataFrame({"I.duration": [2.0, 6.0], "I.broke": [True, False]})
    >>> metric_values(phase, "holds_at:3").tolist()
    [False, True]
    """
    if metric in OUTCOMES:
        return (runs["outcome"] == metric).to_numpy()
    month = holds_at_month(metric)
    if month is not None:
        try:
            return holds_at(runs, month)
        except ValueError as e:
            raise ValueError(f"metric {metric!r}: {e}") from None
    if metric.startswith("sign:"):
        parts = metric.split(":")
        column = f"{parts[1]}.{parts[2]}.decision" if len(parts) == 3 else ""
        if column not in runs.columns:
            signers = sorted(f"sign:{c.rsplit('.', 2)[0]}:{c.rsplit('.', 2)[1]}"
                             for c in map(str, runs.columns) if c.endswith(".decision"))
            raise ValueError(f"metric {metric!r}: no such round and participant; expected "
                             f"sign:ROUND:ACTOR, one of {signers}")
        return (runs[column] == "sign").to_numpy()
    if metric in runs.columns and pd.api.types.is_bool_dtype(runs[metric]):
        return runs[metric].to_numpy(dtype=bool)
    raise ValueError(f"metric must be 'holds' (or another boolean column), an outcome category "
                     f"({', '.join(OUTCOMES)}), sign:ROUND:ACTOR or holds_at:M, got {metric!r}")


def metric_words(metric: str, deal: str = "the deal") -> str:
    """Put a metric of :func:`metric_values` in words (``deal``: the scenario's deal).

    Examples
    --------
    >>> metric_words("holds"), metric_words("signed_and_holds"), metric_words("sign:moscow:LNA")
    ('the final text holds', 'signed and holds', 'LNA signs at moscow')
    >>> metric_words("holds_at:1"), metric_words("holds_at:3", "the ceasefire")
    ('the deal still holds after 1 month', 'the ceasefire still holds after 3 months')
    """
    if metric == "holds":
        return "the final text holds"
    if metric.startswith(HOLDS_AT) and metric[len(HOLDS_AT):].isdigit():
        m = int(metric[len(HOLDS_AT):])
        return f"{deal} still holds after {m} month{'s' if m != 1 else ''}"
    if metric.startswith("sign:") and metric.count(":") == 2:
        _, rnd, actor = metric.split(":")
        return f"{actor} signs at {rnd}"
    return as_words(metric)


def percent(p: float, digits: int = 0) -> str:
    """Format a probability as a percentage that never rounds to 0% or 100% unless it is.

    Examples
    --------
    >>> percent(0.42), percent(0.998), percent(0.9996), percent(1.0), percent(0.0004)
    ('42%', '99.8%', '>99.9%', '100%', '<0.1%')
    >>> percent(0.5, 1)
    '50.0%'
    """
    p = float(p)
    if p <= 0.0 or p >= 1.0:
        return f"{min(max(p, 0.0), 1.0):.{digits}%}"
    for d in (digits, digits + 1):
        text = f"{p:.{d}%}"
        if 0.0 < float(text[:-1]) < 100.0:
            return text
    lim = 10.0 ** -(digits + 1)
    return f"<{lim:g}%" if p < 0.5 else f">{100 - lim:g}%"


def fit_title(ax: Axes, text: str, chars_per_inch: float = 9.0) -> None:
    r"""Set the title of ``ax``, each line wrapped to the width of its figure.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from matplotlib.figure import Figure
    >>> ax = Figure(figsize=(4, 3)).add_subplot()
    >>> fit_title(ax, "Outcomes\n" + "a-very-long-scenario-name " * 3)
    >>> lines = ax.get_title().splitlines()
    >>> lines[0], len(lines), max(len(line) for line in lines) <= 36
    ('Outcomes', 4, True)
    """
    width = max(int(ax.figure.get_figwidth() * chars_per_inch), 20)
    lines = [textwrap.fill(line, width, break_on_hyphens=False) or line
             for line in text.split("\n")]
    ax.set_title("\n".join(lines))


def observed_outcome(scenario: Scenario | None) -> tuple[str, str] | None:
    """Return the observed outcome of the runs' deciding round, as ``(round, outcome)``.

    A run's outcome is read from the last round whose text is put to signature; this is
    the scenario's ``[[observed]]`` outcome for that round, if it records one.

    Examples
    --------
    >>> from negsim import load_scenario
    >>> observed_outcome(load_scenario("libya-2020"))
    ('moscow', 'partial_signature')
    >>> observed_outcome(None) is None
    True
    """
    if scenario is None:
        return None
    from negsim.scenario.kinds import round_kind

    signing = [e.id for e in scenario.timeline if round_kind(e.kind).signs_text]
    if not signing:
        return None
    for obs in scenario.observed:
        if obs.round == signing[-1] and obs.outcome is not None:
            return obs.round, obs.outcome
    return None
