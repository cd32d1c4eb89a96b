"""The agenda as Markdown (for a 1:1 doc), self-contained HTML, or JSON.

Markdown and HTML are written from one list of blocks, so the two always say the same
thing; JSON is `Agenda.to_dict()` (the contract documented in docs/agenda.md).
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass

from callcoach.analytics.agenda import Agenda, Excerpt, Line
from callcoach.analytics.rules import window_label
from callcoach.fmt import pct, rubric_label, when
from callcoach.render import markdown


@dataclass(frozen=True)
class Block:
    """One piece of the document: h1 | h2 | h3 | p | meta | ol | ul | field | excerpt."""

    kind: str
    text: str = ""
    items: tuple = ()        # ol/ul: strings; excerpt: Lines
    label: str = ""          # field: the bold label


def render(agenda: Agenda, fmt: str) -> str:
    if fmt == "json":
        return to_json(agenda)
    if fmt == "html":
        return to_html(agenda)
    return to_markdown(agenda)


def to_json(agenda: Agenda) -> str:
    return json.dumps(agenda.to_dict(), indent=2, ensure_ascii=False) + "\n"


# -- the document, once --------------------------------------------------------------------
def blocks(agenda: Agenda) -> list[Block]:
    a = agenda
    title = f"Coaching session: {a.rep}"
    if a.criterion:
        title += f" — {a.criterion['name'] or a.criterion['id']}"
    meta = [f"As of {a.as_of.date().isoformat()}", window_label(a.as_of, a.days)]
    if a.rubric_note:
        meta.append(rubric_label(a.rubric_id, a.rubric_note))
    if a.session:
        lo, hi = a.minutes
        frame = "GROW" if a.frame == "grow" else "five-part session"
        meta += [f"{frame}, about {lo}–{hi} minutes", f"pass mark {pct(a.pass_mark)}"]
    out = [Block("h1", title), Block("meta", " · ".join(meta))]
    if not a.session:
        out.append(Block("p", a.message))
        return out
    numbered = a.frame != "grow"
    for i, part in enumerate(a.parts, 1):
        head = f"{i}. {part.title}" if numbered else part.title
        out.append(Block("h2", f"{head} · {_minutes(part.minutes)}"))
        for piece in part.shows:
            out.extend(_PIECES[piece](a))
    return out


def _minutes(m: tuple[int, int]) -> str:
    return f"{m[0]} min" if m[0] == m[1] else f"{m[0]}–{m[1]} min"


def _anchor(a: Agenda) -> list[Block]:
    return [Block("p", a.anchor.statement), Block("ul", items=(a.anchor.finding,))]


def _goal(a: Agenda) -> list[Block]:
    out = [Block("p", a.goal)]
    if a.anchor.pass_anchor:
        out.append(Block("field", a.anchor.pass_anchor, label="Passing looks like"))
    return out


def _excerpts(a: Agenda) -> list[Block]:
    out = [Block("p", a.moment_summary)]
    for ex in a.excerpts:
        out += _excerpt(ex, "What was missing")
    return out


def _excerpt(ex: Excerpt, label: str) -> list[Block]:
    head = [f"Call {ex.call_id}", ex.rep]
    if ex.call_type:
        head.append(ex.call_type)
    if ex.account:
        head.append(ex.account)
    head.append(when(ex.started_at))
    if ex.score is not None:
        head.append(f"scored {pct(ex.score)}")
    return [Block("h3", " · ".join(head)), Block("field", ex.note, label=label),
            Block("excerpt", items=ex.lines)]


def _questions(a: Agenda) -> list[Block]:
    return [Block("p", "Ask, then listen: questions, not answers."),
            Block("ol", items=a.questions)]


def _model(a: Agenda) -> list[Block]:
    m = a.model
    out = [Block("p", m.summary)]
    if m.excerpt is not None:
        out += _excerpt(m.excerpt, "What it shows")
    if m.pass_anchor:
        out.append(Block("field", m.pass_anchor, label="Passing looks like"))
    return out


def _practice(a: Agenda) -> list[Block]:
    p = a.practice
    out = [Block("field", p.situation, label="Scenario")]
    if p.prospect_lines:
        out.append(Block("field", "", label="The prospect's lines before the moment"))
        out.append(Block("excerpt", items=p.prospect_lines))
    if p.objection:
        out.append(Block("field", f"{p.objection.text} ({p.objection.at})",
                         label="Objection raised"))
    out.append(Block("field", p.must_do, label="What to do"))
    if p.pass_anchor:
        out.append(Block("field", p.pass_anchor, label="Passing looks like"))
    out.append(Block("field", p.check, label="How it will be checked"))
    out.append(Block("field", f"before your next call shift, {p.due.strftime('%a')} "
                              f"{p.due.isoformat()}", label="Due"))
    return out


_PIECES = {"anchor": _anchor, "goal": _goal, "excerpts": _excerpts, "questions": _questions,
           "model": _model, "practice": _practice}


# -- Markdown -----------------------------------------------------------------------------
def md_escape(text: str) -> str:
    return markdown.escape(text, fold=False)


def to_markdown(agenda: Agenda) -> str:
    out: list[str] = []
    for b in blocks(agenda):
        if b.kind == "h1":
            out += [f"# {md_escape(b.text)}", ""]
        elif b.kind == "h2":
            out += [f"## {md_escape(b.text)}", ""]
        elif b.kind == "h3":
            out += [f"### {md_escape(b.text)}", ""]
        elif b.kind == "meta":
            out += [f"*{md_escape(b.text)}*", ""]
        elif b.kind == "p":
            out += [md_escape(b.text), ""]
        elif b.kind == "field":
            text = f" {md_escape(b.text)}" if b.text else ""
            out += [f"**{md_escape(b.label)}:**{text}", ""]
        elif b.kind in ("ol", "ul"):
            out += [(f"{i}. " if b.kind == "ol" else "- ") + md_escape(item)
                    for i, item in enumerate(b.items, 1)] + [""]
        elif b.kind == "excerpt":
            out += _md_excerpt(b.items) + [""]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _md_excerpt(lines: tuple[Line, ...]) -> list[str]:
    if not lines:
        return ["> (no transcript stored for this call)"]
    out: list[str] = []
    prev = None
    for ln in lines:
        if prev is not None:
            out.append(">")
            if ln.utterance > prev + 1:
                out += ["> …", ">"]
        text = md_escape(" ".join(ln.text.split()))
        who = f"**{md_escape(ln.at)} {md_escape(ln.speaker)}** ({ln.role}):"
        out.append(f"> {who} **{text}** ◀" if ln.focus else f"> {who} {text}")
        prev = ln.utterance
    return out


# -- HTML ---------------------------------------------------------------------------------
_CSS = """
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:46rem;
margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.5}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #d0d7de;padding-bottom:.2rem}h3{font-size:1rem;margin-bottom:.3rem}
.meta{color:#59636e;margin-top:0}.excerpt{border-left:3px solid #d0d7de;margin:.5rem 0 1rem;
padding:.25rem .75rem;background:#f6f8fa}.line{margin:.2rem 0}.at{color:#59636e;
font-variant-numeric:tabular-nums}.who{font-weight:600}.focus{background:#fff3bf;
border-radius:3px;padding:0 .25rem}.gap{color:#59636e}.label{font-weight:600}
@media print{body{margin:0}h2{break-after:avoid}}
""".strip()


def to_html(agenda: Agenda) -> str:
    e = html.escape
    bs = blocks(agenda)
    title = next((b.text for b in bs if b.kind == "h1"), "Coaching session")
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>"]
    for b in bs:
        if b.kind in ("h1", "h2", "h3"):
            out.append(f"<{b.kind}>{e(b.text)}</{b.kind}>")
        elif b.kind == "meta":
            out.append(f'<p class="meta">{e(b.text)}</p>')
        elif b.kind == "p":
            out.append(f"<p>{e(b.text)}</p>")
        elif b.kind == "field":
            text = f" {e(b.text)}" if b.text else ""
            out.append(f'<p><span class="label">{e(b.label)}:</span>{text}</p>')
        elif b.kind in ("ol", "ul"):
            out.append(f"<{b.kind}>" + "".join(f"<li>{e(i)}</li>" for i in b.items)
                       + f"</{b.kind}>")
        elif b.kind == "excerpt":
            out.append(_html_excerpt(b.items))
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _html_excerpt(lines: tuple[Line, ...]) -> str:
    e = html.escape
    if not lines:
        return '<div class="excerpt"><p class="gap">(no transcript stored for this call)</p></div>'
    rows, prev = [], None
    for ln in lines:
        if prev is not None and ln.utterance > prev + 1:
            rows.append('<p class="line gap">…</p>')
        text = e(" ".join(ln.text.split()))
        if ln.focus:
            text = f'<span class="focus">{text}</span>'
        rows.append(f'<p class="line"><span class="at">{e(ln.at)}</span> '
                    f'<span class="who">{e(ln.speaker)}</span> ({e(ln.role)}): {text}</p>')
        prev = ln.utterance
    return '<div class="excerpt">' + "".join(rows) + "</div>"
