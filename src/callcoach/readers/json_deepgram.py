"""Deepgram pre-recorded response: `results.utterances` when requested, otherwise the
words of `results.channels[].alternatives[0]` (diarized words carry `speaker`). Without
diarization the whole call is one speaker (or one per channel for multichannel audio)."""
from __future__ import annotations

from callcoach.readers.base import UNKNOWN_SPEAKER, Document, Parsed, Reader, TurnBuilder, clean_text
from callcoach.readers.jsonutil import elements, get, need, seconds, speaker_name, export_meta


def sniff(doc: Document) -> bool:
    obj = doc.json()
    results = obj.get("results") if isinstance(obj, dict) else None
    return isinstance(results, dict) and ("channels" in results or "utterances" in results)


def _who(speaker, channel, channels: int) -> str:
    if speaker is not None:
        return speaker_name(speaker)
    if channels > 1 and channel is not None:
        return f"Channel {channel}"
    return UNKNOWN_SPEAKER


def parse(doc: Document) -> Parsed:
    obj = doc.json()
    results = need(doc, obj, "results", "$", "object")
    channels = get(doc, results, "channels", "$.results", "list", [])
    turns = TurnBuilder()
    utterances = get(doc, results, "utterances", "$.results", "list")
    if utterances:
        for p, u in elements(doc, utterances, "$.results.utterances"):
            who = _who(get(doc, u, "speaker", p, "string or number"),
                       get(doc, u, "channel", p, "number"), len(channels))
            turns.add(who, clean_text(need(doc, u, "transcript", p, "string")),
                      seconds(doc, get(doc, u, "start", p, "number"), f"{p}.start"),
                      seconds(doc, get(doc, u, "end", p, "number"), f"{p}.end"))
    else:
        words: list[tuple[float, int, int, str, dict, float | None]] = []
        for ci, (cp, channel) in enumerate(elements(doc, channels, "$.results.channels")):
            alts = need(doc, channel, "alternatives", cp, "list")
            if not alts:
                continue
            ap = f"{cp}.alternatives[0]"
            for wp, w in elements(doc, get(doc, alts[0], "words", ap, "list", []), f"{ap}.words"):
                start = seconds(doc, get(doc, w, "start", wp, "number"), f"{wp}.start")
                words.append((start or 0.0, len(words), ci, wp, w, start))
        if len(channels) > 1:  # interleave channels by time; one channel is already in order
            words.sort(key=lambda t: (t[0], t[1]))
        for _, _, channel, wp, w, start in words:
            text = get(doc, w, "punctuated_word", wp, "string") or need(doc, w, "word", wp, "string")
            turns.add(_who(get(doc, w, "speaker", wp, "string or number"), channel, len(channels)),
                      text, start, seconds(doc, get(doc, w, "end", wp, "number"), f"{wp}.end"))
    metadata = get(doc, obj, "metadata", "$", "object", {})
    meta = export_meta(doc, duration=(metadata, "duration", "$.metadata"),
                       extra={"request_id": (metadata, "request_id", "$.metadata")})
    return Parsed(turns.finish(), meta)


READER = Reader("deepgram", parse, sniff, "json")
