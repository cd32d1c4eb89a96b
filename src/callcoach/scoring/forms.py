"""What a sentence's form does, beside the phrases: a response step's `open_question` and
`opening`, a sequence cut-off's `price`, a response trigger's `pushback` and `pushback_model`
and a forbidden check's `promise`; and whether a sentence asks (a sequence's `asked`).

What a rep says to explore an objection, or to acknowledge it, varies more than a phrase list
can hold; its form varies less. Exploring is asking an open question ("What's the paper doing
for them that they'd be afraid to lose?"); acknowledging is a reply that opens by agreeing
("Okay, that's real, and I'm not going to tell you to walk away from a contract") and does not
go on to argue, or (`before_question`) a statement that leads into an exploring question.
Moving to pricing is stating a price ("that's eleven hundred a location a month"), whatever
the words around it; so are objecting and promising in words of one's own. Forms are read from
the utterance as written, since normalising folds "?" into a sentence end. A transcript
without punctuation marks no question: a sequence's `asked` cannot be told there, so it keeps
every match, and a step's question form reads a turn cut where a question starts by its words
("... this is normal can i ask when the new year starts": `cut_at_questions`).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from callcoach.matching import Match, pushback_model
from callcoach.matching.language import (NOT_RECOGNISING, PROMISE, PUSHBACK, asks_openly,
                                         holds, moves_on, names_a_day, opens_with, own_side, pitches,
                                         promises,
                                         prompts, pushes_back, question_starts, states_price)
from callcoach.matching.normalize import ABBREVIATED, NormText, normalize, normalize_many

if TYPE_CHECKING:
    from callcoach.rubric.fields import Before, Step, Within
    from callcoach.scoring.context import CallContext

# a sentence as written ends where normalising ends one: ".", "?" or "!" before a space
_SENTENCE_END = re.compile(r"(?<=[.?!])(?!" + ABBREVIATED + r")\s+", re.IGNORECASE)
_DOLLARS = re.compile(r"\$\s?\d")
LEARNED = "push-back (learned)"
# the rubric keys that name a form, on whichever model holds them
FORM_KEYS = ("opening", "open_question", "price", "pushback", "pushback_model", "promise")


def has_form(part) -> bool:
    """Does the step, cut-off, trigger or check name a form (see FORM_KEYS)?"""
    return any(getattr(part, key, None) for key in FORM_KEYS)


@dataclass(frozen=True, slots=True)
class _Forms:
    """A step's or cut-off's forms, with the rubric's words normalised once."""

    leads: tuple[tuple[str, ...], ...] = ()   # an agreeing opening (none: no opening form)
    unless: tuple[tuple[str, ...], ...] = ()
    alone: frozenset[str] = frozenset()      # lead words that agree said alone ("Fair.")
    before_question: bool = False             # or any opening that leads into a question
    open_question: bool = False
    price: bool = False
    pushback: bool = False
    pushback_model: bool = False
    promise: bool = False
    pushback_floor: float | None = None      # cues count where the model scores this or more

    @classmethod
    def of(cls, part: Step | Before) -> _Forms:
        """The part's forms; asked once per call and part, so the rubric's words are
        normalised once per process (the models are not hashable: the key is their values)."""
        opening = getattr(part, "opening", None)
        return _forms(tuple(opening.lead) if opening else (),
                      tuple(opening.unless) if opening else (),
                      tuple(opening.alone) if opening else (),
                      before_question=bool(opening and opening.before_question),
                      pushback_floor=getattr(part, "pushback_floor", None),
                      **{key: bool(getattr(part, key, False))
                         for key in FORM_KEYS if key != "opening"})

    def may_do(self, text: str, norm: NormText) -> bool:
        """A cheap test on the whole turn (already normalised) before its sentences are: most
        turns open otherwise, ask nothing, state no price and push nothing back."""
        asks = (self.open_question or self.before_question) and (
            "?" in text or prompts(norm.text, norm.words))
        return (bool(self.leads) and (any(norm.words[:len(lead)] == lead for lead in self.leads)
                                      or self.before_question and asks)
                or self.open_question and asks
                or self.price and ("$" in text or states_price(norm.words, losses=False))
                # sentence by sentence: a cue may be anchored at a sentence's end ("... is
                # too much$"), which the whole turn's text has only at its last
                or self.pushback and not PUSHBACK.anchors.isdisjoint(norm.words)
                and any(self._pushes_back(s, tuple(s.split())) for s in norm.sentences)
                or self.pushback_model and any(pushback_model.pushes_back(tuple(s.split()))
                                               for s in norm.sentences)
                or self.promise and not PROMISE.anchors.isdisjoint(norm.words)
                and any(promises(s, disclaimers=False) for s in norm.sentences))

    def done_by(self, text: str, norm: NormText | None = None) -> list[tuple[str, str]]:
        """`norm`: the text normalised already; its sentences are used when they line up."""
        found = []
        sentences = written_sentences(text)
        asks = [s.rstrip().endswith("?") for s in sentences]
        # every form but an opening reads every sentence (a prompt, "walk me through ...",
        # asks too); an opening may follow a backchannel ("Oh, okay. That's good to know")
        questions = self.open_question or self.before_question
        pushes = self.pushback or self.pushback_model
        if not (questions or self.leads or self.price or pushes or self.promise):
            return found
        if norm is not None and len(norm.sentences) == len(sentences):
            normed = [(said, norm.clause_marks(i)) for i, said in enumerate(norm.sentences)]
        else:
            normed = [(n.text, n.clause_marks(0) if n.sentences else ())
                      for n in normalize_many(sentences)]
        prompted = [questions and not a and prompts(said) for a, (said, _) in zip(asks, normed)]
        asks = [a or p for a, p in zip(asks, prompted)]
        words_of = [(tuple(said.split()), marks, p) for (said, marks), p in zip(normed, prompted)]
        # a question that changes the subject explores nothing, nor one said right after a
        # sentence that does ("Anyway! Tell me about your waitlist.")
        moving = [questions and moves_on(words) for words, _, _ in words_of]
        moved_on = [m or i > 0 and moving[i - 1] for i, m in enumerate(moving)]
        opening = next((i for i, (words, _, _) in enumerate(words_of)
                        if words and not (self.leads and self._backchannel(words))), 0)
        asks_later = self.before_question and any(asks[opening + 1:])
        for i, (said, marks) in enumerate(normed):
            words = words_of[i][0]
            if not words:
                continue
            if i == opening and self.leads and self._agrees(words, asks[i]):
                found.append((said, "an agreeing opening"))
            elif i == opening and asks_later and not moved_on[i] and self._leads_in(
                    words, asks[i], [words_of[j] for j in range(opening + 1, len(words_of))
                                     if asks[j] and not moved_on[j]]):
                found.append((said, "an opening before a question"))
            # a question states no price and promises nothing; it pushes back when it is a
            # statement with a tag ("I just don't have the people for this, you know?") or
            # rhetorical ("Do we even need this?"), not when it asks ("Would my manager have
            # to approve it?")
            elif asks[i] and not (pushes and _rhetorical(words)):
                if self.open_question and not moved_on[i] and (
                        prompted[i] and not names_a_day(words) or asks_openly(words, marks)):
                    found.append((said, "an open question"))
            elif self.price and (_DOLLARS.search(sentences[i]) or states_price(words)):
                found.append((said, "a price"))
            elif self.pushback and self._pushes_back(said, words):
                found.append((said, "push-back"))
            elif self.pushback_model and pushback_model.pushes_back(words):
                found.append((said, LEARNED))
            elif self.promise and promises(said, words=words):
                found.append((said, "a promise"))
        return found

    def _pushes_back(self, said: str, words: tuple[str, ...]) -> bool:
        """Does the sentence push back by a cue, and (with a floor) does the model not rule
        it out?"""
        return pushes_back(said, words) and (self.pushback_floor is None
                                             or pushback_model.score(words) >= self.pushback_floor)

    def _leads_in(self, words: tuple[str, ...], asks: bool,
                  questions: list[tuple[tuple[str, ...], tuple[int, ...], bool]]) -> bool:
        """Does a first sentence recognise the concern before the turn asks about it: a
        statement of a few words, neither answering back nor moving on, then an open
        question or a prompt (each: its words, clause marks and whether it prompts)?"""
        return (not asks and len(words) > 2 and not opens_with(words, NOT_RECOGNISING)
                and not self._backchannel(words) and not (own_side(words) or pitches(words))
                and not any(holds(words, u) for u in self.unless)
                and any(prompted and not names_a_day(q) or asks_openly(q, marks)
                        for q, marks, prompted in questions))

    def _backchannel(self, words: tuple[str, ...]) -> bool:
        """Is the sentence lead words only ("Okay.", "Oh, okay.", "Yeah, sure."), none of
        them one that agrees said alone ("Fair.")? It keeps the floor, and recognises nothing."""
        return all((w,) in self.leads for w in words) and self.alone.isdisjoint(words)

    def _agrees(self, words: tuple[str, ...], asks: bool) -> bool:
        return (not asks and not self._backchannel(words)
                and any(words[:len(lead)] == lead for lead in self.leads)
                and not any(holds(words, u) for u in self.unless))


