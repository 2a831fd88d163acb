r"""Gambit's ``.nfg`` format (version 1): text to payoff arrays and labels, and back.

A file starts with a header::

    NFG 1 R "Prisoner's dilemma" { "Row" "Column" } { { "C" "D" } { "C" "D" } }
    "an optional comment"

(``R`` or ``D`` for the number type; the strategies are given either as one list of labels
per player or as counts, ``{ 2 2 }``, in which case they are labelled ``"1"``, ``"2"``,
...). Then comes the body, in one of two formats:

* **payoff format**: for every pure profile, the payoffs of all players, with player 1's
  strategy varying fastest, then player 2's, and so on::

      3 3 5 0 0 5 1 1

* **outcome format**: a list of outcomes ``{ "label" payoff_1, payoff_2, ... }`` in
  braces, then one outcome index per profile (same order; ``0`` is the null outcome,
  with all payoffs 0)::

      { { "" 3, 3 } { "" 0, 5 } { "" 5, 0 } { "" 1, 1 } }
      1 3 2 4

Numbers may be integers, decimals (``-1.5``, ``.5``, ``2e3``) or rationals (``3/4``);
whitespace is free and commas between payoffs are optional. Labels are double-quoted; a
double quote inside a label is written ``\"``. As in Gambit, empty and repeated labels are
made unique by appending ``_1``, ``_2``, ... (so every player and action has a distinct
label).

Digits are ASCII only (``0``-``9``; Python would also read other scripts' digits, Gambit
does not). Limits: a number has at most :data:`MAX_NUMBER_CHARS` (400) characters and
must be a finite float. A game has at most :data:`MAX_PAYOFFS` (``10**7``) payoff entries
(pure profiles x players, 80 MB of floats) unless the caller raises it
(``max_payoffs=``); this is checked from the header, before anything is allocated, and
the message gives the declared size. The real limit is memory: the payoffs of every
profile are stored, so 70 players with 2 strategies each (``2**70`` profiles) cannot be
read by any reader that stores them, whatever the limit.

Any number of players is read into a flat table (:func:`parse_nfg_flat`, one row per
profile). A payoff *tensor* (:func:`parse_nfg_arrays`, one axis per player, as
:class:`~negsim.games.NormalFormGame` holds) has at most :data:`MAX_TENSOR_PLAYERS` (63)
players, because numpy arrays have at most 64 dimensions; a larger game is refused with
an :class:`NfgError` saying so before its body is read.

The body of a large game is read a block at a time (:mod:`negsim.games.nfg_fast`: the
payoff format's numbers, the outcome format's list and indices), and token by token only
when something is wrong with it, for the message; a 2000 x 2000 game in the payoff format
(20 MB of text) is read in about 2 seconds, in memory about three times its payoffs.

Errors raise :class:`NfgError` (a :class:`ValueError`) with the file name and line, for
example ``game.nfg:3: expected 8 payoffs, found 7``.

This module works on arrays and labels (:func:`parse_nfg_arrays`, :func:`parse_nfg_flat`,
and the writers :func:`format_nfg`, :func:`format_nfg_flat` of :mod:`negsim.games.nfg_write`);
:mod:`negsim.games.nfg` reads and writes :class:`~negsim.games.NormalFormGame` objects.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from negsim.games.nfg_fast import fast_outcomes, fast_payoffs
from negsim.games.nfg_write import format_nfg, format_nfg_flat

__all__ = ["NfgError", "format_nfg", "format_nfg_flat", "parse_nfg_arrays", "parse_nfg_flat"]

#: Longest number token accepted, in characters (sign, point and exponent included).
MAX_NUMBER_CHARS = 400
#: Largest game accepted: payoff entries (pure profiles x players), as declared in the header.
MAX_PAYOFFS = 10**7
#: Most players of a payoff tensor ``(n, a_1, ..., a_n)``: numpy arrays have at most 64 axes.
MAX_TENSOR_PLAYERS = 63


class NfgError(ValueError):
    r"""A malformed ``.nfg`` file: the message starts with ``origin:line:``.

    Attributes
    ----------
    origin : str
        File name (or ``"<string>"``).
    line : int or None
        1-based line number of the offending token (``None`` when not tied to a line).
    reason : str
        The message without the location.

    Examples
    --------
    >>> try:
    ...     parse_nfg_arrays('NFG 1 R "t" { "A" } { 2 }\n""\n1 x', origin="game.nfg")
    ... except NfgError as err:
    ...     print(err.line, err.reason)
    3 expected payoff 2 of 2 (2 profiles x 1 players), found 'x'
    """

    def __init__(self, origin: str, line: int | None, reason: str) -> None:
        self.origin = origin
        self.line = line
        self.reason = reason
        where = origin if line is None else f"{origin}:{line}"
        super().__init__(f"{where}: {reason}")


# ---------------------------------------------------------------------------------------
# tokenizer
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "number", "text", "symbol", "{", "}", ",", "eof"
    value: str
    line: int
    pos: int  # offset of the token's first character


_NUMBER = re.compile(
    r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?(?:/[0-9]+)?", re.ASCII
)
_ASCII_DIGITS = "0123456789"


def _tokens(text: str, origin: str) -> Iterator[_Token]:
    pos, line, n = 0, 1, len(text)
    while True:
        while pos < n and text[pos].isspace():
            if text[pos] == "\n":
                line += 1
            pos += 1
        if pos >= n:
            yield _Token("eof", "", line, pos)
            return
        c = text[pos]
        if c in "{},":
            yield _Token(c, c, line, pos)
            pos += 1
        elif c == '"':
            start, start_line = pos, line
            pos += 1
            buf = []
            while True:
                if pos >= n:
                    raise NfgError(origin, start_line, "unterminated label (missing closing \")")
                ch = text[pos]
                if ch == "\\" and pos + 1 < n and text[pos + 1] == '"':
                    buf.append('"')
                    pos += 2
                    continue
                if ch == '"':
                    pos += 1
                    break
                if ch == "\n":
                    line += 1
                buf.append(ch)
                pos += 1
            yield _Token("text", "".join(buf), start_line, start)
        elif c in _ASCII_DIGITS or c in "+-.":
            m = _NUMBER.match(text, pos)
            end = pos
            while end < n and not text[end].isspace() and text[end] not in '{},"':
                end += 1
            word = text[pos:end]
            if len(word) > MAX_NUMBER_CHARS:
                raise NfgError(
                    origin, line, f"number {_short(word)} has {len(word)} characters, more "
                    f"than the limit of {MAX_NUMBER_CHARS}"
                )
            _check_ascii_digits(word, origin, line)
            if m is None or m.end() != end:
                raise NfgError(origin, line, f"malformed number {word!r}")
            yield _Token("number", word, line, pos)
            pos = end
        else:
            end = pos
            while end < n and not text[end].isspace() and text[end] not in '{},"':
                end += 1
            _check_ascii_digits(text[pos:end], origin, line)
            yield _Token("symbol", text[pos:end], line, pos)
            pos = end


def _short(word: str) -> str:
    return repr(word) if len(word) <= 40 else repr(word[:20] + "..." + word[-10:])


def _check_ascii_digits(word: str, origin: str, line: int) -> None:
    for ch in word:
        if ch.isdigit() and ch not in _ASCII_DIGITS:
            raise NfgError(
                origin, line, f"non-ASCII digit {ch!r} (U+{ord(ch):04X}) in {_short(word)}; "
                "numbers must use the digits 0-9"
            )


def _number(tok: _Token, origin: str) -> float:
    s = tok.value
    try:
        value = float(Fraction(s)) if "/" in s else float(s)
    except (ValueError, ZeroDivisionError):
        raise NfgError(origin, tok.line, f"malformed number {s!r}") from None
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise NfgError(origin, tok.line, f"number {s!r} is out of range")
    return value


class _Parser:
    """Tokens one at a time (never the whole list: a large body has millions)."""

    def __init__(self, text: str, origin: str) -> None:
        self.origin = origin
        self._it = _tokens(text, origin)
        self.tok = next(self._it)

    def advance(self) -> _Token:
        tok = self.tok
        if tok.kind != "eof":
            self.tok = next(self._it)
        return tok

    def fail(self, reason: str, tok: _Token | None = None) -> NfgError:
        return NfgError(self.origin, (tok or self.tok).line, reason)

    @staticmethod
    def describe(tok: _Token) -> str:
        if tok.kind == "eof":
            return "end of file"
        if tok.kind == "text":
            return f'label "{tok.value}"'
        if tok.kind in ("number", "symbol"):
            return f"{tok.value!r}"
        return f"'{tok.value}'"

    def expect(self, kind: str, what: str) -> _Token:
        tok = self.tok
        if tok.kind != kind:
            raise self.fail(f"expected {what}, found {self.describe(tok)}")
        return self.advance()


def _unique(labels: list[str]) -> list[str]:
    """Gambit's normalisation: empty or repeated labels get ``_1``, ``_2``, ... appended."""
    counts: dict[str, int] = {}
    for lab in labels:
        counts[lab] = counts.get(lab, 0) + 1
    used = set(labels)
    visited: dict[str, int] = {}
    out = []
    for lab in labels:
        if counts[lab] == 1 and lab != "":
            out.append(lab)
            continue
        while True:
            visited[lab] = visited.get(lab, 0) + 1
            cand = f"{lab}_{visited[lab]}"
            if cand not in used:
                break
        used.add(cand)
        out.append(cand)
    return out


