"""Intent: the meaning, matched against example phrasings.

A phrase is compared with the *clauses* of each sentence (split at commas, semicolons, colons,
brackets, dashes, and before "and", "but", "so"), with runs of adjacent clauses, and with
windows of a clause too long to read whole; a candidate holds at most the matcher's longest
phrase plus 3 words. Words are compared by their Snowball stems (matching/language.py), each
weighted by how well it tells the rubric's groups apart:

    weight(stem)  = log(1 + groups / groups whose phrases use it)   (x 0.3 for a stop word;
                    1.0 for a content word no phrase uses, 0.1 for such a stop word)
    recall        = weight of the phrase's stems the candidate says / weight of the phrase's
    precision     = the same shared weight / weight of the candidate's stems
    length        = min(1, candidate words / (phrase words / 2))
    similarity    = 100 x recall^0.75 x precision^0.1 x length

- recall dominates: a phrase said inside a longer clause still matches ("walk me through how
  you handle vendor bills today"), while the precision term prefers the tighter candidate;
- the length factor keeps fragments from passing: "Work." or "Cost?" is not "what is that
  costing you", whatever the words share;
- weekdays, "tomorrow", times of day and numbers each compare as one word, so "does wednesday
  at 2 work" is the same question on a Thursday at 3;
- a phrase made only of common words ("what do you mean by that") has no topic to weigh, so it
  must be said nearly word for word: its similarity is the word-level Indel similarity with the
  candidate (words in order), and it needs 80 whatever the threshold;
- a candidate said inside a negated clause ("i can not guarantee", "we are not recording")
  does not count (language.negated); explain shows it as a near miss.

A candidate matches when its similarity (rounded to 0.1) reaches the threshold and it shares
a content word with the phrase (a common-word phrase: it is said in a sentence holding half
its words). At most one match per group and utterance is reported: the best (similarity,
then phrase order, then position) that is not negated. The measurements behind these
choices are in docs/matching.md.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from math import fsum
from typing import Sequence

from rapidfuzz.distance import Indel

from callcoach.matching.base import Document, Match, Matcher, PhraseGroup, ScanResult, eligible
from callcoach.matching.language import (SentenceNegation, clause_starts, is_content, negations,
                                         stem)

DEFAULT_THRESHOLD = 65.0
WINDOW_SLACK = 3      # a candidate holds at most the longest phrase plus this many words
STRIDE = 4            # windows of a long clause start every 4 words
STOP_SCALE = 0.3      # a stop word weighs this share of a content word used as often
UNKNOWN_WEIGHT = 1.0  # what a content word that no phrase uses weighs
UNKNOWN_STOP = 0.1    # what a stop word that no phrase uses weighs
MIN_SHARE = 0.5       # a candidate shorter than half its phrase is scaled down in proportion
RECALL = 0.75         # the weight of "how much of the phrase was said"
PRECISION = 0.1       # the weight of "how much of what was said is the phrase"
COMMON_MIN = 80.0     # a common-word phrase matches only when said nearly word for word


@dataclass(frozen=True, slots=True, eq=False)
class PhraseModel:
    """One phrasing, ready to compare: its stems and their weights."""

    group: str
    index: int
    text: str
    length: int                          # words
    content: frozenset[str]              # its content stems (a match shares one)
    vector: dict[str, float]             # stem -> weight, every word
    stops: tuple[tuple[str, float], ...]  # the stop-word stems and their weights
    total: float                         # the weight of all its words
    stop_total: float                    # the weight of its stop words
    negations: int
    threshold: float
    words: frozenset[str]                # its distinct words
    need: float                          # the shared content weight its threshold needs
    floor: float                         # the lowest similarity that rounds to the threshold

    @property
    def common(self) -> bool:
        return not self.content


def weights(groups: dict[str, list[list[str]]]) -> dict[str, float]:
    """Stem -> log(1 + groups / groups whose phrases use it): a word every group uses tells
    them apart least. A stop word's weight is scaled down by STOP_SCALE."""
    used: dict[str, int] = {}
    stop: set[str] = set()
    for phrases in groups.values():
        words = {w for ws in phrases for w in ws}
        for s in {stem(w) for w in words}:
            used[s] = used.get(s, 0) + 1
        stop.update(stem(w) for w in words if not is_content(w))
    n = sum(1 for phrases in groups.values() if phrases)
    return {s: math.log(1 + n / k) * (STOP_SCALE if s in stop else 1.0) for s, k in used.items()}


