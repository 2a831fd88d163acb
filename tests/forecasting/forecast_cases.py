"""Shared inputs of the forecasting tests: the published example, tables, parameter variants."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
from hypothesis import strategies as st

from negsim.forecasting import EUParameters

DATA = Path(__file__).resolve().parents[1] / "data"
FORECAST = DATA / "forecast"


def emissions() -> pd.DataFrame:
    """Bueno de Mesquita's (1994) EC emission standards example."""
    return pd.read_csv(FORECAST / "bdm1994_emissions.csv")


def table(x, c, s, names=None) -> pd.DataFrame:
    names = names if names is not None else [f"a{k}" for k in range(len(x))]
    return pd.DataFrame({"actor": names, "capability": c, "position": x, "salience": s})


variants = st.builds(
    EUParameters,
    q=st.sampled_from([1.0, 0.5, 0.0]),
    probability=st.sampled_from(["all_pairs", "pair"]),
    vote_risk=st.booleans(),
    perspective=st.sampled_from(["receiver", "own"]),
    offer_rule=st.sampled_from(["scholz", "least_move", "highest_eu"]),
    capitulation=st.booleans(),
)


def fake_scenario():
    def actor(aid, cap, demands):
        return SimpleNamespace(
            id=aid, capability=SimpleNamespace(value=cap),
            demand=lambda issue: (
                SimpleNamespace(ideal=SimpleNamespace(value=demands[issue][0]),
                                salience=SimpleNamespace(value=demands[issue][1]))
                if issue in demands else None))

    return SimpleNamespace(
        issues=[SimpleNamespace(id="land"), SimpleNamespace(id="water"),
                SimpleNamespace(id="empty")],
        actors=[actor("A", 1.0, {"land": (0.0, 1.0), "water": (0.2, 0.5)}),
                actor("B", 0.5, {"land": (1.0, 0.8)}),
                actor("M", 0.0, {"land": (0.5, 1.0), "water": (0.9, 1.0)})])
