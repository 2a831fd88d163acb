"""A new round kind is one module plus its registration: a kind defined only in this file.

A *unilateral declaration*: each participant, in turn, may declare its own position,
moving the text in force halfway toward its ideal point on every issue. It declares by a
logit choice on what the move gains it. The kind is registered, validated in a scenario
file (with its own error messages), and played identically, run by run, by the vectorised
engine and by the Mesa model; backtests read its observed decisions through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest

import negsim
from negsim._frozen import FrozenMap
from negsim.protocol.rounds.kernels import choose
from negsim.protocol.utility import text_utility
from negsim.scenario.kinds import (
    EntryCheck,
    RoundKind,
    register_round_kind,
    round_kind,
    unregister_round_kind,
)
from negsim.sim.engine import simulate_runs


@dataclass(frozen=True)
class DeclarationResult:
    id: str
    declared: FrozenMap
    signs_text: ClassVar[bool] = False

    def columns(self) -> dict[str, Any]:
        return {f"{self.id}.{a}.declared": v for a, v in self.declared.items()}

    def story(self, reasons: Any = None) -> list[str]:
        who = [a for a, v in self.declared.items() if v]
        return [f"{self.id}: {', '.join(who) or 'nobody'} declared a position."]


def _declare(w: np.ndarray, ideal: np.ndarray, text: np.ndarray, a: int,
             rationality: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One participant's choice on arrays with a run axis (shared by both implementations)."""
    target = 0.5 * (text + ideal[:, a])
    gain = (text_utility(w[:, a : a + 1], ideal[:, a : a + 1], target)[:, 0]
            - text_utility(w[:, a : a + 1], ideal[:, a : a + 1], text)[:, 0])
    values = np.stack([gain, np.zeros_like(gain)], -1)
    declared = choose(values, rationality, u) == 0
    return declared, np.where(declared[:, None], target, text)


class Declaration(RoundKind):
    name = "declaration"
    lists = frozenset({"participants"})
    decisions = ("declare", "stay_silent")
    decision_place = "in a declaration"
    observation_kind = "declare"

    def validate(self, check: EntryCheck) -> None:
        check.require_list("participants", "missing: a declaration needs participants (who "
                           "may declare)", "a declaration needs at least one participant")
        for j, a in enumerate(check.lists.get("participants", ())):
            if a in check.actors and not check.actors[a].demands:
                check.fail(f"{check.field('participants')}[{j}]",
                           f"{a!r} has no demands to declare")

    def draws(self, entry: Any, scenario: Any) -> int:
        return len(entry.participants)

    def play_batch(self, entry: Any, state: Any, u: np.ndarray, cols: dict) -> None:
        p = state.params
        for j, a in enumerate(state.actor_indices(entry.participants)):
            declared, state.text = _declare(state.w, p.ideal, state.text, int(a),
                                            p.rationality, u[:, j])
            cols[f"{entry.id}.{state.structure.actor_ids[a]}.declared"] = declared

    def play_agents(self, entry: Any, model: Any, u: np.ndarray) -> DeclarationResult:
        declared = {}
        for j, aid in enumerate(entry.participants):
            agent = model.agent(aid)
            d, text = _declare(model.w, model.params.ideal, model.text[None], agent.index,
                               model.params.rationality, u[j : j + 1])
            model.text = text[0]
            declared[aid] = bool(d[0])
        return DeclarationResult(entry.id, FrozenMap(declared))

    def happened(self, runs: Any, entry: Any, actor: str, commitment: str | None,
                 value: str) -> np.ndarray:
        declared = runs[f"{entry.id}.{actor}.declared"].to_numpy(dtype=bool)
        return declared if value == "declare" else ~declared


DECLARATION = """
[[timeline]]
id = "statements"
date = 2020-01-25
kind = "declaration"
description = "The parties state their positions after Berlin (invented for the test)."
participants = ["GNA", "LNA"]
assumption = "a test round kind"
"""

