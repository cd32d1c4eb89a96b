"""CSV (or TSV) with a header row and one row per utterance.

Columns (header names are case-insensitive; spaces and dashes count as underscores):

| column  | also accepted as                                                  | required |
|---------|-------------------------------------------------------------------|----------|
| speaker | name, speaker_name, participant, who                              | yes      |
| text    | utterance, transcript, content, message, sentence, words          | yes      |
| start   | start_time, begin, begin_time, timestamp, time, offset, start_seconds | no   |
| end     | end_time, stop, stop_time, end_seconds                            | no       |
| start_ms / end_ms | start_millis, begin_offset_millis / end_millis, end_offset_millis | no |
| role    | speaker_role, participant_role, side                              | no       |

Times are seconds (`83.5`) or clocks (`1:23`, `00:01:23.500`); `*_ms` columns are
milliseconds. `role` takes rep/prospect/other or agent/customer, internal/external.
Other columns are ignored. The delimiter (`,` `;` or tab) is taken from the header line.
"""
from __future__ import annotations

import csv as _csv
import io

from callcoach.readers.base import (ROLE_LABELS, Document, Parsed, Reader, TurnBuilder, clean_text,
                                    parse_clock)

COLUMNS: dict[str, tuple[str, ...]] = {
    "speaker": ("speaker", "name", "speaker_name", "participant", "who"),
    "text": ("text", "utterance", "transcript", "content", "message", "sentence", "words"),
    "start": ("start", "start_time", "begin", "begin_time", "timestamp", "time", "offset",
              "start_seconds"),
    "end": ("end", "end_time", "stop", "stop_time", "end_seconds"),
    "start_ms": ("start_ms", "start_millis", "begin_offset_millis"),
    "end_ms": ("end_ms", "end_millis", "end_offset_millis"),
    "role": ("role", "speaker_role", "participant_role", "side"),
}
_ALIASES = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
_ROLE_VALUES = {**ROLE_LABELS, "external": "prospect", "other": "other", "internal": "internal"}


def _norm(header: str) -> str:
    return "_".join(header.strip().strip("\ufeff").casefold().replace("-", " ").split())


def delimiter(header: str) -> str:
    """`,` `;` or tab, whichever the header line uses most (spreadsheets in many locales save
    CSV with `;`): the one rule for every CSV callcoach reads."""
    return max((",", ";", "\t"), key=header.count)


def _header(doc: Document) -> list[str]:
    head = doc.head(1)
    if not head:
        return []
    first = head[0][:4096]  # a header is short; a 50 MB first line is not a CSV header
    try:
        return next(_csv.reader([first], delimiter=delimiter(first)), [])
    except _csv.Error:
        return []


def sniff(doc: Document) -> bool:
    columns = {_ALIASES.get(_norm(h)) for h in _header(doc)}
    return {"speaker", "text"} <= columns


def parse(doc: Document) -> Parsed:
    head = doc.head(1)
    if not head:
        raise doc.error("empty file: expected a header row", line=1,
                        hint="first row: speaker,text[,start,end,role]")
    # Transcript cells can be long (a whole monologue); the stdlib default limit is 128 KB.
    _csv.field_size_limit(max(_csv.field_size_limit(), 1 << 28))
    rows = _csv.reader(io.StringIO(doc.text), delimiter=delimiter(head[0][:4096]))
    index: dict[str, int] = {}
    turns = TurnBuilder()
    try:
        for row in rows:
            if not index:
                if not any(cell.strip() for cell in row):
                    continue
                for i, name in enumerate(row):
                    column = _ALIASES.get(_norm(name))
                    if column is not None and column not in index:
                        index[column] = i
                missing = [c for c in ("speaker", "text") if c not in index]
                if missing:
                    raise doc.error(f"no {' or '.join(missing)} column in the header "
                                    f"({', '.join(repr(h) for h in row[:8])})", line=rows.line_num,
                                    hint="name the columns speaker,text[,start,end,role]; "
                                         "see: callcoach docs transcripts", shape=True)
                continue
            if not any(cell.strip() for cell in row):
                continue
            line = rows.line_num
            cells = {column: row[i].strip() if i < len(row) else ""
                     for column, i in index.items()}
            speaker = " ".join(cells.get("speaker", "").split())
            if not speaker:
                raise doc.error("empty speaker", line=line)
            role = None
            given = cells.get("role", "")
            if given:
                role = _ROLE_VALUES.get(given.casefold())
                if role is None:
                    raise doc.error(f"role {given!r} is not one of "
                                    f"{', '.join(sorted(_ROLE_VALUES))}", line=line)
            start, end = cells.get("start", ""), cells.get("end", "")
            start = _time(doc, start, line, "start") if start else \
                _time(doc, cells.get("start_ms", ""), line, "start_ms", millis=True)
            end = _time(doc, end, line, "end") if end else \
                _time(doc, cells.get("end_ms", ""), line, "end_ms", millis=True)
            turns.add(speaker, clean_text(cells.get("text", "")), start, end, role)
    except _csv.Error as e:
        raise doc.error(f"malformed CSV: {e}", line=rows.line_num or 1) from None
    if not index:
        raise doc.error("no header row", line=1, hint="first row: speaker,text[,start,end,role]")
    return Parsed(turns.finish(), {"extra": {}})


def _time(doc: Document, value: str, line: int, column: str, *, millis: bool = False) -> float | None:
    if not value:
        return None
    seconds = parse_clock(value)
    if seconds is None:
        raise doc.error(f"{column} {value!r} is not a time", line=line,
                        hint="use seconds (83.5) or a clock (1:23, 00:01:23.500)")
    return seconds / 1000.0 if millis else seconds


READER = Reader("csv", parse, sniff, "csv")
