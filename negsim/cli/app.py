"""The ``negsim`` command line: the argument parser and :func:`main`.

The subcommands come from the modules of :data:`COMMANDS`, in help order:
:mod:`negsim.cli.scenarios` (``scenarios``, ``show``, ``validate``), :mod:`negsim.cli.run`
(``run``, ``sweep``), :mod:`negsim.cli.story` (``story``) and :mod:`negsim.cli.analysis`
(``backtest``, ``design``, ``forecast``) and :mod:`negsim.cli.dashboard` (``dashboard``).

Adding a subcommand: write a function ``register(subparsers)`` that adds an argparse parser
and sets ``func`` (``parser.set_defaults(func=cmd)``, where ``cmd`` takes the parsed
arguments and returns the exit status), and add it to :data:`COMMANDS`. Command modules
import only :mod:`negsim.cli.common`, never this module. :func:`main` runs every command
under the one error policy of :func:`negsim.cli.common.guarded`: bad input is printed on
stderr without a traceback and gives exit status 1; usage errors give 2 (argparse's
convention); 130 if interrupted.

Examples
--------
>>> main(["validate", "no-such-file.toml"])
1
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

from negsim._version import __version__
from negsim.cli import analysis, dashboard, run, scenarios, story
from negsim.cli.common import guarded

__all__ = ["COMMANDS", "build_parser", "main"]

Registrar = Callable[[Any], None]
"""A function adding subcommands to an argparse subparsers object."""

COMMANDS: tuple[Registrar, ...] = (scenarios.register, run.register, story.register,
                                    analysis.register, dashboard.register)
"""The functions that add the subcommands, in help order."""


def build_parser(commands: Sequence[Registrar] | None = None) -> argparse.ArgumentParser:
    """Build the ``negsim`` argument parser with the subcommands of ``commands``.

    Parameters
    ----------
    commands : sequence of callables, optional
        Each takes the argparse subparsers object and adds subcommands; default
        :data:`COMMANDS` (read at call time).

    Examples
    --------
    >>> parser = build_parser()
    >>> args = parser.parse_args(["run", "--runs", "100"])
    >>> args.command, args.runs
    ('run', 100)
    >>> build_parser([scenarios.register]).parse_args(["validate", "x.toml"]).files
    ['x.toml']
    """
    commands = COMMANDS if commands is None else commands
    parser = argparse.ArgumentParser(
        prog="negsim",
        description="Simulate multi-party negotiations with game theory and agent-based "
                    "models.",
    )
    parser.add_argument("--version", action="version", version=f"negsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for register in commands:
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
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return guarded(args.command, args.func, args)