@functools.lru_cache(maxsize=256)
def _forms(lead: tuple[str, ...], unless: tuple[str, ...], alone: tuple[str, ...],
           **flags: bool | float | None) -> _Forms:
    return _Forms(_words(lead), _words(unless), frozenset(w for ws in _words(alone) for w in ws),
                  **flags)


_TAGS = (("you", "know"), ("right",), ("yeah",), ("no",), ("honestly",), ("you", "know", "what",
         "i", "mean"))


def _rhetorical(words: tuple[str, ...]) -> bool:
    """Is a question (its normalised words) a statement with a tag, or rhetorical ("even")?"""
    return "even" in words or any(words[-len(tag):] == tag for tag in _TAGS)


def written_sentences(text: str) -> list[str]:
    """The sentences of `text` as written (split where normalising splits them)."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def _words(texts: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(normalize(t).split()) for t in texts)


MAX_AGREEING = 12   # words: past it a statement says more than that it agrees


def agreeing(part: Step) -> Callable[[tuple[str, ...]], bool]:
    """The test of whether a statement (its normalised words) does no more than agree, by the
    step's opening ("Totally.", "I'm sorry, that's the worst kind of switch."), or keep the
    floor ("Oh, okay, sure."): short, and not about the rep's own side ("Yeah, our platform
    replaces the whiteboard." answers)."""
    forms = _Forms.of(part)
    return lambda words: (bool(forms.leads) and len(words) <= MAX_AGREEING
                          and not own_side(words)
                          and (forms._backchannel(words) or forms._agrees(words, False)))


