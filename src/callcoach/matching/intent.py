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
from rapidfuzz.process import cdist

from callcoach.matching.base import Document, Match, Matcher, PhraseGroup, ScanResult, eligible
from callcoach.matching.normalize import NormText, normalize_many

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


@dataclass(frozen=True, slots=True)
class _Candidate:
    utterance: int
    start: int
    end: int
    text: str


def candidates(text: NormText, utterance: int, window: int) -> list[_Candidate]:
    """Sentences of at most `window` words whole; longer ones as overlapping windows.

    The stride guarantees that any run of (window - WINDOW_SLACK) words lies inside one window.
    """
    stride = WINDOW_SLACK + 1
    out: list[_Candidate] = []
    for offset, sentence in zip(text.sentence_offsets(), text.sentences):
        words = sentence.split(" ")
        if len(words) <= window:
            out.append(_Candidate(utterance, offset, offset + len(sentence), sentence))
            continue
        starts, pos = [], offset
        for w in words:
            starts.append(pos)
            pos += len(w) + 1
        last = len(words) - window
        i = 0
        while True:
            j = min(i, last)
            chunk = words[j:j + window]
            out.append(_Candidate(utterance, starts[j], starts[j + window - 1] + len(chunk[-1]),
                                  " ".join(chunk)))
            if j == last:
                break
            i += stride
    return out


class IntentMatcher(Matcher):
    method = "intent"
    default_threshold = DEFAULT_THRESHOLD

    def __init__(self, groups: Sequence[PhraseGroup]):
        super().__init__(groups)
        self._phrases: dict[str, list[str]] = {}
        self._phrase_keys: dict[str, list[frozenset[str]]] = {}
        self._group_keys: dict[str, frozenset[str]] = {}
        self._window: dict[str, int] = {}
        for g in groups:
            norm = [n.text for n in normalize_many(list(g.phrases))] if g.phrases else []
            self._phrases[g.key] = norm
            self._phrase_keys[g.key] = [content_keys(p.split()) for p in norm]
            self._group_keys[g.key] = frozenset().union(*self._phrase_keys[g.key])
            self._window[g.key] = max((len(p.split()) for p in norm), default=1) + WINDOW_SLACK
        # content key -> the (group, phrase) pairs it can unlock, per window size
        self._index: dict[int, dict[str, list[tuple[str, int]]]] = {}
        for key, phrase_keys in self._phrase_keys.items():
            index = self._index.setdefault(self._window[key], {})
            for p, pkeys in enumerate(phrase_keys):
                for k in sorted(pkeys):
                    index.setdefault(k, []).append((key, p))

    def threshold(self, key: str) -> float:
        t = self.groups[key].threshold
        return DEFAULT_THRESHOLD if t is None else float(t)

    def scan(self, doc: Document, *, near_misses: bool = False) -> ScanResult:
        """Score only the (phrase, candidate) pairs that share a content word: the rule says
        no other pair can match, and an inverted index finds them without visiting the rest."""
        result = ScanResult()
        doc_keys = [content_keys(t.words) for t in doc.texts]
        # per group: utterance -> (rank, candidate); rank orders by similarity, then phrase
        # order, then position, so ties resolve the same way every run
        best: dict[str, dict[int, tuple[tuple[float, int, int], _Candidate, int]]] = {}
        near: dict[str, tuple[tuple[float, int, int], _Candidate, int]] = {}
        for window in sorted(self._index):
            index = self._index[window]
            pairs: dict[tuple[str, int], list[int]] = {}
            cands: list[_Candidate] = []
            for u, text in enumerate(doc.texts):
                if not any(k in index for k in doc_keys[u]):
                    continue
                role = doc.roles[u]
                for cand in candidates(text, u, window):
                    hit: set[tuple[str, int]] = set()
                    for k in content_keys(cand.text.split(" ")):
                        hit.update(index.get(k, ()))
                    if not hit:
                        continue
                    ci = len(cands)
                    cands.append(cand)
                    for gk, p in hit:
                        if eligible(self.groups[gk], role):
                            pairs.setdefault((gk, p), []).append(ci)
            for (gk, p), idx in sorted(pairs.items()):
                t = self.threshold(gk)
                scores = cdist([self._phrases[gk][p]], [cands[i].text for i in idx],
                               scorer=fuzz.token_set_ratio, dtype=np.float64,
                               score_cutoff=None if near_misses else t)[0]
                for sim, ci in zip(scores.tolist(), idx):
                    rank = (sim, -p, -ci)
                    cand = cands[ci]
                    if sim >= t:
                        prev = best.setdefault(gk, {}).get(cand.utterance)
                        if prev is None or rank > prev[0]:
                            best[gk][cand.utterance] = (rank, cand, p)
                    elif near_misses and (gk not in near or rank > near[gk][0]):
                        near[gk] = (rank, cand, p)
        for gk in sorted(best):
            result.matches[gk] = [
                Match(gk, p, u, cand.start, cand.end, round(rank[0], 1), cand.text)
                for u, (rank, cand, p) in sorted(best[gk].items())]
        for gk in sorted(near):
            if gk not in best:
                rank, cand, p = near[gk]
                result.near_misses[gk] = Match(gk, p, cand.utterance, cand.start, cand.end,
                                               round(rank[0], 1), cand.text)
        return result
