r"""The round protocols as batched numpy kernels.

A *mediated round* (Moscow): the mediators draft a text, an asymmetric Nash bargaining
solution over the issue box among the participants and the mediators; each participant
signs, asks for time or rejects by a logit choice; if anyone asked for time the mediators
amend the text toward the askers within their own red lines, and every participant that had
not rejected decides on the amended text.

A *conference* (Berlin): for each commitment the powers play a commit / do-not-commit game
whose payoffs come from their demands on the commitment's issue; the game is solved for its
pure equilibria, one is selected (highest total payoff, then most commitments), and each
power's actual choice is a logit response to the selected equilibrium.

Every function takes arrays with a leading run axis ``R``, so the Mesa agents (one run) and
the vectorised engine (many runs) execute the same arithmetic. The random draws of a run
come in a fixed layout (:func:`negsim.protocol.draws.draw_layout`), which is how the two
engines stay identical run by run.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from negsim.protocol.inducements import offer_transfers
from negsim.protocol.utility import text_utility

__all__ = [
    "CHOICES",
    "Decisions",
    "amend",
    "bargaining_weights",
    "choose",
    "commitment_payoffs",
    "decide",
    "draft_text",
    "feasible",
    "mediator_box",
    "select_equilibrium",
    "signing_margin",
    "signing_outside",
]

#: The first choice of a participant in a mediated round, in the order used for draws.
CHOICES = ("sign", "time", "reject")

_DRAFT_ITERATIONS = 200
_DRAFT_DAMPING = 0.5
_DRAFT_TOL = 1e-12
_GAIN_FLOOR = 1e-3
_FEASIBLE_TOL = 1e-9


# --------------------------------------------------------------------------- mediated round


def mediator_box(lo: np.ndarray, hi: np.ndarray, mediators: np.ndarray) -> tuple[
    np.ndarray, np.ndarray
]:
    """Intersect the mediators' red lines: the issue box they will draft in.

    Returns ``(lower, upper)``, each ``(m,)``. Where ``lower > upper`` the mediators'
    red lines conflict and no text can be drafted.

    Examples
    --------
    >>> lo = np.array([[0.2, 0.0], [0.0, 0.0]]); hi = np.array([[1.0, 1.0], [1.0, 0.4]])
    >>> mediator_box(lo, hi, np.array([0, 1]))
    (array([0.2, 0. ]), array([1. , 0.4]))
    """
    lower = lo[mediators].max(axis=0) if len(mediators) else np.zeros(lo.shape[1])
    upper = hi[mediators].min(axis=0) if len(mediators) else np.ones(hi.shape[1])
    return lower, upper


def bargaining_weights(leverage: np.ndarray, bargainers: np.ndarray, mediators: np.ndarray,
                       participants: np.ndarray) -> np.ndarray:
    """Bargaining weight of each bargainer in the mediators' draft, ``(R, len(bargainers))``.

    A participant weighs ``1 + sum of the mediators' leverage on it``; a mediator that is
    not a participant weighs 1.

    Examples
    --------
    >>> lev = np.zeros((1, 3, 3)); lev[0, 2, 0] = 0.5
    >>> bargaining_weights(lev, np.array([0, 1, 2]), np.array([2]), np.array([0, 1]))
    array([[1.5, 1. , 1. ]])
    """
    pushed = leverage[:, mediators, :].sum(axis=1)  # (R, n)
    is_part = np.isin(bargainers, participants)
    return 1.0 + np.where(is_part, pushed[:, bargainers], 0.0)


def draft_text(
    w: np.ndarray,
    ideal: np.ndarray,
    disagreement: np.ndarray,
    omega: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    status_quo: np.ndarray,
) -> np.ndarray:
    r"""Draft the mediators' text: an asymmetric Nash bargaining solution over the box.

    Maximises :math:`\sum_i \omega_i \log(U_i(x) - d_i)` over ``lower <= x <= upper`` by the
    fixed-point iteration of its first-order conditions: with
    :math:`a_i = \omega_i / (U_i(x) - d_i)` the maximiser over issue :math:`k` is the
    :math:`a_i w_{ik}`-weighted mean of ideal points, clipped to the box. Gains below
    ``1e-3`` are floored there, which pulls the text toward a bargainer whose outside option
    it does not yet beat. The iteration is damped (0.5) and each run iterates until its own
    text moves by less than 1e-12 (at most 200 steps), so a run's text does not depend on
    its batch.

    Parameters
    ----------
    w, ideal : ndarray, shape (R, b, m)
        Weights and ideal points of the bargainers.
    disagreement, omega : ndarray, shape (R, b)
        Outside options and bargaining weights.
    lower, upper : ndarray, shape (m,)
        The mediators' box.
    status_quo : ndarray, shape (R, m)
        Used on issues no bargainer cares about.

    Returns
    -------
    ndarray, shape (R, m)

    Examples
    --------
    Two bargainers with opposite ideals, equal weights and equal outside options split the
    difference:

    >>> w = np.ones((1, 2, 1)); ideal = np.array([[[0.0], [1.0]]])
    >>> x = draft_text(w, ideal, np.zeros((1, 2)), np.ones((1, 2)), np.zeros(1), np.ones(1),
    ...                np.zeros((1, 1)))
    >>> np.round(x, 6)
    array([[0.5]])
    """
    sq = np.clip(status_quo, lower, upper)

    def update(a: np.ndarray, w: np.ndarray, ideal: np.ndarray, sq: np.ndarray) -> np.ndarray:
        aw = a[..., None] * w  # (r, b, m)
        awi = aw * ideal
        # Sums over the bargainers, left to right (what .sum(axis=1) does, faster).
        num, den = awi[:, 0], aw[:, 0]
        for j in range(1, aw.shape[1]):
            num = num + awi[:, j]
            den = den + aw[:, j]
        mean = np.divide(num, den, out=sq.copy(), where=den > 0)
        return np.clip(mean, lower, upper)

    x = update(omega, w, ideal, sq)
    if len(x) == 0:
        return x
    # Each run iterates until its own text stops moving, so its result does not depend on
    # the other runs of the batch. The arrays of the runs still moving are kept compact.
    active = np.arange(len(sq))
    xa, wa, ia, da, oa, sqa = x, w, ideal, disagreement, omega, sq
    for _ in range(_DRAFT_ITERATIONS):
        gain = text_utility(wa, ia, xa) - da
        a = oa / np.maximum(gain, _GAIN_FLOOR)
        new = _DRAFT_DAMPING * xa + (1.0 - _DRAFT_DAMPING) * update(a, wa, ia, sqa)
        moving = np.abs(new - xa).max(axis=1) > _DRAFT_TOL
        if moving.all():
            xa = new
            continue
        x[active] = new
        active = active[moving]
        if active.size == 0:
            break
        xa, wa, ia, da, oa, sqa = (v[moving] for v in (new, wa, ia, da, oa, sqa))
    else:
        x[active] = xa
    return x


def feasible(lo: np.ndarray, hi: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Whether text ``x (..., m)`` respects the red lines ``lo, hi (n, m)``: ``(..., n)``.

    Examples
    --------
    >>> feasible(np.array([[0.5], [0.0]]), np.array([[1.0], [1.0]]), np.array([0.2]))
    array([False,  True])
    """
    x = x[..., None, :]
    ok = (x >= lo - _FEASIBLE_TOL) & (x <= hi + _FEASIBLE_TOL)
    return ok.all(axis=-1)


