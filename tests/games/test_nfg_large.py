"""Large .nfg games: the block reader agrees with the token-by-token reader, games of 64
or more players (FlatGame), and read_nfg's bounds on file kind and size."""

from __future__ import annotations

import io
import os
import re
import threading

import numpy as np
import pygambit as gbt
import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from strategies import games
from test_nfg_fuzz import mutated_texts

import negsim.games.nfg_format as nfg_format
from negsim.games import NfgError, NormalFormGame, parse_nfg, read_nfg
from negsim.games.flat_game import FlatGame
from negsim.games.nfg import MAX_FILE_BYTES


def slow_parse(text: str, **kwargs):
    """parse_nfg with the block readers turned off (every number read as a token)."""
    fast = nfg_format.fast_payoffs, nfg_format.fast_outcomes
    nfg_format.fast_payoffs = nfg_format.fast_outcomes = lambda *a: None
    try:
        return parse_nfg(text, **kwargs)
    finally:
        nfg_format.fast_payoffs, nfg_format.fast_outcomes = fast


def outcome(parse, text):
    try:
        g = parse(text, origin="g.nfg")
    except NfgError as err:
        return ("error", err.line, err.reason)
    # bit for bit: -0.0 and 0.0 differ here
    return ("game", g.players, g.actions, g.payoffs.tobytes())


# ---------------------------------------------------------------- block reader = token reader
number_like = (st.text(alphabet="0123456789.eE+-/,", min_size=0, max_size=6)
               | st.integers(-(10**20), 10**20).map(str)
               | st.floats(allow_nan=False, allow_infinity=False).map(repr)
               | st.sampled_from(["-0", "+0", "-0.0", "1/3", "-2/4", "1e-400", "1e309", "5.",
                                  "-.5", "1E5", "1e+5", "9" * 400, "9" * 401]))
separators = st.sampled_from([" ", "\n", ",", " , ", "\t", "\r\n", "  ", "\x0c", "\x1c", ""])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(number_like, separators), min_size=0, max_size=12),
       st.sampled_from([0, 0, 0, 1, -1]))
@example([("-0", " "), ("1", " "), ("+2", " "), ("-00", "")], 0)
@example([("1e5", " "), ("2/4", ","), ("-.5", " "), ("5.", "")], 0)
@example([("1-2", " "), ("3", " "), ("4", " "), ("5", "")], 0)
@example([("9" * 18, " "), ("-" + "9" * 17, " "), ("9" * 19, " "), ("1", "")], 0)
def test_property_block_reader_agrees_with_token_reader(tokens, extra):
    body = "".join(t + s for t, s in tokens)
    count = max(1, len(tokens) + 1 + extra)
    text = f'NFG 1 R "t" {{ "A" }} {{ {count} }}\n""\n0 {body}'  # the body starts with a number
    fast = outcome(parse_nfg, text)
    assert fast == outcome(slow_parse, text)
    event(fast[0])


@settings(max_examples=60, deadline=None)
@given(games(min_players=1, max_players=4, max_actions=3, low=-50, high=50), st.integers(1, 7),
       st.booleans())
def test_property_block_reader_on_written_games(g, divisor, outcomes):
    text = NormalFormGame(g.payoffs / divisor, g.players, g.actions).to_nfg(outcomes=outcomes)
    assert outcome(parse_nfg, text) == outcome(slow_parse, text)


@settings(max_examples=300, deadline=None)
@given(mutated_texts())
def test_property_block_readers_agree_on_mutated_files(text):
    assert outcome(parse_nfg, text) == outcome(slow_parse, text)


labels = st.text(alphabet='ab\\" {}\n', max_size=5).map(lambda t: '"' + t + '"')


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(labels, st.lists(st.sampled_from(["1", "-0", "2.5", "3/4"])
                                           | number_like, min_size=0, max_size=2),
                          st.sampled_from(["}", "}", "}", " }", "", "{"])), max_size=3),
       st.lists(st.sampled_from(["0", "1", "1", "+1", "01", "-1", "3", "1.5", "x", ","]),
                min_size=1, max_size=3),
       st.sampled_from([" }", "}", "}", "", " } }"]))
