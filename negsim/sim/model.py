"""The negotiation as a Mesa model: one agent per actor, one step per timeline entry.

:class:`NegotiationModel` is negsim's reference implementation of the protocol (see
``docs/explanation/model.md``). It is built from any :class:`~negsim.scenario.Scenario`:
agents get their behaviour from their roles (belligerents sign, ask for time or reject;
patrons lobby their clients and keep or break embargoes; mediators draft and amend; powers
make commitments at conferences), and the equilibrium questions go to negsim's game engine.
The vectorised engine (:mod:`negsim.sim.engine`) plays the same protocol for many runs at once;
the test suite checks that the two agree run by run.
"""

from __future__ import annotations

import inspect
import itertools
from typing import Any

import mesa
import numpy as np

import negsim.protocol.rounds  # noqa: F401  (registers the built-in round kinds)
from negsim.games import NormalFormGame, compliance_report
from negsim.protocol.explain import (
    CHANCE,
    PRESSURE,
    RED_LINE,
    WORSE,
    breaking_words,
    deviation_words,
    refusal_words,
)
from negsim.protocol.params import Params, sample_params, scenario_value
from negsim.protocol.rounds.kernels import CHOICES, amend, choose, feasible, signing_outside
from negsim.protocol.structure import (
    Structure,
    alone_values,
    compliance_inputs,
    compliance_table,
    outside_values,
    structure,
)
from negsim.protocol.utility import text_utility, weights
from negsim.scenario import OUTCOMES, Actor, Scenario
from negsim.scenario.kinds import round_kind
from negsim.sim.results import ComplianceResult, FrozenMap, RunResult

__all__ = ["NegotiationModel", "Negotiator"]

_TOL = 1e-9


