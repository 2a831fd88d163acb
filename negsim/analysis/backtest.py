r"""Backtest: score the ensemble's predictions of what was observed.

:func:`backtest` simulates an ensemble of a scenario **with its observations removed**
(:meth:`~negsim.scenario.Scenario.without_observed`), so the predictions come from the
demands, capabilities and other numbers of the scenario and never from the ``observed``
records. Then it scores every observation (round, actor, decision or outcome, source).

Scores (each observation is a binary event: *what was observed happened*):

* **predicted probability** :math:`p`: the share of runs in which the observed thing
  happened. A decision ``sign``/``no_sign`` of actor A in mediated round R reads the column
  ``R.A.decision``; ``commit``/``no_commit`` of power A on commitment C at conference R
  reads ``R.C.A``; a round **outcome** reads the run's outcome *as of round R*: from the
  decisions of the last mediated round at or before R (none signed: ``no_agreement``; some:
  ``partial_signature``; all: ``signed_and_holds`` or ``signed_but_fragile`` according to
  the run's ``holds``, the only compliance verdict a run computes). For the last mediated
  round this is the run's ``outcome`` column.
* A dated observation of an implementation phase P at date D, ``holds`` or ``broken``
  (optionally by an actor), reads ``P.broke``, ``P.duration`` and ``P.broken_by``: D falls
  after ``m`` whole months of the phase, and the ceasefire had broken by D in the runs where
  it broke in month ``m`` or before. Each such observation is scored at its own date, so a
  scenario can record the same ceasefire at several dates.
* A dated observation that a patron A had been found breaching the embargo by D
  (``breached``), or had not (``kept``), reads ``P.m{t}.A.detected`` for the months
  :math:`t = 1, \dots, m`: A had been found in the runs where one of its deliveries of those
  months was detected. The table words it with the scenario's phrase (the named
  commitment's ``break``, else the patron's: "Russia: found to break the arms embargo by
  2020-06-01").
* A dated observation of the renewals of a deal with a term in phase P at D, ``renewed``
  or ``lapsed`` (optionally by an actor), reads ``P.renewed``, ``P.lapsed``,
  ``P.duration`` and ``P.broken_by``: with ``j`` renewal dates up to D, the deal had been
  renewed in the runs with at least ``j`` renewals agreed, and had lapsed in the runs
  where a participant did not renew it at a renewal round of month ``m`` or before. The
  table words it with the scenario's name of the deal ("renewal of the grain deal by
  2022-11-22").
* **Brier score** :math:`(1 - p)^2` (0 is perfect, 1 the worst).
* **log score** :math:`-\ln \max(p, \varepsilon)` with :math:`\varepsilon = 10^{-4}`
  (:data:`LOG_CLIP`), the clipping keeping the score finite when no run produced what was
  observed; with :math:`N` runs the smallest non-zero estimate is :math:`1/N`, so the clip
  only binds for ensembles of more than 10,000 runs or for events no run produced. 0 is
  perfect.

Baselines (no skill):

* **coin**: :math:`p = 0.5` for every observation (Brier 0.25, log score :math:`\ln 2`).
* **base rate**: :math:`p = (c + 1) / (n + K)`, the Laplace-smoothed frequency of the
  observed value among the *other* observations of the same kind in the scenario
  (leave-one-out: the scored observation is never used to predict itself). Kinds: sign
  decisions (:math:`K = 2` values), commitment decisions (:math:`K = 2`), ceasefire
  observations (:math:`K = 2`), embargo observations (:math:`K = 2`), renewal
  observations (:math:`K = 2`: ``renewed``, ``lapsed``), round outcomes (:math:`K = 4`);
  :math:`n` other observations of the kind, :math:`c` of them with the observed value.
  With no other observation of its kind it is :math:`1/K`, the uniform guess.

Examples
--------
>>> import negsim
>>> bt = backtest("libya-2020", runs=300, seed=0)
>>> [o for o in bt.to_frame()["observed"]]
['sign', 'no_sign', 'partial_signature']
>>> bt.brier <= bt.brier_coin
True
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from negsim._frozen import FrozenMap
from negsim._tables import format_table
from negsim.ensemble import simulate
from negsim.protocol.structure import structure
from negsim.scenario import OUTCOMES, Observation, Scenario, load_scenario
from negsim.scenario.kinds import deciding_kind, round_kind, round_kinds

__all__ = [
    "LOG_CLIP",
    "BacktestResult",
    "backtest",
    "base_rates",
    "observation_frame",
    "predicted_probabilities",
    "score",
]

LOG_CLIP = 1e-4
"""Smallest probability the log score uses: ``-log(max(p, LOG_CLIP))`` (see :func:`score`)."""

_SCORE_COLUMNS = ["round", "actor", "commitment", "kind", "observed", "source", "date",
                  "probability", "brier", "log_score", "base_rate", "brier_base_rate",
                  "log_score_base_rate", "brier_coin", "log_score_coin"]


def observation_frame(observed: tuple[Observation, ...] | list[Observation]) -> pd.DataFrame:
    """Return the observations as a DataFrame (round, actor, commitment, kind, observed, ...).

    Its columns: round, actor, commitment, kind, observed, source and date.

    ``kind`` is ``"sign"`` (sign/no_sign), ``"commit"`` (commit/no_commit), ``"ceasefire"``
    (holds/broken at a date of an implementation phase), ``"embargo"`` (breached/kept: a
    patron found delivering arms by a date, or not), ``"renewal"`` (renewed/lapsed: a deal
    with a term renewed at every renewal date by a date, or lapsed) or ``"outcome"``;
    ``date`` is the ISO date of a dated observation, else None.

    Examples
    --------
    >>> import negsim
    >>> observation_frame(negsim.load_scenario("libya-2020").observed)[["actor", "kind"]]
      actor     kind
    0   GNA     sign
    1   LNA     sign
    2   NaN  outcome
    """
    rows = []
    for o in observed:
        if o.outcome is not None:
            kind, value = "outcome", o.outcome
        else:
            kind, value = deciding_kind(o.decision).observation_kind_of(o.decision), o.decision
        rows.append({"round": o.round, "actor": o.actor, "commitment": o.commitment,
                     "kind": kind, "observed": value, "source": o.provenance.source,
                     "date": None if o.date is None else o.date.isoformat()})
    return pd.DataFrame(rows, columns=["round", "actor", "commitment", "kind", "observed",
                                       "source", "date"])


def _values(kind: str) -> int:
    """Return how many values an observation of this kind can take (``K``)."""
    if kind == "outcome":
        return len(OUTCOMES)
    values = [d for name in round_kinds() for d in round_kind(name).decisions
              if round_kind(name).observation_kind_of(d) == kind]
    if values:
        return len(values)
    raise ValueError(f"unknown observation kind {kind!r}")


def _round_outcome(runs: pd.DataFrame, scenario: Scenario, round_id: str) -> np.ndarray:
    order = [t.id for t in scenario.timeline]
    if round_id not in order:
        raise ValueError(f"observation: unknown round {round_id!r}")
    upto = order[: order.index(round_id) + 1]
    mediated = [t for t in scenario.timeline
                if t.id in upto and round_kind(t.kind).signs_text]
    n = len(runs)
    if not mediated:
        return np.full(n, "no_agreement", dtype=object)
    last = mediated[-1]
    signed = np.column_stack([(runs[f"{last.id}.{a}.decision"] == "sign").to_numpy()
                              for a in last.participants])
    holds = runs["holds"].to_numpy(dtype=bool)
    return np.where(signed.all(axis=1),
                    np.where(holds, "signed_and_holds", "signed_but_fragile"),
                    np.where(signed.any(axis=1), "partial_signature", "no_agreement"))


def predicted_probabilities(runs: pd.DataFrame, observations: pd.DataFrame,
                            scenario: Scenario) -> np.ndarray:
    """Return the share of runs in which each observation's observed value happened.

    Parameters
    ----------
    runs : pandas.DataFrame
        An ensemble's runs (the layout of :func:`negsim.sim.engine.simulate_runs`).
    observations : pandas.DataFrame
        From :func:`observation_frame`.
    scenario : Scenario
        For the timeline (which rounds are mediated, and their participants).

    Raises
    ------
    ValueError
        If the runs lack the column an observation needs.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load_scenario("libya-2020")
    >>> runs = pd.DataFrame({"moscow.GNA.decision": ["sign", "sign", "sign", "no_sign"],
    ...                      "moscow.LNA.decision": ["sign", "no_sign", "no_sign", "no_sign"],
    ...                      "holds": [True, True, False, True]})
    >>> predicted_probabilities(runs, observation_frame(s.observed), s).tolist()
    [0.75, 0.75, 0.5]
    """
    if len(runs) == 0:
        raise ValueError("cannot score against an empty ensemble")
    out = np.empty(len(observations))
    for i, row in enumerate(observations.itertuples(index=False)):
        if row.kind == "outcome":
            happened = _round_outcome(runs, scenario, row.round) == row.observed
        else:
            entries = [t for t in scenario.timeline if t.id == row.round]
            if not entries:
                raise ValueError(f"observation: unknown round {row.round!r}")
            entry = entries[0]
            commitment = None if pd.isna(row.commitment) else row.commitment
            kind = round_kind(entry.kind)
            if kind.dated:  # read at the observation's date
                actor = None if pd.isna(row.actor) else row.actor
                happened = kind.happened(runs, entry, actor, commitment, row.observed,
                                         date=_dt.date.fromisoformat(row.date))
            else:
                happened = kind.happened(runs, entry, row.actor, commitment, row.observed)
        out[i] = float(np.mean(happened))
    return out


def base_rates(observations: pd.DataFrame) -> np.ndarray:
    """Leave-one-out, Laplace-smoothed base rate of each observation's observed value.

    ``(c + 1) / (n + K)``: ``n`` other observations of the same kind, ``c`` of them with the
    same observed value, ``K`` possible values of the kind (2 for sign and commit decisions,
    4 for outcomes).

    Examples
    --------
    >>> obs = pd.DataFrame({"kind": ["sign", "sign", "sign", "outcome"],
    ...                     "observed": ["sign", "sign", "no_sign", "no_agreement"]})
    >>> base_rates(obs).tolist()  # 2/3, 2/3, 1/4 (= (0 + 1) / (2 + 2)), 1/4
    [0.5, 0.5, 0.25, 0.25]
    """
    out = np.empty(len(observations))
    kinds = observations["kind"].to_numpy()
    values = observations["observed"].to_numpy()
    for i in range(len(observations)):
        others = (kinds == kinds[i]) & (np.arange(len(kinds)) != i)
        c = int((values[others] == values[i]).sum())
        out[i] = (c + 1) / (int(others.sum()) + _values(kinds[i]))
    return out


def score(observations: pd.DataFrame, probability: Any) -> pd.DataFrame:
    """Score predictions of observations: Brier and log scores, with both baselines.

    Pure: the scores depend only on the two arguments.

    Parameters
    ----------
    observations : pandas.DataFrame
        From :func:`observation_frame` (columns ``kind`` and ``observed`` are used).
    probability : array of float
        Predicted probability of what was observed, one per observation, in [0, 1].

    Returns
    -------
    pandas.DataFrame
        ``observations`` plus ``probability``, ``brier``, ``log_score``, ``base_rate``,
        ``brier_base_rate``, ``log_score_base_rate``, ``brier_coin``, ``log_score_coin``.

    Examples
    --------
    >>> obs = pd.DataFrame({"kind": ["sign", "sign"], "observed": ["sign", "no_sign"]})
    >>> df = score(obs, [0.8, 0.0])
    >>> df["brier"].round(4).tolist(), df["log_score"].round(4).tolist()
    ([0.04, 1.0], [0.2231, 9.2103])
    >>> df["brier_coin"].tolist(), df["base_rate"].round(4).tolist()
    ([0.25, 0.25], [0.3333, 0.3333])
    """
    p = np.asarray(probability, dtype=float)
    if p.shape != (len(observations),):
        raise ValueError(f"need one probability per observation ({len(observations)}), "
                         f"got shape {p.shape}")
    if np.any(~np.isfinite(p)) or np.any(p < 0) or np.any(p > 1):
        raise ValueError("probabilities must be in [0, 1]")
    df = observations.copy()
    base = base_rates(observations)
    df["probability"] = p
    df["brier"] = (1.0 - p) ** 2
    df["log_score"] = -np.log(np.maximum(p, LOG_CLIP)) + 0.0  # + 0.0: no -0.0
    df["base_rate"] = base
    df["brier_base_rate"] = (1.0 - base) ** 2
    df["log_score_base_rate"] = -np.log(np.maximum(base, LOG_CLIP)) + 0.0
    df["brier_coin"] = 0.25
    df["log_score_coin"] = math.log(2.0)
    return df


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """Per-observation predictions and scores of a backtest, and how they were computed.

    Attributes
    ----------
    scores : pandas.DataFrame
        One row per observation (see :func:`score`); read it with :meth:`to_frame`.
    scenario_id : str
    scenario_fingerprint : str
        Fingerprint of the scenario *without* its observations (what was simulated).
    runs, seed : int
    method : str
        How predictions were made.
    parameters : FrozenMap
        The keyword arguments passed on to :func:`negsim.simulate`, and ``log_clip``.
    phrases : tuple of str
        Per observation, the scenario's words for the choice it observed where the table
        prints them (an embargo observation: the commitment's or the patron's break phrase,
        "break the arms embargo"; a renewal observation: the deal, "the grain deal"), else
        ``""``.

    Examples
    --------
    >>> bt = backtest("libya-2020", runs=200, seed=1)
    >>> bt.runs, bt.seed, len(bt.to_frame())
    (200, 1, 3)
    >>> bool(bt.brier == bt.to_frame()["brier"].mean()), bt.brier_coin
    (True, 0.25)
    >>> round(bt.log_score_coin, 4)
    0.6931
    >>> bool(bt.brier_base_rate == bt.to_frame()["brier_base_rate"].mean())
    True
    >>> bt.log_score < bt.log_score_base_rate
    True
    >>> bt.to_dict()["overall"]["observations"]
    3.0
    """

    scores: pd.DataFrame = field(repr=False)
    scenario_id: str
    scenario_fingerprint: str
    runs: int
    seed: int
    method: str = "ensemble share of runs; scenario simulated without its observations"
    parameters: FrozenMap = field(default_factory=FrozenMap)
    phrases: tuple[str, ...] = ()

    def _mean(self, column: str) -> float:
        return float(self.scores[column].mean())

    @property
    def brier(self) -> float:
        """Mean Brier score over the observations."""
        return self._mean("brier")

    @property
    def log_score(self) -> float:
        """Mean log score over the observations."""
        return self._mean("log_score")

    @property
    def brier_coin(self) -> float:
        """Mean Brier score of the coin baseline (0.25)."""
        return self._mean("brier_coin")

    @property
    def brier_base_rate(self) -> float:
        """Mean Brier score of the base-rate baseline."""
        return self._mean("brier_base_rate")

    @property
    def log_score_coin(self) -> float:
        """Mean log score of the coin baseline (ln 2)."""
        return self._mean("log_score_coin")

    @property
    def log_score_base_rate(self) -> float:
        """Mean log score of the base-rate baseline."""
        return self._mean("log_score_base_rate")

    def overall(self) -> dict[str, float]:
        """Mean scores of the model and of both baselines, and the number of observations.

        Examples
        --------
        >>> sorted(backtest("libya-2020", runs=100).overall())[:3]
        ['brier', 'brier_base_rate', 'brier_coin']
        """
        return {
            "observations": float(len(self.scores)),
            "brier": self.brier, "brier_coin": self.brier_coin,
            "brier_base_rate": self.brier_base_rate,
            "log_score": self.log_score, "log_score_coin": self.log_score_coin,
            "log_score_base_rate": self.log_score_base_rate,
        }

    def to_frame(self) -> pd.DataFrame:
        """Return the per-observation table as a DataFrame (a copy).

        Examples
        --------
        >>> backtest("libya-2020", runs=100).to_frame().columns[:6].tolist()
        ['round', 'actor', 'commitment', 'kind', 'observed', 'source']
        """
        return self.scores.copy()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: scenario, runs, seed, method, parameters, overall, observations."""
        obs = self.scores.astype(object).where(self.scores.notna(), None)
        return {
            "scenario": {"id": self.scenario_id, "fingerprint": self.scenario_fingerprint},
            "runs": self.runs, "seed": self.seed, "method": self.method,
            "parameters": dict(self.parameters), "overall": self.overall(),
            "observations": obs.to_dict(orient="records"),
        }

    def table(self) -> str:
        """Return a readable plain-text report (what ``negsim backtest`` prints).

        Examples
        --------
        >>> print(backtest("libya-2020", runs=100).table().splitlines()[0])
        Backtest of libya-2020: 100 runs, seed 0 (observations removed before simulating)
        """
        df = self.scores
        rows = []
        for i, r in enumerate(df.itertuples(index=False)):
            what = _who(r, self.phrases[i] if i < len(self.phrases) else "")
            rows.append([r.round, what, r.observed, r.source, r.probability,
                         r.brier, r.log_score, r.base_rate])
        body = format_table(["round", "who", "observed", "source", "P(observed)", "Brier",
                             "log score", "base rate"],
                            [[c if not isinstance(c, float) else f"{c:.3f}" for c in row]
                             for row in rows])
        overall = format_table(
            ["forecast", "mean Brier", "mean log score"],
            [["negsim ensemble", f"{self.brier:.3f}", f"{self.log_score:.3f}"],
             ["coin (0.5)", f"{self.brier_coin:.3f}", f"{self.log_score_coin:.3f}"],
             ["base rate", f"{self.brier_base_rate:.3f}", f"{self.log_score_base_rate:.3f}"]],
        )
        verdict = ("better than" if self.brier < min(self.brier_coin, self.brier_base_rate)
                   else "not better than")
        return "\n".join([
            f"Backtest of {self.scenario_id}: {self.runs:,} runs, seed {self.seed} "
            "(observations removed before simulating)", "",
            body, "", overall, "",
            f"Mean Brier score {verdict} both no-skill baselines over {len(df)} observations.",
            "Brier = (1 - P)^2, log score = -ln max(P, 1e-4); base rate = Laplace-smoothed "
            "share of the value among the other observations of the same kind.",
        ])


