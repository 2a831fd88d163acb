"""Summaries of an ensemble: outcome, signing and commitment probabilities with intervals.

:func:`summarize` reads a runs DataFrame (one row per run, the layout of
:func:`negsim.sim.engine.simulate_runs`) and returns a :class:`Summary`, whose every
probability is a :class:`Proportion` with its Wilson 95% interval (:func:`wilson_interval`;
both defined in :mod:`~negsim.ensemble.proportions` and re-exported here).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from negsim._tables import html_card, html_table, shorten
from negsim.ensemble.columns import commitment_columns, decision_columns, require_columns
from negsim.ensemble.implementation import implementation_fields, implementation_lines
from negsim.ensemble.proportions import Proportion, wilson_interval
from negsim.ensemble.provenance import dumps_json
from negsim.ensemble.survival import SurvivalCurve
from negsim.scenario import OUTCOMES
from negsim.scenario.effects import effect_kind
from negsim.sim.results import FrozenMap

__all__ = ["Proportion", "Summary", "report_words", "summarize", "wilson_interval"]


def _label(name: str) -> str:
    return name.replace("_", " ")



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
        Outcome category -> Proportion, for all four categories in
        :data:`negsim.scenario.OUTCOMES`.
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
    survival : SurvivalCurve or None
        With an implementation phase (:mod:`~negsim.ensemble.implementation`; None without):
        Kaplan–Meier probability that the ceasefire in force still holds after each month
        0..H, with Greenwood 95% bands.
    holds_at : FrozenMap
        Month (1, 3, 6, 12 within the horizon, and the horizon) -> Proportion of runs whose
        ceasefire still holds after it.
    first_breaker, break_reasons : FrozenMap
        Actor (or ``ACTOR/FACTION``) that broke the ceasefire first, and binding mechanism
        in words -> Proportion of all runs, most frequent first.
    embargo_kept : FrozenMap
        Month (1..H) -> patron -> Proportion of runs in which it delivered no arms.
    renewed_at, suspended : FrozenMap
        With a deal with a term (:mod:`~negsim.ensemble.renewals`): renewal round (1, 2,
        ...) -> Proportion of runs in which the deal was renewed at that renewal date; with
        suspensions: party -> Proportion of runs in which it suspended at least once.

    Examples
    --------
    >>> from negsim.ensemble import simulate
    >>> s = simulate("libya-2020", runs=200, seed=1).summary()
    >>> s.runs, s.seed, s.scenario_id
    (200, 1, 'libya-2020')
    >>> list(s.outcomes) == list(OUTCOMES)
    True
    >>> p = s.sign_probability["moscow"]["LNA"]  # a Proportion with its Wilson interval
    >>> p.low <= p.probability <= p.high
    True
    >>> s.to_frame().columns.tolist()[:4]
    ['quantity', 'round', 'item', 'actor']
    >>> s  # doctest: +ELLIPSIS
    Summary(scenario_id='libya-2020', runs=200, seed=1, signed_and_holds=0..., holds=0...)
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
    survival: SurvivalCurve | None = None
    holds_at: FrozenMap = field(default_factory=FrozenMap)
    first_breaker: FrozenMap = field(default_factory=FrozenMap)
    break_reasons: FrozenMap = field(default_factory=FrozenMap)
    embargo_kept: FrozenMap = field(default_factory=FrozenMap)
    renewed_at: FrozenMap = field(default_factory=FrozenMap)
    suspended: FrozenMap = field(default_factory=FrozenMap)
    words: FrozenMap = field(default_factory=FrozenMap, compare=False)

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
        ``versions``. With an implementation phase, also ``survival`` (month -> probability
        that the ceasefire still holds, months 0..H), ``embargo_kept`` (month -> patron
        -> probability that it delivered no arms, months 1..H) and ``broken_first`` (who
        broke it first, an actor or ``ACTOR/FACTION`` -> share of all runs, most frequent
        first, as the printed "Who breaks it first"; the runs in which it held to the
        horizon are left out), after ``holds_if_signed``; with a deal with a term,
        ``renewed_at`` (renewal round -> probability that the deal was renewed then) and,
        with suspensions, ``suspended`` (party -> probability that it suspended at least
        once) after them.
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
        out = {
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
        if self.survival is None:
            return out
        phase = {"survival": {str(m): p for m, p in self.survival.to_dict().items()},
                 "embargo_kept": {str(m): nest(by, p) for m, by in self.embargo_kept.items()},
                 "broken_first": nest(self.first_breaker, p)}
        if self.renewed_at:
            phase["renewed_at"] = {str(k): v.probability for k, v in self.renewed_at.items()}
        if self.suspended:
            phase["suspended"] = {a: v.probability for a, v in self.suspended.items()}
        items = list(out.items())
        at = list(out).index("holds_if_signed") + 1
        return dict(items[:at] + list(phase.items()) + items[at:])

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
        if self.survival is not None:
            for row in self.survival.to_frame().itertuples(index=False):
                rows.append({"quantity": "survival", "round": self.survival.entry,
                             "item": str(row.month), "actor": "", "probability": row.probability,
                             "low": row.low, "high": row.high, "count": row.at_risk,
                             "runs": self.runs})
            for quantity, by in (("holds_at", self.holds_at),
                                 ("first_breaker", self.first_breaker),
                                 ("break_reason", self.break_reasons)):
                for key, prop in by.items():
                    add(quantity, prop, rnd=self.survival.entry,
                        item="" if quantity == "first_breaker" else str(key),
                        actor=str(key) if quantity == "first_breaker" else "")
            for month, by_patron in self.embargo_kept.items():
                for actor, prop in by_patron.items():
                    add("embargo_kept", prop, rnd=self.survival.entry, item=str(month),
                        actor=actor)
            for k, prop in self.renewed_at.items():
                add("renewed_at", prop, rnd=self.survival.entry, item=str(k))
            for actor, prop in self.suspended.items():
                add("suspended", prop, rnd=self.survival.entry, actor=actor)
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
        said = self.words.get("holds", "the agreement holds")
        holds = [(f"{said} to the horizon" if self.survival else
                  "the final text holds", self.holds)]
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
        lines += implementation_lines(self._phase(), self.runs, top_constraints, width,
                                      words=self.words)
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

    def __repr__(self) -> str:
        shares = ", ".join(f"{o}={p.probability:.3f}" for o, p in self.outcomes.items())
        return (f"Summary(scenario_id={self.scenario_id!r}, runs={self.runs}, "
                f"seed={self.seed}, {shares}, holds={self.holds.probability:.3f})")

    def _repr_html_(self) -> str:
        def row(label: str, p: Proportion) -> list[object]:
            return [label, f"{p.probability:.3f}", f"[{p.low:.3f}, {p.high:.3f}]", p.count]

        head = ["", "P", "95% interval", "runs"]
        rows = [row(_label(o), p) for o, p in self.outcomes.items()]
        said = self.words.get("holds", "the agreement holds")
        rows.append(row(f"{said} to the horizon" if self.survival else "the final text holds",
                        self.holds))
        tables = [html_table(head, rows, caption="Outcomes")]
        signing = [row(f"{rnd}: {a}", p) for rnd, by in self.sign_probability.items()
                   for a, p in by.items()]
        if signing:
            tables.append(html_table(head, signing, caption="Signing (round: actor)"))
        if self.binding_constraints:
            tables.append(html_table(
                ["binding constraint", "share of runs"],
                [[shorten(t, 120), f"{c / self.runs:.1%}"] for t, c in self.binding_constraints],
                caption="Binding constraints", max_rows=5))
        fields = [("scenario", self.scenario_id), ("runs", f"{self.runs:,}"),
                  ("seed", self.seed)]
        return html_card("Ensemble summary", fields, *tables)

    def _phase(self) -> dict[str, Any]:
        if self.survival is None:
            return {}
        return {"survival": self.survival, "holds_at": self.holds_at,
                "first_breaker": self.first_breaker, "break_reasons": self.break_reasons,
                "embargo_kept": self.embargo_kept, "renewed_at": self.renewed_at,
                "suspended": self.suspended}


def _value_counts(column: pd.Series) -> pd.Series:
    """Count each value (as text) of a column; a categorical one without making the strings."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        counts = column.value_counts(sort=False, dropna=False)
        counts = counts[counts > 0]
        counts.index = counts.index.astype(str)
        return counts.groupby(level=0, sort=False).sum()
    return column.astype(str).value_counts()


