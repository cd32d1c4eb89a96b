"""`question` checks end to end against a real HTTP server on 127.0.0.1 speaking the
chat-completions protocol (tests/llm_server.py) with scripted answers: a right quote, a
hallucinated quote, invalid JSON, a 500, a timeout, a server that is down.
Calls: tests/fixtures/score/calls (four short calls; a and d say "this call is recorded").
"""
from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from store_helpers import untouched
from callcoach.cli.app import app
from callcoach.judge import Backend, JudgeError, Settings, answer_schema
from callcoach.scoring.compile import compile_rubric
from callcoach.scoring.engine import finish, pending, score_transcript
from callcoach.store import Store
from llm_server import ChatServer, Reply, answer, lines, reader
from scoring_helpers import check_rubric, make_rows, make_transcript

FIXTURES = Path(__file__).parent / "fixtures" / "score"
ASK = "Did the rep say that the call is recorded?"
RUBRIC = f"""\
rubric: judged
version: 1
criteria:
  - id: recording_phrase
    check: {{type: phrase, method: verbatim, within: {{first: 60s}},
            phrases: [this call is recorded, this call is being recorded]}}
  - id: recording_stated
    name: Recording stated
    standard: Tell the prospect the call is recorded, in the first minute.
    anchors: {{pass: "Just so you know, this call is recorded.", fail: "No notice at all."}}
    check: {{type: question, ask: "{ASK}", speaker: rep, within: {{first: 60s}}}}
"""


@pytest.fixture
def calls(tmp_path) -> Path:
    return Path(shutil.copytree(FIXTURES / "calls", tmp_path / "calls"))


@pytest.fixture
def rubric(tmp_path) -> Path:
    path = tmp_path / "judged.yaml"
    path.write_text(RUBRIC)
    return path


def env(url: str, **more: str) -> dict[str, str]:
    return {"CALLCOACH_LLM_BASE_URL": url, "CALLCOACH_LLM_MODEL": "test-model",
            "CALLCOACH_LLM_TIMEOUT": "2", "CALLCOACH_LLM_RETRIES": "1", **more}


def score(calls: Path, rubric: Path, db: Path, url: str, *args: str, jobs: int = 1, **more: str):
    return CliRunner().invoke(app, ["score", str(calls), "--rubric", str(rubric), "--db",
                                    str(db), "--jobs", str(jobs), *args], env=env(url, **more))


def results(db: Path, criterion: str = "recording_stated") -> dict[str, tuple]:
    with Store(db) as store:
        return {c: (s, r) for c, s, r in store.query(
            "SELECT call_id, score, reason FROM results WHERE criterion_id = ? ORDER BY call_id",
            (criterion,))}


def closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/v1"


# -- one call, through the library --------------------------------------------------------
CALL = make_transcript(make_rows([
    ("rep", 2.0, "Hi Sam, thanks for joining. Just so you know, this call is recorded."),
    ("prospect", 9.0, "Sure, no problem."),
    ("rep", 15.0, "How do you handle onboarding today?"),
]))
QUESTION = check_rubric({"type": "question", "ask": ASK, "within": {"first": "60s"}},
                        standard="Tell the prospect the call is recorded.")


def ask_server(script, settings: dict | None = None):
    """The call's question result with the server's answer, and the requests it got."""
    score = score_transcript(CALL, compile_rubric(QUESTION))
    (waiting,) = pending(score)
    with ChatServer(script) as server:
        s = Settings(**{"model": "test-model", "base_url": server.url, "timeout": 1,
                        "backoff": 0.01, **(settings or {})})
        with Backend(s) as backend:
            try:
                got = {a.key: backend.ask(list(a.messages), a.schema, a.verdicts).answer
                       for a in waiting.asks}
            except JudgeError as e:
                got = {a.key: e for a in waiting.asks}
        return finish(score, QUESTION.criteria, got).results[0], server.requests


