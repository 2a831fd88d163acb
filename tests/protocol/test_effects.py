"""Commitment effects as registered kinds: sanctions relief, inspections, payments (#13 item 6)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import negsim
from negsim.cli.app import main
from negsim.protocol.params import compile_scenario, sample_params, slot
from negsim.protocol.rounds.phase import Phase
from negsim.protocol.structure import compliance_inputs, structure
from negsim.protocol.utility import weights
from negsim.scenario.effects import (
    EffectKind,
    effect_kinds,
    register_effect,
    unregister_effect,
)
from negsim.sim.engine import simulate_runs

RELIEF = Path(__file__).parents[1] / "data" / "scenarios" / "relief.toml"


@pytest.fixture(scope="module")
def relief() -> negsim.Scenario:
    return negsim.load_scenario(RELIEF)


def _committed(st, who: dict[str, list[str]]) -> np.ndarray:
    c = np.zeros((1, len(st.actor_ids), len(st.commitment_ids)), dtype=bool)
    for cid, actors in who.items():
        for a in actors:
            c[0, st.actor_ids.index(a), st.commitment_ids.index(cid)] = True
    return c


def _broke(s: negsim.Scenario, actor: str, runs: int = 400) -> float:
    df = simulate_runs(s, 3, runs)
    return float((df["after.broken_by"] == actor).mean())


# ------------------------------------------------------------------ registry and Libya
def test_the_builtin_kinds_are_registered_and_libya_gets_no_new_terms():
    assert effect_kinds()[:3] == negsim.scenario.EFFECTS
    assert set(effect_kinds()) >= {"sanctions_relief", "inspections", "payments"}
    s = negsim.load_scenario("libya-2020")
    st, p = structure(s), compile_scenario(s)
    assert p.effect_numbers.shape == (1, 3, 0) and st.effect_fields == ()
    inputs = compliance_inputs(st, p, np.ones((1, 6, 3), bool), [np.array([2, 3, 4, 5])])
    assert inputs.bonus is None  # no relief or payments: the payoffs are the text's alone


def test_engine_and_mesa_model_agree_run_by_run(relief, engine_equals_mesa):
    engine = engine_equals_mesa(relief, 11, np.arange(60))
    assert engine["after.broke"].any() and not engine["after.broke"].all()


def test_fixed_text_ensembles_agree_with_the_engine(relief):
    from negsim.analysis.fixedtext import TextEnsemble

    ens = TextEnsemble.build(relief, runs=150, seed=0)
    runs = simulate_runs(relief, 0, 150)
    signed = np.logical_and.reduce([(runs[f"talks.{a}.decision"] == "sign").to_numpy()
                                    for a in ens.participants])
    # the file has an implementation phase, so "holds" is the phase's verdict, as in the engine
    assert ens.table(ens.mediators_draft()).probability == float(np.mean(signed & runs["holds"]))


# ------------------------------------------------------------------ the terms
def test_payments_lower_the_payers_value_and_raise_the_payees(relief):
    # The payer gives `amount` per period while the deal holds and the beneficiaries share
    # it: the deal is worth that much less to the payer and more to the payee.
    st, p = structure(relief), compile_scenario(relief)
    one = compliance_inputs(st, p, _committed(st, {"aid": ["USA"]}), [])
    assert one.bonus[0, st.actor_ids.index("USA")] == -0.1
    assert one.bonus[0, st.actor_ids.index("IRN")] == 0.1
    assert one.bonus[0, st.actor_ids.index("EU")] == 0.0
    # stopping payment is the payer's way of breaking: it pays the breach cost
    assert one.pressure[0, st.actor_ids.index("USA")] == 0.05
    both = compliance_inputs(st, p, _committed(st, {"aid": ["USA", "EU"]}), [])
    assert both.bonus[0, st.actor_ids.index("IRN")] == pytest.approx(0.2)
    # in the implementation phase the parties' values of keeping the deal move alike
    w = weights(p.salience)
    sides = np.array([0, 1, 2])
    ph0 = Phase.start(st, p, w, p.status_quo, _committed(st, {}), [], sides, np.full((1, 4), .5))
    ph1 = Phase.start(st, p, w, p.status_quo, _committed(st, {"aid": ["USA"]}), [], sides,
                      np.full((1, 4), .5))
    usa, irn = st.actor_ids.index("USA"), st.actor_ids.index("IRN")
    assert ph1.peace[0, usa] < ph0.peace[0, usa] and ph1.peace[0, irn] > ph0.peace[0, irn]


def test_relief_and_inspections_terms(relief):
    st, p = structure(relief), compile_scenario(relief)
    c = _committed(st, {"relief": ["USA", "EU"], "inspections": ["IRN"]})
    inputs = compliance_inputs(st, p, c, [])
    irn, usa = st.actor_ids.index("IRN"), st.actor_ids.index("USA")
    assert inputs.bonus[0, irn] == pytest.approx(0.3)  # 0.15 from each power that lifts
    assert inputs.bonus[0, usa] == 0.0
    assert inputs.pressure[0, usa] == 0.1  # reimposing sanctions costs the breach cost
    assert inputs.pressure[0, irn] == pytest.approx(0.6 * 0.4)  # detection x breach cost
    assert inputs.strike[0] == p.first_strike[0]  # inspections leave the first strike alone


def test_more_relief_means_the_beneficiary_breaks_less(relief):
    # Relief is worth `value` per period to Iran while the deal holds and is lost when it
    # ends, so leaving the deal is worth less to Iran: it leaves less often.
    shares = [_broke(relief.with_overrides({"commitments.relief.value": v}), "IRN")
              for v in (0.0, 0.1, 0.3)]
    assert shares[0] > shares[1] > shares[2]
    assert shares[0] > 0.2
    # and its margin of keeping the deal in the compliance game rises run by run
    lo = simulate_runs(relief.with_overrides({"commitments.relief.value": 0.0}), 3, 200)
    hi = simulate_runs(relief.with_overrides({"commitments.relief.value": 0.3}), 3, 200)
    assert (hi["compliance.IRN.margin"] >= lo["compliance.IRN.margin"]).all()
    assert (hi["compliance.IRN.margin"] > lo["compliance.IRN.margin"]).mean() > 0.5


def test_more_detection_means_the_inspected_party_breaks_less(relief):
    # A detected breach costs the inspected party the breach cost: its expected cost of
    # breaking, detection x breach_cost, rises with detection, so it breaks less.
    shares = [_broke(relief.with_overrides({"commitments.inspections.detection": v}), "IRN")
              for v in (0.0, 0.5, 1.0)]
    assert shares[0] > shares[1] > shares[2]


def test_a_registered_kind_is_validated_and_played(relief):
    class Amnesty(EffectKind):
        name = "amnesty"
        required = ("value",)
        beneficiaries = True
        doc = "the committed actor grants the beneficiaries an amnesty"

        def terms(self, ctx, idx):
            bonus = ctx.zeros()
            for c in idx:
                for b in ctx.beneficiaries[c]:
                    bonus[:, b] += ctx.number(int(c), "value") * ctx.committed[:, :, c].sum(1)
            return {"bonus": bonus}

    register_effect(Amnesty())
    try:
        s = negsim.parse_scenario(relief.to_toml().replace(
            'effect = "sanctions_relief"', 'effect = "amnesty"'), "relief.toml")
        st, p = structure(s), compile_scenario(s)
        inputs = compliance_inputs(st, p, _committed(st, {"relief": ["USA"]}), [])
        assert inputs.bonus[0, st.actor_ids.index("IRN")] == 0.15
        assert inputs.pressure[0, st.actor_ids.index("USA")] == 0.0  # no break cost term
        simulate_runs(s, 1, 5)
    finally:
        unregister_effect("amnesty")


# ------------------------------------------------------------------ the file
def _edited(relief: negsim.Scenario, old: str, new: str) -> str:
    text = relief.to_toml()
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize("old, new, where, message", [
    ('effect = "payments"', 'effect = "bribes"', "commitments.aid.effect",
     "must be one of embargo, ceasefire_support, monitoring, sanctions_relief, inspections, "
     "payments, got 'bribes'"),
    ('effect = "inspections"', 'effect = "inspections"\nbeneficiaries = ["IRN"]',
     "commitments.inspections.beneficiaries",
     "an inspections commitment has no 'beneficiaries'"),
    ('effect = "payments"', 'effect = "payments"\nvalue = { value = 0.1, assumption = "x" }',
     "commitments.aid.value", "belongs to effect = \"sanctions_relief\""),
    ('beneficiaries = ["IRN"]', 'beneficiaries = ["IRN", "XYZ"]',
     "commitments.relief.beneficiaries[1]", "unknown actor 'XYZ'"),
    ('beneficiaries = ["IRN"]', 'beneficiaries = []', "commitments.relief.beneficiaries",
     "needs at least one beneficiary"),
    ('beneficiaries = ["IRN"]', 'beneficiaries = "IRN"', "commitments.relief.beneficiaries",
     "must be an array of actor ids"),
    ("amount = { value = 0.1", "amount = { value = -0.1", "commitments.aid.amount",
     "must be >= 0, got -0.1"),
    ("detection = { value = 0.6", "detection = { value = 1.5",
     "commitments.inspections.detection", "must be in [0, 1], got 1.5"),
])
def test_validation_names_file_field_and_problem(relief, old, new, where, message):
    with pytest.raises(negsim.ScenarioError) as err:
        negsim.parse_scenario(_edited(relief, old, new), "relief.toml")
    text = str(err.value)
    assert f"relief.toml: {where}: " in text and message in text, text


def test_a_required_number_is_required(relief):
    line = 'amount = { value = 0.1, assumption = "test: aid per month, in utility" }\n'
    with pytest.raises(negsim.ScenarioError, match="commitments.aid.amount: missing required"):
        negsim.parse_scenario(_edited(relief, line, ""), "relief.toml")


def test_validate_prints_the_error_without_a_traceback(relief, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(_edited(relief, 'effect = "payments"', 'effect = "bribes"'))
    assert main(["validate", str(bad)]) != 0
    out, err = capsys.readouterr()
    assert "commitments.aid.effect" in out + err and "Traceback" not in out + err


def test_round_trip_keeps_beneficiaries_and_numbers(relief):
    text = relief.to_toml()
    assert 'beneficiaries = ["IRN"]' in text
    again = negsim.parse_scenario(text, str(RELIEF))
    assert again == relief
    assert again.commitment("aid").numbers["amount"].value == 0.1


def test_the_numbers_have_paths_for_set_and_uncertainty(relief, capsys):
    paths = relief.parameter_paths()
    for path in ("commitments.relief.value", "commitments.aid.amount",
                 "commitments.inspections.detection"):
        assert path in paths
    assert slot(relief, "commitments.aid.amount") == ("effect_numbers", (1, 1))
    s = relief.with_overrides({"commitments.aid.amount": 0.3})
    assert compile_scenario(s).effect_numbers[0, 1, 1] == 0.3
    # [[uncertainty]]: the relief value is drawn per run, within its bounds
    p = sample_params(relief, np.array([[0.0], [0.5], [0.999]]))
    assert p.effect_numbers[:, 0, 0].tolist() == pytest.approx([0.1, 0.15, 0.1999])
    assert main(["show", str(RELIEF), "--paths"]) == 0
    out = capsys.readouterr().out
    assert "commitments.inspections.detection" in out and "commitments.relief.value" in out


def test_deal_analysis_counts_the_relief(relief):
    # Without relief Iran gains by leaving (its outside option is worth 0.9 to it); with
    # the relief of two powers (0.15 each while the deal holds) keeping the deal pays.
    text = {"cap": 0.7, "relief": 0.8}
    without = negsim.analyze(relief, text)
    with_relief = negsim.analyze(relief, text, {"relief": ["USA", "EU"]})
    assert not without.compliance.holds and with_relief.compliance.holds
    assert with_relief.compliance.margins["IRN"] > 0 > without.compliance.margins["IRN"]