# ---------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------


def parse_nfg_arrays(
    text: str, origin: str = "<string>", *, max_payoffs: int = MAX_PAYOFFS
) -> tuple[np.ndarray, list[str], list[list[str]]]:
    r"""Parse the text of a Gambit ``.nfg`` file (payoff or outcome format) into a tensor.

    Parameters
    ----------
    text : str
        The file's contents.
    origin : str, default "<string>"
        Name used in error messages.
    max_payoffs : int, default MAX_PAYOFFS
        The most payoff entries (profiles x players) accepted, checked from the header.

    Returns
    -------
    payoffs : ndarray, shape (n, a_1, ..., a_n)
        ``payoffs[i, s_1, ..., s_n]`` is player ``i``'s payoff at the profile
        ``(s_1, ..., s_n)``.
    players : list of str
        The player labels (made unique as Gambit does).
    actions : list of list of str
        Each player's strategy labels (made unique as Gambit does). The title and
        comment are not kept.

    Raises
    ------
    NfgError
        With the origin and line number of the problem; also for a game of more than
        :data:`MAX_TENSOR_PLAYERS` players (read those with :func:`parse_nfg_flat`).
    TypeError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> u, players, actions = parse_nfg_arrays('''NFG 1 R "PD" { "Row" "Col" } { 2 2 }
    ... 3 3  5 0  0 5  1 1''')
    >>> players, actions, u[0].tolist()
    (['Row', 'Col'], [['1', '2'], ['1', '2']], [[3.0, 0.0], [5.0, 1.0]])
    >>> parse_nfg_arrays('NFG 1 R "" { "A" "B" } { 2 2 }\n1 2 3')
    Traceback (most recent call last):
    ...
    negsim.games.nfg_format.NfgError: <string>:2: expected 8 payoffs (4 profiles x ...), found 3
    """
    values, players, actions = _parse(text, origin, max_payoffs, tensor=True)
    shape = tuple(len(a) for a in actions)
    payoffs = np.empty((len(players), *shape))
    for i in range(len(players)):
        payoffs[i] = values[:, i].reshape(shape, order="F")
    return payoffs, players, actions


