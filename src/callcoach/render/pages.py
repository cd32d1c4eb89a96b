"""Pages from templates: each document callcoach writes for people (the agenda and the
progress report, as Markdown and as HTML) is one Jinja2 template in render/templates/, fed the
same view of the data, so the formats cannot drift apart.

Escaping is the environment's, never the template's to remember: the HTML environment
autoescapes every value (markupsafe), the Markdown one passes every value through
`markdown.escape`, so a prospect's words never become markup, a link or a script. A value
that is already markup (an SVG chart built by render/svg.py) is marked `Markup` by the caller.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from callcoach.render import markdown

TEMPLATES = Path(__file__).parent / "templates"


def _md_value(value: Any) -> Any:
    """Every `{{ value }}` of a Markdown template, escaped as literal Markdown (line breaks
    kept; the template decides where a paragraph ends)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    return markdown.escape(str(value), fold=False)


@functools.cache
def _environment(kind: str):
    import jinja2   # loads with the first page, not with every callcoach start

    options = dict(loader=jinja2.FileSystemLoader(TEMPLATES), trim_blocks=True,
                   lstrip_blocks=True, keep_trailing_newline=True,
                   undefined=jinja2.StrictUndefined)
    if kind == "html":
        env = jinja2.Environment(autoescape=True, **options)
    else:
        env = jinja2.Environment(autoescape=False, finalize=_md_value, **options)
    env.filters["fold"] = lambda text: " ".join(str(text).split())
    return env


def render(template: str, **context: Any) -> str:
    """Render render/templates/`template` (its suffix, .md or .html, picks the escaping)."""
    kind = "html" if template.endswith(".html.j2") else "markdown"
    text = _environment(kind).get_template(template).render(**context)
    return text.rstrip("\n") + "\n"


def markup(html: str):
    """HTML built and escaped elsewhere (an SVG chart), to be inserted as it is."""
    from markupsafe import Markup

    return Markup(html)
