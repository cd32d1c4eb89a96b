"""A calibration session, automated: callcoach's verdicts beside the reviewers' labels.

    calls = from_files(rubric, [Path("calls/")])          # or from_store(store, labels, ...)
    report = calibrate(calls, labels)
    report.overall.agreement, report.overall.kappa, report.disagreements

Per criterion and overall: n, agreement, Cohen's kappa, the confusion matrix and how well
callcoach finds the fails; then every disagreement, with the reviewer's evidence found in the
transcript and what callcoach matched, or nearly matched, there.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from rapidfuzz import fuzz

from callcoach.calibration.agreement import Stats
from callcoach.calibration.labels import Evidence, Label
from callcoach.errors import CallcoachError, NotFoundError, TranscriptError
from callcoach.fmt import where
from callcoach.matching import Document, normalize
from callcoach.rubric.model import Criterion, Rubric
from callcoach.scoring.checks import CHECKS
from callcoach.scoring.compile import CompiledRubric, compile_rubric
from callcoach.scoring.context import CallContext
from callcoach.scoring.engine import pending, score_transcript
from callcoach.scoring.result import CriterionResult
from callcoach.transcript import Transcript, Utterance

FOUND_AT = 80        # how closely (partial ratio, 0-100) an evidence quote must match a turn
NEAR_IN_TIME = 30.0  # seconds: a quote's stated time picks among equally good turns


@dataclass(slots=True)
class CalibrationCalls:
    """The rubric and the labelled calls' transcripts (and, from a store, their stored
    results; from files, none: they are scored when needed)."""

    rubric: Rubric
    transcripts: dict[str, Transcript]
    stored: dict[str, dict[str, CriterionResult]] | None = None
    errors: list[CallcoachError] = field(default_factory=list)   # files that did not read
    source: str = ""
    answers: dict = field(default_factory=dict)   # a model's answers (question checks), by ask


@dataclass(slots=True)
class Located:
    """Where an evidence quote is in the transcript, and what callcoach saw there."""

    evidence: Evidence
    utterance: int | None = None   # None: not found
    start: float | None = None
    speaker: str | None = None
    text: str | None = None
    similarity: float = 0.0
    seen: list[str] = field(default_factory=list)   # what callcoach matched or nearly matched

    def to_dict(self) -> dict:
        return {"quote": self.evidence.quote, "time": self.evidence.time,
                "speaker": self.evidence.speaker, "found": self.utterance is not None,
                "utterance": self.utterance, "start": self.start,
                "found_speaker": self.speaker, "text": self.text,
                "similarity": round(self.similarity, 1), "callcoach": self.seen}


@dataclass(slots=True)
class Disagreement:
    label: Label
    verdict: str                        # callcoach's: pass | fail | na
    score: float | None
    reason: str
    evidence: list[Located] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"call_id": self.label.call_id, "criterion": self.label.criterion,
                "reviewer": self.label.reviewer, "label": self.label.label,
                "callcoach": self.verdict, "score": self.score, "reason": self.reason,
                "line": self.label.line, "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(slots=True)
class Opinion:
    """A second reviewer's labels beside the first's, on the calls and criteria both label:
    how far the second reviewer agrees with the first, and how far callcoach does on the same
    judgements. Where callcoach agrees about as often as a second careful reviewer, the
    disagreements left are the reviewers' own."""
    reviewer: str
    source: str
    criteria: dict[str, tuple[Stats, Stats]]   # in rubric order: (the reviewer's, callcoach's)
    overall: tuple[Stats, Stats]
    unmatched: int = 0    # the second file's labels of a call or criterion the first has not

    def to_dict(self) -> dict:
        def pair(stats: tuple[Stats, Stats]) -> dict:
            return {"reviewer": stats[0].to_dict(), "callcoach": stats[1].to_dict()}
        return {"reviewer": self.reviewer, "source": self.source, "unmatched": self.unmatched,
                "overall": pair(self.overall),
                "criteria": {c: pair(s) for c, s in self.criteria.items()}}


@dataclass(slots=True)
class Report:
    rubric: Rubric
    calls: int
    criteria: dict[str, Stats]          # in rubric order, only criteria with labels
    overall: Stats
    disagreements: list[Disagreement]
    unknown: list[tuple[Label, str]]    # labels that name no scored call or no criterion
    source: str = ""
    opinions: list[Opinion] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = {"rubric": self.rubric.rubric, "rubric_version": self.rubric.version,
               "source": self.source, "calls": self.calls,
               "overall": self.overall.to_dict(),
               "criteria": {c: s.to_dict() for c, s in self.criteria.items()},
               "disagreements": [d.to_dict() for d in self.disagreements],
               "unknown": [{"line": lab.line, "call_id": lab.call_id,
                            "criterion": lab.criterion, "problem": why}
                           for lab, why in self.unknown]}
        if self.opinions:
            out["second_opinions"] = [o.to_dict() for o in self.opinions]
        return out


def verdict(result: CriterionResult | None) -> str:
    if result is None or result.passed is None:
        return "na"
    return "pass" if result.passed else "fail"


