"""The ``implementation`` kind: the months after the talks, one period per month.

It starts from the ceasefire in force: the text of the last round that puts a text to
signature if every participant signed it, otherwise the terms in force before the talks
(the scenario's status quo; for Libya the truce of 12 January). Each month, each patron
decides whether to deliver arms to its clients (breaking the arms embargo, detected with a
probability that monitoring raises), capabilities move with the deliveries, and each side
bound by the ceasefire decides whether to strike, given where it expects the balance to be
next month and its own (possibly optimistic) estimate of its chances (the kernels and
formulas: :mod:`negsim.protocol.aftermath`); events on the ground (``volatility``) move
the sides' capabilities too. The first strike ends the ceasefire; the months
after it are still played (deliveries and capabilities go on), so that every run has the
same columns.

An entry lists the sides bound by the ceasefire as ``participants`` (belligerents) and its
length as ``horizon`` (months); the phase's numbers are ``[model]`` fields (``delivery``,
``detection``, ``monitoring_detection``, ``estimate_error``, ``learning``; each side's
``outside_option.optimism``). A run draws one
uniform per actor (its estimate's error), then per month four per actor (delivery,
detection, strike, shock), used or not. Columns (``I`` the entry's id): ``I.duration``,
``I.broke``, ``I.broken_by``, ``I.reason``, and per month ``t`` ``I.m{t}.{patron}.delivered``,
``I.m{t}.{patron}.detected`` and ``I.m{t}.{side}.capability``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from scipy.special import ndtri

from negsim._frozen import FrozenMap
from negsim.protocol.aftermath import (
    Contest,
    break_values,
    delivery_gains,
    estimate_errors,
    exit_values,
    patrons_of,
    takes_it,
)
from negsim.protocol.rounds.dated import date_problem, held_at
from negsim.protocol.rounds.reasons import (
    CHANCE,
    DECLINE,
    OPTIMISM,
    QUIT,
    QUIT_CHANCE,
    REASONS,
    STRIKE,
    STRUCK,
    WORSE,
    reason_words,
)
from negsim.protocol.state import RoundState
from negsim.protocol.structure import (
    Structure,
    alone_values,
    compliance_inputs,
    monitoring_share,
    outside_values,
)
from negsim.protocol.utility import text_utility
from negsim.scenario.kinds import EntryCheck, RoundKind

__all__ = ["Implementation", "ImplementationResult", "Phase"]

_TOL = 1e-9
_PER_MONTH = 4  # uniforms per actor and month: delivery, detection, strike, shock
@dataclass
class Phase:
    """The arrays of an implementation phase for a batch of runs (both implementations).

    Built once at the start (:meth:`start`); then each month :meth:`deliveries`,
    :meth:`arm`, :meth:`shock` and :meth:`strikes` play it with that month's uniforms. The
    batch engine and the Mesa model call the same methods (the model with one run), so their
    numbers agree run by run.

    Examples
    --------
    >>> ph = _example_phase()
    >>> delivered, _ = ph.deliveries(np.full((1, 6), 0.5), np.full((1, 6), 0.5))
    >>> added = ph.arm(delivered)
    >>> ph.shock(np.full((1, 6), 0.5))
    >>> hit, why = ph.strikes(added, np.full((1, 6), 0.5))
    >>> hit.shape  # one choice per side (GNA, LNA)
    (1, 2)
    """

    contest: Contest
    sides: np.ndarray
    patrons: np.ndarray
    peace: np.ndarray
    pressure: np.ndarray
    strike: np.ndarray
    detect: np.ndarray
    expected_cost: np.ndarray
    step: np.ndarray
    discount: np.ndarray
    rationality: np.ndarray
    error: np.ndarray
    fade: np.ndarray
    learning: np.ndarray
    volatility: np.ndarray
    capability: np.ndarray
    _gift: np.ndarray | None = field(default=None, repr=False)  # step from patrons to sides
    parties: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    quit_value: np.ndarray | None = None

    @classmethod
    def start(cls, st: Structure, p: Any, w: np.ndarray, x: np.ndarray, committed: np.ndarray,
              powers: list[np.ndarray], sides: np.ndarray, u_errors: np.ndarray) -> Phase:
        """Set the phase up from a batch's parameters and the text in force ``x``.

        Examples
        --------
        >>> import negsim
        >>> from negsim.protocol.params import compile_scenario
        >>> from negsim.protocol.structure import structure
        >>> from negsim.protocol.utility import weights
        >>> s = negsim.load_scenario("libya-2020")
        >>> p = compile_scenario(s)
        >>> ph = Phase.start(structure(s), p, weights(p.salience), p.status_quo,
        ...                  np.zeros((1, 6, 3), bool), [], np.array([0, 1]), np.full((1, 6), .5))
        >>> ph.peace.shape, ph.capability.shape
        ((1, 6), (1, 6))
        """
        embargo, pressure, strike = compliance_inputs(st, p, committed, powers)
        share = monitoring_share(st, committed, powers)
        parties = sides[st.party[sides]]
        sides = sides[~st.party[sides]]
        detect = p.detection + (1.0 - p.detection) * p.monitoring_detection * share
        patrons = patrons_of(st, sides)
        mask = np.zeros(st.links.shape, dtype=bool)
        mask[np.ix_(patrons, sides)] = True
        step = np.where(mask, p.delivery[:, None, None] * p.support * p.capability[:, :, None],
                        0.0)
        return cls(
            contest=Contest.of(p, w, st.belligerent), sides=sides, patrons=patrons,
            peace=text_utility(w, p.ideal, x), pressure=pressure, strike=strike, detect=detect,
            expected_cost=detect[:, None] * embargo, step=step, discount=p.discount,
            rationality=p.rationality,
            error=estimate_errors(p.optimism, p.estimate_error, u_errors, st.belligerent),
            fade=np.ones(p.runs), learning=p.learning, volatility=p.volatility,
            capability=p.capability.copy(), parties=parties,
            quit_value=(alone_values(st, p, outside_values(st, p, w))[:, parties]
                        if len(parties) else None),
        )

    def deliveries(self, u: np.ndarray, u_detect: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return this month's deliveries and detections, ``(R, patrons)`` each.

        Examples
        --------
        >>> ph = _example_phase()
        >>> d, seen = ph.deliveries(np.full((1, 6), 0.5), np.full((1, 6), 0.99))
        >>> d.shape, bool(seen.any())
        ((1, 4), False)
        """
        gains = delivery_gains(self.contest, self.capability, self.step, self.patrons,
                               self.discount, self.expected_cost)
        delivered = takes_it(gains, self.rationality[:, None], u[:, self.patrons])
        return delivered, delivered & (u_detect[:, self.patrons] < self.detect[:, None])

    def arm(self, delivered: np.ndarray) -> np.ndarray:
        """Add this month's deliveries to the capabilities; return what they added.

        Examples
        --------
        >>> ph = _example_phase()
        >>> before = ph.capability.copy()
        >>> added = ph.arm(np.ones((1, 4), bool))
        >>> bool(np.all(ph.capability == before + added))
        True
        """
        # Deliveries reach the sides only (the other columns of ``step`` are 0), so the sum
        # runs on their columns, patron after patron in actor order as over full rows.
        if self._gift is None:
            self._gift = np.ascontiguousarray(self.step[:, self.patrons][:, :, self.sides])
        gift = self._gift
        given = np.zeros((len(self.capability), len(self.sides)))
        for j in range(len(self.patrons)):
            given = given + np.where(delivered[:, j : j + 1], gift[:, j, :], 0.0)
        added = np.zeros_like(self.capability)
        added[:, self.sides] = given
        self.capability = self.capability + added
        return added

    def shock(self, u: np.ndarray) -> None:
        """Move the sides' capabilities by this month's events on the ground.

        Each side's capability is multiplied by ``exp(volatility * z)``, ``z`` standard
        normal from its uniform: skirmishes, defections and supply problems that the
        ceasefire does not stop.

        Examples
        --------
        >>> ph = _example_phase()
        >>> before = ph.capability.copy()
        >>> ph.shock(np.full((1, 6), 0.5))  # the median shock changes nothing
        >>> bool(np.all(ph.capability == before))
        True
        """
        z = ndtri(np.clip(u[:, self.sides], 1e-12, 1.0 - 1e-12))
        self.capability[:, self.sides] = self.capability[:, self.sides] * np.exp(
            self.volatility[:, None] * z)
        if len(self.parties):
            assert self.quit_value is not None
            z = ndtri(np.clip(u[:, self.parties], 1e-12, 1.0 - 1e-12))
            self.quit_value = self.quit_value + self.volatility[:, None] * z

    def exits(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each party's choice to break the deal this month, and the reason code of each.

        A logit choice on :func:`~negsim.protocol.aftermath.exit_values`.

        Examples
        --------
        >>> _example_phase().exits(np.full((1, 6), 0.5))[0].shape  # Libya: no party
        (1, 0)
        """
        if not len(self.parties):
            return np.zeros((u.shape[0], 0), bool), np.zeros((u.shape[0], 0), int)
        assert self.quit_value is not None
        value = exit_values(self.quit_value, self.pressure, self.peace, self.discount,
                            self.parties)
        hit = takes_it(value, self.rationality[:, None], u[:, self.parties])
        return hit, np.where(value > 0, QUIT, QUIT_CHANCE)

    def choices(self, added: np.ndarray, u: np.ndarray, live: np.ndarray | None = None) -> (
        tuple[np.ndarray, np.ndarray]
    ):
        """Every participant's choice to break the deal this month, in the order ``order``.

        :meth:`strikes` for the sides at war (reasons worked out for the runs in ``live``),
        :meth:`exits` for the parties.

        Examples
        --------
        >>> ph = _example_phase()
        >>> hit, why = ph.choices(np.zeros((1, 6)), np.full((1, 6), 0.5))
        >>> hit.shape
        (1, 2)
        """
        hit, why = self.strikes(added, u, live) if len(self.sides) else (
            np.zeros((u.shape[0], 0), bool), np.zeros((u.shape[0], 0), int))
        if not len(self.parties):
            return hit, why
        q_hit, q_why = self.exits(u)
        return np.concatenate([hit, q_hit], axis=1), np.concatenate([why, q_why], axis=1)

    @property
    def order(self) -> np.ndarray:
        """The participants in the order of :meth:`choices`: the sides at war, then parties.

        Examples
        --------
        >>> _example_phase().order.tolist()
        [0, 1]
        """
        return np.concatenate([self.sides, self.parties]).astype(int)

    def strikes(self, added: np.ndarray, u: np.ndarray, live: np.ndarray | None = None) -> (
        tuple[np.ndarray, np.ndarray]
    ):
        """Each side's choice to strike this month, and the reason code of each choice.

        Reasons are worked out for the runs in ``live`` (all if None) where a side strikes;
        the others get ``CHANCE`` (a run whose ceasefire broke before needs none).

        Examples
        --------
        >>> ph = _example_phase()
        >>> hit, why = ph.strikes(np.zeros((1, 6)), np.full((1, 6), 0.5))
        >>> hit.shape, why.shape
        ((1, 2), (1, 2))
        """
        error = self.error * self.fade[:, None]
        projected = self.capability + added
        args = (self.strike, self.pressure, self.peace, self.discount, self.sides)
        value, expects = break_values(self.contest, self.capability, projected, error, *args)
        # The choice weighs present values: striking commits a side to war for good, so its
        # stakes are the discounted sum of B, not one month's flow (a logit on flows would
        # make each month's choice as noisy as a once-for-all signature, month after month).
        stakes = 1.0 - np.nan_to_num(self.discount[:, self.sides], nan=0.0)
        hit = takes_it(value / stakes, self.rationality[:, None], u[:, self.sides])
        why = np.full(hit.shape, CHANCE)
        struck = hit.any(axis=1)
        rows = np.flatnonzero(struck if live is None else struck & live)  # the runs to explain
        if len(rows):
            why[rows] = self._reasons(rows, projected, error, value, expects)
        self.fade = self.fade * (1.0 - self.learning)
        return hit, why

    def _reasons(self, rows: np.ndarray, projected: np.ndarray, error: np.ndarray,
                 value: np.ndarray, expects: np.ndarray) -> np.ndarray:
        """Reason codes of the sides' values in the runs ``rows`` (see the module docstring)."""
        contest = self.contest.take(rows)
        cap, nxt = self.capability[rows], projected[rows]
        args = (self.strike[rows], self.pressure[rows], self.peace[rows], self.discount[rows],
                self.sides)
        true_value = (value[rows] if not np.any(error[rows]) else
                      break_values(contest, cap, nxt, np.zeros_like(error[rows]), *args)[0])
        w_now = contest.war_values(cap, actors=self.sides)
        w_next = contest.war_values(nxt, actors=self.sides)
        return np.select(
            [value[rows] <= 0, self.peace[rows][:, self.sides] < w_now, true_value <= 0,
             expects[rows], w_next < w_now - _TOL],
            [CHANCE, WORSE, OPTIMISM, STRUCK, DECLINE], STRIKE)


def _example_phase() -> Phase:
    from negsim.protocol.params import compile_scenario
    from negsim.protocol.structure import structure
    from negsim.protocol.utility import weights
    from negsim.scenario import load_scenario

    s = load_scenario("libya-2020")
    p = compile_scenario(s)
    return Phase.start(structure(s), p, weights(p.salience), p.status_quo,
                       np.zeros((1, 6, 3), bool), [], np.array([0, 1]), np.full((1, 6), 0.5))


@dataclass(frozen=True)
class ImplementationResult:
    """What happened in the months after the talks (one run).

    Attributes
    ----------
    id : str
    horizon : int
    duration : int
        The month the ceasefire broke, or the horizon if it held.
    broke : bool
    broken_by, reason : str
        Who struck first and why, in words ("" if it held).
    delivered, detected : FrozenMap
        Month -> FrozenMap(patron -> bool).
    capability : FrozenMap
        Month -> FrozenMap(side -> capability at the end of the month).
    deal : str
        What the deal is called (the scenario's ``words.deal``).
    own_break : FrozenMap
        Actor -> its own ``break`` phrase, for the actors that name one
        (``[actors.ID.words]``): a patron's deliveries are then told in its words.

    Examples
    --------
    >>> r = ImplementationResult("after", 1, 1, False, "", "", FrozenMap({1: FrozenMap()}),
    ...                          FrozenMap({1: FrozenMap()}), FrozenMap({1: FrozenMap()}))
    >>> r.columns()["after.broke"], r.story()[0]
    (False, 'after: the agreement held for 1 month.')
    """

    id: str
    horizon: int
    duration: int
    broke: bool
    broken_by: str
    reason: str
    delivered: FrozenMap
    detected: FrozenMap
    capability: FrozenMap
    deal: str = "the agreement"
    own_break: FrozenMap = field(default_factory=FrozenMap)
    signs_text: ClassVar[bool] = False

    def columns(self) -> dict[str, Any]:
        """Return this phase's columns of the runs table (see the module docstring).

        Examples
        --------
        >>> r = ImplementationResult("a", 1, 1, True, "X", "X: why", FrozenMap({1: FrozenMap()}),
        ...                          FrozenMap({1: FrozenMap()}), FrozenMap({1: FrozenMap()}))
        >>> list(r.columns())
        ['a.duration', 'a.broke', 'a.broken_by', 'a.reason']
        """
        row: dict[str, Any] = {f"{self.id}.duration": float(self.duration),
                               f"{self.id}.broke": self.broke,
                               f"{self.id}.broken_by": self.broken_by,
                               f"{self.id}.reason": self.reason}
        for t in range(1, self.horizon + 1):
            for a, v in self.delivered[t].items():
                row[f"{self.id}.m{t}.{a}.delivered"] = v
                row[f"{self.id}.m{t}.{a}.detected"] = self.detected[t][a]
            for a, v in self.capability[t].items():
                row[f"{self.id}.m{t}.{a}.capability"] = v
        return row

    def story(self, reasons: Any = None) -> list[str]:
        """Tell the months after the talks in lines of words (``reasons`` is unused).

        Examples
        --------
        >>> r = ImplementationResult("a", 6, 2, True, "X", "X: why", FrozenMap(),
        ...                          FrozenMap(), FrozenMap())
        >>> r.story()
        ['a: the agreement broke in month 2 of 6: X: why.']
        >>> yes, no = FrozenMap({"UAE": True}), FrozenMap({"UAE": False})
        >>> r = ImplementationResult("a", 2, 2, False, "", "", FrozenMap({1: yes, 2: no}),
        ...                          FrozenMap({1: no, 2: no}), FrozenMap(),
        ...                          own_break=FrozenMap({"UAE": "ship arms to the LNA"}))
        >>> r.story()[1]
        '  UAE chose to ship arms to the LNA in 1 of 2 months (0 detected).'
        """
        if not self.broke:
            s = "" if self.horizon == 1 else "s"
            lines = [f"{self.id}: {self.deal} held for {self.horizon} month{s}."]
        else:
            lines = [f"{self.id}: {self.deal} broke in month {self.duration} of "
                     f"{self.horizon}: {self.reason}."]
        for a in (self.delivered[1] if self.delivered else {}):
            months = [t for t in self.delivered if self.delivered[t][a]]
            seen = sum(bool(self.detected[t][a]) for t in months)
            did = (f"chose to {self.own_break[a]}" if a in self.own_break
                   else "delivered arms")
            if months:
                lines.append(f"  {a} {did} in {len(months)} of {self.horizon} months "
                             f"({seen} detected).")
        return lines


class Implementation(RoundKind):
    """The ``implementation`` kind (see the module docstring).

    Examples
    --------
    >>> Implementation.fields, Implementation.model_fields[:2]
    (frozenset({'horizon'}), ('delivery', 'detection'))
    """

    name = "implementation"
    lists = frozenset({"participants"})
    fields = frozenset({"horizon"})
    model_fields = ("delivery", "detection", "monitoring_detection", "estimate_error", "learning",
                    "volatility")
    decisions = ("holds", "broken")
    decision_place = "in an implementation phase"
    observation_kind = "ceasefire"
    dated = True

    def validate(self, check: EntryCheck) -> None:
        """Require the sides bound by the deal (at least one, each with an outside option).

        Examples
        --------
        >>> problems = []
        >>> check = EntryCheck("timeline[4]", {}, {}, {}, lambda p, m: problems.append(m),
        ...                    lambda p, k: p + "." + k)
        >>> Implementation().validate(check)
        >>> problems[0]
        'missing: an implementation needs participants (the sides bound by the deal)'
        """
        check.require_list("participants", "missing: an implementation needs participants "
                           "(the sides bound by the deal)",
                           "an implementation needs at least one participant")
        check.require_outside_option("participants", "the participants of an implementation")

    def observation_problem(self, entry: Any, actor: str | None, decision: str,
                            date: Any) -> tuple[str, str] | None:
        """Require a date inside the phase (see :mod:`negsim.protocol.rounds.dated`)."""
        return date_problem(entry, actor, decision, date)

    def happened(self, runs: Any, entry: Any, actor: str | None, commitment: str | None,
                 value: str, date: Any = None) -> np.ndarray:
        """Whether the deal held at ``date`` (:func:`~negsim.protocol.rounds.dated.held_at`)."""
        return held_at(runs, entry, actor, value, date)

    def draws(self, entry: Any, scenario: Any) -> int:
        """One uniform per actor, then four per actor and month.

        Examples
        --------
        >>> import negsim
        >>> from types import SimpleNamespace
        >>> s = negsim.load_scenario("libya-2020")
        >>> Implementation().draws(SimpleNamespace(horizon=24), s)  # 6 + 24 * 24
        582
        """
        n = len(scenario.actors)
        return n + _PER_MONTH * n * int(entry.horizon)

    def play_batch(self, entry: Any, state: RoundState, u: np.ndarray,
                   cols: dict[str, object]) -> None:
        """Play every month for every run of the batch.

        Examples
        --------
        >>> import negsim
        >>> from negsim.sim.engine import simulate_runs
        >>> s = _example_scenario()
        >>> df = simulate_runs(s, 1, 5)
        >>> df["aftermath.duration"].between(1, 12).all()
        np.True_
        """
        st, p = state.structure, state.params
        n, horizon, rid = len(st.actor_ids), int(entry.horizon), entry.id
        sides = state.actor_indices(entry.participants)
        phase = Phase.start(st, p, state.w, _in_force(state), state.committed,
                            state.conference_powers, sides, u[:, :n])
        broke = np.zeros(p.runs, dtype=bool)
        duration = np.full(p.runs, float(horizon))
        by = np.full(p.runs, "", dtype=object)
        why = np.full(p.runs, "", dtype=object)
        for t in range(1, horizon + 1):
            block = u[:, n + _PER_MONTH * n * (t - 1): n + _PER_MONTH * n * t]
            delivered, detected = phase.deliveries(block[:, :n], block[:, n : 2 * n])
            added = phase.arm(delivered)
            phase.shock(block[:, 3 * n :])
            hit, code = phase.choices(added, block[:, 2 * n : 3 * n], ~broke)
            new = hit.any(axis=1) & ~broke
            first = np.argmax(hit, axis=1)
            for j, a in enumerate(phase.order):
                at = new & (first == j)
                by[at] = st.actor_ids[a]
                for c in REASONS:
                    why[at & (code[:, j] == c)] = reason_words(st, state.scenario, a, c)
            duration[new] = float(t)
            broke |= new
            for j, q in enumerate(phase.patrons):
                cols[f"{rid}.m{t}.{st.actor_ids[q]}.delivered"] = delivered[:, j]
                cols[f"{rid}.m{t}.{st.actor_ids[q]}.detected"] = detected[:, j]
            for a in phase.sides:
                cols[f"{rid}.m{t}.{st.actor_ids[a]}.capability"] = phase.capability[:, a]
        state.broken = broke
        state.broken_words = why
        cols[f"{rid}.duration"] = duration
        cols[f"{rid}.broke"] = broke
        cols[f"{rid}.broken_by"] = by
        cols[f"{rid}.reason"] = why

    def play_agents(self, entry: Any, model: Any, u: np.ndarray) -> Any:
        """Play the months with the Mesa agents, one model step per month (a generator).

        Each patron's agent decides its delivery and each side's agent whether to strike,
        from the same kernels as the engine (one run).

        Examples
        --------
        >>> import negsim
        >>> model = negsim.NegotiationModel(_example_scenario(), rng=0)
        >>> result = model.run()
        >>> model.steps  # 4 entries, then one step per month of the 12-month phase
        16
        >>> type(result.rounds[-1]).__name__
        'ImplementationResult'
        """
        st = model.structure
        n, horizon = len(st.actor_ids), int(entry.horizon)
        sides = np.array([model.agent(a).index for a in entry.participants], dtype=int)
        phase = Phase.start(st, model.params, model.w, model.text_in_force()[None],
                            model.committed, model.conference_powers, sides, u[None, :n])
        delivered: dict[int, FrozenMap] = {}
        detected: dict[int, FrozenMap] = {}
        capability: dict[int, FrozenMap] = {}
        duration, broke, by, reason = horizon, False, "", ""
        for t in range(1, horizon + 1):
            block = u[None, n + _PER_MONTH * n * (t - 1): n + _PER_MONTH * n * t]
            got, seen = phase.deliveries(block[:, :n], block[:, n : 2 * n])
            patrons = [model.negotiators[q] for q in phase.patrons]
            delivered[t] = FrozenMap({a.actor_id: bool(got[0, j]) for j, a in enumerate(patrons)})
            detected[t] = FrozenMap({a.actor_id: bool(seen[0, j]) for j, a in enumerate(patrons)})
            added = phase.arm(got)
            phase.shock(block[:, 3 * n :])
            hit, code = phase.choices(added, block[:, 2 * n : 3 * n], np.array([not broke]))
            capability[t] = FrozenMap({model.negotiators[a].actor_id: float(phase.capability[0, a])
                                       for a in phase.sides})
            if not broke and hit[0].any():
                j = int(np.argmax(hit[0]))
                broke, duration = True, t
                by = model.negotiators[phase.order[j]].actor_id
                reason = reason_words(st, model.scenario, int(phase.order[j]), int(code[0, j]))
            if t < horizon:
                yield
        model.broken = broke
        model.broken_words = reason
        return ImplementationResult(entry.id, horizon, duration, broke, by, reason,
                                    FrozenMap(delivered), FrozenMap(detected),
                                    FrozenMap(capability), model.scenario.words.deal,
                                    FrozenMap({a: st.actor_break[i]
                                               for i, a in enumerate(st.actor_ids)
                                               if st.own_words[i]}))


def _in_force(state: RoundState) -> np.ndarray:
    """Return the text in force at the start: the signed text if all signed, else the status quo."""
    if state.signed is None:
        return state.params.status_quo
    all_signed = state.signed.all(axis=1) & state.has_text
    return np.where(all_signed[:, None], state.text, state.params.status_quo)


def _example_scenario() -> Any:
    """Libya 2020 with a 12-month implementation phase (for the examples)."""
    from negsim.scenario import load_scenario, parse_scenario

    text = load_scenario("libya-2020").to_toml()
    return parse_scenario(text.replace("horizon = 24", "horizon = 12"))
