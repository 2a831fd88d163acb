"""The parts of a scenario: sourced numbers, issues, actors, commitments, timeline entries.

All are frozen dataclasses whose collections are tuples. Every number that carries a
modelling claim is a :class:`Sourced` value with its :class:`Provenance` (a source and a
quote, or an explicit assumption). A :class:`~negsim.scenario.document.Scenario` holds
them; ``_to_dict`` gives each one's table in the shape of the TOML file.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from negsim._frozen import FrozenMap
from negsim.scenario.errors import format_number
from negsim.scenario.kinds import round_kind
from negsim.scenario.vocabulary import (
    DIST_PARAMS,
    MODEL_FIELDS,
    OPTIONAL_MODEL_FIELDS,
    PROV_KEYS,
)
from negsim.scenario.words import ActorWords

__all__ = [
    "Actor",
    "Commitment",
    "Demand",
    "Issue",
    "ModelParams",
    "Observation",
    "OutsideOption",
    "PatronLink",
    "Provenance",
    "RedLine",
    "Source",
    "Sourced",
    "TimelineEntry",
    "Uncertainty",
]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a number or a statement comes from: a source and a quote, or an assumption.

    Parameters
    ----------
    source : str or None
        Key of the scenario's ``[sources]`` table.
    quote : str or None
        The words in the source the value rests on (with ``source``).
    note : str or None
        How the value was derived from the quote (optional, with ``source``).
    assumption : str or None
        A one-line justification of a judgement call (instead of a source).

    Examples
    --------
    >>> Provenance(source="seed-000", quote="Haftar declined to sign").describe()
    'seed-000: "Haftar declined to sign"'
    >>> p = Provenance(assumption="no source gives a number")
    >>> p.is_assumption, p.describe()
    (True, 'assumption: no source gives a number')
    """

    source: str | None = None
    quote: str | None = None
    note: str | None = None
    assumption: str | None = None

    @property
    def is_assumption(self) -> bool:
        """Whether this is a judgement call rather than a sourced fact."""
        return self.assumption is not None

    def describe(self) -> str:
        """One line: ``source: "quote" (note)`` or ``assumption: ...``."""
        if self.assumption is not None:
            return f"assumption: {self.assumption}"
        text = f'{self.source}: "{self.quote}"'
        return f"{text} ({self.note})" if self.note else text

    def _to_dict(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for key in PROV_KEYS:
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass(frozen=True, slots=True)
class Sourced:
    """A number with its provenance.

    Examples
    --------
    >>> s = Sourced(0.55, Provenance(assumption="a guess"))
    >>> s.value, float(s)
    (0.55, 0.55)
    """

    value: float
    provenance: Provenance

    def __float__(self) -> float:
        return float(self.value)

    def _to_dict(self) -> dict[str, Any]:
        return {"value": float(self.value), **self.provenance._to_dict()}


@dataclass(frozen=True, slots=True)
class Source:
    """A document the scenario cites (``[sources.KEY]``).

    Examples
    --------
    >>> Source("doc", "A document", url="https://example.invalid/doc").url
    'https://example.invalid/doc'
    """

    key: str
    title: str
    file: str | None = None
    url: str | None = None
    date: _dt.date | None = None

    def _to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title}
        for name in ("file", "url", "date"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


@dataclass(frozen=True, slots=True)
class Issue:
    """A negotiable dimension: a scale from 0 (``low``) to 1 (``high``).

    Examples
    --------
    >>> from negsim.scenario import MINIMAL, parse_scenario
    >>> issue = parse_scenario(MINIMAL).issue("border")
    >>> issue.low, issue.high, issue.status_quo.value
    ('stays where it is', 'moves north', 0.0)
    """

    id: str
    name: str
    low: str
    high: str
    status_quo: Sourced

    def _to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "low": self.low,
            "high": self.high,
            "status_quo": self.status_quo._to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Demand:
    """An actor's stated demand on one issue: its ideal point and how much it matters.

    Examples
    --------
    >>> from negsim.scenario import MINIMAL, parse_scenario
    >>> d = parse_scenario(MINIMAL).actor("B").demand("border")
    >>> d.ideal.value, d.salience.value
    (1.0, 1.0)
    """

    issue: str
    ideal: Sourced
    salience: Sourced


@dataclass(frozen=True, slots=True)
class RedLine:
    """A hard constraint on a text an actor would sign: ``min <= x[issue] <= max``.

    Examples
    --------
    >>> rl = RedLine("tarhuna", 0.5, None, "LNA leaves Tarhuna", Provenance(assumption="x"))
    >>> rl.allows(0.7), rl.allows(0.2)
    (True, False)
    """

    issue: str
    min: float | None
    max: float | None
    description: str
    provenance: Provenance

    def allows(self, x: float, tol: float = 1e-9) -> bool:
        """Whether position ``x`` on the issue respects the red line (up to ``tol``)."""
        if self.min is not None and x < self.min - tol:
            return False
        return not (self.max is not None and x > self.max + tol)

    def _to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"issue": self.issue}
        if self.min is not None:
            out["min"] = float(self.min)
        if self.max is not None:
            out["max"] = float(self.max)
        out["description"] = self.description
        out.update(self.provenance._to_dict())
        return out

    def bounds_text(self) -> str:
        """Return the constraint in words, e.g. ``>= 0.5``, ``<= 0.3`` or ``0.2 to 0.6``."""
        if self.min is not None and self.max is not None:
            return f"{format_number(self.min)} to {format_number(self.max)}"
        if self.min is not None:
            return f">= {format_number(self.min)}"
        return f"<= {format_number(self.max)}" if self.max is not None else "any"


