"""The state of a batch of runs while it plays a timeline (what round kinds read and write)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from negsim.protocol.params import Params
from negsim.protocol.structure import Structure, alone_values, outside_values
from negsim.protocol.utility import weights
from negsim.scenario import Scenario

__all__ = ["SHARED_FIELDS", "RoundState"]

SHARED_FIELDS = ("scenario", "structure", "params", "last_round", "parts", "conference_powers")
"""The fields of :class:`RoundState` that are not per run; every other one (an array or
``None``) has a leading run axis."""


@dataclass
class RoundState:
    """What a batch of runs carries from one timeline entry to the next.

    Round kinds read and update it in :meth:`negsim.scenario.kinds.RoundKind.play_batch`;
    the engine reads it at the end to classify the outcome and explain it.

    Attributes
    ----------
    scenario : Scenario
    structure : Structure
    params : Params
        The batch's sampled parameters (leading run axis ``R``).
    w : ndarray, shape (R, n, m)
        Salience weights.
    outside : ndarray, shape (R, n)
        Outside options.
    text : ndarray, shape (R, m)
        The text in force (the status quo until a round puts a text to signature).
    has_text : ndarray of bool, shape (R,)
        Whether a text was drafted in the last round that puts one to signature.
    last_round : int or None
        How many text rounds were played, minus one (None before the first).
    signed : ndarray of bool, shape (R, k) or None
        Who of the last text round's ``parts`` signed.
    parts : ndarray of int or None
        The participants of the last text round (actor indices).
    committed : ndarray of bool, shape (R, n, c)
        Who committed to which commitment (at any conference so far).
    conference_powers : list of ndarray of int
        The powers of each conference played.
    broken : ndarray of bool, shape (R,) or None
        Set by an implementation phase: whether the ceasefire in force broke by its horizon
        (``holds`` then means that it did not).
    broken_words : ndarray of str, shape (R,) or None
        Who broke it and why, in words ("" where it held).
    alone : ndarray, shape (R, n) or None
        Values of staying out alone while the others sign
        (:func:`negsim.protocol.structure.alone_values`); None when no actor's outside
        option depends on the others' choices.
    keep_bonus, break_cost : ndarray, shape (R, n) or None
        Set by the last mediated round with inducements (:mod:`negsim.protocol.inducements`):
        what each actor gains per period while the deal holds (transfers received, less a
        mediator's share of them) and what breaking the deal costs each participant (the
        mediators' guarantees); None when the round offers none.

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.params import compile_scenario
    >>> from negsim.protocol.structure import structure
    >>> s = negsim.load_scenario("libya-2020")
    >>> state = RoundState.start(s, structure(s), compile_scenario(s, runs=3))
    >>> state.text.shape, state.committed.shape, state.last_round
    ((3, 9), (3, 6, 3), None)
    """

    scenario: Scenario
    structure: Structure
    params: Params
    w: np.ndarray
    outside: np.ndarray
    text: np.ndarray
    has_text: np.ndarray
    committed: np.ndarray
    last_round: int | None = None
    signed: np.ndarray | None = None
    parts: np.ndarray | None = None
    conference_powers: list[np.ndarray] = field(default_factory=list)
    broken: np.ndarray | None = None
    broken_words: np.ndarray | None = None
    alone: np.ndarray | None = None
    keep_bonus: np.ndarray | None = None
    break_cost: np.ndarray | None = None

    @classmethod
    def start(cls, scenario: Scenario, st: Structure, p: Params) -> RoundState:
        """Return the state before the first entry: the status quo in force, nothing signed.

        Examples
        --------
        >>> import negsim
        >>> from negsim.protocol.params import compile_scenario
        >>> from negsim.protocol.structure import structure
        >>> s = negsim.load_scenario("libya-2020")
        >>> p = compile_scenario(s)
        >>> bool((RoundState.start(s, structure(s), p).text == p.status_quo).all())
        True
        """
        w = weights(p.salience)
        outside = outside_values(st, p, w)
        return cls(
            scenario=scenario, structure=st, params=p, w=w, outside=outside,
            text=p.status_quo.copy(), has_text=np.zeros(p.runs, bool),
            committed=np.zeros((p.runs, len(st.actor_ids), len(st.commitment_ids)), dtype=bool),
            alone=alone_values(st, p, outside) if st.contingent.any() else None,
        )

    def actor_indices(self, ids: tuple[str, ...]) -> np.ndarray:
        """Return the indices of the actors with these ids.

        Examples
        --------
        >>> import negsim
        >>> from negsim.protocol.params import compile_scenario
        >>> from negsim.protocol.structure import structure
        >>> s = negsim.load_scenario("libya-2020")
        >>> RoundState.start(s, structure(s), compile_scenario(s)).actor_indices(("LNA", "UAE"))
        array([1, 5])
        """
        index = {a: i for i, a in enumerate(self.structure.actor_ids)}
        return np.array([index[a] for a in ids], dtype=int)

    def take(self, index: np.ndarray, params: Params) -> RoundState:
        """Return the state of the runs at positions ``index``, with their ``params``.

        Used to play a round for a group of runs (e.g. the runs that share their red lines).

        Examples
        --------
        >>> import negsim
        >>> from negsim.protocol.params import compile_scenario
        >>> from negsim.protocol.structure import structure
        >>> s = negsim.load_scenario("libya-2020")
        >>> p = compile_scenario(s, runs=4)
        >>> part = RoundState.start(s, structure(s), p).take(np.array([1, 3]), p.take(
        ...     np.array([1, 3])))
        >>> part.text.shape, part.params.runs
        ((2, 9), 2)
        """
        values = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "params":
                value = params
            elif f.name == "conference_powers":
                value = list(value)
            elif f.name not in SHARED_FIELDS and value is not None:
                value = value[index]
            values[f.name] = value
        return RoundState(**values)

    def own_arrays(self) -> None:
        """Replace every per-run array by a copy (before writing groups back with :meth:`put`).

        Examples
        --------
        >>> import negsim
        >>> from negsim.protocol.params import compile_scenario
        >>> from negsim.protocol.structure import structure
        >>> s = negsim.load_scenario("libya-2020")
        >>> state = RoundState.start(s, structure(s), compile_scenario(s, runs=2))
        >>> text = state.text
        >>> state.own_arrays()
        >>> state.text is text, bool((state.text == text).all())
        (False, True)
        """
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name not in SHARED_FIELDS and value is not None:
                setattr(self, f.name, value.copy())

    def put(self, index: np.ndarray, part: RoundState) -> None:
        """Write back the state of a group of runs taken with :meth:`take` and played.

        Per-run arrays are written in place at positions ``index`` (copy them first, as
        :meth:`own_arrays` does, if anything else holds them) (an array a round created or
        reshaped is created at the size of the whole batch; string arrays are widened as
        needed); the fields that are not per run are taken from ``part``.

        Examples
        --------
        >>> import negsim
        >>> from negsim.protocol.params import compile_scenario
        >>> from negsim.protocol.structure import structure
        >>> s = negsim.load_scenario("libya-2020")
        >>> p = compile_scenario(s, runs=3)
        >>> state = RoundState.start(s, structure(s), p)
        >>> part = state.take(np.array([2]), p.take(2))
        >>> part.text[:] = 1.0
        >>> state.put(np.array([2]), part)
        >>> state.text[:, 0].tolist()
        [0.0, 0.0, 1.0]
        """
        runs = self.params.runs
        for f in fields(self):
            if f.name in ("scenario", "structure", "params"):
                continue
            value = getattr(part, f.name)
            if f.name in SHARED_FIELDS:
                setattr(self, f.name, value)
                continue
            if value is None:
                continue
            full = getattr(self, f.name)
            if full is None or full.shape[1:] != value.shape[1:]:
                full = np.empty((runs, *value.shape[1:]), dtype=value.dtype)
            elif full.dtype != value.dtype:
                full = full.astype(np.promote_types(full.dtype, value.dtype))
            full[index] = value
            setattr(self, f.name, full)
