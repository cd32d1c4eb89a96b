"""The transcript readers, one module per format, in a registry keyed by format name.

`choose` picks a reader for a document: an explicit `input_format` wins; JSON is told apart
by its keys (first match in `JSON_ORDER`); text is told apart by its first lines (WEBVTT
header, SRT timing, Otter header, CSV header); otherwise the file extension decides, and
plain text is the last resort.
"""
from __future__ import annotations

from callcoach.readers import (csv, json_assemblyai, json_bedrock, json_call_analytics, json_callcoach,
                               json_deepgram, json_gong, json_transcribe, json_whisper, otter, srt, text,
                               vtt)
from callcoach.errors import TranscriptError
from callcoach.readers.base import Document, Fragment, Parsed, Reader

READERS: dict[str, Reader] = {r.name: r for r in (
    text.READER, otter.READER, vtt.READER, srt.READER, csv.READER,
    json_transcribe.READER, json_call_analytics.READER, json_bedrock.READER,
    json_deepgram.READER, json_assemblyai.READER, json_whisper.READER, json_gong.READER,
    json_callcoach.READER,
)}

# Most specific shapes first: AssemblyAI and callcoach both have `utterances`, Deepgram and
# Transcribe both have `results`.
JSON_ORDER: tuple[str, ...] = ("gong", "call-analytics", "transcribe", "deepgram", "bedrock",
                               "assemblyai", "whisper", "callcoach")
TEXT_ORDER: tuple[str, ...] = ("vtt", "srt", "otter", "csv")

EXTENSIONS: dict[str, str] = {".vtt": "vtt", ".srt": "srt", ".csv": "csv", ".tsv": "csv",
                              ".txt": "text", ".md": "text", ".text": "text", ".json": "json"}


def choose(doc: Document, input_format: str | None = None) -> Reader:
    """The reader for this document (see the module docstring for the order)."""
    if input_format:
        return READERS[input_format]
    suffix = doc.path.suffix.casefold()
    if suffix == ".json" or (doc.looks_like_json() and _parses(doc)):
        obj = doc.json()
        for name in JSON_ORDER:
            if READERS[name].sniff(doc):
                return READERS[name]
        keys = ", ".join(sorted(obj)[:8]) if isinstance(obj, dict) else f"a top-level {type(obj).__name__}"
        raise doc.error(f"JSON of an unknown shape ({keys})", key="$", shape=True,
                        hint="known: " + ", ".join(JSON_ORDER) + "; or pass --input-format")
    for name in TEXT_ORDER:
        if READERS[name].sniff(doc):
            return READERS[name]
    by_extension = EXTENSIONS.get(suffix)
    if by_extension and by_extension != "json":
        return READERS[by_extension]
    return READERS["text"]


def _parses(doc: Document) -> bool:
    """A .txt starting with `[` may be `[00:12] Dana: …`, not JSON: only JSON if it parses."""
    try:
        doc.json()
    except TranscriptError:
        return False
    return True


__all__ = ["READERS", "JSON_ORDER", "EXTENSIONS", "Document", "Fragment", "Parsed", "Reader", "choose"]
