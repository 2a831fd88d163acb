"""Two-player equilibrium enumeration: textbook games, pygambit and nashpy cross-checks,
degenerate games, invariances and input validation."""

from __future__ import annotations

import warnings

import nashpy
import numpy as np
import pygambit as gbt
import pytest
from gambit_api import from_arrays, profile_vectors
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from negsim.games import enumerate_equilibria, support_enumeration


# ------------------------------------------------------------------------------ helpers
def regret(A: np.ndarray, B: np.ndarray, p: np.ndarray, q: np.ndarray) -> float:
    """Largest gain from a unilateral deviation, relative to the player's payoff range."""
    A, B = np.asarray(A, float), np.asarray(B, float)
    ra = (np.max(A @ q) - p @ A @ q) / max(np.ptp(A), 1.0)
    rb = (np.max(p @ B) - p @ B @ q) / max(np.ptp(B), 1.0)
    return max(ra, rb)


def as_set(eqs, decimals: int = 7) -> set[tuple[float, ...]]:
    return {tuple(np.round(np.concatenate([p, q]), decimals) + 0.0) for p, q in eqs}


def gambit_mixed(A: np.ndarray, B: np.ndarray, rational: bool = True):
    """pygambit's enummixed, payoffs passed as Python ints for exact rational arithmetic."""
    g = from_arrays(np.asarray(A).astype(object), np.asarray(B).astype(object))
    res = gbt.nash.enummixed_solve(g, rational=rational)
    return [tuple(profile_vectors(g, e)) for e in res.equilibria]


def assert_valid(A, B, eqs, tol: float = 1e-9) -> None:
    m, n = np.shape(A)
    for p, q in eqs:
        assert p.shape == (m,) and q.shape == (n,)
        assert np.all(p >= 0) and np.all(q >= 0)
        assert p.sum() == pytest.approx(1.0) and q.sum() == pytest.approx(1.0)
        assert regret(A, B, p, q) <= tol


# ----------------------------------------------------------------------- textbook games
BATTLE_A = np.array([[3, 0], [0, 2]])
BATTLE_B = np.array([[2, 0], [0, 3]])


def test_battle_of_the_sexes_three_equilibria_in_order():
    eqs = enumerate_equilibria(BATTLE_A, BATTLE_B)
    assert len(eqs) == 3
    (p1, q1), (p2, q2), (p3, q3) = eqs
    np.testing.assert_allclose(p1, [1, 0]), np.testing.assert_allclose(q1, [1, 0])
    np.testing.assert_allclose(p2, [3 / 5, 2 / 5]), np.testing.assert_allclose(q2, [2 / 5, 3 / 5])
    np.testing.assert_allclose(p3, [0, 1]), np.testing.assert_allclose(q3, [0, 1])


def test_matching_pennies_unique_mixed():
    A = np.array([[1, -1], [-1, 1]])
    (eq,) = enumerate_equilibria(A, -A)
    np.testing.assert_allclose(eq[0], [0.5, 0.5])
    np.testing.assert_allclose(eq[1], [0.5, 0.5])


def test_prisoners_dilemma_defect_defect():
    A = np.array([[3, 0], [5, 1]])
    (eq,) = enumerate_equilibria(A, A.T)
    np.testing.assert_array_equal(eq[0], [0, 1])
    np.testing.assert_array_equal(eq[1], [0, 1])


@pytest.mark.parametrize(
    ("A", "mixed_p"),
    [
        (np.array([[0, -1], [1, -10]]), [0.9, 0.1]),  # chicken: swerve with prob 9/10
        (np.array([[4, 0], [3, 3]]), [0.75, 0.25]),  # stag hunt: stag with prob 3/4
    ],
)
def test_symmetric_2x2_games_with_three_equilibria(A, mixed_p):
    eqs = enumerate_equilibria(A, A.T)
    assert len(eqs) == 3
    mixed = [(p, q) for p, q in eqs if 0 < p[0] < 1]
    assert len(mixed) == 1
    np.testing.assert_allclose(mixed[0][0], mixed_p)
    np.testing.assert_allclose(mixed[0][1], mixed_p)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 6])
