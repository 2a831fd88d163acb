"""Every script in examples/ runs, with a fixed seed and small sizes, and says what it should.

Scripts are discovered, so a new example is run too: the ones this file knows get their
own arguments and checks; any other script is run from the shell with its defaults (they
must run in seconds) in a temporary directory and must exit 0 and print something.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIGURES = ROOT / "docs" / "figures"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

SCRIPTS = sorted(p for p in EXAMPLES.glob("*.py") if not p.name.startswith("_"))
KNOWN = {"outcome_distribution.py", "moscow_and_berlin.py", "sweep_lna_capability.py",
         "custom_scenario.py", "nfg_games.py", "make_figures.py"}


def load(name: str) -> ModuleType:
    """Import examples/<name>.py as a module (without running its __main__ block)."""
    path = EXAMPLES / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"example_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def is_png(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 1000 and path.read_bytes()[:8] == PNG_MAGIC


@pytest.fixture(autouse=True)
def _agg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)  # nothing an example writes by default lands in the repo


# ---- every script ----------------------------------------------------------------------
def test_examples_are_discovered() -> None:
    names = {p.name for p in SCRIPTS}
    mine = KNOWN - {"moscow_and_berlin.py"}  # written by another engineer, may be absent
    assert mine <= names, f"missing examples: {sorted(mine - names)}"


def test_examples_readme_lists_every_script() -> None:
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in SCRIPTS if f"`{p.name}`" not in text]
    assert not missing, f"examples/README.md does not describe {missing}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_script_shape(script: Path) -> None:
    """Each example is a script with argparse defaults, ``main(argv=None)`` and a main guard."""
    text = script.read_text(encoding="utf-8")
    assert re.search(r"^def main\(argv[^)]*=\s*None", text, re.M), f"{script.name}: main(argv=None)"
    assert 'if __name__ == "__main__":' in text, f"{script.name}: no __main__ guard"
    assert "argparse" in text, f"{script.name}: no argparse"
    assert "np.random.seed(" not in text and "random.seed(" not in text, (
        f"{script.name}: global random state"
    )


def test_every_script_has_a_test_of_its_own() -> None:
    """A new example must come with a test here that runs it and checks its output."""
    untested = sorted(p.name for p in SCRIPTS if p.name not in KNOWN)
    assert not untested, f"examples without a test in tests/test_examples.py: {untested}"


@pytest.mark.skipif(not (EXAMPLES / "moscow_and_berlin.py").exists(),
                    reason="examples/moscow_and_berlin.py not written yet")
@pytest.mark.parametrize("seed, run", [(1, 1), (3, 0)])
def test_moscow_and_berlin_tells_the_engine_run(seed: int, run: int,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The story of one run ends with the outcome the vectorised engine gives that run."""
    import negsim

    mod = load("moscow_and_berlin")
    assert mod.main(["--seed", str(seed), "--run", str(run)]) == 0
    text = capsys.readouterr().out
    assert "MOSCOW" in text and "BERLIN" in text
    m = re.search(r"^OUTCOME: (.+)$", text, re.M)
    assert m, text[-2000:]
    row = negsim.simulate("libya-2020", runs=run + 1, seed=seed).runs.iloc[run]
    assert m.group(1).strip().replace(" ", "_").startswith(row["outcome"]), (m.group(1), row)


def test_a_script_runs_from_the_shell(tmp_path: Path) -> None:
    """The __main__ block works (the in-process tests below call main() directly)."""
    out = tmp_path / "o.png"
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "outcome_distribution.py"), "--runs", "50", "--out",
         str(out)], cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert is_png(out)


# ---- outcome_distribution.py -----------------------------------------------------------
def _outcome_rows(text: str) -> dict[str, float]:
    rows = {}
    for label in ("signed and holds", "signed but fragile", "partial signature",
                  "no agreement"):
        m = re.search(rf"^{label}\s+([0-9.]+)\s+\[", text, re.M)
        assert m, f"no {label!r} row in:\n{text}"
        rows[label] = float(m.group(1))
    return rows


