"""What rubric models are built from: positions and windows, steps, and the fields every
check type shares (`CheckBase`). Each check type's own model lives in its module under
scoring/checks/; rubric/model.py assembles them into the rubric language.
"""
from __future__ import annotations

import re
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

Method = Literal["verbatim", "intent"]
Speaker = Literal["rep", "prospect", "any"]
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
_WITHIN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds|m|min|mins|minutes|%|turns?)\s*$")
# Bounds on every number a rubric holds: finite, and far past any real use, so a typo or a
# hostile file (`weight: 1e999`, `min_count: 1.0e+23`) is refused by lint, show and score alike.
MAX_WEIGHT = 1_000_000
MAX_COUNT = 10_000          # min_count, within_turns
MAX_SECONDS = 24 * 3600     # a `within` window
MAX_TURNS = 100_000


def _shown(raw: object) -> str:
    """A value as a message quotes it: cut at 40 characters."""
    text = str(raw)
    return text if len(text) <= 40 else text[:37] + "..."


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)


class Span(Strict):
    """A position bound: `120s`, `2m`, `20%` (of the call's duration, or of its turns when the
    transcript has no timestamps) or `10 turns`."""

    value: float
    unit: Literal["seconds", "percent", "turns"]

    @classmethod
    def parse(cls, raw: str | int | float) -> "Span":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raw = f"{raw}s"   # a bare number is seconds
        m = _WITHIN.match(str(raw))
        raw = _shown(raw)
        if not m:
            raise ValueError(f"{raw!r} is not a position: use seconds (120s), minutes (2m), "
                             f"a share of the call (20%) or turns (10 turns)")
        value, unit = float(m.group(1)), m.group(2)
        if unit.startswith("m"):
            value, unit = value * 60, "s"
        if unit == "%":
            if value > 100:
                raise ValueError(f"{raw!r}: a share of the call cannot exceed 100%")
            return cls(value=value, unit="percent")
        if unit.startswith("turn"):
            if value > MAX_TURNS:
                raise ValueError(f"{raw!r}: at most {MAX_TURNS:,} turns")
            return cls(value=value, unit="turns")
        if not value <= MAX_SECONDS:   # NaN and infinity too
            raise ValueError(f"{raw!r}: at most {MAX_SECONDS:,} seconds (24 hours)")
        return cls(value=value, unit="seconds")

    def __str__(self) -> str:
        return {"seconds": f"{self.value:g}s", "percent": f"{self.value:g}%",
                "turns": f"{self.value:g} turns"}[self.unit]


# The validators below accept a bare number (seconds; a version 3) and store text: the JSON
# Schema says so too, or editors would flag `version: 3` that callcoach itself accepts.
_TEXT_OR_NUMBER = WithJsonSchema(
    {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "null"}]})


class Within(Strict):
    """Where in the call a check looks: the first or last part of it (either or both)."""

    first: Annotated[Optional[str], _TEXT_OR_NUMBER] = Field(
        None, description="e.g. 120s, 2m, 20%, 10 turns")
    last: Annotated[Optional[str], _TEXT_OR_NUMBER] = Field(
        None, description="e.g. 20%, 5m, 10 turns")

    @field_validator("first", "last", mode="before")
    @classmethod
    def _check_span(cls, v):
        if v is None:
            return v
        Span.parse(v)
        return str(v) if not isinstance(v, (int, float)) else f"{v}s"

    @model_validator(mode="after")
    def _one_bound(self):
        if self.first is None and self.last is None:
            raise ValueError("within needs `first` or `last`")
        return self

    def describe(self, article: str = "") -> str:
        """'first 120s', 'last 20%', or 'first 2m or last 20%': either window counts.
        `article` goes before each bound ("the ")."""
        bounds = [f"{article}first {self.first_span}" if self.first is not None else None,
                  f"{article}last {self.last_span}" if self.last is not None else None]
        return " or ".join(b for b in bounds if b)

    @property
    def first_span(self) -> Span | None:
        return Span.parse(self.first) if self.first is not None else None

    @property
    def last_span(self) -> Span | None:
        return Span.parse(self.last) if self.last is not None else None


Phrases = Annotated[list[str], Field(description="Example phrasings (intent) or exact wordings "
                                                 "(verbatim).")]
Threshold = Annotated[Optional[float], Field(None, ge=0, le=100, description=(
    "Intent only: minimum similarity 0-100 for a match. Default 65."))]


class Opening(Strict):
    """A turn whose first sentence opens with one of `lead`, is not a question and holds none
    of `unless` does the step too: a reply that opens by agreeing ("Yeah, I'd feel the same",
    "Okay, that's real") and does not go on to argue ("Yeah, but actually ...")."""

    lead: list[str] = Field(min_length=1, description="Words the turn's first sentence opens with.")
    unless: list[str] = Field(default_factory=list, description=(
        "Words that, anywhere in that sentence, make it an argument, not agreement."))
    alone: list[str] = Field(default_factory=list, description=(
        "Lead words that agree even as a sentence of their own (\"Fair.\", \"Understood.\"); "
        "any other lead said alone (\"Okay.\", \"Yeah.\") is a backchannel."))
    before_question: bool = Field(False, description=(
        "Also a first sentence that opens otherwise, when the turn goes on to an open "
        "question: the rep recognising the concern before asking about it (\"Three jobs "
        "topping out before the holidays, I wouldn't want a new login either. Can I ask "
        "...?\"). Not a question itself, none of `unless`, and not opening as answering "
        "back or moving on does (well, no, look, see, let, our)."))

    @model_validator(mode="after")
    def _alone_are_leads(self):
        odd = [w for w in self.alone if len(w.split()) != 1 or w not in self.lead]
        if odd:
            raise ValueError(f"alone takes single words that are also in lead, not "
                             f"{', '.join(repr(w) for w in odd)}")
        return self


