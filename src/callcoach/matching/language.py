"""The English the matchers need: which words carry meaning, their stems, where a clause
starts, and whether a phrase was said inside a negated clause.

Stems come from the Snowball English stemmer (PyStemmer), so "costing", "costs" and "cost"
are one word for intent matching; the stop-word list is ours, because the question words and
fillers of speech ("how", "um", "yeah") carry no topic.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Sequence

import Stemmer

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
MIN_CONTENT = 3   # content words have at least 3 letters

# A clause also starts at these words (besides the punctuation NormText.clause_marks reads).
CLAUSE_WORDS = frozenset({"and", "but", "so"})

# Negation cues, and the phrases in which a cue negates nothing ("no problem", "not only").
NEGATIONS = frozenset({"not", "never", "no", "nobody", "nothing", "none", "neither", "nor",
                       "nowhere", "without"})
NOT_NEGATING = frozenset({("no", "problem"), ("not", "a", "problem"), ("no", "worries"),
                          ("do", "not", "worry"), ("not", "only"), ("not", "just"),
                          ("never", "mind"), ("no", "doubt"), ("no", "matter"), ("or", "not"),
                          ("if", "not")})
# "No, we record every call" without its comma: a clause opening on "no" and a pronoun is an
# answer, not a negation.
_PRONOUNS = frozenset("i we you it that this they he she".split())
# "and"/"so" before one of these starts a new clause for negation (a new subject)
_JOINS = frozenset({"and", "so"})
_SUBJECTS = _PRONOUNS | frozenset("there the our my your their these those".split())

# Words that stand for one another in a phrase: "does wednesday at 2 work" is the same
# question on a Thursday at 3. Each class compares as one word.
CLASSES = {
    **dict.fromkeys("monday tuesday wednesday thursday friday saturday sunday tomorrow "
                    "weekday".split(), "#day"),
    **dict.fromkeys("morning afternoon evening noon midday".split(), "#daypart"),
    **dict.fromkeys("three four five six seven eight nine ten eleven twelve fifteen twenty "
                    "thirty forty fifty sixty hundred thousand third fourth fifth sixth seventh "
                    "eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth "
                    "sixteenth seventeenth eighteenth nineteenth twentieth thirtieth".split(),
                    "#number"),
}
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)?")
_stemmer = Stemmer.Stemmer("english")
_STEMS: dict[str, str] = {}
_MAX_STEMS = 500_000   # past it the cache starts afresh (bounded memory)


def stem(word: str) -> str:
    """The word's Snowball stem ("costing" -> "cost"); cached, since a team's vocabulary is
    bounded and a call repeats its words."""
    found = _STEMS.get(word)
    if found is None:
        if len(_STEMS) > _MAX_STEMS:
            _STEMS.clear()
        found = CLASSES.get(word) or ("#number" if _ORDINAL.fullmatch(word)
                                      else _stemmer.stemWord(word))
        _STEMS[word] = found
    return found


def is_content(word: str) -> bool:
    """Does the word carry a topic (3+ letters, not a stop word; a day, a time of day or a
    number)?"""
    return (len(word) >= MIN_CONTENT and word not in STOPWORDS) or word in CLASSES \
        or word[:1].isdigit() and _ORDINAL.fullmatch(word) is not None


def clause_starts(words: Sequence[str], marks: Sequence[int] = ()) -> list[int]:
    """Where the clauses of a sentence start: 0, the punctuation marks' positions, and every
    clause word ("and", "but", "so") after the first word."""
    starts = set(marks)
    starts.update(i for i, w in enumerate(words) if i and w in CLAUSE_WORDS)
    starts.add(0)
    return sorted(starts)


# What a speaker says before getting to the point ("okay, so ...", "right, yeah, so ...").
FILLERS = frozenset("okay ok right yeah yes yep mm mhm hmm um uh alright sure great got it and "
                    "well".split())


def opens_with(words: Sequence[str], leads: frozenset[str]) -> bool:
    """Does the sentence open with one of `leads`, after any fillers?"""
    for w in words:
        if w in leads:
            return True
        if w not in FILLERS:
            return False
    return False


# A playback that sets one thing against another: "so it's the re-entry you're dreading, not
# the change itself", "so the problem isn't the software, it's that Monday calls slip". Said
# of the rep's own side ("so we don't charge for that") it is a pitch, not a playback.
_CONTRASTS = frozenset({"rather", "instead"})
_OWN_SIDE = frozenset("we our us ours".split())
# what the rep's product will do for them: "so you'll never miss a call again"
_PITCHING = (("you", "will"), ("you", "would"), ("you", "do", "not", "have", "to"),
             ("you", "never", "have", "to"), ("you", "will", "not"), ("you", "will", "never"))
MIN_SENTENCE_WORDS = 4   # fewer is a fragment: "Budget or timing?", "Okay. Right?"


def contrasts(words: Sequence[str]) -> bool:
    """Does the sentence set one thing against another (a negation that negates something,
    "rather than", "instead of", "more than"), about anyone but the speaker's own side and
    not promising what they will get?"""
    said = set(words)
    return (bool(said & _CONTRASTS or {"more", "than"} <= said or negations(words))
            and not own_side(words) and not pitches(words))


def holds(words: Sequence[str], run: Sequence[str]) -> bool:
    """Are the words of `run` said one after another somewhere in `words`?"""
    words, run, n = tuple(words), tuple(run), len(run)
    return any(words[i:i + n] == run for i in range(len(words) - n + 1))


def pitches(words: Sequence[str]) -> bool:
    """Does the sentence (normalised) tell the prospect what they will get: "you'll never miss
    a call", "you wouldn't have to", "you don't have to retype it"?"""
    return any(holds(words, p) for p in _PITCHING)


def own_side(words: Sequence[str]) -> bool:
    """Does the sentence speak of the speaker's own side ("we", "our", "us")?"""
    return not _OWN_SIDE.isdisjoint(words)


# A check-in after a playback: "Is that fair?", "Right?", "Did I get that right?", "That it?",
# "Am I reading that right?" (every word one of these, and one of the confirming ones).
_CHECK_IN = frozenset("is that it fair right correct accurate am i reading getting did get have "
                      "got do does sound sounds about so the gist straight yeah okay or summary "
                      "close far off".split())
_CONFIRMING = frozenset("right fair accurate correct straight gist".split())
MAX_CHECK_IN = 6


def checks_in(words: Sequence[str]) -> bool:
    """Is the sentence only a check-in that confirms what was just said ("is that fair", "that
    it"; not "is it far")?"""
    said = set(words)
    return (len(words) <= MAX_CHECK_IN and said <= _CHECK_IN
            and bool(said & _CONFIRMING or tuple(words[-2:]) == ("that", "it")))


