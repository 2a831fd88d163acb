"""The ``negsim`` command line.

``negsim scenarios`` lists the built-in scenarios, ``negsim show [SCENARIO]`` prints a
scenario as plain-text tables (actors, issues, demands with their provenance, red lines,
patron links, model parameters, commitments, timeline, observations, uncertainty), and
``negsim validate FILE...`` checks scenario files. More subcommands (``run``, ``sweep``,
...) come from other modules.

Adding a subcommand: write a module with a function ``register(subparsers)`` that adds
an argparse parser and sets ``func`` (``parser.set_defaults(func=cmd)``, where ``cmd``
takes the parsed arguments and returns the exit status), and add the module's name to
:data:`PLUGINS`. Bad input never produces a traceback: a :class:`ValueError` (including
:class:`~negsim.scenario.core.ScenarioError`) or :class:`OSError` raised by a command is printed
to stderr and gives exit status 1; usage errors give 2 (argparse's convention).

Examples
--------
>>> main(["validate", "no-such-file.toml"])
1
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from negsim._tables import format_table, heading
from negsim.scenario.core import (
    Provenance,
    Scenario,
    ScenarioError,
    load_scenario,
    scenarios,
)

__all__ = ["PLUGINS", "main", "parse_assignments"]

DEFAULT_SCENARIO = "libya-2020"

PLUGINS: tuple[str, ...] = ("negsim.cli.run", "negsim.cli.analysis")
"""Modules whose ``register(subparsers)`` adds more subcommands, in help order.

