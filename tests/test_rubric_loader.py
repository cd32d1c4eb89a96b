"""The rubric loader's messages, by exact text: each bad rubric reports every problem with its
own line and column, in plain words, with a "did you mean" where one is close."""
from __future__ import annotations

import textwrap

import pytest
from typer.testing import CliRunner

from callcoach.cli.app import app
from callcoach.errors import RubricError
from callcoach.rubric.loader import load_rubric, load_rubric_text, parse_rubric


def problems(text: str) -> list[str]:
    with pytest.raises(RubricError) as info:
        load_rubric_text(textwrap.dedent(text), "r.yaml")
    return [str(f) for f in info.value.findings]


ACCEPTANCE = """\
rubric: demo
criteria:
  - id: pain
    wieght: 10
    check:
      type: phrase
      phrases: ["what is that costing the team"]
  - id: budget
    weight: heavy
    check:
      type: phrases
      method: intnet
      phrases: ["who owns the budget for this"]
  - id: pain
    check: {type: phrase, method: verbatium, phrases: ["our pricing starts at"]}
"""

CASES = [
    pytest.param(ACCEPTANCE, [
        "r.yaml:4:5: error: unknown key 'wieght' in a criterion; did you mean 'weight'? "
        "[unknown-key]",
        "r.yaml:9:13: error: weight: expected a number, found 'heavy' [bad-type]",
        "r.yaml:11:13: error: check.type: expected one of phrase, forbidden, sequence, response, "
        "question, found 'phrases'; did you mean 'phrase'? [bad-value]",
        "r.yaml:12:15: error: check.method: expected one of verbatim, intent, found 'intnet'; "
        "did you mean 'intent'? [bad-value]",
        "r.yaml:14:9: error: duplicate criterion id 'pain' (first at line 3) "
        "[duplicate-criterion-id]",
        "r.yaml:15:35: error: check.method: expected one of verbatim, intent, found 'verbatium'; "
        "did you mean 'verbatim'? [bad-value]",
    ], id="acceptance-every-problem-at-once"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: pain
            check:
              type: phrase
             phrases: ["a b c"]
        """, [
        "r.yaml:6:6: error: invalid YAML: this line is not indented like the lines above it "
        "(in what starts at line 3) [yaml-syntax]",
    ], id="broken-indentation"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            check: {type: phrase, phrases: ["x y z"}
        """, [
        "r.yaml:4:44: error: invalid YAML: a list in [...] is not closed, or an item needs "
        "quotes [yaml-syntax]",
    ], id="unclosed-flow-list"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            name: Pain: the why
        """, [
        "r.yaml:4:15: error: invalid YAML: unexpected ':' (check the indentation, or quote text "
        "that contains ': ') [yaml-syntax]",
    ], id="unquoted-colon"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            weight: 2
            weight: 3
            check: {type: forbidden, phrases: [guarantee]}
        """, [
        "r.yaml:5:5: error: duplicate key 'weight' (first at line 4) (YAML would silently keep "
        "only the last one: remove or merge them) [duplicate-key]",
    ], id="duplicate-key"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            colour: blue
            check: {type: forbidden, phrases: [guarantee]}
        """, [
        "r.yaml:4:5: error: unknown key 'colour' in a criterion (allowed here: id, name, weight, "
        "section, standard, anchors, critical, check, examples) [unknown-key]",
    ], id="unknown-key-lists-allowed"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            anchors: {pass: ok, fial: bad}
            check:
              type: sequence
              stepz: []
        """, [
        "r.yaml:4:25: error: unknown key 'fial' in anchors; did you mean 'fail'? [unknown-key]",
        "r.yaml:6:7: error: check: missing key 'steps' [missing-key]",
        "r.yaml:7:7: error: unknown key 'stepz' in a sequence check; did you mean 'steps'? "
        "[unknown-key]",
    ], id="nested-unknown-keys-and-missing"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: a
            check:
              type: phrase
              speaker: reps
              threshold: 120
              within: {first: 2 hours}
              phrases: [yes, "what does that cost you"]
        """, [
        "r.yaml:6:16: error: check.speaker: expected one of rep, prospect, any, found 'reps'; "
        "did you mean 'rep'? [bad-value]",
        "r.yaml:7:18: error: check.threshold: expected at most 100, found 120 [bad-value]",
        "r.yaml:8:23: error: check.within.first: '2 hours' is not a position: use seconds "
        "(120s), minutes (2m), a share of the call (20%) or turns (10 turns) [bad-value]",
        "r.yaml:9:17: error: check.phrases[0]: expected text, found true (YAML reads "
        "yes/no/on/off/true/false as a boolean: put it in quotes) [bad-type]",
    ], id="bad-values"),
    pytest.param("""\
        rubric: Demo Rubric
        pass_mark: 70
        criteria:
          - id: Next Step
            check: {phrases: [book a follow up call]}
            examples:
              - {text: "can we meet thursday", match: maybe}
        """, [
        "r.yaml:1:9: error: rubric: expected lower-case letters, digits, '.', '-' or '_', found "
        "'Demo Rubric' (try 'demo-rubric') [bad-id]",
        "r.yaml:2:12: error: pass_mark: expected at most 1, found 70 [bad-value]",
        "r.yaml:4:9: error: id: expected an id of lower-case letters, digits and underscores, "
        "starting with a letter, found 'Next Step' (try 'next_step') [bad-id]",
        "r.yaml:5:12: error: check: missing key 'type' (one of phrase, forbidden, sequence, "
        "response, question) [missing-key]",
        "r.yaml:7:47: error: examples[0].match: expected true or false, found 'maybe' "
        "[bad-type]",
    ], id="ids-pass-mark-missing-type"),
    pytest.param("""\
        rubric: demo
        criteria:
          - id: objection
            check:
              type: response
              steps:
                - {id: acknowledge, phrases: [i hear you on that]}
                - {id: acknowledge, phrases: [that makes sense to me]}
        """, [
        "r.yaml:5:7: error: check: missing key 'trigger' [missing-key]",
        "r.yaml:8:16: error: duplicate step id 'acknowledge' in this check (first at line 7) "
        "[duplicate-step-id]",
    ], id="duplicate-step-missing-trigger"),
    pytest.param("rubric: demo\ncriteria: []\n", [
        "r.yaml:2:11: error: criteria: expected at least 1, found none [bad-value]",
    ], id="no-criteria"),
    pytest.param("", [
        "r.yaml:1:1: error: expected a rubric (a mapping with rubric: and criteria:), found an "
        "empty file [bad-type]",
    ], id="empty-file"),
    pytest.param("- a\n- b\n", [
        "r.yaml:1:1: error: expected a rubric (a mapping with rubric: and criteria:), found a "
        "list [bad-type]",
    ], id="top-level-list"),
    pytest.param("rubric: !!python/object:os.system demo\ncriteria: []\n", [
        "r.yaml:1:9: error: tag !!python/object:os.system is not allowed here: write plain "
        "YAML values, without tags [yaml-tag]",
    ], id="unsafe-tag-refused"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_bad_rubric_messages(text, expected):
    assert problems(text) == expected


def test_valid_rubric_defaults_and_positions():
    text = textwrap.dedent("""\
        rubric: demo
        version: 3
        criteria:
          - id: next_step
            check:
              type: phrase
              phrases: [can we book a follow up call]
        """)
    loaded = parse_rubric(text, "r.yaml")
    rubric = loaded.rubric
    assert (rubric.pass_mark, rubric.version) == (0.7, "3")
    check = rubric.criteria[0].check
    assert (check.method, check.speaker, check.threshold, rubric.criteria[0].weight) == \
        ("intent", "rep", None, 1.0)
    pos = loaded.source.value(("criteria", 0, "check", "phrases", 0))
    assert (pos.line, pos.column) == (7, 17)


def test_merge_keys_keep_their_own_lines():
    text = textwrap.dedent("""\
        rubric: demo
        defaults: &rep {speaker: rep, method: intnet}
        criteria:
          - id: a
            check: {<<: *rep, type: phrase, phrases: [what does it cost you]}
        """)
    assert problems(text) == [
        "r.yaml:2:1: error: unknown key 'defaults' at the top level (allowed here: rubric, "
        "name, version, description, pass_mark, criteria) [unknown-key]",
        "r.yaml:2:39: error: check.method: expected one of verbatim, intent, found 'intnet'; "
        "did you mean 'intent'? [bad-value]",
    ]


def test_missing_file_is_a_rubric_error(tmp_path):
    with pytest.raises(RubricError, match="no such file"):
        load_rubric(tmp_path / "nope.yaml")


def test_rubric_error_message_lists_every_finding():
    with pytest.raises(RubricError) as info:
        load_rubric_text(ACCEPTANCE, "r.yaml")
    lines = str(info.value).splitlines()
    assert lines[0] == "cannot load rubric r.yaml: 6 problems"
    assert len(lines) == 7 and all(line.startswith("  r.yaml:") for line in lines[1:])


def test_acceptance_via_cli_one_run_every_line_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(ACCEPTANCE)
    result = CliRunner().invoke(app, ["rubric", "lint", str(bad)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    # the six load errors, and lint's own findings over what loads (here: no examples)
    assert [line.split(": ")[0].rsplit(":", 2)[1] for line in lines[:-1]] == \
        ["3", "4", "9", "11", "12", "14", "14", "15"]
    assert lines[-1] == "1 rubric checked: 6 errors, 2 warnings."
    assert "Traceback" not in result.output


def test_broken_indentation_via_cli(tmp_path):
    bad = tmp_path / "indent.yaml"
    bad.write_text("rubric: demo\ncriteria:\n  - id: a\n    check:\n      type: phrase\n"
                   "     phrases: [x]\n")
    result = CliRunner().invoke(app, ["rubric", "lint", str(bad)])
    assert result.exit_code == 1
    assert result.output == (
        f"{bad}:6:6: error: invalid YAML: this line is not indented like the lines above it "
        f"(in what starts at line 3) [yaml-syntax]\n1 rubric checked: 1 error, 0 warnings.\n")
