"""Safe output files: written under a temporary name, streamed by chunk, in a locked folder.

* :func:`atomic_write_text` and :func:`atomic_path` write a file under a temporary name in
  the same folder and rename it into place once it is complete, so a reader (or a run that
  is killed) never sees a truncated file under the final name.
* :class:`RunsWriter` writes a runs table chunk by chunk, as Parquet row groups or CSV
  rows, so memory does not grow with the number of runs. Until :meth:`RunsWriter.close`
  the file is ``<name>.partial``; an interrupted run leaves that file readable, with the
  chunks completed (:meth:`RunsWriter.abort`).
* :class:`FolderLock` marks an output or checkpoint folder as in use by a process (a lock
  file holding its pid, created with ``O_EXCL``); a second run on the same folder is refused
  with :class:`FolderInUseError`, and the lock of a process that died is taken over.
* Write errors (full disk, no permission) are raised as :class:`OutputError`, naming the
  path.
* Long scenario text (a red line's description quoted in ``binding_constraint``) is written
  once per runs file, not in every row (:mod:`negsim.ensemble.texts`).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import pandas as pd

from negsim.ensemble.texts import PARQUET_KEY, TextTable, texts_path

__all__ = [
    "RUNS_FORMATS",
    "FolderInUseError",
    "FolderLock",
    "OutputError",
    "RunsWriter",
    "atomic_path",
    "atomic_write_text",
]

#: The formats a runs table can be written in (``"none"``: not written).
RUNS_FORMATS = ("parquet", "csv", "none")

_LOCK_NAME = ".negsim.lock"


class OutputError(OSError):
    """An output file could not be written; the message names the path and the reason.

    Examples
    --------
    >>> str(OutputError("cannot write results/runs.csv: No space left on device"))
    'cannot write results/runs.csv: No space left on device'
    """


class FolderInUseError(OSError):
    """An output or checkpoint folder is in use by another running process.

    Examples
    --------
    >>> str(FolderInUseError("results/x is in use by another negsim run (pid 12)"))
    'results/x is in use by another negsim run (pid 12)'
    """


def _output_error(path: Path | str, err: OSError) -> OutputError:
    reason = err.strerror or str(err)
    if err.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        reason += " (the disk or the file-size limit is full)"
    out = OutputError(f"cannot write {os.fspath(path)}: {reason}")
    out.errno = err.errno
    return out


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it to ``path`` if the block succeeds.

    If the block raises, the temporary file is removed and ``path`` is left as it was. An
    ``OSError`` (full disk, no permission) is re-raised as :class:`OutputError` naming
    ``path``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> d = Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "a.txt") as tmp:
    ...     _ = tmp.write_text("done")
    >>> (d / "a.txt").read_text(), sorted(p.name for p in d.iterdir())
    ('done', ['a.txt'])
    """
    final = Path(path)
    tmp = _tmp_name(final)
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, final)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        if isinstance(err, OutputError):
            raise
        raise _output_error(final, err) from err
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file renamed into place.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> p = atomic_write_text(Path(tempfile.mkdtemp()) / "s.json", "{}")
    >>> p.read_text()
    '{}'
    """
    final = Path(path)
    with atomic_path(final) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return final


class RunsWriter:
    """Write a runs table chunk by chunk to ``directory/<stem>.parquet`` (or ``.csv``).

    Chunks must be given in run order (:meth:`write`). Parquet chunks are row groups of
    one file (pyarrow's ``ParquetWriter``); CSV chunks are appended rows. The file is
    ``<stem>.<format>.partial`` until :meth:`close` renames it to its final name; the
    partial file is readable at any point after a chunk is written and :meth:`abort`
    has closed it. Reading the finished file with pandas gives the concatenated chunks,
    dtypes included (``pd.read_parquet``; for CSV, the values as ``DataFrame.to_csv``
    writes them), except that values of the scenario text columns longer than
    :data:`~negsim.ensemble.texts.LONG_TEXT` characters are written once, in the file's
    text table (Parquet metadata, or ``<stem>.texts.json`` for CSV), and referenced from
    the rows; :func:`~negsim.ensemble.texts.read_runs` reads them back in full.

    Parameters
    ----------
    directory : path
        The output folder (created if missing).
    stem : str
        The file's name without extension, e.g. ``"runs"``.
    fmt : {"parquet", "csv"}

    Attributes
    ----------
    path : Path
        The final file.
    partial : Path
        The file being written.
    rows : int
        Rows written so far.
    files : list of Path
        The files :meth:`close` has written: :attr:`path`, then ``<stem>.texts.json`` if
        a CSV file's text table was written beside it.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> w = RunsWriter(d, "runs", "parquet")
    >>> w.write(pd.DataFrame({"run": [0, 1], "x": [0.5, 1.5]}))
    >>> w.write(pd.DataFrame({"run": [2], "x": [2.5]}))
    >>> w.close().name, pd.read_parquet(w.path)["run"].tolist()
    ('runs.parquet', [0, 1, 2])
    """

    def __init__(self, directory: str | os.PathLike[str], stem: str, fmt: str) -> None:
        if fmt not in ("parquet", "csv"):
            raise ValueError(f"runs format must be 'parquet' or 'csv', got {fmt!r}")
        self.fmt = fmt
        self.directory = Path(directory)
        self.path = self.directory / f"{stem}.{fmt}"
        self.partial = self.directory / f"{stem}.{fmt}.partial"
        self.rows = 0
        self.texts = TextTable()
        self.files: list[Path] = []
        self._texts_file: Path | None = None
        self._writer: Any = None
        self._file: Any = None
        self._closed = False
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.partial.unlink(missing_ok=True)
            if fmt == "csv":
                texts_path(self.path).unlink(missing_ok=True)  # a previous run's
        except OSError as err:
            raise _output_error(self.partial, err) from err

    def write(self, df: pd.DataFrame) -> None:
        """Append a chunk of runs (the next ones in run order)."""
        if self._closed:
            raise RuntimeError(f"{self.path}: the writer is closed")
        df = self.texts.compact(df)
        try:
            if self.fmt == "parquet":
                self._write_parquet(df)
            else:
                header = self._file is None
                if self._file is None:
                    self._file = open(self.partial, "w", encoding="utf-8", newline="")  # noqa: SIM115
                df.to_csv(self._file, index=False, header=header)
        except OSError as err:
            self._close_files()
            raise _output_error(self.partial, err) from err
        self.rows += len(df)

    def _write_parquet(self, df: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(df, preserve_index=False,
                                     schema=None if self._writer is None else self._schema)
        if self._writer is None:
            self._schema = table.schema
            self._writer = pq.ParquetWriter(self.partial, table.schema)
        self._writer.write_table(table)

    def _save_texts(self) -> None:
        """Write the text table (if any): Parquet metadata, or ``<stem>.texts.json``."""
        if not len(self.texts):
            return
        if self._writer is not None:
            self._writer.add_key_value_metadata({PARQUET_KEY: self.texts.to_json()})
        elif self.fmt == "csv":
            self._texts_file = atomic_write_text(texts_path(self.path), self.texts.to_json())

    def _close_files(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
            self._writer = None
        if self._file is not None:
            with contextlib.suppress(Exception):
                self._file.close()
            self._file = None

    def close(self) -> Path:
        """Finish the file and rename it to :attr:`path`; return the path."""
        if self._closed:
            return self.path
        try:
            self._save_texts()
            if self._writer is not None:
                self._writer.close()
            elif self._file is not None:
                self._file.flush()
                os.fsync(self._file.fileno())
                self._file.close()
            self._writer = self._file = None
            if not self.partial.exists():  # no chunk written
                raise OSError(errno.ENOENT, "no runs were written")
            _fsync(self.partial)
            os.replace(self.partial, self.path)
        except OSError as err:
            self._close_files()
            raise _output_error(self.path, err) from err
        self._closed = True
        self.files = [self.path] + ([self._texts_file] if self._texts_file is not None else [])
        return self.path

    def abort(self) -> Path | None:
        """Close the partial file (readable, with the chunks written) and return its path.

        Returns None if no chunk was written (the partial file is then removed).
        """
        with contextlib.suppress(OSError):
            self._save_texts()
        self._close_files()
        self._closed = True
        if self.rows == 0:
            self.partial.unlink(missing_ok=True)
            return None
        return self.partial if self.partial.exists() else None


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


class FolderLock:
    """A lock on a folder: ``<folder>/.negsim.lock`` holding the pid of the process using it.

    The lock file is created with ``O_CREAT | O_EXCL``, so of two processes only one gets
    it; the other raises :class:`FolderInUseError` naming the folder and the pid that holds
    it. A lock left by a process that is no longer running is taken over. Used as a context
    manager; the lock file is removed on exit.

    Parameters
    ----------
    folder : path
        Created if missing.
    what : str
        What the folder is, for the message (e.g. ``"output folder"``).

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> with FolderLock(d):
    ...     try:
    ...         FolderLock(d).acquire()
    ...     except FolderInUseError as err:
    ...         print("refused")
    refused
    """

    def __init__(self, folder: str | os.PathLike[str], what: str = "folder") -> None:
        self.folder = Path(folder)
        self.what = what
        self.path = self.folder / _LOCK_NAME
        self.held = False

    def acquire(self) -> FolderLock:
        """Take the lock, or raise :class:`FolderInUseError`."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise OutputError(f"{self.folder} exists and is not a folder") from None
        except OSError as err:
            raise _output_error(self.folder, err) from err
        tmp = self.folder / f".negsim.lock.{os.getpid()}.tmp"
        try:
            tmp.write_text(f"{os.getpid()}\n", encoding="utf-8")
        except OSError as err:
            raise _output_error(tmp, err) from err
        try:
            for _ in range(5):
                try:
                    os.link(tmp, self.path)  # atomic, fails if the lock exists
                except FileExistsError:
                    pid = self._holder()
                    if pid == os.getpid():
                        raise FolderInUseError(
                            f"{self.folder} is already in use by this process") from None
                    if pid is not None and _pid_alive(pid):
                        raise FolderInUseError(
                            f"{self.folder} is in use by another negsim run (pid {pid}); wait "
                            f"for it to finish or use another {self.what}"
                        ) from None
                    if self._holder() == pid:  # stale: its process is gone
                        self.path.unlink(missing_ok=True)
                    continue
                except OSError as err:
                    raise _output_error(self.path, err) from err
                self.held = True
                return self
        finally:
            tmp.unlink(missing_ok=True)
        raise FolderInUseError(f"{self.folder}: could not take the lock {self.path}")

    def _holder(self) -> int | None:
        try:
            text = self.path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except OSError:
            return -1
        try:
            return int(text)
        except ValueError:
            return None  # being written, or damaged: treat as stale after a retry

    def release(self) -> None:
        """Remove the lock file (if this process holds it)."""
        if self.held:
            with contextlib.suppress(OSError):
                if self._holder() == os.getpid():
                    self.path.unlink()
            self.held = False

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
