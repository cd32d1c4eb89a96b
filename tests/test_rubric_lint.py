"""`callcoach rubric lint | show | schema`: semantic checks by exact text, examples run through the
real matchers, exit codes, output formats, and the shipped rubrics."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from callcoach.cli.app import app
from callcoach.rubric.describe import json_schema, json_schema_text
from callcoach.rubric.lint import lint, lint_text

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "rubrics").glob("*.yaml"))

CLEAN = """\
rubric: demo
criteria:
  - id: next_step
    check:
      type: phrase
      phrases: [can we book a follow up call next week]
    examples:
      - text: "Could we book a follow-up call for next Tuesday?"
      - text: "Thanks for your time today."
        match: false
"""

WARNS = """\
rubric: demo
criteria:
  - id: pricing
    check: {type: forbidden, threshold: 90, phrases: [guarantee]}
    examples:
      - text: "We guarantee it."
"""

MISSED = """\
rubric: demo
criteria:
  - id: current_process
    check:
      type: phrase
      phrases: [walk me through how you handle this today]
    examples:
      - text: "Walk me through your org chart."
      - text: "So what's the process at the moment?"
"""


def run(*args: str):
    return CliRunner().invoke(app, ["rubric", *args])


def write(tmp_path: Path, text: str, name: str = "r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_clean_rubric_exits_0(tmp_path):
    path = write(tmp_path, CLEAN)
    result = run("lint", str(path))
    assert (result.exit_code, result.output) == (0, "1 rubric checked: no problems.\n")


def test_warnings_exit_0_and_fail_with_strict(tmp_path):
    path = write(tmp_path, WARNS)
    line = (f"{path}:4:30: warning: threshold applies to method: intent only; a verbatim match "
            f"is exact (remove it, or use method: intent) [threshold-ignored]")
    result = run("lint", str(path))
    assert (result.exit_code, result.output) == (
        0, f"{line}\n1 rubric checked: 0 errors, 1 warning.\n")
    strict = run("lint", "--strict", str(path))
    assert (strict.exit_code, strict.output) == (
        1, f"{line.replace(': warning: ', ': error: ')}\n1 rubric checked: 1 error, 0 warnings.\n")


def test_bad_format_is_the_shared_usage_error(tmp_path):
    result = run("lint", str(tmp_path), "--format", "sarif")
    assert result.exit_code == 2
    assert "'sarif' is not one of 'text', 'json', 'github'" in result.output


@pytest.mark.parametrize("command", ["lint", "show"])
def test_missing_file_is_a_usage_error(tmp_path, command):
    result = run(command, str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "no such file" in result.output or "no such rubric file" in result.output


def test_example_the_intent_matcher_misses_fails_naming_its_line(tmp_path):
    path = write(tmp_path, MISSED)
    result = run("lint", str(path))
    assert result.exit_code == 1
    assert result.output == (
        f"{path}:8:9: error: example should match the phrases but does not: best similarity "
        f"41.4 < threshold 65 (phrase 'walk me through how you handle this today' vs 'walk me "
        f"through your org chart') (add a phrase closer to it, or lower the "
        f"threshold) [example-missed]\n"
        f"{path}:9:9: error: example should match the phrases but does not: it shares no "
        f"content word with any phrase (best similarity 0) (add a phrase closer to it, or lower "
        f"the threshold) [example-missed]\n"
        f"1 rubric checked: 2 errors, 0 warnings.\n")


def test_github_format(tmp_path):
    path = write(tmp_path, WARNS, "a,b.yaml")
    result = run("lint", "--format", "github", str(path))
    escaped = str(path).replace(":", "%3A").replace(",", "%2C")
    assert result.output.splitlines() == [
        f"::warning file={escaped},line=4,col=30,title=threshold-ignored::threshold applies to "
        f"method: intent only; a verbatim match is exact (remove it, or use method: intent)",
        "1 rubric checked: 0 errors, 1 warning.",
    ]


def test_json_format(tmp_path):
    path = write(tmp_path, MISSED)
    result = run("lint", "--format", "json", str(path))
    report = json.loads(result.output)
    assert result.exit_code == 1
    assert (report["files"], report["errors"], report["warnings"]) == (1, 2, 0)
    assert report["findings"][0] == {
        "path": str(path), "line": 8, "column": 9, "severity": "error", "code": "example-missed",
        "message": report["findings"][0]["message"],
        "hint": "add a phrase closer to it, or lower the threshold"}


def test_folder_lints_every_yaml_file_sorted(tmp_path):
    write(tmp_path, MISSED, "b.yaml")
    write(tmp_path, CLEAN, "a.yml")
    findings = lint([tmp_path])
    assert {Path(f.path).name for f in findings} == {"b.yaml"}
    result = run("lint", str(tmp_path))
    assert result.output.splitlines()[-1] == "2 rubrics checked: 2 errors, 0 warnings."


SEMANTIC = [
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            weight: -5
            check: {type: forbidden, phrases: [guarantee]}
            examples: [{text: "we guarantee it"}]
        """, ["4:13: error: weight: expected 0 or more, found -5 [negative-weight]"],
        id="negative-weight"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            weight: 0
            check: {type: forbidden, phrases: [guarantee]}
            examples: [{text: "we guarantee it"}]
        """, ["2:1: error: every criterion has weight 0, so no score can be computed (give the "
              "criteria that count a positive weight) [zero-weights]"], id="zero-weights"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            check: {type: forbidden, phrases: []}
            examples: [{text: "we guarantee it", match: false}]
        """, ["4:30: error: the phrases: the list of phrases is empty (a check with no phrases "
              "never matches) [empty-phrases]"], id="empty-phrases"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            check:
              type: sequence
              steps:
                - {id: pain, phrases: [what is the cost of this problem]}
                - {id: impact, phrases: ["What is the cost of this problem?"]}
            examples: [{text: "what does this problem cost you", step: pain}]
          - id: b
            check: {type: phrase, phrases: [what is the cost of this problem]}
            examples: [{text: "what does this problem cost your team"}]
        """, [
            "8:34: error: phrase 'What is the cost of this problem?' is in both step 'pain' "
            "(line 7) and step 'impact': a match cannot tell them apart [repeated-phrase]",
            "11:37: warning: phrase 'what is the cost of this problem' is also in criterion 'a' "
            "(line 7): one utterance counts for both [repeated-phrase]",
        ], id="repeated-phrase-across-steps-and-criteria"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            check: {type: phrase, phrases: [budget owner, how do you do it, book a demo today]}
            examples: [{text: "can we book a demo for today"}]
        """, [
            "4:37: warning: intent phrase 'budget owner' has 2 words: too short to carry an "
            "intent (write it the way a rep says it (3+ words), or use method: verbatim) "
            "[short-phrase]",
        ], id="short-intent-phrase-and-a-common-word-phrase-that-may-stand"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            check:
              type: sequence
              steps: [{id: pain, phrases: [what is the cost of this problem]}]
            examples: [{text: "what does this problem cost you", step: pian}]
        """, [
            "6:7: warning: a sequence with one step is a phrase check (add the other steps, or use "
            "type: phrase) [single-step]",
            "7:64: error: step 'pian' is not a step of this check; did you mean 'pain'? (one of: "
            "pain) [unknown-step]",
        ], id="single-step-and-unknown-step"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            check: {type: phrase, method: verbatim, phrases: [this call is recorded]}
        """, [
            "3:9: warning: criterion 'a' has no examples (add examples: a few ways reps say it, "
            "and a near miss with match: false; lint runs them through the matcher) "
            "[no-examples]",
        ], id="no-examples"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            check:
              type: response
              trigger: {phrases: [that is too expensive for us]}
              steps:
                - {id: acknowledge, phrases: [i completely understand the budget concern]}
                - {id: clarify, phrases: [compared to what are you measuring the price]}
            examples:
              - {text: "Honestly this is way too expensive for us right now.", step: trigger}
              - {text: "I totally understand the concern about budget."}
              - {text: "It is expensive to run a business these days.", step: trigger,
                 match: false}
              - {text: "Great, let us get started.", match: false}
        """, [], id="response-examples-by-step-trigger-and-any-step"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            check: {type: phrase, phrases: [what are you using for this today]}
            examples:
              - {text: "what are you using today for lunch", match: false}
        """, [
            "6:9: error: example marked match: false matches the phrases (similarity 90.1 >= "
            "threshold 65, phrase 'what are you using for this today') (make the phrases more "
            "specific, or raise the threshold) [example-matched]",
        ], id="near-miss-that-matches"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            check: {type: forbidden, phrases: [lowest price]}
            examples:
              - {text: "We are the lowest-priced option.", match: true}
              - {text: "Lowest price, promise."}
        """, [
            "6:9: error: example should match the phrases but does not: no phrase occurs word "
            "for word; 'lowest price' occurs only inside longer words (add a phrase closer to it, "
            "or lower the threshold) [example-missed]",
        ], id="verbatim-example-missed"),
]


@pytest.mark.parametrize("text, expected", SEMANTIC)
def test_semantic_findings(text, expected):
    findings = lint_text(textwrap.dedent(text), "r.yaml")
    assert [str(f).removeprefix("r.yaml:") for f in findings] == expected


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_rubrics_lint_clean_with_strict(path):
    result = run("lint", "--strict", str(path))
    assert (result.exit_code, result.output) == (0, "1 rubric checked: no problems.\n")


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_schema_validates_shipped_rubrics(path):
    schema = json.loads(run("schema").output)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(yaml.safe_load(path.read_text()), schema)


def test_schema_rejects_what_the_loader_rejects():
    bad = {"rubric": "demo", "criteria": [{"id": "a", "wieght": 1,
                                           "check": {"type": "phrases", "phrases": ["x"]}}]}
    errors = list(jsonschema.Draft202012Validator(json_schema()).iter_errors(bad))
    assert errors


def test_committed_schema_file_is_up_to_date():
    # rubrics point yaml-language-server at docs/rubric.schema.json
    assert (ROOT / "docs" / "rubric.schema.json").read_text() == json_schema_text(), \
        "run: callcoach rubric schema > docs/rubric.schema.json"


def test_the_reference_docs_example_lints_clean():
    doc = (ROOT / "docs" / "rubric.md").read_text()
    first_yaml = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert lint_text(first_yaml, "docs/rubric.md") == []


@pytest.mark.parametrize("which", ["meddicc", str(ROOT / "rubrics" / "meddicc.yaml")],
                         ids=["bundled-name", "path"])
def test_show_lists_criteria_with_weight_shares(which):
    result = run("show", which)
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("MEDDICC qualification v1 (pass mark 70%)")
    for name, share in (("Metrics", "15%"), ("Competition", "10%")):
        row = next(line for line in out.splitlines() if line.startswith(f"{name} "))
        assert row.split()[1:4] == [share, "phrase", "intent"]


def test_show_bad_rubric_prints_every_problem(tmp_path):
    path = write(tmp_path, "rubric: demo\ncriteria:\n  - id: a\n    wieght: 1\n")
    result = run("show", str(path))
    assert result.exit_code == 1
    assert f"{path}:4:5: error: unknown key 'wieght' in a criterion; did you mean 'weight'? " \
           f"[unknown-key]" in result.output


ALL_AT_ONCE = """\
rubric: demo
version: 1
criteria:
  - id: disclose
    weight: 10
    check: {type: phrase, method: verbatum, speakr: rep, phrases: ["this call is recorded"]}
    examples: [{text: "this call is recorded"}]
  - id: broken
    weight: heavy
    check: {type: phrase, phrases: ["a phrase"]}
  - id: nextstep
    weight: -5
    check: {type: phrase, method: verbatim, phrases: []}
