"""Immutable results of one negotiation run and of a deal analysis.

The result types of single rounds belong to their round kinds
(:class:`~negsim.protocol.rounds.mediated.MediatedRoundResult`,
:class:`~negsim.protocol.rounds.conference.ConferenceResult`) and are re-exported here.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from negsim._frozen import FrozenMap
from negsim._tables import html_card, html_table, shorten
from negsim.protocol.rounds import ConferenceResult, MediatedRoundResult

__all__ = [
    "ComplianceResult",
    "ConferenceResult",
    "DealAnalysis",
    "FrozenMap",
    "MediatedRoundResult",
    "PhaseVerdict",
    "RunResult",
]


@dataclass(frozen=True)
class ComplianceResult:
    """Whether the text in force holds (see :mod:`negsim.protocol.compliance`).

    Attributes
    ----------
    players : tuple of str
        Belligerents then patrons.
    is_nash, is_strong : bool
        Stage-game Nash and strong Nash at the all-comply profile.
    holds : bool
        No unilateral or joint deviation is profitable in the repeated game.
    margins : FrozenMap
        Per player, the per-period repeated-game margin of complying over deviating alone.
    critical_discount : FrozenMap
        Per player, the smallest discount factor at which complying is sustainable alone.
    profitable_coalitions : tuple of tuple of str
        Coalitions whose joint deviation profits every member in the stage game.
    binding : str
        The binding deviation in words, or ``"none"``.

    Examples
    --------
    >>> import negsim
    >>> c = negsim.analyze(negsim.load_scenario("libya-2020")).compliance  # the status quo
    >>> c.players
    ('GNA', 'LNA', 'Russia', 'Turkey', 'Egypt', 'UAE')
    >>> c.is_nash, c.holds, c.binding, c.critical_discount["LNA"]
    (True, True, 'none', 0.0)
    """

    players: tuple[str, ...]
    is_nash: bool
    is_strong: bool
    holds: bool
    margins: FrozenMap
    critical_discount: FrozenMap
    profitable_coalitions: tuple[tuple[str, ...], ...]
    binding: str


@dataclass(frozen=True)
class RunResult:
    """The result of one run of :class:`negsim.NegotiationModel`.

    Attributes
    ----------
    scenario_id : str
    parameters : FrozenMap
        The sampled value of every uncertain parameter (dotted path -> value).
    rounds : tuple
        One result per round that has one (a :class:`MediatedRoundResult`, a
        :class:`ConferenceResult` or the result type of another round kind), in order.
    compliance : ComplianceResult
    outcome : str
        ``signed_and_holds``, ``signed_but_fragile``, ``partial_signature`` or
        ``no_agreement``.
    binding_constraint : str
        Why the run ended as it did, in words (``"none"`` if the deal was signed and holds).
    utilities, outside_options : FrozenMap
        Every actor's utility for the final text and its outside option.
    held : bool or None
        With an implementation phase, whether the ceasefire held to its horizon.

    Examples
    --------
    >>> import negsim, numpy as np
    >>> s = negsim.load_scenario("libya-2020")
    >>> r = negsim.NegotiationModel(s, rng=np.random.SeedSequence([3, 1])).run()
    >>> r.outcome
    'partial_signature'
    >>> r.binding_constraint
    'LNA: no deal that leaves the GNA-Turkey security agreement in force'
    >>> [x.id for x in r.rounds]
    ['moscow', 'berlin', 'aftermath']
    >>> r == negsim.NegotiationModel(s, rng=np.random.SeedSequence([3, 1])).run()
    True
    >>> r
    RunResult(scenario_id='libya-2020', outcome='partial_signature', holds=True,
              rounds=['moscow', 'berlin', 'aftermath'])
    """

    scenario_id: str
    parameters: FrozenMap
    rounds: tuple[Any, ...]
    compliance: ComplianceResult
    outcome: str
    binding_constraint: str
    utilities: FrozenMap
    outside_options: FrozenMap
    held: bool | None = None
    deal: str = "the agreement"
    breaking: str = "breaking the agreement"

    def __repr__(self) -> str:
        return (f"RunResult(scenario_id={self.scenario_id!r}, outcome={self.outcome!r}, "
                f"holds={self.holds}, rounds={[r.id for r in self.rounds]})")

    def _repr_html_(self) -> str:
        fields = [("outcome", self.outcome.replace("_", " ")), ("holds", self.holds),
                  ("binding constraint", shorten(self.binding_constraint, 200)),
                  ("rounds", ", ".join(r.id for r in self.rounds))]
        table = html_table(
            ["actor", "utility of the text", "outside option"],
            [[a, round(float(u), 4),
              None if a not in self.outside_options else round(float(self.outside_options[a]), 4)]
             for a, u in self.utilities.items()], caption="Utilities")
        return html_card(f"Run of {self.scenario_id}", fields, table)

    @property
    def holds(self) -> bool:
        """Whether the text in force holds.

        With an implementation phase, whether the ceasefire still held at its horizon
        (:attr:`held`); without one, whether the compliance game says it holds
        (:attr:`ComplianceResult.holds`).

        Examples
        --------
        >>> import negsim, numpy as np
        >>> s = negsim.load_scenario("libya-2020")
        >>> r = negsim.NegotiationModel(s, rng=np.random.SeedSequence([3, 1])).run()
        >>> r.holds, r.outcome  # the LNA did not sign, but the text would hold
        (True, 'partial_signature')
        """
        return self.compliance.holds if self.held is None else self.held

    def round(self, round_id: str) -> Any:
        """Return the result of the round with this timeline id.

        Raises
        ------
        KeyError
            If no round has this id (events are not rounds).

        Examples
        --------
        >>> import negsim
        >>> r = negsim.NegotiationModel(negsim.load_scenario("libya-2020"), rng=1).run()
        >>> type(r.round("berlin")).__name__
        'ConferenceResult'
        >>> r.round("sirte")
        Traceback (most recent call last):
        ...
        KeyError: "no round 'sirte'; rounds: ['moscow', 'berlin', 'aftermath']"
        """
        for r in self.rounds:
            if r.id == round_id:
                return r
        raise KeyError(f"no round {round_id!r}; rounds: {[r.id for r in self.rounds]}")

    def to_row(self) -> dict[str, Any]:
        """Flatten to the column layout of :func:`negsim.sim.engine.simulate_runs`.

        The engine adds ``run`` and ``seed``; every other column has the same name and, for
        run ``i`` of root seed ``s`` (``rng=SeedSequence([s, i])``), the same value.

        Examples
        --------
        >>> import negsim, numpy as np
        >>> s = negsim.load_scenario("libya-2020")
        >>> row = negsim.NegotiationModel(s, rng=np.random.SeedSequence([1, 4])).run().to_row()
        >>> from negsim.sim.engine import simulate_runs
        >>> df = simulate_runs(s, 1, [4])
        >>> sorted(set(df.columns) - set(row))
        ['run', 'seed']
        >>> all(df[c].iloc[0] == row[c] for c in row)
        True
        """
        row: dict[str, Any] = dict(self.parameters)
        for r in self.rounds:
            row.update(r.columns())
        row["outcome"] = self.outcome
        row["holds"] = self.holds
        row["compliance.holds"] = self.compliance.holds
        row["is_nash"] = self.compliance.is_nash
        row["is_strong"] = self.compliance.is_strong
        for a in self.compliance.players:
            row[f"compliance.{a}.margin"] = self.compliance.margins[a]
            row[f"compliance.{a}.critical_discount"] = self.compliance.critical_discount[a]
        for a, v in self.utilities.items():
            row[f"utility.{a}"] = v
        for a, v in self.outside_options.items():
            row[f"outside_option.{a}"] = v
        row["binding_constraint"] = self.binding_constraint
        return row

    def story(self, width: int = 88) -> str:
        """Tell the run in plain words.

        Who did what in each round, why the non-signers did not sign, whether the text
        holds and what breaks it; lines are wrapped at ``width`` characters.

        Examples
        --------
        >>> import negsim, numpy as np
        >>> s = negsim.load_scenario("libya-2020")
        >>> print(negsim.NegotiationModel(s, rng=np.random.SeedSequence([3, 1])).run().story())
        moscow: Russia and Turkey drafted a text for GNA and LNA.
          GNA asked for time; it then signed the amended text (signing margin +0.601).
          LNA asked for time; it then did not sign the amended text (signing margin +0.856).
          The mediators amended the draft for GNA and LNA.
          LNA did not sign: no deal that leaves the GNA-Turkey security agreement in force.
          Signed: GNA. Did not sign: LNA.
        berlin: Russia, Turkey, Egypt and UAE decided on 3 commitments.
          arms_embargo: Egypt and UAE committed; Russia and Turkey did not.
          ceasefire_support: Russia and Turkey committed; Egypt and UAE did not.
          military_committee: Russia and Turkey committed; Egypt and UAE did not.
        aftermath: the ceasefire held for 24 months.
          Russia delivered arms in 10 of 24 months (2 detected).
          Turkey delivered arms in 11 of 24 months (5 detected).
          Egypt delivered arms in 8 of 24 months (3 detected).
          UAE delivered arms in 16 of 24 months (3 detected).
        Does the ceasefire hold? Yes, to the horizon (24 months).
        Outcome: partial signature.
        Binding constraint: LNA: no deal that leaves the GNA-Turkey security agreement in force.
        """
        lines = [line for _, told in self.round_stories() for line in told] + self.verdict()
        out = []
        for line in lines:
            indent = " " * (len(line) - len(line.lstrip()))
            out.extend(textwrap.wrap(line, width, initial_indent="", subsequent_indent=indent
                                     + "  ", break_on_hyphens=False) or [""])
        return "\n".join(out)

    def round_stories(self) -> list[tuple[str, list[str]]]:
        """Each round's id and the lines that tell it, unwrapped (the body of :meth:`story`).

        The round whose signatures decide the outcome (the last that puts a text to
        signature) also says why its non-signers did not sign.

        Examples
        --------
        >>> import negsim, numpy as np
        >>> s = negsim.load_scenario("libya-2020")
        >>> res = negsim.NegotiationModel(s, rng=np.random.SeedSequence([3, 1])).run()
        >>> [rid for rid, _ in res.round_stories()]
        ['moscow', 'berlin', 'aftermath']
        >>> res.round_stories()[0][1][0]
        'moscow: Russia and Turkey drafted a text for GNA and LNA.'
        """
        reasons: dict[str, str] = {}
        for part in self.binding_constraint.split(" | "):
            actor, sep, why = part.partition(": ")
            if sep:
                reasons[actor] = why
        last = self._deciding_round()
        return [(r.id, list(r.story(reasons if r is last else {}))) for r in self.rounds]

    def verdict(self) -> list[str]:
        """Return the last lines of :meth:`story`: does the deal hold, outcome, constraint.

        Examples
        --------
        >>> import negsim, numpy as np
        >>> s = negsim.load_scenario("libya-2020")
        >>> res = negsim.NegotiationModel(s, rng=np.random.SeedSequence([3, 1])).run()
        >>> res.verdict()[1]
        'Outcome: partial signature.'
        """
        return [self._verdict_words(self._deciding_round()),
                f"Outcome: {self.outcome.replace('_', ' ')}.",
                f"Binding constraint: {self.binding_constraint}."]

    def _deciding_round(self) -> Any:
        """Return the last round that puts a text to signature, or None."""
        texts = [r for r in self.rounds if getattr(r, "signs_text", False)]
        return texts[-1] if texts else None

    def _verdict_words(self, last: Any) -> str:
        if self.held is not None:
            phase = [r for r in self.rounds if hasattr(r, "broke")][-1]
            terms = getattr(phase, "terms", None)
            if self.held and terms is not None and terms.expired:
                return (f"Does {self.deal} hold? Yes, to the end of its last term (month "
                        f"{terms.term.end}).")
            if self.held:
                return f"Does {self.deal} hold? Yes, to the horizon ({phase.horizon} months)."
            return f"Does {self.deal} hold? No, it broke in month {phase.duration}."
        if last is None or not last.has_text:
            return "Does the text hold? There is no text."
        why = f"no party or group of parties gains by {self.breaking}"
        if self.outcome in ("signed_and_holds", "signed_but_fragile"):
            if self.compliance.holds:
                return f"Does the text hold? Yes: {why}."
            return f"Does the text hold? No: {self.compliance.binding}."
        if self.compliance.holds:
            return f"Does the text hold? Had everyone signed, it would: {why}."
        return f"Does the text hold? Even had everyone signed, no: {self.compliance.binding}."


@dataclass(frozen=True)
class PhaseVerdict:
    """Whether a deal in force holds through an implementation phase (many plays of it).

    Attributes
    ----------
    entry : str
        The implementation entry of the timeline.
    horizon : int
        Its horizon, in months.
    runs, seed : int
        How many times the phase was played, and the root seed of its draws.
    probability : float
        Share of plays in which the deal still held at the horizon.
    holds_at : FrozenMap
        Month -> share of plays in which it still held after that many months (1, 3, 6,
        12 and the horizon, within the horizon).
    broken_by, reasons : tuple of (str, float)
        Who broke it first, and who broke it and why (in words), with the share of plays,
        most frequent first (at most five).

    Examples
    --------
    >>> v = PhaseVerdict("after", 6, 100, 0, 0.9, FrozenMap({1: 1.0, 3: 0.95, 6: 0.9}),
    ...                  (("LNA", 0.1),), (("LNA: it overestimates its chance", 0.1),))
    >>> v.lines()[0]
    'Does it hold? In 90.0% of 100 plays of after, to the horizon (6 months).'
    """

    entry: str
    horizon: int
    runs: int
    seed: int
    probability: float
    holds_at: FrozenMap
    broken_by: tuple[tuple[str, float], ...]
    reasons: tuple[tuple[str, float], ...]

    def lines(self) -> list[str]:
        """Return the verdict in lines of words.

        Examples
        --------
        >>> v = PhaseVerdict("after", 3, 10, 0, 0.8, FrozenMap({1: 0.9, 3: 0.8}),
        ...                  (("LNA", 0.2),), (("LNA: why", 0.2),))
        >>> for line in v.lines()[1:]:
        ...     print(line)
        Still holding after 1 month: 90.0%, 3 months: 80.0%.
        Broken by LNA: why: 20.0% of plays.
        """
        out = [f"Does it hold? In {self.probability:.1%} of {self.runs:,} plays of "
               f"{self.entry}, to the horizon ({self.horizon} months)."]
        out.append("Still holding after " + ", ".join(
            f"{m} month{'s' if m > 1 else ''}: {v:.1%}" for m, v in self.holds_at.items()) + ".")
        out += [f"Broken by {r}: {v:.1%} of plays." for r, v in self.reasons]
        return out


@dataclass(frozen=True)
class DealAnalysis:
    """Analysis of a given deal without simulation (:func:`negsim.analyze`).

    Attributes
    ----------
    text : FrozenMap
        The deal, issue id -> position.
    utilities, outside_options, margins : FrozenMap
        Per actor: utility of the deal, outside option, and effective signing margin
        (including patrons' lobbying).
    red_lines_violated : FrozenMap
        Per actor, the descriptions of the red lines the deal violates.
    would_sign : FrozenMap
        Per belligerent: no red line violated and a positive margin.
    compliance : ComplianceResult
        Whether the deal holds in the one-shot compliance game (with the given
        commitments).
    implementation : PhaseVerdict or None
        With an implementation phase in the timeline, whether the deal, put in force, holds
        through it (what ``holds`` means in :func:`negsim.simulate`); None without one.
    transfers : FrozenMap
        With side payments among the inducements of the scenario's last mediated round:
        the transfer per period its mediators offer each participant on the deal
        (included in ``margins``); empty without side payments.

    Examples
    --------
    The status quo (no deadline, Turkish forces stay, the agreement stands) crosses all
    three red lines of the LNA:

    >>> import negsim
    >>> a = negsim.analyze(negsim.load_scenario("libya-2020"))
    >>> len(a.red_lines_violated["LNA"]), a.red_lines_violated["GNA"]
    (3, ())
    >>> a.would_sign["LNA"]
    False
    """

    text: FrozenMap
    utilities: FrozenMap
    outside_options: FrozenMap
    margins: FrozenMap
    red_lines_violated: FrozenMap
    would_sign: FrozenMap
    compliance: ComplianceResult
    implementation: PhaseVerdict | None = None
    transfers: FrozenMap = field(default_factory=lambda: FrozenMap({}))

    @property
    def probability_holds(self) -> float:
        """P(the deal holds once in force), as :func:`negsim.simulate` means it.

        With an implementation phase, the share of its plays in which the deal still held
        at the horizon; without one, 1.0 or 0.0 from the compliance game.

        Examples
        --------
        >>> import negsim
        >>> a = negsim.analyze(negsim.load_scenario("libya-2020"), runs=200)
        >>> a.probability_holds == a.implementation.probability
        True
        """
        if self.implementation is not None:
            return self.implementation.probability
        return float(self.compliance.holds)

    @property
    def holds(self) -> bool:
        """Whether the deal holds in the compliance game (:attr:`ComplianceResult.holds`).

        See :attr:`probability_holds` for the implementation phase's verdict.

        Examples
        --------
        >>> import negsim
        >>> negsim.analyze(negsim.load_scenario("libya-2020")).holds  # the status quo
        True
        """
        return self.compliance.holds
