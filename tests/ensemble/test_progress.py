"""The progress bar: drawn on a terminal only."""

from __future__ import annotations

import io

from negsim.ensemble.progress import ProgressBar


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal():
    tty, pipe = _Tty(), io.StringIO()
    for stream in (tty, pipe):
        bar = ProgressBar(100, "demo", stream=stream, delay=0.0)
        bar.update(50)
        bar.update(50)
        bar.close()
    assert "demo: 100%" in tty.getvalue() and "100/100" in tty.getvalue()
    assert "runs/s" in tty.getvalue() and "<00:00" in tty.getvalue()  # rate and time left
    assert tty.getvalue().endswith("\n")
    assert pipe.getvalue() == ""
    quiet = _Tty()
    bar = ProgressBar(10, enabled=False, stream=quiet, delay=0.0)
    bar.update(10)
    bar.close()
    assert quiet.getvalue() == ""
