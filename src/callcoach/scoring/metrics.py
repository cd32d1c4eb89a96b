"""Talk metrics per call, the ones Gong users expect. Context beside the scores, never part
of the overall score (DOMAIN: activity data is context, not a substitute for criteria).

Keys (always all present; None when the transcript cannot tell):
- rep_talk_ratio: the rep's share of talk, by time when the transcript has timestamps, else by
  words; 0..1.
- longest_rep_monologue_s / longest_rep_monologue_words: the longest run of consecutive rep
  utterances, in seconds (timestamps only) and in words.
- rep_questions: the rep's sentences ending in "?".
- interactivity: speaker switches per minute (timestamps only).
- patience_s: mean pause before the rep answers a prospect turn, in seconds (timestamps only;
  overlaps count as 0).
"""
from __future__ import annotations

import re
from operator import ne, sub

from callcoach.transcript import Transcript

_QUESTION = re.compile(r"\?+")

# (starts, ends, end of the call) in seconds; see `timeline`.
Timeline = tuple[list[float], list[float], float]


def timeline(transcript: Transcript) -> Timeline | None:
    """Where each utterance sits, for a transcript whose every utterance has a start (None
    otherwise): an utterance without an end ends where the next one starts (the last one:
    where it starts); the call ends at its duration or at the latest end, whichever is later.
    The engine computes it once per call for both the `within` windows and the talk metrics.
    """
    utts = transcript.utterances
    raw = [u.start for u in utts]
    if not raw or None in raw:
        return None
    starts = list(map(float, raw))
    raw = [u.end for u in utts]
    if None in raw:
        last = len(raw) - 1
        ends = [float(e) if e is not None else starts[i + 1 if i < last else i]
                for i, e in enumerate(raw)]
    else:
        ends = list(map(float, raw))
    # max() over one list, not max(a, max(b)): with a NaN end the two can differ.
    return starts, ends, max([transcript.duration or 0.0, *ends])


def talk_metrics(transcript: Transcript, spans: Timeline | None = None
                 ) -> dict[str, float | None]:
    """`spans`: the transcript's `timeline()`, when the caller has it already.

    >>> from datetime import datetime
    >>> from callcoach.transcript import CallMeta, Utterance
    >>> t = Transcript(CallMeta("c1", "dana", datetime(2026, 1, 5)), [
    ...     Utterance(0, "Dana", "Hi! How are you?", "rep", 0.0, 4.0),
    ...     Utterance(1, "Sam", "Good, thanks.", "prospect", 5.0, 7.0)])
    >>> talk_metrics(t)["rep_talk_ratio"], talk_metrics(t)["patience_s"]
    (0.6667, None)
    """
    # One pass over the utterances (this runs for every scored call): only the rep's
    # utterances are split into words when timestamps give the talk time.
    utts = transcript.utterances
    if spans is None:
        spans = timeline(transcript)
    timed = spans is not None
    words: list[int] | None = None
    if timed:
        starts, ends, end = spans
        talk = [d if d > 0.0 else 0.0 for d in map(sub, ends, starts)]
    else:
        words = [len(u.text.split()) for u in utts]
        starts, ends, talk = [], [], [float(w) for w in words]
    rep_talk: list[float] = []
    gaps: list[float] = []
    longest_words, longest_s, run_words, run_start = 0, 0.0, 0, None
    questions = 0
    prev = None
    for i, u in enumerate(utts):
        if u.role != "rep":
            run_words, run_start, prev = 0, None, u
            continue
        rep_talk.append(talk[i])
        text = u.text
        run_words += words[i] if words is not None else len(text.split())
        if run_words > longest_words:
            longest_words = run_words
        if "?" in text:
            # Runs of question marks count once ("really??" is one question).
            q = text.count("?")
            questions += len(_QUESTION.findall(text)) if q > 1 and "??" in text else q
        if timed:
            if run_start is None:
                run_start = starts[i]
            d = ends[i] - run_start
            if d > longest_s:
                longest_s = d
            # A pause is only measurable when the prospect turn has its own end time.
            if prev is not None and prev.role == "prospect" and prev.end is not None:
                gap = starts[i] - float(prev.end)
                gaps.append(gap if gap > 0.0 else 0.0)
        prev = u
    # sum() of the lists, not running totals: the same float rounding as sum() on any Python.
    total = sum(talk)

    interactivity = patience = None
    if timed:
        duration = end - min(starts)
        speakers = [u.speaker for u in utts]
        switches = sum(map(ne, speakers, speakers[1:]))
        interactivity = round(switches / (duration / 60), 2) if duration > 0 else None
        patience = round(sum(gaps) / len(gaps), 2) if gaps else None

    return {
        "rep_talk_ratio": round(sum(rep_talk) / total, 4) if total > 0 else None,
        "longest_rep_monologue_s": round(longest_s, 1) if timed else None,
        "longest_rep_monologue_words": longest_words,
        "rep_questions": questions,
        "interactivity": interactivity,
        "patience_s": patience,
    }