def parse_nfg_flat(
    text: str, origin: str = "<string>", *, max_payoffs: int = MAX_PAYOFFS
) -> tuple[np.ndarray, list[str], list[list[str]]]:
    r"""Parse the text of a ``.nfg`` file into a flat payoff table (any number of players).

    As :func:`parse_nfg_arrays`, but the payoffs are returned as the file orders them,
    one row per pure profile (player 1's strategy varying fastest), so games of 64 or more
    players, whose tensor numpy cannot hold, are read too.

    Parameters
    ----------
    text : str
        The file's contents.
    origin : str, default "<string>"
        Name used in error messages.
    max_payoffs : int, default MAX_PAYOFFS
        The most payoff entries (profiles x players) accepted, checked from the header.

    Returns
    -------
    payoffs : ndarray, shape (n_profiles, n)
        ``payoffs[k, i]`` is player ``i``'s payoff at the ``k``-th profile.
    players : list of str
    actions : list of list of str

    Raises
    ------
    NfgError
        With the origin and line number of the problem.
    TypeError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> text = 'NFG 1 R "" { ' + '"P" ' * 70 + '} { ' + '1 ' * 69 + '2 }\n' + '1 ' * 140
    >>> u, players, actions = parse_nfg_flat(text)
    >>> u.shape, players[:2], actions[-1]
    ((2, 70), ['P_1', 'P_2'], ['1', '2'])
    """
    return _parse(text, origin, max_payoffs, tensor=False)


