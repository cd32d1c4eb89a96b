"""The benchmark's reference scorer: the matching semantics of docs/matching.md written the
plain way, to check the fast path against and to measure how much faster it is.

What is shared and what is not:
- shared with the real scorer: the readers, the normalisation (`normalize_many`, once per
  call, in `CallContext`; the phrases once, in `Matcher.__init__`; the clause marks it keeps,
  `NormText.clause_marks`), the Snowball stemmer (PyStemmer), the check logic
  (`scoring/checks/`), the talk metrics and the store. The reference plugs its own matchers
  into a `CompiledRubric`, so a comparison of the two isolates *matching*.
- written independently here: the stop words, word classes (days, times, numbers), weights,
  clause starts and candidates, the similarity formula, the common-word rule, negation, the
  best-match choice per group and utterance, and verbatim's whole-word search.

`ReferenceIntentMatcher` loops over groups, utterances, sentences, candidates and phrases in
plain Python and scores every (phrase, candidate) pair from scratch: no inverted index, no
pruning by the shared weight, no memo of sentences. `ReferenceVerbatimMatcher` looks for every
phrase in every utterance with `str.find`. Sums are `math.fsum`, as in the fast path, so the
two agree to the last rounded digit whatever the order of their loops.

    from reference import compile_reference
    compiled = compile_reference(rubric)            # instead of compile_rubric(rubric)
    score = score_transcript(transcript, compiled)  # the same engine and checks
"""
from __future__ import annotations

import functools
import math
import re

import Stemmer
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from callcoach.matching.base import Document, Match, Matcher, PhraseGroup, ScanResult, eligible
from callcoach.rubric.model import Rubric
from callcoach.scoring.compile import CompiledRubric, compile_rubric

# The rule's constants, restated from docs/matching.md (not imported, so a change on one side
# shows up as a disagreement).
DEFAULT_THRESHOLD = 65.0
WINDOW_SLACK = 3     # a candidate holds the longest phrase plus 3 words
STRIDE = 4           # windows of a long clause start every 4 words
MIN_CONTENT = 3      # content words have at least 3 letters
STOP_SCALE, UNKNOWN_WEIGHT, UNKNOWN_STOP = 0.3, 1.0, 0.1
MIN_SHARE, RECALL, PRECISION = 0.5, 0.75, 0.1
COMMON_MIN = 80.0    # a phrase of only common words needs this, whatever the threshold
CLAUSE_WORDS = {"and", "but", "so"}

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
DAYS = set("monday tuesday wednesday thursday friday saturday sunday tomorrow weekday".split())
DAYPARTS = set("morning afternoon evening noon midday".split())
NUMBERS = ("three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
           "fifty sixty hundred thousand third fourth fifth sixth seventh eighth ninth tenth "
           "eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
           "nineteenth twentieth thirtieth").split()
NUMBERS = set(NUMBERS)
NEGATIONS = {"not", "never", "no", "nobody", "nothing", "none", "neither", "nor", "nowhere",
             "without"}
NOT_NEGATING = [("no", "problem"), ("not", "a", "problem"), ("no", "worries"),
                ("do", "not", "worry"), ("not", "only"), ("not", "just"), ("never", "mind"),
                ("no", "doubt"), ("no", "matter"), ("or", "not"), ("if", "not")]
PRONOUNS = {"i", "we", "you", "it", "that", "this", "they", "he", "she"}
# what may come before an answering "no" ("yeah, no, we record every call")
FILLER_WORDS = {"okay", "ok", "right", "yeah", "yes", "yep", "mm", "mhm", "hmm", "um", "uh",
                "alright", "sure", "great", "got", "it", "and", "well"}
# "and"/"so" before one of these starts a new clause for negation
NEW_SUBJECT = PRONOUNS | {"there", "the", "our", "my", "your", "their", "these", "those"}
NUMBER = re.compile(r"\d+(st|nd|rd|th)?")
STEMMER = Stemmer.Stemmer("english")


@functools.cache
def stem_of(word: str) -> str:
    if word in DAYS:
        return "#day"
    if word in DAYPARTS:
        return "#daypart"
    if word in NUMBERS or NUMBER.fullmatch(word):
        return "#number"
    return STEMMER.stemWord(word)


