"""The documentation builds, covers the public API and the CLI, and every public name has
a docstring with an example.

(The code blocks of docs/*.md and the docstring examples themselves run as doctests: see
``--doctest-glob`` and ``--doctest-modules`` in pyproject.toml.)
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import inspect
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import negsim

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MKDOCS_YML = ROOT / "mkdocs.yml"

#: Public names that are data, not code: they have no docstring of their own.
NOT_DOCUMENTED = {"__version__"}


def _public_objects() -> list[tuple[str, object]]:
    return [(name, getattr(negsim, name)) for name in negsim.__all__]


# ---- mkdocs ----------------------------------------------------------------------------
def _have(*modules: str) -> bool:
    return all(importlib.util.find_spec(m) is not None for m in modules)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation site, built once with ``mkdocs build --strict``."""
    if not _have("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers", "latex2mathml"):
        pytest.skip("mkdocs, mkdocs-material, mkdocstrings[python] or latex2mathml not installed")
    site = tmp_path_factory.mktemp("docs") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(MKDOCS_YML),
         "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env=env,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return site


def test_mkdocs_build_strict(site: Path) -> None:
    for page in ("index.html", "tutorial/index.html", "how-to/index.html",
                 "reference/api/index.html", "reference/cli/index.html",
                 "reference/results/index.html", "explanation/index.html"):
        assert (site / page).is_file(), page
    api = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    # mkdocstrings rendered the docstrings (not just the ::: lines)
    assert 'id="negsim.ensemble.simulation.simulate"' in api
    assert "Wilson" in api  # from Summary's docstring
    assert ":::" not in api
    assert ":func:" not in api and ":math:" not in api  # docs/_hooks/sphinx_roles.py
    assert (site / "figures" / "outcomes.png").is_file()


def _pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8")
            for p in sorted(site.rglob("*.html"))}


