r"""Spoilers: factions inside a side that may break the ceasefire its leader keeps.

A faction (``[actors.ID.factions.FID]``, :mod:`negsim.scenario.factions`) of a side bound by
the ceasefire decides each month, after the sides, whether to break it (Stedman 1997,
"Spoiler problems in peace processes"). It values the deal in force with its own demands,
:math:`U_f(x)`, and breaking it as the war it can start on its own: its leader's value of
fighting on, with its leader's cost :math:`c_i`, discount :math:`\delta_i` and the model's
decisiveness :math:`q`, but

* its side's strength is what the faction can bring to the fight on its own,
  :math:`s_f c_i (1 + f(1 - m))` (its ``strength`` :math:`s_f` times its leader's own
  capability now, raised by the effective first-strike bonus; the patrons back the leader,
  not the faction), against the other sides' full strengths; and
* the war's end is valued with the faction's demands, :math:`W_f = \sum_j \pi^f_j U_f(\theta_j)`
  (the winner imposes its leader's ideal point), at the true odds :math:`\pi^f`.

So :math:`d_f = (\delta_i q W_f - (1 - \delta_i) c_i) / (1 - \delta_i (1 - q))`, and the
faction breaks the ceasefire by a logit choice (its own ``rationality``, else the model's)
on the present value

.. math:: S_f = \frac{d_f - \text{pen}_i - U_f(x)}{1 - \delta_i},

where :math:`\text{pen}_i` is its leader's patrons' pressure. A faction with no strength
cannot win the war it starts (:math:`\pi^f_i = 0`), so it breaks only when the other side's
victory is worth more to it than the deal, and otherwise only by the noise of the logit
choice. Its break ends the ceasefire for everyone, as a side's strike does.

Each month draws one uniform per faction of the entry's participants (factions in file
order), after the months' draws of the entry and before a term's renewal draws
(:meth:`Implementation.draws
<negsim.protocol.rounds.implementation.Implementation.draws>`), so a file without factions
keeps its draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from negsim.protocol.aftermath import Contest, takes_it
from negsim.protocol.rounds.reasons import names_the_choice, reason_words
from negsim.protocol.structure import Structure
from negsim.protocol.utility import batch_power, text_utility, weights
from negsim.scenario.words import gerund

__all__ = ["Spoilers", "breaker"]

#: The reason code of a break by the logit choice alone (otherwise the code is the issue on
#: which the deal falls furthest short of the faction's demands).
CHANCE = -1


@dataclass
class Spoilers:
    r"""The factions of the sides bound by a ceasefire, for a batch of runs.

    Attributes
    ----------
    index : ndarray of int, shape (F,)
        The factions among all of the scenario's (``Structure.faction_ids``).
    owner : ndarray of int, shape (F,)
        Each faction's leader (actor index).
    peace : ndarray, shape (R, F)
        :math:`U_f(x)`, the deal in force valued with the faction's demands.
    umat : ndarray, shape (R, F, n)
        :math:`U_f(\theta_j)` for each belligerent ``j`` (0 in other columns).
    strength, rationality : ndarray, shape (R, F)
    shortfall : ndarray of int, shape (R, F)
        The issue on which the deal falls furthest short of the faction's demands (the
        largest :math:`w_{fk}(x_k - \theta_{fk})^2`).

    Examples
    --------
    >>> sp = _example_spoilers()
    >>> sp.index.tolist(), sp.owner.tolist(), sp.peace.shape
    ([0], [0], (1, 1))
    """

    index: np.ndarray
    owner: np.ndarray
    peace: np.ndarray
    umat: np.ndarray
    strength: np.ndarray
    rationality: np.ndarray
    shortfall: np.ndarray
    _fixed: dict[str, Any] | None = field(default=None, repr=False)  # see _fixed_terms

    @classmethod
    def start(cls, st: Structure, p: Any, x: np.ndarray, sides: np.ndarray) -> Spoilers | None:
        """Set up the factions of ``sides`` for the deal in force ``x`` (None if none has one).

        Examples
        --------
        >>> import negsim
        >>> from negsim.protocol.params import compile_scenario
        >>> from negsim.protocol.structure import structure
        >>> s = negsim.load_scenario("libya-2020")
        >>> p = compile_scenario(s)
        >>> Spoilers.start(structure(s), p, p.status_quo, np.array([0])) is None  # the GNA's
        True
        """
        index = np.flatnonzero(np.isin(st.faction_owner, sides))
        if not len(index):
            return None
        owner = st.faction_owner[index]
        own_ideal, own_salience = p.faction_ideal[:, index], p.faction_salience[:, index]
        ideal = np.where(np.isnan(own_ideal), p.ideal[:, owner], own_ideal)
        w = weights(np.where(np.isnan(own_salience), p.salience[:, owner], own_salience))
        diff = np.asarray(x, dtype=float)[:, None, :] - ideal
        cols = np.flatnonzero(st.belligerent)
        umat = np.zeros(w.shape[:-1] + (len(st.actor_ids),))
        apart = p.ideal[:, None, cols, :] - ideal[:, :, None, :]
        umat[..., cols] = 1.0 - np.einsum("...fk,...fjk->...fj", w, apart * apart)
        own_rationality = p.faction_rationality[:, index]
        return cls(index=index, owner=owner, peace=text_utility(w, ideal, x), umat=umat,
                   strength=p.faction_strength[:, index],
                   rationality=np.where(np.isnan(own_rationality), p.rationality[:, None],
                                        own_rationality),
                   shortfall=np.argmax(w * diff * diff, axis=-1))

    def values(self, contest: Contest, capability: np.ndarray, strike: np.ndarray,
               pressure: np.ndarray, discount: np.ndarray) -> np.ndarray:
        """Each faction's value of breaking the ceasefire now, :math:`S_f`, ``(R, F)``.

        ``capability`` is this month's ``(R, n)``, ``strike`` the effective first-strike
        bonus ``(R,)``, ``pressure`` and ``discount`` ``(R, n)`` as for the sides. Sums run
        in a fixed order, column by column, so that one run gives the numbers it gives in
        a batch.

        Examples
        --------
        >>> sp, args = _example_spoilers(), _example_inputs()
        >>> weak = sp.values(*args)
        >>> sp.strength = np.ones((1, 1))
        >>> bool((sp.values(*args) > weak).all())  # a stronger faction gains more from war
        True
        """
        cols = np.flatnonzero(contest.belligerent)
        cap = np.ascontiguousarray(capability.T)  # (n, R): every operation runs along the runs
        if self._fixed is None:
            self._fixed = _fixed_terms(self, contest, pressure, discount, cols)
        fx = self._fixed
        full = []  # each belligerent's strength: own capability, then its backers' support
        for k, b in enumerate(cols):
            s = cap[b] + 0.0
            for q, share in fx["backers"][k]:
                s = s + cap[q] * share
            full.append(s)
        first = 1.0 + strike
        out = np.empty((len(self.owner), cap.shape[1]))
        for j, i in enumerate(self.owner):
            own = self.strength[:, j] * cap[i] * first
            s = np.stack([own if b == i else full[k] for k, b in enumerate(cols)])
            powered = batch_power(np.maximum(s, 0.0), fx["gamma"])
            total = powered[0] + 0.0
            for k in range(1, len(cols)):
                total = total + powered[k]
            pi = np.where(total > 0, powered / np.where(total > 0, total, 1.0), 1.0 / len(cols))
            w_end = pi[0] * fx["win"][j][0]
            for k in range(1, len(cols)):
                w_end = w_end + pi[k] * fx["win"][j][k]
            war = (fx["dq"][j] * w_end - fx["fixed"][j]) / fx["den"][j]
            out[j] = (war - fx["pressure"][j] - fx["peace"][j]) / fx["stakes"][j]
        return out.T

    def choices(self, contest: Contest, capability: np.ndarray, strike: np.ndarray,
                pressure: np.ndarray, discount: np.ndarray, u: np.ndarray) -> (
        tuple[np.ndarray, np.ndarray]
    ):
        """Each faction's choice to break the ceasefire this month, and its reason code.

        ``u`` holds one uniform per faction ``(R, F)``. The code is the issue of
        :attr:`shortfall` where breaking is worth more to it, else :data:`CHANCE`.

        Examples
        --------
        >>> sp = _example_spoilers()
        >>> hit, code = sp.choices(*_example_inputs(), np.full((1, 1), 0.5))
        >>> hit.tolist(), code.tolist()  # a weak faction keeps a deal it can live with
        ([[False]], [[-1]])
        """
        value = self.values(contest, capability, strike, pressure, discount)
        return takes_it(value, self.rationality, u), np.where(value > 0, self.shortfall, CHANCE)

    def words(self, st: Structure, scenario: Any, j: int, code: int) -> str:
        """Say why faction ``j`` broke the ceasefire, in the scenario's words.

        A faction breaks it as its leader would: it "strikes" unless its leader names its
        own choice or the scenario's ``[words]`` name one
        (:func:`~negsim.protocol.rounds.reasons.names_the_choice`), and then its reasons use
        that phrase.

        Examples
        --------
        >>> sp = _example_spoilers()
        >>> s = _example_scenario()
        >>> from negsim.protocol.structure import structure
        >>> print(sp.words(structure(s), s, 0, 0))
        A (Hardliners): striking is worth more to it than the agreement, which gives it less
        than it wants on Border
        >>> print(sp.words(structure(s), s, 0, CHANCE))
        A (Hardliners): struck although striking was worth less to it than the agreement
        (logit choice)
        """
        a = int(self.owner[j])
        name, deal = st.faction_names[self.index[j]], scenario.words.deal
        named = names_the_choice(st, scenario, a)
        breaking = gerund(st.actor_break[a]) if named else "striking"
        if code == CHANCE:
            did = f"chose to {st.actor_break[a]}" if named else "struck"
            return f"{name}: {did} although {breaking} was worth less to it than {deal} " \
                   "(logit choice)"
        return (f"{name}: {breaking} is worth more to it than {deal}, which gives it less "
                f"than it wants on {scenario.issues[code].name}")


def _fixed_terms(sp: Spoilers, contest: Contest, pressure: np.ndarray, discount: np.ndarray,
                 cols: np.ndarray) -> dict[str, Any]:
    """Return what :meth:`Spoilers.values` reuses every month, runs last and contiguous.

    The backers of each belligerent (the actors with a non-zero support share in some run;
    a share of 0 adds nothing), the faction's leader's war-value terms, the utilities of the
    war's end, the pressure, the value of the deal and the stakes of each faction.
    """
    def runs_last(x: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(x)

    q = contest.decisiveness
    own = [int(i) for i in sp.owner]
    d = [contest.discount[:, i] for i in own]
    return {
        "backers": [[(int(a), runs_last(contest.support[:, a, b]))
                     for a in np.flatnonzero(np.any(contest.support[:, :, b] != 0, axis=0))]
                    for b in cols],
        "gamma": runs_last(np.broadcast_to(contest.exponent, (len(cols), len(q)))),
        "win": [[runs_last(sp.umat[:, j, b]) for b in cols] for j in range(len(own))],
        "dq": [dj * q for dj in d],
        "fixed": [(1.0 - dj) * contest.cost[:, i] for dj, i in zip(d, own, strict=True)],
        "den": [1.0 - dj * (1.0 - q) for dj in d],
        "pressure": [runs_last(pressure[:, i]) for i in own],
        "peace": [runs_last(sp.peace[:, j]) for j in range(len(own))],
        "stakes": [1.0 - np.nan_to_num(discount[:, i], nan=0.0) for i in own],
    }


def breaker(st: Structure, scenario: Any, order: np.ndarray, spoilers: Spoilers | None,
            j: int, code: int) -> tuple[str, str]:
    """Who broke the ceasefire and why: column ``j`` of a month's choices.

    The columns are the participants in ``order`` (sides at war, then parties), then the
    factions of ``spoilers``. A faction is named ``ACTOR/FACTION``.

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.structure import structure
    >>> s = negsim.load_scenario("libya-2020")
    >>> breaker(structure(s), s, np.array([0, 1]), None, 1, 5)[0]
    'LNA'
    >>> sc = _example_scenario()
    >>> breaker(structure(sc), sc, np.array([0, 1]), _example_spoilers(), 2, -1)[0]
    'A/hard'
    """
    if j < len(order):
        a = int(order[j])
        return st.actor_ids[a], reason_words(st, scenario, a, code)
    assert spoilers is not None
    k = j - len(order)
    return st.faction_ids[spoilers.index[k]], spoilers.words(st, scenario, k, code)


def _example_scenario() -> Any:
    """Return the minimal scenario with a faction of A, "Hardliners" (for the examples)."""
    from negsim.scenario import MINIMAL, parse_scenario

    return parse_scenario(MINIMAL + """
[actors.A.factions.hard]
name = "Hardliners"
strength = { value = 0.2, assumption = "example" }
demands.border = { ideal = { value = 0.0, assumption = "example" } }
""")


def _example_inputs() -> tuple[Any, ...]:
    """Return the example's contest, capabilities, bonus, pressure and discount."""
    from negsim.protocol.params import compile_scenario
    from negsim.protocol.structure import structure

    s = _example_scenario()
    p = compile_scenario(s)
    contest = Contest.of(p, weights(p.salience), structure(s).belligerent)
    return contest, p.capability, np.full(1, 0.1), np.zeros((1, 3)), p.discount


def _example_spoilers() -> Spoilers:
    from negsim.protocol.params import compile_scenario
    from negsim.protocol.structure import structure

    s = _example_scenario()
    sp = Spoilers.start(structure(s), compile_scenario(s), np.full((1, 1), 0.3),
                        np.array([0, 1]))
    assert sp is not None
    return sp