class Negotiator(mesa.Agent):
    """One actor of the scenario as a Mesa agent.

    Its behaviour follows from its roles: a belligerent signs, asks for time or rejects a
    draft (:meth:`first_choice`, :meth:`final_choice`); a patron lobbies its clients
    (:meth:`stance`, entering their :meth:`signing_margin`); a mediator's red lines bound
    the drafts; a power commits or not at a conference (:meth:`commitment_payoff`).

    Parameters
    ----------
    model : NegotiationModel
    index : int
        The actor's position in the scenario (row of the parameter arrays).
    actor : Actor
        The actor's description from the scenario.

    Examples
    --------
    >>> import negsim
    >>> model = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
    >>> lna = model.agent("LNA")
    >>> lna, lna.unique_id, [p.actor_id for p, _ in lna.patrons()]
    (Negotiator('LNA', roles=('belligerent',)), 2, ['Russia', 'Egypt', 'UAE'])
    """

    model: NegotiationModel

    def __init__(self, model: NegotiationModel, index: int, actor: Actor) -> None:
        super().__init__(model)
        self.index = index
        self.actor = actor
        self.actor_id = actor.id
        self.outside_option = float("nan")

    def __repr__(self) -> str:
        return f"Negotiator({self.actor_id!r}, roles={self.actor.roles})"

    # --- preferences --------------------------------------------------------------------
    def utility(self, text: np.ndarray) -> float:
        """Return the utility of a text (quadratic loss around the ideal, salience-weighted).

        Examples
        --------
        >>> import negsim, numpy as np
        >>> model = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> lna = model.agent("LNA")
        >>> lna.utility(model.params.ideal[0, lna.index])  # its own ideal text
        1.0
        >>> 0.0 <= lna.utility(np.full(9, 0.5)) < 1.0
        True
        """
        m = self.model
        row = slice(self.index, self.index + 1)
        return float(text_utility(m.w[:, row], m.params.ideal[:, row], text[None])[0, 0])

    def stance(self, text: np.ndarray) -> float:
        """Gain from the text over fighting on: how a patron lobbies its client.

        Examples
        --------
        >>> import negsim, numpy as np
        >>> model = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> uae, text = model.agent("UAE"), np.full(9, 0.5)
        >>> uae.stance(text) == uae.utility(text) - uae.outside_option
        True
        """
        return self.utility(text) - self.model.refusal_value(self.index, text)

    def patrons(self) -> list[tuple[Negotiator, float]]:
        """List the actors backing this one, with their (sampled) leverage.

        Examples
        --------
        >>> import negsim
        >>> model = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> [(p.actor_id, lev > 0) for p, lev in model.agent("GNA").patrons()]
        [('Turkey', True)]
        """
        lev = self.model.params.leverage[0]
        return [(a, float(lev[a.index, self.index])) for a in self.model.negotiators
                if lev[a.index, self.index] > 0]

    def signing_margin(self, text: np.ndarray) -> float:
        """Own gain over the outside option plus each patron's lobbying.

        The patrons' pressure is summed first, in actor order, and then added to the own
        gain: the order of :func:`negsim.protocol.rounds.kernels.signing_margin`, so that both
        engines get the same floating-point number.

        Examples
        --------
        >>> import negsim, numpy as np
        >>> model = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> gna, turkey, text = model.agent("GNA"), model.agent("Turkey"), np.full(9, 0.5)
        >>> lev = dict((p.actor_id, v) for p, v in gna.patrons())["Turkey"]
        >>> bool(np.isclose(gna.signing_margin(text), gna.stance(text) + lev * turkey.stance(text)))
        True
        """
        lobbying = 0.0
        for patron, leverage in self.patrons():
            lobbying += leverage * patron.stance(text)
        paid = self.model.transfers  # the mediators' side payment, if any (inducements)
        margin = self.stance(text) + lobbying
        return margin if paid is None else margin + paid.get(self.index, 0.0)

    def accepts(self, text: np.ndarray) -> bool:
        """Whether the text respects all of this actor's red lines.

        Examples
        --------
        >>> import negsim, numpy as np
        >>> model = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> model.agent("LNA").accepts(np.zeros(9)), model.agent("LNA").accepts(np.ones(9))
        (False, True)
        """
        p = self.model.params
        i = self.index
        return bool(feasible(p.lo[i : i + 1], p.hi[i : i + 1], text)[0])

    def violated_red_lines(self, text: np.ndarray) -> list[str]:
        """Descriptions of the red lines the text violates.

        Examples
        --------
        >>> import negsim, numpy as np
        >>> model = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> text = np.ones(9); text[model.issue_index["security_agreement"]] = 0.0
        >>> model.agent("LNA").violated_red_lines(text)
        ['no deal that leaves the GNA-Turkey security agreement in force']
        """
        out = []
        first = sum(len(a.red_lines) for a in self.model.scenario.actors[: self.index])
        bounds = self.model.params.red_line_bounds[0]  # this run's own (NaN: no bound)
        for j, rl in enumerate(self.actor.red_lines):
            x = text[self.model.issue_index[rl.issue]]
            lo, hi = bounds[first + j]
            if x < lo - _TOL or x > hi + _TOL:
                out.append(rl.description)
        return out

    # --- mediated round -----------------------------------------------------------------
    def first_choice(self, draft: np.ndarray, box: tuple[np.ndarray, np.ndarray], u: float) -> str:
        """Sign, ask for time or reject a draft (logit choice).

        Parameters
        ----------
        draft : ndarray, shape (m,)
        box : (ndarray, ndarray)
            The mediators' issue box, within which a draft may be amended.
        u : float
            This choice's uniform draw.

        Returns
        -------
        str
            ``"sign"`` (value: the signing margin, impossible across a red line),
            ``"time"`` (the discounted margin of the draft amended toward this actor) or
            ``"reject"`` (value 0).

        Examples
        --------
        >>> import negsim, numpy as np
        >>> model = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> box = (np.zeros(9), np.ones(9))
        >>> lna = model.agent("LNA")
        >>> choices = {lna.first_choice(np.zeros(9), box, u) for u in np.linspace(0, 0.99, 100)}
        >>> "sign" in choices  # the all-zero draft crosses its red lines
        False
        """
        m = self.model
        p = m.params
        only = np.zeros((1, len(m.negotiators)), dtype=bool)
        only[0, self.index] = True
        amended = amend(draft[None], p.ideal, m.w, only, p.amendment_reach, *box)[0]
        delta = float(p.discount[0, self.index])
        delta = 1.0 if np.isnan(delta) else delta
        v_time = delta * max(self.signing_margin(amended), 0.0) if self.accepts(amended) else 0.0
        v_sign = self.signing_margin(draft) if self.accepts(draft) else -np.inf
        values = np.array([[v_sign, v_time, 0.0]])
        return CHOICES[int(choose(values, p.rationality, np.array([u]))[0])]

    def final_choice(self, text: np.ndarray, u: float) -> bool:
        """Sign or not an amended text (binary logit choice on the signing margin).

        Examples
        --------
        >>> import negsim, numpy as np
        >>> model = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> lna = model.agent("LNA")
        >>> lna.final_choice(np.zeros(9), 0.0)  # across its red lines: never
        False
        >>> lna.final_choice(model.params.ideal[0, lna.index], 0.5)  # its ideal text
        True
        """
        v_sign = self.signing_margin(text) if self.accepts(text) else -np.inf
        return int(choose(np.array([[v_sign, 0.0]]), self.model.params.rationality,
                          np.array([u]))[0]) == 0

    def refusal_reason(self, text: np.ndarray) -> tuple[int, list[str], list[str]]:
        """Why this actor would not sign ``text``: (reason code, red lines, patrons against).

        The reason codes are those of :mod:`negsim.protocol.explain`: a red line, its patrons'
        pressure, a text worth less than fighting on, or (positive margin) chance.

        Examples
        --------
        >>> import negsim, numpy as np
        >>> model = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> code, lines, against = model.agent("LNA").refusal_reason(np.zeros(9))
        >>> len(lines)  # the all-zero text crosses all three of its red lines
        3
        """
        lines = self.violated_red_lines(text)
        against = [pat.actor_id for pat, _ in self.patrons() if pat.stance(text) < 0]
        if lines:
            return RED_LINE, lines, against
        if self.signing_margin(text) > 0:
            return CHANCE, lines, against
        if self.stance(text) > 0:
            return PRESSURE, lines, against
        return WORSE, lines, against

    @property
    def alternative(self) -> str:
        """What this actor gets instead of the deal, in words (e.g. ``"fighting on"``).

        Examples
        --------
        >>> import negsim
        >>> negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=0).agent(
        ...     "LNA").alternative
        'fighting on'
        """
        return self.model.structure.alternatives[self.index]

    # --- conference ---------------------------------------------------------------------
    def commitment_payoff(self, level: float, issue: int) -> float:
        """Return the part of this actor's utility that a commitment on ``issue`` moves.

        ``-w * (level - ideal) ** 2`` for the issue's weight ``w`` and ideal point (the square
        as a product: a scalar ``** 2`` goes through ``pow``, which can round differently
        from the engine's elementwise square).

        Examples
        --------
        >>> import negsim
        >>> model = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> russia, k = model.agent("Russia"), model.issue_index["arms_embargo"]
        >>> russia.commitment_payoff(model.params.ideal[0, russia.index, k], k)
        -0.0
        """
        m = self.model
        w = m.w[0, self.index, issue]
        gap = level - m.params.ideal[0, self.index, issue]
        return float(-w * (gap * gap))


