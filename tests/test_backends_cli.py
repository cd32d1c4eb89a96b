"""Every command works unchanged on a shared PostgreSQL store: the bundled examples are
scored into an SQLite file and into a schema of a real PostgreSQL server, and each command
prints the same bytes from both. Without the postgres extra, a postgresql:// URL is one
message that says which extra to install."""
from __future__ import annotations

import builtins
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callcoach.cli.app import app
from callcoach.errors import StoreError
from callcoach.store import Store

ROOT = Path(__file__).resolve().parents[1]
RUBRIC = ROOT / "rubrics" / "five-step-discovery.yaml"
LABELS = """call_id,criterion,label
20261112-MC-124,next_step,fail
20261112-MC-124,recording_disclosure,pass
20261005-DR-001,next_step,fail
20261005-DR-001,discovery_questions,fail
"""


def cli(*args: str, env: dict | None = None):
    return CliRunner().invoke(app, list(args), env={"CALLCOACH_TZ": "America/New_York",
                                                    "COLUMNS": "120", **(env or {})})


@pytest.fixture(scope="module")
def stores(postgres_server, tmp_path_factory):
    """{"sqlite": path, "postgres": URL}, each holding the examples and their sessions."""
    folder = tmp_path_factory.mktemp("stores")
    made = {"sqlite": str(folder / "team.db"), "postgres": postgres_server.new_store()}
    for db in made.values():
        scored = cli("score", str(ROOT / "examples" / "calls"), "-r", str(RUBRIC), "--db", db,
                     "--jobs", "1", "--quiet")
        assert scored.exit_code == 0, scored.output
        imported = cli("session", "import", str(ROOT / "examples" / "sessions.csv"), "--db", db)
        assert imported.exit_code == 0, imported.output
    return made


COMMANDS = {
    "score": ["score", str(ROOT / "examples" / "calls"), "-r", str(RUBRIC), "--format", "csv"],
    "scorecard": ["scorecard", "--as-of", "2026-11-13"],
    "scorecard-rep": ["scorecard", "--rep", "Marcus Chen", "--as-of", "2026-11-13"],
    "queue": ["queue", "--as-of", "2026-11-13", "--format", "markdown"],
    "select": ["select", "--rep", "Marcus Chen", "--as-of", "2026-11-13"],
    "agenda": ["agenda", "--rep", "Marcus Chen", "--as-of", "2026-11-13"],
    "explain": ["explain", "20261112-MC-124", "--criterion", "next_step"],
    "evidence": ["evidence", "--rep", "Tom Becker", "--criterion", "active_listening",
                 "--as-of", "2026-11-13"],
    "session-list": ["session", "list"],
    "progress": ["progress", "--as-of", "2026-12-20", "--format", "json"],
    "export-results": ["export", "--format", "csv"],
    "export-calls": ["export", "--table", "calls", "--format", "jsonl"],
    "export-moments": ["export", "--table", "moments", "--format", "csv"],
    "calibrate": ["calibrate", "{labels}"],
    "did-you-mean": ["select", "--rep", "Marcus", "--as-of", "2026-11-13"],
}


@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_every_command_prints_the_same_from_both_backends(stores, tmp_path, args):
    labels = tmp_path / "labels.csv"
    labels.write_text(LABELS)
    args = [a.replace("{labels}", str(labels)) for a in args]
    sqlite, postgres = (cli(*args, "--db", stores[b]) for b in ("sqlite", "postgres"))
    assert sqlite.exit_code == postgres.exit_code, postgres.output
    assert "Traceback" not in postgres.output
    assert postgres.stdout == sqlite.stdout
    assert len(sqlite.stdout) > 40 or sqlite.exit_code != 0
    # stderr may name the store (a path or a URL) and a run's timing
    clean = [re.sub(r"\(\d+\.\d s, \d+ calls/s\)", "", r.stderr.replace(stores[b], "DB"))
             for r, b in ((sqlite, "sqlite"), (postgres, "postgres"))]
    assert clean[0] == clean[1]


def test_parquet_export_is_the_same_table(stores, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    tables = {}
    for backend, db in stores.items():
        out = tmp_path / f"{backend}.parquet"
        assert cli("export", "--table", "calls", "--format", "parquet", "--out", str(out),
                   "--db", db).exit_code == 0
        tables[backend] = pq.read_table(out)
    assert tables["postgres"].equals(tables["sqlite"]) and tables["sqlite"].num_rows == 128


def test_sessions_and_calls_rm_write_to_the_shared_store(postgres_server, tmp_path):
    db = postgres_server.new_store()
    assert cli("score", str(ROOT / "examples" / "calls"), "-r", str(RUBRIC), "--db", db,
               "--quiet").exit_code == 0
    added = cli("session", "add", "--rep", "Marcus Chen", "--criterion", "next_step",
                "--date", "2026-11-13", "--calls", "20261112-MC-124", "--db", db)
    assert added.exit_code == 0, added.output
    removed = cli("calls", "rm", "20261112-MC-124", "--db", db)
    assert removed.exit_code == 0, removed.output
    with Store(db) as store:
        assert store.query("SELECT COUNT(*) FROM calls").fetchone()[0] == 127
        assert [s.calls for s in store.sessions(rep="Marcus Chen")] == [()]
    again = cli("calls", "rm", "20261112-MC-124", "--db", db)
    assert again.exit_code == 1 and "no call" in again.stderr


def test_a_server_that_is_not_there_is_one_clear_message():
    pytest.importorskip("psycopg", reason="the postgres extra is not installed")
    result = cli("scorecard", "--db", "postgresql://coach:s3cret@127.0.0.1:1/team")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: cannot connect to the store postgresql://coach:***@127.0.0.1:1/team: ")
    assert "s3cret" not in result.output and "Traceback" not in result.output


def test_without_the_postgres_extra_the_message_names_it(monkeypatch):
    real_import = builtins.__import__

    def no_psycopg(name, *args, **kwargs):
        if name == "psycopg" or name.startswith("psycopg."):
            raise ImportError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)
    monkeypatch.delitem(__import__("sys").modules, "callcoach.store_postgres", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_psycopg)
    result = cli("queue", "--db", "postgresql://coach@db.internal/team")
    assert (result.exit_code, result.stderr) == (1, (
        "error: a postgresql:// store needs the 'postgres' extra, which is not installed "
        "(psycopg is missing) (pip install 'callcoach[postgres]')\n"))
    with pytest.raises(StoreError, match=r"callcoach\[postgres\]"):
        Store("postgres://coach@db.internal/team")