#: an element that makes the browser fetch something (a script, a stylesheet, a font, a
#: preconnect, an image, a frame) from another host
_REMOTE_ASSET = re.compile(
    r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//[^>]*>", re.I)


def test_site_loads_nothing_from_another_host(site: Path) -> None:
    """The site works offline: no CDN script or stylesheet, no web font, no placeholder URL."""
    remote = [f"{name}: {m.group(0)[:120]}" for name, text in _pages(site).items()
              for m in _REMOTE_ASSET.finditer(text)]
    assert not remote, f"pages that load from another host: {remote[:5]}"
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        urls = re.findall(r"url\(\s*[\"']?((?:https?:)?//[^)\"']*)", text)
        assert not urls, f"{css.relative_to(site)} loads {urls[:3]}"
    placeholders = [str(p.relative_to(site)) for p in site.rglob("*")
                    if p.suffix in {".html", ".json", ".xml", ".css", ".js"}
                    and "example.invalid" in p.read_text(encoding="utf-8", errors="replace")]
    assert not placeholders, f"placeholder URL in {placeholders}"
    # our own stylesheet is shipped and referenced by a relative path
    assert (site / "stylesheets" / "extra.css").is_file()
    assert 'href="../../stylesheets/extra.css"' in _pages(site)["explanation/model/index.html"]


def test_maths_is_rendered_in_the_html(site: Path) -> None:
    """Formulas are MathML in the page itself (docs/_hooks/maths.py), not TeX for a script."""
    model = (site / "explanation" / "model" / "index.html").read_text(encoding="utf-8")
    assert model.count('<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">') >= 5
    assert model.count('display="inline"') >= 20
    assert "<mfrac>" in model and "&#x003B4;" in model  # \frac and \delta
    leftovers = [name for name, text in _pages(site).items()
                 if "arithmatex" in text or re.search(r"\\[(\[]", text)]
    assert not leftovers, f"TeX left unrendered in {leftovers}"
    api = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert "<math" in api  # the :math: roles of docstrings too


def test_rendered_code_blocks_have_no_doctest_directives(site: Path) -> None:
    """``# doctest: +FLAG`` stays in the sources (pytest reads it) but is not shown."""
    assert "# doctest: +NORMALIZE_WHITESPACE" in (DOCS / "tutorial.md").read_text(
        encoding="utf-8")
    shown = [name for name, text in _pages(site).items() if "# doctest:" in text]
    assert not shown, f"doctest directives shown in {shown}"
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "# doctest:" not in index
    # the line the directive was on is still there
    tutorial = (site / "tutorial" / "index.html").read_text(encoding="utf-8")
    assert '<span class="n">s</span><span class="o">.</span><span class="n">issue_ids</span>' \
        in tutorial


def _nav_files(node: object) -> list[str]:
    if isinstance(node, str):
        return [node] if node.endswith(".md") else []
    if isinstance(node, dict):
        return [f for v in node.values() for f in _nav_files(v)]
    if isinstance(node, list):
        return [f for v in node for f in _nav_files(v)]
    return []


def _nav() -> list[str]:
    yaml = pytest.importorskip("yaml")
    config = yaml.safe_load(MKDOCS_YML.read_text(encoding="utf-8"))
    return _nav_files(config["nav"])


def test_nav_is_diataxis_and_complete() -> None:
    yaml = pytest.importorskip("yaml")
    config = yaml.safe_load(MKDOCS_YML.read_text(encoding="utf-8"))
    sections = [next(iter(entry)) for entry in config["nav"]]
    assert sections == ["Home", "Tutorial", "How-to guides", "Reference", "Explanation"]
    nav = _nav()
    missing = [f for f in nav if not (DOCS / f).is_file()]
    assert not missing, f"nav entries without a file: {missing}"
    pages = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md"))
    assert sorted(set(nav)) == pages, f"pages not in the nav: {sorted(set(pages) - set(nav))}"
    assert config["plugins"][1]["mkdocstrings"]["handlers"]["python"]["options"][
        "docstring_style"] == "numpy"


# ---- API reference ---------------------------------------------------------------------
def _qualified(name: str, obj: object) -> str:
    if inspect.ismodule(obj):
        return obj.__name__
    return f"{obj.__module__}.{obj.__qualname__}"


def test_every_public_name_is_in_the_api_reference() -> None:
    text = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    entries = set(re.findall(r"^::: (\S+)", text, re.M))
    missing = [f"{name} ({_qualified(name, obj)})" for name, obj in _public_objects()
               if name not in NOT_DOCUMENTED and _qualified(name, obj) not in entries]
    assert not missing, f"add to docs/reference/api.md: {missing}"
    # and nothing there that is gone
    for entry in entries:
        module, _, attr = entry.rpartition(".")
        try:
            target = importlib.import_module(entry)
        except ModuleNotFoundError:
            target = getattr(importlib.import_module(module), attr, None)
        assert target is not None, f"docs/reference/api.md: {entry} does not exist"


def test_every_plot_function_is_in_the_api_reference() -> None:
    import negsim.plot

    text = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    block = text.split("::: negsim.plot", 1)[1]
    listed = re.findall(r"^\s+- (\w+)$", block, re.M)
    assert sorted(listed) == sorted(negsim.plot.__all__)


def test_public_names_import() -> None:
    assert sorted(negsim.__all__) == sorted(set(negsim.__all__)), "duplicates in __all__"
    for name in negsim.__all__:
        assert getattr(negsim, name) is not None
        assert name in dir(negsim)
    assert negsim.__version__ == re.search(
        r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M
    ).group(1)


def _has_example(obj: object) -> bool:
    doc = inspect.getdoc(obj) or ""
    return re.search(r"^Examples\n-{8,}\n", doc, re.M) is not None and ">>>" in doc


def test_every_public_name_has_a_docstring_with_examples() -> None:
    lacking = []
    for name, obj in _public_objects():
        if name in NOT_DOCUMENTED:
            continue
        if not _has_example(obj):
            lacking.append(f"{name} ({_qualified(name, obj)})")
    assert not lacking, (
        f"{len(lacking)} public names lack a docstring with an 'Examples' section: "
        + ", ".join(lacking)
    )


# ---- CLI reference ---------------------------------------------------------------------
def test_cli_reference_covers_every_command_and_option() -> None:
    from negsim.cli.app import build_parser

    text = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = []
    for name, p in sub.choices.items():
        if f"## negsim {name}" not in text:
            missing.append(f"section '## negsim {name}'")
        section = text.split(f"## negsim {name}", 1)[-1].split("\n## ", 1)[0]
        for action in p._actions:
            for opt in action.option_strings:
                if opt not in section:
                    missing.append(f"negsim {name} {opt}")
    assert not missing, f"docs/reference/cli.md lacks: {missing} (regenerate it from --help)"


# ---- results reference -----------------------------------------------------------------
def test_results_reference_names_every_column_family() -> None:
    text = (DOCS / "reference" / "results.md").read_text(encoding="utf-8")
    runs = negsim.simulate("libya-2020", runs=3, seed=0).runs
    scenario = negsim.load_scenario("libya-2020")
    rounds = {t.id for t in scenario.timeline if t.is_round}
    params = {u.parameter for u in scenario.uncertainty}
    names = set(scenario.actor_ids) | set(scenario.issue_ids) | {c.id for c in
                                                                   scenario.commitments}
    undocumented = set()
    for col in runs.columns:
        if col in params:
            continue
        # replace round ids, actor ids, issue ids and commitment ids by placeholders
        parts = str(col).split(".")
        generic = []
        for i, part in enumerate(parts):
            if i == 0 and part in rounds:
                generic.append("R")
            elif i == 1 and re.fullmatch(r"m\d+", part):  # a month of a phase
                generic.append("m<t>")
            elif part in names:
                generic.append("*")
            else:
                generic.append(part)
        key = ".".join(generic)
        pattern = (re.escape(key).replace(r"\*", r"<[a-z]+>").replace("R", r"[RCI]", 1)
                   .replace(re.escape("m<t>"), "m<t>"))
        if not re.search(rf"`{pattern}`", text):
            undocumented.add(key)
    assert not undocumented, f"docs/reference/results.md does not describe: {undocumented}"
    summary_keys = negsim.simulate("libya-2020", runs=3, seed=0).summary().to_dict()
    for key in summary_keys:
        assert f"`{key}`" in text, f"summary.json key {key!r} not in results.md"


def test_docs_code_blocks_are_doctests() -> None:
    """Python blocks in the docs are written as doctests, so that they run in CI."""
    offenders = []
    for page in DOCS.rglob("*.md"):
        for block in re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S):
            if ">>>" not in block:
                offenders.append(str(page.relative_to(ROOT)))
    assert not offenders, f"```python blocks without >>> (not tested): {sorted(set(offenders))}"