def summarize(
    runs: pd.DataFrame,
    *,
    seed: int | None = None,
    scenario_id: str | None = None,
    scenario_fingerprint: str | None = None,
    versions: Mapping[str, str] | None = None,
    words: Mapping[str, str] | None = None,
) -> Summary:
    """Summarise a runs DataFrame (the layout of :func:`negsim.sim.engine.simulate_runs`).

    Parameters
    ----------
    runs : pandas.DataFrame
        At least the columns ``outcome`` and ``holds``; the mediated rounds' decision
        columns (``R.<actor>.decision``), the conferences' commitment columns
        (``C.<commitment>.<power>`` with ``C.<commitment>.<power>.equilibrium``) and
        ``binding_constraint`` are used when present, and so are the columns of an
        implementation phase (``I.duration``, ``I.broke``, ...; see
        :mod:`negsim.ensemble.implementation`).
    seed, scenario_id, scenario_fingerprint, versions : optional
        Recorded in the summary.
    words : mapping of str to str, optional
        How the printed report names the deal: ``deal``, ``holds`` and ``embargo`` (the
        commitment a patron keeps), e.g. from :func:`report_words`.

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
    require_columns(runs, "outcome", "holds")
    n = len(runs)
    if n == 0:
        raise ValueError("cannot summarise an empty runs DataFrame")
    counts = _value_counts(runs["outcome"])
    unknown = sorted(set(counts.index) - set(OUTCOMES))
    if unknown:
        raise ValueError(f"unknown outcome categories {unknown}; expected {OUTCOMES}")
    outcomes = FrozenMap({o: Proportion.of(int(counts.get(o, 0)), n) for o in OUTCOMES})
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
        vc = _value_counts(runs["binding_constraint"])
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
        **implementation_fields(runs),
        words=FrozenMap(words or {}),
    )


def report_words(scenario: Any) -> dict[str, str]:
    """Return how a scenario names its deal in printed reports (``words`` of :func:`summarize`).

    Examples
    --------
    >>> import negsim
    >>> report_words(negsim.load_scenario("libya-2020"))["embargo"]
    'keep the arms embargo'

    An actor that names its own choice (``[actors.ID.words]``) has its ``break:ID``:

    >>> report_words(negsim.load_scenario("jcpoa-2015"))["break:USA"]
    'reimpose nuclear sanctions'

    and a faction (``[actors.ID.factions.FID]``) its name, ``name:ID/FID``.
    """
    keep = [c.keep_phrase for c in scenario.commitments if effect_kind(c.effect).patron_choice]
    out = {"deal": scenario.words.deal, "holds": scenario.words.holds,
           "embargo": " and ".join(keep) or "keep the embargo"}
    out.update({f"break:{a.id}": a.words.break_ for a in scenario.actors
                if a.words.break_ is not None})
    out.update({f"name:{a.id}/{f.id}": f.name for a in scenario.actors for f in a.factions})
    return out

