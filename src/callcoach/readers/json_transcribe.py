"""Amazon Transcribe standard output: `results.items` (words and punctuation) with speakers
from the items' own `speaker_label`, from `results.speaker_labels.segments`, or from
`results.channel_labels` (channel identification)."""
from __future__ import annotations

from callcoach.readers.base import UNKNOWN_SPEAKER, Document, Parsed, Reader, TurnBuilder
from callcoach.readers.jsonutil import elements, get, need, seconds, export_meta


def sniff(doc: Document) -> bool:
    obj = doc.json()
    results = obj.get("results") if isinstance(obj, dict) else None
    return isinstance(results, dict) and ("items" in results or "transcripts" in results)


def _labels_by_start(doc: Document, results: dict, block: str, entries: str, label: str) -> dict[str, str]:
    """start_time -> speaker/channel label, from speaker_labels.segments[].items[] or
    channel_labels.channels[].items[]."""
    out: dict[str, str] = {}
    section = get(doc, results, block, "$.results", "object")
    if section is None:
        return out
    base = f"$.results.{block}"
    for p, entry in elements(doc, get(doc, section, entries, base, "list", []), f"{base}.{entries}"):
        owner = get(doc, entry, label, p, "string")
        for q, item in elements(doc, get(doc, entry, "items", p, "list", []), f"{p}.items"):
            start = get(doc, item, "start_time", q, "string or number")
            who = get(doc, item, label, q, "string", owner)
            if start is not None and who is not None:
                out[str(start)] = who
    return out


def parse(doc: Document) -> Parsed:
    obj = doc.json()
    results = need(doc, obj, "results", "$", "object")
    items = need(doc, results, "items", "$.results", "list")
    by_speaker = _labels_by_start(doc, results, "speaker_labels", "segments", "speaker_label")
    by_channel = _labels_by_start(doc, results, "channel_labels", "channels", "channel_label")
    turns = TurnBuilder()
    speaker = UNKNOWN_SPEAKER
    for p, item in elements(doc, items, "$.results.items"):
        alternatives = need(doc, item, "alternatives", p, "list")
        if not alternatives:
            raise doc.error("'alternatives' is empty", key=f"{p}.alternatives")
        content = need(doc, alternatives[0], "content", f"{p}.alternatives[0]", "string")
        if get(doc, item, "type", p, "string") == "punctuation":
            turns.attach(content)
            continue
        raw_start = get(doc, item, "start_time", p, "string or number")
        start = seconds(doc, raw_start, f"{p}.start_time")
        end = seconds(doc, get(doc, item, "end_time", p, "string or number"), f"{p}.end_time")
        key = str(raw_start)
        speaker = (get(doc, item, "speaker_label", p, "string") or by_speaker.get(key)
                   or get(doc, item, "channel_label", p, "string") or by_channel.get(key) or speaker)
        turns.add(speaker, content, start, end)
    return Parsed(turns.finish(), export_meta(doc, extra={"job_name": (obj, "jobName", "$")}))


READER = Reader("transcribe", parse, sniff, "json")
