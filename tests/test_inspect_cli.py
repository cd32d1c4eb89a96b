"""`callcoach inspect`: the table, the JSON contract, errors that do not stop the batch."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callcoach.cli.app import app

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
CALLCOACH = str(FIXTURES / "callcoach.json")


def run(*args: str):
    return CliRunner().invoke(app, ["inspect", *args])


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def test_table_shows_metadata_speakers_and_turns():
    result = run(CALLCOACH)
    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == [
        f"{CALLCOACH}  (callcoach)",
        "call_id      acme-2026-11-03",
        "rep          Dana Ruiz",
        "started_at   2026-11-03 17:02:13 UTC",
        "call_type    discovery",
        "account      Acme",
        "duration     31:05",
        "extra        crm_opportunity=OPP-1042",
        "2 speakers",
        "speaker      role       turns   words",
        "─────────────────────────────────────",
        "Dana Ruiz    rep            2      10",
        "Jordan Lee   prospect       1       4",
        "3 turns",
        "#   start   speaker      role       text",
        "──────────────────────────────────────────────────────────────────",
        "0   00:00   Dana Ruiz    rep        Thanks for joining, Jordan.",
        "1   00:04   Jordan Lee   prospect   Happy to be here.",
        "2   00:08   Dana Ruiz    rep        How do you run renewals today?",
        "",
    ]


def test_table_warns_about_what_scoring_would_need():
    result = run(str(FIXTURES / "roles.txt"))
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert "rep — started_at —" in out
    assert "warning: missing call_id, rep, started_at (required to score; see: callcoach docs transcripts)" in out
    assert "rep unknown" not in out  # REP:/AGENT: labels already say who the rep is


def test_long_files_are_truncated_unless_all(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("".join(f"{'Dana' if i % 2 else 'Jo'}: turn {i}\n" for i in range(25)))
    short = lines(run(str(path)).stdout)
    assert short[-2:] == ["… 5 more turns (--all shows them)", ""]
    assert "19  " in "\n".join(short) and "turn 20" not in "\n".join(short)
    full = lines(run(str(path), "--all").stdout)
    assert any(line.endswith("turn 24") for line in full)
    assert not any("more turns" in line for line in full)


def test_json_for_one_file_is_one_object_with_the_contract_keys():
    result = run(CALLCOACH, "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert list(doc) == ["call_id", "rep", "started_at", "call_type", "account", "duration", "extra",
                         "source", "format", "speakers", "utterances", "warnings"]
    assert (doc["call_id"], doc["rep"], doc["started_at"], doc["call_type"]) == (
        "acme-2026-11-03", "Dana Ruiz", "2026-11-03T17:02:13", "discovery")
    assert doc["utterances"][2] == {"index": 2, "speaker": "Dana Ruiz", "role": "rep", "start": 8.0,
                                    "end": None, "text": "How do you run renewals today?"}
    assert doc["warnings"] == []


def test_json_for_a_folder_is_a_list_and_jsonl_is_one_object_per_line(tmp_path):
    for name in ("callcoach.json", "roles.txt"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    listed = json.loads(run(str(tmp_path), "--format", "json").stdout)
    assert [Path(d["source"]).name for d in listed] == ["callcoach.json", "roles.txt"]
    jsonl = run(str(tmp_path), "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in jsonl] == listed
    missing = listed[1]
    assert (missing["call_id"], missing["rep"], missing["started_at"]) == (None, None, None)


def test_bad_files_get_one_error_line_each_and_the_rest_is_shown(tmp_path):
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"segments": [{"text": "hi", "start": "soon"}]}')
    bad_vtt = tmp_path / "bad.vtt"
    bad_vtt.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nA: hi\n\nno timing\n")
    result = run(str(bad_json), CALLCOACH, str(bad_vtt), str(tmp_path / "gone.txt"), "--format", "jsonl")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {bad_json}: at $.segments[0].start: 'start' should be number, found a string",
        f"error: {bad_vtt}:6: expected a cue timing line, found 'no timing' "
        "(cues look like 00:00:01.000 --> 00:00:04.000)",
        f"error: {tmp_path / 'gone.txt'}: no such file or folder",
    ]
    assert [json.loads(line)["call_id"] for line in result.stdout.splitlines()] == ["acme-2026-11-03"]


def test_roster_option_sets_roles(tmp_path):
    roster = tmp_path / "team.yaml"
    roster.write_text("reps: [{name: Dana Ruiz}]\ncolleagues: [Sam Lee]\n")
    doc = json.loads(run(str(FIXTURES / "teams_utf16.vtt"), "--roster", str(roster), "--format", "json").stdout)
    assert doc["rep"] == "Dana Ruiz"  # the one roster rep among the speakers
    assert doc["speakers"] == [{"name": "Dana Ruiz", "role": "rep"},
                               {"name": "Jordan Lee (Guest)", "role": "prospect"},
                               {"name": "Sam Lee", "role": "other"}]


def test_forced_input_format(tmp_path):
    path = tmp_path / "export.dat"
    path.write_text('{"segments": [{"start": 0, "end": 1.5, "text": " hi"}]}')
    doc = json.loads(run(str(path), "--input-format", "whisper", "--format", "json").stdout)
    assert doc["format"] == "whisper" and doc["utterances"][0]["end"] == 1.5


@pytest.mark.parametrize("args,message", [
    (["--input-format", "webvtt"], "error: unknown input format 'webvtt' (did you mean 'vtt'?)"),
    (["--format", "yaml"], "Error: Invalid value for '--format' / '-f': Value error, 'yaml' "
                           "is not one of 'table', 'json', 'jsonl'."),
], ids=["input-format", "format"])
def test_usage_errors_exit_2(args, message):
    result = run(CALLCOACH, *args)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == message


def test_one_speaker_and_one_turn_are_singular(tmp_path):
    path = tmp_path / "2026-11-03_dana-ruiz_voicemail.txt"
    path.write_text("Dana Ruiz: Hi, it's Dana, call me back when you can.\n")
    out = lines(run(str(path)).stdout)
    assert "1 speaker" in out and "1 turn" in out
