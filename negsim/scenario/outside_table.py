"""Reading an actor's ``[actors.X.outside_option]`` table against its registered kind.

The kinds are in the registry of :mod:`negsim.scenario.outside`; this module checks a
table's fields against its kind's, the kind against the actor's roles (a ``party`` is not
at war, a ``belligerent`` is), and that an outside option at war has a war to fight.
"""

from __future__ import annotations

import math
from typing import Any

from negsim.scenario.checker import join_path
from negsim.scenario.elements import OutsideOption, Provenance, Sourced
from negsim.scenario.outside import outside_option_kind, outside_option_kinds
from negsim.scenario.vocabulary import FIELD_RANGES

__all__ = ["check_war", "read_outside_option"]

_NAN = Sourced(math.nan, Provenance())


def read_outside_option(c: Any, path: str, x: object, roles: list[str]) -> Any:
    """Check an ``[actors.X.outside_option]`` table against its kind and return it.

    Parameters
    ----------
    c : Checker
        Collects the problems.
    path : str
        The table's dotted path.
    x : object
        The parsed table.
    roles : list of str
        The actor's valid roles (a ``party`` is not at war, a ``belligerent`` is).

    Returns
    -------
    OutsideOption or None
        None if ``x`` is not a table.

    Examples
    --------
    >>> import negsim
    >>> from negsim.scenario.checker import Checker
    >>> c = Checker("my.toml")
    >>> oo = read_outside_option(c, "actors.A.outside_option", {"kind": "no_deal",
    ...     "value": {"value": 0.4, "assumption": "x"},
    ...     "discount": {"value": 0.9, "assumption": "x"}}, ["party"])
    >>> oo.kind, oo.value.value, c.problems
    ('no_deal', 0.4, [])
    >>> _ = read_outside_option(c, "actors.A.outside_option", {"kind": "no_deal",
    ...     "cost": {"value": 0.1, "assumption": "x"},
    ...     "discount": {"value": 0.9, "assumption": "x"}}, ["party"])
    >>> for p in c.problems: print(p)
    my.toml: actors.A.outside_option.cost: a no_deal outside option has no 'cost' (it takes
    value, discount); 'cost' belongs to kind = "fight_on"
    my.toml: actors.A.outside_option.value: missing required field
    """
    nan = _NAN
    if not isinstance(x, dict):
        c.table(x, path)
        return None
    name = "fight_on"
    if "kind" in x:
        chosen = c.choice(x["kind"], join_path(path, "kind"), outside_option_kinds())
        if chosen is None:
            return OutsideOption(None, nan, kind="")
        name = chosen
    kind = outside_option_kind(name)
    fields = (*kind.required, *kind.optional)
    body = dict(x)
    for key in list(body):
        owners = [k for k in outside_option_kinds() if key in _fields(k)]
        if key != "kind" and key not in fields and owners:
            c.fail(join_path(path, key), f"a {name} outside option has no {key!r} (it takes "
                   f"{', '.join(fields)}); {key!r} belongs to kind = \"{owners[0]}\"")
            del body[key]
    tbl = c.table(body, path, kind.required, ("kind", *kind.optional))
    if tbl is None:
        return OutsideOption(None, nan, kind=name)
    numbers = {f: c.sourced(tbl[f], join_path(path, f), FIELD_RANGES[f])
               for f in fields if f in tbl}
    where = join_path(path, "kind") if "kind" in x else path
    if kind.at_war and "party" in roles:
        c.fail(where, f"a party is not at war: its outside option cannot be {name}"
               f"{' (the default kind)' if 'kind' not in x else ''}; give it "
               f"{_others(at_war=False)}")
    if not kind.at_war and "belligerent" in roles:
        c.fail(where, f"a belligerent's outside option is fighting on: kind {name!r} is for "
               f"actors that are not at war (use {_others(at_war=True)}, or give the actor "
               "the role 'party')")
    return OutsideOption(
        cost=numbers.get("cost", nan if "cost" in kind.required else None),
        discount=numbers.get("discount", nan),
        optimism=numbers.get("optimism"),
        kind=name,
        value=numbers.get("value", nan if "value" in kind.required else None),
        value_if_others_sign=numbers.get(
            "value_if_others_sign", nan if "value_if_others_sign" in kind.required else None),
    )


def _others(at_war: bool) -> str:
    """``kind = "no_deal" or kind = "contingent"``: the kinds that are (not) at war."""
    return " or ".join(f'kind = "{k}"' for k in outside_option_kinds()
                       if outside_option_kind(k).at_war == at_war)


def _fields(name: str) -> tuple[str, ...]:
    kind = outside_option_kind(name)
    return (*kind.required, *kind.optional)


def check_war(c: Any, actors: tuple[Any, ...]) -> None:
    """Fail for each outside option at war (``fight_on``) in a scenario without belligerents.

    The value of fighting on is the value of the belligerents' contest: without a
    belligerent there is no war to fight on.

    Examples
    --------
    >>> import negsim
    >>> from types import SimpleNamespace
    >>> from negsim.scenario.checker import Checker
    >>> c = Checker("my.toml")
    >>> a = SimpleNamespace(id="US", roles=("patron",),
    ...                     outside_option=SimpleNamespace(kind="fight_on"))
    >>> check_war(c, (a,))
    >>> print(c.problems[0])
    my.toml: actors.US.outside_option: kind fight_on is the value of fighting on, but the
    scenario has no belligerent (no actor has the role 'belligerent'): give this actor kind =
    "no_deal" or kind = "contingent"
    """
    if any("belligerent" in a.roles for a in actors):
        return
    for a in actors:
        oo = a.outside_option
        if oo is not None and oo.kind in outside_option_kinds() \
                and outside_option_kind(oo.kind).at_war:
            c.fail(f"actors.{a.id}.outside_option", f"kind {oo.kind} is the value of fighting "
                   "on, but the scenario has no belligerent (no actor has the role "
                   f"'belligerent'): give this actor {_others(at_war=False)}")
