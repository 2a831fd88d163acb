"""The :class:`Checker`: turns parsed TOML into scenario values, collecting every problem.

Each method checks one kind of value (a table, a string, an id, a reference, a number, a
date, a provenance, a sourced number) at a dotted path, records what is wrong with it and
returns the value, or ``None`` (or a placeholder) so that checking can go on and report
every problem of a file at once.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
from collections.abc import Iterable
from typing import Any

from negsim.scenario.elements import Provenance, Sourced
from negsim.scenario.errors import Problem, describe_value, did_you_mean, format_number
from negsim.scenario.vocabulary import BARE_KEY_RE, ID_RE, PROV_KEYS, Range

__all__ = ["Checker", "join_path"]


def join_path(path: str, key: object) -> str:
    """Return the dotted path of ``key`` in ``path``, quoting a key that needs it.

    Parameters
    ----------
    path : str
        The dotted path of the table; empty for the top level.
    key : object
        The key in it.

    Returns
    -------
    str
        ``path.key`` (or ``key``), with ``key`` in double quotes if it is not a bare key.

    Examples
    --------
    >>> join_path("actors.LNA", "capability"), join_path("", "id")
    ('actors.LNA.capability', 'id')
    >>> join_path("sources", "a b")
    'sources."a b"'
    """
    k = str(key)
    k = k if BARE_KEY_RE.match(k) else '"' + k + '"'
    return f"{path}.{k}" if path else k


class Checker:
    """Collects problems while turning parsed TOML into scenario objects.

    Parameters
    ----------
    origin : str
        The file the data came from, named in every problem.

    Attributes
    ----------
    problems : list of Problem
        What was found wrong, in order.
    source_keys : tuple of str or None
        The keys of ``[sources]`` that provenance may name (``None`` if the section is
        missing or broken, so that references to it are not reported one by one).
    bad_roles : set of str
        Actors whose roles are invalid.
    bad_rounds : set of str
        Timeline entries with an invalid structure.

    Examples
    --------
    >>> c = Checker("my.toml")
    >>> c.number("0.5", "model.rationality") is None
    True
    >>> c.sourced({"value": 1.7, "assumption": "a guess"}, "x.salience", Range(0.0, 1.0)).value
    nan
    >>> for p in c.problems: print(p)
    my.toml: model.rationality: must be a number, got string '0.5' (remove the quotes)
    my.toml: x.salience: must be in [0, 1], got 1.7
    """

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[Problem] = []
        # Known ids; None when the section itself is missing or broken (already reported),
        # so that references to it are not reported again one by one.
        self.source_keys: tuple[str, ...] | None = ()
        self.bad_roles: set[str] = set()  # actors whose roles are invalid
        self.bad_rounds: set[str] = set()  # timeline entries with invalid structure

    def fail(self, path: str, message: str) -> None:
        """Record a problem at the dotted ``path``."""
        self.problems.append(Problem(self.origin, path, message))

    # ---- structure ----------------------------------------------------------------
    def table(self, x: object, path: str, required: tuple[str, ...] = (),
              optional: tuple[str, ...] = ()) -> dict[str, Any] | None:
        """Check that ``x`` is a table with the ``required`` and only the allowed keys.

        Unknown keys are reported (with the closest allowed one, if any) and so are
        missing required ones (unless a misspelling of them was reported). Return
        ``x``, or ``None`` if it is not a table.
        """
        if not isinstance(x, dict):
            self.fail(path, f"must be a table, got {describe_value(x)}")
            return None
        allowed = required + optional
        misspelt = set()
        for key in x:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
                if close:
                    hint = f"; did you mean {close[0]!r}?"
                    misspelt.add(close[0])
                else:
                    hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
                self.fail(join_path(path, key), f"unknown field{hint}")
        for key in required:
            if key not in x and key not in misspelt:
                self.fail(join_path(path, key), "missing required field")
        return x

    def table_of_tables(self, x: object, path: str, what: str) -> dict[str, Any]:
        """Check a table keyed by ids (reporting invalid ids); return it, or ``{}``."""
        if not isinstance(x, dict):
            self.fail(path, f"must be a table of {what}s keyed by id, got {describe_value(x)}")
            return {}
        for key in x:
            if not ID_RE.match(key):
                self.fail(join_path(path, key), f"invalid {what} id {key!r}: ids start with a "
                          "letter and contain only letters, digits, '_' and '-'")
        return x

    def array_of_tables(self, x: object, path: str) -> list[Any]:
        """Check that ``x`` is an array (of tables); return it, or ``[]``."""
        if not isinstance(x, list):
            self.fail(path, f"must be an array of tables ([[{path}]]), got {describe_value(x)}")
            return []
        return x

    # ---- scalars ------------------------------------------------------------------
    def string(self, x: object, path: str, *, empty_ok: bool = False) -> str | None:
        """Return ``x`` if it is a (non-empty, unless ``empty_ok``) string, else ``None``."""
        if not isinstance(x, str):
            self.fail(path, f"must be a string, got {describe_value(x)}")
            return None
        if not empty_ok and not x.strip():
            self.fail(path, "must not be empty")
            return None
        return x

    def opt_string(self, tbl: dict[str, Any], key: str, path: str) -> str | None:
        """Return the string ``tbl[key]`` if the key is there and valid, else ``None``."""
        return self.string(tbl[key], join_path(path, key)) if key in tbl else None

    def ident(self, x: object, path: str) -> str | None:
        """Return ``x`` if it is a valid id (see :data:`ID_RE`), else ``None``."""
        s = self.string(x, path)
        if s is not None and not ID_RE.match(s):
            self.fail(path, f"invalid id {s!r}: ids start with a letter and contain only "
                      "letters, digits, '_' and '-'")
            return None
        return s

    def choice(self, x: object, path: str, options: tuple[str, ...]) -> str | None:
        """Return ``x`` if it is one of ``options``, else ``None``."""
        s = self.string(x, path)
        if s is not None and s not in options:
            self.fail(path, f"must be one of {', '.join(options)}, got {s!r}"
                      f"{did_you_mean(s, options)}")
            return None
        return s

    def ref(self, x: object, path: str, known: Iterable[str] | None, what: str) -> str | None:
        """Return ``x`` if it is one of the ``known`` ids, else ``None``.

        Any string is accepted if ``known`` is ``None``; ``what`` names the kind of id in
        the message.
        """
        s = self.string(x, path)
        if s is None or known is None:
            return s
        known = tuple(known)
        if s not in known:
            self.fail(path, f"unknown {what} {s!r}{did_you_mean(s, known)} "
                      f"({what}s: {', '.join(known) or 'none'})")
            return None
        return s

    def ref_list(self, x: object, path: str, known: Iterable[str] | None,
                 what: str) -> tuple[str, ...]:
        """Return the valid, distinct ids of the array ``x`` (see :meth:`ref`)."""
        if not isinstance(x, list):
            self.fail(path, f"must be an array of {what} ids, got {describe_value(x)}")
            return ()
        out: list[str] = []
        for i, item in enumerate(x):
            s = self.ref(item, f"{path}[{i}]", known, what)
            if s is None:
                continue
            if s in out:
                self.fail(f"{path}[{i}]", f"{what} {s!r} is listed twice")
                continue
            out.append(s)
        return tuple(out)

    def number(self, x: object, path: str, rng: Range | None = None) -> float | None:
        """Return ``x`` as a finite float (in ``rng``, if given), else ``None``."""
        if isinstance(x, bool) or not isinstance(x, int | float):
            hint = ""
            if isinstance(x, str):
                try:
                    float(x)
                    hint = " (remove the quotes)"
                except ValueError:
                    pass
            self.fail(path, f"must be a number, got {describe_value(x)}{hint}")
            return None
        try:
            v = float(x)
        except OverflowError:
            self.fail(path, f"number is too large: {x}")
            return None
        if not math.isfinite(v):
            self.fail(path, f"must be a finite number, got {x}")
            return None
        if rng is not None and not rng.contains(v):
            self.fail(path,
                      f"{rng.phrase()}, got {format_number(x) if isinstance(x, float) else x}")
            return None
        return v

    def date(self, x: object, path: str) -> _dt.date | None:
        """Return ``x`` if it is a date (not a date-time), else ``None``."""
        if isinstance(x, _dt.datetime):
            self.fail(path, f"must be a date like 2020-01-13, got date-time {x.isoformat()}")
            return None
        if not isinstance(x, _dt.date):
            hint = ""
            if isinstance(x, str):
                hint = " (write the date without quotes, e.g. date = 2020-01-13)"
            self.fail(path, f"must be a date like 2020-01-13, got {describe_value(x)}{hint}")
            return None
        return x

    # ---- provenance ----------------------------------------------------------------
    def provenance(self, tbl: dict[str, Any], path: str, *,
                   assumption_ok: bool = True) -> Provenance:
        """Return the provenance given by the provenance keys of ``tbl``.

        A source needs a quote, a quote needs a source, and an assumption
        excludes both (observations, ``assumption_ok=False``, must be sourced).
        """
        source, quote, note, assumption = (self.opt_string(tbl, k, path) for k in PROV_KEYS)
        has = {k: k in tbl for k in PROV_KEYS}
        if has["assumption"] and (has["source"] or has["quote"]):
            self.fail(path, "has both 'source' and 'assumption': give either a source with a "
                      "quote, or an assumption, not both")
        elif has["assumption"]:
            if not assumption_ok:
                self.fail(join_path(path, "assumption"), "observations must be sourced: give "
                          "'source' and 'quote' instead of 'assumption'")
            elif has["note"]:
                self.fail(join_path(path, "note"), "'note' explains how a value follows from a "
                          "quote; with an assumption, put the reasoning in 'assumption'")
        elif has["quote"] and not has["source"]:
            self.fail(join_path(path, "quote"), "'quote' without 'source': add source = \"KEY\" "
                      "naming a key of [sources]")
        elif has["source"] and not has["quote"]:
            self.fail(join_path(path, "source"), "'source' without 'quote': add quote = \"...\" "
                      "with the words the value rests on")
        elif not has["source"]:
            form = ("source = \"KEY\", quote = \"...\"" if not assumption_ok else
                    "source = \"KEY\", quote = \"...\" or assumption = \"why\"")
            self.fail(path, f"missing provenance: add {form}")
        if source is not None and self.source_keys is not None \
                and source not in self.source_keys:
            self.fail(join_path(path, "source"),
                      f"unknown source {source!r}{did_you_mean(source, self.source_keys)} "
                      f"(sources: {', '.join(self.source_keys) or 'none'})")
        return Provenance(source=source, quote=quote, note=note, assumption=assumption)

    def sourced(self, x: object, path: str, rng: Range) -> Sourced:
        """Return the sourced number ``x`` (a value in ``rng`` and its provenance)."""
        if not isinstance(x, dict):
            if isinstance(x, int | float) and not isinstance(x, bool):
                v = format_number(x) if isinstance(x, float) else str(x)
                self.fail(path, f"a bare number needs its provenance: write "
                          f"{{ value = {v}, source = \"KEY\", quote = \"...\" }} or "
                          f"{{ value = {v}, assumption = \"why\" }}")
            else:
                self.fail(path, "must be a sourced number like { value = 0.5, source = "
                          f"\"KEY\", quote = \"...\" }}, got {describe_value(x)}")
            return Sourced(math.nan, Provenance())
        self.table(x, path, ("value",), PROV_KEYS)
        value = self.number(x["value"], path, rng) if "value" in x else None
        prov = self.provenance(x, path)
        return Sourced(math.nan if value is None else value, prov)
