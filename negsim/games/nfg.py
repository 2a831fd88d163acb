r"""Read and write :class:`~negsim.games.NormalFormGame` objects as Gambit ``.nfg`` files.

The format (version 1, payoff and outcome bodies, labels made unique as Gambit does) and
its errors (:class:`~negsim.games.nfg_format.NfgError`, naming the file and line) are in
:mod:`negsim.games.nfg_format`, which works on arrays and labels; this module builds the
game from them and back.
"""

from __future__ import annotations

import os

from negsim.games.nfg_format import NfgError, parse_nfg_arrays
from negsim.games.normal_form import NormalFormGame

__all__ = ["NfgError", "parse_nfg", "read_nfg", "to_nfg"]


def parse_nfg(text: str, origin: str = "<string>") -> NormalFormGame:
    r"""Parse the text of a Gambit ``.nfg`` file (payoff or outcome format).

    Parameters
    ----------
    text : str
        The file's contents.
    origin : str, default "<string>"
        Name used in error messages.

    Returns
    -------
    NormalFormGame
        With the file's player and strategy labels (made unique as Gambit does). The
        title and comment are not kept.

    Raises
    ------
    NfgError
        With the origin and line number of the problem.
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
    """
    payoffs, players, actions = parse_nfg_arrays(text, origin)
    return NormalFormGame(payoffs, players, actions)


def read_nfg(path: str | os.PathLike[str]) -> NormalFormGame:
    """Read a Gambit ``.nfg`` file (see :func:`parse_nfg`).

    Parameters
    ----------
    path : str or path-like
        The file, read as UTF-8 (a leading byte-order mark is skipped). For the limits
        on numbers and game size see :mod:`negsim.games.nfg_format`.

    Returns
    -------
    NormalFormGame

    Raises
    ------
    NfgError
        For a malformed file, with the path and line number in the message; also for a
        file that is not UTF-8 (naming the byte offset), such as UTF-16 or Latin-1.
    OSError
        If the file cannot be read.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> g = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = pathlib.Path(d, "pd.nfg")
    ...     _ = f.write_text(to_nfg(g, "PD"))
    ...     read_nfg(f) == g
    True
    """
    origin = os.fspath(path)
    with open(path, "rb") as fh:
        data = fh.read()
    return parse_nfg(_decode(data, origin), origin=origin)


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
