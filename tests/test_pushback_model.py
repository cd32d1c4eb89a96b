"""The learned push-back model (matching/pushback_model.py), a response trigger's
`pushback_model`, and the script that trains it (scripts/train_pushback.py)."""
from __future__ import annotations

import csv
import importlib.util
import json
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callcoach.cli.app import app
from callcoach.matching import pushback_model
from callcoach.matching.language import pushes_back as cue_pushes_back
from callcoach.matching.normalize import normalize
from callcoach.rubric.fields import Trigger
from callcoach.scoring.forms import done_by

ROOT = Path(__file__).resolve().parent.parent
MODEL = Trigger(name="objection", phrases=["that is more than we want to spend"],
                pushback_model=True)
CUES = Trigger(name="objection", phrases=["that is more than we want to spend"], pushback=True)


def words(text: str) -> tuple[str, ...]:
    return tuple(normalize(text).split())


def _script():
    spec = importlib.util.spec_from_file_location("train_pushback",
                                                  ROOT / "scripts" / "train_pushback.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# objections that no push-back cue holds: from the dev splits (learnt), and one written after
# the model, in no split (heard). ("Nobody here has time for a rollout this quarter.", heard
# by the weights of v15, scores -0.01 with v17's: more neutral speech, a stricter reading.)
@pytest.mark.parametrize("text", [
    "Twenty-eight thousand is a lot more than we've got in the line for this.",
    "Our budget for this fiscal year is committed.",
    "We are in the middle of the lease renewals, I cannot think about a new system now.",
    "I'm not sure this is a priority for us this year.",
    "My crew is not going to touch another app.",
])
def test_the_model_hears_push_back_no_cue_holds(text):
    assert not cue_pushes_back(normalize(text))
    assert pushback_model.pushes_back(words(text))
    assert done_by(MODEL, text) == [(normalize(text), "push-back (learned)")]
    assert done_by(CUES, text) == []


@pytest.mark.parametrize("text", [
    "We use QuickBooks for invoicing.",
    "That sounds great, Tuesday at two works.",
    "Yeah.",
    "The techs text me a photo when they finish a job.",
    "Seventy-nine bucks a head?",   # a question: the model would read it, a question asks
])
def test_the_model_leaves_describing_agreeing_and_asking_alone(text):
    assert done_by(MODEL, text) == []


def test_a_question_pushes_back_only_when_rhetorical_the_model_too():
    asked = "Seventy-nine bucks a head?"
    assert pushback_model.pushes_back(words(asked))        # read as a statement, it would
    assert done_by(MODEL, asked) == []


def test_reasons_name_the_heaviest_features_and_score_is_their_sum():
    said = words("Honestly, that's steep for us.")
    top = pushback_model.reasons(said, n=2)
    assert len(top) == 2 and top[0][1] >= top[1][1] > 0
    assert {f for f, _ in top} <= pushback_model.features(said)
    assert "steep" in [f for f, _ in pushback_model.reasons(said, n=5)]
    _, ones, pairs = pushback_model._weights()
    every = [ones.get(f, 0.0) if " " not in f else pairs.get(tuple(f.split(" ", 1)), 0.0)
             for f in pushback_model.features(said)]
    assert pushback_model.score(said) == pytest.approx(pushback_model._weights()[0] + sum(every))


FLOORED = Trigger(name="objection", phrases=["that is more than we want to spend"],
                  pushback=True, pushback_model=True, pushback_floor=-2)


@pytest.mark.parametrize("text, floored", [
    # a cue holds it, and the model is sure it is no objection: a pain, a process
    ("We just pay for the same mistake twice.", False),
    # a cue holds it and the model does not rule it out
    ("Honestly, that is more than we want to spend.", True),
])
def test_a_floor_keeps_the_cues_the_model_does_not_rule_out(text, floored):
    said = words(text)
    assert cue_pushes_back(normalize(text))
    assert (pushback_model.score(said) >= -2) is floored
    both = Trigger(name="objection", phrases=["that is more than we want to spend"],
                   pushback=True, pushback_model=True)
    assert done_by(both, text) != []                     # without a floor every cue counts
    assert (done_by(FLOORED, text) != []) is floored


@pytest.mark.parametrize("keys", [{"pushback": True}, {"pushback_model": True}, {}])
def test_a_floor_needs_the_cues_and_the_model(keys):
    with pytest.raises(ValueError, match="pushback_floor weighs the cues by the model"):
        Trigger(name="objection", phrases=["too expensive"], pushback_floor=-2, **keys)


def test_a_floor_above_zero_is_refused():
    # above 0 the model alone would fire: the cues would add nothing
    with pytest.raises(ValueError, match="less than or equal to 0"):
        Trigger(name="objection", phrases=["too expensive"], pushback=True,
                pushback_model=True, pushback_floor=0.5)


def test_a_rubric_with_the_model_triggers_where_one_with_cues_only_does_not(tmp_path):
    call = tmp_path / "2026-11-03_dana-ruiz_acme-discovery.txt"
    call.write_text(textwrap.dedent("""\
        [00:05] REP: Thanks for making time. So how do you track jobs today?
        [00:12] PROSPECT: Whiteboard, mostly. Our budget for this fiscal year is committed.
        [00:20] REP: That's fair. What would need to be true to look at it next year?
        [00:30] PROSPECT: A cheaper plan, probably.
        [00:36] REP: Then let's start you on the two-seat plan in July.
        """))
    results = {}
    for key in ("pushback", "pushback_model"):
        rubric = tmp_path / f"{key}.yaml"
        rubric.write_text(textwrap.dedent(f"""\
            rubric: demo
            criteria:
              - id: objection
                check:
                  type: response
                  trigger: {{name: objection, phrases: ["we are too busy for this"], {key}: true}}
                  steps:
                    - {{id: ack, phrases: ["that is a fair point"]}}
                    - {{id: explore, phrases: ["what is behind that"], open_question: true}}
                    - {{id: respond, any_turn: true}}
            """))
        out = CliRunner().invoke(app, ["score", str(call), "--rubric", str(rubric),
                                       "--format", "jsonl", "--db", str(tmp_path / f"{key}.db")])
        assert out.exit_code == 0, out.output
        results[key] = json.loads(out.stdout.splitlines()[0])["criteria"][0]
    assert results["pushback"]["score"] is None                     # not applicable
    assert results["pushback_model"]["score"] is not None
    assert "objection at 00:12" in results["pushback_model"]["reason"]
    # explain says the model read it, and which stems weighed most
    shown = CliRunner().invoke(app, ["explain", call.stem, "-c", "objection", "--db",
                                     str(tmp_path / "pushback_model.db")])
    assert shown.exit_code == 0, shown.output
    line = next(x for x in shown.stdout.splitlines() if x.startswith("  trigger at 00:12"))
    assert "(by its form, push-back (learned): '" in line, line


def _split(folder: Path, calls: list[tuple[str, str, str, str]]) -> None:
    """A split of plain-text calls: (call id, label, evidence, transcript text)."""
    (folder / "calls").mkdir(parents=True)
    with open(folder / "labels.csv", "w", newline="") as f, \
            open(folder / "calls" / "calls.csv", "w", newline="") as g:
        labels, meta = csv.writer(f), csv.writer(g)
        labels.writerow(["call_id", "criterion", "label", "evidence"])
        meta.writerow(["file", "call_id", "rep", "started_at"])
        for call_id, label, evidence, text in calls:
            (folder / "calls" / f"{call_id}.txt").write_text(text)
            labels.writerow([call_id, "objection_handling", label, evidence])
            meta.writerow([f"{call_id}.txt", call_id, "Dana Ruiz", "2026-11-03T10:00:00"])


LINES = "[00:05] REP: How do you schedule crews today?\n" \
        "[00:10] PROSPECT: {}\n[00:15] PROSPECT: {}\n"


def test_training_learns_the_quoted_sentences_and_refuses_test_splits(tmp_path, capsys):
    script = _script()
    pushes = ["Honestly the price is way too high.", "We are too busy for a new tool."]
    calm = ["We use a whiteboard in the shop.", "Mostly phone calls and a spreadsheet."]
    _split(tmp_path / "dev", [
        (f"c{i}", "fail", f'00:{10 + 5 * (i % 2):02d} PROSPECT: "{pushes[i % 2]}"',
         LINES.format(calm[i % 2], pushes[i % 2]) if i % 2 else
         LINES.format(pushes[0], calm[0])) for i in range(6)] + [
        (f"n{i}", "na", "", LINES.format(calm[0], calm[1])) for i in range(4)] + [
        ("r0", "pass", '00:05 REP: "How do you schedule crews today?"',   # no prospect quote:
         LINES.format(pushes[0], pushes[1]))])                           # left out
    out = tmp_path / "model.tsv"
    assert script.main(["--eval", str(tmp_path), "--out", str(out)]) == 0
    assert "from 20 sentences (6 push-back)" in capsys.readouterr().out   # r0 left out
    weights = pushback_model.read_weights(out.read_text().splitlines())
    bias = weights.pop(pushback_model.BIAS)

    def score(text):
        return bias + sum(weights.get(f, 0.0) for f in pushback_model.features(words(text)))
    assert score(pushes[0]) > 0 and score(pushes[1]) > 0
    assert score(calm[0]) < 0 and score(calm[1]) < 0
    assert script.main(["--eval", str(tmp_path), "--out", str(out), "--check"]) == 0
    out.write_text(out.read_text().replace("\t-", "\t", 1))
    assert script.main(["--eval", str(tmp_path), "--out", str(out), "--check"]) == 1
    # a test split is refused however it is named; bad input is an error, not a traceback
    (tmp_path / "test").mkdir()
    (tmp_path / "dev9").symlink_to(tmp_path / "test")
    for split in ("test", "./test", "dev9"):
        assert script.main(["--eval", str(tmp_path), "--split", split, "--out", str(out)]) == 2
        assert "refusing to learn from test split" in capsys.readouterr().err
    (tmp_path / "other" / "dev5").mkdir(parents=True)
    assert script.main(["--eval", str(tmp_path), "--split", "other/dev5", "--out", str(out)]) == 2
    assert "name a folder inside --eval" in capsys.readouterr().err
    assert script.main(["--eval", str(tmp_path), "--split", "dev", "--criterion", "objection",
                        "--out", str(out)]) == 2
    assert "nothing to learn" in capsys.readouterr().err
    (tmp_path / "dev2").mkdir()
    assert script.main(["--eval", str(tmp_path), "--split", "dev2", "--out", str(out)]) == 2
    assert "labels" in capsys.readouterr().err


def test_the_shipped_weights_are_what_the_dev_splits_train():
    assert _script().main(["--check"]) == 0, "run: python scripts/train_pushback.py"


def test_new_weights_are_a_new_rubric_hash_so_stored_calls_are_scored_again(tmp_path,
                                                                            monkeypatch):
    from callcoach.rubric.loader import load_rubric

    shipped = load_rubric(ROOT / "rubrics" / "five-step-discovery.yaml")
    plain = load_rubric(ROOT / "rubrics" / "meddicc.yaml")
    before = shipped.content_hash, plain.content_hash
    other = tmp_path / "weights.tsv"
    other.write_text(pushback_model.WEIGHTS.read_text().replace("\t0.", "\t1.", 1))
    monkeypatch.setattr(pushback_model, "WEIGHTS", other)
    pushback_model._load.cache_clear()
    try:
        assert shipped.content_hash != before[0]      # its trigger reads the model
        assert plain.content_hash == before[1]        # no trigger reads it
    finally:
        pushback_model._load.cache_clear()