def signing_margin(
    w: np.ndarray,
    ideal: np.ndarray,
    outside: np.ndarray,
    leverage: np.ndarray,
    x: np.ndarray,
) -> np.ndarray:
    r"""Every actor's effective margin for signing text ``x``, ``(R, n)``.

    :math:`m_i(x) = U_i(x) - d_i + \sum_p \mathrm{leverage}_{pi}\,(U_p(x) - d_p)`: the
    actor's own gain over fighting on, plus its patrons' lobbying, each patron pushing with
    its own gain or loss from the text.

    Examples
    --------
    >>> w = np.ones((1, 2, 1)); ideal = np.array([[[0.0], [1.0]]])
    >>> lev = np.zeros((1, 2, 2)); lev[0, 1, 0] = 1.0
    >>> signing_margin(w, ideal, np.zeros((1, 2)), lev, np.array([[0.0]]))
    array([[1., 0.]])
    """
    gain = text_utility(w, ideal, x) - outside
    return gain + np.einsum("rp,rpi->ri", gain, leverage)


def signing_outside(w: np.ndarray, ideal: np.ndarray, outside: np.ndarray, alone: np.ndarray,
                    leverage: np.ndarray, x: np.ndarray, parts: np.ndarray,
                    contingent: np.ndarray) -> np.ndarray:
    r"""Every actor's value of not signing text ``x``, ``(R, n)``, for a contingent outside option.

    A ``contingent`` participant expects the others to sign ``x`` when every other
    participant's signing margin on ``x`` (:func:`signing_margin`, with ``outside``: each
    contingent participant valued at its value of no deal for anyone) is positive; its
    value of not signing is then ``alone`` (staying out while the others sign), else
    ``outside``. Other actors keep ``outside``.

    Parameters
    ----------
    w, ideal : ndarray, shape (R, n, m)
    outside, alone : ndarray, shape (R, n)
    leverage : ndarray, shape (R, n, n)
    x : ndarray, shape (R, m)
    parts : ndarray of int
        The participants.
    contingent : ndarray of bool, shape (n,)

    Examples
    --------
    Actor 0 is contingent: if actor 1 signs, staying out is worth 0.1 to it, not 0.5.

    >>> w = np.ones((1, 2, 1)); ideal = np.array([[[0.0], [1.0]]])
    >>> out = np.array([[0.5, 0.5]]); alone = np.array([[0.1, 0.5]])
    >>> args = (w, ideal, out, alone, np.zeros((1, 2, 2)))
    >>> signing_outside(*args, np.array([[0.9]]), np.array([0, 1]), np.array([True, False]))
    array([[0.1, 0.5]])
    >>> signing_outside(*args, np.array([[0.1]]), np.array([0, 1]), np.array([True, False]))
    array([[0.5, 0.5]])
    """
    positive = signing_margin(w, ideal, outside, leverage, x)[:, parts] > 0
    out = outside
    for j, a in enumerate(parts):
        if not contingent[a]:
            continue
        others = np.delete(positive, j, axis=1).all(axis=1)
        out = out.copy() if out is outside else out
        out[:, a] = np.where(others, alone[:, a], outside[:, a])
    return out


