"""Check semantics, pinned case by case. Most cases are data: tests/fixtures/checks/*.yml
(one file per check type, plus within.yml); a new case is a new YAML entry."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from callcoach.scoring.compile import compile_rubric
from callcoach.scoring.engine import score_transcript
from scoring_helpers import check_rubric, make_rows, make_transcript

CASES = Path(__file__).parent / "fixtures" / "checks"


def _cases() -> list:
    return [pytest.param(case, id=f"{path.stem}:{case['id']}")
            for path in sorted(CASES.glob("*.yml")) for case in yaml.safe_load(path.read_text())]


def _moment_row(m) -> list:
    return [m.utterance, m.kind, m.step, m.matched, m.similarity]


@pytest.mark.parametrize("case", _cases())
def test_check_case(case):
    rubric = check_rubric(case["check"], **case.get("criterion", {}))
    transcript = make_transcript(make_rows(case["transcript"]), duration=case.get("duration"))
    result = score_transcript(transcript, compile_rubric(rubric)).results[0]
    expect = case["expect"]
    assert (result.score, result.passed) == (expect["score"], expect["passed"])
    assert result.reason == expect["reason"]
    assert result.counts == expect["counts"]
    assert [_moment_row(m) for m in result.moments] == expect["moments"]


def test_moment_carries_the_utterance_as_written():
    rubric = check_rubric({"type": "forbidden", "phrases": ["guarantee"]})
    transcript = make_transcript([("Dana Reyes", "rep", 12.5, "We GUARANTEE it!")])
    moment = score_transcript(transcript, compile_rubric(rubric)).results[0].moments[0]
    assert moment.to_dict() == {
        "utterance": 0, "start": 12.5, "speaker": "Dana Reyes", "role": "rep",
        "text": "We GUARANTEE it!", "kind": "violation", "matched": "guarantee", "step": None,
        "similarity": 100.0, "span": [3, 12]}


def test_time_window_without_timestamps_is_placed_by_words_spoken():
    # 150 words a minute: the first 60 s are the first 150 words.
    rubric = check_rubric({"type": "phrase", "method": "verbatim", "within": {"first": "60s"},
                           "phrases": ["being recorded"]})
    filler = " ".join(["word"] * 149)
    early = make_transcript(make_rows([("rep", None, filler), ("rep", None, "It's being recorded.")]))
    late = make_transcript(make_rows([("rep", None, filler + " word"),
                                      ("rep", None, "It's being recorded.")]))
    compiled = compile_rubric(rubric)
    assert score_transcript(early, compiled).results[0].score == 1.0
    assert score_transcript(late, compiled).results[0].score == 0.0


def test_within_on_a_sequence_filters_steps_and_cut_off():
    rubric = check_rubric({"type": "sequence", "method": "verbatim", "within": {"first": "2 turns"},
                           "steps": [{"id": "a", "phrases": ["walk me through"]},
                                     {"id": "b", "phrases": ["who decides"]}],
                           "before": {"phrases": ["pricing"]}})
    transcript = make_transcript(make_rows([
        ("rep", 0, "Walk me through it."), ("rep", 5, "Who decides?"), ("rep", 9, "Pricing.")]))
    result = score_transcript(transcript, compile_rubric(rubric)).results[0]
    assert (result.score, result.reason) == (1.0, "2 of 2 steps; cut-off never reached")


def test_before_with_its_own_method_and_threshold():
    rubric = check_rubric({"type": "sequence", "method": "verbatim",
                           "steps": [{"id": "a", "phrases": ["walk me through"]},
                                     {"id": "b", "phrases": ["who decides"]}],
                           "before": {"name": "pricing", "method": "intent", "threshold": 70,
                                      "phrases": ["let me show you our pricing plans"]}})
    compiled = compile_rubric(rubric)
    assert compiled.methods == {"c/step/a": "verbatim", "c/step/b": "verbatim",
                                "c/before": "intent"}
    assert compiled.threshold("c/before") == 70.0
    transcript = make_transcript(make_rows([
        ("rep", 0, "Walk me through it."), ("rep", 90, "Now, let me show you the pricing plans.")]))
    result = score_transcript(transcript, compiled).results[0]
    assert result.reason == ("1 of 2 steps before pricing at 01:30 (missing: b); "
                             "moved to pricing once with steps outstanding")
    assert [(m.kind, m.step) for m in result.moments] == [("match", "a"), ("violation", "b")]


def test_pass_mark_override():
    rubric = check_rubric({"type": "phrase", "method": "verbatim", "min_count": 4,
                           "phrases": ["why"]})
    transcript = make_transcript(make_rows([("rep", 0, "Why? Why? Why?")]))
    assert score_transcript(transcript, compile_rubric(rubric)).results[0].passed is True
    strict = compile_rubric(rubric, pass_mark=0.8)
    assert score_transcript(transcript, strict).results[0].passed is False


def test_a_backchannel_is_not_the_answer_to_an_objection():
    """"Oh, okay, sure." keeps the floor: the answer is the turn after the exploring one."""
    from callcoach.rubric.loader import load_rubric
    rubric = load_rubric(Path(__file__).resolve().parent.parent / "rubrics" /
                         "five-step-discovery.yaml")
    transcript = make_transcript(make_rows([
        ("prospect", 10, "Honestly, it's more than we were hoping to spend."),
        ("rep", 14, "Oh, okay, sure."),
        ("prospect", 16, "Yeah."),
        ("rep", 18, "That's a fair concern. What are you comparing it to?"),
        ("prospect", 24, "The old system was cheaper."),
        ("rep", 28, "Got it. The setup fee is waived for teams your size, so year one "
                    "lands close to what you paid before."),
    ]))
    result = next(r for r in score_transcript(transcript, compile_rubric(rubric)).results
                  if r.id == "objection_handling")
    assert result.score == 1.0, result.reason
