"""The engine around the checks: overall weighting, critical failure, call metadata and the
`score --format jsonl` shape."""
from __future__ import annotations

from datetime import datetime

import pytest

from callcoach.errors import RubricError
from callcoach.scoring.compile import compile_rubric
from callcoach.scoring.engine import score_transcript
from scoring_helpers import make_rows, make_rubric, make_transcript

DISCLOSURE = {"id": "disclosure", "weight": 1, "critical": True,
              "check": {"type": "phrase", "method": "verbatim", "within": {"first": "120s"},
                        "phrases": ["this call is being recorded"]}}
PRICING = {"id": "pricing_language", "weight": 2,
           "check": {"type": "forbidden", "phrases": ["guarantee"]}}
DISCOVERY = {"id": "discovery", "weight": 3,
             "check": {"type": "sequence", "method": "verbatim",
                       "steps": [{"id": "process", "phrases": ["walk me through"]},
                                 {"id": "impact", "phrases": ["what does it cost you"]}],
                       "before": {"name": "pricing", "phrases": ["our pricing starts at"]}}}
OBJECTION = {"id": "objection", "weight": 10,
             "check": {"type": "response", "method": "verbatim",
                       "trigger": {"name": "objection", "phrases": ["too expensive"]},
                       "steps": [{"id": "ack", "phrases": ["i hear you"]}]}}
RUBRIC = make_rubric([DISCLOSURE, PRICING, DISCOVERY, OBJECTION], version="3")

CALL = make_rows([
    ("rep", 5, "Hi Sam, this call is being recorded."),
    ("rep", 30, "Walk me through your week."),
    ("rep", 60, "Our pricing starts at 500, I guarantee value."),
])


def score(rows, rubric=RUBRIC, **kw):
    return score_transcript(make_transcript(rows, **kw), compile_rubric(rubric))


def test_overall_is_the_weighted_mean_of_applicable_criteria():
    s = score(CALL)
    assert [(r.id, r.score) for r in s.results] == [
        ("disclosure", 1.0), ("pricing_language", 0.0), ("discovery", 0.5), ("objection", None)]
    # objection (weight 10) is not applicable and left out: (1*1 + 2*0 + 3*0.5) / 6
    assert s.overall == 41.7
    assert s.critical_failed is False


def test_not_applicable_criterion_weighs_in_once_it_applies():
    s = score(CALL + make_rows([("prospect", 70, "Too expensive."), ("rep", 80, "I hear you.")]))
    assert s.result("objection").score == 1.0
    assert s.overall == round((1 + 0 + 1.5 + 10) / 16 * 100, 1)


def test_failed_critical_criterion_flags_the_call_but_keeps_overall():
    s = score(make_rows([("rep", 130, "By the way, this call is being recorded."),
                         ("rep", 140, "Walk me through it. What does it cost you?")]))
    assert s.result("disclosure").passed is False
    assert s.critical_failed is True
    assert s.overall == round((0 + 2 * 1 + 3 * 1) / 6 * 100, 1)


def test_no_applicable_criterion_means_no_overall():
    s = score(make_rows([("rep", 0, "Hello.")]), make_rubric(OBJECTION))
    assert (s.overall, s.critical_failed) == (None, False)
    assert s.results[0].passed is None


def test_call_score_copies_meta_source_and_hashes():
    t = make_transcript(CALL, call_id="acme-42", rep="dana", started_at=datetime(2026, 11, 3, 9),
                        call_type="demo", source="calls/acme-42.vtt", content_hash="abc123")
    s = score_transcript(t, compile_rubric(RUBRIC))
    assert s.meta is t.meta
    assert (s.source, s.content_hash) == ("calls/acme-42.vtt", "abc123")
    assert (s.rubric_id, s.rubric_version, s.rubric_hash) == ("test", "3", RUBRIC.content_hash)


def test_jsonl_shape():
    d = score(CALL, call_id="acme-42").to_dict()
    assert list(d) == ["call_id", "rep", "started_at", "call_type", "rubric", "rubric_version",
                       "rubric_hash", "overall", "critical_failed", "criteria", "metrics",
                       "source"]
    assert (d["call_id"], d["started_at"], d["overall"]) == ("acme-42", "2026-11-02T15:00:00", 41.7)
    objection = d["criteria"][3]
    assert objection == {"id": "objection", "score": None, "passed": None,
                         "reason": "no objection raised (not applicable)",
                         "counts": {"triggers": 0, "steps": 1}, "moments": []}
    assert d["criteria"][2]["moments"][1] == {
        "utterance": 2, "start": 60, "speaker": "Dana", "role": "rep",
        "text": "Our pricing starts at 500, I guarantee value.", "kind": "violation",
        "matched": "our pricing starts at", "step": "impact", "similarity": 100.0, "span": [0, 21]}


def test_compiled_rubric_builds_one_matcher_per_method():
    compiled = compile_rubric(make_rubric([DISCLOSURE, {
        "id": "next_step", "check": {"type": "phrase", "phrases": ["book a follow up meeting"]}}]))
    assert sorted(compiled.matchers) == ["intent", "verbatim"]
    assert compiled.groups["disclosure/phrases"].roles == frozenset({"rep"})
    assert (compiled.rubric_id, compiled.pass_mark) == ("test", 0.7)


def test_speaker_any_scans_every_role():
    compiled = compile_rubric(make_rubric({"check": {"type": "forbidden", "speaker": "any",
                                                     "phrases": ["guarantee"]}}))
    assert compiled.groups["c/phrases"].roles is None


def test_unknown_method_is_a_rubric_error(monkeypatch):
    from callcoach.scoring.checks import phrase
    from callcoach.scoring.checks.base import Part
    monkeypatch.setattr(phrase, "parts", lambda check: [Part("phrases", ("x",), "semantic", None,
                                                             "rep")])
    with pytest.raises(RubricError, match="unknown method 'semantic'"):
        compile_rubric(make_rubric({"check": {"type": "phrase", "phrases": ["x"]}}))


def test_scoring_is_deterministic():
    a, b = score(CALL).to_dict(), score(CALL).to_dict()
    assert a == b
