"""The store's schema migrations: an old store opens, is upgraded in place, keeps its data,
and the analytics windows are answered from the covering index."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from datetime import datetime

from callcoach.analytics import frames
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
        assert store.schema_version == SCHEMA_VERSION == 4
        assert _indexes(store) == {"calls_window"}
        assert store.file_stats() == {}
        assert list(store.query("SELECT COUNT(*) FROM answers")) == [(0,)]
        totals = frames.call_totals(store, "disc", start=datetime(2026, 11, 1),
                                    end=datetime(2026, 11, 13))
        assert totals.to_dict("records") == [
            {"rep": "Dana Ruiz", "calls": 1, "overall_total": 50.0, "overall_scored": 1}]
    with Store(path) as again:   # opening an up-to-date store changes nothing
        assert again.schema_version == 4 and _indexes(again) == {"calls_window"}


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
