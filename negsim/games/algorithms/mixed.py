r"""All Nash equilibria of two-player (bimatrix) games, by vectorised vertex enumeration.

The row player has payoff matrix :math:`A` and the column player :math:`B`, both of shape
``(m, n)``. After each player's payoffs are rescaled to :math:`[1, 2]` (a positive affine
map, which leaves the equilibria unchanged), the best-response polytopes are

.. math::

    P = \{x \in \mathbb{R}^m : x \ge 0,\ B^\top x \le 1\}, \qquad
    Q = \{y \in \mathbb{R}^n : A y \le 1,\ y \ge 0\}.

A point of :math:`P` has *label* :math:`i` (a row) when :math:`x_i = 0` and label
:math:`m + j` (a column) when column :math:`j` is a best response to :math:`x`
(:math:`(B^\top x)_j = 1`); a point of :math:`Q` has label :math:`i` when row :math:`i` is a
best response to :math:`y` and label :math:`m + j` when :math:`y_j = 0`. A pair
:math:`(x, y) \ne (0, 0)` whose labels together cover all :math:`m + n` labels, normalised
to probabilities, is a Nash equilibrium (von Stengel 2007, *Equilibrium computation for
two-player games in strategic and extensive form*, ch. 3 of *Algorithmic Game Theory*).

Method
------
:func:`enumerate_equilibria` lists the vertices of each polytope by a breadth-first walk
over its graph, starting at the origin: a whole level of the walk is pivoted at once, as
stacked simplex tableaux in numpy arrays (ratio tests, pivots and duplicate removal are
array operations, with no Python loop over vertices or supports). Ties in the ratio test
are broken by the lexicographic rule (a symbolic perturbation of the right-hand side, as in
Avis's lrs), so the walk also reaches every vertex of a *degenerate* polytope, where a
vertex has more tight constraints than the dimension. The cost grows with the number of
vertices of the two polytopes (a few thousand for random 10x10 games, tens of thousands
for 15x15), not with the number of supports. The complementary pairs are then matched on
bit-mask label sets: by exact look-up of the complement for vertices with exactly the
dimension's number of labels, and by a chunked all-pairs test for the others.

What is returned
----------------
*All extreme equilibria*: every pair of vertices :math:`(x, y)` of :math:`P \times Q`
other than the origin whose labels are complementary. For a nondegenerate game these are
all its Nash equilibria (finitely many, an odd number). For a degenerate game the
equilibria form finitely many convex *components* (maximal Nash subsets); the extreme
equilibria are the vertices of those components, and every equilibrium is a convex
combination of extreme equilibria within a component. This is the same set that Gambit's
``enummixed`` reports (Mangasarian 1964; Avis, Rosenberg, Savani and von Stengel 2010).
Ties are decided with the tolerance ``tol`` on the rescaled payoffs: two payoffs of a
player that differ by at most ``tol`` times that player's payoff range count as equal.

:func:`support_enumeration` is a second, independent method (equal-size supports, all
supports of one size solved as one batched linear solve), kept for cross-checking.
"""

from __future__ import annotations

import itertools

import numpy as np

from negsim.games.algorithms.bimatrix import rescale, sorted_unique_profiles, validate_bimatrix

__all__ = ["enumerate_equilibria", "support_enumeration"]

#: Number of tableau entries processed per batch (bounds the memory of one step).
_BATCH_ENTRIES = 1 << 18


# ---------------------------------------------------------------------------------------
# bit-mask keys
# ---------------------------------------------------------------------------------------


