"""Reference solutions for the games tests: pygambit's solvers on the same games (through
gambit_api, which runs on pygambit 16.x and 17.x), brute force over every profile, and
direct sums, independent of negsim's code."""

from __future__ import annotations

import itertools

import numpy as np
import pygambit as gbt
from gambit_api import from_arrays, profile_vectors

from negsim.games import NormalFormGame, logit_choice_probabilities


def gambit_game(payoffs: np.ndarray):
    """pygambit game with exact (Python int or exact decimal) payoffs."""
    u = np.asarray(payoffs)
    if np.all(u == np.round(u)):
        u = u.astype(np.int64)
    return from_arrays(*[u[i].astype(object) for i in range(u.shape[0])])


def gambit_pure(payoffs: np.ndarray) -> set[tuple[int, ...]]:
    g = gambit_game(payoffs)
    out = set()
    for e in gbt.nash.enumpure_solve(g).equilibria:
        out.add(tuple(int(np.argmax(v)) for v in profile_vectors(g, e)))
    return out


def gambit_mixed(A, B) -> set[tuple[float, ...]]:
    g = gambit_game(np.stack([np.asarray(A), np.asarray(B)]))
    return as_set(profile_vectors(g, e)
                  for e in gbt.nash.enummixed_solve(g, rational=True).equilibria)


def as_set(eqs, decimals: int = 7) -> set[tuple[float, ...]]:
    return {tuple(np.round(np.concatenate([np.asarray(p, float), np.asarray(q, float)]),
                           decimals) + 0.0) for p, q in eqs}


def profiles(shape):
    return itertools.product(*(range(a) for a in shape))


def brute_pure(u: np.ndarray, strict: bool = False) -> list[tuple[int, ...]]:
    """Pure equilibria by checking every unilateral deviation of every profile (exact
    payoffs only)."""
    n, shape = u.shape[0], u.shape[1:]
    out = []
    for s in profiles(shape):
        ok = True
        for i in range(n):
            for a in range(shape[i]):
                if a == s[i]:
                    continue
                t = s[:i] + (a,) + s[i + 1:]
                if u[(i, *t)] > u[(i, *s)] or (strict and u[(i, *t)] == u[(i, *s)]):
                    ok = False
        if ok:
            out.append(s)
    return out


def brute_deviations(u: np.ndarray, prof: tuple[int, ...]) -> list[tuple]:
    """Every profile where each player who moved gains strictly: (coalition, profile,
    gains), sorted as negsim documents (size, coalition, profile)."""
    out = []
    for t in profiles(u.shape[1:]):
        movers = tuple(i for i in range(len(t)) if t[i] != prof[i])
        if movers and all(u[(i, *t)] > u[(i, *prof)] for i in movers):
            out.append((movers, t, tuple(float(u[(i, *t)] - u[(i, *prof)]) for i in movers)))
    out.sort(key=lambda d: (len(d[0]), d[0], d[1]))
    return out


def brute_regret(game: NormalFormGame, sigma) -> np.ndarray:
    """Regret by summing over every pure profile of the others explicitly."""
    n, shape, u = game.n_players, game.shape, game.payoffs
    out = np.zeros(n)
    for i in range(n):
        vals = np.zeros(shape[i])
        for s in profiles(shape):
            w = np.prod([sigma[j][s[j]] for j in range(n) if j != i])
            vals[s[i]] += w * u[(i, *s)]
        out[i] = max(vals.max() - vals @ sigma[i], 0.0)
    return out


def strictly_dominated(u: np.ndarray) -> list[tuple[int, int]]:
    """(player, action) pairs strictly dominated by another pure action."""
    n, shape = u.shape[0], u.shape[1:]
    out = []
    for i in range(n):
        rows = np.moveaxis(u[i], i, 0).reshape(shape[i], -1)
        for j in range(shape[i]):
            if any(np.all(rows[k] > rows[j]) for k in range(shape[i]) if k != j):
                out.append((i, j))
    return out


def eq_vectors(eqs):
    return [(np.array([float(x) for x in p]), np.array([float(x) for x in q])) for p, q in eqs]


def einsum_action_values(game: NormalFormGame, sigma) -> list[np.ndarray]:
    """v_i(a) = sum over the others' profiles of u_i times their probabilities (einsum)."""
    n = game.n_players
    letters = "abcdefgh"[:n]
    out = []
    for i in range(n):
        spec = letters + "," + ",".join(letters[j] for j in range(n) if j != i) + "->" + letters[i]
        out.append(np.einsum(spec, game.payoffs[i], *[sigma[j] for j in range(n) if j != i]))
    return out


def qre_residual(game: NormalFormGame, sigma, lam: float) -> float:
    """Largest violation of sigma_i = softmax(lam * v_i(sigma))."""
    vals = einsum_action_values(game, sigma)
    return max(float(np.abs(s - logit_choice_probabilities(v, lam)).max())
               for s, v in zip(sigma, vals, strict=True))


def random_games(seed: int, count: int):
    """Random games with payoffs drawn from 10**6 values (generic: no ties)."""
    rng = np.random.default_rng(seed)
    shapes = [(2, 2), (3, 3), (2, 3), (4, 4), (2, 2, 2), (3, 2, 2), (2, 2, 2, 2)]
    for k in range(count):
        shape = shapes[k % len(shapes)]
        yield rng.integers(0, 10**6, size=(len(shape), *shape))