# A reply that opens with one of these (after fillers) is answering back or moving on, not
# recognising the concern: "Well, their module doesn't do that", "No, see, that's not apples
# to apples", "Let me ask you this", "Our platform does that out of the box".
NOT_RECOGNISING = frozenset("well no look see let our".split())


# An open question opens with one of these, after fillers and a lead-in ("so, can I ask what
# ...", "I'm curious, how ...").
WH_WORDS = frozenset("what how why which who whose where when whats hows wheres whos".split())
_ASK_LEAD_INS = FILLERS | frozenset("so then but also now just can could may might i am ask "
                                    "let me curious quick question out of curiosity".split())


_CONDITIONS = frozenset("if say suppose".split())
# A suggestion or a trial close worded as a question: "what if we started in April?", "what
# would it take to get you to a yes?" (not "what would it take on your end?": that explores).
_PROPOSING = (("what", "if", "we"), ("what", "if", "i"),
              ("what", "would", "it", "take", "to", "get", "you"))
# An alternative question about what was said: "is it the number, or the timing?", "do you
# know what they charge, or is it bundled?"; not a check ("does that make sense, or not?"),
# a proposal ("should I send it over, or ...?") or a time ("is next week better, or ...?").
_ALTERNATIVE_VERBS = frozenset("is are was were do did".split())
_NOT_ALTERNATIVES = frozenset("not no what anything something so".split())


def _offers_alternatives(words: Sequence[str], marks: Sequence[int]) -> bool:
    ors = [k for k in marks if words[k:k + 1] == ("or",) and len(words) - k > 2
           and words[k + 1] not in _NOT_ALTERNATIVES]
    if not ors or names_a_day(words):
        return False
    i = next((i for i, w in enumerate(words) if w not in _ASK_LEAD_INS), len(words))
    verb, subject = (tuple(words[i:i + 2]) + ("", ""))[:2]
    return verb in _ALTERNATIVE_VERBS and (subject in _SUBJECTS - {"that", "this"}
                                           or verb == "is" and subject in ("that", "this"))


def names_a_day(words: Sequence[str]) -> bool:
    """Do the words (normalised) name a day ("Tuesday", "tomorrow")? A question or prompt
    that offers one is scheduling, not exploring."""
    return any(CLASSES.get(w) == "#day" for w in words)


def asks_openly(words: Sequence[str], marks: Sequence[int] = ()) -> bool:
    """Do the words (a question's, normalised) open with a question word, after fillers and
    lead-ins: "what's behind that", "can I ask why"; not "does that make sense", and not a
    proposal: "how about ...", or a question asking about a day ("how is Wednesday at nine",
    "what about Thursday": a day within three words of the question word)? After a condition
    ("if we did this, who would feel it?") the question is the clause that follows it
    (`marks`: where the sentence's clauses start, NormText.clause_marks). A question that
    offers alternatives about what was said asks openly too: "is it the number, or the
    timing?", "is that a hard freeze, or just nothing planned?" (a clause opening with "or",
    after "is it/that/there ...", "are you ...", "do you ..."), but not "does that make
    sense, or not?", "should I send it, or ...?" or "is Tuesday better, or Wednesday?"."""
    if _offers_alternatives(words, marks):
        return True
    for i, w in enumerate(words):
        if w in WH_WORDS:
            if any(tuple(words[i:i + len(p)]) == p for p in _PROPOSING):
                # unless it is a condition, then a question: "what if we lost power, who'd
                # feel it first?"
                return _asks_after(words, marks, i)
            return not (w == "how" and tuple(words[i + 1:i + 2]) == ("about",)
                        or any(CLASSES.get(d) == "#day" for d in words[i + 1:i + 4]))
        if w in _CONDITIONS:
            return _asks_after(words, marks, i)
        if w not in _ASK_LEAD_INS:
            return False
    return False


# A question that moves on rather than digs in: "Anyway, how many trucks are you running?",
# "Oh, and I meant to ask, are you doing the EVV yet?", or one after "Different topic."
_MOVING_ON = (("anyway",), ("anyways",), ("anyhow",), ("by", "the", "way"), ("moving", "on"),
              ("on", "another", "note"), ("on", "a", "different", "note"), ("speaking", "of"),
              ("switching", "gears"), ("changing", "gears"), ("shifting", "gears"),
              ("different", "topic"), ("different", "question"), ("change", "of", "subject"),
              ("meant", "to", "ask"), ("before", "i", "forget"), ("while", "i", "have", "you"),
              ("totally", "unrelated"), ("unrelated", "question"), ("random", "question"))
_MOVING_ON_LEAD_INS = FILLERS | frozenset("oh hey and so but also now i".split())
_MOVING_ON_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _run in _MOVING_ON:
    _MOVING_ON_BY_FIRST.setdefault(_run[0], []).append(_run)


def moves_on(words: Sequence[str]) -> bool:
    """Does the sentence (normalised) open by changing the subject, after fillers: "anyway",
    "by the way", "different topic", "oh and I meant to ask"?"""
    for i, w in enumerate(words):
        if any(tuple(words[i:i + len(m)]) == m for m in _MOVING_ON_BY_FIRST.get(w, ())):
            return True
        if w not in _MOVING_ON_LEAD_INS:
            return False
    return False


# Where a question starts in words that carry no punctuation (speech-to-text without it): a
# question word, then an auxiliary and its subject, the question word's own noun between
# ("what number did you have in mind", "when does the new year start", "how many of your techs
# do the invoicing"), not a pronoun ("that's how we did it" states); at a turn's start or after
# an acknowledgement, an auxiliary alone will do ("okay who else would be involved", "fair
# what is behind that"); or "can/could/may i ask". Not a question word that a clause hangs on
# ("the reason why is", "the question is how do we"), nor a filler ("what do you call it").
_AUXILIARIES = frozenset("do does did is are was were would could can will should have has"
                         .split())
_ASKING = frozenset({("can", "i", "ask"), ("could", "i", "ask"), ("may", "i", "ask")})
_WH_IS = frozenset("whats hows wheres whos".split())   # "what's" typed without its apostrophe
_HANGS_ON = frozenset("reason is was wonder sure exactly about of on to from for in question "
                      "tell ask asked explain figure matter no".split())
_OPENERS = FILLERS | frozenset("so but then fair understood gotcha totally see hear you that "
                               "sense interesting good cool perfect".split())
_FILLER_QUESTIONS = (("what", "do", "you", "call"), ("what", "do", "they", "call"),
                     ("how", "do", "i", "put"), ("how", "do", "i", "say"),
                     ("what", "is", "it", "called"), ("what", "is", "the", "word"))


