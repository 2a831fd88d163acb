"""What every ``negsim`` command shares: defaults, argument checks and the error policy.

It holds the default scenario, the error type, the options shared by the commands (one
definition each: ``add_runs_argument``, ``add_seed_argument``, ``add_set_argument``,
``add_processes_argument``), the argument checks and the one error policy,
:func:`guarded`, which :func:`negsim.cli.app.main` applies to every command: bad input
never produces a traceback. A :class:`CliError`, :class:`ValueError` (including
:class:`~negsim.scenario.ScenarioError`), :class:`KeyError` or :class:`OSError` (stated
in words, with its path) is printed on stderr as ``negsim COMMAND: error: MESSAGE`` and
gives exit status 1; Ctrl-C prints ``negsim COMMAND: interrupted`` (adding where the
finished chunks are when the command has a ``--checkpoint``) and gives 130; a closed
stdout (as in ``negsim show | head``) gives 1 silently. Usage errors give 2 (argparse's
convention, in :func:`negsim.cli.app.main`).

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
import errno
import os
import re
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from negsim.scenario import Scenario, ScenarioError, load_scenario

__all__ = [
    "DEFAULT_SCENARIO",
    "MAX_RUNS",
    "CliError",
    "add_ensemble_arguments",
    "add_processes_argument",
    "add_runs_argument",
    "add_scenario_argument",
    "add_seed_argument",
    "add_set_argument",
    "cap_processes",
    "check_counts",
    "check_output_path",
    "error_message",
    "guarded",
    "load_scenario_arg",
    "parse_assignments",
    "parse_integer",
    "parse_number",
]

DEFAULT_SCENARIO = "libya-2020"
"""The scenario a command uses when none is given."""

MAX_RUNS = 100_000_000
"""The most runs one command simulates (``--runs``; for a sweep, runs times points)."""

_MAX_DIGITS = 1000  # integers on the command line (seeds included) have at most this many

_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_DIGITS = r"\d+(?:_\d+)*"
_INTEGER = re.compile(rf"[+-]?{_DIGITS}(?:\.(?:{_DIGITS})?)?(?:[eE]\+?{_DIGITS})?")


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


def add_ensemble_arguments(p: argparse.ArgumentParser, runs: int,
                           per_point: bool = False) -> None:
    """Add the scenario, ``--runs``, ``--seed``, ``--set`` and ``--processes``.

    What every command that simulates an ensemble takes.

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_ensemble_arguments(p, 1000)
    >>> a = p.parse_args(["--runs", "1e3", "--seed", "2"])
    >>> a.runs, a.seed
    (1000, 2)
    """
    add_scenario_argument(p)
    add_runs_argument(p, runs, per_point=per_point)
    add_seed_argument(p)
    add_set_argument(p)
    add_processes_argument(p)


def add_runs_argument(p: argparse.ArgumentParser, default: int, per_point: bool = False) -> None:
    """Add ``--runs N`` (an integer such as ``10000``, ``10_000`` or ``1e4``).

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_runs_argument(p, 1000)
    >>> p.parse_args(["--runs", "1e4"]).runs, p.parse_args(["--runs", "10_000"]).runs
    (10000, 10000)
    """
    p.add_argument("--runs", type=parse_integer, default=default, metavar="N",
                   help=f"number of runs{' per point' if per_point else ''} (default: "
                        f"{default:,}; 1e4 or 10_000 also work; at most {MAX_RUNS:,})")


def add_seed_argument(p: argparse.ArgumentParser) -> None:
    """Add ``--seed S``, the root seed: any non-negative integer (default 0).

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_seed_argument(p)
    >>> p.parse_args(["--seed", str(2**70)]).seed == 2**70
    True
    """
    p.add_argument("--seed", type=parse_integer, default=0, metavar="S",
                   help="root seed, any non-negative integer (default: 0)")


def add_set_argument(p: argparse.ArgumentParser) -> None:
    """Add the repeatable ``--set PATH=VALUE`` (stored as ``overrides``).

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_set_argument(p)
    >>> p.parse_args(["--set", "model.rationality=2"]).overrides
    ['model.rationality=2']
    """
    p.add_argument("--set", dest="overrides", action="append", default=[],
                   metavar="PATH=VALUE",
                   help="override a scenario number first, e.g. --set "
                        "actors.LNA.capability=0.4 (repeatable)")


def add_processes_argument(p: argparse.ArgumentParser) -> None:
    """Add ``--processes K`` (worker processes; capped at the CPUs this process may use).

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_processes_argument(p)
    >>> p.parse_args([]).processes is None, p.parse_args(["--processes", "2"]).processes
    (True, 2)
    """
    p.add_argument("--processes", type=parse_integer, default=None, metavar="K",
                   help="worker processes (default: 1, in this process; at most the number "
                        "of CPUs; does not change the results)")


def parse_integer(text: str) -> int:
    """Parse an integer written as ``10000``, ``10_000``, ``1e4`` or ``1.5e3`` (argparse type).

    The value must be a whole number, exactly; its sign and size are checked later
    (:func:`check_counts`), so that the message can name the option.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not a whole number (``1.5``, ``1e4.5``, ``nan``, ``ten``).

    Examples
    --------
    >>> parse_integer("1e4"), parse_integer("10_000"), parse_integer("1.5e3")
    (10000, 10000, 1500)
    >>> parse_integer("1e4.5")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: '1e4.5' is not a whole number (write e.g. 10000, 10_000 or 1e4)
    """
    text = text.strip()
    hint = "(write e.g. 10000, 10_000 or 1e4)"
    if not _INTEGER.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number {hint}")
    value = Decimal(text.replace("_", ""))
    if value and value.adjusted() >= _MAX_DIGITS:
        raise argparse.ArgumentTypeError(f"{text!r}: more than {_MAX_DIGITS} digits")
    if value != value.to_integral_value():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number {hint}")
    return int(value)


def parse_number(text: str, what: str) -> float:
    """Parse a finite decimal number (``0.3``, ``-2.5e-1``); refuse anything else.

    Python's ``float`` also reads ``0_5`` (as 5), ``inf``, ``nan`` and ``infinity``; none is
    a number a scenario field takes.

    Raises
    ------
    ValueError
        Naming ``what`` and the text.

    Examples
    --------
    >>> parse_number(" 2.5e-1", "--set x")
    0.25
    >>> parse_number("0_5", "--set x")
    Traceback (most recent call last):
    ...
    ValueError: --set x: '0_5' is not a number (write a decimal number, e.g. 0.3 or 1e-3)
    """
    text = text.strip()
    if not _DECIMAL.fullmatch(text):
        raise ValueError(f"{what}: {text!r} is not a number (write a decimal number, "
                         "e.g. 0.3 or 1e-3)")
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{what}: {text!r} is too large for a number")
    return value


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
        out[path] = parse_number(text, f"{option} {path}")
    return out


def check_counts(args: argparse.Namespace, names: Sequence[str], total_runs: int | None = None
                 ) -> None:
    """Refuse counts below 1, a negative seed and more than :data:`MAX_RUNS` runs.

    Options of ``names`` that are unset (``None``) pass.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed arguments.
    names : sequence of str
        The count options to check, e.g. ``("runs", "processes")``.
    total_runs : int, optional
        The runs the command will simulate in all (a sweep: runs times points); default
        ``args.runs``.

    Raises
    ------
    CliError
        Naming the option and the value (and, for too many runs, the limit and what to do).

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
    runs = getattr(args, "runs", None) if total_runs is None else total_runs
    if "runs" in names and runs is not None and runs > MAX_RUNS:
        what = f"--runs {args.runs:,}" + (f" ({runs:,} runs in all)" if runs != args.runs
                                          else "")
        raise CliError(
            f"{what}: at most {MAX_RUNS:,} runs per command. For more, simulate several "
            "seeds and pool their runs (each seed is an independent ensemble), or use "
            "negsim.simulate with a DaskExecutor on a cluster "
            "(docs/how-to/large-ensembles.md)")