def amend(
    x: np.ndarray,
    ideal: np.ndarray,
    w: np.ndarray,
    askers: np.ndarray,
    reach: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
) -> np.ndarray:
    """Move a draft toward the actors who asked for time, within the mediators' box.

    On each issue an asker cares about (weight > 0) the text moves ``reach`` of the way to
    the askers' mean ideal point; issues no asker cares about stay.

    Parameters
    ----------
    x : ndarray, shape (R, m)
    ideal, w : ndarray, shape (R, n, m)
    askers : ndarray of bool, shape (R, n)
    reach : ndarray, shape (R,)
    lower, upper : ndarray, shape (m,)

    Examples
    --------
    >>> x = np.array([[0.0, 0.0]]); ideal = np.array([[[1.0, 1.0]]]); w = np.array([[[1.0, 0.0]]])
    >>> amend(x, ideal, w, np.array([[True]]), np.array([0.5]), np.zeros(2), np.ones(2))
    array([[0.5, 0. ]])
    """
    cares = (w > 0) & askers[..., None]  # (R, n, m)
    count = cares.sum(axis=1)
    pull = np.einsum("rnm,rnm->rm", cares.astype(float), ideal - x[:, None, :])
    step = np.divide(pull, count, out=np.zeros_like(x), where=count > 0)
    return np.clip(x + reach[:, None] * step, lower, upper)


