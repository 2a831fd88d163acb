"""Gambit .nfg files: round trips in both formats, interchange with pygambit in both
directions (payoffs and labels), and malformed files (NfgError naming the line)."""

from __future__ import annotations

import io
from fractions import Fraction

import numpy as np
import pygambit as gbt
import pytest
from gambit_api import (
    catalog_load,
    catalog_slugs,
    from_arrays,
    payoff_tensor,
    player_labels,
    strategy_labels,
)
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from strategies import games, shapes

from negsim.games import NfgError, NormalFormGame, parse_nfg, read_nfg, to_nfg

PD = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=["Row", "Col"],
                                  actions=[["C", "D"], ["C", "D"]])


def gambit_labels(g) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    return player_labels(g), strategy_labels(g)


# ----------------------------------------------------------------------------- round trip
@settings(max_examples=80, deadline=None)
@given(games(min_players=1, max_players=4, max_actions=3, low=-1000, high=1000),
       st.booleans())
def test_property_round_trip_both_formats(g, outcomes):
    text = g.to_nfg("a title", "a comment", outcomes=outcomes)
    assert parse_nfg(text) == g  # payoffs and labels


real_payoffs = shapes(1, 3, 1, 3, max_profiles=12).flatmap(
    lambda s: arrays(float, (len(s), *s), elements=st.floats(
        -1e300, 1e300, allow_nan=False, allow_infinity=False, allow_subnormal=True)))


@settings(max_examples=80, deadline=None)
@given(real_payoffs, st.booleans())
@example(np.array([[1e16, 2.0**60, 1e300, -5e-324]]), False)  # Python writes 1e+16
@example(np.array([[0.1, 1 / 3]]), True)
def test_property_real_payoffs_are_written_exactly(u, outcomes):
    g = NormalFormGame(u)
    text = g.to_nfg(outcomes=outcomes)
    back = parse_nfg(text)
    np.testing.assert_array_equal(back.payoffs, g.payoffs)  # bit for bit
    # pygambit reads the same numbers (it parses them as exact decimals)
    ref = gbt.read_nfg(io.StringIO(text))
    np.testing.assert_array_equal(payoff_tensor(ref), g.payoffs)


def test_labels_with_quotes_and_spaces_round_trip():
    g = NormalFormGame(np.arange(8.0).reshape(2, 2, 2), players=['the "GNA"', "L N A"],
                       actions=[["talk", 'say "no"'], ["{", "}"]])
    for outcomes in (False, True):
        text = g.to_nfg('title "quoted"', "comment", outcomes=outcomes)
        assert parse_nfg(text) == g
        ref = gbt.read_nfg(io.StringIO(text))
        assert gambit_labels(ref) == (g.players, g.actions)
        np.testing.assert_array_equal(payoff_tensor(ref), g.payoffs)


def test_label_ending_in_backslash_cannot_be_written():
    g = NormalFormGame(np.zeros((1, 2)), actions=[["a\\", "b"]])
    with pytest.raises(ValueError, match=r"action 'a\\\\' ends with a backslash"):
        g.to_nfg()


def test_written_text_payoff_format_exactly():
    assert PD.to_nfg("PD", "the dilemma") == (
        'NFG 1 R "PD" { "Row" "Col" } { { "C" "D" } { "C" "D" } }\n'
        '"the dilemma"\n\n3 3 5 0 0 5 1 1\n'
    )
    assert to_nfg(PD, outcomes=True).splitlines()[3:] == [
        "{", '{ "" 3, 3 }', '{ "" 5, 0 }', '{ "" 0, 5 }', '{ "" 1, 1 }', "}", "1 2 3 4"]


