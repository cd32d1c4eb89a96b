"""One call as the checks see it: its utterances, every matcher group's matches (one scan per
method), and where each utterance sits in the call, so a `within` window is a lookup.

Built once per call by the engine; checks only filter and count what is here.
"""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Callable, Sequence

from callcoach.fmt import where
from callcoach.matching import Document, Match
from callcoach.rubric.fields import Span, Within
from callcoach.scoring.metrics import timeline
from callcoach.scoring.quote import quoted
from callcoach.scoring.result import Ask, CriterionResult, Moment
from callcoach.transcript import Transcript

if TYPE_CHECKING:
    from callcoach.rubric.model import Criterion
    from callcoach.scoring.compile import CompiledRubric

# Without timestamps a time window ("first 120s") is placed by words spoken, at a typical
# conversational rate of 150 words a minute.
WORDS_PER_SECOND = 2.5

# A window's parsed bounds by (first, last): Within.first_span/last_span parse text into a
# pydantic model on every access (~4 us each), and every call asks for the same few windows.
_BOUNDS: dict[tuple, tuple[Span | None, Span | None]] = {}

# A result keeps at most this many moments (the first in call order); its counts and reason
# still count every one. A real call has a handful; a runaway turn repeating a phrase has
# thousands, and each is a stored row.
MAX_MOMENTS = 100


