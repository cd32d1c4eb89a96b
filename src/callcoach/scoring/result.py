"""What scoring produces: results with their evidence. Plain dataclasses (hot path)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from callcoach.transcript import CallMeta


@dataclass(slots=True)
class Moment:
    """Where evidence lives: one utterance, what matched there and how well."""

    utterance: int
    start: float | None          # seconds, when the transcript has timestamps
    speaker: str
    role: str
    text: str                    # the utterance's text as written
    kind: str = "match"          # match | violation | trigger | missing | near_miss
    matched: str | None = None   # the rubric phrase (or step id) behind it
    step: str | None = None      # sequence/response step id, when there is one
    similarity: float | None = None  # 0-100
    span: tuple[int, int] | None = None  # characters in the normalised utterance text
    # Only on near misses (explain): the threshold it fell short of, or why it did not count.
    # Not stored; serialised only when set, so the jsonl contract stays as documented.
    threshold: float | None = None
    note: str | None = None

    # Pickling (worker -> writer, every scored call): a slotted dataclass pickles through
    # dataclasses' Python-level __getstate__/__setstate__ (which calls fields() per object);
    # rebuilding through __init__ from a tuple costs a third less.
    def __reduce__(self):
        return Moment, (self.utterance, self.start, self.speaker, self.role, self.text, self.kind,
                        self.matched, self.step, self.similarity, self.span, self.threshold,
                        self.note)

    def to_dict(self) -> dict:
        d = {"utterance": self.utterance, "start": self.start, "speaker": self.speaker,
             "role": self.role, "text": self.text, "kind": self.kind, "matched": self.matched,
             "step": self.step, "similarity": self.similarity,
             "span": list(self.span) if self.span else None}
        if self.threshold is not None:
            d["threshold"] = self.threshold
        if self.note is not None:
            d["note"] = self.note
        return d


@dataclass(slots=True)
class CriterionResult:
    id: str
    score: float | None          # 0..1, None when not applicable
    passed: bool | None          # None when not applicable
    reason: str                  # one line a manager can read
    moments: list[Moment] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # e.g. {"violations": 3, "steps_done": 2}
    near_misses: list[Moment] = field(default_factory=list)  # only filled by explain

    @property
    def applicable(self) -> bool:
        return self.score is not None

    def __reduce__(self):   # see Moment.__reduce__
        return CriterionResult, (self.id, self.score, self.passed, self.reason, self.moments,
                                 self.counts, self.near_misses)

    def to_dict(self) -> dict:
        return {"id": self.id, "score": self.score, "passed": self.passed, "reason": self.reason,
                "counts": dict(self.counts), "moments": [m.to_dict() for m in self.moments]}


@dataclass(frozen=True, slots=True)
class Ask:
    """One request to a language model (docs/judge.md): the chat messages, the JSON Schema
    its answer must follow, and what the answer is cached under — the transcript turns sent,
    the criterion and the prompt's version (the model is added by whoever asks)."""

    messages: tuple[dict, ...]
    schema: dict
    verdicts: tuple[str, ...]
    transcript_hash: str
    criterion_hash: str
    prompt_version: int
    tokens: int                  # estimated prompt tokens

    @property
    def key(self) -> str:
        """What the answer is cached under, with the model's name."""
        return f"{self.transcript_hash}:{self.criterion_hash}:{self.prompt_version}"


@dataclass(slots=True)
class Pending(CriterionResult):
    """A result that waits for a language model's answers: `asks` are the requests, and
    `finish(answers)` is the result once each ask has an answer (or a JudgeError)."""

    asks: list[Ask] = field(default_factory=list)
    finish: Callable[[list], CriterionResult] | None = None

    def __reduce__(self):
        return Pending, (self.id, self.score, self.passed, self.reason, self.moments,
                         self.counts, self.near_misses, self.asks, self.finish)


@dataclass(slots=True)
class CallScore:
    meta: CallMeta
    rubric_id: str
    rubric_version: str | None
    rubric_hash: str
    overall: float | None        # 0-100, weight-normalised mean of applicable criteria
    critical_failed: bool
    results: list[CriterionResult]
    metrics: dict[str, float | None] = field(default_factory=dict)  # talk metrics, context only
    source: str | None = None
    content_hash: str | None = None
    origin: str | None = None      # the file's absolute path: where the call came from
    file_hash: str | None = None   # sha256 of the file's bytes alone: the same transcript

    def __reduce__(self):   # see Moment.__reduce__
        return CallScore, (self.meta, self.rubric_id, self.rubric_version, self.rubric_hash,
                           self.overall, self.critical_failed, self.results, self.metrics,
                           self.source, self.content_hash, self.origin, self.file_hash)

    def result(self, criterion_id: str) -> CriterionResult:
        for r in self.results:
            if r.id == criterion_id:
                return r
        raise KeyError(criterion_id)

    def to_dict(self) -> dict:
        """The `score --format jsonl` shape (a documented contract: extend, never change)."""
        m = self.meta
        return {"call_id": m.call_id, "rep": m.rep, "started_at": m.started_at.isoformat(),
                "call_type": m.call_type, "rubric": self.rubric_id,
                "rubric_version": self.rubric_version, "rubric_hash": self.rubric_hash,
                "overall": self.overall, "critical_failed": self.critical_failed,
                "criteria": [r.to_dict() for r in self.results],
                "metrics": dict(self.metrics), "source": self.source}
