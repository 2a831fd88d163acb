"""The what-if dashboard: a local web page to explore a scenario (``negsim dashboard``).

:mod:`~negsim.dashboard.edits` (the movable numbers and the edited scenario),
:mod:`~negsim.dashboard.compare` (ensembles with progress, tables and figures beside the
baseline, one run's story by round) and :mod:`~negsim.dashboard.overview` (the scenario's
tables) are plain Python; :mod:`~negsim.dashboard.app` is the web page, built with NiceGUI
(the ``dashboard`` extra: ``pip install 'negsim[dashboard]'``), imported only by
``negsim dashboard``.

May import every layer below the command line.

Examples
--------
>>> from negsim.dashboard import knobs
>>> from negsim.scenario import load_scenario
>>> knobs(load_scenario("libya-2020"))[0].path
'actors.LNA.capability'
"""

from negsim.dashboard.compare import run_ensemble, story_steps
from negsim.dashboard.edits import Knob, edit_scenario, knobs
from negsim.dashboard.overview import scenario_rows

__all__ = ["Knob", "edit_scenario", "knobs", "run_ensemble", "scenario_rows", "story_steps"]
