"""Markdown building blocks shared by the coaching outputs (scorecard, queue, evidence,
agenda): tables, excerpts and moments, ready to paste into a 1:1 doc. Plain strings, no rich.
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

from callcoach.fmt import where
from callcoach.sanitize import strip_controls
from callcoach.scoring.result import Moment
from callcoach.transcript import Utterance

_ALIGN = {"l": "---", "r": "---:", "c": ":---:"}


_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def escape(text: str, *, fold: bool = True) -> str:
    """Transcript text (and any other data) as literal Markdown: `*`, `_`, `[`, `<`, `|`, `#`
    escaped, so a prospect's words never turn into markup, a link or HTML; line breaks folded
    unless `fold=False`.

    >>> escape("a | *b*\\n<c>")
    'a \\\\| \\\\*b\\\\* \\\\<c\\\\>'
    """
    text = strip_controls(str(text))   # text stored before ingestion stripped them
    text = " ".join(text.split()) if fold else text
    return _SPECIAL.sub(r"\\\1", text)


def cell(text: str) -> str:
    """A table cell built by the caller (it may hold markup such as **bold**): pipes escaped,
    breaks folded. Escape the data inside it with `escape` first."""
    return " ".join(str(text).replace("|", "\\|").split())


def table(headers: Sequence[str], rows: Iterable[Sequence[str]],
          align: str | None = None) -> str:
    """A GitHub-flavoured Markdown table; `align` is one letter per column (l, r, c).

    >>> print(table(["rep", "score"], [["Dana", "58%"]], align="lr"))
    | rep | score |
    | --- | ---: |
    | Dana | 58% |
    """
    align = align or "l" * len(headers)
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |",
             "| " + " | ".join(_ALIGN[a] for a in align) + " |"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def bold(text: str) -> str:
    return f"**{text}**" if text else text


def turn(u: Utterance, *, highlight: bool = False) -> str:
    """One utterance as a line: `07:42` **Dana** (rep): text — the text in bold when it is
    the moment itself."""
    text = escape(u.text)
    return (f"`{where(u.start, u.index)}` **{escape(u.speaker)}** ({u.role}): "
            f"{bold(text) if highlight else text}")


def excerpt(utterances: Sequence[Utterance], highlight: Iterable[int] = ()) -> str:
    """A block quote of consecutive turns; turns whose index is in `highlight` are marked ▶
    and bold. Each turn is its own quoted paragraph, so renderers keep the line breaks.

    >>> print(excerpt([Utterance(0, "Pat", "Too pricey.", start=61.0),
    ...                Utterance(1, "Dana", "I hear you.", "rep", start=64.0)], [1]))
    > `01:01` **Pat** (prospect): Too pricey.
    >
    > ▶ `01:04` **Dana** (rep): **I hear you.**
    """
    marked = set(highlight)
    lines = [("> ▶ " if u.index in marked else "> ") + turn(u, highlight=u.index in marked)
             for u in utterances]
    return "\n>\n".join(lines)


def moment(m: Moment) -> str:
    """A moment on one line: `07:42` **Dana** (rep), violation: “text” (similarity 92)."""
    extra = []
    if m.step:
        extra.append(f"step {m.step}")
    if m.similarity is not None and m.similarity < 100:
        extra.append(f"similarity {m.similarity:.0f}")
    tail = f" ({', '.join(extra)})" if extra else ""
    return (f"`{where(m.start, m.utterance)}` **{escape(m.speaker)}** ({m.role}), {m.kind}: "
            f"“{escape(m.text)}”{tail}")