def question_starts(words: Sequence[str]) -> list[int]:
    """Where questions start in unpunctuated words (normalised), each start after the last
    question's first three words (so "can i ask what did you ..." is one question)."""
    out: list[int] = []
    for i, w in enumerate(words):
        if out and i < out[-1] + 3:
            continue
        if tuple(words[i:i + 3]) in _ASKING:
            out.append(i)
            continue
        before = words[i - 1] if i else None
        if w not in WH_WORDS or before in _HANGS_ON \
                or any(tuple(words[i:i + len(f)]) == f for f in _FILLER_QUESTIONS):
            continue
        opens = before is None or before in _OPENERS
        after = words[i + 1] if i + 1 < len(words) else None
        if w in _WH_IS:
            if after in _SUBJECTS or opens and after is not None:
                out.append(i)
            continue
        right_after = i + 2 if after == "else" else i + 1      # "who else would ..."
        for j in range(i + 1, min(i + 6, len(words))):
            if words[j] in _AUXILIARIES and (words[j + 1:j + 2] and words[j + 1] in _SUBJECTS
                                             or opens and j == right_after):
                out.append(i)
                break
            if words[j] in _PRONOUNS:
                break
    return out


def _asks_after(words: Sequence[str], marks: Sequence[int], i: int) -> bool:
    """Does the clause after the one holding words[i] ask openly?"""
    after = next((k for k in marks if k > i), None)
    return after is not None and asks_openly(words[after:])


# A price: a run of number words ("twenty eight", "three hundred and forty", "1100"), then a
# unit of money ("dollars") or a rate ("a month", "per user", "a location"). A number with
# anything else after it ("two days a month") is not one.
MONEY_WORDS = frozenset("dollar dollars bucks grand euros".split())   # not pounds: weight
RATE_WORDS = frozenset("month year week seat user license head person site location "
                       "employee provider truck tech".split())
LOSS_WORDS = frozenset("costing lose losing lost spend spending spent waste wasting burn "
                       "burning".split())
_NUMBER_WORDS = frozenset(w for w, c in CLASSES.items() if c == "#number") | \
    frozenset("one two thirteen fourteen sixteen seventeen eighteen nineteen seventy eighty "
              "ninety hundreds thousands million".split())
_AMOUNT = re.compile(r"\d[\d.]*k?")


def states_price(words: Sequence[str], losses: bool = True) -> bool:
    """Do the words (normalised) state a price: a number run followed by a money word or a
    rate ("twenty eight dollars", "three thousand two hundred a month"), in a sentence that
    does not speak of a loss ("you spend 40k a year on temps")? `losses=False` leaves out the
    loss test: for a whole turn, where the loss may be another sentence's."""
    if MONEY_WORDS.isdisjoint(words) and RATE_WORDS.isdisjoint(words) \
            or losses and not LOSS_WORDS.isdisjoint(words):
        return False   # no unit; or "that's costing you 40k a year": a loss played back
    n, i = len(words), 0
    while i < n:
        if not (words[i] in _NUMBER_WORDS or _AMOUNT.fullmatch(words[i])):
            i += 1
            continue
        while i < n and (words[i] in _NUMBER_WORDS or _AMOUNT.fullmatch(words[i])
                         or words[i] == "and" and i + 1 < n and words[i + 1] in _NUMBER_WORDS):
            i += 1
        if i < n and words[i] in MONEY_WORDS or \
                i + 1 < n and words[i] in ("a", "per") and words[i + 1] in RATE_WORDS:
            return True
    return False


class Cues:
    """Regex cues on normalised text, each filed under the words it cannot match without (its
    anchors): a text's words are intersected with the anchors first (one set operation), and
    only the few small regexes of the anchors it holds are run. One big alternation costs
    ~15 us a turn in Python's re; this ~2 us."""

    def __init__(self, cues: Sequence[tuple[str, str]]):
        filed: dict[str, list[str]] = {}
        for anchors, pattern in cues:
            for anchor in anchors.split():
                filed.setdefault(anchor, []).append(pattern)
        self.anchors = frozenset(filed)
        self._rx = {a: re.compile(r"\b(?:" + "|".join(ps) + r")\b") for a, ps in filed.items()}

    def search(self, text: str, words: Sequence[str] | None = None) -> bool:
        """Does any cue match `text` (`words`: its words, if split already)?"""
        held = self.anchors.intersection(text.split() if words is None else words)
        return any(self._rx[a].search(text) for a in held)


# A prompt: asking without a question mark ("tell me about ...", "walk me through ...", "I'd
# love to hear how ...", "I'm curious what ...").
PROMPT = Cues([
    ("tell", r"tell (?:me|us)"),
    ("walk talk take", r"(?:walk|talk|take) (?:me|us) (?:through|thru|over)"),
    ("understand", r"(?:to|me|is) (?:better |really )?understand (?:how|what|where|who|when|why|"
                   r"which)"),
    ("hear know learn", r"(?:love|like|want|keen|interested) to (?:hear|know|learn)"),
    ("curious wondering wonder", r"curious (?:about|how|what|where|who|when|why|which|if|whether)|"
                                 r"(?:am|was) wondering|i wonder"),
    ("sense feel picture", r"(?:to|me|us) (?:get|have) a (?:sense|feel|picture)|"
                           r"give (?:me|us) a (?:sense|feel|picture)"),
    ("describe explain share paint tell walk talk",
     r"(?:can|could|would|will) you (?:please |just |quickly )?(?:describe|explain|share|paint|"
     r"tell|walk|talk)|(?:you|your) to (?:start by )?describ"),
    ("paint", r"paint (?:me|us) a picture"),
    ("remind", r"remind (?:me|us) (?:how|what|where|who|when|why|which)"),
    ("start begin", r"(?:start|begin) with (?:how|what|where|who|when|why) (?:you|your)"),
])


def prompts(text: str, words: Sequence[str] | None = None) -> bool:
    """Does the (normalised) sentence ask without a question mark: "tell me about ...",
    "walk me through ...", "I'd love to hear ..."? See PROMPT."""
    return PROMPT.search(text, words)


# Pieces several push-back cues share: when a put-off is for, and a sentence the prospect says
# of themselves (approval "first" from someone else is a process, not push-back)
_SEASONS = r"spring|summer|fall|autumn|winter|new year"
_MONTHS = r"january|february|march|april|may|june|july|august|september|october|november|december"
_WE_SAY = r"(?:^|i |we |i would |we would |i will |we will |i still |we still |but |so |and )"

