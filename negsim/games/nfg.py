r"""Read and write :class:`~negsim.games.NormalFormGame` objects as Gambit ``.nfg`` files.

The format (version 1, payoff and outcome bodies, labels made unique as Gambit does) and
its errors (:class:`~negsim.games.nfg_format.NfgError`, naming the file and line) are in
:mod:`negsim.games.nfg_format`, which works on arrays and labels; this module builds the
game from them and back.

Games of 64 or more players do not fit a :class:`~negsim.games.NormalFormGame` (numpy
arrays have at most 64 axes): read them with ``flat=True`` as a
:class:`~negsim.games.flat_game.FlatGame` (pure equilibria, payoffs, writing).

:func:`read_nfg` reads only regular files (a directory, FIFO or device is refused
without being opened for a blocking read) of at most :data:`MAX_FILE_BYTES` (256 MiB)
unless ``max_bytes`` is raised, and games of at most
:data:`~negsim.games.nfg_format.MAX_PAYOFFS` payoff entries unless ``max_payoffs`` is.
"""

from __future__ import annotations

import os
import stat
from typing import Literal, overload

from negsim.games.flat_game import FlatGame
from negsim.games.nfg_format import MAX_PAYOFFS, NfgError, parse_nfg_arrays, parse_nfg_flat
from negsim.games.normal_form import NormalFormGame

__all__ = ["MAX_FILE_BYTES", "NfgError", "parse_nfg", "read_nfg", "to_nfg"]

#: Largest ``.nfg`` file :func:`read_nfg` reads by default, in bytes (256 MiB).
MAX_FILE_BYTES = 1 << 28


@overload
def parse_nfg(text: str, origin: str = ..., *, flat: Literal[False] = ...,
              max_payoffs: int = ...) -> NormalFormGame: ...
@overload
def parse_nfg(text: str, origin: str = ..., *, flat: Literal[True],
              max_payoffs: int = ...) -> FlatGame: ...
def parse_nfg(
    text: str, origin: str = "<string>", *, flat: bool = False, max_payoffs: int = MAX_PAYOFFS
) -> NormalFormGame | FlatGame:
    r"""Parse the text of a Gambit ``.nfg`` file (payoff or outcome format).

    Parameters
    ----------
    text : str
        The file's contents.
    origin : str, default "<string>"
        Name used in error messages.
    flat : bool, default False
        Return a :class:`~negsim.games.flat_game.FlatGame` (any number of players)
        instead of a :class:`NormalFormGame` (at most 63 players).
    max_payoffs : int, default 10**7
        The most payoff entries (profiles x players) accepted, checked from the header
        before anything is allocated.

    Returns
    -------
    NormalFormGame or FlatGame
        With the file's player and strategy labels (made unique as Gambit does). The
        title and comment are not kept.

    Raises
    ------
    NfgError
        With the origin and line number of the problem; also for a game of 64 or more
        players without ``flat=True``.
    TypeError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> g = parse_nfg('''NFG 1 R "PD" { "Row" "Col" } { 2 2 }
    ... 3 3  5 0  0 5  1 1''')
    >>> g.players, g.payoffs[0].tolist(), g.pure_equilibria()
    (('Row', 'Col'), [[3.0, 0.0], [5.0, 1.0]], [(1, 1)])
    >>> parse_nfg('NFG 1 R "" { "A" "B" } { 2 2 }\n1 2 3')
    Traceback (most recent call last):
    ...
    negsim.games.nfg_format.NfgError: <string>:2: expected 8 payoffs (4 profiles x ...), found 3

    A game of 70 players (69 of them with one strategy) is read as a flat table:

    >>> text = 'NFG 1 R "" { ' + '"P" ' * 70 + '} { ' + '1 ' * 69 + '2 }\n' + '0 ' * 140
    >>> parse_nfg(text, flat=True).n_profiles
    2
    """
    if flat:
        values, players, actions = parse_nfg_flat(text, origin, max_payoffs=max_payoffs)
        return FlatGame(values, [len(a) for a in actions], players, actions)
    payoffs, players, actions = parse_nfg_arrays(text, origin, max_payoffs=max_payoffs)
    return NormalFormGame(payoffs, players, actions)


@overload
def read_nfg(path: str | os.PathLike[str], *, flat: Literal[False] = ...,
             max_bytes: int = ..., max_payoffs: int = ...) -> NormalFormGame: ...
@overload
def read_nfg(path: str | os.PathLike[str], *, flat: Literal[True],
             max_bytes: int = ..., max_payoffs: int = ...) -> FlatGame: ...
