"""callcoach agenda: the five-part session built from select's evidence.

Stores are built by hand (coaching_helpers) for the choices the agenda makes; the excerpt
tests score small hand-written transcripts with the real engine, so the agenda reads the
moments exactly as the scorer writes them.
"""
from __future__ import annotations

import copy
import json
import re
from datetime import date, datetime

import pytest
from typer.testing import CliRunner

from callcoach.analytics.agenda import build_agenda, next_working_day
from callcoach.cli.app import app
from callcoach.render.agenda import render
from callcoach.rubric.model import Rubric
from callcoach.scoring.compile import compile_rubric
from callcoach.scoring.engine import score_transcript
from coaching_helpers import RUBRIC, at, make_store, utterances
from scoring_helpers import make_transcript

AS_OF = datetime(2026, 11, 27, 23, 59, 59)        # a Friday
PASSING = {"next_step": 1.0, "pricing_language": 1.0}


def dana_fails(*extra):
    """Dana fails discovery on three calls in the window: the criterion select picks."""
    return [("d1", "Dana", at(20), "discovery", {"discovery": 0.0, **PASSING}, {"account": "Acme"}),
            ("d2", "Dana", at(22), "discovery", {"discovery": 0.33, **PASSING}, {"account": "Beta"}),
            ("d3", "Dana", at(24), "discovery", {"discovery": 0.33, **PASSING}, {"account": "Cato"}),
            *extra]


def agenda_for(new_db, calls, name="coach.db", **kw):
    store = make_store(new_db, calls=calls, name=name)
    return build_agenda(store, "Dana", as_of=AS_OF, **kw)


# -- part 4: the model moment ---------------------------------------------------------------
MODEL_CASES = [
    pytest.param([("l1", "Lee", at(21), "discovery", {"discovery": 1.0}),
                  ("l2", "Lee", at(23), "demo", {"discovery": 1.0}),
                  ("d4", "Dana", at(25), "discovery", {"discovery": 1.0, **PASSING})],
                 "l1", "other_rep", id="other-rep-same-type-beats-own-and-other-type"),
    pytest.param([("l1", "Lee", at(21), "discovery", {"discovery": 0.8}),
                  ("k1", "Kim", at(19), "discovery", {"discovery": 1.0})],
                 "k1", "other_rep", id="highest-score-among-other-reps"),
    pytest.param([("l1", "Lee", at(21), "discovery", {"discovery": 1.0}),
                  ("k1", "Kim", at(23), "discovery", {"discovery": 1.0})],
                 "k1", "other_rep", id="tie-goes-to-the-more-recent-call"),
    pytest.param([("l1", "Lee", at(2), "discovery", {"discovery": 1.0}),
                  ("k1", "Kim", at(21), "discovery", {"discovery": 0.8})],
                 "k1", "other_rep", id="inside-the-window-beats-a-higher-older-score"),
    pytest.param([("l1", "Lee", at(2), "discovery", {"discovery": 1.0}),
                  ("d4", "Dana", at(25), "discovery", {"discovery": 1.0, **PASSING})],
                 "l1", "other_rep", id="whole-store-when-none-in-window-before-own-call"),
    pytest.param([("l2", "Lee", at(23), "demo", {"discovery": 1.0}),
                  ("d4", "Dana", at(25), "discovery", {"discovery": 0.9, **PASSING}),
                  ("d5", "Dana", at(26), "demo", {"discovery": 1.0, **PASSING})],
                 "d4", "own_call", id="own-call-same-type-when-no-other-rep-same-type"),
    pytest.param([("l2", "Lee", at(23), "demo", {"discovery": 1.0}),
                  ("d5", "Dana", at(26), "demo", {"discovery": 1.0, **PASSING})],
                 "d5", "own_call", id="own-call-other-type-before-other-rep-other-type"),
    pytest.param([("l2", "Lee", at(23), "demo", {"discovery": 1.0})],
                 "l2", "other_rep_other_type", id="other-rep-other-type-as-last-real-call"),
    pytest.param([("l1", "Lee", at(21), "discovery", {"discovery": 0.6})],
                 None, "pass_anchor", id="below-pass-mark-is-no-model-so-pass-anchor"),
    pytest.param([("l1", "Lee", at(28), "discovery", {"discovery": 1.0})],
                 None, "pass_anchor", id="never-a-call-after-as-of"),
    pytest.param([], None, "pass_anchor", id="nothing-passed-so-pass-anchor"),
]


