"""A scenario compiled to numpy arrays, and the sampling of its uncertain parameters.

The simulation never reads :class:`~negsim.scenario.Scenario` objects in its hot loops.
:func:`compile_scenario` turns a scenario into a :class:`Params` of arrays whose first axis is
the run; :func:`sample_params` fills the uncertain entries of those arrays, run by run, from
each run's own uniform draws (inverse transform sampling), so a run's parameters depend only
on the root seed and the run index.

Actors and issues keep the order of the scenario file. Patron links are stored as
``(patron, client)`` matrices.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
from scipy.special import ndtr, ndtri

from negsim.scenario import ModelParams, Scenario
from negsim.scenario.effects import effect_number_fields
from negsim.scenario.paths import draw_range, split_path

__all__ = ["FIELD_ALIASES", "Params", "compile_scenario", "sample_params", "scenario_value",
           "shared_red_lines", "slot", "split_by_red_lines"]

@dataclass(frozen=True)
class Params:
    """The numbers of a scenario as arrays with a leading run axis of length ``R``.

    Attributes
    ----------
    ideal, salience : ndarray, shape (R, n, m)
        Ideal points and raw saliences (issues without a demand have salience 0).
    capability, cost, discount : ndarray, shape (R, n)
        Capabilities and outside-option parameters (``cost`` 0 and ``discount`` NaN where an
        actor has no outside option).
    optimism : ndarray, shape (R, n)
        How much each actor overestimates its chance of winning (0 where the file says
        nothing; used by the implementation phase).
    leverage, support : ndarray, shape (R, n, n)
        Patron links, indexed ``[run, patron, client]``.
    status_quo : ndarray, shape (R, m)
        Where each issue stands with no agreement.
    breach_cost : ndarray, shape (R, c)
        Reputational cost of breaking each commitment.
    rationality, decisiveness, contest_exponent, first_strike, embargo_effect,
    amendment_reach : ndarray, shape (R,)
        Model-wide parameters.
    delivery, detection, monitoring_detection, estimate_error, learning, volatility : ndarray
        Shape (R,).
        The implementation phase's model-wide parameters (NaN where the file has none).
    outside_value, outside_value_alone : ndarray, shape (R, n)
        The ``value`` and ``value_if_others_sign`` of outside options that have them (NaN
        elsewhere).
    lo, hi : ndarray, shape (n, m)
        Red-line bounds: an actor signs only texts with ``lo <= x <= hi`` (0 and 1 where it
        has no red line). The same in every run, so no run axis; where red-line bounds are
        uncertain and differ between runs they are NaN, and :func:`split_by_red_lines`
        gives the groups of runs that share them.
    red_line_bounds : ndarray, shape (R, L, 2)
        ``min`` and ``max`` of each of the scenario's ``L`` red lines (actors in file order,
        then each actor's red lines in order), NaN where a red line has no such bound.
    red_line_cells : ndarray of int, shape (L, 2)
        The ``(actor, issue)`` each red line constrains. No run axis.
    effect_numbers : ndarray, shape (R, c, F)
        The extra sourced numbers of the commitments' effects (``value``, ``detection``,
        ``amount``, ...; the last axis in the order of
        :func:`negsim.scenario.effects.effect_number_fields`), NaN where a commitment has
        no such number.
    side_payments, guarantee : ndarray, shape (R, T, n)
        Each mediator's inducements in each of the ``T`` timeline entries (its budget for
        side payments and its guarantee, per period; 0 where the file has none; see
        :mod:`negsim.protocol.inducements`).
    faction_ideal, faction_salience : ndarray, shape (R, F, m)
        The ``F`` factions' own demands (actors in file order, then each actor's factions),
        NaN where a faction leaves the number to its leader.
    faction_strength, faction_rationality : ndarray, shape (R, F)
        Each faction's strength and logit precision (NaN: the model's ``rationality``).

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load_scenario("libya-2020")
    >>> p = compile_scenario(s, runs=4)
    >>> p.salience.shape, p.leverage.shape, p.lo.shape
    ((4, 6, 9), (4, 6, 6), (6, 9))
    >>> i, j = s.actor_ids.index("UAE"), s.actor_ids.index("LNA")
    >>> bool(p.leverage[0, i, j] > 0), bool(p.leverage[0, j, i] > 0)  # [run, patron, client]
    (True, False)
    """

    ideal: np.ndarray
    salience: np.ndarray
    capability: np.ndarray
    cost: np.ndarray
    discount: np.ndarray
    optimism: np.ndarray
    leverage: np.ndarray
    support: np.ndarray
    status_quo: np.ndarray
    breach_cost: np.ndarray
    rationality: np.ndarray
    decisiveness: np.ndarray
    contest_exponent: np.ndarray
    first_strike: np.ndarray
    embargo_effect: np.ndarray
    amendment_reach: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    delivery: np.ndarray
    detection: np.ndarray
    monitoring_detection: np.ndarray
    estimate_error: np.ndarray
    learning: np.ndarray
    volatility: np.ndarray
    red_line_bounds: np.ndarray
    red_line_cells: np.ndarray
    outside_value: np.ndarray
    outside_value_alone: np.ndarray
    effect_numbers: np.ndarray
    side_payments: np.ndarray
    guarantee: np.ndarray
    faction_ideal: np.ndarray
    faction_salience: np.ndarray
    faction_strength: np.ndarray
    faction_rationality: np.ndarray

    @property
    def runs(self) -> int:
        """Number of runs (the length of the leading axis).

        Examples
        --------
        >>> import negsim
        >>> compile_scenario(negsim.load_scenario("libya-2020"), runs=3).runs
        3
        """
        return int(self.capability.shape[0])

    def take(self, index: np.ndarray | slice | int) -> Params:
        """Return the parameters of a subset of runs (the run axis is kept).

        Examples
        --------
        >>> import negsim
        >>> s = negsim.load_scenario("libya-2020")
        >>> p = sample_params(s, np.linspace(0.1, 0.9, 3)[:, None].repeat(len(s.uncertainty), 1))
        >>> p.take(2).runs, p.take(np.array([0, 2])).capability.shape
        (1, (2, 6))
        >>> bool(np.all(p.take(2).capability[0] == p.capability[2]))
        True
        """
        if isinstance(index, int | np.integer):
            index = slice(int(index), int(index) + 1)
        values = {}
        for f in fields(self):
            arr = getattr(self, f.name)
            values[f.name] = arr if f.name in _NO_RUN_AXIS else arr[index]
        return Params(**values)


#: The fields of :class:`Params` without a run axis.
_NO_RUN_AXIS = ("lo", "hi", "red_line_cells")

#: The model-wide numbers, one per run: the fields of the scenario's ``[model]`` table.
_RUN_SCALARS = tuple(f.name for f in fields(ModelParams))


def compile_scenario(scenario: Scenario, runs: int = 1) -> Params:
    """Turn a scenario into :class:`Params` with ``runs`` identical copies of its values.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.
    runs : int
        Length of the leading run axis.

    Returns
    -------
    Params

    Examples
    --------
    >>> import negsim
    >>> p = compile_scenario(negsim.load_scenario("libya-2020"), runs=3)
    >>> p.ideal.shape[0], p.capability.shape
    (3, (3, 6))
    """
    actors = scenario.actors
    issues = scenario.issues
    n, m = len(actors), len(issues)
    a_idx = {a.id: i for i, a in enumerate(actors)}
    k_idx = {iss.id: k for k, iss in enumerate(issues)}
    ideal = np.zeros((n, m))
    salience = np.zeros((n, m))
    capability = np.zeros(n)
    cost = np.zeros(n)
    discount = np.full(n, np.nan)
    optimism = np.zeros(n)
    value = np.full(n, np.nan)
    alone = np.full(n, np.nan)
    leverage = np.zeros((n, n))
    support = np.zeros((n, n))
    bounds: list[tuple[float, float]] = []
    cells: list[tuple[int, int]] = []
    for i, actor in enumerate(actors):
        capability[i] = actor.capability.value
        for d in actor.demands:
            ideal[i, k_idx[d.issue]] = d.ideal.value
            salience[i, k_idx[d.issue]] = d.salience.value
        for rl in actor.red_lines:
            cells.append((i, k_idx[rl.issue]))
            bounds.append((np.nan if rl.min is None else rl.min,
                           np.nan if rl.max is None else rl.max))
        for link in actor.backs:
            leverage[i, a_idx[link.client]] = link.leverage.value
            support[i, a_idx[link.client]] = link.support.value
        oo = actor.outside_option
        if oo is not None:
            cost[i] = 0.0 if oo.cost is None else oo.cost.value
            discount[i] = oo.discount.value
            if oo.optimism is not None:
                optimism[i] = oo.optimism.value
            if oo.value is not None:
                value[i] = oo.value.value
            if oo.value_if_others_sign is not None:
                alone[i] = oo.value_if_others_sign.value
    induce = {name: np.zeros((len(scenario.timeline), n)) for name in ("side_payments",
                                                                      "guarantee")}
    for t, entry in enumerate(scenario.timeline):
        for ind in getattr(entry, "inducements", ()):
            for name, arr in induce.items():
                if getattr(ind, name) is not None:
                    arr[t, a_idx[ind.mediator]] = getattr(ind, name).value
    factions = [f for a in actors for f in a.factions]
    f_ideal = np.full((len(factions), m), np.nan)
    f_salience = np.full((len(factions), m), np.nan)
    for j, f in enumerate(factions):
        for d in f.demands:
            if d.ideal is not None:
                f_ideal[j, k_idx[d.issue]] = d.ideal.value
            if d.salience is not None:
                f_salience[j, k_idx[d.issue]] = d.salience.value
    status_quo = np.array([iss.status_quo.value for iss in issues], dtype=float)
    breach = np.array([c.breach_cost.value for c in scenario.commitments], dtype=float)
    numbered = effect_number_fields(scenario.commitments)
    effect_numbers = np.array(
        [[c.numbers[f].value if f in c.numbers else np.nan for f in numbered]
         for c in scenario.commitments], dtype=float).reshape(len(breach), len(numbered))
    mp = scenario.model
    rl_bounds = np.array(bounds, dtype=float).reshape(len(bounds), 2)
    rl_cells = np.array(cells, dtype=np.int64).reshape(len(cells), 2)
    lo, hi = _box(rl_bounds, rl_cells, n, m)

    def rep(x: np.ndarray) -> np.ndarray:
        return np.repeat(np.asarray(x, dtype=float)[None, ...], runs, axis=0)

    return Params(
        ideal=rep(ideal),
        salience=rep(salience),
        capability=rep(capability),
        cost=rep(cost),
        discount=rep(discount),
        optimism=rep(optimism),
        leverage=rep(leverage),
        support=rep(support),
        status_quo=rep(status_quo),
        breach_cost=rep(breach),
        lo=lo,
        hi=hi,
        red_line_bounds=rep(rl_bounds),
        red_line_cells=rl_cells,
        outside_value=rep(value),
        outside_value_alone=rep(alone),
        effect_numbers=rep(effect_numbers),
        side_payments=rep(induce["side_payments"]),
        guarantee=rep(induce["guarantee"]),
        faction_ideal=rep(f_ideal),
        faction_salience=rep(f_salience),
        faction_strength=rep([f.strength.value for f in factions]),
        faction_rationality=rep([np.nan if f.rationality is None else f.rationality.value
                                 for f in factions]),
        **{name: np.full(runs, np.nan if getattr(mp, name) is None else getattr(mp, name).value)
           for name in _RUN_SCALARS},
    )


def _box(bounds: np.ndarray, cells: np.ndarray, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Intersect red lines ``bounds (L, 2)`` on their ``cells (L, 2)`` into ``lo, hi (n, m)``."""
    lo = np.zeros((n, m))
    hi = np.ones((n, m))
    for (i, k), (rl_min, rl_max) in zip(cells.tolist(), bounds.tolist(), strict=True):
        if not np.isnan(rl_min):
            lo[i, k] = max(lo[i, k], rl_min)
        if not np.isnan(rl_max):
            hi[i, k] = min(hi[i, k], rl_max)
    return lo, hi


