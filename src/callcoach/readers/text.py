"""Plain text, one turn per line: `Name: text`, optionally with a timestamp — `[mm:ss]`,
`[hh:mm:ss]`, `(0:12)` or a bare `0:12` before the name, or `[..]`/`(..)` right after it —
and the Markdown variant `**Name** [hh:mm:ss] text` (or `**Name:** text`). `REP:`,
`PROSPECT:`, `AGENT:`, `CUSTOMER:` are role labels. A line that is not a turn continues the
previous turn; lines before the first turn (a title, a date) are skipped."""
from __future__ import annotations

import re

from callcoach.readers.base import (Document, Parsed, Reader, TurnBuilder, annotation_key, clean_text,
                                    parse_clock, plausible_name, role_of_label)

_CLOCK = r"\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_PREFIX = re.compile(rf"^(?:\[\s*({_CLOCK})\s*\]|\(\s*({_CLOCK})\s*\)|({_CLOCK})(?=\s))\s*(?:[-–]\s*)?")
_BOLD = re.compile(r"^\*\*([^*]{1,60}?)\s*:?\s*\*\*\s*:?\s*")
_NAME = re.compile(r"^([^:\[\]()<>{}*]{1,60}?)\s*(?:(?:\[\s*(" + _CLOCK + r")\s*\]|\(\s*(" + _CLOCK
                   + r")\s*\))\s*)?:(?:\s+|$)")
_AFTER = re.compile(rf"^(?:\[\s*({_CLOCK})\s*\]|\(\s*({_CLOCK})\s*\))\s*:?\s*")


def split_turn(line: str) -> tuple[str, float | None, str] | None:
    """'[00:12] Dana: Hi' -> ('Dana', 12.0, 'Hi'); None when the line is not a turn."""
    s = line.strip()
    start = None
    m = _PREFIX.match(s)
    if m:
        start = parse_clock(m.group(1) or m.group(2) or m.group(3))
        s = s[m.end():]
    m = _BOLD.match(s)
    if m:
        name = m.group(1).strip()
        s = s[m.end():]
        after = _AFTER.match(s)
        if after:
            start = parse_clock(after.group(1) or after.group(2)) if start is None else start
            s = s[after.end():]
        return (name, start, s) if plausible_name(name) else None
    m = _NAME.match(s)
    if m and plausible_name(m.group(1).strip()):
        if start is None and (m.group(2) or m.group(3)):
            start = parse_clock(m.group(2) or m.group(3))
        return m.group(1).strip(), start, s[m.end():]
    return None


def sniff(doc: Document) -> bool:
    head = doc.head(10)
    return sum(split_turn(line) is not None for line in head) >= max(1, len(head) // 2)


def parse(doc: Document) -> Parsed:
    turns = TurnBuilder()
    meta: dict = {"extra": {}}
    last_line = 0
    for lineno, line in doc.lines():
        last_line = lineno
        if not line.strip():
            continue
        turn = split_turn(line)
        if turn is None:
            if turns.speaker is not None:  # a wrapped line continues the turn
                turns.add(turns.speaker, clean_text(line), role=role_of_label(turns.speaker))
            continue
        name, start, text = turn
        key = annotation_key(name)
        if key is not None:
            meta["extra"][key] = clean_text(text)
            continue
        turns.add(name, clean_text(text), start, None, role_of_label(name))
    result = turns.finish()
    if not result:
        raise doc.error("no turns found", line=max(last_line, 1),
                        hint="plain-text transcripts need lines like 'Name: what they said'")
    return Parsed(result, meta)


READER = Reader("text", parse, sniff, (".txt", ".md", ".text"), "text",
                "plain text, one `Name: text` line per turn (optional [mm:ss] timestamps)")
