"""`forbidden`: score 1 when none of the phrases is said (by `speaker`, inside `within`),
0 when any is; every occurrence is a moment of kind "violation"."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from callcoach import prose
from callcoach.fmt import where
from callcoach.rubric.fields import CheckBase, Method, Phrases
from callcoach.scoring import forms
from callcoach.scoring.checks.base import (Exemplar, Gap, Part, Smell, Turn, first_phrase,
                                           moment_questions, none_said, phrase_parts, quote, said,
                                           times, where_within)
from callcoach.scoring.result import CriterionResult

if TYPE_CHECKING:
    from callcoach.rubric.model import Criterion
    from callcoach.scoring.context import CallContext
    from callcoach.transcript import Utterance


class ForbiddenCheck(CheckBase):
    """Passes when none of the phrases occur; every occurrence is a moment."""

    type: Literal["forbidden"]
    method: Method = "verbatim"
    phrases: Phrases
    promise: bool = Field(False, description=(
        "A sentence of the speaker that promises an outcome or a price position in words of "
        "its own ('I'd put my name on that', 'we'll match it, any number they give you'), "
        "not a question and not a disclaimer, is a violation too."))


EXAMPLES = "match"   # examples run through the matchers (rubric lint)
MODEL = ForbiddenCheck


def parts(check: ForbiddenCheck) -> list[Part]:
    return phrase_parts(check)


def looks_for(check: ForbiddenCheck) -> str:
    return f"never {first_phrase(check.phrases)}{where_within(check)}"


def smells(check: ForbiddenCheck) -> list[Smell]:
    return []


def evaluate(criterion: Criterion, call: CallContext) -> CriterionResult:
    check: ForbiddenCheck = criterion.check
    hits = call.hits(criterion.id, "phrases", check.within)
    if check.promise:
        # and the promises (the `promise` form), one per utterance
        hits = forms.beside(check, f"{criterion.id}/phrases", hits, call, check.speaker,
                            check.within)
    if hits:
        first = hits[0]
        reason = (said(first, call.phrase(first), check.method, call.where(first))
                  if first.phrase >= 0 else
                  f"said {quote(first.text)} at {call.where(first)} (a promise, no phrase)")
        if len(hits) > 1:
            reason += f"; forbidden language {times(len(hits))} in all"
    else:
        reason = none_said(check, "forbidden ")
    return call.result(criterion, 0.0 if hits else 1.0, reason,
                       [call.moment(m, "violation") for m in hits], {"violations": len(hits)})


# -- coaching -----------------------------------------------------------------------------
def gap(criterion: Criterion, result: CriterionResult, utts: list[Utterance]) -> Gap:
    """The first time the wording was said, and how often it was said in all."""
    said_at = sorted((m for m in result.moments if m.kind in ("violation", "match")),
                     key=lambda m: m.utterance)
    if not said_at:
        return Gap(None, result.reason)
    first = said_at[0]
    note = (f"Said {prose.quote(first.matched or first.text)} at "
            f"{where(first.start, first.utterance)}: {prose.end(prose.quote(first.text))}")
    if len(said_at) > 1:
        note += (f" Said {prose.times(len(said_at))} in this call (also at "
                 f"{', '.join(where(m.start, m.utterance) for m in said_at[1:])}).")
    return Gap(first.utterance, note)


def questions(criterion: Criterion, result: CriterionResult, focus: Turn | None,
              heard: Turn | None, utts: list[Utterance]) -> list[str]:
    if focus is None:
        return moment_questions(criterion, utts)
    qs = [f"At {focus.at} you said {prose.end(prose.quote(focus.text))} What were you trying "
          f"to achieve with it?"]
    if heard:
        qs.append(f"{heard.speaker} had just said {prose.end(prose.quote(heard.text))} What "
                  f"else could you have said to that?")
    qs.append("What is the risk, for the customer and for us, in that wording?")
    return qs


def exemplar(criterion: Criterion, rep: str, result: CriterionResult) -> Exemplar:
    # Nothing to play: a clean call is the absence of the wording.
    return Exemplar(frozenset(), frozenset(),
                    "The whole call went through without the forbidden wording.")
