"""Scenarios: typed, immutable descriptions of a negotiation, loaded from TOML files.

A :class:`Scenario` holds the issues under negotiation, the actors with their demands, red
lines, patron links and outside options, the model-wide parameters, the commitments powers
can make at a conference, the timeline of rounds, what was actually observed, and the
uncertainty of the numbers. Every number that carries a modelling claim is a
:class:`Sourced` value with its :class:`Provenance` (a source and a quote, or an explicit
assumption).

Scenarios are read from TOML files in the format of ``docs/reference/scenario-format.md``
with :func:`load_scenario` (a built-in name such as ``"libya-2020"`` or a path) or
:func:`parse_scenario` (text). Files are data: they are parsed with :mod:`tomllib` and
never evaluated, executed or unpickled. Everything wrong in a file is reported at once in
a :class:`ScenarioError`, one line per problem naming the file and the dotted field::

    my.toml: actors.LNA.demands.tarhuna.salience: must be in [0, 1], got 1.7

All objects are frozen dataclasses whose collections are tuples, so scenarios are hashable
and can be shared between threads and processes. :meth:`Scenario.with_overrides` returns
a changed copy (validated like a file) and :meth:`Scenario.to_toml` writes a file that
:func:`parse_scenario` reads back to an equal scenario.

Examples
--------
>>> s = parse_scenario(_MINIMAL, "minimal.toml")
>>> s.actor_ids, s.issue_ids
(('A', 'B', 'M'), ('border',))
>>> s.get("actors.A.demands.border.ideal")
0.0
>>> t = s.with_overrides({"actors.A.capability": 0.4})
>>> t.actor("A").capability.provenance.describe()
'assumption: override: actors.A.capability = 0.4 (was 0.5)'
>>> parse_scenario(t.to_toml()) == t
True
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import hashlib
import importlib.resources
import math
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from negsim.scenario.kinds import EntryCheck, RoundKind, round_kind, round_kinds

__all__ = [
    "DISTRIBUTIONS",
    "EFFECTS",
    "OUTCOMES",
    "ROLES",
    "SCHEMA_VERSION",
    "Actor",
    "Commitment",
    "Demand",
    "Issue",
    "ModelParams",
    "Observation",
    "OutsideOption",
    "PatronLink",
    "Problem",
    "Provenance",
    "RedLine",
    "Scenario",
    "ScenarioError",
    "ScenarioKeyError",
    "Source",
    "Sourced",
    "TimelineEntry",
    "Uncertainty",
    "load_scenario",
    "parse_scenario",
    "scenarios",
]

SCHEMA_VERSION = 1
"""The schema version this module reads and writes."""

ROLES = ("belligerent", "patron", "mediator", "third_party")
"""Allowed actor roles."""

EFFECTS = ("embargo", "ceasefire_support", "monitoring")
"""Allowed effects of a commitment."""

# The kinds of timeline entries and the decisions observations record are those of the
# registered round kinds (negsim.scenario.kinds).

OUTCOMES = ("signed_and_holds", "signed_but_fragile", "partial_signature", "no_agreement")
"""Allowed observed round outcomes."""

DISTRIBUTIONS = ("uniform", "triangular", "normal")
"""Allowed uncertainty distributions."""

_MODEL_FIELDS = (
    "rationality",
    "decisiveness",
    "contest_exponent",
    "first_strike",
    "embargo_effect",
    "amendment_reach",
)
_DIST_PARAMS = {
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
}
_PROV_KEYS = ("source", "quote", "note", "assumption")
_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+\Z")
_BUILTIN_PREFIX = "builtin:"

# The smallest useful scenario, for the doctests.
_MINIMAL = """
schema_version = 1
id = "minimal"
title = "Two parties and a mediator"

[sources.doc]
title = "A document"

[issues.border]
name = "Border"
low = "stays where it is"
high = "moves north"
status_quo = { value = 0.0, assumption = "the border has not moved" }

[actors.A]
name = "Party A"
roles = ["belligerent"]
capability = { value = 0.5, source = "doc", quote = "A is as strong as B" }
demands.border = { ideal = { value = 0.0, assumption = "A holds the land" }, \
salience = { value = 1.0, assumption = "A's only issue" } }
outside_option = { cost = { value = 0.1, assumption = "a cheap war" }, \
discount = { value = 0.9, assumption = "patient" } }

[actors.B]
name = "Party B"
roles = ["belligerent"]
capability = { value = 0.5, source = "doc", quote = "A is as strong as B" }
demands.border = { ideal = { value = 1.0, assumption = "B wants the land" }, \
salience = { value = 1.0, assumption = "B's only issue" } }
outside_option = { cost = { value = 0.1, assumption = "a cheap war" }, \
discount = { value = 0.9, assumption = "patient" } }

[actors.M]
name = "Mediator"
roles = ["mediator"]
capability = { value = 0.0, assumption = "no army" }
demands = {}

[model]
rationality = { value = 5.0, assumption = "fairly rational" }
decisiveness = { value = 0.2, assumption = "slow war" }
contest_exponent = { value = 1.0, assumption = "Tullock's lottery" }
first_strike = { value = 0.1, assumption = "small bonus" }
embargo_effect = { value = 0.5, assumption = "half" }
amendment_reach = { value = 0.5, assumption = "half way" }

[[timeline]]
id = "talks"
date = 2020-01-13
kind = "mediated_round"
description = "M drafts a text for A and B"
participants = ["A", "B"]
mediators = ["M"]
assumption = "a made-up round"
"""


# --------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scenario file.

    Parameters
    ----------
    origin : str
        The file (or ``builtin:NAME``, ``<string>``) the problem is in.
    path : str
        The dotted field, e.g. ``actors.LNA.capability``; empty for the whole file.
    message : str
        What is wrong.
    line, column : int or None
        Position in the file, when known (TOML syntax errors).

    Examples
    --------
    >>> str(Problem("my.toml", "actors.LNA.capability", "must be >= 0, got -1"))
    'my.toml: actors.LNA.capability: must be >= 0, got -1'
    >>> str(Problem("my.toml", "", "TOML syntax error: invalid value", line=3, column=7))
    'my.toml: line 3, column 7: TOML syntax error: invalid value'
    """

    origin: str
    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.origin]
        if self.line is not None:
            parts.append(
                f"line {self.line}" + (f", column {self.column}" if self.column else "")
            )
        if self.path:
            parts.append(self.path)
        parts.append(self.message)
        return ": ".join(parts)


class ScenarioError(ValueError):
    """A scenario (file, override or lookup) is invalid; ``problems`` lists every problem.

    ``str(error)`` has one line per problem, each naming the file and the dotted field.

    Examples
    --------
    >>> err = ScenarioError([Problem("a.toml", "id", "missing required field")])
    >>> print(err)
    a.toml: id: missing required field
    >>> err.problems[0].path
    'id'
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.problems,))


class ScenarioKeyError(ScenarioError, KeyError):
    """An unknown actor, issue, commitment or parameter path was looked up.

    It is both a :class:`ScenarioError` (a :class:`ValueError`) and a :class:`KeyError`.
    """


def _error(origin: str, path: str, message: str) -> ScenarioError:
    return ScenarioError([Problem(origin, path, message)])


# --------------------------------------------------------------------------------------
# numeric ranges
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Range:
    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    def contains(self, x: float) -> bool:
        above = x > self.lo if self.lo_open else x >= self.lo
        below = x < self.hi if self.hi_open else x <= self.hi
        return above and below

    def __str__(self) -> str:
        if math.isinf(self.hi):
            return f"{'>' if self.lo_open else '>='} {_num(self.lo)}"
        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open else "]"
        return f"{left}{_num(self.lo)}, {_num(self.hi)}{right}"

    def phrase(self) -> str:
        return f"must be {self}" if math.isinf(self.hi) else f"must be in {self}"

    def closed(self) -> tuple[float, float]:
        lo = math.nextafter(self.lo, math.inf) if self.lo_open else self.lo
        hi = math.nextafter(self.hi, -math.inf) if self.hi_open else self.hi
        return lo, hi


_UNIT = _Range(0.0, 1.0)
_NONNEG = _Range(0.0, math.inf)
_POSITIVE = _Range(0.0, math.inf, lo_open=True)
_OPEN_UNIT = _Range(0.0, 1.0, lo_open=True, hi_open=True)
_HALF_OPEN_UNIT = _Range(0.0, 1.0, lo_open=True)

# Valid range of every sourced number, by its field name (the last part of its path).
_FIELD_RANGES: dict[str, _Range] = {
    "status_quo": _UNIT,
    "capability": _NONNEG,
    "ideal": _UNIT,
    "salience": _UNIT,
    "leverage": _UNIT,
    "support": _UNIT,
    "cost": _NONNEG,
    "discount": _OPEN_UNIT,
    "breach_cost": _NONNEG,
    "rationality": _NONNEG,
    "decisiveness": _HALF_OPEN_UNIT,
    "contest_exponent": _POSITIVE,
    "first_strike": _NONNEG,
    "embargo_effect": _UNIT,
    "amendment_reach": _UNIT,
}


def _num(x: float) -> str:
    """Format a number for a message: integers without ``.0``."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return str(x)