_PATHS: dict[int, tuple[Scenario, frozenset[str]]] = {}


def _paths(scenario: Scenario) -> frozenset[str]:
    """Return the scenario's parameter paths, cached for the last few scenarios seen."""
    hit = _PATHS.get(id(scenario))
    if hit is not None and hit[0] is scenario:
        return hit[1]
    if len(_PATHS) >= 8:
        _PATHS.pop(next(iter(_PATHS)))
    paths = frozenset(scenario.parameter_paths())
    _PATHS[id(scenario)] = (scenario, paths)
    return paths


#: Parameter paths whose last key differs from the :class:`Params` field holding them.
FIELD_ALIASES: dict[str, str] = {
    "value": "outside_value",
    "value_if_others_sign": "outside_value_alone",
}

#: How the id segments of a path index a :class:`Params` array: after ``actors.A``, a
#: ``demands.K`` adds the issue index and a ``backs.B`` the client's actor index.
_SECTIONS = {"actors": "actor", "issues": "issue", "commitments": "commitment"}


def slot(scenario: Scenario, path: str) -> tuple[str, tuple[int, ...]]:
    """Map a dotted parameter path to ``(Params field, index after the run axis)``.

    The mapping is generic: the ids in the path give the index (``actors.A`` the actor,
    ``demands.K`` the issue, ``backs.B`` the client, ``issues.K`` the issue,
    ``commitments.C`` the commitment, ``red_lines[i]`` the red line, ``timeline[t]`` and
    ``inducements.M`` the entry and the mediator) and the last key
    names the field (through :data:`FIELD_ALIASES` where the names differ). Tables that
    only group numbers (``outside_option``) add no index. A red line's bound maps to
    ``red_line_bounds``, index ``(line, 0)`` for ``min`` and ``(line, 1)`` for ``max``.

    Raises
    ------
    ValueError
        If the path names no number of the scenario held by a :class:`Params` array.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load_scenario("libya-2020")
    >>> slot(s, "actors.LNA.capability")
    ('capability', (1,))
    >>> slot(s, "actors.LNA.red_lines[1].min")
    ('red_line_bounds', (1, 0))
    >>> slot(negsim.load_scenario("tests/data/scenarios/relief.toml"),
    ...      "commitments.inspections.detection")
    ('effect_numbers', (2, 2))

    A mediator's inducements in a mediated round, by the entry's index and the mediator:

    >>> a = negsim.load_scenario("tests/data/scenarios/accord_induced.toml")
    >>> slot(a, "timeline[0].inducements.EU.side_payments")
    ('side_payments', (0, 5))
    """
    try:
        parts = split_path(path)
    except ValueError:
        parts = []
    index: list[int] = []
    ids = {
        "actor": {a.id: i for i, a in enumerate(scenario.actors)},
        "issue": {iss.id: k for k, iss in enumerate(scenario.issues)},
        "commitment": {c.id: k for k, c in enumerate(scenario.commitments)},
    }
    known = {f.name for f in fields(Params)} - set(_NO_RUN_AXIS)
    j = 0
    try:
        if parts and parts[0] in _SECTIONS and len(parts) > 2:
            index.append(ids[_SECTIONS[str(parts[0])]][str(parts[1])])
            j = 2
            if parts[0] == "actors" and parts[j] in ("demands", "backs") and len(parts) > 4:
                what = "issue" if parts[j] == "demands" else "actor"
                index.append(ids[what][str(parts[j + 1])])
                j += 2
            elif parts[0] == "actors" and parts[j] == "red_lines" and len(parts) == 5:
                actor = scenario.actor(str(parts[1]))
                line = sum(len(a.red_lines) for a in scenario.actors[: index[0]])
                if isinstance(parts[3], int) and parts[3] < len(actor.red_lines) \
                        and parts[4] in ("min", "max"):
                    bound = getattr(actor.red_lines[parts[3]], str(parts[4]))
                    if bound is not None:
                        return "red_line_bounds", (line + parts[3], ("min", "max").index(
                            str(parts[4])))
                raise KeyError(path)
            elif parts[0] == "actors" and parts[j] == "outside_option":
                j += 1
            elif parts[0] == "actors" and parts[j] == "factions" and len(parts) > 4:
                index[0] = _faction_index(scenario, str(parts[1]), str(parts[3]))
                j += 2
                if parts[j] == "demands" and len(parts) == 7:
                    index.append(ids["issue"][str(parts[j + 1])])
                    j += 2
                if len(parts) == j + 1:
                    return _faction_field(scenario, path, str(parts[j]), tuple(index))
        elif parts and parts[0] == "model":
            j = 1
        elif parts[:1] == ["timeline"] and len(parts) == 5 and parts[2] == "inducements":
            index += [int(parts[1]), ids["actor"][str(parts[3])]]
            j = 4
    except (KeyError, LookupError):
        j = -1
    if j == 2 and parts[0] == "commitments" and len(parts) == 3 and path in _paths(scenario):
        numbered = effect_number_fields(scenario.commitments)
        if parts[2] in numbered:  # an effect's own number (before the actors' aliases)
            return "effect_numbers", (index[0], numbered.index(str(parts[2])))
    if j >= 0 and len(parts) == j + 1 and isinstance(parts[j], str):
        name = FIELD_ALIASES.get(str(parts[j]), str(parts[j]))
        if name in known and path in _paths(scenario):
            return name, tuple(index)
    raise ValueError(f"{scenario.origin}: uncertainty: unknown parameter path {path!r}")


