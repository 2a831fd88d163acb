"""Checking a scenario's quotes against the source files they come from.

Every provenance with a ``source`` and a ``quote`` (in sourced numbers, red lines, timeline
entries, observations and uncertainty entries) claims that the quote appears in the source.
:func:`check_quotes` checks it for each source whose ``file`` is at hand: found next to the
scenario file or in one of the given folders. Text is compared after normalising
whitespace and typographic quotes, apostrophes, dashes and ellipses, so a quote copied from
a PDF or a web page matches its plain-text copy. Sources without a file, or whose file is not
found, are listed as unchecked: not an error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from negsim.scenario.document import Scenario

__all__ = ["QuoteCheck", "check_quotes", "normalise_text"]

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u0060": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
    "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u00ad": None, "\u200b": None,
})


def normalise_text(text: str) -> str:
    r"""Return ``text`` with typographic quotes, dashes and whitespace made plain.

    Unicode compatibility forms are unified (NFKC: a no-break space is a space, an
    ellipsis character three dots), curly quotes and apostrophes become straight ones, every
    dash a hyphen, soft hyphens vanish and runs of whitespace become one space.

    Examples
    --------
    >>> normalise_text("Haftar\u2019s  \u201cno\u201d \u2014\nfor now\u2026")
    'Haftar\'s "no" - for now...'
    """
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class QuoteCheck:
    """The result of :func:`check_quotes`.

    Attributes
    ----------
    checked : int
        Quotes looked up in a source file at hand.
    missing : tuple of (str, str, str)
        ``(field path, source key, quote)`` of each quote not found in its source's file.
    unchecked : tuple of (str, str)
        ``(source key, why)`` of each cited source that could not be checked.
    files : dict of str to Path
        The file used for each checked source.

    Examples
    --------
    >>> QuoteCheck(2, (), (("wire", "no file"),), {}).ok
    True
    """

    checked: int
    missing: tuple[tuple[str, str, str], ...]
    unchecked: tuple[tuple[str, str], ...]
    files: dict[str, Path]

    @property
    def ok(self) -> bool:
        """Whether every quote checked was found."""
        return not self.missing

    def lines(self) -> list[str]:
        r"""Return the report, one line each (missing quotes first, then unchecked sources).

        Examples
        --------
        >>> QuoteCheck(1, (("actors.A.capability", "doc", "strong"),), (), {}).lines()
        ['actors.A.capability: quote not found in source \'doc\': "strong"']
        """
        out = [f"{path}: quote not found in source {key!r}: \"{quote}\""
               for path, key, quote in self.missing]
        out += [f"source {key!r} not checked: {why}" for key, why in self.unchecked]
        return out


def _quoted(node: Any, path: str = "") -> Iterator[tuple[str, str, str]]:
    """Yield ``(field path, source key, quote)`` for every provenance with a quote."""
    if isinstance(node, dict):
        if isinstance(node.get("source"), str) and isinstance(node.get("quote"), str):
            yield path, node["source"], node["quote"]
        for key, value in node.items():
            if path or key != "sources":
                yield from _quoted(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _quoted(value, f"{path}[{i}]")


def _find(file: str, folders: Sequence[Path]) -> Path | None:
    candidate = Path(file)
    if candidate.is_absolute():
        return candidate if candidate.is_file() else None
    for folder in folders:
        if (folder / candidate).is_file():
            return folder / candidate
    return None


def check_quotes(scenario: Scenario, folders: Sequence[str | Path] = ()) -> QuoteCheck:
    r"""Check that each quote of a scenario appears in its source's file, where at hand.

    Parameters
    ----------
    scenario : Scenario
        The scenario whose quotes are checked.
    folders : sequence of path-like
        Where source files are looked for (a relative ``file`` of a source), after the
        folder of the scenario file itself.

    Returns
    -------
    QuoteCheck
        Quotes checked, quotes missing (with their field paths), sources left unchecked.

    Examples
    --------
    >>> import tempfile
    >>> from negsim.scenario import MINIMAL, parse_scenario
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "doc.txt").write_text("Everyone agrees: A is as\nstrong as B.")
    >>> s = parse_scenario(MINIMAL.replace('title = "A document"',
    ...                                    'title = "A document"\nfile = "doc.txt"'))
    >>> report = check_quotes(s, [folder])
    >>> report.checked, report.ok
    (2, True)
    """
    dirs: list[Path] = []
    origin = Path(scenario.origin)
    if not scenario.origin.startswith(("builtin:", "<")) and origin.parent.is_dir():
        dirs.append(origin.parent)
    dirs += [Path(f) for f in folders]
    files: dict[str, Path] = {}
    texts: dict[str, str] = {}
    unchecked: dict[str, str] = {}
    for src in scenario.sources:
        if src.file is None:
            unchecked[src.key] = "no file" + (f" (url {src.url})" if src.url else "")
            continue
        found = _find(src.file, dirs)
        if found is None:
            where = ", ".join(str(d) for d in dirs) or "no folder given"
            unchecked[src.key] = f"file {src.file} not found (looked in {where})"
            continue
        try:
            texts[src.key] = normalise_text(found.read_text(encoding="utf-8", errors="replace"))
        except OSError as err:
            unchecked[src.key] = f"file {found} cannot be read ({err.strerror or err})"
            continue
        files[src.key] = found
    checked = 0
    missing: list[tuple[str, str, str]] = []
    cited: set[str] = set()
    for path, key, quote in _quoted(scenario.to_dict()):
        cited.add(key)
        if key not in texts:
            continue
        checked += 1
        if normalise_text(quote) not in texts[key]:
            missing.append((path, key, quote))
    return QuoteCheck(checked, tuple(missing),
                      tuple((k, why) for k, why in unchecked.items() if k in cited), files)
