r"""Political forecasting on one issue: weighted mean, weighted median, expected utility.

Each actor :math:`i` holds a position :math:`x_i` on a one-dimensional issue, a capability
:math:`c_i \ge 0` and a salience :math:`s_i \in [0, 1]`; its weight is :math:`w_i = c_i s_i`.
Three models forecast where the issue settles:

``"mean"``
    the weighted mean :math:`\bar x = \sum_i w_i x_i / \sum_i w_i` (:func:`weighted_mean`);
``"median"``
    the weighted median (:func:`weighted_median`): sort the positions and take the *lowest*
    position at which the cumulative weight reaches half of the total weight. It is always
    an actor's position, and it is the Condorcet winner among the actors' positions (no
    other position beats it in a pairwise vote, Black's median voter theorem). When the
    cumulative weight reaches exactly half at a position, that (lower) position is taken,
    not the average of the two middle positions: the forecast stays an actor's position.
``"eu"``
    the expected-utility model of Bueno de Mesquita (1985, 1994) in the operational form of
    Scholz, Calbert and Smith (2011), "Unravelling Bueno De Mesquita's group decision
    model", *Journal of Theoretical Politics* 23(4), 510-531 (conference version: ICAART
    2011, pp. 18-30). Actors challenge each other pairwise, concede, compromise or hold
    firm, and all positions are updated synchronously each round (:func:`eu_round`).

The expected-utility round
--------------------------
Distances are measured in units of the range of the initial positions,
:math:`d_{ij} = |x_i - x_j| / (x_{\max} - x_{\min})` (``EUParameters.position_range``
overrides it); the range is fixed for the whole run.

1. **Votes.** Actor :math:`k` votes on the contest between :math:`i` and :math:`j` with

   .. math:: v_k(i, j) = c_k s_k \left( d_{kj}^{\rho_k} - d_{ki}^{\rho_k} \right),

   positive when :math:`k` is closer to :math:`i` (:func:`pairwise_votes`). With
   :math:`\rho_k = 1` this is Scholz et al.'s eq. 28 without its constant factor 2 (which
   cancels everywhere votes are used). With ``vote_risk=True`` (default) the second pass of
   a round uses :math:`\rho_k = r_k`, each voter's risk exponent.

2. **Probability that i prevails over j** (:func:`prevail_probability`):

   .. math:: P_{ij} = \frac{\sum_k \max(v_k(i,j), 0)}{N_{ij}},

   with :math:`N_{ij} = \sum_k |v_k(i,j)|` for ``probability="pair"`` (eq. 30-31 as
   printed, so :math:`P_{ij} + P_{ji} = 1`) or :math:`N = \sum_{k,a,b} |v_k(a,b)|` over all
   voters and ordered pairs for ``probability="all_pairs"`` (default; see "Choices" below).
   Salience enters the probability through the weights :math:`c_k s_k`.

3. **Utilities** from :math:`i`'s point of view, with risk exponent :math:`r` (eqs. 15-24):

   .. math::

      U^s = 2 - 4\,(0.5 - 0.5\,d_{ij})^{r}, \quad
      U^f = 2 - 4\,(0.5 + 0.5\,d_{ij})^{r}, \quad
      U^{sq} = 2 - 4\,(0.5)^{r},

      U^b = 2 - 4\,\big(0.5 - 0.25\,(d_{i\mu} + d_{ij})\big)^{r}, \quad
      U^w = 2 - 4\,\big(0.5 + 0.25\,(d_{i\mu} + d_{ij})\big)^{r},

   where :math:`\mu` is the weighted median of the current positions. :math:`U^{sq}` is the
   status quo: the utility of no change, 0 for a risk-neutral actor.

4. **Expected utility of i challenging j** (eqs. 5-7): :math:`j` resists with
   probability :math:`s_j` (its salience), and if it resists :math:`i` wins with
   probability :math:`P_{ij}`; if :math:`i` does not challenge, the status quo persists
   with probability :math:`Q`, otherwise it changes for the better (:math:`T`) or worse:

   .. math::

      EU_i(j) = s_j \left(P_{ij} U^s + (1 - P_{ij}) U^f\right) + (1 - s_j)\,U^s
                - Q\,U^{sq} - (1 - Q)\left(T U^b + (1 - T) U^w\right).

   :math:`T = 1` when the median is closer to :math:`i` than :math:`j` is
   (:math:`|x_i - \mu| < |x_i - x_j|`, so :math:`j` drifting to the median helps :math:`i`),
   else 0 (Scholz et al.'s four cases); ``EUParameters.t`` fixes it instead. Actors at the
   same position have nothing to contest: their expected utilities are 0.

5. **Risk exponents** (eqs. 32-34). A first pass with every :math:`r = 1` gives each actor's
   danger, the expected utility the others see in challenging it,
   :math:`D_i = \sum_{j \ne i} EU_j(i)`; then

   .. math::

      R_i = \frac{2 D_i - D_{\max} - D_{\min}}{D_{\max} - D_{\min}} \in [-1, 1], \qquad
      r_i = \frac{1 - R_i/3}{1 + R_i/3} \in [0.5, 2]

   (:func:`risk_exponents`; every :math:`r_i = 1` if all dangers are equal, to within
   :math:`10^{-12}` relative, so that rounding noise is not blown up to :math:`R = \pm 1`). The most
   threatened actor gets :math:`r = 0.5`, which makes :math:`U^s, U^f` convex in distance
   (risk acceptant); the safest gets :math:`r = 2` (concave: risk averse) -- BDM's reading
   that an actor who holds a dangerous position has revealed a taste for risk. Steps 1-4
   are then repeated with these exponents.

6. **Offers.** Actor :math:`i` (the receiver) compares, for each :math:`j` at another
   position, :math:`a = EU_i(j)` with its estimate :math:`b` of :math:`EU_j(i)`:

   * **confrontation**, :math:`b > a > 0`: both expect to gain, :math:`j` more; :math:`i`
     expects to lose and moves to :math:`x_j`;
   * **compromise**, :math:`a < 0 < b` and :math:`|a| < b`: :math:`i` moves part way,
     to :math:`x_i + (x_j - x_i)\,|a| / b` (eqs. 35-36);
   * **capitulation**, :math:`a < 0 < b` and :math:`|a| \ge b`: :math:`i` moves to
     :math:`x_j`;
   * otherwise (:math:`b \le 0`, or :math:`i` has the upper hand) :math:`j` makes no offer
     that :math:`i` accepts; whether :math:`j` moves is decided from :math:`j`'s side.

7. **New positions.** Each actor takes at most one offer (``offer_rule``), all actors move
   at once, and the weighted mean and median are recorded. A move is to another actor's
   position or between two positions, so positions never leave the range of the initial
   positions.

Choices where published descriptions differ
-------------------------------------------
The defaults of :class:`EUParameters` are the operational choices that reproduce the
round-by-round results Scholz et al. publish for Bueno de Mesquita's (1994) EC emission
standards example (their Table 2; ``tests/data/forecast/``): the mean position of rounds 1-8
is matched within 0.061. Those choices are those of J. McKibben-Sanders' open
reimplementation, whose comments say they follow Scholz et al.'s own code where it departs
from the printed equations; negsim reproduces that implementation's published log to
:math:`10^{-13}`. :meth:`EUParameters.as_printed` gives the equations as printed instead
(it does not reproduce Table 2). Each choice:

``probability``
    ``"all_pairs"`` (default) normalises the supporting votes by the sum of all votes over
    every ordered pair, which makes :math:`P_{ij}` small and the challenged actor's
    salience decisive; ``"pair"`` is eq. 30 as printed.
``vote_risk``
    votes use each voter's risk exponent in the second pass (default) or are linear in
    distance as in eq. 28 (``False``).
``perspective``
    ``"receiver"`` (default; BDM's :math:`E^i(U_{ji})`, "as perceived by i"): actor
    :math:`i` evaluates both :math:`EU_i(j)` and :math:`EU_j(i)` with its own exponent
    :math:`r_i`; ``"own"``: :math:`EU_j(i)` uses :math:`r_j`.
``offer_rule``
    when several offers are received: ``"scholz"`` (default) takes a confrontation if any
    (the one needing the least move), else the compromise with the lowest
    :math:`(|a|\,x_i + |b|\,x_j)/(|a| + |b|)`, else the nearest capitulation;
    ``"least_move"`` takes the offer needing the smallest move (Scholz et al. p. 26,
    "players move the least"); ``"highest_eu"`` concedes to the proposer with the
    highest expected utility :math:`b` (the most enforceable offer, BDM 1994), the least
    move breaking ties. Remaining ties go to the lower target position.
``capitulation``
    the reimplementation above never capitulates (its test for it can never be true); for
    the emission example this makes no difference, and negsim capitulates by default.
``q``, ``t``
    Bueno de Mesquita gives no value for Q; Scholz et al. chose :math:`Q = 1` (the
    status quo persists if nobody challenges), which removes :math:`U^b, U^w, T`; T follows
    their geometric cases unless ``t`` is given.
``position_range``
    distances are scaled by the range of the *initial* positions (fixed, so utilities do
    not change units as actors converge); a larger range (e.g. 1 for a [0, 1] issue) may be
    given.

Fixed (not options), as in Scholz et al.: salience enters twice, as the voting weight
:math:`c_k s_k` in the probability of success and as the probability :math:`s_j` that the
target resists; the status-quo utility is :math:`2 - 4(0.5)^r` (BDM 1985), not a distance to
the median as in some reimplementations; the security level is the others' expected utility
of challenging :math:`i`, computed with every :math:`r = 1`, so whose perception is used
(:math:`E^i(U_{ji})` as printed in the appendix, or :math:`E^j(U_{ji})`) makes no difference;
the median is found by sorting (the same point as the Condorcet winner of Scholz et al.'s
pairwise votes). Positions are not otherwise bounded: the update rule keeps them in the
initial range.
Dyads are evaluated with n x n arrays (votes as n x n x n, in blocks of voters); the only
Python loop is over rounds.

Examples
--------
>>> table = {"actor": ["A", "B", "C"], "capability": [1.0, 1.0, 2.0],
...          "position": [0.0, 0.5, 1.0], "salience": [1.0, 0.5, 0.8]}
>>> weighted_mean(table["position"], table["capability"], table["salience"])
0.6...
>>> weighted_median(table["position"], table["capability"], table["salience"])
1.0
>>> res = forecast(table, model="eu", rounds=3)
>>> res
ForecastResult(model='eu', issues=1, actors=3, rounds=3)
>>> list(res.summary.columns)
['round', 'issue', 'mean', 'median']
"""

