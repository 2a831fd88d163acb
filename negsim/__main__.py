"""Run the negsim command line: ``python -m negsim``."""

from negsim.cli import main

raise SystemExit(main())
