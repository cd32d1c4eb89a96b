"""Plain text, one turn per line: `Name: text`, optionally with a timestamp — `[mm:ss]`,
`[hh:mm:ss]`, `(0:12)` or a bare `0:12` before the name, or `[..]`/`(..)` right after it —
and the Markdown variant `**Name** [hh:mm:ss] text` (or `**Name:** text`). `REP:`,
`PROSPECT:`, `AGENT:`, `CUSTOMER:` are role labels. A line that is not a turn continues the
previous turn; lines before the first turn (a title, a date) are skipped."""
from __future__ import annotations

import functools
import re

from callcoach.readers.base import (UNSET, Document, Parsed, Reader, TurnBuilder, annotation_key,
                                    clean_text, parse_clock, plausible_name, role_of_label)

_CLOCK = r"\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_PREFIX = re.compile(rf"^(?:\[\s*({_CLOCK})\s*\]|\(\s*({_CLOCK})\s*\)|({_CLOCK})(?=\s))\s*(?:[-–]\s*)?")
_BOLD = re.compile(r"^\*\*([^*]{1,60}?)\s*:?\s*\*\*\s*:?\s*")
_NAME = re.compile(r"^([^:\[\]()<>{}*]{1,60}?)\s*(?:(?:\[\s*(" + _CLOCK + r")\s*\]|\(\s*(" + _CLOCK
                   + r")\s*\))\s*)?:(?:\s+|$)")
_AFTER = re.compile(rf"^(?:\[\s*({_CLOCK})\s*\]|\(\s*({_CLOCK})\s*\))\s*:?\s*")


class BadClock(ValueError):
    """A turn's timestamp that is no time (`[12:75]`, `99:99:99.999`)."""


def _time(raw: str) -> float:
    seconds = parse_clock(raw)
    if seconds is None:
        raise BadClock(raw)
    return seconds


def split_turn(line: str) -> tuple[str, float | None, str] | None:
    """'[00:12] Dana: Hi' -> ('Dana', 12.0, 'Hi'); None when the line is not a turn.
    A timestamp that is no time (seconds past 59) raises `BadClock`."""
    s = line.strip()
    start = None
    m = _PREFIX.match(s)
    if m:
        start = _time(m.group(1) or m.group(2) or m.group(3))
        s = s[m.end():]
    m = _BOLD.match(s)
    if m:
        name = m.group(1).strip()
        s = s[m.end():]
        after = _AFTER.match(s)
        if after:
            start = _time(after.group(1) or after.group(2)) if start is None else start
            s = s[after.end():]
        return (name, start, s) if plausible_name(name) else None
    m = _NAME.match(s)
    if m and plausible_name(m.group(1).strip()):
        if start is None and (m.group(2) or m.group(3)):
            start = _time(m.group(2) or m.group(3))
        return m.group(1).strip(), start, s[m.end():]
    return None


def sniff(doc: Document) -> bool:
    head = doc.head(10)
    return sum(_is_turn(line) for line in head) >= max(1, len(head) // 2)


def _is_turn(line: str) -> bool:
    try:
        return split_turn(line) is not None
    except BadClock:   # a turn with a bad time: `parse` says where
        return True


# Nearly every line of a timestamped export is `[mm:ss] Name: text`. `parse` reads such a line
# with one match at its offset in the whole text and splits it at the first ': ', caching
# what each name means; a line of any other shape — or a name `split_turn` would not take as
# is — goes through `_read_line`, the general path, so both give the same turns.
_SIMPLE_LINE = re.compile(r"\[([0-9]{1,3}:[0-9]{2}(?::[0-9]{2})?)\] (\S[^\n]*+)(?:\n|\Z)")
_NOT_IN_NAME = frozenset(":[]()<>{}*\n")   # `_NAME`'s excluded characters
_clock = functools.lru_cache(maxsize=1 << 16)(_time)   # a few thousand values in all


def _speaker(name: str) -> tuple[str, str | None] | None:
    """What `split_turn` makes of the `Name` of `[mm:ss] Name: text` (split at the first
    ': '): (speaker, role label); None when `_read_line` must decide — a leading dash
    (`_PREFIX` takes it), a character `_NAME` refuses, not `plausible_name`, or an
    annotation like 'Meeting title'."""
    stripped = name.strip()
    if not name or name[0] in "-\u2013" or not _NOT_IN_NAME.isdisjoint(name) \
            or not plausible_name(stripped) or annotation_key(stripped) is not None:
        return None
    return stripped, role_of_label(stripped)


def _read_line(turns: TurnBuilder, meta: dict, line: str) -> None:
    """One line, any shape: a turn, an annotation, or a continuation of the last turn."""
    if not line.strip():
        return
    turn = split_turn(line)
    if turn is None:
        if turns.speaker is not None:  # a wrapped line continues the turn
            turns.add(turns.speaker, clean_text(line), role=role_of_label(turns.speaker))
        return
    name, start, text = turn
    key = annotation_key(name)
    if key is not None:
        meta["extra"][key] = clean_text(text)
        return
    turns.add(name, clean_text(text), start, None, role_of_label(name))


def parse(doc: Document) -> Parsed:
    turns = TurnBuilder()
    meta: dict = {"extra": {}}
    text = doc.text
    n = len(text)
    simple, add, clock = _SIMPLE_LINE.match, turns.add, _clock
    names: dict[str, tuple[str, str | None] | None] = {}
    pos = 0
    try:
        while pos < n:
            m = simple(text, pos)
            if m is not None:
                when, rest = m.groups()
                name, colon, words = rest.partition(": ")
                if colon:
                    who = names.get(name, UNSET)
                    if who is UNSET:
                        who = names[name] = _speaker(name)
                    if who is not None:
                        add(who[0], clean_text(words), clock(when), None, who[1])
                        pos = m.end()
                        continue
            nl = text.find("\n", pos)
            if nl < 0:
                nl = n
            _read_line(turns, meta, text[pos:nl])
            pos = nl + 1
    except BadClock as e:
        raise doc.error(f"timestamp {e.args[0]!r} is not a time", line=text.count("\n", 0, pos) + 1,
                        hint="minutes and seconds go up to 59 (mm:ss or hh:mm:ss)") from None
    result = turns.finish()
    if not result:
        last_line = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
        raise doc.error("no turns found", line=max(last_line, 1), shape=bool(text.strip()),
                        hint="plain-text transcripts need lines like 'Name: what they said'")
    return Parsed(result, meta)


def mostly_prose(doc: Document) -> bool:
    """Whether the text's first turn comes after more than half of its non-blank lines: a
    notes file with a stray `Label: value` line (a folder's SOURCES.md), not a transcript
    with a title above it. Only asked of files nothing names as calls."""
    before, total = 0, 0
    seen_turn = False
    for _, line in doc.lines():
        if not line.strip():
            continue
        total += 1
        if not seen_turn:
            if split_turn(line) is not None:
                seen_turn = True
            else:
                before += 1
    return before * 2 > total



READER = Reader("text", parse, sniff, "text")