def from_files(rubric: Rubric, paths: Sequence[Path], *, input_format: str | None = None,
               roster: Path | None = None) -> CalibrationCalls:
    """Read every transcript under `paths` (they are scored in memory, not stored)."""
    from callcoach.ingest import discover
    from callcoach.roster import load_roster

    calls = CalibrationCalls(rubric, {}, source=", ".join(str(p) for p in paths))
    found = discover(list(paths), input_format=input_format,
                     roster=load_roster(roster) if roster else None)
    for item in found:
        if isinstance(item, CallcoachError):
            calls.errors.append(item)
            continue
        try:
            transcript = item.read()
        except TranscriptError as e:
            calls.errors.append(e)
            continue
        calls.transcripts[transcript.call_id] = transcript
    return calls


def from_store(store, labels: Sequence[Label], *, rubric_id: str | None = None) -> CalibrationCalls:
    """The labelled calls as the store holds them: their stored results and transcripts, and
    the rubric they were scored with (its current version in the store)."""
    from callcoach.analytics import lookup

    scored = lookup.scored_rubric(store, rubric_id)
    wanted = sorted({lab.call_id for lab in labels})
    have = {r[0] for r in store.query(
        f"SELECT call_id FROM calls WHERE rubric_id = ? AND call_id IN "
        f"({','.join('?' * len(wanted))})", (scored.rubric_id, *wanted))} if wanted else set()
    calls = CalibrationCalls(scored.rubric, {}, {}, source=str(store.path))
    for score in store.calls(sorted(have), scored.rubric_id):
        calls.transcripts[score.meta.call_id] = Transcript(
            score.meta, store.utterances(score.meta.call_id), score.source)
        calls.stored[score.meta.call_id] = {r.id: r for r in score.results}
    return calls


def score_calls(calls: CalibrationCalls, rubric: Rubric | None = None,
                pass_mark: float | None = None) -> dict[str, dict[str, CriterionResult]]:
    """Every call's result per criterion, scored in memory with `rubric` (default: the
    calls' own)."""
    rubric = rubric or calls.rubric
    compiled = compile_rubric(rubric, pass_mark=pass_mark)
    scores = [score_transcript(t, compiled) for _, t in sorted(calls.transcripts.items())]
    if any(pending(s) for s in scores):   # question checks: the configured model answers
        from callcoach.judge import Backend, answer_pending, require_judge
        with Backend(require_judge().settings) as backend:
            scores = answer_pending(scores, rubric.criteria, backend, known=calls.answers)
    return {s.meta.call_id: {r.id: r for r in s.results} for s in scores}


def calibrate(calls: CalibrationCalls, labels: Sequence[Label], *,
              results: dict[str, dict[str, CriterionResult]] | None = None,
              pass_mark: float | None = None, locate: bool = True,
              others: Sequence[tuple[Sequence[Label], str]] = ()) -> Report:
    """Compare the labels with callcoach's results (`results`; default: the stored ones, or
    the calls scored now) and explain every disagreement; beside them, each of `others`
    (another reviewer's labels, and where they came from) as a second opinion."""
    rubric = calls.rubric
    if results is None:
        results = calls.stored if calls.stored is not None and pass_mark is None \
            else score_calls(calls, pass_mark=pass_mark)
    criteria = {c.id: c for c in rubric.criteria}
    per: dict[str, Stats] = {}
    overall = Stats()
    disagreements: list[Disagreement] = []
    unknown: list[tuple[Label, str]] = []
    compiled: CompiledRubric | None = None
    contexts: dict[str, CallContext] = {}
    for lab in labels:
        if lab.call_id not in results:
            unknown.append((lab, f"no call {lab.call_id!r} among the scored calls"))
            continue
        if lab.criterion not in criteria:
            unknown.append((lab, f"no criterion {lab.criterion!r} in rubric {rubric.rubric}"))
            continue
        result = results[lab.call_id].get(lab.criterion)
        tool = verdict(result)
        per.setdefault(lab.criterion, Stats()).add(lab.label, tool)
        overall.add(lab.label, tool)
        if tool == lab.label:
            continue
        d = Disagreement(lab, tool, None if result is None else result.score,
                         "" if result is None else result.reason)
        transcript = calls.transcripts.get(lab.call_id)
        if locate and transcript is not None:
            if compiled is None:
                compiled = compile_rubric(rubric, pass_mark=pass_mark)
            ctx = contexts.get(lab.call_id)
            if ctx is None:
                ctx = contexts[lab.call_id] = CallContext(transcript, compiled)
            d.evidence = [_locate(e, transcript, criteria[lab.criterion], ctx)
                          for e in lab.evidence]
        disagreements.append(d)
    ordered = {c.id: per[c.id] for c in rubric.criteria if c.id in per}
    report = Report(rubric, len({lab.call_id for lab in labels if lab.call_id in results}),
                    ordered, overall, disagreements, unknown, calls.source)
    report.opinions = [second_opinion(report, labels, other, results, source)
                       for other, source in others]
    return report


