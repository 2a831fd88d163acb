"""Plain text: tables for the command line and lists of names in sentences (no dependencies).

Examples
--------
>>> print(format_table(["id", "value"], [["a", 0.5], ["bb", 12]]))
id  value
--  -----
a     0.5
bb     12
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

__all__ = ["format_table", "heading", "names", "shorten"]


def names(items: Sequence[str]) -> str:
    """Join names as English does: ``"A"``, ``"A and B"``, ``"A, B and C"``.

    Examples
    --------
    >>> names(["Russia", "Turkey", "Egypt"])
    'Russia, Turkey and Egypt'
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"


def shorten(text: str, width: int) -> str:
    """Collapse whitespace and cut ``text`` to at most ``width`` characters with ``...``.

    Examples
    --------
    >>> shorten("a  long   text to cut", 12)
    'a long te...'
    """
    text = " ".join(str(text).split())
    if width < 4 or len(text) <= width:
        return text[:width] if width >= 0 else text
    return text[: width - 3].rstrip() + "..."


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def heading(title: str) -> str:
    """Return a section title underlined with ``=``.

    Examples
    --------
    >>> print(heading("Actors"))
    Actors
    ======
    """
    return f"{title}\n{'=' * len(title)}"


def format_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    max_widths: Sequence[int | None] | None = None,
    indent: str = "",
    width: int | None = None,
    wrap: bool | Sequence[bool] = True,
) -> str:
    """Format rows as an aligned plain-text table with a dashed rule under the header.

    Parameters
    ----------
    headers : sequence of str
        Column titles.
    rows : iterable of sequences
        Cells; ``None`` is shown empty, floats with ``:g``, numbers right-aligned.
    max_widths : sequence of int or None, optional
        Per-column maximum width; longer cells are shortened with ``...``.
    indent : str
        Prefix of every line.
    width : int, optional
        Fit the table in this many columns: the widest text columns are narrowed (not
        below their header, their longest word up to 20, or 10) and their cells wrapped
        onto several lines. Numbers are never narrowed, nor, if some columns have a
        ``max_widths`` entry, the columns without one (ids stay whole); a table that
        cannot be narrowed enough stays wider.
    wrap : bool or sequence of bool
        With ``width``: wrap the cells of narrowed columns (default), or shorten them with
        ``...`` (one line per row); one value for all columns, or one per column.

    Returns
    -------
    str
        The table, without a trailing newline; ``(none)`` under the header if empty.

    Examples
    --------
    >>> print(format_table(["id", "note"], [["a", "a long note that needs two lines"]],
    ...                    width=24))
    id  note
    --  --------------------
    a   a long note that
        needs two lines
    """
    rows = [list(r) for r in rows]
    n = len(headers)
    widths_cap = list(max_widths) if max_widths is not None else [None] * n
    numeric = [
        bool(rows) and all(isinstance(r[j], int | float) and not isinstance(r[j], bool)
                           for r in rows if r[j] is not None)
        and any(r[j] is not None for r in rows)
        for j in range(n)
    ]
    text_rows = []
    for r in rows:
        cells = []
        for j, value in enumerate(r):
            cell = _cell(value)
            cap = widths_cap[j]
            cells.append(shorten(cell, cap) if cap is not None else " ".join(cell.split()))
        text_rows.append(cells)
    widths = [
        max([len(headers[j])] + [len(r[j]) for r in text_rows]) for j in range(n)
    ]
    if width is not None:
        capped = max_widths is not None and any(c is not None for c in widths_cap)
        fixed = [numeric[j] or (capped and widths_cap[j] is None) for j in range(n)]
        words = [max((len(w) for r in text_rows for w in r[j].split()), default=0)
                 for j in range(n)]
        floors = [max(len(headers[j]), 10, min(words[j], 20)) for j in range(n)]
        _narrow(widths, floors, fixed, width - len(indent) - 2 * (n - 1))

    def line(cells: Sequence[str]) -> str:
        parts = [
            cells[j].rjust(widths[j]) if numeric[j] else cells[j].ljust(widths[j])
            for j in range(n)
        ]
        return (indent + "  ".join(parts)).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    if not text_rows:
        out.append(indent + "(none)")
    wraps = [wrap] * n if isinstance(wrap, bool) else list(wrap)
    for r in text_rows:
        parts = [[c] if len(c) <= widths[j] else
                 textwrap.wrap(c, widths[j]) if wraps[j] else [shorten(c, widths[j])]
                 for j, c in enumerate(r)]
        out += [line([p[k] if k < len(p) else "" for p in parts])
                for k in range(max(len(p) for p in parts))]
    return "\n".join(out)


def _narrow(widths: list[int], floors: Sequence[int], fixed: Sequence[bool],
            room: int) -> None:
    """Narrow the widest columns not fixed, one character at a time, until they fit."""
    while sum(widths) > room:
        free = [j for j, w in enumerate(widths) if not fixed[j] and w > floors[j]]
        if not free:
            return
        widths[max(free, key=lambda j: widths[j])] -= 1