def test_outcome_distribution(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mod = load("outcome_distribution")
    out = tmp_path / "plots" / "outcomes.png"
    assert mod.main(["--runs", "200", "--seed", "3", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Scenario libya-2020: 200 runs, seed 3" in text
    assert f"Wrote {out}" in text
    assert is_png(out)
    rows = _outcome_rows(text)
    assert abs(sum(rows.values()) - 1.0) < 0.003  # four categories, printed to 3 decimals
    # same seed, same table
    assert mod.main(["--runs", "200", "--seed", "3", "--out", str(tmp_path / "b.png")]) == 0
    again = capsys.readouterr().out
    assert again.split("\nWrote")[0] == text.split("\nWrote")[0]


# ---- sweep_lna_capability.py -----------------------------------------------------------
def test_sweep_lna_capability(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mod = load("sweep_lna_capability")
    assert mod.parse_values("0.3:0.8:6") == pytest.approx([0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    assert mod.parse_values("0.2,0.9") == [0.2, 0.9]
    out = tmp_path / "sweep.png"
    assert mod.main(["--values", "0.3,0.7", "--runs", "150", "--seed", "2", "--out",
                     str(out)]) == 0
    text = capsys.readouterr().out
    assert is_png(out)
    assert "150 runs per point, seed 2" in text
    rows = re.findall(r"^\s+(0\.[0-9]+)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)$", text, re.M)
    assert [float(r[0]) for r in rows] == [0.3, 0.7], text
    for _, holds, signed_holds, partial in rows:
        assert 0 <= float(signed_holds) <= float(holds) <= 1
        assert float(signed_holds) + float(partial) <= 1.0005
    # The example's point: under this encoding a stronger LNA (common random numbers, same
    # seeds at both points) signs, and the ceasefire is signed and holds, far more often.
    assert float(rows[1][2]) > float(rows[0][2]) + 0.15, text


# ---- custom_scenario.py ----------------------------------------------------------------
def _quotes(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["quote"]] if isinstance(node.get("quote"), str) else []
        return found + [q for v in node.values() for q in _quotes(v)]
    if isinstance(node, list):
        return [q for v in node for q in _quotes(v)]
    return []


def test_custom_scenario_quotes_are_in_its_briefing_note() -> None:
    mod = load("custom_scenario")
    data = tomllib.loads(mod.SCENARIO.read_text(encoding="utf-8"))
    brief = (mod.SCENARIO.parent / data["sources"]["brief"]["file"]).read_text(encoding="utf-8")
    flat = " ".join(brief.split())
    quotes = _quotes(data)
    assert len(quotes) >= 15
    missing = [q for q in quotes if " ".join(q.split()) not in flat]
    assert not missing, f"quotes not found verbatim in the briefing note: {missing}"


def test_custom_scenario_has_another_shape() -> None:
    import negsim

    s = negsim.load_scenario(load("custom_scenario").SCENARIO)
    libya = negsim.load_scenario("libya-2020")
    assert (len(s.actors), len(s.issues)) == (5, 3)
    assert sum(t.is_round for t in s.timeline) == 2
    assert (len(s.actors), len(s.issues)) != (len(libya.actors), len(libya.issues))
    # a neutral mediator: mediates, backs nobody, has no outside option
    neutral = [a for a in s.mediators if not a.backs and a.outside_option is None]
    assert [a.id for a in neutral] == ["RU"]


def test_custom_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mod = load("custom_scenario")
    assert mod.main(["--runs", "200", "--seed", "4", "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "highlands-2031.toml: ok" in text
    assert "5 actors (GOV, HLF, RU, Ostrava, Dovria), 3 issues" in text
    m = re.search(r"(\d+) numbers quote a source, (\d+) are assumptions", text)
    assert m and int(m.group(1)) > 0 and int(m.group(2)) > 0
    assert "One run (run 0 of seed 4)" in text and "lake_ardan:" in text and "summit:" in text
    assert "Scenario highlands-2031: 200 runs, seed 4" in text
    assert abs(sum(_outcome_rows(text).values()) - 1.0) < 0.003
    assert is_png(tmp_path / "outcomes.png") and is_png(tmp_path / "issue-space.png")


@pytest.mark.parametrize("scenario, n_issues", [
    (str(Path(__file__).parent / "data" / "scenarios" / "truce.toml"), None),
    ("template", 2),
])
def test_custom_scenario_runs_any_scenario(scenario: str, n_issues: int | None, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing in the example is particular to its own file (no issue or actor ids)."""
    import negsim
    from negsim.scenario.template import scenario_template

    if scenario == "template":  # the file `negsim new` writes
        scenario = str(tmp_path / "talks.toml")
        Path(scenario).write_text(scenario_template("talks"), encoding="utf-8")
    s = negsim.load_scenario(scenario)
    mod = load("custom_scenario")
    assert mod.main(["--scenario", scenario, "--runs", "60", "--seed", "2",
                     "--out", str(tmp_path / "out")]) == 0
    text = capsys.readouterr().out
    assert f"{Path(scenario).name}: ok" in text
    assert f"Scenario {s.id}: 60 runs, seed 2" in text
    assert abs(sum(_outcome_rows(text).values()) - 1.0) < 0.003
    assert is_png(tmp_path / "out" / "outcomes.png")
    if n_issues is not None:
        assert mod.most_salient_issues(s) == s.issue_ids[:n_issues]
        assert is_png(tmp_path / "out" / "issue-space.png")


# ---- nfg_games.py ----------------------------------------------------------------------
def test_nfg_games_main(capsys: pytest.CaptureFixture[str]) -> None:
    mod = load("nfg_games")
    assert mod.main(["--lam", "1.5"]) == 0
    text = capsys.readouterr().out
    assert "== embargo.nfg: 3 players" in text and "== truce.nfg: 2 players" in text
    assert "nashpy support enumeration finds the same 5: yes" in text
    assert "Logit QRE at lambda = 1.5:" in text


def test_nfg_games_equilibria_are_equilibria() -> None:
    mod = load("nfg_games")
    truce = mod.report(mod.GAMES / "truce.nfg", 2.0)
    game = truce["game"]
    assert truce["pure"] == [(0, 0), (1, 1), (2, 2)]
    assert truce["agree"]
    assert len(truce["mixed"]) == 5
    for p, q in truce["mixed"]:
        assert np.all(game.regret([p, q]) <= 1e-9)
    embargo = mod.report(mod.GAMES / "embargo.nfg", 2.0)
    g3 = embargo["game"]
    assert g3.players == ("Russia", "Turkey", "UAE")
    assert sorted(embargo["pure"]) == [(0, 0, 1), (0, 1, 0), (1, 0, 0), (1, 1, 1)]
    for strategy in embargo["qre"]:
        assert strategy.sum() == pytest.approx(1.0) and np.all(strategy > 0)
    assert embargo["limit"].max_regret < 1e-6
    # the principal branch selects Russia, with the largest gain from breaking, as the one
    # patron that breaks the embargo
    assert [int(np.argmax(s)) for s in embargo["limit"].profile] == [1, 0, 0]


def test_nfg_games_bad_files_print_one_line(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    mod = load("nfg_games")
    bad = tmp_path / "bad.nfg"
    bad.write_text('NFG 1 R "t" { "A" } { 2 }\n1')
    for path, message in [(bad, f"{bad}:2: expected 2 payoffs"),
                          (tmp_path, f"{tmp_path}: is a directory"),
                          (Path("/dev/zero"), "/dev/zero: is a device")]:
        assert mod.main([str(path)]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"nfg_games.py: error: {message}") and "Traceback" not in err


def test_same_equilibria() -> None:
    mod = load("nfg_games")
    a = [(np.array([1.0, 0.0]), np.array([0.0, 1.0]))]
    assert mod.same_equilibria(a, list(a))
    assert not mod.same_equilibria(a, [(np.array([0.0, 1.0]), np.array([0.0, 1.0]))])
    assert not mod.same_equilibria(a, [])


# ---- make_figures.py -------------------------------------------------------------------
def test_make_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mod = load("make_figures")
    assert mod.main(["--runs", "300", "--sweep-runs", "40", "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    made = sorted(p.name for p in tmp_path.glob("*.png"))
    expected = {"outcomes.png", "signing.png", "commitments.png", "margins.png",
                "issue-space.png", "sweep-lna-capability.png", "highlands-issue-space.png",
                "tornado-signed-and-holds.png"}
    assert expected <= set(made), made
    assert all(is_png(tmp_path / n) for n in made)
    assert all(f"wrote {tmp_path / n}" in text for n in made)
    # the committed figures are the ones the script makes (no stale or missing file)
    committed = sorted(p.name for p in FIGURES.glob("*.png"))
    assert set(made) <= set(committed), f"run examples/make_figures.py: {made} vs {committed}"


def test_figures_shown_in_docs_exist() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    shown = []
    for page in pages:
        for target in re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", page.read_text(encoding="utf-8")):
            shown.append((page, (page.parent / target).resolve()))
    assert any(p.name == "README.md" for p, _ in shown), "README shows no figure"
    assert any(p.name == "tutorial.md" for p, _ in shown), "the tutorial shows no figure"
    missing = [f"{p.relative_to(ROOT)} -> {t}" for p, t in shown if not is_png(t)]
    assert not missing, missing