def test_identity_coordination_game_has_2_to_the_n_minus_1(n):
    # every non-empty support S: both play uniformly on S
    eqs = enumerate_equilibria(np.eye(n), np.eye(n))
    assert len(eqs) == 2**n - 1
    for p, q in eqs:
        np.testing.assert_allclose(p, q)
        support = p > 0
        np.testing.assert_allclose(p[support], 1 / support.sum())
    assert len(as_set(eqs)) == len(eqs)


def test_rock_paper_scissors():
    A = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    (eq,) = enumerate_equilibria(A, -A)
    np.testing.assert_allclose(eq[0], np.full(3, 1 / 3))
    np.testing.assert_allclose(eq[1], np.full(3, 1 / 3))


def test_strictly_dominant_strategy_gives_unique_pure_equilibrium():
    A = np.array([[5, 6, 7], [1, 2, 3], [0, 1, 2]])  # row 0 strictly dominant
    B = np.array([[1, 3, 2], [9, 0, 0], [0, 9, 0]])
    (eq,) = enumerate_equilibria(A, B)
    np.testing.assert_array_equal(eq[0], [1, 0, 0])
    np.testing.assert_array_equal(eq[1], [0, 1, 0])


def test_rectangular_and_trivial_shapes():
    (eq,) = enumerate_equilibria([[1.0]], [[2.0]])
    np.testing.assert_array_equal(eq[0], [1.0]) and np.testing.assert_array_equal(eq[1], [1.0])
    eqs = enumerate_equilibria([[1, 3, 2]], [[0, 5, 5]])  # column player indifferent 1 vs 2
    assert as_set(eqs) == {(1.0, 0.0, 1.0, 0.0), (1.0, 0.0, 0.0, 1.0)}
    rng = np.random.default_rng(3)
    A, B = rng.random((2, 7)), rng.random((2, 7))
    assert_valid(A, B, enumerate_equilibria(A, B))


# ------------------------------------------------------------ degenerate games (ties)
def test_constant_game_extreme_equilibria_are_all_pure_profiles():
    eqs = enumerate_equilibria(np.zeros((3, 4)), np.ones((3, 4)))
    assert len(eqs) == 12
    assert all(p.max() == 1 and q.max() == 1 for p, q in eqs)


def test_degenerate_component_reports_its_vertices():
    # the column player is indifferent when row 0 is played: the component
    # {row 0} x [any q with q0 >= 1/2] has extreme points q = (1, 0) and (1/2, 1/2)
    A = np.array([[1, 0], [0, 1]])
    B = np.array([[1, 1], [0, 2]])
    got = as_set(enumerate_equilibria(A, B))
    assert (1.0, 0.0, 1.0, 0.0) in got
    assert (1.0, 0.0, 0.5, 0.5) in got
    assert got == as_set(gambit_mixed(A, B))


def test_duplicate_strategies():
    A = np.array([[1, 2, 0], [1, 2, 0], [0, 1, 3]])
    B = np.array([[2, 1, 0], [2, 1, 0], [1, 0, 2]])
    eqs = enumerate_equilibria(A, B)
    assert_valid(A, B, eqs)
    assert as_set(eqs) == as_set(gambit_mixed(A, B))


# -------------------------------------------------------------- pygambit cross-checks
def _random_int_game(rng, m, n, high):
    return rng.integers(0, high, (m, n)), rng.integers(0, high, (m, n))


