"""Hostile input and store faults (issue 13): what real folders and real attackers contain.

Every case ends in seconds (subprocess timeouts on the ones that used to hang) with a clear
message and the documented exit code, no traceback, no payload in any output, and the good
calls of the same batch stored. Sizes are the smallest that show the mechanism; the figures
before and after are in docs/limits.md.

Sections: inputs that hang or balloon · rubric and YAML · store faults · outputs that carry
someone else's payload · what used to be accepted silently.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import multiprocessing
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from callcoach import files
from callcoach.cli.app import app
from callcoach.errors import StoreError
from callcoach.ingest import MAX_UTTERANCE_CHARS
from callcoach.matching.normalize import normalize
from callcoach.rubric.lint import lint_text
from callcoach.sanitize import csv_cell, csv_value, strip_controls
from callcoach.scoring import batch
from callcoach.scoring.batch import score_paths
from callcoach.scoring.context import MAX_MOMENTS
from callcoach.scoring.quote import EXCERPT_CHARS, Aligner, excerpt
from callcoach.store import SCHEMA_VERSION, Store
from store_helpers import count
from test_score_cli import PACED, assert_every_stored_call_is_whole, many_calls, stored_calls  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "score"
RUBRIC = FIXTURES / "rubric.yaml"
FIVE_STEP = ROOT / "rubrics" / "five-step-discovery.yaml"
GOOD = ["call-a", "call-b", "call-c", "call-d"]
AS_OF = "2026-03-05"
# what must never reach a terminal: ESC, CSI (C1), BEL, and a right-to-left override
PAYLOAD_CHARS = re.compile("[\x1b\x9b\x07\u202e]")
FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def calls(tmp_path) -> Path:
    """The four good calls of tests/fixtures/score, in a folder a test may add to."""
    return Path(shutil.copytree(FIXTURES / "calls", tmp_path / "calls"))


def cli(*args: str, env: dict | None = None):
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        "".join(__import__("traceback").format_exception(result.exception))
    assert "Traceback" not in result.output
    return result


def run(*args: str, timeout: float = 60, env: dict | None = None,
        input: bytes | None = None) -> subprocess.CompletedProcess:
    """A real `callcoach` process; a hang fails the test after `timeout` seconds."""
    result = subprocess.run([sys.executable, "-m", "callcoach", *map(str, args)],
                            capture_output=True, timeout=timeout, input=input,
                            env={**os.environ, **(env or {})})
    result.stdout, result.stderr = (x.decode(errors="replace") for x in
                                    (result.stdout, result.stderr))
    assert "Traceback" not in result.stderr, result.stderr
    return result


def stored(db: str | Path) -> list[str]:
    with Store(db) as store:
        return [r[0] for r in store.query("SELECT call_id FROM calls ORDER BY call_id")]


def store_size(db: str) -> int:
    """Bytes the store takes: the SQLite file and its WAL, or the tables of the PostgreSQL
    store's schema with their indexes and TOAST."""
    if "://" in db:
        import psycopg
        with psycopg.connect(db) as conn:
            return int(conn.execute(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                "AND c.relkind = 'r'").fetchone()[0])
    return sum(os.path.getsize(f"{db}{s}") for s in ("", "-wal") if os.path.exists(f"{db}{s}"))


def manifest_row(folder: Path, row: str) -> None:
    with open(folder / "calls.csv", "a", encoding="utf-8") as f:
        f.write(row + "\n")


# == inputs that hang or balloon ===============================================================

