"""Otter.ai text export: a header line `Name  m:ss` (or `**Name**  m:ss` after editing),
the turn's text on the following lines, a blank line; `Unknown Speaker` for undiarized
voices; a `Transcribed by https://otter.ai` footer that is not speech."""
from __future__ import annotations

import re

from callcoach.readers.base import Document, Parsed, Reader, TurnBuilder, clean_text, parse_clock, role_of_label

HEADER = re.compile(r"^(\*\*)?([^\s*](?:[^*]{0,60}?[^\s*])?)(?:\*\*)?[ \t]{2,}(\d{1,2}:\d{2}(?::\d{2})?)\s*$")
_FOOTER = re.compile(r"^\s*transcribed by\s+https?://(www\.)?otter\.ai\s*$", re.IGNORECASE)


def sniff(doc: Document) -> bool:
    head = doc.head(3)
    return bool(head) and HEADER.match(head[0]) is not None


def parse(doc: Document) -> Parsed:
    turns = TurnBuilder()
    speaker: str | None = None
    start: float | None = None
    last_line = 0
    for lineno, line in doc.lines():
        last_line = lineno
        if not line.strip():
            continue
        m = HEADER.match(line)
        if m:
            speaker, start = m.group(2).strip(), parse_clock(m.group(3))
            if start is None:
                raise doc.error(f"timestamp {m.group(3)!r} is not a time", line=lineno,
                                hint="minutes and seconds go up to 59 (m:ss or h:mm:ss)")
            continue
        if _FOOTER.match(line):
            continue
        if speaker is None:  # text before the first header: not attributable, skip
            continue
        turns.add(speaker, clean_text(line), start, None, role_of_label(speaker))
        start = None  # later lines of the same block continue the turn
    result = turns.finish()
    if not result:
        raise doc.error("no turns found", line=max(last_line, 1),
                        hint="Otter exports look like 'Name  0:12' then the text on the next line")
    return Parsed(result, {"extra": {}})


READER = Reader("otter", parse, sniff, "text")
