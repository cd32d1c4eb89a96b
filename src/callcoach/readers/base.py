"""What every reader shares: the decoded document, the fragments it yields, timestamps, merging.

A reader turns one file into `Fragment`s (who said what, when, and a role when the file
labels one) plus whatever call metadata the file itself carries. Everything after that —
merging fragments into turns, metadata precedence, speaker roles — is done once, in
`callcoach.ingest`, so a new format is one small module plus one registry line.
"""
from __future__ import annotations

import functools
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from callcoach.errors import NotATranscript, TranscriptError

UNKNOWN_SPEAKER = "Unknown Speaker"

# Labels some formats put where a name goes; they say the role, not who spoke.
ROLE_LABELS: dict[str, str] = {
    "rep": "rep", "agent": "rep",
    "prospect": "prospect", "customer": "prospect",
}


@dataclass(slots=True)
class Fragment:
    """One piece of speech as the file has it (a cue, a line, a segment, a word run)."""

    speaker: str
    text: str
    start: float | None = None
    end: float | None = None
    role: str | None = None  # set only when the file itself labels the role


@dataclass(slots=True)
class Parsed:
    """A reader's output: turns (fragments already merged by `TurnBuilder`) in file order
    and the metadata found inside the file.

    `meta` keys: call_id, rep, started_at (str or datetime), call_type, account,
    duration (seconds) and `extra` (dict of str). Only what the file really says.
    """

    turns: list[Fragment]
    meta: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)   # what was read leniently, for the user


class Document:
    """One file's bytes, decoded once; lines and JSON produced lazily."""

    def __init__(self, path: Path, data: bytes):
        self.path = path
        self.data = data
        self._text: str | None = None
        self._json: Any = UNSET
        self.notes: list[str] = []   # e.g. the encoding fallback: reported, not an error

    # -- errors -------------------------------------------------------------------------
    def error(self, message: str, *, line: int | None = None, key: str | None = None,
              hint: str | None = None, shape: bool = False) -> TranscriptError:
        """A TranscriptError located in this file. JSON paths also go into the message,
        because the shared `path:line` location has no place for them. `shape`: the file is
        not of the reader's shape at all (NotATranscript), rather than broken."""
        if key is not None and line is None:
            message = f"at {key}: {message}"
        cls = NotATranscript if shape else TranscriptError
        return cls(message, path=self.path, line=line, key=key, hint=hint)

    # -- text ---------------------------------------------------------------------------
    @property
    def text(self) -> str:
        if self._text is None:
            self._text = decode(self.data, self)
            self.data = b""   # decoded once: the text is what every reader uses from here
        return self._text

    def lines(self) -> Iterator[tuple[int, str]]:
        """(1-based line number, line without its newline), lazily; CRLF and CR already
        folded to LF by `decode`."""
        text = self.text
        pos, n, lineno = 0, len(text), 0
        while pos < n:
            lineno += 1
            nl = text.find("\n", pos)
            if nl < 0:
                yield lineno, text[pos:]
                return
            yield lineno, text[pos:nl]
            pos = nl + 1

    def head(self, max_lines: int = 40) -> list[str]:
        """The first non-blank lines, for sniffing."""
        out: list[str] = []
        for _, line in self.lines():
            if line.strip():
                out.append(line)
                if len(out) >= max_lines:
                    break
        return out

    # -- JSON ---------------------------------------------------------------------------
    def json(self) -> Any:
        if self._json is UNSET:
            try:
                self._json = json.loads(self.text)
            except json.JSONDecodeError as e:
                raise TranscriptError(f"not valid JSON: {e.msg}", path=self.path, line=e.lineno,
                                      column=e.colno) from None
            except RecursionError:
                raise self.error("JSON nested too deeply to be a transcript", key="$") from None
        return self._json

    def looks_like_json(self) -> bool:
        return self.text.lstrip()[:1] in ("{", "[")


UNSET = object()   # 'not computed yet', where None is a value


@dataclass(frozen=True)
class Reader:
    """A registry entry. `sniff` looks at content only (JSON readers get the parsed object
    via `doc.json()`); `EXTENSIONS` (readers/__init__.py) decides when no content sniff is
    decisive."""

    name: str
    parse: Callable[[Document], Parsed]
    sniff: Callable[[Document], bool]
    kind: str = "text"  # "text" | "json" | "csv"


# -- decoding ----------------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes, doc: Document) -> str:
    """Bytes to text with LF newlines: UTF-8 (with or without BOM), UTF-16 with a BOM or
    without one (Teams), and Windows-1252 as a last resort for spreadsheet exports — but
    only when the result is plain text, so binary junk is still refused."""
    encoding = None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom):], enc
            break
    if encoding is None and len(data) >= 4 and data[1:2] == b"\x00" and data[3:4] == b"\x00" \
            and data[0:1] != b"\x00":
        encoding = "utf-16-le"
    elif encoding is None and len(data) >= 4 and data[0:1] == b"\x00" and data[2:3] == b"\x00" \
            and data[1:2] != b"\x00":
        encoding = "utf-16-be"
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as e:
        if encoding is None:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = None
            if text is not None and not _CONTROL.search(text):
                line = data.count(b"\n", 0, e.start) + 1
                doc.notes.append(f"not UTF-8 (byte {e.start}, line {line}): read as "
                                 f"Windows-1252; save the file as UTF-8 to be sure of its text")
                return _newlines(text)
        line = data.count(b"\n", 0, e.start) + 1
        raise TranscriptError(f"cannot decode as {e.encoding} (byte {e.start})", path=doc.path,
                              line=line, hint="save the file as UTF-8") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise TranscriptError("binary data (NUL byte) in a text file", path=doc.path, line=line,
                              hint="is this really a transcript export?")
    return _newlines(text)