def read_nfg(
    path: str | os.PathLike[str],
    *,
    flat: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
    max_payoffs: int = MAX_PAYOFFS,
) -> NormalFormGame | FlatGame:
    """Read a Gambit ``.nfg`` file (see :func:`parse_nfg`).

    Parameters
    ----------
    path : str or path-like
        The file, read as UTF-8 (a leading byte-order mark is skipped). For the limits
        on numbers and game size see :mod:`negsim.games.nfg_format`.
    flat : bool, default False
        Return a :class:`~negsim.games.flat_game.FlatGame` (any number of players).
    max_bytes : int, default MAX_FILE_BYTES (256 MiB)
        Larger files are refused before they are read.
    max_payoffs : int, default 10**7
        The most payoff entries (profiles x players) accepted.

    Returns
    -------
    NormalFormGame or FlatGame

    Raises
    ------
    NfgError
        For a malformed file, with the path and line number in the message; for a file
        that is not UTF-8 (naming the byte offset), such as UTF-16 or Latin-1; and, with
        the path and the problem, for a directory, a FIFO, device or socket, or a file
        over ``max_bytes``.
    OSError
        If the file cannot be read (missing, no permission).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> g = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> d = tempfile.mkdtemp()  # a folder with the prisoner's dilemma in it
    >>> f = pathlib.Path(d, "pd.nfg")
    >>> _ = f.write_text(to_nfg(g, "PD"))
    >>> read_nfg(f) == g, read_nfg(f, flat=True).n_profiles
    (True, 4)
    >>> read_nfg(d)
    Traceback (most recent call last):
    ...
    negsim.games.nfg_format.NfgError: /...: is a directory, not a .nfg file
    >>> read_nfg(f, max_bytes=50)
    Traceback (most recent call last):
    ...
    negsim.games.nfg_format.NfgError: /...pd.nfg: the file has 75 bytes, more than the limit ...
    >>> import shutil; shutil.rmtree(d)
    """
    origin = os.fspath(path)
    data = _read_bounded(origin, max_bytes)
    return parse_nfg(_decode(data, origin), origin=origin, flat=flat,  # type: ignore[call-overload]
                     max_payoffs=max_payoffs)


def _read_bounded(origin: str, max_bytes: int) -> bytes:
    """Read the bytes of a regular file of at most ``max_bytes``; NfgError for anything else.

    ``stat`` first (a FIFO is never opened), then ``open`` without blocking and ``fstat``
    again (the path may have been replaced in between), then at most ``max_bytes + 1``
    bytes are read (the file may have grown).
    """
    _check_kind(origin, os.stat(origin), max_bytes)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(origin, flags)
    with os.fdopen(fd, "rb") as fh:
        _check_kind(origin, os.fstat(fd), max_bytes)
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise NfgError(origin, None, _too_big(len(data), max_bytes, grew=True))
    return data


def _check_kind(origin: str, st: os.stat_result, max_bytes: int) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise NfgError(origin, None, "is a directory, not a .nfg file")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else
                "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise NfgError(origin, None, f"is {kind}, not a regular file; .nfg games are read "
                       "from regular files only")
    if st.st_size > max_bytes:
        raise NfgError(origin, None, _too_big(st.st_size, max_bytes))


def _too_big(size: int, max_bytes: int, grew: bool = False) -> str:
    has = f"grew to more than {max_bytes:,} bytes while read" if grew else f"has {size:,} bytes"
    return (f"the file {has}, more than the limit of {max_bytes:,} (max_bytes); "
            "pass read_nfg(path, max_bytes=...) to read a larger game")


def _decode(data: bytes, origin: str) -> str:
    """Decode UTF-8 bytes (skipping a BOM); raise NfgError for UTF-16, NUL or bad bytes."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise NfgError(origin, 1, "the file is UTF-16 (it starts with a UTF-16 byte-order "
                       "mark); save it as UTF-8")
    nul = data.find(b"\0")
    if nul >= 0:
        raise NfgError(
            origin, data.count(b"\n", 0, nul) + 1,
            f"the file contains a NUL byte at offset {nul}; is it UTF-16? save it as UTF-8",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise NfgError(
            origin, data.count(b"\n", 0, err.start) + 1,
            f"the file is not valid UTF-8: byte {data[err.start]:#04x} at offset {err.start} "
            f"({err.reason}); save it as UTF-8",
        ) from None


def to_nfg(
    game: NormalFormGame, title: str = "", comment: str = "", *, outcomes: bool = False
) -> str:
    """Write the game as the text of a Gambit ``.nfg`` file.

    Payoffs are written as the shortest decimals that read back as exactly the same
    floating-point numbers (integers without a decimal point), so pygambit, which reads
    them as exact decimals, gets the same values. The same as ``game.to_nfg(...)``.

    Parameters
    ----------
    game : NormalFormGame
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
    >>> g = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                  actions=[["C", "D"], ["C", "D"]])
    >>> print(to_nfg(g, "PD"))
    NFG 1 R "PD" { "P1" "P2" } { { "C" "D" } { "C" "D" } }
    ""
    <BLANKLINE>
    3 3 5 0 0 5 1 1
    <BLANKLINE>
    """
    return game.to_nfg(title, comment, outcomes=outcomes)
