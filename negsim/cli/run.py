"""The ``negsim run`` and ``negsim sweep`` commands.

``negsim run [SCENARIO]`` simulates an ensemble, prints a summary table, and writes
``runs.parquet`` (``runs.csv`` with ``--runs-format csv``, none with ``--runs-format none``),
``summary.json`` and PNG plots into ``--out`` (default ``results/<scenario-id>-seed<S>``).
The runs are streamed to the file chunk by chunk while the ensemble runs, so memory does
not grow with the number of runs; the file is ``runs.parquet.partial`` until it is complete
(an interrupted run leaves it readable, with the chunks done). ``negsim sweep [SCENARIO]
--param PATH=V1,V2,...`` does the same at every point of a parameter sweep.

Every file is written under a temporary name and renamed into place when complete, and the
output folder is locked while a command writes into it (a second run into the same folder
is refused).

The JSON (``--json`` on stdout, and ``summary.json``) holds no time stamps or paths, so the
same arguments give byte-identical JSON, whatever ``--processes`` and ``--chunk-size``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from negsim.cli.common import (
    CliError,
    add_ensemble_arguments,
    cap_processes,
    check_counts,
    check_output_path,
    guarded,
    load_scenario_arg,
    parse_integer,
    parse_number,
)
from negsim.cli.output import check_plot_options, kept_columns, write_plots, write_table

__all__ = ["cmd_run", "cmd_sweep", "parse_params", "register"]

# --------------------------------------------------------------------------------------
# argument parsing
# --------------------------------------------------------------------------------------
def _add_common(p: argparse.ArgumentParser, runs: int) -> None:
    add_ensemble_arguments(p, runs, per_point=runs < 10_000)
    p.add_argument("--chunk-size", type=parse_integer, default=None, metavar="C",
                   help="runs per task (default: 5,000; does not change the results)")
    p.add_argument("--checkpoint", default=None, metavar="DIR",
                   help="write finished chunks to DIR and, if interrupted, resume from them")
    p.add_argument("--out", default=None, metavar="DIR", help="output directory")
    p.add_argument("--runs-format", choices=("parquet", "csv", "none"), default="parquet",
                   metavar="FORMAT",
                   help="runs file format: parquet, csv or none (default: parquet)")
    p.add_argument("--no-plots", action="store_true", help="do not write PNG plots")
    p.add_argument("--json", action="store_true",
                   help="print the summary as JSON on stdout (and nothing else)")
    p.add_argument("--quiet", action="store_true",
                   help="print nothing but errors (and the JSON with --json); no progress bar")


def register(subparsers: Any) -> None:
    """Add the ``run`` and ``sweep`` subcommands to an argparse subparsers object.

    Each subcommand sets ``func`` (:func:`cmd_run` or :func:`cmd_sweep`), which takes the
    parsed arguments and returns the exit status.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="negsim")
    >>> register(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["run", "--runs", "100", "--set", "model.rationality=2"])
    >>> args.func is cmd_run, args.scenario, args.runs, args.overrides
    (True, 'libya-2020', 100, ['model.rationality=2'])
    """
    run = subparsers.add_parser(
        "run", help="simulate an ensemble and summarise its outcomes",
        description="Simulate an ensemble of runs of a scenario; print the outcome "
                    "probabilities with 95% intervals, and write runs, summary.json and "
                    "plots to --out.",
    )
    _add_common(run, runs=10_000)
    run.add_argument("--tornado-metric", default=None, metavar="METRIC",
                     help="what tornado.png explains: signed_and_holds (default; holds if "
                          "that never varies), holds, signed_but_fragile, partial_signature, "
                          "no_agreement, sign:ROUND:ACTOR, or holds_at:M (the deal still "
                          "holds after month M of the implementation phase)")
    run.add_argument("--issue-axes", default=None, metavar="A,B",
                     help="the two issues of issue-space.png (default: the two most salient)")
    run.set_defaults(func=cmd_run)
    sw = subparsers.add_parser(
        "sweep", help="simulate ensembles along one or more parameters",
        description="Simulate an ensemble at every point of a parameter sweep, with common "
                    "random numbers; write the tidy runs, a per-point summary and plots.",
    )
    _add_common(sw, runs=1_000)
    sw.add_argument("--param", dest="params", action="append", default=[], required=True,
                    metavar="PATH=V1,V2,...",
                    help="a swept parameter and its values (repeatable); START:STOP:NUM "
                         "means NUM evenly spaced values")
    sw.add_argument("--zip", action="store_true",
                    help="pair the values of the --param lists instead of a full grid")
    sw.set_defaults(func=cmd_sweep)


def _parse_float(text: str, what: str) -> float:
    try:
        return parse_number(text, what)
    except ValueError as err:
        raise CliError(str(err)) from None


def parse_params(items: Sequence[str]) -> dict[str, list[float]]:
    """Parse the ``--param`` items of ``negsim sweep`` into path -> values.

    Each item is ``PATH=V1,V2,...`` or ``PATH=START:STOP:NUM`` (``NUM`` evenly spaced
    values).

    Raises
    ------
    CliError
        Naming the option and the bad item.

    Examples
    --------
    >>> parse_params(["model.rationality=1,2.5", "actors.LNA.capability=0:1:3"])
    {'model.rationality': [1.0, 2.5], 'actors.LNA.capability': [0.0, 0.5, 1.0]}
    """
    out: dict[str, list[float]] = {}
    for item in items:
        path, sep, values = item.partition("=")
        path = path.strip()
        if not sep or not path or not values.strip():
            raise CliError(f"--param {item!r}: expected PATH=V1,V2,... or PATH=START:STOP:NUM")
        if path in out:
            raise CliError(f"--param {path}: given twice")
        if ":" in values:
            parts = values.split(":")
            if len(parts) != 3:
                raise CliError(f"--param {path}: expected START:STOP:NUM, got {values!r}")
            start = _parse_float(parts[0], f"--param {path}")
            stop = _parse_float(parts[1], f"--param {path}")
            num = _parse_float(parts[2], f"--param {path}")
            if num < 1 or num != int(num):
                raise CliError(f"--param {path}: NUM must be a positive integer, got {parts[2]}")
            out[path] = [float(v) for v in np.linspace(start, stop, int(num))]
        else:
            out[path] = [_parse_float(v.strip(), f"--param {path}") for v in values.split(",")]
    return out


def _load(args: argparse.Namespace, command: str, points: int = 1) -> (
    tuple[Any, dict[str, float]]
):
    """Check the arguments (before any work starts) and load the scenario."""
    check_counts(args, ("runs", "processes", "chunk_size"), total_runs=args.runs * points)
    check_output_path(getattr(args, "out", None), "--out")
    check_output_path(getattr(args, "checkpoint", None), "--checkpoint")
    scenario, overrides = load_scenario_arg(args)
    cap_processes(args, command)
    return scenario, overrides


def _count_points(params: dict[str, list[float]], zipped: bool) -> int:
    """Return the number of points of a sweep (a grid, or the zipped lists)."""
    sizes = [len(v) for v in params.values()]
    return (min(sizes) if zipped else int(np.prod(sizes, dtype=object))) if sizes else 1


# --------------------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------------------
def _dumps(data: dict[str, Any]) -> str:
    from negsim.ensemble import dumps_json

    return dumps_json(data)


class _Output:
    """Where messages go: the table on stdout, or nothing on stdout with --json."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args

    def report(self, text: str) -> None:
        """Print the human-readable summary: on stdout, unless --json or --quiet."""
        if not (self.args.quiet or self.args.json):
            print(text)

    def note(self, text: str) -> None:
        """Say on stderr what is being written (a long write); nothing with --quiet."""
        if not self.args.quiet:
            print(text, file=sys.stderr, flush=True)

    def info(self, text: str) -> None:
        """Print where files went: stdout, or stderr with --json; nothing with --quiet."""
        if not self.args.quiet:
            if self.args.json:
                print(text.lstrip("\n"), file=sys.stderr)
            else:
                print(text)


