"""Analyse a given deal without simulating the talks: who would sign it, and does it hold.

At the scenario's central values; with an implementation phase in the timeline, the phase
is played many times on the deal in force (its own random draws only:
:class:`negsim.analysis.textphase.TextPhase`, the kind's own code), as the deal's
:attr:`~negsim.sim.results.DealAnalysis.implementation`. Where the scenario's last mediated
round has inducements (:mod:`negsim.protocol.inducements`), the deal is that round's text:
its mediators offer their transfers on the participants' margins on the deal (cheapest
first within their budget, :attr:`~negsim.sim.results.DealAnalysis.transfers`, added to
those margins), and the transfers and the guarantee enter the compliance game and the
phase, as in :func:`negsim.simulate` and in fixed-text ensembles.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from negsim.analysis.textphase import TextPhase
from negsim.protocol.compliance import compliance_verdicts
from negsim.protocol.explain import deviation_words
from negsim.protocol.inducements import (
    entry_position,
    inducement_terms,
    offer_transfers,
    total_budget,
    uses_side_payments,
)
from negsim.protocol.params import compile_scenario
from negsim.protocol.rounds.kernels import feasible, signing_margin
from negsim.protocol.state import RoundState
from negsim.protocol.structure import (
    compliance_inputs,
    compliance_table,
    lay_blocks,
    outside_values,
    structure,
)
from negsim.protocol.utility import text_utility, weights
from negsim.scenario import Scenario
from negsim.scenario.kinds import round_kind
from negsim.sim.results import ComplianceResult, DealAnalysis, FrozenMap, PhaseVerdict
from negsim.sim.rng import run_uniforms

__all__ = ["analyze"]


def analyze(
    scenario: Scenario,
    deal: Mapping[str, float] | None = None,
    commitments: Mapping[str, Iterable[str]] | None = None,
    *,
    runs: int = 1000,
    seed: int = 0,
) -> DealAnalysis:
    """Analyse a deal: utilities, signing margins, red lines, and whether it holds.

    Uses the scenario's central values (no uncertainty, no random choices), except in an
    implementation phase: there the deal is put in force and the phase is played ``runs``
    times with its own random draws (deliveries, shocks, strikes, estimate errors: the
    uniforms of runs ``0 .. runs - 1`` of ``seed``), giving
    :attr:`~negsim.sim.results.DealAnalysis.implementation`.

    Parameters
    ----------
    scenario : Scenario
    deal : mapping issue id -> position in [0, 1], optional
        Issues not given stay at their status quo.
    commitments : mapping commitment id -> actor ids, optional
        Who has committed to what (as after a conference); default nobody. The share of
        ``monitoring`` commitments made, which reduces the first-strike bonus, is taken
        over the powers of the scenario's conferences and any other actor named, as in a
        simulation.
    runs : int
        Plays of the implementation phase (if the timeline has one).
    seed : int
        Root seed of those plays.

    Returns
    -------
    DealAnalysis

    Raises
    ------
    ValueError
        For an unknown issue, commitment or actor, a position outside [0, 1] or NaN, or
        ``runs < 1`` or ``seed < 0``.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load_scenario("libya-2020")
    >>> a = negsim.analyze(s, {"disband_deadline": 1.0})
    >>> sorted(a.would_sign) == sorted(x.id for x in s.belligerents)
    True
    >>> v = a.implementation  # Libya's 24 months after the talks, the deal in force
    >>> v.entry, v.horizon, list(v.holds_at)
    ('aftermath', 24, [1, 3, 6, 12, 24])
    """
    if isinstance(runs, bool) or int(runs) != runs or runs < 1:
        raise ValueError(f"runs must be a positive integer, got {runs!r}")
    if isinstance(seed, bool) or int(seed) != seed or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    p = compile_scenario(scenario, 1)
    st = structure(scenario)
    x = p.status_quo[0].copy()
    for issue, value in (deal or {}).items():
        if issue not in st.issue_ids:
            raise ValueError(f"deal: unknown issue {issue!r}; issues: {', '.join(st.issue_ids)}")
        v = float(value)
        if not (0.0 <= v <= 1.0):
            raise ValueError(f"deal: {issue}: must be in [0, 1], got {value!r}")
        x[st.issue_ids.index(issue)] = v
    committed = np.zeros((1, len(st.actor_ids), len(st.commitment_ids)), dtype=bool)
    for cid, who in (commitments or {}).items():
        if cid not in st.commitment_ids:
            raise ValueError(
                f"commitments: unknown commitment {cid!r}; known: {', '.join(st.commitment_ids)}"
            )
        for a in who:
            if a not in st.actor_ids:
                raise ValueError(f"commitments.{cid}: unknown actor {a!r}")
            committed[0, st.actor_ids.index(a), st.commitment_ids.index(cid)] = True
    w = weights(p.salience)
    outside = outside_values(st, p, w)
    xr = x[None]
    util = text_utility(w, p.ideal, xr)[0]
    margin = signing_margin(w, p.ideal, outside, p.leverage, xr)[0]
    ok = feasible(p.lo, p.hi, x)
    transfers, terms = _inducements(scenario, st, p, margin, ok)
    violated = {
        a.id: tuple(
            rl.description for rl in a.red_lines
            if not rl.allows(float(x[st.issue_ids.index(rl.issue)]))
        )
        for a in scenario.actors
    }
    # The monitoring share is over the powers of the scenario's rounds with commitments on
    # the table (and any other actor named), as in a simulation, not over the committed
    # actors only.
    attending = {st.actor_ids.index(a) for e in scenario.timeline
                 if "commitments" in round_kind(e.kind).lists for a in e.participants}
    attending |= set(np.flatnonzero(committed[0].any(axis=1)).tolist())
    powers = [np.array(sorted(attending), dtype=int)] if attending else []
    pl = st.players
    pay = compliance_table(st, p, w, xr, compliance_inputs(st, p, committed, powers), *terms)
    ana = compliance_verdicts(pl, pay, p.discount[:, pl.actors])
    names = tuple(st.actor_ids[a] for a in pl.actors)
    stage = [
        tuple(names[i] for i in np.flatnonzero(pl.profiles[f]))
        for f in np.flatnonzero(ana.stage_profitable[0])
    ]
    holds = bool(ana.holds[0])
    compliance = ComplianceResult(
        players=names,
        is_nash=bool(ana.is_nash[0]),
        is_strong=bool(ana.is_strong[0]),
        holds=holds,
        margins=FrozenMap(dict(zip(names, ana.margin[0].tolist(), strict=True))),
        critical_discount=FrozenMap(dict(zip(names, ana.critical[0].tolist(), strict=True))),
        profitable_coalitions=tuple(stage),
        binding="none" if holds else deviation_words(pl, st.actor_ids, int(ana.binding[0]),
                                                      st.break_phrases),
    )
    ids = st.actor_ids
    return DealAnalysis(
        text=FrozenMap(dict(zip(st.issue_ids, x.tolist(), strict=True))),
        utilities=FrozenMap(dict(zip(ids, util.tolist(), strict=True))),
        outside_options=FrozenMap(dict(zip(ids, outside[0].tolist(), strict=True))),
        margins=FrozenMap(dict(zip(ids, margin.tolist(), strict=True))),
        red_lines_violated=FrozenMap(violated),
        would_sign=FrozenMap({
            a: bool(ok[i] and margin[i] > 0) for i, a in enumerate(ids) if st.belligerent[i]
        }),
        compliance=compliance,
        implementation=_implementation(scenario, x, committed, powers, int(runs), int(seed),
                                       terms),
        transfers=FrozenMap(transfers),
    )


def _inducements(scenario: Scenario, st: Any, p: Any, margin: np.ndarray, ok: np.ndarray
                 ) -> tuple[dict[str, float], tuple[np.ndarray | None, np.ndarray | None]]:
    """Return the last mediated round's inducements on the deal.

    The transfers offered (added to ``margin`` in place) and ``(keep_bonus, break_cost)``,
    each ``(1, n)`` or None.
    """
    rounds = [e for e in scenario.timeline if round_kind(e.kind).signs_text]
    entry = rounds[-1] if rounds else None
    if entry is None or not getattr(entry, "inducements", ()):
        return {}, (None, None)
    parts = np.array([st.actor_ids.index(a) for a in entry.participants], dtype=int)
    meds = np.array([st.actor_ids.index(a) for a in entry.mediators], dtype=int)
    pos = entry_position(scenario, entry)
    offered = None
    if uses_side_payments(entry):
        offered = offer_transfers(margin[None, parts], ok[None, parts],
                                  total_budget(p.side_payments, pos, meds))
        margin[parts] = margin[parts] + offered[0]
    keep, cost = inducement_terms(p.side_payments, p.guarantee, pos, parts, meds, offered,
                                  entry)
    transfers = {} if offered is None else {
        st.actor_ids[a]: float(offered[0, j]) for j, a in enumerate(parts)}
    return transfers, (keep, cost)


def _implementation(scenario: Scenario, x: np.ndarray, committed: np.ndarray,
                    powers: list[np.ndarray], runs: int, seed: int,
                    terms: tuple[np.ndarray | None, np.ndarray | None] = (None, None)
                    ) -> PhaseVerdict | None:
    """Play the implementation phase ``runs`` times on the deal in force (central values).

    ``terms`` are the inducements' ``(keep_bonus, break_cost)``, ``(1, n)`` arrays or None.
    """
    texts = [i for i, e in enumerate(scenario.timeline) if round_kind(e.kind).signs_text]
    start = TextPhase.starts_at(scenario, texts[-1] if texts else -1)
    if start is None:
        return None
    st = structure(scenario)
    p = compile_scenario(scenario, runs)
    state = RoundState.start(scenario, st, p)
    state.committed = np.repeat(committed, runs, axis=0)
    state.conference_powers = list(powers)
    u = run_uniforms(seed, np.arange(runs, dtype=np.int64), st.layout.total)
    # the commitments are given: of the entries after the phase starts, only the phases play
    tail = [(e, b) for e, b in zip(scenario.timeline[start:], lay_blocks(st)[start:],
                                   strict=True) if round_kind(e.kind).plays_text_in_force]
    last = scenario.timeline[texts[-1]] if texts else None
    parts = state.actor_indices(tuple(last.participants) if last is not None else
                                tuple(a for a, b in zip(st.actor_ids, st.belligerent,
                                                        strict=True) if b))
    phase = TextPhase(state, tuple(e for e, _ in tail), tuple(u[:, b] for _, b in tail),
                      parts, len(texts))
    keep, cost = (None if v is None else np.repeat(v, runs, axis=0) for v in terms)
    out = phase.play(np.repeat(x[None], runs, axis=0), np.ones((runs, len(parts)), bool),
                     keep, cost)
    return PhaseVerdict(
        entry=out.entry, horizon=out.horizon, runs=runs, seed=seed,
        probability=out.probability, holds_at=FrozenMap(out.probability_at()),
        broken_by=out.breakers()[:5], reasons=out.breakers("reason")[:5],
    )
