"""The ``negsim`` command line. The top layer: may import everything else.
"""

from negsim.cli.app import PLUGINS, main, parse_assignments

__all__ = ["PLUGINS", "main", "parse_assignments"]
