"""The page templates (render/templates/): every value is escaped by the environment, so a
name or a note can never become markup in a manager's document."""
from __future__ import annotations

from callcoach.render import pages

HOSTILE = "<script>alert(1)</script> *bold* [link](http://x) | pipe # head"


def _view(text: str) -> dict:
    window = {"text": "50% (2)", "call_ids": [text]}
    return {"settings": text, "legend": "legend", "warnings": [text], "flags": [text],
            "rows": [{"rep": text, "criterion": text, "held_on": "2026-10-01",
                      "windows": [window, window, window], "change": "+1.0",
                      "verdict": "flat", "overall": "50 → 51", "css": "flat"}],
            "trends": [{"title": text, "rep": text, "criterion": text,
                        "first_week": "2026-09-28", "pass_mark": "70", "line": "▁▂",
                        "marks": " ▲", "chart": pages.markup("<svg></svg>")}]}


def test_html_template_escapes_every_value_but_marked_markup():
    page = pages.render("progress.html.j2", view=_view(HOSTILE))
    assert "<script>" not in page
    # settings, rep, criterion, 3 window tooltips, warning, flag, caption rep and criterion
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 10
    assert "<figure><svg></svg>" in page   # built and escaped by render/svg.py


def test_markdown_template_escapes_every_value():
    text = pages.render("progress.md.j2", view=_view(HOSTILE))
    escaped = r"\<script\>alert(1)\</script\> \*bold\* \[link\](http://x) \| pipe \# head"
    assert "<script>" not in text and "*bold*" not in text.replace(r"\*bold\*", "")
    assert text.count(escaped) == 6   # settings, rep, criterion, warning, flag, trend title
    assert "| **flat** |" in text   # the template's own markup stays markup


def test_agenda_templates_render_an_excerpt_gap_and_an_empty_excerpt():
    from callcoach.analytics.agenda import Line
    from callcoach.render.agenda import Block

    lines = (Line(1, 5.0, "Pat", "prospect", "Too  pricey.", False),
             Line(4, 9.0, "Dana", "rep", "I hear you.", True))
    blocks = [Block("h1", "T"), Block("excerpt", items=lines), Block("excerpt", items=())]
    md = pages.render("agenda.md.j2", blocks=blocks)
    assert md == ("# T\n\n> **00:05 Pat** (prospect): Too pricey.\n>\n> …\n>\n"
                  "> **00:09 Dana** (rep): **I hear you.** ◀\n\n"
                  "> (no transcript stored for this call)\n")
    html = pages.render("agenda.html.j2", blocks=blocks, title="T")
    assert '<p class="line gap">…</p>' in html and "(no transcript stored for this call)" in html
