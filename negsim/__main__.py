"""Run the negsim command line: ``python -m negsim``."""

from negsim.cli.app import main

raise SystemExit(main())