class IntentMatcher(Matcher):
    method = "intent"
    default_threshold = DEFAULT_THRESHOLD

    def __init__(self, groups: Sequence[PhraseGroup]):
        super().__init__(groups)
        split = {key: [p.split() for p in norm if p] for key, norm in self.phrases.items()}
        self.weights = weights(split)
        # the longest candidate: the longest phrase plus the slack
        self.size = max((len(p) for ps in split.values() for p in ps), default=1) + WINDOW_SLACK
        self.models: dict[str, list[PhraseModel]] = {}
        self._index: dict[str, list[PhraseModel]] = {}   # content stem -> phrases using it
        self._common: list[PhraseModel] = []
        for key, norm in self.phrases.items():
            models = self.models[key] = []
            for i, text in enumerate(norm):
                if not text:
                    continue
                model = self.model(key, i, text)
                models.append(model)
                if model.common:
                    self._common.append(model)
                for s in model.content:
                    self._index.setdefault(s, []).append(model)
        self._vocab: dict[str, _Vocab] = {}
        self._memo: dict[tuple, tuple] = {}
        self._memo_words = 0   # the words of the sentences in _memo

    def needs(self, m: Match) -> float:
        model = next((x for x in self.models.get(m.group, ()) if x.index == m.phrase), None)
        return model.threshold if model is not None else self.threshold(m.group)

    def short_of(self, m: Match) -> str:
        needs = self.needs(m)
        if needs > self.threshold(m.group):
            return f"{m.similarity:g} < {needs:g}, what a phrase of only common words needs"
        return super().short_of(m)

    def model(self, key: str, index: int, text: str) -> PhraseModel:
        words = text.split()
        content: set[str] = set()
        vector: dict[str, float] = {}
        for w in words:
            s = stem(w)
            if is_content(w):
                content.add(s)
                vector[s] = self.weights.get(s, UNKNOWN_WEIGHT)
            elif s not in vector:
                vector[s] = self.weights.get(s, UNKNOWN_STOP)
        stops = tuple((s, w) for s, w in vector.items() if s not in content)
        total, stop_total = fsum(vector.values()), fsum(w for _, w in stops)
        threshold = self.threshold(key) if content else max(self.threshold(key), COMMON_MIN)
        # Even with every stop word said, a full-length candidate, and nothing else in it, a
        # match needs at least this much of the content words' weight (a lower bound that
        # lets scan skip a pair without scoring it; similarities are rounded to 0.1, so what
        # must be reached is the lowest value that rounds up to the threshold).
        floor = threshold - 0.05   # similarities are rounded to 0.1
        need = total * (floor / 100) ** (1 / RECALL) - stop_total - 1e-9
        return PhraseModel(key, index, text, len(words), frozenset(content), vector, stops,
                           total, stop_total, negations(words), threshold, frozenset(words),
                           need, floor)

    # -- the per-role vocabulary: which words can unlock which phrases ----------------------
    def _vocabulary(self, role: str) -> "_Vocab":
        vocab = self._vocab.get(role)
        if vocab is None or len(vocab.known) > _CACHE_WORDS:
            common = tuple(m for m in self._common if eligible(self.groups[m.group], role))
            vocab = self._vocab[role] = _Vocab(set(), {}, {}, set(), common)
        return vocab

    def _learn(self, vocab: "_Vocab", words: Sequence[str], role: str) -> None:
        for word in words:
            if word in vocab.known:
                continue
            vocab.known.add(word)
            if not is_content(word):
                continue
            s = stem(word)
            entries = tuple(m for m in self._index.get(s, ())
                            if eligible(self.groups[m.group], role))
            if entries:
                w = self.weights[s]
                vocab.unlocks[word] = (s, w, entries)
                vocab.solo[word] = frozenset(m for m in entries if w >= m.need)
                vocab.hot.add(word)

    # -- scanning ---------------------------------------------------------------------------
    def scan(self, doc: Document, *, near_misses: bool = False) -> ScanResult:
        """Only sentences holding a word that unlocks a phrase (one whose stem the phrase
        uses) are read, and in each candidate only the phrases its words unlock are compared:
        no other pair can match. A pair whose shared content words cannot reach the
        threshold, whatever else it shares, is not scored (except for explain's near
        misses). Common-word phrases are compared with sentences holding half their words."""
        found = _Found(near_misses)
        # Calls repeat sentences ("what does your current process look like"): each distinct
        # (role, sentence, clause marks) is compared once, and remembered across the calls a
        # process scans (bounded; explain's near misses are worked out afresh).
        memo = {} if near_misses else self._memo
        for u, text in enumerate(doc.texts):
            role = doc.roles[u]
            vocab = self._vocabulary(role)
            words = text.text.split(" ")
            if not vocab.known.issuperset(words):
                self._learn(vocab, words, role)
            common_here = vocab.common and [m for m in vocab.common if _may_say(m, words)]
            if vocab.hot.isdisjoint(words) and not common_here:
                continue
            offsets = None
            for s, sentence in enumerate(text.sentences):
                if len(text.sentences) > 1:
                    words = sentence.split(" ")
                hot = vocab.hot.intersection(words)
                common = [m for m in common_here if _may_say(m, words)] if common_here else ()
                if not hot and not common:
                    continue
                # No candidate of the sentence shares more content with a phrase than the
                # whole sentence does: only the phrases that this much could bring to their
                # threshold are compared (every unlocked phrase, for explain's near misses).
                reach = _reachable(hot, vocab, near_misses) if hot else None
                if not reach and not common:
                    continue
                key = (role, sentence, text.marked_part(s))
                done = memo.get(key)
                if done is None:
                    if memo is self._memo:
                        self._memo_words += len(words)
                        if self._memo_words > _MEMO_WORDS:
                            memo.clear()
                            self._memo_words = len(words)
                    sent = _Sentence(self, words, text.clause_marks(s))
                    done = memo[key] = (sent, sent.offers(vocab, hot, reach, common,
                                                          near_misses))
                    sent.forget()
                if done[1]:
                    if offsets is None:
                        offsets = text.sentence_offsets()
                    found.add(done[0], u, s, offsets[s], done[1])
        return found.result()


