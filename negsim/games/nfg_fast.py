"""Fast reading of the body of a ``.nfg`` file: numbers parsed a block at a time.

The payoff body of a large game is millions of numbers. :func:`fast_payoffs` reads it in
blocks of about a megabyte: a block of integers is parsed by numpy in one call
(``np.fromstring``), other blocks number by number with Python's ``float`` (correctly
rounded, as the reader's token by token parser) and ``Fraction`` for rationals. It checks
what the token by token parser of :mod:`negsim.games.nfg_format` checks and gives up
(returns ``None``) at the first thing that parser would refuse, so the caller can run it
to get the exact error message and line: the fast path never accepts a file the slow
path refuses, and returns the same numbers when both accept it (a property test compares
the two). :func:`fast_outcomes` does the same for the outcome format: the outcome list is
matched by one regular expression, its payoffs and the outcome indices are parsed as
blocks.
"""

from __future__ import annotations

import re
import warnings
from fractions import Fraction

import numpy as np

__all__ = ["fast_outcomes", "fast_payoffs"]


def _table(chars: bytes) -> np.ndarray:
    out = np.zeros(256, dtype=bool)
    out[list(chars)] = True
    return out


_SPACE = b" \t\n\r\x0b\x0c"  # the ASCII whitespace of str.split() and str.isspace()
#: Bytes a block may hold: ASCII digits, number punctuation, commas, ASCII whitespace.
_ALLOWED = _table(b"0123456789.eE+-/," + _SPACE)
_SEPARATOR = _table(b"," + _SPACE)
_DIGIT = _table(b"0123456789")
_NOT_INTEGER = _table(b".eE/")
#: ``-0`` reads as the float -0.0, which an int64 cannot hold.
_NEG_ZERO = re.compile(r"-0+(?![0-9])", re.ASCII)
_BREAK = re.compile(r"[\s,]", re.ASCII)
_BLOCK = 1 << 20
#: Integer tokens of at most this many characters fit in int64 (sign included).
_INT_CHARS = 18


def _value(token: str) -> float:
    return float(Fraction(token)) if "/" in token else float(token)


def _block_values(block: str, max_chars: int) -> np.ndarray | None:
    if not block.isascii():
        return None
    b = np.frombuffer(block.encode("ascii"), dtype=np.uint8)
    if not _ALLOWED[b].all():
        return None
    edges = np.diff(np.concatenate(([1], _SEPARATOR[b].view(np.int8), [1])))
    starts, ends = np.flatnonzero(edges == -1), np.flatnonzero(edges == 1)
    if len(starts) == 0:
        return np.empty(0)
    longest = int((ends - starts).max())
    if longest > max_chars:
        return None
    if "," in block:
        block = block.replace(",", " ")
    if longest <= _INT_CHARS and not _NOT_INTEGER[b].any() and not _NEG_ZERO.search(block):
        # integers: a sign must start a token and be followed by a digit
        signs = np.flatnonzero((b == ord("+")) | (b == ord("-")))
        if len(signs):
            at_start = np.zeros(len(b), dtype=bool)
            at_start[starts] = True
            after = np.minimum(signs + 1, len(b) - 1)
            if not (at_start[signs].all() and (signs + 1 < len(b)).all()
                    and _DIGIT[b[after]].all()):
                return None
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                ints = np.fromstring(block, dtype=np.int64, sep=" ")
            except (ValueError, DeprecationWarning):  # pragma: no cover - checked above
                return None
        return ints.astype(float) if len(ints) == len(starts) else None
    try:
        return np.fromiter(map(_value, block.split()), dtype=float, count=len(starts))
    except (ValueError, ZeroDivisionError, OverflowError):
        return None


