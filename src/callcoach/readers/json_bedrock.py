"""Amazon Bedrock Data Automation (BDA) standard audio output: `audio_segments[]` with
`speaker.speaker_label` (spk_0, spk_1) and millisecond timestamps; `metadata.duration_millis`."""
from __future__ import annotations

from callcoach.readers.base import UNKNOWN_SPEAKER, Document, Parsed, Reader, TurnBuilder, clean_text
from callcoach.readers.jsonutil import elements, get, need, seconds, export_meta


def sniff(doc: Document) -> bool:
    obj = doc.json()
    return isinstance(obj, dict) and isinstance(obj.get("audio_segments"), list)


def parse(doc: Document) -> Parsed:
    obj = doc.json()
    turns = TurnBuilder()
    for p, seg in elements(doc, need(doc, obj, "audio_segments", "$", "list"), "$.audio_segments"):
        if get(doc, seg, "type", p, "string", "TRANSCRIPT") != "TRANSCRIPT":
            continue
        speaker = get(doc, get(doc, seg, "speaker", p, "object", {}), "speaker_label",
                      f"{p}.speaker", "string")
        if speaker is None:
            speaker = get(doc, get(doc, seg, "channel", p, "object", {}), "channel_label",
                          f"{p}.channel", "string", UNKNOWN_SPEAKER)
        start = seconds(doc, get(doc, seg, "start_timestamp_millis", p, "number"),
                        f"{p}.start_timestamp_millis", millis=True)
        end = seconds(doc, get(doc, seg, "end_timestamp_millis", p, "number"),
                      f"{p}.end_timestamp_millis", millis=True)
        turns.add(speaker, clean_text(need(doc, seg, "text", p, "string")), start, end)
    metadata = get(doc, obj, "metadata", "$", "object", {})
    audio = get(doc, obj, "audio", "$", "object", {})
    meta = export_meta(doc, duration=(metadata, "duration_millis", "$.metadata"), millis=True,
                       extra={"summary": (audio, "summary", "$.audio")})
    return Parsed(turns.finish(), meta)


READER = Reader("bedrock", parse, sniff, "json")
