"""Who broke the deal in an implementation phase and why, in the scenario's words.

The reason codes of :mod:`negsim.protocol.rounds.implementation` (a side at war striking,
a party leaving) and their sentences. A party's reasons name its choices in its own words
(``[actors.ID.words]``) or the scenario's (``[words]``): "exceeding the enrichment cap is
worth more to it than keeping within the enrichment cap". A side at war "strikes", as in
Libya's stories, unless it names its own choice.
"""

from __future__ import annotations

from typing import Any

from negsim.protocol.structure import Structure
from negsim.scenario.words import gerund

__all__ = ["reason_words"]

#: The reason codes of a break (the order of the checks: see the implementation kind).
CHANCE, WORSE, OPTIMISM, STRUCK, DECLINE, STRIKE, QUIT, QUIT_CHANCE = range(8)
#: A participant that did not renew a deal with a term (:mod:`negsim.protocol.rounds.terms`).
LAPSE, LAPSE_WAR, LAPSE_CHANCE = 8, 9, 10
#: Each reason code's sentence (``{a}`` the actor, ``{deal}``, ``{brk}``, ``{breaking}``,
#: ``{keeping}``).
REASONS = {
    CHANCE: "{a}: struck although striking was worth less than {deal} (logit choice)",
    WORSE: "{a}: the terms in force are worth less to it than fighting on",
    OPTIMISM: "{a}: it overestimates its chance of winning",
    STRUCK: "{a}: it expects the other side to strike first",
    DECLINE: "{a}: it expects the balance of power to shift against it",
    STRIKE: "{a}: striking first gains more than {deal} and its patrons' pressure",
    QUIT: "{a}: {breaking} is worth more to it than {keeping}",
    QUIT_CHANCE: "{a}: it chose to {brk} although {keeping} was worth more to it (logit choice)",
    LAPSE: "{a} did not renew {deal}: another term is worth less to it than {breaking}",
    LAPSE_WAR: "{a} did not renew {deal}: another term is worth less to it than fighting on",
    LAPSE_CHANCE: "{a} did not renew {deal} although another term was worth more to it "
                  "(logit choice)",
}
# A side at war that names its own choice ([actors.ID.words]) is told in its words.
OWN_WORDS = {
    CHANCE: REASONS[QUIT_CHANCE],
    STRIKE: "{a}: {breaking} first gains more than {keeping} and its patrons' pressure",
}


def reason_words(st: Structure, scenario: Any, actor: int, code: int) -> str:
    """Return who broke the deal and why, in the scenario's words.

    A party's reasons name its choices in its own words (``[actors.ID.words]``) or the
    scenario's (``[words]``); a side at war "strikes" unless it names its own choice.

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
    text = OWN_WORDS.get(code, REASONS[code]) if st.own_words[actor] else REASONS[code]
    return text.format(a=st.actor_ids[actor], deal=scenario.words.deal, brk=brk,
                       breaking=gerund(brk), keeping=gerund(keep))