# Push-back: how a prospect objects, by family, on normalised text (contractions expanded).
# Each cue is a shape of objecting, not a topic: "we use QuickBooks" describes, "we're happy
# with QuickBooks" pushes back; "Ray signs off" describes, "I can't sign off myself" pushes.
PUSHBACK = Cues([
    # price: more than, higher than, cheaper, a lot for, steep, a big number
    ("lot much", r"(?:price|pricing|number|quote|tool|system|software|platform|seat|user|branch|"
                 r"month|site|location|license) is (?:still )?(?:a lot|too much)$"),
    ("than", r"(?:that|it|this|which|price|number) is (?:a lot |a bit |way |much |quite |still )?"
             r"(?:more|higher|steeper|pricier|bigger) than(?! (?:money|just|a|an|one|ever|"
             r"i would have said)\b)"),
    # not "real money for a practice our size": that is what the problem costs them
    ("number", r"(?:hard|tough|big|hefty|scary) number for (?:us|me|a)"),
    ("works", r"(?:the|our|my) (?:\w+ )?(?:notebook|spreadsheet|binder|binders|system|app|setup|"
              r"process|paper|tool|software|whiteboard|excel|sheet|book|calendar) works"
              r"(?: fine| okay| well| for us| just fine)?$"),
    ("works working", r"(?:and|but) it (?:works|is working) (?:fine|okay|well|just fine)"),
    ("does", r"(?:it|that|this) does (?:all right|alright|okay|ok|fine)$"),
    ("without", r"(?:nothing|none of this|none of it) (?:happens|moves|gets done|goes|gets bought|"
                r"is bought|gets signed|gets approved|gets purchased)(?: \w+)? without"),
    ("higher more", r"(?:number|price|quote|pricing|cost|rate) (?:is )?(?:way |a lot |much |quite )?"
                    r"(?:higher|more) than (?:what )?(?:we|i)"),
    ("outside", r"outside (?:what (?:we|i) (?:can|could) (?:spend|afford|justify)|(?:our|my|the) "
                r"(?:budget|range))"),
    ("than", r"more than (?:i|we) (?:was |were |would |had |have )?(?:hoping|expected|"
             r"expecting|thought|budgeted|planned|want|wanted|pay|spend|usually)"),
    ("steep expensive pricey pricy high lot number range",
     r"(?:that|it|this|which|price|number|quote) (?:is|feels|seems|sounds|looks) "
     r"(?:(?:maybe|probably|just|quite|rather|kind of|sort of|a little|a little bit|a bit|pretty|"
     r"really|way|honestly) )*(?:too )?"
     r"(?:steep|expensive|pricey|pricy|high for|a lot for|a big number|out of our range)"),
    ("lot much steep expensive rich", r"(?:a lot|a lot of money|too much|steep|expensive) for "
                                     r"(?:a|an|us|our|me)"),
    ("than", r"(?:a lot |way |much )?(?:cheaper|less) than (?:that|yours|you|what you)"),
    ("expensive higher cheaper", r"(?:came|come|comes) (?:out|in) (?:more expensive|higher|cheaper)"),
    ("rich", r"too rich for"),
    ("range budget", r"out of (?:our|my|the) (?:price )?(?:range|budget)"),
    ("starter", r"non starter at"),
    ("double twice triple", r"(?:double|twice|triple) (?:what (?:we|i) (?:pay|spend|was thinking|"
                            r"expected|had in mind|budgeted)|the price|the cost|our)"),
    ("seems seem sounds feels",
     r"(?:that|it|this|thing|price|prices|pricing|number|quote|cost|fee|fees|rate|month|year|seat|"
     r"user|head|license|amount) (?:seems|seem|sounds|feels) (?:a little |a bit |pretty |really |way |"
     r"quite )?(?:too )?(?:high|steep|expensive|pricey|pricy|like a lot)"),
    ("expensive pricey pricy costly",
     r"(?:systems|platforms|these|those) (?:are|get) (?:a little |a bit |pretty |"
     r"really |way |quite )?(?:too )?(?:expensive|pricey|pricy|costly)"),
    # budget
    ("budget", r"over (?:our|my) budget"),
    ("tight", r"(?:money|cash|budget|budgets|funds) (?:is |are )?(?:really |pretty |very |a bit )?"
              r"tight"),
    ("money budget funds", r"no (?:money|budget|funds)"),
    ("dime penny cent", r"(?:do not have|not) (?:a|one) (?:dime|penny|cent)"),
    ("budget money", r"(?:do|does) not have (?:the |a |any )?(?:budget|money)"),
    ("afford", r"can not afford (?:this|it|that|a |an |another|the|to (?!lose|miss|wait|let|keep|"
               r"go on|be\b))"),
    ("keen eager thrilled", r"not (?:keen|eager|thrilled) (?:on|about) (?:spending|paying|"
                            r"another|a new|adding|switching|changing|more)"),
    ("budget", r"not in (?:the|our|this year is|next year is) budget"),
    ("budget budgeted", r"(?:did not|do not|have not|has not|was not|is not|not|never) "
                        r"budget(?:ed)? for"),
    ("budget", r"budget (?:is |has been )(?:already |mostly |pretty |really |very |all )?(?:locked|"
               r"committed|spent|gone|tight|set)|budget (?:already |mostly |pretty |really |very |"
               r"all )(?:locked|committed|spent|gone|tight)"),   # "budget's" drops its "'s"
    # need and the status quo
    ("see", r"do not (?:really )?see the (?:need|point|value)"),
    ("need", r"(?:not sure|do not know that|do not think|do not see that|do not really see that|"
             r"not convinced) (?:we|i|they) (?:really )?need"),
    ("comfortable", r"(?:pretty|quite|very|really) comfortable (?:with|on) (?!that|this|it\b)"),
    ("happy comfortable fine", r"(?:happy|comfortable|fine) with (?:what|how|the way|our|my|"
                              r"paper|the one|their|the current)"),
    ("works working", r"(?:works|working) (?:fine|well|okay) for (?:us|me|them)"),
    ("been", r"been (?:fine|good enough|okay|solid|reliable) for (?:us|me|them)"),
    ("job trick", r"(?:it|setup|system|spreadsheet|sheet|process|tool|binders|ours|have|use) "
                  r"(?:still |really )?(?:does|do) the (?:job|trick)"),
    ("work works worked", r"(?:binders|spreadsheets?|system|setup|process|tools?|ours) (?:work|works|"
                          r"worked) (?:just )?(?:fine|okay|ok|well)"),
    ("happy satisfied content", r"(?:we are|i am|we have been|she is|he is|they are|team is|"
                                r"everyone is) (?:pretty |really |very |quite |perfectly |honestly )?"
                                r"(?:happy|satisfied|content) (?:enough )?with(?! (?:that|this|it|"
                                r"the plan|those|how that|the demo|the call|the price|the pricing|"
                                r"the proposal|the offer|what you|your|you|the idea|a|an|next|"
                                r"tomorrow|monday|tuesday|wednesday|thursday|friday|\d+)\b)"),
    ("fine", r"(?:we are|i am|we have been|they are) (?:pretty |really |perfectly |just )?fine "
             r"with(?! (?:that|this|it|the plan|those|how that|you|a|an|either|both|any|"
             r"whatever|doing|going|having|recording|being|next|monday|tuesday|wednesday|"
             r"thursday|friday|tomorrow)\b)"),
    ("happy", r"happy (?:enough )?(?:as|the way) (?:we are|it is|things are)"),
    ("works", r"(?:have|use|got) (?:a|our|the) (?:\w+ )?(?:system|setup|process|way) (?:and )?"
              r"it works$"),
    ("fine enough", r"(?:and|but) (?:it|that|this) is (?:fine|good enough)(?: honestly| really)?$"),
    ("need", r"(?:we|i) do not (?:really )?need (?:a|an) (?:\w+ )?(?:system|tool|software|"
             r"platform|app|solution)"),
    ("already", r"already (?:evaluating|talking to|looking at|working with|in talks with|"
                r"going with) (?:another|a different|other|someone|a vendor|one)"),
    ("disaster", r"(?:total|complete|was a|a real) disaster"),
    ("market", r"not in the market"),
    ("log use adopt", r"(?:will not|would not|are not going to) (?:log in|log on|log into|"
                      r"log onto|use another|adopt)"),
    ("riot revolt mutiny", r"(?:are|is) (?:going to|gonna) (?:riot|revolt|mutiny)"),
    ("need", r"(?:we|i) do not (?:really )?need (?:anything|another|a new|this|it|that)"),
    ("fine", r"(?:we are|i am) (?:actually |pretty |perfectly |really )?fine (?:doing|with the way)"),
    ("enough", r"good enough for (?:us|me|them|now)"),
    ("works", r"(?:system|tool|setup|process|way) works (?:fine|well|okay)"),
    ("signed renewed committed",
     r"(?:just|already) (?:signed|renewed|committed) (?:with|a|an|for|our|up)"),
    ("signed", r"(?:we|i) (?:have |had )?(?:recently )?signed (?:with|a contract|on with)"),
    ("signed", r"signed a (?:\w+ ){0,3}(?:renewal|contract|deal|agreement)"),
    ("pay paying", r"(?:just|already) (?:pay|paying) for"),
    ("locked", r"locked in"), ("managing", r"managing (?:okay|fine|alright)"),
    # priority, time and people
    ("priority", r"not (?:really |exactly )?(?:a |the |our |top )?(?:top )?priority"),
    ("top", r"not (?:really |exactly )?(?:at the )?top of (?:the|my|our) (?:list|pile|priorities)"),
    ("bandwidth", r"bandwidth"),
    ("list", r"(?:far|way|well) down (?:the|my|our) list|(?:low on|bottom of) (?:the|my|our) list"),
    ("people staff headcount capacity bodies",
     r"do not have the (?:people|staff|headcount|capacity|bodies) (?:for|to)"),
    ("capacity", r"(?:zero|no) capacity"),
    ("maxed swamped slammed stretched capacity drowning underwater buried",
     r"(?:i am|we are|team is|staff is|everyone is|both|(?:guys|people|folks|techs|crews|leads|"
     r"supervisors|managers|engineers|planners) are) "
     r"(?:\w+ )?(?:maxed out|swamped|slammed|stretched thin|at capacity|drowning|underwater|buried)"),
    ("nobody one", r"(?:nobody|no one) (?:here )?(?:to|who|with) (?:can |could |would |has time to )?"
                   r"(?:run|own|manage|take|handle|do|set|implement|roll|look after|learn|the time|"
                   r"time|the skills|the bandwidth|the experience)"),
    ("anyone anybody", r"do not have (?:anyone|anybody) (?:who|to)"),
    ("good", r"not a good time"), ("busy", r"too busy"),
    ("bad timing", r"timing (?:is )?(?:bad|not (?:great|good|right|ideal))|bad timing"),
    # for this, not to do the work itself: "we don't have the time to chase records" is pain
    ("time", r"(?:(?:have|got) no|do not have(?: the)?) time (?:for (?:this|that|it|a new|another|"
             r"anything new|something new|software|a demo)|to (?:learn|look at|set up|take on|switch|"
             r"change|implement|evaluate|roll out|train|migrate))"),
    # authority: can't decide alone, must run it by someone first
    ("sign move approve commit yes",
     r"can not (?:just )?(?:sign|move forward|move on|move ahead|approve|commit|say yes)"),
    ("run check", r"run (?:it|this|that) (?:by|past) |(?:run it|run this|check) with (?:my|our|the) "
                  r"|check by (?:my|our|the) "),
    ("until", r"until (?:\w+ ){1,3}?(?:signs off|approves|agrees|says)"),
    ("agree approve sign bless okay", r"(?:would|will) (?:need|have) (?:\w+ ){1,2}to (?:agree|approve|"
                                     r"sign off|bless|okay)|(?:have|has|need|needs) to get (?:\w+ ){1,3}to "
                                     r"(?:agree|approve|sign off|bless|okay)"),
    ("before", r"before (?:i|we) (?:can )?(?:commit|sign|move forward|say yes|decide)"),
    ("approval blessing sign", r"(?:need|needs) (?:his|her|their|(?:my|our|the) \w+) "
                          r"(?:approval|blessing|sign off)"),
    ("approval sign okay light", r"need (?:approval|sign off|the okay|the green light) from"),
    ("decide", r"can not decide (?:\w+ )?(?:alone|on my own|by myself)"),
    ("say", r"(?<!not )(?:going to|gonna) say no"),
    ("without", r"can not (?:sign|approve|buy|commit to|do) (?:anything |this |it |that )?without"),
    ("past", r"get (?:\w+ ){0,3}past (?:it|legal|procurement|corporate|finance|security|my|our|the)"),
    # -- v13: the same kinds, in more of the shapes prospects say them in
    # the status quo: a thing of theirs that works (not a time that suits: "tuesday works")
    ("work works worked", r"(?:(?:our|my|the|their) (?:(?!slot|slots|time|times|day|days|date|"
                          r"afternoon|morning|evening|week|team|guys|crew|people|staff|hire|"
                          r"customers)\w+ ){0,2}|ours )(?:work|works) (?:just )?(?:fine|okay|ok|"
                          r"great)(?: for us)?(?: thanks| honestly)?$"),
    ("see", r"do not see why (?:we|i) would (?:pay|need|switch|change|spend|buy|replace)"),
    ("does", r"(?:^|honestly |but |and )(?:it|ours|what we have) does (?:what|everything|all) "
             r"(?:we|i) need"),
    ("broken broke", r"(?:fix|replace|change) (?:something|what|anything) that is not broken|"
                     r"if it is not broke"),
    ("fine good set covered", r"^(?:we are|i am|we have been) (?:actually |really |perfectly |"
                              r"pretty |all )?(?:fine|good|set|covered)(?: honestly| for now| as is|"
                              r" as we are| right now| where we are)$"),
    ("fine", r"(?:we have been|we were|i have been) (?:just |perfectly )?fine (?:for|without)"),
    ("looking", r"not looking for (?:software|a new|another|new|a system|a tool|an app)"),
    # a change they will not make: "i'm not retraining everybody", "i'd never switch"
    ("switch switching change changing replace replacing retrain retraining migrate migrating rip "
     "ripping move moving learn learning",
     r"(?:i|we) (?:am|are|would|will|have)? ?(?:just |really )?(?:not|never) (?:really |even )?"
     r"(?:looking to |going to |planning to |about to |in a hurry to |keen to |interested in )?"
     r"(?:switch|switching|replace|replacing|retrain|retraining|migrate|migrating|rip|ripping|"
     r"(?:change|changing) (?:anything|everything|(?:\w+ ){0,3}(?:system|systems|software|tool|"
     r"tools|app|apps|platform|vendor|vendors))|(?:move|moving|learn|learning) (?:\w+ ){0,5}"
     r"(?:system|systems|software|tool|tools|app|apps|platform|vendor|vendors|over))"),
    ("reason", r"(?:no|not a|not any|not see a|not see any) (?:\w+ )?reason to (?:switch|change|rip|"
               r"replace|buy|spend)"),
    ("want", r"(?:does not|do not|did not) want (?:any )?(?:more|another|a new|new|one more) "
             r"(?:\w+ )?(?:software|subscription|subscriptions|tool|tools|app|apps|system|systems|"
             r"vendor|vendors|platform|platforms)"),
    ("another more", r"(?:^|great |guess |answer is |oh |ha |what we need )(?:another|one more) "
                     r"(?:\w+ )?(?:app|tool|system|subscription|platform|login|password|dashboard)"
                     r"(?! (?:that )?(?:we|i) (?:use|have|got|run))"),
    ("wary skeptical sceptical hesitant shy", r"(?:i am|we are|i have been|he is|she is|they are) "
                                              r"(?:\w+ ){0,2}(?:wary|skeptical|sceptical|hesitant|"
                                              r"gun shy)(?:$| of (?:this|these|new|another|software|"
                                              r"vendors|you)| about (?:this|it|switching|changing|"
                                              r"another|new)| than (?:me|us|i am))"),
    # no need
    ("need", r"(?:we|i) do not (?:really )?need all (?:that|this|of that|those)"),
    ("need", r"do (?:we|i) (?:even |really |actually )need (?:this|it|that|another|a new)"),
    # not now, put off by the prospect
    ("revisit circle pick reconnect", r"(?:revisit|circle back|pick (?:this|it) (?:back )?up|"
                                      r"reconnect)(?: on (?:this|it))? (?:in the (?:spring|summer|"
                                      r"fall|autumn|winter|new year)|next (?:year|quarter|season|"
                                      r"spring|summer|fall|winter)|later in the year|after the "
                                      r"(?:season|holidays|busy season|new year))"),
    ("call", r"call me(?: back)? (?:in|after|next) (?:the )?(?:" + _SEASONS + r"|year|quarter|month|"
             + _MONTHS + ")"),
    ("happening happen", r"(?:nothing|not|this is not|that is not|it is not) (?:is )?(?:happening|"
                         r"going to happen) (?:before|until|this) (?:next |the )?(?:" + _SEASONS
                         + r"|year|quarter|season|" + _MONTHS + ")"),
    ("thinking focused", r"not (?:really )?(?:something|anything) (?:i am|we are|i have been|we have "
                         r"been) (?:really )?(?:thinking about|focused on)"),
    ("list radar", r"not (?:even |really )?on (?:my|our|the) (?:list|radar)"),
    ("time moment", r"not (?:the |a )?(?:best|right|good|great|ideal) (?:time|moment)"),
    ("important biggest first", r"not (?:the|our|my) (?:most important|biggest|first) (?:thing|"
                                r"priority)"),
    ("time", r"(?:is|it is) (?:just |really |simply )?not the time"),
    ("moment time", r"(?:this|now|right now|it) is (?:a )?(?:really |pretty |very )?(?:bad|terrible|"
                    r"tough|awful) (?:moment|time)$"),
    # no bandwidth
    ("headspace energy resources manpower", r"do not have the (?:headspace|energy|resources|"
                                            r"manpower) (?:for (?:this|a new|another|anything new)|"
                                            r"to (?:take on|learn|switch|change|roll out|implement|"
                                            r"set up|look at))"),
    ("sure", r"not sure (?:i|we) have (?:the )?(?:time|bandwidth|budget|money|people|headspace)"),
    ("take", r"can not take on (?:a new (?:system|tool|project|platform)|another (?:system|tool|"
             r"project|platform)|anything new|new software|this right now|a project)"),
    ("time", r"(?:nobody|no one) (?:here )?(?:has|got|has got) (?:the )?time to (?:learn|look at|"
             r"set up|take on|switch|change|implement|evaluate|roll out|train|sit through|deal with|"
             r"mess with)"),
    ("mess deal", r"(?:got|have) no time to (?:mess|deal) with"),
    # authority
    ("without", r"(?:can|would|will|could) not (?:\w+ ){0,2}(?:decide|sign|buy|commit|approve|"
                r"go ahead|say yes)(?: \w+){0,3} without"),
    ("without", r"(?:can|would|will|could) not (?:really |just )?(?:move|do) (?:anything(?: like this| "
                r"on this)? |on anything |forward |this |it |that )?without"),
    ("project thing problem", r"(?:is|that is|it is|this is) (?:really |more )?(?:a )?next (?:year|"
                              r"winter|spring|summer|fall|autumn|quarter) (?:project|thing|problem)"),
    ("money budget cash", r"(?:can not|not going to|will not|do not) (?:\w+ ){0,2}find(?:ing)? the "
                          r"(?:money|budget|cash)"),
    ("decide", r"can not (?:really )?decide (?:anything|this|that|it)\b"),
    ("call", r"(?:his|her|their|the owner|the boss) call(?:,)? not (?:mine|ours)"),
    ("okay approval blessing sign green", _WE_SAY + r"(?:need to|need|got to|have to) (?:get )?"
                                          r"(?:\w+ ){1,3}(?:okay|approval|blessing|sign off|"
                                          r"green light) first"),
    ("first", _WE_SAY + r"(?:must|have to|need to|got to) (?:ask|check with|talk to|run it by|"
                        r"run this by) (?:\w+ ){1,3}first"),
    ("one person guy", r"not the (?:one|person|guy) (?:who|that) (?:can )?(?:signs?|decides?|approves?|"
                   r"say yes|makes the call|makes that call|holds the)"),
    ("go", r"(?:(?:not|never) (?:going to|gonna)|(?:do not think|doubt) (?:\w+ ){1,3}(?:is |are )?"
           r"(?:going to|gonna|will|would)) go for (?:it|that|this)"),
    # not "... then walk it over to whoever needs to approve it": how it is done today
    ("approve greenlight green", r"(?<!whoever )(?:(?:will|would) have to|(?:has|have|needs|need) "
                                 r"to) (?:approve|greenlight|green light) (?:this|it|that|anything "
                                 r"like this|something like this)(?:$| first| before (?:we|i|"
                                 r"anything)| and )"),
    ("part piece feature module bit side", r"(?:we|i) do not (?:really )?need (?:the|that|this) "
                                           r"(?:\w+ ){0,3}(?:part|piece|feature|module|bit|side)"),
    ("boat attached", r"rock the boat|(?:pretty |really |very |quite )attached to (?:the |our |my )?"
                      r"(?!customers|clients|people|team|staff|guys|crew|kids|family)\w+(?:$| and)"),
    ("minute", r"(?:nobody|no one) (?:has |is |has got |got )?a (?:spare|free) minute"),
    ("signed", r"(?:went ahead and|just went and) signed (?:\w+ ){0,3}with"),
    ("nervous lose balk hesitate worried", r"(?:that is|this is|here is) where (?:i|we|you) "
                                           r"(?:get nervous|lose me|lose us|balk|hesitate|get worried)"),
    ("high", r"(?:price|pricing|number|quote|cost|fee|fees|that|it|this|month|year|seat|user|"
             r"hundred|thousand|grand|bucks|dollars|one|two|three|four|five|six|seven|eight|nine|"
             r"ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|\d+) is (?:a bit |pretty |"
             r"really |way |too |quite )?high for (?:us|me|a|our)"),
    ("see", r"do not (?:really )?see us (?:switching|changing|moving|buying|paying|spending)"),
    ("signed", r"signed (?:a |an )?(?:\w+ ){0,2}(?:year|years|month|months)(?: deal| contract)? with"),
    # budget: spent, spoken for, not set aside
    ("spent used blown", r"(?:spent|used up|blown) (?:our|the|my|all our|all the) (?:\w+ )?budget"),
    ("spoken", r"(?:budget|money|funds|dollar|everything|it) (?:is |are )?(?:all |already )?"
               r"spoken for"),
    ("gone spent used tapped maxed", r"budget (?:\w+ ){0,4}is (?:already |all |completely )?(?:gone|"
                                r"spent|used up|tapped out|maxed out)"),
    ("around spare", r"do not have (?:\w+ ){0,3}(?:grand|dollars|bucks|thousand|hundred|money|cash) "
                     r"(?:\w+ ){0,2}(?:lying around|to spare|sitting around)"),
    ("money", r"where (?:the|this|that) money (?:would |is going to )?comes? from"),
    ("small limited tiny thin low", r"budget (?:is|was) (?:really |pretty |very |quite )?(?:small|"
                                    r"limited|tiny|thin|low)(?! but)"),
    ("aside", r"(?:have not|did not|has not|had not) (?:set|put) (?:anything|any money|money|budget) "
              r"aside"),
    ("budgeted", r"(?:do not|did not|does not) have (?:it|this|that|anything|money) budgeted"),
    ("left", r"nothing left (?:in the budget|for (?:software|this|new|anything new|tools|it))"),
    # price: a bit much, too expensive said alone, what that money would buy instead
    ("much", r"(?:that|it|this|price) is (?:a (?:little |tiny )?bit|kind of|sort of) (?:too )?much"
             r"(?:$| for (?:us|me|our|a small)\b| honestly$)"),
    # "too much" for them or to pay; not "too much for one person to keep track of"
    ("much", r"(?:that|it|this|price) is (?:maybe |probably |just |still |a bit |way |far |simply |"
             r"kind of )?too much(?:$| for (?:us|me|our|a small)\b| to (?:pay|spend)| honestly$|"
             r" right now$| i think$| money)"),
    ("expensive pricey pricy steep much rich", r"^(?:way |much |far |just |a bit |a little )?too "
                                               r"(?:expensive|pricey|pricy|steep|much|rich)$"),
    ("price money could", r"for (?:that|this) (?:price|money|kind of money) (?:you|i|we) (?:should|"
                          r"could|would)|for that (?:i|we) could"),
    ("pay spend justify afford", r"not sure (?:i|we) (?:would|could|can|want to) (?:pay|spend|"
                                 r"justify|afford)"),
])


