"""The store's guarantees, the same tests on both backends (conftest's `db`: an SQLite file
and a schema on a real PostgreSQL server): a call round-trips bit for bit; scoring it again
replaces it; text sorts by code point whatever the server's locale; two runs scoring
overlapping folders at once store each call once and whole; a reader never sees half a call.
(kill -9 of a writer: test_score_cli's interrupted runs, on both backends too.)"""
from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from callcoach.analytics import lookup
from callcoach.errors import StoreError
from callcoach.scoring.batch import score_paths
from callcoach.scoring.result import CallScore, CriterionResult, Moment
from callcoach.store import SCHEMA_VERSION, Store
from callcoach.transcript import CallMeta, Utterance
from store_helpers import count

FIXTURES = Path(__file__).parent / "fixtures" / "score"
RUBRIC = FIXTURES / "rubric.yaml"


def a_call(call_id: str = "c1", rep: str = "Dana", score: float = 1 / 3) -> CallScore:
    moments = [Moment(3, 61.25, rep, "rep", "we record “all” calls ☎", kind="match",
                      matched="we record all calls", similarity=0.1 + 0.2, span=(0, 9)),
               Moment(7, None, "Sam", "prospect", "too expensive", kind="trigger", step="t")]
    results = [CriterionResult("disclosure", score, False, "said it late", moments,
                               {"violations": 2}),
               CriterionResult("next_step", None, None, "not applicable", [], {})]
    meta = CallMeta(call_id, rep, datetime(2026, 11, 3, 14, 30, 0, 250000), "discovery",
                    "Acme", 1834.5, {"team": "north", "région": "nord"})
    return CallScore(meta, "disc", "2", "hash-2", 100 / 3, True, results,
                     {"rep_talk_ratio": 0.123456789012345678, "questions": 7},
                     "calls/c1.txt", "fp-1", "/abs/calls/c1.txt", "file-1")


UTTERANCES = [Utterance(0, "Dana", "Hi — “quoted” text ☎", "rep", 0.0, 1.5),
              Utterance(1, "Sam", "Sure.", "prospect", None, None)]


def test_a_call_round_trips_bit_for_bit(db):
    with Store(db) as store:
        store.save_rubric("disc", "hash-2", "2", "Discovery", {"rubric": "disc"})
        store.save_call(a_call(), UTTERANCES)
        (back,) = store.calls(["c1"], "disc")
        assert back.to_dict() == a_call().to_dict()
        assert back.results[0].score == 1 / 3 and back.overall == 100 / 3
        assert back.metrics["rep_talk_ratio"] == 0.123456789012345678
        assert back.meta.started_at == datetime(2026, 11, 3, 14, 30, 0, 250000)
        assert store.utterances("c1") == UTTERANCES


def test_scoring_a_call_again_replaces_it_and_its_evidence(db):
    with Store(db) as store:
        store.save_call(a_call(score=0.25), UTTERANCES)
        store.save_call(a_call(score=0.75), UTTERANCES[:1])
        assert [tuple(r) for r in store.query(
            "SELECT COUNT(*), MIN(score), MAX(score) FROM results WHERE score IS NOT NULL")] == [
            (1, 0.75, 0.75)]
        assert store.query("SELECT COUNT(*) FROM moments").fetchone()[0] == 2
        assert store.query("SELECT COUNT(*) FROM calls").fetchone()[0] == 1
        assert store.utterances("c1") == UTTERANCES[:1]


def test_text_sorts_by_code_point_whatever_the_locale(db):
    names = ["Émile", "bob", "Zoe", "_x", "ana", "Ana", "a-b", "ab"]
    with Store(db) as store:
        store.save_calls([(a_call(f"c{i}", rep=name), UTTERANCES) for i, name in enumerate(names)])
        assert lookup.reps(store, "disc") == sorted(names)
        assert store.json_keys("extra") == ["région", "team"]
        assert store.json_keys("metrics", "disc") == ["questions", "rep_talk_ratio"]


def test_file_fingerprints_keep_nanosecond_times(db):
    key = ("salt", 1234, 1_790_000_000_123_456_789, 1_790_000_000_987_654_321, 2**40, 2**33)
    with Store(db) as store:
        store.save_file_stats([("calls/a.txt", key, "fp")])
        store.save_file_stats([("calls/a.txt", key, "fp2")])
        assert store.file_stats() == {"calls/a.txt": (key, "fp2")}


