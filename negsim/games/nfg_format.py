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
must be a finite float, and a game has at most :data:`MAX_PAYOFFS` (``10**7``) payoff
entries (profiles x players), checked from the header before anything is allocated.

Errors raise :class:`NfgError` (a :class:`ValueError`) with the file name and line, for
example ``game.nfg:3: expected 8 payoffs, found 7``.

This module works on arrays and labels (:func:`parse_nfg_arrays`, :func:`format_nfg`);
:mod:`negsim.games.nfg` reads and writes :class:`~negsim.games.NormalFormGame` objects.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

__all__ = ["NfgError", "format_nfg", "parse_nfg_arrays"]

#: Longest number token accepted, in characters (sign, point and exponent included).
MAX_NUMBER_CHARS = 400
#: Largest game accepted: payoff entries (pure profiles x players), as declared in the header.
MAX_PAYOFFS = 10**7


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


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "text", "symbol", "{", "}", ",", "eof"
    value: str
    line: int


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
            yield _Token("eof", "", line)
            return
        c = text[pos]
        if c in "{},":
            yield _Token(c, c, line)
            pos += 1
        elif c == '"':
            start_line = line
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
            yield _Token("text", "".join(buf), start_line)
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
            yield _Token("number", word, line)
            pos = end
        else:
            end = pos
            while end < n and not text[end].isspace() and text[end] not in '{},"':
                end += 1
            _check_ascii_digits(text[pos:end], origin, line)
            yield _Token("symbol", text[pos:end], line)
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
    def __init__(self, text: str, origin: str) -> None:
        self.origin = origin
        self.toks = list(_tokens(text, origin))
        self.k = 0

    @property
    def tok(self) -> _Token:
        return self.toks[self.k]

    def advance(self) -> _Token:
        tok = self.toks[self.k]
        if tok.kind != "eof":
            self.k += 1
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

    def skip_comma(self) -> None:
        if self.tok.kind == ",":
            self.advance()


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
    text: str, origin: str = "<string>"
) -> tuple[np.ndarray, list[str], list[list[str]]]:
    r"""Parse the text of a Gambit ``.nfg`` file (payoff or outcome format).

    Parameters
    ----------
    text : str
        The file's contents.
    origin : str, default "<string>"
        Name used in error messages.

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
        With the origin and line number of the problem.
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
    if not isinstance(text, str):
        raise TypeError(
            f"the .nfg parser expects the file's text as str, got {type(text).__name__}"
        )
    p = _Parser(text, origin)
    # --- header ---
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
    else:
        size = n
        for i in range(n):
            tok = p.expect("number", f"the number of strategies of player {i + 1} ({players[i]})")
            if not re.fullmatch(r"\+?[0-9]+", tok.value) or int(tok.value) < 1:
                raise p.fail(
                    f"the number of strategies of player {i + 1} must be a positive integer, "
                    f"found {tok.value!r}", tok
                )
            size *= int(tok.value)
            _check_size(p, size, tok)
            strategies.append([str(k + 1) for k in range(int(tok.value))])
    close = p.expect("}", f"'}}' closing the strategies ({n} players)")
    shape = tuple(len(s) for s in strategies)
    n_prof = math.prod(shape)
    _check_size(p, n_prof * n, close)
    if p.tok.kind == "text":  # optional comment
        p.advance()
    # --- body ---
    if p.tok.kind == "{":
        values = _outcome_body(p, n, n_prof)
    elif p.tok.kind == "number":
        toks = []
        while p.tok.kind in ("number", ","):
            tok = p.advance()
            if tok.kind == "number":
                toks.append(tok)
        nums = [_number(t, origin) for t in toks]
        if len(nums) < n_prof * n and p.tok.kind != "eof":
            raise p.fail(
                f"expected payoff {len(nums) + 1} of {n_prof * n} ({n_prof} profiles x {n} "
                f"players), found {p.describe(p.tok)}"
            )
        if len(nums) != n_prof * n:
            line = toks[-1].line if len(nums) < n_prof * n else toks[n_prof * n].line
            raise NfgError(
                origin, line,
                f"expected {n_prof * n} payoffs ({n_prof} profiles x {n} players), "
                f"found {len(nums)}",
            )
        values = np.array(nums).reshape(n_prof, n)
    else:
        raise p.fail(f"expected payoffs or an outcome list, found {p.describe(p.tok)}")
    if p.tok.kind != "eof":
        raise p.fail(f"unexpected {p.describe(p.tok)} after the payoffs")
    payoffs = np.stack([values[:, i].reshape(shape, order="F") for i in range(n)])
    return payoffs, _unique(players), [_unique(s) for s in strategies]


def _check_size(p: _Parser, size: int, tok: _Token | None = None) -> None:
    if size > MAX_PAYOFFS:
        raise p.fail(
            f"the declared strategies give more than {MAX_PAYOFFS:,} payoff entries "
            f"(profiles x players), the limit of this reader; split the game or solve it "
            "with Gambit", tok
        )


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
    idx = []
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
        idx.append(j)
    if len(idx) != n_prof:
        raise p.fail(f"expected {n_prof} outcome indices (one per profile), found {len(idx)}")
    return table[np.array(idx, dtype=int)]


# ---------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------


def _quote(label: str, what: str) -> str:
    if label.endswith("\\"):
        raise ValueError(f"{what} {label!r} ends with a backslash, which .nfg cannot quote")
    return '"' + label.replace('"', '\\"') + '"'


def _fmt(x: float) -> str:
    """Shortest text that reads back as exactly ``x`` (integers without a point).

    Integer values are written as exact integers at any size: Gambit rejects an exponent
    with a ``+`` sign (``1e+16``), which is how Python writes large floats. Every float of
    magnitude ``>= 2**52`` is an integer, so other values never need a positive exponent.
    """
    if x == 0:
        return "0"
    if float(x).is_integer():
        return str(int(x))
    return repr(float(x)).replace("e+", "e")


def format_nfg(
    payoffs: np.ndarray,
    players: Sequence[str],
    actions: Sequence[Sequence[str]],
    title: str = "",
    comment: str = "",
    *,
    outcomes: bool = False,
) -> str:
    """Write a game as the text of a Gambit ``.nfg`` file.

    Payoffs are written as the shortest decimals that read back as exactly the same
    floating-point numbers (integers without a decimal point), so pygambit, which reads
    them as exact decimals, gets the same values.

    Parameters
    ----------
    payoffs : ndarray, shape (n, a_1, ..., a_n)
        The payoff tensor.
    players : sequence of str
        The player labels.
    actions : sequence of sequence of str
        Each player's action labels.
    title : str, default ""
    comment : str, default ""
    outcomes : bool, default False
        Write the outcome format (one outcome per profile) instead of the payoff format.

    Returns
    -------
    str
        The file's text, ending in a newline.

    Raises
    ------
    ValueError
        If a label ends with a backslash (the format cannot quote it).

    Examples
    --------
    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> print(format_nfg(pd, ["P1", "P2"], [["C", "D"], ["C", "D"]], "PD"))
    NFG 1 R "PD" { "P1" "P2" } { { "C" "D" } { "C" "D" } }
    ""
    <BLANKLINE>
    3 3 5 0 0 5 1 1
    <BLANKLINE>
    """
    n = payoffs.shape[0]
    names = " ".join(_quote(p, "player") for p in players)
    head = f"NFG 1 R {_quote(title, 'title')} {{ {names} }}"
    strats = " ".join(
        "{ " + " ".join(_quote(a, "action") for a in acts) + " }" for acts in actions
    )
    lines = [f"{head} {{ {strats} }}", _quote(comment, "comment"), ""]
    flat = np.stack([payoffs[i].reshape(-1, order="F") for i in range(n)], axis=1)
    if outcomes:
        lines.append("{")
        for row in flat:
            lines.append('{ "" ' + ", ".join(_fmt(x) for x in row) + " }")
        lines.append("}")
        lines.append(" ".join(str(k + 1) for k in range(flat.shape[0])))
    else:
        lines.append(" ".join(_fmt(x) for x in flat.reshape(-1)))
    return "\n".join(lines) + "\n"
