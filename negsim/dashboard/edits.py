"""The numbers of a scenario that the dashboard lets you move, and the edited scenario.

A :class:`Knob` is one sourced number of a scenario (a dotted parameter path, as taken by
``negsim run --set``) with the range its slider spans: the sampled range of an uncertain
number (its ``[[uncertainty]]`` entry), else the number's valid range (capped at twice the
file value for numbers bounded only below). :func:`edit_scenario` applies the moved knobs
with :meth:`negsim.scenario.Scenario.with_overrides`, exactly as ``--set`` does: a moved
uncertain number is pinned, and the result is validated like a file.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from negsim.scenario import Scenario

__all__ = ["Knob", "changed_values", "edit_scenario", "knobs", "set_command"]

#: Steps across a slider's range (the step is rounded down to a power of ten).
_STEPS = 100


@dataclass(frozen=True)
class Knob:
    """One movable number of a scenario and the range of its slider.

    Attributes
    ----------
    path : str
        Dotted parameter path, e.g. ``actors.LNA.capability``.
    label : str
        The path in words, e.g. ``LNA capability``.
    group : str
        ``"uncertain"`` for sampled numbers, else the first part of the path's owner
        (an actor id, ``issues``, ``model`` or ``commitments``).
    value : float
        The value in the scenario file.
    low, high : float
        The slider's range (it always holds ``value``).
    step : float
        The slider's step, a power of ten.
    valid : tuple of float
        Closed bounds of the valid values (a moved value is clipped to them).
    uncertain : str
        How an uncertain number is sampled, e.g. ``triangular 0.35-0.65 (mode 0.5)``;
        empty for a fixed number.

    Examples
    --------
    >>> from negsim.scenario import load_scenario
    >>> k = knobs(load_scenario("libya-2020"))[0]
    >>> k.path, k.label, k.value, (k.low, k.high), k.step
    ('actors.LNA.capability', 'LNA capability', 0.5, (0.35, 0.65), 0.001)
    >>> k.uncertain
    'triangular 0.35-0.65 (mode 0.5)'
    >>> k.clip(0.80001), k.clip(0.123456)
    (0.8, 0.123)
    """

    path: str
    label: str
    group: str
    value: float
    low: float
    high: float
    step: float
    valid: tuple[float, float]
    uncertain: str = ""

    @property
    def decimals(self) -> int:
        """Decimal places of the step (a value is rounded to them)."""
        return max(0, -math.floor(math.log10(self.step) + 1e-9))

    def clip(self, x: float) -> float:
        """Round ``x`` to the step's decimals and clip it to the valid range."""
        lo, hi = self.valid
        return float(min(max(round(float(x), self.decimals), lo), hi))


def _label(path: str) -> str:
    parts = path.split(".")
    if parts[0] == "actors":
        rest = [p for p in parts[2:] if p not in ("demands", "backs", "outside_option", "factions")]
        if parts[2:3] == ["backs"]:
            rest = ["backs", *rest]
        return " ".join([parts[1], *rest]).replace("_", " ")
    if parts[0] == "model":
        return "model " + parts[1].replace("_", " ")
    return " ".join(parts[1:]).replace("_", " ")


def _step(span: float) -> float:
    if not span > 0:
        return 0.01
    return 10.0 ** math.floor(math.log10(span / _STEPS))


def _uncertain_range(unc: object, bounds: tuple[float, float]) -> tuple[float, float, str]:
    lo_b, hi_b = bounds
    dist = unc.distribution  # type: ignore[attr-defined]
    if dist == "normal":
        mean, sd = unc.mean, unc.sd  # type: ignore[attr-defined]
        return (max(lo_b, mean - 3 * sd), min(hi_b, mean + 3 * sd),
                f"normal, mean {mean:g}, sd {sd:g}")
    low, high = unc.low, unc.high  # type: ignore[attr-defined]
    words = f"{dist} {low:g}-{high:g}"
    if dist == "triangular":
        words += f" (mode {unc.mode:g})"  # type: ignore[attr-defined]
    return low, high, words


