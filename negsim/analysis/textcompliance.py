r"""The one-shot compliance game on a fixed text, and how far the text is from breaking.

:func:`text_compliance` plays the compliance game of :mod:`negsim.protocol.compliance` on
a text for every run of a fixed-text ensemble (:mod:`negsim.analysis.fixedtext`), with the
conference's commitments, an optional guarantee (in the ceasefire pressure) and optional
transfers, and returns the verdicts with the *hold margin* :math:`h = -\max_S \min_{j \in S}
g_{jS}`: the smallest per-period loss a profitable deviation would need to stop being
profitable (negative when the text does not hold), over coalitions :math:`S` with
repeated-game gains :math:`g_{jS}`, leaving out coalitions whose least gain is 0
(indifferent, never profitable; :math:`h = \infty` if no coalition is left).
"""

from __future__ import annotations

import numpy as np

from negsim.protocol.compliance import ComplianceVerdicts, compliance_verdicts
from negsim.protocol.params import Params
from negsim.protocol.structure import ComplianceInputs, Structure, compliance_table

__all__ = ["text_compliance"]

_TOL = 1e-9


def text_compliance(st: Structure, p: Params, w: np.ndarray, x: np.ndarray,
                    inputs: ComplianceInputs, paid: np.ndarray, parts: np.ndarray,
                    keep_bonus: np.ndarray | None = None,
                    break_cost: np.ndarray | None = None,
                    ) -> tuple[ComplianceVerdicts, np.ndarray]:
    """Play the compliance game on text ``x`` in every run; return the verdicts and ``h``.

    Parameters
    ----------
    st : Structure
    p : Params
    w : ndarray, shape (R, n, m)
    x : ndarray, shape (R, m)
    inputs : ComplianceInputs
        As from :func:`negsim.protocol.structure.compliance_inputs` (embargo breach costs,
        pressure with any guarantee added, effective first strike, the commitments' bonus).
    paid : ndarray, shape (R, k)
        Transfer per period to each participant while the deal is in force: added to its
        payoff in every profile in which no belligerent violates.
    parts : ndarray of int, shape (k,)
        The participants (actor indices).
    keep_bonus, break_cost : ndarray, shape (R, n), optional
        The mediators' inducements of the scenario's round on this text
        (:func:`negsim.protocol.inducements.inducement_terms`), passed to
        :func:`negsim.protocol.structure.compliance_table` as the engine passes them.

    Returns
    -------
    verdicts, hold_margin : ComplianceVerdicts, ndarray of shape (R,)

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.params import compile_scenario
    >>> from negsim.protocol.structure import compliance_inputs, structure
    >>> from negsim.protocol.utility import weights
    >>> s = negsim.load_scenario("libya-2020")
    >>> st, p = structure(s), compile_scenario(s, 1)
    >>> inputs = compliance_inputs(st, p, np.zeros((1, 6, 3), bool), [])
    >>> ana, h = text_compliance(st, p, weights(p.salience), p.status_quo, inputs,
    ...                          np.zeros((1, 2)), np.array([0, 1]))
    >>> bool(ana.holds[0]), bool(h[0] > 0)
    (True, True)
    """
    runs = p.runs
    pl = st.players
    pay = compliance_table(st, p, w, x, inputs, keep_bonus, break_cost)
    if np.any(paid != 0):
        # a transfer is paid while the deal is in force: it adds to the participant's
        # payoff in every profile in which no belligerent violates
        peace = ~(pl.profiles[:, pl.belligerent].astype(bool).any(axis=1))  # (P,)
        flat = pay.reshape(runs, pl.k, -1).copy()
        player_of = {int(a): j for j, a in enumerate(pl.actors)}
        for j, a in enumerate(parts):
            if int(a) in player_of:
                flat[:, player_of[int(a)], peace] += paid[:, j : j + 1]
        pay = flat.reshape(pay.shape)
    delta = p.discount[:, pl.actors]
    ana = compliance_verdicts(pl, pay, delta)
    hold_margin = _hold_margin(pl.profiles.astype(bool), pay, ana.comply, ana.punish,
                               np.nan_to_num(delta, nan=0.0))
    return ana, hold_margin


def _hold_margin(members: np.ndarray, payoffs: np.ndarray, comply: np.ndarray,
                 punish: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """``-max_S min_{j in S} g_jS`` over coalitions ``S`` (repeated-game gains ``g``)."""
    runs, k = payoffs.shape[:2]
    flat = payoffs.reshape(runs, k, -1)
    stage_gain = np.moveaxis(flat, 1, 2) - comply[:, None, :]  # (R, P, k)
    rep_gain = (1.0 - delta[:, None, :]) * stage_gain + delta[:, None, :] * (
        punish - comply)[:, None, :]
    worst_member = np.where(members[None], rep_gain, np.inf).min(axis=2)[:, 1:]  # (R, P-1)
    # Coalitions indifferent to deviating (e.g. a patron breaking an embargo it never
    # committed to, while nobody fights) are never profitable, whatever the text: leave them
    # out, so that they do not put every text on the edge of breaking.
    worst_member = np.where(np.abs(worst_member) <= _TOL, -np.inf, worst_member)
    return -worst_member.max(axis=1)
