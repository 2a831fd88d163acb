"""The static structure of a scenario and the inputs of the compliance game.

:func:`structure` indexes what the protocol needs from a scenario besides its (possibly
uncertain) numbers: roles, patron links, where each random draw sits, the players of the
compliance game and the commitments. :func:`outside_values` and :func:`compliance_table` are
the two parameter bundles of the protocol: they call the outside-option and compliance-payoff
kernels of :mod:`negsim.protocol.utility` and :mod:`negsim.protocol.compliance` with a run
batch's sampled :class:`~negsim.protocol.params.Params`, so that every caller (the engine,
the Mesa model, deal analysis and fixed-text ensembles) passes the same arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from negsim.protocol.compliance import CompliancePlayers, compliance_payoffs, players
from negsim.protocol.draws import DrawLayout, draw_layout
from negsim.protocol.effects import EffectContext, effect_terms
from negsim.protocol.outside import FightOn  # noqa: F401  (registers the outside options)
from negsim.protocol.params import Params
from negsim.protocol.utility import outside_options
from negsim.scenario import Scenario
from negsim.scenario.effects import effect_kind, effect_number_fields
from negsim.scenario.outside import outside_option_kind

__all__ = [
    "ComplianceInputs",
    "Structure",
    "break_cost_sources",
    "compliance_inputs",
    "compliance_table",
    "lay_blocks",
    "monitoring_share",
    "outside_values",
    "alone_values",
    "structure",
]


@dataclass(frozen=True)
class Structure:
    """What the protocol needs from a scenario besides its (possibly uncertain) numbers.

    Attributes
    ----------
    actor_ids, issue_ids : tuple of str
        Actors and issues in file order (the order of every actor and issue axis).
    belligerent : ndarray of bool, shape (n,)
    links : ndarray of bool, shape (n, n)
        ``links[p, c]``: actor ``p`` backs actor ``c``.
    layout : DrawLayout
        Where each random number of a run sits (:func:`negsim.protocol.draws.draw_layout`).
    players : CompliancePlayers
        The players of the compliance game (:func:`negsim.protocol.compliance.players`).
    commitment_issue : ndarray of int
        Index of each commitment's issue.
    commitment_effect, commitment_ids : tuple of str
        Each commitment's effect (a kind of :mod:`negsim.scenario.effects`: ``embargo``,
        ``ceasefire_support``, ``monitoring``, ...) and id.
    outside_kind : tuple of str
        Each actor's outside-option kind (:mod:`negsim.scenario.outside`; "" for none).
    party : ndarray of bool, shape (n,)
        Actors whose outside option is not at war (``no_deal``, ``contingent``, ...): they
        play the compliance game as parties whose break ends the deal.
    contingent : ndarray of bool, shape (n,)
        Actors whose value of staying out depends on the others' choices.
    break_phrases : tuple of str
        How each player of the compliance game breaks it, a verb phrase in the base form:
        the actor's own ``words.break`` (``[actors.ID.words]``) if it names one, otherwise
        the scenario's ``words.break`` for belligerents and parties and the ``break``
        phrases of the ``embargo`` commitments for patrons.
    actor_break, actor_keep : tuple of str
        Per actor (file order), how it breaks and keeps the deal: its own phrase if it names
        one, otherwise as for ``break_phrases`` (``keep``: the scenario's ``words.keep``, or
        the ``keep`` phrases of the ``embargo`` commitments for patrons).
    own_words : tuple of bool
        Per actor, whether it names its own compliance choice (``[actors.ID.words]``).
    break_costs : tuple of tuple of str
        Per actor, what breaking the deal can cost it in the scenario, in words, for the
        reasons of the implementation phase (:func:`break_cost_sources`).
    commitment_beneficiaries : tuple of ndarray of int
        Per commitment, the actor indices of its ``beneficiaries``.
    effect_fields : tuple of str
        The effects' extra numbers, the last axis of ``Params.effect_numbers``.
    alternatives : tuple of str
        What each actor gets instead of the deal, in words ("fighting on", "no deal").
    faction_owner : ndarray of int, shape (F,)
        The actor each faction belongs to (factions of all actors, in file order).
    faction_ids, faction_names : tuple of str
        Each faction as ``ACTOR/FACTION`` (the ``broken_by`` of a break) and in words,
        ``ACTOR (its name)``.

    Examples
    --------
    >>> import negsim
    >>> st = structure(negsim.load_scenario("libya-2020"))
    >>> st.belligerent.tolist(), st.commitment_effect
    ([True, True, False, False, False, False], ('embargo', 'ceasefire_support', 'monitoring'))
    >>> [st.actor_ids[c] for c in np.flatnonzero(st.links[st.actor_ids.index("UAE")])]
    ['LNA']
    """

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    belligerent: np.ndarray
    links: np.ndarray
    layout: DrawLayout
    players: CompliancePlayers
    commitment_issue: np.ndarray
    commitment_effect: tuple[str, ...]
    commitment_ids: tuple[str, ...]
    outside_kind: tuple[str, ...] = ()
    party: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    contingent: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    break_phrases: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    actor_break: tuple[str, ...] = ()
    actor_keep: tuple[str, ...] = ()
    own_words: tuple[bool, ...] = ()
    break_costs: tuple[tuple[str, ...], ...] = ()
    commitment_beneficiaries: tuple[np.ndarray, ...] = ()
    effect_fields: tuple[str, ...] = ()
    faction_owner: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    faction_ids: tuple[str, ...] = ()
    faction_names: tuple[str, ...] = ()


def structure(scenario: Scenario) -> Structure:
    """Index the static structure of a scenario (roles, links, rounds, draws).

    Examples
    --------
    >>> import negsim
    >>> st = structure(negsim.load_scenario("libya-2020"))
    >>> st.actor_ids
    ('GNA', 'LNA', 'Russia', 'Turkey', 'Egypt', 'UAE')
    """
    ids = scenario.actor_ids
    a_idx = {a: i for i, a in enumerate(ids)}
    n = len(ids)
    belligerent = np.array([a.has_role("belligerent") for a in scenario.actors], dtype=bool)
    links = np.zeros((n, n), dtype=bool)
    for i, actor in enumerate(scenario.actors):
        for link in actor.backs:
            links[i, a_idx[link.client]] = True
    k_idx = {k: j for j, k in enumerate(scenario.issue_ids)}
    kinds = tuple("" if a.outside_option is None else a.outside_option.kind
                  for a in scenario.actors)
    party = np.array([k != "" and not outside_option_kind(k).at_war for k in kinds], bool)
    contingent = np.array([k != "" and outside_option_kind(k).depends_on_others
                           for k in kinds], bool)
    pl = players(belligerent, links, party)
    embargo = [c for c in scenario.commitments if effect_kind(c.effect).patron_choice]
    patron_break = " and ".join(c.break_phrase for c in embargo) or "deliver arms to its clients"
    patron_keep = " and ".join(c.keep_phrase for c in embargo) or "keep the embargo"
    words = scenario.words
    at_deal = [bool(belligerent[a] or party[a]) for a in range(n)]
    actor_break = tuple(
        a.words.break_ or (words.break_ if at_deal[i] else patron_break)
        for i, a in enumerate(scenario.actors))
    actor_keep = tuple(
        a.words.keep or (words.keep if at_deal[i] else patron_keep)
        for i, a in enumerate(scenario.actors))
    return Structure(
        actor_ids=tuple(ids),
        issue_ids=tuple(scenario.issue_ids),
        belligerent=belligerent,
        links=links,
        layout=draw_layout(scenario),
        players=pl,
        commitment_issue=np.array([k_idx[c.issue] for c in scenario.commitments], dtype=int),
        commitment_effect=tuple(c.effect for c in scenario.commitments),
        commitment_ids=tuple(c.id for c in scenario.commitments),
        outside_kind=kinds,
        party=party,
        contingent=contingent,
        break_phrases=tuple(actor_break[a] for a in pl.actors),
        alternatives=tuple(outside_option_kind(k).alternative if k else "the status quo"
                           for k in kinds),
        actor_break=actor_break,
        actor_keep=actor_keep,
        own_words=tuple(not a.words.is_default for a in scenario.actors),
        break_costs=break_cost_sources(scenario, links),
        commitment_beneficiaries=tuple(np.array([a_idx[b] for b in c.beneficiaries], dtype=int)
                                       for c in scenario.commitments),
        effect_fields=effect_number_fields(scenario.commitments),
        faction_owner=np.array([i for i, a in enumerate(scenario.actors) for _ in a.factions],
                               dtype=int),
        faction_ids=tuple(f"{a.id}/{f.id}" for a in scenario.actors for f in a.factions),
        faction_names=tuple(f"{a.id} ({f.name})" for a in scenario.actors for f in a.factions),
    )


PATRONS_PRESSURE = "its patrons' pressure"
OWN_COMMITMENTS = "the costs of its own commitments"
GUARANTEE = "the mediators' guarantee"


def break_cost_sources(scenario: Scenario, links: np.ndarray) -> tuple[tuple[str, ...], ...]:
    """Per actor, what breaking the deal can cost it in the scenario, in words.

    In this order, those that apply: ``"its patrons' pressure"`` if a patron of the actor
    can commit at a conference to a commitment whose costs fall on the committed patron's
    clients (``ceasefire_support``); ``"the costs of its own commitments"`` if the actor can
    commit at a conference to one whose costs of ending the deal fall on the committed
    (``inspections``, ``sanctions_relief``, ``payments``: see
    :attr:`negsim.scenario.effects.EffectKind.break_cost_on`); ``"the mediators'
    guarantee"`` if it takes part in a round whose mediators guarantee the deal
    (:mod:`negsim.protocol.inducements`). The words are the scenario's, the same in every
    run, so that runs can be counted by reason: a source is named whether or not, in a
    given run, anyone committed to it.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load_scenario("libya-2020")
    >>> break_cost_sources(s, structure(s).links)[:3]
    (("its patrons' pressure",), ("its patrons' pressure",), ())
    """
    from negsim.protocol.inducements import uses_guarantee

    kinds = {c.id: effect_kind(c.effect).break_cost_on for c in scenario.commitments}
    clients: set[int] = set()
    committed: set[int] = set()
    guaranteed: set[int] = set()
    ids = {a: i for i, a in enumerate(scenario.actor_ids)}
    for entry in scenario.timeline:
        who = [ids[a] for a in getattr(entry, "participants", ()) if a in ids]
        on = {kinds.get(c, "") for c in getattr(entry, "commitments", ())}
        if "clients" in on:
            clients.update(int(c) for p in who for c in np.flatnonzero(links[p]))
        if "committed" in on:
            committed.update(who)
        if uses_guarantee(entry):
            guaranteed.update(who)
    return tuple(tuple(words for words, named in ((PATRONS_PRESSURE, i in clients),
                                                  (OWN_COMMITMENTS, i in committed),
                                                  (GUARANTEE, i in guaranteed)) if named)
                 for i in range(len(scenario.actors)))


def lay_blocks(st: Structure) -> tuple[slice, ...]:
    """Each timeline entry's slice of a run's uniforms (an empty slice for events).

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load_scenario("libya-2020")
    >>> [e.kind for e in s.timeline]
    ['event', 'event', 'mediated_round', 'conference', 'implementation']
    >>> blocks = lay_blocks(structure(s))
    >>> [b.stop - b.start for b in blocks]  # 2 per participant, 1 per power and commitment,
    [0, 0, 4, 12, 606]

    (and 6 + (4 x 6 + 1) x 24 for the implementation phase, with one uniform a month for the
    LNA's support base: see its round kind).
    """
    return tuple(b if b is not None else slice(0, 0) for b in st.layout.rounds)


class ComplianceInputs(NamedTuple):
    """What the commitments made put into the compliance game and the implementation phase.

    Attributes
    ----------
    embargo : ndarray, shape (R, n)
        What breaking the arms embargo costs each actor.
    pressure : ndarray, shape (R, n)
        What ending the deal costs each actor: its patrons' ceasefire pressure, plus its own
        ``break_cost`` terms (sanctions relief, inspections, payments) where a commitment
        has them.
    strike : ndarray, shape (R,)
        The effective first-strike bonus.
    bonus : ndarray, shape (R, n), or None
        What the deal is worth to each actor on top of the text while it holds (relief,
        payments); None when no commitment adds one (the payoffs are then the text's alone).

    Examples
    --------
    >>> z = np.zeros((1, 2))
    >>> ComplianceInputs(z, z, np.zeros(1)).bonus is None
    True
    """

    embargo: np.ndarray
    pressure: np.ndarray
    strike: np.ndarray
    bonus: np.ndarray | None = None


def compliance_inputs(st: Structure, p: Params, committed: np.ndarray,
                      conference_powers: list[np.ndarray]) -> ComplianceInputs:
    r"""Breach costs, pressure, effective first strike and bonuses from commitments.

    Each commitment's effect contributes its terms
    (:meth:`negsim.scenario.effects.EffectKind.terms`, added up by
    :func:`negsim.protocol.effects.context.effect_terms`).

    Parameters
    ----------
    st : Structure
    p : Params
    committed : ndarray of bool, shape (R, n, c)
        Who committed to which commitment (at any conference).
    conference_powers : list of ndarray of int
        The powers of each conference played (the monitoring share is over their union).

    Returns
    -------
    ComplianceInputs
        ``embargo``: the sum of the breach costs of the ``embargo`` commitments each actor
        made. ``pressure``:
        :math:`\sum_p \text{leverage}_{pi} \sum_c \text{breach\_cost}_c` over its patrons
        ``p`` and their ``ceasefire_support`` commitments ``c``, plus the actor's own
        ``break_cost`` terms. ``strike``: the first-strike bonus times one minus the
        monitoring share (:func:`monitoring_share`). ``bonus``: the ``bonus`` terms, or None.

    Examples
    --------
    The UAE commits to the arms embargo and to supporting the ceasefire:

    >>> import negsim
    >>> from negsim.protocol.params import compile_scenario
    >>> s = negsim.load_scenario("libya-2020")
    >>> st, p = structure(s), compile_scenario(s)
    >>> c = np.zeros((1, 6, 3), bool)
    >>> c[0, st.actor_ids.index("UAE"), :2] = True
    >>> embargo, pressure, strike, bonus = compliance_inputs(st, p, c, [np.array([2, 3, 4, 5])])
    >>> bool(embargo[0, 5] == p.breach_cost[0, 0])
    True
    >>> bool(np.isclose(pressure[0, 1], p.leverage[0, 5, 1] * p.breach_cost[0, 1]))
    True
    >>> bool(strike[0] == p.first_strike[0]), bonus  # nobody committed to monitoring
    (True, None)
    """
    terms = effect_terms(EffectContext.of(st, p, committed), st.commitment_effect)
    embargo = terms["embargo"] if "embargo" in terms else np.zeros(p.capability.shape)
    support_c = terms["support"] if "support" in terms else np.zeros(p.capability.shape)
    pressure = np.einsum("rp,rpi->ri", support_c, p.leverage)
    if "break_cost" in terms:
        pressure = pressure + terms["break_cost"]
    share = monitoring_share(st, committed, conference_powers)
    return ComplianceInputs(embargo, pressure, p.first_strike * (1.0 - share),
                            terms.get("bonus"))


def monitoring_share(st: Structure, committed: np.ndarray,
                     conference_powers: list[np.ndarray]) -> np.ndarray:
    """Share of (power, ``monitoring`` commitment) pairs committed, per run, shape ``(R,)``.

    Over the powers of every conference played and the commitments whose effect
    ``monitors`` (:mod:`negsim.scenario.effects`); 0 without such commitments.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load_scenario("libya-2020")
    >>> c = np.zeros((1, 6, 3), bool)
    >>> c[0, 3, 2] = True  # Turkey backs the joint military committee
    >>> monitoring_share(structure(s), c, [np.array([2, 3, 4, 5])]).tolist()
    [0.25]
    """
    mon = np.array([c for c, e in enumerate(st.commitment_effect) if effect_kind(e).monitors],
                   dtype=int)
    if len(mon) and conference_powers:
        powers = np.unique(np.concatenate(conference_powers))
        return committed[:, powers][:, :, mon].mean(axis=(1, 2))
    return np.zeros(committed.shape[0])


def outside_values(st: Structure, p: Params, w: np.ndarray) -> np.ndarray:
    """Every actor's outside option (the value of fighting on), shape ``(R, n)``.

    :func:`negsim.protocol.utility.outside_options` with the batch's parameters.

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.params import compile_scenario
    >>> from negsim.protocol.utility import weights
    >>> s = negsim.load_scenario("libya-2020")
    >>> p = compile_scenario(s)
    >>> outside_values(structure(s), p, weights(p.salience)).shape
    (1, 6)
    """
    war = outside_options(
        w=w, ideal=p.ideal, capability=p.capability, support=p.support, cost=p.cost,
        discount=p.discount, status_quo=p.status_quo, belligerent=st.belligerent,
        exponent=p.contest_exponent, decisiveness=p.decisiveness,
    )
    return _by_kind(st, p, war, alone=False)


def alone_values(st: Structure, p: Params, outside: np.ndarray) -> np.ndarray:
    """Every actor's value of staying out alone while the others sign or keep the deal.

    ``outside`` (what :func:`outside_values` returned) where the kind's value does not
    depend on the others; ``value_if_others_sign`` for ``contingent`` actors.

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.params import compile_scenario
    >>> s = negsim.load_scenario("tests/data/scenarios/accord.toml")
    >>> st, p = structure(s), compile_scenario(s)
    >>> alone_values(st, p, np.zeros((1, 6)))[0].tolist()
    [0.3, 0.0, 0.0, 0.0, 0.4, 0.0]
    """
    return _by_kind(st, p, outside, alone=True)


def _by_kind(st: Structure, p: Params, war: np.ndarray, alone: bool) -> np.ndarray:
    """``war`` with the columns of actors whose kinds are not at war set by their kinds."""
    out = war
    for name in dict.fromkeys(st.outside_kind):
        if not name or outside_option_kind(name).at_war:
            continue
        kind = outside_option_kind(name)
        if alone and not kind.depends_on_others:
            continue
        idx = np.array([i for i, k in enumerate(st.outside_kind) if k == name], dtype=int)
        out = out.copy() if out is war else out
        out[:, idx] = (kind.alone_values if alone else kind.refusal_values)(p, war, idx)
    return out


def compliance_table(st: Structure, p: Params, w: np.ndarray, x: np.ndarray,
                     inputs: ComplianceInputs,
                     keep_bonus: np.ndarray | None = None,
                     break_cost: np.ndarray | None = None) -> np.ndarray:
    """Return the compliance game's payoffs for the text ``x`` (shape ``(R, m)``) in force.

    :func:`negsim.protocol.compliance.compliance_payoffs` with the batch's parameters and
    the ``inputs`` of :func:`compliance_inputs` (embargo breach costs, pressure, effective
    first strike, bonuses; a 3-tuple without bonuses is accepted). ``keep_bonus`` and
    ``break_cost`` (``(R, n)``, from a mediated round's inducements,
    :mod:`negsim.protocol.inducements`) add to each actor's payoff while the deal holds and
    to what ending it costs (with the pressure).

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.params import compile_scenario
    >>> from negsim.protocol.utility import weights
    >>> s = negsim.load_scenario("libya-2020")
    >>> st, p = structure(s), compile_scenario(s)
    >>> inputs = compliance_inputs(st, p, np.zeros((1, 6, 3), bool), [])
    >>> compliance_table(st, p, weights(p.salience), p.status_quo, inputs).shape[:2]
    (1, 6)
    """
    embargo, pressure, strike = inputs[:3]
    bonus = inputs[3] if len(inputs) > 3 else None
    if keep_bonus is not None:
        bonus = keep_bonus if bonus is None else bonus + keep_bonus
    if break_cost is not None:
        pressure = pressure + break_cost
    refusal = alone = None
    if st.party.any():
        nan = np.full(p.capability.shape, np.nan)
        refusal = _by_kind(st, p, nan, alone=False)
        alone = _by_kind(st, p, refusal, alone=True)
    return compliance_payoffs(
        st.players, w=w, ideal=p.ideal, x=x, capability=p.capability, support=p.support,
        leverage=p.leverage, cost=p.cost, discount=p.discount, status_quo=p.status_quo,
        belligerent=st.belligerent, exponent=p.contest_exponent, decisiveness=p.decisiveness,
        first_strike=strike, embargo_effect=p.embargo_effect, embargo_breach=embargo,
        ceasefire_pressure=pressure, party=st.party, refusal=refusal, alone=alone,
        keep_bonus=bonus,
    )