def pushes_back(text: str, words: Sequence[str] | None = None) -> bool:
    """Does the (normalised) text push back the way a prospect objects: on price, budget,
    need, the status quo, priority, time or authority? See PUSHBACK."""
    return PUSHBACK.search(text, words)


# A promise of outcome or price position made without the words a phrase bank holds: a
# personal guarantee, cost covered, any price matched, nothing to lose, nobody ever lost.
PROMISE = Cues([
    ("name", r"put my name on"),
    ("promise guarantee assure", r"(?:i|we) (?:can |will )?(?:personally )?(?:promise|guarantee|"
                                 r"assure) (?:you|your|that|it|this|the|results)"),
    ("cover covers", r"(?:more than |easily |will |would |it will )?covers? (?:the|its|your) "
                     r"(?:cost|subscription|fee|license|licence|price)"),
    ("covered covers", r"covers? itself|covered itself"),
    ("spending", r"not really spending anything"),
    ("back", r"(?:make|makes|made|earn|earns) (?:that|it|the cost|their money|your money|the money) "
             r"back(?! to| from| into| in time)"),
    ("refund", r"(?:personally )?refund (?:you|your|the)"),
    ("stake bet", r"(?:stake|bet) my (?:name|reputation|job|house|career)"),
    ("whatever", r"whatever (?:the others|they|anyone|anybody|the other guys|the competition) "
                 r"(?:come back with|comes back with)"),
    ("match beat under undercut",
     r"(?:match|beat|come in under|go under|undercut) (?:it|that|them|any|whatever|whoever|"
     r"anyone|anybody|their (?:price|number|quote|pricing|offer|rate|bid))"),
    ("meet", r"(?:will|would|can) meet (?:it|(?:that|their|any|the) (?:price|number|quote|"
             r"pricing|offer|rate|bid))"),
    ("find", r"(?:will not|can not|are not going to|never) find (?:anyone|anybody|anything|it) "
             r"(?:cheaper|for less|lower)"),
    ("lowest cheapest", r"(?:lowest|cheapest)(?: (?:number|price|quote|rate|bid))? you "
                        r"(?:will |are going to )?(?:see|find|get)"),
    ("free", r"(?:completely|totally|entirely|100 percent) risk free"),
    ("writing", r"put (?:it|that) in writing that (?:you|your)"),
    ("money", r"(?:give|get) (?:you )?(?:your )?money back"),
    ("own", r"covers? its own (?:cost|way|fee)"),
    ("touches beats", r"(?:nobody|no one) (?:touches|beats|comes close to) our (?:price|pricing|number)"),
    ("best", r"best price (?:you will|you are going to|you can|anywhere|out there|on the market)"),
    ("number", r"any number they give you"),
    ("stay", r"(?:it|that) (?:will not|is not going to) stay (?:less|lower)"),
    # "you can't lose" said to the prospect, not "the data you can't lose"
    ("lose", r"^(?:honestly |really |so |look )?you (?:really |just |simply )?can not lose$|"
             r"can not lose (?:money|on this|with this|here)"),
    ("lose", r"nothing to lose"),
    ("chance risk", r"not taking (?:a|any) (?:chance|risk)"),
    ("risk downside", r"(?:no|zero) (?:risk|downside) (?:for you|on your|to you|at all)|"
                      r"zero risk|taking no risk"),
    ("back behind spending keep regretted",
     r"(?:never|not once|nobody|no one|none of)\b.{0,60}\b(?:money back|ended up behind|"
     r"spending more on this than|earn its keep|regretted)"),
    ("way", r"only (?:ever )?goes one way"), ("dime", r"be out a dime"),
])
# A disclaimer ("I can't promise that", "nobody can guarantee it", "I won't pretend") names
# a promise to refuse it; reported speech ("you said they'd beat any price") names another's.
_DISCLAIMS = re.compile(r"\b(?:can not|will not|would not|do not|not going to|nobody can|"
                        r"no one can|never) (?:\w+ ){0,3}?(?:promise|guarantee|tell you|say|"
                        r"pretend|match|beat|meet|undercut|refund|bet)\b|"
                        # what someone else said, opening the sentence: "you said they
                        # guaranteed to beat any price" (not "as you said, you can't lose")
                        r"^(?:so |and |but )?(?:you|they|he|she) (?:said|told you|claimed|claim|"
                        r"promised)\b")


