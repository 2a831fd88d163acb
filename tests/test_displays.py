"""Notebook displays: short reprs, compact escaped HTML, and a public-only dir(negsim)."""

from __future__ import annotations

import numpy as np
import pytest

import negsim
from negsim.scenario import MINIMAL, parse_scenario


@pytest.fixture(scope="module")
def libya():
    return negsim.load_scenario("libya-2020")


@pytest.fixture(scope="module")
def ensemble(libya):
    return negsim.simulate(libya, runs=300, seed=1)


def _check(obj, *, words, repr_max=300, html_max=6_000):
    text = repr(obj)
    assert len(text) <= repr_max and text.count("\n") <= 2, text
    page = obj._repr_html_()
    assert page.startswith('<div class="negsim-repr">') and page.endswith("</div>")
    assert len(page) <= html_max, len(page)
    for w in words:
        assert w in page, w
    return page


def test_scenario_display(libya):
    _check(libya, words=["Libya", "LNA", "moscow", "mediated_round", "red lines"])
    assert repr(libya).startswith("Scenario(id='libya-2020'")


def test_scenario_text_is_escaped():
    toml = MINIMAL.replace('title = "Two parties and a mediator"',
                           'title = "<script>alert(1)</script> & co"')
    toml = toml.replace('name = "Party A"', 'name = "<b>A</b>"')
    page = parse_scenario(toml, "x.toml")._repr_html_()
    assert "<script>" not in page and "<b>A</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page and "&lt;b&gt;A" in page


def test_run_result_display(libya):
    run = negsim.NegotiationModel(libya, rng=np.random.SeedSequence([3, 1])).run()
    _check(run, words=["partial signature", "security agreement", "GNA", "outside option"])
    assert repr(run).startswith("RunResult(scenario_id='libya-2020', outcome='partial_signature'")


def test_ensemble_and_summary_displays(ensemble):
    _check(ensemble, words=["300", "signed and holds", "partial signature"])
    summary = ensemble.summary()
    page = _check(summary, words=["signed and holds", "95% interval", "moscow: LNA",
                                  "Binding constraints", "holds to the horizon"])
    assert page.count("<tr>") < 40
    assert "signed_and_holds=" in repr(summary) and "holds=" in repr(summary)


def test_design_and_forecast_displays():
    design = negsim.design_deal("libya-2020", runs=100, maxiter=1)
    _check(design, words=["security_agreement", "Concessions", "designed text"])
    result = negsim.forecast("libya-2020", rounds=3)
    _check(result, words=["turkish_forces", "forecast", "eu"])


def test_dir_shows_only_the_public_api():
    listed = dir(negsim)
    for name in ("Any", "TYPE_CHECKING", "annotations", "importlib", "ensemble", "sim"):
        assert name not in listed, name
    assert set(negsim.__all__) <= set(listed)
    assert listed == sorted(listed)
    extra = set(listed) - set(negsim.__all__)
    assert extra and all(n.startswith("__") for n in extra), extra
    assert negsim.ensemble is not None  # still importable, only not listed
