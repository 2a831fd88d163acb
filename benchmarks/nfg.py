"""Benchmark: reading a large Gambit ``.nfg`` file, negsim against pygambit.

Writes a 2000 x 2000 two-player game in the payoff format (20 MB of text, small integer
payoffs; ``--decimals`` for payoffs like ``-12.375``), then reads it in a fresh child
process per reader, so that each reader's peak memory (``VmHWM``, Linux) is its own:

* negsim: ``negsim.read_nfg(path)`` (block reader, a ``NormalFormGame``);
* pygambit: ``pygambit.read_nfg(path)`` (Gambit's C++ reader, a ``Game`` of exact
  rationals).

It checks that both give the same payoffs at 2,000 random profiles and prints the times,
the peak memory above the interpreter's resident memory before the read (its imports
done), and the ratio. pygambit is stopped after ``--gambit-cap`` seconds.

Usage::

    python benchmarks/nfg.py [--size 2000] [--decimals] [--keep FILE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's negsim

SAMPLE = 2000


def write_game(path: Path, size: int, decimals: bool) -> None:
    rng = np.random.default_rng(0)
    values = rng.integers(-9, 10, size=2 * size * size)
    if decimals:
        words = [f"{v / 8:g}" for v in (rng.integers(-200, 200, size=2 * size * size))]
    else:
        words = [str(v) for v in values.tolist()]
    lines = [" ".join(words[k : k + 2 * size]) for k in range(0, len(words), 2 * size)]
    path.write_text(f'NFG 1 R "bench" {{ "Row" "Col" }} {{ {size} {size} }}\n""\n'
                    + "\n".join(lines) + "\n", encoding="utf-8")


def _status_kb(key: str) -> int:
    """``VmRSS`` (resident now) or ``VmHWM`` (peak) of this process in kB, from /proc.

    Not ``ru_maxrss``: on Linux it keeps the peak of the parent process across ``exec``.
    """
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise OSError(f"no {key} in /proc/self/status")


def child(reader: str, path: str, size: int) -> None:
    rng = np.random.default_rng(1)
    rows, cols = rng.integers(0, size, SAMPLE), rng.integers(0, size, SAMPLE)
    if reader == "negsim":
        import negsim

        base = _status_kb("VmRSS")
        t0 = time.perf_counter()
        game = negsim.read_nfg(path)
        seconds = time.perf_counter() - t0
        sample = game.payoffs[:, rows, cols].T.tolist()
    else:
        import pygambit

        base = _status_kb("VmRSS")
        t0 = time.perf_counter()
        g = pygambit.read_nfg(path)
        seconds = time.perf_counter() - t0
        p1, p2 = g.players
        s1, s2 = list(p1.strategies), list(p2.strategies)
        sample = []
        for r, c in zip(rows, cols, strict=True):
            o = g[s1[r], s2[c]]
            sample.append([float(o[p1]), float(o[p2])])
    peak = _status_kb("VmHWM")
    print(json.dumps({"seconds": seconds, "mb": (peak - base) / 1024, "sample": sample}))


def run(reader: str, path: Path, size: int, cap: float) -> dict | None:
    """The child's report, or None if it did not finish within ``cap`` seconds."""
    try:
        out = subprocess.run([sys.executable, __file__, "--child", reader, str(path),
                              "--size", str(size)], capture_output=True, text=True,
                             check=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000, help="strategies per player")
    parser.add_argument("--decimals", action="store_true", help="decimal payoffs")
    parser.add_argument("--keep", type=Path, help="write the game here and keep it")
    parser.add_argument("--gambit-cap", type=float, default=300,
                        help="stop pygambit after this many seconds (default 300)")
    parser.add_argument("--child", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], args.size)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp, "bench.nfg")
        write_game(path, args.size, args.decimals)
        mb = path.stat().st_size / 1e6
        ours = run("negsim", path, args.size, 3600)
        theirs = run("pygambit", path, args.size, args.gambit_cap)
    assert ours is not None
    print(f"{args.size} x {args.size} game, {mb:.1f} MB of text"
          f"{' (decimals)' if args.decimals else ''}")
    print(f"  negsim    {ours['seconds']:7.2f} s   peak memory +{ours['mb']:,.0f} MB")
    if theirs is None:
        print(f"  pygambit  did not finish in {args.gambit_cap:.0f} s (stopped)")
        print(f"  ratio pygambit / negsim time: >{args.gambit_cap / ours['seconds']:.0f}x")
        return 0
    agree = np.array_equal(np.array(ours["sample"]), np.array(theirs["sample"]))
    print(f"  pygambit  {theirs['seconds']:7.2f} s   peak memory +{theirs['mb']:,.0f} MB")
    print(f"  ratio pygambit / negsim time: {theirs['seconds'] / ours['seconds']:.1f}x; "
          f"payoffs agree at {SAMPLE} profiles: {'yes' if agree else 'NO'}")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
