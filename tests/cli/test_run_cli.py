"""The `negsim run` and `negsim sweep` commands."""

from __future__ import annotations

import argparse
import json

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from negsim.cli.app import main  # noqa: E402
from negsim.cli.run import cmd_run, parse_params, register  # noqa: E402

RUNS = "400"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_register_adds_both_commands():
    parser = argparse.ArgumentParser(prog="negsim")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["sweep", "--param", "model.rationality=1,2", "--zip"])
    assert args.command == "sweep" and args.params == ["model.rationality=1,2"] and args.zip
    args = parser.parse_args(["run", "my.toml", "--processes", "2", "--quiet"])
    assert args.func is cmd_run and args.scenario == "my.toml" and args.processes == 2


def test_run_json_is_the_only_stdout_and_is_reproducible(capsys, tmp_path):
    base = ("run", "libya-2020", "--runs", RUNS, "--seed", "1", "--json", "--no-plots")
    code, out1, _ = _run(capsys, *base, "--out", str(tmp_path / "a"))
    assert code == 0
    data = json.loads(out1)  # nothing but JSON on stdout
    for key in ("runs", "seed", "outcomes", "sign_probability", "holds_probability",
                "intervals", "binding_constraints", "scenario", "versions"):
        assert key in data
    assert data["runs"] == int(RUNS) and data["seed"] == 1
    assert sum(data["outcomes"].values()) == pytest.approx(1.0)
    assert set(data["outcomes"]) == {"signed_and_holds", "signed_but_fragile",
                                     "partial_signature", "no_agreement"}
    for by_actor in data["sign_probability"].values():
        assert all(0.0 <= p <= 1.0 for p in by_actor.values())
    code, out2, _ = _run(capsys, *base, "--out", str(tmp_path / "b"))
    assert code == 0 and out2 == out1
    code, out3, _ = _run(capsys, *base, "--out", str(tmp_path / "c"), "--processes", "2",
                         "--chunk-size", "150")
    assert code == 0 and out3 == out1
    assert (tmp_path / "a" / "summary.json").read_text() == out1
    runs = pd.read_csv(tmp_path / "a" / "runs.csv") if (tmp_path / "a" / "runs.csv").exists() \
        else pd.read_parquet(tmp_path / "a" / "runs.parquet")
    assert len(runs) == int(RUNS) and runs["run"].tolist() == list(range(int(RUNS)))


def test_run_prints_a_table_and_writes_plots(capsys, tmp_path):
    code, out, err = _run(capsys, "run", "--runs", "300", "--seed", "2", "--out", str(tmp_path))
    assert code == 0
    assert "signed and holds" in out and "95% interval" in out and "Signing (round: actor)" in out
    assert "moscow: LNA" in out and "Binding constraints" in out
    assert "the ceasefire holds to the horizon" in out
    names = {p.name for p in tmp_path.iterdir()}
    assert {"summary.json", "outcomes.png", "signing.png", "margins.png"} <= names
    assert "runs.csv" in names or "runs.parquet" in names
    assert "\r" not in err  # stderr is not a terminal: no progress bar


def test_run_with_overrides_and_quiet(capsys, tmp_path):
    code, out, err = _run(capsys, "run", "--runs", "200", "--set", "model.rationality=0",
                          "--quiet", "--no-plots", "--out", str(tmp_path))
    assert code == 0 and out == "" and err == ""
    data = json.loads((tmp_path / "summary.json").read_text())
    assert data["overrides"] == {"model.rationality": 0.0}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--set", "actors.Nobody.capability=0.3", "--runs", "10"], "--set"),
        (["--set", "model.rationality=abc", "--runs", "10"], "not a number"),
        (["--set", "model.rationality", "--runs", "10"], "PATH=VALUE"),
        (["--runs", "0"], "--runs"),
        (["no-such-scenario-xyz", "--runs", "10"], "no-such-scenario-xyz"),
    ],
)
def test_run_errors_are_clean(capsys, tmp_path, argv, message):
    code, out, err = _run(capsys, "run", *argv, "--out", str(tmp_path), "--no-plots")
    assert code == 1
    assert "error" in err and message in err and "Traceback" not in err
    assert out == ""


def test_sweep_command(capsys, tmp_path):
    argv = ("sweep", "--param", "model.rationality=0.5,5", "--runs", "150", "--seed", "3",
            "--json", "--out", str(tmp_path / "s"))
    code, out, _ = _run(capsys, *argv)
    assert code == 0
    data = json.loads(out)
    assert data["parameters"] == ["model.rationality"] and len(data["points"]) == 2
    assert [p["values"]["model.rationality"] for p in data["points"]] == [0.5, 5.0]
    for p in data["points"]:
        assert sum(p["outcomes"].values()) == pytest.approx(1.0)
        lo, hi = p["intervals"]["holds_probability"]
        assert lo <= p["holds_probability"] <= hi
    code, again, _ = _run(capsys, *argv[:-1], str(tmp_path / "t"), "--processes", "2")
    assert code == 0 and again == out
    names = {p.name for p in (tmp_path / "s").iterdir()}
    assert {"summary.json", "sweep_summary.csv", "sweep-model.rationality.png"} <= names
    code, out, err = _run(capsys, "sweep", "--param", "model.rationality=1,2", "--param",
                          "model.amendment_reach=0.1", "--zip", "--runs", "10")
    assert code == 1 and "equal lengths" in err


def testparse_params():
    assert parse_params(["a=1,2.5", "b=0:1:3"]) == {"a": [1.0, 2.5], "b": [0.0, 0.5, 1.0]}
    for bad in (["a"], ["a=1:2"], ["a=x,1"], ["a=0:1:0"], ["a=1", "a=2"]):
        with pytest.raises(Exception, match="--param"):
            parse_params(bad)
