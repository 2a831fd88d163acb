"""NormalFormGame: textbook games, pure equilibria against pygambit's enumpure on random
n-player games with ties, strict equilibria, dominance, Pareto, coalitions and strong
Nash against brute force, regret, constructors and validation, and 2-player equilibria
against pygambit's enummixed and nashpy."""

from __future__ import annotations

import itertools
import warnings
from fractions import Fraction

import nashpy
import numpy as np
import pygambit as gbt
import pytest
from games_cases import CASES, HORSE, NAU5, GameCase
from hypothesis import example, given, settings
from strategies import bimatrices, games, games_with_mixed_profile, games_with_pure_profile

from negsim.games import (
    CoalitionDeviation,
    NashResult,
    NormalFormGame,
    pure_equilibrium_mask,
)


# ------------------------------------------------------------------------------ references
def gambit_game(payoffs: np.ndarray) -> gbt.Game:
    """pygambit game with exact (Python int or exact decimal) payoffs."""
    u = np.asarray(payoffs)
    if np.all(u == np.round(u)):
        u = u.astype(np.int64)
    return gbt.Game.from_arrays(*[u[i].astype(object) for i in range(u.shape[0])])


def gambit_pure(payoffs: np.ndarray) -> set[tuple[int, ...]]:
    g = gambit_game(payoffs)
    out = set()
    for e in gbt.nash.enumpure_solve(g).equilibria:
        out.add(tuple(int(np.argmax([float(e[s]) for s in p.strategies])) for p in g.players))
    return out


def gambit_mixed(A, B) -> set[tuple[float, ...]]:
    g = gambit_game(np.stack([np.asarray(A), np.asarray(B)]))
    p1, p2 = list(g.players)
    return as_set(
        (np.array([float(Fraction(str(e[s]))) for s in p1.strategies]),
         np.array([float(Fraction(str(e[s]))) for s in p2.strategies]))
        for e in gbt.nash.enummixed_solve(g, rational=True).equilibria
    )


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


# ------------------------------------------------------------------ textbook games (table)
@pytest.mark.parametrize("case", CASES)
def test_textbook_pure_equilibria(case: GameCase):
    g = case.factory()
    assert g.pure_equilibria() == case.pure
    assert g.pure_equilibria(strict=True) == case.strict
    assert set(case.pure) == gambit_pure(g.payoffs)
    for s in profiles(g.shape):
        assert g.is_pure_equilibrium(s) == (s in case.pure)
        assert (g.regret(s).max() == 0) == (s in case.pure)


@pytest.mark.parametrize("case", CASES)
def test_textbook_strong_nash_and_coalitions(case: GameCase):
    g = case.factory()
    for s in case.pure:
        assert g.is_strong_nash(s) == (s in case.strong)
        devs = g.coalition_deviations(s)
        assert (devs == []) == (s in case.strong)
        assert all(len(d.coalition) >= 2 for d in devs)  # s is an equilibrium
        ref = brute_deviations(g.payoffs, s)
        assert [(d.coalition, d.profile, d.gains) for d in devs] == ref


@pytest.mark.parametrize("case", CASES)
def test_textbook_pareto_and_dominance(case: GameCase):
    g = case.factory()
    assert g.pareto_dominated() == case.pareto_dominated
    assert g.pareto_dominant() == [e for e in case.pure if e not in case.pareto_dominated]
    reduced, kept = g.iterated_elimination()
    assert kept == case.kept
    assert reduced.shape == tuple(len(k) for k in case.kept)


@pytest.mark.parametrize("case", [c for c in CASES if c.values[0].equilibria is not None])
def test_textbook_all_equilibria(case: GameCase):
    g = case.factory()
    expected = eq_vectors(case.equilibria)
    got = g.equilibria()
    assert len(got) == len(expected)
    for (p, q), (pe, qe) in zip(got, expected, strict=True):  # also checks the order
        np.testing.assert_allclose(p, pe, atol=1e-12)
        np.testing.assert_allclose(q, qe, atol=1e-12)
        assert g.is_equilibrium([p, q], tol=1e-12)
    assert as_set(got) == gambit_mixed(g.payoffs[0], g.payoffs[1])
    for method in ("support", "vertex"):
        assert as_set(g.equilibria(method)) == as_set(expected)
    # Lemke-Howson finds some of them, each a true equilibrium
    assert as_set(g.equilibria("lemke_howson")) <= as_set(expected)


@pytest.mark.parametrize(
    ("slug", "payoffs"),
    [("journals/ijgt/selten1975/fig1", HORSE), ("journals/ijgt/nau2004/sec5", NAU5)],
)
def test_literature_games_match_the_gambit_catalog(slug, payoffs):
    # the hand transcription of the 3-player games equals Gambit's catalog files (the horse
    # is an extensive game there: its reduced normal form)
    try:
        ref = gbt.catalog.load(slug)
    except Exception as exc:  # pragma: no cover - catalog not shipped
        pytest.skip(f"pygambit catalog entry {slug} unavailable: {exc}")
    arr = np.array(ref.to_arrays(), dtype=float)
    np.testing.assert_array_equal(arr, payoffs)


