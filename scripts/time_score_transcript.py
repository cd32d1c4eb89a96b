"""Per-call time of score_transcript on a synthetic 30-minute call (300 turns, ~4,500 words)
against a 7-criterion rubric (4 intent, 3 verbatim). A quick measurement, not a test:

    python scripts/time_score_transcript.py [--calls 200] [--vtt ZOOM_EXPORT.vtt]
"""
from __future__ import annotations

import argparse
import random
import re
import time
from datetime import datetime

from callcoach.rubric.model import Rubric
from callcoach.scoring.compile import compile_rubric
from callcoach.scoring.engine import score_transcript
from callcoach.transcript import CallMeta, Transcript, Utterance

WORDS = ("we our team process data report weekly manager budget quarter tool spreadsheet "
         "integration customer pipeline renewal contract price cost timeline decision approval "
         "security onboarding training support dashboard forecast deal account meeting email "
         "call demo feature workflow export sync update migrate vendor legal review").split()
GLUE = "the a to and of in that is it for on with you i so we are this have".split()
LINES = ["walk me through how you handle this today", "what happens if you do nothing",
         "who else is involved in the decision", "our pricing starts at", "that is too expensive",
         "i understand that concern", "can we book a follow up meeting next week",
         "this call is being recorded", "how much time does that take your team"]

RUBRIC = {
    "rubric": "bench", "criteria": [
        {"id": "recording_disclosure", "critical": True, "check": {
            "type": "phrase", "method": "verbatim", "within": {"first": "120s"},
            "phrases": ["this call is being recorded", "we are recording this call"]}},
        {"id": "pricing_language", "check": {
            "type": "forbidden", "phrases": ["guarantee", "lowest price", "best price ever"]}},
        {"id": "discovery_questions", "weight": 3, "check": {
            "type": "sequence", "steps": [
                {"id": "current_process", "phrases": ["walk me through how you handle this today",
                                                      "what does your current process look like"]},
                {"id": "pain", "phrases": ["what is the biggest challenge with that",
                                           "where does it break down"]},
                {"id": "impact", "phrases": ["how much time does that take your team",
                                             "what does that problem cost you"]},
                {"id": "decision", "phrases": ["who else is involved in the decision",
                                               "how do you make decisions like this"]},
                {"id": "timeline", "phrases": ["when do you need this in place",
                                               "what is your timeline"]}],
            "before": {"name": "pricing", "method": "verbatim",
                       "phrases": ["our pricing starts at", "let me show you the plans"]}}},
        {"id": "objection_handling", "weight": 2, "check": {
            "type": "response",
            "trigger": {"name": "objection", "phrases": ["that is too expensive",
                                                         "we do not have the budget"]},
            "steps": [{"id": "acknowledge", "phrases": ["i understand that concern"]},
                      {"id": "clarify", "phrases": ["can you tell me more about the budget"]},
                      {"id": "respond", "phrases": ["customers usually see a return within"]},
                      {"id": "confirm", "phrases": ["does that address your concern"]}]}},
        {"id": "next_step", "weight": 2, "check": {
            "type": "phrase", "within": {"last": "20%"},
            "phrases": ["can we book a follow up meeting", "let us schedule the next call"]}},
        {"id": "empathy", "check": {
            "type": "phrase", "min_count": 2,
            "phrases": ["that sounds frustrating", "i can see why that matters to you"]}},
        {"id": "agenda", "check": {
            "type": "phrase", "method": "verbatim", "within": {"first": "10%"},
            "phrases": ["agenda for today", "what i would like to cover"]}},
    ]}


def synthetic_call(seed: int, turns: int = 300, words: int = 4500) -> Transcript:
    rng = random.Random(seed)
    per_turn = words // turns
    utts, t = [], 0.0
    for i in range(turns):
        n = max(3, int(rng.gauss(per_turn, per_turn / 2)))
        sentence = []
        while len(sentence) < n:
            if rng.random() < 0.03:
                sentence.extend(rng.choice(LINES).split())
            else:
                sentence.append(rng.choice(WORDS) if rng.random() < 0.4 else rng.choice(GLUE))
        text = " ".join(sentence).capitalize() + ("?" if rng.random() < 0.2 else ".")
        role = "rep" if i % 2 == 0 else "prospect"
        dur = n / 2.5
        utts.append(Utterance(i, "Dana" if role == "rep" else "Sam", text, role, t, t + dur))
        t += dur + 0.4
    return Transcript(CallMeta(f"call-{seed}", "dana", datetime(2026, 11, 2)), utts)


def vtt_call(path: str, turns: int = 300) -> Transcript:
    """Real speech: the first `turns` cues of a Zoom VTT export (`Name: text` cues), roles
    alternating by speaker so both sides have text."""
    cues = re.findall(r"(\d\d):(\d\d):(\d\d)\.\d+ --> (\d\d):(\d\d):(\d\d)\.\d+\s*\n(.+?): (.+)",
                      open(path, encoding="utf-8").read())
    utts, roles = [], {}
    for i, (h, m, s, h2, m2, s2, name, text) in enumerate(cues[:turns]):
        role = roles.setdefault(name, "rep" if len(roles) % 2 == 0 else "prospect")
        utts.append(Utterance(i, name, text, role, int(h) * 3600 + int(m) * 60 + int(s),
                              int(h2) * 3600 + int(m2) * 60 + int(s2)))
    return Transcript(CallMeta("vtt", "dana", datetime(2026, 11, 2)), utts)


def breakdown(call: Transcript, compiled) -> str:
    from callcoach.matching import Document, normalize_many
    from callcoach.scoring.metrics import talk_metrics
    reps, parts = 50, {}
    t0 = time.perf_counter()
    for _ in range(reps):
        doc = Document(normalize_many([u.text for u in call.utterances]),
                       [u.role for u in call.utterances])
    parts["normalise"] = time.perf_counter() - t0
    for method, matcher in compiled.matchers.items():
        t0 = time.perf_counter()
        for _ in range(reps):
            matcher.scan(doc)
        parts[f"scan {method}"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(reps):
        talk_metrics(call)
    parts["metrics"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(reps):
        score_transcript(call, compiled)
    total = time.perf_counter() - t0
    parts["checks etc."] = total - sum(parts.values())
    return ", ".join(f"{k} {v / reps * 1000:.2f}" for k, v in parts.items()) + " (ms)"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--vtt", help="also time a call made of a real Zoom VTT export's cues")
    args = ap.parse_args()
    t0 = time.perf_counter()
    compiled = compile_rubric(Rubric.model_validate(RUBRIC))
    compile_ms = (time.perf_counter() - t0) * 1000
    calls = [synthetic_call(i) for i in range(args.calls)]
    words = sum(len(u.text.split()) for u in calls[0].utterances)
    score_transcript(calls[0], compiled)  # warm up
    t0 = time.perf_counter()
    for c in calls:
        score_transcript(c, compiled)
    per_call = (time.perf_counter() - t0) / len(calls) * 1000
    print(f"compile {compile_ms:.1f} ms; {len(calls)} calls of {len(calls[0].utterances)} turns / "
          f"{words} words: {per_call:.2f} ms per call ({1000 / per_call:.0f} calls/s per process)")
    print("  synthetic: " + breakdown(calls[0], compiled))
    if args.vtt:
        real = vtt_call(args.vtt)
        n_words = sum(len(u.text.split()) for u in real.utterances)
        print(f"  real VTT ({len(real.utterances)} turns / {n_words} words): "
              + breakdown(real, compiled))


if __name__ == "__main__":
    main()
