"""The version of negsim (the one place it is written besides pyproject.toml).

Examples
--------
>>> from negsim._version import __version__
>>> __version__.count(".")
2
"""

__version__ = "0.1.0"
