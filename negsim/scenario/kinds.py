"""The registry of round kinds: what a timeline entry of each kind is and does.

A *round kind* (``event``, ``mediated_round``, ``conference``, or one you add) is one
subclass of :class:`RoundKind` in one module, registered with :func:`register_round_kind`.
The kind says, in one place,

- how a timeline entry of the kind is validated (:meth:`RoundKind.validate`, called while a
  scenario file is read, so errors name the file and field),
- how many uniforms a run draws for it (:meth:`RoundKind.draws`),
- how a batch of runs plays it on arrays (:meth:`RoundKind.play_batch`, the vectorised
  engine and the fixed-text ensembles),
- how the Mesa agents play it (:meth:`RoundKind.play_agents`, the reference model), and
- its results: the result type of one run, the columns of the runs table, and how an
  observed decision is read from those columns (:meth:`RoundKind.happened`).

The registry lives in the bottom layer so that a scenario file is validated against every
registered kind; the playing hooks receive the protocol's and the model's objects as
arguments and import nothing above this layer. The built-in kinds are registered by
:mod:`negsim.protocol.rounds`.

Examples
--------
>>> import negsim
>>> round_kinds()
('event', 'mediated_round', 'conference', 'implementation')
>>> round_kind("conference").decisions
('commit', 'no_commit')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from negsim._registry import Registry

__all__ = [
    "EntryCheck",
    "RoundKind",
    "deciding_kind",
    "register_round_kind",
    "round_kind",
    "round_kinds",
    "unregister_round_kind",
]

_REGISTRY: Registry[RoundKind] = Registry("round kind")


@dataclass(frozen=True)
class EntryCheck:
    """What a kind's validator sees of one timeline entry while a file is read.

    Attributes
    ----------
    path : str
        The entry's path in the file, e.g. ``"timeline[2]"``.
    table : Mapping
        The entry's raw TOML table (keys present in the file).
    lists : Mapping of str to tuple of str
        The entry's validated ``participants``, ``mediators``, ``observers`` and
        ``commitments`` (empty where absent).
    actors : Mapping
        The scenario's actors by id (for roles).
    fail : callable
        ``fail(path, message)`` records a problem at a path.
    join : callable
        ``join(path, key)`` builds the path of a key (quoting it where TOML would).

    Examples
    --------
    >>> problems = []
    >>> check = EntryCheck("timeline[0]", {}, {}, {}, lambda p, m: problems.append((p, m)),
    ...                    lambda p, k: f"{p}.{k}")
    >>> check.fail(check.field("participants"), "missing")
    >>> problems
    [('timeline[0].participants', 'missing')]
    """

    path: str
    table: Mapping[str, Any]
    lists: Mapping[str, tuple[str, ...]]
    actors: Mapping[str, Any]
    fail: Callable[[str, str], None]
    join: Callable[[str, str], str]

    def field(self, name: str) -> str:
        """Return the path of one of the entry's keys.

        Examples
        --------
        >>> EntryCheck("timeline[1]", {}, {}, {}, print, lambda p, k: p + "." + k).field("id")
        'timeline[1].id'
        """
        return self.join(self.path, name)

    def require_list(self, name: str, missing: str, empty: str) -> None:
        """Fail unless the entry has a non-empty list ``name``.

        Examples
        --------
        >>> EntryCheck("t", {"mediators": []}, {}, {}, print,
        ...            lambda p, k: p + "." + k).require_list("mediators", "none", "empty")
        t.mediators empty
        """
        if name not in self.table:
            self.fail(self.field(name), missing)
        elif isinstance(self.table[name], list) and not self.table[name]:
            self.fail(self.field(name), empty)

    def require_role(self, name: str, role: str, message: str) -> None:
        """Fail for each actor of list ``name`` without ``role``; ``message`` formats ``{actor}``.

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> actors = {"A": SimpleNamespace(has_role=lambda r: False)}
        >>> EntryCheck("t", {}, {"mediators": ("A",)}, actors, print,
        ...            lambda p, k: p + "." + k).require_role("mediators", "mediator",
        ...                                                   "{actor} is no mediator")
        t.mediators[0] 'A' is no mediator
        """
        for j, a in enumerate(self.lists.get(name, ())):
            if a in self.actors and not self.actors[a].has_role(role):
                self.fail(f"{self.field(name)}[{j}]", message.format(actor=repr(a)))


    def require_outside_option(self, name: str, who: str) -> None:
        """Fail for each actor of list ``name`` that has no outside option it can decide on.

        An actor can refuse or break a deal if it has an outside option; one whose kind is
        at war (``fight_on``) must be a belligerent. ``who`` names the list's actors in the
        messages (``"the participants of a mediated_round"``).

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> ally = SimpleNamespace(outside_option=None, has_role=lambda r: False)
        >>> EntryCheck("t", {}, {"participants": ("Ally",)}, {"Ally": ally}, print,
        ...            lambda p, k: p + "." + k).require_outside_option(
        ...     "participants", "the participants of a mediated_round")
        t.participants[0] 'Ally' is not a belligerent and has no outside option: the
        participants of a mediated_round need one ([actors.Ally.outside_option], e.g. kind =
        "no_deal" for a party that is not at war)
        """
        from negsim.scenario.outside import outside_option_kind, outside_option_kinds

        for j, a in enumerate(self.lists.get(name, ())):
            actor = self.actors.get(a)
            if actor is None:
                continue
            oo, at = actor.outside_option, f"{self.field(name)}[{j}]"
            if actor.has_role("belligerent"):
                continue
            if oo is None:
                self.fail(at, f"{a!r} is not a belligerent and has no outside option: {who} "
                          f"need one ([actors.{a}.outside_option], e.g. kind = \"no_deal\" "
                          "for a party that is not at war)")
            elif oo.kind in outside_option_kinds() and outside_option_kind(oo.kind).at_war:
                self.fail(at, f"{a!r} is not a belligerent: its outside option is {oo.kind} "
                          f"(fighting on), which {who} can have only as belligerents; give it "
                          "another kind (e.g. kind = \"no_deal\") or list it as a mediator "
                          "or observer")


class RoundKind:
    """One kind of timeline entry. Subclass it, set the class attributes, register it.

    Attributes
    ----------
    name : str
        The value of ``kind`` in a scenario file.
    lists : frozenset of str
        The actor and commitment lists an entry of this kind may have besides
        ``observers`` (``participants``, ``mediators``, ``commitments``).
    decisions : tuple of str
        The decisions that observations of this kind record (for backtests).
    decision_place : str
        Where those decisions are taken, for messages (``"at a conference"``).
    observation_kind : str
        The name of those observations in backtest tables (``"sign"``, ``"commit"``).
    signs_text : bool
        Whether participants sign or refuse a text in it: the outcome of a run is
        classified from the last such round.
    decides : bool
        Whether anyone decides anything in it (an ``event`` does not).
    fields : frozenset of str
        Scalar keys an entry of this kind takes besides the common ones (``horizon``).
    model_fields : tuple of str
        Optional ``[model]`` fields the kind needs (checked when a file is read).
    dated : bool
        Whether observations of its decisions are made at a ``date`` inside the entry (the
        months of an implementation phase); their ``actor`` is then optional.
    plays_text_in_force : bool
        Whether it plays out the text in force after the talks and decides whether it holds
        (the implementation phase, which sets ``RoundState.broken``): a fixed-text ensemble
        (:mod:`negsim.analysis.fixedtext`) plays such an entry, placed after the last round
        that puts a text to signature, on every text it evaluates.

    Examples
    --------
    >>> class Pause(RoundKind):
    ...     name = "pause"
    >>> Pause().draws(None, None), Pause.decides
    (0, True)
    """

    name: ClassVar[str] = ""
    lists: ClassVar[frozenset[str]] = frozenset({"participants"})
    decisions: ClassVar[tuple[str, ...]] = ()
    decision_place: ClassVar[str] = ""
    observation_kind: ClassVar[str] = ""
    signs_text: ClassVar[bool] = False
    decides: ClassVar[bool] = True
    fields: ClassVar[frozenset[str]] = frozenset()
    model_fields: ClassVar[tuple[str, ...]] = ()
    dated: ClassVar[bool] = False
    plays_text_in_force: ClassVar[bool] = False

    # --- scenario layer ----------------------------------------------------------------
    def validate(self, check: EntryCheck) -> None:
        """Record the problems of an entry of this kind with ``check.fail`` (default none).

        Examples
        --------
        >>> RoundKind().validate(None) is None
        True
        """

    # --- protocol layer -----------------------------------------------------------------
    def draws(self, entry: Any, scenario: Any) -> int:
        """Return how many uniforms a run draws for the entry (drawn even when unused).

        Examples
        --------
        >>> RoundKind().draws(None, None)
        0
        """
        return 0

    def play_batch(self, entry: Any, state: Any, u: np.ndarray, cols: dict[str, object]) -> None:
        """Play the entry for a batch of runs on arrays.

        ``state`` is a :class:`negsim.protocol.state.RoundState` (updated in place), ``u``
        the runs' uniforms of this entry (shape ``(runs, draws)``), and ``cols`` receives the
        entry's columns of the runs table. The default plays nothing.

        Examples
        --------
        >>> RoundKind().play_batch(None, None, np.empty((0, 0)), {}) is None
        True
        """

    # --- sim layer ----------------------------------------------------------------------
    def play_agents(self, entry: Any, model: Any, u: np.ndarray) -> Any:
        """Play the entry with the Mesa agents of one run and return its result (or None).

        ``model`` is the :class:`negsim.NegotiationModel`; ``u`` this entry's uniforms of
        the run (shape ``(draws,)``). The result must equal, column by column, what
        :meth:`play_batch` writes for the same run. The default plays nothing.

        Examples
        --------
        >>> RoundKind().play_agents(None, None, np.empty(0)) is None
        True
        """
        return None

    def observation_problem(self, entry: Any, actor: str | None, decision: str,
                            date: Any) -> tuple[str, str] | None:
        """Return the key and the problem of an observation of ``decision`` in ``entry``.

        Called when a scenario file is read, for the kinds with decisions; ``date`` is the
        observation's date (None if it has none). None means no problem. The default
        accepts undated observations and refuses a date.

        Examples
        --------
        >>> import datetime
        >>> RoundKind().observation_problem(None, "A", "sign", datetime.date(2020, 1, 1))
        ('date', "a date is only for observations during an implementation phase, not in a ''")
        """
        if date is not None:
            return "date", (f"a date is only for observations during an implementation phase, "
                            f"not in a {self.name!r}")
        return None

    def observation_kind_of(self, decision: str) -> str:
        """Return the name of the observations of ``decision`` in backtest tables.

        The default is :attr:`observation_kind` for every decision; a kind whose decisions
        are about different things (the ``implementation`` phase: the ceasefire and the
        embargo) names each.

        Examples
        --------
        >>> import negsim
        >>> round_kind("conference").observation_kind_of("no_commit")
        'commit'
        """
        return self.observation_kind

    def actor_problem(self, entry: Any, actor: str, decision: str,
                      actors: Mapping[str, Any]) -> str | None:
        """Return the problem of naming ``actor`` in an observation of ``decision``, or None.

        ``actors`` are the scenario's actors by id (empty where they are not known). The
        default requires a participant of the entry.

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> e = SimpleNamespace(id="talks", participants=("A", "B"))
        >>> RoundKind().actor_problem(e, "C", "sign", {})
        "'C' is not a participant of 'talks' (participants: A, B)"
        """
        if actor in entry.participants:
            return None
        return (f"{actor!r} is not a participant of {entry.id!r} "
                f"(participants: {', '.join(entry.participants) or 'none'})")

    def commitment_use(self, decision: str) -> str:
        """Return whether an observation of ``decision`` names a commitment.

        ``"required"``, ``"optional"`` or ``""`` (it names none). The default: required for
        the kinds that list ``commitments`` (a conference's pledges), else none.

        Examples
        --------
        >>> import negsim
        >>> round_kind("conference").commitment_use("commit"), RoundKind().commitment_use("x")
        ('required', '')
        """
        return "required" if "commitments" in self.lists else ""

    def commitment_problem(self, entry: Any, decision: str, commitment: str,
                           commitments: Mapping[str, Any]) -> str | None:
        """Return the problem of naming ``commitment`` in an observation, or None.

        ``commitments`` are the scenario's commitments by id (empty where not known). The
        default requires a commitment on the table at the entry, for the kinds that list
        them.

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> class Talks(RoundKind):
        ...     lists = frozenset({"participants", "commitments"})
        >>> Talks().commitment_problem(SimpleNamespace(id="t", commitments=("a",)), "commit",
        ...                            "b", {})
        "'b' is not on the table at 't' (commitments: a)"
        """
        if "commitments" not in self.lists or commitment in entry.commitments:
            return None
        return (f"{commitment!r} is not on the table at {entry.id!r} "
                f"(commitments: {', '.join(entry.commitments) or 'none'})")

    # --- results ------------------------------------------------------------------------
    def happened(self, runs: Any, entry: Any, actor: str, commitment: str | None,
                 value: str) -> np.ndarray:
        """Return, per run, whether ``actor`` took the decision ``value`` in the entry.

        ``runs`` is a runs table (:func:`negsim.sim.engine.simulate_runs`). Kinds with
        decisions override this; the default raises. A ``dated`` kind takes the
        observation's date as a further argument, ``date``.

        Examples
        --------
        >>> RoundKind().happened(None, None, "A", None, "sign")
        Traceback (most recent call last):
        ...
        ValueError: a '' entry records no decisions
        """
        raise ValueError(f"a {self.name!r} entry records no decisions")

    def __repr__(self) -> str:
        return f"<round kind {self.name!r}>"


def register_round_kind(kind: RoundKind, *, replace: bool = False) -> RoundKind:
    """Register a round kind under its ``name`` and return it.

    Parameters
    ----------
    kind : RoundKind
    replace : bool
        Allow replacing a registered kind of the same name (default: an error).

    Raises
    ------
    ValueError
        If the name is empty or already registered (and ``replace`` is False).

    Examples
    --------
    >>> class Pause(RoundKind):
    ...     name = "pause_example"
    >>> register_round_kind(Pause())
    <round kind 'pause_example'>
    >>> "pause_example" in round_kinds()
    True
    >>> unregister_round_kind("pause_example")
    """
    if not isinstance(kind, RoundKind):
        raise TypeError(f"expected a RoundKind instance, got {type(kind).__name__}")
    return _REGISTRY.add(kind.name, kind, replace=replace)


def round_kind(name: str) -> RoundKind:
    """Return the registered kind of that name.

    Raises
    ------
    KeyError
        If no kind of that name is registered.

    Examples
    --------
    >>> import negsim
    >>> round_kind("mediated_round").signs_text
    True
    """
    return _REGISTRY.get(name)


def round_kinds() -> tuple[str, ...]:
    """Return the names of the registered kinds, in registration order.

    Examples
    --------
    >>> import negsim
    >>> round_kinds()[:3]
    ('event', 'mediated_round', 'conference')
    """
    return _REGISTRY.names()


def unregister_round_kind(name: str) -> None:
    """Remove a registered kind (for tests and plugins that register temporarily).

    Raises
    ------
    KeyError
        If no kind of that name is registered.

    Examples
    --------
    >>> class Pause(RoundKind):
    ...     name = "pause_example2"
    >>> _ = register_round_kind(Pause())
    >>> unregister_round_kind("pause_example2")
    >>> "pause_example2" in round_kinds()
    False
    """
    _REGISTRY.remove(name)


def deciding_kind(decision: str | None) -> RoundKind:
    """Return the registered kind whose ``decisions`` include ``decision``.

    Raises
    ------
    ValueError
        If no registered kind records that decision.

    Examples
    --------
    >>> import negsim
    >>> deciding_kind("commit").name
    'conference'
    """
    for kind in _REGISTRY:
        if decision in kind.decisions:
            return kind
    raise ValueError(f"observation: no round kind records the decision {decision!r}")
