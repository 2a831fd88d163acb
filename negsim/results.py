"""Immutable results of one negotiation run and of a deal analysis."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ComplianceResult",
    "ConferenceResult",
    "DealAnalysis",
    "FrozenMap",
    "MediatedRoundResult",
    "RunResult",
]


class FrozenMap(Mapping[str, Any]):
    """A read-only, hashable-by-identity mapping that keeps insertion order.

    Examples
    --------
    >>> m = FrozenMap({"GNA": "sign"})
    >>> m["GNA"], dict(m)
    ('sign', {'GNA': 'sign'})
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data = dict(data or {})

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self) == dict(other)

    def __hash__(self) -> int:
        return hash(tuple(self._data.items()))

    def __reduce__(self) -> tuple[type, tuple[dict[str, Any]]]:
        return (FrozenMap, (self._data,))


@dataclass(frozen=True)
class MediatedRoundResult:
    """What happened in a mediated round.

    Attributes
    ----------
    id : str
        Timeline id of the round.
    mediators, participants : tuple of str
    draft : FrozenMap
        The mediators' first draft, issue id -> position.
    text : FrozenMap
        The final text (the amended draft if anyone asked for time).
    amended : bool
        Whether someone asked for time and the mediators amended the draft.
    choices : FrozenMap
        Each participant's first choice: ``"sign"``, ``"time"`` or ``"reject"``.
    decisions : FrozenMap
        Each participant's final decision: ``"sign"`` or ``"no_sign"``.
    margins : FrozenMap
        Each participant's effective margin for signing the final text (own gain over its
        outside option plus its patrons' lobbying).
    """

    id: str
    mediators: tuple[str, ...]
    participants: tuple[str, ...]
    draft: FrozenMap
    text: FrozenMap
    amended: bool
    choices: FrozenMap
    decisions: FrozenMap
    margins: FrozenMap

    @property
    def signatories(self) -> tuple[str, ...]:
        """The participants that signed."""
        return tuple(a for a, d in self.decisions.items() if d == "sign")


@dataclass(frozen=True)
class ConferenceResult:
    """What happened at a conference round.

    Attributes
    ----------
    id : str
    powers : tuple of str
    commitments : FrozenMap
        commitment id -> FrozenMap(power -> committed?).
    equilibrium : FrozenMap
        commitment id -> FrozenMap(power -> commits in the selected pure equilibrium?).
    """

    id: str
    powers: tuple[str, ...]
    commitments: FrozenMap
    equilibrium: FrozenMap


@dataclass(frozen=True)
class ComplianceResult:
    """Whether the text in force holds (see :mod:`negsim.compliance`).

    Attributes
    ----------
    players : tuple of str
        Belligerents then patrons.
    is_nash, is_strong : bool
        Stage-game Nash and strong Nash at the all-comply profile.
    holds : bool
        No unilateral or joint deviation is profitable in the repeated game.
    margins : FrozenMap
        Per player, the per-period repeated-game margin of complying over deviating alone.
    critical_discount : FrozenMap
        Per player, the smallest discount factor at which complying is sustainable alone.
    profitable_coalitions : tuple of tuple of str
        Coalitions whose joint deviation profits every member in the stage game.
    binding : str
        The binding deviation in words, or ``"none"``.
    """

    players: tuple[str, ...]
    is_nash: bool
    is_strong: bool
    holds: bool
    margins: FrozenMap
    critical_discount: FrozenMap
    profitable_coalitions: tuple[tuple[str, ...], ...]
    binding: str


