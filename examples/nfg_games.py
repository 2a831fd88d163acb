"""Pure game theory on Gambit ``.nfg`` files: pure, mixed and quantal response equilibria.

Reads each ``.nfg`` file given (default: every file in ``examples/games/``) with
:func:`negsim.read_nfg` and prints

* the pure Nash equilibria (any number of players), and which are strong (no coalition
  gains by deviating jointly);
* for two-player games, every extreme mixed equilibrium by negsim's vertex enumeration,
  checked against nashpy's support enumeration;
* the logit quantal response equilibrium (QRE) at precision ``--lam``, and the Nash
  equilibrium its principal branch selects as the precision grows.

    python examples/nfg_games.py examples/games/truce.nfg --lam 2

The payoffs in ``examples/games/`` are illustrative assumptions (each file's comment says
so), not numbers from the Libya 2020 seeds.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import negsim

GAMES = Path(__file__).resolve().parent / "games"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("games", nargs="*", type=Path,
                   help=f"Gambit .nfg files (default: every .nfg in {GAMES})")
    p.add_argument("--lam", type=float, default=2.0,
                   help="logit QRE precision (default: 2.0; 0 is uniform play)")
    return p.parse_args(argv)


def _profile(game: negsim.NormalFormGame, profile: Sequence[int]) -> str:
    return ", ".join(f"{pl}={game.actions[i][a]}" for i, (pl, a) in
                     enumerate(zip(game.players, profile, strict=True)))


def _mixed(game: negsim.NormalFormGame, strategies: Sequence[np.ndarray]) -> str:
    parts = []
    for i, s in enumerate(strategies):
        probs = " ".join(f"{a} {p:.3f}" for a, p in zip(game.actions[i], s, strict=True))
        parts.append(f"{game.players[i]}: {probs}")
    return "; ".join(parts)


def same_equilibria(a: list, b: list, atol: float = 1e-7) -> bool:
    """Whether two lists of (p, q) equilibria hold the same profiles, in any order."""
    if len(a) != len(b):
        return False
    return all(any(np.allclose(p, p2, atol=atol) and np.allclose(q, q2, atol=atol)
                   for p2, q2 in b) for p, q in a)


def report(path: Path, lam: float) -> dict:
    """Print the equilibria of one game; return them (for tests and other scripts)."""
    game = negsim.read_nfg(path)
    print(f"== {path.name}: {game.n_players} players, actions {game.shape}")
    print("   players: " + ", ".join(game.players))
    pure = game.pure_equilibria()
    print(f"Pure Nash equilibria ({len(pure)}):")
    for prof in pure:
        strong = " (strong)" if game.is_strong_nash(prof) else ""
        pay = ", ".join(f"{float(game.payoffs[(i, *prof)]):g}" for i in range(game.n_players))
        print(f"   {_profile(game, prof)}  payoffs {pay}{strong}")
    out: dict = {"game": game, "pure": pure}
    if game.n_players == 2:
        mine = game.equilibria()  # negsim: all extreme equilibria (vertex enumeration)
        theirs = game.equilibria("support")  # nashpy: support enumeration
        out["mixed"] = mine
        out["agree"] = same_equilibria(mine, theirs)
        print(f"All extreme equilibria, negsim vertex enumeration ({len(mine)}):")
        for p, q in mine:
            print(f"   {_mixed(game, (p, q))}")
        print(f"nashpy support enumeration finds the same {len(theirs)}: "
              f"{'yes' if out['agree'] else 'NO'}")
    qre = negsim.logit_qre(game, lam)
    out["qre"] = qre
    print(f"Logit QRE at lambda = {lam:g}:")
    print(f"   {_mixed(game, qre)}")
    lim = negsim.limiting_nash(game)
    out["limit"] = lim
    print(f"Principal QRE branch ends at (lambda = {lim.lam:.1f}, max regret "
          f"{lim.max_regret:.1e}):")
    print(f"   {_mixed(game, lim.profile)}")
    print()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    paths = args.games or sorted(GAMES.glob("*.nfg"))
    for path in paths:
        try:
            report(path, args.lam)
        except (negsim.NfgError, OSError) as err:  # a bad file: one line, no traceback
            print(f"nfg_games.py: error: {err}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
