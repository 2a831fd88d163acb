"""negsim: simulate multi-party negotiations with game theory and agent-based models.

The public API lives here; the modules behind it are listed in the reference docs.

Examples
--------
>>> import negsim
>>> s = negsim.load_scenario("libya-2020")
>>> [a.id for a in s.actors]
['GNA', 'LNA', 'Russia', 'Turkey', 'Egypt', 'UAE']
>>> pd = negsim.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
>>> pd.pure_equilibria()
[(1, 1)]

The Mesa model (:class:`NegotiationModel`) and the plotting module (``negsim.plot``) are
imported on first use: importing Mesa switches :mod:`multiprocessing` to the ``spawn``
start method and importing matplotlib takes time, neither of which ``import negsim``
should impose.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from negsim._version import __version__
from negsim.analysis.backtest import BacktestResult, backtest
from negsim.analysis.deal import analyze
from negsim.analysis.design import DealDesign, design_deal
from negsim.ensemble import (
    DaskExecutor,
    EnsembleResult,
    Executor,
    ProcessExecutor,
    SerialExecutor,
    Summary,
    simulate,
    summarize,
    sweep,
    sweep_summary,
)
from negsim.forecasting import ForecastResult, forecast
from negsim.games import (
    BargainingResult,
    CoalitionDeviation,
    ComplianceReport,
    FlatGame,
    IRResult,
    NashResult,
    NfgError,
    NormalFormGame,
    QREPath,
    compliance_report,
    enumerate_equilibria,
    individually_rational,
    kalai_smorodinsky,
    limiting_nash,
    logit_choice_probabilities,
    logit_qre,
    minmax_values,
    nash_bargaining,
    parse_nfg,
    qre_path,
    read_nfg,
    rubinstein,
    rubinstein_rates,
    support_enumeration,
)
from negsim.protocol.rounds import ImplementationResult
from negsim.scenario import Scenario, ScenarioError, load_scenario, parse_scenario, scenarios
from negsim.sim.results import (
    ComplianceResult,
    ConferenceResult,
    DealAnalysis,
    MediatedRoundResult,
    RunResult,
)

if TYPE_CHECKING:  # pragma: no cover
    from negsim import plot
    from negsim.sim.model import NegotiationModel, Negotiator

_LAZY = {"NegotiationModel": "negsim.sim.model", "Negotiator": "negsim.sim.model"}

__all__ = [
    "BacktestResult",
    "BargainingResult",
    "CoalitionDeviation",
    "ComplianceReport",
    "ComplianceResult",
    "ConferenceResult",
    "DaskExecutor",
    "DealAnalysis",
    "DealDesign",
    "EnsembleResult",
    "Executor",
    "FlatGame",
    "ForecastResult",
    "IRResult",
    "ImplementationResult",
    "MediatedRoundResult",
    "NashResult",
    "NegotiationModel",
    "Negotiator",
    "NfgError",
    "NormalFormGame",
    "ProcessExecutor",
    "QREPath",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SerialExecutor",
    "Summary",
    "__version__",
    "analyze",
    "backtest",
    "compliance_report",
    "design_deal",
    "enumerate_equilibria",
    "forecast",
    "individually_rational",
    "kalai_smorodinsky",
    "limiting_nash",
    "load_scenario",
    "logit_choice_probabilities",
    "logit_qre",
    "minmax_values",
    "nash_bargaining",
    "parse_nfg",
    "parse_scenario",
    "plot",
    "qre_path",
    "read_nfg",
    "rubinstein",
    "rubinstein_rates",
    "scenarios",
    "simulate",
    "summarize",
    "support_enumeration",
    "sweep",
    "sweep_summary",
]


def __getattr__(name: str) -> Any:
    """Import the Mesa model and the plotting module on first use (PEP 562)."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name == "plot":
        value = importlib.import_module("negsim.plot")
    else:
        raise AttributeError(f"module 'negsim' has no attribute {name!r}")
    globals()[name] = value
    return value


#: Module attributes ``dir(negsim)`` lists besides the public API.
_DUNDERS = ("__all__", "__doc__", "__file__", "__name__", "__path__", "__spec__")


def __dir__() -> list[str]:
    """List the public API (``__all__``) and the module's own dunders, not its imports.

    Helpers the module itself uses (``Any``, ``TYPE_CHECKING``, ``importlib``,
    ``annotations``) and the subpackages behind the API stay importable but are not listed,
    so tab completion in a notebook shows what is meant for users.
    """
    return sorted(set(__all__) | set(_DUNDERS))
