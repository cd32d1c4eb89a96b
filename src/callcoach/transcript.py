"""The transcript: what every reader produces and every check reads.

Plain slotted dataclasses, not pydantic models: a 30-minute call has ~300 utterances and a
nightly run reads tens of thousands of calls, so construction cost matters. Validation
happens in the readers, which know the file and line to blame.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Role = Literal["rep", "prospect", "other"]
ROLES: tuple[str, ...] = ("rep", "prospect", "other")


@dataclass(slots=True)
class Utterance:
    index: int
    speaker: str
    text: str
    role: Role = "prospect"
    start: float | None = None  # seconds from the call's start, when the format has them
    end: float | None = None

    def to_dict(self) -> dict:
        return {"index": self.index, "speaker": self.speaker, "role": self.role,
                "start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class CallMeta:
    call_id: str
    rep: str
    started_at: datetime
    call_type: str | None = None
    account: str | None = None
    duration: float | None = None  # seconds; from metadata or the last utterance's end
    extra: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"call_id": self.call_id, "rep": self.rep,
                # None only from `Source.read(require_meta=False)` (inspect of a bare file)
                "started_at": self.started_at.isoformat() if self.started_at else None,
                "call_type": self.call_type,
                "account": self.account, "duration": self.duration, "extra": dict(self.extra)}


@dataclass(slots=True)
class Transcript:
    meta: CallMeta
    utterances: list[Utterance]
    source: str | None = None          # the file it was read from
    source_format: str | None = None   # the reader's registry name
    content_hash: str | None = None    # the file's fingerprint, for skip-unchanged
    file_hash: str | None = None       # sha256 of the file's bytes alone
    origin: str | None = None          # the file's absolute path
    notes: list[str] = field(default_factory=list)   # read leniently: said, never an error

    @property
    def call_id(self) -> str:
        return self.meta.call_id

    @property
    def duration(self) -> float | None:
        if self.meta.duration is not None:
            return self.meta.duration
        ends = [u.end if u.end is not None else u.start for u in self.utterances]
        ends = [e for e in ends if e is not None]
        return max(ends) if ends else None

    @property
    def speakers(self) -> dict[str, str]:
        """Speaker name -> role, in order of first appearance."""
        seen: dict[str, str] = {}
        for u in self.utterances:
            seen.setdefault(u.speaker, u.role)
        return seen

    def to_dict(self) -> dict:
        """The `inspect --format json` shape (a documented contract: extend, never change)."""
        d = self.meta.to_dict()
        d["source"] = self.source
        d["format"] = self.source_format
        d["speakers"] = [{"name": n, "role": r} for n, r in self.speakers.items()]
        d["utterances"] = [u.to_dict() for u in self.utterances]
        return d