@pytest.mark.parametrize("extra, call_id, source", MODEL_CASES)
def test_model_moment_choice(new_db, tmp_path, extra, call_id, source):
    agenda = agenda_for(new_db, dana_fails(*extra))
    model = agenda.model
    assert model.source == source
    assert (model.excerpt.call_id if model.excerpt else None) == call_id
    assert model.pass_anchor == "All three asked before pricing."


def test_model_says_whose_call_it_is(new_db, tmp_path):
    agenda = agenda_for(new_db, dana_fails(
        ("l1", "Lee", at(21), "discovery", {"discovery": 1.0}, {"account": "Zeta"})))
    assert agenda.model.summary == (
        "Lee's discovery call l1 on 2026-11-21 with Zeta scored 100% on this criterion: the "
        "best-scoring discovery call by another rep in the last 14 days.")
    assert agenda.model.excerpt.rep == "Lee"
    assert [ln.utterance for ln in agenda.model.excerpt.lines] == [2, 3]


def test_model_without_anything_passing_and_no_anchor(new_db, tmp_path):
    rubric = copy.deepcopy(RUBRIC)
    del rubric["criteria"][0]["anchors"]
    store = make_store(new_db, rubric, calls=dana_fails())
    model = build_agenda(store, "Dana", as_of=AS_OF).model
    assert (model.source, model.excerpt, model.pass_anchor) == ("none", None, None)


# -- the five parts -----------------------------------------------------------------------
def test_five_parts_titles_minutes_and_pieces(new_db, tmp_path):
    agenda = agenda_for(new_db, dana_fails())
    assert [(p.key, p.title, p.minutes, p.shows) for p in agenda.parts] == [
        ("anchor", "Anchor the criterion", (2, 2), ("anchor",)),
        ("moment", "Play the moment", (5, 10), ("excerpts",)),
        ("diagnose", "Diagnose together", (10, 10), ("questions",)),
        ("model", "Model the alternative", (5, 10), ("model",)),
        ("practice", "Assign practice", (2, 2), ("practice",)),
    ]
    assert agenda.minutes == (24, 34)
    assert agenda.anchor.statement == (
        "Your discovery questions score has been 22% over the last 14 days (3 calls). The "
        "framework requires: Ask all three discovery questions before pricing.")
    # select's ranking: lowest criterion score first; review 3 (failure rate above 30%).
    assert [e.call_id for e in agenda.excerpts] == ["d1", "d2", "d3"]
    assert 3 <= len(agenda.questions) <= 5


def test_grow_frame_titles_and_same_evidence(new_db, tmp_path):
    five = agenda_for(new_db, dana_fails())
    grow = build_agenda(make_store(new_db, calls=dana_fails(), name="g.db"), "Dana",
                        as_of=AS_OF, frame="grow")
    assert [(p.title, p.minutes) for p in grow.parts] == [
        ("Goal", (2, 2)), ("Reality", (7, 12)), ("Options", (15, 20)), ("Way forward", (2, 2))]
    assert (grow.excerpts, grow.questions, grow.practice) == (
        five.excerpts, five.questions, five.practice)
    md = render(grow, "markdown")
    assert [line for line in md.splitlines() if line.startswith("## ")] == [
        "## Goal · 2 min", "## Reality · 7–12 min", "## Options · 15–20 min",
        "## Way forward · 2 min"]
    assert "Your discovery questions score has been 22%" in md.split("## Options")[0]


def test_unknown_frame_is_a_usage_error(new_db, tmp_path):
    from callcoach.errors import UsageError
    with pytest.raises(UsageError):
        agenda_for(new_db, dana_fails(), frame="spin")