def test_documented_3_player_example_from_function():
    # Selten's horse built from its extensive form: same tensor as the hand-written one
    def u(s):
        if s[0] == 0 and s[1] == 0:
            return (1, 1, 1)
        if s[0] == 0:
            return (4, 4, 0) if s[2] == 0 else (0, 0, 1)
        return (3, 2, 2) if s[2] == 0 else (0, 0, 0)

    g = NormalFormGame.from_function(u, [2, 2, 2], players=["P1", "P2", "P3"])
    assert g == NormalFormGame(HORSE)
    assert g.pure_equilibria() == [(0, 0, 1), (1, 0, 0)]


# --------------------------------------------------- pure equilibria vs pygambit enumpure
FAMILIES = {
    "3x2": (3, 2), "4x3": (4, 3), "5x2": (5, 2), "2p-4x4": (2, 4),
}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_pure_equilibria_match_pygambit_on_random_games_with_ties(family):
    n, a = FAMILIES[family]
    rng = np.random.default_rng(sum(map(ord, family)))
    n_games, ties = 200, 0
    for k in range(n_games):
        high = (2, 4, 100)[k % 3]  # 0..1 and 0..3: many ties; 0..99: some
        u = rng.integers(0, high, size=(n,) + (a,) * n)
        g = NormalFormGame(u)
        got = g.pure_equilibria()
        assert set(got) == gambit_pure(u), u.tolist()
        assert got == sorted(got) and len(set(got)) == len(got)
        strict = g.pure_equilibria(strict=True)
        assert strict == brute_pure(u, strict=True)
        assert set(strict) <= set(got)
        ties += len(strict) < len(got)
    assert ties >= 20  # the families really contain weak equilibria


def test_pure_equilibria_match_pygambit_on_mixed_shapes():
    rng = np.random.default_rng(77)
    shapes = [(2, 3), (3, 1, 2), (2, 3, 4), (1, 1), (4, 1, 1, 2), (2, 2, 3, 2), (5,), (3, 3)]
    count = 0
    for _ in range(25):
        for shape in shapes:
            u = rng.integers(-2, 3, size=(len(shape), *shape))
            g = NormalFormGame(u)
            assert g.pure_equilibria() == brute_pure(u)
            if len(shape) > 1:  # pygambit needs at least 2 players
                assert set(g.pure_equilibria()) == gambit_pure(u)
            count += 1
    assert count >= 200


def test_pure_equilibria_with_real_payoffs_and_rounding_noise():
    # ties that are exact in decimal but not in binary floating point: 0.1 + 0.2 vs 0.3
    u = np.zeros((2, 2, 2))
    u[0] = [[0.1 + 0.2, 0.0], [0.3, 0.0]]
    u[1] = [[1.0, 0.0], [1.0, 0.0]]
    g = NormalFormGame(u)
    assert g.pure_equilibria() == [(0, 0), (1, 0)]  # a tie within the 1e-12 tolerance
    assert g.pure_equilibria(strict=True) == []
    # exact comparison: 0.1 + 0.2 = 0.30000000000000004 > 0.3
    assert g.pure_equilibria(tol=0.0) == [(0, 0)]


@settings(max_examples=150, deadline=None)
@given(games(max_players=4, max_actions=3))
@example(NormalFormGame(np.zeros((3, 2, 2, 2))))  # constant: every profile, none strict
@example(NormalFormGame([[1.0, 1.0]]))  # one player with a tie
def test_property_pure_equilibria_equal_brute_force(g):
    u = g.payoffs
    assert g.pure_equilibria() == brute_pure(u)
    assert g.pure_equilibria(strict=True) == brute_pure(u, strict=True)
    mask = g.pure_equilibrium_mask()
    assert mask.shape == g.shape and mask.sum() == len(g.pure_equilibria())


@pytest.mark.parametrize("k", [15, 16, 17, 257])
def test_strict_counts_many_tied_actions(k):
    # best-response counts must not wrap around (257 ties would count as 1 in uint8)
    g = NormalFormGame(np.zeros((1, k)))
    assert len(g.pure_equilibria()) == k and g.pure_equilibria(strict=True) == []
    u = np.zeros((2, 2, k))
    u[1, 1, 3] = 1.0  # against row 1 the column player has a unique best response
    u[0, 1, :] = 1.0  # and row 1 is the row player's unique best response everywhere
    g2 = NormalFormGame(u)
    assert g2.pure_equilibria(strict=True) == [(1, 3)]
    assert len(g2.pure_equilibria()) == 1


def test_constant_game_has_every_profile_as_weak_equilibrium():
    g = NormalFormGame(np.ones((3, 2, 3, 2)))
    assert len(g.pure_equilibria()) == 12
    assert g.pure_equilibria(strict=True) == []


def test_batched_mask_equals_one_game_at_a_time():
    rng = np.random.default_rng(5)
    batch = rng.integers(0, 3, size=(7, 4, 3, 3, 3, 3))
    masks = pure_equilibrium_mask(batch, n_players=4)
    strict = pure_equilibrium_mask(batch, n_players=4, strict=True)
    for k in range(7):
        g = NormalFormGame(batch[k])
        np.testing.assert_array_equal(masks[k], g.pure_equilibrium_mask())
        np.testing.assert_array_equal(strict[k], g.pure_equilibrium_mask(strict=True))


