"""Talk metrics: by time when the transcript has timestamps, by words when it has none."""
from __future__ import annotations

from callcoach.scoring.metrics import talk_metrics
from scoring_helpers import make_transcript


def test_timed_call():
    t = make_transcript([
        ("Dana", "rep", 0.0, 20.0, "Hi Sam. How is the quarter going?"),      # 20 s, 1 question
        ("Sam", "prospect", 21.0, 31.0, "Busy."),                               # 10 s
        ("Dana", "rep", 33.0, 43.0, "Why? What changed??"),                     # 10 s, 2 questions
        ("Dana", "rep", 43.5, 63.0, "Let me explain how we help."),             # run 33 -> 63
        ("Sam", "prospect", 62.0, 90.0, "Ok."),                                 # 28 s
        ("Dana", "rep", 89.0, 120.0, "Great."),                                  # overlaps: gap 0
    ])
    m = talk_metrics(t)
    assert m == {
        "rep_talk_ratio": round((20 + 10 + 19.5 + 31) / (20 + 10 + 10 + 19.5 + 28 + 31), 4),
        "longest_rep_monologue_s": 31.0,       # 89 -> 120 beats 33 -> 63 (30 s)
        "longest_rep_monologue_words": 9,      # "Why? What changed??" + "Let me explain how we help."
        "rep_questions": 3,
        "interactivity": round(4 / 2, 2),      # 4 switches in 2 minutes
        "patience_s": round((1 + 2 + 0) / 3, 2),
    }


def test_call_without_timestamps_uses_words():
    t = make_transcript([
        ("Dana", "rep", None, "one two three four five six"),
        ("Sam", "prospect", None, "one two"),
        ("Dana", "rep", None, "Any questions?"),
        ("Dana", "rep", None, "No?"),
    ])
    assert talk_metrics(t) == {
        "rep_talk_ratio": 0.8182,              # 9 of 11 words
        "longest_rep_monologue_s": None,
        "longest_rep_monologue_words": 6,
        "rep_questions": 2,
        "interactivity": None,
        "patience_s": None,
    }


def test_prospect_questions_are_not_counted_and_empty_call_is_safe():
    t = make_transcript([("Sam", "prospect", 0.0, 2.0, "Why?")])
    assert talk_metrics(t)["rep_questions"] == 0
    assert talk_metrics(t)["rep_talk_ratio"] == 0.0
    empty = talk_metrics(make_transcript([]))
    assert empty["rep_talk_ratio"] is None and empty["interactivity"] is None


def test_metrics_travel_with_the_score():
    from callcoach.scoring.compile import compile_rubric
    from callcoach.scoring.engine import score_transcript
    from scoring_helpers import make_rubric
    t = make_transcript([("Dana", "rep", 0.0, 6.0, "Any questions?")])
    s = score_transcript(t, compile_rubric(make_rubric({"check": {
        "type": "forbidden", "phrases": ["guarantee"]}})))
    assert s.metrics["rep_questions"] == 1
    assert s.overall == 100.0  # metrics never enter the overall score