def promises(text: str, disclaimers: bool = True, words: Sequence[str] | None = None) -> bool:
    """Does the (normalised) text promise an outcome or a price position in words of its own
    ("I'd put my name on that", "we'll match it, any number they give you"), and not disclaim
    one? See PROMISE. `disclaimers=False` leaves out the disclaimer test: for a whole turn,
    where the disclaimer may be another sentence's."""
    return PROMISE.search(text, words) and not (disclaimers and _DISCLAIMS.search(text))


def negations(words: Sequence[str], start: int = 0, end: int | None = None) -> int:
    """How many negation cues words[start:end] holds, leaving out those that negate nothing
    ("no problem", "not only", an answering "yeah, no, we ...")."""
    end = len(words) if end is None else end
    spoken = next((i for i in range(start, end) if words[i] not in FILLERS), end)
    return sum(1 for i in range(start, end)
               if _negates(words, i) and not (i == spoken and _answers(words, i)))


def _negates(words: Sequence[str], i: int) -> bool:
    """Is words[i] a negation cue, and not one of a phrase that negates nothing?"""
    w = words[i]
    return w in NEGATIONS and not any(
        tuple(words[i - k:i - k + len(e)]) == e
        for e in NOT_NEGATING for k, cue in enumerate(e) if cue == w and i - k >= 0)


