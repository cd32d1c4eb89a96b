"""The matcher interface: compile a set of phrase groups once, scan a document in one pass.

A *group* is one thing a check looks for (a criterion's phrases, one sequence step, a
response trigger), keyed by a string such as ``"discovery_questions/current_process"``.
A *document* is a call's utterances, normalised once. Matchers return where they matched and
how well, never a bare bool, so checks can quote the moment and `explain` a near miss.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar, Sequence

from callcoach.matching.normalize import NormText, normalize_many


@dataclass(frozen=True, slots=True)
class PhraseGroup:
    key: str
    phrases: tuple[str, ...]           # as written in the rubric
    threshold: float | None = None     # 0-100, intent only
    roles: frozenset[str] | None = None  # utterance roles to scan; None = every utterance


@dataclass(frozen=True, slots=True)
class Match:
    group: str
    phrase: int          # index into the group's phrases
    utterance: int       # index into the document
    start: int           # character span in the utterance's normalised text
    end: int
    similarity: float    # 0-100; verbatim matches are 100
    text: str            # the normalised text that matched


@dataclass(slots=True)
class Document:
    """Normalised utterances of one call (or a single text, for lint examples)."""

    texts: list[NormText]
    roles: list[str]

    @classmethod
    def from_texts(cls, texts: Sequence[str], roles: Sequence[str] | None = None) -> "Document":
        return cls(normalize_many(list(texts)), list(roles) if roles is not None else ["any"] * len(texts))


@dataclass(slots=True)
class ScanResult:
    """Per group: matches at or above threshold, in document order; optional best near miss;
    and the matches said inside a negated clause, which do not count (for explain)."""

    matches: dict[str, list[Match]] = field(default_factory=dict)
    near_misses: dict[str, Match] = field(default_factory=dict)
    negated: dict[str, list[Match]] = field(default_factory=dict)

    def of(self, key: str) -> list[Match]:
        return self.matches.get(key, [])


class Matcher(ABC):
    """Compile once per rubric and process; `scan` once per document."""

    method: ClassVar[str]
    default_threshold: ClassVar[float | None] = None

    def __init__(self, groups: Sequence[PhraseGroup]):
        self.groups = {g.key: g for g in groups}
        # each group's phrases as the documents are: normalised the same way, once
        self.phrases: dict[str, list[str]] = {
            g.key: [n.text for n in normalize_many(list(g.phrases))] if g.phrases else []
            for g in groups}

    def threshold(self, key: str) -> float:
        """The similarity a match of group `key` needs."""
        return self.threshold_for(self.groups[key].threshold)

    def needs(self, m: Match) -> float:
        """The similarity the phrase behind match `m` needs (its group's threshold, unless
        the method asks more of some phrases)."""
        return self.threshold(m.group)

    def short_of(self, m: Match) -> str:
        """Why near miss `m` did not match: "67.2 < threshold 70"."""
        return f"{m.similarity:g} < threshold {self.needs(m):g}"

    @classmethod
    def threshold_for(cls, threshold: float | None) -> float:
        """The similarity a match needs, given the rubric's `threshold` (None: not set). The one
        place this rule lives: scoring, `explain`, `rubric lint` and `rubric show` all ask here.
        A method without a default threshold matches exactly (100) and ignores the setting."""
        if cls.default_threshold is None:
            return 100.0
        return float(cls.default_threshold) if threshold is None else float(threshold)

    @abstractmethod
    def scan(self, doc: Document, *, near_misses: bool = False) -> ScanResult:
        """Find every group's matches in the document.

        With ``near_misses`` also report, per group, the best candidate that fell short (for
        `explain` and `rubric lint`); off by default because scoring does not need it.
        """


def eligible(group: PhraseGroup, role: str) -> bool:
    return group.roles is None or role == "any" or role in group.roles
