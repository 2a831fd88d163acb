"""The commented scenario template that ``negsim new`` writes.

:func:`scenario_template` fills in the scenario's id. Two versions of the text are kept:
:data:`NON_WAR_TEMPLATE`, the template of the format agreed for issue #13 (two parties that
are not at war, each with a ``no_deal`` outside option, one mediator, two issues, one
mediated round), and :data:`WAR_TEMPLATE`, the same negotiation written with the roles and
outside options of schema version 1 as released (two belligerents that fight on without a
deal). :data:`TEMPLATE` names the one ``negsim new`` writes: the non-war one as soon as the
scenario format knows the ``party`` role.

Examples
--------
>>> from negsim.scenario import parse_scenario
>>> s = parse_scenario(scenario_template("trade-talks"), "trade-talks.toml")
>>> s.id, s.issue_ids, [t.kind for t in s.timeline]
('trade-talks', ('tariffs', 'quota'), ['mediated_round'])
"""

from __future__ import annotations

from string import Template

from negsim.scenario.vocabulary import ID_RE, ROLES

__all__ = ["NON_WAR_TEMPLATE", "TEMPLATE", "WAR_TEMPLATE", "scenario_template"]

_HEAD = """\
# A negsim scenario: $name. Written by `negsim new`; edit every number and say where it comes
# from. The format is in docs/reference/scenario-format.md; `negsim validate FILE` checks the
# file, `negsim validate FILE --check-quotes` checks each quote against its source file, and
# `negsim show FILE --paths` lists the numbers that --set and [[uncertainty]] can change.
#
# Every number is a sourced number: { value = ..., source = "KEY", quote = "..." } when a
# source says it (the quote verbatim), or { value = ..., assumption = "..." } when it is
# your judgement. Issues are scales from 0 to 1; each actor has an ideal point and a
# salience (how much the issue matters to it) on the issues it cares about.

schema_version = 1
id = "$name"
title = "$name: two parties negotiate a trade agreement through a mediator"
description = "A template: replace the parties, issues, numbers and sources with your case."

# Sources: `file` (a text file next to this one, for --check-quotes) and/or `url`.
[sources.notes]
title = "My notes on the negotiation"
file = "notes.txt"

# ------------------------------------------------------------------------------ issues
# 0 and 1 are the two ends of the scale; status_quo is where the issue stands with no deal.
[issues.tariffs]
name = "Tariff cut"
low = "tariffs stay as they are"
high = "tariffs are abolished"
status_quo = { value = 0.0, assumption = "no cut without an agreement" }

[issues.quota]
name = "Import quota"
low = "no quota"
high = "a strict quota"
status_quo = { value = 0.5, assumption = "today's quota sits mid-scale" }
"""

def _actors(party: str, war: bool) -> str:
    """Return the actors' tables, for parties with ``no_deal`` options or belligerents."""
    if war:
        intro = ("# Belligerents negotiate and sign; with no deal they fight on (outside_option:\n"
                 "# the cost of fighting per period and the discount factor of the next one).\n"
                 "# Capability is their relative strength.")
        north_cap = 'capability = { value = 0.5, assumption = "as strong as South" }'
        south_cap = 'capability = { value = 0.5, assumption = "as strong as North" }'
        north_oo = ('cost = { value = 0.1, assumption = "no deal is costly for North" }\n'
                    'discount = { value = 0.9, assumption = "patient" }')
        south_oo = ('cost = { value = 0.05, assumption = "South can live without a deal" }\n'
                    'discount = { value = 0.9, assumption = "patient" }')
    else:
        intro = ("# A party negotiates and signs; its outside option is what it gets with no\n"
                 "# deal: kind = \"no_deal\" with `value`, the utility per period of having no\n"
                 "# deal (0 to 1, like a text's utility), and `discount`, the weight of the\n"
                 "# next period. kind = \"contingent\" adds value_if_others_sign (staying out\n"
                 "# while the others sign).")
        north_cap = 'capability = { value = 0.0, assumption = "not a war: no fighting strength" }'
        south_cap = north_cap
        north_oo = ('kind = "no_deal"\n'
                    'value = { value = 0.3, assumption = "the status quo hurts North" }\n'
                    'discount = { value = 0.9, assumption = "patient" }')
        south_oo = ('kind = "no_deal"\n'
                    'value = { value = 0.4, assumption = "South can live without a deal" }\n'
                    'discount = { value = 0.9, assumption = "patient" }')
    return f"""
# ------------------------------------------------------------------------------ actors
{intro}
[actors.North]
name = "North"
roles = ["{party}"]
{north_cap}

[actors.North.demands.tariffs]
ideal = {{ value = 1.0, assumption = "North exports and wants free trade" }}
salience = {{ value = 0.8, assumption = "its main aim" }}

[actors.North.demands.quota]
ideal = {{ value = 0.0, assumption = "North wants no quota" }}
salience = {{ value = 0.4, assumption = "secondary" }}

[actors.North.outside_option]
{north_oo}

# A red line: North signs no text that cuts tariffs by less than a quarter.
[[actors.North.red_lines]]
issue = "tariffs"
min = 0.25
description = "no deal without a real cut"
assumption = "North's government promised a cut"

[actors.South]
name = "South"
roles = ["{party}"]
{south_cap}

[actors.South.demands.tariffs]
ideal = {{ value = 0.2, assumption = "South protects its industry" }}
salience = {{ value = 0.5, assumption = "important" }}

[actors.South.demands.quota]
ideal = {{ value = 0.8, assumption = "South wants a strict quota" }}
salience = {{ value = 0.7, assumption = "its main aim" }}

[actors.South.outside_option]
{south_oo}

# A mediator drafts the text; it has no outside option and does not sign.
[actors.Broker]
name = "Broker"
roles = ["mediator"]
capability = {{ value = 0.0, assumption = "a neutral facilitator" }}

[actors.Broker.demands.tariffs]
ideal = {{ value = 0.5, assumption = "wants a compromise" }}
salience = {{ value = 0.3, assumption = "a mild interest" }}
"""