def test_read_nfg_from_a_file(tmp_path):
    path = tmp_path / "pd.nfg"
    path.write_text(PD.to_nfg("PD"), encoding="utf-8")
    assert read_nfg(path) == PD and read_nfg(str(path)) == PD
    bad = tmp_path / "bad.nfg"
    bad.write_text('NFG 1 R "x" { "A" "B" } { 2 2 }\n\n1 2 3\n', encoding="utf-8")
    with pytest.raises(NfgError, match=r"bad\.nfg:3: expected 8 payoffs") as info:
        read_nfg(bad)
    assert info.value.line == 3 and info.value.origin == str(bad)
    assert isinstance(info.value, ValueError)


# ----------------------------------------------------------- interchange with pygambit
@settings(max_examples=60, deadline=None)
@given(games(min_players=2, max_players=4, max_actions=3, low=-50, high=50), st.booleans())
def test_property_files_written_by_negsim_are_read_by_pygambit(g, outcomes):
    ref = gbt.read_nfg(io.StringIO(g.to_nfg("t", outcomes=outcomes)))
    np.testing.assert_array_equal(payoff_tensor(ref), g.payoffs)
    assert gambit_labels(ref) == (g.players, g.actions)


@settings(max_examples=60, deadline=None)
@given(shapes(2, 4, 1, 3, max_profiles=36).flatmap(
    lambda s: arrays(np.int64, (len(s), *s), elements=st.integers(-9, 9))))
def test_property_files_written_by_pygambit_are_read_by_negsim(u):
    # pygambit writes the outcome format, rational payoffs as p/q
    arrs = [np.vectorize(lambda x: gbt.Rational(int(x), 4), otypes=[object])(u[i])
            for i in range(u.shape[0])]
    ref = from_arrays(*arrs, title="from pygambit")
    g = parse_nfg(ref.to_nfg())
    np.testing.assert_array_equal(g.payoffs, u / 4)
    assert (g.players, g.actions) == gambit_labels(ref)


def test_every_game_in_the_gambit_catalog():
    # the catalog's .nfg files and the strategic forms of its .efg files, as pygambit
    # writes them (with descriptions containing escaped quotes and newlines)
    slugs = catalog_slugs()
    assert len(slugs) >= 30
    for slug in slugs:
        ref = catalog_load(slug)
        g = parse_nfg(ref.to_nfg(), origin=slug)
        np.testing.assert_array_equal(g.payoffs, payoff_tensor(ref), err_msg=slug)
        assert (g.players, g.actions) == gambit_labels(ref), slug


def test_empty_and_repeated_labels_are_made_unique_as_gambit_does():
    text = ('NFG 1 R "t" { "A" "" "A" } { { "x" "x" "" } { "" "" } { "1" "2" } }\n""\n'
            + " ".join(str(k) for k in range(36)))
    g = parse_nfg(text)
    assert (g.players, g.actions) == gambit_labels(gbt.read_nfg(io.StringIO(text)))
    assert g.players == ("A_1", "_1", "A_2")
    assert g.actions[0] == ("x_1", "x_2", "_1")


def test_strategy_counts_numbers_and_free_format():
    text = """NFG 1 D "counts" { "P" "Q" }
    { 2 3 }
    1, -2   .5 3/4   1e1 -1.5E-1
    0 0 , 0 0
    7 8
    """
    g = parse_nfg(text)
    assert g.actions == (("1", "2"), ("1", "2", "3"))
    # player 1 fastest: profiles (0,0), (1,0), (0,1), (1,1), (0,2), (1,2)
    assert g.payoffs[0].tolist() == [[1.0, 10.0, 0.0], [0.5, 0.0, 7.0]]
    assert g.payoffs[1].tolist() == [[-2.0, -0.15, 0.0], [0.75, 0.0, 8.0]]


def test_outcome_format_with_null_outcome_and_shared_outcomes():
    text = """NFG 1 R "o" { "A" "B" } { { "a1" "a2" } { "b1" "b2" } }
    ""
    { { "win" 1, -1 } { "lose" -1 1 } }
    1 0 2 1
    """
    g = parse_nfg(text)
    assert g.payoffs[0].tolist() == [[1.0, -1.0], [0.0, 1.0]]
    assert g.payoffs[1].tolist() == [[-1.0, 1.0], [0.0, -1.0]]
    np.testing.assert_array_equal(payoff_tensor(gbt.read_nfg(io.StringIO(text))), g.payoffs)