def _answers(words: Sequence[str], i: int) -> bool:
    """Is words[i] a "no" before a pronoun? As the first word of a span after nothing but
    fillers ("yeah, no, we record every call") it is an answer, not a negation."""
    return words[i] == "no" and i + 1 < len(words) and words[i + 1] in _PRONOUNS


def _starts_clause(words: Sequence[str], i: int) -> bool:
    """Does a clause for negation start at words[i]: "but", or "and"/"so" before a new
    subject?"""
    return words[i] == "but" or (words[i] in _JOINS and i + 1 < len(words)
                                 and words[i + 1] in _SUBJECTS)


def negated(words: Sequence[str], marks: Sequence[int], first: int, end: int,
            phrase_negations: int) -> bool:
    """Was words[first:end] said inside a negated clause? The clause runs from the last start
    at or before `first`: a clause mark (a comma, a dash, a sentence start...), "but", or "and"
    / "so" before a new subject ("we don't share anything and this call is recorded"). An
    "and" that goes on with the same subject stays in the clause ("I'm not going to sit here
    and tell you it pays for itself"). A phrase that itself holds a negation ("we do not have
    budget") needs one in the same place, so what counts is whether the number of cues
    differs in parity from the phrase's: "i can not guarantee" negates "guarantee", "we have
    budget" does not say "we do not have budget"."""
    scope = max((m for m in marks if m <= first), default=0)
    for i in range(first, scope, -1):
        if _starts_clause(words, i):
            scope = i
            break
    return (negations(words, scope, end) - phrase_negations) % 2 == 1