@dataclass(frozen=True, slots=True)
class PatronLink:
    """A patron's link to a client it backs (``[actors.PATRON.backs.CLIENT]``).

    Examples
    --------
    >>> p = Provenance(assumption="a guess")
    >>> PatronLink("LNA", Sourced(0.6, p), Sourced(0.8, p)).leverage.value
    0.6
    """

    client: str
    leverage: Sourced
    support: Sourced


@dataclass(frozen=True, slots=True)
class OutsideOption:
    """What an actor gets if there is no deal (``[actors.X.outside_option]``).

    ``kind`` names a registered kind (:mod:`negsim.scenario.outside`): ``fight_on`` (the
    default: the value of fighting on, from ``cost``, ``discount`` and ``optimism``),
    ``no_deal`` (a fixed ``value`` per period) or ``contingent`` (``value``, and
    ``value_if_others_sign`` when the actor stays out while the others sign).

    Examples
    --------
    >>> from negsim.scenario import MINIMAL, parse_scenario
    >>> oo = parse_scenario(MINIMAL).actor("A").outside_option
    >>> oo.kind, oo.cost.value, oo.discount.value
    ('fight_on', 0.1, 0.9)
    >>> p = Provenance(assumption="x")
    >>> OutsideOption(None, Sourced(0.9, p), kind="no_deal", value=Sourced(0.4, p)).numbers()
    ('value', 'discount')
    """

    cost: Sourced | None
    discount: Sourced
    optimism: Sourced | None = None
    kind: str = "fight_on"
    value: Sourced | None = None
    value_if_others_sign: Sourced | None = None

    def numbers(self) -> tuple[str, ...]:
        """Return the names of the sourced numbers it has, in file order."""
        order = ("value", "value_if_others_sign", "cost", "discount", "optimism")
        return tuple(f for f in order if getattr(self, f) is not None)

    def _to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {} if self.kind == "fight_on" else {"kind": self.kind}
        for f in self.numbers():
            out[f] = getattr(self, f)._to_dict()
        return out


