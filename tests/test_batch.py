"""The batch runner (scoring/batch.py) over small fake sources and a fake scorer, so these
tests pin skipping, ordering, errors, transactions and interruption without depending on
the readers or the checks. End-to-end runs with the real engine are in test_score_cli.py."""
from __future__ import annotations

import hashlib
import json
import os
import signal
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from callcoach.errors import TranscriptError
from callcoach.rubric.model import Rubric
from callcoach.scoring import batch
from callcoach.scoring.batch import BatchInterrupted, score_sources
from callcoach.scoring.result import CallScore, CriterionResult, Moment
from callcoach.store import Store
from callcoach.transcript import CallMeta, Transcript, Utterance

RUBRIC = Rubric.model_validate({"rubric": "demo", "version": "1", "criteria": [
    {"id": "greeting", "check": {"type": "phrase", "method": "verbatim", "phrases": ["hello"]}},
    {"id": "no_discount", "critical": True,
     "check": {"type": "forbidden", "phrases": ["discount"]}}]})


@dataclass(frozen=True)
class FakeSource:
    """A file holding `{"call_id", "rep", "started_at", "lines": ["Name: text", ...]}`;
    the first name is the rep. `{"bad": LINE}` makes `read` fail at that line."""

    path: Path

    def fingerprint(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    def read(self, require_meta: bool = True) -> Transcript:
        data = json.loads(self.path.read_text())
        if "bad" in data:
            raise TranscriptError("no speaker on this line", path=self.path, line=data["bad"],
                                  hint="write `Name: text`")
        utts = []
        for i, line in enumerate(data["lines"]):
            name, text = line.split(": ", 1)
            utts.append(Utterance(i, name, text, "rep" if i == 0 else "prospect", i * 10.0))
        meta = CallMeta(data["call_id"], data["rep"], datetime.fromisoformat(data["started_at"]))
        return Transcript(meta, utts, source=str(self.path), content_hash=self.fingerprint())


def fake_score(transcript: Transcript, compiled: Rubric) -> CallScore:
    """greeting: a rep utterance containing 'hello'; no_discount: 'discount' anywhere."""
    def moments(word, role=None):
        return [Moment(u.index, u.start, u.speaker, u.role, u.text, matched=word)
                for u in transcript.utterances
                if word in u.text.lower() and (role is None or u.role == role)]
    hello, discount = moments("hello", "rep"), moments("discount")
    results = [
        CriterionResult("greeting", 1.0 if hello else 0.0, bool(hello),
                        "greeted" if hello else "no greeting", hello),
        CriterionResult("no_discount", 0.0 if discount else 1.0, not discount,
                        f"{len(discount)} discount mentions", discount,
                        {"violations": len(discount)})]
    overall = sum(r.score for r in results) / len(results) * 100
    return CallScore(transcript.meta, compiled.rubric, compiled.version, compiled.content_hash,
                     overall, bool(discount), results, {"turns": len(transcript.utterances)},
                     transcript.source, transcript.content_hash)


@pytest.fixture(autouse=True)
def fake_engine(monkeypatch):
    # Workers are forked, so they inherit these patches.
    monkeypatch.setattr(batch, "_compile", lambda rubric: rubric)
    monkeypatch.setattr(batch, "_score", fake_score)


def write_call(folder: Path, name: str, call_id: str, started_at: str, *lines: str,
               rep: str = "ana") -> FakeSource:
    path = folder / name
    path.write_text(json.dumps({"call_id": call_id, "rep": rep, "started_at": started_at,
                                "lines": list(lines)}))
    return FakeSource(path)


def corpus(folder: Path, n: int = 6) -> list[FakeSource]:
    return [write_call(folder, f"call{i:02d}.json", f"c{i:02d}", f"2026-03-{1 + i % 5:02d}T10:00",
                       "Ana: hello there" if i % 2 else "Ana: right, so",
                       "Bo: any discount?" if i % 3 == 0 else "Bo: ok")
            for i in range(n)]


def stored(store: Store) -> dict[str, dict]:
    ids = [r[0] for r in store.query("SELECT call_id FROM calls ORDER BY call_id")]
    return {s.meta.call_id: s.to_dict() for s in store.calls(ids, "demo")}


def test_scores_every_source_and_stores_it(new_db, tmp_path):
    sources = corpus(tmp_path)
    with Store(new_db("s")) as store:
        report = score_sources(sources, RUBRIC, store, jobs=1)
        assert (report.scored, report.unchanged, report.errors) == (6, 0, [])
        # by started_at, then call_id
        assert report.call_ids == ["c00", "c05", "c01", "c02", "c03", "c04"]
        calls = stored(store)
        assert sorted(calls) == [f"c{i:02d}" for i in range(6)]
        assert calls["c03"]["criteria"][0]["score"] == 1.0
        assert calls["c03"]["critical_failed"] is True
        assert store.rubric("demo").body == RUBRIC.model_dump(mode="json", by_alias=True)


def test_stored_call_reads_back_as_scored(new_db, tmp_path):
    source = corpus(tmp_path, 4)[3]
    expected = fake_score(source.read(), RUBRIC).to_dict()
    with Store(new_db("s")) as store:
        score_sources([source], RUBRIC, store, jobs=1)
        assert stored(store)["c03"] == expected
        assert [u.text for u in store.utterances("c03")] == ["Ana: hello there"[5:], "Bo: any discount?"[4:]]


def test_second_run_skips_unchanged_files(new_db, tmp_path, monkeypatch):
    sources = corpus(tmp_path)
    with Store(new_db("s")) as store:
        score_sources(sources, RUBRIC, store, jobs=1)
        # nothing to score: no worker pool is even started
        monkeypatch.setattr(batch, "ProcessPoolExecutor", None)
        again = score_sources(sources, RUBRIC, store, jobs=2)
        assert (again.scored, again.unchanged, again.errors) == (0, 6, [])
        assert again.call_ids == ["c00", "c05", "c01", "c02", "c03", "c04"]


def test_changed_file_is_rescored_alone(new_db, tmp_path):
    sources = corpus(tmp_path)
    with Store(new_db("s")) as store:
        score_sources(sources, RUBRIC, store, jobs=1)
        write_call(tmp_path, "call01.json", "c01", "2026-03-02T10:00", "Ana: no greeting",
                   "Bo: ok")
        report = score_sources(sources, RUBRIC, store, jobs=1)
        assert (report.scored, report.unchanged) == (1, 5)
        assert stored(store)["c01"]["criteria"][0]["score"] == 0.0


@pytest.mark.parametrize("change", [
    pytest.param({"version": "2"}, id="rubric-edited"),
    pytest.param({"pass_mark": 0.9}, id="pass-mark"),
])
def test_changed_rubric_rescores_everything(new_db, tmp_path, change):
    sources = corpus(tmp_path)
    with Store(new_db("s")) as store:
        score_sources(sources, RUBRIC, store, jobs=1)
        changed = RUBRIC.model_copy(update=change)
        report = score_sources(sources, changed, store, jobs=1)
        assert (report.scored, report.unchanged) == (6, 0)
        hashes = {r[0] for r in store.query("SELECT DISTINCT rubric_hash FROM calls")}
        assert hashes == {changed.content_hash}


def test_rescoring_keeps_stored_transcripts_unless_the_file_changed(new_db, tmp_path, monkeypatch):
    sources = corpus(tmp_path, 3)
    packed = []
    real_pack = batch.pack_utterances
    monkeypatch.setattr(batch, "pack_utterances", lambda u: packed.append(1) or real_pack(u))
    with Store(new_db("s")) as store:
        score_sources(sources, RUBRIC, store, jobs=1)
        assert len(packed) == 3
        score_sources(sources, RUBRIC.model_copy(update={"version": "2"}), store, jobs=1)
        assert len(packed) == 3
        write_call(tmp_path, "call01.json", "c01", "2026-03-02T10:00", "Ana: bye now")
        score_sources(sources, RUBRIC, store, jobs=1)
        assert len(packed) == 4
        assert [u.text for u in store.utterances("c01")] == ["bye now"]
        assert [u.text for u in store.utterances("c02")] == ["right, so", "ok"]


def test_force_rescores_unchanged(new_db, tmp_path):
    sources = corpus(tmp_path, 3)
    with Store(new_db("s")) as store:
        score_sources(sources, RUBRIC, store, jobs=1)
        report = score_sources(sources, RUBRIC, store, jobs=1, force=True)
        assert (report.scored, report.unchanged) == (3, 0)


@pytest.mark.parametrize("jobs", [1, 2])
def test_bad_file_is_reported_and_the_rest_stored(new_db, tmp_path, jobs):
    sources = corpus(tmp_path, 5)
    bad = tmp_path / "call02.json"
    bad.write_text(json.dumps({"bad": 7}))
    missing = TranscriptError("file not found", path=tmp_path / "gone.txt")
    with Store(new_db("s")) as store:
        report = score_sources([*sources, missing], RUBRIC, store, jobs=jobs)
        assert report.scored == 4
        assert [str(e) for e in report.errors] == [
            f"{bad}:7: no speaker on this line (write `Name: text`)",
            f"{tmp_path / 'gone.txt'}: file not found"]
        assert sorted(stored(store)) == ["c00", "c01", "c03", "c04"]


def test_second_file_with_the_same_call_id_is_an_error(new_db, tmp_path):
    sources = corpus(tmp_path, 3)
    twin = write_call(tmp_path, "zz.json", "c01", "2026-03-09T10:00", "Ana: hi")
    with Store(new_db("s")) as store:
        report = score_sources([*sources, twin], RUBRIC, store, jobs=2)
        assert report.scored == 3
        assert [str(e) for e in report.errors] == [
            f"{twin.path}: call id 'c01' is already used by {sources[1].path} in this run; this "
            f"file was not stored (give each call its own call_id (calls.csv, a sidecar or the "
            f"file name))"]
        assert stored(store)["c01"]["started_at"] == "2026-03-02T10:00:00"
        # also when the first file is unchanged and skipped
        report = score_sources([*sources, twin], RUBRIC, store, jobs=1)
        assert (report.scored, report.unchanged, len(report.errors)) == (0, 3, 1)


def test_jobs_do_not_change_what_is_stored(tmp_path):
    sources = corpus(tmp_path, 20)
    results = []
    for jobs in (1, 2):
        with Store(tmp_path / f"s{jobs}.db") as store:
            report = score_sources(sources, RUBRIC, store, jobs=jobs)
            results.append((report.call_ids, stored(store)))
    assert results[0] == results[1]


def test_progress_counts_every_source_as_it_goes(new_db, tmp_path):
    sources = corpus(tmp_path, 4)
    seen = []
    with Store(new_db("s")) as store:
        score_sources(sources, RUBRIC, store, jobs=2,
                      on_progress=lambda done, total: seen.append((done, total)))
        assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
        # unchanged calls are counted when they are looked up, not all at the end
        fingerprints = []
        for s in sources:
            object.__setattr__(s, "fingerprint", lambda s=s: fingerprints.append(s) or
                               FakeSource.fingerprint(s))
        score_sources(sources, RUBRIC, store, jobs=2,
                      on_progress=lambda done, total: seen.append((done, len(fingerprints))))
        assert seen[4:] == [(1, 1), (2, 2), (3, 3), (4, 4)]


def test_commits_in_batches(new_db, tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "BATCH_CALLS", 4)
    commits = []
    with Store(new_db("s")) as store:
        save = store.save_calls
        monkeypatch.setattr(store, "save_calls", lambda calls, **kw: commits.append(len(calls))
                            or save(calls))
        score_sources(corpus(tmp_path, 10), RUBRIC, store, jobs=1)
    assert commits == [4, 4, 2]


@pytest.mark.parametrize("jobs, signum", [(1, signal.SIGINT), (2, signal.SIGINT),
                                           (2, signal.SIGTERM)], ids=["1-INT", "2-INT", "2-TERM"])
def test_signal_commits_finished_calls_then_stops(new_db, tmp_path, jobs, signum):
    sources = corpus(tmp_path, 40)

    def interrupt(done, total):
        if done == 9:
            os.kill(os.getpid(), signum)

    with Store(new_db("s")) as store:
        with pytest.raises(BatchInterrupted) as caught:
            score_sources(sources, RUBRIC, store, jobs=jobs, on_progress=interrupt)
        report = caught.value.report
        assert caught.value.signum == signum
        assert report.interrupted and 9 <= report.scored < 40
        assert len(stored(store)) == report.scored
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
        rest = score_sources(sources, RUBRIC, store, jobs=jobs)
        assert (rest.unchanged, rest.scored) == (report.scored, 40 - report.scored)


def test_unexpected_exception_is_a_file_error(new_db, tmp_path, monkeypatch):
    def broken(transcript, compiled):
        if transcript.meta.call_id == "c01":
            raise ZeroDivisionError("division by zero")
        return fake_score(transcript, compiled)
    monkeypatch.setattr(batch, "_score", broken)
    with Store(new_db("s")) as store:
        report = score_sources(corpus(tmp_path, 3), RUBRIC, store, jobs=1)
    assert report.scored == 2
    assert str(report.errors[0]).startswith(
        f"{tmp_path / 'call01.json'}: internal error while scoring: ZeroDivisionError")


# A run cancelled while a worker is still starting: the worker was forked with the writer's
# deferring SIGTERM handler, and is slow to reach its initializer's reset (as under load).
_CANCEL_WHILE_STARTING = r"""
import os, signal, sys, time
from concurrent.futures import ProcessPoolExecutor
from types import SimpleNamespace
from callcoach.scoring.batch import _Run

def starting(marker):
    try:   # the first worker to start is the slow one
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
        time.sleep(1.5)
    except FileExistsError:
        pass
    signal.signal(signal.SIGTERM, signal.SIG_DFL)   # what _init_worker does, then

run = _Run.__new__(_Run)
run.stop_signal, run.interruptible = None, False
signal.signal(signal.SIGTERM, run._on_signal)       # as a run installs it
pool = ProcessPoolExecutor(2, initializer=starting, initargs=(sys.argv[1],))
pool.submit(int)
time.sleep(0.5)
_Run._close_pool(SimpleNamespace(pool=pool), cancel=True)
print("closed")
"""


@pytest.mark.skipif(not hasattr(os, "register_at_fork"), reason="fork start method only")
def test_cancelling_while_a_worker_is_still_starting_does_not_hang(tmp_path):
    """A usage error right after the pool started once hung a CI run: the starting worker
    swallowed the stop, then waited forever on a queue lock its killed sibling held."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _CANCEL_WHILE_STARTING,
                           str(tmp_path / "marker")], capture_output=True, text=True,
                          timeout=30)
    assert (done.returncode, done.stdout) == (0, "closed\n"), done.stderr
