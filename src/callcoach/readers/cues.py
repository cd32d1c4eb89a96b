"""Cue-based captions (WebVTT and SRT): blocks of an optional id, a timing line and payload
lines. Speakers come from `<v Name>` voice tags (Teams), a `Name:` prefix (Zoom), or an
`[Name]` / `>> Name:` prefix (SRT conventions); a cue with none continues the previous
speaker."""
from __future__ import annotations

import re
from typing import Iterator

from callcoach.readers.base import (UNKNOWN_SPEAKER, Document, Parsed, TurnBuilder, annotation_key,
                                    clean_text, parse_clock, plausible_name, role_of_label)

_TIMING = re.compile(r"^\s*(\S+)\s+-->\s+(\S+)")
# The shape nearly every cue has (`00:01:02.500 --> 00:01:04.000`, `,` in SRT), read in one
# match; anything else goes through `_TIMING` + `parse_clock`, which give the same seconds.
_FULL_TIMING = re.compile(r"^\s*(\d{1,3}):(\d{1,3}):(\d{1,2})[.,](\d{3})\s+-->\s+"
                          r"(\d{1,3}):(\d{1,3}):(\d{1,2})[.,](\d{3})(?:\s|$)")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{0,200}>")
_COLON = re.compile(r"^(?:>>\s*)?([^:<>\[\]]{1,60}?)\s*:(?:\s+|$)(.*)$")
_BRACKET = re.compile(r"^\[([^\]]{1,60})\]\s*:?\s*(.*)$")
_SPLIT_BELOW = 4_000_000   # characters: see `blocks`


def blocks(doc: Document) -> Iterator[tuple[int, list[str]]]:
    """(first line number, lines) for each blank-line separated block."""
    start, lines = 0, []
    text = doc.text
    # One split is C speed where `doc.lines()` is a Python generator step per line; above a
    # few MB the lazy lines keep memory flat (a list of a million short lines costs ~100 MB).
    numbered = enumerate(text.split("\n"), 1) if len(text) < _SPLIT_BELOW else doc.lines()
    for lineno, line in numbered:
        if line.strip():
            if not lines:
                start = lineno
            lines.append(line)
        elif lines:
            yield start, lines
            lines = []
    if lines:
        yield start, lines


def timing(doc: Document, line: str, lineno: int) -> tuple[float, float]:
    m = _FULL_TIMING.match(line)
    if m:
        h1, m1, s1, f1, h2, m2, s2, f2 = m.groups()
        # exactly parse_clock's arithmetic, so both paths give the same floats
        return (float(int(h1) * 3600 + int(m1) * 60 + int(s1) + int(f1) / 1000),
                float(int(h2) * 3600 + int(m2) * 60 + int(s2) + int(f2) / 1000))
    m = _TIMING.match(line)
    start = parse_clock(m.group(1)) if m else None
    end = parse_clock(m.group(2)) if m else None
    if start is None or end is None:
        raise doc.error(f"bad cue timing {line.strip()[:80]!r}", line=lineno,
                        hint="expected like 00:01:02.500 --> 00:01:04.000")
    return start, end


def add_cue(turns: TurnBuilder, payload: list[str], start: float, end: float,
            meta: dict) -> None:
    """Split one cue's payload into speaker fragments and add them."""
    raw = "\n".join(payload)
    if "<v" in raw or "<V" in raw:
        pieces = _VOICE.split(raw)  # [before, name1, text1, name2, text2, ...]
        before = _text(pieces[0])
        if before:
            _add(turns, turns.speaker or UNKNOWN_SPEAKER, before, start, end, meta)
        for i in range(1, len(pieces), 2):
            name = " ".join((pieces[i] or "").split()) or turns.speaker or UNKNOWN_SPEAKER
            _add(turns, name, _text(pieces[i + 1]), start, end, meta)
        return
    first = payload[0]
    first = (_TAG.sub("", first) if "<" in first else first).strip()
    for pattern in (_COLON, _BRACKET):
        m = pattern.match(first)
        if m and plausible_name(m.group(1).strip()):
            name = m.group(1).strip()
            rest = " ".join([m.group(2), *payload[1:]])
            _add(turns, name, _text(rest), start, end, meta)
            return
    _add(turns, turns.speaker or UNKNOWN_SPEAKER, _text(raw), start, end, meta)


def _text(raw: str) -> str:
    if "<" in raw:
        raw = _TAG.sub("", raw)
    return clean_text(raw)


def _add(turns: TurnBuilder, name: str, text: str, start: float, end: float, meta: dict) -> None:
    key = annotation_key(name)
    if key is not None:
        meta.setdefault("extra", {})[key] = text
        return
    turns.add(name, text, start, end, role_of_label(name))


def parse_cues(doc: Document, *, header: str | None) -> Parsed:
    """Both formats: blocks whose timing line is the first or second line (after a cue id).
    `header` ('WEBVTT') marks a first block to skip, with NOTE/STYLE/REGION blocks."""
    turns = TurnBuilder()
    meta: dict = {"extra": {}}
    first = True
    for lineno, lines in blocks(doc):
        if first and header and lines[0].lstrip().startswith(header):
            first = False
            if not any("-->" in ln for ln in lines):
                continue
            lines = lines[1:]
            lineno += 1
        first = False
        if header and lines[0].split(None, 1)[0] in ("NOTE", "STYLE", "REGION"):
            continue
        if "-->" in lines[0]:
            at = 0
        elif len(lines) > 1 and "-->" in lines[1]:
            at = 1
        else:
            raise doc.error(f"expected a cue timing line, found {lines[0].strip()[:80]!r}",
                            line=lineno, hint="cues look like 00:00:01.000 --> 00:00:04.000")
        start, end = timing(doc, lines[at], lineno + at)
        payload = lines[at + 1:]
        if payload:
            add_cue(turns, payload, start, end, meta)
    return Parsed(turns.finish(), meta)
