"""The vectorised engine: many runs of a scenario at once, as numpy arrays.

:func:`simulate_runs` plays the same protocol as :class:`negsim.NegotiationModel` (the Mesa
reference implementation) for a batch of run indices, with every array of shape
``(runs, actors, ...)``: each timeline entry is played by its round kind
(:meth:`negsim.scenario.kinds.RoundKind.play_batch`), then the compliance game of the text
in force is analysed. Run ``i`` of root seed ``s`` draws all its randomness from
``numpy.random.default_rng(SeedSequence([s, i]))`` in the layout of
:func:`negsim.protocol.draws.draw_layout`, so its result depends only on ``(s, i)``: not on
the batch it is computed in, the number of processes, or their order. The test suite asserts
that both engines agree run by run.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

import negsim.protocol.rounds  # noqa: F401  (registers the built-in round kinds)
from negsim.protocol.compliance import compliance_verdicts
from negsim.protocol.explain import binding_constraints
from negsim.protocol.params import Params, sample_params, scenario_value, split_by_red_lines
from negsim.protocol.state import RoundState
from negsim.protocol.structure import (
    Structure,
    compliance_inputs,
    compliance_table,
    lay_blocks,
    structure,
)
from negsim.protocol.utility import text_utility
from negsim.scenario import OUTCOMES, Scenario
from negsim.scenario.kinds import round_kind
from negsim.sim.rng import run_uniforms

__all__ = ["simulate_runs"]

_CHUNK = 8192


def simulate_runs(scenario: Scenario, seed: int, runs: np.ndarray | range | int) -> pd.DataFrame:
    """Simulate the given run indices of a scenario with the vectorised engine.

    Parameters
    ----------
    scenario : Scenario
    seed : int
        Root seed (a non-negative integer of any size; the ``seed`` column is int64,
        uint64 from 2**63, and the decimal text of the seed from 2**64).
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
    # Uncertain red lines: the rounds that use them are played for each group of runs
    # sharing them (one group, the whole batch, when they are the same in every run).
    groups = split_by_red_lines(p)
    cols: dict[str, object] = {"run": runs, "seed": _seed_column(seed, len(runs))}
    for unc in scenario.uncertainty:
        cols[unc.parameter] = scenario_value(p, scenario, unc.parameter)
    state = RoundState.start(scenario, st, p)
    for entry, block in zip(scenario.timeline, lay_blocks(st), strict=True):
        kind = round_kind(entry.kind)
        if len(groups) == 1 or not getattr(kind, "uses_red_lines", kind.signs_text):
            kind.play_batch(entry, state, u_all[:, block], cols)
        else:
            _play_in_groups(kind, entry, state, groups, u_all[:, block], cols)
    _outcome_columns(state, cols)
    return pd.DataFrame(cols)


def _play_in_groups(kind: Any, entry: Any, state: RoundState,
                    groups: list[tuple[np.ndarray, Params]], u: np.ndarray,
                    cols: dict[str, object]) -> None:
    """Play one entry for each group of runs with its own red lines; merge state and columns."""
    state.own_arrays()
    n = state.params.runs
    merged: dict[str, np.ndarray] = {}
    for idx, q in groups:
        part = state.take(idx, q)
        part_cols: dict[str, object] = {}
        kind.play_batch(entry, part, u[idx], part_cols)
        state.put(idx, part)
        for key, value in part_cols.items():
            arr = np.asarray(value)
            full = merged.get(key)
            if full is None:
                full = np.empty((n, *arr.shape[1:]), dtype=arr.dtype)
            elif full.dtype != arr.dtype:
                full = full.astype(np.promote_types(full.dtype, arr.dtype))
            full[idx] = arr
            merged[key] = full
    cols.update(merged)


def _seed_column(seed: int, n: int) -> np.ndarray:
    """Return the ``seed`` column: int64, uint64 from 2**63, decimal text from 2**64."""
    if seed < 1 << 63:
        return np.full(n, seed, dtype=np.int64)
    if seed < 1 << 64:
        return np.full(n, seed, dtype=np.uint64)
    return np.full(n, str(seed), dtype=object)


def _outcome_columns(state: RoundState, cols: dict[str, object]) -> None:
    st, p = state.structure, state.params
    inputs = compliance_inputs(st, p, state.committed, state.conference_powers)
    pay = compliance_table(st, p, state.w, state.text, inputs, state.keep_bonus,
                           state.break_cost)
    pl = st.players
    ana = compliance_verdicts(pl, pay, p.discount[:, pl.actors])
    n_runs = p.runs
    holds = ana.holds if state.broken is None else ~state.broken
    if state.signed is None:
        code = np.full(n_runs, 3)
    else:
        all_signed = state.signed.all(axis=1) & state.has_text
        any_signed = state.signed.any(axis=1) & state.has_text
        code = np.where(all_signed, np.where(holds, 0, 1), np.where(any_signed, 2, 3))
    cols["outcome"] = np.array(OUTCOMES, dtype=object)[code]
    cols["holds"] = holds
    cols["compliance.holds"] = ana.holds
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
    cols["binding_constraint"] = binding_constraints(state, ana)