def second_opinion(report: Report, first: Sequence[Label], second: Sequence[Label],
                   results: dict[str, dict[str, CriterionResult]], source: str) -> Opinion:
    """The second labels beside the first (the report's): per criterion of the report and
    overall, the second reviewer's verdicts against the first's, and callcoach's against the
    first's, on the judgements both label. `results`: callcoach's, as the report read them."""
    firsts = {(lab.call_id, lab.criterion): lab.label for lab in first
              if lab.criterion in report.criteria and lab.call_id in results}
    per: dict[str, tuple[Stats, Stats]] = {}
    overall = (Stats(), Stats())
    unmatched = 0
    for lab in second:
        truth = firsts.get((lab.call_id, lab.criterion))
        if truth is None:
            unmatched += 1
            continue
        tool = verdict(results[lab.call_id].get(lab.criterion))
        pair = per.setdefault(lab.criterion, (Stats(), Stats()))
        for stats, said in ((pair[0], lab.label), (pair[1], tool),
                            (overall[0], lab.label), (overall[1], tool)):
            stats.add(truth, said)
    names = Counter(lab.reviewer for lab in second if lab.reviewer)
    reviewer = names.most_common(1)[0][0] if names else Path(source).stem
    return Opinion(reviewer, source, {c: per[c] for c in report.criteria if c in per}, overall,
                   unmatched)


def find_quote(e: Evidence, transcript: Transcript) -> tuple[Utterance | None, float]:
    """The quote's turn and how well it matches (partial ratio 0-100): the best match of its
    words, nearer the stated time and the stated speaker on a tie; None below FOUND_AT."""
    quote = normalize(e.quote)
    best = None
    if quote:
        for u in transcript.utterances:
            text = normalize(u.text)
            sim = fuzz.partial_ratio(quote, text) if len(quote) <= len(text) \
                else fuzz.ratio(quote, text)
            near = 0 if e.time is None or u.start is None else -abs(u.start - e.time)
            same = e.speaker is not None and u.speaker.casefold() == e.speaker.casefold()
            key = (round(sim, 1), same, near, -u.index)
            if best is None or key > best[0]:
                best = (key, u, sim)
    if best is None:
        return None, 0.0
    _, u, sim = best
    return (u if sim >= FOUND_AT else None), sim


def _locate(e: Evidence, transcript: Transcript, criterion: Criterion,
            ctx: CallContext) -> Located:
    """Find the quote's turn, then say what callcoach saw in it."""
    out = Located(e)
    u, out.similarity = find_quote(e, transcript)
    if u is not None:
        out.utterance, out.start, out.speaker, out.text = u.index, u.start, u.speaker, u.text
        out.seen = seen_at(ctx, criterion, u.index)
    return out


def seen_at(ctx: CallContext, criterion: Criterion, u: int) -> list[str]:
    """What each part of the criterion's check matched, nearly matched or could not read in
    utterance `u` (explain's near misses, for one turn)."""
    check = criterion.check
    utt = ctx.utterances[u]
    lines = []
    single = None
    for part in CHECKS[check.type].parts(check):
        key = f"{criterion.id}/{part.name}"
        label = "phrases" if part.step is None else \
            part.step if part.step in ("before", "trigger") else f"step {part.step}"
        group = ctx.compiled.groups[key]
        if group.roles is not None and utt.role not in group.roles:
            lines.append(f"{label}: not read here (said by the {utt.role}; the check reads "
                         f"the {'/'.join(sorted(group.roles))})")
            continue
        matcher = ctx.compiled.matcher(key)
        phrase = group.phrases
        hit = next((m for m in ctx.matches.get(key, []) if m.utterance == u), None)
        if hit is not None:
            inside = ctx.window(check.within) if part.windowed else None
            note = "" if inside is None or inside[u] else \
                f", but outside the window ({check.within.describe()})"
            lines.append(f"{label}: matched '{hit.text}' (like '{phrase[hit.phrase]}', "
                         f"{hit.similarity:g}){note}")
            continue
        neg = next((m for m in ctx.negated.get(key, []) if m.utterance == u), None)
        if neg is not None:
            lines.append(f"{label}: '{neg.text}' is like '{phrase[neg.phrase]}' "
                         f"({neg.similarity:g}) but said inside a negated clause")
            continue
        if single is None:
            doc = Document.from_texts([utt.text], [utt.role])
            single = {m: ctx.compiled.matchers[m].scan(doc, near_misses=True)
                      for m in ctx.compiled.matchers}
        near = single[matcher.method].near_misses.get(key)
        if near is None:
            lines.append(f"{label}: no phrase shares a word with this turn")
        else:
            lines.append(f"{label}: nearest '{near.text}' (like '{phrase[near.phrase]}', "
                         f"{matcher.short_of(near)})")
    return lines


__all__ = ["CalibrationCalls", "Disagreement", "Located", "Opinion", "Report", "calibrate",
           "find_quote", "from_files", "from_store", "score_calls", "second_opinion", "seen_at",
           "verdict"]
