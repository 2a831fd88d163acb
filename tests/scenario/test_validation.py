"""One test per validation rule: mutate the valid toy scenario, check the message.

Every case asserts that the error names the file and the dotted field, and says what is
wrong. Mutations are either a text replacement (for TOML-level errors such as syntax and
duplicate keys) or a change of the parsed data written back with tomli_w.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from negsim.scenario import ScenarioError, load_scenario, parse_scenario

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"
TOY_TEXT = (DATA / "toy.toml").read_text(encoding="utf-8")
TOY = tomllib.loads(TOY_TEXT)

Mutation = Callable[[dict[str, Any]], None] | tuple[str, str]


def _apply(mutation: Mutation) -> str:
    if isinstance(mutation, tuple):
        old, new = mutation
        assert TOY_TEXT.count(old) == 1, f"fixture text {old!r} must occur exactly once"
        return TOY_TEXT.replace(old, new)
    data = copy.deepcopy(TOY)
    mutation(data)
    return tomli_w.dumps(data)


def _setter(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set ``data[a][b]...`` from a dotted path with ``[i]`` list indices."""

    def mutate(data: dict[str, Any]) -> None:
        node: Any = data
        keys = _keys(path)
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value

    return mutate


def _deleter(path: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        node: Any = data
        keys = _keys(path)
        for key in keys[:-1]:
            node = node[key]
        del node[keys[-1]]

    return mutate


def _keys(path: str) -> list[str | int]:
    out: list[str | int] = []
    for part in path.split("."):
        name, _, rest = part.partition("[")
        if name:
            out.append(name)
        if rest:
            out.append(int(rest.rstrip("]")))
    return out


def _both(*mutations: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        for m in mutations:
            m(data)

    return mutate


def _rename(path: str, new: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        node: Any = data
        keys = _keys(path)
        for key in keys[:-1]:
            node = node[key]
        node[new] = node.pop(keys[-1])

    return mutate


def A(value: float) -> dict[str, Any]:  # noqa: N802 - a sourced number by assumption
    return {"value": value, "assumption": "test"}


RED = "actors.Red"
SAL = "actors.Red.demands.withdrawal.salience"

CASES = [
    # ---- TOML syntax and duplicates ----------------------------------------------------
    pytest.param(('id = "toy"', 'id = "toy'), "", "line 4", id="syntax-unterminated-string"),
    pytest.param(("schema_version = 1", "schema_version = "), "", "TOML syntax error",
                 id="syntax-invalid-value"),
    pytest.param(("[actors.Blue]\n", "[actors.Red]\n"), "actors.Red",
                 "duplicate actor id 'Red'", id="duplicate-actor-id"),
    pytest.param(("[issues.embargo]\n", "[issues.withdrawal]\n"), "issues.withdrawal",
                 "duplicate issue id 'withdrawal'", id="duplicate-issue-id"),
    pytest.param(('name = "Red Army"\n', 'name = "Red Army"\nname = "Reds"\n'),
                 "actors.Red.name", "is set twice", id="duplicate-key"),
    pytest.param(('id = "summit"\n', 'id = "summit"\nid = "x"\n'), "timeline[2].id",
                 "is set twice", id="duplicate-key-in-array-of-tables"),
    # ---- required and unknown fields -----------------------------------------------------
    pytest.param(_deleter("title"), "title", "missing required field", id="missing-title"),
    pytest.param(_deleter("timeline"), "timeline", "missing required field",
                 id="missing-timeline"),
    pytest.param(_deleter("actors.Red.name"), "actors.Red.name", "missing required field",
                 id="missing-actor-name"),
    pytest.param(_deleter("issues.embargo.status_quo"), "issues.embargo.status_quo",
                 "missing required field", id="missing-status-quo"),
    pytest.param(_deleter("model.decisiveness"), "model.decisiveness",
                 "missing required field", id="missing-model-parameter"),
    pytest.param(_deleter("actors.Red.capability.value"), "actors.Red.capability.value",
                 "missing required field", id="missing-value"),
    pytest.param(_deleter("commitments.arms_embargo.effect"), "commitments.arms_embargo.effect",
                 "missing required field", id="missing-commitment-effect"),
    pytest.param(_rename(SAL, "salince"), "actors.Red.demands.withdrawal.salince",
                 "unknown field; did you mean 'salience'?", id="unknown-field-typo"),
    pytest.param(_rename("title", "titel"), "titel", "did you mean 'title'?",
                 id="unknown-top-level-field"),
    pytest.param(_rename("actors.Red.capability.source", "sorce"),
                 "actors.Red.capability.sorce", "did you mean 'source'?",
                 id="unknown-provenance-key"),
    pytest.param(_setter("model.temperature", A(1.0)), "model.temperature", "unknown field",
                 id="unknown-model-parameter"),
    # ---- types -------------------------------------------------------------------------
    pytest.param(_setter("actors.Red.capability.value", True), "actors.Red.capability",
                 "must be a number, got boolean true", id="bool-is-not-a-number"),
    pytest.param(_setter("actors.Red.capability.value", "0.5"), "actors.Red.capability",
                 "(remove the quotes)", id="number-as-string"),
    pytest.param(_setter("actors.Red.name", 3), "actors.Red.name",
                 "must be a string, got integer 3", id="name-not-a-string"),
    pytest.param(_setter("actors.Red.roles", "belligerent"), "actors.Red.roles",
                 "must be an array of roles", id="roles-not-an-array"),
    pytest.param(_setter("timeline[0].date", "2020-01-10"), "timeline[0].date",
                 "without quotes", id="date-as-string"),
    pytest.param(_setter("timeline[0].date", dt.datetime(2020, 1, 10, 9, 30)),
                 "timeline[0].date", "got date-time", id="datetime-not-date"),
    pytest.param(_setter("model", 3), "model", "must be a table", id="model-not-a-table"),
    pytest.param(_setter("actors.Red.red_lines", {"issue": "withdrawal"}),
                 "actors.Red.red_lines", "must be an array of tables", id="red-lines-not-array"),
    pytest.param(_setter("schema_version", True), "schema_version",
                 "must be the integer 1", id="schema-version-bool"),
    pytest.param(_setter("schema_version", 2), "schema_version",
                 "unsupported schema version 2", id="schema-version-unsupported"),
    pytest.param(_setter("id", "toy war"), "id", "invalid id 'toy war'", id="bad-scenario-id"),
    pytest.param(_rename("actors.Ally", "2nd-ally"), 'actors.2nd-ally', "invalid actor id",
                 id="bad-actor-id"),
    # ---- ranges, NaN, inf --------------------------------------------------------------
    pytest.param(_setter(f"{SAL}.value", 1.7), SAL, "must be in [0, 1], got 1.7",
                 id="salience-out-of-range"),
    pytest.param(_setter("actors.Red.capability.value", -0.1), "actors.Red.capability",
                 "must be >= 0, got -0.1", id="negative-capability"),
    pytest.param(_setter("actors.Red.outside_option.discount.value", 1.0),
                 "actors.Red.outside_option.discount", "must be in (0, 1), got 1",
                 id="discount-one"),
    pytest.param(_setter("model.decisiveness.value", 0), "model.decisiveness",
                 "must be in (0, 1], got 0", id="decisiveness-zero"),
    pytest.param(_setter("model.contest_exponent.value", 0.0), "model.contest_exponent",
                 "must be > 0", id="contest-exponent-zero"),
    pytest.param(_setter("actors.Ally.backs.Blue.leverage.value", 2),
                 "actors.Ally.backs.Blue.leverage", "must be in [0, 1], got 2",
                 id="leverage-out-of-range"),
    pytest.param(_setter("actors.Red.capability.value", math.nan), "actors.Red.capability",
                 "must be a finite number, got nan", id="nan"),
    pytest.param(_setter("actors.Red.capability.value", math.inf), "actors.Red.capability",
                 "must be a finite number, got inf", id="inf"),
    pytest.param(("max = 0.5,", "max = -inf,"), "actors.Red.red_lines[0].max",
                 "must be a finite number", id="red-line-inf"),
    # ---- references --------------------------------------------------------------------
    pytest.param(_setter("timeline[1].participants", ["Rde", "Blue"]),
                 "timeline[1].participants[0]", "unknown actor 'Rde'; did you mean 'Red'?",
                 id="unknown-actor-participant"),
    pytest.param(_setter("timeline[1].mediators", ["Mediator"]), "timeline[1].mediators[0]",
                 "unknown actor 'Mediator'", id="unknown-actor-mediator"),
    pytest.param(_rename("actors.Ally.demands.embargo", "embrago"),
                 "actors.Ally.demands.embrago", "unknown issue 'embrago'; did you mean "
                 "'embargo'?", id="unknown-issue-in-demands"),
    pytest.param(_setter("actors.Red.red_lines[0].issue", "north"),
                 "actors.Red.red_lines[0].issue", "unknown issue 'north'",
                 id="unknown-issue-in-red-line"),
    pytest.param(_setter("commitments.arms_embargo.issue", "arms"),
                 "commitments.arms_embargo.issue", "unknown issue 'arms'",
                 id="unknown-issue-in-commitment"),
    pytest.param(_setter("actors.Red.capability.source", "brieff"),
                 "actors.Red.capability.source", "unknown source 'brieff'; did you mean "
                 "'brief'?", id="unknown-source"),
    pytest.param(_setter("timeline[2].commitments", ["embargo"]),
                 "timeline[2].commitments[0]", "unknown commitment 'embargo'",
                 id="unknown-commitment"),
    pytest.param(_rename("actors.Ally.backs.Blue", "Bleu"), "actors.Ally.backs.Bleu",
                 "unknown actor 'Bleu'; did you mean 'Blue'?", id="unknown-client"),
    pytest.param(_rename("actors.Ally.backs.Blue", "Ally"), "actors.Ally.backs.Ally",
                 "cannot back itself", id="patron-backs-itself"),
    # ---- provenance --------------------------------------------------------------------
    pytest.param(_setter("actors.Red.demands.withdrawal.ideal", 0.5),
                 "actors.Red.demands.withdrawal.ideal",
                 'write { value = 0.5, source = "KEY", quote = "..." } or '
                 '{ value = 0.5, assumption = "why" }', id="bare-number"),
    pytest.param(_setter("actors.Red.demands.withdrawal.ideal", {"value": 0.5}),
                 "actors.Red.demands.withdrawal.ideal", "missing provenance",
                 id="demand-without-provenance"),
    pytest.param(_deleter("actors.Blue.red_lines[0].assumption"), "actors.Blue.red_lines[0]",
                 "missing provenance", id="red-line-without-provenance"),
    pytest.param(_deleter("timeline[2].assumption"), "timeline[2]", "missing provenance",
                 id="timeline-without-provenance"),
    pytest.param(_both(_deleter("observed[0].source"), _deleter("observed[0].quote")),
                 "observed[0]", "missing provenance", id="observation-without-provenance"),
    pytest.param(_deleter("uncertainty[0].assumption"), "uncertainty[0]",
                 "missing provenance", id="uncertainty-without-provenance"),
    pytest.param(_both(_deleter("observed[0].source"), _deleter("observed[0].quote"),
                       _setter("observed[0].assumption", "guess")),
                 "observed[0].assumption", "observations must be sourced",
                 id="observation-assumption"),
    pytest.param(_setter("actors.Red.capability.assumption", "also a guess"),
                 "actors.Red.capability", "both 'source' and 'assumption'",
                 id="source-and-assumption"),
    pytest.param(_deleter("actors.Red.capability.source"), "actors.Red.capability.quote",
                 "'quote' without 'source'", id="quote-without-source"),
    pytest.param(_both(_deleter("actors.Red.capability.quote"),
                       _deleter("actors.Red.capability.note")),
                 "actors.Red.capability.source", "'source' without 'quote'",
                 id="source-without-quote"),
    pytest.param(_setter("issues.embargo.status_quo.note", "a note"),
                 "issues.embargo.status_quo.note", "put the reasoning in 'assumption'",
                 id="note-with-assumption"),
    pytest.param(_setter("actors.Red.capability.quote", "  "), "actors.Red.capability.quote",
                 "must not be empty", id="empty-quote"),
    # ---- red lines ---------------------------------------------------------------------
    pytest.param(_setter("actors.Blue.red_lines[0].max", 0.2), "actors.Blue.red_lines[0]",
                 "min 0.3 is greater than max 0.2", id="red-line-min-above-max"),
    pytest.param(_deleter("actors.Blue.red_lines[0].min"), "actors.Blue.red_lines[0]",
                 "needs 'min', 'max' or both", id="red-line-without-bounds"),
    pytest.param(_setter("actors.Red.demands.withdrawal.ideal.value", 0.8),
                 "actors.Red.red_lines[0]", "own ideal point on 'withdrawal' (0.8) violates",
                 id="ideal-violates-own-red-line"),
    pytest.param(_setter("actors.Blue.red_lines[0].min", 1.5), "actors.Blue.red_lines[0].min",
                 "must be in [0, 1], got 1.5", id="red-line-out-of-range"),
    # ---- roles -------------------------------------------------------------------------
    pytest.param(_setter("actors.Red.roles", ["belligerant"]), "actors.Red.roles[0]",
                 "did you mean 'belligerent'?", id="unknown-role"),
    pytest.param(_setter("actors.Red.roles", []), "actors.Red.roles",
                 "needs at least one role", id="no-roles"),
    pytest.param(_setter("actors.Red.roles", ["belligerent", "belligerent"]),
                 "actors.Red.roles[1]", "listed twice", id="duplicate-role"),
    pytest.param(_deleter("actors.Red.outside_option"), "actors.Red.outside_option",
                 "a belligerent needs an outside option", id="belligerent-without-outside-option"),
    # ---- timeline ----------------------------------------------------------------------
    pytest.param(_deleter("timeline[1].mediators"), "timeline[1].mediators",
                 "a mediated_round needs mediators", id="mediated-round-without-mediators"),
    pytest.param(_setter("timeline[1].mediators", []), "timeline[1].mediators",
                 "at least one mediator", id="mediated-round-empty-mediators"),
    pytest.param(_deleter("timeline[1].participants"), "timeline[1].participants",
                 "a mediated_round needs participants", id="mediated-round-without-participants"),
    pytest.param(_deleter("timeline[2].commitments"), "timeline[2].commitments",
                 "a conference needs commitments", id="conference-without-commitments"),
    pytest.param(_setter("timeline[0].commitments", ["arms_embargo"]),
                 "timeline[0].commitments", "only a conference has commitments",
                 id="commitments-on-event"),
    pytest.param(_setter("timeline[1].participants", ["Red", "Ally"]),
                 "timeline[1].participants[1]", "'Ally' is not a belligerent",
                 id="non-belligerent-participant"),
    pytest.param(_setter("timeline[1].mediators", ["Ally"]), "timeline[1].mediators[0]",
                 "does not have the role 'mediator'", id="mediator-without-role"),
    pytest.param(_setter("timeline[1].observers", ["Red"]), "timeline[1].observers",
                 "cannot be both in participants and observers", id="participant-and-observer"),
    pytest.param(_setter("timeline[1].participants", ["Red", "Red"]),
                 "timeline[1].participants[1]", "listed twice", id="duplicate-participant"),
    pytest.param(_setter("timeline[2].date", dt.date(2020, 1, 11)), "timeline[2].date",
                 "is before the previous entry's date 2020-01-12", id="dates-go-backwards"),
    pytest.param(_setter("timeline[1].end", dt.date(2020, 1, 11)), "timeline[1].end",
                 "end 2020-01-11 is before the start date 2020-01-12", id="end-before-start"),
    pytest.param(_setter("timeline[1].kind", "round"), "timeline[1].kind",
                 "must be one of event, mediated_round, conference", id="unknown-kind"),
    pytest.param(_setter("timeline[2].id", "talks"), "timeline[2].id",
                 "duplicate timeline id 'talks'", id="duplicate-timeline-id"),
    pytest.param(_setter("timeline", []), "timeline", "needs at least one entry",
                 id="empty-timeline"),
    # ---- commitments -------------------------------------------------------------------
    pytest.param(_setter("commitments.arms_embargo.effect", "sanctions"),
                 "commitments.arms_embargo.effect", "must be one of embargo, ",
                 id="unknown-effect"),
    # ---- observations ------------------------------------------------------------------
    pytest.param(_setter("observed[0].round", "moscow"), "observed[0].round",
                 "unknown timeline id 'moscow'", id="observation-unknown-round"),
    pytest.param(_setter("observed[0].actor", "Green"), "observed[0].actor",
                 "unknown actor 'Green'", id="observation-unknown-actor"),
    pytest.param(_setter("observed[0].round", "truce"), "observed[0].round",
                 "is an event, not a round", id="observation-of-event"),
    pytest.param(_setter("observed[0].decision", "signed"), "observed[0].decision",
                 "did you mean 'sign'?", id="observation-unknown-decision"),
    pytest.param(_setter("observed[2].outcome", "ceasefire"), "observed[2].outcome",
                 "must be one of signed_and_holds", id="observation-unknown-outcome"),
    pytest.param(_deleter("observed[0].actor"), "observed[0].actor",
                 "a decision needs the actor", id="decision-without-actor"),
    pytest.param(_setter("observed[2].actor", "Red"), "observed[2].actor",
                 "omit 'actor'", id="outcome-with-actor"),
    pytest.param(_deleter("observed[3].commitment"), "observed[3].commitment",
                 "names the commitment", id="commit-without-commitment"),
    pytest.param(_setter("observed[0].round", "summit"), "observed[0].decision",
                 "'sign' is a decision on a text in a mediated_round", id="sign-at-conference"),
    pytest.param(_setter("observed[0].actor", "Ally"), "observed[0].actor",
                 "'Ally' is not a participant of 'talks'", id="observer-not-participant"),
    pytest.param(_setter("observed[2].decision", "sign"), "observed[2]",
                 "has both 'decision' and 'outcome'", id="decision-and-outcome"),
    pytest.param(_deleter("observed[2].outcome"), "observed[2]",
                 "needs 'decision' (with 'actor') or 'outcome'", id="neither-decision-nor-outcome"),
    # ---- uncertainty -------------------------------------------------------------------
    pytest.param(_setter("uncertainty[0].low", 0.9), "uncertainty[0].low",
                 "low 0.9 is greater than high 0.8", id="uncertainty-low-above-high"),
    pytest.param(_setter("uncertainty[2].sd", 0), "uncertainty[2].sd", "must be > 0, got 0",
                 id="uncertainty-sd-zero"),
    pytest.param(_setter("uncertainty[1].mode", 0.5), "uncertainty[1].mode",
                 "mode 0.5 is outside [low, high] = [0.6, 1]", id="uncertainty-mode-outside"),
    pytest.param(_setter("uncertainty[0].parameter", "actors.Red.capabilty"),
                 "uncertainty[0].parameter", "unknown parameter path 'actors.Red.capabilty'; "
                 "did you mean 'actors.Red.capability'?", id="uncertainty-unknown-path"),
    pytest.param(_setter("uncertainty[0].parameter", "actors.Green.capability"),
                 "uncertainty[0].parameter", "unknown parameter path",
                 id="uncertainty-unknown-actor"),
    pytest.param(_setter("uncertainty[0].mode", 0.5), "uncertainty[0].mode",
                 "not a parameter of a uniform distribution", id="uncertainty-extra-parameter"),
    pytest.param(_deleter("uncertainty[1].mode"), "uncertainty[1].mode",
                 "a triangular distribution needs low, mode and high",
                 id="uncertainty-missing-parameter"),
    pytest.param(_setter("uncertainty[0].distribution", "beta"), "uncertainty[0].distribution",
                 "must be one of uniform, triangular, normal", id="uncertainty-unknown-dist"),
    pytest.param(_setter("uncertainty[1].high", 1.2), "uncertainty[1].high",
                 "must be in [0, 1] (the valid range of actors.Blue.demands.withdrawal."
                 "salience), got 1.2", id="uncertainty-outside-valid-range"),
    pytest.param(_setter("uncertainty[1].parameter", "actors.Red.capability"),
                 "uncertainty[1].parameter", "already has a distribution",
                 id="uncertainty-duplicate-parameter"),
    pytest.param(_setter("uncertainty[2].mean", -1.0), "uncertainty[2].mean",
                 "must be within the valid range >= 0", id="uncertainty-mean-outside"),
    pytest.param(_setter("uncertainty[2].sd", math.nan), "uncertainty[2].sd",
                 "must be a finite number", id="uncertainty-nan"),
    # ---- sizes -------------------------------------------------------------------------
    pytest.param(_setter("issues", {}), "issues", "needs at least one issue", id="no-issues"),
    pytest.param(lambda d: d.update(actors={"Red": d["actors"]["Red"]}), "actors",
                 "needs at least two actors", id="one-actor"),
]


@pytest.mark.parametrize(("mutation", "path", "fragment"), CASES)
def test_validation_message_names_file_and_field(
    tmp_path: Path, mutation: Mutation, path: str, fragment: str
) -> None:
    file = tmp_path / "case.toml"
    file.write_text(_apply(mutation), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(file)
    err = info.value
    text = str(err)
    matching = [p for p in err.problems if p.path == path and fragment in p.message
                or (p.path == path and fragment in str(p))]
    assert matching, f"no problem at {path!r} containing {fragment!r} in:\n{text}"
    line = str(matching[0])
    assert line.startswith(f"{file}: ")
    if path:
        assert f": {path}: " in line
    assert "\n" not in line
    assert len(text.splitlines()) == len(err.problems)


def test_spec_example_message_exactly(tmp_path: Path) -> None:
    file = tmp_path / "my.toml"
    file.write_text(_apply(_setter(f"{SAL}.value", 1.7)), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(file)
    assert str(info.value) == f"{file}: {SAL}: must be in [0, 1], got 1.7"


def test_syntax_error_has_line_and_column() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(_apply(("schema_version = 1", "schema_version = 1 1")), "bad.toml")
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (3, 20)
    assert str(problem).startswith("bad.toml: line 3, column 20: TOML syntax error: ")


def test_duplicate_actor_reports_line() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(_apply(("[actors.Blue]\n", "[actors.Red]\n")), "dup.toml")
    (problem,) = info.value.problems
    assert problem.line == TOY_TEXT.splitlines().index("[actors.Blue]") + 1
    assert str(problem).startswith(f"dup.toml: line {problem.line}: actors.Red: duplicate")


def test_all_problems_are_reported_not_just_the_first() -> None:
    mutate = _both(
        _setter(f"{SAL}.value", 1.7),
        _setter("actors.Blue.capability.value", -1),
        _rename("actors.Ally.backs.Blue", "Ally"),
        _setter("timeline[1].participants", ["Red", "Blue", "Grey"]),
    )
    with pytest.raises(ScenarioError) as info:
        parse_scenario(_apply(mutate), "many.toml")
    paths = [p.path for p in info.value.problems]
    assert paths == [
        SAL,
        "actors.Blue.capability",
        "actors.Ally.backs.Ally",
        "timeline[1].participants[2]",
    ]


def test_error_is_a_value_error_and_pickles() -> None:
    import pickle

    with pytest.raises(ValueError) as info:
        parse_scenario(_apply(_deleter("title")), "x.toml")
    err = info.value
    assert isinstance(err, ScenarioError)
    again = pickle.loads(pickle.dumps(err))
    assert again.problems == err.problems and str(again) == str(err)


def test_non_utf8_file(tmp_path: Path) -> None:
    file = tmp_path / "latin1.toml"
    file.write_bytes(TOY_TEXT.replace("Red Army", "Arm\u00e9e rouge").encode("latin-1"))
    with pytest.raises(ScenarioError, match="not a UTF-8 text file"):
        load_scenario(file)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    file = tmp_path / "bom.toml"
    file.write_bytes(b"\xef\xbb\xbf" + TOY_TEXT.encode("utf-8"))
    assert load_scenario(file) == load_scenario(DATA / "toy.toml")


def test_files_are_never_executed(tmp_path: Path) -> None:
    """A file full of Python is just an invalid TOML document: nothing runs."""
    marker = tmp_path / "ran"
    code = f"import pathlib; pathlib.Path({str(marker)!r}).write_text('x')"
    for text in (code, f'id = "{code}"', f"__import__('os').system('touch {marker}')"):
        with pytest.raises(ScenarioError):
            parse_scenario(text, "evil.toml")
    assert not marker.exists()
