"""Authoring commands: ``negsim new``, ``negsim validate --check-quotes``, ``show --paths``."""

from __future__ import annotations

from pathlib import Path

import pytest

import negsim
from negsim.cli.app import main
from negsim.scenario import MINIMAL, ROLES, load_scenario, parse_scenario
from negsim.scenario.quotes import check_quotes, normalise_text
from negsim.scenario.template import NON_WAR_TEMPLATE, TEMPLATE, WAR_TEMPLATE, scenario_template

ROOT = Path(__file__).resolve().parents[2]
# The raw seed articles Libya's sources name, beside a checkout (as tests/scenario finds them).
SEEDS = next((p / "shared" / "seeds" for p in ROOT.parents
              if (p / "shared" / "seeds" / "000_1bf417fcc29cb610.txt").is_file()), None)


# ---- negsim show --paths ---------------------------------------------------------------
def test_show_paths_lists_every_path_in_100_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "libya-2020", "--paths"]) == 0
    out = capsys.readouterr().out
    s = load_scenario("libya-2020")
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert f"{len(s.parameter_paths())} paths, {len(s.uncertainty)} uncertain" in out
    rows = {line.split()[0]: line for line in lines[5:]}
    assert list(rows) == list(s.parameter_paths())
    assert rows["actors.LNA.red_lines[0].min"].split()[1] == "0.5"
    for u in s.uncertainty:
        assert rows[u.parameter].rstrip().endswith(u.describe())
    assert rows["model.contest_exponent"].split()[-1] != "uncertain"


def test_show_paths_with_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "libya-2020", "--paths", "--set",
                 "actors.Turkey.red_lines[1].max=0.7"]) == 0
    out = capsys.readouterr().out
    assert [line.split()[:2] for line in out.splitlines()
            if line.startswith("actors.Turkey.red_lines[1]")] == [
        ["actors.Turkey.red_lines[1].max", "0.7"]]


def test_set_suggests_by_display_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "libya-2020", "--set", "actors.Haftar.capability=0.3"]) == 1
    err = capsys.readouterr().err
    assert "actors.Haftar.capability: unknown parameter path; did you mean " \
           "'actors.LNA.capability'?" in err
    assert "Traceback" not in err


# ---- negsim new ------------------------------------------------------------------------
def test_new_writes_a_template_that_validates_and_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "grain-deal"]) == 0
    path = tmp_path / "grain-deal.toml"
    assert path.is_file()
    assert "wrote grain-deal.toml" in capsys.readouterr().out
    assert main(["validate", str(path)]) == 0
    assert main(["validate", str(path), "--check-quotes"]) == 0
    s = load_scenario(path)
    assert s.id == "grain-deal" and len(s.issues) == 2 and len(s.mediators) == 1
    assert [t.kind for t in s.timeline] == ["mediated_round"]
    assert all(line.startswith("#") or not line.strip() or "=" in line or line.startswith("[")
               for line in path.read_text(encoding="utf-8").splitlines())
    result = negsim.simulate(s, runs=50, seed=1)
    assert len(result.runs) == 50
    assert main(["run", str(path), "--runs", "40", "--seed", "2", "--out",
                 str(tmp_path / "out"), "--quiet"]) == 0
    # never overwritten
    before = path.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["new", "grain-deal"]) == 1
    err = capsys.readouterr().err
    assert "grain-deal.toml: the file exists" in err and "Traceback" not in err
    assert path.read_text(encoding="utf-8") == before


def test_new_out_and_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sub" / "talks.toml"
    assert main(["new", "talks", "--out", str(out)]) == 0
    assert load_scenario(out).id == "talks"
    capsys.readouterr()
    assert main(["new", "talks", "--out", "-"]) == 0
    assert capsys.readouterr().out == scenario_template("talks")


def test_new_refuses_a_bad_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "9 lives", "--out", "-"]) == 1
    err = capsys.readouterr().err
    assert "'9 lives' is not a valid scenario id" in err and "Traceback" not in err


def test_template_is_the_non_war_one_once_the_format_has_parties() -> None:
    assert TEMPLATE is (NON_WAR_TEMPLATE if "party" in ROLES else WAR_TEMPLATE)
    assert 'roles = ["party"]' in NON_WAR_TEMPLATE and 'kind = "no_deal"' in NON_WAR_TEMPLATE
    assert "[words]" in NON_WAR_TEMPLATE
    assert parse_scenario(WAR_TEMPLATE.replace("$name", "war"), "war.toml").id == "war"


