"""The benchmark's reference scorer: the matching semantics of docs/matching.md written the
plain way, to check the fast path against and to measure how much faster it is.

What is shared and what is not:
- shared with the real scorer: the readers, the normalisation (`normalize_many`, once per
  call, in `CallContext`; the phrases once, in `Matcher.__init__`), the check logic (`scoring/checks/`), the talk metrics and the
  store. The reference plugs its own matchers into a `CompiledRubric`, so a comparison of
  the two isolates *matching*, which is where the real scorer's speed comes from.
- written independently here: phrase-sized word windows, the content-word rule, the
  best-match choice per group and utterance, and verbatim's whole-word search.

`ReferenceIntentMatcher` loops over groups, utterances, candidate windows and phrases in
plain Python and makes ONE `rapidfuzz.fuzz.token_set_ratio` call per (phrase, candidate)
pair: no inverted index, no content-word prefilter (the shared content word is checked after
the similarity, as the second half of the match rule), no batching. `ReferenceVerbatimMatcher`
looks for every phrase in every utterance with `str.find`.

    from reference import compile_reference
    compiled = compile_reference(rubric)            # instead of compile_rubric(rubric)
    score = score_transcript(transcript, compiled)  # the same engine and checks
"""
from __future__ import annotations


from rapidfuzz import fuzz

from callcoach.matching.base import Document, Match, Matcher, PhraseGroup, ScanResult, eligible
from callcoach.rubric.model import Rubric
from callcoach.scoring.compile import CompiledRubric, compile_rubric

# The rule's constants, restated from docs/matching.md (not imported, so a change on one side
# shows up as a disagreement).
DEFAULT_THRESHOLD = 80.0
WINDOW_SLACK = 3     # a window holds the group's longest phrase plus 3 words
STRIDE = 4           # windows start every 4 words
KEY_LEN = 5          # content words compare by their first five letters
MIN_CONTENT = 3      # content words have at least 3 letters

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


def keys_of(text: str) -> set[str]:
    return {w[:KEY_LEN] for w in text.split() if len(w) >= MIN_CONTENT and w not in STOPWORDS}


def windows(sentence: str, offset: int, size: int) -> list[tuple[int, int, str]]:
    """(start, end, text) of the candidates of one sentence: the sentence itself when it has
    at most `size` words, else windows of `size` words starting every STRIDE words, the last
    one ending at the sentence's end."""
    words = sentence.split(" ")
    if len(words) <= size:
        return [(offset, offset + len(sentence), sentence)]
    starts, pos = [], offset
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    firsts = list(range(0, len(words) - size, STRIDE)) + [len(words) - size]
    out = []
    for j in firsts:
        text = " ".join(words[j:j + size])
        out.append((starts[j], starts[j] + len(text), text))
    return out


class ReferenceIntentMatcher(Matcher):
    method = "intent"
    default_threshold = DEFAULT_THRESHOLD

    def scan(self, doc: Document, *, near_misses: bool = False) -> ScanResult:
        result = ScanResult()
        for key, group in self.groups.items():
            phrases = self.phrases[key]
            phrase_keys = [keys_of(p) for p in phrases]
            size = max((len(p.split()) for p in phrases), default=1) + WINDOW_SLACK
            threshold = DEFAULT_THRESHOLD if group.threshold is None else float(group.threshold)
            found: list[Match] = []
            near: Match | None = None
            for u, text in enumerate(doc.texts):
                if not eligible(group, doc.roles[u]):
                    continue
                cands, pos = [], 0
                for sentence in text.sentences:
                    cands += windows(sentence, pos, size)
                    pos += len(sentence) + 1
                best: Match | None = None
                for start, end, cand in cands:
                    cand_keys = keys_of(cand)
                    for p, phrase in enumerate(phrases):
                        sim = fuzz.token_set_ratio(phrase, cand)
                        if not phrase_keys[p] & cand_keys:
                            continue   # no shared content word: never a match, nor a near miss
                        m = Match(key, p, u, start, end, sim, cand)
                        if sim >= threshold:
                            # the best similarity; ties: the earlier phrase, then the earlier window
                            if best is None or sim > best.similarity or (
                                    sim == best.similarity and p < best.phrase):
                                best = m
                        elif near_misses and (near is None or sim > near.similarity or (
                                sim == near.similarity and p < near.phrase)):
                            near = m
                if best is not None:
                    found.append(_rounded(best))
            if found:
                result.matches[key] = found
            elif near is not None:
                result.near_misses[key] = _rounded(near)
        return result


def _rounded(m: Match) -> Match:
    return Match(m.group, m.phrase, m.utterance, m.start, m.end, round(m.similarity, 1), m.text)


class ReferenceVerbatimMatcher(Matcher):
    method = "verbatim"

    def scan(self, doc: Document, *, near_misses: bool = False) -> ScanResult:
        result = ScanResult()
        for key, group in self.groups.items():
            found: list[Match] = []
            for u, text in enumerate(doc.texts):
                if not eligible(group, doc.roles[u]):
                    continue
                t = text.text
                for i, phrase in enumerate(self.phrases[key]):
                    if not phrase:
                        continue
                    at = t.find(phrase)
                    while at >= 0:
                        end = at + len(phrase)
                        if (at == 0 or t[at - 1] == " ") and (end == len(t) or t[end] == " "):
                            found.append(Match(key, i, u, at, end, 100.0, phrase))
                        at = t.find(phrase, at + 1)
            found.sort(key=lambda m: (m.utterance, m.start, m.phrase))
            if found:
                result.matches[key] = found
            elif near_misses:
                self._near_miss(key, group, doc, result)
        return result

    def _near_miss(self, key: str, group: PhraseGroup, doc: Document, result: ScanResult) -> None:
        best: Match | None = None
        for u, (text, role) in enumerate(zip(doc.texts, doc.roles)):
            if not eligible(group, role):
                continue
            for i, phrase in enumerate(self.phrases[key]):
                if phrase:
                    al = fuzz.partial_ratio_alignment(phrase, text.text)
                    if al is not None and (best is None or al.score > best.similarity):
                        best = Match(key, i, u, al.dest_start, al.dest_end, round(al.score, 1),
                                     text.text[al.dest_start:al.dest_end])
        if best is not None:
            result.near_misses[key] = best


REFERENCE: dict[str, type[Matcher]] = {"intent": ReferenceIntentMatcher,
                                       "verbatim": ReferenceVerbatimMatcher}


def compile_reference(rubric: Rubric, *, pass_mark: float | None = None) -> CompiledRubric:
    """`compile_rubric`, with the reference matchers in place of the real ones (same groups,
    same thresholds, same checks)."""
    compiled = compile_rubric(rubric, pass_mark=pass_mark)
    by_method: dict[str, list[PhraseGroup]] = {}
    for key, group in compiled.groups.items():
        by_method.setdefault(compiled.methods[key], []).append(group)
    compiled.matchers = {m: REFERENCE[m](groups) for m, groups in sorted(by_method.items())}
    return compiled