def _shell_commands() -> list[tuple[str, str]]:
    pages = [ROOT / "README.md", ROOT / "examples" / "README.md", *sorted(DOCS.rglob("*.md"))]
    found = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r"```(?:bash|console|sh)\n(.*?)```", text, re.S):
            for line in block.splitlines():
                line = line.split(" #", 1)[0].strip()
                for part in re.split(r"&&|\|", line):
                    part = part.strip().split(" > ", 1)[0]
                    if part.startswith("negsim "):
                        found.append((str(page.relative_to(ROOT)), part))
    return found


def test_documented_negsim_commands_parse() -> None:
    """Every `negsim ...` command shown in a shell block is valid for the current parser."""
    from negsim.cli.app import build_parser

    commands = _shell_commands()
    assert len(commands) >= 10
    paths = set(negsim.load_scenario("libya-2020").parameter_paths())
    bad = []
    for page, command in commands:
        try:
            args = build_parser().parse_args(shlex.split(command)[1:])
        except SystemExit:
            bad.append(f"{page}: {command}")
            continue
        if getattr(args, "scenario", None) == "libya-2020":  # --set and --param paths exist
            items = [*getattr(args, "overrides", []), *getattr(args, "params", [])]
            bad += [f"{page}: {command}: no parameter {item.split('=')[0]}" for item in items
                    if item.split("=")[0] not in paths]
    assert not bad, f"documented commands that negsim rejects: {bad}"


def test_documented_example_invocations_parse() -> None:
    """Every `python examples/X.py ...` shown in the docs passes the script's argparse."""
    pages = [ROOT / "README.md", ROOT / "examples" / "README.md", *sorted(DOCS.rglob("*.md")),
             *sorted((ROOT / "examples").glob("*.py"))]
    seen = 0
    bad = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(r"python examples/(\w+)\.py([^`\n]*)", text):
            script = ROOT / "examples" / f"{m.group(1)}.py"
            assert script.is_file(), f"{page.name} mentions missing {script.name}"
            spec = importlib.util.spec_from_file_location(f"ex_{m.group(1)}", script)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            if not hasattr(module, "parse_args"):
                continue
            seen += 1
            try:
                module.parse_args(shlex.split(m.group(2).split(" #")[0]))
            except SystemExit:
                bad.append(f"{page.name}: {m.group(0)}")
    assert seen >= 5
    assert not bad, f"documented example invocations that fail to parse: {bad}"