def test_sessions_and_answers(db):
    with Store(db) as store:
        first = store.add_session("Dana", "disc", "next_step", "2026-11-03", ["c1"], "notes")
        second = store.add_session("Dana", "disc", "next_step", "2026-11-04")
        assert second > first
        assert [s.id for s in store.sessions(rep="Dana")] == [first, second]
        assert store.delete_session(first).notes == "notes"


def test_reopening_keeps_the_schema_and_a_newer_one_is_refused(db):
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        if store.backend == "sqlite":
            store.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        else:
            store.db.execute("UPDATE callcoach_schema SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match=f"has schema {SCHEMA_VERSION + 1}, newer than"):
        Store(db)


def test_a_reading_command_on_an_empty_location_says_there_is_no_store(db):
    with pytest.raises(StoreError, match="no (callcoach )?store (at|in) ") as e:
        Store(db, must_exist=True)
    assert "score some calls" in e.value.hint


def _folder(root: Path, name: str, numbers: range) -> Path:
    """Calls m{i} as files of their own folder, with a calls.csv: one machine's share."""
    folder = root / name
    folder.mkdir()
    template = (FIXTURES / "calls" / "a.txt").read_text()
    rows = ["file,call_id,rep,started_at"]
    for i in numbers:
        (folder / f"m{i:02d}.txt").write_text(template.replace("Sam", f"Sam{i}"))
        rows.append(f"m{i:02d}.txt,m{i:02d},Dana Reyes,2026-03-{1 + i % 28:02d}T10:{i:02d}:00")
    (folder / "calls.csv").write_text("\n".join(rows) + "\n")
    return folder


# Scoring paced by a sleep per call, so that runs overlap and readers catch writers mid-way.
PACED = """
import sys, time
from callcoach.scoring import batch
real = batch._score
batch._score = lambda transcript, compiled: (time.sleep(0.02), real(transcript, compiled))[1]
from callcoach.cli.app import main
sys.exit(main(sys.argv[1:]))
"""


def _paced_run(folder: Path, db: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", PACED, "score", str(folder), "-r",
                             str(RUBRIC), "--db", db, "--jobs", "1", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _whole(store: Store, ids: list[str]) -> list[dict]:
    got = [s.to_dict() for s in store.calls(ids, "demo-discovery")]
    assert [s["call_id"] for s in got] == ids
    return got


def test_two_runs_on_overlapping_folders_store_each_call_once_and_whole(db, tmp_path):
    one, two = _folder(tmp_path, "one", range(0, 30)), _folder(tmp_path, "two", range(10, 40))
    runs = [_paced_run(one, db), _paced_run(two, db)]
    outs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outs
    ids = [f"m{i:02d}" for i in range(40)]
    with Store(db) as store:
        assert store.query("SELECT COUNT(*) FROM calls").fetchone()[0] == 40
        assert store.query("SELECT COUNT(*) FROM results").fetchone()[0] == 40 * 4
        assert store.query("SELECT COUNT(*) FROM transcripts").fetchone()[0] == 40
        stored = _whole(store, ids)
    with Store(":memory:") as fresh:
        score_paths([one, two], RUBRIC, fresh, jobs=1)
        want = _whole(fresh, ids)
    for row in (*stored, *want):   # the one field that says which machine wrote it last
        row.pop("source")
    assert stored == want


def test_a_reader_never_sees_half_a_call(db, tmp_path):
    folder = _folder(tmp_path, "calls", range(40))
    with Store(":memory:") as fresh:
        score_paths([folder], RUBRIC, fresh, jobs=1)
        want = {s["call_id"]: s for s in _whole(fresh, [f"m{i:02d}" for i in range(40)])}
    writer = _paced_run(folder, db)
    seen, reads = set(), 0
    deadline = time.monotonic() + 60
    while writer.poll() is None and time.monotonic() < deadline:
        if count(db) == 0:
            time.sleep(0.01)
            continue
        with Store(db) as store:
            ids = [r[0] for r in store.query("SELECT call_id FROM calls ORDER BY call_id")]
            for score in _whole(store, ids):
                assert score == want[score["call_id"]]
            seen.update(ids)
            reads += 1
    assert writer.wait(timeout=60) == 0, writer.communicate()
    assert reads >= 2 and 0 < len(seen) <= 40