# --------------------------------------------------------------------------------------
# the scenario objects
# --------------------------------------------------------------------------------------
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
        for key in _PROV_KEYS:
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
    """A document the scenario cites (``[sources.KEY]``)."""

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
    """A negotiable dimension: a scale from 0 (``low``) to 1 (``high``)."""

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
    """An actor's stated demand on one issue: its ideal point and how much it matters."""

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
            return f"{_num(self.min)} to {_num(self.max)}"
        if self.min is not None:
            return f">= {_num(self.min)}"
        return f"<= {_num(self.max)}" if self.max is not None else "any"


@dataclass(frozen=True, slots=True)
class PatronLink:
    """A patron's link to a client it backs (``[actors.PATRON.backs.CLIENT]``)."""

    client: str
    leverage: Sourced
    support: Sourced


@dataclass(frozen=True, slots=True)
class OutsideOption:
    """What fighting on costs an actor per period, and how it discounts the future."""

    cost: Sourced
    discount: Sourced


@dataclass(frozen=True, slots=True)
class Actor:
    """A party to the negotiation.

    Examples
    --------
    >>> s = parse_scenario(_MINIMAL)
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

    def demand(self, issue_id: str) -> Demand | None:
        """Return the actor's demand on an issue, or ``None`` (indifferent: salience 0)."""
        for d in self.demands:
            if d.issue == issue_id:
                return d
        return None

    def has_role(self, role: str) -> bool:
        """Whether the actor has ``role`` (one of :data:`ROLES`)."""
        return role in self.roles

    def _to_dict(self) -> dict[str, Any]:
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
            out["outside_option"] = {
                "cost": self.outside_option.cost._to_dict(),
                "discount": self.outside_option.discount._to_dict(),
            }
        return out


@dataclass(frozen=True, slots=True)
class ModelParams:
    """Model-wide parameters (``[model]``), all sourced numbers.

    See ``docs/reference/scenario-format.md`` for their meaning and valid ranges.
    """

    rationality: Sourced
    decisiveness: Sourced
    contest_exponent: Sourced
    first_strike: Sourced
    embargo_effect: Sourced
    amendment_reach: Sourced

    def _to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name)._to_dict() for name in _MODEL_FIELDS}