def test_batch_shape_ambiguity_is_resolved_by_n_players():
    # a batch of three 2-player 2x2 games has the shape of one 3-player 2x2x2 game: without
    # n_players the shape is read as one game, as documented
    rng = np.random.default_rng(1)
    batch = rng.integers(0, 5, size=(3, 2, 2, 2))
    assert pure_equilibrium_mask(batch).shape == (2, 2, 2)
    per_game = pure_equilibrium_mask(batch, n_players=2)
    assert per_game.shape == (3, 2, 2)
    for k in range(3):
        assert [tuple(x) for x in np.argwhere(per_game[k])] == brute_pure(batch[k])


@pytest.mark.parametrize(
    ("payoffs", "kwargs", "match"),
    [
        (np.zeros((3, 2, 2)), {}, r"no axis holds the number of players"),
        (np.zeros((2, 2, 2)), {"n_players": 3}, r"do not have the shape \(\*batch, 3"),
        (np.zeros((2, 2, 0)), {}, "at least one action"),
        (np.zeros((2, 2, 2)), {"tol": -1.0}, "tol must be >= 0"),
    ],
)
def test_mask_validation(payoffs, kwargs, match):
    with pytest.raises(ValueError, match=match):
        pure_equilibrium_mask(payoffs, **kwargs)


# ---------------------------------------------------------------------- dominance
@settings(max_examples=120, deadline=None)
@given(games(min_players=2, max_players=3, max_actions=4))
@example(NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
def test_property_removing_a_strictly_dominated_strategy_keeps_the_equilibria(g):
    u = g.payoffs
    base = set(g.pure_equilibria())
    # one strategy at a time (the brute-force dominance test), in the original indices
    for i, j in strictly_dominated(u):
        kept = [list(range(a)) for a in g.shape]
        kept[i].remove(j)
        sub = g.restrict(kept)
        back = {tuple(kept[p][s[p]] for p in range(g.n_players)) for s in sub.pure_equilibria()}
        assert back == base
    # the whole iterated elimination, pure and mixed dominance
    for mixed in (False, True):
        reduced, kept = g.iterated_elimination(mixed=mixed)
        back = {tuple(kept[p][s[p]] for p in range(g.n_players))
                for s in reduced.pure_equilibria()}
        assert back == base
        assert strictly_dominated(reduced.payoffs) == []  # nothing dominated is left
        assert reduced.players == g.players
        assert reduced.actions == tuple(tuple(g.actions[p][a] for a in kept[p])
                                        for p in range(g.n_players))


@settings(max_examples=60, deadline=None)
@given(bimatrices(max_m=4, max_n=4))
def test_property_strict_elimination_keeps_all_mixed_equilibria(ab):
    g = NormalFormGame.from_bimatrix(*ab)
    reduced, (rows, cols) = g.iterated_elimination(mixed=True)
    back = []
    for p, q in reduced.equilibria():
        P, Q = np.zeros(g.shape[0]), np.zeros(g.shape[1])
        P[list(rows)], Q[list(cols)] = p, q
        back.append((P, Q))
    assert as_set(back) == as_set(g.equilibria())


@settings(max_examples=80, deadline=None)
@given(games(min_players=2, max_players=3, max_actions=3))
def test_property_weak_elimination_keeps_only_equilibria(g):
    # removing weakly dominated strategies can lose equilibria, but never creates one
    reduced, kept = g.iterated_elimination(strict=False)
    back = {tuple(kept[p][s[p]] for p in range(g.n_players)) for s in reduced.pure_equilibria()}
    assert back <= set(g.pure_equilibria())
    assert all(len(k) >= 1 for k in kept)


def test_weak_elimination_can_remove_an_equilibrium():
    # (1, 1) is an equilibrium, but row 1 and column 1 are weakly dominated
    g = NormalFormGame.from_bimatrix([[1, 0], [0, 0]], [[1, 0], [0, 0]])
    assert g.pure_equilibria() == [(0, 0), (1, 1)]
    assert g.iterated_elimination()[1] == ((0, 1), (0, 1))
    reduced, kept = g.iterated_elimination(strict=False)
    assert kept == ((0,), (0,)) and reduced.pure_equilibria() == [(0, 0)]


def test_mixed_dominance_needs_strict():
    g = NormalFormGame.from_bimatrix([[3, 0], [0, 3], [1, 1]], [[0, 0]] * 3)
    assert g.iterated_elimination(mixed=True)[1] == ((0, 1), (0, 1))
    with pytest.raises(ValueError, match="only available for strict"):
        g.iterated_elimination(strict=False, mixed=True)
    # 1.5 = (3 + 0) / 2 exactly: not strictly dominated by the 50/50 mixture
    g2 = NormalFormGame.from_bimatrix([[3, 0], [0, 3], [1.5, 1.5]], [[0, 0]] * 3)
    assert g2.iterated_elimination(mixed=True)[1] == ((0, 1, 2), (0, 1))


# --------------------------------------------------------------------------- Pareto
@settings(max_examples=100, deadline=None)
@given(games(min_players=1, max_players=3, max_actions=3, low=0, high=2))
def test_property_pareto_partition_equals_brute_force(g):
    eqs = g.pure_equilibria()
    vals = {e: g.payoffs[(slice(None), *e)] for e in eqs}

    def dominates(a, b):
        return bool(np.all(vals[a] >= vals[b]) and np.any(vals[a] > vals[b]))

    dominated = [e for e in eqs if any(dominates(f, e) for f in eqs)]
    assert g.pareto_dominated() == dominated
    assert g.pareto_dominant() == [e for e in eqs if e not in dominated]
    if eqs:
        assert g.pareto_dominant()  # a finite set has an undominated element
    top = [e for e in eqs if all(np.all(vals[e] >= vals[f]) for f in eqs)]
    assert g.payoff_dominant() == (top[0] if top else None)


def test_pareto_on_given_profiles_and_payoff_dominant():
    sh = NormalFormGame.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    assert sh.payoff_dominant() == (0, 0)
    # any listed profiles, not only equilibria
    # (0, 3) and (3, 0) are both below (3, 3)
    assert sh.pareto_dominated([(0, 1), (1, 1), (1, 0)]) == [(0, 1), (1, 0)]
    assert sh.pareto_dominant([(0, 1), (1, 0)]) == [(0, 1), (1, 0)]
    assert sh.pareto_dominant([]) == [] and sh.payoff_dominant([]) is None
    bos = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    assert bos.payoff_dominant() is None
    with pytest.raises(ValueError, match="equilibrium: action of player 1"):
        sh.pareto_dominated([(0, 2)])


# ------------------------------------------------------------ coalitions and strong Nash
@settings(max_examples=150, deadline=None)
@given(games_with_pure_profile(min_players=1, max_players=4, max_actions=3))
@example((NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]), (1, 1)))
def test_property_coalition_deviations_equal_brute_force(gp):
    g, s = gp
    devs = g.coalition_deviations(s)
    assert [(d.coalition, d.profile, d.gains) for d in devs] == brute_deviations(g.payoffs, s)
    assert g.is_strong_nash(s) == (devs == [])
    # a profile is Nash exactly when no single player deviates profitably
    assert g.is_pure_equilibrium(s) == (not any(len(d.coalition) == 1 for d in devs))
    if g.is_strong_nash(s):
        assert g.is_pure_equilibrium(s)


