"""Solvers on arrays: the computations behind :class:`~negsim.games.NormalFormGame`.

Every function here takes numpy arrays (payoff tensors of shape
``(n_players, a_1, ..., a_n)``, bimatrices, utility matrices) and returns arrays, tuples
and small result records; nothing here knows the labelled game objects of the front
(:mod:`negsim.games.normal_form` and the modules built on it), as in nashpy's and
QuantEcon's ``algorithms``.

* :mod:`~negsim.games.algorithms.pure`: pure equilibria (batched), best responses,
  profitable joint deviations; :mod:`~negsim.games.algorithms.payoffs`: action values,
  expected payoffs, regrets; :mod:`~negsim.games.algorithms.dominance`: iterated
  elimination, Pareto and payoff dominance.
* :mod:`~negsim.games.algorithms.mixed`: all equilibria of bimatrix games (vertex and
  support enumeration); :mod:`~negsim.games.algorithms.nashpy_bridge`: nashpy's
  algorithms, checked.
* :mod:`~negsim.games.algorithms.logit`: the logit choice rule;
  :mod:`~negsim.games.algorithms.continuation`: the QRE equations and the path-following;
  :mod:`~negsim.games.algorithms.qre`: the principal QRE branch and its limit.
* :mod:`~negsim.games.algorithms.bargaining` (Nash, Kalai-Smorodinsky, individual
  rationality), :mod:`~negsim.games.algorithms.bargaining_hull` (their convex case) and
  :mod:`~negsim.games.algorithms.rubinstein` (alternating offers).

May import: numpy, scipy and nashpy, and its own modules; nothing else of negsim, not even
of :mod:`negsim.games`.
"""

from negsim.games.algorithms.bargaining import (
    BargainingResult,
    IRResult,
    individually_rational,
    kalai_smorodinsky,
    nash_bargaining,
)
from negsim.games.algorithms.bargaining_hull import interior_mixture, max_linear, nash_on_hull
from negsim.games.algorithms.continuation import (
    QREConvergenceError,
    QRESystem,
    branch_points,
    follow_branch,
)
from negsim.games.algorithms.dominance import (
    iterated_elimination,
    pareto_matrix,
    payoff_dominant_index,
)
from negsim.games.algorithms.logit import logit_choice_probabilities
from negsim.games.algorithms.mixed import enumerate_equilibria, support_enumeration
from negsim.games.algorithms.nashpy_bridge import nashpy_equilibria
from negsim.games.algorithms.payoffs import (
    action_values,
    expected_payoffs,
    mixed_regret,
    pure_regret,
)
from negsim.games.algorithms.pure import (
    best_actions,
    is_pure_equilibrium,
    profitable_deviations,
    pure_equilibrium_mask,
    tie_tolerance,
)
from negsim.games.algorithms.qre import LimitingNash, QREPath, logit_branch, logit_limit
from negsim.games.algorithms.rubinstein import rubinstein, rubinstein_rates

__all__ = [
    "BargainingResult",
    "IRResult",
    "LimitingNash",
    "QREConvergenceError",
    "QREPath",
    "QRESystem",
    "action_values",
    "best_actions",
    "branch_points",
    "enumerate_equilibria",
    "expected_payoffs",
    "follow_branch",
    "individually_rational",
    "interior_mixture",
    "is_pure_equilibrium",
    "iterated_elimination",
    "kalai_smorodinsky",
    "logit_branch",
    "logit_choice_probabilities",
    "logit_limit",
    "max_linear",
    "mixed_regret",
    "nash_bargaining",
    "nash_on_hull",
    "nashpy_equilibria",
    "pareto_matrix",
    "payoff_dominant_index",
    "profitable_deviations",
    "pure_equilibrium_mask",
    "pure_regret",
    "rubinstein",
    "rubinstein_rates",
    "support_enumeration",
    "tie_tolerance",
]