# --------------------------------------------------------------------------------------
# negsim run
# --------------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    """Run ``negsim run``: simulate, print the summary, write runs, JSON and plots.

    Returns
    -------
    int
        Exit status: 0 on success, 1 on a usage or scenario error (printed without a
        traceback), 130 if interrupted.

    Examples
    --------
    >>> import tempfile
    >>> parser = argparse.ArgumentParser(prog="negsim")
    >>> register(parser.add_subparsers(dest="command"))
    >>> out = tempfile.mkdtemp()
    >>> args = parser.parse_args(["run", "--runs", "50", "--seed", "1", "--no-plots",
    ...                           "--quiet", "--out", out])
    >>> cmd_run(args)
    0
    >>> sorted(p.name for p in Path(out).iterdir())  # doctest: +ELLIPSIS
    ['runs...', 'summary.json']
    """
    return guarded("run", _cmd_run, args)


def _cmd_run(args: argparse.Namespace) -> int:
    from negsim.ensemble import FolderLock, RunsWriter, atomic_write_text, simulate

    scenario, overrides = _load(args, "run")
    axes, metric = check_plot_options(scenario, args.issue_axes, args.tornado_metric)
    out = _Output(args)
    directory = Path(args.out) if args.out else Path("results") / f"{scenario.id}-seed{args.seed}"
    with FolderLock(directory, "--out folder"):
        writer = None if args.runs_format == "none" else RunsWriter(directory, "runs",
                                                                     args.runs_format)
        parquet = writer.path if args.runs_format == "parquet" else None
        if writer is not None:
            out.note(f"Writing {args.runs:,} runs to {writer.path} while they are simulated")
        try:
            result = simulate(
                scenario, runs=args.runs, seed=args.seed, processes=args.processes,
                chunk_size=args.chunk_size, results_dir=args.checkpoint,
                progress=not args.quiet, writer=writer,
                keep_columns=kept_columns(scenario, plots=not args.no_plots and parquet is None,
                                          issue_axes=axes, tornado_metric=metric),
            )
            if writer is not None:
                writer.close()
            written = [] if writer is None else list(writer.files)  # with runs.texts.json
        except BaseException:
            partial = None if writer is None else writer.abort()
            if partial is not None:
                print(f"negsim run: the {writer.rows:,} runs done are in {partial} "
                      "(a readable, incomplete file)", file=sys.stderr)
            raise
        summary = result.summary()
        data = summary.to_dict()
        data["overrides"] = overrides
        text = _dumps(data)
        written.append(atomic_write_text(directory / "summary.json", text))
        if not args.no_plots:
            out.note(f"Writing plots to {directory}/")
            written += write_plots(result, directory, scenario, parquet=parquet,
                                   issue_axes=axes, tornado_metric=metric)
    if args.json:
        sys.stdout.write(text)
    out.report(summary.table())
    if overrides:
        out.report("\nOverrides: " + ", ".join(f"{k} = {v:g}" for k, v in overrides.items()))
    out.info(f"\nWrote {len(written)} files to {directory}/: "
             + ", ".join(p.name for p in written))
    return 0


# --------------------------------------------------------------------------------------
# negsim sweep
# --------------------------------------------------------------------------------------
def _sweep_json(summary: pd.DataFrame, params: list[str], scenario: Any, args: argparse.Namespace,
                overrides: dict[str, float]) -> dict[str, Any]:
    from negsim.ensemble import versions
    from negsim.scenario import OUTCOMES

    points = []
    for _, row in summary.iterrows():
        points.append({
            "point": int(row["point"]),
            "values": {p: float(row[p]) for p in params},
            "outcomes": {o: float(row[f"outcome.{o}"]) for o in OUTCOMES},
            "holds_probability": float(row["holds_probability"]),
            "intervals": {
                "outcomes": {o: [float(row[f"outcome.{o}.low"]), float(row[f"outcome.{o}.high"])]
                             for o in OUTCOMES},
                "holds_probability": [float(row["holds_probability.low"]),
                                      float(row["holds_probability.high"])],
            },
        })
    return {
        "scenario": {"id": scenario.id, "fingerprint": scenario.fingerprint()},
        "runs": args.runs,
        "seed": args.seed,
        "grid": not args.zip,
        "parameters": params,
        "overrides": overrides,
        "points": points,
        "versions": versions(),
    }


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run ``negsim sweep``: simulate every point, print and write the per-point summary.

    Returns
    -------
    int
        Exit status, as for :func:`cmd_run`.

    Examples
    --------
    >>> import tempfile
    >>> parser = argparse.ArgumentParser(prog="negsim")
    >>> register(parser.add_subparsers(dest="command"))
    >>> out = tempfile.mkdtemp()
    >>> args = parser.parse_args(["sweep", "--param", "actors.LNA.capability=0.4,0.6",
    ...                           "--runs", "30", "--no-plots", "--quiet", "--out", out])
    >>> cmd_sweep(args)
    0
    >>> sorted(p.name for p in Path(out).iterdir())  # doctest: +ELLIPSIS
    ['summary.json', 'sweep...', 'sweep_summary.csv']
    """
    return guarded("sweep", _cmd_sweep, args)