def test_coalition_deviation_of_a_patron_and_a_belligerent():
    # 3 players; (0, 0, 0) is Nash, but players 0 and 2 gain by moving together, and all
    # three gain in a second way; player 1 alone cannot gain
    u = np.zeros((3, 2, 2, 2))
    u[:, 0, 0, 0] = [2, 2, 2]
    u[:, 1, 0, 1] = [3, 1, 4]  # 0 and 2 gain (player 1 does not move)
    u[:, 1, 1, 1] = [5, 3, 3]  # everybody gains
    u[:, 1, 0, 0] = [1, 9, 9]  # player 0 alone: loses
    u[:, 0, 0, 1] = [9, 9, 1]  # player 2 alone: loses
    g = NormalFormGame(u)
    assert g.is_pure_equilibrium((0, 0, 0))
    assert not g.is_strong_nash((0, 0, 0))
    assert g.coalition_deviations((0, 0, 0)) == [
        CoalitionDeviation(coalition=(0, 2), profile=(1, 0, 1), gains=(1.0, 2.0)),
        CoalitionDeviation(coalition=(0, 1, 2), profile=(1, 1, 1), gains=(3.0, 1.0, 1.0)),
    ]
    # a gain within the tolerance is not a gain
    u2 = u.copy()
    u2[:, 1, 0, 1] = [2 + 1e-14, 2, 2 + 1e-14]
    u2[:, 1, 1, 1] = 0
    assert NormalFormGame(u2).is_strong_nash((0, 0, 0))
    assert not NormalFormGame(u2).is_strong_nash((0, 0, 0), tol=0.0)


def test_coalitions_reject_bad_profiles():
    g = NormalFormGame(np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match=r"one action per player \(2\), got 3"):
        g.coalition_deviations((0, 0, 0))
    with pytest.raises(ValueError, match=r"player 1 \(P2\) must be an index in \[0, 3\), got 3"):
        g.is_strong_nash((0, 3))
    with pytest.raises(ValueError, match=r"got 0.5"):
        g.is_strong_nash((0, 0.5))


# ----------------------------------------------------------------- regret, equilibrium
@settings(max_examples=120, deadline=None)
@given(games_with_mixed_profile(min_players=1, max_players=3, max_actions=3))
@example((NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]),
          [np.array([0.5, 0.5]), np.array([0.5, 0.5])]))
@example((NormalFormGame(np.arange(8.0).reshape(2, 2, 2)), [np.array([1.0, 0.0])] * 2))
def test_property_regret_equals_brute_force(gp):
    g, sigma = gp
    r = g.regret(sigma)
    assert np.all(r >= 0)
    np.testing.assert_allclose(r, brute_regret(g, sigma), atol=1e-12)
    scale = max(1.0, float(np.ptp(g.payoffs)))
    assert g.is_equilibrium(sigma) == bool(np.all(r <= 1e-9 * scale))
    # no player gains from any pure deviation more than its regret
    ev = g.expected_payoffs(sigma)
    for i in range(g.n_players):
        for a in range(g.shape[i]):
            dev = list(sigma)
            dev[i] = np.eye(g.shape[i])[a]
            assert g.expected_payoffs(dev)[i] - ev[i] <= r[i] + 1e-12
    # best responses achieve the regret
    for i in range(g.n_players):
        for a in g.best_responses(i, sigma):
            dev = list(sigma)
            dev[i] = a
            assert g.expected_payoffs(dev)[i] - ev[i] == pytest.approx(r[i], abs=1e-12)


