"""SubRip (.srt): numbered cues, `00:00:01,000 --> 00:00:04,000`, speakers as `Name:`,
`[Name]` or `<v Name>` prefixes when the tool wrote them."""
from __future__ import annotations

import re

from callcoach.readers.base import Document, Parsed, Reader
from callcoach.readers.cues import parse_cues

_SRT_TIMING = re.compile(r"^\s*\d{1,3}:\d{2}:\d{2},\d{1,3}\s+-->\s+")


def sniff(doc: Document) -> bool:
    head = doc.head(3)
    return any(_SRT_TIMING.match(line) for line in head[:2])


def parse(doc: Document) -> Parsed:
    return parse_cues(doc, header=None)


READER = Reader("srt", parse, sniff, "text")
