"""A call is who and when it is: a transcript that was renamed, moved or given a new id
replaces its old call instead of duplicating it; calls can be removed (`calls rm`,
`score --prune`), and sessions and exports follow."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from callcoach.cli.app import app
from callcoach.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "score"
RUBRIC = FIXTURES / "rubric.yaml"
TRANSCRIPT = FIXTURES / "calls" / "a.txt"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def score(folder: Path, db: Path, *more: str):
    result = run("score", str(folder), "-r", str(RUBRIC), "--db", str(db), "--quiet",
                 "--jobs", "1", *more)
    assert result.exit_code == 0, result.output
    return result


def scored_once(new_db, tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A folder holding the fixture transcript as `name`, scored into a fresh store."""
    folder = tmp_path / "calls"
    folder.mkdir()
    shutil.copy(TRANSCRIPT, folder / name)
    db = new_db("s")
    score(folder, db)
    return folder, db


def summary(result) -> str:
    return result.stderr.splitlines()[-1].split(" (")[0]


def stored(db: Path) -> list[tuple]:
    with Store(db) as store:
        return store.query("SELECT call_id, rep, started_at, source FROM calls "
                           "ORDER BY call_id").fetchall()


def counts(db: Path) -> dict[str, int]:
    with Store(db) as store:
        return {t: store.query(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("calls", "results", "moments", "transcripts")}


def test_a_renamed_file_replaces_its_old_call(new_db, tmp_path):
    folder, db = scored_once(new_db, tmp_path, "2026-10-01_dana-reyes_x.txt")
    (folder / "2026-10-01_dana-reyes_x.txt").rename(folder / "2026-11-10_dana-reyes_x.txt")
    again = score(folder, db)
    # the file name is part of what the file says: it is read again, under its new identity
    assert summary(again) == "scored 1, unchanged 0, errors 0, replaced 1"
    assert "replaced 2026-10-01_dana-reyes_x by 2026-11-10_dana-reyes_x" in again.stderr
    assert stored(db) == [("2026-11-10_dana-reyes_x", "Dana Reyes", "2026-11-10T00:00:00",
                           str(folder / "2026-11-10_dana-reyes_x.txt"))]
    assert counts(db)["transcripts"] == 1
    card = json.loads(run("scorecard", "--db", str(db), "--as-of", "2026-11-13",
                          "--format", "json").stdout)
    assert card["rows"][0]["calls"] == 1


def test_a_manifest_added_later_gives_the_call_its_id_and_sessions_follow(new_db, tmp_path):
    folder, db = scored_once(new_db, tmp_path, "2026-11-02_dana-reyes_acme.txt")
    logged = run("session", "add", "--rep", "Dana Reyes", "--criterion", "discovery",
                 "--date", "2026-11-05", "--calls", "2026-11-02_dana-reyes_acme",
                 "--db", str(db))
    assert logged.exit_code == 0, logged.output
    (folder / "calls.csv").write_text(
        "file,call_id,rep,started_at\n"
        "2026-11-02_dana-reyes_acme.txt,SF-00912,Dana Reyes,2026-11-02T15:00:00Z\n")
    again = score(folder, db)
    assert summary(again) == "scored 1, unchanged 0, errors 0, replaced 1"
    assert [row[0] for row in stored(db)] == ["SF-00912"]
    listed = json.loads(run("session", "list", "--db", str(db), "--format", "json").stdout)
    assert listed[0]["calls"] == ["SF-00912"]


def test_a_copy_that_still_exists_is_another_call(new_db, tmp_path):
    folder, db = scored_once(new_db, tmp_path, "2026-11-02_dana-reyes_acme.txt")
    shutil.copy(TRANSCRIPT, folder / "2026-11-03_dana-reyes_acme.txt")
    again = score(folder, db)
    assert summary(again) == "scored 1, unchanged 1, errors 0"
    assert [row[0] for row in stored(db)] == ["2026-11-02_dana-reyes_acme",
                                              "2026-11-03_dana-reyes_acme"]


def test_a_moved_file_is_unchanged_and_its_call_follows_it(new_db, tmp_path):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "archive").mkdir()
    name = "2026-11-02_dana-reyes_acme.txt"
    shutil.copy(TRANSCRIPT, tmp_path / "inbox" / name)
    shutil.copy(TRANSCRIPT, tmp_path / "archive" / "other.txt")   # the archive is not empty
    db = new_db("s")
    score(tmp_path / "inbox", db)
    (tmp_path / "inbox" / name).rename(tmp_path / "archive" / name)
    moved = score(tmp_path / "archive" / name, db)
    assert summary(moved) == "scored 0, unchanged 1, errors 0, moved 1"
    assert stored(db)[0][3] == str(tmp_path / "archive" / name)
    # the inbox no longer holds its file, but the call is not gone: nothing to prune (and an
    # empty folder is a usage error before anything is touched: a wrong path must not pass CI)
    pruned = run("score", str(tmp_path / "inbox"), "-r", str(RUBRIC), "--db", str(db), "--prune")
    assert pruned.exit_code == 2 and "no transcript files in" in pruned.output
    assert len(stored(db)) == 1