def backtest(scenario: Scenario | str, runs: int = 2000, seed: int = 0,
             **simulate_kwargs: Any) -> BacktestResult:
    """Simulate a scenario without its observations and score the observations.

    Parameters
    ----------
    scenario : Scenario, str or path
        A scenario with ``observed`` records (or a built-in name / TOML file).
    runs : int
        Ensemble size.
    seed : int
        Root seed.
    **simulate_kwargs
        Passed to :func:`negsim.simulate` (``processes``, ``chunk_size``, ...).

    Returns
    -------
    BacktestResult

    Raises
    ------
    ValueError
        If the scenario has no observations.

    Examples
    --------
    >>> bt = backtest("libya-2020", runs=300, seed=0)
    >>> bt.to_frame()[["actor", "observed"]].fillna("-").values.tolist()
    [['GNA', 'sign'], ['LNA', 'no_sign'], ['-', 'partial_signature']]
    """
    sc = load_scenario(scenario) if not isinstance(scenario, Scenario) else scenario
    if not sc.observed:
        raise ValueError(f"{sc.id}: the scenario has no [[observed]] records to backtest")
    blind = sc.without_observed()
    result = simulate(blind, runs=runs, seed=seed, **simulate_kwargs)
    obs = observation_frame(sc.observed)
    scores = score(obs, predicted_probabilities(result.runs, obs, blind))
    params = {k: v for k, v in simulate_kwargs.items() if k != "progress"}
    params["log_clip"] = LOG_CLIP
    return BacktestResult(scores=scores, scenario_id=sc.id,
                          scenario_fingerprint=blind.fingerprint(), runs=int(runs),
                          seed=int(seed), parameters=FrozenMap(params),
                          phrases=tuple(_phrase(sc, o) for o in sc.observed))


