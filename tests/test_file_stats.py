"""Re-runs find unchanged files by their stat (size, times, inode) instead of reading and
hashing them; any change to a file or to what else its fingerprint covers is still seen."""
from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from callcoach import ingest
from callcoach.scoring.batch import score_paths
from callcoach.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "calls"
RUBRIC = Path(__file__).resolve().parents[1] / "rubrics" / "five-step-discovery.yaml"
FILES = ["2026-10-05_dr_timberline-hotels_discovery.txt",
         "2026-10-05_mc_highland-dental-group_discovery.vtt",
         "2026-10-05_pn_lakeshore-manufacturing_discovery.srt",
         "2026-10-06_lo_hollis-distribution_discovery.json"]


@pytest.fixture
def calls(tmp_path) -> Path:
    """Four example calls with their calls.csv rows and the roster."""
    folder = tmp_path / "calls"
    folder.mkdir()
    for name in FILES:
        shutil.copy(EXAMPLES / name, folder / name)
    shutil.copy(EXAMPLES / "reps.yaml", folder / "reps.yaml")
    with open(EXAMPLES / "calls.csv", newline="") as f:
        rows = [r for r in csv.reader(f)]
    with open(folder / "calls.csv", "w", newline="") as f:
        csv.writer(f).writerows([rows[0], *[r for r in rows[1:] if r[0] in FILES]])
    return folder


def _run(folder: Path, db: Path):
    with Store(db) as store:
        return score_paths([folder], RUBRIC, store, jobs=1)


def _no_hashing(monkeypatch) -> None:
    def fail(self):
        raise AssertionError(f"{self.path.name} was hashed")
    monkeypatch.setattr(ingest.Source, "fingerprint", fail)


def test_a_rerun_skips_unchanged_files_without_reading_them(new_db, calls, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "RACY_NS", 0)   # the files were written just now
    first = _run(calls, new_db("s"))
    assert (first.scored, first.unchanged) == (4, 0)
    with Store(new_db("s")) as store:
        assert sorted(Path(p).name for p in store.file_stats()) == sorted(FILES)
    _no_hashing(monkeypatch)
    again = _run(calls, new_db("s"))
    assert (again.scored, again.unchanged, again.errors) == (0, 4, [])


def test_a_changed_file_is_rescored_and_only_it_is_read(new_db, calls, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "RACY_NS", 0)
    _run(calls, new_db("s"))
    changed = calls / FILES[0]
    changed.write_text(changed.read_text() + "\nDana Ruiz: One more thing before we go.\n")
    hashed = []
    real = ingest.Source.fingerprint
    monkeypatch.setattr(ingest.Source, "fingerprint",
                        lambda self: hashed.append(self.path.name) or real(self))
    report = _run(calls, new_db("s"))
    assert (report.scored, report.unchanged) == (1, 3)
    assert hashed == [FILES[0]]


def test_a_changed_calls_csv_row_rehashes_its_file(new_db, calls, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "RACY_NS", 0)
    _run(calls, new_db("s"))
    manifest = calls / "calls.csv"
    manifest.write_text(manifest.read_text().replace("Timberline Hotels", "Timberline Resorts"))
    report = _run(calls, new_db("s"))
    assert (report.scored, report.unchanged) == (1, 3)
    with Store(new_db("s")) as store:
        call = store.call(report.call_ids[0], "five-step-discovery")
    assert call.meta.account == "Timberline Resorts"


def test_the_same_bytes_rewritten_are_rehashed_and_still_unchanged(new_db, calls, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "RACY_NS", 0)
    _run(calls, new_db("s"))
    target = calls / FILES[1]
    data = target.read_bytes()
    target.unlink()
    target.write_bytes(data)   # new inode and times, same content
    assert _run(calls, new_db("s")).unchanged == 4


def test_files_changed_in_the_last_seconds_are_never_looked_up_by_stat(new_db, calls, tmp_path):
    _run(calls, new_db("s"))   # the default racy window: every file is brand new
    with Store(new_db("s")) as store:
        assert store.file_stats() == {}
    assert _run(calls, new_db("s")).unchanged == 4   # hashed, and still unchanged


def test_a_new_reader_version_rescores_every_file(new_db, calls, tmp_path, monkeypatch):
    """What the checks see changed for the same bytes (a reader or normalisation fix): the
    stored results must not stay 'unchanged', even with every file's stat cached."""
    monkeypatch.setattr(ingest, "RACY_NS", 0)
    _run(calls, new_db("s"))
    monkeypatch.setattr(ingest, "READER_VERSION", "next")
    report = _run(calls, new_db("s"))
    assert (report.scored, report.unchanged) == (4, 0)
