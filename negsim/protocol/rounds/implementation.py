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
``outside_option.optimism``). The factions of the sides (``[actors.ID.factions.FID]``) may
break the ceasefire too, after the sides each month (:mod:`negsim.protocol.rounds.factions`).
A run draws one uniform per actor (its estimate's error), then per month four per actor
(delivery, detection, strike, shock), used or not, then, only if the participants have
factions, per month one per faction (after the months', so that a file without factions
keeps its draws). Columns (``I`` the entry's id): ``I.duration``, ``I.broke``,
``I.broken_by`` (an actor, or ``ACTOR/FACTION`` for a faction), ``I.reason``, and per month
``t`` ``I.m{t}.{patron}.delivered``, ``I.m{t}.{patron}.detected`` and
``I.m{t}.{side}.capability``.

An entry may give the deal a ``term`` (months), a number of ``renewals`` and
``suspension = true`` (:mod:`negsim.protocol.rounds.terms`): renewal rounds at the end of
each term, the end of the last term and parties' suspensions, decided by payoffs. Only with a
term does a run draw more: one uniform per actor and renewal round, after the months' and
the factions' draws (suspensions use the party's choice uniform of the month). Its columns
are then also ``I.renewed``, ``I.lapsed``, ``I.expired`` and, with suspensions, ``I.suspended`` and
``I.m{t}.{party}.suspended``. Without these keys the phase is played exactly as before.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from negsim._frozen import FrozenMap
from negsim.protocol.rounds.dated import (
    EMBARGO_DECISIONS,
    RENEWAL_DECISIONS,
    breach_problem,
    breached_by,
    date_problem,
    delivering_patrons,
    held_at,
    renewal_problem,
    renewed_by,
)
from negsim.protocol.rounds.factions import breaker
from negsim.protocol.rounds.phase import PER_MONTH, Phase
from negsim.protocol.rounds.phase_result import ImplementationResult
from negsim.protocol.rounds.terms import Term, TermPlay, check_terms
from negsim.protocol.state import RoundState
from negsim.scenario.kinds import EntryCheck, RoundKind

__all__ = ["Implementation", "ImplementationResult", "Phase"]

class Implementation(RoundKind):
    """The ``implementation`` kind (see the module docstring).

    Examples
    --------
    >>> sorted(Implementation.fields), Implementation.model_fields[:2]
    (['horizon', 'renewals', 'suspension', 'term'], ('delivery', 'detection'))
    """

    name = "implementation"
    lists = frozenset({"participants"})
    fields = frozenset({"horizon", "term", "renewals", "suspension"})
    model_fields = ("delivery", "detection", "monitoring_detection", "estimate_error", "learning",
                    "volatility")
    decisions = ("holds", "broken", *EMBARGO_DECISIONS, *RENEWAL_DECISIONS)
    decision_place = "in an implementation phase"
    observation_kind = "ceasefire"
    dated = True
    plays_text_in_force = True

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
        check_terms(check)

    def observation_problem(self, entry: Any, actor: str | None, decision: str,
                            date: Any) -> tuple[str, str] | None:
        """Require a date inside the phase (see :mod:`negsim.protocol.rounds.dated`).

        An observation of the embargo (``breached``, ``kept``) names its patron too; one of
        the renewals (``renewed``, ``lapsed``) needs a deal with a term and a date at or
        after its first renewal date.

        Examples
        --------
        >>> import datetime
        >>> from types import SimpleNamespace
        >>> e = SimpleNamespace(id="after", date=datetime.date(2021, 3, 11), horizon=12)
        >>> Implementation().observation_problem(e, None, "kept", datetime.date(2021, 6, 1))[0]
        'actor'
        """
        if decision in EMBARGO_DECISIONS:
            return breach_problem(entry, actor, date)
        if decision in RENEWAL_DECISIONS:
            return renewal_problem(entry, actor, decision, date)
        return date_problem(entry, actor, decision, date)

    def observation_kind_of(self, decision: str) -> str:
        """``"embargo"`` for ``breached``/``kept``, ``"renewal"`` for ``renewed``/``lapsed``.

        Else ``"ceasefire"`` (``holds``/``broken``). Each is a kind of its own in a
        backtest's base rate, with two values.

        Examples
        --------
        >>> Implementation().observation_kind_of("kept"), Implementation().observation_kind_of(
        ...     "lapsed")
        ('embargo', 'renewal')
        """
        if decision in EMBARGO_DECISIONS:
            return "embargo"
        return "renewal" if decision in RENEWAL_DECISIONS else self.observation_kind

    def actor_problem(self, entry: Any, actor: str, decision: str,
                      actors: Any) -> str | None:
        """Require a patron that delivers arms in the phase for an embargo observation.

        Examples
        --------
        >>> import negsim
        >>> s = negsim.load_scenario("libya-2020")
        >>> print(Implementation().actor_problem(s.timeline[-1], "GNA", "breached",
        ...                                      {a.id: a for a in s.actors}))
        'GNA' is not a patron that delivers arms in 'aftermath': an observation of the embargo
        names a non-belligerent actor that backs one of its sides (patrons: Russia, Turkey,
        Egypt, UAE)
        """
        if decision not in EMBARGO_DECISIONS:
            return super().actor_problem(entry, actor, decision, actors)
        patrons = delivering_patrons(entry, actors)
        if not actors or actor in patrons:
            return None
        return (f"{actor!r} is not a patron that delivers arms in {entry.id!r}: an "
                "observation of the embargo names a non-belligerent actor that backs one of "
                f"its sides (patrons: {', '.join(patrons) or 'none'})")

    def commitment_use(self, decision: str) -> str:
        """Return ``"optional"`` for an embargo observation (the commitment names its words).

        Examples
        --------
        >>> Implementation().commitment_use("breached"), Implementation().commitment_use("holds")
        ('optional', '')
        """
        return "optional" if decision in EMBARGO_DECISIONS else ""

    def commitment_problem(self, entry: Any, decision: str, commitment: str,
                           commitments: Any) -> str | None:
        """Require the ``embargo`` effect of the commitment an embargo observation names.

        Examples
        --------
        >>> import negsim
        >>> s = negsim.load_scenario("libya-2020")
        >>> print(Implementation().commitment_problem(s.timeline[-1], "breached",
        ...       "ceasefire_support", {c.id: c for c in s.commitments}))
        'ceasefire_support' is not an arms embargo (its effect is 'ceasefire_support'): an
        observation of the embargo names a commitment whose effect is 'embargo' (here:
        arms_embargo)
        """
        found = commitments.get(commitment)
        if found is None or found.effect == "embargo":
            return None
        embargoes = [c for c, x in commitments.items() if x.effect == "embargo"]
        return (f"{commitment!r} is not an arms embargo (its effect is {found.effect!r}): an "
                "observation of the embargo names a commitment whose effect is 'embargo' "
                f"(here: {', '.join(embargoes) or 'none'})")

    def happened(self, runs: Any, entry: Any, actor: str | None, commitment: str | None,
                 value: str, date: Any = None) -> np.ndarray:
        """Whether the deal held at ``date`` (:func:`~negsim.protocol.rounds.dated.held_at`).

        For ``breached``/``kept``: whether the patron ``actor`` had been found delivering arms
        by ``date`` (:func:`~negsim.protocol.rounds.dated.breached_by`); for
        ``renewed``/``lapsed``: whether the deal had been renewed at every renewal round by
        ``date``, or had lapsed (:func:`~negsim.protocol.rounds.dated.renewed_by`).
        """
        if value in EMBARGO_DECISIONS:
            return breached_by(runs, entry, str(actor), value, date)
        if value in RENEWAL_DECISIONS:
            return renewed_by(runs, entry, actor, value, date)
        return held_at(runs, entry, actor, value, date)

    def draws(self, entry: Any, scenario: Any) -> int:
        """One uniform per actor, four per actor and month, one per faction and month, renewals.

        The factions' uniforms (those of the participants' factions, month by month, factions
        in file order) come after the months', so a file without factions keeps its draws;
        with a term, one uniform per actor and renewal round follows
        (:mod:`~negsim.protocol.rounds.terms`); without one, nothing.

        Examples
        --------
        >>> import negsim
        >>> from types import SimpleNamespace
        >>> s = negsim.load_scenario("libya-2020")
        >>> Implementation().draws(SimpleNamespace(horizon=24, participants=["GNA", "LNA"]), s)
        606
        >>> 6 + (4 * 6 + 1) * 24  # the LNA's support base: one uniform a month
        606
        """
        n = len(scenario.actors)
        term = Term.of(entry)
        return (n + (PER_MONTH * n + _factions(entry, scenario)) * int(entry.horizon)
                + (term.draws(n) if term else 0))

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
                            state.conference_powers, sides, u[:, :n], *_inducements(state))
        tail, f = n + PER_MONTH * n * horizon, _factions(entry, state.scenario)
        broke = np.zeros(p.runs, dtype=bool)
        duration = np.full(p.runs, float(horizon))
        by = np.full(p.runs, "", dtype=object)
        why = np.full(p.runs, "", dtype=object)
        term = Term.of(entry)
        terms = TermPlay(term, p.runs) if term else None
        for t in range(1, horizon + 1):
            block = u[:, n + PER_MONTH * n * (t - 1): n + PER_MONTH * n * t]
            delivered, detected = phase.deliveries(block[:, :n], block[:, n : 2 * n])
            added = phase.arm(delivered)
            phase.shock(block[:, 3 * n :])
            hit, code = phase.choices(added, block[:, 2 * n : 3 * n], ~broke,
                                      u[:, tail + f * (t - 1) : tail + f * t])
            if terms is not None:
                hit, code = terms.month(t, phase, hit, code, block[:, 2 * n : 3 * n],
                                        terms.renewal_uniforms(u, n, t, tail + f * horizon),
                                        ~broke)
            new = hit.any(axis=1) & ~broke
            first = np.argmax(hit, axis=1)
            for j in range(hit.shape[1]):
                at = new & (first == j)
                for c in np.unique(code[at, j]):
                    who, words = breaker(st, state.scenario, phase.order, phase.spoilers, j,
                                         int(c))
                    by[at & (code[:, j] == c)] = who
                    why[at & (code[:, j] == c)] = words
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
        if terms is not None:
            cols.update(terms.columns(rid, phase, st.actor_ids))

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
        signed = model.text_in_force() is model.text  # the deal of the last round is in force
        phase = Phase.start(st, model.params, model.w, model.text_in_force()[None],
                            model.committed, model.conference_powers, sides, u[None, :n],
                            *(None if v is None else v if signed else np.zeros_like(v)
                              for v in (model.keep_bonus, model.break_cost)))
        tail, f = n + PER_MONTH * n * horizon, _factions(entry, model.scenario)
        delivered: dict[int, FrozenMap] = {}
        detected: dict[int, FrozenMap] = {}
        capability: dict[int, FrozenMap] = {}
        duration, broke, by, reason = horizon, False, "", ""
        term = Term.of(entry)
        terms = TermPlay(term, 1) if term else None
        for t in range(1, horizon + 1):
            block = u[None, n + PER_MONTH * n * (t - 1): n + PER_MONTH * n * t]
            got, seen = phase.deliveries(block[:, :n], block[:, n : 2 * n])
            patrons = [model.negotiators[q] for q in phase.patrons]
            delivered[t] = FrozenMap({a.actor_id: bool(got[0, j]) for j, a in enumerate(patrons)})
            detected[t] = FrozenMap({a.actor_id: bool(seen[0, j]) for j, a in enumerate(patrons)})
            added = phase.arm(got)
            phase.shock(block[:, 3 * n :])
            hit, code = phase.choices(added, block[:, 2 * n : 3 * n], np.array([not broke]),
                                      u[None, tail + f * (t - 1) : tail + f * t])
            if terms is not None:
                hit, code = terms.month(t, phase, hit, code, block[:, 2 * n : 3 * n],
                                        terms.renewal_uniforms(u[None], n, t, tail + f * horizon),
                                        np.array([not broke]))
            capability[t] = FrozenMap({model.negotiators[a].actor_id: float(phase.capability[0, a])
                                       for a in phase.sides})
            if not broke and hit[0].any():
                j = int(np.argmax(hit[0]))
                broke, duration = True, t
                by, reason = breaker(st, model.scenario, phase.order, phase.spoilers, j,
                                     int(code[0, j]))
            if t < horizon:
                yield
        model.broken = broke
        model.broken_words = reason
        return ImplementationResult(entry.id, horizon, duration, broke, by, reason,
                                    FrozenMap(delivered), FrozenMap(detected),
                                    FrozenMap(capability), model.scenario.words.deal,
                                    FrozenMap({a: st.actor_break[i]
                                               for i, a in enumerate(st.actor_ids)
                                               if st.own_words[i]}),
                                    terms.record(entry.id, phase, st.actor_ids) if terms else None)


def _factions(entry: Any, scenario: Any) -> int:
    """Return how many factions the entry's participants have (one uniform each a month)."""
    return sum(len(scenario.actor(a).factions) for a in entry.participants)


def _in_force(state: RoundState) -> np.ndarray:
    """Return the text in force at the start: the signed text if all signed, else the status quo."""
    if state.signed is None:
        return state.params.status_quo
    all_signed = state.signed.all(axis=1) & state.has_text
    return np.where(all_signed[:, None], state.text, state.params.status_quo)


def _inducements(state: RoundState) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Return the inducements of the deal in force: the last round's if all signed, else 0."""
    if state.signed is None:
        return None, None
    all_signed = (state.signed.all(axis=1) & state.has_text)[:, None]
    return tuple(None if v is None else np.where(all_signed, v, 0.0)  # type: ignore[return-value]
                 for v in (state.keep_bonus, state.break_cost))


def _example_scenario() -> Any:
    """Libya 2020 with a 12-month implementation phase (for the examples)."""
    from negsim.scenario import load_scenario, parse_scenario

    text = load_scenario("libya-2020").to_toml()
    return parse_scenario(text.replace("horizon = 24", "horizon = 12"))

