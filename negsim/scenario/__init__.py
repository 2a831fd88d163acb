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

Modules, lowest first: ``errors`` (problems, errors, message helpers), ``vocabulary``
(allowed names and valid ranges), ``elements`` (the parts of a scenario), ``minimal`` (a
minimal scenario for examples), ``checker`` (checking parsed TOML), ``sections`` and
``timeline`` (validation of each section), ``toml_io`` (TOML writing), ``document`` (the
:class:`Scenario` and :func:`~negsim.scenario.document.build_scenario`) and ``load``
(files, built-in scenarios and TOML syntax errors).

May import: nothing else of negsim (it is the bottom layer), except ``negsim._tables``.

Examples
--------
>>> s = parse_scenario(MINIMAL, "minimal.toml")
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

from negsim.scenario.document import Scenario
from negsim.scenario.elements import (
    Actor,
    Commitment,
    Demand,
    Issue,
    ModelParams,
    Observation,
    OutsideOption,
    PatronLink,
    Provenance,
    RedLine,
    Source,
    Sourced,
    TimelineEntry,
    Uncertainty,
)
from negsim.scenario.errors import Problem, ScenarioError, ScenarioKeyError
from negsim.scenario.load import load_scenario, parse_scenario, scenarios
from negsim.scenario.minimal import MINIMAL
from negsim.scenario.vocabulary import (
    DISTRIBUTIONS,
    EFFECTS,
    OUTCOMES,
    ROLES,
    SCHEMA_VERSION,
)

__all__ = [
    "DISTRIBUTIONS",
    "EFFECTS",
    "MINIMAL",
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