@dataclass(frozen=True, slots=True)
class Actor:
    """A party to the negotiation.

    Examples
    --------
    >>> from negsim.scenario import MINIMAL, parse_scenario
    >>> s = parse_scenario(MINIMAL)
    >>> a = s.actor("A")
    >>> a.has_role("belligerent"), a.demand("border").ideal.value, a.demand("nothing")
    (True, 0.0, None)
    """

    id: str
    name: str
    roles: tuple[str, ...]
    capability: Sourced
    demands: tuple[Demand, ...] = ()
    red_lines: tuple[RedLine, ...] = ()
    backs: tuple[PatronLink, ...] = ()
    outside_option: OutsideOption | None = None
    words: ActorWords = ActorWords()
    factions: tuple[Any, ...] = ()  # negsim.scenario.factions.Faction (it imports this module)

    def demand(self, issue_id: str) -> Demand | None:
        """Return the actor's demand on an issue, or ``None`` (indifferent: salience 0)."""
        for d in self.demands:
            if d.issue == issue_id:
                return d
        return None

    def has_role(self, role: str) -> bool:
        """Whether the actor has ``role`` (one of :data:`ROLES`)."""
        return role in self.roles

    def _to_dict(self, words: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "roles": list(self.roles),
            "capability": self.capability._to_dict(),
            "demands": {
                d.issue: {"ideal": d.ideal._to_dict(), "salience": d.salience._to_dict()}
                for d in self.demands
            },
        }
        if self.red_lines:
            out["red_lines"] = [rl._to_dict() for rl in self.red_lines]
        if self.backs:
            out["backs"] = {
                b.client: {"leverage": b.leverage._to_dict(), "support": b.support._to_dict()}
                for b in self.backs
            }
        if self.outside_option is not None:
            out["outside_option"] = self.outside_option._to_dict()
        if words and not self.words.is_default:
            out["words"] = self.words._to_dict()
        if self.factions:
            out["factions"] = {f.id: f._to_dict() for f in self.factions}
        return out


@dataclass(frozen=True, slots=True)
class ModelParams:
    """Model-wide parameters (``[model]``), all sourced numbers.

    See ``docs/reference/scenario-format.md`` for their meaning and valid ranges.

    Examples
    --------
    >>> from negsim.scenario import MINIMAL, parse_scenario
    >>> parse_scenario(MINIMAL).model.rationality.value
    5.0
    """

    rationality: Sourced
    decisiveness: Sourced
    contest_exponent: Sourced
    first_strike: Sourced
    embargo_effect: Sourced
    amendment_reach: Sourced
    delivery: Sourced | None = None
    detection: Sourced | None = None
    monitoring_detection: Sourced | None = None
    estimate_error: Sourced | None = None
    learning: Sourced | None = None
    volatility: Sourced | None = None

    def present(self) -> tuple[str, ...]:
        """Return the names of the fields the file gives, in file order.

        Examples
        --------
        >>> from negsim.scenario import MINIMAL, parse_scenario
        >>> parse_scenario(MINIMAL).model.present()[:2]
        ('rationality', 'decisiveness')
        """
        return MODEL_FIELDS + tuple(f for f in OPTIONAL_MODEL_FIELDS
                                    if getattr(self, f) is not None)

    def _to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name)._to_dict() for name in self.present()}