def test_a_right_quote_is_verified_and_becomes_the_moment():
    result, requests = ask_server(reader("recorded"))
    assert (result.score, result.passed) == (1.0, True)
    assert result.reason == ("the model answered pass: the rep says recorded (quote at 00:02 "
                             "verified)")
    (m,) = result.moments
    assert (m.utterance, m.kind, m.speaker, m.similarity) == (0, "match", "Dana", 100.0)
    body = requests[0]
    assert (body["temperature"], body["seed"], body["model"]) == (0, 0, "test-model")
    assert body["response_format"]["json_schema"]["schema"] == answer_schema(("pass", "fail"))
    # only the window (first 60 s) and the turns around it are sent, with the criterion
    assert [ln["time"] for ln in lines(body)] == ["00:02", "00:09", "00:15"]
    assert ASK in body["messages"][1]["content"]
    assert "Tell the prospect the call is recorded" in body["messages"][1]["content"]


def test_a_hallucinated_quote_makes_the_result_unverified_not_a_pass():
    made_up = answer("pass", [{"time": "00:02", "speaker": "Dana",
                               "quote": "we guarantee the lowest price on the market"}])
    result, _ = ask_server(lambda body: Reply(content=made_up))
    assert (result.score, result.passed) == (None, None)
    assert result.counts["unverified"] == 1
    assert result.reason.startswith("unverified: the model answered pass quoting 'we guarantee "
                                    "the lowest price on the market' at 00:02, which the "
                                    "transcript does not say there (closest: ")
    (m,) = result.moments
    assert (m.kind, m.matched, m.utterance) == ("unverified",
                                                "we guarantee the lowest price on the market", 0)


def test_a_pass_without_a_quote_is_unverified():
    result, _ = ask_server(lambda body: Reply(content=answer("pass", [], "sounds fine")))
    assert result.score is None and result.counts["unverified"] == 1


def test_invalid_json_gets_one_more_chance_told_what_was_wrong():
    replies = iter([Reply(content="Sure! The rep mentioned the recording."), None])

    def script(body):
        return next(replies) or reader("recorded")(body)

    result, requests = ask_server(script)
    assert result.score == 1.0 and len(requests) == 2
    assert requests[1]["messages"][-1]["content"].startswith("That is not a valid answer: not JSON")


def test_invalid_json_twice_is_an_error_not_a_verdict():
    result, requests = ask_server(lambda body: Reply(content='{"verdict": "maybe"}'))
    assert len(requests) == 2
    assert result.score is None and result.counts["judge_errors"] == 1
    assert result.reason.startswith("not judged: test-model gave no valid answer twice: verdict")


def test_a_500_is_retried_with_backoff():
    replies = iter([Reply(status=500)])

    def script(body):
        return next(replies, None) or reader("recorded")(body)

    result, requests = ask_server(script)
    assert result.score == 1.0 and len(requests) == 2


def test_a_server_that_keeps_failing_is_a_clear_error():
    result, requests = ask_server(lambda body: Reply(status=500), {"retries": 2})
    assert len(requests) == 3
    assert result.reason.startswith("not judged: test-model at http://127.0.0.1:")
    assert "HTTP 500: scripted 500 (after 3 tries)" in result.reason


def test_a_slow_server_times_out():
    result, requests = ask_server(lambda body: Reply(content=answer("fail"), delay=1.5),
                                  {"timeout": 0.3, "retries": 0})
    assert "no answer within 0.3 s" in result.reason and result.score is None


def test_a_server_that_rejects_response_format_is_asked_without_it():
    def script(body):
        if "response_format" in body:
            return Reply(status=400, body='{"error": {"message": "response_format is not '
                                          'supported"}}')
        return reader("recorded")(body)

    result, requests = ask_server(script)
    assert result.score == 1.0
    assert ["response_format" in r for r in requests] == [True, False]


