"""The ``negsim dashboard`` command: a local web page to explore a scenario.

``negsim dashboard [SCENARIO] [--port P] [--host H]`` serves :mod:`negsim.dashboard` at
``http://H:P/`` until interrupted (Ctrl-C). The web dependencies are an extra:
without them the command says to ``pip install negsim[dashboard]`` and exits with status 1.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="negsim")
>>> register(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["dashboard", "--port", "8123", "--runs", "500"])
>>> args.func is cmd_dashboard, args.scenario, args.host, args.port, args.runs
(True, 'libya-2020', '127.0.0.1', 8123, 500)
"""

from __future__ import annotations

import argparse
from typing import Any

from negsim.cli.common import (
    CliError,
    add_scenario_argument,
    add_seed_argument,
    check_counts,
    guarded,
    load_scenario_arg,
    parse_integer,
)

__all__ = ["DEPENDENCIES_MISSING", "cmd_dashboard", "register"]

#: The message of ``negsim dashboard`` without its web dependencies.
DEPENDENCIES_MISSING = (
    "the dashboard needs its web dependencies ({missing} is not installed): "
    "pip install 'negsim[dashboard]'"
)

#: The size of the dashboard's ensembles unless ``--runs`` says otherwise.
DEFAULT_RUNS = 3000

#: The largest ``--runs``: the page re-runs the ensemble at each change, in memory.
MAX_DASHBOARD_RUNS = 1_000_000


def register(subparsers: Any) -> None:
    """Add the ``dashboard`` subcommand to an argparse subparsers object.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="negsim")
    >>> register(parser.add_subparsers(dest="command"))
    >>> parser.parse_args(["dashboard", "my.toml", "--host", "0.0.0.0"]).host
    '0.0.0.0'
    """
    p = subparsers.add_parser(
        "dashboard", help="explore a scenario in a local web page",
        description="Serve a local web page to explore a scenario: its actors, demands, red "
                    "lines and timeline; sliders for its numbers, which re-run an ensemble "
                    "beside the baseline; one run's story, round by round; the edited "
                    "scenario as a TOML file. Needs the web dependencies: pip install "
                    "'negsim[dashboard]'. Stop it with Ctrl-C.",
    )
    add_scenario_argument(p)
    p.add_argument("--port", type=parse_integer, default=8080, metavar="P",
                   help="port to listen on (default: 8080)")
    p.add_argument("--host", default="127.0.0.1", metavar="H",
                   help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--runs", type=parse_integer, default=DEFAULT_RUNS, metavar="N",
                   help=f"runs of each ensemble (default: {DEFAULT_RUNS:,}; at most "
                        f"{MAX_DASHBOARD_RUNS:,})")
    add_seed_argument(p)
    p.set_defaults(func=cmd_dashboard)


def cmd_dashboard(args: argparse.Namespace) -> int:
    """Run ``negsim dashboard``: serve the page until interrupted.

    Returns
    -------
    int
        0 when stopped, 1 on bad input or missing web dependencies (printed on stderr
        without a traceback), 130 if interrupted.

    Examples
    --------
    >>> ns = argparse.Namespace(scenario="libya-2020", port=70000, host="127.0.0.1",
    ...                         runs=100, seed=0)
    >>> cmd_dashboard(ns)  # negsim dashboard: error: --port must be 1-65535, got 70000
    1
    """
    return guarded("dashboard", _dashboard, args)


def _check_port_free(host: str, port: int) -> None:
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as err:
        raise CliError(f"--host {host}: {err.strerror or err}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as err:
            raise CliError(f"--port {port}: cannot listen on {host}:{port} "
                           f"({err.strerror or err}); choose another port") from None


def _dashboard(args: argparse.Namespace) -> int:
    check_counts(args, ("runs",))
    if not 0 < args.port < 65536:
        raise CliError(f"--port must be 1-65535, got {args.port}")
    if args.runs > MAX_DASHBOARD_RUNS:
        raise CliError(f"--runs {args.runs:,}: the dashboard re-runs the ensemble at each "
                       f"change; use at most {MAX_DASHBOARD_RUNS:,} runs (negsim run for more)")
    scenario, _ = load_scenario_arg(argparse.Namespace(scenario=args.scenario, overrides=[]))
    try:
        from negsim.dashboard.app import serve
    except ModuleNotFoundError as err:
        if (err.name or "").startswith("negsim"):
            raise
        raise CliError(DEPENDENCIES_MISSING.format(missing=err.name or "a package")) from None
    _check_port_free(args.host, args.port)
    print(f"negsim dashboard of {scenario.id}: http://{args.host}:{args.port}/ "
          "(Ctrl-C to stop)", flush=True)
    serve(scenario, args.scenario, host=args.host, port=args.port, runs=args.runs,
          seed=args.seed)
    return 0
