"""negsim: simulate multi-party negotiations with game theory and agent-based models."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