A module listed here that does not exist (yet) is skipped.
"""

SECTIONS = ("actors", "issues", "demands", "red_lines", "backs", "model", "commitments",
            "timeline", "observed", "uncertainty", "sources")
"""The tables ``negsim show`` prints by default, in order."""

EXTRA_SECTIONS = ("parameters",)
"""Tables ``negsim show`` prints only on request (``--section parameters``)."""

_Registrar = Callable[[Any], None]


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def parse_assignments(items: Sequence[str], option: str = "--set") -> dict[str, float]:
    """Parse ``PATH=VALUE`` strings into an overrides mapping.

    Raises
    ------
    ValueError
        Naming the option and the bad item.

    Examples
    --------
    >>> parse_assignments(["actors.LNA.capability=0.3", "model.rationality = 2"])
    {'actors.LNA.capability': 0.3, 'model.rationality': 2.0}
    >>> parse_assignments(["x"])
    Traceback (most recent call last):
    ...
    ValueError: --set 'x': expected PATH=VALUE, e.g. actors.LNA.capability=0.3
    """
    out: dict[str, float] = {}
    for item in items:
        path, sep, text = item.partition("=")
        path, text = path.strip(), text.strip()
        if not sep or not path:
            raise ValueError(f"{option} {item!r}: expected PATH=VALUE, e.g. "
                             "actors.LNA.capability=0.3")
        try:
            out[path] = float(text)
        except ValueError:
            raise ValueError(f"{option} {path}: {text!r} is not a number") from None
    return out


def _provenance(p: Provenance) -> str:
    if p.is_assumption:
        return f"assumption: {p.assumption}"
    return f'{p.source}: "{p.quote}"'


def _version() -> str:
    from negsim._version import __version__

    return __version__


# --------------------------------------------------------------------------------------
# negsim scenarios
# --------------------------------------------------------------------------------------
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
    print(format_table(["name", "title", "actors", "issues"], rows, max_widths=[None, 70,
                                                                               None, None]))
    return 0


# --------------------------------------------------------------------------------------
# negsim show
# --------------------------------------------------------------------------------------
def _cmd_show(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    if args.overrides:
        scenario = scenario.with_overrides(parse_assignments(args.overrides))
    if args.toml:
        sys.stdout.write(scenario.to_toml())
        return 0
    sections = args.sections or list(SECTIONS)
    print(render_scenario(scenario, sections=sections, full=args.full))
    return 0


def render_scenario(scenario: Scenario, sections: Sequence[str] = SECTIONS,
                    full: bool = False) -> str:
    """Render a scenario as plain-text tables, one section per entry of ``sections``.

    Parameters
    ----------
    scenario : Scenario
        The scenario to show.
    sections : sequence of str
        Which tables, in order; from :data:`SECTIONS` and :data:`EXTRA_SECTIONS`.
    full : bool
        Show quotes and descriptions in full instead of shortening them.

    Examples
    --------
    >>> from negsim.scenario.core import _MINIMAL, parse_scenario
    >>> text = render_scenario(parse_scenario(_MINIMAL), sections=["issues"])
    >>> print(text.splitlines()[-1])
    border  Border  stays where it is  moves north  0           assumption: the border has not moved
    """
    q = None if full else 48
    name = None if full else 32
    text = None if full else 60
    out = [f"{scenario.id}: {scenario.title}"]
    if scenario.description:
        out.append(textwrap.fill(" ".join(scenario.description.split()), width=88))
    out.append(f"(from {scenario.origin}; fingerprint {scenario.fingerprint()[:12]})")
    for section in sections:
        out.append("")
        out.append(_SECTION_RENDERERS[section](scenario, q, name, text))
    return "\n".join(out)


def _show_actors(s: Scenario, q: int | None, name: int | None, text: int | None) -> str:
    rows = []
    for a in s.actors:
        oo = a.outside_option
        rows.append([
            a.id, a.name, ", ".join(a.roles), a.capability.value,
            ", ".join(b.client for b in a.backs) or None,
            None if oo is None else oo.cost.value,
            None if oo is None else oo.discount.value,
        ])
    table = format_table(
        ["id", "name", "roles", "capability", "backs", "fighting cost", "discount"], rows,
        max_widths=[None, name, None, None, None, None, None],
    )
    return heading("Actors") + "\n" + table


def _show_issues(s: Scenario, q: int | None, name: int | None, text: int | None) -> str:
    rows = [[i.id, i.name, i.low, i.high, i.status_quo.value,
             _provenance(i.status_quo.provenance)] for i in s.issues]
    table = format_table(
        ["id", "name", "0 means", "1 means", "status quo", "status quo from"], rows,
        max_widths=[None, name, name, name, None, q],
    )
    return heading("Issues (each a scale from 0 to 1)") + "\n" + table


def _show_demands(s: Scenario, q: int | None, name: int | None, text: int | None) -> str:
    rows = []
    for a in s.actors:
        for d in a.demands:
            rows.append([a.id, d.issue, d.ideal.value, d.salience.value,
                         _provenance(d.ideal.provenance), _provenance(d.salience.provenance)])
    table = format_table(["actor", "issue", "ideal", "salience", "ideal from", "salience from"],
                         rows, max_widths=[None, None, None, None, q, q])
    return (heading("Demands (an actor with no demand on an issue is indifferent to it)")
            + "\n" + table)


def _show_red_lines(s: Scenario, q: int | None, name: int | None, text: int | None) -> str:
    rows = [[a.id, rl.issue, rl.bounds_text(), rl.description, _provenance(rl.provenance)]
            for a in s.actors for rl in a.red_lines]
    table = format_table(["actor", "issue", "text must be", "red line", "from"], rows,
                         max_widths=[None, None, None, text, q])
    return heading("Red lines") + "\n" + table


def _show_backs(s: Scenario, q: int | None, name: int | None, text: int | None) -> str:
    rows = [[a.id, b.client, b.leverage.value, b.support.value,
             _provenance(b.leverage.provenance), _provenance(b.support.provenance)]
            for a in s.actors for b in a.backs]
    table = format_table(["patron", "client", "leverage", "support", "leverage from",
                          "support from"], rows, max_widths=[None, None, None, None, q, q])
    return heading("Patron links") + "\n" + table


def _show_model(s: Scenario, q: int | None, name: int | None, text: int | None) -> str:
    rows = []
    for path in s.parameter_paths():
        if path.startswith("model."):
            v = s.sourced(path)
            rows.append([path.split(".", 1)[1], v.value, s.parameter_range(path),
                         _provenance(v.provenance)])
    table = format_table(["parameter", "value", "valid", "from"], rows,
                         max_widths=[None, None, None, q])
    return heading("Model parameters") + "\n" + table


def _show_commitments(s: Scenario, q: int | None, name: int | None, text: int | None) -> str:
    rows = [[c.id, c.name, c.issue, c.effect, c.breach_cost.value,
             _provenance(c.breach_cost.provenance)] for c in s.commitments]
    table = format_table(["id", "name", "issue", "effect", "breach cost", "from"], rows,
                         max_widths=[None, name, None, None, None, q])
    return heading("Commitments (negotiated at conferences)") + "\n" + table


def _show_timeline(s: Scenario, q: int | None, name: int | None, text: int | None) -> str:
    rows = []
    for t in s.timeline:
        when = t.date.isoformat() + ("" if t.end is None else f" to {t.end.isoformat()}")
        rows.append([when, t.id, t.kind, ", ".join(t.participants) or None,
                     ", ".join(t.mediators) or None, ", ".join(t.commitments) or None,
                     t.description])
    table = format_table(["date", "id", "kind", "participants", "mediators", "commitments",
                          "description"], rows,
                         max_widths=[None, None, None, None, None, None, text])
    return heading("Timeline (one model step per entry)") + "\n" + table


def _show_observed(s: Scenario, q: int | None, name: int | None, text: int | None) -> str:
    rows = [[o.round, o.actor, o.decision or o.outcome, o.commitment,
             _provenance(o.provenance)] for o in s.observed]
    table = format_table(["round", "actor", "observed", "commitment", "from"], rows,
                         max_widths=[None, None, None, None, q])
    return heading("Observed (for backtesting only)") + "\n" + table


def _show_uncertainty(s: Scenario, q: int | None, name: int | None, text: int | None) -> str:
    rows = [[u.parameter, s.get(u.parameter), u.describe(), _provenance(u.provenance)]
            for u in s.uncertainty]
    table = format_table(["parameter", "value", "distribution", "why"], rows,
                         max_widths=[None, None, None, q])
    return heading("Uncertainty (for ensembles)") + "\n" + table


def _show_parameters(s: Scenario, q: int | None, name: int | None, text: int | None) -> str:
    rows = []
    for path in s.parameter_paths():
        v = s.sourced(path)
        rows.append([path, v.value, s.parameter_range(path), _provenance(v.provenance)])
    table = format_table(["path", "value", "valid", "from"], rows,
                         max_widths=[None, None, None, q])
    return (heading("Parameters (paths for --set and [[uncertainty]])") + "\n" + table)


def _show_sources(s: Scenario, q: int | None, name: int | None, text: int | None) -> str:
    rows = [[src.key, src.title, src.file or src.url, src.date] for src in s.sources]
    table = format_table(["key", "title", "file or url", "date"], rows,
                         max_widths=[None, text, None, None])
    return heading("Sources") + "\n" + table


_SECTION_RENDERERS: dict[str, Callable[[Scenario, int | None, int | None, int | None], str]] = {
    "actors": _show_actors,
    "issues": _show_issues,
    "demands": _show_demands,
    "red_lines": _show_red_lines,
    "backs": _show_backs,
    "model": _show_model,
    "commitments": _show_commitments,
    "timeline": _show_timeline,
    "observed": _show_observed,
    "uncertainty": _show_uncertainty,
    "sources": _show_sources,
    "parameters": _show_parameters,
}


# --------------------------------------------------------------------------------------
# negsim validate
# --------------------------------------------------------------------------------------
def _cmd_validate(args: argparse.Namespace) -> int:
    bad = 0
    for item in args.files:
        try:
            load_scenario(item)
        except ScenarioError as err:
            bad += 1
            print(err, file=sys.stderr)
        else:
            print(f"{item}: ok")
    if bad and len(args.files) > 1:
        print(f"{bad} of {len(args.files)} files are invalid", file=sys.stderr)
    return 1 if bad else 0


# --------------------------------------------------------------------------------------
# parser
# --------------------------------------------------------------------------------------
def _register_scenario_commands(sub: Any) -> None:
    """Add ``scenarios``, ``show`` and ``validate``."""
    p = sub.add_parser("scenarios", help="list the built-in scenarios",
                       description="List the built-in scenarios with their titles.")
    p.set_defaults(func=_cmd_scenarios)

    p = sub.add_parser(
        "show", help="print a scenario as tables",
        description="Print a scenario as plain-text tables: actors, issues, demands with "
                    "their provenance, red lines, patron links, model parameters, "
                    "commitments, timeline, observations and uncertainty.",
    )
    p.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, metavar="SCENARIO",
                   help=f"built-in scenario name or TOML file (default: {DEFAULT_SCENARIO})")
    p.add_argument("--section", dest="sections", action="append",
                   choices=SECTIONS + EXTRA_SECTIONS, metavar="NAME",
                   help="show only this table (repeatable): "
                   + ", ".join(SECTIONS + EXTRA_SECTIONS))
    p.add_argument("--full", action="store_true",
                   help="show quotes and descriptions in full")
    p.add_argument("--set", dest="overrides", action="append", default=[],
                   metavar="PATH=VALUE", help="override a number first, e.g. --set "
                   "actors.LNA.capability=0.3 (repeatable)")
    p.add_argument("--toml", action="store_true",
                   help="print the scenario as a TOML file instead of tables")
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser(
        "validate", help="check scenario files",
        description="Check scenario files; print 'FILE: ok' or every problem found "
                    "(on stderr). Exit status 0 if all are valid, else 1.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="TOML files (or built-in names)")
    p.set_defaults(func=_cmd_validate)


def _registrars(plugins: Sequence[str]) -> list[_Registrar]:
    out: list[_Registrar] = [_register_scenario_commands]
    for name in plugins:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name == name:  # not written yet: skip it
                continue
            raise
        out.append(module.register)
    return out


def _build_parser(plugins: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Build the ``negsim`` argument parser with the subcommands of ``plugins``.

    ``plugins`` defaults to :data:`PLUGINS` (read at call time).
    """
    plugins = PLUGINS if plugins is None else plugins
    parser = argparse.ArgumentParser(
        prog="negsim",
        description="Simulate multi-party negotiations with game theory and agent-based "
                    "models.",
    )
    parser.add_argument("--version", action="version", version=f"negsim {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for register in _registrars(plugins):
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``negsim`` command line and return the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 for invalid input (printed to stderr without a traceback),
        2 for usage errors, 130 if interrupted.

    Examples
    --------
    >>> main(["validate", "libya-2020"])
    libya-2020: ok
    0
    >>> main(["show", "libya-2020", "--section", "issues"])  # doctest: +ELLIPSIS
    libya-2020: Libya, January 2020: Moscow ceasefire talks and the Berlin conference
    ...
    0
    """
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    try:
        return int(args.func(args))
    except (ValueError, OSError) as err:
        if isinstance(err, BrokenPipeError):  # e.g. `negsim show | head`
            _silence_stdout()
            return 1
        message = str(err)
        if not isinstance(err, ScenarioError):
            message = f"negsim {args.command}: error: {message}"
        print(message, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"negsim {args.command}: interrupted", file=sys.stderr)
        return 130


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
