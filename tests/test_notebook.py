"""The docs notebook (docs/notebooks/explore.ipynb) runs in a real Jupyter kernel (nbclient)
and shows negsim's displays: HTML tables for the scenario, the ensemble, its summary and a
run, short reprs, and the plots as images, with no error."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "notebooks" / "explore.ipynb"


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "commit the notebook without outputs")
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    return nb


def _outputs(nb, source_start):
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith(source_start))
    return cell.outputs


def _html(outputs):
    return "".join(o.get("data", {}).get("text/html", "") for o in outputs
                   if o.output_type == "execute_result")


def test_the_notebook_runs_without_errors(executed):
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors, [(e.ename, e.evalue) for e in errors]


def test_the_displays_are_rendered_as_html(executed):
    scenario = _html(_outputs(executed, "import matplotlib"))
    assert 'class="negsim-repr"' in scenario and "Libya" in scenario and "moscow" in scenario
    ensemble = _html(_outputs(executed, "res = negsim.simulate"))
    assert "2,000" in ensemble and "partial signature" in ensemble
    summary = _html(_outputs(executed, "summary = res.summary()"))
    assert "95% interval" in summary and "Binding constraints" in summary
    assert len(summary) < 6_000
    run = _html(_outputs(executed, "run = negsim.NegotiationModel"))
    assert "Run of libya-2020" in run
    for outputs in (_outputs(executed, "summary = res.summary()"),
                    _outputs(executed, "run = negsim.NegotiationModel")):
        text = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
        assert 0 < len(text) < 300  # the short repr, not a dataclass dump


def test_the_short_repr_and_the_plots(executed):
    printed = "".join(o.get("text", "") for o in _outputs(executed, "print(repr(summary))"))
    assert printed.startswith("Summary(scenario_id='libya-2020', runs=2000, seed=1")
    for start in ("ax = negsim.plot.plot_outcomes", "ax = negsim.plot.plot_margins"):
        assert any("image/png" in o.get("data", {}) for o in _outputs(executed, start)), start
    listed = "".join(o.get("data", {}).get("text/plain", "")
                     for o in _outputs(executed, "[name for name in dir(negsim)"))
    assert "BacktestResult" in listed and "Any" not in listed.replace("'", " ").split()
