"""Monte Carlo ensembles of a scenario: many runs, their outcome distribution, and sweeps.

:func:`simulate` plays ``runs`` runs of a scenario with the vectorised engine
(:func:`negsim.sim.engine.simulate_runs`) and returns an :class:`EnsembleResult`, whose
``runs`` DataFrame has one row per run and whose :meth:`~EnsembleResult.summary` gives the
probability of each outcome and of each actor signing, with Wilson 95% intervals.
:func:`sweep` repeats an ensemble at several values of one or more parameters, with common
random numbers, and :func:`sweep_summary` summarises it point by point.

Reproducibility: run ``i`` of root seed ``s`` draws all its randomness from
``numpy.random.default_rng(SeedSequence([s, i]))``. The runs are computed in chunks of
consecutive run indices (``chunk_size``) by an executor (:mod:`negsim.ensemble.executors`) and put
back in run order, so the DataFrame is the same whatever the executor, the number of
processes or the chunk size, and whether or not it was resumed from a results directory.

Resumable results: with ``results_dir``, every finished chunk is written to
``results_dir/chunk-<start>-<stop>.csv`` (``.parquet`` when pyarrow is installed) next to a
``manifest.json`` that records the scenario fingerprint, seed, number of runs, chunk size,
negsim version and the columns' dtypes. Running the same call again reads the finished
chunks instead of recomputing them; a directory made by a different call is refused.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import itertools
import json
import math
import os
import platform
import re
import sys
import textwrap
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np
import pandas as pd

from negsim.ensemble.executors import ChunkTask, Executor, ProcessExecutor, SerialExecutor, run_chunk
from negsim.sim.results import FrozenMap

if TYPE_CHECKING:  # pragma: no cover
    from negsim.scenario import Scenario

__all__ = [
    "commitment_columns",
    "decision_columns",
    "DEFAULT_CHUNK_SIZE",
    "OUTCOME_ORDER",
    "EnsembleResult",
    "Proportion",
    "ResultsDirectoryError",
    "Summary",
    "simulate",
    "summarize",
    "sweep",
    "sweep_summary",
    "wilson_interval",
]

#: Runs per chunk when ``chunk_size`` is not given (independent of the number of processes).
DEFAULT_CHUNK_SIZE = 5_000

#: Outcome categories, best first (the same as :data:`negsim.sim.engine.OUTCOMES`).
OUTCOME_ORDER = ("signed_and_holds", "signed_but_fragile", "partial_signature", "no_agreement")

_Z95 = 1.959963984540054
_MANIFEST = "manifest.json"
_MANIFEST_FORMAT = 1


# --------------------------------------------------------------------------------------
# Proportions and their intervals
# --------------------------------------------------------------------------------------
def wilson_interval(k: Any, n: Any, z: float = _Z95) -> tuple[Any, Any]:
    """Wilson score interval for a binomial proportion ``k / n``.

    Parameters
    ----------
    k : int or array of int
        Number of successes, ``0 <= k <= n``.
    n : int or array of int
        Number of trials, ``n >= 1``.
    z : float
        Standard normal quantile; the default gives a 95% interval.

    Returns
    -------
    (low, high) : tuple of float (or of arrays, for array input)
        The interval; exactly 0 below when ``k == 0`` and exactly 1 above when ``k == n``.

    Notes
    -----
    With ``p = k / n`` the interval is
    ``(p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``. Unlike the normal
    approximation it stays inside [0, 1] and keeps close to its nominal coverage for
    proportions near 0 or 1 (Wilson 1927; Brown, Cai and DasGupta 2001).

    Examples
    --------
    >>> lo, hi = wilson_interval(5, 10)
    >>> round(lo, 4), round(hi, 4)
    (0.2366, 0.7634)
    >>> wilson_interval(0, 10)[0], round(wilson_interval(0, 10)[1], 4)
    (0.0, 0.2775)
    """
    k_arr = np.asarray(k)
    n_arr = np.asarray(n)
    scalar = k_arr.ndim == 0 and n_arr.ndim == 0
    k_arr = k_arr.astype(float)
    n_arr = n_arr.astype(float)
    if np.any(n_arr < 1) or np.any(~np.isfinite(n_arr)):
        raise ValueError(f"wilson_interval: n must be a positive number of trials, got {n!r}")
    if np.any(k_arr < 0) or np.any(k_arr > n_arr) or np.any(~np.isfinite(k_arr)):
        raise ValueError(f"wilson_interval: k must be in [0, n], got k={k!r}, n={n!r}")
    if not z > 0:
        raise ValueError(f"wilson_interval: z must be positive, got {z!r}")
    p = k_arr / n_arr
    z2 = z * z
    denom = 1.0 + z2 / n_arr
    centre = (p + z2 / (2.0 * n_arr)) / denom
    half = z / denom * np.sqrt(p * (1.0 - p) / n_arr + z2 / (4.0 * n_arr * n_arr))
    low = np.where(k_arr == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(k_arr == n_arr, 1.0, np.clip(centre + half, 0.0, 1.0))
    if scalar:
        return float(low), float(high)
    return low, high


@dataclass(frozen=True)
class Proportion:
    """An estimated probability: ``count`` successes out of ``total`` runs.

    Attributes
    ----------
    count, total : int
    probability : float
        ``count / total``.
    low, high : float
        Wilson 95% interval.

    Examples
    --------
    >>> p = Proportion.of(30, 100)
    >>> p.probability, round(p.low, 3), round(p.high, 3)
    (0.3, 0.219, 0.396)
    """

    count: int
    total: int
    probability: float
    low: float
    high: float

    @classmethod
    def of(cls, count: int, total: int) -> Proportion:
        """Make the proportion ``count / total`` with its Wilson 95% interval."""
        low, high = wilson_interval(count, total)
        return cls(int(count), int(total), count / total, low, high)

    @property
    def interval(self) -> tuple[float, float]:
        """``(low, high)``."""
        return (self.low, self.high)


# --------------------------------------------------------------------------------------
# Reading the columns of a runs DataFrame
# --------------------------------------------------------------------------------------
def decision_columns(runs: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Mediated rounds: ``{round: {actor: column}}`` from ``R.<actor>.decision`` columns.

    Examples
    --------
    >>> import negsim
    >>> decision_columns(negsim.simulate("libya-2020", runs=2, seed=1).runs)
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
    >>> import negsim
    >>> cols = commitment_columns(negsim.simulate("libya-2020", runs=2, seed=1).runs)
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


def _label(name: str) -> str:
    return name.replace("_", " ")


def _require(runs: pd.DataFrame, *columns: str) -> None:
    missing = [c for c in columns if c not in runs.columns]
    if missing:
        raise ValueError(
            f"runs DataFrame lacks column(s) {missing}; expected the layout of "
            "negsim.sim.engine.simulate_runs"
        )


# --------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Summary:
    """What an ensemble says: outcome probabilities, who signs, who commits, what binds.

    Every probability is a :class:`Proportion` (count, total, probability and Wilson 95%
    interval) over all runs.

    Attributes
    ----------
    runs : int
        Number of runs.
    seed : int or None
        Root seed (None for a summary of a hand-made DataFrame).
    scenario_id, scenario_fingerprint : str or None
    outcomes : FrozenMap
        Outcome category -> Proportion, for all four categories in :data:`OUTCOME_ORDER`.
    sign_probability : FrozenMap
        Mediated round -> participant -> Proportion of runs in which it signed the final
        text (``decision == "sign"``).
    commit_probability : FrozenMap
        Conference -> commitment -> power -> Proportion of runs in which it committed.
    holds : Proportion
        Runs whose final text is self-enforcing (``holds``): no deviation, alone or joint,
        is profitable in the repeated compliance game. Computed for every run's text,
        signed or not.
    holds_if_signed : Proportion or None
        The same among runs in which every participant of the last mediated round signed
        (None if there were none).
    binding_constraints : tuple of (str, int)
        Each binding constraint and its number of runs, most frequent first.
    versions : FrozenMap
        Versions of negsim and its main dependencies.

    Examples
    --------
    >>> s = simulate("libya-2020", runs=200, seed=1).summary()
    >>> s.runs, s.seed, s.scenario_id
    (200, 1, 'libya-2020')
    >>> list(s.outcomes) == list(OUTCOME_ORDER)
    True
    >>> p = s.sign_probability["moscow"]["LNA"]  # a Proportion with its Wilson interval
    >>> p.low <= p.probability <= p.high
    True
    >>> s.to_frame().columns.tolist()[:4]
    ['quantity', 'round', 'item', 'actor']
    """

    runs: int
    seed: int | None
    scenario_id: str | None
    scenario_fingerprint: str | None
    outcomes: FrozenMap
    sign_probability: FrozenMap
    commit_probability: FrozenMap
    holds: Proportion
    holds_if_signed: Proportion | None
    binding_constraints: tuple[tuple[str, int], ...]
    versions: FrozenMap = field(default_factory=FrozenMap)

    @property
    def holds_probability(self) -> float:
        """Probability that the final text holds."""
        return self.holds.probability

    def outcome_probability(self, outcome: str) -> float:
        """Probability of one outcome category."""
        if outcome not in self.outcomes:
            raise KeyError(f"unknown outcome {outcome!r}; outcomes: {list(self.outcomes)}")
        return self.outcomes[outcome].probability

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (no timestamps or paths: the same seed, the same dict).

        Keys: ``scenario``, ``runs``, ``seed``, ``outcomes`` (category -> probability),
        ``sign_probability`` (round -> actor -> probability), ``commit_probability``
        (conference -> commitment -> power -> probability), ``holds_probability``,
        ``holds_if_signed``, ``intervals`` (the same keys, each value a ``[low, high]``
        Wilson 95% interval), ``counts`` (the same keys, numbers of runs),
        ``binding_constraints`` (constraint -> number of runs, most frequent first) and
        ``versions``.
        """

        def nest(m: Mapping[str, Any], leaf: Any) -> Any:
            if isinstance(m, Proportion):
                return leaf(m)
            return {k: nest(v, leaf) for k, v in m.items()}

        def p(x: Proportion) -> float:
            return x.probability

        def ci(x: Proportion) -> list[float]:
            return [x.low, x.high]

        def n(x: Proportion) -> int:
            return x.count

        his = self.holds_if_signed
        return {
            "scenario": {"id": self.scenario_id, "fingerprint": self.scenario_fingerprint},
            "runs": self.runs,
            "seed": self.seed,
            "outcomes": nest(self.outcomes, p),
            "sign_probability": nest(self.sign_probability, p),
            "commit_probability": nest(self.commit_probability, p),
            "holds_probability": self.holds.probability,
            "holds_if_signed": None if his is None else his.probability,
            "intervals": {
                "method": "wilson",
                "confidence": 0.95,
                "outcomes": nest(self.outcomes, ci),
                "sign_probability": nest(self.sign_probability, ci),
                "commit_probability": nest(self.commit_probability, ci),
                "holds_probability": ci(self.holds),
                "holds_if_signed": None if his is None else ci(his),
            },
            "counts": {
                "outcomes": nest(self.outcomes, n),
                "sign_probability": nest(self.sign_probability, n),
                "commit_probability": nest(self.commit_probability, n),
                "holds_probability": self.holds.count,
                "holds_if_signed": None if his is None else [his.count, his.total],
            },
            "binding_constraints": dict(self.binding_constraints),
            "versions": dict(self.versions),
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as indented JSON text (ending with a newline)."""
        return dumps_json(self.to_dict())

    def to_frame(self) -> pd.DataFrame:
        """Every estimate as one row of a tidy DataFrame.

        Columns: ``quantity`` (``outcome``, ``holds``, ``holds_if_signed``, ``sign`` or
        ``commit``), ``round``, ``item`` (outcome or commitment), ``actor``,
        ``probability``, ``low``, ``high``, ``count``, ``runs``.
        """
        rows: list[dict[str, Any]] = []

        def add(quantity: str, prop: Proportion, rnd: str = "", item: str = "",
                actor: str = "") -> None:
            rows.append({
                "quantity": quantity, "round": rnd, "item": item, "actor": actor,
                "probability": prop.probability, "low": prop.low, "high": prop.high,
                "count": prop.count, "runs": prop.total,
            })

        for name, prop in self.outcomes.items():
            add("outcome", prop, item=name)
        add("holds", self.holds)
        if self.holds_if_signed is not None:
            add("holds_if_signed", self.holds_if_signed)
        for rnd, by_actor in self.sign_probability.items():
            for actor, prop in by_actor.items():
                add("sign", prop, rnd=rnd, actor=actor)
        for rnd, by_commitment in self.commit_probability.items():
            for com, by_power in by_commitment.items():
                for actor, prop in by_power.items():
                    add("commit", prop, rnd=rnd, item=com, actor=actor)
        return pd.DataFrame(rows, columns=[
            "quantity", "round", "item", "actor", "probability", "low", "high", "count", "runs",
        ])

    def table(self, top_constraints: int = 5, width: int = 100) -> str:
        """Return a readable plain-text report (what ``negsim run`` prints).

        Parameters
        ----------
        top_constraints : int
            How many of the most frequent binding constraints to list.
        width : int
            Wrap the binding constraints' descriptions at this many characters.
        """
        sections: list[tuple[str, list[tuple[str, Proportion]]]] = [
            ("Outcome", [(_label(o), p) for o, p in self.outcomes.items()]),
        ]
        holds = [("the final text holds", self.holds)]
        if self.holds_if_signed is not None:
            holds.append((f"  if all signed ({self.holds_if_signed.total:,} runs)",
                          self.holds_if_signed))
        sections.append(("Compliance", holds))
        if self.sign_probability:
            sections.append(("Signing (round: actor)", [
                (f"{rnd}: {a}", p) for rnd, by in self.sign_probability.items()
                for a, p in by.items()
            ]))
        if self.commit_probability:
            sections.append(("Committing (conference: commitment: power)", [
                (f"{rnd}: {com}: {a}", p) for rnd, by_com in self.commit_probability.items()
                for com, by in by_com.items() for a, p in by.items()
            ]))
        w = max(len(label) for _, rows in sections for label, _ in rows)
        w = max(w, *(len(h) for h, _ in sections))
        head = f"{self.runs:,} runs" + ("" if self.seed is None else f", seed {self.seed}")
        lines = [f"Scenario {self.scenario_id}: {head}" if self.scenario_id else head]
        for header, rows in sections:
            lines += ["", f"{header:<{w}}  {'P':>6}  95% interval"]
            lines += [f"{label:<{w}}  {p.probability:6.3f}  [{p.low:.3f}, {p.high:.3f}]"
                      for label, p in rows]
        if self.binding_constraints:
            shown = self.binding_constraints[:top_constraints]
            of = (f" of {len(self.binding_constraints)}"
                  if len(shown) < len(self.binding_constraints) else "")
            lines += ["", f"Binding constraints (share of runs; top {len(shown)}{of})"]
            for text, count in shown:
                share = f"{count / self.runs:6.1%}"
                lines += textwrap.wrap(text, width=width, initial_indent=f"{share}  ",
                                       subsequent_indent=" " * 8) or [share]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


def summarize(
    runs: pd.DataFrame,
    *,
    seed: int | None = None,
    scenario_id: str | None = None,
    scenario_fingerprint: str | None = None,
    versions: Mapping[str, str] | None = None,
) -> Summary:
    """Summarise a runs DataFrame (the layout of :func:`negsim.sim.engine.simulate_runs`).

    Parameters
    ----------
    runs : pandas.DataFrame
        At least the columns ``outcome`` and ``holds``; the mediated rounds' decision
        columns (``R.<actor>.decision``), the conferences' commitment columns
        (``C.<commitment>.<power>`` with ``C.<commitment>.<power>.equilibrium``) and
        ``binding_constraint`` are used when present.
    seed, scenario_id, scenario_fingerprint, versions : optional
        Recorded in the summary.

    Returns
    -------
    Summary

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "outcome": ["signed_and_holds", "partial_signature", "partial_signature",
    ...                 "no_agreement"],
    ...     "holds": [True, False, True, False],
    ...     "moscow.GNA.decision": ["sign", "sign", "sign", "no_sign"],
    ...     "moscow.LNA.decision": ["sign", "no_sign", "no_sign", "no_sign"],
    ... })
    >>> s = summarize(df)
    >>> s.outcomes["partial_signature"].probability, s.holds_probability
    (0.5, 0.5)
    >>> s.sign_probability["moscow"]["GNA"].probability
    0.75
    """
    _require(runs, "outcome", "holds")
    n = len(runs)
    if n == 0:
        raise ValueError("cannot summarise an empty runs DataFrame")
    outcome = runs["outcome"].astype(str)
    unknown = sorted(set(outcome) - set(OUTCOME_ORDER))
    if unknown:
        raise ValueError(f"unknown outcome categories {unknown}; expected {OUTCOME_ORDER}")
    counts = outcome.value_counts()
    outcomes = FrozenMap({o: Proportion.of(int(counts.get(o, 0)), n) for o in OUTCOME_ORDER})
    holds = runs["holds"].to_numpy(dtype=bool)
    sign: dict[str, FrozenMap] = {}
    decisions = decision_columns(runs)
    for rnd, by_actor in decisions.items():
        sign[rnd] = FrozenMap({
            a: Proportion.of(int((runs[col] == "sign").sum()), n) for a, col in by_actor.items()
        })
    commit: dict[str, FrozenMap] = {}
    for rnd, by_com in commitment_columns(runs).items():
        commit[rnd] = FrozenMap({
            com: FrozenMap({
                a: Proportion.of(int(runs[col].to_numpy(dtype=bool).sum()), n)
                for a, col in by_power.items()
            })
            for com, by_power in by_com.items()
        })
    holds_if_signed = None
    if decisions:
        last = list(decisions.values())[-1]
        all_signed = np.logical_and.reduce([(runs[c] == "sign").to_numpy() for c in last.values()])
        n_signed = int(all_signed.sum())
        if n_signed:
            holds_if_signed = Proportion.of(int(holds[all_signed].sum()), n_signed)
    binding: tuple[tuple[str, int], ...] = ()
    if "binding_constraint" in runs.columns:
        vc = runs["binding_constraint"].astype(str).value_counts()
        binding = tuple(sorted(((str(k), int(v)) for k, v in vc.items()),
                               key=lambda kv: (-kv[1], kv[0])))
    return Summary(
        runs=n,
        seed=None if seed is None else int(seed),
        scenario_id=scenario_id,
        scenario_fingerprint=scenario_fingerprint,
        outcomes=outcomes,
        sign_probability=FrozenMap(sign),
        commit_probability=FrozenMap(commit),
        holds=Proportion.of(int(holds.sum()), n),
        holds_if_signed=holds_if_signed,
        binding_constraints=binding,
        versions=FrozenMap(versions or {}),
    )


# --------------------------------------------------------------------------------------
# EnsembleResult
# --------------------------------------------------------------------------------------
_PROVENANCE_KEYS = ("created", "executor", "chunk_size", "elapsed_seconds", "resumed_chunks",
                    "results_dir")


@dataclass(frozen=True, eq=False)
class EnsembleResult:
    """The runs of an ensemble and where they came from.

    Attributes
    ----------
    runs : pandas.DataFrame
        One row per run, in run order (columns: see :func:`negsim.sim.engine.simulate_runs`).
    scenario_id : str
    scenario_fingerprint : str
        Hash of the scenario's content (changes with any override).
    seed : int
        Root seed.
    n_runs : int
    metadata : FrozenMap
        ``seed``, ``scenario_id``, ``scenario_fingerprint``, ``parameters`` (the uncertain
        parameters' paths), ``versions`` (negsim, numpy, pandas, mesa, python), and how
        the runs were computed: ``executor``, ``chunk_size``, ``resumed_chunks``,
        ``elapsed_seconds``, ``created`` (UTC time).
    scenario : Scenario or None
        The scenario simulated (used by plots that need actors' positions).

    Notes
    -----
    Two results are equal when they hold identical runs of the same scenario, seed and
    versions; how they were computed (executor, chunking, time) is not compared.

    Examples
    --------
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> res  # doctest: +ELLIPSIS
    EnsembleResult(scenario_id='libya-2020', seed=1, n_runs=100, columns=...)
    >>> res.parameters[:2]
    ('actors.LNA.capability', 'actors.GNA.capability')
    >>> bool(res.runs["outcome"].isin(OUTCOME_ORDER).all())
    True
    >>> res == simulate("libya-2020", runs=100, seed=1, chunk_size=30)  # chunking is not compared
    True
    """

    runs: pd.DataFrame
    scenario_id: str
    scenario_fingerprint: str
    seed: int
    n_runs: int
    metadata: FrozenMap
    scenario: Scenario | None = field(default=None, repr=False)

    @property
    def parameters(self) -> tuple[str, ...]:
        """Dotted paths of the uncertain parameters sampled in every run."""
        return tuple(self.metadata.get("parameters", ()))

    def summary(self) -> Summary:
        """Outcome, signing and commitment probabilities with Wilson 95% intervals."""
        return summarize(
            self.runs,
            seed=self.seed,
            scenario_id=self.scenario_id,
            scenario_fingerprint=self.scenario_fingerprint,
            versions=self.metadata.get("versions"),
        )

    def _identity(self) -> dict[str, Any]:
        return {k: v for k, v in self.metadata.items() if k not in _PROVENANCE_KEYS}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EnsembleResult):
            return NotImplemented
        return (
            self.scenario_id == other.scenario_id
            and self.scenario_fingerprint == other.scenario_fingerprint
            and self.seed == other.seed
            and self.n_runs == other.n_runs
            and _jsonable(self._identity()) == _jsonable(other._identity())
            and self.runs.equals(other.runs)
            and list(self.runs.dtypes) == list(other.runs.dtypes)
        )

    def __hash__(self) -> int:
        return hash((self.scenario_fingerprint, self.seed, self.n_runs))

    def __repr__(self) -> str:
        return (f"EnsembleResult(scenario_id={self.scenario_id!r}, seed={self.seed}, "
                f"n_runs={self.n_runs}, columns={self.runs.shape[1]})")


_NUMBER_PAIR = re.compile(r"\[\s+(-?[\d.eE+-]+|null),\s+(-?[\d.eE+-]+|null)\s+\]")


def dumps_json(data: Any) -> str:
    """Indented JSON with ``[low, high]`` pairs on one line, ending with a newline.

    Deterministic: the same data gives the same text. NaN and infinities are refused.

    Examples
    --------
    >>> print(dumps_json({"p": 0.5, "interval": [0.25, 0.75]}), end="")
    {
      "p": 0.5,
      "interval": [0.25, 0.75]
    }
    """
    text = json.dumps(data, indent=2, allow_nan=False)
    return _NUMBER_PAIR.sub(r"[\1, \2]", text) + "\n"


def _jsonable(x: Any) -> Any:
    if isinstance(x, Mapping):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    return x


def versions() -> dict[str, str]:
    """Versions of negsim and the packages its results depend on (without importing mesa).

    Examples
    --------
    >>> sorted(versions())
    ['mesa', 'negsim', 'numpy', 'pandas', 'python']
    """
    import negsim

    try:
        mesa_version = importlib.metadata.version("mesa")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        mesa_version = "not installed"
    return {
        "negsim": negsim.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "mesa": mesa_version,
        "python": platform.python_version(),
    }


# --------------------------------------------------------------------------------------
# Resumable results directory
# --------------------------------------------------------------------------------------
class ResultsDirectoryError(ValueError):
    """A results directory belongs to a different ensemble, or holds a damaged chunk."""


def _parquet_available() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class _ChunkStore:
    """Finished chunks of one ensemble in a directory, with a manifest."""

    def __init__(self, directory: str | os.PathLike[str], identity: dict[str, Any],
                 scenario_toml: str | None = None) -> None:
        self.directory = Path(directory)
        self.identity = identity
        path = self.directory / _MANIFEST
        if path.exists():
            try:
                manifest = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as err:
                raise ResultsDirectoryError(f"{path}: unreadable manifest ({err})") from err
            theirs = manifest.get("ensemble", {})
            diff = [
                f"{k}: directory has {theirs.get(k)!r}, this call has {v!r}"
                for k, v in identity.items() if theirs.get(k) != v
            ]
            if diff:
                raise ResultsDirectoryError(
                    f"{self.directory} holds results of a different ensemble; refusing to mix "
                    "them (use another results directory, or the same arguments):\n  "
                    + "\n  ".join(diff)
                )
            self.storage = str(manifest.get("storage", "csv"))
            cols = manifest.get("columns")
            self.columns: list[tuple[str, str]] | None = (
                [(str(c), str(d)) for c, d in cols] if cols else None
            )
        else:
            if self.directory.exists() and any(self.directory.glob("chunk-*")):
                raise ResultsDirectoryError(
                    f"{self.directory} has chunk files but no {_MANIFEST}; refusing to use them"
                )
            self.directory.mkdir(parents=True, exist_ok=True)
            self.storage = "parquet" if _parquet_available() else "csv"
            self.columns = None
            self._write_manifest()
            if scenario_toml is not None:
                _atomic_write_text(self.directory / "scenario.toml", scenario_toml)

    def _write_manifest(self) -> None:
        manifest = {
            "format": _MANIFEST_FORMAT,
            "ensemble": self.identity,
            "storage": self.storage,
            "columns": self.columns,
        }
        _atomic_write_text(self.directory / _MANIFEST, json.dumps(manifest, indent=2) + "\n")

    def path(self, start: int, stop: int) -> Path:
        return self.directory / f"chunk-{start}-{stop}.{self.storage}"

    def has(self, start: int, stop: int) -> bool:
        return self.path(start, stop).exists()

    def dtypes(self) -> dict[str, Any]:
        assert self.columns is not None
        return {c: pd.api.types.pandas_dtype(d) for c, d in self.columns}

    def read(self, start: int, stop: int) -> pd.DataFrame:
        path = self.path(start, stop)
        if self.columns is None:
            raise ResultsDirectoryError(f"{path}: the manifest records no columns")
        dtypes = self.dtypes()
        try:
            if self.storage == "parquet":
                df = pd.read_parquet(path)
            else:
                df = _read_csv(path, dtypes)
            df = df.astype(dtypes)
        except (OSError, ValueError, TypeError, KeyError) as err:
            raise ResultsDirectoryError(
                f"{path}: damaged chunk ({err}); delete it to recompute it"
            ) from err
        names = [c for c, _ in self.columns]
        runs = np.arange(start, stop)
        if (list(df.columns) != names or len(df) != stop - start
                or not np.array_equal(df["run"].to_numpy(), runs)):
            raise ResultsDirectoryError(
                f"{path}: chunk does not hold runs {start}-{stop} with the manifest's columns; "
                "delete it to recompute it"
            )
        return df

    def write(self, start: int, stop: int, df: pd.DataFrame) -> None:
        columns = [(str(c), str(d)) for c, d in df.dtypes.items()]
        if self.columns is None:
            self.columns = columns
            self._write_manifest()
        elif columns != self.columns:
            raise ResultsDirectoryError(
                f"{self.directory}: chunk {start}-{stop} has different columns or dtypes "
                "than the manifest records"
            )
        path = self.path(start, stop)
        tmp = path.with_name(path.name + ".tmp")
        if self.storage == "parquet":
            df.to_parquet(tmp, index=False)
        else:
            for col, dtype in df.dtypes.items():
                if _is_text(dtype) and not all(isinstance(v, str) for v in df[col]):
                    raise ResultsDirectoryError(
                        f"column {col!r} holds missing values or non-string objects, which a "
                        "CSV chunk cannot store exactly"
                    )
            df.to_csv(tmp, index=False)
        os.replace(tmp, path)


def _is_text(dtype: Any) -> bool:
    return not (pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype))


def _read_csv(path: Path, dtypes: Mapping[str, Any]) -> pd.DataFrame:
    """Read a CSV chunk back with exactly the dtypes it was written with."""
    read_dtype: dict[str, Any] = {}
    na_values: dict[str, list[str]] = {}
    for col, dtype in dtypes.items():
        if pd.api.types.is_bool_dtype(dtype):
            read_dtype[col] = bool
        elif pd.api.types.is_integer_dtype(dtype):
            read_dtype[col] = dtype
        elif pd.api.types.is_float_dtype(dtype):
            read_dtype[col] = dtype
            na_values[col] = [""]
        else:  # strings: no value means a missing value, "" and "NA" are strings
            read_dtype[col] = object
    kwargs: dict[str, Any] = {}
    if int(pd.__version__.split(".")[0]) < 3:  # pragma: no cover - pandas 2 needs it
        kwargs["float_precision"] = "round_trip"
    return pd.read_csv(path, dtype=read_dtype, keep_default_na=False, na_values=na_values,
                       **kwargs)


# --------------------------------------------------------------------------------------
# Progress bar
# --------------------------------------------------------------------------------------
class _Progress:
    """A minimal tqdm-style progress bar on a terminal stream (silent when not a TTY)."""

    def __init__(self, total: int, desc: str = "runs", *, enabled: bool = True,
                 stream: TextIO | None = None, initial: int = 0, delay: float = 0.5) -> None:
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(enabled and callable(isatty) and isatty())
        self.total = max(int(total), 1)
        self.n = int(initial)
        self.desc = desc
        self.start = time.monotonic()
        self.delay = delay
        self.last = 0.0
        self.shown = False

    def update(self, k: int) -> None:
        self.n += int(k)
        now = time.monotonic()
        if self.enabled and now - self.start >= self.delay and (
            now - self.last >= 0.1 or self.n >= self.total
        ):
            self._render(now)

    def _render(self, now: float) -> None:
        frac = min(self.n / self.total, 1.0)
        width = 24
        filled = int(frac * width)
        elapsed = now - self.start
        rate = self.n / elapsed if elapsed > 0 else 0.0
        self.stream.write(
            f"\r{self.desc}: {frac:4.0%} |{'#' * filled}{'.' * (width - filled)}| "
            f"{self.n:,}/{self.total:,} runs [{elapsed:5.1f}s, {rate:,.0f} runs/s]"
        )
        self.stream.flush()
        self.shown = True
        self.last = now

    def close(self) -> None:
        if self.shown:
            self._render(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()


# --------------------------------------------------------------------------------------
# simulate
# --------------------------------------------------------------------------------------
def _resolve_scenario(scenario: Any) -> Scenario:
    if isinstance(scenario, str | os.PathLike):
        from negsim.scenario import load_scenario

        return load_scenario(os.fspath(scenario))
    if not callable(getattr(scenario, "fingerprint", None)):
        raise TypeError(
            f"expected a Scenario, a built-in scenario name or a path, got {type(scenario)!r}"
        )
    return scenario


def _check_int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


@dataclass(frozen=True)
class _Job:
    scenario: Any
    seed: int
    runs: int
    chunk_size: int
    store: _ChunkStore | None

    def chunks(self) -> list[tuple[int, int]]:
        return [(a, min(a + self.chunk_size, self.runs))
                for a in range(0, self.runs, self.chunk_size)]


@contextmanager
def _executor_scope(executor: Executor | None, processes: int | None) -> Iterator[Executor]:
    """Yield the executor to use; one made here (from ``processes``) is closed at the end."""
    if executor is not None:
        if processes is not None:
            raise ValueError("give either executor or processes, not both")
        if not isinstance(executor, Executor):
            raise TypeError(f"executor must implement negsim.ensemble.executors.Executor, got {executor!r}")
        yield executor
        return
    if processes is not None:
        processes = _check_int("processes", processes, 1)
    own: Executor = (
        ProcessExecutor(processes) if processes is not None and processes > 1 else SerialExecutor()
    )
    try:
        yield own
    finally:
        own.close()


def _execute(jobs: Sequence[_Job], executor: Executor, progress: bool,
             desc: str = "negsim") -> tuple[list[pd.DataFrame], list[int]]:
    """Compute (or read back) every chunk of every job; return each job's runs in order."""
    done: list[dict[int, pd.DataFrame]] = [{} for _ in jobs]
    resumed = [0 for _ in jobs]
    todo: list[tuple[int, int, int]] = []
    n_done = 0
    for j, job in enumerate(jobs):
        for start, stop in job.chunks():
            if job.store is not None and job.store.has(start, stop):
                done[j][start] = job.store.read(start, stop)
                resumed[j] += 1
                n_done += stop - start
            else:
                todo.append((j, start, stop))
    bar = _Progress(sum(job.runs for job in jobs), desc, enabled=progress, initial=n_done)
    from negsim.ensemble import executors

    tasks = [ChunkTask(jobs[j].scenario, jobs[j].seed, start, stop, executors.ENGINE)
             for j, start, stop in todo]
    try:
        for i, df in executor.map_unordered(run_chunk, tasks):
            j, start, stop = todo[i]
            store = jobs[j].store
            if store is not None:
                store.write(start, stop, df)
            done[j][start] = df
            bar.update(stop - start)
    finally:
        bar.close()
    frames = []
    for j, job in enumerate(jobs):
        parts = [done[j][start] for start, _ in job.chunks()]
        df = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        if len(parts) == 1:
            df = df.reset_index(drop=True)
        if job.store is not None and job.store.columns is not None:
            df = df.astype(job.store.dtypes())
        frames.append(df)
    return frames, resumed


def _identity(scenario: Any, seed: int, runs: int, chunk_size: int) -> dict[str, Any]:
    return {
        "scenario_id": scenario.id,
        "scenario_fingerprint": scenario.fingerprint(),
        "seed": seed,
        "runs": runs,
        "chunk_size": chunk_size,
        "negsim_version": versions()["negsim"],
    }


def _store_for(scenario: Any, seed: int, runs: int, chunk_size: int,
               directory: str | os.PathLike[str] | None) -> _ChunkStore | None:
    if directory is None:
        return None
    toml = scenario.to_toml() if callable(getattr(scenario, "to_toml", None)) else None
    return _ChunkStore(directory, _identity(scenario, seed, runs, chunk_size), toml)


def simulate(
    scenario: Any,
    runs: int = 10_000,
    seed: int = 0,
    *,
    executor: Executor | None = None,
    processes: int | None = None,
    chunk_size: int | None = None,
    results_dir: str | os.PathLike[str] | None = None,
    progress: bool = False,
) -> EnsembleResult:
    """Simulate an ensemble of runs of a scenario.

    Parameters
    ----------
    scenario : Scenario, str or path
        A scenario, the name of a built-in scenario (e.g. ``"libya-2020"``) or a TOML file.
    runs : int
        Number of runs (run indices ``0 .. runs - 1``).
    seed : int
        Root seed; run ``i`` uses ``SeedSequence([seed, i])``.
    executor : Executor, optional
        Where to compute the chunks (:mod:`negsim.ensemble.executors`); default serial. Not closed
        here: the caller owns it.
    processes : int, optional
        Shortcut for ``executor=ProcessExecutor(processes)`` (closed at the end); 1 or
        None means serial.
    chunk_size : int, optional
        Runs per task (default :data:`DEFAULT_CHUNK_SIZE`). The results do not depend on it.
    results_dir : path, optional
        Write finished chunks here and read them back on a rerun with the same arguments
        (see the module docstring). Raises :class:`ResultsDirectoryError` if the directory
        holds a different ensemble.
    progress : bool
        Show a progress bar on stderr (only when stderr is a terminal).

    Returns
    -------
    EnsembleResult

    Examples
    --------
    >>> res = simulate("libya-2020", runs=200, seed=1)
    >>> res.n_runs, list(res.runs["run"][:3])
    (200, [0, 1, 2])
    >>> s = res.summary()
    >>> round(sum(s.to_dict()["outcomes"].values()), 12)
    1.0
    """
    sc = _resolve_scenario(scenario)
    runs = _check_int("runs", runs, 1)
    seed = _check_int("seed", seed, 0)
    chunk = _check_int("chunk_size", DEFAULT_CHUNK_SIZE if chunk_size is None else chunk_size, 1)
    store = _store_for(sc, seed, runs, chunk, results_dir)
    t0 = time.perf_counter()
    with _executor_scope(executor, processes) as ex:
        frames, resumed = _execute([_Job(sc, seed, runs, chunk, store)], ex, progress,
                                   desc=sc.id)
        name = ex.name
    return _result(sc, seed, frames[0], name, chunk, resumed[0], time.perf_counter() - t0,
                   results_dir)


def _result(sc: Any, seed: int, df: pd.DataFrame, executor: str, chunk: int, resumed: int,
            elapsed: float, results_dir: str | os.PathLike[str] | None) -> EnsembleResult:
    fingerprint = sc.fingerprint()
    metadata = FrozenMap({
        "seed": seed,
        "scenario_id": sc.id,
        "scenario_fingerprint": fingerprint,
        "parameters": tuple(u.parameter for u in sc.uncertainty),
        "versions": FrozenMap(versions()),
        "executor": executor,
        "chunk_size": chunk,
        "resumed_chunks": resumed,
        "elapsed_seconds": elapsed,
        "results_dir": None if results_dir is None else os.fspath(results_dir),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    })
    return EnsembleResult(runs=df, scenario_id=sc.id, scenario_fingerprint=fingerprint,
                          seed=seed, n_runs=len(df), metadata=metadata, scenario=sc)


# --------------------------------------------------------------------------------------
# sweep
# --------------------------------------------------------------------------------------
def _sweep_points(parameters: Mapping[str, Sequence[float]], grid: bool) -> list[tuple[float, ...]]:
    if not isinstance(parameters, Mapping) or not parameters:
        raise ValueError("parameters must be a non-empty dict of path -> list of values")
    lists = []
    for path, values in parameters.items():
        if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
            raise ValueError(f"sweep: values of {path!r} must be a list, got {values!r}")
        vals = [float(v) for v in values]
        if not vals:
            raise ValueError(f"sweep: no values given for {path!r}")
        if not all(math.isfinite(v) for v in vals):
            raise ValueError(f"sweep: values of {path!r} must be finite numbers, got {vals}")
        lists.append(vals)
    if grid:
        return list(itertools.product(*lists))
    lengths = {len(v) for v in lists}
    if len(lengths) != 1:
        raise ValueError(
            "sweep with grid=False zips the value lists, which must have equal lengths; got "
            + ", ".join(f"{p}: {len(v)}" for p, v in zip(parameters, lists, strict=True))
        )
    return list(zip(*lists, strict=True))


def sweep(
    scenario: Any,
    parameters: Mapping[str, Sequence[float]],
    runs: int = 1_000,
    seed: int = 0,
    grid: bool = True,
    *,
    executor: Executor | None = None,
    processes: int | None = None,
    chunk_size: int | None = None,
    results_dir: str | os.PathLike[str] | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Simulate an ensemble at each point of a parameter sweep.

    Every point uses the same root seed and run indices (common random numbers), so runs
    differ between points only through the swept values: differences between points are
    not sampling noise of independent draws. A swept parameter takes the swept value in
    every run, even if the scenario gives it an uncertainty distribution
    (:meth:`Scenario.with_overrides` pins it); the other uncertain parameters are sampled as
    usual, with the same values at every point.

    Parameters
    ----------
    scenario : Scenario, str or path
    parameters : dict
        Dotted parameter path (as in ``Scenario.with_overrides``) -> list of values.
    runs, seed : int
        Runs per point and root seed.
    grid : bool
        True: every combination of the values (in the dict's order, the last parameter
        varying fastest). False: zip the lists (which must have equal lengths).
    executor, processes, chunk_size, progress
        As in :func:`simulate`; the chunks of all points are sent to the executor together.
    results_dir : path, optional
        Each point's chunks go to ``results_dir/point-<i>`` (resumable as in
        :func:`simulate`).

    Returns
    -------
    pandas.DataFrame
        Tidy: one row per (point, run). Columns ``point``, then one column per swept path
        holding its value at the point, then the columns of :func:`simulate`'s runs.

    Examples
    --------
    >>> df = sweep("libya-2020", {"model.rationality": [1.0, 8.0]}, runs=50, seed=2)
    >>> df.groupby("point")["model.rationality"].first().tolist()
    [1.0, 8.0]
    >>> len(df)
    100
    """
    sc = _resolve_scenario(scenario)
    runs = _check_int("runs", runs, 1)
    seed = _check_int("seed", seed, 0)
    chunk = _check_int("chunk_size", DEFAULT_CHUNK_SIZE if chunk_size is None else chunk_size, 1)
    paths = [str(p) for p in parameters] if isinstance(parameters, Mapping) else []
    points = _sweep_points(parameters, grid)
    jobs = []
    for i, values in enumerate(points):
        overrides = dict(zip(paths, values, strict=True))
        try:
            variant = sc.with_overrides(overrides)
        except (ValueError, KeyError) as err:
            raise ValueError(f"sweep point {i} {overrides}: {err}") from err
        directory = None if results_dir is None else Path(results_dir) / f"point-{i}"
        jobs.append(_Job(variant, seed, runs, chunk, _store_for(variant, seed, runs, chunk,
                                                                  directory)))
    with _executor_scope(executor, processes) as ex:
        frames, _ = _execute(jobs, ex, progress, desc=f"{sc.id} sweep")
    out = []
    for i, (values, df) in enumerate(zip(points, frames, strict=True)):
        head = pd.DataFrame({"point": np.full(len(df), i, dtype=np.int64)})
        for path, value in zip(paths, values, strict=True):
            head[path] = np.full(len(df), value, dtype=float)
        out.append(pd.concat([head, df], axis=1))
    result = pd.concat(out, ignore_index=True)
    result.attrs["sweep"] = {
        "parameters": paths, "grid": bool(grid), "runs": runs, "seed": seed,
        "scenario_id": sc.id, "scenario_fingerprint": sc.fingerprint(),
    }
    return result


def sweep_parameters(df: pd.DataFrame) -> list[str]:
    """Return the swept parameter columns of a :func:`sweep` DataFrame.

    They are the columns between ``point`` and ``run``.


    Examples
    --------
    >>> sweep_parameters(pd.DataFrame(columns=["point", "model.rationality", "run", "seed"]))
    ['model.rationality']
    """
    cols = [str(c) for c in df.columns]
    if "point" not in cols or "run" not in cols or cols.index("point") > cols.index("run"):
        raise ValueError("not a sweep DataFrame: expected columns 'point', swept values, 'run'")
    return cols[cols.index("point") + 1 : cols.index("run")]


def sweep_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per sweep point: outcome probabilities and the probability the text holds.

    Parameters
    ----------
    df : pandas.DataFrame
        A :func:`sweep` result.

    Returns
    -------
    pandas.DataFrame
        One row per point: ``point``, the swept values, ``runs``, then for each outcome
        ``outcome.<category>`` with ``outcome.<category>.low`` / ``.high`` (Wilson 95%),
        and ``holds_probability`` with ``holds_probability.low`` / ``.high``.

    Examples
    --------
    >>> df = pd.DataFrame({"point": [0, 0, 1, 1], "x": [0.0, 0.0, 1.0, 1.0],
    ...                    "run": [0, 1, 0, 1], "holds": [False, False, True, False],
    ...                    "outcome": ["no_agreement"] * 2 + ["signed_and_holds",
    ...                                                      "partial_signature"]})
    >>> sweep_summary(df)[["point", "x", "holds_probability"]]
       point    x  holds_probability
    0      0  0.0                0.0
    1      1  1.0                0.5
    """
    params = sweep_parameters(df)
    _require(df, "outcome", "holds")
    rows = []
    for point, g in df.groupby("point", sort=True):
        n = len(g)
        row: dict[str, Any] = {"point": int(point)}
        for p in params:
            row[p] = float(g[p].iloc[0])
        row["runs"] = n
        counts = g["outcome"].astype(str).value_counts()
        for o in OUTCOME_ORDER:
            k = int(counts.get(o, 0))
            lo, hi = wilson_interval(k, n)
            row[f"outcome.{o}"] = k / n
            row[f"outcome.{o}.low"] = lo
            row[f"outcome.{o}.high"] = hi
        k = int(g["holds"].to_numpy(dtype=bool).sum())
        lo, hi = wilson_interval(k, n)
        row["holds_probability"] = k / n
        row["holds_probability.low"] = lo
        row["holds_probability.high"] = hi
        rows.append(row)
    return pd.DataFrame(rows)
