"""Moscow and Berlin: one run of the Libya 2020 scenario, told in plain words.

Plays run ``--run`` of root seed ``--seed`` (``SeedSequence([seed, run])``) as a Mesa
``NegotiationModel`` and tells what happened: the text the mediators put on the table at
Moscow and where it meets the parties' red lines, who signed and why the others did not,
what the powers committed to at Berlin, and whether the ceasefire would hold and what
breaks it.

    python examples/moscow_and_berlin.py --seed 3

Every run differs only by its seed; ``negsim run libya-2020`` shows the distribution over
many runs. ``--scenario`` takes another scenario (name or TOML file); the story follows its
timeline.
"""

from __future__ import annotations

import argparse
import math
import textwrap
from collections.abc import Sequence
from datetime import date

import numpy as np

import negsim
from negsim import ConferenceResult, ImplementationResult, MediatedRoundResult, RunResult

WIDTH = 88


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="libya-2020",
                   help="built-in scenario name or TOML file (default: libya-2020)")
    p.add_argument("--seed", type=int, default=3, help="root seed (default: 3)")
    p.add_argument("--run", type=int, default=0, help="run index within the seed (default: 0)")
    return p.parse_args(argv)


def say(text: str, indent: int = 0) -> None:
    """Print a paragraph wrapped to the page width."""
    pad = " " * indent
    print(textwrap.fill(text, WIDTH, initial_indent=pad, subsequent_indent=pad + "  ",
                        break_on_hyphens=False))


def when(start: date, end: date | None) -> str:
    """``13-14 January 2020`` or ``19 January 2020``."""
    if end is None or end == start:
        return f"{start.day} {start:%B %Y}"
    if (end.year, end.month) == (start.year, start.month):
        return f"{start.day}-{end.day} {end:%B %Y}"
    return f"{start.day} {start:%B} - {end.day} {end:%B %Y}"


