"""Cue-based captions (WebVTT and SRT): blocks of an optional id, a timing line and payload
lines. Speakers come from `<v Name>` voice tags (Teams), a `Name:` prefix (Zoom), or an
`[Name]` / `>> Name:` prefix (SRT conventions); a cue with none continues the previous
speaker."""
from __future__ import annotations

import functools
import re

from callcoach.readers.base import (UNKNOWN_SPEAKER, UNSET, Document, Parsed, TurnBuilder,
                                    annotation_key, clean_text, parse_clock, plausible_name,
                                    role_of_label)

_TIMING = re.compile(r"^\s*(\S+)\s+-->\s+(\S+)")
# `hh:mm:ss` and the milliseconds of `00:01:02.500` (or `,500` in SRT), ASCII digits only.
_CLOCK = r"([0-9]{1,3}:[0-9]{1,3}:[0-9]{1,2})[.,]([0-9]{3})"
# The shape nearly every cue has (`00:01:02.500 --> 00:01:04.000`), read in one match;
# anything else goes through `_TIMING` + `parse_clock`, which give the same seconds.
_FULL_TIMING = re.compile(rf"^\s*{_CLOCK}\s+-->\s+{_CLOCK}(?:\s|$)")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{0,200}>")
_COLON = re.compile(r"^(?:>>\s*)?([^:<>\[\]]{1,60}?)\s*:(?:\s+|$)(.*)$")
_BRACKET = re.compile(r"^\[([^\]]{1,60})\]\s*:?\s*(.*)$")

# Nearly every cue of a Zoom or Teams export is one simple block: an optional cue id, a timing
# line `_FULL_TIMING` reads, payload lines that start with a non-space, then blank lines (or
# the end of the file). `parse_cues` reads such a block with one match at its offset in the
# whole text instead of splitting lines and running the per-cue regexes: most of a cue
# file's read time. Any other block — the header, NOTE/STYLE/REGION, odd spacing — does not
# match and is read by `_read_block`, the general path, so both give the same turns.
# (Possessive `*+`: a block that does not match fails at once, without backtracking.)
_SIMPLE_CUE = re.compile(
    r"(?:(?!(?:NOTE|STYLE|REGION)\n)[0-9A-Za-z/-]++\n)?"           # cue id
    rf"{_CLOCK}[ \t]+-->[ \t]+{_CLOCK}(?:[ \t][^\n]*+)?\n"        # timing (+ cue settings)
    r"(\S[^\n]*+(?:\n\S[^\n]*+)*+)"                                # the payload lines
    r"(?:\n(?:[ \t]*\n)+|\n?(?:[ \t]*\n)*[ \t]*\Z)")             # blank lines, or the end


@functools.lru_cache(maxsize=1 << 16)   # a few thousand distinct values across all calls
def _whole_seconds(hms: str) -> int | None:
    """'01:02:05' -> 3725; None when minutes or seconds are past 59 (as `parse_clock`)."""
    h, m, s = hms.split(":")
    if int(m) > 59 or int(s) > 59:
        return None
    return int(h) * 3600 + int(m) * 60 + int(s)


_MILLIS: dict[str, float] = {f"{i:03d}": i / 1000 for i in range(1000)}


def _seconds(hms: str, millis: str) -> float:
    """`_CLOCK` groups -> seconds: exactly parse_clock's arithmetic (whole seconds, then
    plus the fraction), so both paths give the same floats."""
    return _whole_seconds(hms) + _MILLIS[millis]


def _next_block(text: str, pos: int) -> tuple[int, list[str], int]:
    """(start offset, lines, offset after it and the blank lines that follow) of the
    blank-line separated block at or after `pos`; no lines at the end of the text. Reads
    line by line from `pos`, so a big file never becomes one list of lines."""
    n = len(text)
    lines: list[str] = []
    start = pos
    while pos < n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        line = text[pos:nl]
        if line.strip():
            if not lines:
                start = pos
            lines.append(line)
        elif lines:
            break
        pos = nl + 1
    while pos < n:   # the blank lines after the block, so a simple cue can match next
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        if text[pos:nl].strip():
            break
        pos = nl + 1
    return start, lines, min(pos, n)


