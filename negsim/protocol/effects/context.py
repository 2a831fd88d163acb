"""What an effect kind's hook sees of a batch, and the sum of every kind's terms.

:class:`EffectContext` holds a batch's parameters, who committed to which commitment and
each commitment's breach costs; :func:`effect_terms` asks each registered kind present in
a scenario for its terms (:meth:`negsim.scenario.effects.EffectKind.terms`) and adds them
up by key. Called once per batch by :func:`negsim.protocol.structure.compliance_inputs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from negsim.scenario.effects import effect_kind, effect_kinds

__all__ = ["EffectContext", "effect_terms"]


@dataclass(frozen=True)
class EffectContext:
    """A batch's commitments, as an effect kind's :meth:`terms` reads them.

    Attributes
    ----------
    p : Params
        The batch's parameters (:class:`negsim.protocol.params.Params`).
    committed : ndarray of bool, shape (R, n, c)
        Who committed to which commitment (at any conference).
    cost : ndarray, shape (R, n, c)
        Each commitment's ``breach_cost`` where the actor committed to it, else 0.
    beneficiaries : tuple of ndarray of int
        Per commitment, the actor indices of its ``beneficiaries``.
    fields : tuple of str
        The last axis of ``p.effect_numbers``.

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.params import compile_scenario
    >>> from negsim.protocol.structure import structure
    >>> s = negsim.load_scenario("tests/data/scenarios/relief.toml")
    >>> st, p = structure(s), compile_scenario(s)
    >>> ctx = EffectContext.of(st, p, np.ones((1, len(st.actor_ids), 3), bool))
    >>> ctx.number(0, "value").tolist(), ctx.beneficiaries[0].tolist()
    ([0.15], [0])
    """

    p: Any
    committed: np.ndarray
    cost: np.ndarray
    beneficiaries: tuple[np.ndarray, ...]
    fields: tuple[str, ...]

    @classmethod
    def of(cls, st: Any, p: Any, committed: np.ndarray) -> EffectContext:
        """Build the context of a batch from its structure, parameters and commitments.

        Examples
        --------
        >>> import negsim
        >>> from negsim.protocol.params import compile_scenario
        >>> from negsim.protocol.structure import structure
        >>> s = negsim.load_scenario("libya-2020")
        >>> EffectContext.of(structure(s), compile_scenario(s), np.zeros((1, 6, 3), bool)
        ...                  ).cost.shape
        (1, 6, 3)
        """
        return cls(p, committed, p.breach_cost[:, None, :] * committed,
                   st.commitment_beneficiaries, st.effect_fields)

    def number(self, c: int, name: str) -> np.ndarray:
        """Return commitment ``c``'s sourced number ``name`` in every run, shape ``(R,)``.

        Examples
        --------
        >>> import negsim
        >>> from negsim.protocol.params import compile_scenario
        >>> from negsim.protocol.structure import structure
        >>> s = negsim.load_scenario("tests/data/scenarios/relief.toml")
        >>> ctx = EffectContext.of(structure(s), compile_scenario(s, runs=2),
        ...                        np.zeros((2, 4, 3), bool))
        >>> ctx.number(2, "detection").tolist()
        [0.6, 0.6]
        """
        return self.p.effect_numbers[:, c, self.fields.index(name)]

    def zeros(self) -> np.ndarray:
        """Return an array of zeros of shape ``(R, n)``, for a kind to add its terms to.

        Examples
        --------
        >>> ctx = EffectContext(None, np.zeros((2, 3, 1), bool), np.zeros((2, 3, 1)), (), ())
        >>> ctx.zeros().shape
        (2, 3)
        """
        return np.zeros(self.committed.shape[:2])


def effect_terms(ctx: EffectContext, effects: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Add up the terms of every registered kind over its commitments.

    ``effects`` is each commitment's effect. Kinds are asked in registration order, each
    once with the indices of all its commitments; a key's first term is kept as it is and
    later ones are added to it, so a scenario whose commitments are all of one kind per key
    gets exactly that kind's arrays.

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.params import compile_scenario
    >>> from negsim.protocol.structure import structure
    >>> s = negsim.load_scenario("libya-2020")
    >>> st, p = structure(s), compile_scenario(s)
    >>> terms = effect_terms(EffectContext.of(st, p, np.ones((1, 6, 3), bool)),
    ...                      st.commitment_effect)
    >>> sorted(terms), bool(terms["embargo"][0, 5] == p.breach_cost[0, 0])
    (['embargo', 'support'], True)
    """
    out: dict[str, np.ndarray] = {}
    for name in effect_kinds():
        idx = np.array([c for c, e in enumerate(effects) if e == name], dtype=int)
        if not len(idx):
            continue
        for key, term in effect_kind(name).terms(ctx, idx).items():
            out[key] = term if key not in out else out[key] + term
    return out
