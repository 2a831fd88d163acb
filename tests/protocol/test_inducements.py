"""Mediators' inducements: side payments and guarantees in a mediated round (#13, item 3b)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negsim
from negsim.cli.app import main
from negsim.protocol.inducements import offer_transfers
from negsim.scenario import ScenarioError, parse_scenario
from negsim.sim.engine import simulate_runs

DATA = Path(__file__).parents[1] / "data" / "scenarios"
INDUCED = DATA / "accord_induced.toml"
P = "timeline[0].inducements.EU."
PARTS = ("IRN", "USA", "E3", "RUS", "CHN")


@pytest.fixture(scope="module")
def induced() -> negsim.Scenario:
    return negsim.load_scenario(INDUCED)


def _share_signing(df) -> float:
    return float(np.mean([(df[f"vienna.{a}.decision"] == "sign").mean() for a in PARTS]))


# ------------------------------------------------------------------ the offer
def test_transfers_go_to_the_cheapest_needs_first_all_or_nothing():
    margin = np.array([[-0.3, 0.2, -0.1, -0.15]])
    ok = np.ones((1, 4), bool)
    assert offer_transfers(margin, ok, np.array([0.2])).tolist() == [[0.0, 0.0, 0.1, 0.0]]
    # 0.1 + 0.15 fits in 0.25; the 0.3 does not fit in what is left, so gets nothing.
    assert np.allclose(offer_transfers(margin, ok, np.array([0.3])), [[0, 0, 0.1, 0.15]])
    assert np.allclose(offer_transfers(margin, ok, np.array([1.0])), [[0.3, 0, 0.1, 0.15]])
    # No transfer moves a red line: a participant that cannot sign the draft gets none.
    ok[0, 2] = False
    assert np.allclose(offer_transfers(margin, ok, np.array([0.3])), [[0, 0, 0, 0.15]])
    # The transfer brings the margin exactly to zero.
    t = offer_transfers(margin, np.ones((1, 4), bool), np.array([1.0]))
    assert ((margin + t)[margin < 0] == 0.0).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1, 1), min_size=1, max_size=6), st.floats(0, 2), st.floats(0, 2))
def test_a_larger_budget_never_lowers_a_transfer(margins, b1, b2):
    """The offer is a prefix of the needs in cheapest-first order, which grows with B."""
    m = np.array([margins])
    ok = np.ones_like(m, dtype=bool)
    lo, hi = sorted((b1, b2))
    small = offer_transfers(m, ok, np.array([lo]))
    large = offer_transfers(m, ok, np.array([hi]))
    assert (large >= small).all()
    assert small.sum() <= lo + 1e-12 and large.sum() <= hi + 1e-12


# ------------------------------------------------------------------ the file
def test_the_fixture_round_trips_and_its_numbers_have_paths(induced):
    assert parse_scenario(induced.to_toml(), "x.toml") == induced
    paths = induced.parameter_paths()
    assert P + "side_payments" in paths and P + "guarantee" in paths
    assert induced.get(P + "guarantee") == 0.1
    assert induced.sourced(P + "guarantee").provenance.source == "doc"
    assert induced.parameter_bounds(P + "side_payments") == (0.0, np.inf)


def test_set_and_uncertainty_reach_the_runs(induced):
    moved = induced.with_overrides({P + "side_payments": 0.0})
    runs = simulate_runs(moved, 1, 200)
    assert (runs["vienna.USA.transfer"] == 0.0).all()
    text = induced.to_toml() + (
        '\n[[uncertainty]]\nparameter = "timeline[0].inducements.EU.side_payments"\n'
        'distribution = "uniform"\nlow = 0.0\nhigh = 0.02\nassumption = "test"\n')
    runs = simulate_runs(parse_scenario(text), 1, 300)
    budget = runs[P + "side_payments"]
    assert budget.between(0.0, 0.02).all() and budget.nunique() == 300
    paid = sum(runs[f"vienna.{a}.transfer"] for a in PARTS)
    assert (paid <= budget + 1e-12).all() and np.allclose(runs["vienna.EU.pays"], paid)


def test_show_paths_lists_them_and_set_runs(capsys):
    assert main(["show", str(INDUCED), "--paths"]) == 0
    assert "timeline[0].inducements.EU.side_payments" in capsys.readouterr().out
    assert main(["run", str(INDUCED), "--runs", "20", "--set", P + "guarantee=0.3"]) == 0


def _broken(body: str, where: str = 'mediators = ["EU"]\n') -> str:
    text = negsim.load_scenario(DATA / "accord.toml").to_toml()
    return text.replace(where, where + body, 1)


@pytest.mark.parametrize("body, field, message", [
    ('inducements = { UN = { guarantee = { value = 0.1, assumption = "x" } } }\n',
     "timeline[0].inducements.UN", "'UN' is not a mediator of this round (mediators: EU)"),
    ('inducements = { EU = { guarantee = { value = -0.1, assumption = "x" } } }\n',
     "timeline[0].inducements.EU.guarantee", "must be"),
    ("inducements = { EU = { side_payments = 0.1 } }\n",
     "timeline[0].inducements.EU.side_payments", "a bare number needs its provenance"),
    ('inducements = { EU = { bribes = { value = 0.1, assumption = "x" } } }\n',
     "timeline[0].inducements.EU.bribes", "unknown field"),
    ("inducements = { EU = {} }\n", "timeline[0].inducements.EU",
     "needs side_payments or guarantee"),
    ('inducements = "lots"\n', "timeline[0].inducements", "must be a table of mediators"),
    ('inducements = { EU = { guarantee = { value = 0.1 } } }\n',
     "timeline[0].inducements.EU.guarantee", "missing provenance"),
])
def test_bad_inducements_are_reported_with_file_and_field(body, field, message):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(_broken(body), "bad.toml")
    text = str(info.value)
    assert f"bad.toml: {field}: " in text and message in text


def test_only_a_mediated_round_has_inducements():
    body = 'inducements = { EU = { guarantee = { value = 0.1, assumption = "x" } } }\n'
    with pytest.raises(ScenarioError, match=r"bad.toml: timeline\[1\].inducements: only a "
                                            r"mediated_round has inducements, not an "
                                            r"implementation"):
        parse_scenario(_broken(body, "horizon = 12\n"), "bad.toml")


def test_the_cli_reports_a_bad_file_without_a_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(_broken('inducements = { UN = { guarantee = 0.1 } }\n'), encoding="utf-8")
    assert main(["validate", str(bad)]) != 0
    err = capsys.readouterr().err
    assert "inducements.UN" in err and "Traceback" not in err


# ------------------------------------------------------------------ defaults: none = today
def test_zero_inducements_give_the_numbers_of_none(induced):
    """A budget and a guarantee of 0 add zeros: the same floats as a file without them."""
    text = induced.to_toml()
    start = text.index("[timeline.inducements.EU]")
    none = parse_scenario(text[:start] + text[text.index("[[timeline]]", start):])
    assert not none.round("vienna").inducements
    zero = induced.with_overrides({P + "side_payments": 0.0, P + "guarantee": 0.0})
    a, b = simulate_runs(none, 2, 150), simulate_runs(zero, 2, 150)
    assert "vienna.USA.transfer" not in a.columns and "vienna.EU.pays" not in a.columns
    common = [c for c in a.columns if c in b.columns and c != "binding_constraint"]
    for c in common:
        assert a[c].equals(b[c]), c
    assert a["binding_constraint"].equals(b["binding_constraint"])


# ------------------------------------------------------------------ directions
def test_a_larger_budget_never_lowers_the_share_that_signs(induced):
    """Common random numbers: a budget pays a superset of the transfers of a smaller one
    (cheapest first), and a transfer raises the value of signing at least as much as that of
    asking for time; so the share of participants who sign does not fall (it can fall in a
    single run, where another participant's request for time moves the text)."""
    shares = [_share_signing(simulate_runs(induced.with_overrides({P + "side_payments": b}),
                                           3, 1000))
              for b in (0.0, 0.01, 0.02, 0.05, 0.1, 0.5)]
    assert all(b >= a for a, b in zip(shares, shares[1:], strict=False)), shares
    assert shares[-1] > shares[0] + 0.01


def test_a_guarantee_lowers_the_breakdown_rate_of_the_phase(induced):
    """A guarantee raises what breaking costs, not the value of signing: the signatures are
    the same, and with the same draws each run's deal lasts at least as long."""
    runs = [simulate_runs(induced.with_overrides({P + "guarantee": g}), 3, 1000)
            for g in (0.0, 0.05, 0.1)]
    for before, after in zip(runs, runs[1:], strict=False):
        assert before.filter(like="decision").equals(after.filter(like="decision"))
        assert (after["after.duration"] >= before["after.duration"]).all()
        assert after["after.broke"].mean() < before["after.broke"].mean()
        assert (after["compliance.holds"] >= before["compliance.holds"]).all()


def test_transfers_are_paid_while_the_deal_holds_in_the_compliance_game(induced):
    """A transfer adds to the recipient's payoff (and takes from the payer's) in every
    profile in which the deal has not ended, and changes no profile in which it has."""
    from negsim.protocol.params import compile_scenario
    from negsim.protocol.structure import compliance_inputs, compliance_table, structure
    from negsim.protocol.utility import weights

    st_, p = structure(induced), compile_scenario(induced)
    w, n = weights(p.salience), len(st_.actor_ids)
    inputs = compliance_inputs(st_, p, np.zeros((1, n, 0), bool), [])
    x = p.ideal[:, 5]  # the EU's ideal text
    bonus = np.zeros((1, n))
    bonus[0, 1] = 0.07  # the USA
    base = compliance_table(st_, p, w, x, inputs).reshape(1, st_.players.k, -1)
    paid = compliance_table(st_, p, w, x, inputs, keep_bonus=bonus).reshape(base.shape)
    j = list(st_.players.actors).index(1)
    assert paid[0, j, 0] == base[0, j, 0] + 0.07  # all keep the deal
    assert (paid[0, :, 1:] == base[0, :, 1:]).all()  # someone broke: the deal has ended
    cost = np.full((1, n), 0.2)
    guarded = compliance_table(st_, p, w, x, inputs, break_cost=cost).reshape(base.shape)
    assert (guarded[0, :, 0] == base[0, :, 0]).all()
    alone = 1 << (st_.players.k - 1 - j)  # only the USA breaks
    assert np.isclose(guarded[0, j, alone], base[0, j, alone] - 0.2)


def test_transfers_never_make_the_deal_fragile(induced):
    """Where the text is the same (a transfer can change who asks for time, so the text), a
    transfer only raises the value of keeping the deal."""
    none = simulate_runs(induced.with_overrides({P + "side_payments": 0.0}), 5, 400)
    paid = simulate_runs(induced, 5, 400)
    same = (none.filter(like="vienna.text.") == paid.filter(like="vienna.text.")).all(axis=1)
    assert (paid.loc[same, "vienna.USA.transfer"] > 0).any()
    assert (paid.loc[same, "compliance.holds"] >= none.loc[same, "compliance.holds"]).all()


def test_the_story_tells_the_offer_and_the_guarantee(induced):
    runs = simulate_runs(induced, 1, 40)
    i = int(np.flatnonzero(runs["vienna.USA.transfer"] > 0)[0])
    result = negsim.NegotiationModel(induced, rng=np.random.SeedSequence([1, i])).run()
    story = result.story()
    t = runs["vienna.USA.transfer"].iloc[i]
    assert f"EU offered USA a transfer of {t:.3f} a period while the deal holds." in story
    assert "EU guaranteed the deal: a participant that breaks it pays 0.100 a period." in story
    assert result.round("vienna").pays["EU"] == runs["vienna.EU.pays"].iloc[i]


def test_two_mediators_pay_in_proportion_to_their_budgets():
    from types import SimpleNamespace

    from negsim.protocol.inducements import inducement_terms

    entry = SimpleNamespace(inducements=(SimpleNamespace(side_payments=1, guarantee=1),))
    budget = np.zeros((1, 1, 4))
    budget[0, 0, 2:] = (0.1, 0.3)
    kappa = np.zeros((1, 1, 4))
    kappa[0, 0, 2:] = (0.05, 0.15)
    keep, cost = inducement_terms(budget, kappa, 0, np.array([0, 1]), np.array([2, 3]),
                                  np.array([[0.08, 0.12]]), entry)
    assert np.allclose(keep, [[0.08, 0.12, -0.05, -0.15]])
    assert np.allclose(cost, [[0.2, 0.2, 0.0, 0.0]])


def test_a_guaranteed_war_deal_agrees_in_both_implementations(engine_equals_mesa):
    """Libya's mediators are patrons too (players of the compliance game); a guarantee
    reaches the belligerents' ceasefire pressure the same way in the engine and the model."""
    head, tail = negsim.load_scenario("libya-2020").to_toml().split('id = "moscow"\n')
    tail = tail.replace(
        'mediators = ["Russia", "Turkey"]\n',
        'mediators = ["Russia", "Turkey"]\n'
        'inducements.Russia = { side_payments = { value = 0.1, assumption = "x" } }\n'
        'inducements.Turkey = { side_payments = { value = 0.3, assumption = "x" }, '
        'guarantee = { value = 0.5, assumption = "x" } }\n', 1)
    s = parse_scenario(head + 'id = "moscow"\n' + tail)
    plain = simulate_runs(negsim.load_scenario("libya-2020"), 1, 200)
    runs = simulate_runs(s, 1, 200)
    assert (runs["moscow.Turkey.pays"] >= 0).all()
    assert (runs["aftermath.duration"] >= plain["aftermath.duration"]).all()
    assert (runs["compliance.holds"] >= plain["compliance.holds"]).all()
    engine_equals_mesa(s, 1, np.arange(4), engine=runs.iloc[:4])