def timing(doc: Document, line: str, lineno: int) -> tuple[float, float]:
    m = _FULL_TIMING.match(line)
    if m and None not in (_whole_seconds(m.group(1)), _whole_seconds(m.group(3))):
        hms1, ms1, hms2, ms2 = m.groups()
        return _seconds(hms1, ms1), _seconds(hms2, ms2)
    m = _TIMING.match(line)
    start = parse_clock(m.group(1)) if m else None
    end = parse_clock(m.group(2)) if m else None
    if start is None or end is None:
        raise doc.error(f"bad cue timing {line.strip()[:80]!r}", line=lineno,
                        hint="expected like 00:01:02.500 --> 00:01:04.000, minutes and seconds "
                             "up to 59")
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


def _colon_speaker(name: str) -> tuple[str, str | None] | None:
    """What `add_cue` makes of the `Name` of a `Name: text` payload (split at the first ': '):
    (speaker, role label), or None when `add_cue` must decide — not a name by `_COLON`'s
    rules or `plausible_name`, or an annotation like 'Meeting title'."""
    name_ = name.strip()   # `_SIMPLE_CUE` makes the line start with a non-space
    if any(c in name for c in ":<>[]\n") or not plausible_name(name_) or annotation_key(name_):
        return None
    return name_, role_of_label(name_)


def _voice_speaker(voice: str) -> tuple[str, str | None] | None:
    """The same for the ` Name` of a `<v Name>text</v>` payload."""
    name = " ".join(voice.split())
    if not name or "<" in voice or annotation_key(name) is not None:
        return None
    return name, role_of_label(name)



def _read_block(doc: Document, turns: TurnBuilder, meta: dict, lineno: int, lines: list[str],
                header: str | None, first: bool) -> None:
    """One block, any shape: the file's header, NOTE/STYLE/REGION, or a cue."""
    if first and header and lines[0].lstrip().startswith(header):
        if not any("-->" in ln for ln in lines):
            return
        lines = lines[1:]
        lineno += 1
    if header and lines[0].split(None, 1)[0] in ("NOTE", "STYLE", "REGION"):
        return
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


def parse_cues(doc: Document, *, header: str | None) -> Parsed:
    """Both formats: blocks whose timing line is the first or second line (after a cue id).
    `header` ('WEBVTT') marks a first block to skip, with NOTE/STYLE/REGION blocks."""
    turns = TurnBuilder()
    meta: dict = {"extra": {}}
    text = doc.text
    n = len(text)
    simple = _SIMPLE_CUE.match
    whole, millis = _whole_seconds, _MILLIS
    add = turns.add
    # per name as the match gives it: (speaker, role label), or None for `add_cue` to decide
    voices: dict[str, tuple[str, str | None] | None] = {}
    names: dict[str, tuple[str, str | None] | None] = {}
    pos, counted, lineno = 0, 0, 1
    first = True
    while pos < n:
        m = None if first else simple(text, pos)
        if m is not None:
            hms1, ms1, hms2, ms2, payload = m.groups()
            start, end = whole(hms1), whole(hms2)   # `_seconds`, inlined: two calls per cue
            if start is None or end is None:
                m = None   # not a time (99:99:99.999): the general path reports its line
        if m is not None:
            pos = m.end()
            start += millis[ms1]
            end += millis[ms2]
            # the two payload shapes of nearly every cue, split without regexes; a payload of
            # several lines gives the same text joined by "\n" as `add_cue`'s " ", because
            # `clean_text` makes any whitespace between words one space
            who = None
            if "<" not in payload:                                   # Zoom: `Name: text`
                name, colon, words = payload.partition(": ")
                if colon:
                    who = names.get(name, UNSET)
                    if who is UNSET:
                        who = names[name] = _colon_speaker(name)
            elif payload.startswith("<v ") and payload.endswith("</v>"):  # Teams: `<v Name>text</v>`
                gt = payload.find(">")
                words = payload[gt + 1:-4]
                if "<" not in words:
                    voice = payload[2:gt]
                    who = voices.get(voice, UNSET)
                    if who is UNSET:
                        who = voices[voice] = _voice_speaker(voice)
            if who is not None:
                add(who[0], clean_text(words), start, end, who[1])
            else:
                add_cue(turns, payload.split("\n"), start, end, meta)
            continue
        block_start, lines, pos = _next_block(text, pos)
        if not lines:
            break
        lineno += text.count("\n", counted, block_start)
        counted = block_start
        _read_block(doc, turns, meta, lineno, lines, header, first)
        first = False
    return Parsed(turns.finish(), meta)
