"""Benchmark: negsim's game solvers against pygambit, nashpy and quantecon.

Prints, in one run, two tables:

(a) all pure Nash equilibria of random n-player games (6x2, 6x3 and 8x3: players x
    actions): ``negsim.games.NormalFormGame(payoffs).pure_equilibria()`` against pygambit's
    ``enumpure_solve``;
(b) all (extreme) Nash equilibria of random 2-player games (5x5, 10x10, 15x15):
    ``negsim.games.enumerate_equilibria`` against pygambit's float
    ``enummixed_solve(rational=False)``, nashpy's ``vertex_enumeration`` and quantecon's
    ``vertex_enumeration`` (if quantecon is installed).

For every game and peer it checks that the equilibrium sets are equal. Times are per
game (best of a few repeats for fast calls), then the median over the games; the ratio is
median peer time / median negsim time (above 1: negsim is faster). Slow peers run in a
child process with a time cap; a capped run prints ``>cap`` and a lower bound on the ratio.

Usage::

    python benchmarks/games.py [--quick] [--seed 0]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

# ------------------------------------------------------------------------------ timing


def say(line: str) -> None:
    print(line, flush=True)


def _best_time(
    fn: Callable[[], Any], budget: float = 0.2, max_repeat: int = 7
) -> tuple[float, Any]:
    """Best wall time of up to ``max_repeat`` calls (fewer if a call is slow), and a result."""
    times = []
    result = None
    start = time.perf_counter()
    for _ in range(max_repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        if time.perf_counter() - start > budget:
            break
    return min(times), result


def _child(fn: Callable[..., Any], args: tuple, queue: Any) -> None:
    t0 = time.perf_counter()
    out = fn(*args)
    queue.put((time.perf_counter() - t0, out))


def _capped(fn: Callable[..., Any], args: tuple, cap: float) -> tuple[float | None, Any]:
    """Run ``fn(*args)`` in a forked child; ``(None, None)`` if it exceeds ``cap`` seconds."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, args, queue))
    proc.start()
    try:
        elapsed, out = queue.get(timeout=cap)
    except Exception:  # queue.Empty: over the cap
        proc.terminate()
        proc.join()
        return None, None
    proc.join()
    return elapsed, out


def _fmt_time(t: float | None, cap: float | None = None) -> str:
    if t is None:
        return f">{cap:.0f} s" if cap is not None else "n/a"
    if t < 1e-3:
        return f"{t * 1e6:.0f} us"
    if t < 1.0:
        return f"{t * 1e3:.1f} ms"
    return f"{t:.2f} s"


def _fmt_ratio(peer: float | None, ours: float, cap: float | None = None) -> str:
    if peer is None:
        return f">{cap / ours:,.0f}x" if cap is not None else "n/a"
    return f"{peer / ours:,.1f}x"


# ---------------------------------------------------------------------- equilibrium sets


def _mixed_key(eqs: list[tuple[np.ndarray, np.ndarray]], decimals: int = 6) -> set[tuple]:
    return {tuple(np.round(np.concatenate([np.asarray(p, float), np.asarray(q, float)]),
                           decimals) + 0.0) for p, q in eqs}


def _gambit_game(*arrays: np.ndarray) -> Any:
    import pygambit as gbt

    return gbt.Game.from_arrays(*arrays)


