"""`phrase`: the phrases occur at least `min_count` times from `speaker` inside `within`.
Score = min(1, found / min_count). Intent counts at most one match per utterance; verbatim
counts every occurrence."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Optional

from pydantic import Field, model_validator

from callcoach import prose
from callcoach.matching.language import (MIN_SENTENCE_WORDS, checks_in, contrasts,
                                         is_content, opens_with, own_side, stem)
from callcoach.rubric.fields import MAX_COUNT, CheckBase, Phrases, Strict
from callcoach.scoring.checks.base import (Exemplar, Gap, Part, Smell, Turn, by,
                                           exemplar_of_matches, first_only, first_phrase,
                                           moment_questions, none_said, phrase_parts, said, scope,
                                           unplaced_gap, where_within)
from callcoach.scoring.result import CriterionResult

if TYPE_CHECKING:
    from callcoach.rubric.model import Criterion
    from callcoach.scoring.context import CallContext
    from callcoach.transcript import Utterance


class Echo(Strict):
    """A sentence that plays the other side's own words back counts as a mention too: it
    opens with one of `lead` (after fillers such as "okay", "right") and repeats at least
    `min_shared` of the content words (by stem) the other side said in the `turns` utterances
    before it. For reflective listening, which reps do without a set phrase ("So the approvals
    are the bottleneck, not the data entry"). A playback that contrasts needs only
    `contrast_shared` of them, when set; with `confirmed_shared`, a statement of four words or
    more that the next sentence checks ("..., is that fair?", "That it?") is a playback too,
    with or without a lead, when it repeats that many."""

    lead: list[str] = Field(default_factory=lambda: ["so"], min_length=1,
                            description="Words a playback opens with (after fillers).")
    min_shared: int = Field(2, ge=1, le=20,
                            description="Content words of the other side's it must repeat.")
    turns: int = Field(3, ge=1, le=20,
                       description="How many utterances back the other side's words count.")
    contrast_shared: Optional[int] = Field(None, ge=1, le=20, description=(
        "Fewer words suffice for a playback that contrasts (\"so it's X, not Y\")."))
    confirmed_shared: Optional[int] = Field(None, ge=1, le=20, description=(
        "A statement the speaker follows with a check-in (\"Is that fair?\", \"Right?\") is "
        "a playback too, lead or not, when it repeats this many of the other side's words."))

    @model_validator(mode="after")
    def _fewer_when_contrasting(self):
        if self.contrast_shared is not None and self.contrast_shared > self.min_shared:
            raise ValueError(f"contrast_shared ({self.contrast_shared}) above min_shared "
                             f"({self.min_shared}) would change nothing: a contrast needs fewer")
        return self

    def needs(self, words: list[str]) -> int:
        """How many of the other side's words the sentence must repeat."""
        if self.contrast_shared is not None and contrasts(words):
            return min(self.min_shared, self.contrast_shared)
        return self.min_shared


class PhraseCheck(CheckBase):
    """Passes when the phrases occur at least `min_count` times."""

    type: Literal["phrase"]
    phrases: Phrases
    min_count: int = Field(1, ge=1, le=MAX_COUNT)
    echo: Optional[Echo] = Field(None, description=(
        "Also count sentences that play the other side's words back (see Echo)."))


EXAMPLES = "match"   # examples run through the matchers (rubric lint)
MODEL = PhraseCheck


def parts(check: PhraseCheck) -> list[Part]:
    return phrase_parts(check)


def looks_for(check: PhraseCheck) -> str:
    times = f" at least {check.min_count} times" if check.min_count > 1 else ""
    return f"{first_phrase(check.phrases)}{times}{where_within(check)}"


def smells(check: PhraseCheck) -> list[Smell]:
    return []


def evaluate(criterion: Criterion, call: CallContext) -> CriterionResult:
    check: PhraseCheck = criterion.check
    hits = call.hits(criterion.id, "phrases", check.within)
    moments = [call.moment(m) for m in hits]
    played: list[tuple[int, list[str]]] = []   # echoes: (utterance, the words it repeats)
    if check.echo is not None:
        said_at = {m.utterance for m in hits}
        inside = call.window(check.within)
        played = [(u, shared) for u, shared in echoes(check, call)
                  if u not in said_at and (inside is None or inside[u])]
        moments += [call.moment_at(u) for u, _ in played]   # no phrase: `matched` stays empty
        moments.sort(key=lambda mo: mo.utterance)
    found, need = len(moments), check.min_count
    where = f"{by(check.speaker)}{scope(check.within)}"
    if not moments:
        reason = none_said(check)
    elif need == 1 and hits:
        first = hits[0]
        reason = said(first, call.phrase(first), check.method, call.where(first))
        if found > 1:
            reason += f"; {found} times in all"
    elif need == 1:
        u, shared = played[0]
        reason = f"played the other side's words back ({', '.join(shared)}) at {call.where(u)}"
        if found > 1:
            reason += f"; {found} times in all"
    else:
        shown = ", ".join(call.where(mo.utterance) for mo in moments[:5]) + \
            (", …" if found > 5 else "")
        reason = (f"{found} of {need} required mentions{where}: {shown}" if found < need else
                  f"{found} mentions{where} ({need} required): {shown}")
    if played and (need > 1 or hits):
        reason += f" ({len(played)} playing back the other side's words: " \
            f"{', '.join(played[0][1])}{', …' if len(played) > 1 else ''})"
    return call.result(criterion, min(1.0, found / need), reason, moments,
                       {"found": found, "required": need})


def echoes(check: PhraseCheck, call: CallContext) -> list[tuple[int, list[str]]]:
    """(utterance, the words it repeats) for each utterance of the check's speaker with a
    sentence that plays the other side's words back (see Echo)."""
    from callcoach.scoring.compile import ROLES

    echo = check.echo
    leads = frozenset(w.lower() for w in echo.lead)
    utts, texts = call.utterances, call.doc.texts
    roles = ROLES[check.speaker]
    out = []
    for u, utt in enumerate(utts):
        if roles is not None and utt.role not in roles:
            continue
        sentences = [s.split(" ") for s in texts[u].sentences]
        # (words, how many of theirs it must repeat): sentences opening with a lead, and
        # statements a check-in confirms
        candidates = []
        checked = echo.confirmed_shared is not None and "?" in utt.text
        for k, words in enumerate(sentences):
            need = echo.needs(words) if opens_with(words, leads) else None
            if checked and k + 1 < len(sentences) and checks_in(sentences[k + 1]) \
                    and len(words) >= MIN_SENTENCE_WORDS and not own_side(words) \
                    and call.asks(u)[k + 1] and not call.asks(u)[k]:
                # a statement the rep checks: "... holds up the whole invoice. That it?"
                need = min(need or echo.confirmed_shared, echo.confirmed_shared)
            if need is not None:
                candidates.append((words, need))
        if not candidates:
            continue   # the cheap test first: most turns open with no lead word
        theirs: dict[str, str] = {}
        for j in range(max(0, u - echo.turns), u):
            if utts[j].role not in (utt.role, "other"):
                for w in texts[j].words:
                    if is_content(w):
                        theirs.setdefault(stem(w), w)
        for words, need in candidates:
            shared = sorted({theirs[stem(w)] for w in words if is_content(w) and stem(w) in theirs})
            if len(shared) >= need:
                out.append((u, shared))
                break
    return out


# -- coaching -----------------------------------------------------------------------------
def gap(criterion: Criterion, result: CriterionResult, utts: list[Utterance]) -> Gap:
    """Nothing to point at: it was not said in the window, or not before the call ended."""
    check: PhraseCheck = criterion.check
    found = [m for m in result.moments if m.kind == "match"]
    need = check.min_count
    what = prose.lower_first(criterion.title)
    if first_only(check.within):
        note = (f"No {what} in the first {prose.span(check.within.first_span)} of the call"
                + (f" (found {len(found)} of {need})." if found else "."))
    elif found:
        note = (f"{prose.upper_first(what)} found {len(found)} of {need} times needed before "
                f"the call ended.")
    else:
        note = f"No {what} secured before the call ended; these were its last turns."
    return unplaced_gap(check, note, utts)


def questions(criterion: Criterion, result: CriterionResult, focus: Turn | None,
              heard: Turn | None, utts: list[Utterance]) -> list[str]:
    return moment_questions(criterion, utts)


def exemplar(criterion: Criterion, rep: str, result: CriterionResult) -> Exemplar:
    return exemplar_of_matches(rep, result)