@pytest.mark.skipif("party" not in ROLES, reason="the format has no 'party' role yet (#13)")
def test_non_war_template_validates_and_runs() -> None:
    s = parse_scenario(NON_WAR_TEMPLATE.replace("$name", "peace"), "peace.toml")
    assert not s.belligerents
    assert len(negsim.simulate(s, runs=30, seed=1).runs) == 30


# ---- negsim validate --check-quotes -------------------------------------------------------
def _fixture(tmp_path: Path, quote: str) -> Path:
    (tmp_path / "doc.txt").write_text(
        "Minutes of the talks.\n\nEveryone agrees that \u201cA is as\n  strong as B\u201d \u2014 "
        "both sides\u2019 armies are equal.\n", encoding="utf-8")
    text = (MINIMAL.replace('title = "A document"', 'title = "A document"\nfile = "doc.txt"')
            .replace('capability = { value = 0.5, source = "doc", quote = "A is as strong as B" '
                     '}\ndemands.border = { ideal', 'capability = { value = 0.5, source = "doc", '
                     f'quote = "{quote}" }}\ndemands.border = {{ ideal', 1)
            .replace('[sources.doc]', '[sources.wire]\ntitle = "A wire"\nurl = '
                     '"https://example.invalid"\n\n[sources.doc]'))
    text = text.replace('assumption = "a made-up round"', 'source = "wire"\nquote = "talks"')
    path = tmp_path / "case.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_quotes_finds_every_quote(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    # typographic quotes, dashes and line breaks in the source do not matter
    path = _fixture(tmp_path, "sides' armies are equal")
    assert main(["validate", str(path), "--check-quotes"]) == 0
    out = capsys.readouterr().out
    assert f"{path}: source 'wire' not checked: no file (url https://example.invalid)" in out
    assert f"{path}: ok (2 quotes found in their sources, 1 sources not checked)" in out
    report = check_quotes(load_scenario(path))
    assert report.ok and report.files == {"doc": tmp_path / "doc.txt"}


def test_check_quotes_reports_a_missing_quote(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = _fixture(tmp_path, "A is much stronger than B")
    assert main(["validate", str(path)]) == 0  # a valid file
    capsys.readouterr()
    assert main(["validate", str(path), "--check-quotes"]) == 1
    captured = capsys.readouterr()
    assert (f"{path}: actors.A.capability: quote not found in source 'doc': "
            '"A is much stronger than B"') in captured.err
    assert f"{path}: 1 of 2 quotes not found in their sources" in captured.err
    assert "actors.B.capability" not in captured.err
    assert "Traceback" not in captured.err


def test_check_quotes_lists_sources_not_at_hand(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = _fixture(tmp_path, "A is as strong as B")
    (tmp_path / "doc.txt").rename(tmp_path / "elsewhere.txt")
    assert main(["validate", str(path), "--check-quotes"]) == 0
    out = capsys.readouterr().out
    assert f"source 'doc' not checked: file doc.txt not found (looked in {tmp_path})" in out
    assert "ok (0 quotes found in their sources, 2 sources not checked)" in out
    # --source-dir finds it
    other = tmp_path / "sources"
    other.mkdir()
    (tmp_path / "elsewhere.txt").rename(other / "doc.txt")
    assert main(["validate", str(path), "--check-quotes", "--source-dir", str(other)]) == 0
    assert "ok (2 quotes found" in capsys.readouterr().out


def test_source_dir_needs_check_quotes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "libya-2020", "--source-dir", "."]) == 1
    assert "--source-dir is only used with --check-quotes" in capsys.readouterr().err


def test_normalise_text() -> None:
    assert normalise_text("a\u00a0\u2018b\u2019 \u201cc\u201d\u2013d\u2014e \u2026\n\tf") == \
        "a 'b' \"c\"-d-e ... f"


@pytest.mark.skipif(SEEDS is None, reason="the raw seed articles are not beside the checkout")
def test_libya_quotes_are_all_in_its_seed_articles(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "libya-2020", "--check-quotes", "--source-dir", str(SEEDS)]) == 0
    out = capsys.readouterr().out
    assert "libya-2020: ok (61 quotes found in their sources, 0 sources not checked)" in out
