"""`callcoach score` end to end: real readers, real engine, a real store.

Fixtures: tests/fixtures/score/ — four short plain-text calls with a calls.csv manifest and a
four-criterion rubric (one criterion per check type). Each test copies the calls to its own
folder, so files can be changed or broken without touching the fixtures.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from store_helpers import count, untouched
from callcoach.cli.app import app
from callcoach.scoring.batch import score_paths
from callcoach.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "score"
RUBRIC = FIXTURES / "rubric.yaml"

TABLE = """\
call     rep          started            overall   recording_notice!   discovery   no_guarantees   objection
────────────────────────────────────────────────────────────────────────────────────────────────────────────
call-b   Lee Park     2026-03-01 09:30      0.0!               0%! ✗        0% ✗            0% ✗           –
call-a   Dana Reyes   2026-03-02 10:00     100.0                100%        100%            100%        100%
call-c   Dana Reyes   2026-03-03 14:00     75.0!               0%! ✗        100%            100%           –
call-d   Lee Park     2026-03-03 14:00      60.0                100%       50% ✗            100%        0% ✗
rubric demo-discovery v1 · pass mark 70% · started: UTC · ✗: below the pass mark · –: not applicable · !: critical
"""


@pytest.fixture
def calls(tmp_path) -> Path:
    return Path(shutil.copytree(FIXTURES / "calls", tmp_path / "calls"))


def score(*args: str, db: Path, rubric: Path = RUBRIC, jobs: int = 1):
    return CliRunner().invoke(app, ["score", "--rubric", str(rubric), "--db", str(db),
                                    "--jobs", str(jobs), *args])


def summary(result) -> str:
    """The stderr summary without its timings."""
    return result.stderr.splitlines()[-1].split(" (")[0]


def test_scores_the_folder_stores_it_and_prints_the_table(new_db, calls, tmp_path):
    result = score(str(calls), db=new_db("s"))
    assert result.exit_code == 0, result.output
    assert result.stdout == TABLE
    assert summary(result) == "scored 4, unchanged 0, errors 0"
    with Store(new_db("s")) as store:
        assert store.rubric().body["rubric"] == "demo-discovery"
        counts = [next(iter(store.query(f"SELECT COUNT(*) FROM {t}")))[0]
                  for t in ("calls", "results", "transcripts")]
        assert counts == [4, 16, 4]


def test_second_run_scores_nothing_and_prints_the_same(new_db, calls, tmp_path):
    first = score(str(calls), db=new_db("s"))
    again = score(str(calls), db=new_db("s"), jobs=2)
    assert again.exit_code == 0
    assert summary(again) == "scored 0, unchanged 4, errors 0"
    assert "calls/s" in first.stderr and "calls/s" not in again.stderr   # no speed of skipping
    assert again.stdout == first.stdout == TABLE


def test_quiet_prints_only_the_summary_but_still_writes_out(new_db, calls, tmp_path):
    result = score(str(calls), "--quiet", db=new_db("s"))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert summary(result) == "scored 4, unchanged 0, errors 0"
    written = score(str(calls), "-q", "--out", str(tmp_path / "t.txt"), db=new_db("s"))
    assert written.stdout == "" and (tmp_path / "t.txt").read_text() == TABLE


def test_changed_rubric_rescores_every_call(new_db, calls, tmp_path):
    score(str(calls), db=new_db("s"))
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(RUBRIC.read_text().replace("version: 1", "version: 2"))
    result = score(str(calls), db=new_db("s"), rubric=rubric)
    assert summary(result) == "scored 4, unchanged 0, errors 0"
    assert "rubric demo-discovery v2" in result.stdout


def test_changed_file_is_rescored(new_db, calls, tmp_path):
    score(str(calls), db=new_db("s"))
    d = calls / "d.txt"
    d.write_text(d.read_text().replace("Let me show you the dashboard.",
                                       "I understand. What would help?"))
    result = score(str(calls), db=new_db("s"))
    assert summary(result) == "scored 1, unchanged 3, errors 0"
    assert result.stdout.splitlines()[5] == (
        "call-d   Lee Park     2026-03-03 14:00      80.0                100%       50% ✗"
        "            100%        100%")


def test_pass_mark_is_part_of_the_rubric(new_db, calls, tmp_path):
    score(str(calls), db=new_db("s"))
    result = CliRunner().invoke(app, ["score", str(calls), "-r", str(RUBRIC), "--db",
                                      str(new_db("s")), "--pass-mark", "0.4"])
    assert summary(result) == "scored 4, unchanged 0, errors 0"
    assert "pass mark 40%" in result.stdout


@pytest.fixture
def broken(calls) -> Path:
    (calls / "e.json").write_text('{"results": [1, 2\n')
    with open(calls / "calls.csv", "a") as manifest:
        manifest.write("e.json,call-e,Lee Park,2026-03-04T09:00:00,demo,south\n")
    return calls / "e.json"


def test_bad_file_is_listed_and_the_rest_stored(new_db, calls, broken, tmp_path):
    result = score(str(calls), db=new_db("s"))
    assert result.exit_code == 1
    assert result.stdout == TABLE
    assert result.stderr.splitlines()[:2] == [
        "1 file could not be scored:",
        f"  {broken}:2:1: not valid JSON: Expecting ',' delimiter"]
    assert summary(result) == "scored 4, unchanged 0, errors 1"
    allowed = CliRunner().invoke(app, ["score", str(calls), "-r", str(RUBRIC), "--db",
                                       str(new_db("s")), "--allow-errors"])
    assert allowed.exit_code == 0
    assert summary(allowed) == "scored 0, unchanged 4, errors 1"


def test_two_files_with_one_call_id(new_db, calls, tmp_path):
    shutil.copy(calls / "a.txt", calls / "a2.txt")
    with open(calls / "calls.csv", "a") as manifest:
        manifest.write("a2.txt,call-a,Dana Reyes,2026-03-05T10:00:00,discovery,north\n")
    result = score(str(calls), db=new_db("s"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        f"  {calls / 'a2.txt'}: call id 'call-a' is already used by {calls / 'a.txt'} in this "
        f"run; this file was not stored (give each call its own call_id (calls.csv, a sidecar "
        f"or the file name))")
    assert result.stdout == TABLE


@pytest.mark.parametrize("fmt", ["table", "jsonl", "json", "csv"])
def test_output_is_the_same_for_any_jobs(new_db, calls, tmp_path, fmt):
    one = score(str(calls), "--format", fmt, db=new_db("one"), jobs=1)
    two = score(str(calls), "--format", fmt, db=new_db("two"), jobs=2)
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    # and unchanged calls come back from the store exactly as they were printed
    assert score(str(calls), "--format", fmt, db=new_db("one")).stdout == one.stdout


def test_jsonl_is_one_contract_object_per_call(new_db, calls, tmp_path):
    result = score(str(calls), "--format", "jsonl", db=new_db("s"))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [c["call_id"] for c in lines] == ["call-b", "call-a", "call-c", "call-d"]
    call_a = lines[1]
    assert {k: call_a[k] for k in ("call_id", "rep", "started_at", "call_type", "rubric",
                                   "overall", "critical_failed")} == {
        "call_id": "call-a", "rep": "Dana Reyes", "started_at": "2026-03-02T10:00:00",
        "call_type": "discovery", "rubric": "demo-discovery", "overall": 100.0,
        "critical_failed": False}
    assert [(c["id"], c["score"], c["passed"]) for c in lines[0]["criteria"]] == [
        ("recording_notice", 0.0, False), ("discovery", 0.0, False),
        ("no_guarantees", 0.0, False), ("objection", None, None)]
    notice = call_a["criteria"][0]
    assert notice["reason"] == "said 'this call is recorded' at 00:02"
    moment = notice["moments"][0]
    assert {k: moment[k] for k in ("utterance", "start", "speaker", "text", "similarity")} == {
        "utterance": 0, "start": 2.0, "speaker": "Dana Reyes", "similarity": 100.0,
        "text": "Hi Sam, thanks for joining. Just so you know, this call is recorded."}


def test_csv_is_one_row_per_call_and_criterion(new_db, calls, tmp_path):
    out = tmp_path / "scores.csv"
    result = score(str(calls), "--format", "csv", "--out", str(out), db=new_db("s"))
    assert result.stdout == ""
    lines = out.read_text().splitlines()
    assert len(lines) == 1 + 4 * 4
    assert lines[:2] == [
        "call_id,rep,started_at,call_type,overall,critical_failed,criterion,score,passed,reason",
        "call-b,Lee Park,2026-03-01T09:30:00,discovery,0.0,true,recording_notice,0.0,false,"
        "none of the 2 phrases said by the rep in the first 60s"]
    assert lines[4] == ("call-b,Lee Park,2026-03-01T09:30:00,discovery,0.0,true,objection,,,"
                        "nothing triggered it (not applicable)")


def test_rubric_errors_stop_before_scoring(new_db, calls, tmp_path):
    rubric = tmp_path / "bad.yaml"
    rubric.write_text(RUBRIC.read_text().replace("weight: 2", "wieght: 2"))
    result = score(str(calls), db=new_db("s"), rubric=rubric)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot load rubric {rubric}: 1 problem\n")
    assert "wieght" in result.stderr
    assert untouched(new_db("s"))


@pytest.mark.parametrize("args", [
    pytest.param(["--format", "xml"], id="format"),
    pytest.param(["--jobs", "0"], id="jobs"),
    pytest.param(["--input-format", "docx"], id="input-format"),
    pytest.param(["--out", "/nonexistent/x.csv"], id="out-folder"),
])
def test_usage_errors_exit_2(new_db, calls, tmp_path, args):
    result = score(str(calls), *args, db=new_db("s"))
    assert result.exit_code == 2, result.output


@pytest.mark.parametrize("missing, rubric, message", [
    ("nope", RUBRIC, "error: nope: no such file or folder (check the path)\n"),
    (None, Path("missing.yaml"), "error: missing.yaml: no such rubric file, and no bundled rubric "
                                 "of that name (bundled rubrics: five-step-discovery, meddicc, "
                                 "spin; or give a path to a .yaml file)\n"),
    (None, Path("medicc"), "error: medicc: no such rubric file, and no bundled rubric of that "
                           "name (did you mean 'meddicc'?)\n"),
], ids=["path", "rubric", "bundled-name"])
def test_missing_files_are_usage_errors(new_db, calls, tmp_path, missing, rubric, message):
    result = score(str(calls), *([missing] if missing else []), db=new_db("s"),
                   rubric=rubric)
    assert (result.exit_code, result.stderr) == (2, message)
    assert untouched(new_db("s"))


def test_missing_rubric_option_is_a_usage_error(calls):
    assert CliRunner().invoke(app, ["score", str(calls)]).exit_code == 2


def test_library_run_matches_the_cli(new_db, calls, tmp_path):
    cli = score(str(calls), "--format", "jsonl", db=new_db("cli"))
    with Store(new_db("lib")) as store:
        report = score_paths([calls], RUBRIC, store, jobs=1)
        lines = [json.dumps(s.to_dict(), ensure_ascii=False) + "\n"
                 for s in report.scores(store)]
    assert "".join(lines) == cli.stdout


# -- interruption -----------------------------------------------------------------------------
# The run is a real `callcoach score` process. Scoring is paced (a sleep per call, patched in
# before the CLI starts and inherited by forked workers), so the signal lands mid-run however
# fast the engine gets.
PACED = """
import sys, time
from callcoach.scoring import batch
real = batch._score
batch._score = lambda transcript, compiled: (time.sleep(0.04), real(transcript, compiled))[1]
from callcoach.cli.app import main
sys.exit(main(sys.argv[1:]))
"""
N_CALLS = 60


@pytest.fixture
def many_calls(tmp_path) -> Path:
    folder = tmp_path / "many"
    folder.mkdir()
    template = (FIXTURES / "calls" / "a.txt").read_text()
    rows = ["file,call_id,rep,started_at"]
    for i in range(N_CALLS):
        (folder / f"m{i:02d}.txt").write_text(template.replace("Sam", f"Sam{i}"))
        rows.append(f"m{i:02d}.txt,m{i:02d},Dana Reyes,2026-03-{1 + i % 28:02d}T10:{i:02d}:00")
    (folder / "calls.csv").write_text("\n".join(rows) + "\n")
    return folder


def stored_calls(db: str) -> int:
    return count(db)


def interrupt_run(folder: Path, db: Path, signum: int) -> subprocess.CompletedProcess:
    proc = subprocess.Popen(
        [sys.executable, "-c", PACED, "score", str(folder), "-r", str(RUBRIC), "--db", str(db),
         "--jobs", "2", "--format", "jsonl"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while stored_calls(db) == 0 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        proc.send_signal(signum)
        # communicate() returns once every process holding the pipes is gone: the workers
        # too, which exit by themselves when their parent was killed.
        out, err = proc.communicate(timeout=10)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def assert_every_stored_call_is_whole(db: Path, folder: Path) -> int:
    """Each stored call equals a fresh score of its file: calls row, all results, moments."""
    with Store(db) as store:
        ids = [r[0] for r in store.query("SELECT call_id FROM calls ORDER BY call_id")]
        got = [s.to_dict() for s in store.calls(ids, "demo-discovery")]
        assert [r[0] for r in store.query(
            "SELECT DISTINCT call_id FROM results ORDER BY call_id")] == ids
        assert [r[0] for r in store.query(
            "SELECT DISTINCT call_id FROM moments ORDER BY call_id")] == ids
    with Store(":memory:") as fresh:
        score_paths([folder], RUBRIC, fresh, jobs=1)
        want = {s.meta.call_id: s.to_dict() for s in fresh.calls(ids, "demo-discovery")}
    assert got == [want[i] for i in ids]
    return len(ids)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL],
                         ids=["SIGINT", "SIGTERM", "SIGKILL"])
def test_interrupted_run_keeps_whole_calls_and_rerun_finishes(new_db, many_calls, tmp_path, signum):
    db = new_db("s")
    run = interrupt_run(many_calls, db, signum)
    if signum != signal.SIGKILL:
        assert run.returncode == 128 + signum, run.stderr
        assert run.stderr.startswith("interrupted: scored "), run.stderr
        assert run.stdout == ""
    else:
        assert run.returncode == -signal.SIGKILL
    kept = assert_every_stored_call_is_whole(db, many_calls)
    assert 0 < kept < N_CALLS
    rerun = CliRunner().invoke(app, ["score", str(many_calls), "-r", str(RUBRIC), "--db", str(db),
                                     "--format", "jsonl", "--jobs", "2"])
    assert rerun.exit_code == 0
    assert summary(rerun) == f"scored {N_CALLS - kept}, unchanged {kept}, errors 0"
    assert len(rerun.stdout.splitlines()) == N_CALLS
    assert stored_calls(db) == N_CALLS
