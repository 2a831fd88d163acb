"""NormalFormGame: the textbook games of games_cases.py (pure, strict, strong Nash,
Pareto, dominance, all equilibria), literature games against Gambit's catalog, all
equilibria of 2-player games against pygambit's enummixed, and solve()."""

from __future__ import annotations

import numpy as np
import pytest
from gambit_api import catalog_load, payoff_tensor
from games_cases import CASES, HORSE, NAU5, GameCase
from games_references import (
    as_set,
    brute_deviations,
    eq_vectors,
    gambit_mixed,
    gambit_pure,
    profiles,
)
from hypothesis import example, given, settings
from strategies import bimatrices

from negsim.games import NashResult, NormalFormGame


# ----------------------------------------------------------------- textbook games (table)
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
        ref = catalog_load(slug)
    except Exception as exc:  # pragma: no cover - catalog not shipped
        pytest.skip(f"pygambit catalog entry {slug} unavailable: {exc}")
    np.testing.assert_array_equal(payoff_tensor(ref), payoffs)


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


# ------------------------------------------------------- 2-player equilibria vs enummixed
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


# -------------------------------------------------------------------------------- solve()
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