@functools.cache
def content(word: str) -> bool:
    return (len(word) >= MIN_CONTENT and word not in STOPWORDS) or stem_of(word).startswith("#")


def cues(words: list[str], lo: int, hi: int) -> int:
    """Negation cues in words[lo:hi] that negate something."""
    count = 0
    for i in range(lo, hi):
        if words[i] not in NEGATIONS:
            continue
        if words[i] == "no" and i + 1 < len(words) and words[i + 1] in PRONOUNS \
                and set(words[lo:i]) <= FILLER_WORDS:
            continue
        inside = False
        for phrase in NOT_NEGATING:
            for k in range(len(phrase)):
                if phrase[k] == words[i] and tuple(words[i - k:i - k + len(phrase)]) == phrase:
                    inside = True
        if not inside:
            count += 1
    return count


def scope_start(words: list[str], marks, first: int) -> int:
    """Where a negation's clause starts: the last punctuation mark, "but", or "and"/"so"
    before a new subject, at or before `first`."""
    starts = [0] + [m for m in marks] + [i for i, w in enumerate(words) if i and (
        w == "but" or w in ("and", "so") and i + 1 < len(words) and words[i + 1] in NEW_SUBJECT)]
    return max(s for s in starts if s <= first)


def clause_starts(words: list[str], marks) -> list[int]:
    starts = {0, *marks}
    for i in range(1, len(words)):
        if words[i] in CLAUSE_WORDS:
            starts.add(i)
    return sorted(starts)


def candidates(words: list[str], starts: list[int], size: int) -> list[tuple[int, int]]:
    """Runs of clauses up to `size` words (a longer run: its first `size` words); windows of
    `size` words inside a longer clause."""
    ends = starts[1:] + [len(words)]
    out = []
    for i in range(len(starts)):
        a, e = starts[i], ends[i]
        if e - a > size:
            j = a
            while j < e - size:
                out.append((j, j + size))
                j += STRIDE
            out.append((e - size, e))
            continue
        for b in ends[i:]:
            if b - a > size:
                out.append((a, a + size))
                break
            out.append((a, b))
    return out


