"""The store's schema migrations: an old store opens, is upgraded in place, keeps its data,
and the analytics windows are answered from the covering index."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from datetime import datetime

import pytest

from callcoach.analytics import frames
from callcoach.errors import NotFoundError
from callcoach.store import MIGRATIONS, SCHEMA_VERSION, Store


def _version_1_store(path) -> None:
    """A store as callcoach 0.1 (schema 1) left it, with one scored call."""
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO calls (call_id, rubric_id, rubric_hash, rep, started_at, overall) "
               "VALUES ('c1', 'disc', 'h1', 'Dana Ruiz', '2026-11-10T15:00:00', 50.0)")
    db.execute("INSERT INTO results (call_id, rubric_id, criterion_id, position, score, passed, "
               "reason) VALUES ('c1', 'disc', 'next_step', 0, 0.5, 0, 'half')")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()


def _indexes(store: Store) -> set[str]:
    return {name for (name,) in store.query(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'calls' "
        "AND sql IS NOT NULL")}


def test_a_schema_1_store_is_upgraded_in_place_and_keeps_its_scores(tmp_path):
    path = tmp_path / "old.db"
    _version_1_store(path)
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION == 5
        assert list(store.query("SELECT COUNT(*) FROM answers")) == [(0,)]
        assert _indexes(store) == {"calls_window"}
        assert store.file_stats() == {}
        totals = frames.call_totals(store, "disc", start=datetime(2026, 11, 1),
                                    end=datetime(2026, 11, 13))
        assert totals.to_dict("records") == [
            {"rep": "Dana Ruiz", "calls": 1, "overall_total": 50.0, "overall_scored": 1}]
    with Store(path) as again:   # opening an up-to-date store changes nothing
        assert again.schema_version == 5 and _indexes(again) == {"calls_window"}


def _version_3_store(path) -> None:
    """A store as schema 3 left it: two rubrics' calls and a session citing one of them."""
    db = sqlite3.connect(path)
    for step in MIGRATIONS[:3]:
        db.executescript(step)
    for rubric in ("disc", "meddicc"):
        db.execute("INSERT INTO rubrics VALUES (?, ?, '1', ?, '{}')",
                   (f"h-{rubric}", rubric, rubric))
        db.execute("INSERT INTO calls (call_id, rubric_id, rubric_hash, rep, started_at, "
                   "overall, source, content_hash) VALUES ('c1', ?, ?, 'Dana Ruiz', "
                   "'2026-11-10T15:00:00', 50.0, 'calls/c1.txt', 'fp1')",
                   (rubric, f"h-{rubric}"))
    db.execute("INSERT INTO sessions (rep, rubric_id, criterion_id, held_on, calls) VALUES "
               "('Dana Ruiz', 'disc', 'next_step', '2026-11-11', '[\"c1\"]')")
    db.execute("PRAGMA user_version = 3")
    db.commit()
    db.close()


def test_a_schema_3_store_gains_call_origins_and_runs(tmp_path):
    path = tmp_path / "v3.db"
    _version_3_store(path)
    with Store(path) as store:
        assert store.schema_version == 5
        (call,) = store.calls(["c1"], "disc")
        assert (call.meta.rep, call.source, call.origin, call.file_hash) == (
            "Dana Ruiz", "calls/c1.txt", None, None)
        assert store.scored_hashes("disc", "h-disc") == {
            "fp1": ("c1", datetime(2026, 11, 10, 15), None)}
        # no run was recorded before schema 4: with two rubrics, the user must pick
        with pytest.raises(NotFoundError, match="several rubrics: disc, meddicc") as e:
            store.rubric()
        assert "CALLCOACH_RUBRIC_ID" in e.value.hint
        store.record_run("meddicc", "h-meddicc", datetime(2026, 12, 1))
        picked = store.rubric()
        assert (picked.rubric_id, picked.others) == ("meddicc", ("disc",))
        assert store.rubric("disc").others == ()
        # removing a call keeps the session, without the call
        removed = store.remove_calls(["c1"], "disc")
        assert (removed.calls, removed.sessions) == ((("c1", "disc"),), (1,))
        assert store.sessions()[0].calls == ()
        assert [r for r in store.query("SELECT call_id, rubric_id FROM calls")] == [
            ("c1", "meddicc")]


def test_a_window_of_calls_is_read_from_the_index_alone(tmp_path):
    with Store(tmp_path / "new.db") as store:
        plan = " ".join(row[-1] for row in store.query(
            "EXPLAIN QUERY PLAN SELECT c.call_id, c.overall FROM calls c WHERE "
            "c.rubric_id = ? AND c.rep = ? AND c.started_at > ? AND c.started_at <= ?",
            ["disc", "Dana Ruiz", "2026-10-30", "2026-11-13"]))
    assert "COVERING INDEX calls_window" in plan


def test_a_scoring_run_leaves_planner_statistics_for_the_analytics(tmp_path):
    from callcoach.scoring.batch import score_paths
    root = Path(__file__).resolve().parents[1]
    with Store(tmp_path / "s.db") as store:
        report = score_paths([root / "examples" / "calls"],
                             root / "rubrics" / "five-step-discovery.yaml", store, jobs=1)
        assert report.scored == 128
        analysed = {idx for (idx,) in store.query("SELECT idx FROM sqlite_stat1")}
    assert "calls_window" in analysed


def test_a_locked_store_at_the_statistics_step_does_not_fail_a_stored_run(tmp_path, monkeypatch):
    from callcoach.scoring.batch import score_paths

    def locked(self):
        raise sqlite3.OperationalError("database is locked")
    monkeypatch.setattr(Store, "analyze", locked)
    root = Path(__file__).resolve().parents[1]
    with Store(tmp_path / "s.db") as store:
        report = score_paths([root / "examples" / "calls"],
                             root / "rubrics" / "five-step-discovery.yaml", store, jobs=1)
        assert (report.scored, report.errors) == (128, [])
        assert store.query("SELECT COUNT(*) FROM calls").fetchone()[0] == 128
