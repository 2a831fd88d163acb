"""Writing scenario-shaped data as TOML, with sourced numbers as inline tables."""

from __future__ import annotations

from typing import Any

import tomli_w

from negsim.scenario.vocabulary import BARE_KEY_RE

__all__ = ["dump_toml"]


def _toml_scalar(value: Any) -> str:
    """Format a string, number, boolean or date as TOML (by :mod:`tomli_w`)."""
    return tomli_w.dumps({"v": value})[len("v = "):-1]


def _toml_key(key: str) -> str:
    return key if BARE_KEY_RE.match(key) else _toml_scalar(key)


def _toml_literal(value: Any) -> str:
    if isinstance(value, dict):
        items = ", ".join(f"{_toml_key(k)} = {_toml_literal(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_literal(v) for v in value) + "]"
    return _toml_scalar(value)


def _is_inline(value: Any) -> bool:
    """Whether a dict is written inline: sourced numbers ``{ value = ..., ... }``."""
    return isinstance(value, dict) and "value" in value


def dump_toml(data: dict[str, Any]) -> str:
    """Write scenario-shaped data as TOML, with sourced numbers as inline tables.

    Scalars are formatted by :mod:`tomli_w`; the layout (which tables are inline) is ours,
    so that files written by :meth:`Scenario.to_toml` read like hand-written ones.

    Parameters
    ----------
    data : dict
        Nested dicts and lists in the shape of a scenario file (see
        :meth:`Scenario.to_dict`); a dict with a ``value`` key is a sourced number.

    Returns
    -------
    str
        The TOML text.

    Examples
    --------
    >>> print(dump_toml({"id": "x", "model": {"rationality": {"value": 5.0,
    ...                                                     "assumption": "a guess"}}}))
    id = "x"
    <BLANKLINE>
    [model]
    rationality = { value = 5.0, assumption = "a guess" }
    <BLANKLINE>
    """
    chunks: list[str] = []

    def emit(table: dict[str, Any], name: str, aot: bool) -> None:
        literals, tables, arrays = [], [], []
        for k, v in table.items():
            if isinstance(v, dict) and not _is_inline(v):
                tables.append((k, v))
            elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
                arrays.append((k, v))
            else:
                literals.append((k, v))
        lines = []
        if aot or (name and (literals or not (tables or arrays))):
            lines.append(f"[[{name}]]" if aot else f"[{name}]")
        lines += [f"{_toml_key(k)} = {_toml_literal(v)}" for k, v in literals]
        if lines:
            chunks.append("\n".join(lines) + "\n")
        for k, v in tables:
            emit(v, f"{name}.{_toml_key(k)}" if name else _toml_key(k), False)
        for k, v in arrays:
            for item in v:
                emit(item, f"{name}.{_toml_key(k)}" if name else _toml_key(k), True)

    emit(data, "", False)
    return "\n".join(chunks)
