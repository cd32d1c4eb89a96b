"""Amazon Bedrock Data Automation (BDA) standard audio output: `audio_segments[]` with
`speaker.speaker_label` (spk_0, spk_1) and millisecond timestamps; `metadata.duration_millis`."""
from __future__ import annotations

from callcoach.readers.base import UNKNOWN_SPEAKER, Document, Parsed, Reader, TurnBuilder, clean_text
from callcoach.readers.jsonutil import elements, get, need, seconds


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
    meta: dict = {"extra": {}}
    metadata = get(doc, obj, "metadata", "$", "object", {})
    duration = get(doc, metadata, "duration_millis", "$.metadata", "number")
    if duration is not None:
        meta["duration"] = seconds(doc, duration, "$.metadata.duration_millis", millis=True)
    summary = get(doc, get(doc, obj, "audio", "$", "object", {}), "summary", "$.audio", "string")
    if summary:
        meta["extra"]["summary"] = summary
    return Parsed(turns.finish(), meta)


READER = Reader("bedrock", parse, sniff, (".json",), "json",
                "Amazon Bedrock Data Automation audio output (audio_segments[])")
