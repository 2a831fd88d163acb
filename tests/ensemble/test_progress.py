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


def test_progress_bar_is_shown_in_a_notebook(monkeypatch, capsys):
    """In a Jupyter kernel the bar is drawn (tqdm.auto: a widget, or text without ipywidgets)
    even though the kernel's stderr is not a terminal."""
    import sys
    import types

    from negsim.ensemble.progress import in_notebook

    kernel = types.SimpleNamespace(config={"IPKernelApp": {}})
    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: kernel
    monkeypatch.setitem(sys.modules, "IPython", fake)
    assert in_notebook()
    bar = ProgressBar(10, "notebook", delay=0.0)
    assert bar.enabled
    bar.update(10)
    bar.close()
    monkeypatch.delitem(sys.modules, "IPython")
    assert not in_notebook()
    assert not ProgressBar(10, "plain", delay=0.0).enabled  # pytest's stderr is no terminal
    assert "plain" not in capsys.readouterr().err
