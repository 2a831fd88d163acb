"""Reading a ``[commitments.ID]`` table against its registered effect.

The effects are in the registry of :mod:`negsim.scenario.effects`; this module checks a
table's fields against its effect's: an unknown effect lists the registered ones, a field
that belongs to another effect is refused naming that effect, required numbers must be
there, and ``beneficiaries`` must be actors (and at least one, where the effect needs them).
"""

from __future__ import annotations

import math

from negsim._frozen import FrozenMap
from negsim.scenario.checker import Checker, join_path
from negsim.scenario.effects import effect_kind, effect_kinds
from negsim.scenario.elements import Commitment, Provenance, Sourced
from negsim.scenario.paths import field_range
from negsim.scenario.vocabulary import NONNEG

__all__ = ["read_commitment"]

_NAN = Sourced(math.nan, Provenance())
_BASE = ("name", "issue", "effect", "breach_cost")


def read_commitment(c: Checker, key: str, x: object, issue_ids: tuple[str, ...] | None,
                    actor_ids: tuple[str, ...] | None = None) -> Commitment:
    """Check a ``[commitments.ID]`` table and return the commitment.

    Parameters
    ----------
    c : Checker
        Collects the problems.
    key : str
        The commitment's id.
    x : object
        The parsed table.
    issue_ids, actor_ids : tuple of str or None
        The known issue and actor ids (``None``: not checked).

    Returns
    -------
    Commitment
        The commitment (with placeholders where the table is broken).

    Examples
    --------
    >>> import negsim
    >>> c = Checker("my.toml")
    >>> read_commitment(c, "embargo", {"name": "Embargo", "issue": "arms", "effect": "ban",
    ...                 "breach_cost": {"value": 0.3, "assumption": "x"}}, ("arms",)).effect
    ''
    >>> print(c.problems[0])
    my.toml: commitments.embargo.effect: must be one of embargo, ceasefire_support, ...
    >>> c = Checker("my.toml")
    >>> r = read_commitment(c, "relief", {"name": "Relief", "issue": "arms",
    ...     "effect": "sanctions_relief", "beneficiaries": ["A", "Z"],
    ...     "breach_cost": {"value": 0.3, "assumption": "x"},
    ...     "amount": {"value": 0.1, "assumption": "x"}}, ("arms",), ("A", "B"))
    >>> for p in c.problems: print(p)
    my.toml: commitments.relief.amount: a sanctions_relief commitment has no 'amount' (it
    takes value, beneficiaries); 'amount' belongs to effect = "payments"
    my.toml: commitments.relief.value: missing required field
    my.toml: commitments.relief.beneficiaries[1]: unknown actor 'Z' (actors: A, B)
    """
    path = join_path("commitments", key)
    if not isinstance(x, dict):
        c.table(x, path)
        return Commitment(key, "", "", "", _NAN)
    kind = None
    if "effect" in x:
        chosen = c.choice(x["effect"], join_path(path, "effect"), effect_kinds())
        kind = effect_kind(chosen) if chosen is not None else None
    body = dict(x)
    if kind is not None:
        takes = kind.fields + (("beneficiaries",) if kind.beneficiaries else ())
        for field in list(body):
            owners = [k for k in effect_kinds() if field in _fields(k)]
            if field not in _BASE and field not in takes and owners:
                c.fail(join_path(path, field),
                       f"{_article(kind.name)} {kind.name} commitment has no {field!r} (it takes "
                       f"{', '.join(takes) or 'no field besides breach_cost'}); {field!r} "
                       f"belongs to effect = \"{owners[0]}\"")
                del body[field]
        required = (*_BASE, *kind.required, *(("beneficiaries",) if kind.beneficiaries else ()))
        numbered = kind.fields
        optional: tuple[str, ...] = ("keep", "break", *kind.optional)
    else:  # the effect is missing or unknown: accept any effect's fields
        required = _BASE
        numbered = tuple(dict.fromkeys(f for k in effect_kinds() for f in effect_kind(k).fields))
        optional = ("keep", "break", "beneficiaries", *numbered)
    tbl = c.table(body, path, required, optional)
    assert tbl is not None
    issue = c.ref(tbl["issue"], join_path(path, "issue"), issue_ids, "issue") \
        if "issue" in tbl else None
    cost = (c.sourced(tbl["breach_cost"], join_path(path, "breach_cost"), NONNEG)
            if "breach_cost" in tbl else _NAN)
    beneficiaries: tuple[str, ...] = ()
    if "beneficiaries" in tbl:
        where = join_path(path, "beneficiaries")
        beneficiaries = c.ref_list(tbl["beneficiaries"], where, actor_ids, "actor")
        if not tbl["beneficiaries"] and isinstance(tbl["beneficiaries"], list):
            c.fail(where, f"{_article(kind.name) if kind else 'a'} {kind.name if kind else ''} "
                   "commitment needs at least one beneficiary (an actor id)")
    numbers = {f: c.sourced(tbl[f], join_path(path, f), field_range(f))
               for f in numbered if f in tbl}
    return Commitment(key, c.opt_string(tbl, "name", path) or "", issue or "",
                      kind.name if kind is not None else "", cost,
                      c.opt_string(tbl, "keep", path), c.opt_string(tbl, "break", path),
                      beneficiaries, FrozenMap(numbers))


def _fields(name: str) -> tuple[str, ...]:
    kind = effect_kind(name)
    return kind.fields + (("beneficiaries",) if kind.beneficiaries else ())


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