def _mask_words(mask: np.ndarray) -> np.ndarray:
    """Pack a boolean matrix into uint64 words of shape (rows, ceil(cols / 64)).

    Bit ``c % 64`` of word ``c // 64`` of a row is column ``c``.
    """
    n_rows, n_cols = mask.shape
    n_words = max(1, -(-n_cols // 64))
    packed = np.packbits(mask, axis=1, bitorder="little")
    padded = np.zeros((n_rows, 8 * n_words), dtype=np.uint8)
    padded[:, : packed.shape[1]] = packed
    return padded.view("<u8").astype(np.uint64, copy=False)


def _mask_keys(mask: np.ndarray) -> np.ndarray:
    """One sortable, hashable key per row of a boolean matrix.

    uint64 bit masks up to 64 columns, else fixed-width byte strings (numpy void).
    """
    words = _mask_words(mask)
    if words.shape[1] == 1:
        return words[:, 0]
    return np.ascontiguousarray(words).view(np.dtype((np.void, 8 * words.shape[1]))).ravel()


# ---------------------------------------------------------------------------------------
# vertex enumeration
# ---------------------------------------------------------------------------------------


def _lex_resolve(
    S: np.ndarray, N: np.ndarray, R: np.ndarray, alive: np.ndarray, col: np.ndarray, tol: float
) -> np.ndarray:
    """Lexicographic ratio test for pivots whose ordinary ratio test is tied.

    The right-hand side of constraint ``c`` is perturbed by ``eps**(c + 1)``. The slack of
    the nonbasic constraint in tableau row ``r`` then has coefficient 1 at position
    ``N[r]`` and ``R[q, r]`` at position ``S[q]``; dividing by the rate ``R[col, r]`` and
    taking the lexicographic minimum over the tied rows picks the unique entering row.

    Parameters
    ----------
    S, N : ndarray of int, shape (K, d) and (K, k)
        Basic and nonbasic constraint indices of each tied pivot's tableau.
    R : ndarray, shape (K, d, k)
        Rates of the tableaux: ``R[p, r]`` is the fall of the slack of ``N[r]`` per unit
        step along the edge that releases ``S[p]``.
    alive : ndarray of bool, shape (K, k)
        Rows tied at the minimum ordinary ratio.
    col : ndarray of int, shape (K,)
        The basic position released by each pivot.
    tol : float
        Tie tolerance.

    Returns
    -------
    ndarray of int, shape (K,)
        The entering tableau row of each pivot.
    """
    K, d, k = R.shape
    M = k + d
    coef = np.zeros((K, k, M))
    ik = np.arange(K)[:, None]
    ir = np.arange(k)[None, :]
    coef[ik, ir, N] = 1.0
    coef[ik[:, :, None], ir[:, :, None], S[:, None, :]] = R.transpose(0, 2, 1)
    rate = R[np.arange(K), col, :]  # (K, k)
    alive = alive.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        for c in range(M):
            if (alive.sum(axis=1) <= 1).all():
                break
            val = np.where(alive, coef[:, :, c] / rate, np.inf)
            alive &= val <= val.min(axis=1, keepdims=True) + tol
    return np.argmax(alive, axis=1)


def _polytope_vertices(
    Cs: list[np.ndarray], tol: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """All vertices of the polytopes ``{z >= 0 : C z <= 1}``, for positive matrices ``C``.

    Constraints are numbered ``0 .. d-1`` for ``z_i >= 0`` and ``d .. d+k-1`` for the rows
    of ``C``. The walk starts at the origin and pivots every basis of a level at once;
    polytopes of the same shape are walked together (one more key bit tells them apart).

    Parameters
    ----------
    Cs : list of ndarray, each of shape (k, d)
        Positive constraint matrices, all of the same shape.
    tol : float
        Slacks at most ``tol`` count as tight.

    Returns
    -------
    list of (coords, tight)
        Per polytope: the vertices, shape (V, d), the origin first, and the constraints
        tight at each vertex, boolean of shape (V, d + k).
    """
    k, d = Cs[0].shape
    M = d + k
    G = len(Cs)
    # Tableau of a basis: S (d basic constraints, by position), N (k nonbasic constraints,
    # by row), R[p, r] = rate at which the slack of N[r] falls when moving along the edge
    # that releases S[p], s[r] = slack of N[r]. At the origin the basis is z >= 0. Key bits
    # M and up hold the polytope's number.
    S = np.tile(np.arange(d), (G, 1))
    N = np.tile(np.arange(d, M), (G, 1))
    R = np.stack([C.T for C in Cs]).astype(float)
    s = np.ones((G, k))
    poly = np.arange(G)
    id_bits = max(1, (G - 1).bit_length())
    small = M + id_bits <= 64  # keys as uint64 bit masks, updated by XOR along pivots
    visited = _mask_keys(_basis_mask(S, M, poly, id_bits))  # keys of all bases reached
    keys = visited
    all_N: list[np.ndarray] = []
    all_s: list[np.ndarray] = []
    all_poly: list[np.ndarray] = []
    while len(S):
        all_N.append(N)
        all_s.append(s)
        all_poly.append(poly)
        bounds = _chunks(len(S), k * d)
        if len(bounds) == 1:
            par, col, row = _pivot_children(R, s, S, N, tol)
        else:
            parts = [_pivot_children(R[i:j], s[i:j], S[i:j], N[i:j], tol) for i, j in bounds]
            par = np.concatenate([p[0] + i for p, (i, _) in zip(parts, bounds, strict=True)])
            col = np.concatenate([p[1] for p in parts])
            row = np.concatenate([p[2] for p in parts])
        leaving, entering = S[par, col], N[par, row]
        if small:
            one = np.uint64(1)
            child = keys[par] ^ (one << leaving.astype(np.uint64))
            child ^= one << entering.astype(np.uint64)
        else:
            mask = _basis_mask(S[par], M, poly[par], id_bits)
            mask[np.arange(len(par)), leaving] = False
            mask[np.arange(len(par)), entering] = True
            child = _mask_keys(mask)
        child, first = np.unique(child, return_index=True)
        fresh = ~_in_sorted(child, visited)
        if not fresh.any():
            break
        first = first[fresh]
        keys = child[fresh]
        visited = np.union1d(visited, keys)
        # new tableaux, in the order of their (sorted) keys
        par, row, col = par[first], row[first], col[first]
        poly = poly[par]
        bounds = _chunks(len(par), k * d)
        if len(bounds) == 1:
            S, N, R, s = _pivot(S, N, R, s, par, row, col, tol)
        else:
            parts = [_pivot(S, N, R, s, par[i:j], row[i:j], col[i:j], tol) for i, j in bounds]
            S, N, R, s = (np.concatenate([p[c] for p in parts]) for c in range(4))
    n_all = sum(len(x) for x in all_N)
    slack = np.zeros((n_all, M))
    np.put_along_axis(slack, np.concatenate(all_N), np.concatenate(all_s), axis=1)
    tight = slack <= tol
    poly = np.concatenate(all_poly)
    out = []
    for g in range(G):
        sel = np.flatnonzero(poly == g)
        _, first = np.unique(_mask_keys(tight[sel]), return_index=True)
        first = sel[np.sort(first)]
        out.append((slack[first, :d], tight[first]))
    return out


def _in_sorted(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Membership of each element of ``a`` in the sorted array ``b``."""
    if not len(b):
        return np.zeros(len(a), dtype=bool)
    pos = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return b[pos] == a


def _basis_mask(S: np.ndarray, M: int, poly: np.ndarray, id_bits: int) -> np.ndarray:
    """Boolean membership matrix of the bases ``S`` among ``M`` constraints.

    ``id_bits`` more columns hold the number ``poly`` of each basis's polytope.
    """
    mask = np.zeros((len(S), M + id_bits), dtype=bool)
    np.put_along_axis(mask, S, True, axis=1)
    mask[:, M:] = (poly[:, None] >> np.arange(id_bits)) & 1
    return mask


def _chunks(n: int, per_item: int) -> list[tuple[int, int]]:
    """Split ``range(n)`` into batches of at most ``_BATCH_ENTRIES // per_item`` items."""
    step = max(1, _BATCH_ENTRIES // max(per_item, 1))
    return [(i, min(i + step, n)) for i in range(0, n, step)]


def _pivot_children(
    R: np.ndarray, s: np.ndarray, S: np.ndarray, N: np.ndarray, tol: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ratio tests of every edge of every basis in a batch.

    Returns, for each (basis, released position) pair, the basis index, the released
    position and the entering tableau row (lexicographic rule on ties).
    """
    F, d, k = R.shape
    ratio = np.full(R.shape, np.inf)
    np.divide(s[:, None, :], R, out=ratio, where=R > tol)
    row = np.argmin(ratio, axis=2)  # (F, d)
    best = ratio.min(axis=2, keepdims=True)
    best += tol
    tied = np.count_nonzero(ratio <= best, axis=2) > 1
    if tied.any():
        fi, pi = np.nonzero(tied)
        alive = ratio[fi, pi, :] <= best[fi, pi, 0][:, None]
        row[fi, pi] = _lex_resolve(S[fi], N[fi], R[fi], alive, pi, tol)
    par = np.repeat(np.arange(F), d)
    col = np.tile(np.arange(d), F)
    return par, col, row.ravel()


def _pivot(
    S: np.ndarray,
    N: np.ndarray,
    R: np.ndarray,
    s: np.ndarray,
    par: np.ndarray,
    row: np.ndarray,
    col: np.ndarray,
    tol: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pivot basis ``par`` on (row, col): N[row] enters the basis and S[col] leaves it.

    With rates ``R`` (``R[p, r]``: fall of the slack of ``N[r]`` per unit step along the
    edge releasing ``S[p]``) and pivot ``a = R[col, row] > 0``, the step is
    ``t = s[row] / a`` and, for rows ``r != row``,
    ``R'[:, r] = R[:, r] - R[col, r] (R[:, row] + e_col) / a``,
    ``s'[r] = s[r] - t R[col, r]``, while the leaving constraint takes row ``row`` with
    rates ``(R[:, row] + e_col) / a - e_col`` and slack ``t``.
    """
    K = len(par)
    ik = np.arange(K)
    R_new = R[par]
    s_new = s[par]
    piv = R_new[ik, col, row]
    prow = R_new[ik, :, row]  # (K, d)
    prow[ik, col] += 1.0
    prow /= piv[:, None]
    pcol = R_new[ik, col, :]  # (K, k)
    step = s_new[ik, row] / piv
    R_new -= prow[:, :, None] * pcol[:, None, :]
    prow[ik, col] -= 1.0
    R_new[ik, :, row] = prow
    s_new -= step[:, None] * pcol
    s_new[ik, row] = step
    s_new[np.abs(s_new) <= tol] = 0.0
    S_new = S[par]
    N_new = N[par]
    S_new[ik, col], N_new[ik, row] = N_new[ik, row], S_new[ik, col]
    return S_new, N_new, R_new, s_new


# ---------------------------------------------------------------------------------------
# equilibria
# ---------------------------------------------------------------------------------------


def _complementary_pairs(tx: np.ndarray, ty: np.ndarray, m: int, n: int) -> np.ndarray:
    """Index pairs (i, j) with the labels of x-vertex i and y-vertex j covering all labels."""
    wx, wy = _mask_words(tx), _mask_words(ty)
    full = _mask_words(np.ones((1, m + n), dtype=bool))[0]
    regular_x = tx.sum(axis=1) == m
    regular_y = ty.sum(axis=1) == n
    pairs = []
    # regular with regular: the y labels must be exactly the complement of the x labels
    ix, iy = np.nonzero(regular_x)[0], np.nonzero(regular_y)[0]
    if len(ix) and len(iy):
        ky = _mask_keys(ty[iy])
        kx = _mask_keys(~tx[ix])
        order = np.argsort(ky, kind="stable")
        pos = np.searchsorted(ky[order], kx)
        pos_c = np.minimum(pos, len(iy) - 1)
        hit = ky[order][pos_c] == kx
        pairs.append(np.column_stack([ix[hit], iy[order][pos_c[hit]]]))
    # any pair with a degenerate vertex: test all of them, in chunks
    deg_x, deg_y = np.nonzero(~regular_x)[0], np.nonzero(~regular_y)[0]
    for xs, ys in ((deg_x, np.arange(len(ty))), (np.nonzero(regular_x)[0], deg_y)):
        if not len(xs) or not len(ys):
            continue
        step = max(1, _BATCH_ENTRIES // (len(ys) * wx.shape[1]))
        for a in range(0, len(xs), step):
            xi = xs[a:a + step]
            cover = ((wx[xi][:, None, :] | wy[ys][None, :, :]) == full).all(axis=2)
            i, j = np.nonzero(cover)
            pairs.append(np.column_stack([xi[i], ys[j]]))
    if not pairs:
        return np.zeros((0, 2), dtype=np.intp)
    return np.concatenate(pairs)


def enumerate_equilibria(
    A: np.ndarray, B: np.ndarray, *, tol: float = 1e-9
) -> list[tuple[np.ndarray, np.ndarray]]:
    """All extreme Nash equilibria of the bimatrix game ``(A, B)``.

    Vertices of both best-response polytopes are enumerated by a batched, vectorised
    pivoting walk and matched on complementary labels (see the module docstring).

    Parameters
    ----------
    A : array_like, shape (m, n)
        Row player's payoffs.
    B : array_like, shape (m, n)
        Column player's payoffs.
    tol : float, default 1e-9
        Tie tolerance, relative to each player's payoff range: payoffs within
        ``tol * (max - min)`` of each other count as equal, and probabilities at most
        ``tol`` are set to zero.

    Returns
    -------
    list of (ndarray, ndarray)
        ``(p, q)`` probability vectors of length ``m`` and ``n``, one pair per extreme
        equilibrium, without duplicates, sorted in decreasing lexicographic order of the
        concatenated vector ``(p, q)`` (so pure equilibria on early rows come first).
        For a nondegenerate game this is the set of all Nash equilibria; for a degenerate
        game it is the set of vertices of the equilibrium components (every equilibrium
        is a convex combination of extreme equilibria that lie in one component), the
        set Gambit's ``enummixed`` reports.

    Raises
    ------
    ValueError
        If ``A`` or ``B`` is not a non-empty 2-D numeric array of finite values, if their
        shapes differ, or if ``tol`` is not in ``[0, 0.01)``.

    Notes
    -----
    The run time grows with the number of vertices of the best-response polytopes, which
    grows exponentially with the game's size: on random games, about 0.5 ms at 5x5, 5 ms
    at 10x10 (a few thousand vertices) and 0.3 to 1 s at 15x15 (tens of thousands).
    Memory per step is bounded by processing the tableaux in batches.

    Examples
    --------
    Battle of the sexes has two pure equilibria and one mixed:

    >>> A = np.array([[3, 0], [0, 2]])
    >>> B = np.array([[2, 0], [0, 3]])
    >>> for p, q in enumerate_equilibria(A, B):
    ...     print(np.round(p, 4), np.round(q, 4))
    [1. 0.] [1. 0.]
    [0.6 0.4] [0.4 0.6]
    [0. 1.] [0. 1.]

    Matching pennies has only the mixed one:

    >>> enumerate_equilibria([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    [(array([0.5, 0.5]), array([0.5, 0.5]))]
    """
    A, B = validate_bimatrix(A, B, tol)
    m, n = A.shape
    CP, CQ = rescale(B).T, rescale(A)
    if m == n:  # same shape: one walk for both
        (x, tx), (y, ty) = _polytope_vertices([CP, CQ], tol)
    else:
        (x, tx), (y, ty) = _polytope_vertices([CP], tol)[0], _polytope_vertices([CQ], tol)[0]
    # Q's constraints are numbered y >= 0 first: reorder to labels rows, then columns.
    ty = np.concatenate([ty[:, n:], ty[:, :n]], axis=1)
    keep_x, keep_y = ~tx[:, :m].all(axis=1), ~ty[:, m:].all(axis=1)  # drop the origins
    x, tx, y, ty = x[keep_x], tx[keep_x], y[keep_y], ty[keep_y]
    pairs = _complementary_pairs(tx, ty, m, n)
    return sorted_unique_profiles(x[pairs[:, 0]], y[pairs[:, 1]], tol)


# ---------------------------------------------------------------------------------------
# support enumeration (comparison method)
# ---------------------------------------------------------------------------------------


def _support_solve(
    M: np.ndarray, rows: np.ndarray, cols: np.ndarray, tol: float
) -> tuple[np.ndarray, np.ndarray]:
    """Solve ``M[I, J] z = u 1, sum z = 1`` for every support pair at once.

    Returns the solutions ``z`` (one per pair, length ``len(J)``) and ``u``; pairs whose
    system is singular get NaN.
    """
    K, k = rows.shape[0], rows.shape[1]
    sys = np.zeros((K, k + 1, k + 1))
    sys[:, :k, :k] = M[rows[:, :, None], cols[:, None, :]]
    sys[:, :k, k] = -1.0
    sys[:, k, :k] = 1.0
    rhs = np.zeros((K, k + 1))
    rhs[:, k] = 1.0
    sv = np.linalg.svd(sys, compute_uv=False)
    singular = sv[:, -1] <= 1e-10 * sv[:, 0]
    sys[singular] = np.eye(k + 1)
    sol = np.linalg.solve(sys, rhs[:, :, None])[:, :, 0]
    sol[singular] = np.nan
    return sol[:, :k], sol[:, k]


def support_enumeration(
    A: np.ndarray, B: np.ndarray, *, tol: float = 1e-9
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Nash equilibria with supports of equal size, all supports of a size solved at once.

    For each support size ``k`` every pair of ``k`` rows and ``k`` columns is tried: the
    indifference equations of both players are stacked into one batched linear solve, and
    the solutions that are probability vectors with no profitable deviation are kept.

    Parameters
    ----------
    A, B : array_like, shape (m, n)
        Row and column player's payoffs.
    tol : float, default 1e-9
        Tolerance (relative to each player's payoff range) for feasibility and best
        responses.

    Returns
    -------
    list of (ndarray, ndarray)
        Deduplicated equilibria, sorted as in :func:`enumerate_equilibria`. For a
        nondegenerate game this equals :func:`enumerate_equilibria`. For a degenerate game
        every returned profile is an equilibrium, but equilibria whose supports have
        different sizes, or whose indifference systems are singular, are missed, and a
        returned profile need not be extreme.

    Raises
    ------
    ValueError
        On invalid payoff matrices (see :func:`enumerate_equilibria`).

    Notes
    -----
    The work is ``sum_k C(m, k) C(n, k)`` small solves (184,756 for 10x10), so this is only
    practical up to about 10x10; :func:`enumerate_equilibria` scales with the number of
    vertices instead.

    Examples
    --------
    >>> A = np.array([[3, 0], [0, 2]])
    >>> B = np.array([[2, 0], [0, 3]])
    >>> len(support_enumeration(A, B))
    3
    """
    A, B = validate_bimatrix(A, B, tol)
    A, B = rescale(A), rescale(B)
    m, n = A.shape
    found_p, found_q = [], []
    for k in range(1, min(m, n) + 1):
        rows_all = np.array(list(itertools.combinations(range(m), k)), dtype=np.intp)
        cols_all = np.array(list(itertools.combinations(range(n), k)), dtype=np.intp)
        n_pairs = len(rows_all) * len(cols_all)
        step = max(1, _BATCH_ENTRIES // ((k + 1) ** 2 * 4))
        for start in range(0, n_pairs, step):
            idx = np.arange(start, min(start + step, n_pairs))
            rows, cols = rows_all[idx // len(cols_all)], cols_all[idx % len(cols_all)]
            q_s, u = _support_solve(A, rows, cols, tol)  # row player indifferent over I
            p_s, v = _support_solve(B.T, cols, rows, tol)  # column player over J
            ok = np.isfinite(u) & np.isfinite(v)
            ok &= (q_s >= -tol).all(axis=1) & (p_s >= -tol).all(axis=1)
            if not ok.any():
                continue
            rows, cols, p_s, q_s, u, v = rows[ok], cols[ok], p_s[ok], q_s[ok], u[ok], v[ok]
            K = len(rows)
            p = np.zeros((K, m))
            q = np.zeros((K, n))
            p[np.arange(K)[:, None], rows] = np.maximum(p_s, 0.0)
            q[np.arange(K)[:, None], cols] = np.maximum(q_s, 0.0)
            best = ((A @ q[:, :, None])[:, :, 0] <= u[:, None] + tol).all(axis=1)
            best &= ((p @ B) <= v[:, None] + tol).all(axis=1)
            found_p.append(p[best])
            found_q.append(q[best])
    if not found_p:
        return []
    return sorted_unique_profiles(np.concatenate(found_p), np.concatenate(found_q), tol)