from __future__ import annotations

import dataclasses
import enum
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "EUParameters",
    "EURound",
    "ForecastError",
    "ForecastResult",
    "MODELS",
    "Offer",
    "eu_round",
    "forecast",
    "forecast_plot_data",
    "pairwise_votes",
    "plot_forecast",
    "prevail_probability",
    "risk_exponents",
    "weighted_mean",
    "weighted_median",
]

MODELS: tuple[str, ...] = ("eu", "mean", "median")
"""The forecasting models :func:`forecast` knows."""

_COLUMNS = ("actor", "capability", "position", "salience")
_TABLE_ISSUE = "issue"
_BLOCK = 4_000_000  # largest voter block (elements) when summing n x n x n votes


class ForecastError(ValueError):
    """Bad input to a forecasting function (the message says what and where).

    Examples
    --------
    >>> forecast({"actor": ["A"], "capability": [1], "position": [0.5], "salience": [1]},
    ...          model="poll")
    Traceback (most recent call last):
    ...
    negsim.forecasting.core.ForecastError: unknown model 'poll' (choose one of 'eu', 'mean', 'median')
    >>> issubclass(ForecastError, ValueError)
    True
    """


class Offer(enum.IntEnum):
    """How a receiver classifies the offer of another actor (codes in :class:`EURound`).

    Examples
    --------
    >>> rnd = eu_round([0.0, 0.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 0.2])
    >>> Offer(int(rnd.offer[2, 0])).name  # what actor 2 makes of actor 0's offer
    'COMPROMISE'
    """

    NONE = 0
    CONFRONTATION = 1
    COMPROMISE = 2
    CAPITULATION = 3


