"""The ``negsim story`` command: one run of an ensemble, told in plain words.

``negsim story [SCENARIO] --seed S --run R`` replays run ``R`` of root seed ``S`` with the
Mesa model (:class:`negsim.NegotiationModel` with ``rng=SeedSequence([S, R])``) and prints
its story (:meth:`negsim.sim.results.RunResult.story`): who did what in each round, why
the non-signers did not sign, whether the text holds. It is row ``R`` of ``negsim run
--seed S`` (with the same ``--set``), whatever ``--runs``.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="negsim")
>>> register(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["story", "--seed", "3", "--run", "1"])
>>> cmd_story(args)  # doctest: +ELLIPSIS
Run 1 of seed 3 of libya-2020 (the Mesa model; row 1 of negsim run --seed 3)
<BLANKLINE>
moscow: Russia and Turkey drafted a text for GNA and LNA.
...
Outcome: partial signature.
...
0
"""

from __future__ import annotations

import argparse
from typing import Any

from negsim.cli.common import (
    CliError,
    add_scenario_argument,
    add_seed_argument,
    add_set_argument,
    check_counts,
    guarded,
    load_scenario_arg,
    parse_integer,
)

__all__ = ["cmd_story", "register"]


def register(subparsers: Any) -> None:
    """Add the ``story`` subcommand to an argparse subparsers object.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="negsim")
    >>> register(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["story", "my.toml", "--run", "1e3"])
    >>> args.func is cmd_story, args.scenario, args.seed, args.run
    (True, 'my.toml', 0, 1000)
    """
    p = subparsers.add_parser(
        "story", help="tell one run in plain words",
        description="Replay one run with the Mesa model and tell it in plain words: who "
                    "drafted and signed what in each round, why the others did not sign, "
                    "whether the text holds. Run R of seed S is row R of negsim run --seed S "
                    "(with the same --set).",
    )
    add_scenario_argument(p)
    add_seed_argument(p)
    p.add_argument("--run", type=parse_integer, default=0, metavar="R",
                   help="run index, from 0 (default: 0)")
    add_set_argument(p)
    p.add_argument("--width", type=parse_integer, default=88, metavar="W",
                   help="wrap lines at W characters (default: 88)")
    p.set_defaults(func=cmd_story)


def cmd_story(args: argparse.Namespace) -> int:
    """Run ``negsim story``: print one run's story.

    Returns
    -------
    int
        0 on success, 1 on bad input (printed on stderr without a traceback).

    Examples
    --------
    >>> ns = argparse.Namespace(scenario="libya-2020", seed=0, run=-1, overrides=[], width=88)
    >>> cmd_story(ns)  # negsim story: error: --run must be a non-negative integer, got -1
    1
    """
    return guarded("story", _story, args)


def _story(args: argparse.Namespace) -> int:
    import numpy as np

    from negsim.sim.model import NegotiationModel

    check_counts(args, ())
    if args.run < 0:
        raise CliError(f"--run must be a non-negative integer, got {args.run}")
    if args.width < 20:
        raise CliError(f"--width must be at least 20, got {args.width}")
    scenario, overrides = load_scenario_arg(args)
    model = NegotiationModel(scenario, rng=np.random.SeedSequence([args.seed, args.run]))
    result = model.run()
    head = (f"Run {args.run} of seed {args.seed} of {scenario.id} (the Mesa model; row "
            f"{args.run} of negsim run --seed {args.seed}"
            + "".join(f" --set {k}={v:g}" for k, v in overrides.items()) + ")")
    print(head + "\n")
    print(result.story(width=args.width))
    return 0