# -- part 5: practice and its due date ------------------------------------------------------
@pytest.mark.parametrize("as_of, due", [
    (datetime(2026, 11, 26, 18), date(2026, 11, 27)),   # Thursday -> Friday
    (datetime(2026, 11, 27, 18), date(2026, 11, 30)),   # Friday -> Monday
    (datetime(2026, 11, 28, 18), date(2026, 11, 30)),   # Saturday -> Monday
    (datetime(2026, 11, 29, 18), date(2026, 11, 30)),   # Sunday -> Monday
], ids=["thu", "fri", "sat", "sun"])
def test_practice_due_next_working_day(as_of, due):
    assert next_working_day(as_of) == due


def test_practice_scenario_from_the_flagged_call(new_db, tmp_path):
    agenda = agenda_for(new_db, dana_fails())
    p = agenda.practice
    assert (p.call_id, p.call_type, p.account, p.due) == ("d1", "discovery", "Acme",
                                                          date(2026, 11, 30))
    # The prospect's actual lines before the moment (turn 4, pricing).
    assert [ln.text for ln in p.prospect_lines] == [
        "Sure, happy to chat.", "We mostly use spreadsheets and a lot of email."]
    assert p.must_do == "Ask all three discovery questions before pricing."
    assert p.check == ("Your next 3 discovery calls will be scored on Discovery questions "
                       "(pass mark 70%).")
    explicit = agenda_for(new_db, dana_fails(), name="due.db", due=date(2026, 12, 2))
    assert explicit.practice.due == date(2026, 12, 2)


# -- the JSON contract --------------------------------------------------------------------
PART_KEYS = {
    "anchor": {"score", "calls", "failures", "failure_rate", "pass_mark", "pattern_confirmed",
               "standard", "pass_anchor", "fail_anchor", "check", "finding"},
    "moment": {"excerpts"},
    "diagnose": {"questions"},
    "model": {"model"},
    "practice": {"practice"},
}


