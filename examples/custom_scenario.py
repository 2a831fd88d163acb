"""A scenario written from scratch: an invented conflict of a different shape.

``examples/scenarios/highlands-2031.toml`` describes an invented war (nothing in it is
real): a government and a rebel front, a neutral mediator with no stake in the war, one
patron on each side, three issues, and two rounds (the Lake Ardan talks, then a guarantors'
summit). Every number quotes the invented briefing note ``highlands-brief.txt`` next to it
or is marked as an assumption.

This script loads and validates the file, says how many of its numbers are sourced and how
many are judgement calls, plays one run as a Mesa model and narrates it, then simulates an
ensemble, prints its summary and writes the outcome and issue-space plots to ``--out``.
Nothing in it is particular to this file: ``--scenario`` runs it on any scenario (a file
or a built-in name), and the issue-space plot shows the scenario's two most salient issues.

    python examples/custom_scenario.py --runs 1000 --seed 1 --out highlands
    python examples/custom_scenario.py --scenario libya-2020 --runs 500
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import negsim

SCENARIO = Path(__file__).resolve().parent / "scenarios" / "highlands-2031.toml"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default=str(SCENARIO),
                   help=f"scenario file or built-in name (default: {SCENARIO.name})")
    p.add_argument("--runs", type=int, default=1000, help="ensemble runs (default: 1000)")
    p.add_argument("--seed", type=int, default=1, help="root seed (default: 1)")
    p.add_argument("--out", type=Path, default=None,
                   help="directory for the plots (default: ./ the scenario's id)")
    return p.parse_args(argv)


def provenance_counts(scenario: negsim.Scenario) -> tuple[int, int]:
    """Numbers of parameters backed by a quote and of parameters marked as assumptions."""
    sourced = assumed = 0
    for path in scenario.parameter_paths():
        if scenario.sourced(path).provenance.is_assumption:
            assumed += 1
        else:
            sourced += 1
    return sourced, assumed


def most_salient_issues(scenario: negsim.Scenario, k: int = 2) -> tuple[str, ...]:
    """The ``k`` issues with the largest total salience over the actors, in file order."""
    total = {i: 0.0 for i in scenario.issue_ids}
    for actor in scenario.actors:
        for d in actor.demands:
            total[d.issue] += d.salience.value
    top = sorted(scenario.issue_ids, key=lambda i: -total[i])[:k]
    return tuple(i for i in scenario.issue_ids if i in top)


def narrate(scenario: negsim.Scenario, seed: int, run: int = 0) -> negsim.RunResult:
    """Play run ``run`` of root seed ``seed`` as a Mesa model and print its story."""
    model = negsim.NegotiationModel(scenario, rng=np.random.SeedSequence([seed, run]))
    result = model.run()
    print(f"\nOne run (run {run} of seed {seed}), played as a Mesa model:")
    for line in result.story().splitlines():
        print(f"  {line}")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    scenario = negsim.load_scenario(args.scenario)  # raises ScenarioError naming every problem
    sourced, assumed = provenance_counts(scenario)
    out = args.out if args.out is not None else Path(scenario.id)
    print(f"{Path(args.scenario).name}: ok - {scenario.title}")
    print(f"  {len(scenario.actors)} actors ({', '.join(scenario.actor_ids)}), "
          f"{len(scenario.issues)} issues ({', '.join(scenario.issue_ids)}), "
          f"{sum(t.is_round for t in scenario.timeline)} rounds")
    print(f"  {sourced} numbers quote a source, {assumed} are assumptions")
    narrate(scenario, args.seed)
    result = negsim.simulate(scenario, runs=args.runs, seed=args.seed)
    print()
    print(result.summary().table())
    from matplotlib.figure import Figure

    out.mkdir(parents=True, exist_ok=True)
    written = []
    plots = [("outcomes", (7.0, 4.5), lambda ax: negsim.plot.plot_outcomes(result, ax))]
    if len(scenario.issues) >= 2:  # the issue space needs two issues
        pair = most_salient_issues(scenario)
        plots.append(("issue-space", (9.5, 7.0), lambda ax: negsim.plot.plot_issue_space(
            result, pair, ax, scenario=scenario)))
    for name, size, draw in plots:
        fig = Figure(figsize=size, layout="constrained")
        draw(fig.add_subplot())
        path = out / f"{name}.png"
        fig.savefig(path, dpi=120)
        written.append(path)
    print("\nWrote " + ", ".join(str(p) for p in written))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