def _cmd_sweep(args: argparse.Namespace) -> int:
    from negsim.ensemble import FolderLock

    params = parse_params(args.params)
    points = _count_points(params, args.zip)
    scenario, overrides = _load(args, "sweep", points)
    directory = (Path(args.out) if args.out
                 else Path("results") / f"{scenario.id}-sweep-seed{args.seed}")
    with FolderLock(directory, "--out folder"):
        return _sweep_locked(args, scenario, overrides, params, directory)


def _sweep_locked(args: argparse.Namespace, scenario: Any, overrides: dict[str, float],
                  params: dict[str, list[float]], directory: Path) -> int:
    from negsim.ensemble import atomic_path, atomic_write_text, sweep, sweep_summary

    out = _Output(args)
    df = sweep(
        scenario, params, runs=args.runs, seed=args.seed, grid=not args.zip,
        processes=args.processes, chunk_size=args.chunk_size, results_dir=args.checkpoint,
        progress=not args.quiet,
    )
    summary = sweep_summary(df)
    paths = list(params)
    text = _dumps(_sweep_json(summary, paths, scenario, args, overrides))
    written = []
    if args.runs_format != "none":
        out.note(f"Writing {len(df):,} runs to {directory / 'sweep'}.{args.runs_format}")
        written += write_table(df, directory, "sweep", args.runs_format)
    with atomic_path(directory / "sweep_summary.csv") as tmp:
        summary.to_csv(tmp, index=False)
    written.append(directory / "sweep_summary.csv")
    written.append(atomic_write_text(directory / "summary.json", text))
    if not args.no_plots:
        from matplotlib.figure import Figure

        from negsim.plot import plot_sweep

        out.note(f"Writing plots to {directory}/")
        varies = [m for m in ("holds_probability", "outcome.signed_and_holds")
                  if summary[m].nunique() > 1]
        metric = "signed_and_holds" if varies == ["outcome.signed_and_holds"] else "holds"
        for p in paths:
            fig = Figure(figsize=(7.5, 4.8), layout="constrained")
            plot_sweep(df, p, fig.add_subplot(), scenario=scenario, metric=metric)
            path = directory / f"sweep-{p}.png"
            with atomic_path(path) as tmp:
                fig.savefig(tmp, dpi=120, format="png")
            written.append(path)
    if args.json:
        sys.stdout.write(text)
    short = {"holds_probability": "P(holds)", "outcome.signed_and_holds": "signed+holds",
             "outcome.signed_but_fragile": "fragile", "outcome.partial_signature": "partial",
             "outcome.no_agreement": "no deal"}
    shown = summary[["point", *paths, *short]].rename(columns=short)
    out.report(f"Scenario {scenario.id}: sweep of {len(summary)} points, {args.runs:,} runs "
             f"each, seed {args.seed} (common random numbers)\n")
    out.report(shown.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    out.report("\nP(holds): the final text holds. Outcome shares: signed+holds = signed and "
               "holds,\nfragile = signed but fragile, partial = partial signature, no deal = "
               "no agreement.")
    out.info(f"\nWrote {len(written)} files to {directory}/: "
             + ", ".join(p.name for p in written))
    return 0
