"""The ``mediated_round`` kind: mediators draft a text, participants sign, ask for time or reject.

The mediators draft a text, an asymmetric Nash bargaining solution over the issue box among
the participants and the mediators (:func:`~negsim.protocol.rounds.kernels.draft_text`); each
participant signs, asks for time or rejects by a logit choice; if anyone asked for time the
mediators amend the text toward the askers within their own red lines, and every participant
that had not rejected decides on the amended text (:func:`~negsim.protocol.rounds.kernels.decide`).
A run draws two uniforms per participant (the first choices, then the choices on an amended
text). Columns: ``ROUND.draft.ISSUE``, ``ROUND.text.ISSUE``, and per participant
``ROUND.ACTOR.choice``, ``.decision`` and ``.margin``. With side payments among the mediators'
inducements (:mod:`negsim.protocol.inducements`), also ``ROUND.ACTOR.transfer`` per
participant (the transfer per period offered, paid while the deal holds) and
``ROUND.MEDIATOR.pays`` per mediator (its share of them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from negsim._frozen import FrozenMap
from negsim._tables import names
from negsim.protocol.inducements import (
    entry_position,
    inducement_terms,
    offer_transfers,
    total_budget,
    uses_side_payments,
)
from negsim.protocol.rounds.drafts import draft_rule, draft_rules, drafting_box
from negsim.protocol.rounds.kernels import (
    CHOICES,
    amend,
    bargaining_weights,
    decide,
)
from negsim.protocol.state import RoundState
from negsim.scenario.errors import did_you_mean
from negsim.scenario.kinds import EntryCheck, RoundKind

__all__ = ["MediatedRound", "MediatedRoundResult", "mediators_draft"]


def mediators_draft(p: Any, w: np.ndarray, outside: np.ndarray, parts: np.ndarray,
                    meds: np.ndarray, entry: Any = None) -> (
        tuple[np.ndarray, tuple[np.ndarray, np.ndarray]] | None):
    """Return the mediators' first draft ``(R, m)`` and their issue box, or None.

    None when the mediators' own red lines conflict (no text they could draft). ``p`` is a
    batch's :class:`~negsim.protocol.params.Params`; ``parts`` and ``meds`` are actor indices;
    ``entry`` (the timeline entry) gives the mediators' options ``respect_red_lines`` and
    ``draft_rule`` (:mod:`negsim.protocol.rounds.drafts`; defaults without an entry).

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.params import compile_scenario
    >>> from negsim.protocol.structure import outside_values, structure
    >>> from negsim.protocol.utility import weights
    >>> s = negsim.load_scenario("libya-2020")
    >>> p = compile_scenario(s)
    >>> w = weights(p.salience)
    >>> draft, box = mediators_draft(p, w, outside_values(structure(s), p, w), np.array([0, 1]),
    ...                              np.array([2, 3]))
    >>> draft.shape, bool(np.all((box[0] <= draft) & (draft <= box[1])))
    ((1, 9), True)
    """
    respect, rule = _options(entry)
    lower, upper = drafting_box(p.lo, p.hi, meds, parts, respect)
    if bool(np.any(lower > upper + 1e-12)):
        return None
    bargainers = np.union1d(parts, meds)
    omega = bargaining_weights(p.leverage, bargainers, meds, parts)
    x0 = draft_rule(rule)(w[:, bargainers], p.ideal[:, bargainers], outside[:, bargainers],
                          omega, lower, upper, p.status_quo)
    return x0, (lower, upper)


def _options(entry: Any) -> tuple[bool, str]:
    """Return the mediators' options of a timeline entry: ``(respect_red_lines, draft_rule)``."""
    return (bool(getattr(entry, "respect_red_lines", False)),
            str(getattr(entry, "draft_rule", "nash")))


