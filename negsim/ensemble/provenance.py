"""What a result records about how it was made, and how it is written as JSON.

:func:`versions` gives the versions of negsim and of the packages its results depend on
(recorded in every ensemble's metadata and summary); :func:`dumps_json` writes a result
as deterministic, readable JSON (what ``summary.json`` holds).
"""

from __future__ import annotations

import importlib.metadata
import json
import platform
import re
from typing import Any

import numpy as np
import pandas as pd

from negsim._version import __version__

__all__ = ["dumps_json", "versions"]

_NUMBER_PAIR = re.compile(r"\[\s+(-?[\d.eE+-]+|null),\s+(-?[\d.eE+-]+|null)\s+\]")


def dumps_json(data: Any) -> str:
    """Indented JSON with ``[low, high]`` pairs on one line, ending with a newline.

    Deterministic: the same data gives the same text. NaN and infinities are refused.

    Examples
    --------
    >>> print(dumps_json({"p": 0.5, "interval": [0.25, 0.75]}), end="")
    {
      "p": 0.5,
      "interval": [0.25, 0.75]
    }
    """
    text = json.dumps(data, indent=2, allow_nan=False)
    return _NUMBER_PAIR.sub(r"[\1, \2]", text) + "\n"


def versions() -> dict[str, str]:
    """Versions of negsim and the packages its results depend on (without importing mesa).

    Examples
    --------
    >>> sorted(versions())
    ['mesa', 'negsim', 'numpy', 'pandas', 'python']
    """
    try:
        mesa_version = importlib.metadata.version("mesa")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        mesa_version = "not installed"
    return {
        "negsim": __version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "mesa": mesa_version,
        "python": platform.python_version(),
    }
