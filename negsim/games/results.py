"""What the solvers of :class:`~negsim.games.NormalFormGame` return, beyond arrays.

:class:`NashResult` holds the equilibria computed by
:meth:`~negsim.games.NormalFormGame.solve` with the method, its parameters and the library
versions; :class:`CoalitionDeviation` is one profitable joint deviation from a pure
profile (:meth:`~negsim.games.NormalFormGame.coalition_deviations`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from negsim.games.strategic_form import StrategicForm

__all__ = ["CoalitionDeviation", "NashResult"]


@dataclass(frozen=True)
class CoalitionDeviation:
    """A joint deviation from a pure profile in which every deviating player gains.

    Attributes
    ----------
    coalition : tuple of int
        The players who change their action (sorted).
    profile : tuple of int
        The profile after the deviation (the other players keep their actions).
    gains : tuple of float
        Each coalition member's payoff gain, in the order of ``coalition``.

    Examples
    --------
    >>> from negsim.games import NormalFormGame
    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> (dev,) = pd.coalition_deviations((1, 1))
    >>> dev.coalition, dev.profile, dev.gains
    ((0, 1), (0, 0), (2.0, 2.0))
    """

    coalition: tuple[int, ...]
    profile: tuple[int, ...]
    gains: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class NashResult:
    """Equilibria computed by :meth:`NormalFormGame.solve`, with how they were computed.

    Modelled on pygambit's ``NashComputationResult``. Arrays are read-only; equality is
    identity.

    Attributes
    ----------
    game : NormalFormGame
        The game solved.
    method : str
        The method used (see :meth:`NormalFormGame.solve`).
    equilibria : tuple of tuple of ndarray
        One profile per equilibrium: a probability vector per player.
    regrets : tuple of float
        Each equilibrium's largest regret (gain from a unilateral deviation), in payoff
        units: a check on the answer.
    parameters : Mapping
        The method's parameters.
    versions : Mapping
        Versions of the libraries involved.

    Examples
    --------
    >>> from negsim.games import NormalFormGame
    >>> bos = NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    >>> res = bos.solve()
    >>> res.method, len(res), max(res.regrets) < 1e-12, sorted(res.versions)
    ('enumeration', 3, True, ['negsim', 'numpy'])
    >>> [(p.round(2).tolist(), q.round(2).tolist()) for p, q in res.equilibria][1]
    ([0.6, 0.4], [0.4, 0.6])
    """

    game: StrategicForm
    method: str
    equilibria: tuple[tuple[np.ndarray, ...], ...]
    regrets: tuple[float, ...]
    parameters: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    versions: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __len__(self) -> int:
        return len(self.equilibria)
