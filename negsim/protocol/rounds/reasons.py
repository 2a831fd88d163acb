"""Who broke the deal in an implementation phase and why, in the scenario's words.

The reason codes of :mod:`negsim.protocol.rounds.implementation` (a side at war striking,
a party leaving) and their sentences. A party's reasons name its choices in its own words
(``[actors.ID.words]``) or the scenario's (``[words]``): "exceeding the enrichment cap is
worth more to it than keeping within the enrichment cap".

A side at war is told in the same words when it names its own choice, or when the
scenario's ``[words]`` name one: "B: shelling across the border first gains more than
holding fire and its patrons' pressure", "A: it expects the other side to shell across the
border first". It "strikes" only when the words add nothing to "breaking the deal": the
scenario's ``break`` is ``"break "`` followed by its ``deal`` (the defaults, "break the
agreement"; Libya's "break the ceasefire"), where striking is the more telling verb for a
war (:func:`told_as_striking`). A faction of a side (:mod:`negsim.protocol.rounds.factions`)
is told as its leader is (:func:`names_the_choice`).

What breaking costs a side at war is named by its sources in the scenario
(:func:`negsim.protocol.structure.break_cost_sources`): its patrons' pressure, the costs of
its own commitments, the mediators' guarantee.
"""

from __future__ import annotations

from typing import Any

from negsim.protocol.structure import Structure
from negsim.scenario.words import gerund

__all__ = ["names_the_choice", "reason_words", "told_as_striking"]

#: The reason codes of a break (the order of the checks: see the implementation kind).
CHANCE, WORSE, OPTIMISM, STRUCK, DECLINE, STRIKE, QUIT, QUIT_CHANCE = range(8)
#: A participant that did not renew a deal with a term (:mod:`negsim.protocol.rounds.terms`).
LAPSE, LAPSE_WAR, LAPSE_CHANCE = 8, 9, 10
#: Each reason code's sentence (``{a}`` the actor, ``{deal}``, ``{brk}``, ``{breaking}``,
#: ``{keeping}``, ``{costs}``: the deal and what breaking costs the actor, ``{keeping_costs}``:
#: the same after keeping it, ``{other}``: the scenario's ``break`` phrase).
REASONS = {
    CHANCE: "{a}: struck although striking was worth less than {deal} (logit choice)",
    WORSE: "{a}: the terms in force are worth less to it than fighting on",
    OPTIMISM: "{a}: it overestimates its chance of winning",
    STRUCK: "{a}: it expects the other side to strike first",
    DECLINE: "{a}: it expects the balance of power to shift against it",
    STRIKE: "{a}: striking first gains more than {costs}",
    QUIT: "{a}: {breaking} is worth more to it than {keeping}",
    QUIT_CHANCE: "{a}: it chose to {brk} although {keeping} was worth more to it (logit choice)",
    LAPSE: "{a} did not renew {deal}: another term is worth less to it than {breaking}",
    LAPSE_WAR: "{a} did not renew {deal}: another term is worth less to it than fighting on",
    LAPSE_CHANCE: "{a} did not renew {deal} although another term was worth more to it "
                  "(logit choice)",
}
# A side at war told in words: its own ([actors.ID.words]) or the scenario's ([words], when
# they name the choice: see told_as_striking); STRUCK follows the scenario's words only.
IN_WORDS = {
    CHANCE: REASONS[QUIT_CHANCE],
    STRIKE: "{a}: {breaking} first gains more than {keeping_costs}",
    STRUCK: "{a}: it expects the other side to {other} first",
}


def told_as_striking(words: Any) -> bool:
    """Whether a scenario's ``[words]`` leave a side at war to be told as striking.

    They do when their ``break`` phrase is ``"break "`` followed by the ``deal``: the
    defaults ("break the agreement") and Libya's ("break the ceasefire") say no more than
    breaking the deal, and a side at war breaks it by striking. Any other phrase ("shell
    across the border", "halt the grain corridor") names the choice, and every reason about
    a side's choice to break uses it.

    Examples
    --------
    >>> from negsim.scenario.words import Words
    >>> told_as_striking(Words()), told_as_striking(Words(deal="the ceasefire",
    ...                                                  break_="break the ceasefire"))
    (True, True)
    >>> told_as_striking(Words(deal="the truce", break_="shell across the border"))
    False
    """
    return bool(words.break_ == f"break {words.deal}")


def names_the_choice(st: Structure, scenario: Any, actor: int) -> bool:
    """Whether the reasons of ``actor`` (or of its factions) name its choice to break.

    They do when it names its own choice (``[actors.ID.words]``) or the scenario's
    ``[words]`` name one (:func:`told_as_striking`); otherwise a side at war, and each of
    its factions, "strikes". The phrase is then ``st.actor_break[actor]``.

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.structure import structure
    >>> s = negsim.load_scenario("libya-2020")
    >>> names_the_choice(structure(s), s, 1)  # the LNA strikes
    False
    >>> j = negsim.load_scenario("jcpoa-2015")
    >>> names_the_choice(structure(j), j, 0)
    True
    """
    return bool(st.own_words[actor]) or not told_as_striking(scenario.words)


def _with(first: str, costs: tuple[str, ...]) -> str:
    """Return ``first`` and the costs as a list: "the ceasefire and its patrons' pressure"."""
    items = [first, *costs]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def reason_words(st: Structure, scenario: Any, actor: int, code: int) -> str:
    """Return who broke the deal and why, in the scenario's words.

    A party's reasons name its choices in its own words (``[actors.ID.words]``) or the
    scenario's (``[words]``); a side at war "strikes" unless it names its own choice or the
    scenario's words name one (:func:`told_as_striking`). What breaking costs it is named
    by its sources (``st.break_costs``; without them, its patrons' pressure).

    Examples
    --------
    >>> import negsim
    >>> from negsim.protocol.structure import structure
    >>> s = negsim.load_scenario("libya-2020")
    >>> reason_words(structure(s), s, 1, STRIKE)
    "LNA: striking first gains more than the ceasefire and its patrons' pressure"
    >>> j = negsim.load_scenario("jcpoa-2015")
    >>> reason_words(structure(j), j, 0, QUIT)
    'Iran: exceeding the enrichment cap is worth more to it than keeping within the enrichment cap'
    >>> reason_words(structure(j), j, 1, LAPSE)
    'USA did not renew the nuclear deal: another term is worth less to it than reimposing ...'
    """
    brk, keep = st.actor_break[actor], st.actor_keep[actor]
    words = scenario.words
    if code == STRUCK:  # the other side's choice: in the scenario's words, if they name it
        text = REASONS[STRUCK] if told_as_striking(words) else IN_WORDS[STRUCK]
    elif names_the_choice(st, scenario, actor):
        text = IN_WORDS.get(code, REASONS[code])
    else:
        text = REASONS[code]
    costs = st.break_costs[actor] if st.break_costs else ("its patrons' pressure",)
    return text.format(a=st.actor_ids[actor], deal=words.deal, brk=brk,
                       breaking=gerund(brk), keeping=gerund(keep),
                       costs=_with(words.deal, costs), keeping_costs=_with(gerund(keep), costs),
                       other=words.break_)