@dataclass(slots=True)
class _Vocab:
    known: set[str]                                   # every word seen
    # word -> (its stem, the stem's weight, the phrases it unlocks)
    unlocks: dict[str, tuple[str, float, tuple[PhraseModel, ...]]]
    solo: dict[str, frozenset[PhraseModel]]           # word -> what it can reach alone
    hot: set[str]                                     # the words in `unlocks`
    common: tuple[PhraseModel, ...]                   # common-word phrases read in this role


_CACHE_WORDS = 200_000   # per role; past it the cache starts afresh (bounded memory)
_MEMO_WORDS = 500_000     # words of the sentences remembered across calls, likewise


def _reachable(hot: set[str], vocab: "_Vocab", every: bool) -> set[PhraseModel]:
    """The phrases unlocked by the hot words whose shared content weight, all together,
    reaches what their threshold needs (`every`: all the unlocked phrases)."""
    if len(hot) == 1 and not every:
        return vocab.solo[next(iter(hot))]
    shared: dict[PhraseModel, float] = {}
    seen: set[str] = set()
    for word in hot:
        s, w, models = vocab.unlocks[word]
        if s in seen:
            continue
        seen.add(s)
        for m in models:
            shared[m] = shared.get(m, 0.0) + w
    if every:
        return set(shared)
    return {m for m, content in shared.items() if content >= m.need}


def _may_say(model: PhraseModel, words: list[str]) -> bool:
    """A common-word phrase is compared only where half its words are said."""
    return 2 * len(model.words.intersection(words)) >= len(model.words)