@dataclass(frozen=True)
class MediatedRoundResult:
    """What happened in a mediated round.

    Attributes
    ----------
    id : str
        Timeline id of the round.
    mediators, participants : tuple of str
    draft : FrozenMap
        The mediators' first draft, issue id -> position.
    text : FrozenMap
        The final text (the amended draft if anyone asked for time).
    amended : bool
        Whether someone asked for time and the mediators amended the draft.
    choices : FrozenMap
        Each participant's first choice: ``"sign"``, ``"time"`` or ``"reject"``.
    decisions : FrozenMap
        Each participant's final decision: ``"sign"`` or ``"no_sign"``.
    margins : FrozenMap
        Each participant's effective margin for signing the final text (own gain over its
        outside option plus its patrons' lobbying, plus its transfer).
    transfers, pays : FrozenMap
        With side payments: the transfer per period offered to each participant, and what
        each mediator pays of them while the deal holds (empty without side payments).
    guarantee : float or None
        The cost per period of breaking the deal that the mediators guarantee (None: none).

    Examples
    --------
    >>> import negsim, numpy as np
    >>> s = negsim.load_scenario("libya-2020")
    >>> r = negsim.NegotiationModel(s, rng=np.random.SeedSequence([3, 1])).run()
    >>> m = r.round("moscow")
    >>> m.mediators, m.participants
    (('Russia', 'Turkey'), ('GNA', 'LNA'))
    >>> set(m.text) == set(s.issue_ids)
    True
    >>> dict(m.choices), dict(m.decisions)
    ({'GNA': 'time', 'LNA': 'time'}, {'GNA': 'sign', 'LNA': 'no_sign'})
    """

    id: str
    mediators: tuple[str, ...]
    participants: tuple[str, ...]
    draft: FrozenMap
    text: FrozenMap
    amended: bool
    choices: FrozenMap
    decisions: FrozenMap
    margins: FrozenMap
    transfers: FrozenMap = field(default_factory=lambda: FrozenMap({}))
    pays: FrozenMap = field(default_factory=lambda: FrozenMap({}))
    guarantee: float | None = None
    #: A text is put to signature in this round (the run's outcome is read from the last one).
    signs_text: ClassVar[bool] = True

    @property
    def signatories(self) -> tuple[str, ...]:
        """The participants that signed.

        Examples
        --------
        >>> import negsim, numpy as np
        >>> s = negsim.load_scenario("libya-2020")
        >>> r = negsim.NegotiationModel(s, rng=np.random.SeedSequence([3, 1])).run()
        >>> r.round("moscow").signatories
        ('GNA',)
        """
        return tuple(a for a, d in self.decisions.items() if d == "sign")

    @property
    def has_text(self) -> bool:
        """Whether the mediators could draft a text (their red lines did not conflict).

        Examples
        --------
        >>> import negsim
        >>> r = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=1).run()
        >>> r.round("moscow").has_text
        True
        """
        return not any(v != v for v in self.text.values())  # NaN: no text

    def columns(self) -> dict[str, Any]:
        """Return this round's columns of the runs table (see the module docstring).

        Examples
        --------
        >>> import negsim
        >>> r = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=1).run()
        >>> sorted(r.round("moscow").columns())[:2]
        ['moscow.GNA.choice', 'moscow.GNA.decision']
        """
        row: dict[str, Any] = {}
        for k, v in self.draft.items():
            row[f"{self.id}.draft.{k}"] = v
        for k, v in self.text.items():
            row[f"{self.id}.text.{k}"] = v
        for a in self.participants:
            row[f"{self.id}.{a}.choice"] = self.choices[a]
            row[f"{self.id}.{a}.decision"] = self.decisions[a]
            row[f"{self.id}.{a}.margin"] = self.margins[a]
        for a, v in self.transfers.items():
            row[f"{self.id}.{a}.transfer"] = v
        for a, v in self.pays.items():
            row[f"{self.id}.{a}.pays"] = v
        return row

    def story(self, reasons: Mapping[str, str]) -> list[str]:
        """Tell the round in lines of words; ``reasons`` explain who did not sign and why.

        Examples
        --------
        >>> import negsim, numpy as np
        >>> s = negsim.load_scenario("libya-2020")
        >>> r = negsim.NegotiationModel(s, rng=np.random.SeedSequence([3, 1])).run()
        >>> r.round("moscow").story({})[0]
        'moscow: Russia and Turkey drafted a text for GNA and LNA.'
        """
        lines = [f"{self.id}: {names(self.mediators)} drafted a text for "
                 f"{names(self.participants)}."]
        if not self.has_text:
            lines.append("  The mediators' own red lines leave no text they could draft.")
            return lines
        lines += self._inducement_lines()
        for a in self.participants:
            final = "signed" if self.decisions[a] == "sign" else "did not sign"
            choice = self.choices[a]
            if choice == "reject":
                what = "rejected the draft"
            elif choice == "time":
                what = f"asked for time; it then {final} the amended text"
            elif self.amended:
                what = f"was ready to sign the draft; it then {final} the amended text"
            else:
                what = "signed the draft"
            lines.append(f"  {a} {what} (signing margin {self.margins[a]:+.3f}).")
        askers = [a for a in self.participants if self.choices[a] == "time"]
        if askers:
            lines.append(f"  The mediators amended the draft for {names(askers)}.")
        for a in self.participants:
            if self.decisions[a] != "sign" and a in reasons:
                lines.append(f"  {a} did not sign: {reasons[a]}.")
        yes = [a for a in self.participants if self.decisions[a] == "sign"]
        no = [a for a in self.participants if self.decisions[a] != "sign"]
        lines.append(f"  Signed: {names(yes) or 'nobody'}. Did not sign: "
                     f"{names(no) or 'nobody'}.")
        return lines

    def _inducement_lines(self) -> list[str]:
        """Return the story's lines on the mediators' side payments and guarantee."""
        lines = []
        payers = names([m for m, v in self.pays.items() if v > 0]) or names(self.mediators)
        for a, v in self.transfers.items():
            if v > 0:
                lines.append(f"  {payers} offered {a} a transfer of {v:.3f} a period while the "
                             "deal holds.")
        if self.transfers and not any(v > 0 for v in self.transfers.values()):
            lines.append("  The mediators offered no transfer: nobody needed one, or their "
                         "budget could not cover a need.")
        if self.guarantee is not None:
            lines.append(f"  {names(self.mediators)} guaranteed the deal: a participant that "
                         f"breaks it pays {self.guarantee:.3f} a period.")
        return lines


