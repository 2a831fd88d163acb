"""A named registry: the one home of negsim's extension points.

Round kinds (:mod:`negsim.scenario.kinds`), outside-option kinds
(:mod:`negsim.scenario.outside`) and mediators' draft rules
(:mod:`negsim.protocol.rounds.drafts`) are each a :class:`Registry`; their modules front
it with typed ``register_*``/lookup functions. Extending negsim is registering an entry,
never editing an ``if kind == ...`` chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """Entries of one kind under unique identifier names, in registration order.

    Parameters
    ----------
    label : str
        What an entry is, for messages ("round kind", "draft rule").

    Examples
    --------
    >>> rules = Registry[int]("draft rule")
    >>> rules.add("nash", 1)
    1
    >>> rules.get("nash"), rules.names()
    (1, ('nash',))
    >>> rules.get("nosh")
    Traceback (most recent call last):
    ...
    KeyError: "unknown draft rule 'nosh' (registered: nash)"
    >>> rules.add("nash", 2)
    Traceback (most recent call last):
    ...
    ValueError: draft rule 'nash' is already registered
    >>> rules.add("not a name", 3)
    Traceback (most recent call last):
    ...
    ValueError: a draft rule needs an identifier as its name, got 'not a name'
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self._entries: dict[str, T] = {}

    def add(self, name: str, entry: T, *, replace: bool = False) -> T:
        """Register ``entry`` under ``name`` and return it.

        Raises
        ------
        ValueError
            If ``name`` is not an identifier, or is taken and ``replace`` is False.

        Examples
        --------
        >>> r = Registry[str]("outside option kind")
        >>> r.add("", "x")
        Traceback (most recent call last):
        ...
        ValueError: an outside option kind needs an identifier as its name, got ''
        """
        if not name or not name.isidentifier():
            article = "an" if self.label[:1] in "aeiou" else "a"
            raise ValueError(f"{article} {self.label} needs an identifier as its name, got "
                             f"{name!r}")
        if name in self._entries and not replace:
            raise ValueError(f"{self.label} {name!r} is already registered")
        self._entries[name] = entry
        return entry

    def get(self, name: str) -> T:
        """Return the entry registered under ``name``.

        Raises
        ------
        KeyError
            If there is none (the message lists the registered names).

        Examples
        --------
        >>> Registry[int]("round kind").get("x")
        Traceback (most recent call last):
        ...
        KeyError: "unknown round kind 'x' (registered: )"
        """
        try:
            return self._entries[name]
        except KeyError:
            raise KeyError(f"unknown {self.label} {name!r} (registered: "
                           f"{', '.join(self._entries)})") from None

    def remove(self, name: str) -> None:
        """Remove the entry registered under ``name`` (:meth:`get`'s error if there is none).

        Examples
        --------
        >>> r = Registry[int]("round kind")
        >>> _ = r.add("pause", 1)
        >>> r.remove("pause")
        >>> r.names()
        ()
        """
        self.get(name)
        del self._entries[name]

    def names(self) -> tuple[str, ...]:
        """Return the registered names, in registration order.

        Examples
        --------
        >>> r = Registry[int]("round kind")
        >>> _ = r.add("b", 1), r.add("a", 2)
        >>> r.names()
        ('b', 'a')
        """
        return tuple(self._entries)

    def __iter__(self) -> Iterator[T]:
        """Iterate over the entries, in registration order."""
        return iter(self._entries.values())

    def __repr__(self) -> str:
        return f"<registry of {self.label}s: {', '.join(self._entries)}>"
