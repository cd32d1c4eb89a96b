"""WebVTT: Zoom (`Name: text` cues, numbered) and Teams (`<v Name>text</v>`, GUID cue ids,
multi-line cues, often UTF-16 or with a BOM)."""
from __future__ import annotations

from callcoach.readers.base import Document, Parsed, Reader
from callcoach.readers.cues import parse_cues


def sniff(doc: Document) -> bool:
    head = doc.head(1)
    return bool(head) and head[0].lstrip().startswith("WEBVTT")


def parse(doc: Document) -> Parsed:
    return parse_cues(doc, header="WEBVTT")


READER = Reader("vtt", parse, sniff, "text")
