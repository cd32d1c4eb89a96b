"""One-off files get their metadata from the command line; a folder's files that are no
transcripts at all are skipped with one quiet note, not reported as errors."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from store_helpers import untouched
from callcoach.cli.app import app
from callcoach.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "score"
RUBRIC = FIXTURES / "rubric.yaml"
TRANSCRIPT = FIXTURES / "calls" / "a.txt"
SOURCES_MD = """\
# Real transcript samples

Public transcript files in the formats callcoach reads, copied from public repositories.

| local file | licence | notes |
|---|---|---|
| `a.vtt` | MIT | a real Zoom export |

Measured on this file: plain rapidfuzz on whole utterances, best F1 68.9.
"""


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_a_single_export_gets_its_metadata_from_the_command_line(new_db, tmp_path):
    export = tmp_path / "zoom_export.txt"   # no calls.csv, no sidecar, no date in the name
    shutil.copy(TRANSCRIPT, export)
    db = new_db("s")
    bare = run("score", str(export), "-r", str(RUBRIC), "--db", str(db))
    assert bare.exit_code == 1
    assert "--call-id ... --rep ... --started-at ... on the command line" in bare.stderr
    result = run("score", str(export), "-r", str(RUBRIC), "--db", str(db), "--format", "jsonl",
                 "--rep", "Dana Reyes", "--call-id", "zoom-1103", "--started-at",
                 "2026-11-03T14:30", "--call-type", "demo", "--tz", "America/New_York")
    assert result.exit_code == 0, result.output
    call = json.loads(result.stdout)
    assert (call["call_id"], call["rep"], call["started_at"], call["call_type"]) == (
        "zoom-1103", "Dana Reyes", "2026-11-03T19:30:00", "demo")
    # the flags are part of what the file means: another rep re-reads it
    again = run("score", str(export), "-r", str(RUBRIC), "--db", str(db), "--quiet",
                "--rep", "Dana Reyes", "--call-id", "zoom-1103", "--started-at",
                "2026-11-03T14:30", "--call-type", "discovery", "--tz", "America/New_York")
    assert "scored 1, unchanged 0" in again.stderr
    with Store(db) as store:
        assert store.query("SELECT call_type FROM calls").fetchall() == [("discovery",)]


def test_the_command_line_wins_over_the_manifest(new_db, tmp_path):
    folder = Path(shutil.copytree(FIXTURES / "calls", tmp_path / "calls"))
    result = run("score", str(folder / "a.txt"), "-r", str(RUBRIC), "--db",
                 str(new_db("s")), "--format", "jsonl", "--call-type", "renewal")
    assert result.exit_code == 0, result.output
    call = json.loads(result.stdout)
    assert (call["call_id"], call["call_type"]) == ("call-a", "renewal")


@pytest.mark.parametrize("args, message", [
    (["--call-id", "x"], "--call-id names one call: give it with one transcript file"),
    (["--started-at", "13/11/2026"], "--started-at '13/11/2026' is not a date/time"),
], ids=["call id for a folder", "bad start"])
def test_bad_command_line_metadata_is_a_usage_error(new_db, tmp_path, args, message):
    folder = Path(shutil.copytree(FIXTURES / "calls", tmp_path / "calls"))
    result = run("score", str(folder), "-r", str(RUBRIC), "--db", str(new_db("s")), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert untouched(new_db("s")) or Store(new_db("s")).query(
        "SELECT COUNT(*) FROM calls").fetchone()[0] == 0


def notes_folder(tmp_path: Path) -> Path:
    folder = Path(shutil.copytree(FIXTURES / "calls", tmp_path / "calls"))
    (folder / "SOURCES.md").write_text(SOURCES_MD)
    (folder / "package.json").write_text('{"name": "crm-sync", "version": "1.0.0"}\n')
    (folder / "accounts.csv").write_text("account,owner\nAcme,Dana Reyes\n")
    (folder / "todo.txt").write_text("call Acme back\nsend the deck\n")
    return folder


def test_a_folder_skips_its_notes_with_one_quiet_line(new_db, tmp_path):
    folder = notes_folder(tmp_path)
    result = run("score", str(folder), "-r", str(RUBRIC), "--db", str(new_db("s")),
                 "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:-1] == [
        "skipped 4 files that are not a transcript: SOURCES.md, accounts.csv, package.json, "
        "todo.txt (name a file on the command line to read it anyway)"]
    assert result.stderr.splitlines()[-1].startswith("scored 4, unchanged 0, errors 0 (")
    inspect = run("inspect", str(folder), "--format", "jsonl")
    assert inspect.exit_code == 0
    assert len(inspect.stdout.splitlines()) == 4
    assert inspect.stderr.startswith("skipped 4 files that are not a transcript")


def test_a_notes_file_named_or_listed_as_a_call_is_an_error(new_db, tmp_path):
    folder = notes_folder(tmp_path)
    named = run("score", str(folder / "SOURCES.md"), "-r", str(RUBRIC), "--db",
                str(new_db("s")), "--quiet")
    assert named.exit_code == 1
    assert "SOURCES.md" in named.stderr and "skipped" not in named.stderr
    with (folder / "calls.csv").open("a") as f:
        f.write("todo.txt,call-t,Dana Reyes,2026-03-04T10:00:00,demo,north\n")
    listed = run("score", str(folder), "-r", str(RUBRIC), "--db", str(new_db("s")),
                 "--quiet")
    assert listed.exit_code == 1
    assert "todo.txt:2: no turns found" in listed.stderr
    assert "skipped 3 files" in listed.stderr


def test_a_transcript_with_a_title_above_it_is_not_skipped(new_db, tmp_path):
    folder = tmp_path / "calls"
    folder.mkdir()
    body = TRANSCRIPT.read_text()
    (folder / "2026-11-03_dana-reyes_acme.txt").write_text(
        "Acme discovery call\nRecorded on Zoom\n\n" + body)
    result = run("score", str(folder), "-r", str(RUBRIC), "--db", str(new_db("s")),
                 "--quiet")
    assert result.exit_code == 0, result.output
    assert "scored 1," in result.stderr and "skipped" not in result.stderr
