"""Validation of the timeline and of the observations, which depend on each entry's kind.

Everything that looks at a timeline entry's ``kind`` (``event``, ``mediated_round``,
``conference``) when checking a scenario is here: which lists each kind of entry needs
(:func:`_check_round`) and which observed decisions fit which kind of round.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from negsim.scenario.checker import Checker, join_path
from negsim.scenario.elements import Actor, Observation, TimelineEntry
from negsim.scenario.vocabulary import DECISIONS, KINDS, OUTCOMES, PROV_KEYS

__all__ = ["read_observations", "read_timeline"]


def read_timeline(c: Checker, x: object, actors: tuple[Actor, ...],
                  actor_ids: tuple[str, ...] | None,
                  commitment_ids: tuple[str, ...] | None) -> tuple[TimelineEntry, ...]:
    """Check the ``[[timeline]]`` entries and return them.

    Entries must be in date order, with unique ids; each kind of round needs its own
    participants (see :func:`_check_round`). Ids of entries with an invalid structure are
    added to ``c.bad_rounds``, so that observations of them are not checked again.

    Parameters
    ----------
    c : Checker
        Collects the problems.
    x : object
        The parsed array of tables.
    actors : tuple of Actor
        The scenario's actors (their roles are checked against the round's lists).
    actor_ids, commitment_ids : tuple of str or None
        The known actor and commitment ids (``None``: not checked).

    Returns
    -------
    tuple of TimelineEntry
        The entries (with placeholders where one is broken).

    Examples
    --------
    >>> import datetime
    >>> c = Checker("my.toml")
    >>> [t] = read_timeline(c, [{"id": "talks", "date": datetime.date(2020, 1, 13),
    ...                          "kind": "conference", "description": "talks",
    ...                          "participants": ["A"], "assumption": "x"}],
    ...                     (), ("A",), ())
    >>> t.kind, sorted(c.bad_rounds)
    ('conference', ['talks'])
    >>> print(c.problems[0])
    my.toml: timeline[0].commitments: missing: a conference needs commitments ...
    """
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
                       *PROV_KEYS))
        if tbl is None:
            continue
        eid = c.ident(tbl["id"], join_path(path, "id")) if "id" in tbl else None
        if eid is not None:
            if eid in seen:
                c.fail(join_path(path, "id"), f"duplicate timeline id {eid!r} (also "
                       f"timeline[{seen[eid]}])")
                c.bad_rounds.add(eid)
            else:
                seen[eid] = i
        date = c.date(tbl["date"], join_path(path, "date")) if "date" in tbl else None
        end = c.date(tbl["end"], join_path(path, "end")) if "end" in tbl else None
        if date is not None and end is not None and end < date:
            c.fail(join_path(path, "end"), f"end {end} is before the start date {date}")
        if date is not None:
            if prev is not None and date < prev[0]:
                c.fail(join_path(path, "date"), f"{date} is before the previous entry's date "
                       f"{prev[0]} (timeline[{prev[1]}]): timeline entries must be in date "
                       "order")
            prev = (date, i)
        n_problems = len(c.problems)
        kind = c.choice(tbl["kind"], join_path(path, "kind"), KINDS) if "kind" in tbl else None
        description = c.opt_string(tbl, "description", path) or ""
        lists: dict[str, tuple[str, ...]] = {}
        for name in ("participants", "mediators", "observers"):
            lists[name] = (c.ref_list(tbl[name], join_path(path, name), actor_ids, "actor")
                           if name in tbl else ())
        lists["commitments"] = (c.ref_list(tbl["commitments"], join_path(path, "commitments"),
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


def _check_round(c: Checker, path: str, tbl: dict[str, Any], kind: str | None,
                 lists: dict[str, tuple[str, ...]], by_id: dict[str, Actor]) -> None:
    parts, meds = lists["participants"], lists["mediators"]
    if kind in ("mediated_round", "conference"):
        if "participants" not in tbl:
            who = "the belligerents" if kind == "mediated_round" else "the powers"
            c.fail(join_path(path, "participants"), f"missing: a {kind} needs participants ({who} "
                   "who decide in it)")
        elif isinstance(tbl["participants"], list) and not tbl["participants"]:
            c.fail(join_path(path, "participants"), f"a {kind} needs at least one participant")
    if kind == "mediated_round":
        if "mediators" not in tbl:
            c.fail(join_path(path, "mediators"), "missing: a mediated_round needs mediators "
                   "(who draft the text)")
        elif isinstance(tbl["mediators"], list) and not tbl["mediators"]:
            c.fail(join_path(path, "mediators"), "a mediated_round needs at least one mediator")
        for j, a in enumerate(parts):
            if a in by_id and not by_id[a].has_role("belligerent"):
                c.fail(f"{join_path(path, 'participants')}[{j}]", f"{a!r} is not a belligerent: "
                       "the participants of a mediated_round are belligerents (list other "
                       "actors as mediators or observers)")
        for j, a in enumerate(meds):
            if a in by_id and not by_id[a].has_role("mediator"):
                c.fail(f"{join_path(path, 'mediators')}[{j}]", f"{a!r} does not have the role "
                       "'mediator'")
    if kind == "conference":
        if "commitments" not in tbl:
            c.fail(join_path(path, "commitments"), "missing: a conference needs commitments "
                   "(what is on the table)")
        elif isinstance(tbl["commitments"], list) and not tbl["commitments"]:
            c.fail(join_path(path, "commitments"), "a conference needs at least one commitment")
    elif kind is not None and "commitments" in tbl:
        c.fail(join_path(path, "commitments"), f"only a conference has commitments, not "
               f"{'an' if kind == 'event' else 'a'} {kind}")
    for name_a, name_b in (("participants", "mediators"), ("participants", "observers"),
                           ("mediators", "observers")):
        both = [a for a in lists[name_a] if a in lists[name_b]]
        if both:
            c.fail(join_path(path, name_b), f"{', '.join(map(repr, both))} cannot be both in "
                   f"{name_a} and {name_b}")


def read_observations(c: Checker, x: object, timeline: tuple[TimelineEntry, ...],
                      round_ids: tuple[str, ...] | None, actor_ids: tuple[str, ...] | None,
                      commitment_ids: tuple[str, ...] | None) -> list[Observation]:
    """Check the ``[[observed]]`` entries against the timeline and return them.

    Each entry is an actor's decision or a round's outcome; a decision must fit the kind
    of round it is observed in, and observations must be sourced.

    Parameters
    ----------
    c : Checker
        Collects the problems.
    x : object
        The parsed array of tables.
    timeline : tuple of TimelineEntry
        The scenario's timeline (as :func:`read_timeline` returned it).
    round_ids, actor_ids, commitment_ids : tuple of str or None
        The known timeline, actor and commitment ids (``None``: not checked).

    Returns
    -------
    list of Observation
        The observations (with placeholders where one is broken).

    Examples
    --------
    >>> from negsim.scenario import MINIMAL, parse_scenario
    >>> s = parse_scenario(MINIMAL)
    >>> c = Checker("my.toml")
    >>> c.source_keys = ("doc",)
    >>> [o] = read_observations(c, [{"round": "talks", "actor": "A", "decision": "commit",
    ...                              "source": "doc", "quote": "A committed"}],
    ...                         s.timeline, ("talks",), s.actor_ids, ())
    >>> for p in c.problems: print(p)
    my.toml: observed[0].commitment: missing: a 'commit' decision names the commitment
    my.toml: observed[0].decision: 'commit' is a decision at a conference; 'talks' is a ...
    """
    rounds: dict[str, TimelineEntry] = {}
    for t in timeline:
        rounds.setdefault(t.id, t)
    out: list[Observation] = []
    seen: dict[tuple[Any, ...], int] = {}
    for i, body in enumerate(c.array_of_tables(x, "observed")):
        path = f"observed[{i}]"
        tbl = c.table(body, path, ("round",),
                      ("actor", "decision", "commitment", "outcome", *PROV_KEYS))
        if tbl is None:
            continue
        rid = c.ref(tbl["round"], join_path(path, "round"), round_ids, "timeline id") \
            if "round" in tbl else None
        entry = rounds.get(rid) if rid is not None and rid not in c.bad_rounds else None
        actor = c.ref(tbl["actor"], join_path(path, "actor"), actor_ids, "actor") \
            if "actor" in tbl else None
        decision = (c.choice(tbl["decision"], join_path(path, "decision"), DECISIONS)
                    if "decision" in tbl else None)
        commitment = (c.ref(tbl["commitment"], join_path(path, "commitment"), commitment_ids,
                            "commitment") if "commitment" in tbl else None)
        outcome = (c.choice(tbl["outcome"], join_path(path, "outcome"), OUTCOMES)
                   if "outcome" in tbl else None)
        if "decision" in tbl and "outcome" in tbl:
            c.fail(path, "has both 'decision' and 'outcome': record an actor's decision and "
                   "the round's outcome as separate observations")
        elif "decision" not in tbl and "outcome" not in tbl:
            c.fail(path, "needs 'decision' (with 'actor') or 'outcome'")
        if "decision" in tbl and "actor" not in tbl:
            c.fail(join_path(path, "actor"), "missing: a decision needs the actor who made it")
        if "outcome" in tbl and "actor" in tbl:
            c.fail(join_path(path, "actor"), "an outcome is the round's, not an actor's: omit "
                   "'actor'")
        if decision in ("commit", "no_commit") and "commitment" not in tbl:
            c.fail(join_path(path, "commitment"), f"missing: a {decision!r} decision names the "
                   "commitment")
        if "commitment" in tbl and decision not in ("commit", "no_commit") \
                and "decision" in tbl and decision is not None:
            c.fail(join_path(path, "commitment"), f"only commit/no_commit decisions name a "
                   f"commitment, not {decision!r}")
        if "commitment" in tbl and "decision" not in tbl:
            c.fail(join_path(path, "commitment"), "a commitment goes with decision = \"commit\" "
                   "or \"no_commit\"")
        if entry is not None:
            if entry.kind == "event":
                c.fail(join_path(path, "round"), f"{rid!r} is an event, not a round: nothing is "
                       "decided in it")
            elif decision in ("sign", "no_sign") and entry.kind != "mediated_round":
                c.fail(join_path(path, "decision"), f"{decision!r} is a decision on a text in a "
                       f"mediated_round; {rid!r} is a {entry.kind}")
            elif decision in ("commit", "no_commit") and entry.kind != "conference":
                c.fail(join_path(path, "decision"), f"{decision!r} is a decision at a conference; "
                       f"{rid!r} is a {entry.kind}")
            if actor is not None and decision is not None and entry.kind != "event" \
                    and actor not in entry.participants:
                c.fail(join_path(path, "actor"), f"{actor!r} is not a participant of {rid!r} "
                       f"(participants: {', '.join(entry.participants) or 'none'})")
            if commitment is not None and entry.kind == "conference" \
                    and commitment not in entry.commitments:
                c.fail(join_path(path, "commitment"), f"{commitment!r} is not on the table at "
                       f"{rid!r} (commitments: {', '.join(entry.commitments) or 'none'})")
        prov = c.provenance(tbl, path, assumption_ok=False)
        key = (rid, actor, commitment, "outcome" if "outcome" in tbl else "decision")
        if rid is not None and key in seen:
            c.fail(path, f"duplicates observed[{seen[key]}] (same round, actor and kind)")
        elif rid is not None:
            seen[key] = i
        out.append(Observation(rid or "", actor, decision, commitment, outcome, prov))
    return out
