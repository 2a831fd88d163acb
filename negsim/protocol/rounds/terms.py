r"""Deals with a term: renewal rounds, the end of the last term, suspensions.

An ``implementation`` entry may give its deal a ``term`` (months a term lasts), a number of
``renewals`` (absent: renewable up to the horizon) and ``suspension = true`` (its parties
may suspend their participation for a month instead of leaving for good). Without these
keys the phase is played exactly as before, draw for draw. The formulas and their reasons
are in ``docs/explanation/model.md`` (*Deals with a term*):

* **Renewal rounds.** At the end of month :math:`kT` (the term :math:`T`, :math:`k = 1, 2,
  \dots`), if the deal is still in force, no participant broke it that month, a renewal
  is still possible and :math:`kT` is before the horizon, every participant decides to
  renew it or not, by a logit choice on its value of not renewing,
  :math:`(o_i(t) - \text{pen}_i - U_i(x)) / (1 - \delta_i)`: its outside value now
  :math:`o_i(t)` (a party's drifting value of staying out :math:`v_i(t)`; a side at war its
  value of fighting on at the current capabilities and its own estimate of its chances, with
  no first-strike bonus: a lapse is announced), its patrons' pressure, against the text in
  force. A refusal ends the deal that month: it broke, by that participant (the first in
  the phase's order), for a reason in the scenario's words. Renewal draws are one uniform
  per actor and renewal round, appended after the phase's other draws (only when a term is
  set).
* **The end of the last term.** With ``renewals = k``, the deal ends at month
  :math:`(k + 1) T` if it is still in force: it ran its full terms. That is not a
  breakdown: the run still ``holds``, with ``I.expired`` True; the months after are played
  as after a breakdown (deliveries and capabilities go on) and nobody can break it any more.
* **Suspension.** With ``suspension = true``, a party chooses each month among keeping the
  deal (0), suspending its participation for the month,
  :math:`S_i = v_i(t) - U_i(x)`, and leaving for good, the exit value
  :math:`E_i = (v_i(t) - \text{pen}_i - U_i(x)) / (1 - \delta_i)`, by a logit choice among
  the three on its usual uniform (no new draw). A suspension is not a breach (the deal stands
  and the party returns), so the patrons' pressure does not apply to it: a party that gains
  from being out this month (:math:`S_i > 0`) but for which that pressure deters leaving
  for good (:math:`S_i < \text{pen}_i / \delta_i`) suspends. A suspension is not a
  breakdown: the deal still holds and the survival curve does not move.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from negsim._frozen import FrozenMap
from negsim.protocol.aftermath import exit_values, perceived_war_values, takes_it
from negsim.protocol.rounds.reasons import LAPSE, LAPSE_CHANCE, LAPSE_WAR, QUIT, QUIT_CHANCE
from negsim.scenario.kinds import EntryCheck

__all__ = ["Term", "TermPlay", "TermRecord", "check_terms", "renewal_values",
           "suspension_choices"]


def check_terms(check: EntryCheck) -> None:
    """Check an implementation entry's ``term``, ``renewals`` and ``suspension``.

    ``term`` is a whole number of months from 1 to the horizon; ``renewals`` a whole number
    from 0, with a term; ``suspension`` true or false, and only where a participant is a
    party (not at war).

    Examples
    --------
    >>> problems = []
    >>> check = EntryCheck("timeline[2]", {"horizon": 24, "term": 120}, {}, {},
    ...                    lambda p, m: problems.append(f"{p}: {m}"), lambda p, k: p + "." + k)
    >>> check_terms(check)
    >>> print(problems[0])
    timeline[2].term: term 120 is longer than the horizon (24 months): a term is in months
    (120 days are about 4 months); a deal whose term outlasts the phase is open-ended within
    it: omit term
    """
    tbl = check.table
    horizon = tbl.get("horizon")
    horizon = horizon if isinstance(horizon, int) and not isinstance(horizon, bool) else None
    if "term" in tbl:
        x = tbl["term"]
        if isinstance(x, bool) or not isinstance(x, int) or x < 1:
            check.fail(check.field("term"), "must be a whole number of months from 1 to the "
                       f"horizon (the months a term of the deal lasts), got {x!r}")
        elif horizon is not None and x > horizon:
            k = round(x / 30.4)
            days = (f" ({x} days are about {k} month{'s' if k != 1 else ''})" if x >= 28
                    else "")
            check.fail(check.field("term"), f"term {x} is longer than the horizon ({horizon} "
                       f"months): a term is in months{days}; a deal whose term outlasts the "
                       "phase is open-ended within it: omit term")
    if "renewals" in tbl:
        x = tbl["renewals"]
        if isinstance(x, bool) or not isinstance(x, int) or x < 0:
            check.fail(check.field("renewals"), "must be a whole number from 0 (how many "
                       f"times the deal can be renewed; 0: it ends at its term), got {x!r}")
        elif "term" not in tbl:
            check.fail(check.field("renewals"), "renewals without a term: give the months a "
                       "term lasts (term = ...), or omit renewals for an open-ended deal")
    if "suspension" in tbl:
        x = tbl["suspension"]
        if not isinstance(x, bool):
            check.fail(check.field("suspension"), f"must be true or false, got {x!r}")
        elif x and not any(_is_party(check.actors.get(a))
                           for a in check.lists.get("participants", ())):
            check.fail(check.field("suspension"), "a suspension is a party's choice (a "
                       "participant not at war, e.g. with a no_deal outside option); none of "
                       "the participants of this implementation is one")


def _is_party(actor: Any) -> bool:
    from negsim.scenario.outside import outside_option_kind, outside_option_kinds

    oo = getattr(actor, "outside_option", None)
    return (oo is not None and oo.kind in outside_option_kinds()
            and not outside_option_kind(oo.kind).at_war)


@dataclass(frozen=True)
class Term:
    """An implementation entry's term, renewals and suspension, on its horizon.

    Examples
    --------
    >>> t = Term(term=4, renewals=None, suspension=False, horizon=12)
    >>> t.dates, t.end, t.draws(5)  # renewal rounds at months 4 and 8; 12 is the horizon
    ((4, 8), None, 10)
    >>> Term(term=4, renewals=1, suspension=False, horizon=12).end
    8
    >>> from types import SimpleNamespace
    >>> Term.of(SimpleNamespace(term=None, suspension=False, horizon=12)) is None
    True
    """

    term: int | None
    renewals: int | None
    suspension: bool
    horizon: int

    @classmethod
    def of(cls, entry: Any) -> Term | None:
        """Return the entry's term, or None if it has neither a term nor suspension."""
        term = getattr(entry, "term", None)
        suspension = bool(getattr(entry, "suspension", False))
        if term is None and not suspension:
            return None
        return cls(term, getattr(entry, "renewals", None), suspension, int(entry.horizon))

    @property
    def dates(self) -> tuple[int, ...]:
        """The months at whose end a renewal round is held (before the horizon)."""
        if self.term is None:
            return ()
        last = self.horizon - 1 if self.renewals is None else min(
            self.horizon - 1, self.renewals * self.term)
        return tuple(range(self.term, last + 1, self.term))

    @property
    def end(self) -> int | None:
        """The month the last term ends (within the horizon), or None."""
        if self.term is None or self.renewals is None:
            return None
        month = (self.renewals + 1) * self.term
        return month if month <= self.horizon else None

    def draws(self, n: int) -> int:
        """Uniforms a run draws for the renewal rounds: one per actor and round."""
        return n * len(self.dates)


