"""The ``negsim scenarios``, ``negsim show`` and ``negsim validate`` commands.

``negsim scenarios`` lists the built-in scenarios, ``negsim show [SCENARIO]`` prints a
scenario as plain-text tables (actors, issues, demands with their provenance, red lines,
patron links, model parameters, commitments, the words of the deal and of its compliance
choices, timeline, observations, uncertainty; with
``--paths`` every parameter path), ``negsim validate FILE...`` checks scenario files (every
problem on stderr, one line each; ``--check-quotes`` checks the quotes against the source
files) and ``negsim new NAME`` writes a commented template.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="negsim")
>>> register(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["show", "--section", "issues"])
>>> args.scenario, args.sections, args.func is cmd_show
('libya-2020', ['issues'], True)
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from negsim._tables import format_table, heading
from negsim.cli.common import (
    CliError,
    add_scenario_argument,
    add_set_argument,
    check_output_path,
    guarded,
    load_scenario_arg,
    parse_integer,
)
from negsim.scenario import Provenance, Scenario, ScenarioError, load_scenario, scenarios
from negsim.scenario.errors import format_number
from negsim.scenario.quotes import check_quotes
from negsim.scenario.template import scenario_template
from negsim.scenario.words import word_rows

__all__ = ["EXTRA_SECTIONS", "SECTIONS", "WIDTH", "cmd_new", "cmd_scenarios", "cmd_show",
           "cmd_validate", "register", "render_paths", "render_scenario"]

SECTIONS = ("actors", "issues", "demands", "red_lines", "backs", "model", "commitments", "words",
            "timeline", "observed", "uncertainty", "sources")
"""The tables ``negsim show`` prints by default, in order."""

EXTRA_SECTIONS = ("parameters",)
"""Tables ``negsim show`` prints only on request (``--section parameters``)."""

WIDTH = 100
"""The columns ``negsim show`` fits its tables in, unless ``--width`` says otherwise."""


_FULL = 10**9  # the width of a column shown in full (wrapped, never shortened)


def _provenance(p: Provenance) -> str:
    if p.is_assumption:
        return f"assumption: {p.assumption}"
    return f'{p.source}: "{p.quote}"'


# --------------------------------------------------------------------------------------
# negsim scenarios
# --------------------------------------------------------------------------------------
def cmd_scenarios(args: argparse.Namespace) -> int:
    """Run ``negsim scenarios``: list the built-in scenarios with their titles.

    Returns
    -------
    int
        0.

    Examples
    --------
    >>> cmd_scenarios(argparse.Namespace())  # doctest: +ELLIPSIS
    name        title ...
    libya-2020  Libya, January 2020: ...
    0
    """
    return guarded("scenarios", _cmd_scenarios, args)


def _cmd_scenarios(args: argparse.Namespace) -> int:
    rows = []
    for name in scenarios():
        try:
            s = load_scenario(name)
        except ScenarioError as err:
            rows.append([name, f"(invalid: {len(err.problems)} problems; run negsim validate "
                               f"{name})", None, None])
            continue
        rows.append([name, s.title, len(s.actors), len(s.issues)])
    print(format_table(["name", "title", "actors", "issues"], rows,
                       max_widths=[None, 70, None, None], width=WIDTH))
    return 0


# --------------------------------------------------------------------------------------
# negsim show
# --------------------------------------------------------------------------------------
def cmd_show(args: argparse.Namespace) -> int:
    """Run ``negsim show``: print the scenario as tables (or as TOML with ``--toml``).

    Returns
    -------
    int
        0 on success, 1 on bad input (printed on stderr without a traceback).

    Examples
    --------
    >>> ns = argparse.Namespace(scenario="libya-2020", overrides=[], toml=False,
    ...                         sections=["model"], full=False)
    >>> cmd_show(ns)  # doctest: +ELLIPSIS
    libya-2020: Libya, January 2020: ...
    0
    >>> cmd_show(argparse.Namespace(scenario="atlantis-1999"))  # the message goes to stderr
    1
    """
    return guarded("show", _cmd_show, args)


def _cmd_show(args: argparse.Namespace) -> int:
    scenario, _ = load_scenario_arg(args)
    if args.toml:
        sys.stdout.write(scenario.to_toml())
        return 0
    width = getattr(args, "width", WIDTH)
    if width is not None and (width < 0 or 0 < width < 40):
        raise CliError(f"--width must be at least 40 (or 0 for no limit), got {width}")
    if getattr(args, "paths", False):
        print(render_paths(scenario, width=width or None))
        return 0
    sections = args.sections or list(SECTIONS)
    print(render_scenario(scenario, sections=sections, full=args.full, width=width or None))
    return 0


def render_paths(scenario: Scenario, width: int | None = WIDTH) -> str:
    """Render every parameter path with its value and, if uncertain, its distribution.

    These are the paths ``--set``, sweeps and ``[[uncertainty]]`` accept.

    Examples
    --------
    >>> text = render_paths(load_scenario("libya-2020"))
    >>> print(text.splitlines()[0])
    Parameter paths of libya-2020 (for --set, sweeps and [[uncertainty]])
    >>> max(len(line) for line in text.splitlines()) <= WIDTH
    True
    >>> [line.split()[:2] for line in text.splitlines() if "red_lines[0].min" in line]
    [['actors.LNA.red_lines[0].min', '0.5']]
    """
    dist = {u.parameter: u.describe() for u in scenario.uncertainty}
    rows = [[path, scenario.get(path), dist.get(path, "")] for path in scenario.parameter_paths()]
    table = format_table(["path", "value", "uncertain (distribution)"], rows,
                         max_widths=[None, None, None], width=width)
    return (f"Parameter paths of {scenario.id} (for --set, sweeps and [[uncertainty]])\n"
            f"{len(rows)} paths, {len(dist)} uncertain\n\n{table}")


def render_scenario(scenario: Scenario, sections: Sequence[str] = SECTIONS,
                    full: bool = False, width: int | None = WIDTH) -> str:
    """Render a scenario as plain-text tables, one section per entry of ``sections``.

    Parameters
    ----------
    scenario : Scenario
        The scenario to show.
    sections : sequence of str
        Which tables, in order; from :data:`SECTIONS` and :data:`EXTRA_SECTIONS`.
    full : bool
        Show quotes and descriptions in full instead of shortening them.
    width : int or None
        Fit the tables in this many columns, wrapping long cells (default :data:`WIDTH`);
        ``None``: one line per row, however wide.

    Examples
    --------
    >>> text = render_scenario(load_scenario("libya-2020"), sections=["model"])
    >>> print(text.splitlines()[0])
    libya-2020: Libya, January 2020: Moscow ceasefire talks and the Berlin conference
    >>> "Model parameters" in text, "Actors" in text
    (True, False)
    """
    q = _FULL if full else 48
    name = _FULL if full else 32
    text = _FULL if full else 60
    out = [f"{scenario.id}: {scenario.title}"]
    if scenario.description:
        out.append(textwrap.fill(" ".join(scenario.description.split()), width=88))
    out.append(f"(from {scenario.origin}; fingerprint {scenario.fingerprint()[:12]})")
    for section in sections:
        out.append("")
        out.append(_SECTION_RENDERERS[section](scenario, q, name, text, width))
    return "\n".join(out)


def _show_actors(s: Scenario, q: int | None, name: int | None, text: int | None,
                width: int | None) -> str:
    rows = []
    # Outside options other than fighting on get their kind and values (Libya's table as is).
    kinds = any(a.outside_option is not None and a.outside_option.kind != "fight_on"
                for a in s.actors)
    for a in s.actors:
        oo = a.outside_option
        rows.append([
            a.id, a.name, ", ".join(a.roles), a.capability.value,
            ", ".join(b.client for b in a.backs) or None,
            None if oo is None or oo.cost is None else oo.cost.value,
            None if oo is None else oo.discount.value,
        ] + ([] if not kinds else [
            None if oo is None else oo.kind,
            None if oo is None or oo.value is None else oo.value.value,
            None if oo is None or oo.value_if_others_sign is None
            else oo.value_if_others_sign.value,
        ]))
    head = ["id", "name", "roles", "capability", "backs", "fighting cost", "discount"]
    extra = ["outside option", "no-deal value", "if others sign"] if kinds else []
    table = format_table(
        head + extra, rows,
        max_widths=[None, name, None, None, None, None, None] + [None] * len(extra),
        width=width,
    )
    return heading("Actors") + "\n" + table


def _show_issues(s: Scenario, q: int | None, name: int | None, text: int | None,
                width: int | None) -> str:
    rows = [[i.id, i.name, i.low, i.high, i.status_quo.value,
             _provenance(i.status_quo.provenance)] for i in s.issues]
    table = format_table(
        ["id", "name", "0 means", "1 means", "status quo", "status quo from"], rows,
        max_widths=[None, name, name, name, None, q], width=width,
    )
    return heading("Issues (each a scale from 0 to 1)") + "\n" + table


def _show_demands(s: Scenario, q: int | None, name: int | None, text: int | None,
                width: int | None) -> str:
    rows = []
    for a in s.actors:
        for d in a.demands:
            rows.append([a.id, d.issue, d.ideal.value, d.salience.value,
                         _provenance(d.ideal.provenance), _provenance(d.salience.provenance)])
    for a in s.actors:  # a faction's own numbers; what it does not state is its leader's
        for f in a.factions:
            rows += [[f"{a.id}/{f.id}", d.issue] + [
                f"({a.id}'s)" if v is None else v.value for v in (d.ideal, d.salience)] + [
                "" if v is None else _provenance(v.provenance) for v in (d.ideal, d.salience)]
                for d in f.demands]
    table = format_table(["actor", "issue", "ideal", "salience", "ideal from", "salience from"],
                         rows, max_widths=[None, None, None, None, q, q], width=width)
    out = (heading("Demands (an actor with no demand on an issue is indifferent to it)")
           + "\n" + table)
    factions = [[f"{a.id}/{f.id}", f.name, f.strength.value,
                 "model's" if f.rationality is None else f.rationality.value,
                 _provenance(f.strength.provenance)] for a in s.actors for f in a.factions]
    if factions:
        out += "\n\n" + heading("Factions (may break the ceasefire their leader keeps)") + "\n" \
            + format_table(["faction", "name", "strength", "rationality", "strength from"],
                           factions, max_widths=[None, name, None, None, q], width=width)
    return out


def _show_red_lines(s: Scenario, q: int | None, name: int | None, text: int | None,
                width: int | None) -> str:
    rows = [[a.id, rl.issue, rl.bounds_text(), rl.description, _provenance(rl.provenance)]
            for a in s.actors for rl in a.red_lines]
    table = format_table(["actor", "issue", "text must be", "red line", "from"], rows,
                         max_widths=[None, None, None, text, q], width=width)
    return heading("Red lines") + "\n" + table


def _show_backs(s: Scenario, q: int | None, name: int | None, text: int | None,
                width: int | None) -> str:
    rows = [[a.id, b.client, b.leverage.value, b.support.value,
             _provenance(b.leverage.provenance), _provenance(b.support.provenance)]
            for a in s.actors for b in a.backs]
    table = format_table(["patron", "client", "leverage", "support", "leverage from",
                          "support from"], rows, max_widths=[None, None, None, None, q, q],
                         width=width)
    return heading("Patron links") + "\n" + table


def _show_model(s: Scenario, q: int | None, name: int | None, text: int | None,
                width: int | None) -> str:
    rows = []
    for path in s.parameter_paths():
        if path.startswith("model."):
            v = s.sourced(path)
            rows.append([path.split(".", 1)[1], v.value, s.parameter_range(path),
                         _provenance(v.provenance)])
    table = format_table(["parameter", "value", "valid", "from"], rows,
                         max_widths=[None, None, None, q], width=width)
    return heading("Model parameters") + "\n" + table


def _show_commitments(s: Scenario, q: int | None, name: int | None, text: int | None,
                width: int | None) -> str:
    rows = [[c.id, c.name, c.issue, c.effect, c.breach_cost.value,
             _provenance(c.breach_cost.provenance)] for c in s.commitments]
    head = ["id", "name", "issue", "effect", "breach cost", "from"]
    widths = [None, name, None, None, None, q]
    if any(c.beneficiaries or c.numbers for c in s.commitments):  # the effects' own terms
        for row, c in zip(rows, s.commitments, strict=True):
            terms = [f"for {', '.join(c.beneficiaries)}"] if c.beneficiaries else []
            row.insert(5, "; ".join(terms + [f"{k} {format_number(v.value)}"
                                             for k, v in c.numbers.items()]))
        head.insert(5, "terms")
        widths.insert(5, text)
    table = format_table(head, rows, max_widths=widths, width=width)
    return heading("Commitments (negotiated at conferences)") + "\n" + table


def _show_words(s: Scenario, q: int | None, name: int | None, text: int | None,
                width: int | None) -> str:
    table = format_table(["whose", "word", "words", "from"], word_rows(s),
                         max_widths=[None, None, text, None], width=width)
    return heading("Words (of the deal and of each compliance choice)") + "\n" + table


def _show_timeline(s: Scenario, q: int | None, name: int | None, text: int | None,
                width: int | None) -> str:
    rows = []
    for t in s.timeline:
        when = t.date.isoformat() + ("" if t.end is None else f" to {t.end.isoformat()}")
        who = ", ".join(t.participants)
        if t.mediators:
            who += ("; " if who else "") + "mediators " + ", ".join(t.mediators)
        rows.append([when, t.id, t.kind, who or None, ", ".join(t.commitments) or None,
                     t.description])
    table = format_table(["date", "id", "kind", "who", "commitments", "description"], rows,
                         max_widths=[None, None, None, _FULL, _FULL, text], width=width)
    return heading("Timeline (one model step per entry)") + "\n" + table


def _show_observed(s: Scenario, q: int | None, name: int | None, text: int | None,
                width: int | None) -> str:
    rows = [[o.round, o.actor, o.decision or o.outcome, o.commitment,
             _provenance(o.provenance)] for o in s.observed]
    table = format_table(["round", "actor", "observed", "commitment", "from"], rows,
                         max_widths=[None, None, None, None, q], width=width)
    return heading("Observed (for backtesting only)") + "\n" + table


def _show_uncertainty(s: Scenario, q: int | None, name: int | None, text: int | None,
                width: int | None) -> str:
    rows = [[u.parameter, s.get(u.parameter), u.describe(), _provenance(u.provenance)]
            for u in s.uncertainty]
    table = format_table(["parameter", "value", "distribution", "why"], rows,
                         max_widths=[None, None, None, q], width=width)
    return heading("Uncertainty (for ensembles)") + "\n" + table


def _show_parameters(s: Scenario, q: int | None, name: int | None, text: int | None,
                width: int | None) -> str:
    rows = []
    for path in s.parameter_paths():
        v = s.sourced(path)
        rows.append([path, v.value, s.parameter_range(path), _provenance(v.provenance)])
    table = format_table(["path", "value", "valid", "from"], rows,
                         max_widths=[None, None, None, q], width=width)
    return (heading("Parameters (paths for --set and [[uncertainty]])") + "\n" + table)


def _show_sources(s: Scenario, q: int | None, name: int | None, text: int | None,
                width: int | None) -> str:
    rows = [[src.key, src.title, src.file or src.url, src.date] for src in s.sources]
    table = format_table(["key", "title", "file or url", "date"], rows,
                         max_widths=[None, text, None, None], width=width)
    return heading("Sources") + "\n" + table


_SECTION_RENDERERS: dict[str, Callable[[Scenario, int | None, int | None, int | None,
                                          int | None], str]] = {
    "actors": _show_actors,
    "issues": _show_issues,
    "demands": _show_demands,
    "red_lines": _show_red_lines,
    "backs": _show_backs,
    "model": _show_model,
    "commitments": _show_commitments,
    "words": _show_words,
    "timeline": _show_timeline,
    "observed": _show_observed,
    "uncertainty": _show_uncertainty,
    "sources": _show_sources,
    "parameters": _show_parameters,
}


# --------------------------------------------------------------------------------------
# negsim validate
# --------------------------------------------------------------------------------------
def cmd_validate(args: argparse.Namespace) -> int:
    """Run ``negsim validate``: print ``FILE: ok`` or every problem found (on stderr).

    Returns
    -------
    int
        0 if every file is valid, else 1.

    Examples
    --------
    >>> cmd_validate(argparse.Namespace(files=["libya-2020"]))
    libya-2020: ok
    0
    """
    return guarded("validate", _cmd_validate, args)


def _cmd_validate(args: argparse.Namespace) -> int:
    bad = 0
    check = getattr(args, "check_quotes", False)
    folders = getattr(args, "source_dirs", None) or []
    if folders and not check:
        raise CliError("--source-dir is only used with --check-quotes")
    for item in args.files:
        try:
            scenario = load_scenario(item)
        except ScenarioError as err:
            bad += 1
            print(err, file=sys.stderr)
            continue
        if not check:
            print(f"{item}: ok")
            continue
        report = check_quotes(scenario, folders)
        lines = report.lines()
        for j, line in enumerate(lines):
            print(f"{item}: {line}", file=sys.stderr if j < len(report.missing) else sys.stdout)
        if report.ok:
            print(f"{item}: ok ({report.checked} quotes found in their sources, "
                  f"{len(report.unchecked)} sources not checked)")
        else:
            bad += 1
            print(f"{item}: {len(report.missing)} of {report.checked} quotes not found in "
                  "their sources", file=sys.stderr)
    if bad and len(args.files) > 1:
        print(f"{bad} of {len(args.files)} files are invalid", file=sys.stderr)
    return 1 if bad else 0


# --------------------------------------------------------------------------------------
# negsim new
# --------------------------------------------------------------------------------------
def cmd_new(args: argparse.Namespace) -> int:
    """Run ``negsim new``: write a commented scenario template that validates.

    Writes ``NAME.toml`` (or ``--out FILE``; ``-`` for stdout) and refuses to overwrite
    an existing file.

    Returns
    -------
    int
        0 on success, 1 on bad input (printed on stderr without a traceback).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "talks.toml"
    >>> cmd_new(argparse.Namespace(name="talks", out=str(out)))  # doctest: +ELLIPSIS
    wrote .../talks.toml: edit it, then run negsim validate .../talks.toml
    0
    >>> load_scenario(str(out)).id
    'talks'
    """
    return guarded("new", _cmd_new, args)


def _cmd_new(args: argparse.Namespace) -> int:
    try:
        text = scenario_template(args.name)
    except ValueError as err:
        raise CliError(f"NAME: {err}") from None
    out = args.out if args.out is not None else f"{args.name}.toml"
    if out == "-":
        sys.stdout.write(text)
        return 0
    path = Path(out)
    if path.exists():
        raise CliError(f"{out}: the file exists (negsim new does not overwrite it)")
    check_output_path(out, "--out", folder=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {out}: edit it, then run negsim validate {out}")
    return 0


# --------------------------------------------------------------------------------------
# parser
# --------------------------------------------------------------------------------------
def register(sub: Any) -> None:
    """Add the ``scenarios``, ``show``, ``validate`` and ``new`` subcommands.

    Each sets ``func`` (:func:`cmd_scenarios`, :func:`cmd_show`, :func:`cmd_validate` or
    :func:`cmd_new`),
    which takes the parsed arguments and returns the exit status.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="negsim")
    >>> register(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["validate", "a.toml", "b.toml"])
    >>> args.func is cmd_validate, args.files
    (True, ['a.toml', 'b.toml'])
    """
    p = sub.add_parser("scenarios", help="list the built-in scenarios",
                       description="List the built-in scenarios with their titles.")
    p.set_defaults(func=cmd_scenarios)

    p = sub.add_parser(
        "show", help="print a scenario as tables",
        description="Print a scenario as plain-text tables: actors, issues, demands with "
                    "their provenance, red lines, patron links, model parameters, "
                    "commitments, the scenario's words, timeline, observations and "
                    "uncertainty.",
    )
    add_scenario_argument(p)
    p.add_argument("--section", dest="sections", action="append",
                   choices=SECTIONS + EXTRA_SECTIONS, metavar="NAME",
                   help="show only this table (repeatable): "
                   + ", ".join(SECTIONS + EXTRA_SECTIONS))
    p.add_argument("--full", action="store_true",
                   help="show quotes and descriptions in full")
    add_set_argument(p)
    p.add_argument("--width", type=parse_integer, default=WIDTH, metavar="W",
                   help=f"fit the tables in W columns, wrapping long cells (default: {WIDTH}; "
                        "0: no limit)")
    p.add_argument("--toml", action="store_true",
                   help="print the scenario as a TOML file instead of tables")
    p.add_argument("--paths", action="store_true",
                   help="list every parameter path (for --set, sweeps and [[uncertainty]]) "
                        "with its value and distribution if uncertain")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser(
        "validate", help="check scenario files",
        description="Check scenario files; print 'FILE: ok' or every problem found "
                    "(on stderr). Exit status 0 if all are valid, else 1.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="TOML files (or built-in names)")
    p.add_argument("--check-quotes", action="store_true",
                   help="also check that each quote appears in its source's file, where the "
                        "file is at hand (next to the scenario or in a --source-dir); exit "
                        "status 1 if a quote is missing")
    p.add_argument("--source-dir", dest="source_dirs", action="append", metavar="DIR",
                   help="look for source files in DIR too (repeatable; with --check-quotes)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "new", help="write a commented scenario template",
        description="Write a minimal, commented scenario template that validates: two "
                    "parties, a mediator, two issues and one mediated round.",
    )
    p.add_argument("name", metavar="NAME", help="the scenario's id (letters, digits, _ and -)")
    p.add_argument("--out", metavar="FILE",
                   help="where to write it (default: NAME.toml; '-': standard output); an "
                        "existing file is not overwritten")
    p.set_defaults(func=cmd_new)
