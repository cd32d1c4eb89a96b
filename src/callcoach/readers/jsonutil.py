"""Typed access to parsed JSON that blames a JSON path (`$.results.items[12].start_time`)
instead of raising KeyError/TypeError deep in a reader."""
from __future__ import annotations

from typing import Any, Iterator

from callcoach.readers.base import UNKNOWN_SPEAKER, Document

_KINDS: dict[str, tuple[type, ...]] = {
    "object": (dict,), "list": (list,), "string": (str,), "number": (int, float),
    "string or number": (str, int, float), "boolean": (bool,),
}


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _ok(value: Any, kind: str) -> bool:
    if isinstance(value, bool) and kind != "boolean":
        return False
    return isinstance(value, _KINDS[kind])


def need(doc: Document, obj: Any, key: str, path: str, kind: str) -> Any:
    """obj[key], which must exist and be of `kind`."""
    value = get(doc, obj, key, path, kind)
    if value is None:
        raise doc.error(f"missing {key!r} ({kind} expected)", key=path)
    return value


def get(doc: Document, obj: Any, key: str, path: str, kind: str, default: Any = None) -> Any:
    """obj[key] if present and not null (checked against `kind`), else `default`."""
    if not isinstance(obj, dict):
        raise doc.error(f"expected an object, found {kind_of(obj)}", key=path)
    value = obj.get(key)
    if value is None:
        return default
    if not _ok(value, kind):
        raise doc.error(f"{key!r} should be {kind}, found {kind_of(value)}", key=f"{path}.{key}")
    return value


def elements(doc: Document, items: list, path: str, kind: str = "object") -> Iterator[tuple[str, Any]]:
    """(path, element) for each element of a list, each checked against `kind`."""
    for i, item in enumerate(items):
        p = f"{path}[{i}]"
        yield p, element(doc, item, p, kind)


def element(doc: Document, item: Any, path: str, kind: str = "object") -> Any:
    """One list element (at `path`), checked against `kind`."""
    if not _ok(item, kind):
        raise doc.error(f"expected {kind}, found {kind_of(item)}", key=path)
    return item


def seconds(doc: Document, value: Any, path: str, *, millis: bool = False) -> float | None:
    """A time as seconds (numbers or numeric strings like Transcribe's "12.34"); None stays None."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise doc.error(f"time {value!r} is not a number", key=path) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value \
            or value < 0 or value in (float("inf"),):
        raise doc.error(f"time should be a non-negative number, found {value!r}", key=path)
    return value / 1000.0 if millis else float(value)


def speaker_name(value: Any, prefix: str = "Speaker") -> str:
    """Engines label speakers 0, 1, 'A', 'spk_0', 'SPEAKER_00'; keep words, prefix bare ids."""
    text = str(value).strip()
    if not text:
        return UNKNOWN_SPEAKER
    if text.isdigit() or (len(text) == 1 and text.isalpha()):
        return f"{prefix} {text}"
    return text


def export_meta(doc: Document, *, duration: tuple[Any, str, str] | None = None,
                millis: bool = False, extra: dict[str, tuple[Any, str, str]] | None = None) -> dict:
    """The call metadata a JSON export carries: its duration, as seconds, and identifying
    strings kept as extra fields. Each source is (container, key, the container's JSON path).

    >>> export_meta(None, duration=({"audio_duration": 12.5}, "audio_duration", "$"),
    ...             extra={"transcript_id": ({"id": "t1"}, "id", "$")})
    {'extra': {'transcript_id': 't1'}, 'duration': 12.5}
    """
    meta: dict = {"extra": {}}
    if duration is not None:
        holder, key, path = duration
        value = get(doc, holder, key, path, "number")
        if value is not None:
            meta["duration"] = seconds(doc, value, f"{path}.{key}", millis=millis)
    for name, (holder, key, path) in (extra or {}).items():
        value = get(doc, holder, key, path, "string")
        if value:
            meta["extra"][name] = value
    return meta