class CallContext:
    def __init__(self, transcript: Transcript, compiled: "CompiledRubric", *,
                 near_misses: bool = False, answers: Callable[[Ask], dict | None] | None = None):
        self.transcript = transcript
        self.answers = answers   # a model's cached answers, when the caller has them
        self.compiled = compiled
        self.pass_mark = compiled.pass_mark
        self.near_misses = near_misses
        utts = self.utterances = transcript.utterances
        self.n = len(utts)
        # Real positions (None without timestamps): the talk metrics need them as well.
        self.timeline = timeline(transcript)
        self.timed = self.timeline is not None
        doc = self.doc = Document.from_texts([u.text for u in utts], [u.role for u in utts])
        self.matches: dict[str, list[Match]] = {}
        self.near: dict[str, Match] = {}
        self.negated: dict[str, list[Match]] = {}
        for matcher in compiled.matchers.values():
            scan = matcher.scan(doc, near_misses=near_misses)
            self.matches.update(scan.matches)
            self.near.update(scan.near_misses)
            self.negated.update(scan.negated)
        self._windows: dict[tuple, list[bool]] = {}
        self._asks: dict[int, list[bool]] = {}
        self._estimated: tuple[list[float], list[float], float] | None = None

    # -- positions ------------------------------------------------------------------------
    def _timeline(self) -> tuple[list[float], list[float], float]:
        """(starts, ends, duration) in seconds: real ones, or estimated from words spoken."""
        if self.timeline is not None:
            return self.timeline
        if self._estimated is None:
            starts, ends, spoken = [], [], 0
            for u in self.utterances:
                starts.append(spoken / WORDS_PER_SECOND)
                spoken += len(u.text.split())
                ends.append(spoken / WORDS_PER_SECOND)
            self._estimated = (starts, ends, spoken / WORDS_PER_SECOND)
        return self._estimated

    def window(self, within: Within | None) -> list[bool] | None:
        """Which utterances lie in the window (any part of them); None = the whole call."""
        if within is None:
            return None
        key = (within.first, within.last)
        inside = self._windows.get(key)
        if inside is None:
            bounds = _BOUNDS.get(key)
            if bounds is None:
                bounds = _BOUNDS[key] = (within.first_span, within.last_span)
            for span, first in zip(bounds, (True, False)):
                if span is not None:
                    part = self._inside(span, first)
                    inside = part if inside is None else [a or b for a, b in zip(inside, part)]
            self._windows[key] = inside = inside if inside is not None else [False] * self.n
        return inside

    def _inside(self, span: Span, first: bool) -> list[bool]:
        """Per utterance: does any part of it lie in the first (or last) `span` of the call?
        One comprehension per window, not a method call per utterance (a hot path)."""
        n = self.n
        if span.unit == "turns":
            v = span.value
            return [u < v for u in range(n)] if first else [u >= n - v for u in range(n)]
        starts, ends, duration = self._timeline()
        if span.unit == "percent" and (not self.timed or duration <= 0):
            share = span.value / 100
            return ([u / n < share for u in range(n)] if first
                    else [(u + 1) / n > 1 - share for u in range(n)])
        bound = span.value if span.unit == "seconds" else span.value / 100 * duration
        return [s < bound for s in starts] if first else [e > duration - bound for e in ends]

    @functools.cached_property
    def punctuated(self) -> bool:
        """Does the transcript mark its questions ("?" anywhere)? Without it none can be told."""
        return any("?" in u.text for u in self.utterances)

    def asks(self, u: int) -> list[bool]:
        """Per sentence of utterance `u`: does it ask (forms.asking)? Read once per call,
        however many checks and matches ask. Where the transcript has no "?" questions cannot
        be told, and every sentence counts as asking."""
        found = self._asks.get(u)
        if found is None:
            from callcoach.scoring import forms

            norm = self.doc.texts[u]
            found = self._asks[u] = (forms.asking(self.utterances[u].text, norm)
                                     if self.punctuated else [True] * len(norm.sentences))
        return found

    def asks_at(self, m: Match) -> bool:
        """Does the sentence holding match `m` ask (see `asks`)?"""
        return self.asks(m.utterance)[self.doc.texts[m.utterance].locate(m.start, m.start + 1)[0]]

    # -- matches --------------------------------------------------------------------------
    def hits(self, criterion_id: str, part: str, within: Within | None = None) -> list[Match]:
        found = self.matches.get(f"{criterion_id}/{part}", [])
        inside = self.window(within)
        return found if inside is None else [m for m in found if inside[m.utterance]]

    def spoken(self, speaker: str, within: Within | None = None) -> list[int]:
        """The utterances of `speaker` ("rep", "prospect", "any", ...) inside `within` (None:
        the whole call), in call order: where a form is looked for (forms.py)."""
        from callcoach.scoring.compile import ROLES

        roles, inside = ROLES[speaker], self.window(within)
        return [i for i, u in enumerate(self.utterances)
                if (roles is None or u.role in roles) and (inside is None or inside[i])]

    def sentence(self, key: str, u: int, k: int) -> Match:
        """Sentence `k` of utterance `u` (normalised) as a match of group `key` with no phrase
        (-1): what a form, a cue or a first answer did."""
        norm = self.doc.texts[u]
        start = norm.sentence_offsets()[k]
        return Match(key, -1, u, start, start + len(norm.sentences[k]), 100.0, norm.sentences[k])

    def turns(self, key: str, speaker: str) -> list[Match]:
        """Every utterance of `speaker` as a match of group `key` (phrase -1: no phrase), for
        a step any turn does (`any_turn`)."""
        return [Match(key, -1, i, 0, 0, 100.0, "") for i in self.spoken(speaker)]

    def phrase(self, m: Match) -> str | None:
        """The rubric phrase behind a match, as written (None: any turn)."""
        return None if m.phrase < 0 else self.compiled.groups[m.group].phrases[m.phrase]

    def moment(self, m: Match, kind: str = "match", step: str | None = None) -> Moment:
        """A match as a moment. Its text is the whole utterance (no copy) until `result` keeps
        it: then an over-long one is cut to an excerpt (`quote.quoted`)."""
        u = self.utterances[m.utterance]
        if m.phrase < 0 and m.end <= m.start:   # any turn: the whole utterance, no phrase
            return self.moment_at(m.utterance, kind, step)
        if m.phrase < 0:   # a step's form (forms.py): the sentence, no phrase behind it
            return Moment(m.utterance, u.start, u.speaker, u.role, u.text, kind, None, step,
                          None, (m.start, m.end))
        return Moment(m.utterance, u.start, u.speaker, u.role, u.text, kind, self.phrase(m),
                      step, m.similarity, (m.start, m.end))

    def moment_at(self, u: int, kind: str = "match", step: str | None = None) -> Moment:
        """A moment for a whole utterance that no phrase matched (an any_turn step, an echo)."""
        utt = self.utterances[u]
        return Moment(u, utt.start, utt.speaker, utt.role, utt.text, kind, None, step)

    def where(self, m: Match | int) -> str:
        i = m if isinstance(m, int) else m.utterance
        return where(self.utterances[i].start, i)

    # -- results --------------------------------------------------------------------------
    def result(self, criterion: Criterion, score: float | None, reason: str,
               moments: Sequence[Moment], counts: dict[str, int]) -> CriterionResult:
        """A criterion's result: rounded score, pass/fail at the pass mark, moments in call
        order, and (for explain) the near misses of each of its parts."""
        result = make_result(criterion.id, score, reason, moments, counts, self.pass_mark)
        if self.near_misses:
            result.near_misses = self.near_misses_of(criterion)
        return result

    def near_misses_of(self, criterion: Criterion) -> list[Moment]:
        """explain's near misses of each part of the criterion (see `result`)."""
        from callcoach.scoring.checks import CHECKS

        check, kind, out = criterion.check, CHECKS[criterion.check.type], []
        steps = {f"{criterion.id}/{part.name}": part.step for part in kind.parts(check)}

        def miss(m: Match, note: str) -> None:
            mo = self.moment(m, "near_miss", steps.get(m.group))
            mo.threshold, mo.note = self.compiled.matcher(m.group).needs(m), note
            out.append(mo)

        for part in kind.parts(check):
            key = f"{criterion.id}/{part.name}"

            near = self.near.get(key)
            if near is not None:
                miss(near, "best match " + self.compiled.matcher(key).short_of(near))
            for m in self.negated.get(key, []):
                miss(m, f"negated: matched ({m.similarity:g}) inside a negated clause, so it "
                        f"does not count")
            if check.within is not None and part.windowed:
                inside = self.window(check.within)
                for m in self.matches.get(key, []):
                    if not inside[m.utterance]:
                        miss(m, f"matched ({m.similarity:g}) but outside the window "
                                f"({check.within.describe()})")
        # what only the check knows it passed over (a sequence's `asked`)
        for m, note in getattr(kind, "passed_over", lambda *_: [])(criterion, self):
            miss(m, note)
        return quoted(sorted(out, key=lambda mo: (mo.utterance, mo.span or (0, 0),
                                                  mo.step or "")))


def make_result(criterion_id: str, score: float | None, reason: str, moments: Sequence[Moment],
                counts: dict[str, int], pass_mark: float) -> CriterionResult:
    """Rounded score, pass/fail at the pass mark, moments in call order: the first
    `MAX_MOMENTS`, those of an over-long turn quoted by an excerpt (`quote.quoted`)."""
    if score is not None:
        score = round(score, 4)
    passed = None if score is None else score >= pass_mark
    ordered = sorted(moments, key=lambda mo: (mo.utterance, mo.span or (0, 0), mo.kind,
                                              mo.step or ""))[:MAX_MOMENTS]
    return CriterionResult(criterion_id, score, passed, reason, quoted(ordered), counts)
