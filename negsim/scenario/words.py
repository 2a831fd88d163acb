"""The words a scenario gives its deal and its compliance choices (``[words]``).

Every printed or plotted sentence about a compliance choice uses them, so that a grain deal
speaks of "suspending participation" and a ceasefire of "breaking the ceasefire". The verb
phrases are written in the base form (``"break the ceasefire"``); :func:`third_person`
and :func:`gerund` inflect their first word (``"breaks the ceasefire"``, ``"breaking the
ceasefire"``) by the regular rules of English spelling.

Examples
--------
>>> w = Words(deal="the ceasefire", keep="keep the ceasefire", break_="break the ceasefire",
...           holds="the ceasefire holds", breaks="fighting resumes")
>>> w.breaking, w.third("break")
('breaking the ceasefire', 'breaks the ceasefire')
>>> Words().holds
'the agreement holds'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

__all__ = [
    "ACTOR_WORD_KEYS",
    "WORD_KEYS",
    "ActorWords",
    "Words",
    "gerund",
    "read_actor_words",
    "read_words",
    "third_person",
    "word_rows",
]

WORD_KEYS = ("deal", "keep", "break", "holds", "breaks")
"""The keys of ``[words]``, in the order they are written."""

ACTOR_WORD_KEYS = ("keep", "break")
"""The keys of ``[actors.ID.words]``: how one actor names its own compliance choice."""

_VOWELS = "aeiou"


def third_person(phrase: str) -> str:
    """Return a verb phrase with its first word in the third person singular.

    Examples
    --------
    >>> third_person("break the ceasefire"), third_person("exceed the cap")
    ('breaks the ceasefire', 'exceeds the cap')
    >>> third_person("pass a law"), third_person("deny access"), third_person("go home")
    ('passes a law', 'denies access', 'goes home')
    """
    verb, _, rest = phrase.partition(" ")
    if re.search(r"(s|sh|ch|x|z|o)$", verb):
        verb += "es"
    elif re.search(r"[^aeiou]y$", verb):
        verb = verb[:-1] + "ies"
    else:
        verb += "s"
    return f"{verb} {rest}".rstrip()


def gerund(phrase: str) -> str:
    """Return a verb phrase with its first word in the ``-ing`` form.

    Examples
    --------
    >>> gerund("break the ceasefire"), gerund("leave the deal"), gerund("stop payments")
    ('breaking the ceasefire', 'leaving the deal', 'stopping payments')
    >>> gerund("exceed the enrichment cap"), gerund("see it"), gerund("tie up")
    ('exceeding the enrichment cap', 'seeing it', 'tying up')
    """
    verb, _, rest = phrase.partition(" ")
    if verb.endswith("ie"):
        verb = verb[:-2] + "ying"
    elif verb.endswith("e") and not re.search(r"(ee|ye|oe)$", verb) and len(verb) > 2:
        verb = verb[:-1] + "ing"
    elif re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", verb):
        verb = verb + verb[-1] + "ing"
    else:
        verb += "ing"
    return f"{verb} {rest}".rstrip()


@dataclass(frozen=True, slots=True)
class Words:
    """The names of the deal and of its compliance choices.

    Attributes
    ----------
    deal : str
        A noun phrase: ``"the agreement"``.
    keep, break_ : str
        Verb phrases in the base form: ``"keep the agreement"``, ``"break the agreement"``
        (``break`` in the file).
    holds, breaks : str
        Sentences: ``"the agreement holds"``, ``"the agreement breaks down"``.

    Examples
    --------
    >>> Words().breaks, Words().is_default
    ('the agreement breaks down', True)
    """

    deal: str = "the agreement"
    keep: str = "keep the agreement"
    break_: str = "break the agreement"
    holds: str = "the agreement holds"
    breaks: str = "the agreement breaks down"

    @property
    def is_default(self) -> bool:
        """Whether every word is the default."""
        return self == Words()

    @property
    def breaking(self) -> str:
        """The break phrase in the ``-ing`` form: ``"breaking the agreement"``."""
        return gerund(self.break_)

    def third(self, which: str) -> str:
        """Return the ``keep`` or ``break`` phrase in the third person: ``"breaks the agreement"``.

        Examples
        --------
        >>> Words().third("keep")
        'keeps the agreement'
        """
        return third_person(self.keep if which == "keep" else self.break_)

    def sentence(self, which: str) -> str:
        """Return ``holds`` or ``breaks`` with a capital first letter (to start a sentence).

        Examples
        --------
        >>> Words(holds="fighting stops").sentence("holds")
        'Fighting stops'
        """
        text = self.holds if which == "holds" else self.breaks
        return text[:1].upper() + text[1:]

    def _to_dict(self) -> dict[str, Any]:
        default = Words()
        out: dict[str, Any] = {}
        for f, key in zip(fields(self), WORD_KEYS, strict=True):
            if getattr(self, f.name) != getattr(default, f.name):
                out[key] = getattr(self, f.name)
        return out


@dataclass(frozen=True, slots=True)
class ActorWords:
    """How one actor names its own compliance choice (``[actors.ID.words]``).

    ``None`` where the actor names none: its sentences then use the scenario's ``[words]``
    (:meth:`phrase`).

    Attributes
    ----------
    keep, break_ : str or None
        Verb phrases in the base form: ``"keep within the enrichment cap"``,
        ``"exceed the enrichment cap"`` (``break`` in the file).

    Examples
    --------
    >>> w = ActorWords(break_="exceed the enrichment cap")
    >>> w.phrase("break", Words()), w.phrase("keep", Words())
    ('exceed the enrichment cap', 'keep the agreement')
    >>> ActorWords().is_default
    True
    """

    keep: str | None = None
    break_: str | None = None

    @property
    def is_default(self) -> bool:
        """Whether the actor names neither choice."""
        return self.keep is None and self.break_ is None

    def phrase(self, which: str, fallback: Words) -> str:
        """Return the actor's ``keep`` or ``break`` phrase, or ``fallback``'s.

        Examples
        --------
        >>> ActorWords(keep="pay on time").phrase("keep", Words())
        'pay on time'
        """
        own = self.keep if which == "keep" else self.break_
        if own is not None:
            return own
        return fallback.keep if which == "keep" else fallback.break_

    def _to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.keep is not None:
            out["keep"] = self.keep
        if self.break_ is not None:
            out["break"] = self.break_
        return out


def read_actor_words(c: Any, path: str, x: object) -> ActorWords:
    """Check an ``[actors.ID.words]`` table and return the actor's words.

    Parameters
    ----------
    c : Checker
        Collects the problems.
    path : str
        The table's path, e.g. ``"actors.Iran.words"``.
    x : object
        The parsed table.

    Examples
    --------
    >>> from negsim.scenario.checker import Checker
    >>> c = Checker("my.toml")
    >>> read_actor_words(c, "actors.Iran.words", {"break": "exceed the enrichment cap"}).break_
    'exceed the enrichment cap'
    >>> _ = read_actor_words(c, "actors.USA.words", {"brek": "reimpose sanctions", "keep": 1})
    >>> for p in c.problems:
    ...     print(p)
    my.toml: actors.USA.words.brek: unknown field; did you mean 'break'?
    my.toml: actors.USA.words.keep: must be a string, got integer 1
    """
    tbl = c.table(x, path, (), ACTOR_WORD_KEYS)
    if tbl is None:
        return ActorWords()
    values: dict[str, str] = {}
    for name, key in (("keep", "keep"), ("break_", "break")):
        if key in tbl:
            text = c.string(tbl[key], f"{path}.{key}")
            if text is not None and not text.strip():
                c.fail(f"{path}.{key}", "must not be empty: a verb phrase in the base form, "
                       f"e.g. {key} = \"{'exceed' if key == 'break' else 'keep within'} "
                       "the enrichment cap\"")
            elif text is not None:
                values[name] = text.strip()
    return ActorWords(**values)


def read_words(c: Any, x: object) -> Words:
    """Check the ``[words]`` table and return the words (defaults where a key is absent).

    Parameters
    ----------
    c : Checker
        Collects the problems.
    x : object
        The parsed table.

    Examples
    --------
    >>> from negsim.scenario.checker import Checker
    >>> c = Checker("my.toml")
    >>> read_words(c, {"deal": "the grain deal", "brake": "suspend participation"}).deal
    'the grain deal'
    >>> print(c.problems[0])
    my.toml: words.brake: unknown field; did you mean 'break'?
    """
    tbl = c.table(x, "words", (), WORD_KEYS)
    if tbl is None:
        return Words()
    values: dict[str, str] = {}
    for f, key in zip(fields(Words), WORD_KEYS, strict=True):
        if key in tbl:
            text = c.string(tbl[key], f"words.{key}")
            if text is not None:
                values[f.name] = text.strip()
    return Words(**values)


def word_rows(scenario: Any) -> list[list[str]]:
    """Return the words a scenario uses, one row each: whose, which word, the words, from where.

    The deal's ``[words]`` (``deal``, ``keep``, ``break``, ``holds``, ``breaks``), each
    actor's own ``[actors.ID.words]``, and each commitment's ``keep`` and ``break`` phrases;
    ``from`` says where a phrase is written, or ``default`` where the file gives none.

    Examples
    --------
    >>> import negsim
    >>> rows = word_rows(negsim.load_scenario("libya-2020"))
    >>> rows[2]
    ['the deal', 'break', 'break the ceasefire', '[words]']
    >>> [r for r in rows if r[0] == "arms_embargo"][1]
    ['arms_embargo', 'break', 'break the arms embargo', '[commitments.arms_embargo]']
    """
    words, default = scenario.words, Words()
    rows = [["the deal", key, getattr(words, f.name),
             "default" if getattr(words, f.name) == getattr(default, f.name) else "[words]"]
            for f, key in zip(fields(Words), WORD_KEYS, strict=True)]
    for a in scenario.actors:
        for key, text in (("keep", a.words.keep), ("break", a.words.break_)):
            if text is not None:
                rows.append([a.id, key, text, f"[actors.{a.id}.words]"])
    for c in scenario.commitments:
        for key, text, phrase in (("keep", c.keep, c.keep_phrase),
                                  ("break", c.break_, c.break_phrase)):
            rows.append([c.id, key, phrase,
                         "default" if text is None else f"[commitments.{c.id}]"])
    return rows
