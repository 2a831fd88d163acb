"""Writing Gambit ``.nfg`` text (version 1, payoff or outcome format) from payoff arrays.

:func:`format_nfg` takes a payoff tensor of shape ``(n, a_1, ..., a_n)``;
:func:`format_nfg_flat` takes the payoffs as a flat table, one row per pure profile in the
file's order (player 1's strategy varying fastest), so it also writes games of 64 or more
players, whose tensor numpy cannot hold. The format is described in
:mod:`negsim.games.nfg_format`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["format_nfg", "format_nfg_flat"]


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
    flat = np.stack([payoffs[i].reshape(-1, order="F") for i in range(n)], axis=1)
    return format_nfg_flat(flat, players, actions, title, comment, outcomes=outcomes)


def format_nfg_flat(
    payoffs: np.ndarray,
    players: Sequence[str],
    actions: Sequence[Sequence[str]],
    title: str = "",
    comment: str = "",
    *,
    outcomes: bool = False,
) -> str:
    """Write a game given as a flat payoff table as the text of a Gambit ``.nfg`` file.

    As :func:`format_nfg`, but ``payoffs[k, i]`` is player ``i``'s payoff at the ``k``-th
    pure profile in the file's order (player 1's strategy varying fastest), so no array
    with one axis per player is needed.

    Parameters
    ----------
    payoffs : ndarray, shape (n_profiles, n)
        One row per pure profile, one column per player.
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
    >>> flat = np.array([[3, 3], [5, 0], [0, 5], [1, 1]])
    >>> print(format_nfg_flat(flat, ["P1", "P2"], [["C", "D"], ["C", "D"]], outcomes=True))
    NFG 1 R "" { "P1" "P2" } { { "C" "D" } { "C" "D" } }
    ""
    <BLANKLINE>
    {
    { "" 3, 3 }
    { "" 5, 0 }
    { "" 0, 5 }
    { "" 1, 1 }
    }
    1 2 3 4
    <BLANKLINE>
    """
    names = " ".join(_quote(p, "player") for p in players)
    head = f"NFG 1 R {_quote(title, 'title')} {{ {names} }}"
    strats = " ".join(
        "{ " + " ".join(_quote(a, "action") for a in acts) + " }" for acts in actions
    )
    lines = [f"{head} {{ {strats} }}", _quote(comment, "comment"), ""]
    flat = np.asarray(payoffs)
    if outcomes:
        lines.append("{")
        for row in flat:
            lines.append('{ "" ' + ", ".join(_fmt(x) for x in row) + " }")
        lines.append("}")
        lines.append(" ".join(str(k + 1) for k in range(flat.shape[0])))
    else:
        lines.append(" ".join(_fmt(x) for x in flat.reshape(-1)))
    return "\n".join(lines) + "\n"
