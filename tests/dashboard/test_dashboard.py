"""The dashboard without a browser: its numbers, its ensembles, its command's errors."""

from __future__ import annotations

import importlib
import inspect
import socket
import sys

import pytest

from negsim.cli.app import main
from negsim.dashboard import compare, edits, overview
from negsim.ensemble import simulate
from negsim.scenario import ScenarioError, load_scenario, parse_scenario


def test_every_knob_holds_its_file_value_and_stays_valid():
    s = load_scenario("libya-2020")
    for k in edits.knobs(s):
        assert k.low <= k.value <= k.high, k
        lo, hi = k.valid
        assert lo <= k.clip(k.low) <= hi and lo <= k.clip(k.high) <= hi, k
    # each end of each slider is a valid value for the scenario (one at a time)
    for k in edits.knobs(s)[:22]:
        for x in (k.low, k.high):
            edits.edit_scenario(s, edits.changed_values(edits.knobs(s), {k.path: x}))


def test_the_dashboard_ensemble_is_negsim_run_with_set():
    s = load_scenario("libya-2020")
    moved = {"actors.LNA.capability": 0.62, "model.rationality": 5.0}
    edited = edits.edit_scenario(s, moved)
    seen = []
    res = compare.run_ensemble(edited, 120, 4, on_runs=seen.append)
    assert res == simulate(s.with_overrides(moved), runs=120, seed=4)
    assert seen == sorted(seen) and seen[-1] == 120
    base = compare.run_ensemble(s, 120, 4)
    rows = compare.outcome_rows(base, res)
    assert [r["baseline"] for r in rows] != [r["edited"] for r in rows]


def test_an_invalid_edit_is_refused_with_the_field():
    s = load_scenario("libya-2020")
    with pytest.raises(ScenarioError, match="security_agreement.*violates this red line"):
        # LNA's red line on the security agreement: its ideal point cannot cross it
        edits.edit_scenario(s, {"actors.LNA.demands.security_agreement.ideal": 0.0})


def test_the_edited_toml_validates():
    s = load_scenario("libya-2020")
    ks = edits.knobs(s)
    moved = edits.changed_values(ks, {k.path: k.high for k in ks[:5]})
    text = edits.edit_scenario(s, moved).to_toml()
    again = parse_scenario(text, "edited.toml")
    for path, value in moved.items():
        assert again.get(path) == value


def test_story_steps_tell_the_same_story_as_negsim_story():
    s = load_scenario("libya-2020")
    import numpy as np

    from negsim.sim.model import NegotiationModel

    steps = compare.story_steps(s, 3, 1)
    full = NegotiationModel(s, rng=np.random.SeedSequence([3, 1])).run().story(width=10_000)
    assert "\n".join(t for _, t in steps) == full


def test_figures_draw_or_say_why():
    res = compare.run_ensemble("libya-2020", 40, 0)
    for kind in ("outcomes", "signing", "commitments", "issue_space", "survival"):
        assert compare.figure_png(kind, res, label="x", baseline=res)[1:4] == b"PNG"
    assert compare.figure_png("no-such-plot", res)[1:4] == b"PNG"


def test_scenario_tables_name_the_sources():
    t = overview.scenario_rows(load_scenario("libya-2020"))
    assert all(row["source"] for row in t["demands"])
    assert {row["actor"] for row in t["red_lines"]} == {"LNA", "Turkey"}


def test_every_public_name_has_an_example():
    missing = []
    for name in ("dashboard", "dashboard.edits", "dashboard.compare", "dashboard.overview",
                 "cli.dashboard"):
        mod = importlib.import_module(f"negsim.{name}")
        for attr in mod.__all__:
            obj = getattr(mod, attr)
            if callable(obj) and "Examples\n" not in (inspect.getdoc(obj) or ""):
                missing.append(f"{name}.{attr}")
    assert missing == []


# ---- the command -----------------------------------------------------------------------
def test_without_the_web_dependencies_it_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "nicegui", None)  # import nicegui fails
    monkeypatch.delitem(sys.modules, "negsim.dashboard.app", raising=False)
    assert main(["dashboard", "--port", "8999"]) == 1
    err = capsys.readouterr().err
    assert "pip install 'negsim[dashboard]'" in err
    assert "Traceback" not in err and "nicegui" in err


@pytest.mark.parametrize(("argv", "message"), [
    (["--port", "0"], "--port must be 1-65535, got 0"),
    (["--runs", "0"], "--runs must be at least 1, got 0"),
    (["--runs", "2e6"], "at most 1,000,000 runs"),
    (["no-such.toml"], "no-such.toml"),
])
def test_bad_arguments_are_refused_without_a_traceback(argv, message, capsys):
    assert main(["dashboard", *argv]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_port_in_use_is_refused(capsys):
    pytest.importorskip("nicegui")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["dashboard", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert f"--port {port}: cannot listen on 127.0.0.1:{port}" in err