def choose(values: np.ndarray, rationality: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Logit (quantal response) choice among options by inverse transform of ``u``.

    ``P(a) = exp(rationality * v_a) / sum_b exp(rationality * v_b)`` over the options
    whose value is finite; ``-inf`` marks an option that cannot be chosen. The chosen index
    is the first option whose cumulative probability exceeds ``u``.

    Parameters
    ----------
    values : ndarray, shape (..., A)
    rationality : ndarray, broadcastable to values[..., 0]
    u : ndarray, shape (...)
        Uniform draws in [0, 1).

    Examples
    --------
    >>> choose(np.array([[0.0, -np.inf, 0.0]]), np.array([5.0]), np.array([0.7]))
    array([2])
    """
    ok = np.isfinite(values)
    lam = np.asarray(rationality, dtype=float)[..., None]
    z = np.where(ok, lam * np.where(ok, values, 0.0), -np.inf)
    z = z - z.max(axis=-1, keepdims=True)
    p = np.exp(z)
    cdf = np.cumsum(p, axis=-1) / p.sum(axis=-1, keepdims=True)
    idx = (u[..., None] >= cdf).sum(axis=-1)
    # Guard against rounding at the top; never land on an impossible option.
    last_ok = values.shape[-1] - 1 - np.argmax(ok[..., ::-1], axis=-1)
    return np.minimum(idx, last_ok)


# --------------------------------------------------------------------------- conference


@dataclass(frozen=True)
class Decisions:
    """What the participants of a mediated round did with a tabled draft (leading axis: runs).

    Attributes
    ----------
    first : ndarray of int, shape (R, k)
        Each participant's first choice, an index into :data:`CHOICES`.
    amended : ndarray of bool, shape (R,)
        Someone asked for time, so the mediators amended the draft.
    text : ndarray, shape (R, m)
        The text decided on: the amended text where ``amended``, else the draft.
    signed : ndarray of bool, shape (R, k)
        Each participant signed the text.
    margin : ndarray, shape (R, k)
        Each participant's effective signing margin on ``text`` (with its transfer).
    transfer : ndarray, shape (R, k), or None
        The mediators' transfer offered to each participant (None: no side payments).

    Examples
    --------
    >>> d = Decisions(first=np.array([[0, 1]]), amended=np.array([True]),
    ...               text=np.array([[0.4]]), signed=np.array([[True, False]]),
    ...               margin=np.array([[0.1, -0.2]]))
    >>> [CHOICES[c] for c in d.first[0]], d.signed[0].tolist()
    (['sign', 'time'], [True, False])
    """

    first: np.ndarray
    amended: np.ndarray
    text: np.ndarray
    signed: np.ndarray
    margin: np.ndarray
    transfer: np.ndarray | None = None


def decide(
    x0: np.ndarray,
    *,
    w: np.ndarray,
    ideal: np.ndarray,
    outside: np.ndarray,
    leverage: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    discount: np.ndarray,
    amendment_reach: np.ndarray,
    rationality: np.ndarray,
    parts: np.ndarray,
    box: tuple[np.ndarray, np.ndarray],
    u: np.ndarray,
    alone: np.ndarray | None = None,
    contingent: np.ndarray | None = None,
    budget: np.ndarray | None = None,
) -> Decisions:
    """Play the participants' choices on a tabled draft: sign, ask for time or reject.

    The value of signing is the effective margin on the draft (``-inf`` across a red line),
    of asking for time the discounted margin on the text amended toward the participant
    alone (0 if that text crosses its red line), of rejecting 0; the first choice is a logit
    response (:func:`choose`). If anyone asked for time the mediators amend toward all who
    asked, and each participant that did not reject signs the amended text or not by a
    second logit choice. A participant without a discount factor waits at no cost.

    Parameters
    ----------
    x0 : ndarray, shape (R, m)
        The draft.
    w, ideal : ndarray, shape (R, n, m)
    outside : ndarray, shape (R, n)
    leverage : ndarray, shape (R, n, n)
    lo, hi : ndarray, shape (n, m)
        Red-line bounds (the same in every run).
    discount : ndarray, shape (R, n)
    amendment_reach, rationality : ndarray, shape (R,)
    parts : ndarray of int, shape (k,)
        The participants.
    box : (ndarray, ndarray)
        The mediators' bounds (:func:`mediator_box`).
    u : ndarray, shape (R, 2 k)
        The round's uniforms: first choices, then second choices.
    alone, contingent : ndarray, optional
        Values of staying out alone ``(R, n)`` and which actors' outside options are
        contingent ``(n,)``: their value of not signing a text is that of
        :func:`signing_outside`.
    budget : ndarray, shape (R,), optional
        The mediators' budget for side payments: the transfers of
        :func:`negsim.protocol.inducements.offer_transfers` on the draft are added to the
        value of signing any text of the round (None: no side payments).

    Returns
    -------
    Decisions

    Examples
    --------
    Two participants whose ideal is the draft sign it at once:

    >>> R, n, m = 1, 2, 1
    >>> ones = np.ones((R, n, m))
    >>> d = decide(np.full((R, m), 0.5), w=ones, ideal=ones * 0.5, outside=np.zeros((R, n)),
    ...            leverage=np.zeros((R, n, n)), lo=np.zeros((n, m)), hi=np.ones((n, m)),
    ...            discount=np.full((R, n), 0.9), amendment_reach=np.full(R, 0.5),
    ...            rationality=np.full(R, 50.0), parts=np.array([0, 1]),
    ...            box=(np.zeros(m), np.ones(m)), u=np.full((R, 4), 0.5))
    >>> [CHOICES[c] for c in d.first[0]], d.signed.tolist(), bool(d.amended[0])
    (['sign', 'sign'], [[True, True]], False)
    """
    runs, k = x0.shape[0], len(parts)
    lower, upper = box
    special = alone is not None and contingent is not None and bool(contingent[parts].any())

    def margins(x: np.ndarray) -> np.ndarray:
        out = outside if not special else signing_outside(
            w, ideal, outside, alone, leverage, x, parts, contingent)  # type: ignore[arg-type]
        return signing_margin(w, ideal, out, leverage, x)

    margin0 = margins(x0)[:, parts]
    feas0 = feasible(lo[parts], hi[parts], x0)
    paid = None
    if budget is not None:
        paid = offer_transfers(margin0, feas0, budget)
        margin0 = margin0 + paid
    delta = np.nan_to_num(discount[:, parts], nan=1.0)
    v_time = np.zeros((runs, k))
    for j, a in enumerate(parts):
        only = np.zeros((runs, ideal.shape[1]), dtype=bool)
        only[:, a] = True
        x1 = amend(x0, ideal, w, only, amendment_reach, lower, upper)
        m1 = margins(x1)[:, a] if paid is None else margins(x1)[:, a] + paid[:, j]
        ok = feasible(lo[a : a + 1], hi[a : a + 1], x1)[:, 0]
        v_time[:, j] = np.where(ok, delta[:, j] * np.maximum(m1, 0.0), 0.0)
    values = np.stack([np.where(feas0, margin0, -np.inf), v_time, np.zeros((runs, k))], -1)
    first = choose(values, rationality[:, None], u[:, :k])
    askers = np.zeros((runs, ideal.shape[1]), dtype=bool)
    askers[:, parts] = first == 1
    any_ask = askers.any(axis=1)
    x1 = amend(x0, ideal, w, askers, amendment_reach, lower, upper)
    margin1 = margins(x1)[:, parts] if paid is None else margins(x1)[:, parts] + paid
    feas1 = feasible(lo[parts], hi[parts], x1)
    second = choose(
        np.stack([np.where(feas1, margin1, -np.inf), np.zeros((runs, k))], -1),
        rationality[:, None],
        u[:, k:],
    )
    return Decisions(
        first=first,
        amended=any_ask,
        text=np.where(any_ask[:, None], x1, x0),
        signed=np.where(any_ask[:, None], (first != 2) & (second == 0), first == 0),
        margin=np.where(any_ask[:, None], margin1, margin0),
        transfer=paid,
    )


def commitment_payoffs(
    w: np.ndarray, ideal: np.ndarray, status_quo: np.ndarray, powers: np.ndarray, issue: int
) -> np.ndarray:
    r"""Payoff tensor of one commitment game, ``(R, P, 2, ..., 2)`` for ``P`` powers.

    Action 1 is *commit*. The issue's level rises from its status quo toward 1 with the
    share of powers that commit, :math:`\ell = x^{sq} + (1 - x^{sq})\,\text{share}`, and
    power :math:`p` gets :math:`-w_{pk} (\ell - \theta_{pk})^2`: the part of its utility
    that the commitment moves.

    Examples
    --------
    >>> w = np.ones((1, 2, 1)); ideal = np.array([[[1.0], [0.0]]])
    >>> g = commitment_payoffs(w, ideal, np.zeros((1, 1)), np.array([0, 1]), 0)
    >>> g.shape, float(g[0, 0, 1, 1]), float(g[0, 1, 0, 0])
    ((1, 2, 2, 2), -0.0, -0.0)
    """
    n_pow = len(powers)
    profiles = np.array(list(itertools.product((0, 1), repeat=n_pow)), dtype=float)  # (2^P, P)
    share = profiles.mean(axis=1)  # (2^P,)
    sq = status_quo[:, issue][:, None]  # (R, 1)
    level = sq + (1.0 - sq) * share[None, :]  # (R, 2^P)
    th = ideal[:, powers, issue][:, :, None]  # (R, P, 1)
    wk = w[:, powers, issue][:, :, None]
    gap = level[:, None, :] - th
    pay = -wk * (gap * gap)  # (R, P, 2^P); the square as a product, as in the Mesa model
    return pay.reshape((pay.shape[0], n_pow) + (2,) * n_pow)


def select_equilibrium(payoffs: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Pick one pure profile per run: the equilibrium with the highest total payoff.

    Ties go to the profile with more commitments (more actions 1), then to the lowest
    flat index. Runs without a pure equilibrium get the profile of least maximal regret.

    Parameters
    ----------
    payoffs : ndarray, shape (R, P, 2, ..., 2)
    mask : ndarray of bool, shape (R, 2, ..., 2)
        Pure equilibria (from :func:`negsim.games.pure_equilibrium_mask`).

    Returns
    -------
    ndarray of int, shape (R, P)
        The selected profile's actions.

    Examples
    --------
    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], dtype=float)[None]
    >>> m = np.zeros((1, 2, 2), bool); m[0, 1, 1] = True
    >>> select_equilibrium(pd, m)
    array([[1, 1]])
    """
    runs, n_pow = payoffs.shape[:2]
    flat_pay = payoffs.reshape(runs, n_pow, 1 << n_pow)
    n_prof = flat_pay.shape[-1]
    profiles = np.array(list(itertools.product((0, 1), repeat=n_pow)), dtype=np.int64)
    flat_mask = mask.reshape(runs, n_prof)
    total = flat_pay.sum(axis=1)
    # Lexicographic key: total payoff, then commitments, then lower index (via stable argmax).
    commits = profiles.sum(axis=1)
    best_total = np.where(flat_mask, total, -np.inf).max(axis=1, keepdims=True)
    top = flat_mask & np.isclose(total, best_total, rtol=0.0, atol=1e-12)
    key = np.where(top, commits[None, :], -1)
    chosen = np.argmax(key, axis=1)
    # No pure equilibrium: least maximal regret.
    none = ~flat_mask.any(axis=1)
    if none.any():
        regret = _max_regret(payoffs[none])
        chosen[none] = np.argmin(regret, axis=1)
    return profiles[chosen]


def _max_regret(payoffs: np.ndarray) -> np.ndarray:
    """Maximal unilateral regret of every pure profile, ``(R, n_profiles)``."""
    runs, n = payoffs.shape[:2]
    worst = np.zeros((runs,) + payoffs.shape[2:])
    for i in range(n):
        best = np.max(payoffs[:, i], axis=i + 1, keepdims=True)
        worst = np.maximum(worst, best - payoffs[:, i])
    return worst.reshape(runs, 1 << n)
