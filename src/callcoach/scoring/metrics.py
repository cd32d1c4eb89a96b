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

from callcoach.transcript import Transcript

_QUESTION = re.compile(r"\?+")


def talk_metrics(transcript: Transcript) -> dict[str, float | None]:
    """
    >>> from datetime import datetime
    >>> from callcoach.transcript import CallMeta, Utterance
    >>> t = Transcript(CallMeta("c1", "dana", datetime(2026, 1, 5)), [
    ...     Utterance(0, "Dana", "Hi! How are you?", "rep", 0.0, 4.0),
    ...     Utterance(1, "Sam", "Good, thanks.", "prospect", 5.0, 7.0)])
    >>> talk_metrics(t)["rep_talk_ratio"], talk_metrics(t)["patience_s"]
    (0.6667, None)
    """
    utts = transcript.utterances
    words = [len(u.text.split()) for u in utts]
    is_rep = [u.role == "rep" for u in utts]
    timed = bool(utts) and all(u.start is not None for u in utts)
    ends: list[float] = []
    if timed:
        starts = [float(u.start) for u in utts]
        ends = [float(u.end) if u.end is not None
                else (starts[i + 1] if i + 1 < len(utts) else starts[i])
                for i, u in enumerate(utts)]
        talk = [max(0.0, e - s) for s, e in zip(starts, ends)]
    else:
        starts, talk = [], [float(w) for w in words]
    total = sum(talk)
    rep_talk = sum(t for t, r in zip(talk, is_rep) if r)

    longest_words, longest_s, run_words, run_start = 0, 0.0, 0, None
    for i, rep in enumerate(is_rep):
        if not rep:
            run_words, run_start = 0, None
            continue
        run_words += words[i]
        longest_words = max(longest_words, run_words)
        if timed:
            run_start = starts[i] if run_start is None else run_start
            longest_s = max(longest_s, ends[i] - run_start)

    questions = sum(len(_QUESTION.findall(u.text)) for u, rep in zip(utts, is_rep) if rep)

    interactivity = patience = None
    if timed:
        duration = max([transcript.duration or 0.0, *ends]) - min(starts)
        switches = sum(1 for a, b in zip(utts, utts[1:]) if a.speaker != b.speaker)
        interactivity = round(switches / (duration / 60), 2) if duration > 0 else None
        # A pause is only measurable when the prospect turn has its own end time.
        gaps = [max(0.0, starts[i] - float(utts[i - 1].end)) for i in range(1, len(utts))
                if is_rep[i] and utts[i - 1].role == "prospect" and utts[i - 1].end is not None]
        patience = round(sum(gaps) / len(gaps), 2) if gaps else None

    return {
        "rep_talk_ratio": round(rep_talk / total, 4) if total > 0 else None,
        "longest_rep_monologue_s": round(longest_s, 1) if timed else None,
        "longest_rep_monologue_words": longest_words,
        "rep_questions": questions,
        "interactivity": interactivity,
        "patience_s": patience,
    }