@settings(max_examples=120, deadline=None)
@given(games(max_players=4, max_actions=3))
@example(NormalFormGame(np.zeros((2, 1, 1))))
def test_property_every_reported_pure_equilibrium_has_zero_regret(g):
    eqs = set(g.pure_equilibria())
    for s in profiles(g.shape):
        r = g.regret(s)
        assert (r.max() == 0) == (s in eqs)
        # the same profile given as probability vectors
        vecs = [np.eye(a)[s[i]] for i, a in enumerate(g.shape)]
        np.testing.assert_allclose(g.regret(vecs), r, atol=1e-12)
        assert g.is_equilibrium(s) == (s in eqs)


@settings(max_examples=80, deadline=None)
@given(bimatrices(max_m=5, max_n=5))
@example((np.array([[1, 0], [0, 1]]), np.array([[1, 1], [0, 2]])))  # a degenerate component
@example((np.zeros((3, 2), dtype=np.int64), np.zeros((3, 2), dtype=np.int64)))
def test_property_every_reported_mixed_equilibrium_has_zero_regret(ab):
    g = NormalFormGame.from_bimatrix(*ab)
    eqs = g.equilibria()
    assert eqs
    for p, q in eqs:
        assert g.regret([p, q]).max() <= 1e-9
        assert g.is_equilibrium([p, q])
    res = g.solve()
    assert max(res.regrets) <= 1e-9


def test_regret_hand_values_and_profile_forms():
    pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert pd.regret((0, 0)).tolist() == [2.0, 2.0]
    # mixed profile: against q = (1/2, 1/2), C earns 1.5 and D 3, so p = (1/2, 1/2) regrets
    # 3 - 2.25 = 0.75; the column player's case is symmetric
    assert pd.regret([[0.5, 0.5], [0.5, 0.5]]).tolist() == [0.75, 0.75]
    assert pd.regret([1, [0.5, 0.5]]).tolist() == [0.0, 0.5]  # index mixed with a vector
    # against D the row player earns 0 (C) or 1 (D); the column player's D earns 5 or 1
    assert pd.expected_payoffs([[0.5, 0.5], 1]).tolist() == [0.5, 3.0]
    assert pd.best_responses(1, [[0.5, 0.5], 0]) == (1,)
    tie = NormalFormGame.from_bimatrix([[1, 1], [0, 0]], [[2, 2], [0, 0]])
    assert tie.best_responses(1, (0, 0)) == (0, 1)


@pytest.mark.parametrize(
    ("profile", "match"),
    [
        ([[0.5, 0.5]], r"one strategy per player \(2\), got 1"),
        ([[0.5, 0.5], [0.2, 0.2, 0.6]], r"player 1 \(P2\): expected 2 probabilities"),
        ([[0.7, 0.7], [1, 0]], r"player 0 \(P1\): probabilities sum to 1.4"),
        ([[1.5, -0.5], [1, 0]], "negative probability -0.5"),
        ([[np.nan, 1], [1, 0]], "must be finite"),
        ([["a", "b"], [1, 0]], "not a probability vector"),
        ([[1, 0], 5], r"action index 5 not in \[0, 2\)"),
        (3, "must be a sequence"),
    ],
)
def test_bad_mixed_profiles(profile, match):
    pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    with pytest.raises(ValueError, match=match):
        pd.regret(profile)


def test_bad_tolerances_and_players():
    pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="tol must be a finite number >= 0"):
            pd.pure_equilibria(tol=bad)
        with pytest.raises(ValueError, match="tol must be a finite number >= 0"):
            pd.is_equilibrium((0, 0), tol=bad)
    with pytest.raises(ValueError, match=r"player must be an index in \[0, 2\), got 2"):
        pd.best_responses(2, (0, 0))


# ---------------------------------------------------------------- constructors, labels
def test_from_function_from_bimatrix_and_array_agree():
    A, B = np.array([[3, 0], [5, 1]]), np.array([[3, 5], [0, 1]])
    g1 = NormalFormGame(np.stack([A, B]))
    g2 = NormalFormGame.from_bimatrix(A, B)
    g3 = NormalFormGame.from_function(lambda s: (A[s], B[s]), [2, 2])
    assert g1 == g2 == g3 and hash(g1) == hash(g3)
    assert g1 != NormalFormGame.from_bimatrix(A, B, players=["Row", "Col"])
    assert g1 != NormalFormGame.from_bimatrix(A, B + 1)
    assert (g1 == "not a game") is False


def test_from_function_passes_profiles_in_order():
    seen = []

    def f(s):
        seen.append(s)
        return [s[0] * 10 + s[1] + 100 * s[2], 0.0, -1.0]

    g = NormalFormGame.from_function(f, [2, 3, 2])
    assert sorted(seen) == list(profiles((2, 3, 2))) and len(seen) == 12
    assert g.payoffs[0, 1, 2, 1] == 112.0 and g.payoffs[2, 1, 2, 1] == -1.0


