"""The few pygambit calls the games tests make, on both pygambit 16.x and 17.x.

pyproject's ``test`` extra requires pygambit 17 (it installs from a wheel: 16.x has none for
CPython 3.11 on Linux and builds from source for ~8 minutes). pygambit 17 changed the API the
cross-checks use: games are built by ``StrategicGame.from_arrays`` instead of
``Game.from_arrays``, ``game.players`` yields player labels instead of ``Player`` objects,
strategies are listed by ``game.get_strategies(label)``, and payoffs are read by
``game.get_payoffs(contingency)`` instead of ``game[strategies][player]``. These helpers
detect which API is installed (by feature, not version) so that every cross-check runs
unchanged on both; the answers (pygambit's solvers) are the same.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import numpy as np
import pygambit as gbt

#: How far pygambit's points on a logit QRE branch may be from negsim's: 17.0.0b2's
#: ``logit_solve_lambda`` returns the path-follower's last point, up to ~1e-7 off the curve
#: (the fixed-point residual); 16.x corrects it to ~1e-11. The tests check negsim's points
#: against the fixed-point equation itself (``qre_residual``) to 1e-10 besides; nearby
#: branches differ by far more than this tolerance.
GAMBIT_QRE_ATOL = 1e-6

#: pygambit 17 lists strategies by player label; 16.x has Player objects with .strategies
LABEL_API = hasattr(getattr(gbt, "StrategicGame", gbt.Game), "get_strategies")


def from_arrays(*arrays: Any, title: str | None = None) -> Any:
    """A strategic game with one payoff array per player (``Game.from_arrays`` in 16.x)."""
    make = getattr(gbt, "StrategicGame", gbt.Game).from_arrays
    return make(*arrays) if title is None else make(*arrays, title=title)


def player_labels(game: Any) -> tuple[str, ...]:
    return tuple(p if isinstance(p, str) else p.label for p in game.players)


def strategy_labels(game: Any) -> tuple[tuple[str, ...], ...]:
    if LABEL_API:
        return tuple(tuple(game.get_strategies(p)) for p in game.players)
    return tuple(tuple(s.label for s in p.strategies) for p in game.players)


def exact_float(x: Any) -> float:
    """A pygambit number (Rational, Decimal or float) as the nearest float."""
    return x if isinstance(x, float) else float(Fraction(str(x)))


def profile_vectors(game: Any, profile: Any) -> list[np.ndarray]:
    """Each player's mixed strategy in a pygambit profile, in strategy order.

    Iterating ``profile[player]`` yields ``(strategy, probability)`` pairs in both APIs
    (the strategy is a ``Strategy`` in 16.x, its label in 17).
    """
    return [np.array([exact_float(v) for _, v in profile[p]]) for p in game.players]


def payoff_tensor(game: Any) -> np.ndarray:
    """``u[i, s_1, ..., s_n]``, profile by profile (no outcome: 0).

    ``Game.to_arrays`` is not used: it fails on profiles without an outcome in 16.7.
    """
    players = list(game.players)
    labels = player_labels(game)
    strategies = strategy_labels(game) if LABEL_API else [list(p.strategies) for p in players]
    out = np.zeros((len(players), *[len(s) for s in strategies]))
    for idx in itertools.product(*[range(len(s)) for s in strategies]):
        chosen = [s[k] for s, k in zip(strategies, idx, strict=True)]
        if LABEL_API:
            pay = game.get_payoffs(dict(zip(labels, chosen, strict=True)))
            values = [pay[lab] for lab in labels]
        else:
            outcome = game[tuple(chosen)]
            if outcome is None:
                continue
            values = [outcome[p] for p in players]
        out[(slice(None), *idx)] = [exact_float(v) for v in values]
    return out


def catalog_slugs() -> list[str]:
    return list(gbt.catalog.games().Game)


def catalog_load(slug: str) -> Any:
    return gbt.catalog.load(slug)


def _qre_game(payoffs: np.ndarray) -> tuple[Any, int]:
    """The game with payoffs divided by their range (exact rationals), and the range.

    The logit QRE of ``(u / r, r * lam)`` is that of ``(u, lam)``. pygambit 17.0.0b2's
    path-follower runs out of memory on lambdas as small as 1e-5 (payoffs up to 10**6), so
    the QRE cross-checks always give it payoffs of range 1.
    """
    u = np.asarray(payoffs)
    if not np.all(u == np.round(u)):
        raise ValueError("QRE cross-checks need integer payoffs")
    u = u.astype(np.int64)
    r = max(int(u.max() - u.min()), 1)
    arrays = [np.vectorize(lambda x: gbt.Rational(int(x), r), otypes=[object])(u[i])
              for i in range(u.shape[0])]
    return from_arrays(*arrays), r


def logit_at(payoffs: np.ndarray, lams: list[float]) -> list[list[np.ndarray]]:
    """pygambit's principal-branch logit QRE at each lambda (``qre.logit_solve_lambda``)."""
    game, r = _qre_game(payoffs)
    points = gbt.qre.logit_solve_lambda(game, lam=[r * lam for lam in lams])
    return [profile_vectors(game, p.profile) for p in points]


def logit_limit(payoffs: np.ndarray) -> list[np.ndarray]:
    """The Nash equilibrium the principal logit branch ends at (``nash.logit_solve``)."""
    game, _ = _qre_game(payoffs)
    res = gbt.nash.logit_solve(game)
    eq = res.equilibrium if hasattr(res, "equilibrium") else res.equilibria[0]  # 17 / 16.x
    return profile_vectors(game, eq)