def _parse(
    text: str, origin: str, max_payoffs: int, *, tensor: bool
) -> tuple[np.ndarray, list[str], list[list[str]]]:
    if not isinstance(text, str):
        raise TypeError(
            f"the .nfg parser expects the file's text as str, got {type(text).__name__}"
        )
    p = _Parser(text, origin)
    players, strategies = _header(p, max_payoffs, tensor)
    n = len(players)
    n_prof = math.prod(len(s) for s in strategies)
    if p.tok.kind == "text":  # optional comment
        p.advance()
    # --- body ---
    values: np.ndarray | None
    if p.tok.kind == "{":
        values = fast_outcomes(text, p.tok.pos, n, n_prof, MAX_NUMBER_CHARS)
        if values is None:  # something is wrong: read token by token for the message
            values = _outcome_body(p, n, n_prof)
            if p.tok.kind != "eof":
                raise p.fail(f"unexpected {p.describe(p.tok)} after the payoffs")
    elif p.tok.kind == "number":
        values = fast_payoffs(text, p.tok.pos, n_prof * n, MAX_NUMBER_CHARS)
        if values is None:  # something is wrong: read token by token for the message
            values = _payoff_body(p, n, n_prof)
            if p.tok.kind != "eof":
                raise p.fail(f"unexpected {p.describe(p.tok)} after the payoffs")
    else:
        raise p.fail(f"expected payoffs or an outcome list, found {p.describe(p.tok)}")
    return values.reshape(n_prof, n), _unique(players), [_unique(s) for s in strategies]


def _header(p: _Parser, max_payoffs: int, tensor: bool) -> tuple[list[str], list[list[str]]]:
    tok = p.advance()
    if tok.kind != "symbol" or tok.value != "NFG":
        raise p.fail(f"expected the file type 'NFG', found {p.describe(tok)}", tok)
    tok = p.advance()
    if tok.kind != "number" or tok.value != "1":
        raise p.fail(f"only NFG version 1 is supported, found {p.describe(tok)}", tok)
    tok = p.advance()
    if tok.kind != "symbol" or tok.value not in ("R", "D"):
        raise p.fail(f"expected the number type R or D, found {p.describe(tok)}", tok)
    p.expect("text", "the game title (a quoted label)")
    p.expect("{", "'{' opening the list of players")
    players = []
    while p.tok.kind == "text":
        players.append(p.advance().value)
    p.expect("}", "a quoted player label or '}'")
    if not players:
        raise p.fail("the game has no players")
    n = len(players)
    p.expect("{", "'{' opening the strategies")
    strategies: list[list[str]] = []
    counts: list[int] = []
    if p.tok.kind == "{":
        for i in range(n):
            p.expect("{", f"'{{' opening the strategies of player {i + 1} ({players[i]})")
            labels = []
            while p.tok.kind == "text":
                labels.append(p.advance().value)
            p.expect("}", f"a quoted strategy label or '}}' (player {i + 1})")
            if not labels:
                raise p.fail(f"player {i + 1} ({players[i]}) has no strategies")
            strategies.append(labels)
            counts.append(len(labels))
    else:
        for i in range(n):
            tok = p.expect("number", f"the number of strategies of player {i + 1} ({players[i]})")
            if not re.fullmatch(r"\+?[0-9]+", tok.value) or int(tok.value) < 1:
                raise p.fail(
                    f"the number of strategies of player {i + 1} must be a positive integer, "
                    f"found {tok.value!r}", tok
                )
            counts.append(int(tok.value))
    close = p.expect("}", f"'}}' closing the strategies ({n} players)")
    _check_size(p, math.prod(counts), n, max_payoffs, close)
    if tensor and n > MAX_TENSOR_PLAYERS:
        raise p.fail(
            f"the game has {n} players; a payoff tensor holds at most {MAX_TENSOR_PLAYERS} "
            f"(numpy arrays have at most {MAX_TENSOR_PLAYERS + 1} dimensions): read it as a "
            "FlatGame with read_nfg(..., flat=True) or parse_nfg(..., flat=True)", close
        )
    if not strategies:
        strategies = [[str(k + 1) for k in range(a)] for a in counts]
    return players, strategies


