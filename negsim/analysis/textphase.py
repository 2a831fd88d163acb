"""The implementation phase on a fixed text: whether a text in force holds, month by month.

When the scenario's timeline has an entry whose kind plays out the text in force after the
talks (``plays_text_in_force``: the ``implementation`` kind) after its last round that puts
a text to signature, *holds* means what it means in :func:`negsim.simulate`: the ceasefire
in force still holds at the phase's horizon. A :class:`TextPhase` replays that part of the
timeline on any text, with the runs' own parameters, commitments and uniforms (common
random numbers): it copies the batch's state as it is when the phase starts, puts the text
to signature as the engine's last mediated round would leave it (the text, who signed), and
plays each remaining entry with its kind's own
:meth:`~negsim.scenario.kinds.RoundKind.play_batch` through the round-kind registry, so
the months are the engine's months, run for run. What is in force is therefore what the
simulation puts in force: the text where every participant signed it, otherwise the
kind's rule (the status quo, for the built-in kind).

:class:`PhaseOutcome` holds what the phase did per run: whether the text held to the
horizon, the month it broke, who broke it and why, and every column the phase writes.

Examples
--------
>>> import negsim
>>> from negsim.analysis.fixedtext import TextEnsemble
>>> ens = TextEnsemble.build(negsim.load_scenario("libya-2020"), runs=200, seed=0)
>>> out = ens.evaluate(np.clip(ens.central_draft(), *ens.box())).phase
>>> out.entry, out.horizon, out.holds.shape
('aftermath', 24, (200,))
>>> p = out.probability_at()
>>> list(p), p[1] >= p[3] >= p[6] >= p[12] >= p[24] == out.probability
([1, 3, 6, 12, 24], True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from negsim.ensemble.implementation import report_months
from negsim.protocol.params import Params
from negsim.protocol.state import RoundState
from negsim.scenario.kinds import round_kind

__all__ = ["PhaseOutcome", "TextPhase"]


@dataclass(frozen=True, eq=False)
class PhaseOutcome:
    """What the implementation phase did with a text in force, per run (leading axis: runs).

    Attributes
    ----------
    entry : str
        The id of the (last) implementation entry.
    horizon : int
        Its horizon in months.
    holds : ndarray of bool, shape (R,)
        Whether the deal in force still held at the horizon (the engine's ``holds``).
    duration : ndarray, shape (R,)
        The month it broke, or the horizon where it held (``ENTRY.duration``).
    broken_by, reason : ndarray of str, shape (R,)
        Who broke it and why, in words ("" where it held).
    columns : Mapping of str to ndarray
        Every column the phase's entries wrote (those of the runs table).

    Examples
    --------
    >>> out = PhaseOutcome("I", 6, np.array([True, False]), np.array([6.0, 2.0]),
    ...                    np.array(["", "LNA"], dtype=object),
    ...                    np.array(["", "LNA: why"], dtype=object), {})
    >>> out.probability, out.probability_at([1, 3]), out.breakers()
    (0.5, {1: 1.0, 3: 0.5}, (('LNA', 0.5),))
    """

    entry: str
    horizon: int
    holds: np.ndarray
    duration: np.ndarray
    broken_by: np.ndarray
    reason: np.ndarray
    columns: Mapping[str, Any]

    def __repr__(self) -> str:
        return (f"PhaseOutcome(entry={self.entry!r}, runs={len(self.holds)}, "
                f"holds={self.probability:.4f})")

    @property
    def probability(self) -> float:
        """Share of runs in which the deal held to the horizon."""
        return float(self.holds.mean()) if len(self.holds) else float("nan")

    def holds_at(self, month: int) -> np.ndarray:
        """Per run, whether the deal still held after ``month`` months, ``(R,)``.

        Examples
        --------
        >>> out = PhaseOutcome("I", 6, np.array([False]), np.array([4.0]),
        ...                    np.array(["A"], dtype=object), np.array(["A: x"], dtype=object),
        ...                    {})
        >>> out.holds_at(3).tolist(), out.holds_at(4).tolist()
        ([True], [False])
        """
        return self.holds | (self.duration > month)

    def probability_at(self, months: Sequence[int] | None = None,
                       weights: np.ndarray | None = None) -> dict[int, float]:
        """P(still holds after each month): month -> share of runs (or weighted mean).

        ``months`` defaults to the report months within the horizon (1, 3, 6, 12 and the
        horizon: :func:`negsim.ensemble.implementation.report_months`); ``weights`` per run
        (e.g. the probability that every participant signs) give the mean of
        ``weights * holds_at(month)`` instead of the share.
        """
        months = report_months(self.horizon) if months is None else months
        w = np.ones(len(self.holds)) if weights is None else np.asarray(weights, dtype=float)
        return {int(m): float((w * self.holds_at(int(m))).mean()) if len(w) else float("nan")
                for m in months}

    def breakers(self, by: str = "broken_by") -> tuple[tuple[str, float], ...]:
        """Who broke the deal first (``by="broken_by"``) or why (``"reason"``).

        Returns ``(name, share of all runs)`` pairs, most frequent first (runs in which it
        held are left out).
        """
        if by not in ("broken_by", "reason"):
            raise ValueError(f"by must be 'broken_by' or 'reason', got {by!r}")
        values = getattr(self, by)[~self.holds].astype(str)
        names, counts = np.unique(values[values != ""], return_counts=True)
        n = max(len(self.holds), 1)
        return tuple(sorted(((str(k), int(c) / n) for k, c in zip(names, counts, strict=True)),
                            key=lambda kv: (-kv[1], kv[0])))

    def runs_table(self) -> pd.DataFrame:
        """Return the phase's columns as a runs table (one row per run)."""
        return pd.DataFrame(dict(self.columns))


@dataclass(frozen=True, eq=False)
class TextPhase:
    """The part of a timeline that plays out the text in force, ready to replay on any text.

    Built by :meth:`negsim.analysis.fixedtext.TextEnsemble.build` (and by
    :func:`negsim.analyze`):
    ``state`` is the batch's state when the phase starts (before the text is put in force),
    ``entries`` the timeline entries from the first one whose kind plays the text in force
    to the end, with their uniforms ``u``.

    Attributes
    ----------
    state : RoundState
    entries : tuple
    u : tuple of ndarray
        Each entry's uniforms, ``(R, draws)``.
    parts : ndarray of int
        The participants of the round whose text it is (actor indices).
    text_rounds : int
        How many rounds in the timeline put a text to signature.

    Examples
    --------
    >>> import negsim
    >>> from negsim.analysis.fixedtext import TextEnsemble
    >>> ens = TextEnsemble.build(negsim.load_scenario("libya-2020"), runs=50, seed=0)
    >>> ph = ens.text_phase
    >>> [e.id for e in ph.entries], ph.u[0].shape
    (['aftermath'], (50, 606))
    >>> x = np.clip(ens.central_draft(), *ens.box())
    >>> out = ph.play(np.broadcast_to(x, (50, 9)), np.ones((50, 2), bool))
    >>> bool(np.array_equal(out.holds, ens.evaluate(x).holds))
    True
    """

    state: RoundState
    entries: tuple[Any, ...]
    u: tuple[np.ndarray, ...]
    parts: np.ndarray
    text_rounds: int

    @staticmethod
    def starts_at(scenario: Any, last_text_round: int) -> int | None:
        """Position of the first entry after ``last_text_round`` that plays the text in force.

        Examples
        --------
        >>> import negsim
        >>> s = negsim.load_scenario("libya-2020")
        >>> [e.kind for e in s.timeline][TextPhase.starts_at(s, 3)]
        'implementation'
        """
        for i, entry in enumerate(scenario.timeline):
            if i > last_text_round and round_kind(entry.kind).plays_text_in_force:
                return i
        return None

    def play(self, text: np.ndarray, signed: np.ndarray, keep_bonus: np.ndarray | None = None,
             break_cost: np.ndarray | None = None) -> PhaseOutcome:
        """Put ``text`` to signature with the decisions ``signed`` and play the phase.

        Parameters
        ----------
        text : ndarray, shape (R, m)
        signed : ndarray of bool, shape (R, k)
            Who of :attr:`parts` signed, per run (all ``True``: the text is in force).
        keep_bonus, break_cost : ndarray, shape (R, n), optional
            The mediators' inducements on the text (:attr:`RoundState.keep_bonus
            <negsim.protocol.state.RoundState.keep_bonus>`, ``break_cost``), as the round
            leaves them; the phase's kind applies them where every participant signed.

        Returns
        -------
        PhaseOutcome
        """
        p: Params = self.state.params
        state = self.state.take(np.arange(p.runs), p)  # a copy: kinds update it in place
        state.text = np.array(text, dtype=float)
        state.has_text = np.ones(p.runs, dtype=bool)
        state.signed = np.asarray(signed, dtype=bool)
        state.parts = self.parts
        state.last_round = self.text_rounds - 1
        state.keep_bonus, state.break_cost = keep_bonus, break_cost
        cols: dict[str, Any] = {}
        last = None
        for entry, u in zip(self.entries, self.u, strict=True):
            round_kind(entry.kind).play_batch(entry, state, u, cols)
            if round_kind(entry.kind).plays_text_in_force:
                last = entry
        if last is None or state.broken is None:
            raise ValueError(f"{self.state.scenario.id}: no entry from "
                             f"{self.entries[0].id!r} on decided whether the text in force "
                             "holds (a kind with plays_text_in_force must set "
                             "RoundState.broken)")
        rid = last.id
        horizon = int(getattr(last, "horizon", 0) or np.max(cols[f"{rid}.duration"]))
        return PhaseOutcome(
            entry=rid, horizon=horizon, holds=~np.asarray(state.broken, dtype=bool),
            duration=np.asarray(cols[f"{rid}.duration"], dtype=float),
            broken_by=np.asarray(cols[f"{rid}.broken_by"], dtype=object),
            reason=np.asarray(cols[f"{rid}.reason"], dtype=object), columns=cols,
        )