def _faction_index(scenario: Scenario, actor: str, faction: str) -> int:
    """Return the index of ``actor``'s faction ``faction`` among all factions."""
    ids = [(a.id, f.id) for a in scenario.actors for f in a.factions]
    return ids.index((actor, faction)) if (actor, faction) in ids else -1


def _faction_field(scenario: Scenario, path: str, name: str, index: tuple[int, ...]) -> (
    tuple[str, tuple[int, ...]]
):
    """Map the last key of a faction's path to its :class:`Params` field."""
    if index[0] >= 0 and name in ("ideal", "salience", "strength", "rationality") \
            and path in _paths(scenario):
        return f"faction_{name}", index
    raise ValueError(f"{scenario.origin}: uncertainty: unknown parameter path {path!r}")


def _inverse_cdf(u: np.ndarray, unc: object, bounds: tuple[float, float]) -> np.ndarray:
    """Sample one uncertainty entry by inverse transform of uniforms ``u``."""
    lo_b, hi_b = bounds
    dist = unc.distribution  # type: ignore[attr-defined]
    if dist == "uniform":
        x = unc.low + u * (unc.high - unc.low)  # type: ignore[attr-defined]
    elif dist == "triangular":
        a, c, b = unc.low, unc.mode, unc.high  # type: ignore[attr-defined]
        if b == a:
            x = np.full_like(u, a)
        else:
            f = (c - a) / (b - a)
            left = a + np.sqrt(u * (b - a) * (c - a))
            right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
            x = np.where(u < f, left, right)
    elif dist == "normal":
        mu, sd = unc.mean, unc.sd  # type: ignore[attr-defined]
        # Truncate to the parameter's valid range: map u into [F(lo), F(hi)].
        f_lo = ndtr((lo_b - mu) / sd) if np.isfinite(lo_b) else 0.0
        f_hi = ndtr((hi_b - mu) / sd) if np.isfinite(hi_b) else 1.0
        q = f_lo + u * (f_hi - f_lo)
        x = mu + sd * ndtri(np.clip(q, 1e-300, 1.0 - 1e-16))
    else:  # validated by the scenario loader; kept as a guard for hand-built objects
        raise ValueError(f"unknown distribution {dist!r}")
    return np.clip(x, lo_b, hi_b)


