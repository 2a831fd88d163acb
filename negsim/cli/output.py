"""What ``negsim run`` and ``negsim sweep`` keep in memory and how they write tables and plots.

An ensemble streamed to a file keeps only a few columns of its runs in memory
(:func:`kept_columns`). Its plots (:func:`write_plots`) are drawn one group at a time, each
from the kept columns and the few columns it needs, read back from the Parquet file; so
memory holds at most one group's columns, not the whole runs table. Without a Parquet file
(``--runs-format csv`` or ``none``) the columns every plot needs are kept in memory
instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["PLOT_GROUPS", "TORNADO_METRICS", "check_plot_options", "kept_columns", "write_plots",
           "write_table"]

#: The choices of ``--tornado-metric`` besides ``sign:ROUND:ACTOR`` and ``holds_at:M``.
TORNADO_METRICS = ("signed_and_holds", "holds", "signed_but_fragile", "partial_signature",
                   "no_agreement")

#: The plots of :func:`negsim.plot.save_all`, in its order, grouped by the columns they read.
PLOT_GROUPS: tuple[tuple[str, ...], ...] = (
    ("outcomes", "signing", "commitments"), ("tornado",), ("margins",), ("issue-space",),
    ("survival", "embargo"), ("capability",))


def write_table(df: pd.DataFrame, directory: Path, stem: str, fmt: str) -> list[Path]:
    """Write a DataFrame as ``stem.<fmt>`` (through a temporary file); return the files.

    The files are ``stem.<fmt>``, then ``stem.texts.json`` if long texts of a CSV file were
    stored beside it (:class:`~negsim.ensemble.RunsWriter`); none for ``none``.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> [p.name for p in write_table(pd.DataFrame({"a": [1]}), d, "t", "csv")]
    ['t.csv']
    >>> write_table(pd.DataFrame({"a": [1]}), d, "t", "none")
    []
    """
    from negsim.ensemble import RunsWriter

    if fmt == "none":
        return []
    writer = RunsWriter(directory, stem, fmt)
    try:
        writer.write(df)
        writer.close()
        return list(writer.files)
    except BaseException:
        writer.abort()
        writer.partial.unlink(missing_ok=True)
        raise


def _plot_column_test(scenario: Any, issue_axes: Sequence[str] | None = None,
                      tornado_metric: str | None = None) -> Callable[[str, str], bool]:
    """Return ``test(group, column)``: whether a plot of the group reads the column."""
    from negsim.plot.issue_space import default_issues
    from negsim.plot.rounds import red_line_columns

    parameters = {u.parameter for u in scenario.uncertainty}
    issues: set[str] = set()
    if issue_axes is not None:
        issues = set(issue_axes)
    elif len(scenario.issue_ids) >= 2:  # as negsim.plot.plot_issue_space chooses them
        issues = set(default_issues(scenario))
    red_lines = set(red_line_columns(scenario))

    def test(group: str, col: str) -> bool:
        parts = col.split(".")
        if group == "tornado":
            return col in parameters or col == tornado_metric
        if group == "margins":
            return parts[0] in ("utility", "outside_option") or col in red_lines
        if group == "capability":  # an implementation phase's capability paths
            return len(parts) == 4 and parts[3] == "capability" and parts[1].startswith("m")
        if group == "issue-space":
            return ((len(parts) == 3 and parts[1] in ("draft", "text") and parts[2] in issues)
                    or (col in parameters and parts[-1] == "ideal"))
        return False

    return test


def kept_columns(scenario: Any, plots: bool, *, issue_axes: Sequence[str] | None = None,
                 tornado_metric: str | None = None) -> Callable[[pd.DataFrame], list[str]]:
    """Return what picks the columns of the runs to keep in memory while they are streamed.

    The summary's columns (:func:`negsim.ensemble.summary_columns`: about 40 bytes a run
    for the built-in scenario without its implementation phase, about 200 with the monthly
    delivery columns of its 24 months); with ``plots``, also every column a plot reads
    (several hundred bytes a run more), for when the plots cannot read them back from a
    Parquet file.

    Examples
    --------
    >>> from negsim.ensemble import simulate
    >>> from negsim.scenario import load_scenario
    >>> sc = load_scenario("libya-2020")
    >>> runs = simulate(sc, runs=3, seed=1).runs
    >>> len(kept_columns(sc, False)(runs)), len(kept_columns(sc, True)(runs)), runs.shape[1]
    (130, 218, 346)
    """
    from negsim.ensemble import summary_columns

    test = _plot_column_test(scenario, issue_axes, tornado_metric) if plots else None

    def keep(df: pd.DataFrame) -> list[str]:
        wanted = set(summary_columns(df))
        if test is not None:
            wanted.update(c for c in map(str, df.columns)
                          if any(test(g, c) for group in PLOT_GROUPS[1:] for g in group))
        return [c for c in map(str, df.columns) if c in wanted]

    return keep


def write_plots(result: Any, directory: Path, scenario: Any,
                parquet: Path | None = None, *, issue_axes: Sequence[str] | None = None,
                tornado_metric: str | None = None) -> list[Path]:
    """Write the plots of :func:`negsim.plot.save_all`; return the files written.

    With ``parquet`` (the runs file), each group of :data:`PLOT_GROUPS` is drawn from the
    result's columns and the columns the group reads from that file, one group at a
    time (the tornado's parameters, the margins' utilities and outside options, and the
    capabilities one column at a time); without
    it, from the result's runs. ``issue_axes`` and ``tornado_metric`` are passed on to
    :func:`~negsim.plot.save_all`.
    """
    from negsim.ensemble.simulation import release_memory
    from negsim.plot import save_all

    options: dict[str, Any] = {"issue_axes": issue_axes, "tornado_metric": tornado_metric}
    if parquet is None:
        return save_all(result, directory, scenario=scenario, **options)
    import pyarrow.parquet as pq

    names = pq.read_schema(parquet).names
    test = _plot_column_test(scenario, issue_axes, tornado_metric)
    have = set(map(str, result.runs.columns))
    written: list[Path] = []
    for group in PLOT_GROUPS:
        extra = [c for c in names if c not in have and any(test(g, c) for g in group)]
        if group == ("capability",) and extra:  # quantiles one column at a time
            from negsim.plot.implementation import capability_data

            data = capability_data(pd.DataFrame(columns=[*have, *extra]),
                                   read=lambda c: _read_column(parquet, c).to_numpy())
            written += save_all(result, directory, scenario=scenario, only=group,
                                capability=data, **options)
            continue
        if group == ("tornado",):  # the parameters one column at a time
            written += save_all(result, directory, scenario=scenario, only=group,
                                read=lambda c: _read_column(parquet, c).to_numpy(), **options)
            release_memory()
            continue
        more_options: dict[str, Any] = {}
        if group == ("margins",):  # the margins one actor at a time, not in the runs
            from negsim.plot.rounds import margins_data

            margins = [c for c in extra if c.split(".", 1)[0] in ("utility", "outside_option")]
            more_options["margins"] = margins_data(
                pd.DataFrame(columns=[*map(str, result.runs.columns), *margins]),
                read=lambda c: (result.runs[c] if c in have else _read_column(parquet, c)))
            extra = [c for c in extra if c not in margins]
        runs = result.runs
        if extra:  # one column at a time, each its own block: no copy of the lot
            more = pd.DataFrame({c: _read_column(parquet, c) for c in extra}, copy=False)
            runs = pd.concat([runs, more], axis=1)
            del more
        part = dataclasses.replace(result, runs=runs)
        written += save_all(part, directory, scenario=scenario, only=group, **options,
                            **more_options)
        del part, runs, more_options
        release_memory()
    return written


def _read_column(parquet: Path, column: str) -> pd.Series:
    import pyarrow as pa
    import pyarrow.parquet as pq

    series = pq.read_table(parquet, columns=[column]).to_pandas(self_destruct=True)[column]
    pa.default_memory_pool().release_unused()
    return series


def check_plot_options(scenario: Any, issue_axes: str | None, tornado_metric: str | None
                       ) -> tuple[tuple[str, str] | None, str | None]:
    """Check ``--issue-axes A,B`` and ``--tornado-metric`` against the scenario.

    Returns
    -------
    (tuple of two issue ids or None, metric or None)

    Raises
    ------
    CliError
        Naming the option, the bad value and the choices.

    Examples
    --------
    >>> from negsim.scenario import load_scenario
    >>> sc = load_scenario("libya-2020")
    >>> check_plot_options(sc, "ceasefire, monitoring", "sign:moscow:LNA")
    (('ceasefire', 'monitoring'), 'sign:moscow:LNA')
    >>> check_plot_options(sc, None, "sign:berlin:LNA")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    negsim.cli.common.CliError: --tornado-metric 'sign:berlin:LNA': ... sign:moscow:GNA, ...
    >>> check_plot_options(sc, None, "holds_at:3")
    (None, 'holds_at:3')
    >>> check_plot_options(sc, None, "holds_at:30")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    negsim.cli.common.CliError: --tornado-metric 'holds_at:30': month 30 is after the horizon ...
    """
    from negsim.cli.common import CliError
    from negsim.scenario.kinds import round_kind

    axes = None
    if issue_axes is not None:
        ids = [k.strip() for k in issue_axes.split(",")]
        bad = [k for k in ids if k not in scenario.issue_ids]
        if len(ids) != 2 or ids[0] == ids[1] or bad:
            raise CliError(f"--issue-axes {issue_axes!r}: expected two different issue ids "
                           f"A,B of scenario {scenario.id!r}; issues: "
                           f"{', '.join(scenario.issue_ids)}")
        axes = (ids[0], ids[1])
    if tornado_metric is not None and tornado_metric.startswith("holds_at:"):
        _check_holds_at(scenario, tornado_metric)
    elif tornado_metric is not None:
        signers = [f"sign:{e.id}:{a}" for e in scenario.timeline
                   if round_kind(e.kind).signs_text for a in e.participants]
        if tornado_metric not in (*TORNADO_METRICS, *signers):
            phase = _phase_horizon(scenario)
            months = [] if phase is None else [f"holds_at:M (M = 1 to {phase[1]})"]
            raise CliError(f"--tornado-metric {tornado_metric!r}: expected one of "
                           f"{', '.join((*TORNADO_METRICS, *signers, *months))}")
    return axes, tornado_metric


def _phase_horizon(scenario: Any) -> tuple[str, int] | None:
    """Return the last implementation entry's id and horizon (the survival curve's), or None."""
    from negsim.scenario.kinds import round_kind

    phases = [(e.id, int(e.horizon)) for e in scenario.timeline
              if round_kind(e.kind).plays_text_in_force and getattr(e, "horizon", None)]
    return phases[-1] if phases else None


def _check_holds_at(scenario: Any, metric: str) -> None:
    """Refuse ``--tornado-metric holds_at:M`` without a phase, or with M not in 1..horizon."""
    from negsim.cli.common import CliError
    from negsim.ensemble.implementation import holds_at_month

    try:
        month = holds_at_month(metric)
    except ValueError as e:
        raise CliError(f"--tornado-metric {metric!r}: {str(e).partition(': ')[2]}") from None
    phase = _phase_horizon(scenario)
    if phase is None:
        raise CliError(f"--tornado-metric {metric!r}: scenario {scenario.id!r} has no "
                       "implementation phase (a timeline entry of kind 'implementation'), so "
                       "nothing says whether the deal still holds after a month")
    if month is not None and month > phase[1]:
        raise CliError(f"--tornado-metric {metric!r}: month {month} is after the horizon of "
                       f"{phase[0]!r} ({phase[1]} months); M is from 1 to {phase[1]}")