def knobs(scenario: Scenario) -> tuple[Knob, ...]:
    """Return the movable numbers of a scenario: the uncertain ones first, in file order.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    tuple of Knob
        One per parameter path (:meth:`Scenario.parameter_paths`).

    Examples
    --------
    >>> from negsim.scenario import load_scenario
    >>> s = load_scenario("libya-2020")
    >>> ks = knobs(s)
    >>> len(ks) == len(s.parameter_paths()), sum(bool(k.uncertain) for k in ks)
    (True, 22)
    >>> cap = next(k for k in ks if k.path == "actors.Turkey.capability")
    >>> cap.group, cap.value, (cap.low, cap.high)
    ('Turkey', 0.5, (0.0, 1.0))
    """
    sampled = {u.parameter: u for u in scenario.uncertainty}
    out_uncertain, out_fixed = [], []
    for path in scenario.parameter_paths():
        value = float(scenario.get(path))
        valid = scenario.parameter_bounds(path)
        if path in sampled:
            low, high, words = _uncertain_range(sampled[path], valid)
            group = "uncertain"
        else:
            low = valid[0] if math.isfinite(valid[0]) else min(0.0, value)
            high = valid[1] if math.isfinite(valid[1]) else max(1.0, 2.0 * value)
            words, group = "", path.split(".")[1] if path.startswith("actors.") else \
                path.split(".")[0]
        low, high = min(low, value), max(high, value)
        step = _step(high - low)
        low = max(valid[0], math.floor(low / step + 1e-9) * step)
        knob = Knob(path, _label(path), group, value, round(low, 12), round(high, 12), step,
                    valid, words)
        (out_uncertain if words else out_fixed).append(knob)
    order = {u.parameter: j for j, u in enumerate(scenario.uncertainty)}
    out_uncertain.sort(key=lambda k: order[k.path])
    return tuple(out_uncertain + out_fixed)


def changed_values(all_knobs: tuple[Knob, ...], values: Mapping[str, float]) -> dict[str, float]:
    """Return the moved knobs: path -> value, for values that differ from the file's.

    Examples
    --------
    >>> from negsim.scenario import load_scenario
    >>> ks = knobs(load_scenario("libya-2020"))
    >>> changed_values(ks, {"actors.LNA.capability": 0.5, "model.rationality": 2.0004})
    {'model.rationality': 2.0}
    """
    by_path = {k.path: k for k in all_knobs}
    out = {}
    for path, x in values.items():
        knob = by_path[path]
        new = knob.clip(x)
        if new != knob.value:
            out[path] = new
    return out


def edit_scenario(scenario: Scenario, overrides: Mapping[str, float]) -> Scenario:
    """Return the scenario with the moved numbers, validated (as ``negsim run --set``).

    Raises
    ------
    ScenarioError
        If a value is invalid for the scenario (e.g. a demand moved across its red line).

    Examples
    --------
    >>> from negsim.scenario import load_scenario
    >>> s = load_scenario("libya-2020")
    >>> e = edit_scenario(s, {"actors.LNA.capability": 0.6})
    >>> e.get("actors.LNA.capability"), len(e.uncertainty) == len(s.uncertainty) - 1
    (0.6, True)
    >>> edit_scenario(s, {}) is s
    True
    """
    return scenario.with_overrides(dict(overrides))


def set_command(scenario_arg: str, overrides: Mapping[str, float], runs: int, seed: int) -> str:
    """Return the ``negsim run`` command that runs the same ensemble.

    Examples
    --------
    >>> set_command("libya-2020", {"actors.LNA.capability": 0.6}, 3000, 0)
    'negsim run libya-2020 --runs 3000 --seed 0 --set actors.LNA.capability=0.6'
    """
    sets = "".join(f" --set {k}={v:g}" for k, v in overrides.items())
    return f"negsim run {scenario_arg} --runs {runs} --seed {seed}{sets}"