def _gambit_mixed(A: np.ndarray, B: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    import pygambit as gbt

    game = _gambit_game(A, B)
    res = gbt.nash.enummixed_solve(game, rational=False)
    p1, p2 = list(game.players)
    return [(np.array([float(e[s]) for s in p1.strategies]),
             np.array([float(e[s]) for s in p2.strategies])) for e in res.equilibria]


def _gambit_mixed_timed(A: np.ndarray, B: np.ndarray) -> tuple[float, list]:
    """pygambit float enummixed: solve time only (game construction excluded), answer."""
    import pygambit as gbt

    game = _gambit_game(A, B)
    t0 = time.perf_counter()
    res = gbt.nash.enummixed_solve(game, rational=False)
    elapsed = time.perf_counter() - t0
    p1, p2 = list(game.players)
    eqs = [(np.array([float(e[s]) for s in p1.strategies]),
            np.array([float(e[s]) for s in p2.strategies])) for e in res.equilibria]
    return elapsed, eqs


def _nashpy_vertex(A: np.ndarray, B: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    import nashpy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(nashpy.Game(A, B).vertex_enumeration())


def _quantecon_vertex(A: np.ndarray, B: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    import quantecon.game_theory as gt

    return list(gt.vertex_enumeration(gt.NormalFormGame((gt.Player(A), gt.Player(B.T)))))


def _quantecon_available() -> bool:
    try:
        import quantecon.game_theory as gt  # noqa: F401
    except Exception:
        return False
    return True


# ------------------------------------------------------------------- (a) pure equilibria


def _gambit_pure(payoffs: np.ndarray) -> tuple[float, set[tuple[int, ...]]]:
    """pygambit enumpure: solve time (game construction excluded) and the profiles."""
    import pygambit as gbt

    game = _gambit_game(*[payoffs[i] for i in range(payoffs.shape[0])])
    t0 = time.perf_counter()
    res = gbt.nash.enumpure_solve(game)
    elapsed = time.perf_counter() - t0
    profiles = set()
    for e in res.equilibria:
        profiles.add(tuple(int(np.argmax([float(e[s]) for s in p.strategies]))
                           for p in game.players))
    return elapsed, profiles


def bench_pure(rng: np.random.Generator, n_games: int) -> None:
    print("(a) pure equilibria of random n-player games (integer payoffs 0..99, with ties)")
    print(f"    {'players x actions':<18}{'games':>6}{'negsim':>11}{'pygambit':>11}"
          f"{'ratio':>10}  sets equal", flush=True)
    try:
        from negsim.games import NormalFormGame
    except ImportError as exc:
        say(f"    negsim.games.NormalFormGame not available ({exc}): skipped")
        return
    for n, a in [(6, 2), (6, 3), (8, 3)]:
        ours_t, peer_t, equal = [], [], True
        for _ in range(n_games):
            payoffs = rng.integers(0, 100, size=(n,) + (a,) * n)
            t, eqs = _best_time(lambda p=payoffs: NormalFormGame(p).pure_equilibria())
            ours_t.append(t)
            best_peer = None
            for _rep in range(3):
                tp, ref = _gambit_pure(payoffs)
                best_peer = tp if best_peer is None else min(best_peer, tp)
            peer_t.append(best_peer)
            equal &= {tuple(int(x) for x in e) for e in eqs} == ref
        mo, mp_ = statistics.median(ours_t), statistics.median(peer_t)
        say(f"    {f'{n} x {a}':<18}{n_games:>6}{_fmt_time(mo):>11}{_fmt_time(mp_):>11}"
                     f"{_fmt_ratio(mp_, mo):>10}  {'yes' if equal else 'no'}")


# -------------------------------------------------------------- (b) mixed equilibria


def _peer_row(name: str, times: list[float | None], equal: list[bool], cap: float | None,
              ours_t: list[float], idx: list[int]) -> str:
    """One table row: the peer's median time over the games ``idx`` and the ratio to
    negsim's median over the same games."""
    done = [t for t in times if t is not None]
    ours_sub = statistics.median([ours_t[i] for i in idx])
    if len(done) == len(times):
        med = statistics.median(done)
        tt, rr = _fmt_time(med), _fmt_ratio(med, ours_sub)
    else:
        tt, rr = _fmt_time(None, cap), _fmt_ratio(None, ours_sub, cap)
    eq = "n/a" if not equal else ("yes" if all(equal) else "no")
    return f"    {'':<7}{'':>6}{'':>11}  {name:<30}{len(times):>6}{tt:>11}{rr:>10}  {eq}"


def bench_mixed(rng: np.random.Generator, quick: bool, gambit_cap_15: float,
                nashpy_cap: float) -> None:
    from negsim.games import enumerate_equilibria

    games_per_size = {5: 5, 10: 3, 15: 1} if quick else {5: 20, 10: 10, 15: 3}
    gambit_cap = {5: None, 10: None, 15: gambit_cap_15}
    have_qe = _quantecon_available()
    if have_qe:  # compile numba code before timing
        _quantecon_vertex(rng.random((3, 3)), rng.random((3, 3)))

    print("(b) all equilibria of random 2-player games (payoffs uniform on [0, 1))")
    print(f"    {'size':<7}{'games':>6}{'negsim':>11}  {'peer':<30}{'games':>6}"
          f"{'peer time':>11}{'ratio':>10}  sets equal", flush=True)
    for size, n_games in games_per_size.items():
        games = [(rng.random((size, size)), rng.random((size, size))) for _ in range(n_games)]
        ours_t, ours = [], []
        for A, B in games:
            t, eqs = _best_time(lambda A=A, B=B: enumerate_equilibria(A, B))
            ours_t.append(t)
            ours.append(_mixed_key(eqs))
        med_ours = statistics.median(ours_t)
        n_eq = statistics.median(len(e) for e in ours)
        say(f"    {f'{size}x{size}':<7}{n_games:>6}{_fmt_time(med_ours):>11}  "
                     f"(median {n_eq:g} equilibria per game)")

        # pygambit float enummixed
        times, equal, idx = [], [], []
        cap = gambit_cap[size]
        for i, (A, B) in enumerate(games if cap is None else games[:1]):
            idx.append(i)
            if cap is None:
                best, ref = None, None
                for _rep in range(1 if size >= 10 else 3):
                    t, ref = _gambit_mixed_timed(A, B)
                    best = t if best is None else min(best, t)
                times.append(best)
            else:
                out_t, out = _capped(_gambit_mixed_timed, (A, B), cap)
                times.append(None if out is None else out[0])
                ref = None if out is None else out[1]
            if ref is not None:
                equal.append(_mixed_key(ref) == ours[i])
        say(_peer_row("pygambit enummixed (float)", times, equal, cap, ours_t, idx))

        # nashpy vertex enumeration: all 5x5 games, one capped 10x10 game, no 15x15
        if size <= 10:
            times, equal, idx = [], [], []
            cap = None if size < 10 else nashpy_cap
            for i, (A, B) in enumerate(games if cap is None else games[:1]):
                idx.append(i)
                if cap is None:
                    t, ref = _best_time(lambda A=A, B=B: _nashpy_vertex(A, B), max_repeat=1)
                else:
                    t, ref = _capped(_nashpy_vertex, (A, B), cap)
                times.append(t)
                if ref is not None:
                    equal.append(_mixed_key(ref) == ours[i])
            say(_peer_row("nashpy vertex_enumeration", times, equal, cap, ours_t, idx))
        else:
            say(f"    {'':<7}{'':>6}{'':>11}  {'nashpy vertex_enumeration':<30}"
                         f"{'':>6}{'skipped':>11}{'':>10}  (too slow above 10x10)")

        # quantecon vertex enumeration (numba)
        if have_qe:
            times, equal = [], []
            for i, (A, B) in enumerate(games):
                t, ref = _best_time(lambda A=A, B=B: _quantecon_vertex(A, B))
                times.append(t)
                equal.append(_mixed_key(ref) == ours[i])
            say(_peer_row("quantecon vertex_enumeration", times, equal, None, ours_t,
                          list(range(len(games)))))
        else:
            say(f"    {'':<7}{'':>6}{'':>11}  {'quantecon vertex_enumeration':<30}"
                         f"{'':>6}{'n/a':>11}{'n/a':>10}  n/a (quantecon not installed)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="fewer games and shorter caps (a few minutes)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--gambit-cap", type=float, default=None,
                        help="time cap (s) for pygambit enummixed on the 15x15 game "
                             "(default 60 quick, 300 full)")
    parser.add_argument("--nashpy-cap", type=float, default=None,
                        help="time cap (s) for nashpy on the 10x10 game "
                             "(default 60 quick, 180 full)")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    import pygambit

    versions = [f"pygambit {pygambit.__version__}"]
    try:
        import nashpy

        versions.append(f"nashpy {nashpy.__version__}")
    except ImportError:  # pragma: no cover
        pass
    try:
        import quantecon

        versions.append(f"quantecon {quantecon.__version__}")
    except Exception:
        versions.append("quantecon n/a")
    print(f"numpy {np.__version__}; " + "; ".join(versions) + f"; seed {args.seed}"
          + ("; quick" if args.quick else ""))
    print("ratio = median peer time / median negsim time on the same games (>1: negsim "
          "faster)\n")
    bench_pure(rng, 5 if args.quick else 20)
    print()
    gambit_cap = args.gambit_cap or (60.0 if args.quick else 300.0)
    nashpy_cap = args.nashpy_cap or (60.0 if args.quick else 180.0)
    bench_mixed(rng, args.quick, gambit_cap, nashpy_cap)


if __name__ == "__main__":
    main()