def test_long_utterance_stores_bounded_excerpts(calls, db):
    """100 KB of one line repeating a phrase stored 346 MB (each of its 1,700 moments held the
    whole line); 10 KB stored 3.7 MB. Now: at most 100 moments, each a short excerpt."""
    phrase = "we guarantee it and this call is recorded. "
    (calls / "2026-03-04_dana-reyes_long.txt").write_text(
        "Dana Reyes: " + phrase * (100_000 // len(phrase)) + "\nSam: too expensive\n")
    result = cli("score", calls, "-r", RUBRIC, "--db", db, "-q")
    assert result.exit_code == 0, result.output
    assert stored(db) == ["2026-03-04_dana-reyes_long", *GOOD]
    assert store_size(db) < 2_000_000
    with Store(db) as store:
        score = store.call("2026-03-04_dana-reyes_long", "demo-discovery")
    found, said = score.result("no_guarantees"), 100_000 // len(phrase)
    assert found.counts["violations"] == said                       # every one counted
    assert found.reason.endswith(f"forbidden language {said} times in all")
    assert len(found.moments) == MAX_MOMENTS                        # the first 100 kept
    for m in found.moments:
        assert len(m.text) <= EXCERPT_CHARS and "we guarantee" in m.text
    # ...and what shows the moments in context quotes the runaway turn, never prints it whole
    for args in [("explain", "2026-03-04_dana-reyes_long", "--criterion", "no_guarantees"),
                 ("evidence", "--rep", "Dana Reyes", "--criterion", "no_guarantees", "--as-of",
                  AS_OF), ("agenda", "--rep", "Dana Reyes", "--as-of", AS_OF)]:
        shown = cli(*args, "--db", db)
        assert shown.exit_code == 0 and len(shown.output) < 100_000, (args, len(shown.output))


def test_a_turn_near_the_limit_scores_in_linear_time(tmp_path):
    """A hang detector, not a speed target: a 450 KB turn of one sentence (no punctuation) and
    one of thousands of short sentences repeating a phrase, against both shipped check styles.
    Matching that revisits the turn per candidate or per match took 20-60 s on each; a linear
    pass takes one or two."""
    from callcoach.rubric.loader import load_rubric
    from callcoach.scoring.compile import compile_rubric
    from callcoach.scoring.engine import score_transcript
    from callcoach.transcript import CallMeta, Transcript, Utterance
    from datetime import datetime
    words = " ".join(re.sub(r"\(\d\d:\d\d\) [A-Za-z ]+: |[.,?]", "",
                            (FIXTURES / "calls" / "a.txt").read_text()).split())
    phrase = "we guarantee it and this call is recorded. "
    turns = [(words + " ") * (450_000 // len(words)), phrase * (450_000 // len(phrase))]
    call = Transcript(CallMeta("long", "Dana", datetime(2026, 3, 1)), [
        Utterance(0, "Dana", "Hello, this call is recorded.", "rep", 0.0),
        *[Utterance(i + 1, "Dana", t, "rep", 10.0 * (i + 1)) for i, t in enumerate(turns)],
        Utterance(3, "Sam", "That is too expensive.", "prospect", 40.0)])
    started = time.monotonic()
    for rubric in (RUBRIC, FIVE_STEP):
        score = score_transcript(call, compile_rubric(load_rubric(rubric)))
        assert all(len(r.moments) <= MAX_MOMENTS for r in score.results)
    assert time.monotonic() - started < 30


@example(words=["okay", "yeah", "no", "we", "have", "budget"], marks=[], first=3, length=2,
         phrase_negations=0)   # an answering "no" after fillers
@example(words=["we", "never", "share", "and", "we", "record"], marks=[], first=5, length=1,
         phrase_negations=0)   # "and" before a new subject starts a clause
@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(["no", "not", "never", "problem", "worries", "we", "it",
                                       "a", "only", "budget", "have", "nobody", "i", "but",
                                       "and", "so", "the", "there", "yeah", "okay", "well"]),
                      min_size=1, max_size=12),
       marks=st.lists(st.integers(1, 11), max_size=3), first=st.integers(0, 11),
       length=st.integers(1, 4), phrase_negations=st.integers(0, 2))
def test_negation_of_a_sentence_judged_once_agrees_with_judging_each_span(
        words, marks, first, length, phrase_negations):
    from callcoach.matching.language import SentenceNegation, negated
    first = min(first, len(words) - 1)
    end = min(len(words), first + length)
    assert SentenceNegation(words, marks).negated(first, end, phrase_negations) == \
        negated(words, marks, first, end, phrase_negations)


def test_turn_over_the_limit_is_skipped_and_the_batch_goes_on(calls, tmp_path):
    (calls / "2026-03-04_dana-reyes_runaway.txt").write_text(
        "Dana Reyes: " + "word " * (MAX_UTTERANCE_CHARS // 5 + 10) + "\n")
    result = cli("score", calls, "-r", RUBRIC, "--db", tmp_path / "s.db", "-q")
    assert result.exit_code == 1
    assert "characters long, over the limit of 500,000 for one utterance; the file is " \
           "skipped" in result.stderr
    assert stored(tmp_path / "s.db") == GOOD


def test_file_over_the_size_limit_is_refused_unread(calls, tmp_path):
    big = calls / "2026-03-04_dana-reyes_huge.txt"
    with open(big, "wb") as f:   # sparse: refused by its size, never read
        f.truncate(files.MAX_FILE_BYTES + 1)
    result = cli("score", calls, "-r", RUBRIC, "--db", tmp_path / "s.db", "-q")
    assert result.exit_code == 1
    assert f"{big}: cannot read: too large (50.0 MB; the limit is 50.0 MB a file), " \
           f"skipped" in result.stderr
    assert stored(tmp_path / "s.db") == GOOD


def big_call(folder: Path) -> None:
    """A call that takes seconds to score (12 turns of 400 KB), listed after call-a."""
    words = " ".join(re.sub(r"\(\d\d:\d\d\) [A-Za-z ]+: |[.,?]", "",
                            (FIXTURES / "calls" / "a.txt").read_text()).split())
    turn = (words + " ") * (400_000 // len(words))
    (folder / "z-big.txt").write_text(
        "".join(f"{'Dana Reyes' if i % 2 else 'Sam Ortiz'}: {turn}\n" for i in range(12)))
    manifest_row(folder, "z-big.txt,call-big,Dana Reyes,2026-03-04T10:00:00,demo,north")


@pytest.mark.parametrize("signum, jobs", [(signal.SIGTERM, 1), (signal.SIGTERM, 2),
                                          (signal.SIGINT, 1), (signal.SIGINT, 2)],
                         ids=["SIGTERM-jobs1", "SIGTERM-jobs2", "SIGINT-jobs1", "SIGINT-jobs2"])
def test_a_stop_signal_during_a_huge_call_stops_within_seconds(tmp_path, db, signum, jobs):
    """A 300 KB call ignored SIGTERM for 17 s (--jobs 1: it ran to the end and exited 0) or
    24 s (--jobs 2); a 1 MB call never stopped. Now the call in hand is abandoned, the calls
    that finished are kept, and the run exits 128 + the signal."""
    folder = tmp_path / "calls"
    folder.mkdir()
    shutil.copy(FIXTURES / "calls" / "a.txt", folder)
    (folder / "calls.csv").write_text("file,call_id,rep,started_at,call_type,team\n"
                                      "a.txt,call-a,Dana Reyes,2026-03-02T10:00:00,discovery,n\n")
    big_call(folder)
    proc = subprocess.Popen([sys.executable, "-m", "callcoach", "score", str(folder), "-r",
                             str(RUBRIC), "--db", db, "--jobs", str(jobs), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:   # the run has begun
            if count(db, "rubrics"):
                break
            time.sleep(0.05)
        time.sleep(1.0)   # call-a is done; the big call is being scored
        assert proc.poll() is None, "the run ended before the signal"
        sent = time.monotonic()
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=30)
        stopped = time.monotonic() - sent
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 128 + signum, err
    assert err.startswith("interrupted: scored 1,"), err
    assert stopped < 5, f"took {stopped:.1f} s to stop"   # ~0.4 s; 24 s before
    assert stored(db) == ["call-a"]
    sound(db)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_in_a_calls_folder_is_skipped_with_a_note(calls, tmp_path):
    """Opening a FIFO blocks until someone writes to it: `score` hung forever."""
    fifo = calls / "zz-call.txt"
    os.mkfifo(fifo)
    db = tmp_path / "s.db"
    result = run("score", calls, "-r", RUBRIC, "--db", db, "-q", timeout=60)
    assert result.returncode == 0
    assert "skipped 1 file that is not a transcript: zz-call.txt (a FIFO, socket or device " \
        "cannot be scored: save its content to a file)" in result.stderr
    assert stored(db) == GOOD
    inspected = run("inspect", calls, "--format", "jsonl", timeout=60)
    assert inspected.returncode == 0 and len(inspected.stdout.splitlines()) == 4
    named = run("score", fifo, "-r", RUBRIC, "--db", db, "-q", timeout=60)   # named: an error
    assert named.returncode == 1
    assert "cannot read: not a regular file (a FIFO)" in named.stderr


BILLION_LAUGHS = "".join(
    f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join([f'*{chr(96 + i)}'] * 9) if i else '1'}]\n"
    for i in range(10)) + "rubric: x\n"


@pytest.mark.parametrize("command", ["lint", "show", "score"])
def test_billion_laughs_rubric_is_refused_at_once(calls, tmp_path, command):
    """478 bytes of nested aliases used 4 GB and ended in a MemoryError traceback."""
    rubric = tmp_path / "laughs.yaml"
    rubric.write_text(BILLION_LAUGHS)
    args = ["score", calls, "-r", rubric, "--db", tmp_path / "s.db"] if command == "score" \
        else ["rubric", command, rubric]
    started = time.monotonic()
    result = run(*args, timeout=30)
    assert time.monotonic() - started < 20
    assert result.returncode == 1
    assert "more than 100,000 values once aliases are expanded" in result.stdout + result.stderr
    assert not (tmp_path / "s.db").exists() or stored(tmp_path / "s.db") == []


def test_yaml_bombs_in_sidecars_and_rosters(calls, tmp_path):
    (calls / "a.txt.meta.yaml").write_text(BILLION_LAUGHS)
    result = cli("score", calls, "-r", RUBRIC, "--db", tmp_path / "s.db", "-q")
    assert result.exit_code == 1
    assert "a.txt.meta.yaml:6:32: a.txt: more than 100,000 values once aliases are expanded" \
        in result.stderr
    assert stored(tmp_path / "s.db") == GOOD[1:]   # the rest of the batch is stored
    (calls / "a.txt.meta.yaml").unlink()
    (calls / "reps.yaml").write_text("reps: &r [*r]\n")   # a roster governs every file
    result = cli("score", calls, "-r", RUBRIC, "--db", tmp_path / "t.db", "-q")
    assert result.exit_code == 1
    assert "reps.yaml:1:11: alias *r is inside the value it names (a recursive alias)" \
        in result.stderr


# == rubrics: one validation path, located messages, never a traceback =========================

BASE = RUBRIC.read_text()
RUBRIC_CASES = [
    ("recursive-alias", "rubric: &r [*r]\n", "1:13", "yaml-limit", "a recursive alias"),
    ("deep-flow-list", "rubric: " + "[" * 100_000 + "]" * 100_000 + "\n", "1:72", "yaml-limit",
     "nested more than 64 levels deep"),
    ("deep-block-list", "rubric: x\ncriteria:\n" + "- " * 3000 + "x\n", "3:127", "yaml-limit",
     "nested more than 64 levels deep"),
    ("nul-byte", BASE.replace("Demo discovery", "Demo\x00discovery"), "3:11", "yaml-syntax",
     "a character YAML does not allow (\\x00)"),
    ("long-weight", BASE.replace("weight: 2", "weight: " + "9" * 10_000), "16:13", "bad-value",
     "a number of 10,000 characters is too long"),
    ("long-version", BASE.replace("version: 1", "version: " + "1" * 10_000), "4:10",
     "bad-value", "a number of 10,000 characters is too long"),
    ("weight-minus-inf", BASE.replace("weight: 2", "weight: -.inf"), "16:13", "bad-value",
     "-.inf is not a finite number"),
    ("weight-1e999", BASE.replace("weight: 2", "weight: 1e999"), "16:13", "bad-value",
     "weight: expected a finite number, found '1e999'"),
    ("weight-negative", BASE.replace("weight: 2", "weight: -2"), "16:13", "negative-weight",
     "weight: expected 0 or more, found -2"),
    ("weight-huge", BASE.replace("weight: 2", "weight: 1.0e+300"), "16:13", "bad-value",
     "expected at most 1,000,000"),
    ("min-count-1e23", BASE.replace("      within: {first: 60s}",
                                    "      within: {first: 60s}\n      min_count: 1.0e+23"),
     "14:18", "bad-value", "found one far too large"),
    ("within-turns-huge", BASE.replace("within_turns: 3", "within_turns: 99999999999"), "39:21",
     "bad-value", "expected at most 10000"),
    ("within-24h", BASE.replace("{first: 60s}", "{first: 100000s}"), "13:23", "bad-value",
     "at most 86,400 seconds"),
    ("pass-mark-nan", BASE.replace("pass_mark: 0.7", "pass_mark: .nan"), "5:12", "bad-value",
     ".nan is not a finite number"),
    ("tag-on-a-list", BASE.replace("phrases: [we guarantee]", "phrases: !lol [we guarantee]"),
     "34:16", "yaml-tag", "tag !lol is not allowed here"),
    ("escape-in-a-name", BASE.replace("name: Demo discovery", 'name: "Demo \\e]0;owned\\a"'),
     "3:7", "bad-value", "a control character in text"),
]


@pytest.mark.parametrize("command", ["lint", "show", "score"])
@pytest.mark.parametrize("text, where, code, message", [c[1:] for c in RUBRIC_CASES],
                         ids=[c[0] for c in RUBRIC_CASES])
def test_hostile_rubrics_are_findings_everywhere(calls, tmp_path, command, text, where, code,
                                                 message):
    rubric = tmp_path / "r.yaml"
    rubric.write_bytes(text.encode())
    if command == "score":
        result = cli("score", calls, "-r", rubric, "--db", tmp_path / "s.db")
    else:
        result = cli("rubric", command, rubric)
    assert result.exit_code == 1
    out = result.output
    assert f"r.yaml:{where}: error: " in out and message in out and f"[{code}]" in out, out
    assert not (tmp_path / "s.db").exists()


@settings(max_examples=150, deadline=None)
@given(at=st.integers(0, len(BASE)), junk=st.text(
    alphabet=st.sampled_from(list("&*[]{}:-!|>'\"\\\t\n #%@`?,.0123456789eE+") + ["\x00", "\x1b",
                                                                                "\u202e"]),
    max_size=12))
def test_no_edit_of_a_rubric_makes_lint_trace_back(at, junk):
    findings = lint_text(BASE[:at] + junk + BASE[at:], "r.yaml")   # never raises
    assert all(f.path == "r.yaml" and f.line >= 1 for f in findings)


# == store faults ================================================================================
# The tests that take `db` or `new_db` run on SQLite and on the PostgreSQL server the session
# starts (conftest.py); what only a file can suffer (garbage mid-file, a full disk by SQLite's
# page limit, a read-only folder or an immutable file) is tested on SQLite.

@contextlib.contextmanager
def write_lock(db: str, seconds: float | None = None):
    """Another session holding the lock a writer of `db` needs (released after `seconds`, or
    at the end of the block): SQLite's write lock, or on PostgreSQL an EXCLUSIVE lock on the
    calls table, which readers pass and writers of calls wait for."""
    if "://" in db:
        import psycopg
        conn = psycopg.connect(db, autocommit=True)
        conn.execute("BEGIN")
        conn.execute("LOCK TABLE calls IN EXCLUSIVE MODE")
    else:
        conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN IMMEDIATE")
    timer = threading.Timer(seconds, conn.execute, ("COMMIT",)) if seconds else None
    if timer:
        timer.start()
    try:
        yield
    finally:
        if timer:
            timer.join()
        else:
            conn.execute("COMMIT")
        conn.close()


def sound(db: str) -> None:
    """SQLite's own check of the file (PostgreSQL's pages are the server's business)."""
    if "://" not in db:
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_writer_waits_for_another_process_lock_and_says_so(calls, db):
    Store(db).close()
    with write_lock(db, seconds=1.5):
        result = cli("score", calls, "-r", RUBRIC, "--db", db, "-q")
    assert result.exit_code == 0
    assert f"note: waiting for {db}: another process is writing to it (for up to 60 s" \
        in result.stderr
    assert stored(db) == GOOD


def test_a_lock_held_past_the_wait_is_a_clean_error(calls, db):
    """Past SQLite's 5 s busy timeout this was a traceback in _commit; on PostgreSQL the
    writer waited, deaf to Ctrl-C, for as long as the lock was held."""
    Store(db).close()
    with write_lock(db):
        started = time.monotonic()
        result = cli("score", calls, "-r", RUBRIC, "--db", db, "-q",
                     env={"CALLCOACH_LOCK_WAIT": "0.5"})
        assert time.monotonic() - started < 10
    assert result.exit_code == 1
    # SQLite's lock stops the run before it scores; PostgreSQL's lock on calls, at the commit
    assert re.search(re.escape(f"error: cannot write to {db}: another process has held its "
                               f"write lock for more than 0.5 s; 0 calls of this run are "
                               f"stored, each whole") + "(; 4 scored since the last commit "
                     "could not be)? " + re.escape("(set CALLCOACH_LOCK_WAIT to wait longer, "
                                                   "then run the same command again: it "
                                                   "scores only what is missing)"),
                     result.stderr), result.stderr
    assert cli("score", calls, "-r", RUBRIC, "--db", db, "-q").exit_code == 0


def test_a_lock_taken_mid_run_keeps_every_finished_call(many_calls, db, monkeypatch):
    monkeypatch.setattr(batch, "BATCH_CALLS", 5)
    lock = contextlib.ExitStack()

    def progress(done: int, total: int | None) -> None:
        if done == 12:
            lock.enter_context(write_lock(db))

    with Store(db, lock_wait=0.3) as store, lock:
        with pytest.raises(StoreError) as e:
            score_paths([many_calls], RUBRIC, store, jobs=1, on_progress=progress)
    assert "another process has held its write lock for more than 0.3 s" in e.value.message
    kept, lost = map(int, re.search(r"; (\d+) calls of this run are stored, each whole; (\d+) "
                                    r"scored since the last commit could not be",
                                    e.value.message).groups())
    assert 5 <= kept <= 12 and kept + lost >= 12
    assert assert_every_stored_call_is_whole(db, many_calls) == kept
    rerun = cli("score", many_calls, "-r", RUBRIC, "--db", db, "-q")
    assert rerun.stderr.startswith(f"scored {60 - kept}, unchanged {kept}, errors 0")


def test_a_deadlock_or_serialization_failure_is_tried_again(calls, postgres_server,
                                                            monkeypatch):
    """PostgreSQL aborts one of two deadlocked writers, and may fail a transaction that
    cannot be serialized: the write is run again (the same wait and note as for a lock)."""
    db = postgres_server.new_store()
    import psycopg
    from callcoach.store_postgres import PostgresStore
    real, failures = PostgresStore._insert_rows, [psycopg.errors.DeadlockDetected,
                                                  psycopg.errors.SerializationFailure]

    def insert_rows(self, table, rows):
        if failures:
            raise failures.pop(0)("failed as the server would")
        real(self, table, rows)
    monkeypatch.setattr(PostgresStore, "_insert_rows", insert_rows)
    result = cli("score", calls, "-r", RUBRIC, "--db", db, "-q")
    assert result.exit_code == 0, result.output
    assert failures == [] and f"note: waiting for {db}" in result.stderr
    assert stored(db) == GOOD


def test_disk_full_keeps_whole_calls_and_says_so(many_calls, tmp_path, monkeypatch):
    """A full disk was a traceback (the 1,551 calls kept were whole, but nothing said so).
    SQLite's page limit gives the same SQLITE_FULL a full disk does."""
    monkeypatch.setattr(batch, "BATCH_CALLS", 10)
    db = tmp_path / "s.db"
    with Store(db) as store:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 40}")
        with pytest.raises(StoreError) as e:
            score_paths([many_calls], RUBRIC, store, jobs=1)
    message = e.value.message
    assert message.startswith(f"cannot write to {db}: the disk is full (database or disk is "
                              f"full); ")
    kept = int(re.search(r"; (\d+) calls of this run are stored, each whole; \d+ scored since "
                         r"the last commit could not be", message).group(1))
    assert 0 < kept < 60 and e.value.hint.startswith("free some space, then run the same")
    assert assert_every_stored_call_is_whole(db, many_calls) == kept
    sound(str(db))
    assert cli("score", many_calls, "-r", RUBRIC, "--db", db, "-q").exit_code == 0
    assert stored_calls(str(db)) == 60


def test_a_full_server_disk_keeps_whole_calls_and_says_so(many_calls, postgres_server,
                                                          monkeypatch):
    """PostgreSQL's disk full (SQLSTATE 53100) mid-run, as the server reports it."""
    db = postgres_server.new_store()
    import psycopg
    from callcoach.store_postgres import PostgresStore
    monkeypatch.setattr(batch, "BATCH_CALLS", 10)
    real, batches = PostgresStore._insert_rows, []

    def insert_rows(self, table, rows):
        if table == "moments":
            batches.append(len(rows))
            if len(batches) > 2:
                raise psycopg.errors.DiskFull("could not extend file: No space left on device")
        real(self, table, rows)
    monkeypatch.setattr(PostgresStore, "_insert_rows", insert_rows)
    result = cli("score", many_calls, "-r", RUBRIC, "--db", db, "-q")
    assert result.exit_code == 1
    assert f"error: cannot write to {db}: the server's disk is full (could not extend file: " \
           f"No space left on device); 20 calls of this run are stored, each whole; " in \
           result.stderr
    assert "(free some space on the database server, then run the same command again" \
        in result.stderr
    assert assert_every_stored_call_is_whole(db, many_calls) == 20


def test_a_connection_lost_mid_run_keeps_every_finished_call(many_calls, postgres_server,
                                                             monkeypatch):
    """The server ended the session (a restart, a failover, an administrator)."""
    import psycopg
    db = postgres_server.new_store()
    monkeypatch.setattr(batch, "BATCH_CALLS", 5)

    def progress(done: int, total: int | None) -> None:
        if done == 12:
            with psycopg.connect(db, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE application_name = 'callcoach'")

    with Store(db) as store:
        with pytest.raises(StoreError) as e:
            score_paths([many_calls], RUBRIC, store, jobs=1, on_progress=progress)
    assert e.value.message.startswith(f"lost the connection to the store {db}: terminating "
                                      f"connection due to administrator command; ")
    kept = int(re.search(r"; (\d+) calls of this run are stored, each whole",
                         e.value.message).group(1))
    assert 5 <= kept <= 12
    assert assert_every_stored_call_is_whole(db, many_calls) == kept
    rerun = cli("score", many_calls, "-r", RUBRIC, "--db", db, "-q")
    assert rerun.stderr.startswith(f"scored {60 - kept}, unchanged {kept}, errors 0")


FULL = PACED.replace("from callcoach.cli.app import main", """from callcoach import store
real_init = store.Store.__init__
def init(self, *args, **kwargs):
    real_init(self, *args, **kwargs)
    pages = self.db.execute("PRAGMA page_count").fetchone()[0]
    self.db.execute(f"PRAGMA max_page_count = {pages + 30}")
store.Store.__init__ = init
from callcoach.cli.app import main""")


def test_disk_full_in_a_real_score_process(many_calls, tmp_path):
    db = tmp_path / "s.db"
    result = subprocess.run([sys.executable, "-c", FULL, "score", str(many_calls), "-r",
                             str(RUBRIC), "--db", str(db), "-q"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "the disk is full" in result.stderr and "each whole" in result.stderr
    kept = int(re.search(r"(\d+) calls? of this run (?:are|is) stored", result.stderr).group(1))
    assert assert_every_stored_call_is_whole(db, many_calls) == kept


def read_only(path: Path) -> contextlib.AbstractContextManager:
    """`path` (a file or a folder) made unwritable for this process: chmod, or for root (whom
    permissions do not stop) the immutable attribute. Skips where neither works."""
    @contextlib.contextmanager
    def guard():
        if os.name == "nt":
            pytest.skip("POSIX permissions")
        if os.geteuid() != 0:
            mode = path.stat().st_mode
            path.chmod(0o555 if path.is_dir() else 0o444)
            try:
                yield
            finally:
                path.chmod(mode)
            return
        if path.is_dir() or subprocess.run(["chattr", "+i", str(path)],
                                           capture_output=True).returncode != 0:
            pytest.skip("root needs chattr +i (files only) to make a store unwritable")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    return guard()


@pytest.fixture
def scored(calls, tmp_path) -> Path:
    db = tmp_path / "store" / "s.db"
    db.parent.mkdir()
    assert cli("score", calls, "-r", RUBRIC, "--db", db, "-q").exit_code == 0
    return db


@pytest.fixture
def scored_db(calls, db) -> str:
    """`db` (either backend) with the good calls scored into it."""
    assert cli("score", calls, "-r", RUBRIC, "--db", db, "-q").exit_code == 0
    return db


READERS = [("scorecard", "--as-of", AS_OF), ("queue", "--as-of", AS_OF),
           ("export", "--table", "moments"), ("session", "list"),
           ("explain", "call-c", "--criterion", "recording_notice"),
           ("evidence", "--rep", "Dana Reyes", "--criterion", "recording_notice", "--as-of",
            AS_OF)]


def assert_read_only_but_readable(calls, writable: str, unwritable: str, why: str) -> None:
    """Every reader prints from `unwritable` what it prints from `writable` (the same store);
    score and session add refuse it, saying why."""
    before = {args: cli(*args, "--db", writable).output for args in READERS}
    for args in READERS:
        result = cli(*args, "--db", unwritable)
        assert result.exit_code == 0 and result.output == before[args], args
    score = cli("score", calls, "-r", RUBRIC, "--db", unwritable, "--force", "-q")
    assert score.exit_code == 1
    assert f"error: cannot score into {unwritable}: it is read-only ({why})" in score.stderr
    add = cli("session", "add", "--rep", "Dana Reyes", "--criterion", "discovery",
              "--date", AS_OF, "--db", unwritable)
    assert add.exit_code == 1 and f"it is read-only ({why})" in add.stderr


def test_an_unwritable_store_file_can_still_be_read(calls, scored):
    with read_only(scored):
        assert_read_only_but_readable(calls, str(scored), str(scored),
                                      "the file, its folder or the disk")
    assert stored(scored) == GOOD


def test_a_read_only_postgres_store_can_still_be_read(calls, postgres_server):
    """A standby, or a role whose sessions are read-only by default."""
    db = postgres_server.new_store()
    assert cli("score", calls, "-r", RUBRIC, "--db", db, "-q").exit_code == 0
    assert_read_only_but_readable(calls, db, db + "%20-cdefault_transaction_read_only%3Don",
                                  "a standby server, or default_transaction_read_only")
    assert stored(db) == GOOD


def in_read_only_folder(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """`callcoach ARGS` with `folder` read-only (WAL cannot create its -shm file there)."""
    command = [sys.executable, "-m", "callcoach", *args]
    if os.name == "nt":
        pytest.skip("POSIX permissions")
    if os.geteuid() != 0:
        with read_only(folder):
            return subprocess.run(command, capture_output=True, text=True, timeout=60)
    # root ignores permissions: a read-only bind mount in a private mount namespace
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    result = subprocess.run(["unshare", "--mount", "sh", "-c", script, str(folder), *command],
                            capture_output=True, text=True, timeout=60)
    if "mount:" in result.stderr or "unshare:" in result.stderr:
        pytest.skip(f"cannot make a read-only mount here: {result.stderr.strip()}")
    return result


def test_a_store_in_a_read_only_folder_can_still_be_read(scored):
    """WAL needs its -wal/-shm files: a read-only folder made every reader fail."""
    want = cli("scorecard", "--as-of", AS_OF, "--db", scored).output
    result = in_read_only_folder(scored.parent, "scorecard", "--as-of", AS_OF, "--db",
                                 str(scored))
    assert (result.returncode, result.stdout, result.stderr) == (0, want, "")


def test_writes_left_in_the_wal_are_never_silently_missing(scored):
    """A run killed before its checkpoint leaves rows only in the -wal file; read from a
    read-only folder, the store must show them or say why it cannot, never show less."""
    writer = ("import os, sqlite3, sys\n"
              "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
              "db.execute('PRAGMA wal_autocheckpoint=0')\n"
              "db.execute('DELETE FROM calls WHERE call_id = ?', ('call-d',))\n"
              "os._exit(0)   # no close: no checkpoint\n")
    subprocess.run([sys.executable, "-c", writer, str(scored)], check=True, timeout=60)
    assert Path(str(scored) + "-wal").stat().st_size > 0
    Path(str(scored) + "-shm").unlink()   # as when db and wal were copied to read-only media
    result = in_read_only_folder(scored.parent, "export", "--table", "calls", "--db",
                                 str(scored))
    if result.returncode == 0:
        assert "call-c" in result.stdout and "call-d" not in result.stdout   # the WAL's view
    else:
        assert result.returncode == 1
        assert "holds writes not yet checkpointed in s.db-wal" in result.stderr


def test_garbage_in_the_middle_of_the_store_is_a_message(many_calls, tmp_path):
    db = tmp_path / "s.db"
    assert cli("score", many_calls, "-r", RUBRIC, "--db", db, "-q").exit_code == 0
    size = db.stat().st_size
    with open(db, "r+b") as f:
        f.seek(size // 3)
        f.write(os.urandom(min(65_536, size // 3)))
    damaged = 0
    for args in [("scorecard", "--as-of", "2026-03-28"), ("queue", "--as-of", "2026-03-28"),
                 ("export", "--table", "moments"), ("export", "--table", "calls"),
                 ("score", many_calls, "-r", RUBRIC, "--force", "-q")]:
        result = cli(*args, "--db", db)
        assert result.exit_code in (0, 1), (args, result.output)
        if result.exit_code == 1:
            assert "the file is damaged (database disk image is malformed)" in result.stderr \
                or "is not a callcoach store" in result.stderr, result.stderr
            damaged += 1
    assert damaged


def drop_table(db: str, table: str) -> None:
    if "://" in db:
        import psycopg
        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute(f"DROP TABLE {table}")
    else:
        with sqlite3.connect(db) as conn:
            conn.execute(f"DROP TABLE {table}")


def test_a_dropped_table_is_named(scored_db):
    drop_table(scored_db, "moments")
    for args in READERS[:3]:
        result = cli(*args, "--db", scored_db)
        assert result.exit_code == 1
        assert f"error: store {scored_db} has no table moments: it is damaged, or was changed " \
               f"by other software (restore it from a backup" in result.stderr


def test_a_table_dropped_while_reading_is_a_message(scored_db, monkeypatch):
    """The store was whole when opened; the table went missing before the query ran."""
    real = Store._migrate

    def migrate_then_drop(self):
        real(self)
        drop_table(scored_db, "results")
    monkeypatch.setattr(Store, "_migrate", migrate_then_drop)
    result = cli("export", "--db", scored_db)
    assert result.exit_code == 1
    assert f"error: cannot read {scored_db}: " in result.stderr
    assert "results" in result.stderr and "the store is damaged or was changed by other " \
                                          "software (restore it from a backup" in result.stderr


def _open_at_once(path: str, barrier, results) -> None:
    barrier.wait()
    try:
        with Store(path) as store:
            results.put(store.schema_version)
    except Exception as e:  # noqa: BLE001 - reported to the test
        results.put(f"{type(e).__name__}: {e}")


def test_processes_creating_one_new_store_at_once_all_succeed(new_db):
    """4 of 10 `score` starts on a new store failed: 'table rubrics already exists', 'index
    calls_window already exists', 'database is locked'. A barrier makes the race certain."""
    ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
    outcomes = []
    for round_ in range(4):
        barrier, results = ctx.Barrier(4), ctx.Queue()
        workers = [ctx.Process(target=_open_at_once, args=(new_db(f"new{round_}"), barrier,
                                                           results))
                   for _ in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=60)
        outcomes += [results.get(timeout=5) for _ in workers]
    assert outcomes == [SCHEMA_VERSION] * 16


def test_two_score_runs_on_one_new_store(calls, db):
    procs = [subprocess.Popen([sys.executable, "-m", "callcoach", "score", str(calls / name),
                               "-r", str(RUBRIC), "--db", db, "-q"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in ("a.txt", "b.txt")]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    assert stored(db) == ["call-a", "call-b"]


def exports(db: str) -> dict[str, str]:
    tables = {}
    for table in ("calls", "results", "moments"):
        result = cli("export", "--table", table, "--format", "jsonl", "--db", db)
        assert result.exit_code == 0, result.output
        tables[table] = result.stdout
    return tables


SLOW = PACED.replace("time.sleep(0.04)", "time.sleep(0.15)")   # 60 calls: ~4.5 s at --jobs 2


def test_kill_9_mid_run_leaves_a_sound_store_and_a_rerun_exports_what_a_clean_run_does(
        many_calls, new_db):
    """Three `kill -9`s of a real `score` process in a row on one store: each leaves only
    whole calls (and SQLite's integrity check passes), and the run that finishes exports
    exactly what an uninterrupted run exports. Paced slower than PACED, so a run commits
    several times before it ends."""
    clean, db = new_db("clean"), new_db("killed")
    assert cli("score", many_calls, "-r", RUBRIC, "--db", clean, "-q").exit_code == 0
    kept = 0
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", SLOW, "score", str(many_calls), "-r",
                                 str(RUBRIC), "--db", db, "--jobs", "2", "-q"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            deadline = time.monotonic() + 30
            while stored_calls(db) <= kept and proc.poll() is None \
                    and time.monotonic() < deadline:
                time.sleep(0.02)
            assert proc.poll() is None, "the run ended before it could be killed"
            proc.kill()
            proc.communicate(timeout=10)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        sound(db)
        now = assert_every_stored_call_is_whole(db, many_calls)
        assert kept < now < 60
        kept = now
    rerun = cli("score", many_calls, "-r", RUBRIC, "--db", db, "-q")
    assert rerun.exit_code == 0
    assert rerun.stderr.startswith(f"scored {60 - kept}, unchanged {kept}, errors 0")
    sound(db)
    assert exports(db) == exports(clean)


# == outputs that carry someone else's payload ==================================================

EVIL_REP = "@[link=http://evil.example]Eve[/link] <script>alert(1)</script> " \
           "[x](javascript:alert(1))"
EVIL_NOTES = '[blink]=HYPERLINK("http://evil.example","pay")[/blink]'


@pytest.fixture
def hostile(calls, tmp_path) -> Path:
    """The good calls plus one whose manifest row, speakers and text are payloads: formulas,
    terminal escapes (a window title, a screen clear, an OSC-8 link, a C1 CSI), rich markup,
    HTML and a Markdown javascript: link; and a session logged with markup in its notes."""
    rows = [["speaker", "text", "start", "role"],
            [EVIL_REP, "\x1b]0;owned\x07Hi, this call is recorded. =HYPERLINK(\"http://evil\")",
             "2", "rep"],
            ["=cmd|' /C calc'!A0", "\x1b[2J that is too expensive \x9b31m", "10", "prospect"],
            [EVIL_REP, "-2+3 I understand. we guarantee it. \x1b]8;;http://evil.example\x1b\\"
                       "click\x1b]8;;\x1b\\ what would help", "20", "rep"]]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (calls / "h.csv").write_text(buf.getvalue(), encoding="utf-8")
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(
        ["h.csv", "@h-call", EVIL_REP, "2026-03-04T10:00:00", "=1+1", "+south\x1b[31m"])
    manifest_row(calls, buf.getvalue().rstrip("\n"))
    db = tmp_path / "s.db"
    assert cli("score", calls, "-r", RUBRIC, "--db", db, "-q").exit_code == 0
    assert cli("session", "add", "--rep", EVIL_REP, "--criterion", "no_guarantees", "--date",
               AS_OF, "--notes", EVIL_NOTES, "--calls", "@h-call", "--db", db).exit_code == 0
    return db


CSV_OUTPUTS = [("score", "{calls}", "-r", str(RUBRIC), "--format", "csv"),
               ("export",), ("export", "--table", "calls"), ("export", "--table", "moments"),
               ("scorecard", "--as-of", AS_OF, "--format", "csv"),
               ("scorecard", "--rep", EVIL_REP, "--as-of", AS_OF, "--format", "csv"),
               ("session", "list", "--format", "csv")]


@pytest.mark.parametrize("args", CSV_OUTPUTS, ids=lambda a: "-".join(a[:3]))
def test_csv_cells_never_start_a_formula(hostile, calls, args):
    args = [a.format(calls=calls) for a in args]
    safe = cli(*args, "--db", hostile)
    raw = cli(*args, "--db", hostile, "--raw")
    assert safe.exit_code == raw.exit_code == 0
    cells = [c for row in csv.reader(io.StringIO(safe.stdout)) for c in row]
    raw_cells = [c for row in csv.reader(io.StringIO(raw.stdout)) for c in row]
    assert any(c.startswith(FORMULA) and not re.fullmatch(r"[+-]?[\d.]+", c) for c in raw_cells)
    for cell, raw_cell in zip(cells, raw_cells):
        if cell != raw_cell:
            assert cell == "'" + raw_cell and raw_cell.startswith(FORMULA)
        else:
            assert not cell.startswith(FORMULA) or re.fullmatch(r"[+-]?[\d.e+-]+", cell), cell


TEXT_OUTPUTS = [
    ("inspect", "{calls}/h.csv"), ("inspect", "{calls}/h.csv", "--format", "json"),
    ("explain", "@h-call", "--criterion", "no_guarantees"),
    ("select", "--rep", EVIL_REP, "--as-of", AS_OF),
    ("evidence", "--rep", EVIL_REP, "--criterion", "no_guarantees", "--as-of", AS_OF),
    ("evidence", "--rep", EVIL_REP, "--criterion", "no_guarantees", "--as-of", AS_OF,
     "--format", "text"),
    ("agenda", "--rep", EVIL_REP, "--as-of", AS_OF),
    ("queue", "--as-of", AS_OF), ("queue", "--as-of", AS_OF, "--format", "markdown"),
    ("scorecard", "--as-of", AS_OF), ("scorecard", "--as-of", AS_OF, "--format", "markdown"),
    ("scorecard", "--rep", EVIL_REP, "--as-of", AS_OF, "--format", "markdown"),
    ("progress", "--as-of", "2026-03-30"),
    ("progress", "--as-of", "2026-03-30", "--format", "markdown"),
]


@pytest.mark.parametrize("args", TEXT_OUTPUTS, ids=lambda a: "-".join(a[:1] + a[-2:]))
def test_no_payload_reaches_a_terminal_or_a_document(hostile, calls, args):
    """No escape sequence in any output; in Markdown, the names are text: no HTML, no link."""
    args = [a.format(calls=calls) for a in args]
    result = cli(*args, *(["--db", hostile] if args[0] != "inspect" else []))
    assert result.exit_code == 0, result.output
    out = result.output
    assert not PAYLOAD_CHARS.search(out), repr(PAYLOAD_CHARS.search(out).group())
    assert "Eve" in out   # the hostile call is in every one of these outputs
    if "markdown" in args or (args[0] in ("evidence", "agenda") and "--format" not in args):
        assert "<script>" not in out and not re.search(r"(?<!\\)\]\(javascript:", out)
        assert "\\<script\\>alert(1)\\</script\\>" in out   # the name is there, inert


def test_escapes_stored_before_ingestion_stripped_them_are_not_shown(hostile, calls):
    """A store written by an older callcoach (or another writer of a shared store) may hold
    control characters; every display path strips them, and so does the CSV writer."""
    with contextlib.closing(sqlite3.connect(hostile)) as db, db:
        db.execute("UPDATE moments SET text = text || ?, speaker = speaker || ?",
                   ("\x1b]0;owned\x07", "\x1b[2J"))
        db.execute("UPDATE calls SET source = source || ?", ("\x1b]0;owned\x07\u202e",))
    for args in [("explain", "@h-call", "--criterion", "no_guarantees"),
                 ("evidence", "--rep", EVIL_REP, "--criterion", "no_guarantees", "--as-of",
                  AS_OF, "--format", "text"),
                 ("evidence", "--rep", EVIL_REP, "--criterion", "no_guarantees", "--as-of",
                  AS_OF), ("export", "--table", "calls"), ("export", "--table", "moments")]:
        result = cli(*args, "--db", hostile)
        assert result.exit_code == 0, result.output
        assert not PAYLOAD_CHARS.search(result.output), (args, result.output)


def test_a_session_list_csv_imports_back_as_written(hostile, calls, tmp_path):
    """The guard's `'` is the spreadsheet's, not the data's: `session import` of a
    `session list --format csv` keeps the notes as they were logged."""
    listed = tmp_path / "sessions.csv"
    listed.write_text(cli("session", "list", "--format", "csv", "--db", hostile).stdout)
    assert f"'{EVIL_REP}" in listed.read_text()   # guarded for a spreadsheet
    other = tmp_path / "other.db"
    assert cli("score", calls, "-r", RUBRIC, "--db", other, "-q").exit_code == 0
    assert cli("session", "import", listed, "--db", other).exit_code == 0
    notes = [cli("session", "list", "--format", "csv", "--raw", "--db", db).stdout
             for db in (hostile, other)]
    rows = [[r[1:] for r in csv.reader(io.StringIO(n))] for n in notes]   # but the ids
    assert rows[1] == rows[0] and rows[0][1][0] == EVIL_REP and rows[0][1][-1] == EVIL_NOTES


def test_markup_in_names_and_notes_is_shown_not_interpreted(hostile):
    out = cli("session", "list", "--db", hostile, env={"COLUMNS": "300"}).stdout
    assert "[link=http://evil.example]Eve[/link]" in out   # literally: not a link, not dropped
    assert "[blink]=HYPERLINK" in out
    assert "\x1b" not in out


def test_control_characters_are_removed_at_ingestion_and_said(calls):
    (calls / "e.txt").write_text("Dana Reyes: hi \x1b[2Jthere\x9b\nSam\x9b\x07: ok\n")
    record = json.loads(cli("inspect", calls / "e.txt", "--format", "json").stdout)
    assert [(u["speaker"], u["text"]) for u in record["utterances"]] == [
        ("Dana Reyes", "hi [2Jthere"), ("Sam", "ok")]
    assert "removed control characters (terminal escape sequences) from 2 turns" \
        in record["warnings"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(min_size=1, max_size=80), speaker=st.text(min_size=1, max_size=20))
def test_no_text_a_file_holds_survives_ingestion_with_a_control_character(tmp_path_factory, text,
                                                                          speaker):
    from callcoach.ingest import read_transcript
    folder = tmp_path_factory.mktemp("c")
    path = folder / "call.json"
    path.write_text(json.dumps({"utterances": [{"speaker": speaker or "x", "text": text + " ok",
                                                "role": "rep"}]}), encoding="utf-8")
    try:
        t = read_transcript(path, require_meta=False)
    except Exception as e:  # noqa: BLE001 - a located TranscriptError is fine, a crash is not
        assert type(e).__name__ == "TranscriptError", e
        return
    for u in t.utterances:
        assert strip_controls(u.text) == u.text and strip_controls(u.speaker) == u.speaker


@given(st.text(max_size=30))
def test_csv_cell_rule(value):
    """Control characters go (a terminal may `cat` the file); then a formula start is guarded
    with `'`, which `csv_value` takes off again when the file is read back."""
    cell, shown = csv_cell(value), strip_controls(value)
    if cell != shown:
        assert cell == "'" + shown and shown.startswith(FORMULA)
    else:
        assert not shown.startswith(FORMULA) or re.fullmatch(
            r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", shown)
    assert csv_value(cell) == shown or shown.startswith("'")


WORDS = st.sampled_from(["I'm", "we're", "can't", "10,000", "price.", "Q&A", "well—", "it's",
                         "rock'n'roll", "gonna", "50%", "(maybe)", "yes!", "ok?", "Dana's",
                         "e-mail", "'cause", "x", "déjà", "Über"])


@settings(max_examples=100, deadline=None)
@given(words=st.lists(WORDS, min_size=500, max_size=900), at=st.integers(0, 10_000))
def test_a_long_utterance_excerpt_holds_the_match(words, at):
    """The aligner maps a normalised match back to the original words that hold it."""
    text = " ".join(words)
    norm = normalize(text)
    norm_words = norm.split(" ")
    first = at % len(norm_words)
    last = min(len(norm_words), first + 3)
    start = sum(len(w) + 1 for w in norm_words[:first])
    end = start + len(" ".join(norm_words[first:last]))
    from callcoach.matching.normalize import normalize_many
    a, b = Aligner(text, normalize_many([text])[0].text).original(start, end)
    assert " ".join(norm_words[first:last]) in normalize(text[a:b])
    quoted = excerpt(text, a, b)
    assert len(quoted) <= EXCERPT_CHARS and text[a:b][:EXCERPT_CHARS - 2] in quoted


# == what used to be accepted silently ==========================================================

def test_timestamps_out_of_order_are_said(calls, tmp_path):
    (calls / "2026-03-04_dana-reyes_r.csv").write_text(
        "speaker,text,start,end\nDana Reyes,hi this call is recorded,10,12\nSam,hello,5,3\n"
        "Dana Reyes,so,1,2\n")
    result = cli("score", calls, "-r", RUBRIC, "--db", tmp_path / "s.db", "-q")
    assert result.exit_code == 0
    path = calls / "2026-03-04_dana-reyes_r.csv"
    assert f"note: {path}: turn 2 ends (00:03) before it starts (00:05)" in result.stderr
    assert f"note: {path}: timestamps run backwards: turn 2 starts at 00:05, before turn 1 " \
           f"(00:10) (and 1 more)" in result.stderr
    assert len(stored(tmp_path / "s.db")) == 5


@pytest.mark.parametrize("name, text, where", [
    ("c.vtt", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nDana Reyes: hi\n\n2\n"
              "99:99:99.999 --> 99:99:99.999\nSam: hello\n", ":8: bad cue timing"),
    ("t.txt", "[00:01] Dana Reyes: hi\n[12:75] Sam: hello\n",
     ":2: timestamp '12:75' is not a time"),
    ("s.csv", "speaker,text,start\nDana Reyes,hi,00:00:01\nSam,yo,99:99:99.999\n",
     ":3: start '99:99:99.999' is not a time"),
], ids=["vtt", "text", "csv"])
def test_a_time_past_59_is_an_error_at_its_line(calls, tmp_path, name, text, where):
    path = calls / f"2026-03-04_dana-reyes_{name}"
    path.write_text(text)
    result = cli("score", calls, "-r", RUBRIC, "--db", tmp_path / "s.db", "-q")
    assert result.exit_code == 1 and f"{path}{where}" in result.stderr, result.stderr
    assert stored(tmp_path / "s.db") == GOOD


def test_the_windows_1252_fallback_is_said(calls, tmp_path):
    path = calls / "2026-03-04_dana-reyes_w.txt"
    path.write_bytes("Dana Reyes: café, this call is recorded\nSam: fine\n".encode("cp1252"))
    result = cli("score", calls, "-r", RUBRIC, "--db", tmp_path / "s.db", "-q")
    assert result.exit_code == 0
    assert f"note: {path}: not UTF-8 (byte 15, line 1): read as Windows-1252" in result.stderr
    piped = run("inspect", "-", input=path.read_bytes())   # standard input says so too
    assert "not UTF-8 (byte 15, line 1): read as Windows-1252" in piped.stderr + piped.stdout


def test_a_right_to_left_override_in_a_file_name_is_shown_escaped(calls, tmp_path):
    (calls / "invoice\u202etxt.json").write_text("{broken")
    result = cli("score", calls, "-r", RUBRIC, "--db", tmp_path / "s.db", "-q")
    assert result.exit_code == 1
    assert "invoice\\u202etxt.json:1:2: not valid JSON" in result.stderr
    assert "\u202e" not in result.output
    assert stored(tmp_path / "s.db") == GOOD


def test_every_exit_code_is_documented():
    table = (ROOT / "README.md").read_text().split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    assert [int(c) for c in re.findall(r"^\| (\d+) \|", table, re.M)] == [0, 1, 2, 130, 143]
