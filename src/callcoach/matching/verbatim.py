"""Verbatim: the exact (normalised) wording, whole words, all phrases of a rubric in one pass.

An Aho-Corasick automaton (pyahocorasick) finds every occurrence of every phrase in a single
scan of the joined document, overlapping ones included, which one regex alternation cannot
do ("pricing" inside "our pricing starts at" belongs to two different checks). An occurrence
inside a negated clause ("i can not guarantee") does not count (matching/language.py).
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Sequence

import ahocorasick
from rapidfuzz import fuzz

from callcoach.matching.base import Document, Match, Matcher, PhraseGroup, ScanResult, eligible
from callcoach.matching.language import SentenceNegation, negations


class VerbatimMatcher(Matcher):
    method = "verbatim"

    def __init__(self, groups: Sequence[PhraseGroup]):
        super().__init__(groups)
        targets: dict[str, list[tuple[str, int]]] = {}
        for key, norm in self.phrases.items():
            for i, phrase in enumerate(norm):
                if phrase:
                    targets.setdefault(phrase, []).append((key, i))
        self._automaton = ahocorasick.Automaton()
        for phrase, owners in targets.items():
            self._automaton.add_word(phrase, (phrase, tuple(owners)))
        self._empty = not targets
        self._negations = {(key, i): negations(phrase.split())
                           for key, norm in self.phrases.items() for i, phrase in enumerate(norm)}
        if not self._empty:
            self._automaton.make_automaton()

    def scan(self, doc: Document, *, near_misses: bool = False) -> ScanResult:
        result = ScanResult()
        if not self._empty:
            texts = [t.text for t in doc.texts]
            joined = "\n".join(texts)
            starts, pos = [], 0
            for t in texts:
                starts.append(pos)
                pos += len(t) + 1
            found: list[Match] = []
            for end_idx, (phrase, owners) in self._automaton.iter(joined):
                begin = end_idx - len(phrase) + 1
                # whole words only: the characters around the hit must be spaces, newlines or edges
                if begin > 0 and joined[begin - 1] not in " \n":
                    continue
                if end_idx + 1 < len(joined) and joined[end_idx + 1] not in " \n":
                    continue
                u = bisect_right(starts, begin) - 1
                role = doc.roles[u]
                off = starts[u]
                for key, i in owners:
                    if eligible(self.groups[key], role):
                        found.append(Match(key, i, u, begin - off, end_idx + 1 - off, 100.0, phrase))
            found.sort(key=lambda m: (m.group, m.utterance, m.start, m.phrase))
            sentences: dict[tuple[int, int], SentenceNegation] = {}
            for m in found:
                table = result.negated if self._negated(doc, m, sentences) else result.matches
                table.setdefault(m.group, []).append(m)
        if near_misses:
            self._near_misses(doc, result)
        return result

    def _negated(self, doc: Document, m: Match,
                 sentences: dict[tuple[int, int], SentenceNegation]) -> bool:
        """Said inside a negated clause ("i can not guarantee")? See language.negated.
        `sentences` keeps each sentence's negation scopes and counts for the scan: a phrase
        repeated along one long turn matches thousands of times."""
        text = doc.texts[m.utterance]
        s, first, end = text.locate(m.start, m.end)
        sentence = sentences.get((m.utterance, s))
        if sentence is None:
            sentence = sentences[(m.utterance, s)] = SentenceNegation(
                text.sentences[s].split(" "), text.clause_marks(s))
        return sentence.negated(first, end, self._negations[(m.group, m.phrase)])

    def _near_misses(self, doc: Document, result: ScanResult) -> None:
        # Slow path for explain/lint only: the closest partial wording in any eligible utterance.
        for key, group in self.groups.items():
            if result.matches.get(key):
                continue
            best: Match | None = None
            for u, (text, role) in enumerate(zip(doc.texts, doc.roles)):
                if not eligible(group, role):
                    continue
                for i, phrase in enumerate(self.phrases[key]):
                    if not phrase:
                        continue
                    al = fuzz.partial_ratio_alignment(phrase, text.text)
                    if al is not None and (best is None or al.score > best.similarity):
                        best = Match(key, i, u, al.dest_start, al.dest_end, round(al.score, 1),
                                     text.text[al.dest_start:al.dest_end])
            if best is not None:
                result.near_misses[key] = best
