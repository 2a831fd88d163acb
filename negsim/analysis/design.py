r"""Deal design: the text most likely to be signed by every party and to hold.

:func:`design_deal` searches the issue space for the text :math:`x` that maximises

.. math:: J(x) = P(x) - \mu \sum_k |x_k - d_k|,

where :math:`d` is the mediators' draft (their asymmetric Nash bargaining draft of the last
mediated round, at the scenario's central values), :math:`\mu` the ``penalty`` per unit of
concession, and :math:`P(x)` the probability that **every participant of that round signs
:math:`x` and** :math:`x` **holds**, as in :func:`negsim.simulate`: with an implementation
phase after the round, the text still holds at the phase's horizon when it is put in force
(the phase is played on it, run by run, by its round kind:
:mod:`negsim.analysis.textphase`); without one, compliance is self-enforcing (no deviation,
alone or joint, is profitable in the repeated compliance game). :math:`P` is estimated over an
ensemble by :class:`negsim.analysis.fixedtext.TextEnsemble`: the same runs (same sampled
parameters, same conference commitments, same uniforms) for every text, i.e. common random
numbers, with the signing draws integrated out:
:math:`P(x) = \frac1R \sum_r \prod_i \sigma(\lambda_r m_{ir}(x))\,\mathbb 1[\text{holds}_r(x)]`.

The search
----------
* **Where.** Only texts every participant can sign and the mediators can table: the box
  :math:`L \le x \le U` of all participants' and mediators' red lines. Issues where
  :math:`L_k = U_k` are fixed; an empty box is reported as an error.
* **Objective.** For the optimiser, *holds* is replaced by
  :math:`\sigma(h_r(x)/\tau)` with the hold margin :math:`h` of
  :class:`~negsim.analysis.textresults.TextEvaluation` and ``smoothing`` :math:`\tau` (default
  :math:`10^{-4}`, utility per period), so that the objective is continuous in :math:`x`;
  every reported probability uses the exact indicator. :math:`\tau` must stay small
  against margins that no text changes (in Libya a committed patron that breaks the embargo
  loses :math:`(1-\delta) \times` breach cost :math:`= 0.0025` per period), or the
  smoothing would discount every run. With an implementation phase the compliance game's
  margin does not measure whether the text holds, so the objective uses the phase's
  verdict as it is: a step function of :math:`x` on the common runs (deterministic, so the
  search is too, but flat between steps); the optimiser's moves under 0.002 are then
  undone before pruning, since they only flip single runs.
* **Optimiser.** :func:`scipy.optimize.minimize` (``method="Powell"`` by default, or
  ``"Nelder-Mead"``) with the box as bounds, started from the draft projected onto the box;
  or ``"differential_evolution"`` (global, seeded with ``seed``). Then a pruning pass
  snaps each issue within 0.002 of a bound of the box to the bound, and undoes, one at a
  time, every move whose undoing does not lower :math:`J`.

The report
----------
Concessions, binding red lines, side payments and guarantees: see
:mod:`negsim.analysis.concessions`.

Examples
--------
>>> import negsim
>>> d = design_deal(negsim.load_scenario("libya-2020"), runs=100, seed=0, maxiter=1)
>>> d.probability_draft, d.probability > 0.9
(0.0, True)
>>> [c.issue for c in d.concessions if c.mattered]
['security_agreement']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from negsim._tables import format_table, html_card, html_table, shorten
from negsim.analysis.concessions import (
    MOVED,
    BindingRedLine,
    Concession,
    SidePayment,
    binding_red_lines,
    concession_path,
    side_payments,
)
from negsim.analysis.fixedtext import TextEnsemble
from negsim.scenario import Scenario, load_scenario
from negsim.sim.results import FrozenMap

__all__ = ["DealDesign", "design_deal"]

METHODS = ("Powell", "Nelder-Mead", "differential_evolution")
"""Optimisers :func:`design_deal` accepts."""

_MATTER = 0.005
_SNAP = 2e-3


@dataclass(frozen=True, eq=False)
class DealDesign:
    """The designed text and what it takes, with how it was computed.

    Attributes
    ----------
    scenario_id, scenario_fingerprint, round : str
    participants, issue_ids : tuple of str
    draft, text : FrozenMap
        The mediators' draft (central values) and the designed text, issue -> position.
    probability_draft, probability : float
        ``P`` (every participant signs and the text holds) of the draft tabled as final,
        and of the designed text, on the same runs.
    holds_draft, holds : float
        Share of runs in which the draft, or the designed text, holds once in force: with
        an implementation phase, still holds at its horizon (as in :func:`negsim.simulate`);
        without one, the compliance game's verdict.
    probability_simulated : float
        Share of ``signed_and_holds`` in the full simulated protocol (the mediators' own
        per-run drafts, time and amendment), on the same runs, for reference.
    probability_holdout_draft, probability_holdout : float
        ``P`` of the draft and of the designed text on as many *other* runs (run indices
        ``runs .. 2 runs - 1``): the designed text was chosen on the first runs, so this
        checks that it is not fitted to their noise.
    probability_tabled_draft, probability_tabled : float
        The same share when the draft, or the designed text, is tabled as the first draft
        of the full round protocol (participants may ask for time and the mediators amend;
        :meth:`negsim.analysis.fixedtext.TextEnsemble.table`).
    concessions : tuple of Concession
        Moved issues, largest marginal effect first.
    red_lines : tuple of BindingRedLine
        Red lines on whose bound the designed text lies.
    side_payments : tuple of SidePayment
    probability_all_paid : float
        ``P`` with every side payment and guarantee of :attr:`side_payments` paid together
        (equal to :attr:`probability` when there are none).
    frontier : pandas.DataFrame
        The concession path from the draft to the designed text (see
        :func:`concession_path`): ``step, issue, from, to, total_concession, probability,
        se``.
    objective : float
        ``J`` at the designed text.
    method : str
    parameters : FrozenMap
        ``runs, seed, penalty, smoothing, optimiser, maxiter, evaluations, box``.
    phase : str
        The implementation entry that decides whether a text holds ("" without one).
    holds_at_draft, holds_at : FrozenMap
        Month -> share of runs in which the draft, or the designed text, once in force,
        still holds after that many months (1, 3, 6, 12 and the horizon, within the
        horizon; empty without an implementation phase).
    breaks : tuple of (str, float)
        Why the designed text breaks once in force: who broke it and why, in words, with
        the share of runs, most frequent first (at most five; empty without a phase).

    Examples
    --------
    >>> d = design_deal("libya-2020", runs=100, maxiter=1)
    >>> d.parameters["runs"], d.parameters["optimiser"], d.round
    (100, 'Powell', 'moscow')
    >>> d.to_frame()["issue"].tolist(), round(d.total_concession, 4)
    (['security_agreement'], 0.0027)
    >>> d.to_dict()["probability"] == d.probability
    True
    >>> print(d.table().splitlines()[4])
    P(every party signs and the deal holds), each text final as it stands  0.000  1.000
    """

    scenario_id: str
    scenario_fingerprint: str
    round: str
    participants: tuple[str, ...]
    issue_ids: tuple[str, ...]
    draft: FrozenMap
    text: FrozenMap
    probability_draft: float
    probability: float
    holds_draft: float
    holds: float
    probability_simulated: float
    probability_holdout_draft: float
    probability_holdout: float
    probability_tabled_draft: float
    probability_tabled: float
    concessions: tuple[Concession, ...]
    red_lines: tuple[BindingRedLine, ...]
    side_payments: tuple[SidePayment, ...]
    probability_all_paid: float
    frontier: pd.DataFrame = field(repr=False)
    objective: float
    method: str
    parameters: FrozenMap
    phase: str = ""
    holds_at_draft: FrozenMap = field(default_factory=FrozenMap)
    holds_at: FrozenMap = field(default_factory=FrozenMap)
    breaks: tuple[tuple[str, float], ...] = ()

    @property
    def total_concession(self) -> float:
        """``sum_k |text_k - draft_k|`` (see the class example)."""
        return float(sum(abs(self.text[k] - self.draft[k]) for k in self.issue_ids))

    def to_frame(self) -> pd.DataFrame:
        """Return the concessions as a DataFrame.

        Columns: issue, name, draft, designed, marginal_effect, mattered, size.
        """
        rows = [{**c.__dict__, "size": c.size} for c in self.concessions]
        return pd.DataFrame(rows, columns=["issue", "name", "draft", "designed",
                                           "marginal_effect", "mattered", "size"])

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of everything in the design."""
        return {
            "scenario": {"id": self.scenario_id, "fingerprint": self.scenario_fingerprint},
            "round": self.round,
            "participants": list(self.participants),
            "draft": dict(self.draft),
            "text": dict(self.text),
            "probability_draft": self.probability_draft,
            "probability": self.probability,
            "holds_draft": self.holds_draft,
            "holds": self.holds,
            "probability_simulated": self.probability_simulated,
            "probability_holdout_draft": self.probability_holdout_draft,
            "probability_holdout": self.probability_holdout,
            "probability_tabled_draft": self.probability_tabled_draft,
            "probability_tabled": self.probability_tabled,
            "objective": self.objective,
            "total_concession": self.total_concession,
            "concessions": [{**c.__dict__} for c in self.concessions],
            "red_lines": [{**r.__dict__} for r in self.red_lines],
            "side_payments": [{**s.__dict__, "leverage": dict(s.leverage)}
                              for s in self.side_payments],
            "probability_all_paid": self.probability_all_paid,
            "phase": self.phase or None,
            "holds_at_draft": {str(m): v for m, v in self.holds_at_draft.items()},
            "holds_at": {str(m): v for m, v in self.holds_at.items()},
            "breaks": [{"reason": r, "share": v} for r, v in self.breaks],
            "frontier": self.frontier.to_dict(orient="records"),
            "method": self.method,
            "parameters": {k: (dict(v) if isinstance(v, FrozenMap) else v)
                           for k, v in self.parameters.items()},
        }

    def table(self) -> str:
        """Return a readable plain-text report (what ``negsim design`` prints)."""
        prm = self.parameters
        n = f"{prm['runs']:,}"
        probabilities = [
            ["P(every party signs and the deal holds), each text final as it stands",
             self.probability_draft, self.probability],
            [f"P(every party signs and the deal holds), on {n} other runs",
             self.probability_holdout_draft,
             self.probability_holdout],
            *self._holds_rows(),
            ["P(signed and holds), tabled as a first draft (time, amendments)",
             self.probability_tabled_draft, self.probability_tabled],
            ["P(signed and holds), full simulated protocol (each run's own draft)",
             self.probability_simulated, None],
        ]
        rows = [[label, f"{a:.3f}", "" if b is None else f"{b:.3f}"]
                for label, a, b in probabilities]
        lines = [
            f"Deal design for {self.scenario_id}, round {self.round}: {n} runs, "
            f"seed {prm['seed']} (common random numbers), {prm['optimiser']}, penalty "
            f"{prm['penalty']:g} per unit of concession",
            "",
            format_table(["probability", "draft", "designed text"], rows),
            "",
            "Concessions (issue: from the draft -> to the designed text)",
        ]
        rows = [[c.issue, round(c.draft, 3), round(c.designed, 3),
                 f"{c.marginal_effect:+.3f}", "yes" if c.mattered else "no"]
                for c in self.concessions]
        lines.append(format_table(["issue", "from", "to", "marginal effect on P", "mattered"],
                                  rows))
        lines += ["", "Red lines at the designed text"]
        rows = [[r.actor, r.issue, f"{r.bound} {r.value:g}", f"{r.probability_change:+.3f}",
                 "binds" if r.binds else "active", r.description] for r in self.red_lines]
        lines.append(format_table(["actor", "issue", "bound", "dP if waived", "", "red line"],
                                  rows, max_widths=[None, None, None, None, None, 56]))
        lines += ["", "Side payments and guarantees closing the remaining gap "
                      "(enough in 90% of the runs needing it)"]
        rows = []
        for s in self.side_payments:
            lev = ", ".join(f"{a} +{v:.2f}" for a, v in s.leverage.items()) or None
            rows.append([s.actor, s.kind, f"{s.share_needed:.1%}", round(s.amount, 4),
                         round(s.probability_with, 3), lev])
        lines.append(format_table(["actor", "kind", "runs needing it", "amount per period",
                                   "P if paid", "or extra leverage"], rows))
        if len(rows) > 1:
            lines.append(f"P with all of them paid together: {self.probability_all_paid:.3f}")
        if not rows and self.probability < 1.0 and self.phase:
            lines.append("Every participant's signing margin is positive in every run: what "
                         "remains is the logit noise of their choices and the runs in which "
                         "the implementation phase breaks the text (below).")
        elif not rows and self.probability < 1.0:
            lines.append("Every participant's signing and compliance margins are positive in "
                         "every run: what remains is the logit noise of their choices.")
        if self.phase:
            horizon = max(self.holds_at) if self.holds_at else 0
            lines += ["", f"Why the designed text breaks once in force (implementation phase "
                          f"{self.phase!r}, {horizon} months; share of runs)"]
            lines.append(format_table(["who breaks it, and why", "runs"],
                                      [[r, f"{v:.1%}"] for r, v in self.breaks],
                                      max_widths=[80, None]))
        lines += ["", "The designed text"]
        rows = [[k, round(self.draft[k], 3), round(self.text[k], 3)] for k in self.issue_ids]
        lines.append(format_table(["issue", "draft", "designed"], rows))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    def _holds_rows(self) -> list[list[Any]]:
        """Return the rows of :meth:`table` on whether each text holds once in force."""
        if not self.phase:
            return [["P(the text holds), compliance game, signed or not", self.holds_draft,
                     self.holds]]
        months = list(self.holds_at)
        rows = [[f"P(the text holds {months[-1]} months once in force), implementation phase",
                 self.holds_draft, self.holds]]
        rows += [[f"P(it still holds after {m} month{'s' if m > 1 else ''} once in force)",
                  self.holds_at_draft[m], self.holds_at[m]] for m in months[:-1]]
        return rows

    def _repr_html_(self) -> str:
        prm = self.parameters
        fields = [("scenario", self.scenario_id), ("round", self.round),
                  ("runs", f"{prm['runs']:,}"), ("seed", prm["seed"]),
                  ("P(signs and holds), draft", f"{self.probability_draft:.3f}"),
                  ("P(signs and holds), designed text", f"{self.probability:.3f}"),
                  ("on other runs (draft, designed)",
                   f"{self.probability_holdout_draft:.3f}, {self.probability_holdout:.3f}"),
                  *([(f"holds once in force, to month {max(self.holds_at)} (draft, designed)",
                      f"{self.holds_draft:.3f}, {self.holds:.3f}")] if self.holds_at else []),
                  ("total concession", f"{self.total_concession:.3f}")]
        concessions = html_table(
            ["issue", "from", "to", "marginal effect on P"],
            [[c.issue, round(c.draft, 3), round(c.designed, 3), f"{c.marginal_effect:+.3f}"]
             for c in self.concessions], caption="Concessions")
        red = html_table(["actor", "issue", "bound", "red line"],
                         [[r.actor, r.issue, f"{r.bound} {r.value:g}", shorten(r.description, 90)]
                          for r in self.red_lines], caption="Red lines at the designed text")
        return html_card("Deal design", fields, concessions, red)

    def __repr__(self) -> str:
        return (f"DealDesign(scenario_id={self.scenario_id!r}, probability_draft="
                f"{self.probability_draft:.4f}, probability={self.probability:.4f}, "
                f"concessions={len(self.concessions)})")