def test_prune_removes_the_calls_whose_file_is_gone(new_db, tmp_path):
    folder = Path(shutil.copytree(FIXTURES / "calls", tmp_path / "calls"))
    db = new_db("s")
    score(folder, db)
    logged = run("session", "add", "--rep", "Lee Park", "--criterion", "discovery",
                 "--date", "2026-03-04", "--calls", "call-b,call-d", "--db", str(db))
    assert logged.exit_code == 0, logged.output
    before = counts(db)
    (folder / "b.txt").unlink()
    manifest = (folder / "calls.csv").read_text().splitlines()
    (folder / "calls.csv").write_text("\n".join(l for l in manifest if "b.txt" not in l) + "\n")
    plain = score(folder, db)   # without --prune nothing is removed
    assert len(stored(db)) == 4 and "pruned" not in plain.stderr
    pruned = score(folder, db, "--prune")
    assert summary(pruned) == "scored 0, unchanged 3, errors 0, pruned 1"
    assert "pruned call-b: its file is gone" in pruned.stderr
    assert "sessions #1 no longer cite the pruned calls" in pruned.stderr
    assert [row[0] for row in stored(db)] == ["call-a", "call-c", "call-d"]
    after = counts(db)
    assert (after["calls"], after["transcripts"]) == (3, 3)
    assert after["results"] == before["results"] * 3 // 4
    listed = json.loads(run("session", "list", "--db", str(db), "--format", "json").stdout)
    assert listed[0]["calls"] == ["call-d"]
    export = run("export", "--table", "moments", "--format", "jsonl", "--db", str(db))
    assert export.exit_code == 0 and export.stdout
    assert {json.loads(line)["call_id"] for line in export.stdout.splitlines()} <= {
        "call-a", "call-c", "call-d"}


def test_prune_leaves_an_emptied_folder_alone(new_db, tmp_path):
    # a share that is not mounted looks like an empty folder: that must not empty the store
    folder = Path(shutil.copytree(FIXTURES / "calls", tmp_path / "calls"))
    db = new_db("s")
    score(folder, db)
    for f in folder.iterdir():
        f.unlink()
    result = run("score", str(folder), "-r", str(RUBRIC), "--db", str(db), "--quiet", "--prune")
    assert "pruned" not in result.stderr
    assert len(stored(db)) == 4


def test_calls_rm_removes_a_call_everywhere_and_sessions_keep_the_rest(new_db, tmp_path):
    folder = Path(shutil.copytree(FIXTURES / "calls", tmp_path / "calls"))
    db = new_db("s")
    score(folder, db)
    run("session", "add", "--rep", "Lee Park", "--criterion", "discovery", "--date",
        "2026-03-04", "--calls", "call-b,call-d", "--db", str(db))
    result = run("calls", "rm", "call-b", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert result.stdout == ("removed call-b (rubric demo-discovery)\n"
                             "sessions #1 no longer cite the removed calls\n")
    assert [row[0] for row in stored(db)] == ["call-a", "call-c", "call-d"]
    assert counts(db)["transcripts"] == 3
    with Store(db) as store:
        assert store.query("SELECT COUNT(*) FROM moments WHERE call_id = 'call-b'"
                           ).fetchone()[0] == 0
        assert "call-b" not in {p for (p,) in store.query("SELECT path FROM file_stats")}
    # scoring the folder again brings it back: the file is still there
    again = score(folder, db)
    assert summary(again) == "scored 1, unchanged 3, errors 0"


def test_calls_rm_of_an_unknown_id_removes_nothing(new_db, tmp_path):
    folder = Path(shutil.copytree(FIXTURES / "calls", tmp_path / "calls"))
    db = new_db("s")
    score(folder, db)
    result = run("calls", "rm", "call-a", "call-x", "--db", str(db))
    assert result.exit_code == 1
    assert "no call 'call-x'" in result.stderr and "did you mean" in result.stderr
    assert len(stored(db)) == 4


def test_the_default_rubric_is_the_most_recent_runs_and_reports_say_so(new_db, tmp_path, monkeypatch):
    folder = Path(shutil.copytree(FIXTURES / "calls", tmp_path / "calls"))
    other = tmp_path / "other.yaml"
    other.write_text(RUBRIC.read_text().replace("rubric: demo-discovery", "rubric: demo-b"))
    db = new_db("s")
    score(folder, db)
    run("score", str(folder), "-r", str(other), "--db", str(db), "--quiet")
    note = ("rubric demo-b (the most recent run's; the store also holds demo-discovery: pick "
            "with --rubric-id or CALLCOACH_RUBRIC_ID)")
    args = ["--db", str(db), "--as-of", "2026-03-04"]
    queue = run("queue", *args)
    assert queue.exit_code == 0, queue.output
    assert queue.stdout.startswith(f"Coaching queue · {note} · ")
    for command in (["scorecard"], ["select", "--rep", "Lee Park"],
                    ["agenda", "--rep", "Lee Park"], ["explain", "call-b", "-c", "discovery"]):
        result = run(*command, *args[:2], *(args[2:] if command[0] != "explain" else []))
        assert result.exit_code == 0, (command, result.output)
        shown = result.stdout.replace("\\", "")   # Markdown escapes
        assert "rubric demo-b" in shown and note[len("rubric demo-b "):] in shown, command
    assert json.loads(run("scorecard", *args, "--format", "json").stdout)["rubric_note"] == \
        note[len("rubric demo-b ("):-1]
    # the environment variable (or --rubric-id) picks one: no note then
    monkeypatch.setenv("CALLCOACH_RUBRIC_ID", "demo-discovery")
    picked = run("queue", *args)
    assert picked.stdout.startswith("Coaching queue · rubric demo-discovery · ")
    monkeypatch.delenv("CALLCOACH_RUBRIC_ID")
    # scoring with the first rubric again makes it the most recent
    score(folder, db)
    assert run("queue", *args).stdout.startswith(
        "Coaching queue · rubric demo-discovery (the most recent run's; the store also holds "
        "demo-b: ")
