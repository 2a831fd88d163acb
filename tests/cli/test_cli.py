"""The negsim command line: scenarios, show, validate, exit codes, registered commands."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from negsim.cli import app as cli
from negsim.cli import scenarios as scenario_commands
from negsim.cli.app import main
from negsim.cli.common import parse_assignments
from negsim.cli.scenarios import SECTIONS, render_scenario
from negsim.scenario import load_scenario, parse_scenario, scenarios

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"
TOY = str(DATA / "toy.toml")


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    text = (DATA / "toy.toml").read_text(encoding="utf-8")
    text = text.replace('salience = { value = 0.7, assumption = "the towns are Red\'s main war '
                        'aim" }', "salience = { value = 1.7, assumption = \"x\" }")
    text = text.replace('roles = ["patron"]', 'roles = ["sponsor"]')
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ---- validate ------------------------------------------------------------------------
def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(DATA / n) for n in ("toy.toml", "tiny3.toml", "nine.toml")]
    assert main(["validate", *files]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{f}: ok" for f in files]
    assert err == ""


def test_validate_reports_every_problem(bad_file: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", TOY, str(bad_file)]) == 1
    out, err = capsys.readouterr()
    assert out == f"{TOY}: ok\n"
    lines = err.splitlines()
    assert lines == [
        f"{bad_file}: actors.Red.demands.withdrawal.salience: must be in [0, 1], got 1.7",
        f"{bad_file}: actors.Ally.roles[0]: must be one of belligerent, patron, mediator, "
        "third_party, party, got 'sponsor'",
        "1 of 2 files are invalid",
    ]


def test_validate_syntax_error_missing_file_and_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('schema_version = 1\nid = "x\n', encoding="utf-8")
    missing = tmp_path / "missing.toml"
    assert main(["validate", str(broken), str(missing), str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{broken}: line 2, column 8: TOML syntax error" in err
    assert f"{missing}: no such file, and not a built-in scenario" in err
    assert f"{tmp_path}: is a directory" in err
    assert "3 of 3 files are invalid" in err
    assert "Traceback" not in err


def test_validate_accepts_to_toml_output(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    for name in ["nine", *scenarios()]:
        s = load_scenario(DATA / f"{name}.toml") if name == "nine" else load_scenario(name)
        path = tmp_path / f"{name}.toml"
        path.write_text(s.to_toml(), encoding="utf-8")
        assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().err == ""


def test_validate_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 2
    assert "the following arguments are required: FILE" in capsys.readouterr().err


# ---- show ----------------------------------------------------------------------------
def test_show_prints_all_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", TOY, "--width", "0"]) == 0  # one line per row
    out = capsys.readouterr().out
    assert out.startswith("toy: Toy war: Red and Blue talk")
    for title in ("Actors", "Issues", "Demands", "Red lines", "Patron links",
                  "Model parameters", "Commitments", "Timeline", "Observed", "Uncertainty",
                  "Sources"):
        assert f"\n{title}" in out, title
    lines = out.splitlines()
    red = next(line for line in lines if line.startswith("Red ") and "belligerent" in line)
    assert red.split()[:4] == ["Red", "Red", "Army", "belligerent"]
    assert red.split()[-3:] == ["0.6", "0.2", "0.9"]
    demand = next(line for line in lines if line.startswith("Red ") and "withdrawal" in line
                  and "keep the northern" in line)
    assert demand.split()[2:4] == ["0", "0.7"]
    assert 'brief: "Red wants to keep the northern towns"' in demand
    assert "assumption: the towns are Red's main war aim" in demand
    assert "no deal that leaves Red in all the northern towns" in out
    assert any(line.split()[:4] == ["Ally", "Blue", "0.5", "0.6"] for line in lines)
    assert "2020-01-12 to 2020-01-13  talks" in out
    assert "(0, 1]" in out  # valid range of decisiveness


def test_show_shortens_unless_full(capsys: pytest.CaptureFixture[str]) -> None:
    long_quote = "the broker called for an end to arms deliveries"
    assert main(["show", TOY, "--section", "demands", "--width", "0"]) == 0
    short = capsys.readouterr().out
    assert long_quote not in short and 'wire: "the broker called for an end to arms d...' in short
    assert main(["show", TOY, "--section", "demands", "--full", "--width", "0"]) == 0
    assert long_quote in capsys.readouterr().out


def test_show_sections(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", TOY, "--section", "timeline", "--section", "actors"]) == 0
    out = capsys.readouterr().out
    assert out.index("Timeline") < out.index("Actors")
    assert "Demands" not in out and "Sources" not in out
    assert main(["show", TOY, "--section", "nonsense"]) == 2


def test_show_words_section(capsys: pytest.CaptureFixture[str]) -> None:
    # The scenario's words, where each is written: [words], an actor's own, a commitment's,
    # or the default the file leaves in place.
    assert main(["show", "jcpoa-2015", "--section", "words", "--width", "0"]) == 0
    rows = [line.split("  ") for line in capsys.readouterr().out.splitlines()]
    rows = [[c.strip() for c in r if c.strip()] for r in rows]
    assert ["the deal", "break", "leave the nuclear deal", "[words]"] in rows
    assert ["Iran", "break", "exceed the enrichment cap", "[actors.Iran.words]"] in rows
    assert main(["show", "libya-2020", "--section", "words", "--width", "0"]) == 0
    out = capsys.readouterr().out
    assert "Words (of the deal and of each compliance choice)" in out
    rows = [[c.strip() for c in line.split("  ") if c.strip()] for line in out.splitlines()]
    assert ["the deal", "breaks", "fighting resumes", "[words]"] in rows
    assert ["arms_embargo", "break", "break the arms embargo",
            "[commitments.arms_embargo]"] in rows
    assert any(r[:2] == ["ceasefire_support", "keep"] and r[-1] == "default" for r in rows)
    assert main(["show", TOY, "--section", "words"]) == 0  # no [words]: every row a default
    out = capsys.readouterr().out
    assert "the agreement breaks down" in out and "[words]" not in out


def test_show_parameters_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", TOY, "--section", "parameters"]) == 0
    out = capsys.readouterr().out
    s = load_scenario(TOY)
    rows = [line.split() for line in out.splitlines()]
    for path in s.parameter_paths():
        row = next(r for r in rows if r and r[0] == path)
        assert float(row[1]) == s.get(path)
    assert "Parameters" not in main_output(["show", TOY], capsys)


def main_output(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def test_show_toml_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", TOY, "--toml"]) == 0
    assert parse_scenario(capsys.readouterr().out) == load_scenario(TOY)


def test_show_with_overrides(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", TOY, "--toml", "--set", "actors.Red.capability=0.25"]) == 0
    s = parse_scenario(capsys.readouterr().out)
    assert s.get("actors.Red.capability") == 0.25
    assert s.actor("Red").capability.provenance.assumption == (
        "override: actors.Red.capability = 0.25 (was 0.6)"
    )


@pytest.mark.parametrize(("setting", "message"), [
    ("actors.Red.capability=-1", "actors.Red.capability: must be >= 0, got -1"),
    ("actors.Red.capabilty=1", "did you mean 'actors.Red.capability'?"),
    ("actors.Red.capability=lots", "--set actors.Red.capability: 'lots' is not a number"),
    ("actors.Red.capability", "expected PATH=VALUE"),
])
def test_show_bad_override(setting: str, message: str,
                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", TOY, "--set", setting]) == 1
    out, err = capsys.readouterr()
    assert out == "" and message in err and "Traceback" not in err
    assert len(err.splitlines()) == 1


def test_show_unknown_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "atlantis-1999"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("negsim show: error: atlantis-1999: no such file, and not a "
                          "built-in scenario")
    assert "built-in scenarios:" in err


def test_show_default_is_libya(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["show"])
    out, err = capsys.readouterr()
    if "libya-2020" not in scenarios():
        assert code == 1 and err.startswith("negsim show: error: libya-2020: no such file")
        pytest.skip("the built-in libya-2020 scenario is not there yet")
    assert code == 0 and out.startswith("libya-2020: ")
    for actor in ("GNA", "LNA", "Russia", "Turkey", "Egypt", "UAE"):
        assert f"\n{actor} " in out


def test_render_scenario_of_every_fixture() -> None:
    for path in DATA.glob("*.toml"):
        s = load_scenario(path)
        text = render_scenario(s)
        for a in s.actors:
            assert a.id in text
        assert text.count("\n=") >= len(SECTIONS)


# ---- scenarios, version, usage -------------------------------------------------------
def test_scenarios_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["name", "title", "actors", "issues"]
    for name in scenarios():
        assert f"\n{name} " in out
    if not scenarios():
        assert "(none)" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from negsim import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"negsim {__version__}"


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["show", "--bogus"]])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: negsim") and "Traceback" not in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("scenarios", "show", "validate"):
        assert command in out


def test_parse_assignments() -> None:
    assert parse_assignments(["a.b=1", " c.d = -2.5e-1 "]) == {"a.b": 1.0, "c.d": -0.25}
    with pytest.raises(ValueError, match="'x' is not a number"):
        parse_assignments(["a=x"])
    with pytest.raises(ValueError, match="expected PATH=VALUE"):
        parse_assignments(["=1"])


# ---- registered commands -------------------------------------------------------------
def _register_fake(sub) -> None:
    def hello(args):
        print(f"hello {args.name}")
        return 0

    def fail(args):
        raise ValueError("bad input: " + args.what)

    p = sub.add_parser("hello", help="say hello")
    p.add_argument("name")
    p.set_defaults(func=hello)
    p = sub.add_parser("fail", help="fail")
    p.add_argument("what")
    p.set_defaults(func=fail)


def test_commands_add_subcommands(monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, _register_fake))
    assert main(["hello", "world"]) == 0
    assert capsys.readouterr().out == "hello world\n"
    assert main(["fail", "x"]) == 1
    out, err = capsys.readouterr()
    assert err == "negsim fail: error: bad input: x\n"
    assert main(["validate", TOY]) == 0  # the built-in commands are still there


def test_build_parser_takes_the_commands_given() -> None:
    parser = cli.build_parser(commands=(scenario_commands.register,))
    assert parser.parse_args(["validate", TOY]).files == [TOY]
    with pytest.raises(SystemExit):
        parser.parse_args(["run"])


@pytest.mark.parametrize(("error", "code", "message"), [
    (KeyError("unknown actor 'X'"), 1, "negsim demo: error: unknown actor 'X'\n"),
    (OSError("disk full"), 1, "negsim demo: error: disk full\n"),
    (KeyboardInterrupt(), 130, "negsim demo: interrupted\n"),
    (BrokenPipeError(), 1, ""),
])
def test_one_error_policy(error: BaseException, code: int, message: str,
                          capsys: pytest.CaptureFixture[str]) -> None:
    from negsim.cli.common import guarded

    def fn(args):
        raise error

    assert guarded("demo", fn, argparse.Namespace()) == code
    assert capsys.readouterr().err == message


def test_interrupt_names_the_checkpoint(capsys: pytest.CaptureFixture[str]) -> None:
    from negsim.cli.common import guarded

    def fn(args):
        raise KeyboardInterrupt

    assert guarded("run", fn, argparse.Namespace(checkpoint="ckpt")) == 130
    assert capsys.readouterr().err == (
        "negsim run: interrupted (finished chunks are kept in --checkpoint)\n")


# ---- as a program --------------------------------------------------------------------
def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run([sys.executable, "-m", "negsim", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_python_dash_m_negsim(bad_file: Path) -> None:
    ok = _run("validate", TOY)
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, f"{TOY}: ok\n", "")
    bad = _run("validate", str(bad_file))
    assert bad.returncode == 1 and bad.stdout == ""
    assert f"{bad_file}: actors.Red.demands.withdrawal.salience: must be in [0, 1]" in bad.stderr
    assert "Traceback" not in bad.stderr
    usage = _run("show", "--bogus")
    assert usage.returncode == 2


def test_installed_console_script() -> None:
    script = Path(sys.executable).parent / "negsim"
    if not script.exists():
        pytest.skip("the negsim console script is not installed next to this Python")
    done = subprocess.run([str(script), "show", TOY, "--section", "actors"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Broker" in done.stdout
