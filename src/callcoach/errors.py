"""One exception hierarchy. The CLI boundary (cli/boundary.py) prints these and picks the exit code."""
from __future__ import annotations

from pathlib import Path

from callcoach.sanitize import printable


class CallcoachError(Exception):
    """Base of every error a user can act on. Carries where and what to do."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None,
                 column: int | None = None, key: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.key = key
        self.hint = hint

    @property
    def location(self) -> str:
        parts = [p for p in (self.path, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f" ({self.hint})"
        # file names and quoted values come from others: never an escape sequence on screen
        return printable(text)

    def to_record(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column, "key": self.key,
                "message": self.message, "hint": self.hint}


class UsageError(CallcoachError):
    """Bad arguments or options; exit code 2 like any CLI usage error."""

    exit_code = 2


class TranscriptError(CallcoachError):
    """A transcript file that cannot be read or lacks required metadata.

    `line` is the 1-based line for text formats; `key` holds a JSON path (`$.results.items[3]`)
    for JSON formats.
    """


class NotATranscript(TranscriptError):
    """A file of no transcript shape at all — a folder's notes, a JSON or CSV of something
    else — rather than a broken transcript. A folder scan skips such a file with a note; a
    file named on the command line is an error like any other."""


class Note(CallcoachError):
    """Something read leniently (an encoding guessed, control characters removed, turns out
    of time order): said to the user, never a failure."""


class MetadataError(TranscriptError):
    """Required call metadata (call_id, rep, started_at) is missing or malformed."""


class RubricError(CallcoachError):
    """A rubric that does not load. `findings` holds every problem found, not just the first."""

    def __init__(self, message: str, *, findings: list | None = None, **kw):
        super().__init__(message, **kw)
        self.findings = findings or []


class StoreError(CallcoachError):
    """The score store cannot be opened, migrated or queried. `transient`: the same command
    may work later (the disk was full, another process held the lock)."""

    transient = False


class NotFoundError(CallcoachError):
    """A rep, call, criterion or session the user named does not exist."""
