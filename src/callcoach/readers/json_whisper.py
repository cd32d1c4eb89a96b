"""Whisper-style output: `segments[]` with `start`, `end`, `text` in seconds — OpenAI
`verbose_json`, whisper-timestamped, faster-whisper dumps; WhisperX adds `speaker`."""
from __future__ import annotations

from callcoach.readers.base import UNKNOWN_SPEAKER, Document, Parsed, Reader, TurnBuilder, clean_text
from callcoach.readers.jsonutil import elements, get, need, seconds, speaker_name, export_meta


def sniff(doc: Document) -> bool:
    obj = doc.json()
    return isinstance(obj, dict) and isinstance(obj.get("segments"), list)


def parse(doc: Document) -> Parsed:
    obj = doc.json()
    turns = TurnBuilder()
    for p, seg in elements(doc, need(doc, obj, "segments", "$", "list"), "$.segments"):
        speaker = get(doc, seg, "speaker", p, "string or number")
        turns.add(speaker_name(speaker) if speaker is not None else UNKNOWN_SPEAKER,
                  clean_text(need(doc, seg, "text", p, "string")),
                  seconds(doc, get(doc, seg, "start", p, "number"), f"{p}.start"),
                  seconds(doc, get(doc, seg, "end", p, "number"), f"{p}.end"))
    return Parsed(turns.finish(), export_meta(doc, duration=(obj, "duration", "$")))


READER = Reader("whisper", parse, sniff, "json")
