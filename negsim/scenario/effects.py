"""The registry of commitment effects: what a commitment made at a conference does.

A commitment's ``effect`` (``[commitments.ID] effect = ...``) names a registered
:class:`EffectKind`, which declares

* the extra fields a commitment of the kind takes: sourced numbers (``required`` and
  ``optional``; their valid ranges are those of
  :data:`negsim.scenario.vocabulary.FIELD_RANGES`) and whether it names ``beneficiaries``
  (actors it benefits),
* ``doc``, one sentence on what it does (for the reference and messages),
* ``monitors``: its commitments count in the monitoring share (the ``monitoring`` kind),
* ``patron_choice``: its ``keep``/``break`` phrases name the patrons' compliance choice
  (the ``embargo`` kind),
* ``break_cost_on``: on whom its costs of ending the deal fall (for the words of a reason:
  "its patrons' pressure", "the costs of its own commitments"), and
* :meth:`EffectKind.terms`, the kind's contribution to the inputs of the compliance game and
  of the implementation phase, vectorised over runs.

The registry lives in the bottom layer so that scenario files are validated against every
registered kind; the hook receives the protocol's arrays and imports nothing above this
layer. The built-in kinds are registered by :mod:`negsim.protocol.effects`, one module
each.

Examples
--------
>>> import negsim
>>> effect_kinds()
('embargo', 'ceasefire_support', 'monitoring', 'sanctions_relief', 'inspections', 'payments')
>>> effect_kind("sanctions_relief").required, effect_kind("sanctions_relief").beneficiaries
(('value',), True)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import numpy as np

from negsim._registry import Registry

__all__ = [
    "EffectKind",
    "effect_kind",
    "effect_kinds",
    "effect_number_fields",
    "register_effect",
    "unregister_effect",
]

_REGISTRY: Registry[EffectKind] = Registry("commitment effect")

#: The keys :meth:`EffectKind.terms` may return, each an array of shape (R, n).
TERMS = ("embargo", "support", "break_cost", "bonus")


class EffectKind:
    """One kind of commitment effect. Subclass it, set the class attributes, register it.

    Attributes
    ----------
    name : str
        The value of ``effect`` in ``[commitments.ID]``.
    required, optional : tuple of str
        The sourced numbers a commitment of the kind takes besides ``breach_cost``.
    beneficiaries : bool
        Whether it needs a non-empty ``beneficiaries`` list of actor ids.
    monitors : bool
        Its commitments count in the monitoring share (they reduce the first-strike bonus
        and raise the detection of deliveries).
    patron_choice : bool
        Its ``keep``/``break`` phrases name the patrons' compliance choice.
    break_cost_on : str
        On whom the costs of ending the deal that its commitments bring fall, as its
        :meth:`terms` give them: ``"clients"`` (the clients of a committed patron, through
        its leverage: a ``support`` term), ``"committed"`` (the committed actor itself: a
        ``break_cost`` term) or ``""`` (nobody). Only the words of the implementation
        phase's reasons read it (what breaking costs a side: its patrons' pressure, the
        costs of its own commitments).
    doc : str
        What it does, in one sentence.

    Examples
    --------
    >>> class Amnesty(EffectKind):
    ...     name = "amnesty"
    ...     doc = "the committed actor grants an amnesty"
    >>> Amnesty().fields, Amnesty().terms(None, np.array([0]))
    ((), {})
    """

    name: ClassVar[str] = ""
    required: ClassVar[tuple[str, ...]] = ()
    optional: ClassVar[tuple[str, ...]] = ()
    beneficiaries: ClassVar[bool] = False
    monitors: ClassVar[bool] = False
    patron_choice: ClassVar[bool] = False
    break_cost_on: ClassVar[str] = ""
    doc: ClassVar[str] = ""

    @property
    def fields(self) -> tuple[str, ...]:
        """The extra sourced numbers of the kind, required first.

        Examples
        --------
        >>> import negsim
        >>> effect_kind("payments").fields
        ('amount',)
        """
        return (*self.required, *self.optional)

    def terms(self, ctx: Any, idx: np.ndarray) -> dict[str, np.ndarray]:
        """Return the kind's contribution from its commitments ``idx`` (scenario indices).

        ``ctx`` is a :class:`negsim.protocol.effects.context.EffectContext` (the batch's
        parameters, who committed to what, and each commitment's breach costs). Returns
        arrays of shape ``(R, n)`` under some of the keys ``embargo`` (what breaking the arms
        embargo costs each actor), ``support`` (each patron's ceasefire-support costs, turned
        into pressure on its clients through leverage), ``break_cost`` (what ending the deal
        costs each actor) and ``bonus`` (what the deal is worth to each actor on top of the
        text while it holds). The default contributes nothing.

        Examples
        --------
        >>> EffectKind().terms(None, np.array([], dtype=int))
        {}
        """
        return {}

    def __repr__(self) -> str:
        return f"<commitment effect {self.name!r}>"


def register_effect(kind: EffectKind, *, replace: bool = False) -> EffectKind:
    """Register a commitment effect under its ``name`` and return it.

    Raises
    ------
    ValueError
        If the name is not an identifier or is already registered (and ``replace`` is
        False).

    Examples
    --------
    >>> class Amnesty(EffectKind):
    ...     name = "amnesty_example"
    >>> register_effect(Amnesty())
    <commitment effect 'amnesty_example'>
    >>> unregister_effect("amnesty_example")
    """
    if not isinstance(kind, EffectKind):
        raise TypeError(f"expected an EffectKind instance, got {type(kind).__name__}")
    return _REGISTRY.add(kind.name, kind, replace=replace)


def effect_kind(name: str) -> EffectKind:
    """Return the registered effect of that name.

    Raises
    ------
    KeyError
        If no effect of that name is registered (the message lists those that are).

    Examples
    --------
    >>> import negsim
    >>> effect_kind("monitoring").monitors
    True
    """
    return _REGISTRY.get(name)


def effect_kinds() -> tuple[str, ...]:
    """Return the names of the registered effects, in registration order.

    Examples
    --------
    >>> import negsim
    >>> effect_kinds()[:3]
    ('embargo', 'ceasefire_support', 'monitoring')
    """
    return _REGISTRY.names()


def unregister_effect(name: str) -> None:
    """Remove a registered effect (for tests and plugins that register temporarily).

    Examples
    --------
    >>> class Amnesty(EffectKind):
    ...     name = "amnesty_example2"
    >>> _ = register_effect(Amnesty())
    >>> unregister_effect("amnesty_example2")
    >>> "amnesty_example2" in effect_kinds()
    False
    """
    _REGISTRY.remove(name)


def effect_number_fields(commitments: Iterable[Any]) -> tuple[str, ...]:
    """Return the extra sourced numbers the commitments carry, in order of first appearance.

    The last axis of :attr:`negsim.protocol.params.Params.effect_numbers`.

    Examples
    --------
    >>> import negsim
    >>> effect_number_fields(negsim.load_scenario("libya-2020").commitments)
    ()
    >>> s = negsim.load_scenario("tests/data/scenarios/relief.toml")
    >>> effect_number_fields(s.commitments)
    ('value', 'amount', 'detection')
    """
    out: dict[str, None] = {}
    for c in commitments:
        for f in getattr(c, "numbers", {}):
            out.setdefault(f, None)
    return tuple(out)