# -- callcoach score ----------------------------------------------------------------------
def test_score_prints_the_plan_stores_answers_and_a_rerun_asks_nothing(new_db, calls, rubric, tmp_path):
    db = new_db("s")
    with ChatServer(reader("recorded")) as server:
        first = score(calls, rubric, db, server.url)
        assert first.exit_code == 0, first.output
        plan = first.stderr.splitlines()[0]
        assert plan.startswith(f"asking test-model at {server.url}: 4 answers for 4 calls "
                               f"(0 more from the cache), about ")
        assert len(server.requests) == 4
        assert {c: s for c, (s, _) in results(db).items()} == {
            "call-a": 1.0, "call-b": 0.0, "call-c": 0.0, "call-d": 1.0}
        # a new weight re-scores every call: the answers come from the store, no request
        rubric.write_text(RUBRIC.replace("  - id: recording_stated\n",
                                         "  - id: recording_stated\n    weight: 2\n"))
        again = score(calls, rubric, db, server.url)
        assert again.exit_code == 0, again.output
        assert len(server.requests) == 4
        assert "0 answered in 0 requests" in again.stderr
        assert "4 from the cache" in again.stderr
    with Store(db) as store:
        assert [r for r in store.query("SELECT COUNT(*) FROM answers")] == [(4,)]
        (moment,) = store.query("SELECT kind, utterance, matched FROM moments WHERE "
                                "call_id = 'call-a' AND criterion_id = 'recording_stated'")
    assert moment == ("match", 0, "Hi Sam, thanks for joining. Just so you know, this call is "
                                  "recorded.")


def test_worker_processes_hand_their_questions_to_the_writer(new_db, calls, rubric, tmp_path):
    with ChatServer(reader("recorded")) as server:
        result = score(calls, rubric, new_db("s"), server.url, jobs=2)
        assert result.exit_code == 0, result.output
        assert len(server.requests) == 4
    assert results(new_db("s"))["call-d"][0] == 1.0


def test_no_model_configured_is_one_clear_message_before_scoring(new_db, calls, rubric, tmp_path):
    result = CliRunner().invoke(app, ["score", str(calls), "--rubric", str(rubric), "--db",
                                      str(new_db("s"))], env={"CALLCOACH_LLM_MODEL": ""})
    assert result.exit_code == 2
    assert "question checks, which a language model answers, and no model is configured" in \
        result.stderr
    assert "Traceback" not in result.output
    assert untouched(new_db("s")) or not results(new_db("s"))


def test_without_the_judge_extra_the_message_says_what_to_install(new_db, calls, rubric, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "httpx", None)   # as if not installed
    result = score(calls, rubric, new_db("s"), closed_port())
    assert result.exit_code == 2
    assert result.stderr == ("error: question checks need an HTTP client that is not installed "
                             "(pip install 'callcoach[judge]')\n")


def test_a_server_that_is_down_fails_each_call_but_keeps_the_rest(new_db, calls, rubric, tmp_path):
    db = new_db("s")
    down = score(calls, rubric, db, closed_port())
    assert down.exit_code == 1
    assert "Traceback" not in down.output
    assert "recording_stated not judged: test-model at http://127.0.0.1:" in down.stderr
    assert "(after 2 tries)" in down.stderr   # CALLCOACH_LLM_RETRIES=1
    # the deterministic criterion is stored; the question is not, and the calls are not
    # "unchanged" next time
    assert {c for c, (s, _) in results(db, "recording_phrase").items() if s == 1.0} == {
        "call-a", "call-d"}
    assert all(s is None for s, _ in results(db).values())
    with ChatServer(reader("recorded")) as server:
        up = score(calls, rubric, db, server.url)
        assert up.exit_code == 0, up.output
        assert "scored 4, unchanged 0, errors 0" in up.stderr
    assert results(db)["call-a"][0] == 1.0
    assert score(calls, rubric, db, closed_port()).exit_code == 0   # all stored: unchanged


