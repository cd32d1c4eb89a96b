"""Score one transcript against a compiled rubric.

    compiled = compile_rubric(rubric)          # once per process
    score = score_transcript(transcript, compiled)

Per call: normalise the utterances once, one scan per matcher method, then each check is
plain Python over the matches (checks/). The semantics are in docs/scoring.md.
"""
from __future__ import annotations

from typing import Sequence

from callcoach.rubric.model import Criterion
from callcoach.scoring.checks import CHECKS
from callcoach.scoring.compile import CompiledRubric
from callcoach.scoring.context import CallContext
from callcoach.scoring.metrics import talk_metrics
from callcoach.scoring.result import CallScore, CriterionResult
from callcoach.transcript import Transcript


def score_transcript(transcript: Transcript, compiled: CompiledRubric, *,
                     near_misses: bool = False) -> CallScore:
    """Every criterion's result with its moments, the weighted overall and the talk metrics.

    `near_misses=True` (for explain) also fills each result's near misses; it is slower.
    """
    call = CallContext(transcript, compiled, near_misses=near_misses)
    criteria = compiled.rubric.criteria
    results = [CHECKS[c.check.type].evaluate(c, call) for c in criteria]
    return CallScore(
        meta=transcript.meta, rubric_id=compiled.rubric_id, rubric_version=compiled.version,
        rubric_hash=compiled.hash, overall=overall(criteria, results),
        critical_failed=any(c.critical and r.passed is False for c, r in zip(criteria, results)),
        results=results, metrics=talk_metrics(transcript, call.timeline), source=transcript.source,
        content_hash=transcript.content_hash, origin=transcript.origin,
        file_hash=transcript.file_hash)


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