"""


def test_every_problem_of_a_file_is_reported_in_one_run(tmp_path):
    """A misspelt key or value no longer hides the problems further down: the rest of the
    rubric is linted with the misspellings read as their "did you mean", and a criterion that
    cannot be read at all is left out of the semantic checks only."""
    result = run("lint", str(write(tmp_path, ALL_AT_ONCE)))
    assert result.exit_code == 1
    found = [(line.split(":")[1], line.rsplit("[", 1)[1].rstrip("]"))
             for line in result.stdout.splitlines()[:-1]]
    assert found == [("6", "bad-value"), ("6", "unknown-key"),
                     ("7", "example-copies-phrase"),
                     ("9", "bad-type"),
                     ("11", "no-examples"), ("12", "negative-weight"), ("13", "empty-phrases")]


def test_a_step_after_an_any_turn_step_is_reported_at_its_own_line():
    findings = lint_text(textwrap.dedent("""\
        rubric: demo
        criteria:
          - id: obj
            check:
              type: response
              trigger: {phrases: ["that is too expensive for us"]}
              steps:
                - {id: respond, any_turn: true}
                - id: empty
                  phrases: []
            examples: [{text: "that is too expensive for us", step: trigger}]
        """))
    assert [(f.line, f.code) for f in findings if f.is_error] == [(10, "empty-phrases")]


FORMS = """\
    rubric: demo
    criteria:
      - id: obj
        check:
          type: response
          trigger: {phrases: ["that is too expensive for us"]}
          steps:
            - id: ack
              phrases: ["that is a fair concern"]
              opening: {lead: [okay, yeah], unless: [but, actually]}
            - {id: explore, phrases: ["what are you comparing it to"], open_question: true}
            - {id: respond, any_turn: true}
        examples:
          - {text: "that is too expensive for us, honestly", step: trigger}
          - {text: "Yeah, I'd probably feel the same way.", step: ack}
          - {text: "How did it go the last time you switched?", step: explore}
          - {text: "Yeah, but actually we're cheaper than them.", step: ack, match: false}
          - {text: "Does that make sense so far?", step: explore, match: false}
          - {text: "What's your email so I can send the deck?", step: explore, match: false}
    """


def test_examples_of_a_step_done_by_its_form_are_tested_by_the_form():
    """An open question does the explore step whatever its words, so an example of one marked
    match: false is an error; an argument and a closed question are not the forms."""
    findings = lint_text(textwrap.dedent(FORMS))
    assert [(f.line, f.code) for f in findings if f.is_error] == [(19, "example-matched")]
    (error,) = [f for f in findings if f.is_error]
    assert "as an open question ('what is your email so i can send the deck')" in error.message


def test_forms_belong_to_response_steps():
    findings = lint_text(textwrap.dedent("""\
        rubric: demo
        criteria:
          - id: disc
            check:
              type: sequence
              steps:
                - {id: pain, phrases: ["what is not working about it"], open_question: true}
            examples: [{text: "what is not working about it for you"}]
        """))
    assert any(f.is_error and "open_question and opening are for the steps of a response check"
               in f.message for f in findings)


@pytest.mark.parametrize("check, says", [
    ("""type: sequence
              steps:
                - {id: pain, phrases: ["what is not working"], asked: true}
                - {id: cost, phrases: ["what does it cost you"]}""",
     "in a sequence, asked is the check's"),
    ("""type: response
              trigger: {phrases: ["too expensive"]}
              steps:
                - {id: ack, phrases: ["i hear you"], first_answer: true}""",
     "first_answer is for a step with any_turn: true"),
    ("""type: response
              trigger: {phrases: ["too expensive"]}
              steps:
                - {id: respond, any_turn: true, asked: true}""",
     "a step with any_turn: true takes no phrases, open_question, opening or asked"),
    ("""type: response
              trigger: {phrases: ["too expensive"]}
              steps:
                - {id: respond, any_turn: true, first_answer: true}
                - {id: confirm, any_turn: true, first_answer: true}""",
     "only one step can be the first answer"),
    ("""type: sequence
              steps:
                - {id: pain, phrases: ["what is not working"], cues: [sideways]}
                - {id: cost, phrases: ["what does it cost you"]}""",
     "cues count only in questions: set asked: true"),
    ("""type: response
              trigger: {phrases: ["too expensive"]}
              steps:
                - {id: explore, phrases: ["what is behind that"], cues: [behind]}""",
     "cues are for the steps of a sequence with asked: true"),
    ("""type: sequence
              asked: true
              steps:
                - {id: pain, phrases: ["what is not working"], cues: ["?", sideways]}
                - {id: cost, phrases: ["what does it cost you"]}""",
     "a cue must hold a word, not '?'"),
    ("""type: phrase
              phrases: ["so what i am hearing is"]
              echo: {lead: [so], min_shared: 2, contrast_shared: 3}""",
     "contrast_shared (3) above min_shared (2) would change nothing"),
    ("""type: response
              trigger: {phrases: ["too expensive"]}
              steps:
                - {id: ack, phrases: ["i hear you"], opening: {lead: [okay], alone: [fair]}}""",
     "alone takes single words that are also in lead, not 'fair'"),
])
def test_asked_and_first_answer_are_checked_where_they_belong(check, says):
    findings = _lint_check(check)
    assert any(f.is_error and says in f.message for f in findings), findings


def _lint_check(check: str):
    """Lint a one-criterion rubric around `check` (its lines indented as the call sites
    write them); the check's first line is line 5."""
    return lint_text(textwrap.dedent(f"""\
        rubric: demo
        criteria:
          - id: c
            check:
              {check}
        """))