def test_max_requests_stops_cleanly_and_the_next_run_asks_the_rest(new_db, calls, rubric, tmp_path):
    db = new_db("s")
    with ChatServer(reader("recorded")) as server:
        capped = score(calls, rubric, db, server.url, "--max-requests", "1")
        assert capped.exit_code == 1
        assert len(server.requests) == 1
        assert "--max-requests 1: 3 left for the next run" in capped.stderr
        assert capped.stderr.count("not judged: not asked: --max-requests 1 reached") == 3
        allowed = score(calls, rubric, db, server.url, "--max-requests", "1", "--allow-errors")
        assert allowed.exit_code == 0 and len(server.requests) == 2
        rest = score(calls, rubric, db, server.url)
        assert rest.exit_code == 0 and len(server.requests) == 4


def test_prefilter_sends_only_the_calls_where_the_matcher_found_a_candidate(new_db, calls, tmp_path):
    path = tmp_path / "pre.yaml"
    path.write_text(RUBRIC.replace(
        "within: {first: 60s}}\n",
        "within: {first: 60s}, prefilter: intent, method: verbatim, "
        "phrases: [call is recorded]}\n").replace("recording_phrase", "recording_words"))
    with ChatServer(reader("recorded")) as server:
        result = score(calls, path, new_db("s"), server.url)
        assert result.exit_code == 0, result.output
        assert len(server.requests) == 2
    got = results(new_db("s"))
    assert got["call-a"][0] == 1.0 and got["call-b"] == (
        0.0, "no moment the prefilter looks for in the first 60s; not sent to the model")


def test_explain_shows_the_stored_answer_and_the_agenda_plays_the_moment(new_db, calls, rubric, tmp_path):
    db = new_db("s")
    rubric.write_text(RUBRIC.replace("  - id: recording_stated\n",
                                     "  - id: recording_stated\n    weight: 2\n"))
    with ChatServer(reader("recorded")) as server:
        assert score(calls, rubric, db, server.url).exit_code == 0
    # explain needs no server: the answer is in the store
    shown = CliRunner().invoke(app, ["explain", "call-a", "-c", "recording_stated", "--db",
                                     str(db)], env=env(closed_port()))
    assert shown.exit_code == 0, shown.output
    assert "reason: the model answered pass: the rep says recorded (quote at 00:02 verified)" \
        in shown.stdout
    assert "match at 00:02:" in shown.stdout
    # the agenda plays the failing call of the question criterion, in its own words
    from datetime import datetime

    from callcoach.analytics.agenda import agenda_from_selection
    from callcoach.analytics.selection import select
    with Store(db) as store:
        chosen = select(store, "Lee Park", as_of=datetime(2026, 3, 4), min_calls=1)
        agenda = agenda_from_selection(store, chosen).to_dict()
    assert agenda["criterion"]["id"] == "recording_stated"
    excerpt = agenda["parts"][1]["excerpts"][0]
    assert excerpt["call_id"] == "call-b"
    assert excerpt["note"] == (f"Asked “{ASK}”: The model answered fail: no rep line says "
                               f"recorded.")
    assert agenda["parts"][2]["questions"][0] == (f"We score this by asking: “{ASK}” How would "
                                                  f"you answer it for this call?")
    assert agenda["parts"][3]["model"]["call"]["call_id"] == "call-a"