# --------------------------------------------------------------------- malformed files
HEAD = 'NFG 1 R "t" { "A" "B" } { 2 2 }\n""\n'


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("", 1, "expected the file type 'NFG', found end of file"),
        ("EFG 2 R", 1, "expected the file type 'NFG', found 'EFG'"),
        ('NFG 2 R "t"', 1, "only NFG version 1 is supported, found '2'"),
        ('NFG 1 Q "t"', 1, "expected the number type R or D, found 'Q'"),
        ("NFG 1 R { }", 1, "expected the game title (a quoted label), found '{'"),
        ('NFG 1 R "t"\n{ }', 2, "the game has no players"),
        ('NFG 1 R "t" { "A" 3 }', 1, "expected a quoted player label or '}', found '3'"),
        ('NFG 1 R "t" { "A" "B" }\n{ 2 }', 2,
         "expected the number of strategies of player 2 (B), found '}'"),
        ('NFG 1 R "t" { "A" } { 0 }', 1,
         "the number of strategies of player 1 must be a positive integer, found '0'"),
        ('NFG 1 R "t" { "A" } { 1.5 }', 1,
         "the number of strategies of player 1 must be a positive integer, found '1.5'"),
        ('NFG 1 R "t" { "A" }\n{ { } }\n1', 2, "player 1 (A) has no strategies"),
        (HEAD + "1 2 3", 3, "expected 8 payoffs (4 profiles x 2 players), found 3"),
        (HEAD + "1 2 3 4\n5 6 7 8\n9", 5, "expected 8 payoffs (4 profiles x 2 players), found 9"),
        (HEAD + "1 2 3 4\n5 x 7 8", 4,
         "expected payoff 6 of 8 (4 profiles x 2 players), found 'x'"),
        (HEAD + "1 2 3 4\n5 6 7 8 {", 4, "unexpected '{' after the payoffs"),
        (HEAD + "1 2 3 4\n5 6 1..2 8", 4, "malformed number '1..2'"),
        (HEAD + "1 2 3 4\n5 6 1/0 8", 4, "malformed number '1/0'"),
        (HEAD + "1 2 3 4 5 6 7 8\n}", 4, "unexpected '}' after the payoffs"),
        (HEAD + "1 2 3 4 5 6 7\n\n 1e999", 5, "number '1e999' is out of range"),
        (HEAD + '\n"oops', 4, 'unterminated label (missing closing ")'),
        (HEAD + "x", 3, "expected payoffs or an outcome list, found 'x'"),
        (HEAD + '{ { "" 1 2 }\n{ "" 1 } }\n1 1 1 1', 4, "outcome 2: expected 2 payoffs, found 1"),
        (HEAD + '{ { 1 2 } }\n1 1 1 1', 3,
         "expected the label of outcome 1 (a quoted string), found '1'"),
        (HEAD + '{ { "" 1 2 x } }', 3, "outcome 1: expected 2 payoffs and '}', found 'x'"),
        (HEAD + '{ { "" 1 2 } }\n1 1 1', 4,
         "expected 4 outcome indices (one per profile), found 3"),
        (HEAD + '{ { "" 1 2 } }\n1 1\n2 1', 5,
         "outcome index 2 out of range (the file defines 1 outcomes; 0 is the null outcome)"),
        (HEAD + '{ { "" 1 2 } }\n1 1 1 1.5', 4,
         "outcome index must be a non-negative integer, found '1.5'"),
        (HEAD + '{ { "" 1 2 } \n1 1 1 1', 4,
         "expected '{' starting an outcome or '}' closing the outcome list, found '1'"),
    ],
)
def test_malformed_files_name_the_line(text, line, reason):
    with pytest.raises(NfgError) as info:
        parse_nfg(text, origin="game.nfg")
    err = info.value
    assert (err.origin, err.line, err.reason) == ("game.nfg", line, reason)
    assert str(err) == f"game.nfg:{line}: {reason}"


