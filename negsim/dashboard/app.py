"""The dashboard's web page (NiceGUI) and :func:`serve`, which ``negsim dashboard`` calls.

One page per browser tab: sliders for the scenario's numbers on the left; on the right the
results of the edited scenario beside the baseline, the scenario itself, and one run's story
round by round. Moving a slider re-runs the ensemble in a worker thread; a timer shows its
progress. NiceGUI serves its own JavaScript, CSS and fonts from the installed package, so
the page loads nothing from another host.
"""

from __future__ import annotations

import base64
import threading
from typing import Any

from nicegui import run, ui

from negsim.dashboard.compare import (
    Cancelled,
    binding_rows,
    commitment_rows,
    figure_png,
    outcome_rows,
    run_ensemble,
    signing_rows,
    story_steps,
)
from negsim.dashboard.edits import Knob, changed_values, edit_scenario, knobs, set_command
from negsim.dashboard.overview import scenario_rows
from negsim.ensemble import EnsembleResult
from negsim.scenario import Scenario, ScenarioError

__all__ = ["Dashboard", "serve"]

_FIGURES = ("outcomes", "signing", "commitments", "survival", "issue_space")


class _Baseline:
    """The baseline ensemble, computed once per server and shared by every page."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.result: EnsembleResult | None = None
        self.done = 0
        self.images: dict[str, bytes] = {}

    def get(self, scenario: Scenario, runs: int, seed: int) -> EnsembleResult:
        with self.lock:
            if self.result is None:
                self.result = run_ensemble(scenario, runs, seed,
                                           on_runs=lambda n: setattr(self, "done", n))
            return self.result


class Dashboard:
    """One browser tab of the dashboard: its sliders, its edited ensemble and its story.

    Parameters
    ----------
    scenario : Scenario
        The scenario as loaded (the baseline).
    scenario_arg : str
        How it was named on the command line (for the equivalent ``negsim run``).
    runs, seed : int
        Size and root seed of every ensemble.
    baseline : object, optional
        Shared holder of the baseline ensemble (one per server).

    Examples
    --------
    >>> from negsim.scenario import load_scenario
    >>> d = Dashboard(load_scenario("libya-2020"), "libya-2020", runs=100, seed=0)
    >>> d.overrides(), d.filename()
    ({}, 'libya-2020-edited.toml')
    >>> d.values["actors.LNA.capability"] = 0.6
    >>> from negsim.scenario import parse_scenario
    >>> d.overrides(), parse_scenario(d.edited_toml()).get("actors.LNA.capability")
    ({'actors.LNA.capability': 0.6}, 0.6)
    """

    def __init__(self, scenario: Scenario, scenario_arg: str, runs: int, seed: int,
                 baseline: _Baseline | None = None) -> None:
        self.scenario = scenario
        self.scenario_arg = scenario_arg
        self.runs = runs
        self.seed = seed
        self.knobs: tuple[Knob, ...] = knobs(scenario)
        self.values: dict[str, float] = {k.path: k.value for k in self.knobs}
        self.shared = baseline if baseline is not None else _Baseline()
        self.edited: EnsembleResult | None = None
        self.done = 0
        self.running = False
        self.pending = False
        self.closed = False
        self.message = ""
        self.story: list[tuple[str, str]] = []
        self.step = 0
        self.sliders: dict[str, Any] = {}
        self.tab = "results"
        self.drawn: EnsembleResult | None = None
        self.ensembles = 0

    # ---- the edited scenario ------------------------------------------------------
    def overrides(self) -> dict[str, float]:
        """Return the moved numbers: path -> value."""
        return changed_values(self.knobs, self.values)

    def edited_scenario(self) -> Scenario:
        """Return the scenario with the moved numbers (raises ScenarioError if invalid)."""
        return edit_scenario(self.scenario, self.overrides())

    def edited_toml(self) -> str:
        """Return the edited scenario as a TOML file."""
        return self.edited_scenario().to_toml()

    def filename(self) -> str:
        """Return the name of the downloaded file."""
        return f"{self.scenario.id}-edited.toml"

    # ---- the page -----------------------------------------------------------------
    def build(self) -> None:
        """Lay out the page (called by NiceGUI for each new tab)."""
        ui.page_title(f"negsim: {self.scenario.title}")
        with ui.header().classes("items-center bg-teal-8"):
            ui.label("negsim dashboard").classes("text-h6")
            ui.label(self.scenario.title).classes("text-subtitle1").props('data-testid="title"')
        with ui.row().classes("w-full no-wrap items-start"):
            with ui.column().classes("w-1/3 min-w-[22rem]"):
                self._controls()
            with ui.column().classes("w-2/3 grow"):
                self._status_bar()
                with ui.tabs(on_change=self._tab_changed) as tabs:
                    ui.tab("results", "Results")
                    ui.tab("figures", "Figures")
                    ui.tab("scenario", "Scenario")
                    ui.tab("story", "Story of one run")
                with ui.tab_panels(tabs, value="results").classes("w-full"):
                    with ui.tab_panel("results"):
                        self._results()
                    with ui.tab_panel("figures"):
                        self.figure_box = ui.column().classes("w-full")
                    with ui.tab_panel("scenario"):
                        self._scenario_tables()
                    with ui.tab_panel("story"):
                        self._story_panel()
        # a closed tab stops its ensemble (after NiceGUI's reconnection grace period)
        ui.context.client.on_delete(lambda: setattr(self, "closed", True))
        ui.timer(0.25, self._tick)
        ui.timer(0.05, self.rerun, once=True)

    def _controls(self) -> None:
        ui.label("What if? Move a number; the ensemble runs again.").classes("text-subtitle1")
        with ui.row():
            ui.button("Reset all", on_click=self._reset).props("outline")
            ui.button("Download scenario (TOML)", on_click=self._download)
        self.changed_label = ui.label("").classes("text-caption").props('data-testid="changed"')
        groups: dict[str, list[Knob]] = {}
        for k in self.knobs:
            groups.setdefault(k.group, []).append(k)
        for group, items in groups.items():
            title = ("Uncertain numbers (sampled in the baseline)" if group == "uncertain"
                     else f"{group}: fixed numbers")
            with ui.expansion(title, value=group == "uncertain").classes("w-full"):
                for k in items:
                    self._slider(k)

    def _slider(self, k: Knob) -> None:
        hint = f"{k.path}, file value {k.value:g}" + (f"; {k.uncertain}" if k.uncertain else "")
        with ui.column().classes("w-full gap-0"):
            with ui.row().classes("w-full justify-between"):
                ui.label(k.label).tooltip(hint)
                value = ui.label(f"{k.value:g}")
            slider = ui.slider(min=k.low, max=k.high, step=k.step, value=k.value)
            slider.props(f'aria-label="{k.path}" label')

            async def released(e: Any, k: Knob = k, value: Any = value) -> None:
                # Quasar's change event (the thumb released) carries the new value
                x = e.args if isinstance(e.args, int | float) else e.sender.value
                self.values[k.path] = k.clip(float(x))
                value.set_text(f"{self.values[k.path]:g}")
                self._show_changes()
                await self.rerun()

            slider.on("change", released)
            self.sliders[k.path] = (slider, value)

    def _status_bar(self) -> None:
        with ui.row().classes("w-full items-center"):
            self.status = ui.label("Starting").props('data-testid="status"')
            self.progress = ui.linear_progress(value=0, show_value=False).props(
                "instant-feedback").classes("w-64")
        self.error = ui.label("").classes("text-negative").props('data-testid="error"')

    @ui.refreshable_method
    def _results(self) -> None:
        base = self.shared.result
        if base is None or self.edited is None:
            ui.label("The ensembles are running.")
            return
        edited = self.edited
        ui.label(f"{self.runs:,} runs of seed {self.seed}: the baseline (the scenario as "
                 "loaded) beside the edited scenario. Change in percentage points.")
        columns = ("what", "baseline", "edited", "change")
        self._table("Outcomes", columns, outcome_rows(base, edited), "outcomes")
        self._table("Signing", ("round", "actor", "baseline", "edited", "change"),
                    signing_rows(base, edited), "signing")
        self._table("Commitments", ("round", "commitment", "actor", "baseline", "edited",
                                    "change"), commitment_rows(base, edited), "commitments")
        self._table("Binding constraints (why the runs ended as they did)",
                    ("constraint", "baseline", "edited", "change"),
                    binding_rows(base, edited), "binding")

    async def _tab_changed(self, e: Any) -> None:
        self.tab = str(e.value)
        await self._draw_figures()

    async def _draw_figures(self) -> None:
        """Draw the figures of the edited ensemble, one by one, if the Figures tab is open."""
        base, edited = self.shared.result, self.edited
        if self.tab != "figures" or base is None or edited is None or self.drawn is edited:
            return
        self.drawn = edited
        self.figure_box.clear()
        with self.figure_box:
            ui.label("Each figure of the baseline beside the edited scenario's (the survival "
                     "curve: the baseline dashed).")
        has_survival = bool(base.summary().to_dict().get("survival"))
        for kind in _FIGURES:
            if kind == "survival":
                if not has_survival:
                    continue
                row = [await run.io_bound(figure_png, kind, edited, label="edited",
                                          baseline=base)]
            else:
                if kind not in self.shared.images:
                    self.shared.images[kind] = await run.io_bound(figure_png, kind, base,
                                                                  label="Baseline")
                row = [self.shared.images[kind],
                       await run.io_bound(figure_png, kind, edited, label="Edited")]
            if self.edited is not edited or self.closed:
                return
            with self.figure_box, ui.row().classes("w-full no-wrap"):
                for png in row:
                    ui.image("data:image/png;base64," + base64.b64encode(png).decode()
                             ).classes("w-1/2").props(f'alt="{kind}"')

    @staticmethod
    def _table(title: str, columns: tuple[str, ...], rows: list[dict[str, str]],
               mark: str) -> None:
        ui.label(title).classes("text-subtitle1 q-mt-md")
        cols = [{"name": c, "label": c, "field": c, "align": "left"} for c in columns]
        ui.table(columns=cols, rows=rows).props(f'dense flat bordered data-testid="{mark}"')

    def _scenario_tables(self) -> None:
        t = scenario_rows(self.scenario)
        ui.markdown(self.scenario.description or "")
        for name, rows in t.items():
            ui.label(name.replace("_", " ").capitalize()).classes("text-subtitle1 q-mt-md")
            cols = [{"name": c, "label": c, "field": c, "align": "left",
                     "style": "white-space: normal"} for c in (rows[0] if rows else {})]
            ui.table(columns=cols, rows=rows).props(
                f'dense flat bordered wrap-cells data-testid="scenario-{name}"')

    def _story_panel(self) -> None:
        ui.label("Replay one run of the edited scenario with the Mesa model, round by round "
                 "(run R of the seed is row R of the ensemble).")
        with ui.row().classes("items-center"):
            self.run_input = ui.number("run", value=0, min=0, max=self.runs - 1, step=1,
                                       format="%d").classes("w-24")
            ui.button("Tell", on_click=self._tell)
            ui.button("Previous round", on_click=lambda: self._move(-1))
            ui.button("Next round", on_click=lambda: self._move(1))
        self.story_title = ui.label("").classes("text-subtitle1").props('data-testid="story-title"')
        self.story_text = ui.label("").style("white-space: pre-wrap; font-family: monospace"
                                             ).props('data-testid="story"')

    # ---- actions ------------------------------------------------------------------
    def _show_changes(self) -> None:
        changed = self.overrides()
        self.changed_label.set_text(
            "Equivalent command: " + set_command(self.scenario_arg, changed, self.runs,
                                                 self.seed) if changed else "")

    async def rerun(self) -> None:
        """Run the edited scenario's ensemble (again), unless one is running."""
        if self.running:
            self.pending = True
            return
        self.running = True
        try:
            await self._rerun_loop()
        finally:
            self.running = False

    async def _rerun_loop(self) -> None:
        while True:
            self.pending = False
            try:
                edited = self.edited_scenario()
            except ScenarioError as err:
                self.error.set_text(f"Not run: {err}")
                return
            self.error.set_text("")
            self.done = 0
            if self.shared.result is None:
                self.status.set_text("Running the baseline")
                await run.io_bound(self.shared.get, self.scenario, self.runs, self.seed)
            self.status.set_text("Running the edited scenario")
            try:
                # the scenario as loaded gives the baseline's runs: no need to run them again
                result = self.shared.result if not self.overrides() else await run.io_bound(
                    run_ensemble, edited, self.runs, self.seed,
                    on_runs=lambda n: setattr(self, "done", n),
                    cancelled=lambda: self.pending or self.closed)
            except Cancelled:
                if self.closed:
                    return
                continue
            if self.pending:
                continue
            self.edited = result
            self._results.refresh()
            await self._draw_figures()
            self.ensembles += 1
            self.status.set_text(f"Done: ensemble {self.ensembles}, {self.runs:,} runs")
            self.progress.set_value(1.0)
            if self.story:
                await self._tell()
            return

    def _tick(self) -> None:
        if not self.running:
            return
        done = self.shared.done if self.shared.result is None else self.done
        self.progress.set_value(done / max(self.runs, 1))
        phase = "baseline" if self.shared.result is None else "edited scenario"
        self.status.set_text(f"Running the {phase}: {done:,} of {self.runs:,} runs")

    async def _reset(self) -> None:
        for k in self.knobs:
            self.values[k.path] = k.value
            slider, value = self.sliders[k.path]
            slider.set_value(k.value)
            value.set_text(f"{k.value:g}")
        self._show_changes()
        await self.rerun()

    def _download(self) -> None:
        try:
            text = self.edited_toml()
        except ScenarioError as err:
            ui.notify(f"Not downloaded: {err}", type="negative")
            return
        ui.download.content(text, self.filename(), media_type="application/toml")

    async def _tell(self) -> None:
        try:
            scenario = self.edited_scenario()
        except ScenarioError as err:
            self.error.set_text(f"Not run: {err}")
            return
        r = int(min(max(self.run_input.value or 0, 0), self.runs - 1))
        self.story = await run.io_bound(story_steps, scenario, self.seed, r)
        self.step = 0
        self._show_step(r)

    def _move(self, delta: int) -> None:
        if not self.story:
            return
        self.step = min(max(self.step + delta, 0), len(self.story) - 1)
        self._show_step(int(self.run_input.value or 0))

    def _show_step(self, r: int) -> None:
        title, _ = self.story[self.step]
        self.story_title.set_text(
            f"Run {r}, step {self.step + 1} of {len(self.story)}: {title}")
        self.story_text.set_text("\n".join(t for _, t in self.story[: self.step + 1]))


def serve(scenario: Scenario, scenario_arg: str, *, host: str = "127.0.0.1", port: int = 8080,
          runs: int = 3000, seed: int = 0) -> None:
    """Serve the dashboard of ``scenario`` at ``http://host:port/`` until interrupted.

    Examples
    --------
    >>> import inspect
    >>> list(inspect.signature(serve).parameters)
    ['scenario', 'scenario_arg', 'host', 'port', 'runs', 'seed']
    """
    import matplotlib

    matplotlib.use("Agg")
    baseline = _Baseline()

    def warm_up() -> None:  # the baseline and the slow imports, while the server starts
        baseline.get(scenario, runs, seed)
        import negsim.plot  # noqa: F401
        import negsim.sim.model  # noqa: F401

    threading.Thread(target=warm_up, name="negsim-dashboard-warm-up", daemon=True).start()
    ui.run(lambda: Dashboard(scenario, scenario_arg, runs, seed, baseline).build(),
           host=host, port=port, title=f"negsim: {scenario.title}", reload=False, show=False,
           show_welcome_message=False, uvicorn_logging_level="warning")