def cap_processes(args: argparse.Namespace, command: str) -> None:
    """Lower ``args.processes`` to the CPUs this process may use, with a note on stderr.

    The results do not depend on the number of processes, so this changes only the time.

    Examples
    --------
    >>> ns = argparse.Namespace(processes=10**6)
    >>> cap_processes(ns, "run")  # negsim run: note: --processes 1000000 is more than ...
    >>> ns.processes <= (os.cpu_count() or 1)
    True
    """
    value = getattr(args, "processes", None)
    if value is None or value <= 1:
        return
    from negsim.ensemble.executors import usable_cpus

    cpus = usable_cpus()
    if value > cpus:
        print(f"negsim {command}: note: --processes {value} is more than the {cpus} CPU"
              f"{'s' if cpus > 1 else ''} available; using {cpus} (the results are the "
              "same whatever the processes)", file=sys.stderr)
        args.processes = cpus


def check_output_path(value: str | None, option: str, folder: bool = True) -> None:
    """Refuse an output path that cannot be written, before any work starts.

    Parameters
    ----------
    value : str or None
        The path given (``None``: not given, nothing to check).
    option : str
        The option, for the message (``--out``).
    folder : bool
        The path is a folder to create or fill (``--out``, ``--checkpoint``); else a file.

    Raises
    ------
    CliError
        ``--out afile: is a file, not a folder``, ``--plot d: is a folder, not a file``,
        a part of the path that is a file, or a folder that cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> f = tempfile.NamedTemporaryFile(suffix=".txt", delete=False).name
    >>> check_output_path(f, "--out")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    negsim.cli.common.CliError: --out ...txt: is a file, not a folder
    """
    if value is None:
        return
    path = Path(value)
    if path.exists():
        if folder and not path.is_dir():
            raise CliError(f"{option} {value}: is a file, not a folder")
        if not folder and path.is_dir():
            raise CliError(f"{option} {value}: is a folder, not a file")
    parent = path if folder else path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise CliError(f"{option} {value}: {parent} is a file, not a folder")
    if parent.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise CliError(f"{option} {value}: permission denied (cannot write in {parent})")


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

    An :class:`OSError` is stated in words with its path, e.g. ``out/runs.csv: no space
    left on the device`` (not ``[Errno 28] No space left on device: 'out/runs.csv'``).

    Examples
    --------
    >>> error_message(PermissionError(13, "Permission denied", "/results"))
    '/results: permission denied'
    >>> error_message(KeyError("unknown actor 'X'"))
    "unknown actor 'X'"
    >>> error_message(ValueError("bad"))
    'bad'
    """
    if isinstance(err, KeyError) and not isinstance(err, ScenarioError) and err.args:
        return str(err.args[0])
    if isinstance(err, OSError) and err.errno is not None and err.strerror:
        words = _OS_WORDS.get(err.errno, err.strerror[:1].lower() + err.strerror[1:])
        if err.filename is None:
            return words
        where = str(err.filename) + ("" if err.filename2 is None else f" -> {err.filename2}")
        return f"{where}: {words}"
    return str(err)


_OS_WORDS = {
    getattr(errno, name): words for name, words in (
        ("EEXIST", "already exists"),
        ("ENOTDIR", "a part of this path is a file, not a folder"),
        ("EISDIR", "is a folder, not a file"),
        ("ENOENT", "no such file or folder"),
        ("EACCES", "permission denied"),
        ("EPERM", "operation not permitted"),
        ("ENOSPC", "no space left on the device"),
        ("EFBIG", "file too large for the file system"),
        ("EROFS", "read-only file system"),
        ("EDQUOT", "disk quota exceeded"),
    ) if hasattr(errno, name)
}


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
