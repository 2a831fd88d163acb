"""One CLI: shared flags, strict number parsing, limits, I/O errors in words, `negsim story`,
tables that fit 100 columns and suggestions that match names (issues 15 and 16)."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

import negsim
from negsim._tables import format_table
from negsim.cli import common
from negsim.cli.app import build_parser, main
from negsim.cli.common import (
    MAX_RUNS,
    CliError,
    check_output_path,
    error_message,
    parse_assignments,
    parse_integer,
    parse_number,
)


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _options(command: str) -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {o for a in sub.choices[command]._actions for o in a.option_strings}


# ---- 1. the same flags wherever they make sense ---------------------------------------
@pytest.mark.parametrize("command", ["run", "sweep", "backtest", "design"])
def test_ensemble_commands_share_their_flags(command):
    assert {"--runs", "--seed", "--set", "--processes"} <= _options(command)


@pytest.mark.parametrize(("command", "flags"), [
    ("forecast", {"--set"}), ("show", {"--set"}), ("story", {"--seed", "--set", "--run"})])
def test_other_commands_take_set(command, flags):
    assert flags <= _options(command)


def test_one_definition_of_each_flag():
    helps = {}
    for command in ("run", "sweep", "backtest", "design", "forecast", "show", "story"):
        parser = build_parser()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        for action in sub.choices[command]._actions:
            if "--set" in action.option_strings or "--seed" in action.option_strings:
                helps.setdefault(action.dest, set()).add(action.help)
    assert all(len(h) == 1 for h in helps.values()), helps


def test_forecast_and_backtest_apply_set(capsys):
    code, base, _ = _run(capsys, "forecast", "--model", "mean", "--json")
    code2, moved, _ = _run(capsys, "forecast", "--model", "mean", "--json",
                           "--set", "actors.LNA.capability=5")
    assert code == code2 == 0 and json.loads(base)["issues"] != json.loads(moved)["issues"]
    code, out, err = _run(capsys, "backtest", "--runs", "10",
                          "--set", "actors.Nobody.capability=0.3")
    assert code == 1 and out == "" and err.startswith("negsim backtest: error: --set:")


def test_design_takes_processes_without_changing_the_result(capsys):
    code, one, _ = _run(capsys, "design", "--runs", "60", "--json")
    code2, two, _ = _run(capsys, "design", "--runs", "60", "--json", "--processes", "2")
    assert code == code2 == 0 and one == two


# ---- 2. --runs and --seed ---------------------------------------------------------------
@pytest.mark.parametrize(("text", "value"), [
    ("10000", 10_000), ("10_000", 10_000), ("1e4", 10_000), ("1E4", 10_000),
    ("1.5e3", 1500), ("+7", 7), ("0", 0), ("-1", -1), (str(2**70), 2**70)])
def test_parse_integer(text, value):
    assert parse_integer(text) == value and type(parse_integer(text)) is int


@pytest.mark.parametrize("text", ["1e4.5", "1.5", "nan", "inf", "ten", "1e-3", "1__0",
                                  "_1", "", "0x10", "1e100000"])
def test_parse_integer_refuses(text):
    with pytest.raises(argparse.ArgumentTypeError):
        parse_integer(text)


@pytest.mark.parametrize(("runs", "code", "message"), [
    ("1e4.5", 2, "argument --runs: '1e4.5' is not a whole number"),
    ("nan", 2, "argument --runs: 'nan' is not a whole number"),
    ("0", 1, "--runs must be at least 1, got 0"),
    ("-1", 1, "--runs must be at least 1, got -1"),
    ("1e9", 1, f"--runs 1,000,000,000: at most {MAX_RUNS:,} runs per command"),
])
def test_runs_refused_up_front(capsys, tmp_path, runs, code, message):
    got, out, err = _run(capsys, "run", "--runs", runs, "--out", str(tmp_path / "o"))
    assert got == code and out == "" and message in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_too_many_runs_says_how_to_go_beyond(capsys):
    code, _, err = _run(capsys, "sweep", "--param", "model.rationality=0:1:1000",
                        "--runs", "1e6")
    assert code == 1 and "1,000,000,000 runs in all" in err
    assert "several seeds" in err and "DaskExecutor" in err


def test_runs_written_with_an_exponent(capsys, tmp_path):
    code, out, _ = _run(capsys, "run", "--runs", "2e1", "--seed", "1", "--json",
                        "--no-plots", "--out", str(tmp_path))
    assert code == 0 and json.loads(out)["runs"] == 20


@pytest.mark.parametrize("seed", [2**32 + 1, 2**63 + 5, 2**64, 2**130 + 17])
def test_large_seeds_are_numpys_seed_sequence(seed):
    from negsim.sim.model import NegotiationModel

    res = negsim.simulate("libya-2020", runs=3, seed=seed)
    for i in range(3):
        model = NegotiationModel(res.scenario, rng=np.random.SeedSequence([seed, i]))
        assert model.run().outcome == res.runs.loc[i, "outcome"]
    assert [int(v) for v in res.runs["seed"]] == [seed] * 3


def test_large_seed_on_the_command_line(capsys, tmp_path):
    seed = 2**64 + 1
    code, out, err = _run(capsys, "run", "--runs", "5", "--seed", str(seed), "--json",
                          "--no-plots", "--out", str(tmp_path))
    assert code == 0 and "Traceback" not in err
    assert json.loads(out)["seed"] == seed
    code, _, err = _run(capsys, "run", "--runs", "5", "--seed", "-3", "--no-plots",
                        "--out", str(tmp_path))
    assert code == 1 and "--seed must be a non-negative integer, got -3" in err


# ---- 3. numbers in --set are decimal literals ------------------------------------------
@pytest.mark.parametrize("text", ["0_5", "inf", "-inf", "nan", "infinity", "1e999", "0x1",
                                  "1,5", ""])
def test_set_refuses_loose_numbers(capsys, text):
    with pytest.raises(ValueError, match="--set actors.LNA.capability"):
        parse_assignments([f"actors.LNA.capability={text}"])
    code, out, err = _run(capsys, "show", "--set", f"actors.LNA.capability={text}")
    assert code == 1 and out == "" and "actors.LNA.capability" in err


def test_set_accepts_decimal_numbers():
    assert parse_number("5", "x") == 5.0 and parse_number("-2.5E-1", "x") == -0.25
    assert parse_number(".5", "x") == 0.5 and parse_number("5.", "x") == 5.0


def test_sweep_values_are_decimal_too(capsys):
    code, _, err = _run(capsys, "sweep", "--param", "model.rationality=1,0_5", "--runs", "5")
    assert code == 1 and "'0_5' is not a number" in err


# ---- 4. --processes is capped at the CPUs -----------------------------------------------
def test_processes_capped_with_a_note(capsys, tmp_path):
    from negsim.ensemble.executors import usable_cpus

    base = ("run", "--runs", "40", "--seed", "2", "--json", "--no-plots")
    code, one, _ = _run(capsys, *base, "--out", str(tmp_path / "a"))
    code2, many, err = _run(capsys, *base, "--processes", "1000", "--out", str(tmp_path / "b"))
    assert code == code2 == 0 and one == many
    assert (f"negsim run: note: --processes 1000 is more than the {usable_cpus()} CPU"
            in err)


def test_cap_processes_leaves_small_counts():
    ns = argparse.Namespace(processes=1)
    common.cap_processes(ns, "run")
    assert ns.processes == 1


# ---- 5. I/O errors in words -------------------------------------------------------------
def test_out_is_a_file(capsys, tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    code, out, err = _run(capsys, "run", "--runs", "10", "--out", str(afile))
    assert code == 1 and out == ""
    assert err == f"negsim run: error: --out {afile}: is a file, not a folder\n"
    code, _, err = _run(capsys, "run", "--runs", "10", "--out", str(afile / "sub"))
    assert code == 1 and f"--out {afile / 'sub'}: {afile} is a file, not a folder" in err
    code, _, err = _run(capsys, "design", "--runs", "10", "--plot", str(tmp_path))
    assert code == 1 and f"--plot {tmp_path}: is a folder, not a file" in err


def test_unwritable_folder_is_named(monkeypatch, tmp_path):
    monkeypatch.setattr(common.os, "access", lambda path, mode: False)
    with pytest.raises(CliError, match=r"--out .*: permission denied \(cannot write in"):
        check_output_path(str(tmp_path / "new"), "--out")


@pytest.mark.parametrize(("error", "message"), [
    (PermissionError(13, "Permission denied", "/results"), "/results: permission denied"),
    (FileExistsError(17, "File exists", "afile"), "afile: already exists"),
    (OSError(28, "No space left on device", "out/runs.csv"),
     "out/runs.csv: no space left on the device"),
    (OSError(27, "File too large", "out/runs.csv"),
     "out/runs.csv: file too large for the file system"),
    (OSError(18, "Invalid cross-device link", "a", None, "b"),
     "a -> b: invalid cross-device link"),
    (OSError("disk full"), "disk full"),
])
def test_os_errors_in_words(error, message):
    assert error_message(error) == message
    assert "Errno" not in error_message(error)


# ---- 6. negsim story ----------------------------------------------------------------------
def test_story_is_the_run_of_the_ensemble(capsys):
    from negsim.sim.model import NegotiationModel

    code, out, err = _run(capsys, "story", "--seed", "3", "--run", "1",
                          "--set", "actors.LNA.capability=0.6")
    assert code == 0 and err == ""
    scenario = negsim.load_scenario("libya-2020").with_overrides(
        {"actors.LNA.capability": 0.6})
    result = NegotiationModel(scenario, rng=np.random.SeedSequence([3, 1])).run()
    assert out.startswith("Run 1 of seed 3 of libya-2020")
    assert out.endswith(result.story() + "\n")
    row = negsim.simulate(scenario, runs=2, seed=3).runs.loc[1, "outcome"]
    assert f"Outcome: {row.replace('_', ' ')}." in out


@pytest.mark.parametrize(("argv", "message"), [
    (["--run", "-1"], "--run must be a non-negative integer, got -1"),
    (["--seed", "-1"], "--seed must be a non-negative integer"),
    (["--set", "actors.LNA.capability=0_5"], "'0_5' is not a number"),
    (["no-such-scenario"], "no-such-scenario"),
])
def test_story_errors(capsys, argv, message):
    code, out, err = _run(capsys, "story", *argv)
    assert code == 1 and out == "" and message in err and "Traceback" not in err


# ---- 8. negsim show fits 100 columns ------------------------------------------------------
@pytest.mark.parametrize("extra", [[], ["--full"], ["--section", "parameters"]])
def test_show_fits_100_columns(capsys, extra):
    code, out, _ = _run(capsys, "show", "libya-2020", *extra)
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 100
    code, wide, _ = _run(capsys, "show", "libya-2020", *extra, "--width", "0")
    assert code == 0 and max(len(line) for line in wide.splitlines()) > 100


def test_show_full_keeps_every_word(capsys):
    code, out, _ = _run(capsys, "show", "--section", "red_lines", "--full")
    words = set(out.split())
    for rl in negsim.load_scenario("libya-2020").actors[1].red_lines:
        assert set(rl.description.split()) <= words


def test_show_width_too_small(capsys):
    code, _, err = _run(capsys, "show", "--width", "10")
    assert code == 1 and "--width must be at least 40" in err


def test_format_table_width():
    rows = [["a", "one two three four five six seven", 1.5], ["bb", "short", 10]]
    text = format_table(["id", "text", "x"], rows, width=24)
    assert max(len(line) for line in text.splitlines()) <= 24
    assert " ".join(text.split()).count("seven") == 1
    short = format_table(["id", "text", "x"], rows, width=24, wrap=False)
    assert len(short.splitlines()) == 4 and "..." in short


# ---- 9. suggestions match names as well as ids --------------------------------------------
@pytest.mark.parametrize(("path", "suggestion"), [
    ("actors.Haftar.capability", "actors.LNA.capability"),
    ("actors.haftar.capability", "actors.LNA.capability"),
    ("actors.lna.capability", "actors.LNA.capability"),
    ("actors.Serraj.demands.tarhuna.ideal", "actors.GNA.demands.tarhuna.ideal"),
    ("actors.LNA.demands.Tarhuna.salience", "actors.LNA.demands.tarhuna.salience"),
    ("actors.Emirates.backs.LNA.leverage", "actors.UAE.backs.LNA.leverage"),
    ("issues.Ceasefire.status_quo", "issues.ceasefire.status_quo"),
])
def test_set_suggests_by_name(capsys, path, suggestion):
    code, _, err = _run(capsys, "show", "--set", f"{path}=0.3")
    assert code == 1 and f"did you mean '{suggestion}'?" in err
