"""callcoach explain: re-score one criterion of a stored call, with context and near misses."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from callcoach.cli.app import app
from callcoach.errors import NotFoundError
from callcoach.scoring.compile import compile_rubric
from callcoach.scoring.engine import score_transcript
from callcoach.scoring.explain import explain
from callcoach.store import Store
from scoring_helpers import make_rows, make_rubric, make_transcript

RUBRIC = make_rubric([
    {"id": "disclosure", "critical": True,
     "check": {"type": "phrase", "method": "verbatim", "within": {"first": "120s"},
               "phrases": ["this call is being recorded"]}},
    {"id": "discovery", "name": "Discovery questions", "weight": 3,
     "standard": "Ask the discovery questions before pricing.",
     "check": {"type": "sequence",
               "steps": [{"id": "process", "phrases": ["walk me through how you handle this today"]},
                         {"id": "impact", "phrases": ["what does this problem cost your business"]}],
               "before": {"name": "pricing", "method": "verbatim",
                          "phrases": ["our pricing starts at"]}}},
], version="3")

CALL = make_transcript(make_rows([
    ("rep", 0, "Hi Sam, thanks for joining."),
    ("prospect", 5, "Sure."),
    ("rep", 130, "Just so you know this call is being recorded."),
    ("rep", 140, "Walk me through how you handle this today?"),
    ("prospect", 150, "Spreadsheets, mostly."),
    ("rep", 160, "Is that problem costly for your team?"),
    ("rep", 462, "Our pricing starts at 500 a month."),
]), call_id="acme-42")


def _stored(path, rubric, call):
    """`path` as a store holding `rubric` and `call` scored with it."""
    with Store(path) as store:
        store.save_rubric(rubric.rubric, rubric.content_hash, rubric.version, rubric.name,
                          rubric.model_dump(mode="json", by_alias=True))
        store.save_call(score_transcript(call, compile_rubric(rubric)), call.utterances)
    return path


@pytest.fixture
def db(new_db, tmp_path):
    return _stored(new_db("callcoach"), RUBRIC, CALL)


def test_explain_rescores_with_moments_in_context_and_near_misses(db):
    with Store(db) as store:
        e = explain(store, "acme-42", "discovery")
    assert (e.result.score, e.result.passed) == (0.5, False)
    assert e.result.reason == ("1 of 2 steps before pricing at 07:42 (missing: impact); "
                               "moved to pricing once with steps outstanding")
    assert e.stored.reason == e.result.reason
    assert [(x.moment.kind, x.moment.step, x.first, len(x.context)) for x in e.moments] == [
        ("match", "process", 1, 5), ("violation", "impact", 4, 3)]
    [near] = e.near_misses
    assert (near.moment.utterance, near.moment.step, near.moment.threshold) == (5, "impact", 65.0)
    assert near.moment.similarity < 65
    assert near.said == "is that problem costly for your team"
    assert e.settings["thresholds"] == {"step/process": 65.0, "step/impact": 65.0,
                                        "before": 100.0}


def test_match_outside_the_window_is_a_near_miss(db):
    with Store(db) as store:
        e = explain(store, "acme-42", "disclosure")
    assert e.result.score == 0.0
    assert [(x.moment.utterance, x.moment.note) for x in e.near_misses] == [
        (2, "matched (100) but outside the window (first 120s)")]


@pytest.mark.parametrize("call_id, criterion, message", [
    ("acme-4", "discovery", "no call 'acme-4' in .* \\(did you mean 'acme-42'\\?\\)"),
    ("acme-42", "discovry",
     "no criterion 'discovry' in rubric 'test' \\(did you mean 'discovery' or 'disclosure'"),
], ids=["unknown-call", "unknown-criterion"])
def test_unknown_names_suggest_the_closest(db, call_id, criterion, message):
    with Store(db) as store, pytest.raises(NotFoundError, match=message):
        explain(store, call_id, criterion)


def test_criterion_by_name_as_in_the_other_commands(db):
    with Store(db) as store:
        assert explain(store, "acme-42", "DISCLOSURE").criterion.id == "disclosure"


def test_cli_text(db):
    result = CliRunner().invoke(app, ["explain", "acme-42", "-c", "disclosure", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.output == """\
