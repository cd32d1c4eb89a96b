"""Transcript text is data: in every Markdown output it stays literal text."""
from __future__ import annotations

import pytest

from callcoach.render import markdown
from callcoach.transcript import Utterance


@pytest.mark.parametrize("raw, shown", [
    ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
    ("see [our site](http://x)", "see \\[our site\\](http://x)"),
    ("*really* _that_ good", "\\*really\\* \\_that\\_ good"),
    ("# not a heading | not a cell", "\\# not a heading \\| not a cell"),
    ("two\nlines", "two lines"),
], ids=["html", "link", "emphasis", "heading-and-pipe", "line-break"])
def test_escape_keeps_transcript_text_literal(raw, shown):
    assert markdown.escape(raw) == shown


def test_excerpts_escape_what_the_prospect_said():
    quoted = markdown.excerpt([Utterance(0, "Pat <admin>", "<b>Too</b> *pricey*", start=61.0)])
    assert quoted == "> `01:01` **Pat \\<admin\\>** (prospect): \\<b\\>Too\\</b\\> \\*pricey\\*"


def test_table_cells_keep_the_caller_markup_but_not_pipes():
    assert markdown.table(["verdict"], [["**flat** | x"]]) == (
        "| verdict |\n| --- |\n| **flat** \\| x |")
