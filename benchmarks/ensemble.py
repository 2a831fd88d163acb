"""Benchmark: the vectorised engine against the Mesa reference model on the Libya scenario.

Runs the Mesa ``NegotiationModel`` in a loop on ``--mesa-runs`` seeds and the vectorised
engine on the same seeds, checks that they give the same outcomes run by run, and prints
both speeds, their ratio, and the wall time of ``--runs`` engine runs (serial and on a
process pool).

Usage::

    python benchmarks/ensemble.py [--runs 100000] [--mesa-runs 300] [--seed 1]

Measured on the 2-core development machine (shared with other jobs, so the numbers move
with the load), 1 December 2026, defaults:

=====================  ==============  ==============
                       quieter         busier
=====================  ==============  ==============
Mesa model loop        219 runs/s      170 runs/s
vectorised engine      28,987 runs/s   25,569 runs/s
ratio                  132x            150x
100,000 runs, serial   3.45 s          3.91 s
=====================  ==============  ==============

Mesa and engine runs were identical, all 97 columns bit for bit. Before the engine was
vectorised further (same day) the figures were 130 and 5,380 runs/s (41x) and 18.6 s.

With the 24-month implementation phase in the Libya file (6 December 2026, load about 1.4,
``--mesa-runs 40``): Mesa model loop 21 runs/s, vectorised engine 5,112 runs/s (249x),
100,000 runs 19.6 s serial and 22.4 s on 2 processes; all 346 columns identical. The phase
misses the 10 s target for 100,000 runs by about 2x.

After the phase's kernels were rewritten (same day, results bit for bit unchanged; the
machine shared with other jobs at a load of 9 to 36 on 2 cores, so CPU seconds are the
measure): 100,000 runs took 11.0 s of CPU against 20.5 s before (wall 40 s against 83 s);
the phase multiplies the phase-free time by 2.2 to 2.6 in CPU time, against 3.4 before
(30,000 runs of each version in one session: 3.62 s against 1.42 s, and 6.16 s against
1.81 s). The engine stays 200x to 320x faster than the Mesa loop, all 346 columns
identical. With the phase-free time of about 4 s measured on a quiet machine, that ratio
puts 100,000 runs at 9 to 10 s: at the target, not yet shown under it on a quiet machine.
The script prints the runs without the phase and the ratio, so rerun it to check.

On a quiet machine (6 December 2026, a later session, load 0.5, ``--mesa-runs 40``):
100,000 runs with the 24-month phase took **9.39 s serial** (9.39 s CPU; 6.12 s on 2
processes including their start-up), against 4.10 s without the phase (x2.29); Mesa loop
40 runs/s, engine 10,647 runs/s (268x); all 346 columns identical, and the serial and
2-process runs identical.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time

import numpy as np
import pandas as pd


def _compare(mesa: pd.DataFrame, engine: pd.DataFrame) -> tuple[bool, list[str]]:
    """Whether the outcomes agree run by run, and which columns differ anywhere.

    Columns are compared exactly: floats bit for bit (NaN equal to NaN), everything else
    by value. The two implementations do the same floating-point operations, so any
    difference is a bug.
    """
    outcomes_equal = mesa["outcome"].tolist() == engine["outcome"].tolist()
    differing = []
    for col in engine.columns:
        if col not in mesa.columns:
            if col not in ("run", "seed"):
                differing.append(f"{col} (missing in Mesa rows)")
            continue
        a, b = mesa[col].to_numpy(), engine[col].to_numpy()
        if pd.api.types.is_float_dtype(engine[col]):
            same = np.array_equal(a.astype(float), b.astype(float), equal_nan=True)
        else:
            same = a.tolist() == b.tolist()
        if not same:
            differing.append(col)
    differing += [f"{c} (missing in engine rows)" for c in mesa.columns if c not in engine]
    return outcomes_equal, differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000, help="engine runs to time")
    parser.add_argument("--mesa-runs", type=int, default=300, help="Mesa runs (and compared)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenario", default="libya-2020")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    from negsim.ensemble import simulate
    from negsim.scenario import load_scenario
    from negsim.sim.engine import simulate_runs
    from negsim.sim.model import NegotiationModel

    sc = load_scenario(args.scenario)
    print(f"scenario {sc.id}: {len(sc.actor_ids)} actors, {len(sc.issue_ids)} issues, "
          f"{len(sc.timeline)} timeline entries, {len(sc.uncertainty)} uncertain parameters")
    simulate_runs(sc, args.seed, 200)  # warm-up (imports, caches)

    t0 = time.perf_counter()
    rows = []
    for i in range(args.mesa_runs):
        model = NegotiationModel(sc, rng=np.random.SeedSequence([args.seed, i]))
        rows.append(model.run().to_row())
    t_mesa = time.perf_counter() - t0
    mesa = pd.DataFrame(rows)

    engine = simulate_runs(sc, args.seed, np.arange(args.mesa_runs))
    outcomes_equal, differing = _compare(mesa, engine)
    print(f"\nMesa vs engine on runs 0..{args.mesa_runs - 1} of seed {args.seed}")
    print(f"  outcomes equal: {'yes' if outcomes_equal else 'no'}")
    print(f"  columns that differ anywhere (exact comparison, {engine.shape[1]} columns): "
          f"{', '.join(differing) if differing else 'none'}")

    t0, c0 = time.perf_counter(), time.process_time()
    res = simulate(sc, runs=args.runs, seed=args.seed)
    t_serial, c_serial = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    res_par = simulate(sc, runs=args.runs, seed=args.seed, processes=args.processes)
    t_par = time.perf_counter() - t0
    same = res.runs.equals(res_par.runs)

    mesa_rate = args.mesa_runs / t_mesa
    engine_rate = args.runs / t_serial
    print("\nSpeed")
    print(f"  Mesa model loop:   {mesa_rate:12,.0f} runs/s  ({args.mesa_runs:,} runs in "
          f"{t_mesa:.2f} s)")
    print(f"  vectorised engine: {engine_rate:12,.0f} runs/s  (serial)")
    print(f"  ratio:             {engine_rate / mesa_rate:12,.0f}x")
    print(f"\n{args.runs:,} engine runs: {t_serial:.2f} s serial ({c_serial:.2f} s CPU), "
          f"{t_par:.2f} s with {args.processes} processes (including their start-up); "
          f"identical: {'yes' if same else 'no'}")
    _phase_cost(sc, args.runs, args.seed, t_serial, c_serial)


def _phase_cost(sc: object, runs: int, seed: int, wall: float, cpu: float) -> None:
    """Time the same runs without the scenario's implementation phase, and print the ratio.

    The phase is the last timeline entry and draws its uniforms after every other entry's,
    so the runs without it play the same talks; the ratio is what the months after the
    talks cost, measured in the same process, so it moves less with the machine's load than
    either time. (CPU seconds are printed too: on a shared machine they are the steadier
    measure.)
    """
    from negsim.ensemble import simulate

    timeline = tuple(e for e in sc.timeline if e.kind != "implementation")
    if len(timeline) == len(sc.timeline):
        return
    bare = dataclasses.replace(sc, timeline=timeline)
    simulate(bare, runs=200, seed=seed)  # warm-up
    t0, c0 = time.perf_counter(), time.process_time()
    simulate(bare, runs=runs, seed=seed)
    t_bare, c_bare = time.perf_counter() - t0, time.process_time() - c0
    print(f"without the implementation phase: {t_bare:.2f} s serial ({c_bare:.2f} s CPU); "
          f"the phase multiplies the time by {wall / t_bare:.2f} ({cpu / c_bare:.2f} in CPU "
          f"time)")


if __name__ == "__main__":
    main()