class ReferenceIntentMatcher(Matcher):
    method = "intent"
    default_threshold = DEFAULT_THRESHOLD

    def __init__(self, groups):
        super().__init__(groups)
        used, stop = {}, set()
        for key, phrases in self.phrases.items():
            seen = set()
            for phrase in phrases:
                for w in phrase.split():
                    seen.add(stem_of(w))
                    if not content(w):
                        stop.add(stem_of(w))
            for s in seen:
                used[s] = used.get(s, 0) + 1
        n = sum(1 for phrases in self.phrases.values() if any(phrases))
        self.weight = {s: math.log(1 + n / k) * (STOP_SCALE if s in stop else 1.0)
                       for s, k in used.items()}
        self.size = max((len(p.split()) for ps in self.phrases.values() for p in ps if p),
                        default=1) + WINDOW_SLACK
        # plain memos of what a word list's stems and weights are (the same list is compared
        # with every phrase of every group): values, not shortcuts
        self._content_of = functools.lru_cache(maxsize=200_000)(
            lambda words: frozenset(stem_of(w) for w in words if content(w)))
        self._vector_of = functools.lru_cache(maxsize=200_000)(lambda words: self.vector(words))

    def vector(self, words: list[str]) -> dict[str, float]:
        out: dict[str, float] = {}
        for w in words:
            s = stem_of(w)
            if s in self.weight:
                out[s] = self.weight[s]
            else:
                out[s] = max(out.get(s, 0.0), UNKNOWN_WEIGHT if content(w) else UNKNOWN_STOP)
        return out

    def similarity(self, phrase: str, cand: list[str]) -> tuple[float, bool]:
        """(similarity rounded to 0.1, whether they share what a match needs)."""
        pw = phrase.split()
        p_content = self._content_of(tuple(pw))
        if not p_content:   # a common-word phrase: word-level Indel similarity, in order
            return round(100 * Indel.normalized_similarity(pw, cand), 1), True
        if not p_content & self._content_of(tuple(cand)):
            return 0.0, False
        pv = self._vector_of(tuple(pw))
        cv = self._vector_of(tuple(cand))
        shared = math.fsum(w for s, w in pv.items() if s in cv)
        recall = shared / math.fsum(pv.values())
        precision = shared / math.fsum(cv.values())
        length = min(1.0, len(cand) / (MIN_SHARE * len(pw)))
        return round(100 * recall ** RECALL * precision ** PRECISION * length, 1), True

    def negated(self, phrase: str, words: list[str], marks, a: int, b: int) -> bool:
        pw = phrase.split()
        keys = {stem_of(w) for w in pw if content(w)} or {stem_of(w) for w in pw}
        said = [i for i in range(a, b) if stem_of(words[i]) in keys]
        own = cues(pw, 0, len(pw))
        if said:   # the words that say the phrase (to the candidate's end, if it negates)
            a, b = said[0], b if own else said[-1] + 1
        return (cues(words, scope_start(words, marks, a), b) - own) % 2 == 1

    def scan(self, doc: Document, *, near_misses: bool = False) -> ScanResult:
        result = ScanResult()
        for key, group in self.groups.items():
            phrases = self.phrases[key]
            threshold = DEFAULT_THRESHOLD if group.threshold is None else float(group.threshold)
            found: list[Match] = []
            gone: list[Match] = []
            near = None
            for u, text in enumerate(doc.texts):
                if not eligible(group, doc.roles[u]):
                    continue
                best = worst_negated = None
                pos = 0
                for s, sentence in enumerate(text.sentences):
                    words = sentence.split(" ")
                    starts = clause_starts(words, text.clause_marks(s))
                    for a, b in candidates(words, starts, self.size):
                        cand = words[a:b]
                        start = pos + len(" ".join(words[:a])) + (1 if a else 0)
                        m_text = " ".join(cand)
                        for p, phrase in enumerate(phrases):
                            if not phrase:
                                continue
                            pw = set(phrase.split())
                            common = not any(content(w) for w in pw)
                            if common and 2 * len(pw & set(words)) < len(pw):
                                continue
                            sim, shares = self.similarity(phrase, cand)
                            if not shares or sim <= 0:
                                continue
                            need = max(threshold, COMMON_MIN) if common else threshold
                            key_order = (-sim, p, (s, a, b))
                            m = Match(key, p, u, start, start + len(m_text), sim, m_text)
                            if sim >= need:
                                if self.negated(phrase, words, text.clause_marks(s), a, b):
                                    if worst_negated is None or key_order < worst_negated[0]:
                                        worst_negated = (key_order, m)
                                elif best is None or key_order < best[0]:
                                    best = (key_order, m)
                            elif near_misses:
                                order = (-sim, p, (u, s, a, b))
                                if near is None or order < near[0]:
                                    near = (order, m)
                    pos += len(sentence) + 1
                if best is not None:
                    found.append(best[1])
                elif worst_negated is not None:
                    gone.append(worst_negated[1])
            if found:
                result.matches[key] = found
            elif near is not None:
                result.near_misses[key] = near[1]
            if gone:
                result.negated[key] = gone
        return result


class ReferenceVerbatimMatcher(Matcher):
    method = "verbatim"

    def scan(self, doc: Document, *, near_misses: bool = False) -> ScanResult:
        result = ScanResult()
        for key, group in self.groups.items():
            found: list[Match] = []
            gone: list[Match] = []
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
                            m = Match(key, i, u, at, end, 100.0, phrase)
                            (gone if self.negated(text, phrase, at, end) else found).append(m)
                        at = t.find(phrase, at + 1)
            found.sort(key=lambda m: (m.utterance, m.start, m.phrase))
            gone.sort(key=lambda m: (m.utterance, m.start, m.phrase))
            if gone:
                result.negated[key] = gone
            if found:
                result.matches[key] = found
            elif near_misses:
                self._near_miss(key, group, doc, result)
        return result

    @staticmethod
    def negated(text, phrase: str, at: int, end: int) -> bool:
        """The phrase said at characters at..end inside a negated clause?"""
        pos = 0
        for s, sentence in enumerate(text.sentences):
            if at < pos + len(sentence) + 1:
                words = sentence.split(" ")
                first = len(sentence[:at - pos].split())
                last = min(first + len(phrase.split()), len(words))
                scope = scope_start(words, text.clause_marks(s), first)
                pw = phrase.split()
                return (cues(words, scope, last) - cues(pw, 0, len(pw))) % 2 == 1
            pos += len(sentence) + 1
        return False

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