def test_parse_nfg_wants_text():
    with pytest.raises(TypeError, match="expects the file's text as str, got bytes"):
        parse_nfg(PD.to_nfg().encode())


# ------------------------------------------------- encodings, digits, numbers and sizes
TEXT = 'NFG 1 R "Trêve" { "A" "B" } { 2 2 }\n""\n1 2 3 4 5 6 7 8\n'


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (TEXT.encode("latin-1"), 1,
         "the file is not valid UTF-8: byte 0xea at offset 11 (invalid continuation byte); "
         "save it as UTF-8"),
        (TEXT.encode("utf-16"), 1,
         "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"),
        (TEXT.encode("utf-16-be"), 1,
         "the file contains a NUL byte at offset 0; is it UTF-16? save it as UTF-8"),
        (TEXT.encode("utf-16-le")[:-2], 1,  # no BOM, without its last NUL
         "the file contains a NUL byte at offset 1; is it UTF-16? save it as UTF-8"),
        (TEXT.encode()[:-4] + b"\xff 8\n", 3,
         "the file is not valid UTF-8: byte 0xff at offset 52 (invalid start byte); "
         "save it as UTF-8"),
        (TEXT.encode()[:-2] + b"\xc3", 3,
         "the file is not valid UTF-8: byte 0xc3 at offset 54 (unexpected end of data); "
         "save it as UTF-8"),
    ],
)
def test_files_that_are_not_utf8_raise_nfg_error(tmp_path, data, line, reason):
    path = tmp_path / "bad.nfg"
    path.write_bytes(data)
    with pytest.raises(NfgError) as info:
        read_nfg(path)
    assert (info.value.origin, info.value.line, info.value.reason) == (str(path), line, reason)


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.nfg"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    assert read_nfg(path).payoffs[0].tolist() == [[1.0, 5.0], [3.0, 7.0]]


ARABIC_3 = "\u0663"  # Arabic-Indic digit three: int(), float() and Fraction() accept it


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (HEAD + f"1 2 3 4\n5 6 {ARABIC_3} 8", 4,
         "non-ASCII digit '\u0663' (U+0663) in '\u0663'; numbers must use the digits 0-9"),
        (HEAD + f"1 2 3 4\n5 6 1{ARABIC_3} 8", 4,
         "non-ASCII digit '\u0663' (U+0663) in '1\u0663'; numbers must use the digits 0-9"),
        (HEAD + "1 2 3 4\n5 6 -\uff17 8", 4,  # fullwidth seven
         "non-ASCII digit '\uff17' (U+FF17) in '-\uff17'; numbers must use the digits 0-9"),
        (f'NFG 1 R "t" {{ "A" }} {{ {ARABIC_3} }}', 1,
         "non-ASCII digit '\u0663' (U+0663) in '\u0663'; numbers must use the digits 0-9"),
        (HEAD + f'{{ {{ "" 1 2 }} }}\n1 1 1 {ARABIC_3}', 4,
         "non-ASCII digit '\u0663' (U+0663) in '\u0663'; numbers must use the digits 0-9"),
        (HEAD + "1 2 3 4\n5 6 7 \u00b2", 4,  # superscript two
         "non-ASCII digit '\u00b2' (U+00B2) in '\u00b2'; numbers must use the digits 0-9"),
    ],
)
def test_non_ascii_digits_are_refused(text, line, reason):
    assert int(ARABIC_3) == 3  # what a parser built on int()/float() would accept
    with pytest.raises(NfgError) as info:
        parse_nfg(text, origin="game.nfg")
    assert (info.value.line, info.value.reason) == (line, reason)