call acme-42 · dana · 2026-11-02 15:00 UTC · rubric test v3
criterion disclosure: Disclosure (weight 1, critical)
score: 0.0% (fail; pass mark 70%)
reason: never said 'this call is being recorded' by the rep in the first 120s

moments (0):
  none

near misses (1):
  near_miss: matched (100) but outside the window (first 120s) at 02:10: \
'this call is being recorded' (phrase 'this call is being recorded')
         00:00  Dana (rep): Hi Sam, thanks for joining.
         00:05  Sam (prospect): Sure.
    >    02:10  Dana (rep): Just so you know this call is being recorded.
         02:20  Dana (rep): Walk me through how you handle this today?
         02:30  Sam (prospect): Spreadsheets, mostly.

settings:
  check:
    method: verbatim
    speaker: rep
    within:
      first: 120s
    type: phrase
    phrases:
    - this call is being recorded
    min_count: 1
  thresholds:
    phrases: 100.0
"""


def test_cli_json(db):
    result = CliRunner().invoke(app, ["explain", "acme-42", "--criterion", "discovery",
                                      "--format", "json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert (d["call_id"], d["criterion"]["id"], d["score"], d["pass_mark"]) == (
        "acme-42", "discovery", 0.5, 0.7)
    assert [m["kind"] for m in d["moments"]] == ["match", "violation"]
    assert [u["index"] for u in d["moments"][1]["context"]] == [4, 5, 6]
    assert d["near_misses"][0]["threshold"] == 65.0


def test_cli_pass_mark_changes_the_verdict(db):
    result = CliRunner().invoke(app, ["explain", "acme-42", "-c", "discovery", "--pass-mark",
                                      "0.5", "--db", str(db)])
    assert "score: 50.0% (pass; pass mark 50%)" in result.output


@pytest.mark.parametrize("args, code, message", [
    (["explain", "nope", "-c", "discovery"], 1, "error: no call 'nope' in"),
    (["explain", "acme-42", "-c", "discovery", "--format", "xml"], 2,
     "'xml' is not one of 'text', 'json'"),
], ids=["unknown-call", "bad-format"])
def test_cli_errors(db, args, code, message):
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == code
    assert message in result.output


def test_cli_missing_store(tmp_path):
    result = CliRunner().invoke(app, ["explain", "x", "-c", "y", "--db",
                                      str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "no store at" in result.output


FORMS_RUBRIC = make_rubric([
    {"id": "objection", "check": {
        "type": "response", "method": "verbatim", "within_turns": 4,
        "trigger": {"name": "objection", "phrases": ["signed a deal"]},
        "steps": [{"id": "ack", "phrases": ["i hear you"], "opening": {"lead": ["okay"]}},
                  {"id": "explore", "phrases": ["compared to what"], "open_question": True},
                  {"id": "respond", "any_turn": True}]}},
], version="1")

FORMS_CALL = make_transcript(make_rows([
    ("prospect", 20, "We signed a deal with TempWorks in June."),
    ("rep", 30, "Okay, that's real. So what made you go with them?"),
    ("prospect", 40, "It was bundled."),
    ("rep", 50, "Then keep it for payroll."),
]), call_id="acme-43")


def test_cli_text_shows_what_a_form_or_any_turn_did(new_db):
    """Steps done by their form show the sentence that did them, and an any_turn step the
    turn: no phrase is behind either, and none is printed."""
    path = _stored(new_db("forms"), FORMS_RUBRIC, FORMS_CALL)
    result = CliRunner().invoke(app, ["explain", "acme-43", "-c", "objection", "--db", str(path)])
    assert result.exit_code == 0, result.output
    heads = [line for line in result.output.splitlines() if line.startswith("  match")]
    assert heads == [
        "  match · step ack at 00:30: 'okay that is real' (by its form or a cue, no phrase)",
        "  match · step explore at 00:30: 'so what made you go with them' (by its form or a cue, no phrase)",
        "  match · step respond at 00:50: the turn (no phrase)"]
    assert "None" not in result.output


def test_explain_rescores_what_score_stored_with_the_shipped_rubric(tmp_path):
    """An intent word's weight depends on the whole rubric, so explain re-scores with the
    whole rubric compiled: its result is the stored one for every criterion of every call."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    calls = sorted((root / "eval" / "five-step-discovery" / "dev2" / "calls").glob("ev-f-01*"))
    path = str(tmp_path / "coach.db")
    result = CliRunner().invoke(app, ["score", *map(str, calls), "-r",
                                      str(root / "rubrics" / "five-step-discovery.yaml"),
                                      "--db", path, "-q"])
    assert result.exit_code == 0, result.output
    with Store(path) as store:
        checked = 0
        for call_id in [f"EV-F-01{i}" for i in range(10)]:
            for r in store.call(call_id, "five-step-discovery").results:
                e = explain(store, call_id, r.id)
                assert (e.result.score, e.result.reason) == (r.score, r.reason), (call_id, r.id)
                checked += 1
    assert checked == 60