class _Sentence:
    """One sentence's words and candidates, built once and compared with every phrase its
    words unlock."""

    __slots__ = ("matcher", "words", "marks", "starts", "_stats", "_stems", "_weights", "_neg")

    def __init__(self, matcher: IntentMatcher, words: list[str], marks: Sequence[int]):
        self.matcher = matcher
        self.words = words
        self.marks = marks
        self.starts = clause_starts(words, marks)
        self._stats: dict[tuple[int, int], tuple[dict[str, float], float]] = {}
        self._stems: list[str] | None = None
        self._weights: list[float] | None = None
        self._neg: SentenceNegation | None = None   # built for the first offer it judges

    def forget(self) -> None:
        """Drop what only scoring needed (a remembered sentence keeps its words)."""
        self._stats, self._stems, self._weights = {}, None, None

    def offers(self, vocab: "_Vocab", hot: set[str], reach: set[PhraseModel] | None,
               common: list[PhraseModel], near_misses: bool) -> list[tuple]:
        """Every scored (phrase, first word, end word, similarity, negated) of the sentence."""
        out: list[tuple] = []
        if reach:
            unlocks = vocab.unlocks
            self.compare([(i, *unlocks[w]) for i, w in enumerate(self.words) if w in hot],
                         reach, not near_misses, out)
        if common:
            self.compare_common(common, out)
        return out

    def spans(self) -> list[tuple[int, int]]:
        """The candidates: runs of adjacent clauses up to the matcher's size (and the first
        `size` words of a run that goes on, so a phrase that spans a comma is whole), and
        windows of `size` words (every STRIDE words, the last ending at the clause's end)
        inside a clause longer than that."""
        size = self.matcher.size
        starts = self.starts
        n = len(self.words)
        if len(starts) == 1 and n <= size:
            return [(0, n)]
        ends = starts[1:] + [n]
        out = []
        for i, a in enumerate(starts):
            if ends[i] - a > size:
                last = ends[i] - size
                out.extend((j, j + size) for j in range(a, last, STRIDE))
                out.append((last, ends[i]))
                continue
            for b in ends[i:]:
                if b - a > size:
                    out.append((a, a + size))
                    break
                out.append((a, b))
        return out

    def stats(self, a: int, b: int) -> tuple[dict[str, float], float]:
        """A candidate's stems with their weights, and their total weight."""
        got = self._stats.get((a, b))
        if got is None:
            if self._stems is None:
                weights = self.matcher.weights
                self._stems = stems = [stem(w) for w in self.words]
                self._weights = [weights.get(s, UNKNOWN_WEIGHT if is_content(w) else UNKNOWN_STOP)
                                 for s, w in zip(stems, self.words)]
            vector: dict[str, float] = {}
            for s, w in zip(self._stems[a:b], self._weights[a:b]):
                if w > vector.get(s, 0.0):   # an unknown stem weighs as its heaviest word
                    vector[s] = w
            got = self._stats[(a, b)] = (vector, fsum(vector.values()))
        return got

    def compare(self, hot: list[tuple[int, str, float, tuple[PhraseModel, ...]]],
                reach: set[PhraseModel], prune: bool, out: list[tuple]) -> None:
        """Score every (candidate, phrase) pair that shares a content word. The content
        words' shared weight is summed per phrase first, from the hot words inside the
        candidate; a phrase that cannot reach its threshold even if every stop word of it
        were said is skipped before the candidate's own weights are looked at."""
        kept: dict[str, list[PhraseModel]] = {}   # stem -> its unlocked phrases in reach
        for _, s, _, models in hot:
            if s not in kept:
                kept[s] = [m for m in models if m in reach]
        at = [h[0] for h in hot]   # in word order: each candidate reads only its own slice
        for a, b in self.spans():
            shared: dict[PhraseModel, float] = {}
            seen: set[str] = set()
            for i, s, w, _ in hot[bisect_left(at, a):bisect_left(at, b)]:
                if s in seen:
                    continue
                seen.add(s)
                for m in kept[s]:
                    shared[m] = shared.get(m, 0.0) + w
            if not shared:
                continue
            length = b - a
            for m, content in shared.items():
                if prune and content < m.need:
                    continue
                share = 1.0 if length >= MIN_SHARE * m.length else length / (MIN_SHARE * m.length)
                if prune and 100 * share < m.floor:
                    continue
                vector, total = self.stats(a, b)
                # summed exactly (fsum), so the result does not depend on the order
                both = fsum(w for s, w in m.vector.items() if s in vector)
                sim = (both / m.total) ** RECALL * (both / total) ** PRECISION * share
                self.offer(m, a, b, round(100 * sim, 1), out, prune)

    def compare_common(self, models: list[PhraseModel], out: list[tuple]) -> None:
        for m in models:
            for a, b in self.spans():
                sim = 100 * Indel.normalized_similarity(m.text.split(), self.words[a:b])
                self.offer(m, a, b, round(sim, 1), out, False)

    def offer(self, m: PhraseModel, a: int, b: int, sim: float, out: list[tuple],
              matches_only: bool) -> None:
        """Keep a scored pair (only those that reach the threshold, with `matches_only`)."""
        if sim >= m.threshold or (sim > 0 and not matches_only):
            out.append([m, a, b, sim, None])   # negated: worked out when it matters

    def negated(self, offer: list) -> bool:
        """Was the offer's candidate said inside a negated clause (memoised on the offer)?"""
        if offer[4] is None:
            m, a, b = offer[0], offer[1], offer[2]
            first, end = self.core(m, a, b)
            # a phrase that holds a negation may find it anywhere in the candidate ("this is
            # not in the budget" / "the budget is set and this is not in it")
            if self._neg is None:
                self._neg = SentenceNegation(self.words, self.marks)
            offer[4] = self._neg.negated(first, b if m.negations else end, m.negations)
        return offer[4]

    def core(self, m: PhraseModel, a: int, b: int) -> tuple[int, int]:
        """The part of candidate a..b that says the phrase: from its first to its last word
        whose stem is one of the phrase's content words (what negation is judged on, not the
        clause after it)."""
        keys = m.content or m.vector
        said = [i for i in range(a, b) if stem(self.words[i]) in keys]
        return (said[0], said[-1] + 1) if said else (a, b)

    def span(self, offset: int, a: int, b: int) -> tuple[int, int]:
        """Character span of words a..b in the utterance's normalised text (the sentence
        starting at `offset`)."""
        start = offset + sum(len(w) for w in self.words[:a]) + a
        return start, start + len(" ".join(self.words[a:b]))


