"""Third-party text on its way out: to a terminal, a spreadsheet, a message.

Transcripts, manifests, sidecars, rosters and imported session logs are written by other
people and other tools, so nothing in them may act on the reader's screen or spreadsheet:

- `strip_controls` removes what would act on a terminal (C0 and C1 control characters but
  tab and newline: escape sequences that clear the screen, retitle the window or plant an
  OSC-8 link; bidirectional overrides that reorder what is shown). Ingestion applies it to
  every utterance, speaker and metadata value, and session logs to their fields.
- `printable` shows such characters as escapes (`\\x1b`, `\\u202e`) instead, for names a
  user must be able to find again: file names in messages.
- `csv_cell` neutralises spreadsheet formulas (OWASP's rule: a cell starting with `=`, `+`,
  `-`, `@`, tab or carriage return gets a leading `'`) unless the cell is a plain number.

Markdown and rich markup have their own escapes: `render.markdown.escape` (and the Markdown
pages' `finalize`), `render.tables.cell` (every table cell is `Text`, never markup).
"""
from __future__ import annotations

import csv
import re
from typing import Any, Iterable, TextIO

# C0 but tab and newline, DEL, C1; bidirectional embeddings, overrides and isolates.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def strip_controls(text: str) -> str:
    """`text` without the characters that act on a terminal (tab and newline stay).

    >>> strip_controls("hi\\x1b]0;owned\\x07 there\\u202e")
    'hi]0;owned there'
    """
    return _CONTROLS.sub("", text) if has_controls(text) else text


def has_controls(text: str) -> bool:
    # `isprintable` is false for every control and format character (and for whitespace but
    # the space): one C pass clears nearly every text, far faster than the regex search.
    return not text.isprintable() and _CONTROLS.search(text) is not None


def printable(text: str) -> str:
    """`text` with those characters shown as escapes, for a name the user must recognise.

    >>> printable("call\\u202eabc.txt")
    'call\\\\u202eabc.txt'
    """
    if not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub(lambda m: _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell a spreadsheet will not run: text that starts like a formula gets
    a leading `'`; numbers (and text that is just a number, like `-2.5`) stay as they are.

    >>> csv_cell("=HYPERLINK(\\"http://x\\")"), csv_cell("-2.5"), csv_cell(-2.5), csv_cell("ok")
    ('\\'=HYPERLINK("http://x")', '-2.5', -2.5, 'ok')
    """
    if not isinstance(value, str):
        return value
    value = strip_controls(value)   # a spreadsheet cell, or a terminal that `cat`s the file
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_value(cell: str) -> str:
    """A cell of a CSV callcoach may have written, as it was before `csv_cell` guarded it (a
    session list imported back keeps its notes as written).

    >>> csv_value("'=SUM(A1)"), csv_value("'quoted"), csv_value("-2")
    ('=SUM(A1)', "'quoted", '-2')
    """
    if cell.startswith("'") and cell[1:2] and cell[1] in _FORMULA_START:
        return cell[1:]
    return cell


class CSVWriter:
    """`csv.writer` for every CSV callcoach writes: LF line ends, and each cell through
    `csv_cell` unless `raw` (`--raw`: for pipelines that read the values back)."""

    def __init__(self, stream: TextIO, *, raw: bool = False):
        self._writer = csv.writer(stream, lineterminator="\n")
        self.raw = raw

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(row if self.raw else [csv_cell(v) for v in row])
