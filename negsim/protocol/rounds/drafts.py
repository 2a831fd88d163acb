r"""How mediators draft: the registry of draft rules and the drafting box.

A mediated round's ``draft_rule`` names a registered rule (default ``"nash"``), a function
with the signature of :func:`~negsim.protocol.rounds.kernels.draft_text`:
``rule(w, ideal, disagreement, omega, lower, upper, status_quo) -> text (R, m)``.

- ``"nash"``: the asymmetric Nash bargaining solution among the participants and the
  mediators (:func:`~negsim.protocol.rounds.kernels.draft_text`, today's rule).
- ``"weighted_mean"``: the salience- and leverage-weighted mean of the bargainers' ideal
  points, :math:`x_k = \sum_b \omega_b w_{bk} \theta_{bk} / \sum_b \omega_b w_{bk}`, clipped
  to the box (the status quo, clipped, on issues nobody cares about). It ignores the
  outside options: a mediator who splits the difference by weight.

With ``respect_red_lines = true`` the mediators draft in the box of :func:`drafting_box`:
their own red lines, narrowed on each issue to the participants' known red lines where
these are compatible with each other and with the mediators' box on that issue.

Examples
--------
>>> draft_rules()
('nash', 'weighted_mean')
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from negsim._registry import Registry
from negsim.protocol.rounds.kernels import draft_text, mediator_box

__all__ = ["DraftRule", "draft_rule", "draft_rules", "drafting_box", "register_draft_rule",
           "weighted_mean"]

DraftRule = Callable[..., np.ndarray]
"""A draft rule: ``rule(w, ideal, disagreement, omega, lower, upper, status_quo)``."""

_RULES: Registry[DraftRule] = Registry("draft rule")


def weighted_mean(w: np.ndarray, ideal: np.ndarray, disagreement: np.ndarray, omega: np.ndarray,
                  lower: np.ndarray, upper: np.ndarray, status_quo: np.ndarray) -> np.ndarray:
    """Draft by the ``weighted_mean`` rule (see the module docstring).

    Examples
    --------
    >>> w = np.ones((1, 2, 1)); ideal = np.array([[[0.0], [1.0]]])
    >>> weighted_mean(w, ideal, np.zeros((1, 2)), np.array([[3.0, 1.0]]), np.zeros(1),
    ...               np.ones(1), np.zeros((1, 1)))
    array([[0.25]])
    """
    sq = np.clip(status_quo, lower, upper)
    aw = omega[..., None] * w
    awi = aw * ideal
    num, den = awi[:, 0], aw[:, 0]
    for j in range(1, aw.shape[1]):  # left to right, one fixed order
        num = num + awi[:, j]
        den = den + aw[:, j]
    mean = np.divide(num, den, out=sq.copy(), where=den > 0)
    return np.clip(mean, lower, upper)


def register_draft_rule(name: str, rule: DraftRule, *, replace: bool = False) -> None:
    """Register a draft rule under ``name`` (a mediated round's ``draft_rule``).

    Raises
    ------
    ValueError
        If the name is not an identifier or is taken (and ``replace`` is False).

    Examples
    --------
    >>> register_draft_rule("status_quo_example", lambda w, i, d, o, lo, hi, sq:
    ...                     np.clip(sq, lo, hi))
    >>> "status_quo_example" in draft_rules()
    True
    >>> _RULES.remove("status_quo_example")
    """
    _RULES.add(name, rule, replace=replace)


def draft_rule(name: str) -> DraftRule:
    """Return the draft rule registered under ``name``.

    Raises
    ------
    KeyError
        If there is none.

    Examples
    --------
    >>> draft_rule("nash").__name__
    'draft_text'
    """
    return _RULES.get(name)


def draft_rules() -> tuple[str, ...]:
    """Return the names of the registered draft rules.

    Examples
    --------
    >>> draft_rules()[0]
    'nash'
    """
    return _RULES.names()


def drafting_box(lo: np.ndarray, hi: np.ndarray, mediators: np.ndarray, participants: np.ndarray,
                 respect_red_lines: bool) -> tuple[np.ndarray, np.ndarray]:
    """Return the box the mediators draft and amend in, ``(lower, upper)``, each ``(m,)``.

    Their own red lines (:func:`~negsim.protocol.rounds.kernels.mediator_box`); with
    ``respect_red_lines``, narrowed on each issue to the participants' red lines where the
    result is not empty (on an issue where the participants' red lines conflict with each
    other or with the mediators' box, the mediators' box is kept).

    Examples
    --------
    >>> lo = np.array([[0.0], [0.6], [0.0]]); hi = np.array([[1.0], [1.0], [0.8]])
    >>> drafting_box(lo, hi, np.array([0]), np.array([1, 2]), True)
    (array([0.6]), array([0.8]))
    >>> drafting_box(lo, hi, np.array([0]), np.array([1, 2]), False)
    (array([0.]), array([1.]))
    """
    lower, upper = mediator_box(lo, hi, mediators)
    if not respect_red_lines or not len(participants):
        return lower, upper
    p_lo = np.maximum(lower, lo[participants].max(axis=0))
    p_hi = np.minimum(upper, hi[participants].min(axis=0))
    ok = (p_lo <= p_hi) & (lower <= upper)
    return np.where(ok, p_lo, lower), np.where(ok, p_hi, upper)


register_draft_rule("nash", draft_text)
register_draft_rule("weighted_mean", weighted_mean)