def _check_size(p: _Parser, n_prof: int, n: int, max_payoffs: int, tok: _Token) -> None:
    size = n_prof * n
    if size > max_payoffs:
        raise p.fail(
            f"the declared strategies give {_count(n_prof)} profiles x {n} players = "
            f"{_count(size)} payoff entries ({_bytes(8 * size)} as floats), more than the "
            f"limit of {max_payoffs:,} (max_payoffs); every profile's payoffs are stored, so "
            "the game must fit in memory: raise max_payoffs if it does, or split the game",
            tok,
        )


def _count(k: int) -> str:
    return f"{k:,}" if k < 10**15 else f"{float(k):.3g}" if k < 10**300 else "over 1e300"


def _bytes(k: int) -> str:
    for unit, size in (("TB", 10**12), ("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if k >= size:
            return f"{_count(k // size)} {unit}"
    return f"{k} bytes"


def _payoff_body(p: _Parser, n: int, n_prof: int) -> np.ndarray:
    """Read the payoff body token by token: slow, used only to find what is wrong with it."""
    want = n_prof * n
    nums: list[float] = []
    last_line = extra_line = p.tok.line
    while p.tok.kind in ("number", ","):
        tok = p.advance()
        if tok.kind == "number":
            nums.append(_number(tok, p.origin))
            last_line = tok.line
            if len(nums) == want + 1:
                extra_line = tok.line
    if len(nums) < want and p.tok.kind != "eof":
        raise p.fail(
            f"expected payoff {len(nums) + 1} of {want} ({n_prof} profiles x {n} "
            f"players), found {p.describe(p.tok)}"
        )
    if len(nums) != want:
        raise NfgError(
            p.origin, last_line if len(nums) < want else extra_line,
            f"expected {want} payoffs ({n_prof} profiles x {n} players), found {len(nums)}",
        )
    return np.array(nums)


def _outcome_body(p: _Parser, n: int, n_prof: int) -> np.ndarray:
    p.expect("{", "'{' opening the outcome list")
    outcomes = [np.zeros(n)]  # outcome 0: the null outcome
    while p.tok.kind == "{":
        p.advance()
        k = len(outcomes)
        p.expect("text", f"the label of outcome {k} (a quoted string)")
        pay = []
        while p.tok.kind in ("number", ","):
            tok = p.advance()
            if tok.kind == "number":
                pay.append(_number(tok, p.origin))
        if p.tok.kind != "}" or len(pay) != n:
            if p.tok.kind not in ("}", "number", ","):
                raise p.fail(
                    f"outcome {k}: expected {n} payoffs and '}}', found {p.describe(p.tok)}"
                )
            raise p.fail(f"outcome {k}: expected {n} payoffs, found {len(pay)}")
        p.advance()
        outcomes.append(np.array(pay))
    p.expect("}", "'{' starting an outcome or '}' closing the outcome list")
    table = np.stack(outcomes)
    idx = np.empty(n_prof, dtype=np.intp)
    k = 0
    while p.tok.kind == "number":
        tok = p.advance()
        if not re.fullmatch(r"\+?[0-9]+", tok.value):
            raise p.fail(f"outcome index must be a non-negative integer, found {tok.value!r}",
                         tok)
        j = int(tok.value)
        if j >= len(outcomes):
            raise p.fail(
                f"outcome index {j} out of range (the file defines {len(outcomes) - 1} "
                "outcomes; 0 is the null outcome)", tok
            )
        if k < n_prof:
            idx[k] = j
        k += 1
    if k != n_prof:
        raise p.fail(f"expected {n_prof} outcome indices (one per profile), found {k}")
    return table[idx]
