"""Validation of the scenario's sections: sources, issues, actors, model, commitments, uncertainty.

Each ``read_*`` function checks one section of parsed TOML with a
:class:`~negsim.scenario.checker.Checker`, which collects the problems, and returns the
scenario objects (with placeholders where the data is broken, so that checking goes on).
The timeline and the observations are checked in :mod:`negsim.scenario.timeline`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from negsim.scenario.checker import Checker, join_path
from negsim.scenario.commitment_table import read_commitment
from negsim.scenario.elements import (
    Actor,
    Demand,
    Issue,
    ModelParams,
    OutsideOption,
    PatronLink,
    Provenance,
    RedLine,
    Source,
    Sourced,
    Uncertainty,
)
from negsim.scenario.errors import describe_value, did_you_mean, format_number
from negsim.scenario.factions import read_factions
from negsim.scenario.limits import MAX_PARAMETER
from negsim.scenario.outside_table import read_outside_option
from negsim.scenario.paths import field_range
from negsim.scenario.vocabulary import (
    DIST_PARAMS,
    DISTRIBUTIONS,
    FIELD_RANGES,
    MODEL_FIELDS,
    NONNEG,
    OPTIONAL_MODEL_FIELDS,
    PROV_KEYS,
    ROLES,
    UNIT,
    Range,
)
from negsim.scenario.words import ActorWords, read_actor_words

__all__ = [
    "read_actor",
    "read_commitment",
    "read_issue",
    "read_model",
    "read_source",
    "read_uncertainties",
]

_NAN = Sourced(math.nan, Provenance())


def read_source(c: Checker, key: str, x: object) -> Source:
    """Check a ``[sources.KEY]`` table and return the source.

    Parameters
    ----------
    c : Checker
        Collects the problems.
    key : str
        The source's key.
    x : object
        The parsed table.

    Returns
    -------
    Source
        The source (with empty fields where the table is broken).

    Examples
    --------
    >>> import datetime
    >>> c = Checker("my.toml")
    >>> read_source(c, "doc", {"title": "A report", "date": datetime.date(2020, 1, 13)}).date
    datetime.date(2020, 1, 13)
    >>> read_source(c, "x", {"titel": "A report"}).title
    ''
    >>> print(c.problems[0])
    my.toml: sources.x.titel: unknown field; did you mean 'title'?
    """
    path = join_path("sources", key)
    tbl = c.table(x, path, ("title",), ("file", "url", "date"))
    if tbl is None:
        return Source(key, "")
    title = c.opt_string(tbl, "title", path) or ""
    date = c.date(tbl["date"], join_path(path, "date")) if "date" in tbl else None
    return Source(key, title, c.opt_string(tbl, "file", path), c.opt_string(tbl, "url", path),
                  date)


def read_issue(c: Checker, key: str, x: object) -> Issue:
    """Check an ``[issues.ID]`` table and return the issue.

    Parameters
    ----------
    c : Checker
        Collects the problems.
    key : str
        The issue's id.
    x : object
        The parsed table.

    Returns
    -------
    Issue
        The issue (with empty fields and NaN numbers where the table is broken).

    Examples
    --------
    >>> c = Checker("my.toml")
    >>> issue = read_issue(c, "border", {"name": "Border", "low": "here", "high": "there",
    ...                    "status_quo": {"value": 0.2, "assumption": "a guess"}})
    >>> issue.status_quo.value, c.problems
    (0.2, [])
    """
    path = join_path("issues", key)
    tbl = c.table(x, path, ("name", "low", "high", "status_quo"))
    if tbl is None:
        return Issue(key, "", "", "", Sourced(math.nan, Provenance()))
    sq = (c.sourced(tbl["status_quo"], join_path(path, "status_quo"), UNIT)
          if "status_quo" in tbl else Sourced(math.nan, Provenance()))
    return Issue(key, c.opt_string(tbl, "name", path) or "", c.opt_string(tbl, "low", path)
                 or "", c.opt_string(tbl, "high", path) or "", sq)


def read_actor(c: Checker, aid: str, x: object, issue_ids: tuple[str, ...] | None,
               actor_ids: tuple[str, ...] | None) -> Actor:
    """Check an ``[actors.ID]`` table (demands, red lines, patron links) and return the actor.

    Actors whose roles are invalid are added to ``c.bad_roles``.

    Parameters
    ----------
    c : Checker
        Collects the problems.
    aid : str
        The actor's id.
    x : object
        The parsed table.
    issue_ids, actor_ids : tuple of str or None
        The known issue and actor ids (``None``: not checked, the section is broken).

    Returns
    -------
    Actor
        The actor (with placeholders where the table is broken).

    Examples
    --------
    >>> c = Checker("my.toml")
    >>> a = read_actor(c, "M", {"name": "Mediator", "roles": ["mediator"],
    ...                "capability": {"value": 0.0, "assumption": "no army"},
    ...                "demands": {}}, ("border",), ("A", "M"))
    >>> a.roles, c.problems
    (('mediator',), [])
    >>> a = read_actor(c, "A", {"name": "A", "roles": ["belligerent"],
    ...                "capability": {"value": 0.5, "assumption": "x"}, "demands": {}},
    ...                ("border",), ("A", "M"))
    >>> print(c.problems[0])
    my.toml: actors.A.outside_option: missing: a belligerent needs an outside option, ...
    """
    path = join_path("actors", aid)
    tbl = c.table(x, path, ("name", "roles", "capability", "demands"),
                  ("red_lines", "backs", "outside_option", "words", "factions"))
    if tbl is None:
        return Actor(aid, "", (), _NAN)
    name = c.opt_string(tbl, "name", path) or ""
    roles: list[str] = []
    n_problems = len(c.problems)
    if "roles" in tbl:
        rpath = join_path(path, "roles")
        raw_roles = tbl["roles"]
        if isinstance(raw_roles, str):
            c.fail(rpath, f"must be an array of roles, e.g. roles = [{raw_roles!r}]")
        elif not isinstance(raw_roles, list):
            c.fail(rpath, f"must be an array of roles, got {describe_value(raw_roles)}")
        elif not raw_roles:
            c.fail(rpath, f"needs at least one role ({', '.join(ROLES)})")
        else:
            for i, r in enumerate(raw_roles):
                role = c.choice(r, f"{rpath}[{i}]", ROLES)
                if role is not None and role in roles:
                    c.fail(f"{rpath}[{i}]", f"role {role!r} is listed twice")
                elif role is not None:
                    roles.append(role)
    if len(c.problems) > n_problems or "roles" not in tbl:
        c.bad_roles.add(aid)
    capability = (c.sourced(tbl["capability"], join_path(path, "capability"), NONNEG)
                  if "capability" in tbl else _NAN)

    demands: list[Demand] = []
    if "demands" in tbl:
        dpath = join_path(path, "demands")
        raw = tbl["demands"]
        if not isinstance(raw, dict):
            c.fail(dpath, "must be a table of demands keyed by issue id, "
                   f"got {describe_value(raw)}")
        else:
            for issue, body in raw.items():
                ipath = join_path(dpath, issue)
                if issue_ids is not None and issue not in issue_ids:
                    c.fail(ipath, f"unknown issue {issue!r}{did_you_mean(issue, issue_ids)} "
                           f"(issues: {', '.join(issue_ids) or 'none'})")
                if isinstance(body, int | float) and not isinstance(body, bool):
                    c.fail(ipath, "a demand is a table { ideal = { value = ..., source = ..., "
                           "quote = ... }, salience = { value = ..., assumption = ... } }")
                    continue
                dt = c.table(body, ipath, ("ideal", "salience"))
                if dt is None:
                    continue
                ideal = (c.sourced(dt["ideal"], join_path(ipath, "ideal"), UNIT)
                         if "ideal" in dt else _NAN)
                sal = (c.sourced(dt["salience"], join_path(ipath, "salience"), UNIT)
                       if "salience" in dt else _NAN)
                demands.append(Demand(issue, ideal, sal))

    red_lines: list[RedLine] = []
    if "red_lines" in tbl:
        rpath = join_path(path, "red_lines")
        for i, body in enumerate(c.array_of_tables(tbl["red_lines"], rpath)):
            red_lines.append(_red_line(c, f"{rpath}[{i}]", body, issue_ids, demands))

    backs: list[PatronLink] = []
    if "backs" in tbl:
        bpath = join_path(path, "backs")
        raw = tbl["backs"]
        if not isinstance(raw, dict):
            c.fail(bpath, f"must be a table of patron links keyed by client id, "
                   f"got {describe_value(raw)}")
        else:
            for client, body in raw.items():
                cpath = join_path(bpath, client)
                if client == aid:
                    c.fail(cpath, f"a patron cannot back itself ({aid!r} backs {aid!r})")
                elif actor_ids is not None and client not in actor_ids:
                    c.fail(cpath, f"unknown actor {client!r}{did_you_mean(client, actor_ids)} "
                           f"(actors: {', '.join(actor_ids)})")
                lt = c.table(body, cpath, ("leverage", "support"))
                if lt is None:
                    continue
                lev = (c.sourced(lt["leverage"], join_path(cpath, "leverage"), UNIT)
                       if "leverage" in lt else _NAN)
                sup = (c.sourced(lt["support"], join_path(cpath, "support"), UNIT)
                       if "support" in lt else _NAN)
                backs.append(PatronLink(client, lev, sup))

    outside: OutsideOption | None = None
    opath = join_path(path, "outside_option")
    if "outside_option" in tbl:
        outside = read_outside_option(c, opath, tbl["outside_option"], roles)
    elif "belligerent" in roles:
        c.fail(opath, "missing: a belligerent needs an outside option, e.g. outside_option = "
               "{ cost = { value = ..., ... }, discount = { value = ..., ... } }")
    if "party" in roles and "belligerent" in roles:
        c.fail(join_path(path, "roles"), "an actor is a party (negotiates, not at war) or a "
               "belligerent (at war), not both")
    words = (read_actor_words(c, join_path(path, "words"), tbl["words"]) if "words" in tbl
             else ActorWords())
    factions = (read_factions(c, join_path(path, "factions"), tbl["factions"], roles, issue_ids)
                if "factions" in tbl else ())
    return Actor(aid, name, tuple(roles), capability, tuple(demands), tuple(red_lines),
                 tuple(backs), outside, words, factions)


def _red_line(c: Checker, path: str, x: object, issue_ids: tuple[str, ...] | None,
              demands: list[Demand]) -> RedLine:
    tbl = c.table(x, path, ("issue", "description"), ("min", "max", *PROV_KEYS))
    if tbl is None:
        return RedLine("", None, None, "", Provenance())
    issue = c.ref(tbl["issue"], join_path(path, "issue"), issue_ids, "issue") \
        if "issue" in tbl else None
    lo = c.number(tbl["min"], join_path(path, "min"), UNIT) if "min" in tbl else None
    hi = c.number(tbl["max"], join_path(path, "max"), UNIT) if "max" in tbl else None
    if "min" not in tbl and "max" not in tbl:
        c.fail(path, "a red line needs 'min', 'max' or both (the text must have the issue "
               "at least min / at most max)")
    if lo is not None and hi is not None and lo > hi:
        c.fail(path, f"min {format_number(lo)} is greater than max {format_number(hi)}: "
               "no text could satisfy this red line")
    description = c.opt_string(tbl, "description", path) or ""
    prov = c.provenance(tbl, path)
    rl = RedLine(issue or "", lo, hi, description, prov)
    if issue is not None and (lo is None or hi is None or lo <= hi):
        for d in demands:
            if d.issue == issue and math.isfinite(d.ideal.value) and not rl.allows(
                d.ideal.value, tol=0.0
            ):
                c.fail(path, f"the actor's own ideal point on {issue!r} "
                       f"({format_number(d.ideal.value)}) violates this red line "
                       f"({rl.bounds_text()})")
    return rl


def read_model(c: Checker, x: object, report: bool = True) -> ModelParams:
    """Check the ``[model]`` table and return the model parameters.

    Parameters
    ----------
    c : Checker
        Collects the problems.
    x : object
        The parsed table.
    report : bool
        ``False`` when ``[model]`` is missing (already reported): return NaN placeholders.

    Returns
    -------
    ModelParams
        The parameters (NaN where a value is missing or invalid).

    Examples
    --------
    >>> c = Checker("my.toml")
    >>> read_model(c, {"rationality": {"value": 5.0, "assumption": "x"}}).rationality.value
    5.0
    >>> print(c.problems[0])
    my.toml: model.decisiveness: missing required field
    """
    if not report:
        return ModelParams(*(_NAN,) * len(MODEL_FIELDS))
    tbl = c.table(x, "model", MODEL_FIELDS, OPTIONAL_MODEL_FIELDS)
    if tbl is None:
        return ModelParams(*(_NAN,) * len(MODEL_FIELDS))
    values = [
        c.sourced(tbl[f], f"model.{f}", FIELD_RANGES[f]) if f in tbl else _NAN
        for f in MODEL_FIELDS
    ]
    optional = {f: c.sourced(tbl[f], f"model.{f}", FIELD_RANGES[f])
                for f in OPTIONAL_MODEL_FIELDS if f in tbl}
    return ModelParams(*values, **optional)


def read_uncertainties(c: Checker, x: object, paths: tuple[str, ...],
                       check_paths: bool = True,
                       hint: Callable[[str], str] | None = None) -> list[Uncertainty]:
    """Check the ``[[uncertainty]]`` entries and return them.

    Parameters
    ----------
    c : Checker
        Collects the problems.
    x : object
        The parsed array of tables.
    paths : tuple of str
        The scenario's parameter paths (:meth:`Scenario.parameter_paths`).
    check_paths : bool
        ``False`` when issues or actors are broken: unknown paths are then not reported.
    hint : callable, optional
        Returns the "did you mean" hint for an unknown path (default: the closest path).

    Returns
    -------
    list of Uncertainty
        The entries (with placeholders where one is broken).

    Examples
    --------
    >>> c = Checker("my.toml")
    >>> [u] = read_uncertainties(c, [{"parameter": "model.rationality",
    ...                               "distribution": "uniform", "low": 2.0, "high": 8.0,
    ...                               "assumption": "x"}], ("model.rationality",))
    >>> u.describe(), c.problems
    ('uniform(2, 8)', [])
    """
    out: list[Uncertainty] = []
    seen: dict[str, int] = {}
    for i, body in enumerate(c.array_of_tables(x, "uncertainty")):
        path = f"uncertainty[{i}]"
        tbl = c.table(body, path, ("parameter", "distribution"),
                      ("low", "high", "mode", "mean", "sd", *PROV_KEYS))
        if tbl is None:
            continue
        param = c.string(tbl["parameter"], join_path(path, "parameter")) \
            if "parameter" in tbl else None
        rng: Range | None = None
        if param is not None:
            if param not in paths and not check_paths:
                pass
            elif param not in paths:
                why = (hint or (lambda q: did_you_mean(q, paths)))(param) or (
                    " (a parameter is the dotted path of a sourced number, e.g. "
                    f"{paths[0]!r})" if paths else ""
                )
                c.fail(join_path(path, "parameter"), f"unknown parameter path {param!r}{why}")
            else:
                rng = field_range(param)
                if param in seen:
                    c.fail(join_path(path, "parameter"), f"{param!r} already has a distribution "
                           f"(uncertainty[{seen[param]}])")
                else:
                    seen[param] = i
        dist = (c.choice(tbl["distribution"], join_path(path, "distribution"), DISTRIBUTIONS)
                if "distribution" in tbl else None)
        values: dict[str, float | None] = {}
        for name in ("low", "high", "mode", "mean", "sd"):
            values[name] = c.number(tbl[name], join_path(path, name)) if name in tbl else None
            v = values[name]
            if v is not None and abs(v) > MAX_PARAMETER:
                c.fail(join_path(path, name), f"must be at most {MAX_PARAMETER:g} in absolute "
                       f"value (negsim's limit for distribution parameters), got {v:g}")
                values[name] = None
        if dist is not None:
            needed = DIST_PARAMS[dist]
            for name in ("low", "high", "mode", "mean", "sd"):
                if name in needed and name not in tbl:
                    c.fail(join_path(path, name), f"missing: a {dist} distribution needs "
                           f"{_and(needed)}")
                elif name not in needed and name in tbl:
                    c.fail(join_path(path, name), f"not a parameter of a {dist} distribution "
                           f"(it takes {_and(needed)})")
            _check_distribution(c, path, dist, values, rng, param)
        prov = c.provenance(tbl, path)
        out.append(Uncertainty(param or "", dist or "uniform", values["low"], values["high"],
                               values["mode"], values["mean"], values["sd"], prov))
    return out


def _and(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _check_distribution(c: Checker, path: str, dist: str, v: dict[str, float | None],
                        rng: Range | None, param: str | None) -> None:
    lo, hi, mode, mean, sd = (v[k] for k in ("low", "high", "mode", "mean", "sd"))
    if dist in ("uniform", "triangular"):
        if lo is not None and hi is not None and lo > hi:
            c.fail(join_path(path, "low"),
                   f"low {format_number(lo)} is greater than high {format_number(hi)}")
        if dist == "triangular" and mode is not None and lo is not None and hi is not None \
                and lo <= hi and not lo <= mode <= hi:
            c.fail(join_path(path, "mode"), f"mode {format_number(mode)} is outside [low, high] = "
                   f"[{format_number(lo)}, {format_number(hi)}]")
        if rng is not None:
            for name in DIST_PARAMS[dist]:
                value = v[name]
                if value is not None and not rng.contains(value):
                    c.fail(join_path(path, name), f"{rng.phrase()} (the valid range of {param}), "
                           f"got {format_number(value)}")
    elif dist == "normal":
        if sd is not None and sd <= 0:
            c.fail(join_path(path, "sd"), f"must be > 0, got {format_number(sd)}")
        if rng is not None and mean is not None:
            lo_b, hi_b = rng.lo, rng.hi
            if not lo_b <= mean <= hi_b:
                c.fail(join_path(path, "mean"), f"must be within the valid range {rng} of "
                       f"{param} (the normal is truncated to it), got {format_number(mean)}")