def test_a_trigger_example_with_push_back_marked_no_match_is_an_error():
    findings = lint_text(textwrap.dedent("""\
        rubric: demo
        criteria:
          - id: obj
            check:
              type: response
              trigger: {phrases: ["that is too expensive for us"], pushback: true}
              steps:
                - {id: ack, phrases: ["that is a fair concern"]}
            examples:
              - {text: "that is too expensive for us, honestly", step: trigger}
              - {text: "Honestly we're pretty happy with what we have.", step: trigger, match: false}
        """))
    assert [(f.line, f.code) for f in findings if f.is_error] == [(11, "example-matched")]
    assert "triggers the check as push-back" in [f for f in findings if f.is_error][0].message


@pytest.mark.parametrize("form, errors", [("pushback_model: true", []),
                                          ("pushback: true", []),
                                          ("name: objection", [(6, "empty-phrases")])])
def test_a_trigger_read_by_its_form_needs_no_phrases(form, errors):
    findings = _lint_check(f"""type: response
              trigger: {{phrases: [], {form}}}
              steps:
                - {{id: ack, phrases: ["that is a fair concern"]}}""")
    assert [(f.line, f.code) for f in findings if f.is_error] == errors


def test_an_example_that_asks_nothing_cannot_do_a_step_of_an_asked_sequence():
    """With asked: true a step counts only where the rep asks, so an example of a statement
    marked to match would never be counted when scoring."""
    findings = lint_text(textwrap.dedent("""\
        rubric: demo
        criteria:
          - id: disc
            check:
              type: sequence
              asked: true
              steps:
                - {id: impact, phrases: ["what does that cost you"]}
                - {id: timing, phrases: ["when do you need it"]}
            examples:
              - {text: "And what does all of that end up costing you?", step: impact}
              - {text: "Tell me when you need it live.", step: timing}
              - {text: "So that ends up costing you a lot.", step: impact}
              - {text: "So you need it by March.", step: timing, match: false}
        """))
    assert [(f.line, f.code) for f in findings if f.is_error] == [(13, "example-missed")]
    assert "asks nothing" in [f for f in findings if f.is_error][0].message


