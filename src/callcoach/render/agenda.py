"""The agenda as Markdown (for a 1:1 doc), self-contained HTML, or JSON.

The wording is built once here, as a list of blocks from the Agenda; one template per format
(render/templates/agenda.md.j2, agenda.html.j2) lays the blocks out, so the two always say
the same thing. JSON is `Agenda.to_dict()` (the contract documented in docs/agenda.md).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from callcoach.analytics.agenda import Agenda, Excerpt
from callcoach.analytics.rules import window_label
from callcoach.fmt import pct, rubric_label, when
from callcoach.render import pages


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


# -- Markdown and HTML: one template each (render/templates/) ---------------------------
def to_markdown(agenda: Agenda) -> str:
    return pages.render("agenda.md.j2", blocks=blocks(agenda))


def to_html(agenda: Agenda) -> str:
    bs = blocks(agenda)
    title = next((b.text for b in bs if b.kind == "h1"), "Coaching session")
    return pages.render("agenda.html.j2", blocks=bs, title=title)
