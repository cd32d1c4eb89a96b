"""Gong: the transcript API shape (`callTranscripts[].transcript[].sentences[]`, times in
milliseconds, speakers as `speakerId`), optionally with call details from
`/v2/calls/extensive` — a top-level `calls[]` of `{metaData, parties}` (or `metaData` and
`parties` next to the transcript) — which give speaker names, affiliations and metadata.

One call per file: callcoach keys everything by file, so a multi-call export is refused
with a hint to split it.
"""
from __future__ import annotations

from callcoach.readers.base import Document, Parsed, Reader, TurnBuilder, clean_text
from callcoach.readers.jsonutil import elements, get, need, seconds, speaker_name

# Gong's party affiliation: External people are the prospect; Internal ones are the rep
# or a colleague, decided by name against the call's rep.
_AFFILIATION = {"external": "prospect", "internal": "internal"}


def sniff(doc: Document) -> bool:
    obj = doc.json()
    return isinstance(obj, dict) and isinstance(obj.get("callTranscripts"), list)


def _call_details(doc: Document, obj: dict, entry: dict, entry_path: str, call_id: str | None):
    """(metaData, parties, path) for this call, wherever the export put them."""
    for holder, path in ((entry, entry_path), (obj, "$")):
        meta = get(doc, holder, "metaData", path, "object")
        parties = get(doc, holder, "parties", path, "list")
        if meta is not None or parties is not None:
            return meta or {}, parties or [], path
    for p, call in elements(doc, get(doc, obj, "calls", "$", "list", []), "$.calls"):
        meta = get(doc, call, "metaData", p, "object", {})
        if call_id is None or str(get(doc, meta, "id", f"{p}.metaData", "string or number")) == call_id:
            return meta, get(doc, call, "parties", p, "list", []), p
    return {}, [], "$"


def parse(doc: Document) -> Parsed:
    obj = doc.json()
    calls = need(doc, obj, "callTranscripts", "$", "list")
    if len(calls) != 1:
        raise doc.error(f"holds {len(calls)} calls; callcoach reads one call per file",
                        key="$.callTranscripts", hint="split the export into one file per callId")
    entry_path = "$.callTranscripts[0]"
    entry = calls[0]
    raw_id = get(doc, entry, "callId", entry_path, "string or number")
    call_id = str(raw_id) if raw_id is not None else None
    meta_data, parties, details_path = _call_details(doc, obj, entry, entry_path, call_id)

    names: dict[str, tuple[str, str | None]] = {}
    user_names: dict[str, str] = {}
    for p, party in elements(doc, parties, f"{details_path}.parties"):
        name = get(doc, party, "name", p, "string") or get(doc, party, "emailAddress", p, "string")
        if not name:
            continue
        affiliation = get(doc, party, "affiliation", p, "string", "")
        sid = get(doc, party, "speakerId", p, "string or number")
        if sid is not None:
            names[str(sid)] = (name.strip(), _AFFILIATION.get(affiliation.casefold()))
        uid = get(doc, party, "userId", p, "string or number")
        if uid is not None:
            user_names[str(uid)] = name.strip()

    turns = TurnBuilder()
    for mp, monologue in elements(doc, need(doc, entry, "transcript", entry_path, "list"),
                                  f"{entry_path}.transcript"):
        sid = str(need(doc, monologue, "speakerId", mp, "string or number"))
        name, role = names.get(sid, (speaker_name(sid), None))
        for sp, sentence in elements(doc, need(doc, monologue, "sentences", mp, "list"),
                                     f"{mp}.sentences"):
            turns.add(name, clean_text(need(doc, sentence, "text", sp, "string")),
                      seconds(doc, get(doc, sentence, "start", sp, "number"), f"{sp}.start", millis=True),
                      seconds(doc, get(doc, sentence, "end", sp, "number"), f"{sp}.end", millis=True),
                      role)

    mp = f"{details_path}.metaData"
    meta: dict = {"extra": {}}
    meta_id = get(doc, meta_data, "id", mp, "string or number")
    if meta_id is not None or call_id is not None:
        meta["call_id"] = str(meta_id if meta_id is not None else call_id)
    started = get(doc, meta_data, "started", mp, "string") or get(doc, meta_data, "scheduled", mp, "string")
    if started:
        meta["started_at"] = started
    duration = get(doc, meta_data, "duration", mp, "number")
    if duration is not None:
        meta["duration"] = seconds(doc, duration, f"{mp}.duration")
    primary = get(doc, meta_data, "primaryUserId", mp, "string or number")
    if primary is not None and str(primary) in user_names:
        meta["rep"] = user_names[str(primary)]
    for key in ("title", "url", "direction", "system"):
        value = get(doc, meta_data, key, mp, "string")
        if value:
            meta["extra"][key] = value
    return Parsed(turns.finish(), meta)


READER = Reader("gong", parse, sniff, "json")
