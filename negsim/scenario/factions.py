"""Factions inside an actor at war: spoilers with their own demands (``[actors.ID.factions.FID]``).

A faction is part of a belligerent (Stedman 1997, "Spoiler problems in peace processes"):
the LNA's "Libyan support base", a hard-line militia, a wing of a movement. It has its own
demands on some issues (the others are its leader's), a ``strength`` (the share of its
leader's capability it can bring to a fight on its own) and optionally its own
``rationality``. In the months after the talks it may break the ceasefire its leader signed
(:mod:`negsim.protocol.rounds.factions`); it plays no part in the talks themselves.

A faction's demand on an issue gives an ``ideal``, a ``salience`` or both: what it does not
give is its leader's (so a faction that shares its leader's aims but cares more about one
issue states only that salience). An issue neither states has salience 0 for both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from negsim.scenario.checker import Checker, join_path
from negsim.scenario.elements import Provenance, Sourced
from negsim.scenario.errors import describe_value, did_you_mean
from negsim.scenario.vocabulary import NONNEG, UNIT

__all__ = ["Faction", "FactionDemand", "read_factions"]

_NAN = Sourced(math.nan, Provenance())


@dataclass(frozen=True, slots=True)
class FactionDemand:
    """A faction's own demand on one issue: its ideal point, its salience or both.

    ``None`` means "its leader's".

    Examples
    --------
    >>> d = FactionDemand("ceasefire", None, Sourced(1.0, Provenance(assumption="x")))
    >>> d.ideal is None, d.salience.value
    (True, 1.0)
    """

    issue: str
    ideal: Sourced | None
    salience: Sourced | None

    def _to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k)._to_dict() for k in ("ideal", "salience")
                if getattr(self, k) is not None}


@dataclass(frozen=True, slots=True)
class Faction:
    """A faction inside a belligerent, with its own demands (``[actors.ID.factions.FID]``).

    Attributes
    ----------
    id, name : str
    strength : Sourced
        The share of its leader's capability it can bring to a fight on its own, in [0, 1].
    demands : tuple of FactionDemand
        Its own demands; every issue or number it does not state is its leader's.
    rationality : Sourced or None
        Its logit precision (``None``: the model's ``rationality``).

    Examples
    --------
    >>> p = Provenance(assumption="x")
    >>> f = Faction("base", "Support base", Sourced(0.3, p),
    ...             (FactionDemand("ceasefire", Sourced(0.0, p), None),))
    >>> f.demand("ceasefire").ideal.value, f.demand("tarhuna")
    (0.0, None)
    >>> list(f._to_dict())
    ['name', 'strength', 'demands']
    """

    id: str
    name: str
    strength: Sourced
    demands: tuple[FactionDemand, ...] = ()
    rationality: Sourced | None = None

    def demand(self, issue_id: str) -> FactionDemand | None:
        """Return the faction's own demand on an issue, or ``None`` (its leader's)."""
        for d in self.demands:
            if d.issue == issue_id:
                return d
        return None

    def _to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "strength": self.strength._to_dict()}
        if self.rationality is not None:
            out["rationality"] = self.rationality._to_dict()
        out["demands"] = {d.issue: d._to_dict() for d in self.demands}
        return out


def read_factions(c: Checker, path: str, x: object, roles: list[str],
                  issue_ids: tuple[str, ...] | None) -> tuple[Faction, ...]:
    """Check an actor's ``factions`` table and return its factions, in file order.

    Only a belligerent may have factions: a faction breaks a ceasefire by resuming the
    fight, which an actor that is not at war cannot do.

    Examples
    --------
    >>> c = Checker("my.toml")
    >>> f = read_factions(c, "actors.A.factions", {"hard": {"name": "Hardliners",
    ...     "strength": {"value": 0.2, "assumption": "x"},
    ...     "demands": {"border": {"ideal": {"value": 0.0, "assumption": "y"}}}}},
    ...     ["belligerent"], ("border",))
    >>> f[0].id, f[0].strength.value, c.problems
    ('hard', 0.2, [])
    >>> _ = read_factions(c, "actors.M.factions", {}, ["mediator"], ("border",))
    >>> print(c.problems[0])
    my.toml: actors.M.factions: only a belligerent (an actor at war) may have factions: ...
    """
    if "belligerent" not in roles:
        c.fail(path, "only a belligerent (an actor at war) may have factions: a faction "
               "breaks the ceasefire by resuming the fight")
    out: list[Faction] = []
    for fid, body in c.table_of_tables(x, path, "faction").items():
        fpath = join_path(path, fid)
        tbl = c.table(body, fpath, ("name", "strength"), ("demands", "rationality"))
        if tbl is None:
            continue
        name = c.opt_string(tbl, "name", fpath) or ""
        strength = (c.sourced(tbl["strength"], join_path(fpath, "strength"), UNIT)
                    if "strength" in tbl else _NAN)
        rationality = (c.sourced(tbl["rationality"], join_path(fpath, "rationality"), NONNEG)
                       if "rationality" in tbl else None)
        demands = (_demands(c, join_path(fpath, "demands"), tbl["demands"], issue_ids)
                   if "demands" in tbl else ())
        out.append(Faction(fid, name, strength, demands, rationality))
    return tuple(out)


def _demands(c: Checker, path: str, raw: object,
             issue_ids: tuple[str, ...] | None) -> tuple[FactionDemand, ...]:
    """Check a faction's ``demands`` table (each an ``ideal``, a ``salience`` or both)."""
    if not isinstance(raw, dict):
        c.fail(path, f"must be a table of demands keyed by issue id, got {describe_value(raw)}")
        return ()
    out: list[FactionDemand] = []
    for issue, body in raw.items():
        ipath = join_path(path, issue)
        if issue_ids is not None and issue not in issue_ids:
            c.fail(ipath, f"unknown issue {issue!r}{did_you_mean(issue, issue_ids)} "
                   f"(issues: {', '.join(issue_ids) or 'none'})")
        dt = c.table(body, ipath, (), ("ideal", "salience"))
        if dt is None:
            continue
        if not dt:
            c.fail(ipath, "a faction's demand needs 'ideal', 'salience' or both (what it does "
                   "not give is its leader's)")
            continue
        ideal = c.sourced(dt["ideal"], join_path(ipath, "ideal"), UNIT) if "ideal" in dt \
            else None
        sal = c.sourced(dt["salience"], join_path(ipath, "salience"), UNIT) \
            if "salience" in dt else None
        out.append(FactionDemand(issue, ideal, sal))
    return tuple(out)