@dataclass(frozen=True, slots=True)
class Commitment:
    """A commitment foreign powers can make at a conference (``[commitments.ID]``).

    Examples
    --------
    >>> c = Commitment("embargo", "Arms embargo", "arms", "embargo",
    ...                Sourced(0.3, Provenance(assumption="a guess")))
    >>> c.effect, c.breach_cost.value
    ('embargo', 0.3)

    A kind that benefits actors names them (``beneficiaries``) and carries its own sourced
    numbers (``numbers``, see :mod:`negsim.scenario.effects`):

    >>> r = Commitment("relief", "Sanctions relief", "sanctions", "sanctions_relief",
    ...                Sourced(0.2, Provenance(assumption="x")), beneficiaries=("IRN",),
    ...                numbers=FrozenMap({"value": Sourced(0.1, Provenance(assumption="y"))}))
    >>> r._to_dict()["beneficiaries"], r._to_dict()["value"]
    (['IRN'], {'value': 0.1, 'assumption': 'y'})
    """

    id: str
    name: str
    issue: str
    effect: str
    breach_cost: Sourced
    keep: str | None = None
    break_: str | None = None
    beneficiaries: tuple[str, ...] = ()
    numbers: FrozenMap = field(default_factory=FrozenMap)

    @property
    def keep_phrase(self) -> str:
        """How keeping it is said (``keep`` in the file; default ``"keep <name>"``).

        Examples
        --------
        >>> Commitment("e", "the embargo", "arms", "embargo",
        ...            Sourced(0.3, Provenance(assumption="x"))).keep_phrase
        'keep the embargo'
        """
        return self.keep if self.keep is not None else f"keep {self.name}"

    @property
    def break_phrase(self) -> str:
        """How breaking it is said (``break`` in the file; default ``"break <name>"``).

        Examples
        --------
        >>> Commitment("e", "the embargo", "arms", "embargo",
        ...            Sourced(0.3, Provenance(assumption="x")), break_="arm a side").break_phrase
        'arm a side'
        """
        return self.break_ if self.break_ is not None else f"break {self.name}"

    def _to_dict(self, words: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "issue": self.issue,
            "effect": self.effect,
            "breach_cost": self.breach_cost._to_dict(),
        }
        if self.beneficiaries:
            out["beneficiaries"] = list(self.beneficiaries)
        for key, number in self.numbers.items():
            out[key] = number._to_dict()
        if words and self.keep is not None:
            out["keep"] = self.keep
        if words and self.break_ is not None:
            out["break"] = self.break_
        return out


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A dated event, mediated round or conference (one model step).

    Examples
    --------
    >>> from negsim.scenario import MINIMAL, parse_scenario
    >>> t = parse_scenario(MINIMAL).round("talks")
    >>> t.kind, t.date, t.participants, t.mediators, t.is_round
    ('mediated_round', datetime.date(2020, 1, 13), ('A', 'B'), ('M',), True)
    """

    id: str
    date: _dt.date
    end: _dt.date | None
    kind: str
    description: str
    participants: tuple[str, ...]
    mediators: tuple[str, ...]
    observers: tuple[str, ...]
    commitments: tuple[str, ...]
    provenance: Provenance
    horizon: int | None = None
    respect_red_lines: bool = False
    draft_rule: str = "nash"
    term: int | None = None
    renewals: int | None = None
    suspension: bool = False
    #: The mediators' inducements (:class:`negsim.scenario.inducements.Inducement`).
    inducements: tuple[Any, ...] = ()

    @property
    def is_round(self) -> bool:
        """Whether the entry is a round in which actors decide (not a context event)."""
        return round_kind(self.kind).decides

    def _to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "date": self.date}
        if self.end is not None:
            out["end"] = self.end
        out["kind"] = self.kind
        out["description"] = self.description
        for name in ("participants", "mediators", "observers", "commitments"):
            value = getattr(self, name)
            if value:
                out[name] = list(value)
        if self.horizon is not None:
            out["horizon"] = self.horizon
        if self.respect_red_lines:
            out["respect_red_lines"] = True
        if self.draft_rule != "nash":
            out["draft_rule"] = self.draft_rule
        for name in ("term", "renewals"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.suspension:
            out["suspension"] = True
        out.update(self.provenance._to_dict())
        if self.inducements:
            out["inducements"] = {i.mediator: i._to_dict() for i in self.inducements}
        return out


@dataclass(frozen=True, slots=True)
class Observation:
    """What actually happened in a round (for backtesting only; never used by the model).

    Examples
    --------
    >>> o = Observation("talks", "A", "sign", None, None,
    ...                 Provenance(source="doc", quote="A signed"))
    >>> o.decision, o.provenance.describe(), o.date
    ('sign', 'doc: "A signed"', None)

    ``date`` is set for what was observed at a date during a round that lasts months (an
    ``implementation`` phase: the ceasefire still held, or had broken, by then).
    """

    round: str
    actor: str | None
    decision: str | None
    commitment: str | None
    outcome: str | None
    provenance: Provenance
    date: _dt.date | None = None

    def _to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"round": self.round}
        for name in ("actor", "decision", "commitment", "outcome", "date"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        out.update(self.provenance._to_dict())
        return out


@dataclass(frozen=True, slots=True)
class Uncertainty:
    """The distribution of an uncertain parameter (a dotted path), for ensembles.

    Examples
    --------
    >>> u = Uncertainty("model.rationality", "uniform", 2.0, 8.0, None, None, None,
    ...                 Provenance(assumption="a guess"))
    >>> u.describe()
    'uniform(2, 8)'
    """

    parameter: str
    distribution: str
    low: float | None
    high: float | None
    mode: float | None
    mean: float | None
    sd: float | None
    provenance: Provenance

    def _to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"parameter": self.parameter, "distribution": self.distribution}
        for name in DIST_PARAMS[self.distribution]:
            value = getattr(self, name)
            if value is not None:
                out[name] = float(value)
        out.update(self.provenance._to_dict())
        return out

    def describe(self) -> str:
        """Return the distribution in words, e.g. ``uniform(0.3, 0.6)``."""
        args = ", ".join(format_number(getattr(self, n)) for n in DIST_PARAMS[self.distribution])
        return f"{self.distribution}({args})"
