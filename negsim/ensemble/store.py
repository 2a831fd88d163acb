"""The checkpoint directory of an ensemble: its finished chunks and their manifest.

With ``results_dir``, every finished chunk of an ensemble is written to
``results_dir/chunk-<start>-<stop>.parquet`` next to a ``manifest.json`` that records the
scenario fingerprint, seed, number of runs, chunk size, negsim version, the columns' dtypes
and the SHA-256 checksum of every chunk. Running the same call again reads the finished
chunks instead of recomputing them; a directory made by a different call is refused with
:class:`ResultsDirectoryError`. A chunk read back is identical to the one written, dtypes
included, whether stored as CSV or Parquet. A chunk whose content no longer matches its
checksum (edited or damaged) is refused, naming the file. Every file is written under a
temporary name and renamed into place, and while an ensemble runs its directory is locked
(:meth:`ChunkStore.locked`), so two runs cannot write into one directory at once.
Long scenario text in the runs (see :mod:`negsim.ensemble.texts`) is stored once, in the
manifest's ``texts``, and referenced from the chunks' rows.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from negsim.ensemble.output import FolderLock, atomic_path, atomic_write_text
from negsim.ensemble.provenance import versions
from negsim.ensemble.texts import TextTable

__all__ = ["ChunkStore", "ResultsDirectoryError", "open_store"]

_MANIFEST = "manifest.json"
_MANIFEST_FORMAT = 2


class ResultsDirectoryError(ValueError):
    """A results directory belongs to a different ensemble, or holds a damaged chunk."""


def _parquet_available() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


def _atomic_write_text(path: Path, text: str) -> None:
    atomic_write_text(path, text)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ChunkStore:
    """Finished chunks of one ensemble in a directory, with a manifest.

    Opening a directory that already has a manifest checks that it belongs to the same
    ensemble (the same ``identity``); a new directory is created with a manifest. The
    columns and dtypes are recorded by the first chunk written, and every chunk read back
    is checked against them.

    Parameters
    ----------
    directory : path
        The results directory (created if missing).
    identity : dict
        What identifies the ensemble (scenario fingerprint, seed, runs, chunk size, negsim
        version); a directory whose manifest records another identity is refused.
    scenario_toml : str, optional
        Written to ``scenario.toml`` in a new directory, for the record.

    Attributes
    ----------
    storage : str
        ``"parquet"`` or ``"csv"``.
    columns : list of (str, str) or None
        Column names and dtypes, once a chunk has been written.

    Raises
    ------
    ResultsDirectoryError
        If the directory belongs to another ensemble, or has chunks but no manifest.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> d = tempfile.mkdtemp()
    >>> store = ChunkStore(d, {"seed": 1, "runs": 4})
    >>> store.write(0, 2, pd.DataFrame({"run": [0, 1], "x": [0.5, 1.5]}))
    >>> store.has(0, 2), store.has(2, 4)
    (True, False)
    >>> store.read(0, 2)["x"].tolist()
    [0.5, 1.5]
    >>> ChunkStore(d, {"seed": 2, "runs": 4})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    negsim.ensemble.store.ResultsDirectoryError: ... holds results of a different ensemble; ...
    """

    def __init__(self, directory: str | os.PathLike[str], identity: dict[str, Any],
                 scenario_toml: str | None = None) -> None:
        self.directory = Path(directory)
        self.identity = identity
        path = self.directory / _MANIFEST
        if path.exists():
            try:
                manifest = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as err:
                raise ResultsDirectoryError(f"{path}: unreadable manifest ({err})") from err
            theirs = manifest.get("ensemble", {})
            diff = [
                f"{k}: directory has {theirs.get(k)!r}, this call has {v!r}"
                for k, v in identity.items() if theirs.get(k) != v
            ]
            if diff:
                raise ResultsDirectoryError(
                    f"{self.directory} holds results of a different ensemble; refusing to mix "
                    "them (use another results directory, or the same arguments):\n  "
                    + "\n  ".join(diff)
                )
            self.storage = str(manifest.get("storage", "csv"))
            cols = manifest.get("columns")
            self.columns: list[tuple[str, str]] | None = (
                [(str(c), str(d)) for c, d in cols] if cols else None
            )
            sums = manifest.get("checksums") or {}
            self.checksums: dict[str, str] = {str(k): str(v) for k, v in sums.items()}
            self.texts = TextTable(manifest.get("texts") or ())
        else:
            if self.directory.exists() and any(self.directory.glob("chunk-*")):
                raise ResultsDirectoryError(
                    f"{self.directory} has chunk files but no {_MANIFEST}; refusing to use them"
                )
            self.directory.mkdir(parents=True, exist_ok=True)
            self.storage = "parquet" if _parquet_available() else "csv"
            self.columns = None
            self.checksums = {}
            self.texts = TextTable()
            self._write_manifest()
            if scenario_toml is not None:
                _atomic_write_text(self.directory / "scenario.toml", scenario_toml)

    def _write_manifest(self) -> None:
        manifest = {
            "format": _MANIFEST_FORMAT,
            "ensemble": self.identity,
            "storage": self.storage,
            "columns": self.columns,
            "checksums": self.checksums,
        }
        if len(self.texts):
            manifest["texts"] = self.texts.texts
        _atomic_write_text(self.directory / _MANIFEST, json.dumps(manifest, indent=2) + "\n")

    def path(self, start: int, stop: int) -> Path:
        """Return the file holding runs ``start, ..., stop - 1``."""
        return self.directory / f"chunk-{start}-{stop}.{self.storage}"

    def has(self, start: int, stop: int) -> bool:
        """Return whether the chunk of runs ``start, ..., stop - 1`` is stored.

        A chunk file without a checksum in the manifest (its writer was stopped between
        the two) is not counted: it is computed and written again.
        """
        path = self.path(start, stop)
        return path.name in self.checksums and path.exists()

    @contextlib.contextmanager
    def locked(self) -> Iterator[ChunkStore]:
        """Hold the directory's lock (``.negsim.lock``) for the duration of a ``with`` block.

        Raises
        ------
        negsim.ensemble.output.FolderInUseError
            If another running process holds it.
        """
        with FolderLock(self.directory, "checkpoint directory"):
            yield self

    def dtypes(self) -> dict[str, Any]:
        """Return column -> dtype, as recorded by the manifest."""
        assert self.columns is not None
        return {c: pd.api.types.pandas_dtype(d) for c, d in self.columns}

    def read(self, start: int, stop: int) -> pd.DataFrame:
        """Read a stored chunk back, with the recorded columns and dtypes."""
        path = self.path(start, stop)
        if self.columns is None:
            raise ResultsDirectoryError(f"{path}: the manifest records no columns")
        dtypes = self.dtypes()
        expected = self.checksums.get(path.name)
        try:
            actual = _sha256(path)
        except OSError as err:
            raise ResultsDirectoryError(f"{path}: unreadable chunk ({err})") from err
        if actual != expected:
            raise ResultsDirectoryError(
                f"{path}: the chunk's content does not match the checksum recorded in "
                f"{self.directory / _MANIFEST} (edited or damaged); delete it to recompute it"
            )
        try:
            if self.storage == "parquet":
                df = pd.read_parquet(path)
            else:
                df = _read_csv(path, dtypes)
            df = self.texts.expand(df.astype(dtypes))
        except (OSError, ValueError, TypeError, KeyError) as err:
            raise ResultsDirectoryError(
                f"{path}: damaged chunk ({err}); delete it to recompute it"
            ) from err
        names = [c for c, _ in self.columns]
        runs = np.arange(start, stop)
        if (list(df.columns) != names or len(df) != stop - start
                or not np.array_equal(df["run"].to_numpy(), runs)):
            raise ResultsDirectoryError(
                f"{path}: chunk does not hold runs {start}-{stop} with the manifest's columns; "
                "delete it to recompute it"
            )
        return df

    def write(self, start: int, stop: int, df: pd.DataFrame) -> None:
        """Store a finished chunk (atomically: a partial file is never left)."""
        columns = [(str(c), str(d)) for c, d in df.dtypes.items()]
        if self.columns is None:
            self.columns = columns
            self._write_manifest()
        elif columns != self.columns:
            raise ResultsDirectoryError(
                f"{self.directory}: chunk {start}-{stop} has different columns or dtypes "
                "than the manifest records"
            )
        path = self.path(start, stop)
        df = self.texts.compact(df)  # new long texts go to the manifest, written below
        if self.storage == "csv":
            for col, dtype in df.dtypes.items():
                if _is_text(dtype) and not all(isinstance(v, str) for v in df[col]):
                    raise ResultsDirectoryError(
                        f"column {col!r} holds missing values or non-string objects, which a "
                        "CSV chunk cannot store exactly"
                    )
        with atomic_path(path) as tmp:
            if self.storage == "parquet":
                df.to_parquet(tmp, index=False)
            else:
                df.to_csv(tmp, index=False)
            # the checksum is recorded before the chunk is renamed into place
            self.checksums[path.name] = _sha256(tmp)
            self._write_manifest()


def _is_text(dtype: Any) -> bool:
    return not (pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype))


def _read_csv(path: Path, dtypes: Mapping[str, Any]) -> pd.DataFrame:
    """Read a CSV chunk back with exactly the dtypes it was written with."""
    read_dtype: dict[str, Any] = {}
    na_values: dict[str, list[str]] = {}
    for col, dtype in dtypes.items():
        if pd.api.types.is_bool_dtype(dtype):
            read_dtype[col] = bool
        elif pd.api.types.is_integer_dtype(dtype):
            read_dtype[col] = dtype
        elif pd.api.types.is_float_dtype(dtype):
            read_dtype[col] = dtype
            na_values[col] = [""]
        else:  # strings: no value means a missing value, "" and "NA" are strings
            read_dtype[col] = object
    kwargs: dict[str, Any] = {}
    if int(pd.__version__.split(".")[0]) < 3:  # pragma: no cover - pandas 2 needs it
        kwargs["float_precision"] = "round_trip"
    return pd.read_csv(path, dtype=read_dtype, keep_default_na=False, na_values=na_values,
                       **kwargs)


def _identity(scenario: Any, seed: int, runs: int, chunk_size: int) -> dict[str, Any]:
    return {
        "scenario_id": scenario.id,
        "scenario_fingerprint": scenario.fingerprint(),
        "seed": seed,
        "runs": runs,
        "chunk_size": chunk_size,
        "negsim_version": versions()["negsim"],
    }


def open_store(scenario: Any, seed: int, runs: int, chunk_size: int,
               directory: str | os.PathLike[str] | None) -> ChunkStore | None:
    """Open the chunk store of an ensemble in ``directory`` (None if ``directory`` is None).

    Parameters
    ----------
    scenario : Scenario
        The scenario simulated; its id and fingerprint identify the ensemble, and its TOML
        is written to a new directory.
    seed, runs, chunk_size : int
        The ensemble's root seed, number of runs and runs per chunk.
    directory : path or None

    Returns
    -------
    ChunkStore or None

    Raises
    ------
    ResultsDirectoryError
        If the directory holds another ensemble.

    Examples
    --------
    >>> import tempfile
    >>> from negsim.scenario import load_scenario
    >>> sc = load_scenario("libya-2020")
    >>> open_store(sc, 1, 100, 50, None) is None
    True
    >>> store = open_store(sc, 1, 100, 50, tempfile.mkdtemp())
    >>> store.identity["seed"], store.identity["chunk_size"]
    (1, 50)
    """
    if directory is None:
        return None
    toml = scenario.to_toml() if callable(getattr(scenario, "to_toml", None)) else None
    return ChunkStore(directory, _identity(scenario, seed, runs, chunk_size), toml)
