r"""Each run's red lines in a fixed-text ensemble, where red-line bounds are uncertain.

A red-line bound under ``[[uncertainty]]`` gives each run its own red lines
(:func:`negsim.protocol.params.split_by_red_lines`: :attr:`Params.lo
<negsim.protocol.params.Params.lo>` and ``hi`` are then NaN, with no run axis). A
fixed-text ensemble (:mod:`negsim.analysis.fixedtext`) uses them as the engine does:

* **feasibility** of a text, per run, against the run's own bounds, shape ``(R, n, m)``
  (:func:`run_red_lines`; :func:`negsim.protocol.rounds.kernels.feasible` broadcasts over
  the run axis);
* **drafting and the round's protocol** (the mediators' draft, their drafting box and
  amendments, the participants' choices), played for each group of runs that share their
  red lines with the group's own :class:`~negsim.protocol.params.Params`, as
  :func:`negsim.sim.engine.simulate_runs` plays a mediated round, and put back together run
  by run (:func:`by_groups`);
* **one set of bounds for all runs**, where a computation needs one (the box of texts deal
  design searches, :meth:`TextEnsemble.box
  <negsim.analysis.fixedtext.TextEnsemble.box>`): the **intersection over runs**, the texts
  within every run's red lines, :math:`\underline{x}_k = \max_{r,i} lo_{rik}`,
  :math:`\overline{x}_k = \min_{r,i} hi_{rik}`. A text outside it crosses a red line in
  some runs only; its probability is still computed with each run's own red lines.

With red lines the same in every run there is one group, the whole batch, and every result
is the one without uncertainty, to the last bit.

Examples
--------
>>> import negsim
>>> from negsim.protocol.params import compile_scenario
>>> p = compile_scenario(negsim.load_scenario("libya-2020"), runs=3)
>>> lo, hi = run_red_lines(p)
>>> lo.shape, bool((lo == p.lo).all())
((3, 6, 9), True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass, replace
from typing import Any

import numpy as np

from negsim.protocol.params import Params, split_by_red_lines

__all__ = ["by_groups", "run_red_lines"]


def run_red_lines(p: Params) -> tuple[np.ndarray, np.ndarray]:
    """Return each run's red-line bounds ``(lo, hi)``, each ``(R, n, m)``.

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.params import compile_scenario
    >>> p = compile_scenario(negsim.load_scenario("libya-2020"), runs=2)
    >>> [a.shape for a in run_red_lines(p)]
    [(2, 6, 9), (2, 6, 9)]
    """
    n, m = p.lo.shape
    lo, hi = np.empty((p.runs, n, m)), np.empty((p.runs, n, m))
    for idx, q in split_by_red_lines(p):
        lo[idx], hi[idx] = q.lo, q.hi
    return lo, hi


def by_groups(p: Params, play: Callable[[np.ndarray, Params], Any]) -> Any:
    """Call ``play(index, params)`` for each group of runs sharing red lines; join the results.

    ``play`` returns an array with a leading run axis, a dataclass of such arrays (fields
    may be None), or None; the results are put back in run order. With one group, its
    result is returned as it is.

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.params import compile_scenario
    >>> p = compile_scenario(negsim.load_scenario("libya-2020"), runs=3)
    >>> by_groups(p, lambda idx, q: q.lo[None, 0, :2].repeat(len(idx), 0) + idx[:, None])
    array([[0., 0.],
           [1., 1.],
           [2., 2.]])
    """
    groups = split_by_red_lines(p)
    if len(groups) == 1:
        return play(*groups[0])
    parts = [(idx, play(idx, q)) for idx, q in groups]
    return _join(p.runs, parts)


def _join(runs: int, parts: list[tuple[np.ndarray, Any]]) -> Any:
    """Put per-group results back in run order (arrays, dataclasses of arrays, or None)."""
    first = parts[0][1]
    if first is None:
        return None
    if is_dataclass(first) and not isinstance(first, type):
        return replace(first, **{f.name: _join(runs, [(i, getattr(v, f.name)) for i, v in parts])
                                 for f in fields(first)})
    full = np.empty((runs, *np.shape(first)[1:]), dtype=np.result_type(*[v for _, v in parts]))
    for idx, value in parts:
        full[idx] = value
    return full
