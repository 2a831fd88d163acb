r"""Utilities from demands, strength in war and the value of fighting on.

All functions are vectorised: any leading axes (runs, profiles, ...) broadcast. The formulas
(see ``docs/explanation/model.md``):

* Utility of a text :math:`x \in [0,1]^m` for actor :math:`i`, with ideal points
  :math:`\theta_{ik}` and saliences :math:`s_{ik}` normalised to weights
  :math:`w_{ik} = s_{ik} / \sum_k s_{ik}`:
  :math:`U_i(x) = 1 - \sum_k w_{ik} (x_k - \theta_{ik})^2`, so :math:`U_i \in [0, 1]` and
  :math:`U_i(\theta_i) = 1`. Quadratic loss is the standard spatial model (risk aversion
  over each issue).
* Strength of a belligerent: own capability plus the share ``support`` of each patron's
  capability, :math:`S_i = c_i + \sum_p \mathrm{support}_{pi} c_p`.
* Win probability (Tullock contest): :math:`\pi_i = S_i^\gamma / \sum_{j \in B} S_j^\gamma`.
* Value of the war's end: the winner imposes its ideal point,
  :math:`W_i = \sum_{j \in B} \pi_j U_i(\theta_j)`.
* Value of fighting on, per period (each period costs :math:`c_i`; with probability
  :math:`q` the war is decided and :math:`W_i` is received every period after; discount
  :math:`\delta_i`):
  :math:`d_i = \dfrac{\delta_i q W_i - (1 - \delta_i) c_i}{1 - \delta_i (1 - q)}`.
  Actors without an outside option value the status quo: :math:`d_i = U_i(x^{sq})`.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "batch_power",
    "utility_block",
    "outside_options",
    "strengths",
    "text_utility",
    "utility_matrix",
    "war_discount",
    "war_values",
    "weights",
    "win_probabilities",
    "winner_utilities",
]


def weights(salience: np.ndarray) -> np.ndarray:
    """Normalise saliences ``(..., n, m)`` so each actor's weights sum to 1 (or are all 0).

    Examples
    --------
    >>> weights(np.array([[1.0, 3.0], [0.0, 0.0]]))
    array([[0.25, 0.75],
           [0.  , 0.  ]])
    """
    salience = np.asarray(salience, dtype=float)
    total = salience.sum(axis=-1, keepdims=True)
    return np.divide(salience, total, out=np.zeros_like(salience), where=total > 0)


def text_utility(w: np.ndarray, ideal: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Return the utility of text ``x (..., m)`` for every actor, ``(..., n)``.

    Parameters
    ----------
    w, ideal : ndarray, shape (..., n, m)
        Normalised salience weights and ideal points.
    x : ndarray, shape (..., m)
        The text: one position per issue.

    Examples
    --------
    >>> w = np.array([[0.5, 0.5], [1.0, 0.0]])
    >>> ideal = np.array([[0.0, 0.0], [1.0, 1.0]])
    >>> text_utility(w, ideal, np.array([0.5, 1.0]))
    array([0.375, 0.75 ])
    """
    diff = np.asarray(x, dtype=float)[..., None, :] - ideal
    return 1.0 - np.einsum("...ik,...ik->...i", w, diff * diff)