def test_a_step_said_where_nothing_is_asked_is_a_near_miss_that_says_so(new_db):
    rubric = make_rubric([{"id": "discovery", "check": {
        "type": "sequence", "asked": True,
        "steps": [{"id": "process", "phrases": ["how do you do this today"]},
                  {"id": "impact", "phrases": ["what does that do to your numbers"]}]}}])
    call = make_transcript(make_rows([
        ("rep", 10, "How do you do this today?"),
        ("prospect", 20, "Spreadsheets."),
        ("rep", 30, "Right, so it does that to your numbers every month."),
    ]), call_id="acme-7")
    with Store(_stored(new_db("asked"), rubric, call)) as store:
        e = explain(store, "acme-7", "discovery")
    assert e.result.reason == "1 of 2 steps (missing: impact)"
    assert [(x.moment.utterance, x.moment.step, x.moment.note) for x in e.near_misses] == [
        (2, "impact", "matched (80.6) where nothing is asked, so it does not count (asked: true)")]


def test_a_question_counted_for_another_step_is_a_near_miss_that_names_it(new_db):
    rubric = make_rubric([{"id": "discovery", "check": {
        "type": "sequence", "asked": True, "threshold": 58,
        "steps": [{"id": "decision", "phrases": ["who would decide on this"]},
                  {"id": "timing", "phrases": ["when would you want this running"]}]}}])
    call = make_transcript(make_rows([
        ("rep", 10, "Who would want to decide when this is running?")]), call_id="acme-8")
    with Store(_stored(new_db("asked2"), rubric, call)) as store:
        e = explain(store, "acme-8", "discovery")
    assert e.result.reason == "1 of 2 steps (missing: decision)"
    assert [(x.moment.step, x.moment.note) for x in e.near_misses] == [
        ("decision", "matched (80.7), but the question is more like step timing (88.4)")]


def test_an_unasked_response_step_is_a_near_miss_only_inside_an_objections_window(new_db):
    rubric = make_rubric([{"id": "objection", "check": {
        "type": "response", "method": "verbatim", "within_turns": 2,
        "trigger": {"name": "objection", "phrases": ["too expensive"]},
        "steps": [{"id": "explore", "phrases": ["compared to"], "asked": True}]}}])
    call = make_transcript(make_rows([
        ("rep", 10, "We're cheap compared to hiring."),
        ("prospect", 20, "Honestly it's too expensive."),
        ("rep", 30, "It's a lot compared to what you own."),
        ("prospect", 40, "Is it?"),
        ("rep", 50, "Fine."),
        ("rep", 60, "And compared to last year, the price is flat."),
    ]), call_id="acme-9")
    with Store(_stored(new_db("asked3"), rubric, call)) as store:
        e = explain(store, "acme-9", "objection")
    assert [(x.moment.utterance, x.moment.step) for x in e.near_misses] == [(2, "explore")]
