"""Checks of the built-in JCPOA 2015 scenario's data and provenance.

The file is parsed with :mod:`tomllib` directly, so these tests do not depend on the
scenario loader (``tests/scenario/test_jcpoa.py`` loads, runs and backtests it). They check
the discipline the file's header states: every number carries a quote or an assumption,
saliences follow the rule's five levels, ideal points are ends or anchors, the no-deal
values are the stated derivation from the demands, nothing a number rests on was
published after 2015, and no word the scenario prints speaks of ceasefires or embargoes.
"""

from __future__ import annotations

import datetime
import math
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_FILE = ROOT / "negsim" / "data" / "scenarios" / "jcpoa-2015.toml"
EXPLANATION = ROOT / "docs" / "explanation" / "jcpoa-2015.md"

PARTIES = ("Iran", "USA", "EU3", "Russia", "China")
SALIENCE_LEVELS = (0.2, 0.4, 0.6, 0.8, 1.0)
IDEALS = (0.0, 0.5, 1.0)
PROVENANCE_KEYS = frozenset({"source", "quote", "note", "assumption"})
MAX_QUOTE = 200
SIGNED = datetime.date(2015, 7, 14)

#: The monthly cost each party bears on top of the no-deal point (the notes of the file).
NO_DEAL_COST = {"Iran": 0.2, "USA": 0.05, "EU3": 0.02, "Russia": 0.02, "China": 0.02}
#: What staying out alone costs, on top of no deal for anyone (contingent kinds only).
ISOLATION = {"Iran": 0.05, "USA": 0.05}


def _load() -> dict[str, Any]:
    with SCENARIO_FILE.open("rb") as fh:
        return tomllib.load(fh)


DATA = _load()


def _provenance_tables(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if PROVENANCE_KEYS & node.keys():
            yield path, node
        for key, value in node.items():
            yield from _provenance_tables(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _provenance_tables(value, f"{path}[{i}]")


def _utility(actor: str, text: dict[str, float]) -> float:
    demands = DATA["actors"][actor]["demands"]
    total = sum(d["salience"]["value"] for d in demands.values())
    return 1.0 - sum(d["salience"]["value"] / total * (text[k] - d["ideal"]["value"]) ** 2
                     for k, d in demands.items())


NO_DEAL_POINT = {issue: 0.0 for issue in DATA["issues"]}


def test_every_provenance_is_a_quote_or_an_assumption() -> None:
    tables = list(_provenance_tables(DATA))
    assert len(tables) > 100
    for path, tbl in tables:
        if "assumption" in tbl:
            assert "source" not in tbl and "quote" not in tbl and "note" not in tbl, path
            assert tbl["assumption"].strip(), path
        else:
            assert tbl.get("source") in DATA["sources"], path
            quote = tbl.get("quote", "")
            assert quote.strip() and len(quote) <= MAX_QUOTE, (path, len(quote))


def test_sources_have_a_url_and_no_stored_text() -> None:
    for key, src in DATA["sources"].items():
        assert src["url"].startswith(("http://", "https://")), key
        assert "file" not in src, key  # the quotes were read at the url, no copy is kept
    cited = {tbl["source"] for _, tbl in _provenance_tables(DATA) if "source" in tbl}
    assert cited == set(DATA["sources"]), set(DATA["sources"]) ^ cited


def test_no_number_rests_on_a_source_published_after_2015() -> None:
    """Only the timeline after Vienna and the observations may cite later sources."""
    late = {k for k, s in DATA["sources"].items()
            if "date" in s and s["date"] > datetime.date(2015, 12, 31)}
    assert late == {"treasury-faq", "trump-2018"}
    for section in ("issues", "actors", "model", "uncertainty"):
        for path, tbl in _provenance_tables(DATA[section], section):
            assert tbl.get("source") not in late, path
    for entry in DATA["timeline"]:
        if entry["date"] <= SIGNED:
            assert entry["source"] not in late, entry["id"]


def test_saliences_follow_the_rule_and_ideals_are_anchors() -> None:
    for actor, a in DATA["actors"].items():
        for issue, d in a["demands"].items():
            assert d["salience"]["value"] in SALIENCE_LEVELS, (actor, issue)
            assert d["ideal"]["value"] in IDEALS, (actor, issue)


def test_roles_are_parties_and_one_mediator() -> None:
    roles = {actor: a["roles"] for actor, a in DATA["actors"].items()}
    assert roles == {**{p: ["party"] for p in PARTIES}, "EU": ["mediator"]}
    vienna = next(t for t in DATA["timeline"] if t["id"] == "vienna")
    assert vienna["participants"] == list(PARTIES) and vienna["mediators"] == ["EU"]


def test_red_lines_leave_a_text_every_party_can_sign() -> None:
    box = {issue: [0.0, 1.0] for issue in DATA["issues"]}
    for a in DATA["actors"].values():
        for rl in a.get("red_lines", []):
            box[rl["issue"]][0] = max(box[rl["issue"]][0], rl.get("min", 0.0))
            box[rl["issue"]][1] = min(box[rl["issue"]][1], rl.get("max", 1.0))
    assert all(lo <= hi for lo, hi in box.values()), box
    assert box["enrichment_level"] == [0.5, 0.5]  # Iran's max and the US min meet at Lausanne


@pytest.mark.parametrize("actor", PARTIES)
def test_no_deal_values_are_the_stated_derivation(actor: str) -> None:
    oo = DATA["actors"][actor]["outside_option"]
    u = _utility(actor, NO_DEAL_POINT)
    assert oo["value"]["value"] == pytest.approx(u - NO_DEAL_COST[actor], abs=0.0051)
    assert f"{u:.3f}" in oo["value"]["note"], (actor, u)
    if actor in ISOLATION:
        assert oo["kind"] == "contingent"
        assert oo["value_if_others_sign"]["value"] == pytest.approx(
            oo["value"]["value"] - ISOLATION[actor])
    else:
        assert oo["kind"] == "no_deal"


def test_every_party_prefers_the_lausanne_parameters_to_no_deal() -> None:
    """The anchors (what Lausanne says) are worth more than no deal to every party."""
    lausanne = {issue: 0.5 for issue in DATA["issues"]}
    for actor in PARTIES:
        assert _utility(actor, lausanne) > DATA["actors"][actor]["outside_option"]["value"][
            "value"], actor


def test_printed_words_say_nothing_of_ceasefires_or_embargoes() -> None:
    printed = [DATA["title"], *DATA["words"].values()]
    for issue in DATA["issues"].values():
        printed += [issue["name"], issue["low"], issue["high"]]
    for a in DATA["actors"].values():
        printed.append(a["name"])
        printed += [rl["description"] for rl in a.get("red_lines", [])]
    printed += [t["description"] for t in DATA["timeline"]]
    for text in printed:
        assert "ceasefire" not in text.lower() and "embargo" not in text.lower(), text


def test_uncertainty_spreads_contain_the_central_values() -> None:
    for u in DATA["uncertainty"]:
        node: Any = DATA
        for part in u["parameter"].split("."):
            node = node[part]
        central = node["value"]
        assert u["low"] <= central <= u["high"], u["parameter"]
        if u["distribution"] == "triangular":
            assert math.isclose(u["mode"], central), u["parameter"]


def test_the_explanation_page_covers_every_source_and_issue() -> None:
    text = EXPLANATION.read_text(encoding="utf-8")
    for key in DATA["sources"]:
        assert f"`{key}`" in text, key
    for issue in DATA["issues"]:
        assert f"`{issue}`" in text, issue
