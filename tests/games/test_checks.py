"""The input checks shared by the games front (negsim.games.checks): one pure-profile check
behind NormalFormGame's methods and compliance_report, each caller with its own wording."""

from __future__ import annotations

import numpy as np
import pytest

from negsim.games import NormalFormGame, compliance_report
from negsim.games.checks import (
    check_mixed_profile,
    check_pure_profile,
    check_tol,
    is_index,
    is_pure_profile,
)

G = NormalFormGame(np.zeros((2, 2, 3)))


@pytest.mark.parametrize("wording", ["index", "actions"])
def test_pure_profile_accepts_indices_of_any_integer_type(wording):
    prof = check_pure_profile([np.int64(1), 2], (2, 3), ("P1", "P2"), wording=wording)
    assert prof == (1, 2) and all(type(a) is int for a in prof)


@pytest.mark.parametrize(
    ("profile", "index_msg", "actions_msg"),
    [
        ((0,), r"profile must give one action per player \(2\), got 1",
         "profile: expected one action index for each of 2 players, got 1"),
        ((0, 3), r"profile: action of player 1 \(P2\) must be an index in \[0, 3\), got 3",
         r"profile: player 1 \(P2\) has actions 0..2, got 3"),
        ((True, 0), r"action of player 0 \(P1\) must be an index in \[0, 2\), got True",
         r"player 0 \(P1\) has actions 0..1, got True"),
        ((0.0, 0), "got 0.0", "got 0.0"),
        ((-1, 0), r"must be an index in \[0, 2\), got -1", "has actions 0..1, got -1"),
    ],
)
def test_one_check_two_wordings(profile, index_msg, actions_msg):
    with pytest.raises(ValueError, match=index_msg):
        check_pure_profile(profile, G.shape, G.players)
    with pytest.raises(ValueError, match=actions_msg):
        check_pure_profile(profile, G.shape, G.players, wording="actions")
    # the callers: NormalFormGame's methods and the repeated-game report
    with pytest.raises(ValueError, match=index_msg):
        G.is_pure_equilibrium(profile)
    with pytest.raises(ValueError, match=actions_msg):
        compliance_report(G, profile)


def test_unknown_wording_and_what():
    with pytest.raises(ValueError, match="wording must be one of"):
        check_pure_profile((0, 0), (2, 2), ("A", "B"), wording="terse")
    with pytest.raises(ValueError, match=r"^deal: action of player 1"):
        check_pure_profile((0, 5), (2, 2), ("A", "B"), what="deal")


def test_small_checks():
    assert is_index(np.int32(0)) and not is_index(False) and not is_index(1.0)
    assert is_pure_profile([0, np.int64(1)]) and not is_pure_profile([0, [1.0, 0.0]])
    assert check_tol(1) == 1.0 and isinstance(check_tol(1), float)
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="tol must be a finite number >= 0"):
            check_tol(bad)
    (v,) = check_mixed_profile([1], (3,), ("P1",))
    assert v.tolist() == [0.0, 1.0, 0.0]