_TAIL = """
# ------------------------------------------------------------------------------ model
# Model-wide numbers (docs/reference/scenario-format.md explains each).
[model]
rationality = { value = 5.0, assumption = "fairly rational choices" }
decisiveness = { value = 0.2, assumption = "the default" }
contest_exponent = { value = 1.0, assumption = "the default" }
first_strike = { value = 0.0, assumption = "no advantage in breaking first" }
embargo_effect = { value = 0.5, assumption = "the default" }
amendment_reach = { value = 0.5, assumption = "a party that asks for time gets half way" }

# ------------------------------------------------------------------------------ timeline
# One model step per entry. In a mediated round the mediators draft a text and the
# participants sign, ask for time or reject.
[[timeline]]
id = "talks"
date = 2025-01-15
kind = "mediated_round"
description = "Broker drafts a trade agreement for North and South"
participants = ["North", "South"]
mediators = ["Broker"]
assumption = "one round of talks"

# ------------------------------------------------------------------------------ uncertainty
# Ensembles draw the uncertain numbers run by run (any path of `negsim show FILE --paths`).
[[uncertainty]]
parameter = "actors.South.demands.quota.salience"
distribution = "uniform"
low = 0.5
high = 0.9
assumption = "how much South cares about the quota is unclear"
"""

_WORDS = """
# ------------------------------------------------------------------------------ words
# How printed stories name the deal and its compliance choices.
[words]
deal = "the trade agreement"
keep = "keep the trade agreement"
break = "break the trade agreement"
holds = "the trade agreement holds"
breaks = "the trade agreement breaks down"
# A party may name its own choice, e.g. (uncomment to use):
# [actors.North.words]
# keep = "keep its tariffs at the agreed level"
# break = "raise its tariffs"
"""

NON_WAR_TEMPLATE = _HEAD + _actors("party", war=False) + _TAIL + _WORDS
"""The template of the format agreed for issue #13: parties with ``no_deal`` options."""

WAR_TEMPLATE = _HEAD + _actors("belligerent", war=True) + _TAIL
"""The same negotiation in schema version 1 as released: belligerents that fight on."""

# INTEGRATOR: once the scenario format has the "party" role, the no_deal outside option and
# [words] (format13.md items 1, 2 and 4), `negsim new` writes NON_WAR_TEMPLATE by itself.
TEMPLATE = NON_WAR_TEMPLATE if "party" in ROLES else WAR_TEMPLATE
"""The template ``negsim new`` writes (``$name`` stands for the scenario's id)."""


def scenario_template(name: str) -> str:
    """Return the commented template (:data:`TEMPLATE`) for a scenario with id ``name``.

    Raises
    ------
    ValueError
        If ``name`` is not a valid id (a letter, then letters, digits, ``_`` or ``-``).

    Examples
    --------
    >>> scenario_template("my-case").splitlines()[0]  # doctest: +ELLIPSIS
    '# A negsim scenario: my-case. Written by `negsim new`; ...'
    >>> scenario_template("2 bad")
    Traceback (most recent call last):
    ...
    ValueError: '2 bad' is not a valid scenario id: it starts with a letter, then letters, ...
    """
    if not ID_RE.match(name):
        raise ValueError(f"{name!r} is not a valid scenario id: it starts with a letter, then "
                         "letters, digits, '_' or '-'")
    return Template(TEMPLATE).substitute(name=name)
