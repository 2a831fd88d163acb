"""Why a run ended as it did: the binding constraint, in words.

The binding constraint of a run is, in order of precedence:

1. for every participant of the last mediated round that did not sign, its reason: the red
   lines the text violates (their descriptions from the scenario file); or its patrons'
   pressure outweighing its own gain from the text (naming the patrons that lobbied
   against); or the text being worth less to it than fighting on; or, when its margin was
   positive, the stochastic (logit) choice;
2. if everyone signed but the deal does not hold, the deviation that breaks it: who gains
   by breaking the ceasefire or the arms embargo, alone or jointly;
3. otherwise ``"none"``.

Reasons are categorical (no numbers in the text), so runs can be counted by reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from negsim.protocol.rounds.kernels import signing_outside
from negsim.protocol.utility import text_utility
from negsim.scenario.words import gerund, third_person

if TYPE_CHECKING:  # pragma: no cover
    from negsim.protocol.compliance import CompliancePlayers, ComplianceVerdicts
    from negsim.protocol.state import RoundState
    from negsim.protocol.structure import Structure

__all__ = [
    "CHANCE",
    "PRESSURE",
    "RED_LINE",
    "SIGNED",
    "WORSE",
    "binding_constraints",
    "breaking_words",
    "deviation_words",
    "refusal_words",
]

#: Why a participant did or did not sign: the reason codes of :func:`refusal_words`.
SIGNED, RED_LINE, PRESSURE, WORSE, CHANCE = range(5)


def deviation_words(pl: CompliancePlayers, actor_ids: tuple[str, ...], profile: int,
                    phrases: tuple[str, ...] = ()) -> str:
    """Describe a profitable deviation of the compliance game given by its flat index.

    ``phrases`` says how each player breaks the deal, a verb phrase in the base form
    (:attr:`negsim.protocol.structure.Structure.break_phrases`); without them belligerents
    "break the ceasefire" and patrons "break the arms embargo".

    Examples
    --------
    >>> import numpy as np
    >>> from negsim.protocol.compliance import players
    >>> links = np.zeros((3, 3), bool); links[2, 1] = True
    >>> pl = players(np.array([True, True, False]), links)
    >>> deviation_words(pl, ("GNA", "LNA", "UAE"), 0b001)
    'UAE gains by breaking the arms embargo'
    >>> deviation_words(pl, ("GNA", "LNA", "UAE"), 0b011)
    'LNA and UAE gain by deviating jointly (LNA breaks the ceasefire, UAE breaks the arms embargo)'
    """
    bits = pl.profiles[profile].astype(bool)
    who = [actor_ids[a] for a in pl.actors[bits]]
    base = phrases or tuple("break the ceasefire" if bel else "break the arms embargo"
                            for bel in pl.belligerent)
    chosen = [base[j] for j in np.flatnonzero(bits)]
    acts = [third_person(b) for b in chosen]
    if len(who) == 1:
        return f"{who[0]} gains by {gerund(chosen[0])}"
    names = ", ".join(who[:-1]) + f" and {who[-1]}"
    detail = ", ".join(f"{a} {b}" for a, b in zip(who, acts, strict=True))
    return f"{names} gain by deviating jointly ({detail})"


def breaking_words(phrases: tuple[str, ...]) -> str:
    """Say every way of breaking the deal at once, e.g. for "nobody gains by ...".

    The distinct phrases, in order, joined by "or"; a verb they share is said once.

    Examples
    --------
    >>> breaking_words(("break the ceasefire", "break the arms embargo", "break the ceasefire"))
    'breaking the ceasefire or the arms embargo'
    >>> breaking_words(("exceed the enrichment cap", "reimpose sanctions"))
    'exceeding the enrichment cap or reimposing sanctions'
    >>> breaking_words(())
    'breaking the agreement'
    """
    distinct = list(dict.fromkeys(phrases)) or ["break the agreement"]
    verbs = {p.partition(" ")[0] for p in distinct}
    if len(verbs) == 1:
        return gerund(distinct[0].partition(" ")[0] + " " + " or ".join(
            p.partition(" ")[2] for p in distinct)).rstrip()
    return " or ".join(gerund(p) for p in distinct)


def refusal_words(
    actor_id: str, reason: int, red_lines: list[str], against: list[str],
    alternative: str = "fighting on",
) -> str:
    """Describe why a participant did not sign.

    ``alternative`` is what it gets instead (its outside option's kind in words).

    Examples
    --------
    >>> refusal_words("LNA", 1, ["no deadline for disbanding GNA forces"], [])
    'LNA: no deadline for disbanding GNA forces'
    >>> refusal_words("LNA", 2, [], ["Egypt", "UAE"])
    "LNA: its patrons' pressure (Egypt, UAE) outweighs its gain from the text"
    """
    if reason == RED_LINE:
        return f"{actor_id}: " + "; ".join(red_lines)
    if reason == PRESSURE:
        return (f"{actor_id}: its patrons' pressure ({', '.join(against)}) outweighs its gain "
                "from the text")
    if reason == WORSE:
        return f"{actor_id}: the text is worth less to it than {alternative}"
    return f"{actor_id}: declined despite a positive margin (logit choice)"


def binding_constraints(state: RoundState, ana: ComplianceVerdicts) -> np.ndarray:
    """Return the binding constraint of every run, as an object array of strings.

    Called by the engine at the end of a batch with its internal state (the text in force,
    who signed, the compliance analysis); the rules are those of the module docstring.

    Examples
    --------
    >>> import negsim
    >>> from negsim.sim.engine import simulate_runs
    >>> df = simulate_runs(negsim.load_scenario("libya-2020"), 1, 200)
    >>> lna = df["moscow.LNA.decision"] == "no_sign"
    >>> bool(df.loc[lna, "binding_constraint"].str.startswith("LNA: ").all())
    True
    >>> sorted(set(df.loc[df["outcome"] == "signed_and_holds", "binding_constraint"]))
    ['none']
    """
    scenario, st, p = state.scenario, state.structure, state.params
    n_runs = p.runs
    if state.last_round is None:
        return np.full(n_runs, "no mediated round in the timeline", dtype=object)
    if not state.has_text.any():
        return np.full(n_runs, "the mediators' red lines conflict: no text", dtype=object)
    parts = state.parts
    assert parts is not None and state.signed is not None
    x = state.text
    # Reasons per participant.
    outside = state.outside if state.alone is None else signing_outside(
        state.w, p.ideal, state.outside, state.alone, p.leverage, x, parts, st.contingent)
    own = text_utility(state.w, p.ideal, x) - outside  # (R, n)
    margin = own + np.einsum("rp,rpi->ri", own, p.leverage)
    if state.keep_bonus is not None:  # the participants' transfers from the mediators
        margin = margin + state.keep_bonus
    red = []  # (participant, red line description, violated (R,))
    for a in parts:
        actor = scenario.actors[a]
        first = sum(len(b.red_lines) for b in scenario.actors[:a])
        for j, rl in enumerate(actor.red_lines):  # each run's own bounds (NaN: none)
            k = st.issue_ids.index(rl.issue)
            lo, hi = p.red_line_bounds[:, first + j, 0], p.red_line_bounds[:, first + j, 1]
            bad = (x[:, k] < lo - 1e-9) | (x[:, k] > hi + 1e-9)
            red.append((int(a), rl.description, bad))
    reason = np.full((n_runs, len(parts)), SIGNED)
    against_mask = (p.leverage > 0) & (own[:, :, None] < 0)  # (R, patron, client)
    for j, a in enumerate(parts):
        unsigned = ~state.signed[:, j]
        violated = np.zeros(n_runs, dtype=bool)
        for b, _, bad in red:
            if b == a:
                violated |= bad
        r = np.where(
            violated, RED_LINE,
            np.where(margin[:, a] > 0, CHANCE, np.where(own[:, a] > 0, PRESSURE, WORSE)),
        )
        reason[:, j] = np.where(unsigned, r, SIGNED)
    columns = [reason]
    columns += [bad[:, None].astype(int) for _, _, bad in red]
    columns += [against_mask[:, :, a].astype(int) for a in parts]
    if state.broken is None:
        holds, binding = ana.holds, ana.binding

        def breaking(code: int) -> str:
            return deviation_words(st.players, st.actor_ids, code, st.break_phrases)
    else:  # an implementation phase decided whether the ceasefire held
        assert state.broken_words is not None
        reasons, binding = np.unique(state.broken_words.astype(str), return_inverse=True)
        holds = ~state.broken

        def breaking(code: int) -> str:
            return str(reasons[code])
    columns += [holds[:, None].astype(int), binding.reshape(-1)[:, None]]
    codes = np.concatenate(columns, axis=1)
    uniq, inverse = _unique_rows(codes)
    words = np.array([_words(st, parts, red, row, breaking) for row in uniq], dtype=object)
    return words[inverse.reshape(-1)]


def _unique_rows(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(codes, axis=0, return_inverse=True)`` for small non-negative codes.

    Rows are packed into one integer each when their columns fit in 62 bits, which sorts
    far faster than rows; otherwise rows are compared as they are.
    """
    codes = np.asarray(codes, dtype=np.int64)
    if codes.shape[0] == 0 or codes.min() < 0:
        return np.unique(codes, axis=0, return_inverse=True)
    widths = [max(int(c).bit_length(), 1) for c in codes.max(axis=0)]
    if sum(widths) > 62:
        return np.unique(codes, axis=0, return_inverse=True)
    key = np.zeros(codes.shape[0], dtype=np.int64)
    for j, width in enumerate(widths):
        key = (key << width) | codes[:, j]
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return codes[first], inverse.reshape(-1)


def _words(st: Structure, parts: np.ndarray, red: list, row: np.ndarray,
           breaking: Callable[[int], str]) -> str:
    n_parts = len(parts)
    reasons = row[:n_parts]
    bad = row[n_parts : n_parts + len(red)].astype(bool)
    n_act = len(st.actor_ids)
    against = row[n_parts + len(red) : n_parts + len(red) + n_parts * n_act].reshape(
        n_parts, n_act
    )
    holds, binding = bool(row[-2]), int(row[-1])
    out = []
    for j, a in enumerate(parts):
        if reasons[j] == SIGNED:
            continue
        lines = [desc for (b, desc, _), v in zip(red, bad, strict=True) if b == a and v]
        pats = [st.actor_ids[q] for q in np.flatnonzero(against[j])]
        out.append(refusal_words(st.actor_ids[a], int(reasons[j]), lines, pats,
                                 st.alternatives[a]))
    if out:
        return " | ".join(out)
    if not holds:
        return breaking(binding)
    return "none"
