r"""The operational choices of the expected-utility model (:class:`EUParameters`).

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
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from negsim.forecasting.table import ForecastError

__all__ = ["EUParameters"]


@dataclass(frozen=True, slots=True)
class EUParameters:
    """Operational choices of the expected-utility model (see this module's docstring).

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
    negsim.forecasting.table.ForecastError: EUParameters.q must be in [0, 1], got 2.0
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