@dataclass(frozen=True)
class RunResult:
    """The result of one run of :class:`negsim.NegotiationModel`.

    Attributes
    ----------
    scenario_id : str
    parameters : FrozenMap
        The sampled value of every uncertain parameter (dotted path -> value).
    rounds : tuple
        One :class:`MediatedRoundResult` or :class:`ConferenceResult` per round, in order.
    compliance : ComplianceResult
    outcome : str
        ``signed_and_holds``, ``signed_but_fragile``, ``partial_signature`` or
        ``no_agreement``.
    binding_constraint : str
        Why the run ended as it did, in words (``"none"`` if the deal was signed and holds).
    utilities, outside_options : FrozenMap
        Every actor's utility for the final text and its outside option.
    """

    scenario_id: str
    parameters: FrozenMap
    rounds: tuple[MediatedRoundResult | ConferenceResult, ...]
    compliance: ComplianceResult
    outcome: str
    binding_constraint: str
    utilities: FrozenMap
    outside_options: FrozenMap

    @property
    def holds(self) -> bool:
        """Whether the text in force holds."""
        return self.compliance.holds

    def round(self, round_id: str) -> MediatedRoundResult | ConferenceResult:
        """The result of the round with this timeline id."""
        for r in self.rounds:
            if r.id == round_id:
                return r
        raise KeyError(f"no round {round_id!r}; rounds: {[r.id for r in self.rounds]}")

    def to_row(self) -> dict[str, Any]:
        """Flatten to the column layout of :func:`negsim.engine.simulate_runs`."""
        row: dict[str, Any] = dict(self.parameters)
        for r in self.rounds:
            if isinstance(r, MediatedRoundResult):
                for k, v in r.draft.items():
                    row[f"{r.id}.draft.{k}"] = v
                for k, v in r.text.items():
                    row[f"{r.id}.text.{k}"] = v
                for a in r.participants:
                    row[f"{r.id}.{a}.choice"] = r.choices[a]
                    row[f"{r.id}.{a}.decision"] = r.decisions[a]
                    row[f"{r.id}.{a}.margin"] = r.margins[a]
            else:
                for c, by_power in r.commitments.items():
                    for a, v in by_power.items():
                        row[f"{r.id}.{c}.{a}"] = v
                        row[f"{r.id}.{c}.{a}.equilibrium"] = r.equilibrium[c][a]
        row["outcome"] = self.outcome
        row["holds"] = self.compliance.holds
        row["is_nash"] = self.compliance.is_nash
        row["is_strong"] = self.compliance.is_strong
        for a in self.compliance.players:
            row[f"compliance.{a}.margin"] = self.compliance.margins[a]
            row[f"compliance.{a}.critical_discount"] = self.compliance.critical_discount[a]
        for a, v in self.utilities.items():
            row[f"utility.{a}"] = v
        for a, v in self.outside_options.items():
            row[f"outside_option.{a}"] = v
        row["binding_constraint"] = self.binding_constraint
        return row

    def story(self) -> str:
        """The run told in plain words."""
        lines = []
        for r in self.rounds:
            if isinstance(r, MediatedRoundResult):
                lines.append(
                    f"{r.id}: {' and '.join(r.mediators)} drafted a text for "
                    f"{' and '.join(r.participants)}."
                )
                for a in r.participants:
                    first = {"sign": "signed", "time": "asked for time", "reject": "rejected it"}[
                        r.choices[a]
                    ]
                    final = "signed" if r.decisions[a] == "sign" else "did not sign"
                    if r.choices[a] == "time":
                        first += f", then {final} the amended text"
                    lines.append(
                        f"  {a} {first} (margin for signing {r.margins[a]:+.3f})."
                    )
            else:
                for c, by_power in r.commitments.items():
                    yes = [a for a, v in by_power.items() if v]
                    no = [a for a, v in by_power.items() if not v]
                    lines.append(
                        f"{r.id}: on {c}, committed: {', '.join(yes) or 'nobody'}; "
                        f"not: {', '.join(no) or 'nobody'}."
                    )
        verdict = "holds" if self.compliance.holds else "does not hold"
        lines.append(f"Outcome: {self.outcome.replace('_', ' ')}; the ceasefire text {verdict}.")
        lines.append(f"Binding constraint: {self.binding_constraint}.")
        return "\n".join(lines)


@dataclass(frozen=True)
class DealAnalysis:
    """Analysis of a given deal without simulation (:func:`negsim.analyze`).

    Attributes
    ----------
    text : FrozenMap
        The deal, issue id -> position.
    utilities, outside_options, margins : FrozenMap
        Per actor: utility of the deal, outside option, and effective signing margin
        (including patrons' lobbying).
    red_lines_violated : FrozenMap
        Per actor, the descriptions of the red lines the deal violates.
    would_sign : FrozenMap
        Per belligerent: no red line violated and a positive margin.
    compliance : ComplianceResult
        Whether the deal holds (with the given commitments).
    """

    text: FrozenMap
    utilities: FrozenMap
    outside_options: FrozenMap
    margins: FrozenMap
    red_lines_violated: FrozenMap
    would_sign: FrozenMap
    compliance: ComplianceResult

    @property
    def holds(self) -> bool:
        """Whether the deal holds."""
        return self.compliance.holds