def test_matches_pygambit_on_random_nondegenerate_games():
    # payoffs from a range of 10**6: ties are absent (checked), so the games are
    # nondegenerate with probability ~1; pygambit runs in exact rational arithmetic
    rng = np.random.default_rng(20240601)
    sizes = [(m, n) for m in range(2, 6) for n in range(2, 6)]
    count = 0
    for _rep in range(13):
        for m, n in sizes:
            A, B = _random_int_game(rng, m, n, 10**6)
            assert len(np.unique(A)) == A.size and len(np.unique(B)) == B.size
            eqs = enumerate_equilibria(A, B)
            ref = gambit_mixed(A, B)
            assert as_set(eqs) == as_set(ref), (A.tolist(), B.tolist())
            assert len(eqs) % 2 == 1  # nondegenerate games have an odd number
            assert_valid(A, B, eqs)
            count += 1
    for m, n, reps in [(6, 6, 4), (8, 8, 2), (6, 4, 2)]:
        for _ in range(reps):
            A, B = _random_int_game(rng, m, n, 10**6)
            assert as_set(enumerate_equilibria(A, B)) == as_set(gambit_mixed(A, B))
            count += 1
    assert count >= 200


def test_matches_pygambit_float_on_random_real_games():
    rng = np.random.default_rng(7)
    for m, n in [(5, 5), (7, 6), (9, 9)]:
        A, B = rng.random((m, n)), rng.random((m, n))
        assert as_set(enumerate_equilibria(A, B), 6) == as_set(
            gambit_mixed(A, B, rational=False), 6
        )


@pytest.mark.parametrize("high", [2, 3, 5])
def test_matches_pygambit_extreme_equilibria_on_degenerate_games(high):
    # few payoff values: many ties, degenerate best-response polytopes
    rng = np.random.default_rng(100 + high)
    shapes = [(2, 2), (2, 3), (3, 3), (3, 4), (4, 4), (5, 3), (5, 5), (6, 6)]
    for m, n in shapes:
        for _ in range(4):
            A, B = _random_int_game(rng, m, n, high)
            eqs = enumerate_equilibria(A, B)
            assert as_set(eqs) == as_set(gambit_mixed(A, B)), (A.tolist(), B.tolist())
            assert_valid(A, B, eqs)


def test_many_labels_use_multiword_masks():
    # 2 x 70: 72 labels, more than one 64-bit word
    rng = np.random.default_rng(11)
    A, B = rng.integers(0, 3, (2, 70)), rng.integers(0, 3, (2, 70))
    eqs = enumerate_equilibria(A, B)
    assert_valid(A, B, eqs)
    assert as_set(eqs) == as_set(gambit_mixed(A, B))


# ---------------------------------------------------------------- nashpy cross-checks
def test_matches_nashpy_support_and_vertex_enumeration():
    rng = np.random.default_rng(42)
    for m, n in [(2, 2), (3, 3), (3, 4), (4, 4), (4, 3)]:
        for _ in range(3):
            A, B = rng.random((m, n)), rng.random((m, n))
            game = nashpy.Game(A, B)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ref_v = list(game.vertex_enumeration())
                ref_s = list(game.support_enumeration())
            ours = as_set(enumerate_equilibria(A, B), 6)
            assert ours == as_set(ref_v, 6) == as_set(ref_s, 6)


# ------------------------------------------------------------------ support enumeration
def test_support_enumeration_equals_vertex_enumeration_on_nondegenerate_games():
    rng = np.random.default_rng(9)
    for m, n in [(2, 2), (3, 3), (4, 5), (6, 6), (7, 7)]:
        for _ in range(3):
            A, B = rng.random((m, n)), rng.random((m, n))
            assert as_set(support_enumeration(A, B)) == as_set(enumerate_equilibria(A, B))


def test_support_enumeration_returns_only_equilibria_on_degenerate_games():
    rng = np.random.default_rng(10)
    for _ in range(20):
        A, B = _random_int_game(rng, 4, 4, 3)
        eqs = support_enumeration(A, B)
        assert_valid(A, B, eqs)
        assert len(as_set(eqs)) == len(eqs)


