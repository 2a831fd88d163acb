"""The results of evaluating a text in every run of a fixed-text ensemble.

:class:`TextEvaluation` is a text evaluated as final (:meth:`TextEnsemble.evaluate
<negsim.analysis.fixedtext.TextEnsemble.evaluate>`), :class:`TabledText` a text tabled as
the mediators' first draft of the full round protocol (:meth:`TextEnsemble.table
<negsim.analysis.fixedtext.TextEnsemble.table>`); see :mod:`negsim.analysis.fixedtext` for
what they hold and how they are computed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from negsim.analysis.textphase import PhaseOutcome

__all__ = ["TabledText", "TextEvaluation"]


@dataclass(frozen=True, eq=False)
class TextEvaluation:
    """A text evaluated in every run of a :class:`TextEnsemble` (leading axis: runs).

    Attributes
    ----------
    text : ndarray, shape (R, m)
        The text, per run.
    margin : ndarray, shape (R, k)
        Each participant's signing margin (own gain plus patrons' lobbying, plus transfer).
    feasible : ndarray of bool, shape (R, k)
        Whether the text respects the participant's red lines.
    p_sign : ndarray, shape (R, k)
        Probability that each participant signs (0 where the text crosses its red line).
    signed : ndarray of bool, shape (R, k)
        Realised decisions from the runs' uniforms.
    holds : ndarray of bool, shape (R,)
        Whether the text holds once in force, the engine's ``holds``: with an
        implementation phase, that it still holds at the phase's horizon (``phase.holds``);
        without one, the compliance game's verdict (``compliance_holds``).
    hold_margin : ndarray, shape (R,)
        How far the text is from breaking in the compliance game: positive when it holds
        there (see :mod:`negsim.analysis.textcompliance`).
    compliance_margin : ndarray, shape (R, players)
        Each compliance player's repeated-game margin of complying over deviating alone.
    compliance_holds : ndarray of bool, shape (R,)
        The compliance game's verdict on the text (the engine's ``compliance.holds``).
    phase : PhaseOutcome or None
        What the implementation phase did with the text in force in each run
        (:class:`negsim.analysis.textphase.PhaseOutcome`; None without a phase).
    offered : ndarray, shape (R, k), or None
        The transfers per period the scenario's mediators offer on the text from their
        budget for side payments (``[timeline.inducements]``, cheapest first, as in
        :func:`negsim.protocol.inducements.offer_transfers`), included in ``margin``; None
        when the round has no side payments.
    compliance : callable
        Returns ``(compliance_holds, hold_margin, compliance_margin)``: with a phase, the
        compliance game is played only when one of them is first read.

    Examples
    --------
    >>> import negsim
    >>> from negsim.analysis.fixedtext import TextEnsemble
    >>> ens = TextEnsemble.build(negsim.load_scenario("libya-2020"), runs=100)
    >>> ev = ens.evaluate(np.clip(ens.central_draft(), *ens.box()))
    >>> ev.p_sign.shape, ev.p_all_sign.shape
    ((100, 2), (100,))
    >>> bool(np.all(ev.run_probability == ev.p_all_sign * ev.holds))
    True
    >>> abs(ev.smoothed_probability(1e-4) - ev.probability) < 0.01
    True
    >>> abs(ev.realised_probability - ev.probability) < 0.05
    True
    """

    text: np.ndarray
    margin: np.ndarray
    feasible: np.ndarray
    p_sign: np.ndarray
    signed: np.ndarray
    holds: np.ndarray
    phase: PhaseOutcome | None = None
    compliance: Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]] | None = field(
        default=None, repr=False)
    offered: np.ndarray | None = None

    @cached_property
    def _game(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(compliance_holds, hold_margin, compliance_margin)``, computed on first use."""
        if self.compliance is None:
            raise ValueError("this evaluation has no compliance game")
        return self.compliance()

    @property
    def compliance_holds(self) -> np.ndarray:
        """The compliance game's verdict on the text, ``(R,)``."""
        return self._game[0]

    @property
    def hold_margin(self) -> np.ndarray:
        """How far the text is from breaking in the compliance game, ``(R,)``."""
        return self._game[1]

    @property
    def compliance_margin(self) -> np.ndarray:
        """Each compliance player's repeated-game margin, ``(R, players)``."""
        return self._game[2]

    def __repr__(self) -> str:
        return (f"TextEvaluation(runs={len(self.holds)}, probability={self.probability:.4f}, "
                f"holds={float(self.holds.mean()):.4f})")

    @property
    def p_all_sign(self) -> np.ndarray:
        """Per run, the probability that every participant signs, ``(R,)``."""
        return self.p_sign.prod(axis=1)

    @property
    def run_probability(self) -> np.ndarray:
        """Per run, the probability that every participant signs and the text holds."""
        return self.p_all_sign * self.holds

    @property
    def probability(self) -> float:
        """Mean over runs of :attr:`run_probability` (Rao-Blackwellised)."""
        return float(self.run_probability.mean())

    def smoothed_probability(self, scale: float) -> float:
        """:attr:`probability` with *holds* replaced by ``sigmoid(hold_margin / scale)``.

        Continuous in the text; tends to :attr:`probability` as ``scale`` tends to 0. With
        an implementation phase, *holds* is the phase's verdict, which the compliance
        game's margin does not measure: this is then :attr:`probability` itself.
        """
        if scale <= 0 or self.phase is not None:
            return self.probability
        z = np.clip(self.hold_margin / scale, -500.0, 500.0)
        return float((self.p_all_sign / (1.0 + np.exp(-z))).mean())

    def probability_at(self, months: Sequence[int] | None = None) -> dict[int, float]:
        """P(every participant signs and the text still holds after each month).

        The Rao-Blackwellised mean of :attr:`p_all_sign` times the phase's verdict at each
        month (default: 1, 3, 6, 12 and the horizon, within the horizon); ``{}`` without
        an implementation phase.
        """
        if self.phase is None:
            return {}
        return self.phase.probability_at(months, weights=self.p_all_sign)

    @property
    def realised_probability(self) -> float:
        """Share of runs in which every participant signed (realised draws) and it holds."""
        return float((self.signed.all(axis=1) & self.holds).mean())


