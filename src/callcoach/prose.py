"""How coaching text is worded: the sentences of an agenda and of each check type's coaching
narrative (scoring/checks/). Curly quotes and "twice", unlike the terse one-line reasons
that scoring stores (scoring/checks/base.py)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from callcoach.fmt import shorten

if TYPE_CHECKING:
    from callcoach.rubric.model import Span


def plural(count: int, noun: str) -> str:
    return noun if count == 1 else noun + "s"


def times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def names(items: list[str], last: str = "and") -> str:
    if not items:
        return "none"
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def quote(text: str, limit: int = 140) -> str:
    """Text in curly quotes, once: an anchor written as "..." is not quoted twice, and a
    quotation inside it takes single quotes (“Right after hellos: ‘Before we dive in…’”)."""
    text = " ".join(text.split())
    if len(text) >= 2 and text[0] + text[-1] in ('""', "“”", "''", "‘’"):
        text = text[1:-1].strip()
    text = re.sub(r'"([^"]*)"', "‘\\1’", text)
    return f"“{shorten(text, limit)}”"


def end(text: str) -> str:
    """A sentence ending in a quotation gets no second full stop: 'said “Hi.”' not '“Hi.”.'"""
    return text if text.rstrip("”’\"'")[-1:] in (".", "?", "!", "…") else text + "."


def upper_first(text: str) -> str:
    # Start a sentence without str.capitalize(), which would lower-case the rest of it: a
    # rep's name ("Priya Natarajan's ...") or an acronym ("BANT") must keep its capitals.
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    # "Discovery question completion" -> "discovery question completion"; keep "BANT ...".
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def span(bound: Span | None) -> str:
    """'2 minutes', '90 seconds', '20%', '10 turns'."""
    if bound is None:
        return "part"
    if bound.unit == "seconds":
        v = bound.value
        return f"{v / 60:g} minutes" if v >= 60 and v % 60 == 0 else f"{v:g} seconds"
    return f"{bound.value:g}%" if bound.unit == "percent" else f"{bound.value:g} turns"