class NegotiationModel(mesa.Model):
    """A negotiation scenario as a Mesa model (the reference implementation).

    Parameters
    ----------
    scenario : Scenario
        Any validated scenario.
    rng : int, SeedSequence, Generator or None
        Source of all randomness of the run. Run ``i`` of an ensemble with root seed ``s``
        uses ``SeedSequence([s, i])``. The run draws its uniforms in the layout of
        :func:`negsim.protocol.draws.draw_layout`.

    Examples
    --------
    >>> import negsim, numpy as np
    >>> model = NegotiationModel(negsim.load_scenario("libya-2020"),
    ...                          rng=np.random.SeedSequence([1, 0]))
    >>> result = model.run()
    >>> result.outcome in ("signed_and_holds", "signed_but_fragile", "partial_signature",
    ...                    "no_agreement")
    True
    """

    def __init__(self, scenario: Scenario, rng: Any = None) -> None:
        super().__init__(rng=rng)
        # Mesa seeds its stdlib ``random`` from ``rng`` and, for a SeedSequence or a
        # Generator, does so by drawing one integer from it; it saved the state first.
        # Rewind, so that the run's draws start exactly at the seed (as in the engine).
        self.rng.bit_generator.state = self._rng
        self.scenario = scenario
        self.structure: Structure = structure(scenario)
        self.issue_index = {k: j for j, k in enumerate(scenario.issue_ids)}
        u_unc = self.rng.random(len(scenario.uncertainty))
        self.params: Params = sample_params(scenario, u_unc[None, :])
        self.w = weights(self.params.salience)
        self.negotiators = [Negotiator(self, i, a) for i, a in enumerate(scenario.actors)]
        self.outside = outside_values(self.structure, self.params, self.w)
        for agent in self.negotiators:
            agent.outside_option = float(self.outside[0, agent.index])
        self.alone = (alone_values(self.structure, self.params, self.outside)
                      if self.structure.contingent.any() else None)
        #: The participants of the mediated round being (or last) played: a contingent
        #: participant's value of not signing depends on theirs (see refusal_value).
        self.signing_parts: np.ndarray | None = None
        self.text: np.ndarray = self.params.status_quo[0].copy()
        self.has_text = False
        self.last_round: Any = None  # the result of the last round that signs a text
        self.committed = np.zeros((1, len(self.negotiators), len(scenario.commitments)), bool)
        self.conference_powers: list[np.ndarray] = []
        self.rounds: list[Any] = []
        self.result: RunResult | None = None
        self.broken: bool | None = None  # set by an implementation phase
        self.broken_words = ""
        #: The last mediated round's inducements: transfers by actor index, and the
        #: (1, n) arrays of :attr:`negsim.protocol.state.RoundState.keep_bonus` and
        #: ``break_cost`` (None: none offered).
        self.transfers: dict[int, float] | None = None
        self.keep_bonus: np.ndarray | None = None
        self.break_cost: np.ndarray | None = None
        self._position = 0
        self._playing: tuple[Any, Any] | None = None
        self.parameters = {
            unc.parameter: float(scenario_value(self.params, scenario, unc.parameter)[0])
            for unc in scenario.uncertainty
        }

    def refusal_value(self, index: int, text: np.ndarray) -> float:
        """Return what not signing ``text`` is worth to actor ``index`` (its outside option).

        For a ``contingent`` participant of the current mediated round it depends on whether
        the others would sign (:func:`negsim.protocol.rounds.kernels.signing_outside`).

        Examples
        --------
        >>> import negsim, numpy as np
        >>> model = NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> model.refusal_value(1, np.zeros(9)) == model.agent("LNA").outside_option
        True
        """
        parts = self.signing_parts
        if self.alone is None or parts is None or not self.structure.contingent[parts].any():
            return self.negotiators[index].outside_option
        out = signing_outside(self.w, self.params.ideal, self.outside, self.alone,
                              self.params.leverage, text[None], parts, self.structure.contingent)
        return float(out[0, index])

    def agent(self, actor_id: str) -> Negotiator:
        """Return the agent of an actor.

        Examples
        --------
        >>> import negsim
        >>> model = NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> model.agent("Turkey").actor.name
        'Turkey'
        """
        return self.negotiators[self.scenario.actor_ids.index(actor_id)]

    # --- stepping -------------------------------------------------------------------------
    def step(self) -> None:
        """Play the next timeline entry; after the last one, analyse compliance.

        Each entry is played by its round kind: events change nothing; a mediated round or
        a conference appends its result to :attr:`rounds`; an implementation phase takes
        one step per month and appends its result after the last. After the last entry
        :attr:`result` is set, ``running`` is False and the model is released from Mesa's
        agent id registry (see :meth:`run`).

        Examples
        --------
        >>> import negsim
        >>> model = NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> for _ in range(3):
        ...     model.step()
        >>> model.steps, [r.id for r in model.rounds], model.running
        (3, ['moscow'], True)
        >>> model.step()  # Berlin
        >>> for _ in range(24):  # the 24 months after the talks, one step each
        ...     model.step()
        >>> model.running, model.result.outcome in negsim.scenario.OUTCOMES
        (False, True)
        """
        if self._playing is None:
            entry = self.scenario.timeline[self._position]
            kind = round_kind(entry.kind)
            n_draws = kind.draws(entry, self.scenario)
            u = self.rng.random(n_draws) if n_draws else np.empty(0)
            played = kind.play_agents(entry, self, u)
            if inspect.isgenerator(played):  # a kind that lasts several steps (months)
                self._playing = (kind, played)
            else:
                self._record(kind, played)
        if self._playing is not None:
            kind, months = self._playing
            try:
                next(months)
            except StopIteration as done:
                self._playing = None
                self._record(kind, done.value)
        if self._position == len(self.scenario.timeline):
            self.result = self._finish()
            self.running = False
            # Mesa 3.3 keeps every model that created agents alive through the class-level
            # id registry; a finished model creates no more agents, so release it.
            mesa.Agent._ids.pop(self, None)

    def _record(self, kind: Any, result: Any) -> None:
        self._position += 1
        if result is not None:
            self.rounds.append(result)
            if kind.signs_text:
                self.last_round = result

    def text_in_force(self) -> np.ndarray:
        """Return the terms in force: the signed text if all signed, else the status quo.

        Examples
        --------
        >>> import negsim
        >>> model = NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> bool((model.text_in_force() == model.params.status_quo[0]).all())  # nothing signed
        True
        """
        last = self.last_round
        if last is None or not self.has_text or any(d != "sign" for d in last.decisions.values()):
            return self.params.status_quo[0]
        return self.text

    def run(self) -> RunResult:
        """Step through the whole timeline and return the :class:`RunResult`.

        Also releases the model from Mesa's class-level agent id registry
        (``mesa.Agent._ids``), which would otherwise keep every finished model alive.

        Examples
        --------
        >>> import mesa, negsim
        >>> model = NegotiationModel(negsim.load_scenario("libya-2020"), rng=0)
        >>> result = model.run()
        >>> model.steps, model in mesa.Agent._ids  # 4 entries, the last one 24 months long
        (28, False)
        """
        while self.running:
            self.step()
        mesa.Agent._ids.pop(self, None)  # (already done by the last step)
        assert self.result is not None
        return self.result

    # --- does the deal hold? -------------------------------------------------------------------
    def _finish(self) -> RunResult:
        st, p = self.structure, self.params
        pl = st.players
        inputs = compliance_inputs(st, p, self.committed, self.conference_powers)
        pay = compliance_table(st, p, self.w, self.text[None], inputs, self.keep_bonus,
                               self.break_cost)[0]
        compliance = _analyse_game(NormalFormGame(pay), pl, st.actor_ids,
                                   np.nan_to_num(p.discount[0, pl.actors], nan=0.0),
                                   st.break_phrases)
        outcome, binding = self._verdict(compliance)
        return RunResult(
            held=None if self.broken is None else not self.broken,
            scenario_id=self.scenario.id,
            parameters=FrozenMap(self.parameters),
            rounds=tuple(self.rounds),
            compliance=compliance,
            outcome=outcome,
            binding_constraint=binding,
            utilities=FrozenMap({a.actor_id: a.utility(self.text) for a in self.negotiators}),
            outside_options=FrozenMap({a.actor_id: a.outside_option for a in self.negotiators}),
            deal=self.scenario.words.deal, breaking=breaking_words(st.break_phrases),
        )

    def _verdict(self, compliance: ComplianceResult) -> tuple[str, str]:
        last = self.last_round
        if last is None:
            return OUTCOMES[3], "no mediated round in the timeline"
        if not self.has_text:
            return OUTCOMES[3], "the mediators' red lines conflict: no text"
        signed = [d == "sign" for d in last.decisions.values()]
        reasons = []
        for a_id, d in last.decisions.items():
            if d != "sign":
                code, lines, against = self.agent(a_id).refusal_reason(self.text)
                reasons.append(refusal_words(a_id, code, lines, against,
                                             self.agent(a_id).alternative))
        holds = compliance.holds if self.broken is None else not self.broken
        if all(signed):
            outcome = OUTCOMES[0] if holds else OUTCOMES[1]
        else:
            outcome = OUTCOMES[2] if any(signed) else OUTCOMES[3]
        if reasons:
            return outcome, " | ".join(reasons)
        if self.broken is not None:
            return outcome, self.broken_words if self.broken else "none"
        return outcome, compliance.binding


