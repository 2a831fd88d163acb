r"""Evaluate a given text across many runs, with common random numbers.

:func:`negsim.simulate` lets the mediators draft the text; :func:`negsim.analyze` evaluates a
given text at the scenario's central values only. A :class:`TextEnsemble` does what deal
design needs: it evaluates a **fixed text** in every run of an ensemble, and *another* text
in the *same* runs (common random numbers), so differences between texts are not noise.

What is held fixed across texts (computed once, in :meth:`TextEnsemble.build`):

* each run's uniforms, ``default_rng(SeedSequence([seed, run]))`` in the layout of
  :func:`negsim.protocol.draws.draw_layout`, hence each run's sampled parameters (those of
  :func:`negsim.simulate` with the same seed);
* the outside options and every conference's commitments: entries that put no text to
  signature are played once per run by their round kinds, as in the engine, except an
  implementation phase after the last text round (an entry whose kind plays the text in
  force): the state of the runs when it starts is kept, to play it on each text
  (:class:`~negsim.analysis.textphase.TextPhase`).

What depends on the text (:meth:`TextEnsemble.evaluate`), for the participants of the
scenario's **last mediated round** (the round whose signatures decide the outcome):

* **Signing.** The text is final: each participant signs or not by a binary logit on its
  signing margin :math:`m_i(x)` (``negsim.protocol.rounds.kernels.signing_margin``), and
  cannot sign a text that crosses one of its red lines:

  .. math:: P(\text{$i$ signs}) = \frac{1}{1 + e^{-\lambda (m_i(x) + t_i)}}

  with :math:`t_i` an optional transfer (a side payment per period while the deal is in
  force, see :mod:`negsim.analysis.concessions`; it also adds :math:`t_i` to the
  participant's payoff in every profile of the compliance game in which no belligerent
  violates). Nobody asks for time: there is no amendment of a final text
  (:meth:`TextEnsemble.table` plays the full round instead).
* **The round's own inducements** (``[timeline.inducements]``, see
  :mod:`negsim.protocol.inducements`), as ``negsim run`` plays them, by the protocol's own
  functions: on a final text the mediators offer their transfers on the margins on that
  text (:func:`~negsim.protocol.inducements.offer_transfers`, cheapest first within their
  budget; :attr:`TextEvaluation.offered`), added to :math:`m_i(x)` *before* any
  ``transfer`` above (which is paid on top and does not change their offer); the offer and
  the mediators' guarantee then enter the compliance game and the implementation phase as
  the round's ``keep_bonus`` and ``break_cost``
  (:func:`~negsim.protocol.inducements.inducement_terms`). A guarantee given to
  :meth:`TextEnsemble.evaluate` adds to the mediators' in the ceasefire pressure.
  :meth:`TextEnsemble.table` offers on the tabled draft's margins, as the round does.
* **Holds**, exactly the engine's criterion (its ``holds`` column):

  - **with an implementation phase** after the round (an entry whose kind plays the text
    in force, :mod:`negsim.analysis.textphase`): the text is put in force as if every
    participant signed it, and the phase is played on it by its round kind, with the runs'
    own parameters, commitments and uniforms; *holds* means that it still holds at the
    phase's horizon (:attr:`TextEvaluation.phase` has the month it broke, who broke it and
    why). The round's own inducements enter the phase; the ``transfer`` and
    ``guarantee`` arguments of :meth:`TextEnsemble.evaluate` (deal design's tools) do not
    (see :mod:`negsim.analysis.concessions`).
  - **without one**: the compliance game of :mod:`negsim.protocol.compliance` on the text,
    with the conference's commitments and an optional extra cost of violating for each
    belligerent (a guarantee).

  Either way the compliance game is played too (:attr:`TextEvaluation.compliance_holds`),
  and :attr:`TextEvaluation.hold_margin` is the smallest per-period loss a profitable
  deviation would need to stop being profitable in it (negative when the deal does not
  hold): :math:`h = -\max_S \min_{j \in S} g_{jS}` over coalitions :math:`S` with
  repeated-game gains :math:`g_{jS}`, leaving out coalitions whose least gain is 0
  (indifferent, never profitable; :math:`h = \infty` if no coalition is left).

Red lines under ``[[uncertainty]]`` are each run's own (:mod:`negsim.analysis.textredlines`):
a text is judged on them run by run, and the round's drafting and protocol are played for
each group of runs sharing them, as in the engine; :meth:`TextEnsemble.box` is their
intersection over the runs.

The probability that every participant signs and the text holds, given run :math:`r`'s
parameters and commitments, is :math:`\prod_i P_r(\text{$i$ signs}) \cdot
\mathbb{1}[\text{holds}_r]`; its mean over runs (:attr:`TextEvaluation.probability`) is the
Rao-Blackwellised estimate of the probability over the ensemble: it integrates out the
signing draws instead of sampling them, which makes it smooth in the text and less noisy.
:attr:`TextEvaluation.signed` also gives realised decisions (uniform ``u`` below the
probability of signing, with the round's first block of uniforms).

Examples
--------
>>> import negsim
>>> ens = TextEnsemble.build(negsim.load_scenario("libya-2020"), runs=200, seed=0)
>>> ens.participants, len(ens.issue_ids)
(('GNA', 'LNA'), 9)
>>> ev = ens.evaluate(ens.central_draft())
>>> float(ev.p_sign[:, 1].max())  # the central draft crosses a red line of the LNA
0.0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from negsim.analysis.textcompliance import text_compliance
from negsim.analysis.textphase import TextPhase
from negsim.analysis.textredlines import by_groups, run_red_lines
from negsim.analysis.textresults import TabledText, TextEvaluation
from negsim.protocol.inducements import (
    entry_position,
    inducement_terms,
    offer_transfers,
    total_budget,
    uses_side_payments,
)
from negsim.protocol.params import Params, compile_scenario, sample_params
from negsim.protocol.rounds.drafts import drafting_box
from negsim.protocol.rounds.kernels import choose, decide, feasible, signing_margin
from negsim.protocol.rounds.mediated import mediators_draft
from negsim.protocol.state import RoundState
from negsim.protocol.structure import (
    ComplianceInputs,
    Structure,
    compliance_inputs,
    lay_blocks,
    outside_values,
    structure,
)
from negsim.protocol.utility import text_utility, weights
from negsim.scenario import OUTCOMES, Scenario
from negsim.scenario.kinds import round_kind
from negsim.sim.rng import run_uniforms

__all__ = ["TabledText", "TextEnsemble", "TextEvaluation"]

_TOL = 1e-9


@dataclass(frozen=True, eq=False)
class TextEnsemble:
    """The text-independent part of an ensemble, ready to evaluate texts (CRN).

    Build with :meth:`build`. Attributes record how it was made (``seed``, ``run_index``,
    the mediated ``round`` whose participants sign).

    Attributes
    ----------
    scenario : Scenario
    seed : int
    run_index : ndarray of int
        The run indices (``first_run .. first_run + runs - 1``).
    round : str
        The last mediated round of the timeline.
    participants, mediators : tuple of str
    issue_ids : tuple of str
    params : Params
        Each run's sampled parameters.
    text_phase : TextPhase or None
        The implementation phase after the round, replayed on each text evaluated (None
        when the timeline has none: *holds* is then the compliance game's verdict).

    Examples
    --------
    >>> import negsim
    >>> ens = TextEnsemble.build(negsim.load_scenario("libya-2020"), runs=100, seed=2)
    >>> bool(np.array_equal(ens.mediators_draft()[:, 0],
    ...     negsim.simulate("libya-2020", runs=100, seed=2).runs["moscow.draft.turkish_forces"]))
    True
    >>> x = ens.as_text({"ceasefire": 1.0})  # the central draft with a permanent ceasefire
    >>> float(x[ens.issue_ids.index("ceasefire")])
    1.0
    >>> ens.utilities(x).shape, ens.patron_gains(x).shape
    ((100, 6), (100, 6))
    """

    scenario: Scenario
    seed: int
    run_index: np.ndarray
    round: str
    participants: tuple[str, ...]
    mediators: tuple[str, ...]
    issue_ids: tuple[str, ...]
    params: Params
    _st: Structure
    _w: np.ndarray
    _outside: np.ndarray
    _parts: np.ndarray
    _meds: np.ndarray
    _u_sign: np.ndarray
    _u_round: np.ndarray
    _inputs: ComplianceInputs  # what the conferences' commitments put into compliance
    _alone: np.ndarray | None = None
    text_phase: TextPhase | None = None
    _bounds: tuple[np.ndarray, np.ndarray] | None = None  # each run's red lines (R, n, m)

    def __repr__(self) -> str:
        return (f"TextEnsemble(scenario={self.scenario.id!r}, runs={self.params.runs}, "
                f"seed={self.seed}, round={self.round!r})")

    @classmethod
    def build(cls, scenario: Scenario, runs: int = 1000, seed: int = 0,
              first_run: int = 0) -> TextEnsemble:
        """Sample the runs' parameters and play the conferences, once.

        Parameters
        ----------
        scenario : Scenario
            Must have at least one mediated round.
        runs : int
            Number of runs (indices ``0 .. runs - 1``, as in :func:`negsim.simulate`).
        seed : int
            Root seed.
        first_run : int
            Index of the first run: ``first_run .. first_run + runs - 1`` (other indices
            give independent runs, e.g. to check a text chosen on the first ones).

        Raises
        ------
        ValueError
            If ``runs < 1``, ``seed < 0`` or the timeline has no mediated round.

        Examples
        --------
        >>> import negsim
        >>> ens = TextEnsemble.build(negsim.load_scenario("libya-2020"), runs=50, seed=3)
        >>> ens
        TextEnsemble(scenario='libya-2020', runs=50, seed=3, round='moscow')
        """
        if isinstance(runs, bool) or int(runs) != runs or runs < 1:
            raise ValueError(f"runs must be a positive integer, got {runs!r}")
        if isinstance(seed, bool) or int(seed) != seed or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        if isinstance(first_run, bool) or int(first_run) != first_run or first_run < 0:
            raise ValueError(f"first_run must be a non-negative integer, got {first_run!r}")
        rounds = [(i, t) for i, t in enumerate(scenario.timeline)
                  if round_kind(t.kind).signs_text]
        if not rounds:
            raise ValueError(f"{scenario.id}: the timeline has no mediated round, so there is "
                             "no text to sign")
        pos, entry = rounds[-1]
        st = structure(scenario)
        index = np.arange(int(first_run), int(first_run) + int(runs), dtype=np.int64)
        u_all = run_uniforms(int(seed), index, st.layout.total)
        p = sample_params(scenario, u_all[:, st.layout.uncertainty])
        state, phase = _other_rounds(scenario, st, p, u_all, pos)
        w, outside = state.w, state.outside
        inputs = compliance_inputs(st, p, state.committed, state.conference_powers)
        a_idx = {a: i for i, a in enumerate(st.actor_ids)}
        parts = np.array([a_idx[a] for a in entry.participants], dtype=int)
        meds = np.array([a_idx[a] for a in entry.mediators], dtype=int)
        block = lay_blocks(st)[pos]
        u_sign = u_all[:, block][:, : len(parts)]
        if phase is not None:
            phase = TextPhase(phase[0], phase[1], phase[2], parts, len(rounds))
        return cls(
            scenario=scenario, seed=int(seed), run_index=index, round=entry.id,
            participants=tuple(entry.participants), mediators=tuple(entry.mediators),
            issue_ids=st.issue_ids, params=p, _st=st, _w=w, _outside=outside, _parts=parts,
            _meds=meds, _u_sign=u_sign, _u_round=u_all[:, block], _inputs=inputs,
            _alone=state.alone, text_phase=phase, _bounds=run_red_lines(p),
        )

    # ------------------------------------------------------------------ texts
    def box(self, mediators: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Return the texts every participant can sign: the intersection of their red lines.

        With ``mediators=True`` also within the mediators' red lines (a mediator does not
        table a text across its own red lines). Returns ``(lower, upper)``, each ``(m,)``;
        where ``lower > upper`` no such text exists. With red lines under
        ``[[uncertainty]]``, the intersection over the runs as well: the texts within every
        run's red lines (:attr:`red_line_bounds`).

        Examples
        --------
        >>> import negsim
        >>> ens = TextEnsemble.build(negsim.load_scenario("libya-2020"), runs=1)
        >>> lo, hi = ens.box()
        >>> k = ens.issue_ids.index("security_agreement")
        >>> float(lo[k]), float(hi[k])
        (0.5, 0.5)
        """
        who = np.concatenate([self._parts, self._meds]) if mediators else self._parts
        lo, hi = self.red_line_bounds
        return lo[:, who].max(axis=(0, 1)), hi[:, who].min(axis=(0, 1))

    @property
    def red_line_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Each run's red lines ``(lo, hi)``, each ``(R, n, m)`` (every actor's bounds).

        The same in every run unless red-line bounds are under ``[[uncertainty]]``
        (:mod:`negsim.analysis.textredlines`).

        Examples
        --------
        >>> import negsim
        >>> ens = TextEnsemble.build(negsim.load_scenario("libya-2020"), runs=5)
        >>> lo, hi = ens.red_line_bounds
        >>> lo.shape, bool((hi == ens.params.hi).all())
        ((5, 6, 9), True)
        """
        if self._bounds is None:
            return run_red_lines(self.params)
        return self._bounds

    def mediators_draft(self) -> np.ndarray:
        """Return the mediators' draft of the last mediated round in every run, ``(R, m)``.

        The same asymmetric Nash bargaining draft as the engine's first draft of that
        round (``negsim.protocol.rounds.kernels.draft_text`` on each run's parameters).
        """
        return by_groups(self.params, lambda idx, q: _draft(
            q, self._w[idx], self._outside[idx], self._parts, self._meds, self.entry))

    @property
    def entry(self) -> Any:
        """The timeline entry of the round (its mediators' options)."""
        return self.scenario.round(self.round)

    def central_draft(self) -> np.ndarray:
        """Return the mediators' draft at the central values (no uncertainty), ``(m,)``.

        Examples
        --------
        >>> import negsim
        >>> ens = TextEnsemble.build(negsim.load_scenario("libya-2020"), runs=1)
        >>> round(float(ens.central_draft()[ens.issue_ids.index("ceasefire")]), 3)
        0.802
        """
        p = compile_scenario(self.scenario, 1)
        w = weights(p.salience)
        outside = outside_values(self._st, p, w)
        return _draft(p, w, outside, self._parts, self._meds, self.entry)[0]

    def as_text(self, deal: Mapping[str, float] | np.ndarray) -> np.ndarray:
        """Return a text as an ``(m,)`` array (a mapping starts from the central draft)."""
        if isinstance(deal, Mapping):
            x = self.central_draft()
            for k, v in deal.items():
                if k not in self.issue_ids:
                    raise ValueError(f"unknown issue {k!r}; issues: {', '.join(self.issue_ids)}")
                x[self.issue_ids.index(k)] = float(v)
            return x
        return np.asarray(deal, dtype=float)

    def evaluate(
        self,
        text: Mapping[str, float] | np.ndarray,
        *,
        transfer: Mapping[str, float] | np.ndarray | None = None,
        guarantee: Mapping[str, float] | np.ndarray | None = None,
        red_lines: bool | tuple[np.ndarray, np.ndarray] = True,
    ) -> TextEvaluation:
        """Evaluate a text in every run (the same runs for every text).

        Parameters
        ----------
        text : ndarray, shape (m,) or (R, m), or mapping issue -> position
            Positions in [0, 1] in the order of :attr:`issue_ids` (a mapping starts from the
            central draft).
        transfer : mapping participant -> float, or ndarray (R, k) or (k,), optional
            Side payment per period to a participant while the deal is in force: added to
            its signing margin and to its compliance payoffs without a violation, on top of
            any transfer the round's mediators offer (:attr:`TextEvaluation.offered`).
        guarantee : mapping actor -> float, optional
            Extra cost per period of breaking the deal for a belligerent or a party (a
            guarantee by patrons or mediators); added to the conference's ceasefire
            pressure, and to the round's own guarantee, in the compliance game (not in an
            implementation phase).
        red_lines : bool or (lo, hi)
            Whether a participant may not sign across its red lines (each run's own,
            :attr:`red_line_bounds`; ``False`` only to measure what red lines cost), or
            replacement bounds ``lo, hi`` of shape ``(n, m)`` or, per run, ``(R, n, m)``
            (e.g. with one red line waived).

        Returns
        -------
        TextEvaluation

        Examples
        --------
        >>> import negsim
        >>> ens = TextEnsemble.build(negsim.load_scenario("libya-2020"), runs=300, seed=0)
        >>> x = ens.central_draft()
        >>> lo, hi = ens.box()
        >>> ev = ens.evaluate(np.clip(x, lo, hi))
        >>> ev.probability > 0.99  # within every red line, the draft is signed and holds
        True
        >>> ens.evaluate(x).probability  # the draft itself crosses a red line of the LNA
        0.0
        >>> ens.evaluate(np.clip(x, lo, hi), transfer={"LNA": -2.0}).probability < 0.01
        True
        """
        p = self.params
        runs = p.runs
        x = self.as_text(text)
        if x.shape == (len(self.issue_ids),):
            x = np.broadcast_to(x, (runs, len(self.issue_ids)))
        if x.shape != (runs, len(self.issue_ids)):
            raise ValueError(f"text must have shape ({len(self.issue_ids)},) or "
                             f"({runs}, {len(self.issue_ids)}), got {x.shape}")
        if not np.all(np.isfinite(x)) or x.min() < -_TOL or x.max() > 1 + _TOL:
            raise ValueError("text positions must be finite numbers in [0, 1]")
        x = np.clip(x, 0.0, 1.0)
        k = len(self._parts)
        margin = signing_margin(self._w, p.ideal, self._outside, p.leverage, x)[:, self._parts]
        if isinstance(red_lines, tuple):
            lo, hi = red_lines
            ok = feasible(np.asarray(lo)[..., self._parts, :], np.asarray(hi)[..., self._parts, :],
                          x)
        elif red_lines:
            lo, hi = self.red_line_bounds
            ok = feasible(lo[:, self._parts], hi[:, self._parts], x)
        else:
            ok = np.ones((runs, k), dtype=bool)
        # the scenario's own inducements first: the mediators' offer on the text's margins
        offered = (offer_transfers(margin, ok, self._budget()) if uses_side_payments(self.entry)
                   else None)
        keep, cost = self._inducements(offered)
        if offered is not None:
            margin = margin + offered
        margin = margin + self._per_participant(transfer, "transfer", runs)
        lam = p.rationality[:, None]
        z = np.clip(lam * margin, -700.0, 700.0)
        p_sign = np.where(ok, 1.0 / (1.0 + np.exp(-z)), 0.0)
        values = np.stack([np.where(ok, margin, -np.inf), np.zeros((runs, k))], -1)
        signed = choose(values, p.rationality[:, None], self._u_sign) == 0
        pressure = self._inputs.pressure + self._guarantee(guarantee, runs)
        paid = self._per_participant(transfer, "transfer", runs)
        inputs = self._inputs._replace(pressure=pressure)

        def game() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            ana, hold_margin = text_compliance(self._st, p, self._w, x, inputs, paid,
                                               self._parts, keep, cost)
            return ana.holds, hold_margin, ana.margin

        if self.text_phase is None:
            verdicts = game()
            return TextEvaluation(
                text=np.array(x), margin=margin, feasible=ok, p_sign=p_sign, signed=signed,
                holds=verdicts[0], compliance=lambda: verdicts, offered=offered)
        # the phase decides: played on the text in force (as if every participant signed)
        phase = self.text_phase.play(x, np.ones((runs, k), dtype=bool), keep, cost)
        return TextEvaluation(
            text=np.array(x), margin=margin, feasible=ok, p_sign=p_sign, signed=signed,
            holds=phase.holds, phase=phase, compliance=game, offered=offered)

    def table(self, text: Mapping[str, float] | np.ndarray) -> TabledText:
        """Play the last mediated round with ``text`` tabled as the mediators' first draft.

        Unlike :meth:`evaluate` (a final text), the full protocol of the round is played,
        as the engine plays it, on the same runs and uniforms: each participant signs, asks
        for time or rejects; if anyone asks for time the mediators amend the text toward the
        askers within their red lines, and the participants decide on the amended text.
        With an implementation phase, the phase is played on each run's final text with
        its participants' decisions (what is in force follows who signed, as in the engine).
        With the engine's own per-run draft it reproduces :func:`negsim.simulate` run by run.

        Returns
        -------
        TabledText

        Examples
        --------
        >>> import negsim
        >>> ens = TextEnsemble.build(negsim.load_scenario("libya-2020"), runs=200, seed=0)
        >>> draft = ens.mediators_draft()
        >>> t = ens.table(draft)
        >>> runs = negsim.simulate("libya-2020", runs=200).runs
        >>> signed = runs["outcome"].isin(["signed_and_holds", "signed_but_fragile"])
        >>> t.probability == float(np.mean(signed & runs["holds"]))
        True
        """
        p = self.params
        runs = p.runs
        x0 = np.broadcast_to(self.as_text(text), (runs, len(self.issue_ids))).copy()
        parts = self._parts
        budget = self._budget() if uses_side_payments(self.entry) else None

        def play(idx: np.ndarray, q: Params) -> Any:  # a group of runs sharing red lines
            return decide(
                x0[idx], w=self._w[idx], ideal=q.ideal, outside=self._outside[idx],
                leverage=q.leverage, lo=q.lo, hi=q.hi, discount=q.discount,
                amendment_reach=q.amendment_reach, rationality=q.rationality, parts=parts,
                box=drafting_box(q.lo, q.hi, self._meds, parts, self.entry.respect_red_lines),
                u=self._u_round[idx], alone=None if self._alone is None else self._alone[idx],
                contingent=self._st.contingent, budget=None if budget is None else budget[idx])

        d = by_groups(p, play)
        signed, final, any_ask = d.signed, d.text, d.amended
        keep, cost = self._inducements(d.transfer)
        if self.text_phase is None:  # the engine's compliance game on the final text
            holds = text_compliance(self._st, p, self._w, final, self._inputs,
                                    np.zeros((runs, len(parts))), parts, keep, cost)[0].holds
        else:  # the engine's own phase: what is in force follows who signed
            holds = self.text_phase.play(final, signed, keep, cost).holds
        code = np.where(signed.all(axis=1), np.where(holds, 0, 1),
                        np.where(signed.any(axis=1), 2, 3))
        names = np.array(OUTCOMES, dtype=object)
        return TabledText(text=final, amended=any_ask, signed=signed, holds=holds,
                          outcome=names[code], transfer=d.transfer)

    def utilities(self, text: np.ndarray) -> np.ndarray:
        """Every actor's utility of a text in every run, ``(R, n)``."""
        x = np.broadcast_to(self.as_text(text), (self.params.runs, len(self.issue_ids)))
        return text_utility(self._w, self.params.ideal, x)

    def patron_gains(self, text: np.ndarray) -> np.ndarray:
        """Every actor's gain from the text over its outside option, ``(R, n)``."""
        return self.utilities(text) - self._outside

    # ------------------------------------------------------------------ helpers
    def _budget(self) -> np.ndarray:
        """Return the mediators' pooled budget for side payments in the round, per run."""
        return total_budget(self.params.side_payments, entry_position(self.scenario, self.entry),
                            self._meds)

    def _inducements(self, offered: np.ndarray | None
                     ) -> tuple[np.ndarray | None, np.ndarray | None]:
        """``(keep_bonus, break_cost)`` of the round's inducements with ``offered`` paid."""
        p = self.params
        return inducement_terms(p.side_payments, p.guarantee,
                                entry_position(self.scenario, self.entry), self._parts,
                                self._meds, offered, self.entry)

    def _per_participant(self, value: Any, what: str, runs: int) -> np.ndarray:
        k = len(self._parts)
        if value is None:
            return np.zeros((runs, k))
        if isinstance(value, Mapping):
            out = np.zeros(k)
            for a, v in value.items():
                if a not in self.participants:
                    raise ValueError(f"{what}: {a!r} is not a participant of {self.round!r} "
                                     f"({', '.join(self.participants)})")
                out[self.participants.index(a)] = float(v)
            return np.broadcast_to(out, (runs, k))
        arr = np.asarray(value, dtype=float)
        return np.broadcast_to(arr, (runs, k))

    def _guarantee(self, value: Any, runs: int) -> np.ndarray:
        n = len(self._st.actor_ids)
        out = np.zeros((runs, n))
        if value is None:
            return out
        items = value.items() if isinstance(value, Mapping) else zip(self.participants, value,
                                                                      strict=True)
        ends = self._st.belligerent | self._st.party  # who can end the deal by breaking it
        for a, v in items:
            if a not in self._st.actor_ids or not ends[self._st.actor_ids.index(a)]:
                raise ValueError(f"guarantee: {a!r} is neither a belligerent nor a party")
            out[:, self._st.actor_ids.index(a)] += np.asarray(v, dtype=float)
        return out


def _draft(p: Params, w: np.ndarray, outside: np.ndarray, parts: np.ndarray,
           meds: np.ndarray, entry: Any) -> np.ndarray:
    drafted = mediators_draft(p, w, outside, parts, meds, entry)
    if drafted is None:
        raise ValueError("the mediators' red lines conflict: they cannot draft a text")
    return drafted[0]


def _other_rounds(scenario: Scenario, st: Structure, p: Params, u_all: np.ndarray, pos: int
                  ) -> tuple[RoundState, tuple[RoundState, tuple[Any, ...], tuple[Any, ...]]
                             | None]:
    """Play every entry that puts no text to signature (conferences...) as the engine does.

    Entries after the last text round (at ``pos``) that play the text in force are left out;
    from the first of them on, the entries and their uniforms are returned with a copy of
    the state when that phase starts (None if there is no such entry).
    """
    state = RoundState.start(scenario, st, p)
    start = TextPhase.starts_at(scenario, pos)
    phase = None
    blocks = lay_blocks(st)
    for i, (entry, block) in enumerate(zip(scenario.timeline, blocks, strict=True)):
        kind = round_kind(entry.kind)
        if i == start:
            tail = scenario.timeline[i:]
            phase = (state.take(np.arange(p.runs), p), tuple(tail),
                     tuple(u_all[:, b] for b in blocks[i:]))
        if not kind.signs_text and not (start is not None and i > pos
                                        and kind.plays_text_in_force):
            kind.play_batch(entry, state, u_all[:, block], {})
    return state, phase