class MediatedRound(RoundKind):
    """The ``mediated_round`` kind (see the module docstring).

    Examples
    --------
    >>> import negsim
    >>> from negsim.scenario.kinds import round_kind
    >>> s = negsim.load_scenario("libya-2020")
    >>> round_kind("mediated_round").draws(s.timeline[2], None)  # 2 per participant
    4
    """

    name = "mediated_round"
    lists = frozenset({"participants", "mediators"})
    decisions = ("sign", "no_sign")
    decision_place = "on a text in a mediated_round"
    observation_kind = "sign"
    signs_text = True
    fields = frozenset({"respect_red_lines", "draft_rule", "inducements"})
    result_type = MediatedRoundResult

    def validate(self, check: EntryCheck) -> None:
        """Require participants (with outside options), mediators and a known draft rule.

        Examples
        --------
        >>> import negsim
        >>> negsim.parse_scenario(negsim.load_scenario("libya-2020").to_toml().replace(
        ...     'mediators = ["Russia", "Turkey"]', 'mediators = []'))
        Traceback (most recent call last):
        ...
        negsim.scenario...ScenarioError: <string>: timeline[2].mediators: a mediated_round needs
        at least one mediator
        """
        check.require_list("participants", "missing: a mediated_round needs participants (the "
                           "actors who sign or not)",
                           "a mediated_round needs at least one participant")
        check.require_list("mediators", "missing: a mediated_round needs mediators (who draft "
                           "the text)", "a mediated_round needs at least one mediator")
        check.require_outside_option("participants", "the participants of a mediated_round")
        check.require_role("mediators", "mediator", "{actor} does not have the role 'mediator'")
        rule = check.table.get("draft_rule")
        if isinstance(rule, str) and rule not in draft_rules():
            check.fail(check.field("draft_rule"), f"unknown draft rule {rule!r}"
                       f"{did_you_mean(rule, draft_rules())} (draft rules: "
                       f"{', '.join(draft_rules())})")

    def draws(self, entry: Any, scenario: Any) -> int:
        """Two uniforms per participant: first choices, then choices on an amended text.

        Examples
        --------
        >>> import negsim
        >>> MediatedRound().draws(negsim.load_scenario("libya-2020").timeline[2], None)
        4
        """
        return 2 * len(entry.participants)

    def play_batch(self, entry: Any, state: RoundState, u: np.ndarray,
                   cols: dict[str, object]) -> None:
        """Draft, choose, amend and decide for every run of the batch.

        Examples
        --------
        >>> import negsim
        >>> from negsim.sim.engine import simulate_runs
        >>> df = simulate_runs(negsim.load_scenario("libya-2020"), 1, 3)
        >>> df["moscow.GNA.decision"].isin(["sign", "no_sign"]).all()
        np.True_
        """
        st, p = state.structure, state.params
        parts = state.actor_indices(entry.participants)
        meds = state.actor_indices(entry.mediators)
        rid, n_runs, k = entry.id, p.runs, len(parts)
        drafted = mediators_draft(p, state.w, state.outside, parts, meds, entry)
        state.last_round = 0 if state.last_round is None else state.last_round + 1
        pos = entry_position(state.scenario, entry)
        if drafted is None:
            state.keep_bonus, state.break_cost = _no_text_terms(p, pos, parts, meds, entry)
            state.has_text[:] = False
            state.signed = np.zeros((n_runs, k), dtype=bool)
            # No text: the same columns as a round with one, the text as NaN (as the agents).
            for issue in st.issue_ids:
                cols[f"{rid}.draft.{issue}"] = np.full(n_runs, np.nan)
                cols[f"{rid}.text.{issue}"] = np.full(n_runs, np.nan)
            for a in parts:
                cols[f"{rid}.{st.actor_ids[a]}.choice"] = np.full(n_runs, "reject", dtype=object)
                cols[f"{rid}.{st.actor_ids[a]}.decision"] = np.full(n_runs, "no_sign",
                                                                    dtype=object)
                cols[f"{rid}.{st.actor_ids[a]}.margin"] = np.full(n_runs, np.nan)
            _inducement_columns(cols, entry, st.actor_ids, parts, meds, state.keep_bonus)
            return
        x0, (lower, upper) = drafted
        d = decide(
            x0, w=state.w, ideal=p.ideal, outside=state.outside, leverage=p.leverage, lo=p.lo,
            hi=p.hi, discount=p.discount, amendment_reach=p.amendment_reach,
            rationality=p.rationality, parts=parts, box=(lower, upper), u=u,
            alone=state.alone, contingent=st.contingent,
            budget=(total_budget(p.side_payments, pos, meds) if uses_side_payments(entry)
                    else None),
        )
        state.keep_bonus, state.break_cost = inducement_terms(
            p.side_payments, p.guarantee, pos, parts, meds, d.transfer, entry)
        state.text = d.text
        state.has_text[:] = True
        state.signed = d.signed
        state.parts = parts
        for j, issue in enumerate(st.issue_ids):
            cols[f"{rid}.draft.{issue}"] = x0[:, j]
            cols[f"{rid}.text.{issue}"] = d.text[:, j]
        choice_names = np.array(CHOICES, dtype=object)
        for j, a in enumerate(parts):
            aid = st.actor_ids[a]
            cols[f"{rid}.{aid}.choice"] = choice_names[d.first[:, j]]
            cols[f"{rid}.{aid}.decision"] = np.where(d.signed[:, j], "sign",
                                                     "no_sign").astype(object)
            cols[f"{rid}.{aid}.margin"] = d.margin[:, j]
        _inducement_columns(cols, entry, st.actor_ids, parts, meds, state.keep_bonus)

    def play_agents(self, entry: Any, model: Any, u: np.ndarray) -> MediatedRoundResult:
        """Play the round with the Mesa agents: each participant decides for itself.

        Examples
        --------
        >>> import negsim
        >>> model = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> for _ in range(3):
        ...     model.step()
        >>> type(model.rounds[-1]).__name__
        'MediatedRoundResult'
        """
        parts = [model.agent(a) for a in entry.participants]
        meds = [model.agent(a) for a in entry.mediators]
        model.signing_parts = np.array([a.index for a in parts], dtype=int)
        k = len(parts)
        p = model.params
        model.transfers = None
        pos = entry_position(model.scenario, entry)
        part_i = np.array([a.index for a in parts], dtype=int)
        med_i = np.array([a.index for a in meds], dtype=int)
        issues = model.scenario.issue_ids
        respect, rule = _options(entry)
        lower, upper = drafting_box(p.lo, p.hi, np.array([a.index for a in meds]),
                                    np.array([a.index for a in parts]), respect)
        if np.any(lower > upper + 1e-12):
            model.has_text = False
            model.keep_bonus, model.break_cost = _no_text_terms(p, pos, part_i, med_i, entry)
            nan = FrozenMap({i: float("nan") for i in issues})
            return MediatedRoundResult(
                entry.id, tuple(entry.mediators), tuple(entry.participants), nan, nan, False,
                FrozenMap({a.actor_id: "reject" for a in parts}),
                FrozenMap({a.actor_id: "no_sign" for a in parts}),
                FrozenMap({a.actor_id: float("nan") for a in parts}),
                **_result_inducements(entry, model.scenario.actor_ids, part_i, med_i,
                                      model.keep_bonus, model.break_cost),
            )
        box = (lower, upper)
        bargainers = sorted({a.index for a in parts} | {a.index for a in meds})
        part_idx = {a.index for a in parts}
        omega = np.array([
            [1.0 + (sum(p.leverage[0, m.index, b] for m in meds) if b in part_idx else 0.0)
             for b in bargainers]
        ])
        outside = np.array([[model.negotiators[b].outside_option for b in bargainers]])
        draft = draft_rule(rule)(model.w[:, bargainers], p.ideal[:, bargainers], outside,
                                 omega, lower, upper, p.status_quo)[0]
        transfer = None
        if uses_side_payments(entry):  # the mediators offer transfers on the draft's margins
            margin0 = np.array([[a.signing_margin(draft) for a in parts]])
            can_sign = np.array([[a.accepts(draft) for a in parts]])
            transfer = offer_transfers(margin0, can_sign, total_budget(p.side_payments, pos,
                                                                       med_i))
            model.transfers = {a.index: float(transfer[0, j]) for j, a in enumerate(parts)}
        model.keep_bonus, model.break_cost = inducement_terms(
            p.side_payments, p.guarantee, pos, part_i, med_i, transfer, entry)
        choices = {a.actor_id: a.first_choice(draft, box, float(u[j])) for j, a in enumerate(parts)}
        askers = [a for a in parts if choices[a.actor_id] == "time"]
        text = draft
        if askers:
            mask = np.zeros((1, len(model.negotiators)), dtype=bool)
            mask[0, [a.index for a in askers]] = True
            text = amend(draft[None], p.ideal, model.w, mask, p.amendment_reach, *box)[0]
            decisions = {
                a.actor_id: "sign"
                if choices[a.actor_id] != "reject" and a.final_choice(text, float(u[k + j]))
                else "no_sign"
                for j, a in enumerate(parts)
            }
        else:
            decisions = {a.actor_id: "sign" if choices[a.actor_id] == "sign" else "no_sign"
                         for a in parts}
        model.text = text
        model.has_text = True
        return MediatedRoundResult(
            id=entry.id,
            mediators=tuple(entry.mediators),
            participants=tuple(entry.participants),
            draft=FrozenMap(dict(zip(issues, draft.tolist(), strict=True))),
            text=FrozenMap(dict(zip(issues, text.tolist(), strict=True))),
            amended=bool(askers),
            choices=FrozenMap(choices),
            decisions=FrozenMap(decisions),
            margins=FrozenMap({a.actor_id: a.signing_margin(text) for a in parts}),
            **_result_inducements(entry, model.scenario.actor_ids, part_i, med_i,
                                  model.keep_bonus, model.break_cost),
        )

    def happened(self, runs: Any, entry: Any, actor: str, commitment: str | None,
                 value: str) -> np.ndarray:
        """Whether ``actor``'s final decision was ``value`` (``sign`` or ``no_sign``).

        Raises
        ------
        ValueError
            If the runs lack the decision column.

        Examples
        --------
        >>> import pandas as pd, negsim
        >>> runs = pd.DataFrame({"moscow.LNA.decision": ["sign", "no_sign"]})
        >>> entry = negsim.load_scenario("libya-2020").timeline[2]
        >>> MediatedRound().happened(runs, entry, "LNA", None, "sign").tolist()
        [True, False]
        """
        col = f"{entry.id}.{actor}.decision"
        if col not in runs.columns:
            raise ValueError(f"the runs have no column {col!r} for the observation of "
                             f"{actor} in {entry.id}")
        return (runs[col] == value).to_numpy()