@dataclass(frozen=True, slots=True)
class Commitment:
    """A commitment foreign powers can make at a conference (``[commitments.ID]``)."""

    id: str
    name: str
    issue: str
    effect: str
    breach_cost: Sourced

    def _to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "issue": self.issue,
            "effect": self.effect,
            "breach_cost": self.breach_cost._to_dict(),
        }


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A dated event, mediated round or conference (one model step)."""

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

    @property
    def is_round(self) -> bool:
        """Whether the entry is a round in which actors decide (not a context event)."""
        return self.kind != "event"

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
        out.update(self.provenance._to_dict())
        return out


@dataclass(frozen=True, slots=True)
class Observation:
    """What actually happened in a round (for backtesting only; never used by the model)."""

    round: str
    actor: str | None
    decision: str | None
    commitment: str | None
    outcome: str | None
    provenance: Provenance

    def _to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"round": self.round}
        for name in ("actor", "decision", "commitment", "outcome"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        out.update(self.provenance._to_dict())
        return out


@dataclass(frozen=True, slots=True)
class Uncertainty:
    """The distribution of an uncertain parameter (a dotted path), for ensembles."""

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
        for name in _DIST_PARAMS[self.distribution]:
            value = getattr(self, name)
            if value is not None:
                out[name] = float(value)
        out.update(self.provenance._to_dict())
        return out

    def describe(self) -> str:
        """Return the distribution in words, e.g. ``uniform(0.3, 0.6)``."""
        args = ", ".join(_num(getattr(self, n)) for n in _DIST_PARAMS[self.distribution])
        return f"{self.distribution}({args})"


@dataclass(frozen=True, slots=True, repr=False)
class Scenario:
    """A validated negotiation scenario.

    Build one with :func:`load_scenario` or :func:`parse_scenario`; all collections are
    tuples in file order. ``origin`` (the file, or ``builtin:NAME``) is used in error
    messages and is not part of equality, hashing or :meth:`fingerprint`.

    Examples
    --------
    >>> s = parse_scenario(_MINIMAL, "minimal.toml")
    >>> s
    Scenario(id='minimal', actors=3, issues=1, timeline=1, origin='minimal.toml')
    >>> [a.id for a in s.belligerents], [a.id for a in s.mediators], s.patrons
    (['A', 'B'], ['M'], ())
    >>> s.parameter_paths()[:3]
    ('issues.border.status_quo', 'actors.A.capability', 'actors.A.demands.border.ideal')
    >>> s.parameter_bounds("actors.A.outside_option.discount")[1] < 1.0
    True
    """

    schema_version: int
    id: str
    title: str
    description: str
    sources: tuple[Source, ...]
    issues: tuple[Issue, ...]
    actors: tuple[Actor, ...]
    model: ModelParams
    commitments: tuple[Commitment, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    observed: tuple[Observation, ...] = ()
    uncertainty: tuple[Uncertainty, ...] = ()
    origin: str = field(default="<string>", compare=False)

    def __repr__(self) -> str:
        return (
            f"Scenario(id={self.id!r}, actors={len(self.actors)}, issues={len(self.issues)}, "
            f"timeline={len(self.timeline)}, origin={self.origin!r})"
        )

    # ---- lookups ------------------------------------------------------------------
    def _lookup(self, items: tuple[Any, ...], key: str, what: str, attr: str = "id") -> Any:
        for item in items:
            if getattr(item, attr) == key:
                return item
        known = [getattr(item, attr) for item in items]
        raise ScenarioKeyError(
            [Problem(self.origin, "", f"unknown {what} {key!r}{_did_you_mean(key, known)}"
                     f" ({what}s: {', '.join(known) or 'none'})")]
        )

    def actor(self, actor_id: str) -> Actor:
        """Return the actor with this id (raises :class:`ScenarioKeyError` if there is none)."""
        return self._lookup(self.actors, actor_id, "actor")

    def issue(self, issue_id: str) -> Issue:
        """Return the issue with this id (raises :class:`ScenarioKeyError` if there is none)."""
        return self._lookup(self.issues, issue_id, "issue")

    def commitment(self, commitment_id: str) -> Commitment:
        """Return the commitment with this id (raises :class:`ScenarioKeyError`)."""
        return self._lookup(self.commitments, commitment_id, "commitment")

    def source(self, key: str) -> Source:
        """Return the source with this key (raises :class:`ScenarioKeyError` if there is none)."""
        return self._lookup(self.sources, key, "source", attr="key")

    def round(self, round_id: str) -> TimelineEntry:
        """Return the timeline entry with this id (raises :class:`ScenarioKeyError`)."""
        return self._lookup(self.timeline, round_id, "timeline entry")

    @property
    def actor_ids(self) -> tuple[str, ...]:
        """Actor ids in file order."""
        return tuple(a.id for a in self.actors)

    @property
    def issue_ids(self) -> tuple[str, ...]:
        """Issue ids in file order."""
        return tuple(i.id for i in self.issues)

    @property
    def belligerents(self) -> tuple[Actor, ...]:
        """Actors with the role ``belligerent``, in file order."""
        return tuple(a for a in self.actors if a.has_role("belligerent"))

    @property
    def patrons(self) -> tuple[Actor, ...]:
        """Actors that back someone (have patron links), in file order."""
        return tuple(a for a in self.actors if a.backs)

    @property
    def mediators(self) -> tuple[Actor, ...]:
        """Actors with the role ``mediator``, in file order."""
        return tuple(a for a in self.actors if a.has_role("mediator"))

    # ---- numeric parameters ---------------------------------------------------------
    def parameter_paths(self) -> tuple[str, ...]:
        """Every dotted path to a sourced number, in file order.

        These are the paths accepted by :meth:`get`, :meth:`with_overrides` and the
        ``parameter`` of an ``[[uncertainty]]`` entry.
        """
        out = [f"issues.{i.id}.status_quo" for i in self.issues]
        for a in self.actors:
            out.append(f"actors.{a.id}.capability")
            for d in a.demands:
                out += [f"actors.{a.id}.demands.{d.issue}.{f}" for f in ("ideal", "salience")]
            for b in a.backs:
                out += [f"actors.{a.id}.backs.{b.client}.{f}" for f in ("leverage", "support")]
            if a.outside_option is not None:
                out += [f"actors.{a.id}.outside_option.{f}" for f in ("cost", "discount")]
        out += [f"model.{f}" for f in _MODEL_FIELDS]
        out += [f"commitments.{c.id}.breach_cost" for c in self.commitments]
        return tuple(out)

    def sourced(self, path: str) -> Sourced:
        """Return the sourced number (value and provenance) at a dotted path.

        Raises
        ------
        ScenarioKeyError
            If the path does not name a sourced number of this scenario.
        """
        found = _resolve(self, path)
        if found is None:
            raise ScenarioKeyError([Problem(self.origin, path, self._unknown_path(path))])
        return found

    def get(self, path: str) -> float:
        """Return the value at a dotted path, e.g. ``actors.LNA.capability``.

        Examples
        --------
        >>> parse_scenario(_MINIMAL).get("model.rationality")
        5.0
        """
        return self.sourced(path).value

    def parameter_bounds(self, path: str) -> tuple[float, float]:
        """Return closed bounds ``(lo, hi)`` of the valid values of the number at ``path``.

        The result is the smallest closed interval of floats holding exactly the valid
        values: an open end of the documented range is replaced by the nearest float
        inside it (``discount`` in (0, 1) gives ``(5e-324, 0.9999999999999999)``), so a
        sample clipped to these bounds is always valid. ``hi`` is ``inf`` for numbers that
        are only bounded below.

        Examples
        --------
        >>> s = parse_scenario(_MINIMAL)
        >>> s.parameter_bounds("actors.A.demands.border.salience")
        (0.0, 1.0)
        >>> s.parameter_bounds("actors.A.capability")
        (0.0, inf)
        """
        self.sourced(path)
        return _FIELD_RANGES[path.rsplit(".", 1)[-1]].closed()

    def parameter_range(self, path: str) -> str:
        """Return the documented valid range of the number at ``path``, e.g. ``(0, 1]``."""
        self.sourced(path)
        return str(_FIELD_RANGES[path.rsplit(".", 1)[-1]])

    def _unknown_path(self, path: str) -> str:
        return f"unknown parameter path{_did_you_mean(path, self.parameter_paths())}"

    # ---- changed copies -------------------------------------------------------------
    def with_overrides(self, overrides: Mapping[str, float]) -> Scenario:
        """Return a copy with numbers replaced, validated exactly like a file.

        Parameters
        ----------
        overrides : mapping of str to float
            Dotted parameter path (see :meth:`parameter_paths`) -> new value. A changed
            value's provenance becomes ``assumption = "override: PATH = NEW (was OLD)"``.
            An override pins the value: an ``[[uncertainty]]`` entry for an overridden
            path is dropped, so that ensembles of the copy use the given value.

        Raises
        ------
        ScenarioError
            Naming every unknown path and invalid value (e.g. out of range, or a demand
            moved across the actor's own red line).

        Examples
        --------
        >>> s = parse_scenario(_MINIMAL, "minimal.toml")
        >>> s.with_overrides({"model.rationality": 2}).get("model.rationality")
        2.0
        >>> s.with_overrides({"actors.A.demands.border.salience": 1.7})
        Traceback (most recent call last):
        ...
        negsim.scenario.core.ScenarioError: minimal.toml: actors.A.demands.border.salience: must be ...
        """
        if not overrides:
            return self
        problems: list[Problem] = []
        raw = self.to_dict()
        pinned: set[str] = set()
        for path, value in overrides.items():
            old = _resolve(self, path) if isinstance(path, str) else None
            if old is None:
                problems.append(Problem(self.origin, str(path), self._unknown_path(str(path))))
                continue
            if isinstance(value, bool) or not _is_real(value):
                problems.append(
                    Problem(self.origin, path, f"must be a number, got {_describe(value)}")
                )
                continue
            new = float(value)
            pinned.add(path)
            if new == old.value:
                continue
            node = raw
            parts = path.split(".")
            for part in parts[:-1]:
                node = node[part]
            node[parts[-1]] = {
                "value": new,
                "assumption": f"override: {path} = {_fmt_value(new)} (was {_fmt_value(old.value)})",
            }
        if problems:
            raise ScenarioError(problems)
        if "uncertainty" in raw:
            kept = [u for u in raw["uncertainty"] if u["parameter"] not in pinned]
            if kept:
                raw["uncertainty"] = kept
            else:
                del raw["uncertainty"]
        return _build(raw, self.origin)

    def without_observed(self) -> Scenario:
        """Return a copy without the ``observed`` records (what a forecast may see)."""
        return dataclasses.replace(self, observed=())

    # ---- output ---------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Return the scenario as nested dicts and lists in the shape of the TOML file.

        Examples
        --------
        >>> d = parse_scenario(_MINIMAL).to_dict()
        >>> d["actors"]["A"]["capability"]
        {'value': 0.5, 'source': 'doc', 'quote': 'A is as strong as B'}
        """
        out: dict[str, Any] = {
            "schema_version": self.schema_version,
            "id": self.id,
            "title": self.title,
        }
        if self.description:
            out["description"] = self.description
        out["sources"] = {s.key: s._to_dict() for s in self.sources}
        out["issues"] = {i.id: i._to_dict() for i in self.issues}
        out["actors"] = {a.id: a._to_dict() for a in self.actors}
        out["model"] = self.model._to_dict()
        if self.commitments:
            out["commitments"] = {c.id: c._to_dict() for c in self.commitments}
        out["timeline"] = [t._to_dict() for t in self.timeline]
        if self.observed:
            out["observed"] = [o._to_dict() for o in self.observed]
        if self.uncertainty:
            out["uncertainty"] = [u._to_dict() for u in self.uncertainty]
        return out

    def to_toml(self) -> str:
        """Return the scenario as a TOML file; ``parse_scenario(s.to_toml()) == s``."""
        header = (
            f"# negsim scenario {self.id} (schema version {self.schema_version}); "
            "format: docs/reference/scenario-format.md\n\n"
        )
        return header + _dump_toml(self.to_dict())

    def fingerprint(self) -> str:
        """SHA-256 (hex) of :meth:`to_toml`: equal scenarios have equal fingerprints.

        Examples
        --------
        >>> s = parse_scenario(_MINIMAL)
        >>> len(s.fingerprint()), s.fingerprint() == parse_scenario(s.to_toml()).fingerprint()
        (64, True)
        """
        return hashlib.sha256(self.to_toml().encode("utf-8")).hexdigest()


def _toml_scalar(value: Any) -> str:
    """Format a string, number, boolean or date as TOML (by :mod:`tomli_w`)."""
    return tomli_w.dumps({"v": value})[len("v = "):-1]


def _toml_key(key: str) -> str:
    return key if _BARE_KEY_RE.match(key) else _toml_scalar(key)


def _toml_literal(value: Any) -> str:
    if isinstance(value, dict):
        items = ", ".join(f"{_toml_key(k)} = {_toml_literal(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_literal(v) for v in value) + "]"
    return _toml_scalar(value)


def _is_inline(value: Any) -> bool:
    """Whether a dict is written inline: sourced numbers ``{ value = ..., ... }``."""
    return isinstance(value, dict) and "value" in value


def _dump_toml(data: dict[str, Any]) -> str:
    """Write scenario-shaped data as TOML, with sourced numbers as inline tables.

    Scalars are formatted by :mod:`tomli_w`; the layout (which tables are inline) is ours,
    so that files written by :meth:`Scenario.to_toml` read like hand-written ones.
    """
    chunks: list[str] = []

    def emit(table: dict[str, Any], name: str, aot: bool) -> None:
        literals, tables, arrays = [], [], []
        for k, v in table.items():
            if isinstance(v, dict) and not _is_inline(v):
                tables.append((k, v))
            elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
                arrays.append((k, v))
            else:
                literals.append((k, v))
        lines = []
        if aot or (name and (literals or not (tables or arrays))):
            lines.append(f"[[{name}]]" if aot else f"[{name}]")
        lines += [f"{_toml_key(k)} = {_toml_literal(v)}" for k, v in literals]
        if lines:
            chunks.append("\n".join(lines) + "\n")
        for k, v in tables:
            emit(v, f"{name}.{_toml_key(k)}" if name else _toml_key(k), False)
        for k, v in arrays:
            for item in v:
                emit(item, f"{name}.{_toml_key(k)}" if name else _toml_key(k), True)

    emit(data, "", False)
    return "\n".join(chunks)


def _resolve(scenario: Scenario, path: str) -> Sourced | None:
    """Return the sourced number at ``path``, or ``None`` if there is none."""
    parts = path.split(".")
    try:
        match parts:
            case ["issues", k, "status_quo"]:
                return scenario.issue(k).status_quo
            case ["actors", a, "capability"]:
                return scenario.actor(a).capability
            case ["actors", a, "demands", k, ("ideal" | "salience") as f]:
                d = scenario.actor(a).demand(k)
                return None if d is None else getattr(d, f)
            case ["actors", a, "backs", c, ("leverage" | "support") as f]:
                for link in scenario.actor(a).backs:
                    if link.client == c:
                        return getattr(link, f)
                return None
            case ["actors", a, "outside_option", ("cost" | "discount") as f]:
                oo = scenario.actor(a).outside_option
                return None if oo is None else getattr(oo, f)
            case ["model", f] if f in _MODEL_FIELDS:
                return getattr(scenario.model, f)
            case ["commitments", c, "breach_cost"]:
                return scenario.commitment(c).breach_cost
    except ScenarioKeyError:
        return None
    return None


def _fmt_value(x: float) -> str:
    return _num(float(x))


def _is_real(x: object) -> bool:
    if isinstance(x, int | float):
        return True
    # numpy scalars and other real numbers without importing numpy
    try:
        import numbers

        return isinstance(x, numbers.Real)
    except ImportError:  # pragma: no cover
        return False


# --------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------
def _builtin_dir() -> Any:
    return importlib.resources.files("negsim").joinpath("data", "scenarios")


def scenarios() -> list[str]:
    """Names of the built-in scenarios, sorted.

    Examples
    --------
    >>> isinstance(scenarios(), list)
    True
    """
    try:
        entries = list(_builtin_dir().iterdir())
    except (FileNotFoundError, NotADirectoryError):  # pragma: no cover - broken install
        return []
    return sorted(e.name[: -len(".toml")] for e in entries if e.name.endswith(".toml"))


def load_scenario(name_or_path: str | os.PathLike[str]) -> Scenario:
    """Load a built-in scenario by name (e.g. ``"libya-2020"``) or a scenario file.

    A string that is the name of a built-in scenario loads it from the package data;
    anything else is a path to a TOML file.

    Raises
    ------
    ScenarioError
        If the file cannot be read (the message lists the built-in names) or is invalid.

    Examples
    --------
    >>> load_scenario("no-such-scenario")
    Traceback (most recent call last):
    ...
    negsim.scenario.core.ScenarioError: no-such-scenario: no such file, and not a built-in ...
    """
    if isinstance(name_or_path, str) and name_or_path in scenarios():
        resource = _builtin_dir().joinpath(f"{name_or_path}.toml")
        return parse_scenario(resource.read_text(encoding="utf-8"),
                              origin=f"{_BUILTIN_PREFIX}{name_or_path}")
    if not isinstance(name_or_path, str | os.PathLike):
        raise TypeError(
            f"load_scenario expects a scenario name or a path, got {type(name_or_path)!r}"
        )
    path = Path(name_or_path)
    origin = os.fspath(name_or_path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        names = scenarios()
        hint = _did_you_mean(path.stem if path.suffix == ".toml" else origin, names)
        raise _error(
            origin, "",
            f"no such file, and not a built-in scenario{hint} "
            f"(built-in scenarios: {', '.join(names) or 'none'})",
        ) from None
    except IsADirectoryError:
        raise _error(origin, "", "is a directory, not a scenario file") from None
    except OSError as err:
        raise _error(origin, "", f"cannot read the file: {err.strerror or err}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise _error(
            origin, "", f"not a UTF-8 text file (undecodable byte at offset {err.start}); "
            "TOML files must be UTF-8"
        ) from None
    return parse_scenario(text, origin=origin)


def parse_scenario(text: str, origin: str = "<string>") -> Scenario:
    """Parse and validate a scenario from TOML text.

    Parameters
    ----------
    text : str
        The TOML document.
    origin : str
        Where the text came from, used in error messages.

    Raises
    ------
    ScenarioError
        With every problem found in the text.

    Examples
    --------
    >>> parse_scenario("id = 3", "bad.toml")
    Traceback (most recent call last):
    ...
    negsim.scenario.core.ScenarioError: bad.toml: schema_version: missing required field
    bad.toml: title: missing required field
    ...
    bad.toml: id: must be a string, got integer 3
    >>> parse_scenario("x = [1,", "bad.toml")
    Traceback (most recent call last):
    ...
    negsim.scenario.core.ScenarioError: bad.toml: TOML syntax error: Invalid value (at the end ...
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError([_syntax_problem(err, text, origin)]) from None
    return _build(data, origin)


# --------------------------------------------------------------------------------------
# TOML syntax errors
# --------------------------------------------------------------------------------------
_POS_RE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")
_HEADER_RE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY_RE = re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
                     r"(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=")
_SINGULAR = {"actors": "actor", "issues": "issue", "sources": "source",
             "commitments": "commitment"}


def _dotted(parts: Iterable[str]) -> str:
    return ".".join(p if _BARE_KEY_RE.match(p) else '"' + p + '"' for p in parts)


def _split_key(key: str) -> list[str]:
    parts = re.findall(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)", key)
    return [next(x for x in p if x) if any(p) else "" for p in parts]


def _syntax_problem(err: tomllib.TOMLDecodeError, text: str, origin: str) -> Problem:
    msg = str(err)
    m = _POS_RE.search(msg)
    line = int(m.group(1)) if m and m.group(1) else None
    column = int(m.group(2)) if m and m.group(2) else None
    base = msg[: m.start()] if m else msg
    where = "" if line is not None else " (at the end of the file)"
    declared = re.match(r"Cannot declare \((.*)\) twice", base)
    if declared:
        keys = [a or b for a, b in re.findall(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"",
                                              declared.group(1))]
        path = _dotted(keys)
        if len(keys) == 2 and keys[0] in _SINGULAR:
            message = (f"duplicate {_SINGULAR[keys[0]]} id {keys[1]!r}: [{path}] is declared "
                       f"twice (each {_SINGULAR[keys[0]]} id must be unique)")
        else:
            message = f"table [{path}] is declared twice"
        return Problem(origin, path, message + where, line)
    if base.startswith("Cannot overwrite a value") and line is not None:
        lines = text.splitlines()
        header = ""
        counts: dict[str, int] = {}
        for raw in lines[: line - 1]:
            hm = _HEADER_RE.match(raw)
            if hm:
                header = _dotted(_split_key(hm.group(1)))
                if raw.lstrip().startswith("[["):  # array of tables: name the element
                    counts[header] = counts.get(header, -1) + 1
                    header = f"{header}[{counts[header]}]"
        km = _KEY_RE.match(lines[line - 1]) if line - 1 < len(lines) else None
        if km:
            key = _dotted(_split_key(km.group(1)))
            return Problem(
                origin, f"{header}.{key}" if header else key,
                "is set twice (or clashes with a table of the same name): each key may be "
                "defined only once",
                line,
            )
    dup_inline = re.match(r"Duplicate inline table key '(.*)'", base)
    if dup_inline:
        return Problem(origin, "", f"key {dup_inline.group(1)!r} appears twice in an inline "
                       "table", line, column)
    return Problem(origin, "", f"TOML syntax error: {base}{where}", line, column)


# --------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------
def _did_you_mean(key: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(key), list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _type_name(x: object) -> str:
    if isinstance(x, bool):
        return "boolean"
    if isinstance(x, int):
        return "integer"
    if isinstance(x, float):
        return "float"
    if isinstance(x, str):
        return "string"
    if isinstance(x, dict):
        return "table"
    if isinstance(x, list | tuple):
        return "array"
    if isinstance(x, _dt.datetime):
        return "date-time"
    if isinstance(x, _dt.date):
        return "date"
    if isinstance(x, _dt.time):
        return "time"
    return type(x).__name__


def _describe(x: object) -> str:
    """Describe a value's TOML type and a short rendering, for messages."""
    name = _type_name(x)
    if isinstance(x, bool):
        return f"boolean {'true' if x else 'false'}"
    if isinstance(x, str):
        shown = x if len(x) <= 40 else x[:37] + "..."
        return f"string {shown!r}"
    if isinstance(x, int | float | _dt.date | _dt.time):
        return f"{name} {x}"
    if isinstance(x, dict):
        return "a table"
    if isinstance(x, list | tuple):
        return "an array"
    return name


def _join(path: str, key: object) -> str:
    k = str(key)
    k = k if _BARE_KEY_RE.match(k) else '"' + k + '"'
    return f"{path}.{k}" if path else k


class _Checker:
    """Collects problems while turning parsed TOML into scenario objects."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[Problem] = []
        # Known ids; None when the section itself is missing or broken (already reported),
        # so that references to it are not reported again one by one.
        self.source_keys: tuple[str, ...] | None = ()
        self.bad_roles: set[str] = set()  # actors whose roles are invalid
        self.bad_rounds: set[str] = set()  # timeline entries with invalid structure

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.origin, path, message))

    # ---- structure ----------------------------------------------------------------
    def table(self, x: object, path: str, required: tuple[str, ...] = (),
              optional: tuple[str, ...] = ()) -> dict[str, Any] | None:
        if not isinstance(x, dict):
            self.fail(path, f"must be a table, got {_describe(x)}")
            return None
        allowed = required + optional
        misspelt = set()
        for key in x:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
                if close:
                    hint = f"; did you mean {close[0]!r}?"
                    misspelt.add(close[0])
                else:
                    hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
                self.fail(_join(path, key), f"unknown field{hint}")
        for key in required:
            if key not in x and key not in misspelt:
                self.fail(_join(path, key), "missing required field")
        return x

    def table_of_tables(self, x: object, path: str, what: str) -> dict[str, Any]:
        """Check a table keyed by ids (reporting invalid ids); return it, or ``{}``."""
        if not isinstance(x, dict):
            self.fail(path, f"must be a table of {what}s keyed by id, got {_describe(x)}")
            return {}
        for key in x:
            if not _ID_RE.match(key):
                self.fail(_join(path, key), f"invalid {what} id {key!r}: ids start with a "
                          "letter and contain only letters, digits, '_' and '-'")
        return x

    def array_of_tables(self, x: object, path: str) -> list[Any]:
        if not isinstance(x, list):
            self.fail(path, f"must be an array of tables ([[{path}]]), got {_describe(x)}")
            return []
        return x

    # ---- scalars ------------------------------------------------------------------
    def string(self, x: object, path: str, *, empty_ok: bool = False) -> str | None:
        if not isinstance(x, str):
            self.fail(path, f"must be a string, got {_describe(x)}")
            return None
        if not empty_ok and not x.strip():
            self.fail(path, "must not be empty")
            return None
        return x

    def opt_string(self, tbl: dict[str, Any], key: str, path: str) -> str | None:
        return self.string(tbl[key], _join(path, key)) if key in tbl else None

    def ident(self, x: object, path: str) -> str | None:
        s = self.string(x, path)
        if s is not None and not _ID_RE.match(s):
            self.fail(path, f"invalid id {s!r}: ids start with a letter and contain only "
                      "letters, digits, '_' and '-'")
            return None
        return s

    def choice(self, x: object, path: str, options: tuple[str, ...]) -> str | None:
        s = self.string(x, path)
        if s is not None and s not in options:
            self.fail(path, f"must be one of {', '.join(options)}, got {s!r}"
                      f"{_did_you_mean(s, options)}")
            return None
        return s

    def ref(self, x: object, path: str, known: Iterable[str] | None, what: str) -> str | None:
        s = self.string(x, path)
        if s is None or known is None:
            return s
        known = tuple(known)
        if s not in known:
            self.fail(path, f"unknown {what} {s!r}{_did_you_mean(s, known)} "
                      f"({what}s: {', '.join(known) or 'none'})")
            return None
        return s

    def ref_list(self, x: object, path: str, known: Iterable[str] | None,
                 what: str) -> tuple[str, ...]:
        if not isinstance(x, list):
            self.fail(path, f"must be an array of {what} ids, got {_describe(x)}")
            return ()
        out: list[str] = []
        for i, item in enumerate(x):
            s = self.ref(item, f"{path}[{i}]", known, what)
            if s is None:
                continue
            if s in out:
                self.fail(f"{path}[{i}]", f"{what} {s!r} is listed twice")
                continue
            out.append(s)
        return tuple(out)

    def number(self, x: object, path: str, rng: _Range | None = None) -> float | None:
        if isinstance(x, bool) or not isinstance(x, int | float):
            hint = ""
            if isinstance(x, str):
                try:
                    float(x)
                    hint = " (remove the quotes)"
                except ValueError:
                    pass
            self.fail(path, f"must be a number, got {_describe(x)}{hint}")
            return None
        try:
            v = float(x)
        except OverflowError:
            self.fail(path, f"number is too large: {x}")
            return None
        if not math.isfinite(v):
            self.fail(path, f"must be a finite number, got {x}")
            return None
        if rng is not None and not rng.contains(v):
            self.fail(path, f"{rng.phrase()}, got {_num(x) if isinstance(x, float) else x}")
            return None
        return v

    def date(self, x: object, path: str) -> _dt.date | None:
        if isinstance(x, _dt.datetime):
            self.fail(path, f"must be a date like 2020-01-13, got date-time {x.isoformat()}")
            return None
        if not isinstance(x, _dt.date):
            hint = ""
            if isinstance(x, str):
                hint = " (write the date without quotes, e.g. date = 2020-01-13)"
            self.fail(path, f"must be a date like 2020-01-13, got {_describe(x)}{hint}")
            return None
        return x

    # ---- provenance ----------------------------------------------------------------
    def provenance(self, tbl: dict[str, Any], path: str, *,
                   assumption_ok: bool = True) -> Provenance:
        source, quote, note, assumption = (self.opt_string(tbl, k, path) for k in _PROV_KEYS)
        has = {k: k in tbl for k in _PROV_KEYS}
        if has["assumption"] and (has["source"] or has["quote"]):
            self.fail(path, "has both 'source' and 'assumption': give either a source with a "
                      "quote, or an assumption, not both")
        elif has["assumption"]:
            if not assumption_ok:
                self.fail(_join(path, "assumption"), "observations must be sourced: give "
                          "'source' and 'quote' instead of 'assumption'")
            elif has["note"]:
                self.fail(_join(path, "note"), "'note' explains how a value follows from a "
                          "quote; with an assumption, put the reasoning in 'assumption'")
        elif has["quote"] and not has["source"]:
            self.fail(_join(path, "quote"), "'quote' without 'source': add source = \"KEY\" "
                      "naming a key of [sources]")
        elif has["source"] and not has["quote"]:
            self.fail(_join(path, "source"), "'source' without 'quote': add quote = \"...\" "
                      "with the words the value rests on")
        elif not has["source"]:
            form = ("source = \"KEY\", quote = \"...\"" if not assumption_ok else
                    "source = \"KEY\", quote = \"...\" or assumption = \"why\"")
            self.fail(path, f"missing provenance: add {form}")
        if source is not None and self.source_keys is not None \
                and source not in self.source_keys:
            self.fail(_join(path, "source"),
                      f"unknown source {source!r}{_did_you_mean(source, self.source_keys)} "
                      f"(sources: {', '.join(self.source_keys) or 'none'})")
        return Provenance(source=source, quote=quote, note=note, assumption=assumption)

    def sourced(self, x: object, path: str, rng: _Range) -> Sourced:
        if not isinstance(x, dict):
            if isinstance(x, int | float) and not isinstance(x, bool):
                v = _num(x) if isinstance(x, float) else str(x)
                self.fail(path, f"a bare number needs its provenance: write "
                          f"{{ value = {v}, source = \"KEY\", quote = \"...\" }} or "
                          f"{{ value = {v}, assumption = \"why\" }}")
            else:
                self.fail(path, "must be a sourced number like { value = 0.5, source = "
                          f"\"KEY\", quote = \"...\" }}, got {_describe(x)}")
            return Sourced(math.nan, Provenance())
        self.table(x, path, ("value",), _PROV_KEYS)
        value = self.number(x["value"], path, rng) if "value" in x else None
        prov = self.provenance(x, path)
        return Sourced(math.nan if value is None else value, prov)


def _build(data: dict[str, Any], origin: str) -> Scenario:
    """Validate parsed TOML and build the scenario; raise with every problem found."""
    c = _Checker(origin)
    top_required = ("schema_version", "id", "title", "sources", "issues", "actors", "model",
                    "timeline")
    top_optional = ("description", "commitments", "observed", "uncertainty")
    c.table(data, "", top_required, top_optional)

    version = SCHEMA_VERSION
    if "schema_version" in data:
        sv = data["schema_version"]
        if isinstance(sv, bool) or not isinstance(sv, int):
            c.fail("schema_version", f"must be the integer {SCHEMA_VERSION}, got {_describe(sv)}")
        elif sv != SCHEMA_VERSION:
            c.fail("schema_version", f"unsupported schema version {sv}: this version of negsim "
                   f"reads version {SCHEMA_VERSION}")
        else:
            version = sv
    sid = c.ident(data["id"], "id") if "id" in data else None
    title = c.string(data["title"], "title") if "title" in data else None
    description = (c.string(data["description"], "description", empty_ok=True)
                   if "description" in data else "")

    # Ids first, so that references can be checked whatever order the tables come in.
    raw_sources = c.table_of_tables(data.get("sources", {}), "sources", "source")
    raw_issues = c.table_of_tables(data.get("issues", {}), "issues", "issue")
    raw_actors = c.table_of_tables(data.get("actors", {}), "actors", "actor")
    raw_commitments = c.table_of_tables(data.get("commitments", {}), "commitments",
                                        "commitment")
    c.source_keys = _known(data, "sources", raw_sources)
    issue_ids = _known(data, "issues", raw_issues)
    actor_ids = _known(data, "actors", raw_actors)
    commitment_ids = _known(data, "commitments", raw_commitments, optional=True)
    if "issues" in data and isinstance(data["issues"], dict) and not data["issues"]:
        c.fail("issues", "needs at least one issue")
    if "actors" in data and isinstance(data["actors"], dict) and len(data["actors"]) < 2:
        c.fail("actors", f"needs at least two actors, got {len(data['actors'])}")

    sources = tuple(_source(c, k, v) for k, v in raw_sources.items())
    issues = tuple(_issue(c, k, v) for k, v in raw_issues.items())
    actors = tuple(_actor(c, k, v, issue_ids, actor_ids) for k, v in raw_actors.items())
    model = _model(c, data["model"]) if "model" in data else _model(c, None, report=False)
    commitments = tuple(_commitment(c, k, v, issue_ids) for k, v in raw_commitments.items())
    timeline = _timeline(c, data.get("timeline"), actors, actor_ids, commitment_ids) \
        if "timeline" in data else ()
    raw_timeline = data.get("timeline")
    round_ids = (tuple(dict.fromkeys(t.id for t in timeline if t.id))
                 if isinstance(raw_timeline, list) and raw_timeline else None)
    observed = tuple(_observations(c, data["observed"], timeline, round_ids, actor_ids,
                                   commitment_ids)) if "observed" in data else ()
    scenario = Scenario(
        schema_version=version,
        id=sid or "",
        title=title or "",
        description=description or "",
        sources=sources,
        issues=issues,
        actors=actors,
        model=model,
        commitments=commitments,
        timeline=timeline,
        observed=observed,
        uncertainty=(),
        origin=origin,
    )
    if "uncertainty" in data:
        unc = tuple(_uncertainties(c, data["uncertainty"], scenario,
                                   check_paths=None not in (issue_ids, actor_ids)))
        scenario = dataclasses.replace(scenario, uncertainty=unc)
    if c.problems:
        raise ScenarioError(c.problems)
    return scenario


def _known(data: dict[str, Any], section: str, raw: dict[str, Any],
           optional: bool = False) -> tuple[str, ...] | None:
    """Return the ids of a section, or ``None`` if it is missing, empty or not a table."""
    if section not in data:
        return () if optional else None
    if not isinstance(data[section], dict) or (not raw and not optional):
        return None
    return tuple(raw)


def _source(c: _Checker, key: str, x: object) -> Source:
    path = _join("sources", key)
    tbl = c.table(x, path, ("title",), ("file", "url", "date"))
    if tbl is None:
        return Source(key, "")
    title = c.opt_string(tbl, "title", path) or ""
    date = c.date(tbl["date"], _join(path, "date")) if "date" in tbl else None
    return Source(key, title, c.opt_string(tbl, "file", path), c.opt_string(tbl, "url", path),
                  date)


def _issue(c: _Checker, key: str, x: object) -> Issue:
    path = _join("issues", key)
    tbl = c.table(x, path, ("name", "low", "high", "status_quo"))
    if tbl is None:
        return Issue(key, "", "", "", Sourced(math.nan, Provenance()))
    sq = (c.sourced(tbl["status_quo"], _join(path, "status_quo"), _UNIT)
          if "status_quo" in tbl else Sourced(math.nan, Provenance()))
    return Issue(key, c.opt_string(tbl, "name", path) or "", c.opt_string(tbl, "low", path)
                 or "", c.opt_string(tbl, "high", path) or "", sq)


_NAN = Sourced(math.nan, Provenance())


def _actor(c: _Checker, aid: str, x: object, issue_ids: tuple[str, ...] | None,
           actor_ids: tuple[str, ...] | None) -> Actor:
    path = _join("actors", aid)
    tbl = c.table(x, path, ("name", "roles", "capability", "demands"),
                  ("red_lines", "backs", "outside_option"))
    if tbl is None:
        return Actor(aid, "", (), _NAN)
    name = c.opt_string(tbl, "name", path) or ""
    roles: list[str] = []
    n_problems = len(c.problems)
    if "roles" in tbl:
        rpath = _join(path, "roles")
        raw_roles = tbl["roles"]
        if isinstance(raw_roles, str):
            c.fail(rpath, f"must be an array of roles, e.g. roles = [{raw_roles!r}]")
        elif not isinstance(raw_roles, list):
            c.fail(rpath, f"must be an array of roles, got {_describe(raw_roles)}")
        elif not raw_roles:
            c.fail(rpath, f"needs at least one role ({', '.join(ROLES)})")
        else:
            for i, r in enumerate(raw_roles):
                role = c.choice(r, f"{rpath}[{i}]", ROLES)
                if role is not None and role in roles:
                    c.fail(f"{rpath}[{i}]", f"role {role!r} is listed twice")
                elif role is not None:
                    roles.append(role)
    if len(c.problems) > n_problems or "roles" not in tbl:
        c.bad_roles.add(aid)
    capability = (c.sourced(tbl["capability"], _join(path, "capability"), _NONNEG)
                  if "capability" in tbl else _NAN)

    demands: list[Demand] = []
    if "demands" in tbl:
        dpath = _join(path, "demands")
        raw = tbl["demands"]
        if not isinstance(raw, dict):
            c.fail(dpath, f"must be a table of demands keyed by issue id, got {_describe(raw)}")
        else:
            for issue, body in raw.items():
                ipath = _join(dpath, issue)
                if issue_ids is not None and issue not in issue_ids:
                    c.fail(ipath, f"unknown issue {issue!r}{_did_you_mean(issue, issue_ids)} "
                           f"(issues: {', '.join(issue_ids) or 'none'})")
                if isinstance(body, int | float) and not isinstance(body, bool):
                    c.fail(ipath, "a demand is a table { ideal = { value = ..., source = ..., "
                           "quote = ... }, salience = { value = ..., assumption = ... } }")
                    continue
                dt = c.table(body, ipath, ("ideal", "salience"))
                if dt is None:
                    continue
                ideal = (c.sourced(dt["ideal"], _join(ipath, "ideal"), _UNIT)
                         if "ideal" in dt else _NAN)
                sal = (c.sourced(dt["salience"], _join(ipath, "salience"), _UNIT)
                       if "salience" in dt else _NAN)
                demands.append(Demand(issue, ideal, sal))

    red_lines: list[RedLine] = []
    if "red_lines" in tbl:
        rpath = _join(path, "red_lines")
        for i, body in enumerate(c.array_of_tables(tbl["red_lines"], rpath)):
            red_lines.append(_red_line(c, f"{rpath}[{i}]", body, issue_ids, demands))

    backs: list[PatronLink] = []
    if "backs" in tbl:
        bpath = _join(path, "backs")
        raw = tbl["backs"]
        if not isinstance(raw, dict):
            c.fail(bpath, f"must be a table of patron links keyed by client id, "
                   f"got {_describe(raw)}")
        else:
            for client, body in raw.items():
                cpath = _join(bpath, client)
                if client == aid:
                    c.fail(cpath, f"a patron cannot back itself ({aid!r} backs {aid!r})")
                elif actor_ids is not None and client not in actor_ids:
                    c.fail(cpath, f"unknown actor {client!r}{_did_you_mean(client, actor_ids)} "
                           f"(actors: {', '.join(actor_ids)})")
                lt = c.table(body, cpath, ("leverage", "support"))
                if lt is None:
                    continue
                lev = (c.sourced(lt["leverage"], _join(cpath, "leverage"), _UNIT)
                       if "leverage" in lt else _NAN)
                sup = (c.sourced(lt["support"], _join(cpath, "support"), _UNIT)
                       if "support" in lt else _NAN)
                backs.append(PatronLink(client, lev, sup))

    outside: OutsideOption | None = None
    opath = _join(path, "outside_option")
    if "outside_option" in tbl:
        ot = c.table(tbl["outside_option"], opath, ("cost", "discount"))
        if ot is not None:
            cost = c.sourced(ot["cost"], _join(opath, "cost"), _NONNEG) if "cost" in ot \
                else _NAN
            disc = (c.sourced(ot["discount"], _join(opath, "discount"), _OPEN_UNIT)
                    if "discount" in ot else _NAN)
            outside = OutsideOption(cost, disc)
    elif "belligerent" in roles:
        c.fail(opath, "missing: a belligerent needs an outside option, e.g. outside_option = "
               "{ cost = { value = ..., ... }, discount = { value = ..., ... } }")
    return Actor(aid, name, tuple(roles), capability, tuple(demands), tuple(red_lines),
                 tuple(backs), outside)


def _red_line(c: _Checker, path: str, x: object, issue_ids: tuple[str, ...] | None,
              demands: list[Demand]) -> RedLine:
    tbl = c.table(x, path, ("issue", "description"), ("min", "max", *_PROV_KEYS))
    if tbl is None:
        return RedLine("", None, None, "", Provenance())
    issue = c.ref(tbl["issue"], _join(path, "issue"), issue_ids, "issue") \
        if "issue" in tbl else None
    lo = c.number(tbl["min"], _join(path, "min"), _UNIT) if "min" in tbl else None
    hi = c.number(tbl["max"], _join(path, "max"), _UNIT) if "max" in tbl else None
    if "min" not in tbl and "max" not in tbl:
        c.fail(path, "a red line needs 'min', 'max' or both (the text must have the issue "
               "at least min / at most max)")
    if lo is not None and hi is not None and lo > hi:
        c.fail(path, f"min {_num(lo)} is greater than max {_num(hi)}: no text could satisfy "
               "this red line")
    description = c.opt_string(tbl, "description", path) or ""
    prov = c.provenance(tbl, path)
    rl = RedLine(issue or "", lo, hi, description, prov)
    if issue is not None and (lo is None or hi is None or lo <= hi):
        for d in demands:
            if d.issue == issue and math.isfinite(d.ideal.value) and not rl.allows(
                d.ideal.value, tol=0.0
            ):
                c.fail(path, f"the actor's own ideal point on {issue!r} "
                       f"({_num(d.ideal.value)}) violates this red line ({rl.bounds_text()})")
    return rl


def _model(c: _Checker, x: object, report: bool = True) -> ModelParams:
    if not report:
        return ModelParams(*(_NAN,) * len(_MODEL_FIELDS))
    tbl = c.table(x, "model", _MODEL_FIELDS)
    if tbl is None:
        return ModelParams(*(_NAN,) * len(_MODEL_FIELDS))
    values = [
        c.sourced(tbl[f], f"model.{f}", _FIELD_RANGES[f]) if f in tbl else _NAN
        for f in _MODEL_FIELDS
    ]
    return ModelParams(*values)


def _commitment(c: _Checker, key: str, x: object,
                issue_ids: tuple[str, ...] | None) -> Commitment:
    path = _join("commitments", key)
    tbl = c.table(x, path, ("name", "issue", "effect", "breach_cost"))
    if tbl is None:
        return Commitment(key, "", "", "", _NAN)
    issue = c.ref(tbl["issue"], _join(path, "issue"), issue_ids, "issue") \
        if "issue" in tbl else None
    effect = c.choice(tbl["effect"], _join(path, "effect"), EFFECTS) if "effect" in tbl else None
    cost = (c.sourced(tbl["breach_cost"], _join(path, "breach_cost"), _NONNEG)
            if "breach_cost" in tbl else _NAN)
    return Commitment(key, c.opt_string(tbl, "name", path) or "", issue or "", effect or "",
                      cost)


def _timeline(c: _Checker, x: object, actors: tuple[Actor, ...],
              actor_ids: tuple[str, ...] | None,
              commitment_ids: tuple[str, ...] | None) -> tuple[TimelineEntry, ...]:
    entries = c.array_of_tables(x, "timeline")
    if isinstance(x, list) and not x:
        c.fail("timeline", "needs at least one entry")
    by_id = {a.id: a for a in actors if a.id not in c.bad_roles}
    out: list[TimelineEntry] = []
    seen: dict[str, int] = {}
    prev: tuple[_dt.date, int] | None = None
    for i, body in enumerate(entries):
        path = f"timeline[{i}]"
        tbl = c.table(body, path, ("id", "date", "kind", "description"),
                      ("end", "participants", "mediators", "observers", "commitments",
                       *_PROV_KEYS))
        if tbl is None:
            continue
        eid = c.ident(tbl["id"], _join(path, "id")) if "id" in tbl else None
        if eid is not None:
            if eid in seen:
                c.fail(_join(path, "id"), f"duplicate timeline id {eid!r} (also "
                       f"timeline[{seen[eid]}])")
                c.bad_rounds.add(eid)
            else:
                seen[eid] = i
        date = c.date(tbl["date"], _join(path, "date")) if "date" in tbl else None
        end = c.date(tbl["end"], _join(path, "end")) if "end" in tbl else None
        if date is not None and end is not None and end < date:
            c.fail(_join(path, "end"), f"end {end} is before the start date {date}")
        if date is not None:
            if prev is not None and date < prev[0]:
                c.fail(_join(path, "date"), f"{date} is before the previous entry's date "
                       f"{prev[0]} (timeline[{prev[1]}]): timeline entries must be in date "
                       "order")
            prev = (date, i)
        n_problems = len(c.problems)
        kind = c.choice(tbl["kind"], _join(path, "kind"), round_kinds()) if "kind" in tbl else None
        description = c.opt_string(tbl, "description", path) or ""
        lists: dict[str, tuple[str, ...]] = {}
        for name in ("participants", "mediators", "observers"):
            lists[name] = (c.ref_list(tbl[name], _join(path, name), actor_ids, "actor")
                           if name in tbl else ())
        lists["commitments"] = (c.ref_list(tbl["commitments"], _join(path, "commitments"),
                                           commitment_ids, "commitment")
                                if "commitments" in tbl else ())
        _check_round(c, path, tbl, kind, lists, by_id)
        if eid is not None and (len(c.problems) > n_problems or kind is None):
            c.bad_rounds.add(eid)
        prov = c.provenance(tbl, path)
        out.append(TimelineEntry(eid or "", date or _dt.date.min, end, kind or "", description,
                                 lists["participants"], lists["mediators"], lists["observers"],
                                 lists["commitments"], prov))
    return tuple(out)


def _check_round(c: _Checker, path: str, tbl: dict[str, Any], kind: str | None,
                 lists: dict[str, tuple[str, ...]], by_id: dict[str, Actor]) -> None:
    """Check what every entry shares, then what its kind asks (:mod:`negsim.scenario.kinds`)."""
    if kind is not None:
        for name in ("commitments",):
            if name in tbl and name not in round_kind(kind).lists:
                having = [k for k in round_kinds() if name in round_kind(k).lists]
                c.fail(_join(path, name), f"only {_a_or_an(having)} {_has(having, name)}, not "
                       f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}")
        round_kind(kind).validate(EntryCheck(path, tbl, lists, by_id, c.fail, _join))
    for name_a, name_b in (("participants", "mediators"), ("participants", "observers"),
                           ("mediators", "observers")):
        both = [a for a in lists[name_a] if a in lists[name_b]]
        if both:
            c.fail(_join(path, name_b), f"{', '.join(map(repr, both))} cannot be both in "
                   f"{name_a} and {name_b}")


def _a_or_an(kinds: list[str]) -> str:
    words = [f"{'an' if k[0] in 'aeiou' else 'a'} {k}" for k in kinds]
    return " or ".join(words) if words else "no kind"


def _has(kinds: list[str], name: str) -> str:
    return f"{'has' if len(kinds) <= 1 else 'have'} {name}"


def _observations(c: _Checker, x: object, timeline: tuple[TimelineEntry, ...],
                  round_ids: tuple[str, ...] | None, actor_ids: tuple[str, ...] | None,
                  commitment_ids: tuple[str, ...] | None) -> list[Observation]:
    rounds: dict[str, TimelineEntry] = {}
    for t in timeline:
        rounds.setdefault(t.id, t)
    out: list[Observation] = []
    seen: dict[tuple[Any, ...], int] = {}
    for i, body in enumerate(c.array_of_tables(x, "observed")):
        path = f"observed[{i}]"
        tbl = c.table(body, path, ("round",),
                      ("actor", "decision", "commitment", "outcome", *_PROV_KEYS))
        if tbl is None:
            continue
        rid = c.ref(tbl["round"], _join(path, "round"), round_ids, "timeline id") \
            if "round" in tbl else None
        entry = rounds.get(rid) if rid is not None and rid not in c.bad_rounds else None
        actor = c.ref(tbl["actor"], _join(path, "actor"), actor_ids, "actor") \
            if "actor" in tbl else None
        decision = (c.choice(tbl["decision"], _join(path, "decision"), _decisions())
                    if "decision" in tbl else None)
        commitment = (c.ref(tbl["commitment"], _join(path, "commitment"), commitment_ids,
                            "commitment") if "commitment" in tbl else None)
        outcome = (c.choice(tbl["outcome"], _join(path, "outcome"), OUTCOMES)
                   if "outcome" in tbl else None)
        if "decision" in tbl and "outcome" in tbl:
            c.fail(path, "has both 'decision' and 'outcome': record an actor's decision and "
                   "the round's outcome as separate observations")
        elif "decision" not in tbl and "outcome" not in tbl:
            c.fail(path, "needs 'decision' (with 'actor') or 'outcome'")
        if "decision" in tbl and "actor" not in tbl:
            c.fail(_join(path, "actor"), "missing: a decision needs the actor who made it")
        if "outcome" in tbl and "actor" in tbl:
            c.fail(_join(path, "actor"), "an outcome is the round's, not an actor's: omit "
                   "'actor'")
        takes_commitment = decision is not None and _decided_in(decision).lists >= {
            "commitments"}
        if takes_commitment and "commitment" not in tbl:
            c.fail(_join(path, "commitment"), f"missing: a {decision!r} decision names the "
                   "commitment")
        if "commitment" in tbl and not takes_commitment \
                and "decision" in tbl and decision is not None:
            named = "/".join(d for k in round_kinds() if "commitments" in round_kind(k).lists
                             for d in round_kind(k).decisions)
            c.fail(_join(path, "commitment"), f"only {named} decisions name a "
                   f"commitment, not {decision!r}")
        if "commitment" in tbl and "decision" not in tbl:
            c.fail(_join(path, "commitment"), "a commitment goes with decision = \"commit\" "
                   "or \"no_commit\"")
        if entry is not None:
            kind = round_kind(entry.kind)
            if not kind.decides:
                c.fail(_join(path, "round"), f"{rid!r} is {'an' if entry.kind[0] in 'aeiou' else 'a'} "
                       f"{entry.kind}, not a round: nothing is decided in it")
            elif decision is not None and decision not in kind.decisions:
                c.fail(_join(path, "decision"), f"{decision!r} is a decision "
                       f"{_decided_in(decision).decision_place}; {rid!r} is a {entry.kind}")
            if actor is not None and decision is not None and kind.decides \
                    and actor not in entry.participants:
                c.fail(_join(path, "actor"), f"{actor!r} is not a participant of {rid!r} "
                       f"(participants: {', '.join(entry.participants) or 'none'})")
            if commitment is not None and "commitments" in kind.lists \
                    and commitment not in entry.commitments:
                c.fail(_join(path, "commitment"), f"{commitment!r} is not on the table at "
                       f"{rid!r} (commitments: {', '.join(entry.commitments) or 'none'})")
        prov = c.provenance(tbl, path, assumption_ok=False)
        key = (rid, actor, commitment, "outcome" if "outcome" in tbl else "decision")
        if rid is not None and key in seen:
            c.fail(path, f"duplicates observed[{seen[key]}] (same round, actor and kind)")
        elif rid is not None:
            seen[key] = i
        out.append(Observation(rid or "", actor, decision, commitment, outcome, prov))
    return out


def _uncertainties(c: _Checker, x: object, scenario: Scenario,
                   check_paths: bool = True) -> list[Uncertainty]:
    paths = scenario.parameter_paths()
    out: list[Uncertainty] = []
    seen: dict[str, int] = {}
    for i, body in enumerate(c.array_of_tables(x, "uncertainty")):
        path = f"uncertainty[{i}]"
        tbl = c.table(body, path, ("parameter", "distribution"),
                      ("low", "high", "mode", "mean", "sd", *_PROV_KEYS))
        if tbl is None:
            continue
        param = c.string(tbl["parameter"], _join(path, "parameter")) \
            if "parameter" in tbl else None
        rng: _Range | None = None
        if param is not None:
            if param not in paths and not check_paths:
                pass
            elif param not in paths:
                hint = _did_you_mean(param, paths) or (
                    " (a parameter is the dotted path of a sourced number, e.g. "
                    f"{paths[0]!r})" if paths else ""
                )
                c.fail(_join(path, "parameter"), f"unknown parameter path {param!r}{hint}")
            else:
                rng = _FIELD_RANGES[param.rsplit(".", 1)[-1]]
                if param in seen:
                    c.fail(_join(path, "parameter"), f"{param!r} already has a distribution "
                           f"(uncertainty[{seen[param]}])")
                else:
                    seen[param] = i
        dist = (c.choice(tbl["distribution"], _join(path, "distribution"), DISTRIBUTIONS)
                if "distribution" in tbl else None)
        values: dict[str, float | None] = {}
        for name in ("low", "high", "mode", "mean", "sd"):
            values[name] = c.number(tbl[name], _join(path, name)) if name in tbl else None
        if dist is not None:
            needed = _DIST_PARAMS[dist]
            for name in ("low", "high", "mode", "mean", "sd"):
                if name in needed and name not in tbl:
                    c.fail(_join(path, name), f"missing: a {dist} distribution needs "
                           f"{_and(needed)}")
                elif name not in needed and name in tbl:
                    c.fail(_join(path, name), f"not a parameter of a {dist} distribution "
                           f"(it takes {_and(needed)})")
            _check_distribution(c, path, dist, values, rng, param)
        prov = c.provenance(tbl, path)
        out.append(Uncertainty(param or "", dist or "uniform", values["low"], values["high"],
                               values["mode"], values["mean"], values["sd"], prov))
    return out


def _and(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _check_distribution(c: _Checker, path: str, dist: str, v: dict[str, float | None],
                        rng: _Range | None, param: str | None) -> None:
    lo, hi, mode, mean, sd = (v[k] for k in ("low", "high", "mode", "mean", "sd"))
    if dist in ("uniform", "triangular"):
        if lo is not None and hi is not None and lo > hi:
            c.fail(_join(path, "low"), f"low {_num(lo)} is greater than high {_num(hi)}")
        if dist == "triangular" and mode is not None and lo is not None and hi is not None \
                and lo <= hi and not lo <= mode <= hi:
            c.fail(_join(path, "mode"), f"mode {_num(mode)} is outside [low, high] = "
                   f"[{_num(lo)}, {_num(hi)}]")
        if rng is not None:
            for name in _DIST_PARAMS[dist]:
                value = v[name]
                if value is not None and not rng.contains(value):
                    c.fail(_join(path, name), f"{rng.phrase()} (the valid range of {param}), "
                           f"got {_num(value)}")
    elif dist == "normal":
        if sd is not None and sd <= 0:
            c.fail(_join(path, "sd"), f"must be > 0, got {_num(sd)}")
        if rng is not None and mean is not None:
            lo_b, hi_b = rng.lo, rng.hi
            if not lo_b <= mean <= hi_b:
                c.fail(_join(path, "mean"), f"must be within the valid range {rng} of "
                       f"{param} (the normal is truncated to it), got {_num(mean)}")


def _decisions() -> tuple[str, ...]:
    """Every decision an observation can record: those of the registered round kinds."""
    return tuple(d for k in round_kinds() for d in round_kind(k).decisions)


def _decided_in(decision: str) -> RoundKind:
    """Return the registered kind whose decisions include ``decision``."""
    return next(round_kind(k) for k in round_kinds() if decision in round_kind(k).decisions)
