"""Checks of the built-in Libya 2020 scenario and of the seed digest it cites.

The scenario and the digest are parsed with :mod:`tomllib` directly, so these tests do not
depend on the scenario loader. Quotes are checked verbatim against the raw seed articles in
``../shared/seeds`` beside the checkout when that folder exists, and always against the
digest ``seeds/libya-2020.toml``, so the digest covers the scenario even without the
articles.
"""

from __future__ import annotations

import datetime
import math
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_FILE = ROOT / "negsim" / "data" / "scenarios" / "libya-2020.toml"
DIGEST_FILE = ROOT / "seeds" / "libya-2020.toml"
EXPLANATION = ROOT / "docs" / "explanation" / "libya-2020.md"
SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"

ACTORS = ("GNA", "LNA", "Russia", "Turkey", "Egypt", "UAE")
DIGEST_ACTORS = frozenset(ACTORS) | {"UN", "other"}
ISSUES = (
    "turkish_forces",
    "security_agreement",
    "disband_deadline",
    "southern_tripoli",
    "tarhuna",
    "monitoring",
    "arms_embargo",
    "political_track",
)
HAFTAR_CONDITIONS = ("disband_deadline", "turkish_forces", "security_agreement")
SALIENCE_LEVELS = (0.2, 0.4, 0.6, 0.8, 1.0)
PROVENANCE_KEYS = frozenset({"source", "quote", "note", "assumption"})
MAX_QUOTE = 200


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


SCENARIO = _load(SCENARIO_FILE)
DIGEST = _load(DIGEST_FILE)


def _seed_text(file_name: str) -> str:
    return (SEEDS_DIR / file_name).read_text(encoding="utf-8")


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Yield ``(dotted path, value, enclosing table)`` for every leaf of a TOML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}" if path else key
            if isinstance(value, dict | list):
                yield from _walk(value, child)
            else:
                yield child, value, node
    elif isinstance(node, list):
        for i, value in enumerate(node):
            child = f"{path}[{i}]"
            if isinstance(value, dict | list):
                yield from _walk(value, child)
            else:
                yield child, value, node


