"""Games: normal-form games and their solvers, knowing nothing of negotiations.

The front is :class:`NormalFormGame` (:mod:`negsim.games.normal_form`, on the base
:class:`StrategicForm`), a labelled, immutable game whose methods find pure and mixed
equilibria, dominated strategies, Pareto-efficient and strong equilibria and quantal
response equilibria, returning :class:`NashResult` and :class:`CoalitionDeviation` records.
Modules built on it take games: :mod:`~negsim.games.qre` (logit QRE), :mod:`~negsim.games.nfg`
(Gambit ``.nfg`` files) and :mod:`~negsim.games.repeated` (repeated-game compliance);
:mod:`~negsim.games.checks` validates their inputs and :mod:`~negsim.games.nfg_format`
reads and writes the file format as arrays and labels. :class:`FlatGame`
(:mod:`~negsim.games.flat_game`) holds games of any number of players (numpy's 64-axis
limit caps a :class:`NormalFormGame` at 63) as a flat payoff table.

The solvers work on arrays and import nothing of the front: :mod:`negsim.games.algorithms`
(pure and mixed equilibria, dominance, QRE continuation, the logit rule, bargaining
solutions). The main ones are re-exported here.

May import: numpy, scipy and nashpy; nothing else of negsim. Inside the package the
front imports the algorithms, never the reverse, and no module imports this package's
``__init__``.
"""

from negsim.games.algorithms.bargaining import (
    BargainingResult,
    IRResult,
    individually_rational,
    kalai_smorodinsky,
    nash_bargaining,
)
from negsim.games.algorithms.continuation import QREConvergenceError
from negsim.games.algorithms.logit import logit_choice_probabilities
from negsim.games.algorithms.mixed import enumerate_equilibria, support_enumeration
from negsim.games.algorithms.pure import pure_equilibrium_mask
from negsim.games.algorithms.qre import LimitingNash, QREPath, logit_branch, logit_limit
from negsim.games.algorithms.rubinstein import rubinstein, rubinstein_rates
from negsim.games.flat_game import FlatGame
from negsim.games.nfg import NfgError, parse_nfg, read_nfg, to_nfg
from negsim.games.normal_form import NormalFormGame
from negsim.games.qre import limiting_nash, logit_qre, qre_path
from negsim.games.repeated import ComplianceReport, compliance_report, minmax_values
from negsim.games.results import CoalitionDeviation, NashResult
from negsim.games.strategic_form import StrategicForm

__all__ = [
    "BargainingResult",
    "CoalitionDeviation",
    "ComplianceReport",
    "FlatGame",
    "IRResult",
    "LimitingNash",
    "NashResult",
    "NfgError",
    "NormalFormGame",
    "QREConvergenceError",
    "QREPath",
    "StrategicForm",
    "compliance_report",
    "enumerate_equilibria",
    "individually_rational",
    "kalai_smorodinsky",
    "limiting_nash",
    "logit_branch",
    "logit_choice_probabilities",
    "logit_limit",
    "logit_qre",
    "minmax_values",
    "nash_bargaining",
    "parse_nfg",
    "pure_equilibrium_mask",
    "qre_path",
    "read_nfg",
    "rubinstein",
    "rubinstein_rates",
    "support_enumeration",
    "to_nfg",
]
