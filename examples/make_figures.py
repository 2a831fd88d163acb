"""Regenerate the committed figures in ``docs/figures/`` (shown in the README and the docs).

Every figure comes from the examples with fixed seeds, so running this again on the same
versions of negsim and its dependencies redraws the same pictures:

* ``outcomes.png``, ``signing.png``, ``commitments.png``, ``tornado.png``, ``margins.png``,
  ``issue-space.png``: one ensemble of the Libya 2020 scenario (``--runs`` runs, seed
  ``--seed``), drawn by :func:`negsim.plot.save_all` as ``examples/outcome_distribution.py``
  and ``negsim run`` do;
* ``tornado-signed-and-holds.png``: the same ensemble's tornado chart for the probability
  that the text is signed and holds;
* ``sweep-lna-capability.png``: ``examples/sweep_lna_capability.py`` (``--sweep-runs`` runs
  per point);
* ``highlands-issue-space.png``: the invented scenario of ``examples/custom_scenario.py``.

    python examples/make_figures.py            # 10,000 runs, as committed
    python examples/make_figures.py --runs 500 --sweep-runs 100 --out /tmp/figures
"""

from __future__ import annotations

import argparse
import importlib.util
from collections.abc import Sequence
from pathlib import Path

import negsim

HERE = Path(__file__).resolve().parent
FIGURES = HERE.parent / "docs" / "figures"


def _example(name: str):
    """Import a sibling example script as a module (works from any working directory)."""
    spec = importlib.util.spec_from_file_location(f"negsim_example_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=10_000,
                   help="runs of the Libya ensemble (default: 10,000)")
    p.add_argument("--sweep-runs", type=int, default=1_000,
                   help="runs per point of the LNA capability sweep (default: 1,000)")
    p.add_argument("--seed", type=int, default=1, help="root seed (default: 1)")
    p.add_argument("--out", type=Path, default=FIGURES,
                   help="directory to write to (default: docs/figures)")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    written = []

    scenario = negsim.load_scenario("libya-2020")
    result = negsim.simulate(scenario, runs=args.runs, seed=args.seed)
    written += negsim.plot.save_all(result, args.out, scenario=scenario)

    from matplotlib.figure import Figure

    # which uncertain number moves P(signed and holds) most, taller than save_all's
    # tornado.png (the same metric) for the tutorial
    fig = Figure(figsize=(8.0, 8.3), layout="constrained")
    negsim.plot.plot_tornado(result, fig.add_subplot(), metric="signed_and_holds",
                             scenario=scenario)
    path = args.out / "tornado-signed-and-holds.png"
    fig.savefig(path, dpi=120)
    written.append(path)

    sweep = _example("sweep_lna_capability")
    values = sweep.parse_values("0.3:0.8:6")
    sc, df, _ = sweep.run_sweep(values, args.sweep_runs, args.seed)
    path = args.out / "sweep-lna-capability.png"
    sweep.sweep_figure(df, sc).savefig(path, dpi=120)
    written.append(path)

    custom = _example("custom_scenario")
    highlands = negsim.load_scenario(custom.SCENARIO)
    res = negsim.simulate(highlands, runs=min(args.runs, 2_000), seed=args.seed)
    fig = Figure(figsize=(9.5, 7.0), layout="constrained")
    negsim.plot.plot_issue_space(res, ("autonomy", "demobilisation"), fig.add_subplot(),
                                 scenario=highlands)
    path = args.out / "highlands-issue-space.png"
    fig.savefig(path, dpi=120)
    written.append(path)

    for p in written:
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
