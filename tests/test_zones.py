"""Time zones: instants are stored in UTC, shown and counted in the team's zone (--tz,
CALLCOACH_TZ), and a window's label agrees with the calls it counts."""
from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callcoach import zones
from callcoach.analytics.rules import window, window_label
from callcoach.cli.app import app
from callcoach.cli.options import parse_as_of
from callcoach.errors import UsageError
from callcoach.store import Store
from coaching_helpers import at, make_store

FIXTURES = Path(__file__).parent / "fixtures" / "score"
RUBRIC = FIXTURES / "rubric.yaml"
NY = zones.zone("America/New_York")


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def one_call(tmp_path: Path, started_at: str, name: str = "a.txt") -> Path:
    folder = tmp_path / "calls"
    folder.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "calls" / "a.txt", folder / name)
    (folder / "calls.csv").write_text(
        f"file,call_id,rep,started_at,call_type\n{name},call-a,Dana Reyes,{started_at},demo\n")
    return folder


def stored_start(db: Path) -> str:
    with Store(db) as store:
        return next(store.query("SELECT started_at FROM calls"))[0]


# -- storing: UTC instants ----------------------------------------------------------------
def test_an_offset_in_calls_csv_is_stored_as_utc_and_shown_in_the_team_zone(new_db, tmp_path):
    folder = one_call(tmp_path, "2026-11-03T14:30:00-05:00")
    db = new_db("s")
    table = run("score", str(folder), "-r", str(RUBRIC), "--db", str(db), "--tz",
                "America/New_York", "--jobs", "1")
    assert table.exit_code == 0, table.output
    assert stored_start(db) == "2026-11-03T19:30:00"
    line = table.stdout.splitlines()[2]
    assert line.split()[:4] == ["call-a", "Dana", "Reyes", "2026-11-03"] and " 14:30 " in line
    assert "started: America/New_York" in table.stdout.splitlines()[-1]
    # the machine formats keep the stored instant (the jsonl contract: naive UTC)
    jsonl = run("score", str(folder), "-r", str(RUBRIC), "--db", str(db), "--format", "jsonl",
                "--tz", "America/New_York")
    assert json.loads(jsonl.stdout)["started_at"] == "2026-11-03T19:30:00"


def test_a_time_without_an_offset_is_read_in_the_team_zone(new_db, tmp_path):
    folder = one_call(tmp_path, "2026-11-03T14:30:00")
    db = new_db("s")
    first = run("score", str(folder), "-r", str(RUBRIC), "--db", str(db), "--quiet",
                "--tz", "America/New_York")
    assert first.exit_code == 0, first.output
    assert stored_start(db) == "2026-11-03T19:30:00"
    # the zone is part of what the file means: another zone re-reads it, the same one skips it
    same = run("score", str(folder), "-r", str(RUBRIC), "--db", str(db), "--quiet",
               "--tz", "America/New_York")
    assert "scored 0, unchanged 1" in same.stderr
    other = run("score", str(folder), "-r", str(RUBRIC), "--db", str(db), "--quiet",
                "--tz", "Europe/Berlin")
    assert "scored 1, unchanged 0" in other.stderr
    assert stored_start(db) == "2026-11-03T13:30:00"


def test_a_time_with_an_offset_does_not_depend_on_the_zone(new_db, tmp_path):
    folder = one_call(tmp_path, "2026-11-03T14:30:00Z")
    db = new_db("s")
    run("score", str(folder), "-r", str(RUBRIC), "--db", str(db), "--quiet", "--tz", "UTC")
    again = run("score", str(folder), "-r", str(RUBRIC), "--db", str(db), "--quiet",
                "--tz", "Asia/Tokyo")
    assert "scored 0, unchanged 1" in again.stderr
    assert stored_start(db) == "2026-11-03T14:30:00"


def test_a_file_name_date_is_midnight_in_the_team_zone(new_db, tmp_path, monkeypatch):
    folder = tmp_path / "calls"
    folder.mkdir()
    shutil.copy(FIXTURES / "calls" / "a.txt", folder / "2026-11-03_dana-reyes_acme.txt")
    monkeypatch.setenv("CALLCOACH_TZ", "America/New_York")   # the env var sets the default
    result = run("score", str(folder), "-r", str(RUBRIC), "--db", str(new_db("s")),
                 "--quiet")
    assert result.exit_code == 0, result.output
    assert stored_start(new_db("s")) == "2026-11-03T05:00:00"


def test_an_unknown_zone_is_a_usage_error_with_a_guess(new_db, tmp_path):
    make_store(new_db).close()
    result = run("queue", "--db", str(new_db("coach")), "--tz", "America/New_Yrok")
    assert result.exit_code == 2
    assert "unknown time zone 'America/New_Yrok'" in result.stderr
    assert "America/New_York" in result.stderr


# -- windows: counted in the zone, labelled by their bounds ----------------------------
def test_as_of_is_read_in_the_team_zone():
    assert parse_as_of("2026-11-13", NY).isoformat() == "2026-11-13T23:59:59-05:00"
    assert parse_as_of("2026-11-13T09:00", NY).isoformat() == "2026-11-13T09:00:00-05:00"
    assert parse_as_of("2026-11-13T14:00:00Z", NY).isoformat() == "2026-11-13T09:00:00-05:00"
    assert parse_as_of("2026-11-13").isoformat() == "2026-11-13T23:59:59"   # naive: UTC
    with pytest.raises(UsageError):
        parse_as_of("13/11/2026", NY)


