r"""What a designed text takes: concessions, binding red lines, side payments and guarantees.

The record types of a :class:`~negsim.analysis.design.DealDesign` report and the functions
computing them on a :class:`~negsim.analysis.fixedtext.TextEnsemble` (see
:func:`negsim.analysis.design.design_deal` for the search and the notation: :math:`P` the
probability that every participant signs and the text holds, :math:`J` the design
objective, :math:`d` the mediators' draft, :math:`x^*` the designed text).

* **Concessions**: each issue whose designed position differs from the draft, with its
  marginal effect :math:`P(x^*) - P(x^* \text{ with } x_k = d_k)`; it *mattered* if that is
  at least ``0.005``.
* **Binding red lines**: a red line binds when :math:`x^*` lies on its bound and moving the
  issue past the bound, with that red line waived, would raise :math:`J`. The move is 0.05,
  or less if the draft lies beyond the bound closer than that (then up to the draft).
* **Side payments and guarantees** closing the remaining gap, from the model's formulas.
  A transfer :math:`t` per period to participant :math:`i` if it signs adds :math:`t` to its
  signing margin, so the smallest transfer making its margin positive in run :math:`r` is
  :math:`t_{ir} = \max(0, -m_{ir}(x^*))` (then :math:`P(\text{sign}) \ge 1/2`). The same
  push can come from a patron or mediator :math:`p` that gains from the text
  (:math:`g_p = U_p - d_p > 0`) through more leverage on :math:`i`:
  :math:`\Delta\ell_{pi} = t_{ir} / g_{pr}`. A guarantee :math:`\kappa` (an extra cost per
  period of violating, as a patron's ceasefire commitment imposes) adds
  :math:`(1-\delta_i)\kappa` to :math:`i`'s repeated-game compliance margin
  :math:`M_i`, so :math:`\kappa_{ir} = \max(0, -M_{ir})/(1 - \delta_{ir})` (first order:
  the punishment path is held fixed). Each is reported as the 90th percentile over the
  runs that need it (enough in 90% of them), with the share of runs that need it and the
  probability :math:`P` when it is paid, recomputed exactly by the model (a transfer is
  paid per period while the deal is in force, so it also raises the value of complying).
  With an implementation phase, whether a text holds is the phase's verdict, which these
  first-order formulas do not reach: no guarantee is proposed, and a transfer is counted
  in the signing margin only (not in the phase's values of keeping the ceasefire).
* **With the scenario's own inducements** (a mediated round's ``[timeline.inducements]``),
  nothing is counted twice: the margins :math:`m_{ir}` already include the transfers the
  mediators offer on the text
  (:attr:`~negsim.analysis.fixedtext.TextEvaluation.offered`), so the transfers here
  close what is left after their offer (a margin their offer brought to exactly 0 needs
  nothing more: a run *needs* a transfer when :math:`m_{ir} < 0`), are paid on top of
  theirs and do not change it; the compliance margins :math:`M_{ir}` already include the
  mediators' guarantee, and a guarantee here adds to it.

Examples
--------
>>> import negsim
>>> ens = TextEnsemble.build(negsim.load_scenario("libya-2020"), runs=100)
>>> path = concession_path(ens, ens.central_draft(), np.clip(ens.central_draft(), *ens.box()))
>>> path["issue"].tolist()[:2]
['(draft)', 'security_agreement']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from negsim.analysis.fixedtext import TextEnsemble
from negsim.scenario import Scenario
from negsim.sim.results import FrozenMap

__all__ = [
    "BindingRedLine",
    "Concession",
    "SidePayment",
    "binding_red_lines",
    "concession_path",
    "side_payments",
]

MOVED = 1e-4
"""An issue counts as moved when it differs from the draft by more than this."""

_STEP = 0.05
_QUANTILE = 0.9


@dataclass(frozen=True)
class Concession:
    """One issue moved from the mediators' draft.

    Attributes
    ----------
    issue, name : str
    draft, designed : float
        Position in the draft and in the designed text.
    marginal_effect : float
        ``P(designed) - P(designed with this issue back at the draft)``.
    mattered : bool
        ``marginal_effect >= 0.005``.

    Examples
    --------
    >>> Concession("border", "Border", 0.5, 0.6, 0.9, True).size
    0.1
    """

    issue: str
    name: str
    draft: float
    designed: float
    marginal_effect: float
    mattered: bool

    @property
    def size(self) -> float:
        """How far the issue moved, ``|designed - draft|``."""
        return round(abs(self.designed - self.draft), 12)


@dataclass(frozen=True)
class BindingRedLine:
    """A red line on whose bound the designed text lies.

    Attributes
    ----------
    actor, issue, description : str
    bound : str
        ``"min"`` or ``"max"``.
    value : float
        The bound.
    probability_change, objective_change : float
        Change in ``P`` and in the design objective if the red line were waived and the
        issue moved past the bound (0.05, or up to the draft if that is closer).
    binds : bool
        ``objective_change > 0``: without it the designer would move.

    Examples
    --------
    >>> BindingRedLine("B", "border", "min", 0.6, "no deal short of 0.6", 0.0, 0.001, True).binds
    True
    """

    actor: str
    issue: str
    bound: str
    value: float
    description: str
    probability_change: float
    objective_change: float
    binds: bool


@dataclass(frozen=True)
class SidePayment:
    """What would close a participant's remaining gap at the designed text.

    Attributes
    ----------
    actor : str
    kind : str
        ``"transfer"`` (a side payment per period if it signs) or ``"guarantee"`` (an extra
        cost per period of violating the ceasefire).
    share_needed : float
        Share of runs in which the margin is not positive.
    amount : float
        90th percentile, over the runs that need one, of the smallest sufficient amount.
    probability_with : float
        ``P`` with ``amount`` paid (the other side payments not paid).
    leverage : FrozenMap
        For a transfer: actor that gains from the text -> the extra leverage on ``actor``
        that pushes as hard as the transfer (90th percentile over the runs that need it).
    red_line_share : float
        Share of runs where the text crosses the actor's red line (no transfer helps).

    Examples
    --------
    >>> SidePayment("LNA", "transfer", 0.2, 0.05, 0.97, FrozenMap({"Russia": 0.3}), 0.0).kind
    'transfer'
    """

    actor: str
    kind: str
    share_needed: float
    amount: float
    probability_with: float
    leverage: FrozenMap = field(default_factory=FrozenMap)
    red_line_share: float = 0.0


# --------------------------------------------------------------------------------------
def side_payments(ens: TextEnsemble, text: np.ndarray,
                  quantile: float = _QUANTILE) -> tuple[SidePayment, ...]:
    """Transfers and guarantees that would close each participant's gap at ``text``.

    See the module notes for the formulas. One transfer per participant whose margin is
    negative in some run (after the scenario's mediators' own offer), and one guarantee per
    participant whose compliance margin is not positive in some run (only without an
    implementation phase: the guarantee is sized on the compliance game, which then decides
    whether the text holds).

    Examples
    --------
    Libya without its implementation phase (the compliance game decides whether a text
    holds):

    >>> import dataclasses, negsim
    >>> s = negsim.load_scenario("libya-2020")
    >>> s = dataclasses.replace(s, timeline=s.timeline[:-1])  # drop the phase
    >>> ens = TextEnsemble.build(s, runs=100)
    >>> x = np.clip(ens.central_draft(), *ens.box())
    >>> for issue in ("southern_tripoli", "tarhuna"):  # the LNA withdraws from both
    ...     x[ens.issue_ids.index(issue)] = 1.0
    >>> [(s.actor, s.kind, s.share_needed) for s in side_payments(ens, x)]
    [('LNA', 'guarantee', 0.01)]
    """
    ev = ens.evaluate(text)
    out: list[SidePayment] = []
    ids = ens._st.actor_ids
    pl_actors = [ids[a] for a in ens._st.players.actors]
    gains = ens.patron_gains(text)  # (R, n)
    for j, a in enumerate(ens.participants):
        m = ev.margin[:, j]
        ok = ev.feasible[:, j]
        need = np.maximum(0.0, -m)
        short = (m < 0) & ok  # a margin the mediators' own offer brought to 0 needs no more
        if short.any():
            amount = float(np.quantile(need[short], quantile))
            p_with = ens.evaluate(text, transfer={a: amount}).probability
            i = ids.index(a)
            levs = {}
            for q, pid in enumerate(ids):
                g = gains[:, q]
                if q == i or not (g > 0).any():
                    continue
                if not (ens._st.links[q, i] or pid in ens.mediators):
                    continue
                dl = np.where(g > 0, need / np.where(g > 0, g, 1.0), np.inf)[short]
                # an order statistic (no interpolation): runs where p loses from the text
                # count as needing infinite leverage
                val = float(np.quantile(dl, quantile, method="higher"))
                if np.isfinite(val):
                    levs[pid] = val
            out.append(SidePayment(a, "transfer", float((m < 0).mean()), amount, p_with,
                                   FrozenMap(levs), float((~ok).mean())))
        if a in pl_actors and ens.text_phase is None:
            c = ev.compliance_margin[:, pl_actors.index(a)]
            delta = np.nan_to_num(ens.params.discount[:, ids.index(a)], nan=0.0)
            if (c <= 0).any():
                kappa = np.maximum(0.0, -c) / np.maximum(1.0 - delta, 1e-12)
                amount = float(np.quantile(kappa[c <= 0], quantile))
                p_with = ens.evaluate(text, guarantee={a: amount}).probability
                out.append(SidePayment(a, "guarantee", float((c <= 0).mean()), amount, p_with))
    return tuple(out)


def concession_path(ens: TextEnsemble, draft: np.ndarray, designed: np.ndarray
                    ) -> pd.DataFrame:
    """Compute the greedy concession path from the draft to the designed text.

    Starts at the draft; at each step makes the remaining concession (an issue moved to its
    designed position) with the largest gain in ``P`` per unit of concession (the largest
    gain if none gains). Each row is a text on the way: ``step`` (0 is the draft, with
    ``issue`` ``"(draft)"``), the ``issue`` conceded, ``from``, ``to``,
    ``total_concession`` (sum of absolute moves so far), ``probability`` (``P`` of that
    text) and ``se`` (its Monte Carlo standard error: the standard deviation of the per-run
    probabilities over the square root of the number of runs; under common random numbers
    the differences between points are more precise than that). The points lie on or
    below the true frontier
    (the best ``P`` for a given total concession).

    Examples
    --------
    >>> import negsim
    >>> ens = TextEnsemble.build(negsim.load_scenario("libya-2020"), runs=100)
    >>> d = ens.central_draft()
    >>> path = concession_path(ens, d, np.clip(d, *ens.box()))
    >>> path["issue"].tolist()[:2], bool(path["probability"].iloc[-1] > 0.9)
    (['(draft)', 'security_agreement'], True)
    """
    x = np.array(draft, dtype=float)
    todo = [k for k in range(len(x)) if abs(designed[k] - x[k]) > MOVED]

    def se(ev: Any) -> float:
        r = ev.run_probability
        return float(r.std(ddof=1) / np.sqrt(len(r))) if len(r) > 1 else 0.0

    ev0 = ens.evaluate(x)
    rows = [{"step": 0, "issue": "(draft)", "from": np.nan, "to": np.nan, "total_concession": 0.0,
             "probability": ev0.probability, "se": se(ev0)}]
    total = 0.0
    while todo:
        p0 = rows[-1]["probability"]
        best = None
        for k in todo:
            y = x.copy()
            y[k] = designed[k]
            ev = ens.evaluate(y)
            p = ev.probability
            size = abs(designed[k] - x[k])
            key = ((p - p0) / size if p > p0 + 1e-12 else -np.inf, p)
            if best is None or key > best[0]:
                best = (key, k, p, se(ev))
        _, k, p, err = best  # type: ignore[misc]
        total += abs(designed[k] - x[k])
        rows.append({"step": len(rows), "issue": ens.issue_ids[k], "from": float(x[k]),
                     "to": float(designed[k]), "total_concession": total, "probability": p,
                     "se": err})
        x[k] = designed[k]
        todo.remove(k)
    return pd.DataFrame(rows, columns=["step", "issue", "from", "to", "total_concession",
                                       "probability", "se"])


def binding_red_lines(sc: Scenario, ens: TextEnsemble, x: np.ndarray, draft: np.ndarray,
                      p_best: float, j_best: float, penalty: float, with_mediators: bool
                      ) -> tuple[BindingRedLine, ...]:
    """Find the red lines on whose bound the text ``x`` lies, and whether each binds.

    For each red line of a participant (and of a mediator if ``with_mediators``) whose
    bound ``x`` lies on, the issue is moved past the bound (0.05, or up to the draft if
    that is closer) with that red line waived (in every run), and ``P`` and ``J``
    recomputed. A bound under ``[[uncertainty]]`` is that of the box deal design searches:
    the intersection over runs (the largest ``min``, the smallest ``max`` any run drew;
    :mod:`negsim.analysis.textredlines`).

    Parameters
    ----------
    sc : Scenario
        The scenario of ``ens``.
    ens : TextEnsemble
    x, draft : numpy.ndarray
        The text and the mediators' draft, one position per issue of ``ens.issue_ids``.
    p_best, j_best : float
        ``P`` and ``J`` at ``x``.
    penalty : float
        ``mu`` of ``J``.
    with_mediators : bool
        Check the mediators' red lines too.

    Returns
    -------
    tuple of BindingRedLine

    Examples
    --------
    >>> import negsim
    >>> sc = negsim.load_scenario("libya-2020")
    >>> ens = TextEnsemble.build(sc, runs=100)
    >>> d = ens.central_draft()
    >>> x = np.clip(d, *ens.box())
    >>> p = ens.evaluate(x).probability
    >>> j = p - 0.02 * float(np.abs(x - d).sum())
    >>> [(r.actor, r.issue, r.bound, r.binds)
    ...  for r in binding_red_lines(sc, ens, x, d, p, j, 0.02, True)][:2]
    [('LNA', 'turkish_forces', 'min', False), ('LNA', 'security_agreement', 'min', True)]
    """
    who = list(ens.participants) + (list(ens.mediators) if with_mediators else [])
    out = []
    ids = ens._st.actor_ids
    lo_r, hi_r = ens.red_line_bounds
    for aid in who:
        actor = sc.actor(aid)
        i = ids.index(aid)
        for rl in actor.red_lines:
            k = ens.issue_ids.index(rl.issue)
            for bound, value, sign in (("min", rl.min, -1.0), ("max", rl.max, 1.0)):
                if value is not None and _uncertain(lo_r[:, i, k] if bound == "min"
                                                    else hi_r[:, i, k]):
                    # each run has its own bound: the box's (the intersection over runs)
                    value = float(lo_r[:, i, k].max() if bound == "min" else hi_r[:, i, k].min())
                if value is None or abs(x[k] - value) > 1e-9:
                    continue
                target = value + sign * _STEP
                if (draft[k] - value) * sign > 0:  # the draft lies beyond: go no further
                    target = value + sign * min(_STEP, abs(draft[k] - value))
                y = x.copy()
                y[k] = float(np.clip(target, 0.0, 1.0))
                lo_w, hi_w = lo_r.copy(), hi_r.copy()  # each run's red lines, one waived
                if bound == "min":
                    lo_w[:, i, k] = 0.0
                else:
                    hi_w[:, i, k] = 1.0
                p = ens.evaluate(y, red_lines=(lo_w, hi_w)).probability
                j = p - penalty * float(np.abs(y - draft).sum())
                out.append(BindingRedLine(aid, rl.issue, bound, float(value), rl.description,
                                          float(p - p_best), float(j - j_best),
                                          bool(j > j_best + 1e-12)))
    return tuple(out)


def _uncertain(bounds: np.ndarray) -> bool:
    """Whether a red-line bound differs between runs (it is under ``[[uncertainty]]``)."""
    return bool(len(bounds)) and not bool((bounds == bounds[0]).all())
