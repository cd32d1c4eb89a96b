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

    def threshold(self, key: str) -> float:
        t = self.groups[key].threshold
        return DEFAULT_THRESHOLD if t is None else float(t)

    def scan(self, doc: Document, *, near_misses: bool = False) -> ScanResult:
        result = ScanResult()
        doc_keys = [content_keys(t.words) for t in doc.texts]
        for key, group in self.groups.items():
            phrases = self._phrases[key]
            if not phrases:
                continue
            gkeys = self._group_keys[key]
            cands: list[_Candidate] = []
            for u, text in enumerate(doc.texts):
                if eligible(group, doc.roles[u]) and not doc_keys[u].isdisjoint(gkeys):
                    cands.extend(candidates(text, u, self._window[key]))
            if not cands:
                continue
            t = self.threshold(key)
            scores = cdist(phrases, [c.text for c in cands], scorer=fuzz.token_set_ratio,
                           dtype=np.float64, score_cutoff=None if near_misses else t)
            best: dict[int, tuple[float, int, int]] = {}
            for p, c in zip(*np.nonzero(scores >= t)):
                cand = cands[c]
                if self._phrase_keys[key][p].isdisjoint(content_keys(cand.text.split(" "))):
                    continue
                sim = float(scores[p, c])
                prev = best.get(cand.utterance)
                if prev is None or (sim, -p, -c) > (prev[0], -prev[1], -prev[2]):
                    best[cand.utterance] = (sim, int(p), int(c))
            if best:
                result.matches[key] = [
                    Match(key, p, u, cands[c].start, cands[c].end, round(sim, 1), cands[c].text)
                    for u, (sim, p, c) in sorted(best.items())]
            elif near_misses:
                p, c = np.unravel_index(int(np.argmax(scores)), scores.shape)
                cand = cands[c]
                result.near_misses[key] = Match(key, int(p), cand.utterance, cand.start, cand.end,
                                                round(float(scores[p, c]), 1), cand.text)
        return result
