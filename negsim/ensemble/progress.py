"""The progress bar of long ensembles (tqdm): on a terminal or in a notebook, else silent.

:class:`ProgressBar` wraps :mod:`tqdm.auto` (a text bar on a terminal, a widget in a
Jupyter notebook), with the rate in runs per second and the estimated time left. It shows
nothing when disabled, when its stream is not a terminal (output piped or sent to a file),
or for ensembles that finish within ``delay`` seconds.

Examples
--------
>>> import io
>>> bar = ProgressBar(100, stream=io.StringIO())  # not a terminal: silent
>>> bar.update(100)
>>> bar.close()
>>> bar.n
100
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

__all__ = ["ProgressBar", "in_notebook"]


def in_notebook() -> bool:
    """Return whether this process is a Jupyter (IPython kernel) session.

    Examples
    --------
    >>> in_notebook()
    False
    """
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    get = getattr(shell, "get_ipython", None)
    ip = get() if callable(get) else None
    return ip is not None and "IPKernelApp" in getattr(ip, "config", {})


def _tqdm_class(notebook: bool) -> Any:
    """Return :class:`tqdm.auto.tqdm` (a widget in Jupyter, if ipywidgets is installed).

    Without ipywidgets, :mod:`tqdm.auto` falls back to the text bar with a warning; the
    warning is dropped, and the text bar is drawn on the notebook's stderr. Outside a
    notebook the text bar is used.
    """
    if not notebook:
        from tqdm.std import tqdm

        return tqdm
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from tqdm.auto import tqdm as auto
    return auto


class ProgressBar:
    """A tqdm progress bar counting runs, shown only on a terminal or in a notebook.

    Parameters
    ----------
    total : int
        Number of runs to do.
    desc : str
        Label shown before the bar.
    enabled : bool
        False: never show anything.
    stream : text stream, optional
        Where to draw (default ``sys.stderr``); nothing is drawn unless it is a terminal
        (or this is a notebook and the stream is ``sys.stderr``).
    initial : int
        Runs already done (e.g. read back from a checkpoint).
    delay : float
        Seconds before the bar first appears (short ensembles show nothing).

    Attributes
    ----------
    n : int
        Runs counted so far.

    Examples
    --------
    >>> import io
    >>> class Terminal(io.StringIO):
    ...     def isatty(self):
    ...         return True
    >>> out = Terminal()
    >>> bar = ProgressBar(10, "demo", stream=out, delay=0.0)
    >>> bar.update(10)
    >>> bar.close()
    >>> "demo: 100%" in out.getvalue() and "10/10" in out.getvalue()
    True
    """

    def __init__(self, total: int, desc: str = "runs", *, enabled: bool = True,
                 stream: TextIO | None = None, initial: int = 0, delay: float = 0.5) -> None:
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        tty = bool(callable(isatty) and isatty())
        notebook = stream is None and in_notebook()
        self.enabled = bool(enabled and (tty or notebook))
        self.total = max(int(total), 1)
        self.n = int(initial)
        self._bar: Any = None
        if self.enabled:
            tqdm = _tqdm_class(notebook)
            self._bar = tqdm(total=self.total, initial=self.n, desc=desc, unit=" runs",
                             unit_scale=self.total >= 10_000, file=self.stream, delay=delay,
                             dynamic_ncols=True, mininterval=0.1, leave=True)

    def update(self, k: int) -> None:
        """Count ``k`` more runs done."""
        self.n += int(k)
        if self._bar is not None:
            self._bar.update(int(k))

    def close(self) -> None:
        """Draw the final state and end the line (if the bar was shown)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