def _no_text_terms(p: Any, pos: int, parts: np.ndarray, meds: np.ndarray,
                   entry: Any) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Return the inducement arrays of a round without a text: nothing paid or guaranteed."""
    keep, cost = inducement_terms(p.side_payments, p.guarantee, pos, parts, meds, None, entry)
    return keep, (None if cost is None else np.zeros_like(cost))


def _inducement_columns(cols: dict[str, object], entry: Any, ids: tuple[str, ...],
                        parts: np.ndarray, meds: np.ndarray,
                        keep_bonus: np.ndarray | None) -> None:
    """Write the transfer columns of a round with side payments (see the module docstring)."""
    if keep_bonus is None:
        return
    for a in parts:
        cols[f"{entry.id}.{ids[a]}.transfer"] = keep_bonus[:, a].copy()
    for m in meds:
        cols[f"{entry.id}.{ids[m]}.pays"] = 0.0 - keep_bonus[:, m]


def _result_inducements(entry: Any, ids: tuple[str, ...], parts: np.ndarray, meds: np.ndarray,
                        keep_bonus: np.ndarray | None,
                        break_cost: np.ndarray | None) -> dict[str, Any]:
    """Return the inducement fields of one run's :class:`MediatedRoundResult` (Mesa)."""
    if keep_bonus is None:
        transfers = pays = FrozenMap({})
    else:
        transfers = FrozenMap({ids[a]: float(keep_bonus[0, a]) for a in parts})
        pays = FrozenMap({ids[m]: float(0.0 - keep_bonus[0, m]) for m in meds})
    guarantee = None if break_cost is None or not len(parts) else float(break_cost[0, parts[0]])
    return {"transfers": transfers, "pays": pays, "guarantee": guarantee}
