"""The notebook display of a scenario (``Scenario._repr_html_``).

A compact HTML summary: the title, counts, the actors with their roles and red lines, and
the timeline. Every piece of scenario text is escaped (:func:`negsim._tables.html_table`).
"""

from __future__ import annotations

from typing import Any

from negsim._tables import html_card, html_table, shorten

__all__ = ["scenario_html"]


def scenario_html(scenario: Any, max_rows: int = 12) -> str:
    """Return the HTML display of a :class:`~negsim.scenario.Scenario`.

    Parameters
    ----------
    scenario : Scenario
    max_rows : int
        At most this many actors and timeline entries are listed.

    Examples
    --------
    >>> from negsim.scenario import load_scenario
    >>> page = scenario_html(load_scenario("libya-2020"))
    >>> "moscow" in page and "LNA" in page and len(page) < 10_000
    True
    """
    s = scenario
    fields = [
        ("id", s.id), ("origin", s.origin),
        ("issues", len(s.issues)), ("actors", len(s.actors)), ("timeline", len(s.timeline)),
        ("uncertain parameters", len(s.uncertainty)), ("observed records", len(s.observed)),
    ]
    actors = html_table(
        ["actor", "name", "roles", "red lines"],
        [[a.id, shorten(a.name, 40), ", ".join(a.roles),
          shorten("; ".join(r.description for r in a.red_lines), 90) or None]
         for a in s.actors],
        caption="Actors", max_rows=max_rows)
    timeline = html_table(
        ["id", "date", "kind", "participants"],
        [[e.id, e.date.isoformat(), e.kind, shorten(", ".join(e.participants), 60)]
         for e in s.timeline],
        caption="Timeline", max_rows=max_rows)
    return html_card(f"Scenario: {shorten(s.title, 100)}", fields, actors, timeline)