# ------------------------------------------------------------------- output contract
def test_sorted_deduplicated_and_deterministic():
    rng = np.random.default_rng(5)
    A, B = rng.integers(0, 3, (6, 6)), rng.integers(0, 3, (6, 6))
    eqs = enumerate_equilibria(A, B)
    keys = [tuple(np.concatenate([p, q])) for p, q in eqs]
    assert keys == sorted(keys, reverse=True)
    assert len(as_set(eqs)) == len(eqs)
    again = enumerate_equilibria(A.copy(), B.copy())
    assert all(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
               for a, b in zip(eqs, again, strict=True))


# -------------------------------------------------------------------------- properties
small_games = st.tuples(st.integers(1, 5), st.integers(1, 5)).flatmap(
    lambda s: st.tuples(
        arrays(np.int64, s, elements=st.integers(-4, 4)),
        arrays(np.int64, s, elements=st.integers(-4, 4)),
    )
)


@settings(max_examples=80, deadline=None)
@given(small_games)
def test_property_every_reported_profile_is_an_equilibrium(game):
    A, B = game
    eqs = enumerate_equilibria(A, B)
    assert eqs  # every finite game has an equilibrium
    assert_valid(A, B, eqs)


@settings(max_examples=60, deadline=None)
@given(small_games)
def test_property_transposing_swaps_the_equilibria(game):
    A, B = game
    eqs = as_set(enumerate_equilibria(A, B))
    n = A.shape[1]  # in the transposed game the row player has n strategies
    swapped = {k[n:] + k[:n] for k in as_set(enumerate_equilibria(B.T, A.T))}
    assert swapped == eqs


@settings(max_examples=60, deadline=None)
@given(small_games, st.integers(-50, 50), st.integers(1, 7))
def test_property_positive_affine_payoff_changes_leave_the_set_unchanged(game, shift, scale):
    A, B = game
    base = as_set(enumerate_equilibria(A, B))
    assert as_set(enumerate_equilibria(A + shift, B)) == base
    assert as_set(enumerate_equilibria(A, scale * B - shift)) == base


@settings(max_examples=40, deadline=None)
@given(small_games)
def test_property_permuting_strategies_permutes_the_equilibria(game):
    A, B = game
    m, n = A.shape
    rows, cols = np.arange(m)[::-1], np.roll(np.arange(n), 1)
    base = as_set(enumerate_equilibria(A, B))
    perm = enumerate_equilibria(A[rows][:, cols], B[rows][:, cols])
    back = {tuple(np.concatenate([p[np.argsort(rows)], q[np.argsort(cols)]]))
            for p, q in perm}
    assert as_set([(np.array(k[:m]), np.array(k[m:])) for k in back]) == base


# ------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    ("A", "B", "match"),
    [
        (np.zeros((2, 2, 2)), np.zeros((2, 2, 2)), "must be 2-D"),
        (np.zeros(3), np.zeros(3), "must be 2-D"),
        (np.zeros((2, 3)), np.zeros((3, 2)), "same shape"),
        (np.zeros((0, 3)), np.zeros((0, 3)), "empty"),
        ([[1, np.nan]], [[0, 0]], r"non-finite entry nan at row 0, column 1"),
        ([[1, 2]], [[0, np.inf]], "payoff matrix B has a non-finite"),
        ([["a", "b"]], [[0, 0]], "not numeric"),
    ],
)
def test_bad_input_raises_value_error(A, B, match):
    with pytest.raises(ValueError, match=match):
        enumerate_equilibria(A, B)
    with pytest.raises(ValueError, match=match):
        support_enumeration(A, B)


@pytest.mark.parametrize("tol", [-1.0, float("nan"), 0.5, "x"])
def test_bad_tolerance(tol):
    with pytest.raises(ValueError, match="tol"):
        enumerate_equilibria(np.eye(2), np.eye(2), tol=tol)