def names(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def stance(result: RunResult, actor: str) -> float:
    """An actor's gain from the final text over its outside option."""
    return result.utilities[actor] - result.outside_options[actor]


def tell_mediated(scenario: negsim.Scenario, result: RunResult, rnd: MediatedRoundResult,
                  last: bool) -> None:
    actors = {a.id: a for a in scenario.actors}
    entry = next(e for e in scenario.timeline if e.id == rnd.id)
    print(f"\n{rnd.id.upper()}, {when(entry.date, entry.end)}")
    say(f"{entry.description}.", 2)
    if any(math.isnan(v) for v in rnd.text.values()):
        say("The mediators' own red lines leave no text they could draft, so nothing is "
            "signed.", 2)
        return
    # The text, issue by issue, with every participant red line it touches.
    rows = []
    for issue in scenario.issues:
        limits = []
        for a in rnd.participants:
            for rl in actors[a].red_lines:
                if rl.issue != issue.id:
                    continue
                bound = (f">= {rl.min:.2f}" if rl.min is not None else "") + (
                    f"<= {rl.max:.2f}" if rl.max is not None else "")
                crossed = not rl.allows(rnd.text[issue.id])
                limits.append(f"{a} {bound}{' CROSSED' if crossed else ''}")
        rows.append((issue.name, rnd.draft[issue.id], rnd.text[issue.id], "; ".join(limits)))
    say(f"{names(rnd.mediators)} drafted the text below, each issue on a scale from 0 to 1 "
        "(the scenario file says what the ends mean); 'text' is the final text, after any "
        "amendment.", 2)
    w = max(len(r[0]) for r in rows)
    print(f"    {'issue':{w}}  draft   text   parties' red lines")
    for name, draft, text, limits in rows:
        print(f"    {name:{w}}  {draft:5.2f}  {text:5.2f}   {limits}".rstrip())
    for issue in scenario.issues:
        for a in rnd.participants:
            for rl in actors[a].red_lines:
                if rl.issue == issue.id and not rl.allows(rnd.text[issue.id]):
                    need = (f"at least {rl.min:.2f}" if rl.min is not None
                            else f"at most {rl.max:.2f}")
                    say(f"{issue.name}: the text stands at {rnd.text[issue.id]:.2f}, where "
                        f"{a} needs {need} (0: {issue.low}; 1: {issue.high}).", 4)
    for a in rnd.participants:
        who = actors[a].name
        choice, signed = rnd.choices[a], rnd.decisions[a] == "sign"
        if choice == "reject":
            act = "rejected the draft outright"
        elif choice == "time":
            act = "asked for time"
            act += "; once the mediators had amended the draft, it signed" if signed else (
                "; it then left without signing the amended text")
        elif rnd.amended:
            act = "was ready to sign; after the amendment it " + (
                "signed the new text" if signed else "did not sign it")
        else:
            act = "signed the draft"
        say(f"{a}, {who}, {act}.", 2)
        own = stance(result, a)
        patrons = [p.id for p in scenario.actors if any(b.client == a for b in p.backs)]
        lobby = ", ".join(f"{p} {stance(result, p) + 0.0:+.2f}" for p in patrons)
        say(f"The text is worth {own:+.2f} per period to it over fighting on; "
            + (f"its patrons lobby with their own gains from it ({lobby}), weighted by "
               "their leverage, " if patrons else "")
            + f"so its margin for signing is {rnd.margins[a]:+.2f}.", 4)
        if not signed and last:
            reason = next((part.partition(": ")[2]
                           for part in result.binding_constraint.split(" | ")
                           if part.startswith(f"{a}: ")), "")
            if reason:
                say(f"Why {a} did not sign: {reason}.", 4)
    signers = rnd.signatories
    others = [a for a in rnd.participants if a not in signers]
    if not others:
        say(f"Everyone signed: {names(signers)}.", 2)
    elif signers:
        say(f"A partial signature: {names(signers)} signed, {names(others)} did not.", 2)
    else:
        say("Nobody signed.", 2)
    if not last:
        say("A later round decides: only the last mediated round's signatures count.", 2)


def tell_conference(scenario: negsim.Scenario, rnd: ConferenceResult) -> None:
    entry = next(e for e in scenario.timeline if e.id == rnd.id)
    by_id = {c.id: c for c in scenario.commitments}
    print(f"\n{rnd.id.upper()}, {when(entry.date, entry.end)}")
    say(f"{entry.description}.", 2)
    for cid, by_power in rnd.commitments.items():
        yes = [a for a, v in by_power.items() if v]
        no = [a for a, v in by_power.items() if not v]
        eq = [a for a, v in rnd.equilibrium[cid].items() if v]
        if yes and no:
            who = f"{names(yes)} committed; {names(no)} did not"
        elif yes:
            who = "every power committed" if len(yes) > 1 else f"{yes[0]} committed"
        else:
            who = "nobody committed"
        say(f"{by_id[cid].name}: {who} (the selected equilibrium of the commitment game has "
            f"{names(eq) + ' committing' if eq else 'nobody committing'}; actual choices are "
            "logit responses to it).", 2)


def tell_compliance(result: RunResult) -> None:
    comp = result.compliance
    print("\nDOES THE CEASEFIRE HOLD?")
    signed_all = result.outcome in ("signed_and_holds", "signed_but_fragile")
    mediated = [r for r in result.rounds if isinstance(r, MediatedRoundResult)]
    signers = mediated[-1].signatories if mediated else ()
    partly = f"Only {names(signers)} signed" if signers else "Nobody signed"
    if not mediated or any(math.isnan(v) for v in mediated[-1].text.values()):
        say("There is no text to keep: the war goes on. (The compliance game below is "
            "that of the status quo.)", 2)
        margins = ", ".join(f"{p} {comp.margins[p] + 0.0:+.3f}" for p in comp.players)
        say(f"Per-period margins for keeping the status quo: {margins}.", 2)
        print(f"\nOUTCOME: {result.outcome.replace('_', ' ')}")
        say(f"Binding constraint: {result.binding_constraint}.", 2)
        return
    breaks = ("no party, and no group of parties acting together, gains by breaking the "
              "ceasefire or the arms embargo, counting the war that would follow")
    if comp.holds:
        verdict = f"Yes: {breaks}." if signed_all else (
            f"{partly}, so no agreement binds the parties. Had everyone signed this text, "
            f"it would hold: {breaks}.")
    else:
        verdict = f"No: {comp.binding}." if signed_all else (
            f"{partly}, so no agreement binds the parties; and even had everyone signed, "
            f"it would not hold: {comp.binding}.")
    say(verdict, 2)
    margins = ", ".join(f"{p} {comp.margins[p] + 0.0:+.3f}" for p in comp.players)
    say(f"Each player's per-period margin for keeping the text rather than breaking it "
        f"alone (positive: keeping pays): {margins}.", 2)
    print(f"\nOUTCOME: {result.outcome.replace('_', ' ')}")
    say(f"Binding constraint: {result.binding_constraint}.", 2)
    if result.held is not None:
        say("The compliance game above is the text's stationary verdict; whether the "
            "ceasefire in force actually lasts is played out month by month below.", 2)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    scenario = negsim.load_scenario(args.scenario)
    model = negsim.NegotiationModel(scenario, rng=np.random.SeedSequence([args.seed, args.run]))
    result = model.run()
    say(f"{scenario.title}: run {args.run} of seed {args.seed}, played as a Mesa model "
        f"({len(scenario.actors)} actors, {len(scenario.issues)} "
        f"issue{'s' if len(scenario.issues) != 1 else ''}).")
    events = [e for e in scenario.timeline if e.kind == "event"]
    if events:
        print("\nBEFORE AND AROUND THE TALKS")
        for e in events:
            say(f"{when(e.date, e.end)}: {e.description}.", 2)
    mediated = [r for r in result.rounds if isinstance(r, MediatedRoundResult)]
    for rnd in result.rounds:
        if isinstance(rnd, MediatedRoundResult):
            tell_mediated(scenario, result, rnd, last=rnd is mediated[-1])
        elif isinstance(rnd, ConferenceResult):
            tell_conference(scenario, rnd)
    tell_compliance(result)
    for rnd in result.rounds:
        if isinstance(rnd, ImplementationResult):
            tell_months_after(scenario, rnd)
    return 0


def tell_months_after(scenario: negsim.Scenario, rnd: ImplementationResult) -> None:
    entry = next(e for e in scenario.timeline if e.id == rnd.id)
    print(f"\n{rnd.id.upper()}, THE {rnd.horizon} MONTHS FROM {when(entry.date, None)}")
    say(f"{entry.description}.", 2)
    for line in rnd.story():
        say(line.strip(), 2)


if __name__ == "__main__":
    raise SystemExit(main())
