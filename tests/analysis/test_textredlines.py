"""Fixed-text ensembles with red lines under [[uncertainty]] (#13 item 4): each run's own red
lines in feasibility, drafting, the round's protocol and design's waivers, as the engine
plays them (runs grouped by shared red lines)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import negsim
from negsim.analysis.concessions import binding_red_lines
from negsim.analysis.design import design_deal
from negsim.analysis.fixedtext import TextEnsemble
from negsim.protocol.params import scenario_value
from negsim.scenario.document import build_scenario
from negsim.sim.engine import simulate_runs

INDUCED = Path(__file__).parents[1] / "data" / "scenarios" / "accord_induced.toml"
RUNS, SEED = 120, 5


def _uncertain(s: negsim.Scenario, name: str, *entries: dict[str, Any]) -> negsim.Scenario:
    data = s.to_dict()
    data["uncertainty"] = [*data.get("uncertainty", []),
                           *({"assumption": "test", **e} for e in entries)]
    return build_scenario(data, name)


@pytest.fixture(scope="module")
def libya() -> negsim.Scenario:
    return _uncertain(
        negsim.load_scenario("libya-2020"), "libya-uncertain-red-lines.toml",
        {"parameter": "actors.Turkey.red_lines[1].max", "distribution": "uniform",
         "low": 0.3, "high": 0.9},
        {"parameter": "actors.LNA.red_lines[2].min", "distribution": "triangular",
         "low": 0.2, "mode": 0.5, "high": 0.7})


@pytest.fixture(scope="module")
def accord() -> negsim.Scenario:
    # the mediators' inducements and an uncertain red line of a participant together
    return _uncertain(negsim.load_scenario(INDUCED), "accord-uncertain.toml",
                      {"parameter": "actors.USA.red_lines[0].min", "distribution": "uniform",
                       "low": 0.6, "high": 0.8})


def _engine_agrees(s: negsim.Scenario) -> tuple[TextEnsemble, Any]:
    ens = TextEnsemble.build(s, runs=RUNS, seed=SEED)
    df = simulate_runs(s, SEED, RUNS)
    r = ens.round
    draft = df[[f"{r}.draft.{k}" for k in ens.issue_ids]].to_numpy()
    assert np.array_equal(ens.mediators_draft(), draft)
    t = ens.table(draft)
    for j, a in enumerate(ens.participants):
        assert np.array_equal(t.signed[:, j], (df[f"{r}.{a}.decision"] == "sign").to_numpy()), a
    assert np.array_equal(t.text, df[[f"{r}.text.{k}" for k in ens.issue_ids]].to_numpy())
    assert np.array_equal(t.holds, df["holds"].to_numpy())
    assert np.array_equal(t.outcome, df["outcome"].to_numpy())
    return ens, df


def test_tabling_the_drafts_is_the_engine_with_uncertain_red_lines(libya):
    ens, df = _engine_agrees(libya)
    assert np.isnan(ens.params.lo).all()  # no single set of red lines
    # the red line matters: Turkey's bound shows in the drafts, run by run
    turkey = df["actors.Turkey.red_lines[1].max"].to_numpy()
    assert (df["moscow.draft.security_agreement"].to_numpy() <= turkey + 1e-12).all()
    assert df["moscow.draft.security_agreement"].nunique() > 10


def test_inducements_and_uncertain_red_lines_together(accord):
    ens, df = _engine_agrees(accord)
    assert (df["vienna.USA.transfer"] > 0).any()


def test_a_final_text_is_judged_on_each_runs_red_lines(libya):
    ens = TextEnsemble.build(libya, runs=RUNS, seed=SEED)
    p = ens.params
    lna_min = scenario_value(p, libya, "actors.LNA.red_lines[2].min")
    k = ens.issue_ids.index("security_agreement")
    x = np.clip(ens.central_draft(), *ens.box())
    for v in (0.3, 0.5, 0.65):
        x[k] = v
        ev = ens.evaluate(x)
        j = ens.participants.index("LNA")
        # the LNA's other red lines hold in every run: only the uncertain one decides
        assert np.array_equal(ev.feasible[:, j], v >= lna_min - 1e-9)
        assert (ev.p_sign[~ev.feasible[:, j], j] == 0).all()
    # waiving the red line in every run lets the LNA sign everywhere
    lo, hi = ens.red_line_bounds
    lo_w = lo.copy()
    lo_w[:, ens._st.actor_ids.index("LNA"), k] = 0.0
    x[k] = 0.3
    assert ens.evaluate(x, red_lines=(lo_w, hi)).feasible[:, j].all()


def test_the_box_is_the_intersection_over_runs(libya):
    ens = TextEnsemble.build(libya, runs=RUNS, seed=SEED)
    p = ens.params
    lo, hi = ens.box()
    k = ens.issue_ids.index("security_agreement")
    # the largest min any run drew (the LNA's) and the smallest max (Turkey's)
    assert lo[k] == scenario_value(p, libya, "actors.LNA.red_lines[2].min").max()
    assert hi[k] == scenario_value(p, libya, "actors.Turkey.red_lines[1].max").min()
    assert lo[k] > hi[k]  # here no text is within every run's red lines on this issue
    with pytest.raises(ValueError, match=r"can sign in every run \(red lines under "
                       r"\[\[uncertainty\]\]: the box is their intersection over the runs\) "
                       r"\(issues: security_agreement\)"):
        design_deal(libya, runs=30, seed=0)


def test_design_searches_within_every_runs_red_lines(accord):
    d = design_deal(accord, runs=60, seed=0)
    ens = TextEnsemble.build(accord, runs=60, seed=0)
    lo, hi = ens.box()
    x = np.array([d.text[k] for k in ens.issue_ids])
    assert ((x >= lo - 1e-9) & (x <= hi + 1e-9)).all()
    usa_min = scenario_value(ens.params, accord, "actors.USA.red_lines[0].min")
    assert lo[ens.issue_ids.index("enrichment_cap")] == usa_min.max()
    # a red line whose bound x lies on is reported at the box's bound and waived in every run
    k = ens.issue_ids.index("enrichment_cap")
    x[k] = usa_min.max()
    red = binding_red_lines(accord, ens, x, ens.central_draft(), 0.0, 0.0, 0.02, True)
    usa = [r for r in red if r.actor == "USA"]
    assert usa and usa[0].value == usa_min.max()