def _newlines(text: str) -> str:
    if text.startswith("\ufeff"):  # a BOM that survived a double encoding
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# -- small parsing helpers ---------------------------------------------------------------

_CLOCK = re.compile(r"^\s*(?:(\d{1,3}):)?(\d{1,3}):(\d{1,2})(?:[.,](\d{1,6}))?\s*$")


def parse_clock(value: str) -> float | None:
    """'1:02:05', '07:42', '00:00:16.900', '00:00:16,900', '12.5' -> seconds; None if not one.
    Seconds go up to 59, and so do minutes after hours ('75:30' is 75 minutes, but
    '99:99:99.999' is no time).

    >>> parse_clock("1:02:05"), parse_clock("75:30"), parse_clock("00:00:16,900")
    (3725.0, 4530.0, 16.9)
    >>> parse_clock("99:99:99.999"), parse_clock("1:60:00"), parse_clock("0:75")
    (None, None, None)
    """
    m = _CLOCK.match(value)
    if m:
        h, mnt, s, frac = m.groups()
        if int(s) > 59 or (h is not None and int(mnt) > 59):
            return None
        secs = int(h or 0) * 3600 + int(mnt) * 60 + int(s)
        if frac:
            secs += int(frac) / 10 ** len(frac)
        return float(secs)
    try:
        secs = float(value)
    except ValueError:
        return None
    return secs if secs == secs and secs not in (float("inf"), float("-inf")) and secs >= 0 \
        else None


_SPACES = re.compile(r"\s{2,}|[\t\n\r\f\v]")


def clean_text(text: str) -> str:
    """HTML entities decoded, whitespace collapsed (by one regex pass, not a split into a
    word list: a 50 MB single-line turn would otherwise cost gigabytes)."""
    if "&" in text:
        text = html.unescape(text)
    # `isprintable` is false for every whitespace character but the space, so this pair of
    # C-speed scans clears most texts ~10x faster than the `_SPACES` search would.
    if not (text.isprintable() and "  " not in text) and _SPACES.search(text):
        text = _SPACES.sub(" ", text)
    return text.strip()


# Some caption files carry "Meeting title: …" / "Hosted by: …" cues; they describe the
# meeting, nobody said them. They go to the call's extra fields, not into the turns.
ANNOTATIONS: dict[str, str] = {"meeting title": "title", "hosted by": "host"}


@functools.lru_cache(maxsize=1024)   # called per cue/line with a handful of names a file
def annotation_key(name: str) -> str | None:
    return ANNOTATIONS.get(" ".join(name.split()).casefold())


_NAME_END = re.compile(r"[.!?,;]$")
# ...but Zoom display names often end in an initial or a title: "Dana R.", "Sam Ortiz Jr."
_NAME_ABBREVIATION = re.compile(r"(?:^|\s)(?:[A-Z]|Jr|Sr|Dr|Mr|Ms|Mrs)\.$")


def plausible_name(name: str) -> bool:
    """A `Name:` prefix is a speaker when it is short and looks like a name or label,
    not a sentence that happens to contain a colon ("So here is the thing: …")."""
    if not name or len(name) > 60 or not (name[0].isalpha() or name[0] in "@'"):
        return False
    if len(name.split()) > 5:
        return False
    if _NAME_END.search(name) and not _NAME_ABBREVIATION.search(name):
        return False
    return True


@functools.lru_cache(maxsize=1024)
def role_of_label(name: str) -> str | None:
    """'AGENT' -> 'rep', 'Customer' -> 'prospect'; None for a person's name."""
    return ROLE_LABELS.get(name.strip().casefold())


class TurnBuilder:
    """Collects fragments and merges consecutive ones of one speaker (and one labelled
    role) into a turn as they arrive: the first start, the last end, texts joined by a
    space; empty fragments are dropped. Linear in the input: a turn's parts are kept in a
    list and joined once, so a 50 MB monologue costs one join, not a quadratic build-up."""

    __slots__ = ("turns", "_current", "_parts")

    def __init__(self) -> None:
        self.turns: list[Fragment] = []
        self._current: Fragment | None = None
        self._parts: list[str] = []

    def add(self, speaker: str, text: str, start: float | None = None,
            end: float | None = None, role: str | None = None) -> None:
        if not text:
            return
        cur = self._current
        if cur is not None and speaker == cur.speaker and role == cur.role:
            self._parts.append(text)
            if cur.start is None:
                cur.start = start
            if end is not None:
                cur.end = end
            return
        self._close()
        self._current = Fragment(speaker, "", start, end, role)
        self._parts = [text]

    def attach(self, text: str) -> None:
        """Glue text to the previous word without a space (punctuation items)."""
        if self._parts:
            self._parts[-1] += text

    @property
    def speaker(self) -> str | None:
        """The speaker of the turn being built (for formats where a cue continues it)."""
        return self._current.speaker if self._current is not None else None

    def _close(self) -> None:
        if self._current is not None:
            self._current.text = " ".join(self._parts)
            self.turns.append(self._current)
            self._current, self._parts = None, []

    def finish(self) -> list[Fragment]:
        self._close()
        return self.turns


def merge(fragments: list[Fragment]) -> list[Fragment]:
    """Merge a list of fragments into turns (see `TurnBuilder`)."""
    builder = TurnBuilder()
    for f in fragments:
        builder.add(f.speaker, f.text, f.start, f.end, f.role)
    return builder.finish()
