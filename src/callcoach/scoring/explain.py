"""Why a criterion scored what it did on one stored call: re-score that criterion from the
stored transcript with near misses on, and give every moment its surrounding turns.

    explanation = explain(Store("callcoach.db"), "acme-42", "discovery_questions")
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from callcoach.analytics import lookup
from callcoach.analytics.excerpts import excerpt
from callcoach.errors import NotFoundError
from callcoach.judge import Settings
from callcoach.matching import normalize
from callcoach.rubric.model import Criterion, Rubric
from callcoach.scoring import forms
from callcoach.scoring.checks import CHECKS
from callcoach.scoring.compile import compile_rubric
from callcoach.scoring.engine import score_transcript
from callcoach.scoring.result import CallScore, CriterionResult, Moment
from callcoach.store import Store
from callcoach.transcript import Transcript, Utterance

CONTEXT_TURNS = 2


@dataclass(slots=True)
class Excerpt:
    """A moment with the turns around it (`context` holds the moment's own turn too)."""

    moment: Moment
    context: list[Utterance]
    first: int         # position of context[0] in the call
    said: str | None   # the (normalised) words that matched or nearly matched
    form: str | None = None   # a trigger said in no phrase: the form that read it, and why

    def to_dict(self) -> dict:
        return {**self.moment.to_dict(), "said": self.said, "form": self.form,
                "context": [u.to_dict() for u in self.context]}


@dataclass(slots=True)
class Explanation:
    call: CallScore                 # the stored score of the call
    rubric: Rubric
    criterion: Criterion
    pass_mark: float
    result: CriterionResult         # re-scored now, with near misses
    stored: CriterionResult | None  # what the store holds for it (None if never scored)
    moments: list[Excerpt] = field(default_factory=list)
    near_misses: list[Excerpt] = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    rubric_note: str | None = None  # the call was scored with several: why this one

    def to_dict(self) -> dict:
        """The `explain --format json` shape."""
        m, r = self.call.meta, self.result
        return {
            "call_id": m.call_id, "rep": m.rep, "started_at": m.started_at.isoformat(),
            "rubric": self.rubric.rubric, "rubric_id": self.rubric.rubric,
            "rubric_version": self.rubric.version, "rubric_note": self.rubric_note,
            "criterion": {"id": self.criterion.id, "name": self.criterion.title,
                          "weight": self.criterion.weight, "critical": self.criterion.critical,
                          "standard": self.criterion.standard},
            "pass_mark": self.pass_mark,
            "score": r.score, "passed": r.passed, "reason": r.reason, "counts": dict(r.counts),
            "stored": None if self.stored is None else {
                "score": self.stored.score, "passed": self.stored.passed,
                "reason": self.stored.reason},
            "moments": [e.to_dict() for e in self.moments],
            "near_misses": [e.to_dict() for e in self.near_misses],
            "settings": self.settings,
        }


def explain(store: Store, call_id: str, criterion: str, *, rubric_id: str | None = None,
            pass_mark: float | None = None, context: int = CONTEXT_TURNS) -> Explanation:
    """Re-score `criterion` (its id or name) on the stored call `call_id` with near misses.

    Uses the exact rubric version the call was scored with. Raises NotFoundError (with a
    "did you mean") for an unknown call or criterion.
    """
    rubric_id, note = lookup.call_rubric_id(store, call_id, rubric_id)
    call = store.call(call_id, rubric_id)
    rubric = lookup.scored_rubric(store, rubric_id, rubric_hash=call.rubric_hash).rubric
    criterion = lookup.resolve_criterion(rubric, criterion)
    utterances = store.utterances(call_id)
    if not utterances:
        raise NotFoundError(f"the store holds no transcript for call {call_id!r}",
                            hint="score its file again: callcoach score FILE --rubric R")
    mark = rubric.pass_mark if pass_mark is None else pass_mark
    # the whole rubric, as scoring compiled it: an intent word's weight depends on every
    # criterion's phrases, so the criterion alone would score with other weights
    compiled = compile_rubric(rubric, pass_mark=mark)
    # A criterion a language model answers shows the answer the store holds for it: the
    # configured model's, else any model's.
    settings = Settings.from_env()
    model = settings.model if settings is not None else None
    result = score_transcript(Transcript(call.meta, utterances), compiled, near_misses=True,
                              answers=lambda ask: store.answer(ask, model) or store.answer(ask)
                              ).result(criterion.id)
    stored = next((r for r in call.results if r.id == criterion.id), None)

    by_index = {u.index: u for u in utterances}

    trigger = getattr(criterion.check, "trigger", None)

    def around(m: Moment) -> Excerpt:
        # the span is in the whole utterance; a runaway one is shown by the moment's excerpt
        full = by_index[m.utterance].text if m.utterance in by_index else m.text
        said = normalize(full)[m.span[0]:m.span[1]] if m.span else None
        turns = [replace(u, text=m.text) if u.index == m.utterance and u.text != full else u
                 for u in excerpt(utterances, m.utterance, context)]
        form = forms.why(trigger, said) if m.step == "trigger" and m.matched is None and said \
            and trigger is not None else None
        return Excerpt(m, turns, turns[0].index, said, form)

    thresholds = {part.name: compiled.threshold(f"{criterion.id}/{part.name}")
                  for part in CHECKS[criterion.check.type].parts(criterion.check)}
    settings = {"check": criterion.check.model_dump(mode="json", by_alias=True,
                                                    exclude_none=True),
                "thresholds": thresholds}
    return Explanation(call, rubric, criterion, mark, result, stored,
                       [around(m) for m in result.moments],
                       [around(m) for m in result.near_misses], settings, note)