def renewal_values(phase: Any) -> tuple[np.ndarray, np.ndarray]:
    """Each participant's value of not renewing, in the phase's order, and its reason code.

    See the module docstring; ``phase`` is a :class:`~negsim.protocol.rounds.phase.Phase`.

    Examples
    --------
    >>> from negsim.protocol.rounds.phase import _example_phase
    >>> value, code = renewal_values(_example_phase())
    >>> value.shape, code.shape  # Libya's two sides
    ((1, 2), (1, 2))
    """
    ph = phase
    parts = []
    if len(ph.sides):
        error = ph.error * ph.fade[:, None]
        war = perceived_war_values(ph.contest, ph.capability, error,
                                   np.zeros_like(ph.capability), ph.sides)
        parts.append(exit_values(war, ph.pressure, ph.peace, ph.discount, ph.sides))
    if len(ph.parties):
        parts.append(exit_values(ph.quit_value, ph.pressure, ph.peace, ph.discount, ph.parties))
    value = np.concatenate(parts, axis=1)
    at_war = np.arange(value.shape[1]) < len(ph.sides)
    code = np.where(value > 0, np.where(at_war, LAPSE_WAR, LAPSE), LAPSE_CHANCE)
    return value, code


def suspension_choices(leave: np.ndarray, suspend: np.ndarray, rationality: np.ndarray,
                       u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return a logit choice among leaving (``leave``), suspending (``suspend``) and keeping (0).

    One uniform per choice: leave if ``u`` is below the probability of leaving, suspend if
    below that plus the probability of suspending. Values that are not finite count as
    never chosen.

    Examples
    --------
    >>> out, sus = suspension_choices(np.array([[2.0, -1.0]]), np.array([[0.2, 0.3]]),
    ...                               np.array([[5.0]]), np.array([[0.5, 0.5]]))
    >>> out.tolist(), sus.tolist()
    ([[True, False]], [[False, True]])
    """
    def scaled(v: np.ndarray) -> np.ndarray:
        ok = np.isfinite(v)
        return np.where(ok, rationality * np.where(ok, v, 0.0), -np.inf)

    a, b = scaled(leave), scaled(suspend)
    top = np.maximum(np.maximum(a, b), 0.0)
    pa, pb, pc = np.exp(a - top), np.exp(b - top), np.exp(-top)
    total = pa + pb + pc
    out = u < pa / total
    return out, ~out & (u < (pa + pb) / total)


@dataclass
class TermPlay:
    """A batch's renewals, end of term and suspensions, month by month (both implementations).

    Examples
    --------
    >>> from negsim.protocol.rounds.phase import _example_phase
    >>> ph = _example_phase()
    >>> play = TermPlay(Term(1, 0, False, 2), runs=1)
    >>> hit, code = play.month(1, ph, np.zeros((1, 2), bool), np.zeros((1, 2), int),
    ...                        np.full((1, 6), 0.5), None, np.array([True]))
    >>> bool(play.expired[0]), play.columns("after", ph, ("GNA", "LNA"))["after.expired"]
    (True, array([ True]))
    """

    term: Term
    runs: int
    renewed: np.ndarray = field(init=False)
    lapsed: np.ndarray = field(init=False)
    expired: np.ndarray = field(init=False)
    suspended: list[np.ndarray] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.renewed = np.zeros(self.runs, dtype=int)
        self.lapsed = np.zeros(self.runs, dtype=bool)
        self.expired = np.zeros(self.runs, dtype=bool)

    def renewal_uniforms(self, u: np.ndarray, n: int, t: int, base: int) -> np.ndarray | None:
        """Return this month's renewal uniforms of ``u`` (the entry's, ``(R, draws)``), if any."""
        if t not in self.term.dates:
            return None
        k = self.term.dates.index(t)
        return u[:, base + n * k: base + n * (k + 1)]

    def month(self, t: int, phase: Any, hit: np.ndarray, code: np.ndarray,
              u_choice: np.ndarray, u_renew: np.ndarray | None, live: np.ndarray) -> (
        tuple[np.ndarray, np.ndarray]
    ):
        """Apply suspensions, the renewal round and the end of the term to month ``t``.

        ``hit``/``code`` are the participants' choices to break the deal this month (in the
        phase's order), ``u_choice`` the month's choice uniforms (one per actor), ``u_renew``
        the renewal round's (or None), ``live`` the runs whose deal had not broken before.
        Returns the choices with the refusals to renew added, none where the deal ended.
        """
        in_force = live & ~self.expired
        ns, m = len(phase.sides), len(phase.sides) + len(phase.parties)
        if self.term.suspension and len(phase.parties):
            leave = exit_values(phase.quit_value, phase.pressure, phase.peace, phase.discount,
                                phase.parties)
            stay_out = phase.quit_value - phase.peace[:, phase.parties]
            out, sus = suspension_choices(leave, stay_out, phase.rationality[:, None],
                                          u_choice[:, phase.parties])
            hit, code = hit.copy(), code.copy()
            hit[:, ns:m] = out
            code[:, ns:m] = np.where(leave > 0, QUIT, QUIT_CHANCE)
            self.suspended.append(sus & in_force[:, None])
        hit = hit & ~self.expired[:, None]
        if u_renew is not None:
            value, why = renewal_values(phase)
            refuse = np.zeros(hit.shape, dtype=bool)  # the participants' columns come first
            refuse[:, :m] = takes_it(value, phase.rationality[:, None],
                                     u_renew[:, phase.order[:m]])
            why = np.pad(why, ((0, 0), (0, hit.shape[1] - m)))
            quiet = in_force & ~hit.any(axis=1)
            refuse &= quiet[:, None]
            hit, code = hit | refuse, np.where(refuse, why, code)
            self.lapsed |= refuse.any(axis=1)
            self.renewed += quiet & ~refuse.any(axis=1)
        if t == self.term.end:
            self.expired |= in_force & ~hit.any(axis=1)
        return hit, code

    def columns(self, rid: str, phase: Any, ids: tuple[str, ...]) -> dict[str, Any]:
        """Return the columns of the runs table (``ids``: the actor ids; module docstring)."""
        cols: dict[str, Any] = {}
        if self.term.term is not None:
            cols[f"{rid}.renewed"] = self.renewed
            cols[f"{rid}.lapsed"] = self.lapsed
            cols[f"{rid}.expired"] = self.expired
        if self.term.suspension:
            total = np.zeros(self.runs, dtype=int)
            for t, sus in enumerate(self.suspended, start=1):
                for j, a in enumerate(phase.parties):
                    cols[f"{rid}.m{t}.{ids[a]}.suspended"] = sus[:, j]
                total = total + sus.sum(axis=1)
            cols[f"{rid}.suspended"] = total
        return cols

    def record(self, rid: str, phase: Any, ids: tuple[str, ...]) -> TermRecord:
        """Return what happened in run 0 (the Mesa model's run) as a :class:`TermRecord`."""
        cols = {k: v[0].item() for k, v in self.columns(rid, phase, ids).items()}
        months = {ids[a]: tuple(t for t, sus in enumerate(self.suspended, start=1)
                                if sus[0, j]) for j, a in enumerate(phase.parties)}
        return TermRecord(self.term, int(self.renewed[0]), bool(self.lapsed[0]),
                          bool(self.expired[0]), FrozenMap(cols),
                          FrozenMap({a: m for a, m in months.items() if m}))


@dataclass(frozen=True)
class TermRecord:
    """A run's renewals, end of term and suspensions (part of its implementation result).

    Examples
    --------
    >>> r = TermRecord(Term(4, None, True, 12), 2, False, False,
    ...                FrozenMap({"a.renewed": 2}), FrozenMap({"RUS": (3, 4)}))
    >>> for line in r.story("the grain deal"): print(line)
      the grain deal was renewed 2 times (terms of 4 months).
      RUS suspended its participation in 2 months (3, 4).
    """

    term: Term
    renewed: int
    lapsed: bool
    expired: bool
    columns: FrozenMap
    suspended: FrozenMap

    def story(self, deal: str) -> list[str]:
        """Lines about the terms and suspensions for a run's story."""
        lines = []
        if self.term.term is not None:
            times = f"{self.renewed} time{'s' if self.renewed != 1 else ''}"
            ended = (f"; it ended with its last term in month {self.term.end}"
                     if self.expired else "")
            lines.append(f"  {deal} was renewed {times} (terms of {self.term.term} "
                         f"month{'s' if self.term.term != 1 else ''}){ended}.")
        for a, months in self.suspended.items():
            n = len(months)
            lines.append(f"  {a} suspended its participation in {n} month{'s' if n != 1 else ''}"
                         f" ({', '.join(map(str, months))}).")
        return lines