@example([('"a\\"', ["1"], "}")], ["1"], "}")  # a label ending in a backslash
@example([('"a\\" }"', ["1"], "}")], ["1", "1"], "}")
@example([('""', ["-0"], "}"), ('"b"', ["3/4"], "}")], ["2", "+1", "0"], "}")
def test_property_outcome_reader_agrees_with_token_reader(outcomes, indices, close):
    body = " ".join(f"{{ {lab} {' '.join(pay)} {end}" for lab, pay, end in outcomes)
    text = f'NFG 1 R "t" {{ "A" }} {{ {len(indices)} }}\n""\n{{ {body}{close} {" ".join(indices)}'
    fast = outcome(parse_nfg, text)
    assert fast == outcome(slow_parse, text)
    event(fast[0])


def test_block_reader_crosses_block_boundaries_and_keeps_lines_in_errors():
    n = 300_000  # about 2 MB of text: several blocks
    values = (np.arange(2 * n) % 2001 - 1000).astype(float)
    body = "\n".join(" ".join(str(int(v)) for v in values[k : k + 1000])
                     for k in range(0, 2 * n, 1000))
    text = f'NFG 1 R "t" {{ "A" "B" }} {{ {n} 1 }}\n""\n{body}\n'
    g = parse_nfg(text)
    np.testing.assert_array_equal(g.payoffs[0, :, 0], values[0::2])
    np.testing.assert_array_equal(g.payoffs[1, :, 0], values[1::2])
    bad = text[: len(text) // 2] + " x " + text[len(text) // 2 :]
    line = bad[: len(text) // 2].count("\n") + 1
    with pytest.raises(NfgError, match=rf"^<string>:{line}: expected payoff \d+ of 600000"):
        parse_nfg(bad)


# ------------------------------------------------------------------- 64 or more players
def many_players(n: int, two: int) -> str:
    """n players, the last ``two`` with two strategies, payoffs 0, 1, 2, ..."""
    counts = "1 " * (n - two) + "2 " * two
    k = 2**two * n
    names = " ".join(f'"P{i}"' for i in range(n))
    return (f'NFG 1 R "many" {{ {names} }} {{ {counts}}}\n""\n'
            + " ".join(str(v % 7) for v in range(k)))


def test_games_of_64_or_more_players_are_read_as_flat_games():
    for n in (63, 64, 70, 200):
        text = many_players(n, 3)
        g = parse_nfg(text, flat=True)
        assert (g.n_players, g.n_profiles, g.payoffs.shape) == (n, 8, (8, n))
        ref = gbt.read_nfg(io.StringIO(text))  # pygambit reads them too
        assert len(ref.players) == n
        assert parse_nfg(g.to_nfg(), flat=True) == g  # written and read back
        if n <= 63:
            assert parse_nfg(text) == g.to_normal_form()
            assert g.pure_equilibria() == parse_nfg(text).pure_equilibria()


def test_games_of_64_or_more_players_need_flat_true():
    with pytest.raises(NfgError) as info:
        parse_nfg(many_players(64, 1), origin="g.nfg")
    assert info.value.line == 1 and info.value.reason == (
        "the game has 64 players; a payoff tensor holds at most 63 (numpy arrays have at "
        "most 64 dimensions): read it as a FlatGame with read_nfg(..., flat=True) or "
        "parse_nfg(..., flat=True)")
    with pytest.raises(ValueError, match="at most 63 players .* this game has 70"):
        parse_nfg(many_players(70, 1), flat=True).to_normal_form()


@settings(max_examples=100, deadline=None)
@given(games(min_players=1, max_players=4, max_actions=3, low=-3, high=3), st.booleans(),
       st.sampled_from([0.0, 1e-12, 0.5]))
def test_property_flat_game_pure_equilibria_match_normal_form_game(g, strict, tol):
    flat = FlatGame.from_normal_form(g)
    assert flat.to_normal_form() == g
    assert flat.pure_equilibria(strict, tol) == g.pure_equilibria(strict, tol)
    assert flat.to_nfg("t", outcomes=strict) == g.to_nfg("t", outcomes=strict)
    for k in range(flat.n_profiles):
        prof = flat.profile(k)
        assert flat.index(prof) == k
        np.testing.assert_array_equal(flat.payoff(prof), g.payoffs[(slice(None), *prof)])


def test_flat_game_pure_equilibria_of_a_100_player_game():
    # 100 players, 12 of them choose 0 or 1 and gain 1 by matching the majority of those 12
    n, k = 100, 12
    shape = [1] * (n - k) + [2] * k
    rows = np.arange(2**k)
    bits = (rows[:, None] >> np.arange(k)) & 1  # the 12 choosers' actions, row by row
    ones = bits.sum(axis=1, keepdims=True)
    pay = np.zeros((2**k, n))
    pay[:, n - k :] = np.where(bits == 1, ones, k - ones)
    g = FlatGame(pay, shape)
    assert g.pure_equilibria() == [(0,) * n, (0,) * (n - k) + (1,) * k]


def test_flat_game_checks_its_input():
    with pytest.raises(ValueError, match=r"expected \(4, 2\)"):
        FlatGame(np.zeros((3, 2)), [2, 2])
    with pytest.raises(ValueError, match="finite"):
        FlatGame([[np.nan]], [1])
    with pytest.raises(ValueError, match="action 2 of player 0"):
        FlatGame(np.zeros((2, 1)), [2]).index((2,))


# ------------------------------------------------------------- file kinds and size bounds
def test_directories_fifos_and_devices_are_refused_without_blocking(tmp_path):
    with pytest.raises(NfgError) as info:
        read_nfg(tmp_path)
    assert (info.value.origin, info.value.line) == (str(tmp_path), None)
    assert str(info.value) == f"{tmp_path}: is a directory, not a .nfg file"
    fifo = tmp_path / "game.nfg"
    os.mkfifo(fifo)
    result: list[BaseException] = []
    reader = threading.Thread(target=lambda: _catch(result, read_nfg, fifo), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "read_nfg blocked on a FIFO"
    assert str(result[0]) == (f"{fifo}: is a FIFO (named pipe), not a regular file; "
                              ".nfg games are read from regular files only")
    for device in ("/dev/zero", "/dev/null"):
        with pytest.raises(NfgError, match=f"^{device}: is a device, not a regular file"):
            read_nfg(device)


def _catch(out: list[BaseException], fn, *args) -> None:
    try:
        fn(*args)
    except BaseException as err:  # noqa: BLE001 - handed to the test
        out.append(err)


def test_files_over_the_size_limit_are_refused_before_reading(tmp_path):
    path = tmp_path / "big.nfg"
    text = 'NFG 1 R "t" { "A" } { 2 }\n""\n1 2\n'
    path.write_text(text)
    assert MAX_FILE_BYTES == 256 * 2**20
    with pytest.raises(NfgError) as info:
        read_nfg(path, max_bytes=10)
    assert info.value.reason == (
        f"the file has {len(text)} bytes, more than the limit of 10 (max_bytes); pass "
        "read_nfg(path, max_bytes=...) to read a larger game")
    assert read_nfg(path, max_bytes=len(text)).shape == (2,)
    with open(path, "r+b") as fh:  # a sparse file of 300 MiB: refused from its size
        fh.truncate(300 * 2**20)
    with pytest.raises(NfgError, match=re.escape("has 314,572,800 bytes, more than the limit "
                                                 "of 268,435,456 (max_bytes)")):
        read_nfg(path)


def test_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_nfg(tmp_path / "missing.nfg")