class Step(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: Optional[str] = None
    phrases: Optional[Phrases] = None
    any_turn: bool = Field(False, description=(
        "Response steps only: any turn of the check's speaker does this step, so the check "
        "verifies the order (LAER's respond: what the answer says varies too much to phrase). "
        "Takes no phrases."))
    open_question: bool = Field(False, description=(
        "Response steps only: an open question of the check's speaker (a sentence ending in "
        "'?' that opens, after fillers, with what, how, why, which, who, where or when, or "
        "offers alternatives: 'is it the number, or the timing?'), or a prompt ('walk me "
        "through ...'), does this step too (LAER's explore)."))
    opening: Optional[Opening] = Field(None, description=(
        "Response steps only: a turn that opens this way does this step too (see Opening)."))
    asked: bool = Field(False, description=(
        "Response steps only: the step's phrases count only in a sentence that asks (ending "
        "in '?', or a prompt: 'tell me more ...'), so 'it's a lot compared to what you own' "
        "is not 'what are you comparing it to'. In a transcript with no '?' at all, every "
        "match counts."))
    cues: list[str] = Field(default_factory=list, description=(
        "Sequence steps, with the check's asked: topic words or short word runs "
        "('sideways', 'deadline', 'sign off'), matched as written, word for word. An open "
        "question or a prompt of the speaker's that no step's phrase matched counts for the "
        "step whose cue it says first (on one word, the earlier step); a fragment of fewer "
        "than four words "
        "('Budget?') does not, and in a transcript with no '?' no cue counts."))
    first_answer: bool = Field(False, description=(
        "With any_turn: the first turn of the check's speaker in the window that asks "
        "nothing and says more than the steps before it (not a backchannel: 'Mm-hmm.') is "
        "this step, and those steps count "
        "only before it: a rep who answers, then asks what is behind the objection, answered "
        "without exploring. When every turn in the window asks, any turn after the steps "
        "before it does."))

    @field_validator("cues")
    @classmethod
    def _cues_say_something(cls, cues: list[str]) -> list[str]:
        from callcoach.matching.normalize import normalize

        empty = [c for c in cues if not normalize(c)]
        if empty:
            raise ValueError(f"a cue must hold a word, not {', '.join(repr(c) for c in empty)}")
        return cues

    @model_validator(mode="after")
    def _phrases_or_any_turn(self):
        if self.any_turn and (self.phrases or self.open_question or self.opening
                              or self.asked):
            raise ValueError("a step with any_turn: true takes no phrases, open_question, "
                             "opening or asked")
        if self.first_answer and not self.any_turn:
            raise ValueError("first_answer is for a step with any_turn: true (the answer is "
                             "a turn, not a phrase)")
        if not self.any_turn and self.phrases is None:
            raise ValueError("a step needs phrases (or any_turn: true, in a response check)")
        return self


class Before(Strict):
    """The cut-off of a sequence: the first moment one of these phrases is said."""

    name: Optional[str] = Field(None, description="What the cut-off is, for reasons: 'pricing'.")
    phrases: Phrases
    method: Optional[Method] = None       # default: the check's method
    threshold: Threshold = None
    speaker: Optional[Speaker] = None     # default: the check's speaker
    price: bool = Field(False, description=(
        "A sentence of the speaker that states a price ('$38', 'twenty-eight dollars per user', "
        "'three thousand two hundred a month'), not a question, is a cut-off too."))


class Trigger(Strict):
    """What opens a response window: usually the prospect's objection."""

    name: Optional[str] = Field(None, description="What triggers it, for reasons: 'objection'.")
    speaker: Speaker = "prospect"
    phrases: Phrases
    method: Optional[Method] = None
    threshold: Threshold = None
    pushback: bool = Field(False, description=(
        "A sentence of the speaker that pushes back the way prospects object (on price, "
        "budget, need, the status quo, priority, time or authority) triggers it too; a question "
        "only when it is a statement with a tag ('..., you know?') or rhetorical ('Do we even "
        "need this?')."))
    pushback_model: bool = Field(False, description=(
        "A sentence of the speaker that the learned push-back model reads as an objection "
        "triggers it too (a linear model over its word stems, trained on labelled calls; it "
        "reaches shapes no cue holds). Questions as with pushback."))
    pushback_floor: Optional[float] = Field(None, ge=-20, le=0, description=(
        "With pushback and pushback_model: a sentence pushes back by its cues only where the "
        "model's log-odds for it is at least this. -2: the model need not agree, but must not "
        "be sure it is no objection ('Ingrid would have to approve it', answering who decides; "
        "'my intake team is drowning', a pain). At most 0: above it the model alone would "
        "fire. Default: every cue counts."))

    @model_validator(mode="after")
    def _floor_needs_both(self):
        if self.pushback_floor is not None and not (self.pushback and self.pushback_model):
            raise ValueError("pushback_floor weighs the cues by the model: it needs pushback: "
                             "true and pushback_model: true")
        return self


class CheckBase(Strict):
    """The keys every check type has."""

    method: Method = "intent"
    threshold: Threshold = None
    speaker: Speaker = "rep"
    within: Optional[Within] = None
