"""Amazon Transcribe Call Analytics output: `Transcript[]` turns with `ParticipantRole`
(AGENT -> rep, CUSTOMER -> prospect) and millisecond offsets."""
from __future__ import annotations

from callcoach.readers.base import Document, Parsed, Reader, TurnBuilder, clean_text, role_of_label
from callcoach.readers.jsonutil import elements, get, need, seconds, export_meta


def sniff(doc: Document) -> bool:
    obj = doc.json()
    return isinstance(obj, dict) and isinstance(obj.get("Transcript"), list) and (
        "Participants" in obj or "JobStatus" in obj or "ConversationCharacteristics" in obj
        or any(isinstance(t, dict) and "ParticipantRole" in t for t in obj["Transcript"][:3]))


def parse(doc: Document) -> Parsed:
    obj = doc.json()
    turns = TurnBuilder()
    for p, entry in elements(doc, need(doc, obj, "Transcript", "$", "list"), "$.Transcript"):
        label = need(doc, entry, "ParticipantRole", p, "string")
        role = role_of_label(label)
        if role is None:
            # channel-only jobs label participants AGENT/CUSTOMER; anything else is a third party
            role = "other"
        text = clean_text(need(doc, entry, "Content", p, "string"))
        start = seconds(doc, get(doc, entry, "BeginOffsetMillis", p, "number"),
                        f"{p}.BeginOffsetMillis", millis=True)
        end = seconds(doc, get(doc, entry, "EndOffsetMillis", p, "number"),
                      f"{p}.EndOffsetMillis", millis=True)
        turns.add(label.strip().title(), text, start, end, role)
    chars = get(doc, obj, "ConversationCharacteristics", "$", "object", {})
    meta = export_meta(doc, duration=(chars, "TotalConversationDurationMillis",
                                      "$.ConversationCharacteristics"), millis=True,
                       extra={"job_name": (obj, "JobName", "$")})
    categories = get(doc, get(doc, obj, "Categories", "$", "object", {}), "MatchedCategories",
                     "$.Categories", "list", [])
    if categories:
        meta["extra"]["categories"] = ",".join(str(c) for c in categories)
    return Parsed(turns.finish(), meta)


READER = Reader("call-analytics", parse, sniff, "json")
