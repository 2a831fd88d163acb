"""Analyse a given deal without simulating: who would sign it, and does it hold."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from negsim.protocol.compliance import compliance_verdicts
from negsim.protocol.explain import deviation_words
from negsim.protocol.params import compile_scenario
from negsim.protocol.rounds.kernels import feasible, signing_margin
from negsim.protocol.structure import (
    compliance_inputs,
    compliance_table,
    outside_values,
    structure,
)
from negsim.protocol.utility import text_utility, weights
from negsim.scenario import Scenario
from negsim.scenario.kinds import round_kind
from negsim.sim.results import ComplianceResult, DealAnalysis, FrozenMap

__all__ = ["analyze"]


def analyze(
    scenario: Scenario,
    deal: Mapping[str, float] | None = None,
    commitments: Mapping[str, Iterable[str]] | None = None,
) -> DealAnalysis:
    """Analyse a deal: utilities, signing margins, red lines, and whether it holds.

    Uses the scenario's central values (no uncertainty, no random choices).

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

    Returns
    -------
    DealAnalysis

    Raises
    ------
    ValueError
        For an unknown issue, commitment or actor, or a position outside [0, 1] or NaN.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load_scenario("libya-2020")
    >>> a = negsim.analyze(s, {"disband_deadline": 1.0})
    >>> sorted(a.would_sign) == sorted(x.id for x in s.belligerents)
    True
    """
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
    pay = compliance_table(st, p, w, xr, compliance_inputs(st, p, committed, powers))
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
    )
