"""The smallest useful scenario, as TOML text, for examples and doctests.

Two belligerents, a mediator, one issue and one mediated round; every number has its
provenance.

Examples
--------
>>> from negsim.scenario import parse_scenario
>>> parse_scenario(MINIMAL).actor_ids
('A', 'B', 'M')
"""

__all__ = ["MINIMAL"]

MINIMAL = """
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
"""A minimal valid scenario file (TOML text)."""
