"""AssemblyAI transcript object: `utterances` (speaker_labels on) or else `words`
(millisecond times, `speaker` 'A', 'B' when diarized), or else the bare `text`."""
from __future__ import annotations

from callcoach.readers.base import UNKNOWN_SPEAKER, Document, Parsed, Reader, TurnBuilder, clean_text
from callcoach.readers.jsonutil import elements, get, need, seconds, speaker_name, export_meta


def sniff(doc: Document) -> bool:
    obj = doc.json()
    return isinstance(obj, dict) and ("utterances" in obj or "words" in obj) and (
        "audio_url" in obj or "audio_duration" in obj or "speaker_labels" in obj
        or "acoustic_model" in obj)


def parse(doc: Document) -> Parsed:
    obj = doc.json()
    turns = TurnBuilder()
    utterances = get(doc, obj, "utterances", "$", "list")
    words = get(doc, obj, "words", "$", "list")
    entries, path, text_key = (utterances, "$.utterances", "text") if utterances else \
        (words or [], "$.words", "text")
    for p, u in elements(doc, entries, path):
        speaker = get(doc, u, "speaker", p, "string or number")
        if speaker is None:
            channel = get(doc, u, "channel", p, "string or number")
            speaker = f"Channel {channel}" if channel is not None else None
        turns.add(speaker_name(speaker) if speaker is not None else UNKNOWN_SPEAKER,
                  clean_text(need(doc, u, text_key, p, "string")),
                  seconds(doc, get(doc, u, "start", p, "number"), f"{p}.start", millis=True),
                  seconds(doc, get(doc, u, "end", p, "number"), f"{p}.end", millis=True))
    if not entries:
        text = get(doc, obj, "text", "$", "string")
        if text:
            turns.add(UNKNOWN_SPEAKER, clean_text(text))
    meta = export_meta(doc, duration=(obj, "audio_duration", "$"),
                       extra={"transcript_id": (obj, "id", "$")})
    return Parsed(turns.finish(), meta)


READER = Reader("assemblyai", parse, sniff, "json")
