"""The scenario as the dashboard's tables: actors, demands with sources, red lines, timeline."""

from __future__ import annotations

from negsim.scenario import Scenario

__all__ = ["provenance_text", "scenario_rows"]


def provenance_text(scenario: Scenario, provenance: object) -> str:
    """Say where a number comes from: its source and quote, else the stated assumption.

    Examples
    --------
    >>> from negsim.scenario import load_scenario
    >>> s = load_scenario("libya-2020")
    >>> provenance_text(s, s.actor("LNA").capability.provenance)  # doctest: +ELLIPSIS
    "seed-000 (Haftar and Serraj in Moscow ...): 'made a significant gain by seizing ...'"
    """
    source = getattr(provenance, "source", None)
    quote = getattr(provenance, "quote", None)
    if source:
        try:
            title = scenario.source(source).title
        except (KeyError, ValueError):
            title = None
        head = f"{source} ({title})" if title else source
        return f"{head}: '{quote}'" if quote else head
    assumption = getattr(provenance, "assumption", None)
    return f"assumption: {assumption}" if assumption else ""


def scenario_rows(scenario: Scenario) -> dict[str, list[dict[str, str]]]:
    """Return the rows of the scenario tables, by table name.

    Returns
    -------
    dict
        ``actors``, ``demands`` (with the source of each ideal point and salience),
        ``red_lines`` and ``timeline``: lists of rows (column name -> text).

    Examples
    --------
    >>> from negsim.scenario import load_scenario
    >>> t = scenario_rows(load_scenario("libya-2020"))
    >>> sorted(t), len(t["actors"])
    (['actors', 'demands', 'red_lines', 'timeline'], 6)
    >>> t["red_lines"][0]["actor"], t["timeline"][0]["date"]
    ('LNA', '2020-01-06')
    """
    issues = {i.id: i.name for i in scenario.issues}
    actors, demands, red_lines = [], [], []
    for a in scenario.actors:
        actors.append({"id": a.id, "name": a.name, "roles": ", ".join(a.roles),
                       "capability": f"{a.capability.value:g}",
                       "source": provenance_text(scenario, a.capability.provenance)})
        for d in a.demands:
            demands.append({
                "actor": a.id, "issue": issues.get(d.issue, d.issue),
                "ideal": f"{d.ideal.value:g}", "salience": f"{d.salience.value:g}",
                "source": provenance_text(scenario, d.salience.provenance)
                or provenance_text(scenario, d.ideal.provenance),
            })
        for rl in a.red_lines:
            bounds = " and ".join(s for s in (
                f">= {rl.min:g}" if rl.min is not None else "",
                f"<= {rl.max:g}" if rl.max is not None else "") if s)
            red_lines.append({"actor": a.id, "issue": issues.get(rl.issue, rl.issue),
                              "bounds": bounds, "red line": rl.description,
                              "source": provenance_text(scenario, rl.provenance)})
    timeline = [{
        "date": t.date.isoformat() + (f" to {t.end.isoformat()}" if t.end else ""),
        "id": t.id, "kind": t.kind, "participants": ", ".join(t.participants),
        "description": t.description,
    } for t in scenario.timeline]
    return {"actors": actors, "demands": demands, "red_lines": red_lines,
            "timeline": timeline}
