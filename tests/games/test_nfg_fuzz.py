"""Fuzzing the .nfg reader: mutations of valid files are either read or refused with NfgError.

The inputs start from files written by ``to_nfg`` (payoff and outcome formats) for random
games, then get 1 to 3 mutations: a token replaced, deleted or inserted (wrong tokens,
huge or non-finite numbers, non-ASCII digits, stray braces and quotes, huge declared
sizes), a number replaced by an odd one (huge integers and rationals, non-finite
floats, non-ASCII digits), truncation, random text; and, for files, random bytes and other encodings
(Latin-1, cp1252, UTF-16 with and without a byte-order mark, UTF-8 with one). The
property: ``parse_nfg`` / ``read_nfg`` returns a game or raises :class:`NfgError`, never
another exception. The mutations never add more than a few players; games of 64 or more
players (refused without ``flat=True``, read with it) are tested in ``test_nfg_large.py``,
which also checks that the block reader of large payoff bodies agrees with the token reader.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from strategies import games

from negsim.games import NfgError, NormalFormGame, parse_nfg, read_nfg

#: Tokens a mutation may put in place of (or next to) a token of a valid file.
ODD_TOKENS = [
    "{", "}", ",", '"', '""', '"x"', '"unterminated', "\\", "\\\"",
    "NFG", "EFG", "R", "D", "Q", "x", "nan", "inf", "-inf", "NaN", "1_000", "0x10",
    "0", "-0", "+1", "-1", ".", "-", "+", "..", "1..2", ".5", "5.", "1e", "e5", "1e+5",
    "1e309", "-1e309", "1e-400", "1/0", "0/0", "-3/4", "1/2/3", "1.5/2", "1e5/3",
    "9" * 400, "9" * 401, "9" * 5000, "9" * 398 + "/3", "1/" + "9" * 398,
    "9" * 100_000 + "/3", "2236", "5000", "100000000", "1" + "0" * 30,
    "\u0663", "1\u0663", "\uff17", "\u00b2", "\u2155", "\u0661/\u0662", "\u00a0", "\u2028",
    "\x00", "\ufeff", "\ud800", "\u200b", "é", "\U0001f600",
]
ARABIC_INDIC = str.maketrans("0123456789", "".join(chr(0x660 + d) for d in range(10)))


#: Odd numbers to put in place of a number: huge, non-finite, rational, non-ASCII digits.
odd_numbers = (
    st.sampled_from([t for t in ODD_TOKENS if t[:1] in "+-.0123456789\u0663\uff17"])
    | st.builds("{}{}{}".format, st.sampled_from(["", "-", "+"]),
                st.integers(290, 420).map(lambda k: "9" * k), st.sampled_from(["", "/3", "/1"]))
    | st.integers(-(10**600), 10**600).map(str)
    | st.builds("{}/{}".format, st.integers(-(10**500), 10**500), st.integers(0, 10**500))
    | st.floats().map(repr)
    | st.integers(0, 10**6).map(lambda k: str(k).translate(ARABIC_INDIC))
)


@st.composite
def valid_texts(draw: st.DrawFn) -> str:
    """The text of a valid .nfg file (payoff or outcome format)."""
    game: NormalFormGame = draw(games(min_players=1, max_players=4, max_actions=3,
                                      low=-50, high=50))
    if draw(st.booleans()):  # non-integer payoffs too
        game = NormalFormGame(game.payoffs / 7, game.players, game.actions)
    return game.to_nfg(draw(st.sampled_from(["", "t", 'a "title"'])), "c",
                       outcomes=draw(st.booleans()))


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    """A valid .nfg text with 1 to 3 mutations."""
    text = draw(valid_texts())
    for _ in range(draw(st.integers(1, 3))):
        parts = re.split(r"(\s+)", text)  # tokens at even indices, whitespace at odd ones
        k = 2 * draw(st.integers(0, (len(parts) - 1) // 2))
        odd = draw(st.sampled_from(ODD_TOKENS) | st.text(max_size=6))
        kind = draw(st.sampled_from(["replace", "delete", "insert", "truncate", "text",
                                     "duplicate", "number", "number"]))
        numeric = [i for i in range(0, len(parts), 2)
                   if re.fullmatch(r"[-+0-9./eE]+,?", parts[i])]
        if kind == "number" and numeric:
            i = draw(st.sampled_from(numeric))
            parts[i] = draw(odd_numbers) + ("," if parts[i].endswith(",") else "")
        elif kind == "replace":
            parts[k] = odd
        elif kind == "delete":
            parts[k] = ""
        elif kind == "insert":
            parts[k] = f"{parts[k]} {odd}"
        elif kind == "duplicate":
            parts[k] = f"{parts[k]} {parts[k]}"
        text = "".join(parts)
        if kind == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        elif kind == "text":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.text(min_size=1, max_size=10)) + text[at:]
    return text


@st.composite
def mutated_files(draw: st.DrawFn) -> bytes:
    """The bytes of a mutated .nfg file, in UTF-8 or another encoding, maybe with
    random bytes put in."""
    text = draw(mutated_texts() | valid_texts())
    encoding = draw(st.sampled_from(["utf-8"] * 4 + ["utf-8-sig", "latin-1", "cp1252", "utf-16",
                                     "utf-16-le", "utf-16-be"]))
    data = text.encode(encoding, errors="replace")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        junk = draw(st.binary(min_size=1, max_size=4))
        if draw(st.booleans()):
            data = data[:at] + junk + data[at + len(junk):]
        else:
            data = data[:at] + junk + data[at:]
    return data


def _read_or_refuse(read, arg) -> None:
    try:
        game = read(arg)
    except NfgError as err:
        assert str(err).startswith(f"{err.origin}:") and err.reason
        event("refused: " + " ".join(re.sub(r"'.*", "", err.reason).split()[:3]))
        return
    assert isinstance(game, NormalFormGame)
    event("read")


@settings(max_examples=300, deadline=None)
@given(mutated_texts())
def test_fuzz_parse_nfg_reads_or_raises_nfg_error(text):
    _read_or_refuse(lambda t: parse_nfg(t, origin="fuzz.nfg"), text)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated_files())
def test_fuzz_read_nfg_reads_or_raises_nfg_error(tmp_path, data):
    path = tmp_path / "fuzz.nfg"
    path.write_bytes(data)
    _read_or_refuse(read_nfg, path)
