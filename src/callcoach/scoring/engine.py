"""Score one transcript against a compiled rubric.

    compiled = compile_rubric(rubric)          # once per process
    score = score_transcript(transcript, compiled)

Per call: normalise the utterances once, one scan per matcher method, then each check is
plain Python over the matches (checks/). The semantics are in docs/scoring.md.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Sequence

from callcoach.rubric.model import Criterion
from callcoach.scoring.checks import CHECKS
from callcoach.scoring.compile import CompiledRubric
from callcoach.scoring.context import CallContext
from callcoach.scoring.metrics import talk_metrics
from callcoach.scoring.result import Ask, CallScore, CriterionResult, Pending
from callcoach.transcript import Transcript


def score_transcript(transcript: Transcript, compiled: CompiledRubric, *,
                     near_misses: bool = False,
                     answers: Callable[[Ask], dict | None] | None = None) -> CallScore:
    """Every criterion's result with its moments, the weighted overall and the talk metrics.

    `near_misses=True` (for explain) also fills each result's near misses; it is slower.
    A criterion a language model answers (a question check) is a `Pending` result unless
    `answers` (e.g. the store's cache) has an answer for each of its asks; `finish` completes
    the call once they are had.
    """
    call = CallContext(transcript, compiled, near_misses=near_misses, answers=answers)
    criteria = compiled.rubric.criteria
    results = [CHECKS[c.check.type].evaluate(c, call) for c in criteria]
    return CallScore(
        meta=transcript.meta, rubric_id=compiled.rubric_id, rubric_version=compiled.version,
        rubric_hash=compiled.hash, overall=overall(criteria, results),
        critical_failed=any(c.critical and r.passed is False for c, r in zip(criteria, results)),
        results=results, metrics=talk_metrics(transcript, call.timeline), source=transcript.source,
        content_hash=transcript.content_hash, origin=transcript.origin,
        file_hash=transcript.file_hash)


def pending(score: CallScore) -> list[Pending]:
    return [r for r in score.results if isinstance(r, Pending)]


def finish(score: CallScore, criteria: Sequence[Criterion], answers: dict) -> CallScore:
    """`score` with each pending result finished from `answers` (`Ask.key` -> answer or
    JudgeError), its
    overall and critical flag recomputed. A call with a criterion that could not be judged
    keeps no content hash, so the next run scores it again instead of skipping it."""
    results = [r.finish([answers[a.key] for a in r.asks]) if isinstance(r, Pending) else r
               for r in score.results]
    judged = all(not r.counts.get("judge_errors") for r in results)
    return replace(score, results=results, overall=overall(criteria, results),
                   critical_failed=any(c.critical and r.passed is False
                                       for c, r in zip(criteria, results)),
                   content_hash=score.content_hash if judged else None)


def overall(criteria: Sequence[Criterion], results: Sequence[CriterionResult]) -> float | None:
    """Weight-normalised mean of the applicable criteria, 0-100, one decimal; None when no
    criterion applies (or the applicable ones weigh nothing). A failed critical criterion
    does not change it: `critical_failed` says the call failed."""
    weights = [c.weight for c, r in zip(criteria, results) if r.score is not None]
    total = sum(weights)
    if not weights or total <= 0:
        return None
    weighted = sum(c.weight * r.score for c, r in zip(criteria, results) if r.score is not None)
    return round(weighted / total * 100, 1)