def test_a_missed_phrase_of_common_words_names_the_similarity_it_needs():
    """A phrase of only common words needs 80 whatever the threshold, so "76.9 < threshold
    70" would read as a bug; the message says what was needed."""
    findings = lint_text(textwrap.dedent("""\
        rubric: demo
        criteria:
          - id: listening
            check:
              type: phrase
              threshold: 70
              phrases: ["so if i have got it right"]
            examples:
              - text: "If I've got this right, the real cost is the breaks."
        """))
    (error,) = [f for f in findings if f.is_error]
    assert "best similarity 76.9 < 80, what a phrase of only common words needs" in error.message


def test_an_example_of_an_asked_response_step_must_ask():
    """A statement sharing an asked step's words would never count in scoring, so lint says
    so, as it does for a sequence's asked."""
    findings = lint_text(textwrap.dedent("""\
        rubric: demo
        criteria:
          - id: obj
            check:
              type: response
              method: verbatim
              trigger: {phrases: ["too expensive"]}
              steps:
                - {id: clarify, phrases: ["compared to what"], asked: true}
            examples:
              - {text: "It's cheap compared to what you pay now.", step: clarify}
              - {text: "Compared to what, though?", step: clarify}
        """))
    (error,) = [f for f in findings if f.is_error]
    assert (error.line, error.code) == (11, "example-missed")
    assert "counts only questions and prompts (asked: true)" in error.message


