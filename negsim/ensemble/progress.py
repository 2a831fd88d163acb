"""A minimal progress bar for long ensembles, shown only on a terminal.

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
import time
from typing import TextIO

__all__ = ["ProgressBar"]


class ProgressBar:
    """A minimal tqdm-style progress bar on a terminal stream (silent when not a TTY).

    Parameters
    ----------
    total : int
        Number of runs to do.
    desc : str
        Label shown before the bar.
    enabled : bool
        False: never show anything.
    stream : text stream, optional
        Where to draw (default ``sys.stderr``); nothing is drawn unless it is a terminal.
    initial : int
        Runs already done (e.g. read back from a checkpoint).
    delay : float
        Seconds before the bar first appears (short ensembles show nothing).

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
    >>> "demo: 100% |########################| 10/10 runs" in out.getvalue()
    True
    """

    def __init__(self, total: int, desc: str = "runs", *, enabled: bool = True,
                 stream: TextIO | None = None, initial: int = 0, delay: float = 0.5) -> None:
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(enabled and callable(isatty) and isatty())
        self.total = max(int(total), 1)
        self.n = int(initial)
        self.desc = desc
        self.start = time.monotonic()
        self.delay = delay
        self.last = 0.0
        self.shown = False

    def update(self, k: int) -> None:
        """Count ``k`` more runs done (redrawn at most ten times a second)."""
        self.n += int(k)
        now = time.monotonic()
        if self.enabled and now - self.start >= self.delay and (
            now - self.last >= 0.1 or self.n >= self.total
        ):
            self._render(now)

    def _render(self, now: float) -> None:
        frac = min(self.n / self.total, 1.0)
        width = 24
        filled = int(frac * width)
        elapsed = now - self.start
        rate = self.n / elapsed if elapsed > 0 else 0.0
        self.stream.write(
            f"\r{self.desc}: {frac:4.0%} |{'#' * filled}{'.' * (width - filled)}| "
            f"{self.n:,}/{self.total:,} runs [{elapsed:5.1f}s, {rate:,.0f} runs/s]"
        )
        self.stream.flush()
        self.shown = True
        self.last = now

    def close(self) -> None:
        """Draw the final state and end the line (if the bar was shown)."""
        if self.shown:
            self._render(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