def fast_payoffs(text: str, start: int, count: int, max_chars: int) -> np.ndarray | None:
    """Read the ``count`` numbers of ``text[start:]``; None if the body is anything else.

    Parameters
    ----------
    text : str
        The file's text.
    start : int
        Offset of the body's first number.
    count : int
        The number of payoffs the header declares (profiles x players).
    max_chars : int
        The longest number accepted, in characters.

    Returns
    -------
    ndarray of float, shape (count,), or None
        None when the body holds anything else than ``count`` finite numbers separated by
        whitespace and commas (the caller then reads it token by token for the error).

    Examples
    --------
    >>> fast_payoffs("head 1, 2 -3/4 5e-1", 5, 4, 400).tolist()
    [1.0, 2.0, -0.75, 0.5]
    >>> fast_payoffs("head 1 2 x", 5, 3, 400) is None
    True
    """
    out = np.empty(count)
    k, pos, n = 0, start, len(text)
    while pos < n:
        end = min(pos + _BLOCK, n)
        if end < n:
            m = _BREAK.search(text, end)
            end = n if m is None else m.start()
        values = _block_values(text[pos:end], max_chars)
        if values is None or k + len(values) > count:
            return None
        out[k : k + len(values)] = values
        k += len(values)
        pos = end
    if k != count or not np.isfinite(out).all():
        return None
    return out


#: One outcome ``{ "label" payoffs }``: a label as the tokenizer reads it (``\"`` is a
#: quote, any other backslash itself; possessive, so it never ends at an escaped quote).
_ONE = r'\s*\{\s*"(?:\\"|[^"\\]|\\)*+"([^{}"]*)\}'
_OUTCOME = re.compile(_ONE)
#: The rest of an outcome list: outcomes, then its closing brace.
_OUTCOME_LIST = re.compile(rf"(?:{_ONE})*+\s*\}}")
_BAD_INDEX = re.compile(r"[^0-9+\s]", re.ASCII)


def _counts_per_outcome(joined: str, k: int) -> np.ndarray | None:
    """Numbers of tokens in each of ``k`` payoff lists joined by ``;``."""
    if not joined.isascii():
        return None
    b = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    semi = b == ord(";")
    if int(semi.sum()) != k - 1:  # a payoff list held a ';' itself
        return None
    sep = _SEPARATOR[b] | semi
    starts = ~sep & np.concatenate(([True], sep[:-1]))
    group = np.cumsum(semi)
    return np.bincount(group[starts], minlength=k)


def fast_outcomes(
    text: str, start: int, n: int, n_prof: int, max_chars: int
) -> np.ndarray | None:
    r"""Read an outcome body from ``text[start]`` (its ``{``); None if anything is amiss.

    Parameters
    ----------
    text : str
        The file's text.
    start : int
        Offset of the ``{`` opening the outcome list.
    n : int
        Number of players (payoffs per outcome).
    n_prof : int
        Number of profiles (outcome indices after the list).
    max_chars : int
        The longest number accepted, in characters.

    Returns
    -------
    ndarray of float, shape (n_prof, n), or None
        Each profile's payoffs; None when the body is not exactly a list of outcomes of
        ``n`` finite payoffs each and then ``n_prof`` indices of outcomes (0 is the null
        outcome), the caller then reading it token by token for the error.

    Examples
    --------
    >>> body = 'x { { "a" 1, 2 } { "b \\" c" 3 4 } } 2 0 1'
    >>> fast_outcomes(body, 2, 2, 3, 400).tolist()
    [[3.0, 4.0], [0.0, 0.0], [1.0, 2.0]]
    >>> fast_outcomes(body.replace("3 4", "3"), 2, 2, 3, 400) is None
    True
    """
    whole = _OUTCOME_LIST.match(text, start + 1)
    if whole is None:
        return None
    pays = _OUTCOME.findall(text, start + 1, whole.end())
    table = np.zeros((len(pays) + 1, n))
    if pays:
        joined = ";".join(pays)
        counts = _counts_per_outcome(joined, len(pays))
        if counts is None or not (counts == n).all():
            return None
        values = _block_values(joined.replace(";", " "), max_chars)
        if values is None or len(values) != n * len(pays) or not np.isfinite(values).all():
            return None
        table[1:] = values.reshape(len(pays), n)
    rest = text[whole.end():]
    if _BAD_INDEX.search(rest):
        return None
    idx = _block_values(rest, _INT_CHARS)
    if idx is None or len(idx) != n_prof or (len(idx) and idx.max() > len(pays)):
        return None
    return table[idx.astype(np.intp)]
