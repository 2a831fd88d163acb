"""Dotted paths to the numbers of a scenario, found by walking the file's tables.

Every number that carries a modelling claim has a path: a sourced number
(``{ value = ..., source = ..., quote = ... }``) is addressed by the keys leading to it
(``actors.LNA.capability``, ``actors.LNA.outside_option.cost``), and a plain number in a
table that carries its own provenance, such as a red line's bounds, by its key in that table,
with array items by index (``actors.LNA.red_lines[0].min``). The walk reads the scenario in
the shape of its TOML file (:meth:`Scenario.to_dict`), so a number added to the format is
addressable without changes here: the numbers of a timeline entry (a mediated round's
inducements) by the entry's index, ``timeline[2].inducements.EU.side_payments``. Sources,
observations and the uncertainty section hold no parameters.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterator
from typing import Any

from negsim.scenario.checker import Checker
from negsim.scenario.elements import Provenance, Sourced, Uncertainty
from negsim.scenario.errors import format_number
from negsim.scenario.vocabulary import FIELD_RANGES, PROV_KEYS, UNIT, Range

__all__ = ["BOUND_FIELDS", "check_red_line_draws", "draw_range", "field_range", "find_numbers",
           "split_path", "support", "walk_numbers"]

BOUND_FIELDS = {"min": UNIT, "max": UNIT}
"""The plain numbers of a table with its own provenance (a red line's bounds) and their ranges."""

_SKIPPED = frozenset({"schema_version", "id", "title", "description", "sources",
                      "observed", "uncertainty"})
_SEGMENT_RE = re.compile(r"([^.\[\]]+)((?:\[\d+\])*)")
_BOUND_RE = re.compile(r"actors\.(.+)\.red_lines\[(\d+)\]\.(min|max)")


def _is_number(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _provenance(tbl: dict[str, Any]) -> Provenance:
    return Provenance(**{k: tbl[k] for k in PROV_KEYS if k in tbl})


def _is_sourced(x: object) -> bool:
    return (isinstance(x, dict) and "value" in x and _is_number(x["value"])
            and set(x) <= {"value", *PROV_KEYS})


def walk_numbers(data: dict[str, Any]) -> Iterator[tuple[str, Sourced]]:
    """Yield ``(path, sourced number)`` for every number of a scenario table, in file order.

    Parameters
    ----------
    data : dict
        A scenario in the shape of its TOML file (:meth:`Scenario.to_dict`).

    Examples
    --------
    >>> data = {"actors": {"A": {"capability": {"value": 0.5, "assumption": "x"},
    ...         "red_lines": [{"issue": "i", "min": 0.2, "description": "d",
    ...                        "assumption": "y"}]}}}
    >>> [(p, s.value) for p, s in walk_numbers(data)]
    [('actors.A.capability', 0.5), ('actors.A.red_lines[0].min', 0.2)]
    """
    for key, value in data.items():
        if key not in _SKIPPED:
            yield from _walk(value, key)


def _walk(x: object, path: str) -> Iterator[tuple[str, Sourced]]:
    if _is_sourced(x):
        yield path, Sourced(float(x["value"]), _provenance(x))  # type: ignore[index]
    elif isinstance(x, dict):
        has_prov = any(k in x for k in PROV_KEYS)
        for key, value in x.items():
            if has_prov and key in BOUND_FIELDS and _is_number(value):
                yield f"{path}.{key}", Sourced(float(value), _provenance(x))
            elif isinstance(value, dict | list):
                yield from _walk(value, f"{path}.{key}")
    elif isinstance(x, list):
        for i, item in enumerate(x):
            yield from _walk(item, f"{path}[{i}]")


def find_numbers(data: dict[str, Any]) -> dict[str, Sourced]:
    """Return every number of a scenario table by its path (see :func:`walk_numbers`).

    Examples
    --------
    >>> from negsim.scenario import MINIMAL, parse_scenario
    >>> table = find_numbers(parse_scenario(MINIMAL).to_dict())
    >>> table["model.rationality"].value
    5.0
    """
    return dict(walk_numbers(data))


def split_path(path: str) -> list[str | int]:
    """Split a dotted path into keys and list indices.

    Raises
    ------
    ValueError
        If the path is not a dotted path (``a.b[0].c``).

    Examples
    --------
    >>> split_path("actors.LNA.red_lines[0].min")
    ['actors', 'LNA', 'red_lines', 0, 'min']
    """
    out: list[str | int] = []
    for part in path.split("."):
        m = _SEGMENT_RE.fullmatch(part)
        if m is None:
            raise ValueError(f"not a dotted path: {path!r}")
        out.append(m.group(1))
        out += [int(i) for i in re.findall(r"\[(\d+)\]", m.group(2))]
    return out


def field_range(path: str) -> Range:
    """Return the documented valid range of the number at ``path`` (by its last key).

    Examples
    --------
    >>> str(field_range("actors.A.red_lines[1].max")), str(field_range("model.decisiveness"))
    ('[0, 1]', '(0, 1]')
    """
    last = path.rsplit(".", 1)[-1]
    if last in FIELD_RANGES:
        return FIELD_RANGES[last]
    if last in BOUND_FIELDS:
        return BOUND_FIELDS[last]
    return Range(-math.inf, math.inf)


def draw_range(unc: Uncertainty, data: dict[str, Any] | None = None,
               uncertainty: tuple[Uncertainty, ...] = ()) -> tuple[float, float]:
    """Return the closed interval a parameter's draws are truncated (or clipped) to.

    It is the parameter's valid range (:func:`field_range`), except for a ``normal``
    distribution of a red-line bound, which is truncated further to the values that keep
    the red line valid in every run, as the file states it (``data``, the scenario in the
    shape of its file; ``uncertainty``, its ``[[uncertainty]]`` entries): a ``min`` at or
    below the lowest value the red line's ``max`` can take (fixed, or the ``low`` of its
    uniform or triangular draw) and at or below the actor's own ideal point on the issue
    (if fixed); a ``max`` likewise at or above the highest ``min`` and the ideal point. A
    bound of the other side that is itself drawn from a normal does not narrow it.

    Examples
    --------
    >>> p = Provenance(assumption="x")
    >>> data = {"actors": {"A": {"demands": {"i": {"ideal": {"value": 0.4}}}, "red_lines": [
    ...     {"issue": "i", "min": 0.2, "max": 0.7}]}}}
    >>> u = Uncertainty("actors.A.red_lines[0].max", "normal", None, None, None, 0.8, 0.2, p)
    >>> draw_range(u), draw_range(u, data, (u,))  # at or above the min 0.2 and the ideal 0.4
    ((0.0, 1.0), (0.4, 1.0))
    >>> m = Uncertainty("actors.A.red_lines[0].min", "uniform", 0.1, 0.5, None, None, None, p)
    >>> draw_range(u, data, (u, m))  # the highest min the uniform draws is 0.5
    (0.5, 1.0)
    """
    lo, hi = field_range(unc.parameter).closed()
    found = _BOUND_RE.fullmatch(unc.parameter)
    if unc.distribution != "normal" or found is None or data is None:
        return lo, hi
    aid, i, bound = found.group(1), int(found.group(2)), found.group(3)
    try:
        actor = data["actors"][aid]
        line = actor["red_lines"][i]
    except (KeyError, IndexError, TypeError):
        return lo, hi
    where = {u.parameter: u for u in uncertainty}
    other = "max" if bound == "min" else "min"
    limits: list[float] = []
    other_path = f"actors.{aid}.red_lines[{i}].{other}"
    if other in line and other_path not in where:
        limits.append(float(line[other]))
    elif other in line and where[other_path].distribution != "normal":
        limits.append(support(where[other_path])[0 if bound == "min" else 1])
    demand = actor.get("demands", {}).get(line.get("issue"))
    if isinstance(demand, dict) and f"actors.{aid}.demands.{line.get('issue')}.ideal" \
            not in where:
        limits.append(float(demand["ideal"]["value"]))
    if bound == "min":
        return lo, min([hi, *limits])
    return max([lo, *limits]), hi


def support(unc: Uncertainty, data: dict[str, Any] | None = None,
            uncertainty: tuple[Uncertainty, ...] = ()) -> tuple[float, float]:
    """Return the closed interval a parameter's draws fall in.

    A uniform or triangular distribution draws in ``[low, high]`` (clipped to the
    parameter's valid range); a normal one is truncated to :func:`draw_range` (the
    parameter's valid range; for a red-line bound, what keeps the red line valid, given the
    scenario's ``data`` and ``uncertainty``).

    Examples
    --------
    >>> u = Uncertainty("actors.A.red_lines[0].min", "uniform", 0.1, 0.3, None, None, None,
    ...                 Provenance(assumption="x"))
    >>> support(u)
    (0.1, 0.3)
    """
    lo, hi = field_range(unc.parameter).closed()
    if unc.distribution in ("uniform", "triangular") and None not in (unc.low, unc.high):
        return max(lo, float(unc.low)), min(hi, float(unc.high))  # type: ignore[arg-type]
    return draw_range(unc, data, uncertainty)


def check_red_line_draws(c: Checker, data: dict[str, Any],
                         uncertainty: tuple[Uncertainty, ...]) -> None:
    """Report uncertain red-line bounds whose draws could break the red line.

    A red line must keep ``min <= max`` in every run, and keep the actor's own (fixed)
    ideal point on its issue inside it, as in the file. Each problem is reported on the
    ``parameter`` of the uncertainty entry, with the bound that could be crossed.

    Parameters
    ----------
    c : Checker
        Collects the problems.
    data : dict
        The scenario in the shape of its file (:meth:`Scenario.to_dict`).
    uncertainty : tuple of Uncertainty
        The scenario's ``[[uncertainty]]`` entries.

    Examples
    --------
    >>> c = Checker("my.toml")
    >>> data = {"actors": {"A": {"demands": {}, "red_lines": [
    ...     {"issue": "i", "min": 0.2, "max": 0.5, "description": "d", "assumption": "y"}]}}}
    >>> u = Uncertainty("actors.A.red_lines[0].min", "uniform", 0.1, 0.6, None, None, None,
    ...                 Provenance(assumption="x"))
    >>> check_red_line_draws(c, data, (u,))
    >>> print(c.problems[0])  # doctest: +NORMALIZE_WHITESPACE
    my.toml: uncertainty[0].parameter: actors.A.red_lines[0].min can be drawn up to 0.6,
    above the red line's max 0.5: the draws must keep min <= max (e.g. high <= 0.5)
    """
    where = {u.parameter: (j, u) for j, u in enumerate(uncertainty)}
    actors = data.get("actors")
    if not isinstance(actors, dict):
        return
    for aid, actor in actors.items():
        if not isinstance(actor, dict):
            continue
        for i, rl in enumerate(actor.get("red_lines", [])):
            base = f"actors.{aid}.red_lines[{i}]"
            span: dict[str, tuple[float, float]] = {}
            for b in ("min", "max"):
                if b in rl:
                    span[b] = (support(where[f"{base}.{b}"][1], data, uncertainty)
                               if f"{base}.{b}" in where else (float(rl[b]), float(rl[b])))
            if not any(f"{base}.{b}" in where for b in span):
                continue
            if "min" in span and "max" in span and span["min"][1] > span["max"][0]:
                bad = "min" if f"{base}.min" in where else "max"
                j = where[f"{base}.{bad}"][0]
                if bad == "min":
                    msg = (f"{base}.min can be drawn up to {format_number(span['min'][1])}, "
                           f"above the red line's max {format_number(span['max'][0])}: the "
                           f"draws must keep min <= max (e.g. high <= "
                           f"{format_number(span['max'][0])})")
                else:
                    msg = (f"{base}.max can be drawn down to {format_number(span['max'][0])}, "
                           f"below the red line's min {format_number(span['min'][1])}: the "
                           f"draws must keep min <= max (e.g. low >= "
                           f"{format_number(span['min'][1])})")
                if all(f"{base}.{b}" in where and where[f"{base}.{b}"][1].distribution
                       == "normal" for b in ("min", "max")):
                    msg += ("; both bounds are drawn from normal distributions, and a normal "
                            "draw of a bound is kept on its side only of a bound that is fixed "
                            "or drawn from a uniform or triangular distribution (and of the "
                            "actor's fixed ideal point); give one of them such a distribution")
                c.fail(f"uncertainty[{j}].parameter", msg)
                continue
            ideal_path = f"actors.{aid}.demands.{rl.get('issue')}.ideal"
            demand = actor.get("demands", {}).get(rl.get("issue"))
            if demand is None or ideal_path in where:
                continue
            ideal = float(demand["ideal"]["value"])
            for b, crossed in (("min", span.get("min", (0, 0))[1] > ideal),
                               ("max", span.get("max", (1, 1))[0] < ideal)):
                if f"{base}.{b}" in where and crossed:
                    c.fail(f"uncertainty[{where[f'{base}.{b}'][0]}].parameter",
                           f"{base}.{b} can be drawn {'above' if b == 'min' else 'below'} the "
                           f"actor's own ideal point on {rl.get('issue')!r} "
                           f"({format_number(ideal)}), which would then violate the red line")