def utility_matrix(w: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    """``V[..., i, j] = U_i(ideal_j)``: how actor ``i`` values actor ``j``'s ideal text.

    Examples
    --------
    >>> w = np.array([[1.0], [1.0]])
    >>> utility_matrix(w, np.array([[0.0], [0.5]]))
    array([[1.  , 0.75],
           [0.75, 1.  ]])
    """
    diff = ideal[..., None, :, :] - ideal[..., :, None, :]  # [..., i, j, k] = th_jk - th_ik
    return 1.0 - np.einsum("...ik,...ijk->...ij", w, diff * diff)


def utility_block(w: np.ndarray, ideal: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> (
    np.ndarray
):
    """``utility_matrix(w, ideal)[..., rows, :][..., cols]``, computing only that block.

    The same operations on the same operands per entry, so bitwise the same numbers.

    Examples
    --------
    >>> w = np.ones((3, 1)); ideal = np.array([[0.0], [0.5], [1.0]])
    >>> rows, cols = np.array([0, 2]), np.array([1])
    >>> bool(np.all(utility_block(w, ideal, rows, cols)
    ...             == utility_matrix(w, ideal)[rows][:, cols]))
    True
    """
    diff = ideal[..., None, cols, :] - ideal[..., rows, None, :]
    return 1.0 - np.einsum("...ik,...ijk->...ij", w[..., rows, :], diff * diff)


def strengths(
    capability: np.ndarray,
    support: np.ndarray,
    bonus: np.ndarray | float = 0.0,
    flow: np.ndarray | float = 1.0,
) -> np.ndarray:
    """Strength in war of every actor, ``(..., n)``.

    Parameters
    ----------
    capability : ndarray, shape (..., n)
    support : ndarray, shape (..., n, n)
        ``support[..., p, i]``: share of patron ``p``'s capability that backs ``i``.
    bonus : ndarray, shape (..., n), optional
        Relative bonus of each actor's own capability (first strike).
    flow : ndarray, shape (..., n), optional
        Share of each patron's support that reaches its clients (an embargo the patron keeps
        cuts it).

    Examples
    --------
    >>> strengths(np.array([1.0, 0.5, 2.0]), np.array([[0, 0, 0], [0, 0, 0], [0, 0.5, 0]]))
    array([1. , 1.5, 2. ])
    """
    own = capability * (1.0 + np.asarray(bonus, dtype=float))
    given = capability * np.asarray(flow, dtype=float)
    return own + np.einsum("...p,...pi->...i", given, support)


def batch_power(base: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    """``np.power(base, exponent)`` computed the same way whatever the shapes.

    When the exponent is a scalar in numpy's inner loop (a broadcast operand), numpy takes
    fast paths for some exponents (a square root for 0.5, a square for 2), which round
    differently from its general power; how operands broadcast depends on the batch shape,
    so a run's result would depend on its batch. Both operands are therefore made
    contiguous arrays of one shape, which always takes the general path.

    Examples
    --------
    >>> x = np.array([[0.3, 0.7]]); g = np.array([[0.5]])
    >>> y = np.power(np.array([0.3, 0.7]), np.array([0.5, 0.5]))
    >>> bool(np.all(batch_power(x, g) == y))
    True
    """
    b, e = np.broadcast_arrays(np.asarray(base, dtype=float), np.asarray(exponent, dtype=float))
    flat_b = np.ascontiguousarray(b).reshape(-1)
    flat_e = np.ascontiguousarray(e).reshape(-1)
    return np.power(flat_b, flat_e).reshape(b.shape)


def win_probabilities(
    strength: np.ndarray, belligerent: np.ndarray, exponent: np.ndarray | float
) -> np.ndarray:
    """Tullock contest win probabilities among belligerents, ``(..., n)`` (0 for others).

    When every belligerent has zero strength, each wins with equal probability.

    Examples
    --------
    >>> win_probabilities(np.array([1.0, 3.0, 5.0]), np.array([True, True, False]), 1.0)
    array([0.25, 0.75, 0.  ])
    """
    gamma = np.asarray(exponent, dtype=float)[..., None]
    strength = np.asarray(strength, dtype=float)
    belligerent = np.asarray(belligerent, dtype=bool)
    powered = np.zeros(np.broadcast_shapes(strength.shape, gamma.shape))
    if belligerent.ndim == 1:  # the usual case: raise only the belligerents' strengths
        cols = np.flatnonzero(belligerent)
        powered[..., cols] = batch_power(np.maximum(strength[..., cols], 0.0), gamma)
    else:
        powered = np.where(belligerent, batch_power(np.maximum(strength, 0.0), gamma), 0.0)
    total = powered.sum(axis=-1, keepdims=True)
    even = np.where(belligerent, 1.0 / max(int(np.sum(belligerent)), 1), 0.0)
    return np.where(total > 0, powered / np.where(total > 0, total, 1.0), even)


def war_values(
    pi: np.ndarray,
    umat: np.ndarray,
    cost: np.ndarray,
    discount: np.ndarray,
    decisiveness: np.ndarray | float,
) -> np.ndarray:
    """Per-period value of fighting on for every actor, ``(..., n)``.

    Parameters
    ----------
    pi : ndarray, shape (..., n)
        Win probabilities (0 for non-belligerents).
    umat : ndarray, shape (..., n, n)
        ``umat[..., i, j] = U_i(ideal_j)`` (:func:`utility_matrix`).
    cost, discount : ndarray, shape (..., n)
        Cost of fighting per period and discount factor.
    decisiveness : float or ndarray, shape (...)
        Probability per period that fighting decides the war.

    Examples
    --------
    >>> pi = np.array([0.5, 0.5])
    >>> umat = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> war_values(pi, umat, np.array([0.1, 0.1]), np.array([0.9, 0.9]), 1.0)
    array([0.44, 0.44])
    """
    q = np.asarray(decisiveness, dtype=float)[..., None]
    w_end = np.einsum("...j,...ij->...i", pi, umat)
    return (discount * q * w_end - (1.0 - discount) * cost) / (1.0 - discount * (1.0 - q))


def outside_options(
    *,
    w: np.ndarray,
    ideal: np.ndarray,
    capability: np.ndarray,
    support: np.ndarray,
    cost: np.ndarray,
    discount: np.ndarray,
    status_quo: np.ndarray,
    belligerent: np.ndarray,
    exponent: np.ndarray,
    decisiveness: np.ndarray,
) -> np.ndarray:
    """Every actor's outside option if talks fail, ``(R, n)``.

    Actors with an outside option (finite ``discount``) get the value of fighting on with
    full patron support and no first strike; the others value the status quo text.

    Examples
    --------
    >>> d = outside_options(
    ...     w=np.array([[[1.0], [1.0]]]), ideal=np.array([[[0.0], [1.0]]]),
    ...     capability=np.array([[1.0, 1.0]]), support=np.zeros((1, 2, 2)),
    ...     cost=np.array([[0.1, 0.1]]), discount=np.array([[0.9, 0.9]]),
    ...     status_quo=np.array([[0.5]]), belligerent=np.array([True, True]),
    ...     exponent=np.array([1.0]), decisiveness=np.array([1.0]))
    >>> d
    array([[0.44, 0.44]])
    """
    umat = winner_utilities(w, ideal, belligerent)
    pi = win_probabilities(strengths(capability, support), belligerent, exponent)
    fight = war_values(pi, umat, cost, war_discount(discount), decisiveness)
    return np.where(np.isfinite(discount), fight, text_utility(w, ideal, status_quo))


def winner_utilities(w: np.ndarray, ideal: np.ndarray, belligerent: np.ndarray) -> np.ndarray:
    """``U_i(ideal_j)`` for every actor ``i`` and belligerent ``j``, ``(..., n, n)``.

    Only the winners' ideals matter in a war: non-belligerents win with probability 0, so
    their columns are left at 0 (0 * U = 0: the sums of :func:`war_values` are unchanged).

    Examples
    --------
    >>> winner_utilities(np.ones((2, 1)), np.array([[0.0], [1.0]]),
    ...                  np.array([True, False])).tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    cols = np.flatnonzero(belligerent)
    umat = np.zeros(w.shape[:-1] + (w.shape[-2],))
    umat[..., cols] = utility_block(w, ideal, np.arange(w.shape[-2]), cols)
    return umat


def war_discount(discount: np.ndarray) -> np.ndarray:
    """Discount factors for war values: 0.5 where an actor has none (NaN).

    Examples
    --------
    >>> war_discount(np.array([0.9, np.nan])).tolist()
    [0.9, 0.5]
    """
    return np.where(np.isfinite(discount), discount, 0.5)
