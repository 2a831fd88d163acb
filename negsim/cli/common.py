"""What every ``negsim`` command shares: defaults, argument checks and the error policy.

It holds the default scenario, the error type, the argument checks and the one error
policy, :func:`guarded`, which :func:`negsim.cli.app.main` applies to every command: bad
input never produces a traceback. A :class:`CliError`, :class:`ValueError` (including
:class:`~negsim.scenario.ScenarioError`), :class:`KeyError` or :class:`OSError` is
printed on stderr as ``negsim COMMAND: error: MESSAGE`` and gives exit status 1; Ctrl-C
prints ``negsim COMMAND: interrupted`` (adding where the finished chunks are when the
command has a ``--checkpoint``) and gives 130; a closed stdout (as in ``negsim show |
head``) gives 1 silently. Usage errors give 2 (argparse's convention, in
:func:`negsim.cli.app.main`).

Examples
--------
>>> import argparse
>>> def fail(args):
...     raise ValueError("bad input")
>>> guarded("demo", fail, argparse.Namespace())  # prints: negsim demo: error: bad input
1
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from negsim.scenario import Scenario, ScenarioError, load_scenario

__all__ = [
    "DEFAULT_SCENARIO",
    "CliError",
    "add_scenario_argument",
    "check_counts",
    "error_message",
    "guarded",
    "load_scenario_arg",
    "parse_assignments",
]

DEFAULT_SCENARIO = "libya-2020"
"""The scenario a command uses when none is given."""


class CliError(Exception):
    """An error in a command's arguments, printed as one line without a traceback (exit 1).

    Examples
    --------
    >>> import argparse
    >>> def cmd(args):
    ...     raise CliError("--runs must be at least 1, got 0")
    >>> guarded("run", cmd, argparse.Namespace())  # negsim run: error: --runs must be ...
    1
    """


# --------------------------------------------------------------------------------------
# arguments
# --------------------------------------------------------------------------------------
def add_scenario_argument(p: argparse.ArgumentParser) -> None:
    """Add the optional positional ``SCENARIO`` (default :data:`DEFAULT_SCENARIO`).

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_scenario_argument(p)
    >>> p.parse_args([]).scenario, p.parse_args(["my.toml"]).scenario
    ('libya-2020', 'my.toml')
    """
    p.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, metavar="SCENARIO",
                   help=f"built-in scenario name or TOML file (default: {DEFAULT_SCENARIO})")


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


def check_counts(args: argparse.Namespace, names: Sequence[str]) -> None:
    """Refuse counts below 1 among the options ``names`` (unset ones pass) and a negative seed.

    Raises
    ------
    CliError
        Naming the option and the value.

    Examples
    --------
    >>> check_counts(argparse.Namespace(runs=10, processes=None, seed=0), ("runs", "processes"))
    >>> check_counts(argparse.Namespace(runs=0, seed=0), ("runs",))
    Traceback (most recent call last):
    ...
    negsim.cli.common.CliError: --runs must be at least 1, got 0
    """
    for name in names:
        value = getattr(args, name, None)
        if value is not None and value < 1:
            raise CliError(f"--{name.replace('_', '-')} must be at least 1, got {value}")
    if getattr(args, "seed", 0) < 0:
        raise CliError(f"--seed must be a non-negative integer, got {args.seed}")


def load_scenario_arg(args: argparse.Namespace) -> tuple[Scenario, dict[str, float]]:
    """Load ``args.scenario`` with the ``--set`` overrides of ``args.overrides`` applied.

    Returns
    -------
    (Scenario, dict)
        The scenario and the overrides, path -> value.

    Raises
    ------
    ScenarioError
        The scenario does not load.
    ValueError
        A ``--set`` item is not ``PATH=VALUE``.
    CliError
        The overrides are invalid for the scenario (the message starts with ``--set:``).

    Examples
    --------
    >>> ns = argparse.Namespace(scenario="libya-2020", overrides=["model.rationality=2"])
    >>> scenario, overrides = load_scenario_arg(ns)
    >>> scenario.get("model.rationality"), overrides
    (2.0, {'model.rationality': 2.0})
    """
    scenario = load_scenario(args.scenario)
    overrides = parse_assignments(getattr(args, "overrides", None) or [])
    if overrides:
        try:
            scenario = scenario.with_overrides(overrides)
        except (ValueError, KeyError) as err:
            raise CliError(f"--set: {error_message(err)}") from None
    return scenario, overrides


# --------------------------------------------------------------------------------------
# the error policy
# --------------------------------------------------------------------------------------
def error_message(err: BaseException) -> str:
    """Return the text of an error as the command line prints it (a KeyError unquoted).

    Examples
    --------
    >>> error_message(KeyError("unknown actor 'X'"))
    "unknown actor 'X'"
    >>> error_message(ValueError("bad"))
    'bad'
    """
    if isinstance(err, KeyError) and not isinstance(err, ScenarioError) and err.args:
        return str(err.args[0])
    return str(err)


def guarded(command: str, fn: Callable[[argparse.Namespace], Any],
            args: argparse.Namespace) -> int:
    """Run ``fn(args)`` under the command line's error policy; return the exit status.

    Parameters
    ----------
    command : str
        The command's name, for the messages (``negsim COMMAND: error: ...``).
    fn : callable
        Takes the parsed arguments and returns the exit status.
    args : argparse.Namespace
        The parsed arguments; a true ``args.checkpoint`` adds the checkpoint hint on Ctrl-C.

    Returns
    -------
    int
        What ``fn`` returned; 1 for bad input (:class:`CliError`, :class:`ValueError`,
        :class:`KeyError`, :class:`OSError`: one message on stderr, no traceback) or a
        closed stdout (silently); 130 if interrupted.

    Examples
    --------
    >>> def ok(args):
    ...     print("done")
    ...     return 0
    >>> guarded("demo", ok, argparse.Namespace())
    done
    0
    >>> def missing(args):
    ...     raise KeyError("unknown issue 'nope'")
    >>> guarded("demo", missing, argparse.Namespace())  # negsim demo: error: unknown issue ...
    1
    """
    try:
        return int(fn(args))
    except BrokenPipeError:  # e.g. `negsim show | head`: stop quietly
        _silence_stdout()
        return 1
    except KeyboardInterrupt:
        hint = " (finished chunks are kept in --checkpoint)" if getattr(
            args, "checkpoint", None) else ""
        print(f"negsim {command}: interrupted{hint}", file=sys.stderr)
        return 130
    except (CliError, ValueError, KeyError, OSError) as err:
        print(f"negsim {command}: error: {error_message(err)}", file=sys.stderr)
        return 1


def _silence_stdout() -> None:
    """Point stdout at the null device, so that Python's exit flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass
