"""callcoach's own JSON: the `callcoach inspect --format json` object (`Transcript.to_dict()`),
so a transcript can be fixed by hand and read back. Keys: call_id, rep, started_at,
call_type, account, duration, extra, utterances[{speaker, text, role?, start?, end?}];
`source`, `format`, `speakers`, `warnings` and utterance `index` are output-only and ignored.
A one-element list (what `inspect --format json` prints for a folder) is accepted too."""
from __future__ import annotations

from callcoach.readers.base import Document, Parsed, Reader, TurnBuilder, clean_text
from callcoach.readers.jsonutil import element, get, kind_of, need, seconds
from callcoach.transcript import ROLES

_META_KEYS = ("call_id", "rep", "started_at", "call_type", "account")


def _root(doc: Document):
    obj = doc.json()
    if isinstance(obj, list) and len(obj) == 1:
        return obj[0], "$[0]"
    return obj, "$"


def sniff(doc: Document) -> bool:
    obj, _ = _root(doc)
    return isinstance(obj, dict) and isinstance(obj.get("utterances"), list)


def parse(doc: Document) -> Parsed:
    obj, root = _root(doc)
    if isinstance(doc.json(), list) and root == "$":
        raise doc.error(f"a list of {len(doc.json())} transcripts; callcoach reads one call per file",
                        key="$", hint="write one object per file")
    turns = TurnBuilder()
    add = turns.add
    items = need(doc, obj, "utterances", root, "list")
    for i, u in enumerate(items):
        # What nearly every utterance is — speaker and text strings, times absent or
        # non-negative finite numbers, no role or a known one — is read here without the
        # typed accessors; anything else goes through `_utterance`, which reads the same
        # values or names the JSON path of the problem.
        if type(u) is dict:
            speaker, text, start, end, role = (u.get("speaker"), u.get("text"), u.get("start"),
                                               u.get("end"), u.get("role"))
            if type(speaker) is str and type(text) is str and (role is None or role in ROLES):
                start = _time(start)
                end = _time(end)
                if start is not _BAD and end is not _BAD:
                    add(speaker.strip(), clean_text(text), start, end, role)
                    continue
        _utterance(doc, turns, u, f"{root}.utterances[{i}]")
    meta: dict = {}
    for key in _META_KEYS:
        value = get(doc, obj, key, root, "string")
        if value:
            meta[key] = value
    duration = get(doc, obj, "duration", root, "number")
    if duration is not None:
        meta["duration"] = seconds(doc, duration, f"{root}.duration")
    extra = get(doc, obj, "extra", root, "object", {})
    meta["extra"] = {}
    for key, value in extra.items():
        if isinstance(value, (dict, list)):
            raise doc.error(f"extra values are plain text, found {kind_of(value)}",
                            key=f"{root}.extra.{key}")
        if value is not None:
            meta["extra"][str(key)] = str(value)
    return Parsed(turns.finish(), meta)


def _utterance(doc: Document, turns: TurnBuilder, u: object, p: str) -> None:
    """One utterance through the typed accessors: a clear error at its JSON path."""
    element(doc, u, p)
    role = get(doc, u, "role", p, "string")
    if role is not None and role not in ROLES:
        raise doc.error(f"role {role!r} is not one of {', '.join(ROLES)}", key=f"{p}.role")
    turns.add(need(doc, u, "speaker", p, "string").strip(),
              clean_text(need(doc, u, "text", p, "string")),
              seconds(doc, get(doc, u, "start", p, "number"), f"{p}.start"),
              seconds(doc, get(doc, u, "end", p, "number"), f"{p}.end"), role)


_BAD = object()
_INF = float("inf")


def _time(value: object) -> object:
    """`seconds(get(..., "number"))` for the values it surely accepts (None, a non-negative
    finite float or int); `_BAD` for anything else, which `_utterance` then reads."""
    if value is None:
        return None
    if type(value) is float:
        return value if 0.0 <= value < _INF else _BAD   # NaN fails both comparisons
    if type(value) is int:   # small enough that float() cannot fail: errors stay in order
        return float(value) if 0 <= value < 1 << 53 else _BAD
    return _BAD


READER = Reader("callcoach", parse, sniff, "json")
