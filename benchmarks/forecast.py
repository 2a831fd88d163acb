"""Benchmark: the expected-utility forecast's vote sums against their definition.

Times the vote sums of one round by running totals over the actors sorted by position
(``negsim.forecasting.model._vote_sums``, about n^2 operations) against the definition,
every voter's vote on every contest summed from ``pairwise_votes`` (n^3), on the same random
actors, checks that they agree, and prints the ratio; then times a whole forecast at the
supported size (1,000 actors, 3 rounds).

Usage::

    python benchmarks/forecast.py [--actors 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from negsim import forecast
from negsim.forecasting.model import _vote_sums, pairwise_votes
from negsim.forecasting.table import MAX_ACTORS


def _best(f, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=200, help="actors for the vote sums")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    n = args.actors
    x, c, s = rng.uniform(0, 1, n), rng.uniform(0, 1, n), rng.uniform(0, 1, n)
    rho = np.ones(n)

    def definition() -> tuple[np.ndarray, np.ndarray]:
        v = pairwise_votes(x, c, s)
        return np.clip(v, 0.0, None).sum(axis=0), np.abs(v).sum(axis=0)

    def fast() -> tuple[np.ndarray, np.ndarray]:
        return _vote_sums(x, c * s, rho, float(np.ptp(x)))

    (s1, t1), (s2, t2) = definition(), fast()
    tol = 1e-12 * max(float(t1.sum()), 1.0)
    agree = np.allclose(s1, s2, atol=tol) and np.allclose(t1, t2, atol=tol)
    slow, quick = _best(definition, args.repeat), _best(fast, args.repeat)
    print(f"vote sums of {n} actors: definition {slow * 1e3:.1f} ms, running totals "
          f"{quick * 1e3:.1f} ms, ratio {slow / quick:.0f}x; agree: {'yes' if agree else 'NO'}")
    table = pd.DataFrame({"actor": [f"a{i}" for i in range(MAX_ACTORS)],
                          "capability": rng.uniform(0, 1, MAX_ACTORS),
                          "position": rng.uniform(0, 100, MAX_ACTORS),
                          "salience": rng.uniform(0, 1, MAX_ACTORS)})
    t0 = time.perf_counter()
    forecast(table, rounds=3)
    print(f"forecast of {MAX_ACTORS:,} actors, 3 rounds: {time.perf_counter() - t0:.1f} s")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
