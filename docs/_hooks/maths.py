r"""Render the pages' TeX maths to MathML when the site is built (a mkdocs hook).

``pymdownx.arithmatex`` (generic mode) turns ``$...$`` and ``$$...$$`` into
``<span class="arithmatex">\(...\)</span>`` and ``<div class="arithmatex">\[...\]</div>``;
docs/_hooks/sphinx_roles.py does the same for ``:math:`` roles in docstrings. This hook
replaces each by MathML made with latex2mathml, which every current browser renders natively:
the built site needs no script, no font and no network to show its formulas.

A TeX command that latex2mathml does not know would come out as raw text, so it stops the
build instead, naming the page and the formula.

Examples
--------
>>> out = render_maths('<p>so <span class="arithmatex">\\(x_i &lt; 1\\)</span>.</p>')
>>> out[:72]
'<p>so <math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">'
>>> out[72:]
'<mrow><msub><mi>x</mi><mi>i</mi></msub><mo>&#x0003C;</mo><mn>1</mn></mrow></math>.</p>'
>>> "display=\"block\"" in render_maths('<div class="arithmatex">\\[\\frac{1}{2}\\]</div>')
True
>>> render_maths('<span class="arithmatex">\\(\\foo\\)</span>', where="model.md")
Traceback (most recent call last):
...
ValueError: model.md: cannot render the maths \foo to MathML (unknown TeX command \foo)
"""

from __future__ import annotations

import html
import re
from typing import Any

from latex2mathml.converter import convert

_INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
_BLOCK = re.compile(r'<div class="arithmatex">\s*\\\[(.*?)\\\]\s*</div>', re.S)
_LEFTOVER = re.compile(r">[^<]*?(\\[A-Za-z]+)")


def _mathml(tex: str, display: str, where: str) -> str:
    tex = html.unescape(tex).strip()
    try:
        out = convert(tex, display=display)
    except Exception as exc:  # latex2mathml raises its own exception classes, unmessaged
        reason = str(exc) or type(exc).__name__
        raise ValueError(f"{where}: cannot render the maths {tex} to MathML ({reason})") from exc
    leftover = _LEFTOVER.search(out)
    if leftover:
        raise ValueError(f"{where}: cannot render the maths {tex} to MathML "
                         f"(unknown TeX command {leftover.group(1)})")
    return out


def render_maths(page_html: str, where: str = "page") -> str:
    """Replace arithmatex's TeX spans and divs in ``page_html`` by MathML.

    Parameters
    ----------
    page_html : str
        A page's HTML as rendered by Python-Markdown.
    where : str
        What to name in an error message (the page's source file).

    Returns
    -------
    str
        The HTML with every formula as a ``<math>`` element.

    Raises
    ------
    ValueError
        If a formula cannot be rendered.
    """
    page_html = _BLOCK.sub(lambda m: _mathml(m.group(1), "block", where), page_html)
    return _INLINE.sub(lambda m: _mathml(m.group(1), "inline", where), page_html)


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    """Render every page's maths after the Sphinx roles are resolved (mkdocs event)."""
    return render_maths(html, where=f"docs/{page.file.src_uri}")
