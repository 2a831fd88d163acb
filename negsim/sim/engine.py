"""The vectorised engine: many runs of a scenario at once, as numpy arrays.

:func:`simulate_runs` plays the same protocol as :class:`negsim.NegotiationModel` (the Mesa
reference implementation) for a batch of run indices, with every array of shape
``(runs, actors, ...)``. Run ``i`` of root seed ``s`` draws all its randomness from
``numpy.random.default_rng(SeedSequence([s, i]))`` in the layout of
:func:`negsim.protocol.rounds.kernels.draw_layout`, so its result depends only on ``(s, i)``: not on the
batch it is computed in, the number of processes, or their order. The test suite asserts
that both engines agree run by run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from negsim.protocol.compliance import (
    CompliancePlayers,
    analyse,
    binary_equilibrium_mask,
    compliance_payoffs,
    players,
)
from negsim.protocol.params import Params, sample_params
from negsim.protocol.rounds.kernels import (
    CHOICES,
    DrawLayout,
    bargaining_weights,
    choose,
    commitment_payoffs,
    decide,
    draft_text,
    draw_layout,
    mediator_box,
    select_equilibrium,
)
from negsim.scenario import Scenario
from negsim.protocol.utility import outside_options, text_utility, weights

__all__ = [
    "OUTCOMES",
    "Structure",
    "compliance_inputs",
    "lay_blocks",
    "run_uniforms",
    "scenario_value",
    "simulate_runs",
    "structure",
]

#: Outcome categories, in the order of their integer codes.
OUTCOMES = ("signed_and_holds", "signed_but_fragile", "partial_signature", "no_agreement")

_CHUNK = 8192


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
        Where each random number of a run sits (:func:`negsim.protocol.rounds.kernels.draw_layout`).
    players : CompliancePlayers
        The players of the compliance game (:func:`negsim.protocol.compliance.players`).
    commitment_issue : ndarray of int
        Index of each commitment's issue.
    commitment_effect, commitment_ids : tuple of str
        Each commitment's effect (``embargo``, ``ceasefire_support``, ``monitoring``) and id.

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
    return Structure(
        actor_ids=tuple(ids),
        issue_ids=tuple(scenario.issue_ids),
        belligerent=belligerent,
        links=links,
        layout=draw_layout(scenario),
        players=players(belligerent, links),
        commitment_issue=np.array([k_idx[c.issue] for c in scenario.commitments], dtype=int),
        commitment_effect=tuple(c.effect for c in scenario.commitments),
        commitment_ids=tuple(c.id for c in scenario.commitments),
    )


def run_uniforms(seed: int, runs: np.ndarray, size: int) -> np.ndarray:
    """Each run's block of uniforms: ``default_rng(SeedSequence([seed, run])).random(size)``.

    The result is bitwise that of numpy's ``SeedSequence`` and ``PCG64`` (the generator of
    ``default_rng``), computed for all runs at once: the seed sequence's hash mixing, the
    PCG64 seeding and its 128-bit LCG steps are done in vectorised uint64 arithmetic.
    Seeds or run indices of 2**32 and more use numpy's generators run by run.

    Examples
    --------
    >>> u = run_uniforms(1, np.array([0, 5]), 3)
    >>> bool(np.all(u[1] == np.random.default_rng(np.random.SeedSequence([1, 5])).random(3)))
    True
    """
    runs = np.asarray(runs, dtype=np.int64)
    if runs.size == 0 or size == 0:
        return np.empty((len(runs), size))
    if int(seed) >= 1 << 32 or int(runs.max()) >= 1 << 32:
        out = np.empty((len(runs), size))
        for r, index in enumerate(runs):
            out[r] = np.random.default_rng(
                np.random.SeedSequence([int(seed), int(index)])
            ).random(size)
        return out
    return _pcg64_uniforms(int(seed), runs.astype(np.uint64), size)


# numpy.random.SeedSequence (pool size 4) and PCG64 (XSL-RR output) constants.
_M32 = np.uint64(0xFFFFFFFF)
_SS_INIT_A, _SS_MULT_A = 0x43B0D7E5, 0x931E8875
_SS_INIT_B, _SS_MULT_B = 0x8B51F9DD, 0x58F38DED
_SS_MIX_L, _SS_MIX_R = np.uint64(0xCA01F9DD), np.uint64(0x4973F715)
_PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645
_PCG_MULT_HI = np.uint64(_PCG_MULT >> 64)
_PCG_MULT_LO = np.uint64(_PCG_MULT & 0xFFFFFFFFFFFFFFFF)
_U = {n: np.uint64(n) for n in (1, 11, 16, 32, 58, 63, 64)}


def _seed_pool(seed: int, runs: np.ndarray) -> list[np.ndarray]:
    """``SeedSequence([seed, run]).pool`` of every run (seed and runs below 2**32)."""
    hash_const = _SS_INIT_A

    def hashmix(value: np.ndarray) -> np.ndarray:
        nonlocal hash_const
        value = value ^ np.uint64(hash_const)
        hash_const = (hash_const * _SS_MULT_A) & 0xFFFFFFFF
        value = (value * np.uint64(hash_const)) & _M32
        return value ^ (value >> _U[16])

    def mix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        r = np.bitwise_and(np.subtract(np.multiply(_SS_MIX_L, x), np.multiply(_SS_MIX_R, y)), _M32)
        return r ^ (r >> _U[16])

    zero = np.zeros(len(runs), dtype=np.uint64)
    entropy = [np.full(len(runs), seed, dtype=np.uint64), runs, zero, zero]
    mixer = [hashmix(e) for e in entropy]
    for i_src in range(4):
        for i_dst in range(4):
            if i_src != i_dst:
                mixer[i_dst] = mix(mixer[i_dst], hashmix(mixer[i_src]))
    return mixer


def _mul64(a: np.ndarray, b: np.uint64) -> tuple[np.ndarray, np.ndarray]:
    """Multiply uint64 ``a`` by ``b`` to 128 bits: the (high, low) words."""
    a0, a1 = a & _M32, a >> _U[32]
    b0, b1 = b & _M32, b >> _U[32]
    p00, p01, p10, p11 = a0 * b0, a0 * b1, a1 * b0, a1 * b1
    mid = (p00 >> _U[32]) + (p01 & _M32) + (p10 & _M32)
    low = (p00 & _M32) | (mid << _U[32])
    high = p11 + (p01 >> _U[32]) + (p10 >> _U[32]) + (mid >> _U[32])
    return high, low


def _pcg_step(hi: np.ndarray, lo: np.ndarray, inc_hi: np.ndarray, inc_lo: np.ndarray) -> (
    tuple[np.ndarray, np.ndarray]
):
    """One step of the 128-bit LCG: ``state * multiplier + inc`` modulo 2**128."""
    h, low = _mul64(lo, _PCG_MULT_LO)
    h = h + lo * _PCG_MULT_HI + hi * _PCG_MULT_LO
    new_lo = low + inc_lo
    return h + inc_hi + (new_lo < low).astype(np.uint64), new_lo


def _pcg64_uniforms(seed: int, runs: np.ndarray, size: int) -> np.ndarray:
    pool = _seed_pool(seed, runs)
    # SeedSequence.generate_state(4, uint64): eight 32-bit words, paired little-endian.
    hash_const = _SS_INIT_B
    words = []
    for i in range(8):
        v = pool[i % 4] ^ np.uint64(hash_const)
        hash_const = (hash_const * _SS_MULT_B) & 0xFFFFFFFF
        v = (v * np.uint64(hash_const)) & _M32
        words.append(v ^ (v >> _U[16]))
    s_hi, s_lo, i_hi, i_lo = (words[2 * j] | (words[2 * j + 1] << _U[32]) for j in range(4))
    # pcg64_set_seed: inc = (initseq << 1) | 1; state = step(step(0) + initstate).
    inc_hi = (i_hi << _U[1]) | (i_lo >> _U[63])
    inc_lo = (i_lo << _U[1]) | _U[1]
    zero = np.zeros_like(s_lo)
    hi, lo = _pcg_step(zero, zero, inc_hi, inc_lo)
    new_lo = lo + s_lo
    hi = hi + s_hi + (new_lo < lo).astype(np.uint64)
    hi, lo = _pcg_step(hi, new_lo, inc_hi, inc_lo)
    out = np.empty((len(runs), size))
    for j in range(size):
        # Generator.random: step, XSL-RR output, then the top 53 bits as a double.
        hi, lo = _pcg_step(hi, lo, inc_hi, inc_lo)
        x = hi ^ lo
        rot = hi >> _U[58]
        bits = (x >> rot) | (x << ((_U[64] - rot) & _U[63]))
        out[:, j] = (bits >> _U[11]).astype(np.float64) * (1.0 / 9007199254740992.0)
    return out


def simulate_runs(scenario: Scenario, seed: int, runs: np.ndarray | range | int) -> pd.DataFrame:
    """Simulate the given run indices of a scenario with the vectorised engine.

    Parameters
    ----------
    scenario : Scenario
    seed : int
        Root seed (a non-negative integer).
    runs : int or array of int
        Run indices (an int ``N`` means ``range(N)``).

    Returns
    -------
    pandas.DataFrame
        One row per run, in the order given. Columns: ``run``, ``seed``, one per uncertain
        parameter (its dotted path), then per mediated round ``ROUND.draft.ISSUE``,
        ``ROUND.text.ISSUE``, ``ROUND.ACTOR.choice`` (sign, time, reject),
        ``ROUND.ACTOR.decision`` (sign, no_sign) and ``ROUND.ACTOR.margin``; per
        conference ``ROUND.COMMITMENT.POWER`` (committed?) and
        ``ROUND.COMMITMENT.POWER.equilibrium``; then ``outcome``, ``holds``, ``is_nash``,
        ``is_strong``, ``compliance.PLAYER.margin``, ``compliance.PLAYER.critical_discount``,
        ``utility.ACTOR``, ``outside_option.ACTOR`` and ``binding_constraint``. Run ``i``
        equals ``NegotiationModel(scenario, rng=SeedSequence([seed, i])).run().to_row()``
        column by column.

    Examples
    --------
    >>> import negsim
    >>> df = simulate_runs(negsim.load_scenario("libya-2020"), seed=1, runs=4)
    >>> len(df), bool(df["outcome"].isin(OUTCOMES).all())
    (4, True)
    """
    if isinstance(runs, int | np.integer):
        runs = np.arange(int(runs))
    runs = np.asarray(runs, dtype=np.int64)
    if int(seed) < 0 or int(seed) != seed:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if runs.ndim != 1 or (runs.size and runs.min() < 0):
        raise ValueError("runs must be non-negative run indices")
    st = structure(scenario)
    frames = [
        _simulate_chunk(scenario, st, int(seed), runs[i : i + _CHUNK])
        for i in range(0, len(runs), _CHUNK)
    ]
    if not frames:
        return _simulate_chunk(scenario, st, int(seed), runs)
    return pd.concat(frames, ignore_index=True)


def _simulate_chunk(scenario: Scenario, st: Structure, seed: int, runs: np.ndarray) -> (
    pd.DataFrame
):
    lay = st.layout
    u_all = run_uniforms(seed, runs, lay.total)
    p = sample_params(scenario, u_all[:, lay.uncertainty])
    cols: dict[str, object] = {"run": runs, "seed": np.full(len(runs), seed, dtype=np.int64)}
    for unc in scenario.uncertainty:
        cols[unc.parameter] = scenario_value(p, scenario, unc.parameter)
    state = _protocol(scenario, st, p, u_all, cols)
    _outcome_columns(scenario, st, p, state, cols)
    return pd.DataFrame(cols)


def scenario_value(p: Params, scenario: Scenario, path: str) -> np.ndarray:
    """Return the sampled value of a dotted parameter path, one per run.

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.params import compile_scenario
    >>> s = negsim.load_scenario("libya-2020")
    >>> scenario_value(compile_scenario(s, runs=2), s, "actors.LNA.capability").tolist()
    [0.5, 0.5]
    """
    from negsim.protocol.params import _slot

    name, index = _slot(scenario, path)
    return getattr(p, name)[(slice(None), *index)]


@dataclass
class _State:
    w: np.ndarray
    outside: np.ndarray
    text: np.ndarray
    has_text: np.ndarray
    last_round: int | None
    signed: np.ndarray | None
    committed: np.ndarray
    conference_powers: list[np.ndarray]


def _protocol(
    scenario: Scenario, st: Structure, p: Params, u_all: np.ndarray, cols: dict[str, object]
) -> _State:
    n_runs = p.runs
    a_idx = {a: i for i, a in enumerate(st.actor_ids)}
    w = weights(p.salience)
    outside = outside_options(
        w=w, ideal=p.ideal, capability=p.capability, support=p.support, cost=p.cost,
        discount=p.discount, status_quo=p.status_quo, belligerent=st.belligerent,
        exponent=p.contest_exponent, decisiveness=p.decisiveness,
    )
    state = _State(
        w=w, outside=outside, text=p.status_quo.copy(), has_text=np.zeros(n_runs, bool),
        last_round=None, signed=None,
        committed=np.zeros((n_runs, len(st.actor_ids), len(st.commitment_ids)), dtype=bool),
        conference_powers=[],
    )
    for entry, block in zip(scenario.timeline, lay_blocks(st), strict=True):
        if entry.kind == "mediated_round":
            parts = np.array([a_idx[a] for a in entry.participants], dtype=int)
            meds = np.array([a_idx[a] for a in entry.mediators], dtype=int)
            _mediated(entry.id, st, p, state, parts, meds, u_all[:, block], cols)
        elif entry.kind == "conference":
            powers = np.array([a_idx[a] for a in entry.participants], dtype=int)
            c_ids = {c: j for j, c in enumerate(st.commitment_ids)}
            on_table = [c_ids[c] for c in entry.commitments]
            _conference(entry.id, st, p, state, powers, on_table, u_all[:, block], cols)
    return state


def lay_blocks(st: Structure) -> tuple[slice, ...]:
    """Each timeline entry's slice of a run's uniforms (an empty slice for events).

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load_scenario("libya-2020")
    >>> [e.kind for e in s.timeline]
    ['event', 'event', 'mediated_round', 'conference']
    >>> blocks = lay_blocks(structure(s))
    >>> [b.stop - b.start for b in blocks]  # 2 per participant, 1 per power and commitment
    [0, 0, 4, 12]
    """
    return tuple(b if b is not None else slice(0, 0) for b in st.layout.rounds)


def _mediated(
    rid: str, st: Structure, p: Params, state: _State, parts: np.ndarray, meds: np.ndarray,
    u: np.ndarray, cols: dict[str, object],
) -> None:
    n_runs = p.runs
    k = len(parts)
    lower, upper = mediator_box(p.lo, p.hi, meds)
    conflict = bool(np.any(lower > upper + 1e-12))
    state.last_round = 0 if state.last_round is None else state.last_round + 1
    if conflict:
        state.has_text[:] = False
        state.signed = np.zeros((n_runs, k), dtype=bool)
        # No text: the same columns as a round with one, the text as NaN (as the Mesa model).
        for issue in st.issue_ids:
            cols[f"{rid}.draft.{issue}"] = np.full(n_runs, np.nan)
            cols[f"{rid}.text.{issue}"] = np.full(n_runs, np.nan)
        for a in parts:
            cols[f"{rid}.{st.actor_ids[a]}.choice"] = np.full(n_runs, "reject", dtype=object)
            cols[f"{rid}.{st.actor_ids[a]}.decision"] = np.full(n_runs, "no_sign", dtype=object)
            cols[f"{rid}.{st.actor_ids[a]}.margin"] = np.full(n_runs, np.nan)
        return
    bargainers = np.union1d(parts, meds)
    omega = bargaining_weights(p.leverage, bargainers, meds, parts)
    x0 = draft_text(
        state.w[:, bargainers], p.ideal[:, bargainers], state.outside[:, bargainers], omega,
        lower, upper, p.status_quo,
    )
    d = decide(
        x0, w=state.w, ideal=p.ideal, outside=state.outside, leverage=p.leverage, lo=p.lo,
        hi=p.hi, discount=p.discount, amendment_reach=p.amendment_reach,
        rationality=p.rationality, parts=parts, box=(lower, upper), u=u,
    )
    first, signed, text, final_margin = d.first, d.signed, d.text, d.margin
    state.text = text
    state.has_text[:] = True
    state.signed = signed
    for j, issue in enumerate(st.issue_ids):
        cols[f"{rid}.draft.{issue}"] = x0[:, j]
        cols[f"{rid}.text.{issue}"] = text[:, j]
    choice_names = np.array(CHOICES, dtype=object)
    for j, a in enumerate(parts):
        aid = st.actor_ids[a]
        cols[f"{rid}.{aid}.choice"] = choice_names[first[:, j]]
        cols[f"{rid}.{aid}.decision"] = np.where(signed[:, j], "sign", "no_sign").astype(object)
        cols[f"{rid}.{aid}.margin"] = final_margin[:, j]
    state.parts = parts  # type: ignore[attr-defined]


def _conference(
    rid: str, st: Structure, p: Params, state: _State, powers: np.ndarray, on_table: list[int],
    u: np.ndarray, cols: dict[str, object],
) -> None:
    n_pow = len(powers)
    state.conference_powers.append(powers)
    for c_pos, c in enumerate(on_table):
        issue = int(st.commitment_issue[c])
        pay = commitment_payoffs(state.w, p.ideal, p.status_quo, powers, issue)
        flat = pay.reshape(p.runs, n_pow, 1 << n_pow)
        mask = binary_equilibrium_mask(flat).reshape(pay.shape[:1] + pay.shape[2:])
        eq = select_equilibrium(pay, mask)  # (R, P)
        place = 1 << (n_pow - 1 - np.arange(n_pow))
        base = (eq * place).sum(axis=1)  # flat index of the selected profile
        gain = np.empty((p.runs, n_pow))
        for j in range(n_pow):
            with_c = base | place[j]
            without = base & ~place[j]
            gain[:, j] = flat[:, j, :][np.arange(p.runs), with_c] - flat[:, j, :][
                np.arange(p.runs), without
            ]
        values = np.stack([gain, np.zeros_like(gain)], -1)
        pick = choose(values, p.rationality[:, None], u[:, c_pos * n_pow : (c_pos + 1) * n_pow])
        commits = pick == 0
        state.committed[:, powers, c] |= commits
        cid = st.commitment_ids[c]
        for j, a in enumerate(powers):
            cols[f"{rid}.{cid}.{st.actor_ids[a]}"] = commits[:, j]
            cols[f"{rid}.{cid}.{st.actor_ids[a]}.equilibrium"] = eq[:, j].astype(bool)


def compliance_inputs(st: Structure, p: Params, committed: np.ndarray,
                      conference_powers: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    r"""Breach costs, ceasefire pressure and effective first strike from commitments.

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
    embargo_breach : ndarray, shape (R, n)
        What breaking the arms embargo costs each actor: the sum of the breach costs of
        the ``embargo`` commitments it made.
    ceasefire_pressure : ndarray, shape (R, n)
        What violating the ceasefire costs each actor:
        :math:`\sum_p \text{leverage}_{pi} \sum_c \text{breach\_cost}_c` over its patrons
        ``p`` and their ``ceasefire_support`` commitments ``c``.
    first_strike : ndarray, shape (R,)
        The first-strike bonus times one minus the share of (power, monitoring commitment)
        pairs committed.

    Examples
    --------
    The UAE commits to the arms embargo and to supporting the ceasefire:

    >>> import negsim
    >>> from negsim.protocol.params import compile_scenario
    >>> s = negsim.load_scenario("libya-2020")
    >>> st, p = structure(s), compile_scenario(s)
    >>> c = np.zeros((1, 6, 3), bool)
    >>> c[0, st.actor_ids.index("UAE"), :2] = True
    >>> embargo, pressure, strike = compliance_inputs(st, p, c, [np.array([2, 3, 4, 5])])
    >>> bool(embargo[0, 5] == p.breach_cost[0, 0])
    True
    >>> bool(np.isclose(pressure[0, 1], p.leverage[0, 5, 1] * p.breach_cost[0, 1]))
    True
    >>> bool(strike[0] == p.first_strike[0])  # nobody committed to monitoring
    True
    """
    eff = np.array(st.commitment_effect, dtype=object)
    cost = p.breach_cost[:, None, :] * committed  # (R, n, C)
    embargo = cost[:, :, eff == "embargo"].sum(axis=2) if len(eff) else np.zeros(p.capability.shape)
    support_c = (
        cost[:, :, eff == "ceasefire_support"].sum(axis=2) if len(eff) else
        np.zeros(p.capability.shape)
    )
    pressure = np.einsum("rp,rpi->ri", support_c, p.leverage)
    mon = np.flatnonzero(eff == "monitoring") if len(eff) else np.array([], dtype=int)
    if len(mon) and conference_powers:
        powers = np.unique(np.concatenate(conference_powers))
        share = committed[:, powers][:, :, mon].mean(axis=(1, 2))
    else:
        share = np.zeros(p.runs)
    return embargo, pressure, p.first_strike * (1.0 - share)


def _outcome_columns(
    scenario: Scenario, st: Structure, p: Params, state: _State, cols: dict[str, object]
) -> None:
    embargo, pressure, strike = compliance_inputs(st, p, state.committed, state.conference_powers)
    pl = st.players
    pay = compliance_payoffs(
        pl, w=state.w, ideal=p.ideal, x=state.text, capability=p.capability, support=p.support,
        leverage=p.leverage, cost=p.cost, discount=p.discount, status_quo=p.status_quo,
        belligerent=st.belligerent, exponent=p.contest_exponent, decisiveness=p.decisiveness,
        first_strike=strike, embargo_effect=p.embargo_effect, embargo_breach=embargo,
        ceasefire_pressure=pressure,
    )
    ana = analyse(pl, pay, p.discount[:, pl.actors])
    n_runs = p.runs
    if state.signed is None:
        code = np.full(n_runs, 3)
    else:
        all_signed = state.signed.all(axis=1) & state.has_text
        any_signed = state.signed.any(axis=1) & state.has_text
        code = np.where(all_signed, np.where(ana.holds, 0, 1), np.where(any_signed, 2, 3))
    cols["outcome"] = np.array(OUTCOMES, dtype=object)[code]
    cols["holds"] = ana.holds
    cols["is_nash"] = ana.is_nash
    cols["is_strong"] = ana.is_strong
    for j, a in enumerate(pl.actors):
        aid = st.actor_ids[a]
        cols[f"compliance.{aid}.margin"] = ana.margin[:, j]
        cols[f"compliance.{aid}.critical_discount"] = ana.critical[:, j]
    u_text = text_utility(state.w, p.ideal, state.text)
    for i, aid in enumerate(st.actor_ids):
        cols[f"utility.{aid}"] = u_text[:, i]
        cols[f"outside_option.{aid}"] = state.outside[:, i]
    from negsim.protocol.explain import binding_constraints

    cols["binding_constraint"] = binding_constraints(scenario, st, p, state, ana)