@pytest.mark.parametrize(
    ("payoff", "reason"),
    [
        ("9" * 100_000 + "/3",
         "number '99999999999999999999...99999999/3' has 100002 characters, more than the "
         "limit of 400"),
        ("1" * 401, "number '11111111111111111111...1111111111' has 401 characters, more than "
         "the limit of 400"),
        ("9" * 397 + "/3", f"number '{'9' * 397}/3' is out of range"),  # OverflowError before
        ("-" + "9" * 399, f"number '-{'9' * 399}' is out of range"),
        ("1e309", "number '1e309' is out of range"),
    ],
)
def test_huge_payoffs_are_refused(payoff, reason):
    with pytest.raises(NfgError) as info:
        parse_nfg(HEAD + f"1 2 3 4\n5 6 {payoff} 8", origin="game.nfg")
    assert (info.value.line, info.value.reason) == (4, reason)


def test_numbers_up_to_the_limit_are_read():
    big, tiny = "1" + "0" * 307 + "/3", "1/" + "9" * 398
    g = parse_nfg(HEAD + f"1 2 3 4\n5 6 {big} {tiny}")
    assert g.payoffs[0, 1, 1] == float(Fraction(10**307, 3)) and g.payoffs[1, 1, 1] == 0.0


def limit(profiles: str, players: int, entries: str, size: str) -> str:
    return (f"the declared strategies give {profiles} profiles x {players} players = {entries} "
            f"payoff entries ({size} as floats), more than the limit of 10,000,000 "
            "(max_payoffs); every profile's payoffs are stored, so the game must fit in "
            "memory: raise max_payoffs if it does, or split the game")


@pytest.mark.parametrize(
    ("header", "line", "reason"),
    [
        ('{ "A" } { 100000000 }', 1, limit("100,000,000", 1, "100,000,000", "800 MB")),
        ('{ "A" "B" }\n{ 5000 1001 }', 2, limit("5,005,000", 2, "10,010,000", "80 MB")),
        ("{ " + '"P" ' * 20 + "}\n{ " + "2 " * 20 + "}", 2,
         limit("1,048,576", 20, "20,971,520", "167 MB")),
        ("{ " + '"P" ' * 70 + "}\n{ " + "2 " * 70 + "}", 2,  # 2**70 profiles
         limit("1.18e+21", 70, "8.26e+22", "661,131,307,601 TB")),
        ('{ "A" } { ' + "9" * 400 + " }", 1,
         limit("over 1e300", 1, "over 1e300", "over 1e300 TB")),
    ],
)
def test_declared_sizes_are_bounded_before_allocating(header, line, reason):
    with pytest.raises(NfgError) as info:
        parse_nfg(f'NFG 1 R "t" {header}\n""\n1 2 3', origin="game.nfg")
    assert (info.value.line, info.value.reason) == (line, reason)


def test_max_payoffs_sets_the_size_limit():
    text = 'NFG 1 R "t" { "A" "B" } { 5000 1001 }\n' + "0 " * (2 * 5000 * 1001)
    assert parse_nfg(text, max_payoffs=2 * 5000 * 1001).shape == (5000, 1001)
    assert parse_nfg(PD.to_nfg(), max_payoffs=8) == PD
    with pytest.raises(NfgError, match=r"4 profiles x 2 players = 8 payoff entries .*limit of 7 "):
        parse_nfg(PD.to_nfg(), max_payoffs=7)


def test_declared_size_limit_counts_labelled_strategies_too():
    labels = "{ " + '"a" "b" ' + "}"
    text = 'NFG 1 R "t" { ' + '"P" ' * 20 + "}\n{ " + labels * 20 + " }\n1"
    with pytest.raises(NfgError) as info:
        parse_nfg(text)
    assert (info.value.line, info.value.reason) == (
        2, limit("1,048,576", 20, "20,971,520", "167 MB"))


def test_largest_allowed_game_is_read():
    # 2 players x 2236 x 2236 profiles = 9,999,392 payoff entries (the limit is 10**7)
    text = 'NFG 1 R "t" { "A" "B" } { 2236 2236 }\n""\n' + "0 " * (2 * 2236 * 2236)
    assert parse_nfg(text).shape == (2236, 2236)