# ---------------------------------------------------------------------------------------
# parameters
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class EUParameters:
    """Operational choices of the expected-utility model (see the module docstring).

    The defaults reproduce Scholz, Calbert and Smith's (2011) published round-by-round
    results; :meth:`as_printed` follows their printed equations instead.

    Parameters
    ----------
    q : float
        Probability that the status quo persists when nobody challenges, in [0, 1].
    t : float or None
        Probability that a change of the status quo favours the challenger, in [0, 1];
        None (default) uses Scholz et al.'s geometric rule (1 if the median is closer to
        the challenger than the target is, else 0).
    probability : {"all_pairs", "pair"}
        Denominator of the probability of prevailing.
    vote_risk : bool
        Whether votes use the voters' risk exponents in a round's second pass.
    perspective : {"receiver", "own"}
        Whose risk exponent the receiver uses for the proposer's expected utility.
    offer_rule : {"scholz", "least_move", "highest_eu"}
        Which offer an actor takes when it receives several.
    capitulation : bool
        Whether an actor capitulates (moves fully) when its loss outweighs the proposer's
        gain; if False such offers are ignored.
    position_range : float or None
        Unit of distance; None uses the range of the initial positions. Must be at least
        that range.

    Examples
    --------
    >>> EUParameters().probability, EUParameters.as_printed().probability
    ('all_pairs', 'pair')
    >>> EUParameters(q=2.0)
    Traceback (most recent call last):
    ...
    negsim.forecasting.core.ForecastError: EUParameters.q must be in [0, 1], got 2.0
    """

    q: float = 1.0
    t: float | None = None
    probability: Literal["all_pairs", "pair"] = "all_pairs"
    vote_risk: bool = True
    perspective: Literal["receiver", "own"] = "receiver"
    offer_rule: Literal["scholz", "least_move", "highest_eu"] = "scholz"
    capitulation: bool = True
    position_range: float | None = None

    def __post_init__(self) -> None:
        for name in ("q", "t"):
            v = getattr(self, name)
            if v is None and name == "t":
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)):
                raise ForecastError(f"EUParameters.{name} must be a number, got {v!r}")
            if not 0.0 <= float(v) <= 1.0:
                raise ForecastError(f"EUParameters.{name} must be in [0, 1], got {v!r}")
        choices = {
            "probability": ("all_pairs", "pair"),
            "perspective": ("receiver", "own"),
            "offer_rule": ("scholz", "least_move", "highest_eu"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ForecastError(
                    f"EUParameters.{name} must be one of {', '.join(map(repr, allowed))}, "
                    f"got {getattr(self, name)!r}"
                )
        for name in ("vote_risk", "capitulation"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ForecastError(
                    f"EUParameters.{name} must be True or False, got {getattr(self, name)!r}"
                )
        pr = self.position_range
        if pr is not None and (
            isinstance(pr, bool) or not isinstance(pr, (int, float, np.floating, np.integer))
            or not np.isfinite(pr) or pr <= 0
        ):
            raise ForecastError(
                f"EUParameters.position_range must be a positive number or None, got {pr!r}"
            )

    @classmethod
    def as_printed(cls, **changes: Any) -> EUParameters:
        """Return the equations as printed in Scholz et al. (2011), not their published numbers.

        Probability normalised per pair (eq. 30), linear votes (eq. 28), each actor's own
        risk exponent in its expected utility (appendix step 7), and concession to the most
        enforceable offer, the least move breaking ties (p. 26).

        Examples
        --------
        >>> p = EUParameters.as_printed(q=0.5)
        >>> p.probability, p.vote_risk, p.perspective, p.offer_rule, p.q
        ('pair', False, 'own', 'highest_eu', 0.5)
        """
        base = cls(probability="pair", vote_risk=False, perspective="own",
                   offer_rule="highest_eu")
        return dataclasses.replace(base, **changes)


# ---------------------------------------------------------------------------------------
# input checking
# ---------------------------------------------------------------------------------------
def _number_array(values: Any, name: str, actors: Sequence[str] | None = None) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.ndim != 1:
        # find the offending entry for the message
        seq = list(values) if isinstance(values, Iterable) else [values]
        for k, v in enumerate(seq):
            try:
                float(v)
            except (TypeError, ValueError):
                who = f"actor {actors[k]!r}" if actors is not None else f"entry {k}"
                raise ForecastError(f"{name} of {who} is not a number: {v!r}") from None
        raise ForecastError(f"{name} must be a one-dimensional sequence of numbers")
    return arr


def _check_arrays(
    positions: Any, capability: Any, salience: Any, actors: Sequence[str] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = _number_array(positions, "position", actors)
    c = _number_array(capability, "capability", actors)
    s = _number_array(salience, "salience", actors)
    if not (x.size == c.size == s.size):
        raise ForecastError(
            f"positions, capability and salience must have the same length "
            f"(got {x.size}, {c.size}, {s.size})"
        )
    if x.size == 0:
        raise ForecastError("no actors: positions, capability and salience are empty")

    def who(k: int) -> str:
        return f"actor {actors[k]!r}" if actors is not None else f"entry {k}"

    for name, arr in (("position", x), ("capability", c), ("salience", s)):
        bad = np.flatnonzero(~np.isfinite(arr))
        if bad.size:
            raise ForecastError(f"{name} of {who(int(bad[0]))} is {arr[bad[0]]} (must be finite)")
    bad = np.flatnonzero(c < 0)
    if bad.size:
        raise ForecastError(f"capability of {who(int(bad[0]))} is negative ({c[bad[0]]})")
    bad = np.flatnonzero((s < 0) | (s > 1))
    if bad.size:
        raise ForecastError(
            f"salience of {who(int(bad[0]))} is {s[bad[0]]}, outside [0, 1] "
            "(divide 0-100 scores by 100)"
        )
    if not np.sum(c * s) > 0:
        raise ForecastError(
            "the total weight (capability x salience) is zero: nobody has influence"
        )
    return x, c, s


def _table(data: Any, issue: str) -> pd.DataFrame:
    """Validate a table for one issue; returns actor (str), capability, position, salience."""
    where = "" if issue == _TABLE_ISSUE else f" (issue {issue!r})"
    if isinstance(data, pd.DataFrame):
        df = data
    elif isinstance(data, Mapping):
        try:
            df = pd.DataFrame(dict(data))
        except ValueError as exc:
            raise ForecastError(f"cannot read the table{where}: {exc}") from None
    elif isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        if not all(isinstance(r, Mapping) for r in data):
            raise ForecastError(
                f"a list table{where} must hold records (mappings) with keys "
                + ", ".join(_COLUMNS)
            )
        df = pd.DataFrame(list(data))
    else:
        raise ForecastError(
            "forecast() takes a Scenario, a scenario name or path, a pandas DataFrame, or a "
            f"mapping / list of records with columns {', '.join(_COLUMNS)}; "
            f"got {type(data).__name__}"
        )
    missing = [col for col in _COLUMNS if col not in df.columns]
    if missing:
        found = ", ".join(map(str, df.columns)) or "none"
        raise ForecastError(
            f"missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(map(repr, missing))}{where} (found: {found})"
        )
    if len(df) == 0:
        raise ForecastError(f"the table{where} has no rows")
    actors = df["actor"]
    if actors.isna().any():
        raise ForecastError(f"column 'actor'{where} has a missing name in row "
                            f"{int(np.flatnonzero(actors.isna().to_numpy())[0])}")
    names = [str(a) for a in actors]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ForecastError(f"actor {name!r} appears twice{where}")
        seen.add(name)
    try:
        x, c, s = _check_arrays(df["position"].to_numpy(), df["capability"].to_numpy(),
                                df["salience"].to_numpy(), names)
    except ForecastError as exc:
        raise ForecastError(f"{exc}{where}") from None
    return pd.DataFrame({"actor": names, "capability": c, "position": x, "salience": s})


def _scenario_tables(scenario: Any, issue: str | None) -> tuple[list[tuple[str, pd.DataFrame]],
                                                                 dict[str, str]]:
    ids = [str(i.id) for i in scenario.issues]
    if issue is not None:
        if issue not in ids:
            raise ForecastError(
                f"unknown issue {issue!r} (issues: {', '.join(ids) or 'none'})"
            )
        ids = [issue]
    tables: list[tuple[str, pd.DataFrame]] = []
    skipped: dict[str, str] = {}
    for iid in ids:
        rows = []
        for actor in scenario.actors:
            demand = actor.demand(iid)
            if demand is None:
                continue
            rows.append({
                "actor": str(actor.id),
                "capability": float(actor.capability.value),
                "position": float(demand.ideal.value),
                "salience": float(demand.salience.value),
            })
        if not rows:
            reason = "no actor has a demand on it"
        elif not sum(r["capability"] * r["salience"] for r in rows) > 0:
            reason = "the actors with a demand on it have no weight (capability x salience)"
        else:
            tables.append((iid, _table(rows, iid)))
            continue
        if issue is not None:
            raise ForecastError(f"cannot forecast issue {iid!r}: {reason}")
        skipped[iid] = reason
    if not tables:
        raise ForecastError("no issue of the scenario can be forecast: "
                            + "; ".join(f"{k}: {v}" for k, v in skipped.items()))
    return tables, skipped


# ---------------------------------------------------------------------------------------
# baselines
# ---------------------------------------------------------------------------------------
def _wmean(x: np.ndarray, w: np.ndarray) -> float:
    return float(np.dot(w, x) / np.sum(w))


def _wmedian(x: np.ndarray, w: np.ndarray) -> float:
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order])
    total = cum[-1]
    k = int(np.searchsorted(cum, 0.5 * total - 1e-12 * total, side="left"))
    return float(x[order][min(k, x.size - 1)])


def weighted_mean(positions: Any, capability: Any, salience: Any) -> float:
    r"""Weighted mean position, weights capability x salience.

    Parameters
    ----------
    positions, capability, salience : sequence of float
        One entry per actor; capability >= 0, salience in [0, 1].

    Returns
    -------
    float
        :math:`\sum_i c_i s_i x_i / \sum_i c_i s_i`.

    Examples
    --------
    >>> weighted_mean([0.0, 1.0], [1.0, 3.0], [1.0, 1.0])
    0.75
    """
    x, c, s = _check_arrays(positions, capability, salience)
    return _wmean(x, c * s)


def weighted_median(positions: Any, capability: Any, salience: Any) -> float:
    """Weighted median position, weights capability x salience.

    The lowest position at which the cumulative weight (positions sorted ascending) reaches
    half of the total weight. It is an actor's position and the Condorcet winner among the
    actors' positions. If the cumulative weight is exactly half at a position, that lower
    position is returned (never the average of the two middle positions).

    Examples
    --------
    >>> weighted_median([0.0, 1.0, 2.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0])
    1.0
    >>> weighted_median([0.0, 1.0], [1.0, 1.0], [1.0, 1.0])  # exact tie: the lower one
    0.0
    """
    x, c, s = _check_arrays(positions, capability, salience)
    return _wmedian(x, c * s)


# ---------------------------------------------------------------------------------------
# the expected-utility model: vectorised pieces
# ---------------------------------------------------------------------------------------
def _scale_for(x: np.ndarray, position_range: float | None) -> float:
    spread = float(x.max() - x.min())
    if position_range is None:
        return spread if spread > 0 else 1.0
    if position_range < spread * (1 - 1e-12):
        raise ForecastError(
            f"position_range {position_range} is smaller than the range of the positions "
            f"({spread})"
        )
    return float(position_range)


def _distance_utility(x: np.ndarray, rho: np.ndarray, scale: float) -> np.ndarray:
    """G[k, a] = (|x_k - x_a| / scale) ** rho_k."""
    return (np.abs(x[:, None] - x[None, :]) / scale) ** rho[:, None]


def _vote_sums(x: np.ndarray, w: np.ndarray, rho: np.ndarray,
               scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Supporting votes sum_k max(v_k(i,j), 0) and sum_k |v_k(i,j)|, in blocks of voters."""
    n = x.size
    g_all = _distance_utility(x, rho, scale)
    support = np.zeros((n, n))
    total = np.zeros((n, n))
    step = max(1, _BLOCK // max(n * n, 1))
    for k0 in range(0, n, step):
        g = g_all[k0:k0 + step]
        v = w[k0:k0 + step, None, None] * (g[:, None, :] - g[:, :, None])
        support += np.clip(v, 0.0, None).sum(axis=0)
        total += np.abs(v).sum(axis=0)
    return support, total


def pairwise_votes(
    positions: Any, capability: Any, salience: Any, risk: Any = None,
    position_range: float | None = None,
) -> np.ndarray:
    """Every actor's vote on every contest, ``V[k, i, j] = c_k s_k (d_kj^r_k - d_ki^r_k)``.

    Positive when voter ``k`` is closer to ``i`` than to ``j``; ``d`` is distance divided by
    the range of the positions (or ``position_range``); ``risk`` (default all 1) are the
    voters' exponents. Returns an n x n x n array.

    Examples
    --------
    >>> v = pairwise_votes([0.0, 1.0], [1.0, 1.0], [1.0, 0.5])
    >>> v[:, 0, 1].tolist()  # votes for actor 0 against actor 1
    [1.0, -0.5]
    """
    x, c, s = _check_arrays(positions, capability, salience)
    rho = np.ones_like(x) if risk is None else _number_array(risk, "risk")
    if rho.size != x.size:
        raise ForecastError(f"risk must have one entry per actor ({x.size}), got {rho.size}")
    scale = _scale_for(x, position_range)
    g = _distance_utility(x, rho, scale)
    return (c * s)[:, None, None] * (g[:, None, :] - g[:, :, None])


def _probability_from_sums(support: np.ndarray, total: np.ndarray, norm: str) -> np.ndarray:
    if norm == "pair":
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, support / np.where(total > 0, total, 1.0), 0.5)
    grand = float(total.sum())
    if not grand > 0:
        return np.full_like(support, 0.5)
    return support / grand


def prevail_probability(
    positions: Any, capability: Any, salience: Any, risk: Any = None,
    probability: Literal["all_pairs", "pair"] = "all_pairs",
    position_range: float | None = None,
) -> np.ndarray:
    """Probability ``P[i, j]`` that actor ``i`` prevails over ``j`` from everyone's votes.

    ``probability="pair"`` divides the votes supporting ``i`` by all votes on the contest
    (Scholz et al. eq. 30; ``P[i, j] + P[j, i] = 1``); ``"all_pairs"`` divides by all votes
    on every contest (the normalisation behind their published numbers). Contests nobody
    votes on get 0.5 under ``"pair"``.

    Examples
    --------
    >>> p = prevail_probability([0.0, 1.0], [1.0, 1.0], [1.0, 0.5], probability="pair")
    >>> p.round(4).tolist()
    [[0.5, 0.6667], [0.3333, 0.5]]
    """
    x, c, s = _check_arrays(positions, capability, salience)
    rho = np.ones_like(x) if risk is None else _number_array(risk, "risk")
    if rho.size != x.size:
        raise ForecastError(f"risk must have one entry per actor ({x.size}), got {rho.size}")
    if probability not in ("all_pairs", "pair"):
        raise ForecastError(f"probability must be 'all_pairs' or 'pair', got {probability!r}")
    support, total = _vote_sums(x, c * s, rho, _scale_for(x, position_range))
    return _probability_from_sums(support, total, probability)


def _challenge_eu(x: np.ndarray, s: np.ndarray, p: np.ndarray, r: Any, prm: EUParameters,
                  mu: float, scale: float) -> np.ndarray:
    """E[i, j]: expected utility of i challenging j, with exponent r (broadcast to n x n)."""
    dist = np.abs(x[:, None] - x[None, :]) / scale
    us = 2.0 - 4.0 * (0.5 - 0.5 * dist) ** r
    uf = 2.0 - 4.0 * (0.5 + 0.5 * dist) ** r
    usq = 2.0 - 4.0 * 0.5 ** np.asarray(r, dtype=float)
    sj = s[None, :]
    eu = sj * (p * us + (1.0 - p) * uf) + (1.0 - sj) * us - prm.q * usq
    if prm.q < 1.0:
        dmu = (np.abs(x - mu) / scale)[:, None]
        half = np.minimum(0.25 * (dmu + dist), 0.5)
        ub = 2.0 - 4.0 * (0.5 - half) ** r
        uw = 2.0 - 4.0 * (0.5 + half) ** r
        t = (dmu < dist).astype(float) if prm.t is None else float(prm.t)
        eu = eu - (1.0 - prm.q) * (t * ub + (1.0 - t) * uw)
    return np.where(x[:, None] == x[None, :], 0.0, eu)


def _risk_from_danger(danger: np.ndarray) -> np.ndarray:
    hi, lo = float(danger.max()), float(danger.min())
    # equal dangers (up to rounding: the formula would blow rounding noise up to R = +-1)
    if not hi - lo > 1e-12 * max(1.0, abs(hi), abs(lo)):
        return np.ones_like(danger)
    big_r = np.clip((2.0 * danger - hi - lo) / (hi - lo), -1.0, 1.0)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def risk_exponents(danger: Any) -> np.ndarray:
    """Risk exponents ``r_i = (1 - R_i/3) / (1 + R_i/3)`` from the actors' dangers.

    ``R_i = (2 D_i - D_max - D_min) / (D_max - D_min)`` places each actor's danger (the sum
    of the others' expected utilities of challenging it) between the safest (-1, r = 2)
    and the most threatened (+1, r = 0.5). Equal dangers give r = 1.

    Examples
    --------
    >>> risk_exponents([0.0, 1.0, 2.0]).tolist()
    [2.0, 1.0, 0.5]
    """
    d = _number_array(danger, "danger")
    if d.size == 0 or not np.all(np.isfinite(d)):
        raise ForecastError("danger must be a non-empty sequence of finite numbers")
    return _risk_from_danger(d)


@dataclass(frozen=True, slots=True, repr=False)
class EURound:
    r"""Everything computed in one round of the expected-utility model.

    Arrays are indexed by actor in input order; in the n x n arrays row ``i`` is the
    receiver (or challenger) and column ``j`` the other actor.

    Attributes
    ----------
    positions : ndarray
        Positions at the start of the round.
    median : float
        Weighted median at the start of the round (the :math:`\mu` in U^b, U^w).
    danger : ndarray
        :math:`D_i = \sum_{j \ne i} EU_j(i)` from the first pass (all r = 1).
    risk : ndarray
        Risk exponents r_i used in the second pass.
    probability : ndarray
        ``probability[i, j]``: probability that i prevails over j (second pass).
    eu_challenge : ndarray
        ``eu_challenge[i, j]`` = :math:`EU_i(j)`, i challenging j, with exponent r_i.
    eu_proposer : ndarray
        ``eu_proposer[i, j]``: j's expected utility of challenging i as seen by receiver i.
    offer : ndarray of int
        :class:`Offer` code of j's offer to i.
    target : ndarray
        Position i would move to by accepting j's offer (``x_j`` unless a compromise).
    proposer : ndarray of int
        Index of the offer actor i accepted, or -1.
    new_positions : ndarray
        Positions at the end of the round.

    Examples
    --------
    >>> rnd = eu_round([0.0, 0.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 0.2])
    >>> rnd
    EURound(actors=3, moved=1)
    >>> rnd.median, rnd.new_positions.round(3).tolist()  # actor 2 compromises toward 0
    (0.0, [0.0, 0.0, 0.511])
    """

    positions: np.ndarray
    median: float
    danger: np.ndarray
    risk: np.ndarray
    probability: np.ndarray
    eu_challenge: np.ndarray
    eu_proposer: np.ndarray
    offer: np.ndarray
    target: np.ndarray
    proposer: np.ndarray
    new_positions: np.ndarray

    def __repr__(self) -> str:
        moved = int(np.sum(self.proposer >= 0))
        return f"EURound(actors={self.positions.size}, moved={moved})"


def _select(x: np.ndarray, a: np.ndarray, b: np.ndarray, offer: np.ndarray,
            target: np.ndarray, rule: str) -> np.ndarray:
    """Index of the accepted offer per receiver (-1 if none), vectorised over rows."""
    n = x.size
    has = offer != Offer.NONE
    move = np.abs(target - x[:, None])
    inf = np.inf
    if rule == "scholz":
        priority = np.select(
            [offer == Offer.CONFRONTATION, offer == Offer.COMPROMISE,
             offer == Offer.CAPITULATION], [0.0, 1.0, 2.0], default=inf)
        aa, bb = np.abs(a), np.abs(b)
        with np.errstate(invalid="ignore", divide="ignore"):
            pull = (aa * x[:, None] + bb * x[None, :]) / (aa + bb)
        second = np.where(offer == Offer.COMPROMISE, pull, move)
        keys = (target, move, np.where(has, second, inf), priority)
    elif rule == "least_move":
        keys = (target, np.where(has, -b, inf), np.where(has, move, inf))
    else:  # highest_eu
        keys = (target, np.where(has, move, inf), np.where(has, -b, inf))
    order = np.lexsort(np.stack(keys), axis=-1)
    best = order[:, 0]
    return np.where(has[np.arange(n), best], best, -1)


def _eu_step(x: np.ndarray, c: np.ndarray, s: np.ndarray, prm: EUParameters,
             scale: float) -> EURound:
    n = x.size
    w = c * s
    mu = _wmedian(x, w)
    ones = np.ones(n)
    support, total = _vote_sums(x, w, ones, scale)
    p1 = _probability_from_sums(support, total, prm.probability)
    e1 = _challenge_eu(x, s, p1, 1.0, prm, mu, scale)
    np.fill_diagonal(e1, 0.0)
    danger = e1.sum(axis=0)
    r = _risk_from_danger(danger)
    if prm.vote_risk:
        support, total = _vote_sums(x, w, r, scale)
    p2 = _probability_from_sums(support, total, prm.probability)
    a = _challenge_eu(x, s, p2, r[:, None], prm, mu, scale)
    if prm.perspective == "receiver":
        b = _challenge_eu(x, s, p2, r[None, :], prm, mu, scale).T
    else:
        b = a.T.copy()
    np.fill_diagonal(a, 0.0)
    np.fill_diagonal(b, 0.0)
    differ = x[:, None] != x[None, :]
    confront = differ & (a > 0) & (b > a)
    compromise = differ & (a < 0) & (b > 0) & (b > -a)
    capitulate = differ & (a < 0) & (b > 0) & (-a >= b) & bool(prm.capitulation)
    offer = np.zeros((n, n), dtype=np.int8)
    offer[confront] = Offer.CONFRONTATION
    offer[compromise] = Offer.COMPROMISE
    offer[capitulate] = Offer.CAPITULATION
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(compromise, -a / np.where(compromise, b, 1.0), 1.0)
    target = np.where(compromise, x[:, None] + (x[None, :] - x[:, None]) * frac, x[None, :])
    proposer = _select(x, a, b, offer, target, prm.offer_rule)
    rows = np.arange(n)
    new_x = np.where(proposer >= 0, target[rows, np.maximum(proposer, 0)], x)
    return EURound(positions=x.copy(), median=mu, danger=danger, risk=r, probability=p2,
                   eu_challenge=a, eu_proposer=b, offer=offer, target=target,
                   proposer=proposer, new_positions=new_x)


def eu_round(
    positions: Any, capability: Any, salience: Any, params: EUParameters | None = None,
) -> EURound:
    """One synchronous round of the expected-utility model (all dyads at once).

    Parameters
    ----------
    positions, capability, salience : sequence of float
        One entry per actor; capability >= 0, salience in [0, 1].
    params : EUParameters, optional
        Operational choices (defaults reproduce Scholz et al.'s published results).

    Returns
    -------
    EURound
        Dangers, risk exponents, probabilities, expected utilities, offers and new positions.

    Examples
    --------
    >>> rnd = eu_round([0.0, 0.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 0.2])
    >>> rnd.new_positions.tolist(), rnd.proposer.tolist()
    ([0.0, 0.0, 0.511...], [-1, -1, 0])
    """
    x, c, s = _check_arrays(positions, capability, salience)
    prm = EUParameters() if params is None else params
    if not isinstance(prm, EUParameters):
        raise ForecastError(f"params must be EUParameters, got {type(prm).__name__}")
    return _eu_step(x, c, s, prm, _scale_for(x, prm.position_range))


# ---------------------------------------------------------------------------------------
# forecast
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class ForecastResult:
    """Result of :func:`forecast`.

    Attributes
    ----------
    positions : pandas.DataFrame
        Tidy: ``round, issue, actor, position``; round 0 holds the initial positions.
    summary : pandas.DataFrame
        ``round, issue, mean, median``: weighted mean and median per round.
    model : str
        ``"eu"``, ``"mean"`` or ``"median"``.
    parameters : Mapping
        The settings used (for ``"eu"`` the :class:`EUParameters` fields, the rounds, the
        distance unit per issue, and issues skipped because nobody could move them).
    moves : pandas.DataFrame
        ``round, issue, actor, proposer, offer, from_position, to_position``: every accepted
        offer (empty for the static models).

    Examples
    --------
    >>> res = forecast({"actor": ["A", "B", "C"], "capability": [1, 1, 2],
    ...                 "position": [0.0, 0.5, 1.0], "salience": [1, 1, 0.5]},
    ...                rounds=2)
    >>> res
    ForecastResult(model='eu', issues=1, actors=3, rounds=2)
    >>> res.positions.columns.tolist(), res.summary.columns.tolist()
    (['round', 'issue', 'actor', 'position'], ['round', 'issue', 'mean', 'median'])
    """

    positions: pd.DataFrame
    summary: pd.DataFrame
    model: str
    parameters: Mapping[str, Any]
    moves: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["round", "issue", "actor", "proposer", "offer", "from_position",
                 "to_position"]))

    def __repr__(self) -> str:
        issues = self.summary["issue"].nunique()
        actors = self.positions["actor"].nunique()
        rounds = int(self.summary["round"].max()) if len(self.summary) else 0
        return (f"ForecastResult(model={self.model!r}, issues={issues}, actors={actors}, "
                f"rounds={rounds})")

    @property
    def issues(self) -> tuple[str, ...]:
        """Issue ids in forecast order.

        Examples
        --------
        >>> forecast("libya-2020", model="mean").issues[:2]
        ('turkish_forces', 'security_agreement')
        """
        return tuple(dict.fromkeys(self.summary["issue"]))

    def prediction(self) -> pd.Series:
        """Return the forecast outcome per issue.

        The weighted mean for ``"mean"``; the weighted median of the last round for
        ``"median"`` and ``"eu"`` (Bueno de Mesquita's forecast is the median voter position
        after the last round).

        Examples
        --------
        >>> table = {"actor": ["A", "B", "C"], "capability": [1, 1, 2],
        ...          "position": [0.0, 0.5, 1.0], "salience": [1, 1, 1]}
        >>> forecast(table, model="median").prediction().to_dict()
        {'issue': 0.5}
        >>> forecast(table, model="mean").prediction().round(3).to_dict()
        {'issue': 0.625}
        """
        last = self.summary.loc[self.summary.groupby("issue", sort=False)["round"].idxmax()]
        column = "mean" if self.model == "mean" else "median"
        out = pd.Series(last[column].to_numpy(), index=pd.Index(last["issue"], name="issue"),
                        name=column)
        return out


    def settled(self, last: int = 2, tol: float = 1e-9) -> pd.Series:
        """Return, per issue, whether no position moved by more than ``tol`` in the last rounds.

        ``last`` rounds are checked (the expected-utility model can cycle: actors that
        respond to each other's last positions swap sides every round). The static models
        are always settled.

        Examples
        --------
        >>> table = {"actor": ["A", "B"], "capability": [1, 1], "position": [0, 1],
        ...          "salience": [1, 0.5]}
        >>> forecast(table, rounds=3).settled().to_dict()  # B creeps towards A
        {'issue': False}
        >>> forecast(table, rounds=3, probability="pair").settled().to_dict()  # B gives in
        {'issue': True}
        """
        if isinstance(last, bool) or not isinstance(last, (int, np.integer)) or last < 1:
            raise ForecastError(f"last must be a positive integer, got {last!r}")
        out = {}
        for iid, grp in self.positions.groupby("issue", sort=False):
            wide = grp.pivot(index="round", columns="actor", values="position").to_numpy()
            tail = wide[-(last + 1):]
            out[iid] = bool(np.all(np.abs(tail - tail[-1]) <= tol))
        return pd.Series(out, name="settled").rename_axis("issue")


def _run_eu(x0: np.ndarray, c: np.ndarray, s: np.ndarray, rounds: int,
            prm: EUParameters) -> tuple[np.ndarray, list[tuple[int, int, int, int, float, float]]]:
    # canonical order so that results do not depend on the order of the actors
    order = np.lexsort((s, c, x0))
    inv = np.empty_like(order)
    inv[order] = np.arange(order.size)
    x = x0[order].astype(float)
    cc, ss = c[order], s[order]
    scale = _scale_for(x, prm.position_range)
    traj = np.empty((rounds + 1, x.size))
    traj[0] = x
    moves: list[tuple[int, int, int, int, float, float]] = []
    for t in range(1, rounds + 1):
        rnd = _eu_step(x, cc, ss, prm, scale)
        for i in np.flatnonzero(rnd.proposer >= 0):
            j = int(rnd.proposer[i])
            moves.append((t, int(order[i]), int(order[j]), int(rnd.offer[i, j]),
                          float(x[i]), float(rnd.new_positions[i])))
        x = rnd.new_positions
        traj[t] = x
    moves.sort(key=lambda m: (m[0], m[1]))
    return traj[:, inv], moves


def forecast(
    scenario_or_table: Any,
    model: str = "eu",
    rounds: int = 10,
    issue: str | None = None,
    params: EUParameters | None = None,
    **options: Any,
) -> ForecastResult:
    """Forecast where each issue settles, round by round.

    Parameters
    ----------
    scenario_or_table : Scenario, str, path, DataFrame, mapping or list of records
        A negsim Scenario (or a built-in scenario name / TOML path): every issue is
        forecast independently from the actors with a demand on it (position = ideal
        point, salience, capability). Or a table for one issue with columns ``actor,
        capability, position, salience`` (salience in [0, 1]).
    model : {"eu", "mean", "median"}
        The expected-utility model, or a static baseline.
    rounds : int
        Rounds of the expected-utility model; the static models report round 0 only.
    issue : str, optional
        For a scenario, forecast only this issue; for a table, the label of its issue
        (default ``"issue"``).
    params : EUParameters, optional
        Operational choices of the ``"eu"`` model.
    **options
        Overrides of ``params`` fields, e.g. ``q=0.5`` (``"eu"`` only).

    Returns
    -------
    ForecastResult

    Examples
    --------
    >>> rows = [{"actor": "A", "capability": 1, "position": 0, "salience": 1},
    ...         {"actor": "B", "capability": 1, "position": 1, "salience": 0.5}]
    >>> forecast(rows, model="median").summary
       round  issue  mean  median
    0      0  issue  0.333333     0.0
    >>> MODELS
    ('eu', 'mean', 'median')
    """
    if model not in MODELS:
        raise ForecastError(
            f"unknown model {model!r} (choose one of {', '.join(map(repr, MODELS))})"
        )
    if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)) or rounds < 0:
        raise ForecastError(f"rounds must be a non-negative integer, got {rounds!r}")
    if issue is not None and not isinstance(issue, str):
        raise ForecastError(f"issue must be a string, got {issue!r}")
    if model != "eu" and (params is not None or options):
        raise ForecastError(f"parameters apply to the 'eu' model only, not {model!r}")
    prm = EUParameters() if params is None else params
    if not isinstance(prm, EUParameters):
        raise ForecastError(f"params must be EUParameters, got {type(prm).__name__}")
    if options:
        known = [f.name for f in dataclasses.fields(EUParameters)]
        unknown = [k for k in options if k not in known]
        if unknown:
            raise ForecastError(
                f"unknown option{'s' if len(unknown) > 1 else ''} "
                f"{', '.join(map(repr, unknown))} (options: {', '.join(known)})"
            )
        prm = dataclasses.replace(prm, **options)

    data = scenario_or_table
    if isinstance(data, (str, os.PathLike)):
        from negsim.scenario import load_scenario

        data = load_scenario(data)
    skipped: dict[str, str] = {}
    if hasattr(data, "issues") and hasattr(data, "actors"):
        tables, skipped = _scenario_tables(data, issue)
    else:
        label = _TABLE_ISSUE if issue is None else issue
        tables = [(label, _table(data, label))]

    n_rounds = int(rounds) if model == "eu" else 0
    pos_frames, sum_frames, move_rows = [], [], []
    scales: dict[str, float] = {}
    for iid, tab in tables:
        names = tab["actor"].to_numpy()
        x0 = tab["position"].to_numpy()
        c = tab["capability"].to_numpy()
        s = tab["salience"].to_numpy()
        w = c * s
        if model == "eu":
            scales[iid] = _scale_for(x0, prm.position_range)
            traj, moves = _run_eu(x0, c, s, n_rounds, prm)
            for t, i, j, code, old, new in moves:
                move_rows.append((t, iid, names[i], names[j], Offer(code).name.lower(),
                                  old, new))
        else:
            traj = x0[None, :].astype(float)
        n_t, n_a = traj.shape
        pos_frames.append(pd.DataFrame({
            "round": np.repeat(np.arange(n_t), n_a),
            "issue": iid,
            "actor": np.tile(names, n_t),
            "position": traj.ravel(),
        }))
        sum_frames.append(pd.DataFrame({
            "round": np.arange(n_t),
            "issue": iid,
            "mean": traj @ w / w.sum(),
            "median": [_wmedian(row, w) for row in traj],
        }))
    positions = pd.concat(pos_frames, ignore_index=True)
    summary = pd.concat(sum_frames, ignore_index=True)
    moves_df = pd.DataFrame(move_rows, columns=["round", "issue", "actor", "proposer", "offer",
                                                "from_position", "to_position"])
    parameters: dict[str, Any] = {"rounds": n_rounds, "weights": "capability x salience"}
    if model == "eu":
        parameters.update(dataclasses.asdict(prm))
        parameters["position_range"] = scales
    if skipped:
        parameters["skipped_issues"] = skipped
    return ForecastResult(positions=positions, summary=summary, model=model,
                          parameters=parameters, moves=moves_df)


# ---------------------------------------------------------------------------------------
# plotting
# ---------------------------------------------------------------------------------------
def _pick_issue(result: ForecastResult, issue: str | None) -> str:
    issues = result.issues
    if issue is None:
        if len(issues) != 1:
            raise ForecastError(
                f"the result has {len(issues)} issues; pass issue= one of {', '.join(issues)}"
            )
        return issues[0]
    if issue not in issues:
        raise ForecastError(f"unknown issue {issue!r} (issues: {', '.join(issues)})")
    return issue


def forecast_plot_data(result: ForecastResult,
                       issue: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the numbers :func:`plot_forecast` draws for one issue.

    Returns
    -------
    trajectories : pandas.DataFrame
        Index ``round``, one column per actor (in input order): positions.
    summary : pandas.DataFrame
        Index ``round``, columns ``mean`` and ``median``.

    Examples
    --------
    >>> res = forecast({"actor": ["A", "B"], "capability": [1, 1], "position": [0, 1],
    ...                 "salience": [1, 0.2]}, rounds=2)
    >>> traj, summ = forecast_plot_data(res)
    >>> traj.columns.tolist(), summ.columns.tolist()
    (['A', 'B'], ['mean', 'median'])
    """
    if not isinstance(result, ForecastResult):
        raise ForecastError(f"expected a ForecastResult, got {type(result).__name__}")
    iid = _pick_issue(result, issue)
    pos = result.positions[result.positions["issue"] == iid]
    actors = list(dict.fromkeys(pos["actor"]))
    traj = pos.pivot(index="round", columns="actor", values="position")[actors]
    traj.columns.name = None
    summ = result.summary[result.summary["issue"] == iid].set_index("round")[["mean", "median"]]
    return traj, summ


def plot_forecast(result: ForecastResult, issue: str | None = None,
                  ax: Axes | None = None) -> Axes:
    """Draw each actor's position per round with the weighted mean and median.

    Parameters
    ----------
    result : ForecastResult
    issue : str, optional
        Which issue (required when the result has several).
    ax : matplotlib Axes, optional
        Where to draw; a new figure is created if None. Nothing is shown.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> res = forecast({"actor": ["A", "B"], "capability": [1, 1], "position": [0, 1],
    ...                 "salience": [1, 0.2]}, rounds=2)
    >>> ax = plot_forecast(res)
    >>> len(ax.lines)  # two actors, mean, median
    4
    """
    traj, summ = forecast_plot_data(result, issue)
    iid = _pick_issue(result, issue)
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7.0, 4.5), layout="constrained")
    rounds = traj.index.to_numpy()
    for actor in traj.columns:
        ax.plot(rounds, traj[actor].to_numpy(), marker="o", markersize=3.5, linewidth=1.2,
                alpha=0.85, label=str(actor))
    ax.plot(rounds, summ["mean"].to_numpy(), color="black", linestyle="--", linewidth=2.0,
            label="weighted mean")
    ax.plot(rounds, summ["median"].to_numpy(), color="dimgray", linestyle=":", linewidth=2.5,
            label="weighted median")
    ax.set_xlabel("round")
    ax.set_ylabel("position")
    ax.set_title(f"{result.model} forecast: {iid.replace('_', ' ')}")
    if len(rounds) <= 20:
        ax.set_xticks(rounds)
    ax.legend(fontsize="small", ncol=2 if traj.shape[1] > 6 else 1, loc="best")
    return ax