OBSERVED = """
[[observed]]
round = "statements"
actor = "LNA"
decision = "declare"
source = "{source}"
quote = "{quote}"
"""


@pytest.fixture()
def declaration():
    kind = register_round_kind(Declaration())
    yield kind
    unregister_round_kind("declaration")


def _with_declaration(extra: str = DECLARATION) -> str:
    toml = negsim.load_scenario("libya-2020").to_toml()
    head, sep, tail = toml.partition("\n[[observed]]")
    return head.rstrip() + "\n" + extra + sep + tail


def test_unregistered_kind_is_rejected_naming_the_field():
    with pytest.raises(negsim.ScenarioError, match=r"timeline\[\d+\]\.kind.*declaration"):
        negsim.parse_scenario(_with_declaration(), origin="decl.toml")


def test_registered_kind_validates_with_its_own_messages(declaration):
    s = negsim.parse_scenario(_with_declaration(), origin="decl.toml")
    assert [e.kind for e in s.timeline][-1] == "declaration"
    bad = _with_declaration(DECLARATION.replace('participants = ["GNA", "LNA"]\n', ""))
    with pytest.raises(negsim.ScenarioError, match=r"decl\.toml: timeline\[\d+\]\.participants: "
                       "missing: a declaration needs participants"):
        negsim.parse_scenario(bad, origin="decl.toml")
    bad = _with_declaration(DECLARATION.replace('["GNA", "LNA"]', '["GNA", "Russia"]'))
    s2 = negsim.parse_scenario(bad, origin="decl.toml")  # Russia has demands: valid
    assert s2.timeline[-1].participants == ("GNA", "Russia")
    with pytest.raises(negsim.ScenarioError, match="only a conference has commitments"):
        negsim.parse_scenario(_with_declaration(DECLARATION.replace(
            'participants = ["GNA", "LNA"]', 'participants = ["GNA"]\n'
            'commitments = ["arms_embargo"]')), origin="decl.toml")


def test_the_engine_and_the_mesa_model_play_it_identically(declaration):
    s = negsim.parse_scenario(_with_declaration(), origin="decl.toml")
    assert round_kind("declaration").draws(s.timeline[-1], s) == 2
    df = simulate_runs(s, seed=7, runs=np.arange(40))
    assert {"statements.GNA.declared", "statements.LNA.declared"} <= set(df.columns)
    # Declaring moves the text in force, so the kind matters for the outcome columns.
    base = simulate_runs(negsim.load_scenario("libya-2020"), seed=7, runs=np.arange(40))
    assert not np.array_equal(df["utility.LNA"].to_numpy(), base["utility.LNA"].to_numpy())
    assert df["statements.LNA.declared"].any() and df["statements.GNA.declared"].any()
    for i in range(40):
        result = negsim.NegotiationModel(s, rng=np.random.SeedSequence([7, i])).run()
        row = result.to_row()
        assert isinstance(result.rounds[-1], DeclarationResult)
        for col, value in row.items():
            got = df[col].iloc[i]
            if isinstance(value, float) and np.isnan(value):
                assert np.isnan(got), col
            else:
                assert got == value, (i, col, got, value)
        assert "declared a position" in result.story()


def test_backtests_read_its_observations_through_the_kind(declaration):
    prov = negsim.load_scenario("libya-2020").observed[0].provenance
    text = _with_declaration() + OBSERVED.format(source=prov.source,
                                                 quote=prov.quote.replace('"', '\\"'))
    s = negsim.parse_scenario(text, origin="decl.toml")
    from negsim.analysis.backtest import observation_frame, predicted_probabilities

    obs = observation_frame(s.observed)
    assert obs["kind"].tolist()[-1] == "declare"
    runs = pd.DataFrame({"statements.LNA.declared": [True, True, False, True],
                         "moscow.GNA.decision": ["sign"] * 4,
                         "moscow.LNA.decision": ["sign"] * 4, "holds": [True] * 4})
    assert predicted_probabilities(runs, obs, s)[-1] == 0.75
