"""callcoach calibrate: agreement with reviewers' labels (numbers checked against a hand-computed
example, kappa included), disagreements located in the transcript, the CI gate, bad label
files, and the --suggest loop end to end (learnt on some calls, measured on held-out ones,
written back with the rubric's comments kept)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callcoach.calibration.agreement import Stats
from callcoach.calibration.labels import LabelsError, parse_evidence, read_labels
from callcoach.calibration.learn import split
from callcoach.cli.app import app
from callcoach.rubric.lint import lint

RUBRIC = """\
# Calibration test rubric: this comment must survive --write-rubric
rubric: cal
version: 1
criteria:
  - id: disclosure
    weight: 1
    check:
      type: phrase
      method: intent
      within: {first: 120s}
      phrases:
        - this call is being recorded   # the approved wording
    examples:
      - text: "Just so you know, this call is being recorded."
  - id: next_step
    weight: 1
    check:
      type: phrase
      method: intent
      phrases:
        - does thursday at 2 work for a follow up
    examples:
      - text: "Does Tuesday at 10 work for a follow-up?"
"""

# call id -> (disclosure line, closing line); the labels below are what a reviewer said.
CALLS = {
    "cal-1": ("Before we start, this call is being recorded.", "Does Friday at 3 work for a follow-up?"),
    "cal-2": ("Quick note, I'm taping this conversation for training.", "Thanks, talk soon."),
    "cal-3": ("Thanks for making the time.", "Let's find some time next week."),
    "cal-4": ("We're not recording this call, by the way.", "Does Thursday at 2 work?"),
    "cal-6": ("Heads up, we're taping this conversation for training purposes.",
              "Great talking to you."),
}
LABELS = '''\
call_id,criterion,label,evidence,reviewer
cal-1,disclosure,pass,"00:05 Dana Ruiz: ""this call is being recorded""",qa
cal-1,next_step,pass,"01:30 Dana Ruiz: ""Does Friday at 3 work for a follow-up?""",qa
cal-2,disclosure,pass,"00:05 Dana Ruiz: ""I'm taping this conversation for training""",qa
cal-2,next_step,fail,,qa
cal-3,disclosure,fail,,qa
cal-3,next_step,fail,"01:30 Dana Ruiz: ""Let's find some time next week.""",qa
cal-4,disclosure,fail,"00:05 Dana Ruiz: ""We're not recording this call""",qa
cal-4,next_step,pass,"01:30 Dana Ruiz: ""Does Thursday at 2 work?""",qa
'''


def write_calls(folder: Path, ids=("cal-1", "cal-2", "cal-3", "cal-4")) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["file,call_id,rep,started_at"]
    for cid in ids:
        opening, closing = CALLS[cid]
        (folder / f"{cid}.txt").write_text(
            f"[00:00] Dana Ruiz: Hi Sam, thanks for joining.\n"
            f"[00:03] Sam Lee: Hi.\n"
            f"[00:05] Dana Ruiz: {opening}\n"
            f"[00:20] Sam Lee: Sure, go ahead.\n"
            f"[01:00] Dana Ruiz: Tell me about your week.\n"
            f"[01:10] Sam Lee: Busy, as always.\n"
            f"[01:30] Dana Ruiz: {closing}\n", encoding="utf-8")
        rows.append(f"{cid}.txt,{cid},Dana Ruiz,2026-11-02T15:00:00Z")
    (folder / "calls.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "reps.yaml").write_text("reps:\n  - name: Dana Ruiz\n", encoding="utf-8")
    return folder


@pytest.fixture
def setup(tmp_path):
    calls = write_calls(tmp_path / "calls")
    rubric = tmp_path / "cal.yaml"
    rubric.write_text(RUBRIC, encoding="utf-8")
    labels = tmp_path / "labels.csv"
    labels.write_text(LABELS, encoding="utf-8")
    return tmp_path, calls, rubric, labels


def run(*args: str):
    return CliRunner().invoke(app, ["calibrate", *args])


# -- the numbers ----------------------------------------------------------------------------
def test_kappa_by_hand():
    # 10 judgements: reviewer pass 6 / fail 4, callcoach pass 6 / fail 4; 8 agree.
    # chance = (6*6 + 4*4) / 100 = 0.52; kappa = (0.8 - 0.52) / (1 - 0.52) = 0.58333
    s = Stats.of([("pass", "pass")] * 5 + [("pass", "fail")] + [("fail", "fail")] * 3 +
                 [("fail", "pass")])
    assert (s.n, s.agreement) == (10, 0.8)
    assert s.kappa == pytest.approx(0.28 / 0.48)
    assert s.fail_precision == pytest.approx(3 / 4)   # callcoach failed 4, reviewer agreed on 3
    assert s.fail_recall == pytest.approx(3 / 4)      # reviewer failed 4, callcoach found 3


def test_kappa_undefined_when_everything_is_one_verdict():
    s = Stats.of([("pass", "pass")] * 3)
    assert (s.agreement, s.kappa, s.fail_precision, s.fail_recall) == (1.0, None, None, None)


def test_table_on_the_example(setup):
    _, calls, rubric, labels = setup
    result = run(str(labels), str(calls), "--rubric", str(rubric))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Calibration · rubric cal v1 · 4 calls, 8 labels"
    # disclosure: reviewer p p f f, callcoach p f f f -> 3/4; chance (2*1 + 2*3)/16 = 0.5,
    # kappa 0.5; callcoach failed 3 (2 right), the reviewer failed 2 (both found)
    assert lines[4].split() == ["disclosure", "4", "75.0%", "0.50", "67%", "100%"]
    assert lines[5].split() == ["next_step", "4", "100.0%", "1.00", "100%", "100%"]
    # overall: 7/8; reviewer 4 p / 4 f, callcoach 3 p / 5 f: chance 32/64 = 0.5, kappa 0.75
    assert lines[6].split() == ["overall", "8", "87.5%", "0.75", "80%", "100%"]
    rows = [line.split() for line in lines]   # the confusion matrix's rows
    assert ["pass", "3", "1", "0"] in rows and ["fail", "0", "4", "0"] in rows


def test_disagreement_is_located_beside_what_callcoach_saw(setup):
    _, calls, rubric, labels = setup
    out = run(str(labels), str(calls), "-r", str(rubric)).output
    assert "Disagreements (1):" in out
    assert "  cal-2 · disclosure · qa pass, callcoach fail 0%" in out
    assert "      at 00:05 Dana Ruiz: Quick note, I'm taping this conversation for training." in out
    assert "      callcoach there: phrases: no phrase shares a word with this turn" in out


def test_json_and_markdown(setup):
    _, calls, rubric, labels = setup
    data = json.loads(run(str(labels), str(calls), "-r", str(rubric), "-f", "json").output)
    assert data["overall"]["agreement"] == 0.875
    assert data["overall"]["kappa"] == 0.75
    assert data["criteria"]["disclosure"]["confusion"]["pass"] == {"pass": 1, "fail": 1, "na": 0}
    [d] = data["disagreements"]
    assert (d["call_id"], d["label"], d["callcoach"]) == ("cal-2", "pass", "fail")
    assert d["evidence"][0]["found"] and d["evidence"][0]["start"] == 5.0
    md = run(str(labels), str(calls), "-r", str(rubric), "-f", "markdown").output
    assert "| overall | 8 | 87.5% | 0.75 | 80% | 100% |" in md


SECOND = """\
call_id,criterion,label,reviewer
cal-1,disclosure,pass,lead
cal-1,next_step,pass,lead
cal-2,disclosure,fail,lead
cal-2,next_step,fail,lead
cal-3,disclosure,fail,lead
cal-3,next_step,pass,lead
cal-9,disclosure,pass,lead
"""


def test_a_second_reviewer_beside_callcoach_by_hand(setup):
    tmp, calls, rubric, labels = setup
    second = tmp / "second.csv"
    second.write_text(SECOND, encoding="utf-8")
    result = run(str(labels), str(calls), "-r", str(rubric), "--second-opinion", str(second))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = lines.index(f"Second opinion: lead ({second}) beside the labels, on the 6 judgements "
                     f"both give")
    # on the 6 both give: qa disclosure p p f, lead p f f, callcoach p f f; kappa of each:
    # agreed 2/3, chance (2*1 + 1*2)/9 = 4/9, kappa (6/9 - 4/9) / (5/9) = 0.4
    assert lines[at + 3].split() == ["disclosure", "3", "66.7%", "0.40", "66.7%", "0.40"]
    # next step: qa p f f, lead p f p (0.4 likewise), callcoach p f f (all agree)
    assert lines[at + 4].split() == ["next_step", "3", "66.7%", "0.40", "100.0%", "1.00"]
    # overall: lead 4/6, chance (3*3 + 3*3)/36 = 0.5, kappa 1/3; callcoach 5/6, qa 3 p / 3 f,
    # callcoach 2 p / 4 f: chance 18/36, kappa 2/3
    assert lines[at + 5].split() == ["overall", "6", "66.7%", "0.33", "83.3%", "0.67"]
    assert lines[at + 6] == "(1 of its labels has no counterpart among the labels compared, " \
                            "left out)"
    # the first reviewer's numbers are the same as without it
    assert lines[6].split() == ["overall", "8", "87.5%", "0.75", "80%", "100%"]
    data = json.loads(run(str(labels), str(calls), "-r", str(rubric), "--second-opinion",
                          str(second), "-f", "json").output)
    [o] = data["second_opinions"]
    assert (o["reviewer"], o["unmatched"]) == ("lead", 1)
    assert o["overall"]["reviewer"]["agreement"] == 0.6667
    assert o["overall"]["callcoach"]["kappa"] == 0.6667
    assert o["criteria"]["next_step"]["reviewer"]["confusion"]["fail"] == \
        {"pass": 1, "fail": 1, "na": 0}
    md = run(str(labels), str(calls), "-r", str(rubric), "--second-opinion", str(second),
             "-f", "markdown").output
    assert "| overall | 6 | 66.7% | 0.33 | 83.3% | 0.67 |" in md


def test_a_second_opinion_that_shares_nothing_is_an_error(setup):
    tmp, calls, rubric, labels = setup
    other = tmp / "other.csv"
    other.write_text("call_id,criterion,label\ncal-99,disclosure,pass\ncal-1,closing,fail\n")
    result = run(str(labels), str(calls), "-r", str(rubric), "--second-opinion", str(other))
    assert result.exit_code == 1
    assert "on the 0 judgements both give" in result.stdout   # the report is still printed
    assert f"error: {other}: none of its 2 labels is of a call and criterion that {labels} " \
           f"labels and callcoach scored" in result.output


def test_a_second_opinion_that_is_not_there_is_a_usage_error(setup):
    tmp, calls, rubric, labels = setup
    result = run(str(labels), str(calls), "-r", str(rubric), "--second-opinion",
                 str(tmp / "nope.csv"))
    assert result.exit_code == 2
    assert "no such labels file" in result.output and "Traceback" not in result.output


def test_min_agreement_gates_ci(setup):
    _, calls, rubric, labels = setup
    assert run(str(labels), str(calls), "-r", str(rubric), "--min-agreement", "0.85").exit_code == 0
    result = run(str(labels), str(calls), "-r", str(rubric), "--min-agreement", "0.9")
    assert result.exit_code == 1
    assert "agreement 87.5% is below --min-agreement 90.0%" in result.output


def test_from_the_store(new_db, setup, tmp_path):
    _, calls, rubric, labels = setup
    db = new_db("team")
    scored = CliRunner().invoke(app, ["score", str(calls), "-r", str(rubric), "--db", str(db),
                                      "--quiet"])
    assert scored.exit_code == 0, scored.output
    result = run(str(labels), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "87.5%" in result.output.splitlines()[6]


def test_unknown_calls_and_criteria_are_listed_and_the_rest_compared(setup):
    tmp, calls, rubric, labels = setup
    labels.write_text(LABELS + "cal-99,disclosure,pass,,qa\ncal-1,closing,pass,,qa\n")
    result = run(str(labels), str(calls), "-r", str(rubric))
    assert result.exit_code == 1
    assert "Calibration · rubric cal v1 · 4 calls, 8 labels" in result.output
    assert f"error: {labels}:10: no call 'cal-99' among the scored calls" in result.output
    assert f"error: {labels}:11: no criterion 'closing' in rubric cal" in result.output


@pytest.mark.parametrize("content, message", [
    ("call_id,label\nx,pass\n", "the header has no criterion column"),
    ("call_id,criterion,label\nx,c,maybe\n", ":2: label 'maybe' is not pass, fail or na"),
    ("call_id,criterion,label\nx,c,pass\nx,c,fail\n", ":3: x · c is already labelled at line 2"),
    ('{"call_id": "x", "criterion": "c"}\n', ":1: missing label"),
    ("call_id,criterion,label\n", "no labels in the file"),
], ids=["no-column", "bad-label", "twice", "jsonl-missing", "empty"])
def test_bad_labels_are_reported_with_their_line(tmp_path, setup, content, message):
    _, calls, rubric, _ = setup
    path = tmp_path / ("labels.jsonl" if content.startswith("{") else "bad.csv")
    path.write_text(content)
    result = run(str(path), str(calls), "-r", str(rubric))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_evidence_forms():
    assert parse_evidence('02:14 Dana Ruiz: "what is that costing you" | "just a quote"') == (
        parse_evidence('02:14 Dana Ruiz: "what is that costing you"')[0],
        parse_evidence('"just a quote"')[0])
    [e] = parse_evidence('1:02:03 Sam: "hi"')
    assert (e.time, e.speaker, e.quote) == (3723.0, "Sam", "hi")
    [e] = parse_evidence('[02:14] Sam: "hi"')      # a transcript viewer's bracketed time
    assert (e.time, e.speaker, e.quote) == (134.0, "Sam", "hi")
    [e] = parse_evidence('02:14.5 "hi"')
    assert (e.time, e.speaker, e.quote) == (134.5, None, "hi")


def test_control_characters_in_labels_never_reach_the_terminal(tmp_path, setup):
    _, calls, rubric, _ = setup
    path = tmp_path / "labels.csv"
    path.write_text('call_id,criterion,label,evidence,reviewer\n'
                    'cal-2,disclosure,pass,"\x1b]0;owned\x07\x1b[2Jtaping this",qa\x1b[31m\n')
    result = run(str(path), str(calls), "-r", str(rubric))
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert 'evidence: "]0;owned[2Jtaping this"' in result.output


def test_labels_read_as_jsonl(tmp_path):
    path = tmp_path / "l.jsonl"
    path.write_text('{"call_id": "a", "criterion": "c", "label": "N/A"}\n')
    [label] = read_labels(path)
    assert (label.call_id, label.label, label.line) == ("a", "na", 1)


def test_every_bad_jsonl_line_is_reported_at_once(tmp_path):
    path = tmp_path / "l.jsonl"
    path.write_text('{"call_id": "a", "criterion": "c", "label": "pass"}\n{oops\n[1, 2]\n'
                    '{"call_id": "b", "criterion": "c"}\n')
    with pytest.raises(LabelsError) as info:
        read_labels(path)
    text = str(info.value)
    assert text.startswith(f"{path}: 3 bad label rows")
    assert f"{path}:2: not JSON" in text and f"{path}:3: not a JSON object" in text
    assert f"{path}:4: missing label" in text
    assert "line 2" not in text


def test_usage_errors(setup):
    tmp, calls, rubric, labels = setup
    assert run(str(labels), str(calls)).exit_code == 2   # paths without --rubric
    assert run(str(labels), str(calls), "-r", str(rubric), "--write-rubric",
               str(tmp / "x.yaml")).exit_code == 2      # --write-rubric without --suggest
    assert run(str(tmp / "nope.csv"), str(calls), "-r", str(rubric)).exit_code == 2


# -- --suggest -------------------------------------------------------------------------------
def test_the_split_is_stable_by_call_id():
    ids = [f"cal-{i}" for i in range(1, 12)]
    assert split(ids, 0.3) == split(list(reversed(ids)), 0.3)
    assert split(ids, 0.3)[1] == ["cal-1", "cal-6", "cal-9"]


def test_suggest_learns_a_phrasing_and_it_holds_on_held_out_calls(tmp_path):
    calls = write_calls(tmp_path / "calls", ("cal-1", "cal-2", "cal-3", "cal-4", "cal-6"))
    rubric = tmp_path / "cal.yaml"
    rubric.write_text(RUBRIC)
    labels = tmp_path / "labels.csv"
    labels.write_text(LABELS + 'cal-6,disclosure,pass,"00:05 Dana Ruiz: ""we\'re taping this '
                               'conversation for training""",qa\ncal-6,next_step,fail,,qa\n')
    out = tmp_path / "learnt.yaml"
    result = run(str(labels), str(calls), "-r", str(rubric), "--suggest", "--write-rubric",
                 str(out), "-f", "json")
    assert result.exit_code == 0, result.output
    learnt = json.loads(result.stdout)["suggestions"]
    # cal-1 and cal-6 are held out (by the hash of their ids); the rest are learnt from
    assert learnt["held_out"] == ["cal-1", "cal-6"]
    kept = [s for s in learnt["suggestions"] if s["kept"]]
    assert [(s["kind"], s["criterion"], s["value"], s["call_id"]) for s in kept] == [
        ("phrase", "disclosure", "i am taping this conversation for training", "cal-2")]
    assert learnt["learning"]["before"]["agreement"] == 0.8333
    assert learnt["learning"]["after"]["agreement"] == 1.0
    # the held-out call said it another way, and the learnt phrasing finds it too
    assert learnt["holdout"]["before"]["agreement"] == 0.75
    assert learnt["holdout"]["after"]["agreement"] == 1.0
    text = out.read_text()
    assert text.startswith("# Calibration test rubric: this comment must survive")
    assert "- this call is being recorded   # the approved wording\n" \
           "        - i am taping this conversation for training\n" in text
    assert [f for f in lint([out]) if f.is_error] == []


def test_suggest_never_keeps_what_lowers_agreement(setup):
    _, calls, rubric, labels = setup
    data = json.loads(run(str(labels), str(calls), "-r", str(rubric), "--suggest",
                          "-f", "json").stdout)["suggestions"]
    for s in data["suggestions"]:
        assert s["gain"] > 0 if s["kept"] else s["note"]
    assert data["learning"]["after"]["agreement"] >= data["learning"]["before"]["agreement"]


def test_suggest_on_the_dev_split_raises_held_out_agreement_and_lints_clean(tmp_path):
    """The evaluation set's dev split: what --suggest learns from 70 % of the calls raises
    agreement on the 30 % held out, and the rubric it writes lints clean with its comments
    kept. From rubric v6 (a fixture): v7, the shipped one, leaves dev little to learn."""
    root = Path(__file__).resolve().parents[1]
    dev = root / "eval" / "five-step-discovery" / "dev"
    v6 = root / "tests" / "fixtures" / "calibrate" / "five-step-discovery-v6.yaml"
    out = tmp_path / "learnt.yaml"
    result = run(str(dev / "labels.csv"), str(dev / "calls"), "-r", str(v6), "--suggest",
                 "--write-rubric", str(out), "-f", "json")
    assert result.exit_code == 0, result.output
    learnt = json.loads(result.stdout)["suggestions"]
    assert len(learnt["held_out"]) == 7
    held = learnt["holdout"]
    assert held["after"]["agreement"] > held["before"]["agreement"]
    assert learnt["learning"]["after"]["agreement"] > learnt["learning"]["before"]["agreement"]
    comments = [line for line in v6.read_text().splitlines() if line.lstrip().startswith("#")]
    written = out.read_text()
    assert all(c in written for c in comments)
    assert [f for f in lint([out]) if f.is_error] == []


@pytest.mark.parametrize("holdout", ["0.3", "0.5"])
def test_suggest_never_lowers_held_out_agreement_from_the_shipped_rubric(holdout):
    root = Path(__file__).resolve().parents[1]
    dev = root / "eval" / "five-step-discovery" / "dev"
    result = run(str(dev / "labels.csv"), str(dev / "calls"), "-r",
                 str(root / "rubrics" / "five-step-discovery.yaml"), "--suggest",
                 "--holdout", holdout, "-f", "json")
    assert result.exit_code == 0, result.output
    held = json.loads(result.stdout)["suggestions"]["holdout"]
    assert held["after"]["agreement"] >= held["before"]["agreement"]
