"""What the dashboard computes: ensembles with progress, and their comparison with a baseline.

Everything here is plain Python (no web framework), so it is tested without a browser:
:func:`run_ensemble` is :func:`negsim.ensemble.simulate` with a callback counting the runs
done (the results do not depend on the chunks, so they are those of ``negsim run`` with the
same seed and ``--set``); the ``*_rows`` functions return the rows of the dashboard's tables,
the baseline beside the edited scenario; :func:`figure_png` draws a plot of
:mod:`negsim.plot` as a PNG; :func:`story_steps` splits one run's story
(:meth:`negsim.RunResult.story`) into one step per round.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from negsim.ensemble import EnsembleResult, simulate
from negsim.scenario import Scenario

__all__ = [
    "Cancelled",
    "binding_rows",
    "commitment_rows",
    "figure_png",
    "outcome_rows",
    "run_ensemble",
    "signing_rows",
    "story_steps",
]


class Cancelled(Exception):
    """Raised inside :func:`run_ensemble` when its ``cancelled`` callback returns True.

    Examples
    --------
    >>> run_ensemble("libya-2020", 100, 0, cancelled=lambda: True)
    Traceback (most recent call last):
    ...
    negsim.dashboard.compare.Cancelled: ensemble cancelled
    """


class _CountingExecutor:
    """A serial executor that reports the runs done after each chunk."""

    name = "serial"

    def __init__(self, on_runs: Callable[[int], None] | None,
                 cancelled: Callable[[], bool] | None) -> None:
        self.on_runs = on_runs
        self.cancelled = cancelled
        self.done = 0

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Sequence[Any]
                      ) -> Iterator[tuple[int, Any]]:
        for i, task in enumerate(tasks):
            if self.cancelled is not None and self.cancelled():
                raise Cancelled("ensemble cancelled")
            out = fn(task)
            self.done += int(task.stop - task.start)
            if self.on_runs is not None:
                self.on_runs(self.done)
            yield i, out

    def close(self) -> None:
        pass


def run_ensemble(scenario: Scenario | str, runs: int, seed: int, *,
                 on_runs: Callable[[int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> EnsembleResult:
    """Simulate an ensemble in this process, reporting progress after each chunk.

    Parameters
    ----------
    scenario : Scenario or str
    runs, seed : int
        As for :func:`negsim.simulate`; the result is the same.
    on_runs : callable, optional
        Called with the number of runs done so far, about twenty times.
    cancelled : callable, optional
        Checked before each chunk; if it returns True, :class:`Cancelled` is raised.

    Examples
    --------
    >>> done = []
    >>> res = run_ensemble("libya-2020", 200, 1, on_runs=done.append)
    >>> done[-1], len(done) > 1
    (200, True)
    >>> res == simulate("libya-2020", runs=200, seed=1)
    True
    """
    chunk = max(25, -(-runs // 20))
    return simulate(scenario, runs=runs, seed=seed, chunk_size=chunk,
                    executor=_CountingExecutor(on_runs, cancelled))


def _pct(x: float | None) -> str:
    return "" if x is None or not np.isfinite(x) else f"{100 * x:.1f}%"


def _change(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return ""
    return f"{100 * (b - a):+.1f}"


def outcome_rows(base: EnsembleResult, edited: EnsembleResult) -> list[dict[str, str]]:
    """Rows of the outcome table: each outcome's share of runs, baseline and edited.

    The last rows give the probability that the text holds and, with an implementation
    phase, that the ceasefire survives to the horizon.

    Examples
    --------
    >>> res = run_ensemble("libya-2020", 100, 0)
    >>> rows = outcome_rows(res, res)
    >>> rows[0]
    {'what': 'signed and holds', 'baseline': '43.0%', 'edited': '43.0%', 'change': '+0.0'}
    """
    a, b = base.summary().to_dict(), edited.summary().to_dict()
    rows = [{"what": k.replace("_", " "), "baseline": _pct(v), "edited": _pct(b["outcomes"][k]),
             "change": _change(v, b["outcomes"][k])} for k, v in a["outcomes"].items()]
    rows.append({"what": "the text holds", "baseline": _pct(a["holds_probability"]),
                 "edited": _pct(b["holds_probability"]),
                 "change": _change(a["holds_probability"], b["holds_probability"])})
    sa, sb = a.get("survival") or {}, b.get("survival") or {}
    if sa and sb:
        ka, kb = max(sa, key=int), max(sb, key=int)
        rows.append({"what": f"ceasefire survives {ka} months", "baseline": _pct(sa[ka]),
                     "edited": _pct(sb[kb]), "change": _change(sa[ka], sb[kb])})
    return rows


def signing_rows(base: EnsembleResult, edited: EnsembleResult) -> list[dict[str, str]]:
    """Rows of the signing table: each party's probability of signing in each round.

    Examples
    --------
    >>> res = run_ensemble("libya-2020", 100, 0)
    >>> [(r["round"], r["actor"]) for r in signing_rows(res, res)]
    [('moscow', 'GNA'), ('moscow', 'LNA')]
    """
    a = base.summary().to_dict()["sign_probability"]
    b = edited.summary().to_dict()["sign_probability"]
    return [{"round": rnd, "actor": actor, "baseline": _pct(p),
             "edited": _pct(b.get(rnd, {}).get(actor)),
             "change": _change(p, b.get(rnd, {}).get(actor))}
            for rnd, by_actor in a.items() for actor, p in by_actor.items()]


def commitment_rows(base: EnsembleResult, edited: EnsembleResult) -> list[dict[str, str]]:
    """Rows of the commitments table: each power's probability of making each commitment.

    Examples
    --------
    >>> res = run_ensemble("libya-2020", 100, 0)
    >>> rows = commitment_rows(res, res)
    >>> rows[0]["commitment"], rows[0]["actor"], len(rows)
    ('arms_embargo', 'Russia', 12)
    """
    a = base.summary().to_dict()["commit_probability"]
    b = edited.summary().to_dict()["commit_probability"]
    rows = []
    for rnd, by_c in a.items():
        for c, by_actor in by_c.items():
            for actor, p in by_actor.items():
                q = b.get(rnd, {}).get(c, {}).get(actor)
                rows.append({"round": rnd, "commitment": c, "actor": actor,
                             "baseline": _pct(p), "edited": _pct(q), "change": _change(p, q)})
    return rows


def binding_rows(base: EnsembleResult, edited: EnsembleResult, top: int = 6
                 ) -> list[dict[str, str]]:
    """Rows of the binding-constraints table: why runs ended as they did, most frequent first.

    Examples
    --------
    >>> res = run_ensemble("libya-2020", 100, 0)
    >>> binding_rows(res, res, top=1)[0]["constraint"]
    'LNA: no deal that leaves the GNA-Turkey security agreement in force'
    """
    a = base.summary().to_dict()["binding_constraints"]
    b = edited.summary().to_dict()["binding_constraints"]
    na, nb = max(base.n_runs, 1), max(edited.n_runs, 1)
    keys = sorted(set(a) | set(b), key=lambda k: -(a.get(k, 0) / na + b.get(k, 0) / nb))
    return [{"constraint": k, "baseline": _pct(a.get(k, 0) / na),
             "edited": _pct(b.get(k, 0) / nb), "change": _change(a.get(k, 0) / na,
                                                                 b.get(k, 0) / nb)}
            for k in keys[:top]]


def figure_png(kind: str, result: EnsembleResult, *, label: str = "",
               baseline: EnsembleResult | None = None, dpi: int = 80) -> bytes:
    """Draw one plot of :mod:`negsim.plot` as a PNG image.

    Parameters
    ----------
    kind : str
        ``outcomes``, ``signing``, ``commitments``, ``issue_space`` or ``survival``.
    result : EnsembleResult
    label : str
        Put before the plot's title (e.g. ``Baseline``), or the legend label of
        ``result`` on the survival plot.
    baseline : EnsembleResult, optional
        Drawn dashed on the same axes (survival only).
    dpi : int

    Returns
    -------
    bytes
        A PNG image. A plot that cannot be drawn shows the reason instead of failing.

    Examples
    --------
    >>> res = run_ensemble("libya-2020", 50, 0)
    >>> figure_png("outcomes", res, label="Baseline")[1:4]
    b'PNG'
    >>> figure_png("survival", res, label="edited", baseline=res)[1:4]
    b'PNG'
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    import negsim.plot as nplot

    fig = Figure(figsize=(5.6, 3.8), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    try:
        if kind == "survival":
            nplot.plot_survival(result, ax=ax, baseline=baseline, label=label or "this ensemble")
        else:
            draw = {"outcomes": nplot.plot_outcomes, "signing": nplot.plot_signing,
                    "commitments": nplot.plot_commitments,
                    "issue_space": lambda r, ax: nplot.plot_issue_space(r, ax=ax)}[kind]
            draw(result, ax=ax)
            if label:
                ax.set_title(f"{label}: {ax.get_title()}", fontsize=9)
    except Exception as err:  # a figure that fails must not stop the dashboard
        ax.clear()
        ax.set_axis_off()
        ax.text(0, 0.5, f"could not draw {kind}: {err}", wrap=True)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def story_steps(scenario: Scenario, seed: int, run: int) -> list[tuple[str, str]]:
    """Replay one run with the Mesa model and split its story into steps, one per round.

    Run ``run`` of seed ``seed`` is row ``run`` of the ensemble (and of ``negsim story``).

    Returns
    -------
    list of (str, str)
        ``(title, text)``: one step per round that has a result, then the verdict.

    Examples
    --------
    >>> from negsim.scenario import load_scenario
    >>> steps = story_steps(load_scenario("libya-2020"), 3, 1)
    >>> [t for t, _ in steps]
    ['moscow', 'berlin', 'aftermath', 'verdict']
    >>> print(steps[0][1])  # doctest: +ELLIPSIS
    moscow: Russia and Turkey drafted a text for GNA and LNA.
    ...
    """
    from negsim.sim.model import NegotiationModel

    result = NegotiationModel(scenario, rng=np.random.SeedSequence([seed, run])).run()
    steps = [(rid, "\n".join(lines)) for rid, lines in result.round_stories()]
    steps.append(("verdict", "\n".join(result.verdict())))
    return steps