def test_rubric_show_and_lint_know_the_question_type(rubric):
    shown = CliRunner().invoke(app, ["rubric", "show", str(rubric)], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "asks a model: Did the rep say that the call is recorded? in the first 60s" in \
        shown.stdout


EXAMPLES = """\
    examples:
      - text: "Rep: Hi Sam. Just so you know, this call is recorded.\\nProspect: Sure."
        verdict: pass
      - text: "Rep: Hi Sam, let's get going.\\nProspect: Sounds good."
        verdict: pass
"""


def test_lint_skips_question_examples_without_a_model_and_says_so(rubric):
    rubric.write_text(RUBRIC + EXAMPLES)
    result = CliRunner().invoke(app, ["rubric", "lint", str(rubric)],
                                env={"CALLCOACH_LLM_MODEL": ""})
    assert result.exit_code == 0, result.output
    assert result.stderr == ("note: 2 examples of question checks not run: they need a model "
                             "(rubric lint --judge, with CALLCOACH_LLM_MODEL set)\n")


def test_lint_judge_asks_the_model_and_reports_a_wrong_verdict(rubric, tmp_path):
    rubric.write_text(RUBRIC + EXAMPLES)
    with ChatServer(reader("recorded")) as server:
        result = CliRunner().invoke(app, ["rubric", "lint", "--judge", str(rubric)],
                                    env=env(server.url))
        assert len(server.requests) == 2
    assert result.exit_code == 1
    (finding,) = [ln for ln in result.stdout.splitlines() if "example-misjudged" in ln]
    assert finding.startswith(f"{rubric}:15:9: error: example should be judged pass but was "
                              f"judged fail: the model answered fail: no rep line says recorded")


def test_lint_rejects_examples_of_the_wrong_kind(rubric):
    rubric.write_text(RUBRIC.replace("  - id: recording_stated", """\
    examples:
      - {text: "this call is recorded for training", verdict: pass}
  - id: recording_stated""") + "    examples:\n      - {text: 'Rep: hello', match: true}\n")
    result = CliRunner().invoke(app, ["rubric", "lint", str(rubric)],
                                env={"CALLCOACH_LLM_MODEL": ""})
    assert result.exit_code == 1
    assert "[example-verdict]" in result.stdout and "[example-needs-verdict]" in result.stdout


# -- callcoach calibrate --------------------------------------------------------------------
LABELS = """call_id,criterion,label
call-a,recording_stated,pass
call-b,recording_stated,fail
call-c,recording_stated,pass
call-d,recording_stated,pass
"""


def test_calibrate_asks_the_model_about_the_labelled_calls(calls, rubric, tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text(LABELS)
    with ChatServer(reader("recorded")) as server:
        result = CliRunner().invoke(app, ["calibrate", str(labels), str(calls), "-r",
                                          str(rubric), "--format", "json"], env=env(server.url))
        assert result.exit_code == 0, result.output
        assert len(server.requests) == 4
    import json
    report = json.loads(result.stdout)
    stats = report["criteria"]["recording_stated"]
    assert (stats["n"], stats["agreed"]) == (4, 3)
    (d,) = report["disagreements"]
    # call-c says it at 01:30, after the first minute: the model's pass quoted a context turn
    assert (d["call_id"], d["label"], d["callcoach"]) == ("call-c", "pass", "fail")
    assert d["reason"] == "the model answered pass quoting 01:30, outside the first 60s"


def test_calibrate_reads_the_stored_answers_of_question_checks(new_db, calls, rubric, tmp_path):
    db = new_db("s")
    labels = tmp_path / "labels.csv"
    labels.write_text(LABELS)
    with ChatServer(reader("recorded")) as server:
        assert score(calls, rubric, db, server.url).exit_code == 0
    result = CliRunner().invoke(app, ["calibrate", str(labels), "--db", str(db), "--format",
                                      "json"], env=env(closed_port()))
    assert result.exit_code == 0, result.output
    import json
    assert json.loads(result.stdout)["criteria"]["recording_stated"]["agreed"] == 3


def test_calibrate_suggest_asks_each_question_once_however_often_it_rescores(calls, rubric,
                                                                            tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text(LABELS + "call-b,recording_phrase,pass\n")
    with ChatServer(reader("recorded")) as server:
        result = CliRunner().invoke(app, ["calibrate", str(labels), str(calls), "-r",
                                          str(rubric), "--suggest", "--holdout", "0",
                                          "--format", "json"],
                                    env=env(server.url))
        assert result.exit_code == 0, result.output
        assert len(server.requests) == 4
