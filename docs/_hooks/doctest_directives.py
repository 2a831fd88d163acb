r"""Hide doctest directives from the rendered code blocks (a mkdocs hook).

Code blocks in the docs and the Examples in docstrings are doctests, and some carry a
directive such as ``# doctest: +NORMALIZE_WHITESPACE``. The directive stays in the source,
where pytest reads it; this hook removes it from the HTML of every page (the Markdown pages
and the API reference that mkdocstrings renders), so a reader, and the copy button, see
only the code. Only ``<pre>`` blocks are touched: prose that mentions a directive keeps it.

Examples
--------
>>> strip_doctest_directives(
...     '<pre><code><span class="n">x</span>  <span class="c1"># doctest: +SKIP</span>\n'
...     '</code></pre><p><code># doctest: +SKIP</code></p>')
'<pre><code><span class="n">x</span>\n</code></pre><p><code># doctest: +SKIP</code></p>'
>>> strip_doctest_directives('<pre><code>&gt;&gt;&gt; f()  # doctest: +ELLIPSIS, +SKIP\n'
...                          '</code></pre>')
'<pre><code>&gt;&gt;&gt; f()\n</code></pre>'
>>> strip_doctest_directives(
...     '<pre><code>1  <span class="c1"># seconds  # doctest: +SKIP</span></code></pre>')
'<pre><code>1  <span class="c1"># seconds</span></code></pre>'
"""

from __future__ import annotations

import re
from typing import Any

_PRE = re.compile(r"<pre\b.*?</pre>", re.S)
# a highlighted comment: the directive alone, or at the end of another comment
_SPAN = re.compile(r'([ \t]*)<span class="(c1?)">([^<]*?)[ \t]*#[ \t]*doctest:[^<\n]*</span>')
# the same in a block that was not highlighted
_PLAIN = re.compile(r"[ \t]*#[ \t]*doctest:[^<\n]*")


def _span(m: re.Match[str]) -> str:
    if not m.group(3):
        return ""
    return f'{m.group(1)}<span class="{m.group(2)}">{m.group(3)}</span>'


def _clean(block: re.Match[str]) -> str:
    return _PLAIN.sub("", _SPAN.sub(_span, block.group(0)))


def strip_doctest_directives(page_html: str) -> str:
    """Remove ``# doctest: ...`` comments from the ``<pre>`` blocks of ``page_html``.

    Parameters
    ----------
    page_html : str
        A page's HTML.

    Returns
    -------
    str
        The HTML without doctest directives in its code blocks.
    """
    return _PRE.sub(_clean, page_html)


def on_page_content(html: str, **kwargs: Any) -> str:
    """Clean every page's code blocks after rendering (mkdocs event)."""
    return strip_doctest_directives(html)
