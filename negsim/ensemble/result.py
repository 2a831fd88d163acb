"""The result of an ensemble: its runs, where they came from, and their summary.

:class:`EnsembleResult` is what :func:`negsim.ensemble.simulate` returns: the runs
DataFrame (one row per run, in run order), the scenario and seed, and metadata recording
the versions and how the runs were computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from negsim.ensemble.summary import Summary, report_words, summarize
from negsim.sim.results import FrozenMap

if TYPE_CHECKING:  # pragma: no cover
    from negsim.scenario import Scenario

__all__ = ["EnsembleResult"]

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
    >>> from negsim.ensemble import simulate
    >>> from negsim.scenario import OUTCOMES
    >>> res = simulate("libya-2020", runs=100, seed=1)
    >>> res  # doctest: +ELLIPSIS
    EnsembleResult(scenario_id='libya-2020', seed=1, n_runs=100, columns=...)
    >>> res.parameters[:2]
    ('actors.LNA.capability', 'actors.GNA.capability')
    >>> bool(res.runs["outcome"].isin(OUTCOMES).all())
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
            words=None if self.scenario is None else report_words(self.scenario),
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



def _jsonable(x: Any) -> Any:
    if isinstance(x, Mapping):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    return x
