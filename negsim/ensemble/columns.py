"""Readers of a runs DataFrame: which columns hold the rounds' decisions and commitments.

A runs DataFrame (the layout of :func:`negsim.sim.engine.simulate_runs`, one row per run)
names its columns after the scenario's timeline; these functions find them again.
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "commitment_columns",
    "decision_columns",
    "implementation_summary_columns",
    "require_columns",
    "summary_columns",
]


def decision_columns(runs: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Mediated rounds: ``{round: {actor: column}}`` from ``R.<actor>.decision`` columns.

    Examples
    --------
    >>> from negsim.ensemble import simulate
    >>> decision_columns(simulate("libya-2020", runs=2, seed=1).runs)
    {'moscow': {'GNA': 'moscow.GNA.decision', 'LNA': 'moscow.LNA.decision'}}
    """
    out: dict[str, dict[str, str]] = {}
    for col in runs.columns:
        parts = str(col).split(".")
        if len(parts) == 3 and parts[2] == "decision":
            out.setdefault(parts[0], {})[parts[1]] = str(col)
    return out


def commitment_columns(runs: pd.DataFrame) -> dict[str, dict[str, dict[str, str]]]:
    """Conferences: ``{round: {commitment: {power: column}}}``.

    A commitment column ``C.<commitment>.<power>`` is recognised by its companion
    ``C.<commitment>.<power>.equilibrium``.

    Examples
    --------
    >>> from negsim.ensemble import simulate
    >>> cols = commitment_columns(simulate("libya-2020", runs=2, seed=1).runs)
    >>> cols["berlin"]["arms_embargo"]["UAE"]
    'berlin.arms_embargo.UAE'
    """
    names = {str(c) for c in runs.columns}
    out: dict[str, dict[str, dict[str, str]]] = {}
    for col in runs.columns:
        parts = str(col).split(".")
        if len(parts) == 4 and parts[3] == "equilibrium":
            base = ".".join(parts[:3])
            if base in names:
                out.setdefault(parts[0], {}).setdefault(parts[1], {})[parts[2]] = base
    return out


def require_columns(runs: pd.DataFrame, *columns: str) -> None:
    """Raise ``ValueError`` naming the columns of ``columns`` that ``runs`` lacks.

    Examples
    --------
    >>> df = pd.DataFrame({"outcome": ["no_agreement"]})
    >>> require_columns(df, "outcome")
    >>> require_columns(df, "outcome", "holds")
    Traceback (most recent call last):
    ...
    ValueError: runs DataFrame lacks column(s) ['holds']; expected the layout of ...
    """
    missing = [c for c in columns if c not in runs.columns]
    if missing:
        raise ValueError(
            f"runs DataFrame lacks column(s) {missing}; expected the layout of "
            "negsim.sim.engine.simulate_runs"
        )


def implementation_summary_columns(runs: pd.DataFrame) -> list[str]:
    """Return the implementation phases' columns a summary reads.

    ``I.duration``, ``I.broke``, ``I.broken_by``, ``I.reason`` and the monthly
    ``I.m<t>.<patron>.delivered`` columns (not the capabilities or detections), recognised
    by the ``.duration`` and ``.broke`` pair; with a term or suspensions also ``I.renewed``,
    ``I.suspended`` and the monthly ``I.m<t>.<party>.suspended``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame(columns=["a.duration", "a.broke", "a.broken_by", "a.reason",
    ...                            "a.m1.P.delivered", "a.m1.P.detected", "a.m1.X.capability"])
    >>> implementation_summary_columns(df)
    ['a.duration', 'a.broke', 'a.broken_by', 'a.reason', 'a.m1.P.delivered']
    """
    names = [str(c) for c in runs.columns]
    have = set(names)
    entries = {c[: -len(".duration")] for c in names
               if c.endswith(".duration") and c[: -len(".duration")] + ".broke" in have}
    out = []
    for c in names:
        entry, _, rest = c.partition(".")
        if entry in entries and (rest in ("duration", "broke", "broken_by", "reason",
                                          "renewed", "suspended")
                                 or (rest.startswith("m") and rest.endswith(
                                     (".delivered", ".suspended")))):
            out.append(c)
    return out


def summary_columns(runs: pd.DataFrame) -> list[str]:
    """Return the columns a summary reads (:func:`~negsim.ensemble.summary.summarize`).

    ``run``, ``outcome``, ``holds``, the decision columns, the commitment columns with
    their ``.equilibrium`` companions, and ``binding_constraint``: what an ensemble streamed
    to a file keeps in memory to be summarised.

    Examples
    --------
    >>> from negsim.ensemble import simulate
    >>> runs = simulate("libya-2020", runs=2, seed=1).runs
    >>> cols = summary_columns(runs)
    >>> len(cols), runs.shape[1], cols[:3]
    (130, 346, ['run', 'moscow.GNA.decision', 'moscow.LNA.decision'])
    """
    wanted = {"run", "outcome", "holds", "binding_constraint"}
    wanted.update(implementation_summary_columns(runs))
    for by_actor in decision_columns(runs).values():
        wanted.update(by_actor.values())
    for by_com in commitment_columns(runs).values():
        for by_power in by_com.values():
            for col in by_power.values():
                wanted.update((col, f"{col}.equilibrium"))
    return [str(c) for c in runs.columns if str(c) in wanted]