def _analyse_game(
    game: NormalFormGame, pl: Any, actor_ids: tuple[str, ...], discount: np.ndarray,
    phrases: tuple[str, ...] = (),
) -> ComplianceResult:
    """Analyse the all-comply profile with the public game-engine API."""
    k = game.n_players
    comply = (0,) * k
    names = tuple(actor_ids[a] for a in pl.actors)
    stage = game.coalition_deviations(comply)
    report = compliance_report(game, comply, discount)
    c_pay = np.array([game.payoffs[(i, *comply)] for i in range(k)])
    punish = np.asarray(report.punishment_payoffs, dtype=float)
    profitable: list[tuple[int, float, int]] = []
    for flat, bits in enumerate(itertools.product((0, 1), repeat=k)):
        members = [i for i in range(k) if bits[i]]
        if not members:
            continue
        gains = [
            (1 - discount[i]) * (game.payoffs[(i, *bits)] - c_pay[i])
            + discount[i] * (punish[i] - c_pay[i])
            for i in members
        ]
        if all(g > _TOL for g in gains):
            profitable.append((len(members), -min(gains), flat))
    holds = not profitable
    binding = "none" if holds else deviation_words(pl, actor_ids, min(profitable)[2], phrases)
    deviate = np.array([game.payoffs[(i, *[1 if j == i else 0 for j in range(k)])]
                        for i in range(k)])
    margins = -((1 - discount) * (deviate - c_pay) + discount * (punish - c_pay))
    return ComplianceResult(
        players=names,
        is_nash=not any(len(d.coalition) == 1 for d in stage),
        is_strong=not stage,
        holds=holds,
        margins=FrozenMap(dict(zip(names, margins.tolist(), strict=True))),
        critical_discount=FrozenMap(
            dict(zip(names, np.asarray(report.critical_discount, float).tolist(), strict=True))
        ),
        profitable_coalitions=tuple(
            tuple(names[i] for i in d.coalition) for d in stage
        ),
        binding=binding,
    )
