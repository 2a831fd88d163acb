"""The closed vocabulary of the scenario format and the valid ranges of its numbers.

The allowed actor roles, timeline kinds, observed decisions and
outcomes, uncertainty distributions, the fields of ``[model]``, the provenance keys, the
form of ids, and the valid range of every sourced number by its field name.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from negsim.scenario.errors import format_number

__all__ = [
    "BARE_KEY_RE",
    "DISTRIBUTIONS",
    "DIST_PARAMS",
    "EFFECTS",
    "FIELD_RANGES",
    "HALF_OPEN_UNIT",
    "ID_RE",
    "MODEL_FIELDS",
    "OPTIONAL_MODEL_FIELDS",
    "NONNEG",
    "OPEN_UNIT",
    "OUTCOMES",
    "POSITIVE",
    "PROV_KEYS",
    "ROLES",
    "SCHEMA_VERSION",
    "UNIT",
    "Range",
]

SCHEMA_VERSION = 1
"""The schema version negsim reads and writes."""

ROLES = ("belligerent", "patron", "mediator", "third_party", "party")
"""Allowed actor roles (a ``party`` negotiates and signs but is not at war)."""

EFFECTS = ("embargo", "ceasefire_support", "monitoring")
"""The effects of a commitment of the first scenario format (kept for backwards
compatibility): a commitment's ``effect`` may name any registered kind of
:mod:`negsim.scenario.effects`."""

# The kinds of timeline entries, and the decisions observations record, are those of the
# registered round kinds (negsim.scenario.kinds).

OUTCOMES = ("signed_and_holds", "signed_but_fragile", "partial_signature", "no_agreement")
"""Allowed observed round outcomes (also the outcomes of a simulated run), best first."""

DISTRIBUTIONS = ("uniform", "triangular", "normal")
"""Allowed uncertainty distributions."""

MODEL_FIELDS = (
    "rationality",
    "decisiveness",
    "contest_exponent",
    "first_strike",
    "embargo_effect",
    "amendment_reach",
)
"""The required fields of ``[model]``, in file order."""

OPTIONAL_MODEL_FIELDS = (
    "delivery",
    "detection",
    "monitoring_detection",
    "estimate_error",
    "learning",
    "volatility",
)
"""Fields of ``[model]`` that only some round kinds need (the implementation phase's), in
file order: a kind lists those it needs in ``RoundKind.model_fields``."""

DIST_PARAMS = {
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
}
"""The parameters of each uncertainty distribution, in the order they are written."""

PROV_KEYS = ("source", "quote", "note", "assumption")
"""The keys that give a value's provenance."""

ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
"""What an id looks like: a letter, then letters, digits, ``_`` and ``-``."""

BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+\Z")
"""A TOML key that needs no quotes."""


@dataclass(frozen=True, slots=True)
class Range:
    """An interval of valid values, each end open or closed (``hi`` may be ``inf``).

    Parameters
    ----------
    lo, hi : float
        The ends.
    lo_open, hi_open : bool
        Whether an end is excluded.

    Examples
    --------
    >>> r = Range(0.0, 1.0, lo_open=True)
    >>> str(r), r.contains(0.0), r.contains(1.0), r.phrase()
    ('(0, 1]', False, True, 'must be in (0, 1]')
    >>> str(NONNEG), NONNEG.phrase(), NONNEG.closed()
    ('>= 0', 'must be >= 0', (0.0, inf))
    """

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    def contains(self, x: float) -> bool:
        """Whether ``x`` is in the range."""
        above = x > self.lo if self.lo_open else x >= self.lo
        below = x < self.hi if self.hi_open else x <= self.hi
        return above and below

    def __str__(self) -> str:
        if math.isinf(self.hi):
            return f"{'>' if self.lo_open else '>='} {format_number(self.lo)}"
        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open else "]"
        return f"{left}{format_number(self.lo)}, {format_number(self.hi)}{right}"

    def phrase(self) -> str:
        """Return the range as a requirement, e.g. ``must be in [0, 1]``."""
        return f"must be {self}" if math.isinf(self.hi) else f"must be in {self}"

    def closed(self) -> tuple[float, float]:
        """Return the closed float bounds: an open end moves to the nearest float inside."""
        lo = math.nextafter(self.lo, math.inf) if self.lo_open else self.lo
        hi = math.nextafter(self.hi, -math.inf) if self.hi_open else self.hi
        return lo, hi


UNIT = Range(0.0, 1.0)
"""The range [0, 1]."""

NONNEG = Range(0.0, math.inf)
"""The range >= 0."""

POSITIVE = Range(0.0, math.inf, lo_open=True)
"""The range > 0."""

OPEN_UNIT = Range(0.0, 1.0, lo_open=True, hi_open=True)
"""The range (0, 1)."""

HALF_OPEN_UNIT = Range(0.0, 1.0, lo_open=True)
"""The range (0, 1]."""

FIELD_RANGES: dict[str, Range] = {
    "status_quo": UNIT,
    "capability": NONNEG,
    "ideal": UNIT,
    "salience": UNIT,
    "leverage": UNIT,
    "support": UNIT,
    "cost": NONNEG,
    "discount": OPEN_UNIT,
    "breach_cost": NONNEG,
    "rationality": NONNEG,
    "decisiveness": HALF_OPEN_UNIT,
    "contest_exponent": POSITIVE,
    "first_strike": NONNEG,
    "embargo_effect": UNIT,
    "amendment_reach": UNIT,
    "delivery": NONNEG,
    "detection": UNIT,
    "monitoring_detection": UNIT,
    "estimate_error": UNIT,
    "optimism": Range(-1.0, 1.0),
    "volatility": Range(0.0, 1.0),
    "learning": UNIT,
    "value": UNIT,
    "value_if_others_sign": UNIT,
    "amount": NONNEG,
    "side_payments": NONNEG,
    "guarantee": NONNEG,
    "strength": UNIT,
}
"""Valid range of every sourced number, by its field name (the last part of its path)."""