def sample_params(scenario: Scenario, uniforms: np.ndarray, base: Params | None = None) -> Params:
    """Draw each run's uncertain parameters from its uniforms.

    Parameters
    ----------
    scenario : Scenario
        The scenario whose ``uncertainty`` section is sampled.
    uniforms : ndarray, shape (R, len(scenario.uncertainty))
        One uniform in [0, 1) per run and uncertainty entry, in file order.
    base : Params, optional
        Compiled parameters with ``R`` runs (compiled here if not given).

    Returns
    -------
    Params
        ``base`` with the uncertain entries replaced, run by run. Saliences, ideal points and
        other [0, 1] quantities stay in range because normal draws are truncated to the valid
        range of their parameter.

    Examples
    --------
    >>> import negsim, numpy as np
    >>> s = negsim.load_scenario("libya-2020")
    >>> u = np.full((2, len(s.uncertainty)), 0.5)
    >>> p = sample_params(s, u)
    >>> bool(np.all(p.capability[0] == p.capability[1]))
    True
    """
    uniforms = np.asarray(uniforms, dtype=float)
    runs = uniforms.shape[0]
    n_unc = len(scenario.uncertainty)
    if uniforms.shape != (runs, n_unc):
        raise ValueError(f"uniforms must have shape (runs, {n_unc}), got {uniforms.shape}")
    params = compile_scenario(scenario, runs) if base is None else base
    if n_unc == 0:
        return params
    updates: dict[str, np.ndarray] = {}
    data: dict[str, Any] | None = None
    for j, unc in enumerate(scenario.uncertainty):
        name, index = slot(scenario, unc.parameter)
        arr = updates.setdefault(name, getattr(params, name).copy())
        if name == "red_line_bounds" and unc.distribution == "normal" and data is None:
            data = scenario.to_dict()  # a normal bound is kept on its side of the red line
        bounds = draw_range(unc, data, scenario.uncertainty)
        arr[(slice(None), *index)] = _inverse_cdf(uniforms[:, j], unc, bounds)
    if "red_line_bounds" in updates:
        rl = updates["red_line_bounds"]
        n, m = params.lo.shape
        if runs and bool(np.all((rl == rl[:1]) | (np.isnan(rl) & np.isnan(rl[:1])))):
            updates["lo"], updates["hi"] = _box(rl[0], params.red_line_cells, n, m)
        else:
            updates["lo"], updates["hi"] = np.full((n, m), np.nan), np.full((n, m), np.nan)
    return replace(params, **updates)


