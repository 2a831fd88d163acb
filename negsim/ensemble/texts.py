"""Long scenario text in a runs table: stored once per file, referenced from each row.

Some columns of a runs table quote the scenario: ``binding_constraint`` holds the
descriptions of the red lines a non-signer's refusal rests on, and an implementation
phase's ``.reason`` says why the ceasefire broke (:func:`scenario_text_columns`). A
description is free text of any length, and it would be repeated in every row it explains:
a 10 MB description made a 63 MB ``runs.csv`` of 50 runs.

So when a runs table is written (:class:`~negsim.ensemble.output.RunsWriter`, the
checkpoint chunks of :mod:`negsim.ensemble.store`), a value of these columns longer than
:data:`LONG_TEXT` characters is stored once, in the file's **text table**, and each row
holds a reference ``@text:<k>`` to its ``k``-th entry (a value that itself starts with
``@text:`` is stored the same way, so references are never ambiguous). The table is kept
in the Parquet file's key-value metadata (key ``negsim.texts``) or, for CSV, in
``<stem>.texts.json`` next to the file; :func:`read_runs` reads a runs file back with the
references replaced by their text. Descriptions of ordinary length (the built-in
scenarios' are all under 200 characters) are written in the rows as before.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from negsim.ensemble.columns import implementation_summary_columns

__all__ = ["LONG_TEXT", "TEXT_REF", "TextTable", "read_runs", "scenario_text_columns"]

#: Longer values of a scenario text column are written once per file, not in each row.
LONG_TEXT = 1000
#: Prefix of a reference to the text table: ``@text:<k>``.
TEXT_REF = "@text:"
#: Key of the text table in a Parquet file's key-value metadata.
PARQUET_KEY = "negsim.texts"


def scenario_text_columns(runs: pd.DataFrame) -> list[str]:
    """Return the columns of a runs table that may quote scenario text at length.

    ``binding_constraint`` and the implementation phases' ``.reason`` columns.

    Examples
    --------
    >>> df = pd.DataFrame(columns=["run", "a.duration", "a.broke", "a.reason",
    ...                            "binding_constraint"])
    >>> scenario_text_columns(df)
    ['a.reason', 'binding_constraint']
    """
    reasons = {c for c in implementation_summary_columns(runs) if c.endswith(".reason")}
    return [str(c) for c in runs.columns if str(c) in reasons or str(c) == "binding_constraint"]


class TextTable:
    """The long texts of a runs file, each once, in the order first met.

    Parameters
    ----------
    texts : sequence of str, optional
        The entries of an existing table (references ``@text:<k>`` index it).

    Attributes
    ----------
    texts : list of str

    Examples
    --------
    >>> table = TextTable()
    >>> long = "x" * 2000
    >>> df = pd.DataFrame({"run": [0, 1, 2], "binding_constraint": [long, "none", long]})
    >>> small = table.compact(df)
    >>> small["binding_constraint"].tolist(), len(table.texts)
    (['@text:0', 'none', '@text:0'], 1)
    >>> TextTable.from_json(table.to_json()).expand(small).equals(df)
    True
    """

    def __init__(self, texts: Sequence[str] = ()) -> None:
        self.texts = [str(t) for t in texts]
        self._index = {t: k for k, t in enumerate(self.texts)}

    def __len__(self) -> int:
        return len(self.texts)

    def _ref(self, text: str) -> str:
        k = self._index.get(text)
        if k is None:
            k = self._index[text] = len(self.texts)
            self.texts.append(text)
        return f"{TEXT_REF}{k}"

    def compact(self, df: pd.DataFrame) -> pd.DataFrame:
        """Return ``df`` with the long values of its scenario text columns as references.

        New texts are added to the table; ``df`` itself is not changed (a copy is returned
        when something is replaced).
        """
        out = df
        for col in scenario_text_columns(df):
            values = df[col]
            if isinstance(values.dtype, pd.CategoricalDtype):
                continue  # in-memory summaries, never written
            long = [v for v in pd.unique(values.to_numpy())
                    if isinstance(v, str) and (len(v) > LONG_TEXT or v.startswith(TEXT_REF))]
            if not long:
                continue
            refs = {v: self._ref(v) for v in long}
            if out is df:
                out = df.copy()
            out[col] = values.map(lambda v, refs=refs: refs.get(v, v)).astype(values.dtype)
        return out

    def expand(self, df: pd.DataFrame) -> pd.DataFrame:
        """Return ``df`` with the references of its scenario text columns replaced by text.

        Raises
        ------
        ValueError
            If a reference points past the end of the table.
        """
        out = df
        for col in scenario_text_columns(df):
            values = df[col]
            refs = [v for v in pd.unique(values.to_numpy())
                    if isinstance(v, str) and v.startswith(TEXT_REF)]
            if not refs:
                continue
            texts = {r: self._text(r, col) for r in refs}
            if out is df:
                out = df.copy()
            out[col] = values.map(lambda v, texts=texts: texts.get(v, v)).astype(values.dtype)
        return out

    def _text(self, ref: str, col: str) -> str:
        k = ref[len(TEXT_REF):]
        if not k.isdecimal() or int(k) >= len(self.texts):
            raise ValueError(f"column {col!r}: reference {ref!r} is not in the file's text "
                             f"table of {len(self.texts)} entries")
        return self.texts[int(k)]

    def to_json(self) -> str:
        """Return the table as JSON text (``{"texts": [...]}``)."""
        return json.dumps({"texts": self.texts}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> TextTable:
        """Read a table written by :meth:`to_json`."""
        return cls(json.loads(text)["texts"])


def texts_path(path: str | os.PathLike[str]) -> Path:
    """Return the text table next to a CSV runs file: ``runs.csv`` -> ``runs.texts.json``.

    Examples
    --------
    >>> texts_path("out/runs.csv").as_posix(), texts_path("out/runs.csv.partial").name
    ('out/runs.texts.json', 'runs.texts.json')
    """
    p = Path(path)
    stem = p.name.removesuffix(".partial").removesuffix(".csv")
    return p.with_name(f"{stem}.texts.json")


def read_runs(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a runs file written by ``negsim run`` (Parquet or CSV) with its long texts.

    The same as ``pd.read_parquet`` / ``pd.read_csv``, with the references to the file's
    text table (see the module docstring) replaced by their text.

    Parameters
    ----------
    path : path
        ``runs.parquet`` or ``runs.csv`` (or the ``.partial`` file of an interrupted run).

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> import tempfile
    >>> from negsim.ensemble.output import RunsWriter
    >>> w = RunsWriter(tempfile.mkdtemp(), "runs", "csv")
    >>> w.write(pd.DataFrame({"run": [0, 1], "binding_constraint": ["L: " + "x" * 5000, "none"]}))
    >>> path = w.close()
    >>> path.stat().st_size < 100, read_runs(path)["binding_constraint"].str.len().tolist()
    (True, [5003, 4])
    """
    p = Path(path)
    if p.name.removesuffix(".partial").endswith(".parquet"):
        import pyarrow.parquet as pq

        raw = (pq.read_metadata(p).metadata or {}).get(PARQUET_KEY.encode())
        df = pd.read_parquet(p)
        return TextTable.from_json(raw).expand(df) if raw is not None else df
    df = pd.read_csv(p)
    side = texts_path(p)
    return TextTable.from_json(side.read_text(encoding="utf-8")).expand(df) if side.exists() else df