def test_json_shape(new_db, tmp_path):
    store = make_store(new_db, calls=dana_fails(
        ("l1", "Lee", at(21), "discovery", {"discovery": 1.0})))
    store.close()
    result = CliRunner().invoke(app, ["agenda", "--rep", "Dana", "--as-of", "2026-11-27",
                                      "--db", str(new_db("coach")), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert list(doc) == ["rep", "rubric", "rubric_id", "rubric_note", "as_of", "timezone",
                         "status", "session", "message", "criterion", "window", "pass_mark",
                         "frame", "minutes", "parts"]
    assert doc["criterion"] == {"id": "discovery", "name": "Discovery questions",
                                "standard": "Ask all three discovery questions before pricing.",
                                "score": 0.2200}
    assert doc["as_of"] == "2026-11-27T23:59:59+00:00" and doc["timezone"] == "UTC"
    assert doc["window"] == {"days": 14, "start": "2026-11-13T23:59:59+00:00",
                             "end": "2026-11-27T23:59:59+00:00"}
    assert (doc["frame"], doc["minutes"], doc["session"]) == ("five-part", [24, 34], True)
    assert [p["title"] for p in doc["parts"]] == [
        "Anchor the criterion", "Play the moment", "Diagnose together", "Model the alternative",
        "Assign practice"]
    for part in doc["parts"]:
        assert set(part) == {"key", "title", "minutes", "summary"} | PART_KEYS[part["key"]]
        lo, hi = part["minutes"]
        assert isinstance(lo, int) and lo <= hi
    moment = doc["parts"][1]["excerpts"][0]
    assert set(moment) == {"call_id", "rep", "started_at", "call_type", "account", "score",
                           "at", "note", "reason", "lines"}
    assert set(moment["lines"][0]) == {"utterance", "start", "at", "speaker", "role", "text",
                                       "focus"}
    model = doc["parts"][3]["model"]
    assert (model["source"], model["call"]["call_id"], model["call"]["rep"]) == (
        "other_rep", "l1", "Lee")
    practice = doc["parts"][4]["practice"]
    assert set(practice) == {"call_id", "call_type", "account", "situation", "prospect_lines",
                             "objection", "must_do", "pass_anchor", "check", "due"}
    assert practice["due"] == "2026-11-30"


def test_json_grow_parts(new_db, tmp_path):
    doc = agenda_for(new_db, dana_fails(), frame="grow").to_dict()
    assert [(p["key"], p["minutes"]) for p in doc["parts"]] == [
        ("goal", [2, 2]), ("reality", [7, 12]), ("options", [15, 20]), ("way_forward", [2, 2])]
    assert {"goal", "standard", "pass_anchor"} <= set(doc["parts"][0])
    assert {"score", "excerpts"} <= set(doc["parts"][1])
    assert {"questions", "model"} <= set(doc["parts"][2])
    assert "practice" in doc["parts"][3]


# -- no session: say so plainly -------------------------------------------------------------
def test_too_few_calls(new_db, tmp_path):
    store = make_store(new_db, calls=dana_fails()[:2])
    store.close()
    db = str(new_db("coach"))
    result = CliRunner().invoke(app, ["agenda", "--rep", "Dana", "--as-of", "2026-11-27",
                                      "--db", db])
    assert result.exit_code == 0
    assert result.output == (
        "# Coaching session: Dana\n\n"
        "*As of 2026-11-27 · last 14 days (2026-11-14 to 2026-11-27, UTC)*\n\n"
        "Only 2 calls in the last 14 days — too few to pick a pattern; need 3, or a failed "
        "call within 48 h. No session agenda: wait for more calls, or widen the window with "
        "--days.\n")
    result = CliRunner().invoke(app, ["agenda", "--rep", "Dana", "--as-of", "2026-11-27",
                                      "--db", db, "--format", "json"])
    doc = json.loads(result.output)
    assert (doc["status"], doc["session"], doc["criterion"], doc["parts"]) == (
        "too_few_calls", False, None, [])


def test_a_fresh_first_occurrence_gets_a_session_on_that_call(new_db, tmp_path):
    # two calls in 14 days, both failing, one within 48 hours: the queue lists the rep as a
    # first occurrence and the agenda is the five-part session on the fresh call
    make_store(new_db, calls=[
        ("d1", "Dana", at(20), "discovery", {"discovery": 0.0, **PASSING}),
        ("d2", "Dana", at(27, 9), "discovery", {"discovery": 0.33, **PASSING})]).close()
    db = ["--db", str(new_db("coach")), "--as-of", "2026-11-27"]
    queue = json.loads(CliRunner().invoke(app, ["queue", "--format", "json", *db]).output)
    (entry,) = queue["to_coach"]
    assert (entry["rep"], entry["status"], entry["pattern_confirmed"], entry["fresh"],
            entry["calls"]) == ("Dana", "first_occurrence", False, True, ["d2"])
    table = CliRunner().invoke(app, ["queue", *db]).output
    assert "first occurrence" in table.splitlines()[3]
    result = CliRunner().invoke(app, ["agenda", "--rep", "Dana", *db, "--format", "json"])
    doc = json.loads(result.output)
    assert (doc["status"], doc["session"]) == ("first_occurrence", True)
    assert [p["title"] for p in doc["parts"]] == [
        "Anchor the criterion", "Play the moment", "Diagnose together", "Model the alternative",
        "Assign practice"]
    assert [e["call_id"] for e in doc["parts"][1]["excerpts"]] == ["d2"]
    assert "not yet a confirmed pattern" in doc["parts"][0]["finding"]


def test_no_failures(new_db, tmp_path):
    calls = [(f"d{i}", "Dana", at(20 + i), "discovery", {"discovery": 1.0, **PASSING})
             for i in range(3)]
    agenda = agenda_for(new_db, calls)
    assert (agenda.session, agenda.status, agenda.parts) == (False, "no_failures", [])
    assert agenda.message.endswith("No session agenda: nothing failed, so there is nothing "
                                   "to coach on.")


def test_unknown_rep_is_an_error(new_db, tmp_path):
    make_store(new_db, calls=dana_fails()).close()
    result = CliRunner().invoke(app, ["agenda", "--rep", "Dnaa", "--as-of", "2026-11-27",
                                      "--db", str(new_db("coach"))])
    assert result.exit_code == 1
    assert "did you mean 'Dana'?" in result.output


# -- renderers ----------------------------------------------------------------------------
def test_html_is_self_contained_and_escaped(new_db, tmp_path):
    turns = utterances("Dana")
    turns[3].text = "We use <script>alert(1)</script> and https://example.com [docs]"
    calls = dana_fails()
    calls[0] = calls[0][:5] + ({"account": "Acme", "utterances": turns},)
    page = render(agenda_for(new_db, calls), "html")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page)
    assert "<script" not in page and "<link" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    md = render(agenda_for(new_db, calls, name="md.db"), "markdown")
    assert r"We use \<script\>alert(1)\</script\> and https://example.com \[docs\]" in md


def test_output_is_deterministic(new_db, tmp_path):
    make_store(new_db, calls=dana_fails(
        ("l1", "Lee", at(21), "discovery", {"discovery": 1.0}))).close()
    db = str(new_db("coach"))
    outputs = []
    for fmt in ("markdown", "markdown", "html", "html", "json", "json"):
        out = tmp_path / f"agenda-{len(outputs)}.{fmt}"
        result = CliRunner().invoke(app, ["agenda", "--rep", "Dana", "--as-of", "2026-11-27",
                                          "--db", db, "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and outputs[2] == outputs[3] and outputs[4] == outputs[5]


def test_bad_options_are_usage_errors(new_db, tmp_path):
    make_store(new_db, calls=dana_fails()).close()
    db = str(new_db("coach"))
    for args, message in [(["--format", "pdf"], "'pdf' is not one of"),
                          (["--frame", "spin"], "'spin' is not one of"),
                          (["--due", "friday"], "--due 'friday' is not a date")]:
        result = CliRunner().invoke(app, ["agenda", "--rep", "Dana", "--db", db, *args])
        assert result.exit_code == 2, args
        assert message in result.output


# -- part 2 and 3 from real scores, one check type at a time -------------------------------
def _rubric(criterion: dict) -> dict:
    return {"rubric": "agenda-test", "pass_mark": 0.7, "criteria": [criterion]}


SEQUENCE = {
    "id": "discovery", "name": "Discovery questions",
    "standard": "Ask all three discovery questions before pricing.",
    "anchors": {"pass": "All three asked before pricing.",
                "fail": "Moves to pricing with questions outstanding."},
    "check": {"type": "sequence", "method": "verbatim", "steps": [
        {"id": "process", "phrases": ["walk me through how you handle this today"]},
        {"id": "impact", "phrases": ["what does this problem cost you"]},
        {"id": "decision", "phrases": ["who else is involved in the decision"]}],
        "before": {"name": "pricing", "phrases": ["our pricing starts at"]}}}
SEQUENCE_CALL = [
    ("Dana", "rep", 0, "Thanks for joining, Sam."),
    ("Sam", "prospect", 10, "Happy to. We have half an hour."),
    ("Dana", "rep", 20, "Could you walk me through how you handle this today?"),
    ("Sam", "prospect", 35, "Mostly spreadsheets, and it breaks every quarter end."),
    ("Dana", "rep", 50, "Got it. Our pricing starts at forty dollars a seat."),
    ("Sam", "prospect", 65, "Okay, but what would it cost us overall?"),
    ("Dana", "rep", 80, "What does this problem cost you today?"),
    ("Sam", "prospect", 95, "Two analysts, a week each quarter."),
    ("Dana", "rep", 110, "Then our pricing starts at the team plan."),
    ("Sam", "prospect", 125, "Send me something."),
]
LEE_CALL = [
    ("Lee", "rep", 0, "Could you walk me through how you handle this today?"),
    ("Ana", "prospect", 15, "We export to spreadsheets."),
    ("Lee", "rep", 30, "And what does this problem cost you?"),
    ("Ana", "prospect", 45, "A week of work every quarter."),
    ("Lee", "rep", 60, "Who else is involved in the decision?"),
    ("Ana", "prospect", 75, "My CFO."),
    ("Lee", "rep", 90, "Thanks. Our pricing starts at forty dollars a seat."),
]
RESPONSE = {
    "id": "objection_handling", "name": "Objection handling",
    "standard": "Acknowledge, then confirm the concern is addressed.",
    "anchors": {"pass": "Acknowledges and checks the concern is resolved."},
    "check": {"type": "response", "method": "verbatim", "within_turns": 4,
              "trigger": {"name": "objection", "phrases": ["too expensive"]},
              "steps": [{"id": "acknowledge", "phrases": ["i hear you"]},
                        {"id": "confirm", "name": "confirming",
                         "phrases": ["does that address your concern"]}]}}
RESPONSE_CALL = [
    ("Dana", "rep", 0, "Hi Sam, thanks for the time."),
    ("Sam", "prospect", 10, "Honestly this looks too expensive for us."),
    ("Dana", "rep", 20, "I hear you."),
    ("Sam", "prospect", 30, "We had our budget cut."),
    ("Dana", "rep", 40, "Most teams earn the cost back in a quarter."),
    ("Sam", "prospect", 50, "Maybe."),
    ("Dana", "rep", 60, "Let me send the deck."),
]
PHRASE = {
    "id": "next_step", "name": "Next step",
    "standard": "Secure a specific next step before the call ends.",
    "check": {"type": "phrase", "method": "verbatim", "within": {"last": "20%"},
              "phrases": ["can we book a follow up for"]}}
PHRASE_CALL = [
    ("Dana", "rep", 0, "Thanks for the time today."),
    ("Sam", "prospect", 10, "Sure."),
    ("Dana", "rep", 20, "So that is the product."),
    ("Sam", "prospect", 30, "Looks interesting."),
    ("Dana", "rep", 40, "Any questions?"),
    ("Sam", "prospect", 50, "Not right now, I will think about it."),
    ("Dana", "rep", 60, "Great, talk soon."),
]
FORBIDDEN = {
    "id": "pricing_language", "name": "Pricing language",
    "standard": "Never promise the lowest price.",
    "check": {"type": "forbidden", "phrases": ["lowest price"]}}
FORBIDDEN_CALL = [
    ("Dana", "rep", 0, "Thanks for the time today."),
    ("Sam", "prospect", 10, "We are comparing three vendors."),
    ("Dana", "rep", 20, "We are the lowest price on the market, full stop."),
    ("Sam", "prospect", 30, "Okay."),
]


def scored_store(new_db, criterion: dict, rows, *, others=()):
    """Dana's three calls (the same transcript) scored by the real engine; `others` are
    (call_id, rep, rows) scored the same way."""
    rubric = Rubric.model_validate(_rubric(criterion))
    store = make_store(new_db, _rubric(criterion))
    compiled = compile_rubric(rubric)
    calls = [(f"d{i}", "Dana", rows, at(20 + i)) for i in range(3)]
    calls += [(cid, rep, r, at(21, 14)) for cid, rep, r in others]
    for call_id, rep, r, when in calls:
        transcript = make_transcript(r, call_id=call_id, rep=rep, started_at=when)
        store.save_call(score_transcript(transcript, compiled), transcript.utterances)
    return store


def test_sequence_moment_names_the_outstanding_steps(new_db, tmp_path):
    store = scored_store(new_db, SEQUENCE, SEQUENCE_CALL, others=[("l1", "Lee", LEE_CALL)])
    agenda = build_agenda(store, "Dana", as_of=AS_OF)
    ex = agenda.excerpts[0]
    assert ex.note == (
        "2 of 3 steps outstanding when the rep moved to pricing at 00:50 (“Got it. Our pricing "
        "starts at forty dollars a seat.”): impact and decision. Moved to pricing with steps "
        "outstanding twice in this call (again at 01:50).")
    assert [(ln.utterance, ln.focus) for ln in ex.lines] == [
        (2, False), (3, False), (4, True), (5, False), (6, False)]
    assert agenda.questions[0] == ("What made you move to pricing at 00:50 before you had the "
                                   "impact and decision questions?")
    assert agenda.questions[1] == (
        "Just before that, Sam said “Mostly spreadsheets, and it breaks every quarter end.” "
        "What did you hear in it that told you they were ready?")
    assert agenda.questions[2] == ("You moved on with questions outstanding twice in this "
                                   "call. What was pulling you forward each time?")
    assert agenda.model.excerpt.note == ("Lee asked process, impact and decision before moving "
                                         "to pricing at 01:30.")
    assert [ln.utterance for ln in agenda.model.excerpt.lines] == [0, 1, 2, 3, 4, 5, 6]
    assert [ln.text for ln in agenda.practice.prospect_lines] == [
        "Happy to. We have half an hour.",
        "Mostly spreadsheets, and it breaks every quarter end."]


def test_response_moment_names_the_objection_and_skipped_steps(new_db, tmp_path):
    agenda = build_agenda(scored_store(new_db, RESPONSE, RESPONSE_CALL), "Dana", as_of=AS_OF)
    ex = agenda.excerpts[0]
    assert ex.note == ("Objection at 00:10 (“Honestly this looks too expensive for us.”): "
                       "1 of 2 steps skipped: confirming.")
    assert [ln.utterance for ln in ex.lines] == [0, 1, 2, 3, 4, 5]
    assert list(agenda.questions[:3]) == [
        "When Sam said “Honestly this looks too expensive for us.” at 00:10, what did you hear?",
        "What made you go on without confirming?",
        "What might confirming have told you about what was really behind the objection?"]
    assert agenda.practice.objection.text == "Honestly this looks too expensive for us."
    assert "They raise the same objection: “Honestly this looks too expensive for us.”" in \
        agenda.practice.situation
    assert agenda.model.source == "pass_anchor"


def test_phrase_moment_shows_the_last_turns(new_db, tmp_path):
    agenda = build_agenda(scored_store(new_db, PHRASE, PHRASE_CALL), "Dana", as_of=AS_OF)
    ex = agenda.excerpts[0]
    assert ex.note == "No next step secured before the call ended; these were its last turns."
    assert [(ln.utterance, ln.focus) for ln in ex.lines] == [
        (3, False), (4, False), (5, False), (6, True)]
    assert agenda.questions[0] == (
        "The call ended with Sam saying “Not right now, I will think about it.” What did you "
        "want to happen next, and what stopped you asking for it?")
    assert (agenda.model.source, agenda.model.pass_anchor) == ("none", None)


def test_forbidden_moment_quotes_the_phrase(new_db, tmp_path):
    agenda = build_agenda(scored_store(new_db, FORBIDDEN, FORBIDDEN_CALL), "Dana", as_of=AS_OF)
    ex = agenda.excerpts[0]
    assert ex.note == ("Said “lowest price” at 00:20: “We are the lowest price on the market, "
                       "full stop.”")
    assert [(ln.utterance, ln.focus) for ln in ex.lines] == [
        (0, False), (1, False), (2, True), (3, False)]
    assert agenda.questions[0] == ("At 00:20 you said “We are the lowest price on the market, "
                                   "full stop.” What were you trying to achieve with it?")
    assert 3 <= len(agenda.questions) <= 5


def test_markdown_marks_the_moment(new_db, tmp_path):
    agenda = build_agenda(scored_store(new_db, SEQUENCE, SEQUENCE_CALL), "Dana", as_of=AS_OF)
    md = render(agenda, "markdown")
    assert "> **00:50 Dana** (rep): **Got it. Our pricing starts at forty dollars a seat.** ◀" \
        in md
    assert "## 2. Play the moment · 5–10 min" in md
    assert "**Due:** before your next call shift, Mon 2026-11-30" in md


def _shape(value):
    """The keys of a JSON document, recursively (a list by the distinct shapes of its items)."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        shapes: list = []
        for item in value:
            if _shape(item) not in shapes:
                shapes.append(_shape(item))
        return shapes
    return None


def test_documented_json_example_matches_the_output(new_db, tmp_path):
    from pathlib import Path
    doc = (Path(__file__).parents[1] / "docs" / "agenda.md").read_text(encoding="utf-8")
    example = json.loads(doc.split("```json")[1].split("```")[0])
    store = scored_store(new_db, SEQUENCE, SEQUENCE_CALL, others=[("l1", "Lee", LEE_CALL)])
    real = build_agenda(store, "Dana", as_of=AS_OF).to_dict()
    assert _shape(example) == _shape(real)
    assert example["parts"][0] == real["parts"][0]


@pytest.mark.parametrize("text, expected", [
    ("priya Natarajan's demo call", "Priya Natarajan's demo call"),
    ("Leah Okafor's discovery call", "Leah Okafor's discovery call"),
    ("moved to Pricing", "Moved to Pricing"),
    ("BANT objection", "BANT objection"),
], ids=["rep-name", "already-upper", "step-name", "acronym"])
def test_sentence_start_keeps_names_capitalised(text, expected):
    from callcoach.prose import upper_first
    assert upper_first(text) == expected
