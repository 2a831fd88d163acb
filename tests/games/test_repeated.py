"""Repeated-game compliance: hand-checked critical discount factors, Nash against minmax
punishment, the fallback to minmax, mixed minmax against an exact reference, validation,
and agreement with the batched compliance_verdicts (negsim.protocol.compliance) on random
2-action games."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import bimatrices

from negsim.games import ComplianceReport, NormalFormGame, compliance_report, minmax_values
from negsim.protocol.compliance import CompliancePlayers, compliance_verdicts

PD = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
MP = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])

# A symmetric prisoner's dilemma with a third, punishing action P (rows/columns C, D, P):
# the only pure equilibrium is (D, D) = (1, 1), but playing P holds the opponent to 0:
# against P the opponent earns (0, 0, -4), so its pure minmax is 0 < 1.
PDP_A = np.array([[3, 0, 0], [5, 1, 0], [0, 0, -4]])
PDP = NormalFormGame.from_bimatrix(PDP_A, PDP_A.T)


# --------------------------------------------------------------------- hand-checked
def test_prisoners_dilemma_critical_discount_is_one_half():
    # comply 3, deviate 5 once, then (D, D) = 1 for ever: (5 - 3) / (5 - 1) = 1/2
    r = compliance_report(PD, (0, 0))
    assert isinstance(r, ComplianceReport)
    assert r.deal_payoffs.tolist() == [3.0, 3.0]
    assert r.deviation_payoffs.tolist() == [5.0, 5.0] and r.best_deviations == (1, 1)
    assert r.punishment_payoffs.tolist() == [1.0, 1.0] and r.punished_by == ("nash", "nash")
    assert r.critical_discount.tolist() == [0.5, 0.5]
    assert r.discount is None and r.margins is None and r.holds is None
    assert r.binding_player is None


@pytest.mark.parametrize(
    ("delta", "holds", "margin"),
    [
        # margin = -[(1 - d)(5 - 3) + d (1 - 3)] = 4 d - 2
        (0.5, True, 0.0), (0.6, True, 0.4), (0.4, False, -0.4), (0.0, False, -2.0),
        (0.99, True, 1.96),
    ],
)
def test_prisoners_dilemma_at_given_discount_factors(delta, holds, margin):
    r = compliance_report(PD, (0, 0), discount=delta)
    assert r.holds is holds
    np.testing.assert_allclose(r.margins, [margin, margin], atol=1e-12)
    assert r.sustainable.tolist() == [holds, holds]
    assert r.discount.tolist() == [delta, delta]


def test_per_player_discount_factors_and_binding_player():
    r = compliance_report(PD, (0, 0), discount=[0.7, 0.45])
    assert r.sustainable.tolist() == [True, False] and r.holds is False
    assert r.binding_player == 1
    np.testing.assert_allclose(r.margins, [0.8, -0.2])


def test_a_stage_equilibrium_deal_needs_no_patience():
    r = compliance_report(PD, (1, 1), discount=0.0)
    assert r.critical_discount.tolist() == [0.0, 0.0] and r.holds
    # the best deviation from (D, D) is C, which pays 0 < 1
    assert r.deviation_payoffs.tolist() == [0.0, 0.0]


def test_nash_versus_minmax_punishment():
    # deal (C, C): comply 3, deviate to D for 5. Nash reversion to (D, D) pays 1:
    # (5 - 3) / (5 - 1) = 1/2. The minmax threat (the other plays P) pays 0: 2 / 5.
    nash = compliance_report(PDP, (0, 0))
    mm = compliance_report(PDP, (0, 0), punishment="minmax")
    assert PDP.pure_equilibria() == [(1, 1)]
    assert nash.punishment_payoffs.tolist() == [1.0, 1.0]
    assert mm.punishment_payoffs.tolist() == [0.0, 0.0] and mm.punished_by == ("minmax",) * 2
    assert nash.critical_discount.tolist() == [0.5, 0.5]
    np.testing.assert_allclose(mm.critical_discount, [0.4, 0.4])
    # at delta = 0.45 only the harsher threat sustains the deal
    assert not compliance_report(PDP, (0, 0), 0.45).holds
    assert compliance_report(PDP, (0, 0), 0.45, punishment="minmax").holds
    # mixing cannot hold the deviator below 0 (rows C and D earn >= 0 against anything)
    mixed = compliance_report(PDP, (0, 0), punishment="minmax", minmax="mixed")
    np.testing.assert_allclose(mixed.punishment_payoffs, [0.0, 0.0], atol=1e-12)


def test_worst_equilibrium_for_each_deviator():
    # battle of the sexes: each player is punished by the equilibrium it likes least
    bos = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    r = compliance_report(bos, (0, 1))  # a miscoordinated "deal" paying (0, 0)
    assert r.punishment_payoffs.tolist() == [2.0, 2.0]
    # row: deviating to 1 pays 2 > 0 and the punishment also pays 2: cannot deter
    assert r.critical_discount.tolist() == [np.inf, np.inf]


def test_games_without_pure_equilibrium_fall_back_to_minmax():
    # matching pennies, deal (H, H) = (1, -1): the row player has no gain (0), the column
    # player gains 2 by switching; pure minmax 1 equals its deviation payoff, so no
    # pure threat deters it (inf); the mixed minmax 0 gives (1 + 1) / (1 - 0) = 2 >= 1
    r = compliance_report(MP, (0, 0))
    assert r.punished_by == ("minmax", "minmax")
    assert r.punishment_payoffs.tolist() == [1.0, 1.0]
    assert r.critical_discount.tolist() == [0.0, np.inf]
    m = compliance_report(MP, (0, 0), minmax="mixed")
    np.testing.assert_allclose(m.punishment_payoffs, [0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(m.critical_discount, [0.0, 2.0])
    assert m.punished_by == ("minmax", "minmax")
    assert not compliance_report(MP, (0, 0), 0.99, minmax="mixed").holds


def test_single_action_players_cannot_deviate():
    g = NormalFormGame(np.array([[[2.0, 5.0]], [[1.0, 0.0]]]))  # row has 1 action
    r = compliance_report(g, (0, 0), discount=0.0)
    assert r.best_deviations == (0, 1)
    assert r.deviation_payoffs.tolist() == [2.0, 0.0]
    assert r.critical_discount.tolist() == [0.0, 0.0] and r.holds


# ----------------------------------------------------------------------------- minmax
def test_minmax_values_hand_values():
    assert minmax_values(PD).tolist() == [1.0, 1.0]
    assert minmax_values(MP).tolist() == [1.0, 1.0]
    np.testing.assert_allclose(minmax_values(MP, mixed=True), [0.0, 0.0], atol=1e-12)
    rps = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    g = NormalFormGame.from_bimatrix(rps, -rps)
    assert minmax_values(g).tolist() == [1.0, 1.0]
    np.testing.assert_allclose(minmax_values(g, mixed=True), [0.0, 0.0], atol=1e-12)
    # 3 players: player 0's pure minmax is min over (s1, s2) of max over s0
    u = np.arange(24.0).reshape(3, 2, 2, 2)
    ref = [min(max(u[0, a, b, c] for a in range(2)) for b in range(2) for c in range(2)),
           min(max(u[1, a, b, c] for b in range(2)) for a in range(2) for c in range(2)),
           min(max(u[2, a, b, c] for c in range(2)) for a in range(2) for b in range(2))]
    assert minmax_values(NormalFormGame(u)).tolist() == ref
    assert minmax_values(NormalFormGame([[4.0, 7.0]])).tolist() == [7.0]  # one player


def exact_mixed_minmax(M: np.ndarray) -> float:
    """min over q of max_i (M q)_i for a punisher with 2 actions: the minimum of an upper
    envelope of lines in q lies at q = 0, q = 1 or where two lines cross."""
    a, b = M[:, 0].astype(float), M[:, 1].astype(float)  # row i's payoff: b + (a - b) q
    cands = [0.0, 1.0]
    for i, j in itertools.combinations(range(len(a)), 2):
        den = (a[i] - b[i]) - (a[j] - b[j])
        if den != 0:
            q = (b[j] - b[i]) / den
            if 0 <= q <= 1:
                cands.append(q)
    return min(float(np.max(b + (a - b) * q)) for q in cands)


@settings(max_examples=80, deadline=None)
@given(bimatrices(max_m=4, max_n=4, low=-5, high=5))
def test_property_mixed_minmax_equals_exact_value(ab):
    A, B = ab
    g = NormalFormGame.from_bimatrix(A, B)
    mixed, pure = minmax_values(g, mixed=True), minmax_values(g)
    assert np.all(mixed <= pure + 1e-9)  # mixing can only help the punisher
    if A.shape[1] == 2:  # row player punished by a 2-action column player
        assert mixed[0] == pytest.approx(exact_mixed_minmax(A), abs=1e-9)
    if A.shape[0] == 2:
        assert mixed[1] == pytest.approx(exact_mixed_minmax(B.T), abs=1e-9)
    # the zero-sum case: the value of the game (von Neumann), from the equilibria
    if np.array_equal(A, -B):
        p, q = g.equilibria()[0]
        assert mixed[0] == pytest.approx(float(p @ A @ q), abs=1e-9)


# ------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"profile": (0,)}, ValueError, "expected one action index for each of 2 players, got 1"),
        ({"profile": (0, 2)}, ValueError, r"player 1 \(P2\) has actions 0..1, got 2"),
        ({"profile": (True, 0)}, ValueError, "got True"),
        ({"profile": (0.0, 0)}, ValueError, "got 0.0"),
        ({"discount": 1.0}, ValueError, r"discount: player 0: must be in \[0, 1\), got 1.0"),
        ({"discount": [0.5, -0.1]}, ValueError, "player 1: must be in"),
        ({"discount": [0.5, np.nan]}, ValueError, "player 1: must be in"),
        ({"discount": [0.5, 0.5, 0.5]}, ValueError, r"a number or 2 numbers, got shape \(3,\)"),
        ({"punishment": "tit-for-tat"}, ValueError, "punishment must be one of"),
        ({"minmax": "correlated"}, ValueError, "minmax must be one of"),
        ({"tol": -1.0}, ValueError, "tol must be a finite number >= 0"),
        ({"tol": np.inf}, ValueError, "tol must be a finite number >= 0"),
    ],
)
def test_compliance_report_validation(kwargs, exc, match):
    args = {"profile": (0, 0), **kwargs}
    with pytest.raises(exc, match=match):
        compliance_report(PD, **args)


def test_validation_of_the_game_and_of_mixed_minmax():
    with pytest.raises(TypeError, match="game must be a NormalFormGame, got ndarray"):
        compliance_report(np.zeros((2, 2, 2)), (0, 0))
    with pytest.raises(TypeError, match="game must be a NormalFormGame"):
        minmax_values("PD")
    g3 = NormalFormGame(np.zeros((3, 2, 2, 2)))
    with pytest.raises(ValueError, match="mixed minmax values need a 2-player game, this one "
                                         "has 3"):
        minmax_values(g3, mixed=True)
    with pytest.raises(ValueError, match="2-player game"):
        compliance_report(g3, (0, 0, 0), minmax="mixed")


def test_report_arrays_are_read_only():
    r = compliance_report(PD, (0, 0), discount=0.6)
    for arr in (r.deal_payoffs, r.critical_discount, r.margins, r.sustainable, r.discount):
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 0


# ------------------------------ agreement with negsim.protocol.compliance.compliance_verdicts
def c_order_profiles(k: int) -> np.ndarray:
    return np.array(list(itertools.product((0, 1), repeat=k)), dtype=np.int64)


@pytest.mark.parametrize("k", [2, 3, 4])
def test_batched_analyse_agrees_with_compliance_report(k):
    # the vectorised engine's all-comply analysis against this module, game by game
    rng = np.random.default_rng(100 + k)
    runs = 210
    payoffs = np.empty((runs, k) + (2,) * k)
    for r in range(runs):
        kind = r % 3
        if kind == 0:  # small integers: ties, several or no pure equilibria
            payoffs[r] = rng.integers(0, 3, size=(k,) + (2,) * k)
        elif kind == 1:
            payoffs[r] = rng.integers(-5, 6, size=(k,) + (2,) * k)
        else:
            payoffs[r] = rng.normal(size=(k,) + (2,) * k)
    discount = rng.uniform(0.0, 0.999, size=(runs, k))
    discount[::7] = np.floor(10 * discount[::7]) / 10  # some exactly on critical values
    pl = CompliancePlayers(np.arange(k), np.ones(k, dtype=bool), c_order_profiles(k))
    a = compliance_verdicts(pl, payoffs, discount)
    no_ne = 0
    for r in range(runs):
        g = NormalFormGame(payoffs[r])
        rep = compliance_report(g, (0,) * k, discount[r])
        np.testing.assert_array_equal(a.comply[r], rep.deal_payoffs)
        np.testing.assert_array_equal(a.deviate[r], rep.deviation_payoffs)
        np.testing.assert_array_equal(a.punish[r], rep.punishment_payoffs)
        np.testing.assert_allclose(a.critical[r], rep.critical_discount, rtol=1e-12)
        assert (a.margin[r] >= -1e-9).tolist() == rep.sustainable.tolist()
        np.testing.assert_allclose(a.margin[r], rep.margins, atol=1e-12)
        assert bool(a.punished_by_minmax[r]) == (rep.punished_by[0] == "minmax")
        assert bool(a.is_nash[r]) == g.is_pure_equilibrium((0,) * k)
        assert bool(a.is_strong[r]) == g.is_strong_nash((0,) * k)
        no_ne += bool(a.punished_by_minmax[r])
    assert no_ne >= 5  # the fallback to minmax is exercised


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 4).flatmap(lambda k: st.tuples(
    st.just(k),
    st.lists(st.integers(-3, 3), min_size=k * 2**k, max_size=k * 2**k),
    st.lists(st.floats(0.0, 0.99), min_size=k, max_size=k))))
def test_property_analyse_agrees_with_compliance_report(data):
    k, flat, delta = data
    u = np.array(flat, dtype=float).reshape((1, k) + (2,) * k)
    pl = CompliancePlayers(np.arange(k), np.ones(k, dtype=bool), c_order_profiles(k))
    a = compliance_verdicts(pl, u, np.array([delta]))
    rep = compliance_report(NormalFormGame(u[0]), (0,) * k, delta)
    np.testing.assert_array_equal(a.punish[0], rep.punishment_payoffs)
    np.testing.assert_array_equal(a.critical[0], rep.critical_discount)
    assert (a.margin[0] >= -1e-9).tolist() == rep.sustainable.tolist()
