"""The arrays of an implementation phase and the month's moves that change them.

:class:`Phase` holds a batch of runs' state in the months after the talks (capabilities,
values of peace and of breaking, detection) and plays one month's deliveries, arming,
shocks and choices with that month's uniforms; the ``implementation`` kind
(:mod:`negsim.protocol.rounds.implementation`) drives it month by month, in the batch
engine and in the Mesa model alike. The formulas are those of
:mod:`negsim.protocol.aftermath`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.special import ndtri

from negsim.protocol.aftermath import (
    Contest,
    break_values,
    delivery_gains,
    estimate_errors,
    exit_values,
    patrons_of,
    takes_it,
)
from negsim.protocol.rounds.factions import Spoilers
from negsim.protocol.rounds.reasons import (
    CHANCE,
    DECLINE,
    OPTIMISM,
    QUIT,
    QUIT_CHANCE,
    STRIKE,
    STRUCK,
    WORSE,
)
from negsim.protocol.structure import (
    Structure,
    alone_values,
    compliance_inputs,
    monitoring_share,
    outside_values,
)
from negsim.protocol.utility import text_utility

__all__ = ["PER_MONTH", "Phase"]

_TOL = 1e-9
PER_MONTH = 4
"""Uniforms per actor and month: delivery, detection, strike, shock."""


@dataclass
class Phase:
    """The arrays of an implementation phase for a batch of runs (both implementations).

    Built once at the start (:meth:`start`); then each month :meth:`deliveries`,
    :meth:`arm`, :meth:`shock` and :meth:`strikes` play it with that month's uniforms. The
    batch engine and the Mesa model call the same methods (the model with one run), so their
    numbers agree run by run.

    Examples
    --------
    >>> ph = _example_phase()
    >>> delivered, _ = ph.deliveries(np.full((1, 6), 0.5), np.full((1, 6), 0.5))
    >>> added = ph.arm(delivered)
    >>> ph.shock(np.full((1, 6), 0.5))
    >>> hit, why = ph.strikes(added, np.full((1, 6), 0.5))
    >>> hit.shape  # one choice per side (GNA, LNA)
    (1, 2)
    """

    contest: Contest
    sides: np.ndarray
    patrons: np.ndarray
    peace: np.ndarray
    pressure: np.ndarray
    strike: np.ndarray
    detect: np.ndarray
    expected_cost: np.ndarray
    step: np.ndarray
    discount: np.ndarray
    rationality: np.ndarray
    error: np.ndarray
    fade: np.ndarray
    learning: np.ndarray
    volatility: np.ndarray
    capability: np.ndarray
    _gift: np.ndarray | None = field(default=None, repr=False)  # step from patrons to sides
    parties: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    quit_value: np.ndarray | None = None
    spoilers: Spoilers | None = None  # the factions of the sides (rounds/factions.py)

    @classmethod
    def start(cls, st: Structure, p: Any, w: np.ndarray, x: np.ndarray, committed: np.ndarray,
              powers: list[np.ndarray], sides: np.ndarray, u_errors: np.ndarray,
              keep_bonus: np.ndarray | None = None,
              break_cost: np.ndarray | None = None) -> Phase:
        """Set the phase up from a batch's parameters and the text in force ``x``.

        ``keep_bonus`` and ``break_cost`` (``(R, n)``, the mediators' inducements of the deal
        in force, :mod:`negsim.protocol.inducements`) add to each actor's value of keeping
        the deal and to what breaking it costs (with its patrons' pressure).

        Examples
        --------
        >>> import negsim
        >>> from negsim.protocol.params import compile_scenario
        >>> from negsim.protocol.structure import structure
        >>> from negsim.protocol.utility import weights
        >>> s = negsim.load_scenario("libya-2020")
        >>> p = compile_scenario(s)
        >>> ph = Phase.start(structure(s), p, weights(p.salience), p.status_quo,
        ...                  np.zeros((1, 6, 3), bool), [], np.array([0, 1]), np.full((1, 6), .5))
        >>> ph.peace.shape, ph.capability.shape
        ((1, 6), (1, 6))
        """
        embargo, pressure, strike, bonus = compliance_inputs(st, p, committed, powers)
        peace = text_utility(w, p.ideal, x)
        if bonus is not None:  # what relief and payments add while the deal holds
            peace = peace + bonus
        if keep_bonus is not None:  # the mediators' transfers (inducements)
            peace = peace + keep_bonus
        if break_cost is not None:  # the mediators' guarantees
            pressure = pressure + break_cost
        share = monitoring_share(st, committed, powers)
        parties = sides[st.party[sides]]
        sides = sides[~st.party[sides]]
        detect = p.detection + (1.0 - p.detection) * p.monitoring_detection * share
        patrons = patrons_of(st, sides)
        mask = np.zeros(st.links.shape, dtype=bool)
        mask[np.ix_(patrons, sides)] = True
        step = np.where(mask, p.delivery[:, None, None] * p.support * p.capability[:, :, None],
                        0.0)
        return cls(
            contest=Contest.of(p, w, st.belligerent), sides=sides, patrons=patrons,
            peace=peace, pressure=pressure, strike=strike, detect=detect,
            expected_cost=detect[:, None] * embargo, step=step, discount=p.discount,
            rationality=p.rationality,
            error=estimate_errors(p.optimism, p.estimate_error, u_errors, st.belligerent),
            fade=np.ones(p.runs), learning=p.learning, volatility=p.volatility,
            capability=p.capability.copy(), parties=parties,
            quit_value=(alone_values(st, p, outside_values(st, p, w))[:, parties]
                        if len(parties) else None),
            spoilers=Spoilers.start(st, p, x, sides),
        )

    def deliveries(self, u: np.ndarray, u_detect: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return this month's deliveries and detections, ``(R, patrons)`` each.

        Examples
        --------
        >>> ph = _example_phase()
        >>> d, seen = ph.deliveries(np.full((1, 6), 0.5), np.full((1, 6), 0.99))
        >>> d.shape, bool(seen.any())
        ((1, 4), False)
        """
        gains = delivery_gains(self.contest, self.capability, self.step, self.patrons,
                               self.discount, self.expected_cost)
        delivered = takes_it(gains, self.rationality[:, None], u[:, self.patrons])
        return delivered, delivered & (u_detect[:, self.patrons] < self.detect[:, None])

    def arm(self, delivered: np.ndarray) -> np.ndarray:
        """Add this month's deliveries to the capabilities; return what they added.

        Examples
        --------
        >>> ph = _example_phase()
        >>> before = ph.capability.copy()
        >>> added = ph.arm(np.ones((1, 4), bool))
        >>> bool(np.all(ph.capability == before + added))
        True
        """
        # Deliveries reach the sides only (the other columns of ``step`` are 0), so the sum
        # runs on their columns, patron after patron in actor order as over full rows.
        if self._gift is None:
            self._gift = np.ascontiguousarray(self.step[:, self.patrons][:, :, self.sides])
        gift = self._gift
        given = np.zeros((len(self.capability), len(self.sides)))
        for j in range(len(self.patrons)):
            given = given + np.where(delivered[:, j : j + 1], gift[:, j, :], 0.0)
        added = np.zeros_like(self.capability)
        added[:, self.sides] = given
        self.capability = self.capability + added
        return added

    def shock(self, u: np.ndarray) -> None:
        """Move the sides' capabilities by this month's events on the ground.

        Each side's capability is multiplied by ``exp(volatility * z)``, ``z`` standard
        normal from its uniform: skirmishes, defections and supply problems that the
        ceasefire does not stop.

        Examples
        --------
        >>> ph = _example_phase()
        >>> before = ph.capability.copy()
        >>> ph.shock(np.full((1, 6), 0.5))  # the median shock changes nothing
        >>> bool(np.all(ph.capability == before))
        True
        """
        z = ndtri(np.clip(u[:, self.sides], 1e-12, 1.0 - 1e-12))
        self.capability[:, self.sides] = self.capability[:, self.sides] * np.exp(
            self.volatility[:, None] * z)
        if len(self.parties):
            assert self.quit_value is not None
            z = ndtri(np.clip(u[:, self.parties], 1e-12, 1.0 - 1e-12))
            self.quit_value = self.quit_value + self.volatility[:, None] * z

    def exits(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each party's choice to break the deal this month, and the reason code of each.

        A logit choice on :func:`~negsim.protocol.aftermath.exit_values`.

        Examples
        --------
        >>> _example_phase().exits(np.full((1, 6), 0.5))[0].shape  # Libya: no party
        (1, 0)
        """
        if not len(self.parties):
            return np.zeros((u.shape[0], 0), bool), np.zeros((u.shape[0], 0), int)
        assert self.quit_value is not None
        value = exit_values(self.quit_value, self.pressure, self.peace, self.discount,
                            self.parties)
        hit = takes_it(value, self.rationality[:, None], u[:, self.parties])
        return hit, np.where(value > 0, QUIT, QUIT_CHANCE)

    def choices(self, added: np.ndarray, u: np.ndarray, live: np.ndarray | None = None,
                u_factions: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Every participant's choice to break the deal this month, in the order ``order``.

        :meth:`strikes` for the sides at war (reasons worked out for the runs in ``live``),
        :meth:`exits` for the parties, then the choices of the sides' factions
        (:class:`~negsim.protocol.rounds.factions.Spoilers`, one uniform each in
        ``u_factions``), if they have any.

        Examples
        --------
        >>> ph = _example_phase()
        >>> hit, why = ph.choices(np.zeros((1, 6)), np.full((1, 6), 0.5), None, np.full((1, 1), .5))
        >>> hit.shape  # GNA, LNA, then the LNA's Libyan support base
        (1, 3)
        """
        none = np.zeros((u.shape[0], 0), bool), np.zeros((u.shape[0], 0), int)
        parts = [self.strikes(added, u, live) if len(self.sides) else none]
        if len(self.parties):
            parts.append(self.exits(u))
        if self.spoilers is not None:
            parts.append(self.spoilers.choices(self.contest, self.capability, self.strike,
                                               self.pressure, self.discount, u_factions))
        if len(parts) == 1:
            return parts[0]
        return (np.concatenate([h for h, _ in parts], axis=1),
                np.concatenate([c for _, c in parts], axis=1))

    @property
    def order(self) -> np.ndarray:
        """The participants in the order of :meth:`choices`: the sides at war, then parties.

        Examples
        --------
        >>> _example_phase().order.tolist()
        [0, 1]
        """
        return np.concatenate([self.sides, self.parties]).astype(int)

    def strikes(self, added: np.ndarray, u: np.ndarray, live: np.ndarray | None = None) -> (
        tuple[np.ndarray, np.ndarray]
    ):
        """Each side's choice to strike this month, and the reason code of each choice.

        Reasons are worked out for the runs in ``live`` (all if None) where a side strikes;
        the others get ``CHANCE`` (a run whose ceasefire broke before needs none).

        Examples
        --------
        >>> ph = _example_phase()
        >>> hit, why = ph.strikes(np.zeros((1, 6)), np.full((1, 6), 0.5))
        >>> hit.shape, why.shape
        ((1, 2), (1, 2))
        """
        error = self.error * self.fade[:, None]
        projected = self.capability + added
        args = (self.strike, self.pressure, self.peace, self.discount, self.sides)
        value, expects = break_values(self.contest, self.capability, projected, error, *args)
        # The choice weighs present values: striking commits a side to war for good, so its
        # stakes are the discounted sum of B, not one month's flow (a logit on flows would
        # make each month's choice as noisy as a once-for-all signature, month after month).
        stakes = 1.0 - np.nan_to_num(self.discount[:, self.sides], nan=0.0)
        hit = takes_it(value / stakes, self.rationality[:, None], u[:, self.sides])
        why = np.full(hit.shape, CHANCE)
        struck = hit.any(axis=1)
        rows = np.flatnonzero(struck if live is None else struck & live)  # the runs to explain
        if len(rows):
            why[rows] = self._reasons(rows, projected, error, value, expects)
        self.fade = self.fade * (1.0 - self.learning)
        return hit, why

    def _reasons(self, rows: np.ndarray, projected: np.ndarray, error: np.ndarray,
                 value: np.ndarray, expects: np.ndarray) -> np.ndarray:
        """Reason codes of the sides' values in the runs ``rows`` (see the module docstring)."""
        contest = self.contest.take(rows)
        cap, nxt = self.capability[rows], projected[rows]
        args = (self.strike[rows], self.pressure[rows], self.peace[rows], self.discount[rows],
                self.sides)
        true_value = (value[rows] if not np.any(error[rows]) else
                      break_values(contest, cap, nxt, np.zeros_like(error[rows]), *args)[0])
        w_now = contest.war_values(cap, actors=self.sides)
        w_next = contest.war_values(nxt, actors=self.sides)
        return np.select(
            [value[rows] <= 0, self.peace[rows][:, self.sides] < w_now, true_value <= 0,
             expects[rows], w_next < w_now - _TOL],
            [CHANCE, WORSE, OPTIMISM, STRUCK, DECLINE], STRIKE)


def _example_phase() -> Phase:
    from negsim.protocol.params import compile_scenario
    from negsim.protocol.structure import structure
    from negsim.protocol.utility import weights
    from negsim.scenario import load_scenario

    s = load_scenario("libya-2020")
    p = compile_scenario(s)
    return Phase.start(structure(s), p, weights(p.salience), p.status_quo,
                       np.zeros((1, 6, 3), bool), [], np.array([0, 1]), np.full((1, 6), 0.5))