def done_by(part: Step | Before, text: str) -> list[tuple[str, str]]:
    """The sentences of `text` (normalised) that do the step (or reach the cut-off) by its
    form, each with the form's name ("an open question"), in the order said."""
    return _Forms.of(part).done_by(text)


def asking(text: str, norm: NormText) -> list[bool]:
    """For each sentence of `norm` (`text` normalised): does it ask, ending in "?" as written
    or prompting ("tell me ...", "walk me through ...", language.PROMPT)?"""
    written = written_sentences(text)
    if len(written) != len(norm.sentences):   # a "..." alone normalises to nothing
        written = [w for w in written if normalize(w)]
    lined_up = len(written) == len(norm.sentences)   # if not, read the turn whole
    return [prompts(said) or (written[s].rstrip().endswith("?") if lined_up else "?" in text)
            for s, said in enumerate(norm.sentences)]


def why(part, said: str) -> str | None:
    """The form that does the part in `said` (a sentence, normalised), for explain: its name,
    and for the learned push-back model the stems that weighed most."""
    found = _Forms.of(part).done_by(said)
    if not found:
        return None
    name = found[0][1]
    if name == LEARNED:
        weighed = pushback_model.reasons(tuple(found[0][0].split()))
        name += ": " + ", ".join(f"'{f}' {w:+.2f}" for f, w in weighed)
    return name


def cut_at_questions(norm: NormText) -> str:
    """A turn without punctuation (normalised), its sentences cut where a question starts
    by its words and each ended as a statement or a question: "i understand this is normal
    can i ask when the new year starts" -> "i understand this is normal. can i ask when the
    new year starts?"."""
    out = []
    for said in norm.sentences:
        words = said.split()
        starts = question_starts(words)
        cuts = [0, *[s for s in starts if s > 0], len(words)]
        for a, b in zip(cuts, cuts[1:]):
            out.append(" ".join(words[a:b]) + ("?" if a in starts else "."))
    return " ".join(out)


def asks_at(text: str, norm: NormText, start: int) -> bool:
    """Does the sentence holding character `start` of `norm` ask (see `asking`)?"""
    return asking(text, norm)[norm.locate(start, start + 1)[0]]


def beside(part, key: str, hits: list[Match], call: CallContext, speaker: str,
           within: Within | None) -> list[Match]:
    """`hits` (a group's phrase matches) and, in the turns of `speaker` inside `within` that
    none of them is in, the part's form matches: in call order."""
    said = {m.utterance for m in hits}
    found = matches(part, key, call, [u for u in call.spoken(speaker, within) if u not in said])
    return sorted(hits + found, key=lambda m: (m.utterance, m.start))


def matches(part: Step | Before, key: str, call: CallContext,
            utterances: Iterable[int]) -> list[Match]:
    """The part's form matches in these utterances (each the first sentence of its form), as
    matches of group `key` with no phrase (-1), placed at the sentence so that in-order chains
    see "That's fair. What's behind it?" as acknowledge, then explore."""
    forms, out = _Forms.of(part), []
    # without punctuation no question can be told from its mark: where a form asks for one,
    # a turn is cut where a question starts by its words (language.question_starts)
    repunctuate = not call.punctuated and (forms.open_question or forms.before_question)
    for u in utterances:
        text, norm = call.utterances[u].text, call.doc.texts[u]
        if repunctuate:
            text, norm = cut_at_questions(norm), None
        if not forms.may_do(text, norm or call.doc.texts[u]):
            continue
        found = forms.done_by(text, norm)
        if not found:
            continue
        sentence = found[0][0]
        start = max(0, call.doc.texts[u].text.find(sentence))
        out.append(Match(key, -1, u, start, start + len(sentence), 100.0, sentence))
    return out