class _Found:
    """The best candidate per group and utterance (and, for explain, the best that fell
    short, and the best said inside a negated clause)."""

    def __init__(self, near_misses: bool):
        self.near_misses = near_misses
        self.best: dict[str, dict[int, tuple]] = {}
        self.near: dict[str, tuple] = {}
        self.negated: dict[str, dict[int, tuple]] = {}

    def add(self, sent: _Sentence, u: int, s: int, offset: int, offers: list[list]) -> None:
        """The scored pairs of sentence `s` of utterance `u`. Negation is worked out only for
        a match that would be the group's best in the utterance."""
        for offer in offers:
            m, a, b, sim, _ = offer
            entry = (sim, m.index, (u, s, a, b), sent, offset)
            if sim >= m.threshold:
                if not _better(entry, self.best.get(m.group, {}).get(u)):
                    continue
                if sent.negated(offer):
                    _keep(self.negated.setdefault(m.group, {}), u, entry)
                else:
                    self.best.setdefault(m.group, {})[u] = entry
            elif self.near_misses:
                _keep(self.near, m.group, entry)

    def result(self) -> ScanResult:
        result = ScanResult()
        for key in sorted(self.best):
            result.matches[key] = [_match(key, u, e) for u, e in sorted(self.best[key].items())]
        for key in sorted(self.negated):
            kept = {u for u in self.best.get(key, {})}
            gone = [_match(key, u, e) for u, e in sorted(self.negated[key].items())
                    if u not in kept]
            if gone:
                result.negated[key] = gone
        for key in sorted(self.near):
            if key not in self.best:
                result.near_misses[key] = _match(key, self.near[key][2][0], self.near[key])
        return result


def _better(entry: tuple, prev: tuple | None) -> bool:
    """Higher similarity, then the earlier phrase, then the earlier candidate."""
    return prev is None or entry[0] > prev[0] or (entry[0] == prev[0] and entry[1:3] < prev[1:3])


def _keep(table: dict, key, entry: tuple) -> None:
    """Keep the better of the entry and table[key]."""
    if _better(entry, table.get(key)):
        table[key] = entry


def _match(key: str, u: int, entry: tuple) -> Match:
    sim, p, (_, _, a, b), sent, offset = entry
    start, end = sent.span(offset, a, b)
    return Match(key, p, u, start, end, sim, " ".join(sent.words[a:b]))


__all__ = ["DEFAULT_THRESHOLD", "IntentMatcher", "PhraseModel"]