def test_nashpy_round_trip():
    rng = np.random.default_rng(3)
    A, B = rng.integers(-5, 5, (3, 4)), rng.integers(-5, 5, (3, 4))
    ng = nashpy.Game(A, B)
    g = NormalFormGame.from_nashpy(ng, players=["Row", "Col"])
    np.testing.assert_array_equal(g.payoffs[0], A)
    np.testing.assert_array_equal(g.payoffs[1], B)
    back = g.to_nashpy()
    np.testing.assert_array_equal(back.payoff_matrices[0], A)
    np.testing.assert_array_equal(back.payoff_matrices[1], B)
    assert NormalFormGame.from_nashpy(back, players=["Row", "Col"]) == g
    # a zero-sum nashpy game (one matrix)
    z = NormalFormGame.from_nashpy(nashpy.Game(A))
    np.testing.assert_array_equal(z.payoffs[1], -A)
    with pytest.raises(ValueError, match="expected a nashpy.Game"):
        NormalFormGame.from_nashpy(object())
    with pytest.raises(ValueError, match="to_nashpy needs a 2-player game, this one has 3"):
        NormalFormGame(np.zeros((3, 2, 2, 2))).to_nashpy()


def test_labels_default_and_custom():
    g = NormalFormGame(np.zeros((2, 2, 3)))
    assert g.players == ("P1", "P2") and g.actions == (("1", "2"), ("1", "2", "3"))
    g = NormalFormGame(np.zeros((2, 2, 3)), players=["GNA", "LNA"],
                       actions=[["talk", "fight"], ["a", "b", "c"]])
    assert repr(g) == ("NormalFormGame(players=('GNA', 'LNA'), actions=(('talk', 'fight'), "
                       "('a', 'b', 'c')), shape=(2, 3))")
    sub = g.restrict([[1], [2, 0]])
    assert sub.actions == (("fight",), ("c", "a")) and sub.shape == (1, 2)


def test_game_is_immutable():
    g = NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    with pytest.raises(ValueError, match="read-only"):
        g.payoffs[0, 0, 0] = 1.0
    with pytest.raises(AttributeError, match="immutable"):
        g._payoffs = None  # noqa: SLF001
    with pytest.raises(AttributeError, match="immutable"):
        del g._players  # noqa: SLF001
    src = np.zeros((2, 2, 2))
    g = NormalFormGame(src)
    src[0, 0, 0] = 5.0  # the game keeps its own copy
    assert g.payoffs[0, 0, 0] == 0.0


@pytest.mark.parametrize(
    ("payoffs", "kwargs", "match"),
    [
        ([[[1, np.nan], [0, 0]], [[0, 0], [0, 0]]], {},
         r"payoffs contain NaN at index \(0, 0, 1\) \(player 0, profile \(0, 1\)\); 1 non-finite"),
        ([[[1, np.inf], [0, -np.inf]], [[0, 0], [0, 0]]], {}, r"an infinite value .* 2 non-finite"),
        ([1, 2, 3], {}, r"shape \(n_players, a_1, ..., a_n\), got shape \(3,\)"),
        (np.zeros((3, 2, 2)), {}, r"list 3 players, so they need 4 dimensions .* not 3"),
        (np.zeros((2, 2, 0)), {}, "at least one action"),
        ([["a", "b"]], {}, "payoffs must be a numeric array"),
        ([[[1, 2], [3]]], {}, "payoffs must be a numeric array"),
        (np.zeros((2, 2, 2)), {"players": "AB"}, "not the string 'AB'"),
        (np.zeros((2, 2, 2)), {"players": ["A"]}, r"players: expected 2 labels, got 1"),
        (np.zeros((2, 2, 2)), {"players": ["A", "A"]}, r"labels must be unique, repeated: \['A'\]"),
        (np.zeros((2, 2, 2)), {"players": ["A", 2]}, "labels must be strings, got 2"),
        (np.zeros((2, 2, 2)), {"actions": [["x", "y"]]}, "one label sequence for each of 2"),
        (np.zeros((2, 2, 2)), {"actions": [["x", "y"], ["z"]]},
         r"actions of player 1 \(P2\): expected 2 labels, got 1"),
        (np.zeros((2, 2, 2)), {"actions": [["x", "x"], ["y", "z"]]}, "repeated: \\['x'\\]"),
    ],
)
def test_constructor_validation(payoffs, kwargs, match):
    with pytest.raises(ValueError, match=match):
        NormalFormGame(payoffs, **kwargs)