def _provenance_tables(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every table of the scenario that carries provenance keys."""
    if isinstance(node, dict):
        if PROVENANCE_KEYS & node.keys():
            yield path, node
        for key, value in node.items():
            yield from _provenance_tables(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _provenance_tables(value, f"{path}[{i}]")


def _scenario_quotes() -> list[tuple[str, str, str]]:
    """``(path, source file name, quote)`` for every quote in the scenario."""
    files = {key: src["file"] for key, src in SCENARIO["sources"].items()}
    return [
        (path, files[tbl["source"]], tbl["quote"])
        for path, tbl in _provenance_tables(SCENARIO)
        if "quote" in tbl
    ]


SCENARIO_QUOTES = _scenario_quotes()
needs_seeds = pytest.mark.skipif(
    not SEEDS_DIR.is_dir(),
    reason=(f"checks quotes against the raw seed articles, which are not at {SEEDS_DIR}: they "
            "are kept outside the repository (in ../shared/seeds beside the checkout) because "
            "the news articles are copyrighted; the digest seeds/libya-2020.toml is checked "
            "instead (see seeds/README.md)"),
)


# ------------------------------------------------------------------------------ the digest


def test_digest_sources_describe_both_seed_files() -> None:
    sources = DIGEST["sources"]
    assert set(sources) == {"seed-000", "seed-003"}
    assert sources["seed-000"]["file"] == "000_1bf417fcc29cb610.txt"
    assert sources["seed-003"]["file"] == "003_d21c24cd0020b6c5.txt"
    for src in sources.values():
        assert src["title"].strip()


@needs_seeds
def test_digest_titles_are_the_first_lines_of_the_seeds() -> None:
    for src in DIGEST["sources"].values():
        first_line = _seed_text(src["file"]).splitlines()[0].strip()
        assert src["title"] == first_line


def test_digest_facts_are_well_formed() -> None:
    facts = DIGEST["facts"]
    files = {src["file"] for src in DIGEST["sources"].values()}
    ids = [f["id"] for f in facts]
    assert ids == [f"F{i:02d}" for i in range(1, len(facts) + 1)]
    for f in facts:
        assert set(f) <= {"id", "date", "actor", "also", "fact", "quote", "source_file"}, f["id"]
        assert {"id", "actor", "fact", "quote", "source_file"} <= set(f), f["id"]
        assert f["actor"] in DIGEST_ACTORS, f["id"]
        assert set(f.get("also", [])) <= DIGEST_ACTORS - {f["actor"]}, f["id"]
        assert f["source_file"] in files, f["id"]
        assert f["fact"].strip() and f["quote"].strip(), f["id"]
        assert len(f["quote"]) <= MAX_QUOTE, f"{f['id']}: quote longer than {MAX_QUOTE}"
        if "date" in f:
            assert isinstance(f["date"], datetime.date), f["id"]
            assert datetime.date(2019, 4, 1) <= f["date"] <= datetime.date(2020, 1, 31)


@needs_seeds
@pytest.mark.parametrize("fact", DIGEST["facts"], ids=lambda f: f["id"])
def test_digest_quote_is_verbatim_in_its_seed(fact: dict[str, Any]) -> None:
    assert fact["quote"] in _seed_text(fact["source_file"])


def test_digest_covers_all_six_actors() -> None:
    named = {f["actor"] for f in DIGEST["facts"]}
    for f in DIGEST["facts"]:
        named.update(f.get("also", []))
    assert set(ACTORS) <= named


# ----------------------------------------------------------------------------- the quotes


@needs_seeds
@pytest.mark.parametrize(("path", "file_name", "quote"), SCENARIO_QUOTES,
                         ids=[q[0] for q in SCENARIO_QUOTES])
def test_scenario_quote_is_verbatim_in_its_seed(path: str, file_name: str, quote: str) -> None:
    assert quote in _seed_text(file_name), path


@pytest.mark.parametrize(("path", "file_name", "quote"), SCENARIO_QUOTES,
                         ids=[q[0] for q in SCENARIO_QUOTES])
def test_scenario_quote_is_in_the_digest(path: str, file_name: str, quote: str) -> None:
    digest_quotes = [f["quote"] for f in DIGEST["facts"] if f["source_file"] == file_name]
    assert any(quote in q for q in digest_quotes), (
        f"{path}: quote not found in any digest fact of {file_name}: {quote!r}"
    )


def test_scenario_quotes_are_short() -> None:
    long = [path for path, _, quote in SCENARIO_QUOTES if len(quote) > MAX_QUOTE]
    assert not long


def test_scenario_sources_are_the_two_seeds() -> None:
    sources = SCENARIO["sources"]
    assert set(sources) == {"seed-000", "seed-003"}
    for key, src in sources.items():
        assert src["file"] == DIGEST["sources"][key]["file"]
        assert src["title"] == DIGEST["sources"][key]["title"]


# ------------------------------------------------------------------------------ provenance


def test_every_number_has_provenance() -> None:
    unsourced = []
    for path, value, parent in _walk(SCENARIO):
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        assert math.isfinite(value), path
        if path == "schema_version":
            continue
        # A sourced number {value = ..., ...} or a number inside a table with provenance
        # (red-line bounds, uncertainty parameters).
        if isinstance(parent, dict) and PROVENANCE_KEYS & parent.keys():
            continue
        unsourced.append(path)
    assert not unsourced, f"numbers without provenance: {unsourced}"


def test_provenance_is_exactly_one_form() -> None:
    for path, tbl in _provenance_tables(SCENARIO):
        sourced = "source" in tbl and "quote" in tbl
        assumed = "assumption" in tbl
        assert sourced != assumed, path
        if assumed:
            assert "note" not in tbl and "source" not in tbl and "quote" not in tbl, path
            assert tbl["assumption"].strip(), path
        else:
            assert tbl["source"] in SCENARIO["sources"], path
            assert tbl["quote"].strip(), path


def test_every_value_table_is_sourced() -> None:
    for path, tbl in _provenance_tables(SCENARIO):
        if "value" in tbl:
            assert set(tbl) <= {"value"} | PROVENANCE_KEYS, path


# -------------------------------------------------------------------------- actors, issues


def test_the_six_actors() -> None:
    assert set(SCENARIO["actors"]) == set(ACTORS)
    roles = {a: set(SCENARIO["actors"][a]["roles"]) for a in ACTORS}
    assert roles["GNA"] == roles["LNA"] == {"belligerent"}
    assert roles["Russia"] == roles["Turkey"] == {"patron", "mediator"}
    assert roles["Egypt"] == roles["UAE"] == {"patron"}


def test_every_actor_has_an_outside_option() -> None:
    for a in ACTORS:
        oo = SCENARIO["actors"][a]["outside_option"]
        assert oo["cost"]["value"] >= 0
        assert 0 < oo["discount"]["value"] < 1


def test_required_issues_with_described_ends() -> None:
    issues = SCENARIO["issues"]
    assert set(ISSUES) <= set(issues)
    for k, iss in issues.items():
        assert iss["low"].strip() and iss["high"].strip() and iss["low"] != iss["high"], k
        assert 0.0 <= iss["status_quo"]["value"] <= 1.0, k


def test_patron_links() -> None:
    actors = SCENARIO["actors"]
    assert set(actors["Turkey"]["backs"]) == {"GNA"}
    for patron in ("Russia", "Egypt", "UAE"):
        assert set(actors[patron]["backs"]) == {"LNA"}, patron
    for a in ("GNA", "LNA"):
        assert "backs" not in actors[a]


def test_haftar_conditions_are_sourced_red_lines_and_top_demands() -> None:
    lna = SCENARIO["actors"]["LNA"]
    lines = {rl["issue"]: rl for rl in lna["red_lines"]}
    assert set(HAFTAR_CONDITIONS) <= set(lines)
    for issue in HAFTAR_CONDITIONS:
        rl = lines[issue]
        sq = SCENARIO["issues"][issue]["status_quo"]["value"]
        assert rl["min"] > sq, f"{issue}: the red line must exclude the status quo"
        assert rl["source"] == "seed-000" and "quote" in rl
        demand = lna["demands"][issue]
        assert demand["ideal"]["value"] == 1.0
        assert demand["salience"]["value"] == 1.0
        assert "source" in demand["ideal"] and "source" in demand["salience"]


def test_feituri_points_oppose_gna_and_lna() -> None:
    gna, lna = SCENARIO["actors"]["GNA"], SCENARIO["actors"]["LNA"]
    for issue in ("southern_tripoli", "tarhuna"):
        assert gna["demands"][issue]["ideal"]["value"] == 1.0
        assert lna["demands"][issue]["ideal"]["value"] == 0.0
        for actor in (gna, lna):
            assert actor["demands"][issue]["salience"]["source"] == "seed-003"
    # "The most difficult point" ranks above "the other difficult point".
    for actor in (gna, lna):
        sal = {k: actor["demands"][k]["salience"]["value"] for k in ("southern_tripoli",
                                                                      "tarhuna")}
        assert sal["southern_tripoli"] > sal["tarhuna"]


def test_red_lines_admit_the_actors_own_ideal() -> None:
    for a, actor in SCENARIO["actors"].items():
        for rl in actor.get("red_lines", []):
            demand = actor["demands"].get(rl["issue"])
            if demand is None:
                continue
            ideal = demand["ideal"]["value"]
            assert rl.get("min", 0.0) <= ideal <= rl.get("max", 1.0), (a, rl["issue"])


def test_saliences_follow_the_documented_rule() -> None:
    for a, actor in SCENARIO["actors"].items():
        for issue, demand in actor["demands"].items():
            assert issue in SCENARIO["issues"], (a, issue)
            value = demand["salience"]["value"]
            assert any(math.isclose(value, lvl) for lvl in SALIENCE_LEVELS), (a, issue, value)
            assert 0.0 <= demand["ideal"]["value"] <= 1.0, (a, issue)


def _strengths() -> dict[str, float]:
    actors = SCENARIO["actors"]
    strength = {a: actors[a]["capability"]["value"] for a in ("GNA", "LNA")}
    for actor in actors.values():
        for client, link in actor.get("backs", {}).items():
            strength[client] += link["support"]["value"] * actor["capability"]["value"]
    return strength


def test_war_is_close_to_even_as_the_notes_say() -> None:
    # The capability notes claim: GNA side 0.6, LNA side 0.725, an undecided war tilted
    # toward the LNA. Recompute from the numbers so the notes cannot drift from them.
    s = _strengths()
    assert math.isclose(s["GNA"], 0.6) and math.isclose(s["LNA"], 0.725)
    g = SCENARIO["model"]["contest_exponent"]["value"]
    p_lna = s["LNA"] ** g / (s["LNA"] ** g + s["GNA"] ** g)
    assert 0.5 < p_lna < 0.6


def test_decisiveness_note_arithmetic() -> None:
    q = SCENARIO["model"]["decisiveness"]["value"]
    note = SCENARIO["model"]["decisiveness"]["note"]
    assert f"0.9^9 = {(1 - q) ** 9:.2f}" in note
    assert math.isclose(1 / q, 10.0)


def test_toll_arithmetic_in_cost_notes() -> None:
    # UN toll over nine months, per month: about 220 combatants, 30 civilians, 16,000 displaced.
    assert round(2000 / 9, -1) == 220 and round(280 / 9, -1) == 30
    assert round(146_000 / 9, -3) == 16_000
    actors = SCENARIO["actors"]
    lna, gna = (actors[a]["outside_option"]["cost"]["value"] for a in ("LNA", "GNA"))
    toll = 0.2
    assert math.isclose(gna, toll / 4 + toll / 2)  # half the military half + the civilian half
    assert math.isclose(lna, toll / 4 + toll / 4)  # half the military half + strain
    assert "0.2" in actors["LNA"]["outside_option"]["cost"]["note"]


# -------------------------------------------------------------------- timeline, observations


def test_timeline() -> None:
    entries = {t["id"]: t for t in SCENARIO["timeline"]}
    dates = [t["date"] for t in SCENARIO["timeline"]]
    assert dates == sorted(dates)
    assert entries["ceasefire"]["kind"] == "event"
    assert entries["ceasefire"]["date"] == datetime.date(2020, 1, 12)
    moscow = entries["moscow"]
    assert moscow["kind"] == "mediated_round"
    assert (moscow["date"], moscow["end"]) == (datetime.date(2020, 1, 13),
                                               datetime.date(2020, 1, 14))
    assert set(moscow["participants"]) == {"GNA", "LNA"}
    assert set(moscow["mediators"]) == {"Russia", "Turkey"}
    berlin = entries["berlin"]
    assert berlin["kind"] == "conference" and berlin["date"] == datetime.date(2020, 1, 19)
    assert set(berlin["participants"]) == {"Russia", "Turkey", "Egypt", "UAE"}
    assert set(berlin["observers"]) == {"GNA", "LNA"}
    assert set(berlin["commitments"]) == {"arms_embargo", "ceasefire_support",
                                          "military_committee"}


def test_berlin_commitments() -> None:
    c = SCENARIO["commitments"]
    assert (c["arms_embargo"]["effect"], c["arms_embargo"]["issue"]) == ("embargo",
                                                                        "arms_embargo")
    assert c["ceasefire_support"]["effect"] == "ceasefire_support"
    assert c["ceasefire_support"]["issue"] in SCENARIO["issues"]
    assert (c["military_committee"]["effect"], c["military_committee"]["issue"]) == (
        "monitoring", "monitoring")


def test_moscow_observations() -> None:
    obs = [o for o in SCENARIO["observed"] if o["round"] == "moscow"]
    decisions = {o["actor"]: o["decision"] for o in obs if "actor" in o}
    assert decisions == {"GNA": "sign", "LNA": "no_sign"}
    assert [o["outcome"] for o in obs if "outcome" in o] == ["partial_signature"]
    for o in SCENARIO["observed"]:
        assert "assumption" not in o and o["source"] in SCENARIO["sources"]


def test_mediators_backing_opposite_sides_is_sourced() -> None:
    quotes = [q for _, _, q in SCENARIO_QUOTES]
    assert any("Turkey and Russia, which support the opposing parties" in q for q in quotes)
    for quote in ("Turkey was working to ensure that the truce became permanent",
                  "pressure from Egypt and the UAE", "pressure from his Libyan support base",
                  "seizing control of Sirte on 6 January",
                  "280 civilians and some 2,000 combatants"):
        assert any(quote in q for q in quotes), quote


def test_uncertainty_entries_are_valid() -> None:
    seen = set()
    for u in SCENARIO["uncertainty"]:
        path = u["parameter"]
        assert path not in seen, path
        seen.add(path)
        node: Any = SCENARIO
        for part in path.split("."):
            node = node[part]
        assert "value" in node, path
        centre = node["value"]
        if u["distribution"] == "uniform":
            assert u["low"] <= centre <= u["high"], path
        elif u["distribution"] == "triangular":
            assert (u["low"], u["mode"], u["high"]) == tuple(sorted((u["low"], u["mode"],
                                                                     u["high"]))), path
            assert math.isclose(u["mode"], centre), path
        else:
            assert u["distribution"] == "normal" and u["sd"] > 0, path
    for required in ("actors.LNA.capability", "actors.GNA.capability",
                     "actors.Egypt.backs.LNA.leverage", "actors.UAE.backs.LNA.leverage",
                     "model.rationality", "actors.LNA.outside_option.cost",
                     "actors.GNA.outside_option.cost"):
        assert required in seen, required


# ----------------------------------------------------------------------- docs and loader


def test_explanation_cites_existing_facts() -> None:
    text = EXPLANATION.read_text(encoding="utf-8")
    cited = set(re.findall(r"\bF\d\d\b", text))
    known = {f["id"] for f in DIGEST["facts"]}
    assert cited, "the explanation should cite digest facts"
    assert cited <= known, sorted(cited - known)


def test_explanation_lists_every_demand() -> None:
    text = EXPLANATION.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| (\w+) \| (\w+) \|", text, flags=re.MULTILINE))
    for a, actor in SCENARIO["actors"].items():
        for issue in actor["demands"]:
            assert (a, issue) in rows, f"docs table lacks {a} | {issue}"


def test_loader_accepts_the_scenario() -> None:
    scenario_mod = pytest.importorskip("negsim.scenario")
    s = scenario_mod.load_scenario("libya-2020")
    assert [a.id for a in s.actors] == list(SCENARIO["actors"])
    assert set(a.id for a in s.actors) == set(ACTORS)


def test_explanation_quotes_are_in_the_digest() -> None:
    # The explanation uses typographic quotes only for seed quotes.
    text = EXPLANATION.read_text(encoding="utf-8")
    # Markdown paragraphs wrap lines, so a quote may span a line break.
    quotes = [" ".join(q.split()) for q in re.findall(r"“([^”]+)”", text)]
    assert len(quotes) > 30
    digest_quotes = [f["quote"] for f in DIGEST["facts"]]
    missing = [q for q in quotes if not any(q in d for d in digest_quotes)]
    assert not missing, missing


def _implied() -> dict[str, tuple[float, float]]:
    """``actor -> (W, d)`` at the central values, by the formulas of the model page."""
    actors = SCENARIO["actors"]
    issues = list(SCENARIO["issues"])

    def ideal(a: str, k: str) -> float:
        demand = actors[a]["demands"].get(k)
        return demand["ideal"]["value"] if demand else 0.0

    def utility(i: str, j: str) -> float:  # U_i(ideal_j)
        sal = {k: d["salience"]["value"] for k, d in actors[i]["demands"].items()}
        total = sum(sal.values())
        return 1.0 - sum(sal[k] / total * (ideal(j, k) - ideal(i, k)) ** 2 for k in sal
                         if k in issues)

    s = _strengths()
    g = SCENARIO["model"]["contest_exponent"]["value"]
    q = SCENARIO["model"]["decisiveness"]["value"]
    z = sum(v ** g for v in s.values())
    pi = {b: s[b] ** g / z for b in s}
    out = {}
    for i, actor in actors.items():
        w_end = sum(pi[b] * utility(i, b) for b in pi)
        cost = actor["outside_option"]["cost"]["value"]
        delta = actor["outside_option"]["discount"]["value"]
        out[i] = (w_end, (delta * q * w_end - (1 - delta) * cost) / (1 - delta * (1 - q)))
    return out


def test_explanation_implied_numbers_match_the_scenario() -> None:
    text = EXPLANATION.read_text(encoding="utf-8")
    section = text.split("## What the numbers imply", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\w+) \|[^|\n]*\|[^|\n]*\| ([\d.]+) \| ([\d.]+) \|$", section,
                      flags=re.MULTILINE)
    assert {r[0] for r in rows} == set(ACTORS)
    implied = _implied()
    for actor, w_doc, d_doc in rows:
        w_end, d = implied[actor]
        assert float(w_doc) == pytest.approx(w_end, abs=5e-4), actor
        assert float(d_doc) == pytest.approx(d, abs=5e-4), actor
    s = _strengths()
    for b in ("GNA", "LNA"):
        assert f"| {b} | {s[b]:.3f} |" in section