@dataclass(frozen=True, eq=False)
class TabledText:
    """A text tabled as the first draft of the full round protocol (:meth:`TextEnsemble.table`).

    Attributes
    ----------
    text : ndarray, shape (R, m)
        The final text of each run (amended if anyone asked for time).
    amended : ndarray of bool, shape (R,)
    signed : ndarray of bool, shape (R, k)
        Final decisions of the participants.
    holds : ndarray of bool, shape (R,)
    outcome : ndarray of str, shape (R,)
        The engine's outcome categories.
    transfer : ndarray, shape (R, k), or None
        The transfers the scenario's mediators offered on the tabled draft (the engine's
        ``ROUND.ACTOR.transfer`` columns); None when the round has no side payments.

    Examples
    --------
    >>> import negsim
    >>> from negsim.analysis.fixedtext import TextEnsemble
    >>> ens = TextEnsemble.build(negsim.load_scenario("libya-2020"), runs=100)
    >>> t = ens.table(ens.central_draft())
    >>> t.text.shape, bool(t.amended.any()), 0.0 <= t.probability <= 1.0
    ((100, 9), True, True)
    """

    text: np.ndarray
    amended: np.ndarray
    signed: np.ndarray
    holds: np.ndarray
    outcome: np.ndarray
    transfer: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"TabledText(runs={len(self.holds)}, probability={self.probability:.4f})"

    @property
    def probability(self) -> float:
        """Share of runs in which every participant signed and the text holds."""
        return float(np.mean(self.outcome == "signed_and_holds"))