def test_alternative_constructor_validation():
    with pytest.raises(ValueError, match=r"f\(0, 0\) returned 3 payoffs, expected 2"):
        NormalFormGame.from_function(lambda s: [0, 0, 0], [2, 2])
    with pytest.raises(ValueError, match="at least one action per player"):
        NormalFormGame.from_function(lambda s: [0], [])
    with pytest.raises(ValueError, match="at least one action per player"):
        NormalFormGame.from_function(lambda s: [0, 0], [2, 0])
    with pytest.raises(ValueError, match=r"same shape, got \(2, 2\) and \(2, 3\)"):
        NormalFormGame.from_bimatrix(np.zeros((2, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="matrices of the same shape"):
        NormalFormGame.from_bimatrix(np.zeros(2), np.zeros(2))
    g = NormalFormGame(np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match=r"one list per player \(2\)"):
        g.restrict([[0]])
    with pytest.raises(ValueError, match=r"player 1 \(P2\) must be distinct indices in \[0, 3\)"):
        g.restrict([[0], [0, 0]])
    with pytest.raises(ValueError, match="at least one"):
        g.restrict([[0], []])


# ----------------------------------------------- 2-player equilibria vs enummixed, nashpy
def test_equilibria_match_pygambit_enummixed_on_nondegenerate_games():
    # payoffs drawn from 10**6 values with no repeats: nondegenerate with probability ~1;
    # pygambit solves in exact rational arithmetic
    rng = np.random.default_rng(2026)
    sizes = [(m, n) for m in range(1, 6) for n in range(1, 6)]
    count = 0
    while count < 200:
        m, n = sizes[count % len(sizes)]
        A, B = rng.integers(0, 10**6, (m, n)), rng.integers(0, 10**6, (m, n))
        if len(np.unique(A)) < A.size or len(np.unique(B)) < B.size:
            continue
        g = NormalFormGame.from_bimatrix(A, B)
        eqs = g.equilibria()
        assert as_set(eqs) == gambit_mixed(A, B), (A.tolist(), B.tolist())
        assert len(eqs) % 2 == 1  # nondegenerate: an odd number (Lemke-Howson theorem)
        keys = [tuple(np.concatenate(e)) for e in eqs]
        assert keys == sorted(keys, reverse=True)  # the documented order
        count += 1


def test_each_nashpy_method_on_nondegenerate_games():
    rng = np.random.default_rng(8)
    for m, n in [(2, 2), (2, 3), (3, 3), (3, 4), (4, 4)] * 3:
        A, B = rng.random((m, n)), rng.random((m, n))
        g = NormalFormGame.from_bimatrix(A, B)
        ours = as_set(g.equilibria(), 6)
        assert as_set(g.equilibria("support"), 6) == ours
        assert as_set(g.equilibria("support", non_degenerate=True), 6) == ours
        assert as_set(g.equilibria("vertex"), 6) == ours
        lh = as_set(g.equilibria("lemke_howson"), 6)
        assert lh and lh <= ours  # Lemke-Howson finds some, not necessarily all


def test_degenerate_games_enumeration_gives_gambits_extreme_equilibria():
    # few payoff values: many ties and degenerate polytopes. negsim returns the extreme
    # equilibria (vertices of the equilibrium components), the set enummixed reports
    rng = np.random.default_rng(31)
    degenerate = 0
    for k in range(60):
        m, n = [(2, 2), (2, 3), (3, 3), (3, 4), (4, 4)][k % 5]
        A, B = rng.integers(0, 2, (m, n)), rng.integers(0, 3, (m, n))
        g = NormalFormGame.from_bimatrix(A, B)
        eqs = g.equilibria()
        assert as_set(eqs) == gambit_mixed(A, B), (A.tolist(), B.tolist())
        degenerate += len(eqs) % 2 == 0
        # support enumeration (nashpy, non_degenerate=False) returns only equilibria
        for p, q in g.equilibria("support"):
            assert g.is_equilibrium([p, q])
    assert degenerate >= 10


@settings(max_examples=120, deadline=None)
@given(bimatrices(max_m=4, max_n=4, low=0, high=2))
@example((np.array([[1, 0], [0, 1]]), np.array([[1, 1], [0, 2]])))
@example((np.zeros((2, 3), dtype=np.int64), np.array([[0, 0, 0], [1, 1, 1]])))
def test_property_extreme_equilibria_equal_enummixed_on_degenerate_games(ab):
    A, B = ab
    assert as_set(NormalFormGame.from_bimatrix(A, B).equilibria()) == gambit_mixed(A, B)


def test_degenerate_game_support_enumeration_with_non_degenerate_true_misses_one():
    # the column player is indifferent when row 0 is played: the component {row 0} x
    # {q : q_0 >= 1/2} has extreme points q = (1, 0) and (1/2, 1/2). nashpy's support
    # enumeration with non_degenerate=True only tries equal-size supports and misses the
    # second; negsim's enumeration and pygambit report both
    g = NormalFormGame.from_bimatrix([[1, 0], [0, 1]], [[1, 1], [0, 2]])
    full = {(1.0, 0.0, 1.0, 0.0), (1.0, 0.0, 0.5, 0.5), (0.0, 1.0, 0.0, 1.0)}
    assert as_set(g.equilibria()) == full == gambit_mixed(*g.payoffs)
    assert as_set(g.equilibria("support", non_degenerate=True)) == full - {
        (1.0, 0.0, 0.5, 0.5)}


def test_nashpy_vertex_enumeration_failure_on_a_degenerate_game_is_a_clear_error():
    g = NormalFormGame.from_bimatrix(np.zeros((2, 3)), [[0, 0, 0], [1, 1, 1]])
    assert as_set(g.equilibria()) == gambit_mixed(*g.payoffs)
    with pytest.raises(ValueError, match="nashpy's vertex failed on this game .* "
                                         "use method='enumeration'"):
        g.equilibria("vertex")


@pytest.mark.parametrize(
    ("A", "B"),
    [([[0]], [[0]]), ([[1], [0], [1]], [[0], [1], [0]]), ([[0, 1]], [[1, 1]])],
)
def test_nashpy_lemke_howson_cycling_is_cut_off(A, B):
    # nashpy's Lemke-Howson loops for ever on these degenerate games (a player with a
    # single action); negsim runs nashpy's pivots with a limit and says so
    g = NormalFormGame.from_bimatrix(A, B)
    with pytest.warns(RuntimeWarning, match=r"did not finish within 50 pivots, or failed"):
        eqs = g.equilibria("lemke_howson", max_pivots=50)
    assert all(g.is_equilibrium(list(e)) for e in eqs)
    assert as_set(eqs) <= as_set(g.equilibria())
    with pytest.raises(ValueError, match="max_pivots must be a positive integer"):
        g.equilibria("lemke_howson", max_pivots=0)


def test_nashpy_vertex_enumeration_on_a_single_column_is_a_clear_error():
    g = NormalFormGame.from_bimatrix([[1], [0]], [[0], [1]])
    with pytest.raises(ValueError, match=r"nashpy's vertex failed on this game \(QhullError"):
        g.equilibria("vertex")
    assert as_set(g.equilibria()) == {(1.0, 0.0, 1.0)}


def test_lemke_howson_equals_nashpys_own_enumeration_on_nondegenerate_games():
    rng = np.random.default_rng(12)
    for m, n in [(2, 2), (3, 3), (3, 5), (4, 4)]:
        A, B = rng.random((m, n)), rng.random((m, n))
        g = NormalFormGame.from_bimatrix(A, B)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            ours = g.equilibria("lemke_howson")
            theirs = list(nashpy.Game(A, B).lemke_howson_enumeration())
        good = [e for e in theirs if g.is_equilibrium([np.asarray(x) for x in e])]
        assert as_set(ours, 6) == as_set(good, 6)


def test_non_equilibria_from_nashpy_are_dropped_with_a_warning(monkeypatch):
    # as documented: nashpy output that is not an equilibrium within tol (or is NaN) is
    # dropped with a RuntimeWarning, duplicates removed
    pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    fake = [
        (np.array([0.0, 1.0]), np.array([0.0, 1.0])),
        (np.array([0.0, 1.0]), np.array([1e-12, 1.0 - 1e-12])),  # a duplicate
        (np.array([1.0, 0.0]), np.array([1.0, 0.0])),  # not an equilibrium
        (np.array([np.nan, np.nan]), np.array([np.nan, np.nan])),
        (np.array([0.5, 0.6]), np.array([0.0, 1.0])),  # not a probability vector
    ]
    monkeypatch.setattr(nashpy.Game, "support_enumeration", lambda self, **kw: iter(fake))
    with pytest.warns(RuntimeWarning, match=r"returned 3 profile\(s\) that are not equilibria"):
        eqs = pd.equilibria("support")
    assert as_set(eqs) == {(0.0, 1.0, 0.0, 1.0)} and len(eqs) == 1


def test_equilibria_needs_two_players_and_a_known_method():
    g3 = NormalFormGame(np.zeros((3, 2, 2, 2)))
    with pytest.raises(ValueError, match="equilibria\\(\\) needs a 2-player game, this one has 3"):
        g3.equilibria()
    with pytest.raises(ValueError, match="needs a 2-player game"):
        g3.solve("vertex")
    pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    with pytest.raises(ValueError, match="unknown method 'lrs' for equilibria"):
        pd.equilibria("lrs")
    with pytest.raises(ValueError, match="unknown method 'lrs'; choose one of"):
        pd.solve("lrs")


# ------------------------------------------------------------------------------ solve()
def test_solve_records_method_parameters_and_versions():
    bos = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    res = bos.solve()
    assert isinstance(res, NashResult) and res.game is bos and res.method == "enumeration"
    assert len(res) == 3 and res.parameters["tol"] == 1e-9
    assert "negsim" in res.versions and "numpy" in res.versions
    assert "nashpy" not in res.versions
    assert all(r <= 1e-12 for r in res.regrets)
    with pytest.raises(ValueError, match="read-only"):
        res.equilibria[0][0][0] = 0.5
    with pytest.raises(TypeError):
        res.parameters["tol"] = 1.0  # type: ignore[index]
    sup = bos.solve("support")
    assert sup.parameters["non_degenerate"] is False and "nashpy" in sup.versions
    assert as_set(sup.equilibria) == as_set(res.equilibria)


def test_solve_pure_and_logit_on_a_3_player_game():
    g = NormalFormGame(HORSE)
    pure = g.solve("pure")
    assert [tuple(int(np.argmax(v)) for v in e) for e in pure.equilibria] == g.pure_equilibria()
    assert pure.regrets == (0.0, 0.0) and pure.parameters["strict"] is False
    assert len(g.solve("pure", strict=True)) == 0
    logit = g.solve("logit")
    assert len(logit) == 1 and logit.regrets[0] <= 1e-6
    assert logit.parameters["converged"] is True
