"""Scenarios: the data types of a negotiation, their validation, loading and TOML writing.

May import: nothing else of negsim (it is the bottom layer), except ``negsim._tables``.
"""

from negsim.scenario.core import (
    OUTCOMES,
    Scenario,
    ScenarioError,
    load_scenario,
    parse_scenario,
    scenarios,
)

__all__ = ["OUTCOMES", "Scenario", "ScenarioError", "load_scenario", "parse_scenario", "scenarios"]