def test_a_cue_in_two_steps_is_a_warning():
    findings = lint_text(textwrap.dedent("""\
        rubric: demo
        criteria:
          - id: disc
            check:
              type: sequence
              asked: true
              steps:
                - {id: process, phrases: ["how do you do it today"], cues: [today]}
                - {id: pain, phrases: ["what is hard about it"], cues: [hard, Today]}
        """))
    found = [f for f in findings if "cue 'Today' is also step process's" in f.message]
    assert found and not found[0].is_error


def test_an_example_a_cue_does_is_settled_by_the_cue():
    """Lint reads cues as scoring does: an example only a cue does is not missed, and one
    marked match: false that a cue does is an error (a closed question is no cue's)."""
    findings = lint_text(textwrap.dedent("""\
        rubric: demo
        criteria:
          - id: disc
            check:
              type: sequence
              asked: true
              steps:
                - {id: process, phrases: ["how do you do this today"], cues: [today]}
                - {id: pain, phrases: ["what is the hardest part of that"], cues: [sideways]}
            examples:
              - {text: "So what goes sideways with the yard?", step: pain}
              - {text: "And what goes sideways there, would you say?", step: pain, match: false}
              - {text: "Would it be a problem if things go sideways?", step: pain, match: false}
        """))
    errors = [f.message for f in findings if f.is_error]
    assert errors == ["example marked match: false does step 'pain' by its cue "
                      "('and what goes sideways there would you say')"]
