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

    Returns
    -------
    str
        The table, without a trailing newline; ``(none)`` under the header if empty.
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

    def line(cells: Sequence[str]) -> str:
        parts = [
            cells[j].rjust(widths[j]) if numeric[j] else cells[j].ljust(widths[j])
            for j in range(n)
        ]
        return (indent + "  ".join(parts)).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    if not text_rows:
        out.append(indent + "(none)")
    out += [line(r) for r in text_rows]
    return "\n".join(out)
