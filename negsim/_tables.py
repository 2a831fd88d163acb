"""Plain text and HTML: tables for the command line and notebooks, lists of names in sentences.

The HTML helpers (:func:`html_table`, :func:`html_card`) make the compact ``_repr_html_``
displays of negsim's results in Jupyter; every cell and title is escaped, so text from a
scenario file is shown as written, never interpreted as markup. No dependencies.

Examples
--------
>>> print(format_table(["id", "value"], [["a", 0.5], ["bb", 12]]))
id  value
--  -----
a     0.5
bb     12
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable, Sequence

__all__ = ["format_table", "heading", "html_card", "html_table", "names", "shorten"]

#: Style of the notebook displays: small type, a left-aligned compact table.
_HTML_STYLE = ("font-size:0.9em;border-collapse:collapse;margin:0.2em 0;text-align:left")


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


def _html_cell(value: object, tag: str = "td") -> str:
    cell = html.escape(_cell(value))
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return f'<{tag} style="text-align:right">{cell}</{tag}>' if number else f"<{tag}>{cell}</{tag}>"


def html_table(headers: Sequence[str] | None, rows: Iterable[Sequence[object]], *,
               caption: str | None = None, max_rows: int = 12) -> str:
    """Format rows as a compact HTML table, every cell escaped.

    Parameters
    ----------
    headers : sequence of str or None
        Column titles (None: no header row).
    rows : iterable of sequences
        Cells, shown as in :func:`format_table` (``None`` empty, floats with ``:g``).
    caption : str, optional
        A caption above the table.
    max_rows : int
        Show at most this many rows; a last row says how many more there are.

    Examples
    --------
    >>> t = html_table(["actor"], [["<b>A</b>"], ["B"], ["C"]], max_rows=2)
    >>> "&lt;b&gt;A&lt;/b&gt;" in t, "<b>" in t, "... and 1 more" in t, t.count("<tr>")
    (True, False, True, 4)
    """
    rows = [list(r) for r in rows]
    n = len(headers) if headers is not None else max((len(r) for r in rows), default=1)
    out = [f'<table style="{_HTML_STYLE}">']
    if caption:
        out.append(f'<caption style="text-align:left;font-weight:bold">'
                   f"{html.escape(caption)}</caption>")
    if headers is not None:
        out.append("<tr>" + "".join(_html_cell(h, "th") for h in headers) + "</tr>")
    for r in rows[:max_rows]:
        out.append("<tr>" + "".join(_html_cell(v) for v in r) + "</tr>")
    if len(rows) > max_rows:
        out.append(f'<tr><td colspan="{n}"><i>'
                   f"... and {len(rows) - max_rows:,} more</i></td></tr>")
    out.append("</table>")
    return "".join(out)


def html_card(title: str, fields: Sequence[tuple[str, object]] = (), *tables: str) -> str:
    """Return a notebook display: a title, a table of fields, then prepared tables.

    Parameters
    ----------
    title : str
        Shown in bold (escaped).
    fields : sequence of (str, object)
        Name and value pairs, shown as a two-column table (escaped).
    *tables : str
        HTML already made by :func:`html_table` (so already escaped), shown below.

    Examples
    --------
    >>> card = html_card("Scenario <x>", [("runs", 10)], html_table(["a"], [[1]]))
    >>> card.startswith('<div class="negsim-repr">'), "Scenario &lt;x&gt;" in card
    (True, True)
    """
    parts = ['<div class="negsim-repr">', f"<strong>{html.escape(title)}</strong>"]
    if fields:
        parts.append(html_table(None, [[k, v] for k, v in fields], max_rows=len(fields)))
    parts.extend(tables)
    parts.append("</div>")
    return "\n".join(parts)
