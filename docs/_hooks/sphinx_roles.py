r"""Render the Sphinx roles left in docstrings as plain code (a mkdocs hook).

negsim's docstrings use numpy style with Sphinx cross-reference roles, which mkdocstrings
renders literally (``:func:<code>x</code>``). This hook drops the role, keeps the code, and
shortens ``~a.b.c`` to ``c`` as Sphinx would; ``:math:`` becomes inline math, which
docs/_hooks/maths.py renders.

Examples
--------
>>> strip_roles("see :func:<code>negsim.simulate</code> and "
...             ":class:<code>~negsim.ensemble.summary.Summary</code>")
'see <code>negsim.simulate</code> and <code>Summary</code>'
>>> strip_roles(":math:<code>\\delta_i</code>")
'<span class="arithmatex">\\(\\delta_i\\)</span>'
"""

from __future__ import annotations

import re
from typing import Any

_MATH = re.compile(r":math:<code>([^<]*)</code>")
_ROLE = re.compile(r":(?:func|class|meth|mod|data|attr|obj|exc):<code>(~?)([^<]*)</code>")


def strip_roles(html: str) -> str:
    """Replace ``:role:<code>target</code>`` by ``<code>target</code>`` (and :math:)."""

    def repl(m: re.Match[str]) -> str:
        target = m.group(2).rsplit(".", 1)[-1] if m.group(1) else m.group(2)
        return f"<code>{target}</code>"

    html = _MATH.sub(lambda m: f'<span class="arithmatex">\\({m.group(1)}\\)</span>', html)
    return _ROLE.sub(repl, html)


def on_page_content(html: str, **kwargs: Any) -> str:
    """Clean every page's HTML after rendering (mkdocs event)."""
    return strip_roles(html)