# --------------------------------------------------------------------------------------
def design_deal(
    scenario: Scenario | str,
    runs: int = 1000,
    seed: int = 0,
    *,
    penalty: float = 0.02,
    smoothing: float = 1e-4,
    method: str = "Powell",
    maxiter: int | None = None,
    mediators_red_lines: bool = True,
    processes: int | None = None,
) -> DealDesign:
    """Search for the text most likely to be signed by every party and to hold.

    Parameters
    ----------
    scenario : Scenario, str or path
        Needs a mediated round (its participants sign; its mediators draft).
    runs : int
        Ensemble size (the same runs for every text evaluated).
    seed : int
        Root seed (also seeds ``differential_evolution``).
    penalty : float
        ``mu``: probability given up per unit of total concession from the draft.
    smoothing : float
        ``tau`` of the smoothed *holds* in the optimiser's objective (0: exact indicator).
    method : {"Powell", "Nelder-Mead", "differential_evolution"}
    maxiter : int, optional
        Passed to the optimiser (for ``differential_evolution``, generations; default 20,
        which is about 20 x 15 x the number of free issues evaluations: slow on Libya).
    mediators_red_lines : bool
        Keep the text within the mediators' red lines too (default).
    processes : int, optional
        Worker processes for the full simulated protocol (``probability_simulated``); the
        search itself runs in this process. Does not change the result.

    Returns
    -------
    DealDesign

    Raises
    ------
    ValueError
        For bad arguments, a timeline without mediated round, or red lines leaving no text
        every participant can sign.

    Examples
    --------
    >>> import negsim
    >>> d = design_deal(negsim.load_scenario("libya-2020"), runs=100, maxiter=1)
    >>> d.draft["security_agreement"] < 0.5 <= d.text["security_agreement"]
    True
    >>> d.text["ceasefire"] == d.draft["ceasefire"]  # no concession needed there
    True
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if not (np.isfinite(penalty) and penalty >= 0):
        raise ValueError(f"penalty must be a non-negative number, got {penalty!r}")
    if not (np.isfinite(smoothing) and smoothing >= 0):
        raise ValueError(f"smoothing must be a non-negative number, got {smoothing!r}")
    sc = load_scenario(scenario) if not isinstance(scenario, Scenario) else scenario
    ens = TextEnsemble.build(sc, runs=runs, seed=seed)
    draft = ens.central_draft()
    lo, hi = ens.box(mediators=mediators_red_lines)
    if np.any(lo > hi + 1e-12):
        bad = [ens.issue_ids[k] for k in np.flatnonzero(lo > hi + 1e-12)]
        every = (" in every run (red lines under [[uncertainty]]: the box is their "
                 "intersection over the runs)") if np.isnan(ens.params.lo).any() else ""
        raise ValueError(f"{sc.id}: the red lines leave no text every participant can sign"
                         f"{every} (issues: {', '.join(bad)})")
    free = np.flatnonzero(hi - lo > 1e-12)
    start = np.clip(draft, lo, hi)
    n_eval = 0

    def text_of(z: np.ndarray) -> np.ndarray:
        x = start.copy()
        x[free] = np.clip(z, lo[free], hi[free])
        return x

    def objective(x: np.ndarray, smooth: bool) -> float:
        nonlocal n_eval
        n_eval += 1
        ev = ens.evaluate(x)
        p = ev.smoothed_probability(smoothing) if smooth else ev.probability
        return p - penalty * float(np.abs(x - draft).sum())

    info: dict[str, Any] = {}
    if len(free):
        def f(z: np.ndarray) -> float:
            return -objective(text_of(z), smooth=True)

        bounds = list(zip(lo[free], hi[free], strict=True))
        if method == "differential_evolution":
            res = optimize.differential_evolution(
                f, bounds, seed=seed, maxiter=maxiter or 20, polish=False, x0=start[free],
                tol=1e-6)
        else:
            opts: dict[str, Any] = {"xtol": 1e-4, "ftol": 1e-7}
            if method == "Nelder-Mead":
                opts = {"xatol": 1e-4, "fatol": 1e-7,
                        "initial_simplex": _simplex(start[free], lo[free], hi[free])}
            if maxiter is not None:
                opts["maxiter"] = maxiter
            res = optimize.minimize(f, start[free], method=method, bounds=bounds,
                                    options=opts)
        x = text_of(res.x)
        if -res.fun < objective(start, smooth=True):
            x = start.copy()
        info = {"success": bool(res.success), "message": str(res.message)}
    else:
        x = start.copy()
    if ens.text_phase is not None:
        # The phase's verdict is a step function of the text: the optimiser can flip single
        # runs with moves no mediator would write. Undo every move under 0.002.
        tiny = (np.abs(x - start) < _SNAP) & (x != start)
        x[tiny] = start[tiny]
    x = _prune(x, draft, lo, hi, lambda y: objective(y, smooth=False))
    ev_best, ev_draft = ens.evaluate(x), ens.evaluate(draft)
    phase = {}
    if ev_best.phase is not None and ev_draft.phase is not None:
        phase = {"phase": ev_best.phase.entry,
                 "holds_at_draft": FrozenMap(ev_draft.phase.probability_at()),
                 "holds_at": FrozenMap(ev_best.phase.probability_at()),
                 "breaks": ev_best.phase.breakers("reason")[:5]}
    p_best, p_draft = ev_best.probability, ev_draft.probability
    j_best = p_best - penalty * float(np.abs(x - draft).sum())

    names = {i.id: i.name for i in sc.issues}
    concessions = []
    for k in np.flatnonzero(np.abs(x - draft) > MOVED):
        y = x.copy()
        y[k] = draft[k]
        eff = p_best - ens.evaluate(y).probability
        concessions.append(Concession(ens.issue_ids[k], names[ens.issue_ids[k]],
                                      float(draft[k]), float(x[k]), float(eff),
                                      bool(eff >= _MATTER)))
    concessions.sort(key=lambda c: (-c.marginal_effect, c.issue))

    red = binding_red_lines(sc, ens, x, draft, p_best, j_best, penalty, mediators_red_lines)
    pays = side_payments(ens, x)
    p_all = ens.evaluate(
        x, transfer={s.actor: s.amount for s in pays if s.kind == "transfer"},
        guarantee={s.actor: s.amount for s in pays if s.kind == "guarantee"},
    ).probability
    frontier = concession_path(ens, draft, x)
    from negsim.ensemble.simulation import simulate

    sim = simulate(sc.without_observed(), runs=len(ens.run_index), seed=seed,
                   processes=processes).runs
    p_sim = float((sim["outcome"] == "signed_and_holds").mean())
    holdout = TextEnsemble.build(sc, runs=runs, seed=seed, first_run=runs)
    p_hold_draft = holdout.evaluate(draft).probability
    p_hold = holdout.evaluate(x).probability
    p_tab_draft = ens.table(draft).probability
    p_tab = ens.table(x).probability
    params = FrozenMap({
        "runs": int(runs), "seed": int(seed), "penalty": float(penalty),
        "smoothing": float(smoothing), "optimiser": method, "maxiter": maxiter,
        "evaluations": n_eval, "mediators_red_lines": mediators_red_lines,
        "box": FrozenMap({k: [float(lo[i]), float(hi[i])]
                          for i, k in enumerate(ens.issue_ids)}),
        **info,
    })
    return DealDesign(
        scenario_id=sc.id, scenario_fingerprint=sc.fingerprint(), round=ens.round,
        participants=ens.participants, issue_ids=ens.issue_ids,
        draft=FrozenMap(dict(zip(ens.issue_ids, draft.tolist(), strict=True))),
        text=FrozenMap(dict(zip(ens.issue_ids, x.tolist(), strict=True))),
        probability_draft=p_draft, probability=p_best, probability_simulated=p_sim,
        holds_draft=float(ev_draft.holds.mean()), holds=float(ev_best.holds.mean()),
        probability_holdout_draft=p_hold_draft, probability_holdout=p_hold,
        probability_tabled_draft=p_tab_draft, probability_tabled=p_tab,
        concessions=tuple(concessions), red_lines=red, side_payments=pays,
        probability_all_paid=p_all,
        frontier=frontier, objective=j_best,
        method=("maximise P(all sign and holds) - penalty * L1 distance to the mediators' "
                "draft over the red-line box; common random numbers; signing draws "
                "integrated out" + ("; holds: the implementation phase played on each text"
                                    if phase else "")),
        parameters=params, **phase,
    )


def _simplex(x0: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Return an initial Nelder-Mead simplex of steps 0.1 inside the box."""
    pts = [x0]
    for k in range(len(x0)):
        y = x0.copy()
        step = 0.1 if x0[k] + 0.1 <= hi[k] else -0.1
        y[k] = np.clip(x0[k] + step, lo[k], hi[k])
        pts.append(y)
    return np.array(pts)


def _prune(x: np.ndarray, draft: np.ndarray, lo: np.ndarray, hi: np.ndarray, j: Any
           ) -> np.ndarray:
    """Snap to nearby bounds and undo moves that do not pay for themselves.

    Moves are undone back to the draft projected on the box, whenever that does not lower
    the objective ``j``.
    """
    x = x.copy()
    base = np.clip(draft, lo, hi)
    best = j(x)
    # The optimiser stops within its tolerance of a bound: snap to the bound if no worse.
    for k in range(len(x)):
        for edge in (lo[k], hi[k]):
            if 0 < abs(x[k] - edge) <= _SNAP:
                y = x.copy()
                y[k] = edge
                val = j(y)
                if val >= best - 1e-12:
                    x, best = y, val
    changed = True
    while changed:
        changed = False
        for k in np.flatnonzero(np.abs(x - base) > MOVED):
            y = x.copy()
            y[k] = base[k]
            val = j(y)
            if val >= best - 1e-12:
                x, best, changed = y, val, True
    return x
