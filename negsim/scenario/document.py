"""The :class:`Scenario` document: lookups, parameter paths, changed copies and output.

A :class:`Scenario` holds the issues under negotiation, the actors with their demands, red
lines, patron links and outside options, the model-wide parameters, the commitments powers
can make at a conference, the timeline of rounds, what was actually observed, and the
uncertainty of the numbers (the parts are in :mod:`negsim.scenario.elements`).
:func:`build_scenario` validates parsed TOML and builds one, with every problem found
reported at once in a :class:`~negsim.scenario.errors.ScenarioError`;
:meth:`Scenario.with_overrides` uses it to validate a changed copy like a file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from negsim.scenario.checker import Checker
from negsim.scenario.elements import (
    Actor,
    Commitment,
    Issue,
    ModelParams,
    Observation,
    Source,
    Sourced,
    TimelineEntry,
    Uncertainty,
)
from negsim.scenario.errors import (
    Problem,
    ScenarioError,
    ScenarioKeyError,
    describe_value,
    did_you_mean,
    format_number,
)
from negsim.scenario.kinds import round_kind, round_kinds
from negsim.scenario.limits import check_sizes
from negsim.scenario.outside_table import check_war
from negsim.scenario.paths import (
    check_red_line_draws,
    field_range,
    find_numbers,
    split_path,
    walk_numbers,
)
from negsim.scenario.sections import (
    read_actor,
    read_commitment,
    read_issue,
    read_model,
    read_source,
    read_uncertainties,
)
from negsim.scenario.timeline import read_observations, read_timeline
from negsim.scenario.toml_io import dump_toml
from negsim.scenario.vocabulary import PROV_KEYS, SCHEMA_VERSION
from negsim.scenario.words import Words, read_words

__all__ = ["Scenario", "build_scenario"]


@dataclass(frozen=True, slots=True, repr=False)
class Scenario:
    """A validated negotiation scenario.

    Build one with :func:`load_scenario` or :func:`parse_scenario`; all collections are
    tuples in file order. ``origin`` (the file, or ``builtin:NAME``) is used in error
    messages and is not part of equality, hashing or :meth:`fingerprint`.

    Examples
    --------
    >>> from negsim.scenario import MINIMAL, parse_scenario
    >>> s = parse_scenario(MINIMAL, "minimal.toml")
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
    words: Words = field(default_factory=Words)

    def __repr__(self) -> str:
        return (
            f"Scenario(id={self.id!r}, actors={len(self.actors)}, issues={len(self.issues)}, "
            f"timeline={len(self.timeline)}, origin={self.origin!r})"
        )

    def _repr_html_(self) -> str:
        from negsim.scenario.display import scenario_html

        return scenario_html(self)

    # ---- lookups ------------------------------------------------------------------
    def _lookup(self, items: tuple[Any, ...], key: str, what: str, attr: str = "id") -> Any:
        for item in items:
            if getattr(item, attr) == key:
                return item
        known = [getattr(item, attr) for item in items]
        raise ScenarioKeyError(
            [Problem(self.origin, "", f"unknown {what} {key!r}{did_you_mean(key, known)}"
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
        """Every dotted path to a number, in file order.

        These are the paths accepted by :meth:`get`, :meth:`with_overrides` and the
        ``parameter`` of an ``[[uncertainty]]`` entry: every sourced number, and the bounds
        of the red lines by index (``actors.A.red_lines[0].min``); see
        :mod:`negsim.scenario.paths`.

        Examples
        --------
        >>> from negsim.scenario import MINIMAL, parse_scenario
        >>> parse_scenario(MINIMAL).parameter_paths()[:2]
        ('issues.border.status_quo', 'actors.A.capability')
        """
        return tuple(path for path, _ in walk_numbers(self.to_dict()))

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
        >>> from negsim.scenario import MINIMAL, parse_scenario
        >>> parse_scenario(MINIMAL).get("model.rationality")
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
        >>> from negsim.scenario import MINIMAL, parse_scenario
        >>> s = parse_scenario(MINIMAL)
        >>> s.parameter_bounds("actors.A.demands.border.salience")
        (0.0, 1.0)
        >>> s.parameter_bounds("actors.A.capability")
        (0.0, inf)
        """
        self.sourced(path)
        return field_range(path).closed()

    def parameter_range(self, path: str) -> str:
        """Return the documented valid range of the number at ``path``, e.g. ``(0, 1]``."""
        self.sourced(path)
        return str(field_range(path))

    def _unknown_path(self, path: str) -> str:
        return f"unknown parameter path{self._path_hint(path)}"

    def _path_hint(self, path: str) -> str:
        """Return the "did you mean" hint for an unknown path, matching names to ids."""
        paths = self.parameter_paths()
        named = self._path_by_names(path)
        hint = did_you_mean(named, paths) if named != path else ""
        return hint or did_you_mean(path, paths)

    def _path_by_names(self, path: str) -> str:
        """Return ``path`` with its actor, issue and commitment segments matched by name.

        A segment is matched case-insensitively to an id or a name, as in
        :func:`_match_item` (``actors.haftar.capability`` -> ``actors.LNA.capability``).
        """
        parts = path.split(".")
        kinds = {"actors": self.actors, "issues": self.issues, "commitments": self.commitments}
        for j in range(1, len(parts)):
            before = parts[j - 1]
            if j == 1 and before in kinds:
                items = kinds[before]
            elif j == 3 and parts[0] == "actors" and before in ("demands", "backs"):
                items = self.issues if before == "demands" else self.actors
            else:
                continue
            parts[j] = _match_item(parts[j], items)
        return ".".join(parts)

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
        >>> from negsim.scenario import MINIMAL, parse_scenario
        >>> s = parse_scenario(MINIMAL, "minimal.toml")
        >>> s.with_overrides({"model.rationality": 2}).get("model.rationality")
        2.0
        >>> s.with_overrides({"actors.A.demands.border.salience": 1.7})
        Traceback (most recent call last):
        ...
        negsim.scenario.errors.ScenarioError: minimal.toml: actors.A.demands.border.salience: ...
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
                    Problem(self.origin, path, f"must be a number, got {describe_value(value)}")
                )
                continue
            new = float(value)
            pinned.add(path)
            if new == old.value:
                continue
            node: Any = raw
            parts = split_path(path)
            for part in parts[:-1]:
                node = node[part]
            why = f"override: {path} = {_fmt_value(new)} (was {_fmt_value(old.value)})"
            if isinstance(node[parts[-1]], dict):
                node[parts[-1]] = {"value": new, "assumption": why}
            else:  # a plain number in a table with its own provenance (a red line's bound)
                node[parts[-1]] = new
                for key in PROV_KEYS:
                    node.pop(key, None)
                node["assumption"] = why
        if problems:
            raise ScenarioError(problems)
        if "uncertainty" in raw:
            kept = [u for u in raw["uncertainty"] if u["parameter"] not in pinned]
            if kept:
                raw["uncertainty"] = kept
            else:
                del raw["uncertainty"]
        return build_scenario(raw, self.origin)

    def without_observed(self) -> Scenario:
        """Return a copy without the ``observed`` records (what a forecast may see)."""
        return dataclasses.replace(self, observed=())

    # ---- output ---------------------------------------------------------------------
    def to_dict(self, words: bool = True) -> dict[str, Any]:
        """Return the scenario as nested dicts and lists in the shape of the TOML file.

        ``words=False`` leaves out ``[words]``, the actors' ``words`` and the commitments'
        ``keep`` and ``break`` phrases (what :meth:`fingerprint` hashes: words change no
        result).

        Examples
        --------
        >>> from negsim.scenario import MINIMAL, parse_scenario
        >>> d = parse_scenario(MINIMAL).to_dict()
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
        out["actors"] = {a.id: a._to_dict(words) for a in self.actors}
        out["model"] = self.model._to_dict()
        if self.commitments:
            out["commitments"] = {c.id: c._to_dict(words) for c in self.commitments}
        out["timeline"] = [t._to_dict() for t in self.timeline]
        if self.observed:
            out["observed"] = [o._to_dict() for o in self.observed]
        if self.uncertainty:
            out["uncertainty"] = [u._to_dict() for u in self.uncertainty]
        if words and not self.words.is_default:
            out["words"] = self.words._to_dict()
        return out

    def to_toml(self, words: bool = True) -> str:
        """Return the scenario as a TOML file; ``parse_scenario(s.to_toml()) == s``."""
        header = (
            f"# negsim scenario {self.id} (schema version {self.schema_version}); "
            "format: docs/reference/scenario-format.md\n\n"
        )
        return header + dump_toml(self.to_dict(words))

    def fingerprint(self) -> str:
        """SHA-256 (hex) of :meth:`to_toml` without the words: equal scenarios, equal prints.

        The words (``[words]``, ``[actors.ID.words]``, the commitments' ``keep`` and
        ``break``) are left out: they name the choices in printed text and change no number
        of a result.

        Examples
        --------
        >>> from negsim.scenario import MINIMAL, parse_scenario
        >>> s = parse_scenario(MINIMAL)
        >>> len(s.fingerprint()), s.fingerprint() == parse_scenario(s.to_toml()).fingerprint()
        (64, True)
        """
        return hashlib.sha256(self.to_toml(words=False).encode("utf-8")).hexdigest()


def _resolve(scenario: Scenario, path: str) -> Sourced | None:
    """Return the number at ``path`` with its provenance, or ``None`` if there is none."""
    return find_numbers(scenario.to_dict()).get(path)


def _fmt_value(x: float) -> str:
    return format_number(float(x))


def _is_real(x: object) -> bool:
    if isinstance(x, int | float):
        return True
    # numpy scalars and other real numbers without importing numpy
    try:
        import numbers

        return isinstance(x, numbers.Real)
    except ImportError:  # pragma: no cover
        return False


def build_scenario(data: dict[str, Any], origin: str) -> Scenario:
    """Validate parsed TOML and build the scenario; raise with every problem found.

    Parameters
    ----------
    data : dict
        The parsed TOML document (nested dicts and lists, as :func:`tomllib.loads` gives).
    origin : str
        Where the data came from, used in error messages.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        With every problem found in the data.

    Examples
    --------
    >>> import tomllib
    >>> from negsim.scenario import MINIMAL
    >>> build_scenario(tomllib.loads(MINIMAL), "minimal.toml").actor_ids
    ('A', 'B', 'M')
    >>> build_scenario({"id": "x"}, "bad.toml")
    Traceback (most recent call last):
    ...
    negsim.scenario.errors.ScenarioError: bad.toml: schema_version: missing required field
    ...
    """
    check_sizes(data, origin)
    c = Checker(origin)
    top_required = ("schema_version", "id", "title", "sources", "issues", "actors", "model",
                    "timeline")
    top_optional = ("description", "commitments", "observed", "uncertainty", "words")
    c.table(data, "", top_required, top_optional)

    version = SCHEMA_VERSION
    if "schema_version" in data:
        sv = data["schema_version"]
        if isinstance(sv, bool) or not isinstance(sv, int):
            c.fail("schema_version",
                   f"must be the integer {SCHEMA_VERSION}, got {describe_value(sv)}")
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
    # An empty [sources] is a table with no keys: every source reference is then unknown.
    c.source_keys = tuple(raw_sources) if isinstance(data.get("sources"), dict) else None
    issue_ids = _known(data, "issues", raw_issues)
    actor_ids = _known(data, "actors", raw_actors)
    commitment_ids = _known(data, "commitments", raw_commitments, optional=True)
    if "issues" in data and isinstance(data["issues"], dict) and not data["issues"]:
        c.fail("issues", "needs at least one issue")
    if "actors" in data and isinstance(data["actors"], dict) and len(data["actors"]) < 2:
        c.fail("actors", f"needs at least two actors, got {len(data['actors'])}")

    sources = tuple(read_source(c, k, v) for k, v in raw_sources.items())
    issues = tuple(read_issue(c, k, v) for k, v in raw_issues.items())
    actors = tuple(read_actor(c, k, v, issue_ids, actor_ids) for k, v in raw_actors.items())
    check_war(c, actors)
    model = (read_model(c, data["model"]) if "model" in data
             else read_model(c, None, report=False))
    commitments = tuple(read_commitment(c, k, v, issue_ids, actor_ids)
                        for k, v in raw_commitments.items())
    timeline = read_timeline(c, data.get("timeline"), actors, actor_ids, commitment_ids) \
        if "timeline" in data else ()
    if isinstance(data.get("model"), dict):
        for i, t in enumerate(timeline):
            for f in (round_kind(t.kind).model_fields if t.kind in round_kinds() else ()):
                if f not in data["model"]:
                    c.fail(f"model.{f}", f"missing: the {t.kind} entry {t.id!r} (timeline[{i}]) "
                           "needs it")
    raw_timeline = data.get("timeline")
    round_ids = (tuple(dict.fromkeys(t.id for t in timeline if t.id))
                 if isinstance(raw_timeline, list) and raw_timeline else None)
    observed = tuple(read_observations(c, data["observed"], timeline, round_ids, actor_ids,
                                       commitment_ids, actors=actors, commitments=commitments)
                     ) if "observed" in data else ()
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
        words=read_words(c, data["words"]) if "words" in data else Words(),
    )
    if "uncertainty" in data:
        unc = tuple(read_uncertainties(c, data["uncertainty"], scenario.parameter_paths(),
                                       check_paths=None not in (issue_ids, actor_ids),
                                       hint=scenario._path_hint))
        scenario = dataclasses.replace(scenario, uncertainty=unc)
        if not c.problems:
            check_red_line_draws(c, scenario.to_dict(), unc)
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


def _match_item(typed: str, items: tuple[Any, ...]) -> str:
    """Return the id of the one item whose id or name matches ``typed``, else ``typed``.

    Case-insensitive: the id or the name equal to it, a word of the name, or (4 characters
    or more) a part of the name, tried in that order until exactly one item matches.
    """
    key = typed.casefold()
    ids = [i.id for i in items]
    if typed in ids:
        return typed
    tests = (
        lambda i: i.id.casefold() == key or i.name.casefold() == key,
        lambda i: key in re.findall(r"\w+", i.name.casefold()),
        lambda i: len(key) >= 4 and key in i.name.casefold(),
    )
    for test in tests:
        found = [i.id for i in items if test(i)]
        if len(found) == 1:
            return found[0]
    return typed
