"""The ``negsim backtest``, ``negsim design`` and ``negsim forecast`` subcommands.

``negsim backtest [SCENARIO]`` scores the scenario's ``observed`` records against an
ensemble simulated without them (:func:`negsim.backtest`); ``negsim design [SCENARIO]``
searches for the text most likely to be signed and to hold (:func:`negsim.design_deal`);
``negsim forecast [SCENARIO]`` forecasts where each issue settles
(:func:`negsim.forecast`). Each prints a readable table, or JSON with ``--json``. Errors are
printed as one line on stderr, without a traceback, with exit status 1
(:func:`negsim.cli.common.guarded`).

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="negsim")
>>> register(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["forecast", "--model", "median"])
>>> args.scenario, args.model, args.rounds
('libya-2020', 'median', 10)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

from negsim._tables import format_table
from negsim.cli.common import (
    CliError,
    add_ensemble_arguments,
    add_scenario_argument,
    add_set_argument,
    cap_processes,
    check_counts,
    check_output_path,
    guarded,
    load_scenario_arg,
    parse_integer,
)
from negsim.scenario.kinds import round_kind

__all__ = ["cmd_backtest", "cmd_design", "cmd_forecast", "register"]


def _json_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")


def register(subparsers: Any) -> None:
    """Add the ``backtest``, ``design`` and ``forecast`` subcommands.

    Each sets ``func`` to a function that takes the parsed arguments and returns the exit
    status.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="negsim")
    >>> register(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["design", "--runs", "200", "--penalty", "0.05"])
    >>> args.func is cmd_design, args.runs, args.penalty
    (True, 200, 0.05)
    """
    bt = subparsers.add_parser(
        "backtest", help="score the scenario's observations against an ensemble",
        description="Simulate the scenario without its [[observed]] records, then print for "
                    "each observation the predicted probability of what happened, its Brier "
                    "and log scores, and the no-skill baselines (0.5 and the base rate).",
    )
    add_ensemble_arguments(bt, 2000)
    _json_arg(bt)
    bt.set_defaults(func=cmd_backtest)

    de = subparsers.add_parser(
        "design", help="search for the text most likely to be signed and to hold",
        description="Search the issue space for the text that maximises the probability that "
                    "every party signs and the deal holds, staying close to the mediators' "
                    "draft; print the concessions, binding red lines and side payments.",
    )
    add_ensemble_arguments(de, 1000)
    de.add_argument("--penalty", type=float, default=0.02, metavar="MU",
                    help="probability given up per unit of concession (default: 0.02)")
    de.add_argument("--method", default="Powell",
                    choices=["Powell", "Nelder-Mead", "differential_evolution"],
                    help="optimiser (default: Powell)")
    de.add_argument("--plot", default=None, metavar="FILE",
                    help="write the concession frontier as a PNG to FILE")
    _json_arg(de)
    de.set_defaults(func=cmd_design)

    fc = subparsers.add_parser(
        "forecast", help="forecast where each issue settles (expected-utility model)",
        description="Forecast each issue from the actors' positions, saliences and "
                    "capabilities: Bueno de Mesquita's expected-utility model or the weighted "
                    "mean or median; printed next to the mediators' draft.",
    )
    add_scenario_argument(fc)
    add_set_argument(fc)
    fc.add_argument("--model", default="eu", choices=["eu", "mean", "median"],
                    help="forecasting model (default: eu)")
    fc.add_argument("--rounds", type=parse_integer, default=10, metavar="N",
                    help="rounds of the expected-utility model (default: 10)")
    fc.add_argument("--issue", default=None, metavar="ISSUE", help="forecast only this issue")
    _json_arg(fc)
    fc.set_defaults(func=cmd_forecast)


def cmd_backtest(args: argparse.Namespace) -> int:
    """Run ``negsim backtest``: print the per-observation scores (or JSON).

    Returns
    -------
    int
        0 on success, 1 on bad input (printed on stderr without a traceback).

    Examples
    --------
    >>> ns = argparse.Namespace(scenario="libya-2020", runs=0, seed=0, processes=None,
    ...                         json=False)
    >>> cmd_backtest(ns)  # the message goes to stderr
    1
    """
    return guarded("backtest", _backtest, args)


def cmd_design(args: argparse.Namespace) -> int:
    """Run ``negsim design``: print the designed deal (or JSON), optionally plot it.

    Returns
    -------
    int
        0 on success, 1 on bad input (printed on stderr without a traceback).

    Examples
    --------
    >>> ns = argparse.Namespace(scenario="no-such-scenario", runs=10, seed=0, penalty=0.02,
    ...                         method="Powell", plot=None, json=False)
    >>> cmd_design(ns)
    1
    """
    return guarded("design", _design, args)


def cmd_forecast(args: argparse.Namespace) -> int:
    """Run ``negsim forecast``: print each issue's forecast next to the draft (or JSON).

    Returns
    -------
    int
        0 on success, 1 on bad input (printed on stderr without a traceback).

    Examples
    --------
    >>> ns = argparse.Namespace(scenario="libya-2020", model="median", rounds=0,
    ...                         issue="ceasefire", json=False)
    >>> cmd_forecast(ns)  # doctest: +ELLIPSIS
    Forecast of libya-2020: weighted median (capability x salience)
    ...
    0
    """
    return guarded("forecast", _forecast, args)


def _load(args: argparse.Namespace, command: str) -> Any:
    """Check the arguments (before any work starts) and load the scenario with ``--set``."""
    check_counts(args, ("runs", "processes"))
    check_output_path(getattr(args, "plot", None), "--plot", folder=False)
    scenario, _ = load_scenario_arg(args)
    cap_processes(args, command)
    return scenario


def _dumps(data: Any) -> str:
    from negsim.ensemble import dumps_json

    return dumps_json(_clean(data))


def _clean(x: Any) -> Any:
    """NaN and infinities become None (JSON has neither)."""
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not np.isfinite(x):
        return None
    return x


# --------------------------------------------------------------------------------------
def _backtest(args: argparse.Namespace) -> int:
    from negsim.analysis.backtest import backtest

    scenario = _load(args, "backtest")
    kwargs = {} if args.processes is None else {"processes": args.processes}
    result = backtest(scenario, runs=args.runs, seed=args.seed, **kwargs)
    if args.json:
        sys.stdout.write(_dumps(result.to_dict()))
    else:
        print(result.table())
    return 0


def _design(args: argparse.Namespace) -> int:
    from negsim.analysis.design import design_deal

    scenario = _load(args, "design")
    result = design_deal(scenario, runs=args.runs, seed=args.seed, penalty=args.penalty,
                         method=args.method, processes=getattr(args, "processes", None))
    if args.plot:
        from matplotlib.figure import Figure

        from negsim.plot import plot_concession_frontier

        fig = Figure(figsize=(7.5, 4.8), layout="constrained")
        plot_concession_frontier(result, fig.add_subplot())
        Path(args.plot).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(args.plot, dpi=120)
    if args.json:
        sys.stdout.write(_dumps(result.to_dict()))
    else:
        print(result.table())
        if args.plot:
            print(f"\nWrote the concession frontier to {args.plot}")
    return 0


def _forecast(args: argparse.Namespace) -> int:
    from negsim.forecasting import forecast

    if args.rounds < 0:
        raise CliError(f"--rounds must be a non-negative integer, got {args.rounds}")
    scenario = _load(args, "forecast")
    result = forecast(scenario, model=args.model, rounds=args.rounds, issue=args.issue)
    draft = _draft(scenario)
    summary = result.summary
    first = summary[summary["round"] == 0].set_index("issue")
    last = summary.loc[summary.groupby("issue", sort=False)["round"].idxmax()].set_index("issue")
    prediction = result.prediction()
    settled = result.settled() if args.model == "eu" and args.rounds >= 2 else None
    rows = []
    for issue in result.issues:
        rows.append({
            "issue": issue,
            "initial_mean": float(first.loc[issue, "mean"]),
            "initial_median": float(first.loc[issue, "median"]),
            "final_mean": float(last.loc[issue, "mean"]),
            "final_median": float(last.loc[issue, "median"]),
            "forecast": float(prediction[issue]),
            "draft": None if draft is None else draft.get(issue),
            "settled": None if settled is None else bool(settled[issue]),
        })
    if args.json:
        sys.stdout.write(_dumps({
            "scenario": {"id": scenario.id, "fingerprint": scenario.fingerprint()},
            "model": result.model, "rounds": int(result.parameters.get("rounds", 0)),
            "issues": rows,
            "skipped_issues": dict(result.parameters.get("skipped_issues", {})),
            "summary": result.summary.to_dict(orient="records"),
        }))
        return 0
    names = {"eu": "expected-utility model (Bueno de Mesquita; Scholz et al. 2011)",
             "mean": "weighted mean (capability x salience)",
             "median": "weighted median (capability x salience)"}
    n_rounds = int(result.parameters.get("rounds", 0))
    head = f"Forecast of {scenario.id}: {names[result.model]}"
    if result.model == "eu":
        head += f", {n_rounds} rounds"
    table_rows = [[r["issue"], round(r["initial_median"], 3), round(r["final_mean"], 3),
                   round(r["final_median"], 3), round(r["forecast"], 3),
                   None if r["draft"] is None else round(r["draft"], 3),
                   None if r["settled"] is None else ("yes" if r["settled"] else "no")]
                  for r in rows]
    headers = ["issue", "median at start", "mean at end", "median at end", "forecast",
               "mediators' draft", "settled"]
    print(head + "\n")
    print(format_table(headers, table_rows))
    skipped = result.parameters.get("skipped_issues", {})
    if skipped:
        print("\nSkipped: " + "; ".join(f"{k} ({v})" for k, v in skipped.items()))
    print("\nforecast: the weighted median after the last round (the mean for --model mean);"
          "\nmediators' draft: their Nash bargaining draft of the last mediated round at the"
          "\nscenario's central values; settled: no position moved in the last two rounds.")
    return 0


def _draft(scenario: Any) -> dict[str, float] | None:
    if not any(round_kind(t.kind).signs_text for t in scenario.timeline):
        return None
    from negsim.analysis.fixedtext import TextEnsemble

    try:
        ens = TextEnsemble.build(scenario, runs=1)
        return dict(zip(ens.issue_ids, ens.central_draft().tolist(), strict=True))
    except ValueError:  # the mediators' red lines conflict: no draft
        return None
