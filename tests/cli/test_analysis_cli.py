"""The `negsim backtest`, `negsim design` and `negsim forecast` commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from negsim.cli import analysis  # noqa: E402
from negsim.cli.app import COMMANDS, main  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"
TOY = str(DATA / "design-toy.toml")


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_registered():
    assert analysis.register in COMMANDS


# ------------------------------------------------------------------ backtest
def test_backtest_table(capsys):
    code, out, err = _run(capsys, "backtest", "--runs", "400", "--seed", "1")
    assert code == 0 and err == ""
    assert "Backtest of libya-2020: 400 runs, seed 1" in out
    for piece in ("GNA", "LNA", "partial_signature", "Brier", "coin (0.5)", "base rate",
                  "seed-000", "seed-003"):
        assert piece in out


def test_backtest_json_matches_the_api(capsys):
    import negsim

    code, out, _ = _run(capsys, "backtest", "--runs", "300", "--seed", "2", "--json")
    assert code == 0
    data = json.loads(out)
    bt = negsim.backtest("libya-2020", runs=300, seed=2)
    assert data["overall"]["brier"] == pytest.approx(bt.brier)
    assert [o["probability"] for o in data["observations"]] == pytest.approx(
        bt.to_frame()["probability"].tolist())
    assert data["observations"][2]["actor"] is None


def test_backtest_without_observations_is_an_error(capsys):
    code, out, err = _run(capsys, "backtest", TOY, "--runs", "10")
    assert code == 1 and out == ""
    assert err.startswith("negsim backtest: error:") and "observed" in err
    assert "Traceback" not in err


# ------------------------------------------------------------------ design
def test_design_names_concessions_and_probabilities(capsys, tmp_path):
    png = tmp_path / "frontier.png"
    code, out, err = _run(capsys, "design", TOY, "--runs", "200", "--plot", str(png))
    assert code == 0 and err == ""
    # every probability is named, with its draft and designed-text values
    rows = {cells[0]: cells[1:] for cells in (re.split(r"\s{2,}", line.strip())
                                              for line in out.splitlines())
            if cells[0].startswith("P(")}
    assert rows["P(every party signs and the deal holds), each text final as it stands"][0] \
        == "0.000"
    assert set(rows) == {
        "P(every party signs and the deal holds), each text final as it stands",
        "P(every party signs and the deal holds), on 200 other runs",
        "P(the text holds), compliance game, signed or not",
        "P(signed and holds), tabled as a first draft (time, amendments)",
        "P(signed and holds), full simulated protocol (each run's own draft)"}
    assert [len(v) for v in rows.values()] == [2, 2, 2, 2, 1]
    assert "border" in out and "0.5" in out and "0.6" in out
    assert "B      border  min 0.6" in out
    assert png.exists() and png.stat().st_size > 1000


def test_design_json(capsys):
    code, out, _ = _run(capsys, "design", TOY, "--runs", "100", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["text"]["border"] == pytest.approx(0.6, abs=2e-3)
    assert data["concessions"][0]["issue"] == "border"
    assert data["parameters"]["runs"] == 100 and data["probability_draft"] == 0.0
    assert data["frontier"][0]["issue"] == "(draft)"


def test_design_libya_names_a_concession(capsys):
    code, out, _ = _run(capsys, "design", "--runs", "150")
    assert code == 0
    assert "security_agreement  0.497  0.5" in out
    assert "designed text" in out


@pytest.mark.parametrize("argv, message", [
    (["design", "--runs", "0"], "--runs must be at least 1"),
    (["design", "--seed", "-1"], "--seed must be a non-negative integer"),
    (["design", "--penalty", "-1", "--runs", "10"], "penalty"),
    (["design", "no-such-scenario"], "no-such-scenario"),
])
def test_design_errors(capsys, argv, message):
    code, out, err = _run(capsys, *argv)
    assert code == 1 and out == ""
    assert message in err and "Traceback" not in err


def test_usage_error_exit_2(capsys):
    code, _, err = _run(capsys, "design", "--method", "bfgs")
    assert code == 2 and "invalid choice" in err


# ------------------------------------------------------------------ forecast
def test_forecast_table_next_to_the_draft(capsys):
    code, out, err = _run(capsys, "forecast", "--rounds", "3")
    assert code == 0 and err == ""
    assert "expected-utility model" in out and "3 rounds" in out
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line[:1].isalpha()}
    assert "political_track" in lines and "mediators' draft" in out
    row = lines["ceasefire"]
    assert row[-2] == "0.802"  # the mediators' draft at central values


def test_forecast_json_matches_the_api(capsys):
    import negsim

    code, out, _ = _run(capsys, "forecast", "--model", "median", "--json")
    assert code == 0
    data = json.loads(out)
    pred = negsim.forecast("libya-2020", model="median").prediction()
    got = {r["issue"]: r["forecast"] for r in data["issues"]}
    assert got == pytest.approx(pred.to_dict())
    assert data["model"] == "median" and data["rounds"] == 0


def test_forecast_one_issue_and_errors(capsys):
    code, out, _ = _run(capsys, "forecast", "--model", "mean", "--issue", "tarhuna")
    assert code == 0 and "tarhuna" in out and "political_track" not in out
    code, out, err = _run(capsys, "forecast", "--rounds", "-1")
    assert code == 1 and "--rounds" in err and out == ""
    code, out, err = _run(capsys, "forecast", "--issue", "nope")
    assert code == 1 and err.startswith("negsim forecast: error:") and "nope" in err