@pytest.mark.parametrize("as_of, label", [
    ("2026-11-13", "last 14 days (2026-10-31 to 2026-11-13, America/New_York)"),
    ("2026-11-13T09:30", "last 14 days (after 2026-10-30 09:30 up to 2026-11-13 09:30, "
                         "America/New_York)"),
], ids=["whole days", "a time of day"])
def test_the_window_label_is_made_from_its_bounds(as_of, label):
    when = parse_as_of(as_of, NY)
    assert window_label(when, 14) == label
    start, end = window(when, 14)
    # across the end of daylight saving time (2026-11-01) a window still starts at the same
    # time of day: calendar days, not 14 x 24 hours
    assert start.strftime("%H:%M") == end.strftime("%H:%M")
    assert (start.utcoffset(), end.utcoffset()) == (NY.utcoffset(datetime(2026, 10, 30)),
                                                    NY.utcoffset(datetime(2026, 11, 13)))


def edge_store(new_db):
    """Dana's calls around the window's edges, stored as UTC instants. In New York:
    e0 2026-10-30 17:00 EDT (before the window), e1 2026-10-31 00:30 EDT (its first day),
    e2 2026-11-13 22:00 EST (its last day; 2026-11-14 in UTC)."""
    return make_store(new_db, calls=[
        ("e0", "Dana", at(30, 21, month=10), "discovery", {"discovery": 0.2}),
        ("e1", "Dana", at(31, 4, 30, month=10), "discovery", {"discovery": 0.4}),
        ("e2", "Dana", at(14, 3), "discovery", {"discovery": 0.6}),
    ])


def test_the_label_and_the_calls_counted_agree_in_every_command(new_db, tmp_path):
    edge_store(new_db).close()
    db = ["--db", str(new_db("coach")), "--tz", "America/New_York",
          "--as-of", "2026-11-13"]
    label = "last 14 days (2026-10-31 to 2026-11-13, America/New_York)"
    select = json.loads(run("select", "--rep", "Dana", "--format", "json", "--min-calls", "1",
                            *db).stdout)
    assert select["failed_calls"] == ["e1", "e2"] and select["calls_in_window"] == 2
    assert select["timezone"] == "America/New_York"
    assert select["start"] == "2026-10-30T23:59:59-04:00"
    assert select["as_of"] == "2026-11-13T23:59:59-05:00"
    for command in (["select", "--rep", "Dana", "--min-calls", "1"], ["queue"], ["scorecard"],
                    ["evidence", "--rep", "Dana", "--criterion", "discovery"],
                    ["agenda", "--rep", "Dana"]):
        result = run(*command, *db)
        assert result.exit_code == 0, (command, result.output)
        assert label in result.stdout.replace("\\_", "_"), command
    scorecard = run("scorecard", "--rep", "Dana", "--format", "json", *db)
    calls = json.loads(scorecard.stdout)["calls"]
    assert [(c["call_id"], c["started_at"]) for c in calls] == [
        ("e1", "2026-10-31T00:30:00-04:00"), ("e2", "2026-11-13T22:00:00-05:00")]
    # in UTC the same as-of is another window: e2 started on 2026-11-14 there
    utc = json.loads(run("select", "--rep", "Dana", "--format", "json", "--min-calls", "1",
                         "--db", str(new_db("coach")), "--tz", "UTC",
                         "--as-of", "2026-11-13").stdout)
    assert utc["failed_calls"] == ["e1"]


def test_fresh_is_elapsed_hours_across_a_clock_change(new_db, tmp_path):
    # 2026-10-31 12:30 EDT to 2026-11-02 12:00 EST is 48.5 hours (47.5 on the wall clock)
    make_store(new_db, calls=[
        ("f1", "Dana", at(31, 16, 30, month=10), "discovery", {"discovery": 0.2}),
        ("f2", "Dana", at(30, 16, month=10), "discovery", {"discovery": 0.2}),
        ("f3", "Dana", at(29, 16, month=10), "discovery", {"discovery": 0.2}),
    ]).close()
    out = json.loads(run("queue", "--format", "json", "--db", str(new_db("coach")),
                         "--tz", "America/New_York", "--as-of", "2026-11-02T12:00").stdout)
    (entry,) = out["to_coach"]
    assert (entry["fresh"], entry["hours_since_failure"]) == (False, 48.5)


def test_progress_counts_days_in_the_team_zone(new_db, tmp_path):
    # 2026-10-10 02:00 UTC is the evening of the session day (2026-10-09) in New York: day 0,
    # in no window; in UTC it is day 1, in weeks 1-2.
    store = make_store(new_db, calls=[
        ("p1", "Dana", at(10, 2, month=10), "discovery", {"discovery": 0.5})])
    store.add_session("Dana", "test-discovery", "discovery", "2026-10-09")
    store.close()
    db = ["--db", str(new_db("coach")), "--as-of", "2026-11-13", "--format", "json"]
    ny = json.loads(run("progress", *db, "--tz", "America/New_York").stdout)
    utc = json.loads(run("progress", *db, "--tz", "UTC").stdout)
    assert ny["sessions"][0]["windows"]["weeks_1_2"]["call_ids"] == []
    assert utc["sessions"][0]["windows"]["weeks_1_2"]["call_ids"] == ["p1"]
    assert ny["timezone"] == "America/New_York"
