"""The registry of outside-option kinds: what an actor gets if there is no deal.

An *outside option kind* (``fight_on``, ``no_deal``, ``contingent``, or one you add) is one
subclass of :class:`OutsideOptionKind`, registered with :func:`register_outside_option`
and chosen per actor with ``kind = "..."`` in ``[actors.X.outside_option]`` (default
``fight_on``). The kind says, in one place,

- which sourced numbers its table takes (``required`` and ``optional``, validated while a
  scenario file is read, so errors name the file and field),
- whether the actor's value comes from the war (``at_war``: only ``fight_on``, whose
  actors must not be ``party``),
- what refusing or breaking the deal is worth, per period, when nobody has the deal
  (:meth:`OutsideOptionKind.refusal_values`) and when the actor alone stays out while the
  others sign or keep it (:meth:`OutsideOptionKind.alone_values`), vectorised over runs.

The registry lives in the bottom layer so that scenario files are validated against every
registered kind; the value hooks receive the protocol's arrays and import nothing above
this layer. The built-in kinds are registered by :mod:`negsim.protocol.outside`.

Examples
--------
>>> import negsim
>>> outside_option_kinds()
('fight_on', 'no_deal', 'contingent')
>>> outside_option_kind("no_deal").required
('value', 'discount')
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from negsim._registry import Registry

__all__ = [
    "OutsideOptionKind",
    "outside_option_kind",
    "outside_option_kinds",
    "register_outside_option",
    "unregister_outside_option",
]

_REGISTRY: Registry[OutsideOptionKind] = Registry("outside option kind")


class OutsideOptionKind:
    """One kind of outside option. Subclass it, set the class attributes, register it.

    Attributes
    ----------
    name : str
        The value of ``kind`` in ``[actors.X.outside_option]``.
    required, optional : tuple of str
        The sourced numbers of its table (their valid ranges are those of
        :data:`negsim.scenario.vocabulary.FIELD_RANGES`), in the order they are written.
    at_war : bool
        The value is the value of fighting on (the contest model of the belligerents).
    alternative : str
        What the actor gets instead of the deal, in words, for explanations ("the text is
        worth less to it than ...").

    Examples
    --------
    >>> class Court(OutsideOptionKind):
    ...     name = "court_ruling"
    ...     required = ("value", "discount")
    >>> Court().alternative
    'its outside option'
    """

    name: ClassVar[str] = ""
    required: ClassVar[tuple[str, ...]] = ()
    optional: ClassVar[tuple[str, ...]] = ()
    at_war: ClassVar[bool] = False
    alternative: ClassVar[str] = "its outside option"

    def refusal_values(self, p: Any, war: np.ndarray, actors: np.ndarray) -> np.ndarray:
        """Per-period value of no deal for anyone, for ``actors``, shape ``(R, len(actors))``.

        ``p`` is a batch's :class:`negsim.protocol.params.Params`, ``war`` every actor's
        value of fighting on ``(R, n)``. The default is the value of fighting on.

        Examples
        --------
        >>> OutsideOptionKind().refusal_values(None, np.ones((1, 3)), np.array([2])).tolist()
        [[1.0]]
        """
        return war[:, actors]

    def alone_values(self, p: Any, war: np.ndarray, actors: np.ndarray) -> np.ndarray:
        """Per-period value of staying out alone while the others sign or keep the deal.

        Same arguments as :meth:`refusal_values`, which it defaults to.

        Examples
        --------
        >>> OutsideOptionKind().alone_values(None, np.zeros((1, 2)), np.array([0])).tolist()
        [[0.0]]
        """
        return self.refusal_values(p, war, actors)

    @property
    def depends_on_others(self) -> bool:
        """Whether the value of staying out depends on the others' choices.

        Examples
        --------
        >>> OutsideOptionKind().depends_on_others
        False
        """
        return type(self).alone_values is not OutsideOptionKind.alone_values

    def __repr__(self) -> str:
        return f"<outside option kind {self.name!r}>"


def register_outside_option(kind: OutsideOptionKind, *, replace: bool = False) -> (
    OutsideOptionKind
):
    """Register an outside-option kind under its ``name`` and return it.

    Raises
    ------
    ValueError
        If the name is not an identifier or is already registered (and ``replace`` is
        False).

    Examples
    --------
    >>> class Court(OutsideOptionKind):
    ...     name = "court_example"
    ...     required = ("value", "discount")
    >>> register_outside_option(Court())
    <outside option kind 'court_example'>
    >>> unregister_outside_option("court_example")
    """
    if not isinstance(kind, OutsideOptionKind):
        raise TypeError(f"expected an OutsideOptionKind instance, got {type(kind).__name__}")
    return _REGISTRY.add(kind.name, kind, replace=replace)


def outside_option_kind(name: str) -> OutsideOptionKind:
    """Return the registered kind of that name.

    Raises
    ------
    KeyError
        If no kind of that name is registered.

    Examples
    --------
    >>> import negsim
    >>> outside_option_kind("fight_on").at_war
    True
    """
    return _REGISTRY.get(name)


def outside_option_kinds() -> tuple[str, ...]:
    """Return the names of the registered kinds, in registration order.

    Examples
    --------
    >>> import negsim
    >>> outside_option_kinds()[0]
    'fight_on'
    """
    return _REGISTRY.names()


def unregister_outside_option(name: str) -> None:
    """Remove a registered kind (for tests and plugins that register temporarily).

    Examples
    --------
    >>> class Court(OutsideOptionKind):
    ...     name = "court_example2"
    >>> _ = register_outside_option(Court())
    >>> unregister_outside_option("court_example2")
    >>> "court_example2" in outside_option_kinds()
    False
    """
    _REGISTRY.remove(name)

