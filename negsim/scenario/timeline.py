"""Validation of the timeline and of the observations, which depend on each entry's kind.

What every timeline entry shares is checked here; what its kind asks is checked by the
kind's validator in the round-kind registry (:mod:`negsim.scenario.kinds`), and the observed
decisions that fit a round are those its kind declares.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from negsim.scenario.checker import Checker, join_path
from negsim.scenario.elements import Actor, Commitment, Observation, TimelineEntry
from negsim.scenario.inducements import read_inducements
from negsim.scenario.kinds import EntryCheck, deciding_kind, round_kind, round_kinds
from negsim.scenario.vocabulary import OUTCOMES, PROV_KEYS

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
                       *_kind_fields(), *PROV_KEYS))
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
        kind = (c.choice(tbl["kind"], join_path(path, "kind"), round_kinds())
                if "kind" in tbl else None)
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
        horizon = _horizon(c, path, tbl, kind)
        options = _options(c, path, tbl, kind)
        takes = kind is not None and "inducements" in round_kind(kind).fields
        inducements = read_inducements(c, path, tbl, kind, lists["mediators"], takes)
        out.append(TimelineEntry(eid or "", date or _dt.date.min, end, kind or "", description,
                                 lists["participants"], lists["mediators"], lists["observers"],
                                 lists["commitments"], prov, horizon, **options,
                                 inducements=inducements))
    return tuple(out)


def _check_round(c: Checker, path: str, tbl: dict[str, Any], kind: str | None,
                 lists: dict[str, tuple[str, ...]], by_id: dict[str, Actor]) -> None:
    """Check what every entry shares, then what its kind asks (:mod:`negsim.scenario.kinds`)."""
    if kind is not None:
        for name in ("commitments",):
            if name in tbl and name not in round_kind(kind).lists:
                having = [k for k in round_kinds() if name in round_kind(k).lists]
                c.fail(join_path(path, name), f"only {_a_or_an(having)} {_has(having, name)}, not "
                       f"{_article(kind)}")
        round_kind(kind).validate(EntryCheck(path, tbl, lists, by_id, c.fail, join_path))
    for name_a, name_b in (("participants", "mediators"), ("participants", "observers"),
                           ("mediators", "observers")):
        both = [a for a in lists[name_a] if a in lists[name_b]]
        if both:
            c.fail(join_path(path, name_b), f"{', '.join(map(repr, both))} cannot be both in "
                   f"{name_a} and {name_b}")


MAX_HORIZON = 600
"""The longest implementation phase, in months (50 years)."""


def _horizon(c: Checker, path: str, tbl: dict[str, Any], kind: str | None) -> int | None:
    """Read ``horizon`` (months), which only kinds that declare it in ``fields`` take."""
    if "horizon" not in tbl:
        if kind is not None and "horizon" in round_kind(kind).fields:
            c.fail(join_path(path, "horizon"), f"missing: {_article(kind)}"
                   f" needs a horizon (months, an integer from 1 to {MAX_HORIZON})")
        return None
    x = tbl["horizon"]
    if kind is not None and "horizon" not in round_kind(kind).fields:
        c.fail(join_path(path, "horizon"), f"a {kind} has no horizon")
        return None
    if isinstance(x, bool) or not isinstance(x, int) or not 1 <= x <= MAX_HORIZON:
        c.fail(join_path(path, "horizon"), f"must be a whole number of months from 1 to "
               f"{MAX_HORIZON}, got {x!r}")
        return None
    return x


def _kind_fields() -> tuple[str, ...]:
    """Every scalar key some registered kind takes (``horizon``, ``respect_red_lines``, ...)."""
    return tuple(sorted({f for k in round_kinds() for f in round_kind(k).fields}))


def _options(c: Checker, path: str, tbl: dict[str, Any], kind: str | None) -> dict[str, Any]:
    """Read an entry's options: ``respect_red_lines`` (a boolean), ``draft_rule``, ``term``...

    An implementation's ``term``, ``renewals`` and ``suspension`` are copied when their type
    is right; their values are checked by the kind's validator
    (:func:`negsim.protocol.rounds.terms.check_terms`).

    Which names ``draft_rule`` may take is checked by the kind's validator (the draft rules
    are registered with the kind).
    """
    out: dict[str, Any] = {}
    for name in ("term", "renewals", "suspension"):  # checked by the kind's validator
        x = tbl.get(name)
        if kind is not None and name in round_kind(kind).fields and (
                isinstance(x, bool) == (name == "suspension") and isinstance(x, int)):
            out[name] = x
    for name in ("respect_red_lines", "draft_rule", "term", "renewals", "suspension"):
        if name not in tbl:
            continue
        if kind is not None and name not in round_kind(kind).fields:
            having = [k for k in round_kinds() if name in round_kind(k).fields]
            c.fail(join_path(path, name), f"only {_a_or_an(having)} {_has(having, name)}, "
                   f"not {_article(kind)}")
            continue
        x = tbl[name]
        if name in ("term", "renewals", "suspension"):
            continue
        if name == "respect_red_lines":
            if isinstance(x, bool):
                out[name] = x
            else:
                c.fail(join_path(path, name), f"must be true or false, got {x!r}")
        elif isinstance(x, str):
            out[name] = x
        else:
            c.fail(join_path(path, name), f"must be the name of a draft rule, got {x!r}")
    return out


def _a_or_an(kinds: list[str]) -> str:
    words = [_article(k) for k in kinds]
    return " or ".join(words) if words else "no kind"


def _has(kinds: list[str], name: str) -> str:
    return f"{'has' if len(kinds) <= 1 else 'have'} {name}"


def read_observations(c: Checker, x: object, timeline: tuple[TimelineEntry, ...],
                      round_ids: tuple[str, ...] | None, actor_ids: tuple[str, ...] | None,
                      commitment_ids: tuple[str, ...] | None, *,
                      actors: tuple[Actor, ...] = (),
                      commitments: tuple[Commitment, ...] = ()) -> list[Observation]:
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
    actors, commitments : tuple
        The scenario's actors and commitments, for the kinds that check who or what an
        observation names by more than its id (the patrons of an implementation phase).

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
    by_id = {a.id: a for a in actors}
    commitment_by_id = {k.id: k for k in commitments}
    for i, body in enumerate(c.array_of_tables(x, "observed")):
        path = f"observed[{i}]"
        tbl = c.table(body, path, ("round",),
                      ("actor", "decision", "commitment", "outcome", "date", *PROV_KEYS))
        if tbl is None:
            continue
        rid = c.ref(tbl["round"], join_path(path, "round"), round_ids, "timeline id") \
            if "round" in tbl else None
        entry = rounds.get(rid) if rid is not None and rid not in c.bad_rounds else None
        actor = c.ref(tbl["actor"], join_path(path, "actor"), actor_ids, "actor") \
            if "actor" in tbl else None
        decision = (c.choice(tbl["decision"], join_path(path, "decision"), _decisions())
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
        date = c.date(tbl["date"], join_path(path, "date")) if "date" in tbl else None
        dated = decision is not None and deciding_kind(decision).dated
        if "decision" in tbl and "actor" not in tbl and not dated:
            c.fail(join_path(path, "actor"), "missing: a decision needs the actor who made it")
        if "date" in tbl and "outcome" in tbl:
            c.fail(join_path(path, "date"), "a round outcome has no date: a date is for what "
                   "was observed during an implementation phase")
        if "outcome" in tbl and "actor" in tbl:
            c.fail(join_path(path, "actor"), "an outcome is the round's, not an actor's: omit "
                   "'actor'")
        use = deciding_kind(decision).commitment_use(decision) if decision is not None else ""
        if use == "required" and "commitment" not in tbl:
            c.fail(join_path(path, "commitment"), f"missing: a {decision!r} decision names the "
                   "commitment")
        if "commitment" in tbl and not use and "decision" in tbl and decision is not None:
            c.fail(join_path(path, "commitment"), f"only {'/'.join(_naming())} decisions name "
                   f"a commitment, not {decision!r}")
        if "commitment" in tbl and "decision" not in tbl:
            c.fail(join_path(path, "commitment"), "a commitment goes with a decision ("
                   f"{' or '.join(repr(d) for d in _naming())})")
        if entry is not None:
            kind = round_kind(entry.kind)
            if not kind.decides:
                c.fail(join_path(path, "round"), f"{rid!r} is {_article(entry.kind)}, not a "
                       "round: nothing is decided in it")
            elif decision is not None and decision not in kind.decisions:
                place = deciding_kind(decision).decision_place
                c.fail(join_path(path, "decision"), f"{decision!r} is a decision {place}; "
                       f"{rid!r} is {_article(entry.kind)}")
            elif decision is not None and ("date" not in tbl or date is not None):
                problem = kind.observation_problem(entry, actor, decision, date)
                if problem is not None:
                    c.fail(join_path(path, problem[0]), problem[1])
            fits = decision is not None and kind.decides
            problem = (kind.actor_problem(entry, actor, decision, by_id)
                       if actor is not None and fits else None)
            if problem is not None:
                c.fail(join_path(path, "actor"), problem)
            problem = (kind.commitment_problem(entry, decision, commitment, commitment_by_id)
                       if commitment is not None and fits else None)
            if problem is not None:
                c.fail(join_path(path, "commitment"), problem)
        prov = c.provenance(tbl, path, assumption_ok=False)
        what = ("outcome" if "outcome" in tbl else "decision" if decision is None
                else deciding_kind(decision).observation_kind_of(decision))
        key = (rid, actor, commitment, what, date)
        if rid is not None and key in seen:
            c.fail(path, f"duplicates observed[{seen[key]}] (same round, actor, kind and date)")
        elif rid is not None:
            seen[key] = i
        out.append(Observation(rid or "", actor, decision, commitment, outcome, prov, date))
    return out


def _naming() -> tuple[str, ...]:
    """Return the decisions whose observations name a commitment (``commit``, ...)."""
    return tuple(d for k in round_kinds() for d in round_kind(k).decisions
                 if round_kind(k).commitment_use(d))


def _decisions() -> tuple[str, ...]:
    """Every decision an observation can record: those of the registered round kinds."""
    return tuple(d for k in round_kinds() for d in round_kind(k).decisions)


def _article(word: str) -> str:
    """Return ``word`` with its indefinite article: ``"an event"``, ``"a conference"``."""
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"
