"""Intent: the meaning, matched fuzzily against example phrasings.

Each phrase is compared with the utterance's sentences, or with word windows of about the
phrase's size when a sentence is long (a phrase against a whole turn scores high on any
shared word). The scorer is rapidfuzz's ``token_set_ratio``, measured best of its scorers on
a few-shot intent benchmark (see docs/matching.md).

Semantics, identical in the fast path and in the benchmark's reference implementation:
a candidate matches a phrase when ``token_set_ratio >= threshold`` **and** they share at
least one content word (its first five letters, stop words ignored). The shared-word rule
stops a long run of stop words ("how do you do that") from matching on its own, and it is
what lets the fast path skip, with one set intersection, every utterance that cannot match.
At most one match per group and utterance is reported: the best (phrase, window) pair.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from callcoach.matching.base import Document, Match, Matcher, PhraseGroup, ScanResult, eligible

DEFAULT_THRESHOLD = 80.0
WINDOW_SLACK = 3  # a window holds the group's longest phrase plus this many words
KEY_LEN = 5

STOPWORDS = frozenset("""
a about above after again all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has
have having he her here hers him his how i if in into is it its itself just me more most my no
nor not now of off on once only or other our ours out over own same she should so some such
than that the their them then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself
yeah yes okay ok um uh uhm hmm oh like well right sure really actually basically gonna got get
let us thing things kind sort bit lot one two maybe mean guess just
""".split())


def content_keys(words: Sequence[str]) -> frozenset[str]:
    """The words that carry meaning, cut to a crude stem ("processes" -> "proce")."""
    return frozenset(w[:KEY_LEN] for w in words if len(w) >= 3 and w not in STOPWORDS)


class IntentMatcher(Matcher):
    method = "intent"
    default_threshold = DEFAULT_THRESHOLD

    def __init__(self, groups: Sequence[PhraseGroup]):
        super().__init__(groups)
        self._phrase_keys: dict[str, list[frozenset[str]]] = {}
        self._window: dict[str, int] = {}
        self._thresholds: dict[str, float] = {}
        for g in groups:
            norm = self.phrases[g.key]
            self._phrase_keys[g.key] = [content_keys(p.split()) for p in norm]
            self._window[g.key] = max((len(p.split()) for p in norm), default=1) + WINDOW_SLACK
            self._thresholds[g.key] = self.threshold(g.key)
        # content key -> the (group, phrase, window) entries it can unlock
        self._index: dict[str, list[tuple[str, int, int]]] = {}
        for key, phrase_keys in self._phrase_keys.items():
            for p, pkeys in enumerate(phrase_keys):
                for k in sorted(pkeys):
                    self._index.setdefault(k, []).append((key, p, self._window[key]))
        # per utterance role, the words seen so far: all of them, and those that unlock a
        # phrase of a group reading that role, with what they unlock. Learnt lazily (a team's
        # vocabulary is bounded), so a sentence without an unlocking word is skipped with two
        # C-speed set operations instead of a Python loop over its words.
        self._vocab: dict[str, _Vocab] = {}
        self._cutoff = min(self._thresholds.values(), default=DEFAULT_THRESHOLD)

    def _vocabulary(self, role: str) -> "_Vocab":
        vocab = self._vocab.get(role)
        if vocab is None or len(vocab.known) > _CACHE_WORDS:
            vocab = self._vocab[role] = _Vocab(set(), {}, set())
        return vocab

    def _learn(self, vocab: "_Vocab", words: list[str], role: str) -> None:
        for word in words:
            if word in vocab.known:
                continue
            vocab.known.add(word)
            if len(word) < 3 or word in STOPWORDS:
                continue
            entries = tuple(e for e in self._index.get(word[:KEY_LEN], ())
                            if eligible(self.groups[e[0]], role))
            if entries:
                vocab.unlocks[word] = entries
                vocab.hot.add(word)

    def scan(self, doc: Document, *, near_misses: bool = False) -> ScanResult:
        """Score only the (phrase, candidate) pairs that share a content word: the rule says
        no other pair can match. Each word is looked up once (a per-role cache says which
        phrases it unlocks); only the windows around an unlocking word become candidates, and
        all pairs of the call are scored in one rapidfuzz call."""
        result = ScanResult()
        # (group, phrase) -> candidate ids in first-seen order; a candidate id is
        # (utterance, sentence, first word or -1 for the whole sentence, window or 0), which
        # also orders candidates by position for tie-breaks
        pairs: dict[tuple[str, int], dict[tuple[int, int, int, int], None]] = {}
        sentences: dict[tuple[int, int], list[str]] = {}   # the words of candidate sentences
        vocabs: dict[str, _Vocab] = {}
        for u, text in enumerate(doc.texts):
            role = doc.roles[u]
            vocab = vocabs.get(role)
            if vocab is None:
                vocab = vocabs[role] = self._vocabulary(role)
            # Most turns hold no unlocking word: decide that once per turn, with C-speed set
            # operations, before looking at its sentences one by one.
            sents = text.sentences
            words = text.text.split(" ")
            if not vocab.known.issuperset(words):
                self._learn(vocab, words, role)
            hot = vocab.hot
            if hot.isdisjoint(words):
                continue
            unlocks = vocab.unlocks
            for s, sentence in enumerate(sents):
                if len(sents) > 1:
                    words = sentence.split(" ")
                found = hot.intersection(words)
                if not found:
                    continue
                sentences[(u, s)] = words
                n = len(words)
                # where each unlocking word is: needed only for windows of a long sentence, and
                # found in one pass over it (one pass per word was quadratic on a runaway turn)
                positions: dict[str, list[int]] | None = None
                for word in found:
                    at = None
                    for gk, p, size in unlocks[word]:
                        ids = pairs.setdefault((gk, p), {})
                        if n <= size:
                            ids[(u, s, -1, 0)] = None
                            continue
                        if at is None:
                            if positions is None:
                                positions = {}
                                for i, w in enumerate(words):
                                    if w in found:
                                        positions.setdefault(w, []).append(i)
                            at = positions[word]
                        last = n - size
                        for i in at:
                            # the windows (first words 0, 4, 8, ... and n - size) holding word i
                            j = max(0, i - size + 1)
                            j = -(-j // _STRIDE) * _STRIDE
                            top = min(i, last - 1)
                            while j <= top:
                                ids[(u, s, j, size)] = None
                                j += _STRIDE
                            if last <= i:
                                ids[(u, s, last, size)] = None
        if not pairs:
            return result
        # The candidates' texts; character spans are worked out only for the reported matches.
        texts: dict[tuple[int, int, int, int], str] = {}
        # A call says the same short sentence more than once ("what does that look like"), and
        # groups share phrasings: each distinct (phrase, candidate text) is scored once.
        scored: dict[tuple[str, str], int] = {}   # -> its index in queries/choices
        queries: list[str] = []
        choices: list[str] = []
        owners: list[tuple[str, int, tuple[int, int, int, int], int]] = []
        for (gk, p), ids in pairs.items():
            phrase = self.phrases[gk][p]
            for cid in ids:
                cand = texts.get(cid)
                if cand is None:
                    u, s, first, size = cid
                    cand = texts[cid] = (doc.texts[u].sentences[s] if first < 0 else
                                         " ".join(sentences[(u, s)][first:first + size]))
                at = scored.setdefault((phrase, cand), len(queries))
                if at == len(queries):
                    queries.append(phrase)
                    choices.append(cand)
                owners.append((gk, p, cid, at))
        scores = cpdist(queries, choices, scorer=fuzz.token_set_ratio, dtype=np.float64,
                        workers=1, score_cutoff=None if near_misses else self._cutoff).tolist()
        # per group: utterance -> (similarity, phrase, candidate id); the best is the highest
        # similarity, then the earlier phrase, then the earlier candidate
        best: dict[str, dict[int, tuple[float, int, tuple[int, int, int, int]]]] = {}
        near: dict[str, tuple[float, int, tuple[int, int, int, int]]] = {}
        thresholds = self._thresholds
        for gk, p, cid, at in owners:
            sim = scores[at]
            if sim >= thresholds[gk]:
                per = best.setdefault(gk, {})
                prev = per.get(cid[0])
                if prev is None or _better(sim, p, cid, prev):
                    per[cid[0]] = (sim, p, cid)
            elif near_misses:
                prev = near.get(gk)
                if prev is None or _better(sim, p, cid, prev):
                    near[gk] = (sim, p, cid)
        for gk in sorted(best):
            out = result.matches[gk] = []
            for u, (sim, p, cid) in sorted(best[gk].items()):
                start, end = _span(doc, sentences, cid)
                out.append(Match(gk, p, u, start, end, round(sim, 1), texts[cid]))
        for gk in sorted(near):
            if gk not in best:
                sim, p, cid = near[gk]
                start, end = _span(doc, sentences, cid)
                result.near_misses[gk] = Match(gk, p, cid[0], start, end, round(sim, 1),
                                               texts[cid])
        return result


@dataclass(slots=True)
class _Vocab:
    known: set[str]                                     # every word seen
    unlocks: dict[str, tuple[tuple[str, int, int], ...]]  # word -> (group, phrase, window)
    hot: set[str]                                       # the words in `unlocks`


_STRIDE = WINDOW_SLACK + 1
_CACHE_WORDS = 200_000   # per role; past it the cache starts afresh (bounded memory)


def _better(sim: float, p: int, cid: tuple, prev: tuple) -> bool:
    return sim > prev[0] or (sim == prev[0] and (p < prev[1] or (p == prev[1] and cid < prev[2])))


def _span(doc: Document, sentences: dict[tuple[int, int], list[str]],
          cid: tuple[int, int, int, int]) -> tuple[int, int]:
    """Character span of a candidate in its utterance's normalised text: the whole sentence
    (first word -1) or `size` words from word `first`."""
    u, s, first, size = cid
    offset = doc.texts[u].sentence_offsets()[s]
    words = sentences[(u, s)]
    if first < 0:
        return offset, offset + len(doc.texts[u].sentences[s])
    start = offset + sum(len(w) for w in words[:first]) + first
    return start, start + len(" ".join(words[first:first + size]))