class SentenceNegation:
    """`negated(words, marks, first, end, n)` for many spans of one sentence, each in
    logarithmic time: a verbatim phrase repeated along a runaway turn is judged once per
    match, and walking back to the clause start and counting cues anew each time was
    quadratic in the turn. Whether a cue negates depends on its neighbours only, except the
    answering "no", which depends on where the span starts (`negations`)."""

    def __init__(self, words: Sequence[str], marks: Sequence[int]):
        self.words = words
        self.marks = sorted(marks)
        self.starts = [i for i in range(len(words)) if _starts_clause(words, i)]
        self.before = list(accumulate((_negates(words, i) for i in range(len(words))),
                                      initial=0))
        # spoken[i]: the first word at or after i that is not a filler
        self.spoken = [len(words)] * (len(words) + 1)
        for i in range(len(words) - 1, -1, -1):
            self.spoken[i] = self.spoken[i + 1] if words[i] in FILLERS else i

    def negations(self, start: int, end: int) -> int:
        count = self.before[end] - self.before[start]
        i = self.spoken[start]
        if i < end and _answers(self.words, i) and _negates(self.words, i):
            count -= 1
        return count

    def negated(self, first: int, end: int, phrase_negations: int) -> bool:
        k = bisect_right(self.marks, first) - 1
        scope = max(self.marks[k], 0) if k >= 0 else 0
        b = bisect_right(self.starts, first) - 1
        if b >= 0 and self.starts[b] > scope:
            scope = self.starts[b]
        return (self.negations(scope, end) - phrase_negations) % 2 == 1
