"""Textbook games with hand-checked answers, for table-driven tests (pygambit's
``tests/test_nash.py`` style: a case dataclass, a game factory, ``pytest.param(..., id=)``).

Conventions: action 0 is the first row / column / matrix. Every expected value below was
worked out by hand (the derivations are in the comments), not produced by negsim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction as F

import numpy as np
import pytest

from negsim.games import NormalFormGame


@dataclass(frozen=True)
class GameCase:
    """A game and what is known about it.

    Attributes
    ----------
    factory : callable
        Builds the game.
    pure : list of tuple
        All pure Nash equilibria, sorted.
    strict : list of tuple
        The strict ones.
    strong : list of tuple
        The pure equilibria that are strong Nash equilibria (Aumann 1959).
    pareto_dominated : list of tuple
        The pure equilibria Pareto-dominated by another pure equilibrium.
    kept : tuple of tuple of int
        Surviving actions after iterated elimination of strictly dominated (by pure
        strategies) strategies.
    equilibria : list of (p, q) or None
        For 2-player nondegenerate games: all Nash equilibria, exact fractions, in negsim's
        order (decreasing lexicographic order of ``(p, q)``).
    """

    factory: Callable[[], NormalFormGame]
    pure: list[tuple[int, ...]]
    strict: list[tuple[int, ...]]
    strong: list[tuple[int, ...]]
    pareto_dominated: list[tuple[int, ...]] = field(default_factory=list)
    kept: tuple[tuple[int, ...], ...] | None = None
    equilibria: list[tuple[list[F], list[F]]] | None = None


def bimatrix(A, B, **kw) -> Callable[[], NormalFormGame]:
    return lambda: NormalFormGame.from_bimatrix(A, B, **kw)


def symmetric(A, **kw) -> Callable[[], NormalFormGame]:
    A = np.asarray(A)
    return bimatrix(A, A.T, **kw)


# Prisoner's dilemma (C, D): D strictly dominates C (5 > 3, 1 > 0), so (D, D) is the only
# equilibrium, strict, and eliminating C leaves it; both players prefer (C, C) = (3, 3) to
# (1, 1), so it is not strong Nash.
PD = [[3, 0], [5, 1]]

# Battle of the sexes: (0, 0) pays (3, 2), (1, 1) pays (2, 3), miscoordination 0. Mixed:
# the column player is indifferent when 2 p = 3 (1 - p), p = 3/5; the row player when
# 3 q = 2 (1 - q), q = 2/5. Neither pure equilibrium is Pareto-dominated; both are strong
# Nash (a joint move to the other one hurts the player who preferred this one).
BOS_A, BOS_B = [[3, 0], [0, 2]], [[2, 0], [0, 3]]

# Matching pennies: no pure equilibrium; the unique equilibrium is uniform.
MP = [[1, -1], [-1, 1]]

# Chicken (swerve, straight): (0, -1 / 1, -10). Pure: one swerves, the other goes
# straight. Mixed: the opponent is indifferent when p - 1 = 11 p - 10, p = 9/10. The pure
# equilibria are strong: the only joint moves that help the swerver hurt the other.
CHICKEN = [[0, -1], [1, -10]]

# Stag hunt (stag, hare): (4, 4) and (3, 3) are equilibria; mixed at 4 q = 3, q = 3/4.
# (hare, hare) is Pareto-dominated by (stag, stag), hence not strong Nash.
STAG = [[4, 0], [3, 3]]

# Rock-paper-scissors: the unique equilibrium is uniform; no pure equilibrium.
RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]

# A 2x3 game solved by iterated elimination of strictly dominated strategies (Gibbons 1992,
# "A primer in game theory", Fig. 1.1.1; rows Up, Down; columns Left, Middle, Right):
# Right is strictly dominated by Middle for the column player (2 > 1, 1 > 0); then Down by
# Up (1 > 0, 1 > 0); then Left by Middle (2 > 0). Leaves (Up, Middle).
GIBBONS_A = [[1, 1, 0], [0, 0, 2]]
GIBBONS_B = [[0, 2, 1], [3, 1, 0]]

# Selten's horse (Selten 1975, "Reexamination of the perfectness concept for equilibrium
# points in extensive games", IJGT 4, Fig. 1; Gambit catalog journals/ijgt/selten1975/fig1),
# in normal form, actions 0 = R (continue), 1 = L for all three players:
#   u(R, R, *) = (1, 1, 1); u(R, L, R) = (4, 4, 0); u(R, L, L) = (0, 0, 1);
#   u(L, *, R) = (3, 2, 2); u(L, *, L) = (0, 0, 0).
# Pure equilibria by hand: (R, R, L) (P3 indifferent, P1 and P2 lose by leaving) and
# (L, R, R) (P2 indifferent). Both are weak; (R, R, L) = (1, 1, 1) is Pareto-dominated by
# (L, R, R) = (3, 2, 2); no strategy is strictly dominated (ties); neither is strong:
# from (R, R, L) the pair {P1, P3} moves to (L, R, R) and gains (2, 1); from (L, R, R)
# the pair {P1, P2} moves to (R, L, R) and gains (1, 2).
HORSE = np.zeros((3, 2, 2, 2))
HORSE[:, 0, 0, :] = [[1, 1], [1, 1], [1, 1]]
HORSE[:, 0, 1, 0] = [4, 4, 0]
HORSE[:, 0, 1, 1] = [0, 0, 1]
HORSE[:, 1, :, 0] = np.array([3, 2, 2])[:, None]
HORSE[:, 1, :, 1] = 0

# Nau, Gomez Canovas and Hansen (2004), "On the geometry of Nash equilibria and correlated
# equilibria", IJGT 32, section 5 (Gambit catalog journals/ijgt/nau2004/sec5): a 2x2x2 game
# with 3 pure equilibria (plus 2 partially mixed and a continuum of completely mixed ones).
#   u(T,L,1)=(0,0,2) u(B,L,1)=(3,0,0) u(T,R,1)=(0,3,0) u(B,R,1)=(0,0,0)
#   u(T,L,2)=(1,1,0) u(B,L,2)=(0,0,0) u(T,R,2)=(0,0,0) u(B,R,2)=(0,0,3)
# Pure equilibria by hand: (B,L,1), (T,R,1), (B,R,2), all weak (each has a player with a
# zero-gain alternative). (B,L,1) and (T,R,1) are strong (every joint move leaves a mover
# at 0 or worse); (B,R,2) is not: {P1, P2} move to (T,L,2) and both gain 1.
NAU5 = np.zeros((3, 2, 2, 2))
for (a, b, c), pay in {
    (0, 0, 0): (0, 0, 2), (1, 0, 0): (3, 0, 0), (0, 1, 0): (0, 3, 0),
    (0, 0, 1): (1, 1, 0), (1, 1, 1): (0, 0, 3),
}.items():
    NAU5[:, a, b, c] = pay

# 3-player public goods game: contributing (1) costs 1 and returns 0.5 to each of the 3
# players, so it is strictly dominated (0.5 < 1): (0, 0, 0) is the unique, strict
# equilibrium; all contributing gives everyone 0.5 > 0, so it is not strong.
PUBLIC = np.stack([
    np.fromfunction(lambda a, b, c, i=i: 0.5 * (a + b + c) - (a, b, c)[i], (2, 2, 2))
    for i in range(3)
])

h = F(1, 2)
CASES = [
    pytest.param(
        GameCase(symmetric(PD), pure=[(1, 1)], strict=[(1, 1)], strong=[],
                 kept=((1,), (1,)), equilibria=[([0, 1], [0, 1])]),
        id="prisoners-dilemma",
    ),
    pytest.param(
        GameCase(bimatrix(BOS_A, BOS_B), pure=[(0, 0), (1, 1)], strict=[(0, 0), (1, 1)],
                 strong=[(0, 0), (1, 1)], kept=((0, 1), (0, 1)),
                 equilibria=[([1, 0], [1, 0]), ([F(3, 5), F(2, 5)], [F(2, 5), F(3, 5)]),
                             ([0, 1], [0, 1])]),
        id="battle-of-the-sexes",
    ),
    pytest.param(
        GameCase(bimatrix(MP, -np.array(MP)), pure=[], strict=[], strong=[],
                 kept=((0, 1), (0, 1)), equilibria=[([h, h], [h, h])]),
        id="matching-pennies",
    ),
    pytest.param(
        GameCase(symmetric(CHICKEN), pure=[(0, 1), (1, 0)], strict=[(0, 1), (1, 0)],
                 strong=[(0, 1), (1, 0)], kept=((0, 1), (0, 1)),
                 equilibria=[([1, 0], [0, 1]), ([F(9, 10), F(1, 10)], [F(9, 10), F(1, 10)]),
                             ([0, 1], [1, 0])]),
        id="chicken",
    ),
    pytest.param(
        GameCase(symmetric(STAG), pure=[(0, 0), (1, 1)], strict=[(0, 0), (1, 1)],
                 strong=[(0, 0)], pareto_dominated=[(1, 1)], kept=((0, 1), (0, 1)),
                 equilibria=[([1, 0], [1, 0]), ([F(3, 4), F(1, 4)], [F(3, 4), F(1, 4)]),
                             ([0, 1], [0, 1])]),
        id="stag-hunt",
    ),
    pytest.param(
        GameCase(bimatrix(RPS, -np.array(RPS)), pure=[], strict=[], strong=[],
                 kept=((0, 1, 2), (0, 1, 2)), equilibria=[([F(1, 3)] * 3, [F(1, 3)] * 3)]),
        id="rock-paper-scissors",
    ),
    pytest.param(
        # from (U, M) = (1, 2): (D, L) gives the row player 0, (D, R) gives 2 but the
        # column player 0 < 2, (U, L) / (U, R) only move the column player, who loses.
        GameCase(bimatrix(GIBBONS_A, GIBBONS_B), pure=[(0, 1)], strict=[(0, 1)],
                 strong=[(0, 1)], kept=((0,), (1,)), equilibria=[([1, 0], [0, 1, 0])]),
        id="iterated-dominance-2x3",
    ),
    pytest.param(
        GameCase(lambda: NormalFormGame(HORSE), pure=[(0, 0, 1), (1, 0, 0)], strict=[],
                 strong=[], pareto_dominated=[(0, 0, 1)], kept=((0, 1), (0, 1), (0, 1))),
        id="seltens-horse",
    ),
    pytest.param(
        GameCase(lambda: NormalFormGame(NAU5), pure=[(0, 1, 0), (1, 0, 0), (1, 1, 1)],
                 strict=[], strong=[(0, 1, 0), (1, 0, 0)], kept=((0, 1), (0, 1), (0, 1))),
        id="nau2004-sec5",
    ),
    pytest.param(
        GameCase(lambda: NormalFormGame(PUBLIC), pure=[(0, 0, 0)], strict=[(0, 0, 0)],
                 strong=[], kept=((0,), (0,), (0,))),
        id="public-goods-3",
    ),
]