def _who(r: Any, phrase: str) -> str:
    """Return the "who" column of :meth:`BacktestResult.table` for one scored observation."""
    by = f" ({r.actor})" if isinstance(r.actor, str) else ""
    if r.kind == "sign":
        return str(r.actor)
    if r.kind == "commit":
        return f"{r.actor}: {r.commitment}"
    if r.kind == "outcome":
        return "(round outcome)"
    if r.kind == "embargo":
        return f"{r.actor}: found to {phrase or 'breach the embargo'} by {r.date}"
    if r.kind == "renewal":
        return f"renewal of {phrase or 'the deal'} by {r.date}{by}"
    return f"ceasefire on {r.date}{by}"


def _phrase(scenario: Scenario, o: Observation) -> str:
    """Return the scenario's words for what an embargo or renewal observation is about.

    For an embargo observation: the named commitment's break phrase, else the patron's (its
    own ``words.break``, else the break phrases of the scenario's ``embargo`` commitments);
    for a renewal observation, the deal (``words.deal``); else ``""``.
    """
    kind = (None if o.decision is None
            else deciding_kind(o.decision).observation_kind_of(o.decision))
    if kind == "renewal":
        return scenario.words.deal
    if kind != "embargo":
        return ""
    for c in scenario.commitments:
        if c.id == o.commitment:
            return c.break_phrase
    st = structure(scenario)
    return st.actor_break[st.actor_ids.index(o.actor)] if o.actor in st.actor_ids else ""