def shared_red_lines(p: Params, what: str) -> Params:
    """Return ``p`` if every run has the same red lines; else raise naming ``what``.

    For computations that take one set of red lines for all runs.

    Raises
    ------
    ValueError
        If red-line bounds are uncertain and differ between runs.

    Examples
    --------
    >>> import negsim
    >>> p = compile_scenario(negsim.load_scenario("libya-2020"), runs=2)
    >>> shared_red_lines(p, "a deal analysis") is p
    True
    """
    if bool(np.isnan(p.lo).any()):
        raise ValueError(f"{what} do not support red-line bounds under [[uncertainty]] yet; "
                         "pin them with --set (or Scenario.with_overrides)")
    return p


def split_by_red_lines(p: Params) -> list[tuple[np.ndarray, Params]]:
    """Group runs that share their red lines, each group with its ``lo`` and ``hi``.

    Where red-line bounds are uncertain, each run has its own red lines, and
    :attr:`Params.lo` and :attr:`Params.hi` (no run axis) are NaN; the rounds are then
    played group by group. With red lines the same in every run this is one group.

    Returns
    -------
    list of (ndarray of int, Params)
        The run positions of each group (in order of first appearance) and their params.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load_scenario("libya-2020")
    >>> [(idx.tolist(), q.runs) for idx, q in split_by_red_lines(compile_scenario(s, runs=3))]
    [([0, 1, 2], 3)]
    """
    if p.runs == 0 or not np.isnan(p.lo).any():
        return [(np.arange(p.runs), p)]
    n, m = p.lo.shape
    flat = np.nan_to_num(p.red_line_bounds.reshape(p.runs, -1), nan=-1.0)
    _, first, inverse = np.unique(flat, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    out = []
    for g in np.argsort(first, kind="stable"):
        idx = np.flatnonzero(inverse == g)
        lo, hi = _box(p.red_line_bounds[idx[0]], p.red_line_cells, n, m)
        out.append((idx, replace(p.take(idx), lo=lo, hi=hi)))
    return out


def scenario_value(p: Params, scenario: Scenario, path: str) -> np.ndarray:
    """Return the sampled value of a dotted parameter path, one per run.

    Examples
    --------
    >>> import negsim
    >>> s = negsim.load_scenario("libya-2020")
    >>> scenario_value(compile_scenario(s, runs=2), s, "actors.LNA.capability").tolist()
    [0.5, 0.5]
    """
    name, index = slot(scenario, path)
    return getattr(p, name)[(slice(None), *index)]
