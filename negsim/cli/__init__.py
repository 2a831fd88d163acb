"""The ``negsim`` command line: :func:`main` and its subcommands.

Modules: :mod:`~negsim.cli.app` (the parser and :func:`main`), :mod:`~negsim.cli.common`
(the default scenario, argument checks and the one error policy), and the command modules
:mod:`~negsim.cli.scenarios` (``scenarios``, ``show``, ``validate``), :mod:`~negsim.cli.run`
(``run``, ``sweep``) and :mod:`~negsim.cli.analysis` (``backtest``, ``design``,
``forecast``), which import only :mod:`~negsim.cli.common` of this subpackage.

May import: everything else (the top layer).
"""

from negsim.cli.app import COMMANDS, build_parser, main
from negsim.cli.common import parse_assignments
from negsim.cli.scenarios import render_scenario

__all__ = ["COMMANDS", "build_parser", "main", "parse_assignments", "render_scenario"]
