"""The score store: calls, criterion results, moments, the transcripts behind them (for
excerpts with context) and coaching sessions. One SQLite file by default; a
`postgresql://` URL opens a shared PostgreSQL store instead (`store_postgres`), with the
same schema, migrations and queries (docs/store.md, DECISIONS.md).

The SQL here is written once, in the dialect both backends read: SQLite's, with upserts
spelt `ON CONFLICT` and no boolean arithmetic. `store_postgres` translates the few SQLite
spellings left (`?` placeholders, `IS ?`, `CROSS JOIN ... ON`) and the schema's types.

Keys: a call's scores are keyed by (call_id, rubric_id); the row remembers the rubric's
content hash and the file's content hash, so an unchanged file under an unchanged rubric is
skipped and a changed rubric re-scores. Every call is written in its own transaction, so an
interrupted run keeps each call it finished and never leaves half a call.
"""
from __future__ import annotations

import contextlib
import functools
import json
import logging
import operator
import os
import re
import sqlite3
import sys
import time
import zlib
from dataclasses import dataclass
from datetime import datetime
from json.encoder import encode_basestring_ascii as _json_str
from pathlib import Path
from typing import Callable, Iterable, Iterator

from callcoach import defaults
from callcoach.errors import NotFoundError, StoreError
from callcoach.scoring.result import CallScore, CriterionResult, Moment
from callcoach.transcript import CallMeta, Utterance

SCHEMA_VERSION = 5
# SQLite's own wait for a lock, per attempt: short, so a stop signal is seen between attempts.
BUSY_TIMEOUT = 0.5

# Each entry upgrades the schema from version i to i+1; append, never edit.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE rubrics (
        rubric_hash TEXT PRIMARY KEY,
        rubric_id   TEXT NOT NULL,
        version     TEXT,
        name        TEXT,
        body        TEXT NOT NULL            -- the validated rubric as JSON
    );
    CREATE TABLE calls (
        call_id         TEXT NOT NULL,
        rubric_id       TEXT NOT NULL,
        rubric_hash     TEXT NOT NULL,
        rep             TEXT NOT NULL,
        started_at      TEXT NOT NULL,       -- ISO 8601
        call_type       TEXT,
        account         TEXT,
        duration        REAL,
        extra           TEXT NOT NULL DEFAULT '{}',
        source          TEXT,
        content_hash    TEXT,
        overall         REAL,
        critical_failed INTEGER NOT NULL DEFAULT 0,
        metrics         TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (call_id, rubric_id)
    );
    CREATE INDEX calls_rep_time ON calls (rubric_id, rep, started_at);
    CREATE TABLE results (
        call_id      TEXT NOT NULL,
        rubric_id    TEXT NOT NULL,
        criterion_id TEXT NOT NULL,
        position     INTEGER NOT NULL,       -- the criterion's order in the rubric
        score        REAL,                   -- NULL = not applicable
        passed       INTEGER,
        reason       TEXT NOT NULL,
        counts       TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (call_id, rubric_id, criterion_id)
    );
    CREATE INDEX results_criterion ON results (rubric_id, criterion_id);
    CREATE TABLE moments (
        call_id      TEXT NOT NULL,
        rubric_id    TEXT NOT NULL,
        criterion_id TEXT NOT NULL,
        seq          INTEGER NOT NULL,
        utterance    INTEGER NOT NULL,
        start        REAL,
        speaker      TEXT NOT NULL,
        role         TEXT NOT NULL,
        text         TEXT NOT NULL,
        kind         TEXT NOT NULL,
        matched      TEXT,
        step         TEXT,
        similarity   REAL,
        span_start   INTEGER,
        span_end     INTEGER,
        PRIMARY KEY (call_id, rubric_id, criterion_id, seq)
    );
    CREATE TABLE transcripts (
        call_id      TEXT PRIMARY KEY,
        content_hash TEXT,
        body         BLOB NOT NULL           -- zlib-compressed JSON list of utterances
    );
    CREATE TABLE sessions (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        rep          TEXT NOT NULL,
        rubric_id    TEXT NOT NULL,
        criterion_id TEXT NOT NULL,
        held_on      TEXT NOT NULL,          -- ISO date
        calls        TEXT NOT NULL DEFAULT '[]',
        notes        TEXT,
        source       TEXT                    -- 'cli', 'import:FILE', ...
    );
    CREATE INDEX sessions_rep ON sessions (rep, held_on);
    """,
    # 2: windows by rep and time are answered from the index alone. `calls` rows carry the
    # metrics and extra JSON, and fetching them for every call in the window made the team
    # scorecard twice as slow (100,000 calls: 90 days 1.41 -> 0.89 s, 14 days 0.23 -> 0.12 s).
    """
    CREATE INDEX calls_window ON calls (rubric_id, rep, started_at, call_id, overall);
    DROP INDEX calls_rep_time;
    """,
    # 3: a re-run finds each file's fingerprint by its stat instead of hashing its bytes:
    # 100,000 unchanged files (4.6 GB, not in the page cache) took 40 s, nearly all reading.
    """
    CREATE TABLE file_stats (
        path        TEXT PRIMARY KEY,        -- as discovered
        salt        TEXT NOT NULL,           -- Source.cache_key: what else was hashed
        size        INTEGER NOT NULL,
        mtime_ns    INTEGER NOT NULL,
        ctime_ns    INTEGER NOT NULL,
        inode       INTEGER NOT NULL,
        device      INTEGER NOT NULL,
        fingerprint TEXT NOT NULL
    );
    """,
    # 4: a call is who and when it is. A transcript that was renamed, moved or given another
    # call id replaces its old call instead of sitting beside it (same bytes, and the old file
    # is gone or is this one); `score --prune` finds the calls whose file is gone; analytics
    # default to the rubric of the most recent run.
    """
    ALTER TABLE calls ADD COLUMN origin TEXT;      -- the file's absolute path when stored
    ALTER TABLE calls ADD COLUMN file_hash TEXT;   -- sha256 of the file's bytes alone
    CREATE TABLE runs (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        rubric_id   TEXT NOT NULL,
        rubric_hash TEXT NOT NULL,
        started_at  TEXT NOT NULL             -- ISO 8601, UTC
    );
    """,
    # 5: a language model's answers to question checks, so an unchanged re-run (or a re-score
    # for a new weight or pass mark) asks the model nothing again (docs/judge.md).
    """
    CREATE TABLE answers (
        transcript_hash   TEXT NOT NULL,     -- the transcript lines sent
        criterion_hash    TEXT NOT NULL,     -- the instructions and criterion sent
        prompt_version    INTEGER NOT NULL,
        model             TEXT NOT NULL,
        answer            TEXT NOT NULL,     -- the validated answer, JSON
        prompt_tokens     INTEGER,           -- as the server counted them, when it said
        completion_tokens INTEGER,
        PRIMARY KEY (transcript_hash, criterion_hash, prompt_version, model)
    );
    """,
]


@dataclass(frozen=True, slots=True)
class StoredRubric:
    rubric_id: str
    rubric_hash: str
    version: str | None
    name: str | None
    body: dict
    # set when the store holds several rubrics and none was asked for: the others, left out
    # because this one is the rubric of the most recent run
    others: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Removed:
    """What `Store.remove_calls` took out: (call_id, rubric_id) of each call, and the sessions
    that cited them (the call ids are dropped from their list; the sessions stay)."""

    calls: tuple[tuple[str, str], ...]
    sessions: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Session:
    id: int
    rep: str
    rubric_id: str
    criterion_id: str
    held_on: str
    calls: tuple[str, ...]
    notes: str | None
    source: str | None


def _session(row: tuple) -> Session:
    """A `sessions` row (SELECT *) as a Session; `calls` is stored as a JSON list."""
    id_, rep, rubric_id, criterion_id, held_on, calls, notes, source = row
    return Session(id_, rep, rubric_id, criterion_id, held_on, tuple(json.loads(calls)), notes,
                   source)


def default_location() -> str:
    """The store commands use without --db: CALLCOACH_DB (a path or a URL), else ./callcoach.db."""
    return os.environ.get(defaults.ENV["db"]) or defaults.DB


# URL scheme -> (module, class, the extra that installs its driver). A new backend is one
# module with a Store subclass and one line here.
BACKENDS: dict[str, tuple[str, str, str]] = {
    "postgresql": ("callcoach.store_postgres", "PostgresStore", "postgres"),
    "postgres": ("callcoach.store_postgres", "PostgresStore", "postgres"),
}


def _scheme(location: str) -> str | None:
    head, sep, _ = location.partition("://")
    return head.lower() if sep and head.replace("+", "").isalpha() else None


def _backend(location: str) -> type["Store"] | None:
    """The Store subclass a URL names (None: an SQLite path), or a StoreError that says
    which extra to install when its driver is missing."""
    scheme = _scheme(location)
    if scheme is None or scheme == "sqlite":
        return None
    if scheme not in BACKENDS:
        raise StoreError(f"unknown store URL scheme {scheme!r} in {redact(location)}",
                         hint="use a file path, sqlite:///PATH or postgresql://USER@HOST/DB")
    module, name, extra = BACKENDS[scheme]
    import importlib
    try:
        return getattr(importlib.import_module(module), name)
    except ImportError as e:
        raise StoreError(f"a {scheme}:// store needs the {extra!r} extra, which is not "
                         f"installed ({e.name or e} is missing)",
                         hint=f"pip install 'callcoach[{extra}]'") from None


def _sqlite_path(location: str) -> str:
    # SQLAlchemy's spelling: sqlite:///relative.db, sqlite:////abs/path.db, sqlite:///:memory:
    return location[len("sqlite:///"):] if location.lower().startswith("sqlite:///") \
        else location


def redact(location: str) -> str:
    """A store location fit to print: a URL's password is replaced by ***."""
    return re.sub(r"(://[^:/@]+:)[^@/]*@", r"\1***@", location)


def default_lock_wait() -> float:
    """How long a writer waits for another process's write lock in all before giving up."""
    name = defaults.ENV["lock_wait"]
    raw = os.environ.get(name)
    try:
        return max(0.0, float(raw)) if raw else defaults.LOCK_WAIT
    except ValueError:
        raise StoreError(f"{name}={raw!r} is not a number of seconds",
                         hint=f"e.g. {name}=300") from None


log = logging.getLogger("callcoach")   # notes for the user; the CLI prints them (note: ...)


class Store:
    """Open (creating or migrating as needed) a callcoach store: an SQLite file (a path, or
    `sqlite:///PATH`) or a PostgreSQL database (`postgresql://USER@HOST/DB`, see
    `store_postgres`).

    A store this process cannot write (a read-only file, folder or mount) is opened read-only,
    so every reading command still works; writing to it is a `StoreError`. A writer waits up
    to `lock_wait` seconds (default 60, CALLCOACH_LOCK_WAIT) for another process's write lock.

    >>> store = Store(":memory:")
    >>> store.schema_version
    5
    """

    backend = "sqlite"
    BEGIN = "BEGIN IMMEDIATE"   # a writer takes the write lock at once
    SNAPSHOT = "BEGIN"          # a reader's: WAL keeps its snapshot until COMMIT
    Error: type[Exception] = sqlite3.Error   # the driver's errors (see `fault`, `busy`)
    read_only = False           # set when this process cannot write the store
    READ_ONLY_WHY = "the file, its folder or the disk"   # what may make it read-only
    NEW_STORE = "NEW.db"                                 # a new store, as a hint spells it
    lock_wait = defaults.LOCK_WAIT
    on_wait: Callable[[float], None] | None = None   # see `_LockWaits`

    def __new__(cls, path: str | Path | None = None, **kwargs):
        if cls is Store:
            cls = _backend(str(path if path is not None else default_location())) or cls
        return super().__new__(cls)

    def __init__(self, path: str | Path | None = None, *, must_exist: bool = False,
                 lock_wait: float | None = None):
        self.path = _sqlite_path(str(path if path is not None else default_location()))
        self.lock_wait = default_lock_wait() if lock_wait is None else lock_wait
        if must_exist and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"no store at {self.path}",
                             hint="score some calls first: callcoach score PATH --rubric R, "
                                  "or point --db / CALLCOACH_DB at an existing store")
        if self.path != ":memory:" and Path(self.path).is_dir():
            raise StoreError(f"{self.path} is a folder, not a store",
                             hint="point --db at a file, e.g. --db team.db")
        try:
            self.db = self._connect()
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as e:
            raise self.fault(e, "cannot open") from None

    def _connect(self) -> sqlite3.Connection:
        """Read-write in WAL mode; read-only when this process cannot write the store (WAL
        needs a `-shm` file beside it: in a read-only folder, only an immutable open reads)."""
        writable = self.path == ":memory:" or not Path(self.path).is_file() \
            or os.access(self.path, os.W_OK)   # False for a read-only or immutable file or mount
        if writable:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT)
            try:
                _LockWaits(self, "set up").retry(lambda: self._wal(db))
                return db
            except sqlite3.OperationalError as e:
                db.close()
                if self.path == ":memory:" or not Path(self.path).is_file() \
                        or not _cannot_write(e):
                    raise
        uri = Path(self.path).resolve().as_uri()
        wal = Path(self.path + "-wal")
        # immutable=1 reads the main file alone: writes still in a -wal file (a run killed
        # before its checkpoint) would be silently missing, so never with one
        pending = wal.is_file() and wal.stat().st_size > 0
        for query in ("?mode=ro",) if pending else ("?mode=ro", "?mode=ro&immutable=1"):
            db = sqlite3.connect(uri + query, uri=True, isolation_level=None,
                                 timeout=BUSY_TIMEOUT)
            try:
                db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
                self.read_only = True
                return db
            except sqlite3.OperationalError:
                db.close()
        if pending:
            raise StoreError(f"cannot read {self.path}: it holds writes not yet checkpointed in "
                             f"{wal.name}, and this process cannot write beside it",
                             hint="open it once where it can be written (any reading command "
                                  "does), then read it here")
        raise sqlite3.OperationalError("unable to open database file")

    @staticmethod
    def _wal(db: sqlite3.Connection) -> None:
        # Switching needs a moment's exclusive lock; a store already in WAL mode is left alone,
        # so two processes opening one store never race on it.
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode=WAL")

    # -- schema -------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        """Create or upgrade the schema in ONE write transaction, reading the version again
        under the lock: two processes opening a new store at once must not both create its
        tables ("table rubrics already exists"). Then check that no table is missing."""
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise StoreError(f"store {self.path} has schema {current}, newer than this callcoach "
                             f"({SCHEMA_VERSION})", hint="upgrade callcoach")
        if current < SCHEMA_VERSION:
            if self.read_only:
                raise StoreError(f"store {self.path} has schema {current} and cannot be "
                                 f"upgraded to {SCHEMA_VERSION}: this process cannot write it",
                                 hint="open it once where it can be written (callcoach "
                                      "scorecard will do), or use the callcoach that wrote it")
            for attempt in self.transactions("set up"):
                with attempt:
                    self._upgrade()
        missing = sorted(_TABLES - self._tables())
        if missing:
            raise StoreError(f"store {self.path} has no table {', '.join(missing)}: it is "
                             f"damaged, or was changed by other software",
                             hint=f"restore it from a backup, or score into a new store with "
                                  f"--db {self.NEW_STORE}")

    def _upgrade(self) -> None:
        """The migrations from the version the store has, inside the caller's transaction."""
        for version in range(self.schema_version, SCHEMA_VERSION):
            for statement in MIGRATIONS[version].split(";"):
                if statement.strip():
                    self.db.execute(self._ddl(statement))
            self._set_version(version + 1)

    @staticmethod
    def _ddl(statement: str) -> str:
        """A migration's statement in this backend's dialect."""
        return statement

    def _set_version(self, version: int) -> None:
        self.db.execute(f"PRAGMA user_version = {version}")

    def _tables(self) -> set[str]:
        return {name for (name,) in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}

    def transactions(self, what: str = "write to") -> Iterator["_Transaction"]:
        """The transactions of one write, each BEGIN ... COMMIT (ROLLBACK on any exception):

            for attempt in store.transactions():
                with attempt:
                    ...

        A next attempt comes only when another process held a lock this one needed (on
        SQLite, the write lock at BEGIN; on PostgreSQL, a row lock, a deadlock or a
        serialization failure anywhere in the body): the body runs again from the start, so
        it must build its rows before the loop. How long in all: see `_LockWaits`. The
        driver's other failures (disk full, a read-only or damaged store) come out as
        `StoreError`s that say so."""
        waits = _LockWaits(self, what)
        while True:
            attempt = _Transaction(self, waits)
            yield attempt
            if attempt.busy is None:
                return
            waits.wait(attempt.busy)

    def _begin(self) -> None:
        self.db.execute(self.BEGIN)

    @staticmethod
    def busy(e: Exception) -> bool:
        """Did `e` (one of `Error`) fail for a lock another process holds, so that trying
        again can succeed?"""
        return _busy(e)

    @staticmethod
    def describe_fault(e: Exception, where: str, doing: str = "cannot use") -> StoreError | None:
        """One of `Error` as a message for the user: what is wrong with the store and what
        to do about it; None for a misuse of the driver, which is callcoach's own bug."""
        if isinstance(e, (sqlite3.ProgrammingError, sqlite3.InterfaceError)):
            return None
        return store_fault(e, where, doing)

    def fault(self, e: Exception, doing: str = "cannot use") -> Exception:
        """What to raise for `e`: its message for the user, or `e` itself when it is a bug."""
        return self.describe_fault(e, self.path, doing) or e

    def analyze(self) -> None:
        """Refresh the query planner's statistics (sampled: ~10 ms at 100,000 calls). Without
        them SQLite cannot tell that a store holds few rubrics and reps, so listing them scans
        every call's index entry (~10 ms each at 100,000 calls) instead of skipping through."""
        self.db.execute("PRAGMA analysis_limit = 1000")
        self.db.execute("ANALYZE")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- rubrics ------------------------------------------------------------------------
    def save_rubric(self, rubric_id: str, rubric_hash: str, version: str | None, name: str | None,
                    body: dict) -> None:
        for attempt in self.transactions():
            with attempt:
                self.db.execute(
                    "INSERT INTO rubrics VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (rubric_hash, rubric_id, version, name, json.dumps(body, sort_keys=True)))

    def rubric(self, rubric_id: str | None = None) -> StoredRubric:
        """The rubric the store's calls were last scored with; `rubric_id` picks one. When the
        store holds several and none is asked for: the rubric of the most recent scoring run
        (its `others` name the rest)."""
        others: tuple[str, ...] = ()
        if rubric_id is None:
            ids = self._rubric_ids()
            if not ids:
                raise NotFoundError(f"the store {self.path} holds no scored calls",
                                    hint="run callcoach score PATH --rubric R first")
            rubric_id = ids[0] if len(ids) == 1 else self.latest_run_rubric(ids)
            if rubric_id is None:   # a store scored before runs were recorded (schema < 4)
                raise NotFoundError(f"the store holds calls scored with several rubrics: "
                                    f"{', '.join(ids)}",
                                    hint=f"pick one with --rubric-id or "
                                         f"{defaults.ENV['rubric_id']}")
            others = tuple(i for i in ids if i != rubric_id)
        # The version most calls were scored with. Counting calls per version reads every
        # call row (~0.4 s at 100,000 calls), so the usual case, one stored version, skips it.
        versions = self.db.execute("SELECT rubric_hash FROM rubrics WHERE rubric_id = ?",
                                   (rubric_id,)).fetchall()
        if len(versions) == 1:
            row = self.db.execute(
                "SELECT r.rubric_id, r.rubric_hash, r.version, r.name, r.body FROM rubrics r "
                "WHERE r.rubric_hash = ? AND EXISTS (SELECT 1 FROM calls c WHERE "
                "c.rubric_id = r.rubric_id AND c.rubric_hash = r.rubric_hash)",
                (versions[0][0],)).fetchone()
        else:
            row = self.db.execute(
                "SELECT r.rubric_id, r.rubric_hash, r.version, r.name, r.body FROM rubrics r "
                "JOIN (SELECT rubric_hash, COUNT(*) AS n FROM calls WHERE rubric_id = ? "
                "GROUP BY rubric_hash) c ON c.rubric_hash = r.rubric_hash "
                "WHERE r.rubric_id = ? ORDER BY c.n DESC, r.rubric_hash LIMIT 1",
                (rubric_id, rubric_id)).fetchone()
        if row is None:
            raise NotFoundError(f"no calls scored with rubric {rubric_id!r}",
                                hint=f"rubrics in this store: "
                                     f"{', '.join(self._rubric_ids()) or 'none'}")
        return StoredRubric(row[0], row[1], row[2], row[3], json.loads(row[4]), others)

    def _rubric_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT rubric_id FROM calls ORDER BY rubric_id")]

    def latest_run_rubric(self, rubric_ids: Iterable[str]) -> str | None:
        """Of `rubric_ids`, the one the most recent scoring run used (None: no run recorded)."""
        ids = list(rubric_ids)
        row = self.db.execute(
            f"SELECT rubric_id FROM runs WHERE rubric_id IN ({','.join('?' * len(ids))}) "
            f"ORDER BY id DESC LIMIT 1", ids).fetchone()
        return row[0] if row else None

    def record_run(self, rubric_id: str, rubric_hash: str, started_at: datetime) -> None:
        """Note that a scoring run with this rubric began (naive UTC `started_at`)."""
        for attempt in self.transactions():
            with attempt:
                self.db.execute("INSERT INTO runs (rubric_id, rubric_hash, started_at) "
                                "VALUES (?, ?, ?)",
                                (rubric_id, rubric_hash, started_at.isoformat()))

    # -- calls --------------------------------------------------------------------------
    def scored_hashes(self, rubric_id: str, rubric_hash: str
                      ) -> dict[str, tuple[str, datetime, str | None]]:
        """content_hash -> (call_id, started_at, origin) of every call already scored with
        exactly this rubric: the skip-unchanged lookup of a batch run. A hash shared by several
        stored calls is left out, so those files are read and scored again rather than
        guessed."""
        found: dict[str, tuple[str, datetime, str | None] | None] = {}
        for content_hash, call_id, started_at, origin in self.db.execute(
                "SELECT content_hash, call_id, started_at, origin FROM calls "
                "WHERE rubric_id = ? AND rubric_hash = ? AND content_hash IS NOT NULL",
                (rubric_id, rubric_hash)):
            found[content_hash] = None if content_hash in found else (
                call_id, datetime.fromisoformat(started_at), origin)
        return {h: v for h, v in found.items() if v is not None}

    def same_files(self, rubric_id: str) -> dict[str, list[tuple[str, str | None]]]:
        """file_hash -> [(call_id, origin)] of the rubric's calls: which stored calls were read
        from the same bytes, to find a transcript stored under an old name or id."""
        found: dict[str, list[tuple[str, str | None]]] = {}
        for file_hash, call_id, origin in self.db.execute(
                "SELECT file_hash, call_id, origin FROM calls "
                "WHERE rubric_id = ? AND file_hash IS NOT NULL ORDER BY call_id", (rubric_id,)):
            found.setdefault(file_hash, []).append((call_id, origin))
        return found

    def calls_from(self, rubric_id: str) -> list[tuple[str, str | None, str | None]]:
        """(call_id, origin, source) of every call stored with the rubric."""
        return self.db.execute("SELECT call_id, origin, source FROM calls WHERE rubric_id = ? "
                               "ORDER BY call_id", (rubric_id,)).fetchall()

    def move_calls(self, moves: Iterable[tuple[str, str, str, str | None]]) -> None:
        """(call_id, new source, new origin, old origin): an unchanged file found at another
        path. Every rubric's row of that call read from the old path follows it, so no row is
        later taken for a call whose file is gone."""
        rows = [(source, origin, call_id, old) for call_id, source, origin, old in moves]
        for attempt in self.transactions():
            with attempt:
                self.db.executemany(
                    "UPDATE calls SET source = ?, origin = ? WHERE call_id = ? AND origin IS ?",
                    rows)

    def file_stats(self) -> dict[str, tuple[tuple, str]]:
        """path -> (cache key, fingerprint) of every file whose fingerprint was recorded: see
        `ingest.Source.cache_key`."""
        return {path: ((salt, size, mtime, ctime, inode, device), fingerprint)
                for path, salt, size, mtime, ctime, inode, device, fingerprint in self.db.execute(
                    "SELECT path, salt, size, mtime_ns, ctime_ns, inode, device, fingerprint "
                    "FROM file_stats")}

    def save_file_stats(self, rows: Iterable[tuple[str, tuple, str]]) -> None:
        """Record (path, cache key, fingerprint) rows, replacing what a path had."""
        stats = sorted(((path, *key, fp) for path, key, fp in rows), key=_key1)
        for attempt in self.transactions():
            with attempt:
                self.db.executemany(_upsert("file_stats", _FILE_STAT_COLUMNS, 1), stats)

    def transcript_keys(self) -> frozenset[tuple[str, str]]:
        """(call_id, content_hash) of every stored transcript: a re-score under a new rubric
        need not pack and write a transcript the store already holds."""
        return frozenset(self.db.execute(
            "SELECT call_id, content_hash FROM transcripts WHERE content_hash IS NOT NULL"))

    def save_call(self, score: CallScore,
                  utterances: Iterable[Utterance] | bytes | None = None) -> None:
        """Write one scored call (and its transcript) atomically, replacing an older score."""
        self.save_calls([(score, utterances)])

    def save_calls(self, calls: Iterable[tuple[CallScore, Iterable[Utterance] | bytes | None]],
                   *, replaces: Iterable[tuple[str, str, str]] = ()) -> int:
        """Write scored calls (each with its transcript: utterances, a `pack_utterances` blob,
        or None to keep the stored one) in ONE transaction, replacing older scores of the same
        (call_id, rubric_id). `replaces`: (old call_id, new call_id, rubric_id) of stored calls
        that are the same transcript under an old id; they are removed in the same transaction
        and the sessions citing them cite the new id. All of it or none is written, so no call
        is ever half stored. Returns how many calls were written."""
        calls = list(calls)
        replaces = list(replaces)
        if not calls:
            return 0
        keys, call_rows, result_rows, moment_rows, transcript_rows = [], [], [], [], []
        dumps = _sorted_json
        for s, utterances in calls:
            m = s.meta
            keys.append((m.call_id, s.rubric_id))
            call_rows.append((
                m.call_id, s.rubric_id, s.rubric_hash, m.rep, m.started_at.isoformat(),
                m.call_type, m.account, m.duration, dumps(m.extra), s.source,
                s.content_hash, s.overall, int(s.critical_failed), dumps(s.metrics),
                s.origin, s.file_hash))
            for i, r in enumerate(s.results):
                result_rows.append((
                    m.call_id, s.rubric_id, r.id, i, r.score,
                    None if r.passed is None else int(r.passed), r.reason, dumps(r.counts)))
                moment_rows.extend(
                    (m.call_id, s.rubric_id, r.id, j, mo.utterance, mo.start, mo.speaker, mo.role,
                     mo.text, mo.kind, mo.matched, mo.step, mo.similarity,
                     mo.span[0] if mo.span else None, mo.span[1] if mo.span else None)
                    for j, mo in enumerate(r.moments))
            if utterances is not None:
                body = utterances if isinstance(utterances, bytes) else pack_utterances(utterances)
                transcript_rows.append((m.call_id, s.content_hash, body))
        for attempt in self.transactions():
            with attempt:
                if replaces:
                    self._remove([(old, rubric) for old, _, rubric in replaces])
                    self._recite({(old, rubric): new for old, new, rubric in replaces})
                # The call rows first, in key order: on a shared server, the lock on a call's row
                # is what makes a second writer of the same call wait until the first has
                # committed, so two runs never mix their results and moments (and never deadlock).
                self.db.executemany(_upsert("calls", _CALL_COLUMNS, 2),
                                    sorted(call_rows, key=_key2))
                for table in ("results", "moments"):
                    self.db.executemany(
                        f"DELETE FROM {table} WHERE call_id = ? AND rubric_id = ?", keys)
                self._insert_rows("results", result_rows)
                self._insert_rows("moments", moment_rows)
                self.db.executemany(_upsert("transcripts", ("call_id", "content_hash", "body"), 1),
                                    sorted(transcript_rows, key=_key1))
        return len(calls)

    def _insert_rows(self, table: str, rows: list[tuple]) -> None:
        """Append rows to a table (inside the caller's transaction)."""
        if rows:
            marks = ",".join("?" * len(rows[0]))
            self.db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)

    def remove_calls(self, call_ids: Iterable[str], rubric_id: str | None = None) -> Removed:
        """Remove calls (under `rubric_id`, or every rubric) with their results, moments,
        their transcript once no rubric holds the call, and their file's cached fingerprint;
        sessions that cited them stay, without those ids. One transaction."""
        ids = sorted(set(call_ids))
        if not ids:
            return Removed((), ())
        marks = ",".join("?" * len(ids))
        sql = f"SELECT call_id, rubric_id, source FROM calls WHERE call_id IN ({marks})"
        args = list(ids)
        if rubric_id is not None:
            sql += " AND rubric_id = ?"
            args.append(rubric_id)
        for attempt in self.transactions():
            with attempt:
                rows = self.db.execute(sql + " ORDER BY call_id, rubric_id", args).fetchall()
                keys = [(c, r) for c, r, _ in rows]
                self._remove(keys)
                self.db.executemany("DELETE FROM file_stats WHERE path = ?",
                                    sorted({(s,) for _, _, s in rows if s}))
                cited = self._recite({key: None for key in keys})
        return Removed(tuple(keys), cited)

    def _remove(self, keys: list[tuple[str, str]]) -> None:
        """Delete (call_id, rubric_id) calls, and the transcripts no rubric holds any more
        (inside the caller's transaction)."""
        for table in ("calls", "results", "moments"):
            self.db.executemany(f"DELETE FROM {table} WHERE call_id = ? AND rubric_id = ?",
                                keys)
        self.db.executemany(
            "DELETE FROM transcripts WHERE call_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM calls WHERE calls.call_id = transcripts.call_id)",
            sorted({(c,) for c, _ in keys}))

    def _recite(self, changes: dict[tuple[str, str], str | None]) -> tuple[int, ...]:
        """Sessions citing a (call_id, rubric_id) in `changes` cite its new id instead, or drop
        it (None). Returns the ids of the sessions changed (inside the caller's transaction)."""
        changed = []
        for sid, rubric_id, calls in self.db.execute(
                "SELECT id, rubric_id, calls FROM sessions ORDER BY id").fetchall():
            cited = json.loads(calls)
            new = [changes[c, rubric_id] if (c, rubric_id) in changes else c for c in cited]
            new = list(dict.fromkeys(c for c in new if c is not None))
            if new != cited:
                self.db.execute("UPDATE sessions SET calls = ? WHERE id = ?",
                                (json.dumps(new), sid))
                changed.append(sid)
        return tuple(changed)

    def call(self, call_id: str, rubric_id: str) -> CallScore:
        for score in self.calls([call_id], rubric_id):
            return score
        raise NotFoundError(f"no call {call_id!r} scored with rubric {rubric_id!r}",
                            hint="list calls with: callcoach scorecard --rep REP")

    def calls(self, call_ids: Iterable[str], rubric_id: str, *, moments: bool = True,
              chunk: int = 500) -> Iterator[CallScore]:
        """The stored scores of `call_ids`, in the order given, read a chunk at a time so a
        whole run can be streamed back; ids without a stored score are skipped.
        `moments=False` leaves every result's moments empty (a summary table needs none, and
        reading them is most of the cost)."""
        ids = list(call_ids)
        for k in range(0, len(ids), chunk):
            part = ids[k:k + chunk]
            loaded = self._load(part, rubric_id, moments)
            yield from (loaded[c] for c in part if c in loaded)

    def _load(self, call_ids: list[str], rubric_id: str,
              with_moments: bool) -> dict[str, CallScore]:
        with self.snapshot():
            return self._load_rows(call_ids, rubric_id, with_moments)

    def _load_rows(self, call_ids: list[str], rubric_id: str,
                   with_moments: bool) -> dict[str, CallScore]:
        marks = ",".join("?" * len(call_ids))
        args = (*call_ids, rubric_id)
        moments: dict[tuple[str, str], list[Moment]] = {}
        for r in () if not with_moments else self.db.execute(
                "SELECT call_id, criterion_id, utterance, start, speaker, role, text, kind, matched, "
                "step, similarity, span_start, span_end FROM moments "
                f"WHERE call_id IN ({marks}) AND rubric_id = ? ORDER BY call_id, criterion_id, seq",
                args):
            span = (r[11], r[12]) if r[11] is not None else None
            moments.setdefault((r[0], r[1]), []).append(Moment(*r[2:11], span=span))
        results: dict[str, list[CriterionResult]] = {}
        for r in self.db.execute(
                "SELECT call_id, criterion_id, score, passed, reason, counts FROM results "
                f"WHERE call_id IN ({marks}) AND rubric_id = ? ORDER BY call_id, position", args):
            results.setdefault(r[0], []).append(CriterionResult(
                r[1], r[2], None if r[3] is None else bool(r[3]), r[4],
                moments.get((r[0], r[1]), []), json.loads(r[5])))
        versions = dict(self.db.execute("SELECT rubric_hash, version FROM rubrics"))
        loaded: dict[str, CallScore] = {}
        for row in self.db.execute(
                "SELECT call_id, rep, started_at, call_type, account, duration, extra, rubric_hash, "
                "overall, critical_failed, metrics, source, content_hash, origin, file_hash "
                f"FROM calls WHERE call_id IN ({marks}) AND rubric_id = ?", args):
            meta = CallMeta(row[0], row[1], datetime.fromisoformat(row[2]), row[3], row[4],
                            row[5], json.loads(row[6]))
            loaded[row[0]] = CallScore(meta, rubric_id, versions.get(row[7]), row[7], row[8],
                                       bool(row[9]), results.get(row[0], []),
                                       json.loads(row[10]), row[11], row[12], row[13],
                                       row[14])
        return loaded

    def utterances(self, call_id: str) -> list[Utterance]:
        row = self.db.execute("SELECT body FROM transcripts WHERE call_id = ?", (call_id,)).fetchone()
        if row is None:
            return []
        return [Utterance(**u) for u in json.loads(zlib.decompress(row[0]))]


    # -- a language model's answers ------------------------------------------------------
    def answer(self, ask, model: str | None = None) -> dict | None:
        """The cached answer to an `Ask` (scoring.result) by `model`; with no model named, the
        answer of the first model (by name) that gave one."""
        sql = ("SELECT answer FROM answers WHERE transcript_hash = ? AND criterion_hash = ? "
               "AND prompt_version = ?")
        args = [ask.transcript_hash, ask.criterion_hash, ask.prompt_version]
        if model is not None:
            sql += " AND model = ?"
            args.append(model)
        row = self.db.execute(sql + " ORDER BY model LIMIT 1", args).fetchone()
        return None if row is None else json.loads(row[0])

    def save_answers(self, rows: Iterable[tuple]) -> None:
        """Record (ask, model, answer as a dict, prompt tokens, completion tokens) rows."""
        answers = [(a.transcript_hash, a.criterion_hash, a.prompt_version, model,
                    _sorted_json(answer), pt, ct) for a, model, answer, pt, ct in rows]
        for attempt in self.transactions():
            with attempt:
                self.db.executemany(_upsert("answers", _ANSWER_COLUMNS, 4), answers)

    # -- sessions -----------------------------------------------------------------------
    def add_session(self, rep: str, rubric_id: str, criterion_id: str, held_on: str,
                    calls: Iterable[str] = (), notes: str | None = None,
                    source: str | None = "cli") -> int:
        row = (rep, rubric_id, criterion_id, held_on, json.dumps(list(calls)), notes, source)
        for attempt in self.transactions():
            with attempt:
                session_id = self._insert_id(
                    "INSERT INTO sessions (rep, rubric_id, criterion_id, held_on, calls, notes, "
                    "source) VALUES (?,?,?,?,?,?,?)", row)
        return session_id

    def _insert_id(self, sql: str, args: tuple) -> int:
        """Run an INSERT into a table with an `id` key and return the new row's id."""
        return int(self.db.execute(sql, args).lastrowid)

    def delete_session(self, session_id: int) -> Session:
        """Remove one logged session (a mistyped date or rep); returns what was removed."""
        row = self.db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no session #{session_id}",
                                hint="list sessions and their ids with: callcoach session list")
        for attempt in self.transactions():
            with attempt:
                self.db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        return _session(row)

    def sessions(self, rep: str | None = None, rubric_id: str | None = None) -> list[Session]:
        sql, args = "SELECT * FROM sessions WHERE 1=1", []
        if rep is not None:
            sql += " AND rep = ?"
            args.append(rep)
        if rubric_id is not None:
            sql += " AND rubric_id = ?"
            args.append(rubric_id)
        sql += " ORDER BY held_on, id"
        return [_session(r) for r in self.db.execute(sql, args)]

    # -- raw access for the analytics layer (which owns pandas) --------------------------
    def query(self, sql: str, args: Iterable = ()) -> Iterator[tuple]:
        return self.db.execute(sql, tuple(args))

    def stream(self, sql: str, args: Iterable = (), chunk: int = 20_000) -> Iterator[list[tuple]]:
        """The rows of a query a chunk at a time, never all of them in memory at once."""
        cursor = self.db.execute(sql, tuple(args))
        while rows := cursor.fetchmany(chunk):
            yield rows

    def json_keys(self, column: str, rubric_id: str | None = None) -> list[str]:
        """The keys found in a JSON-object column of `calls` (`extra`, `metrics`), sorted."""
        where, args = ("WHERE rubric_id = ?", (rubric_id,)) if rubric_id else ("", ())
        return [key for (key,) in self.db.execute(
            f"SELECT DISTINCT j.key FROM calls, json_each(calls.{column}) j {where} "
            f"ORDER BY j.key", args)]

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Several reads that see one state of the store: a writer's batch that commits
        between them is seen by all of them or by none (never half a call)."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute(self.SNAPSHOT)
        try:
            yield
        finally:
            self.db.execute("COMMIT")


_CALL_COLUMNS = ("call_id", "rubric_id", "rubric_hash", "rep", "started_at", "call_type",
                 "account", "duration", "extra", "source", "content_hash", "overall",
                 "critical_failed", "metrics", "origin", "file_hash")
_FILE_STAT_COLUMNS = ("path", "salt", "size", "mtime_ns", "ctime_ns", "inode", "device",
                      "fingerprint")
_ANSWER_COLUMNS = ("transcript_hash", "criterion_hash", "prompt_version", "model", "answer",
                   "prompt_tokens", "completion_tokens")


_key1, _key2 = operator.itemgetter(0), operator.itemgetter(0, 1)


@functools.cache
def _upsert(table: str, columns: tuple[str, ...], key: int) -> str:
    """INSERT of a whole row that replaces the row with the same key (the first `key`
    columns): ON CONFLICT, which SQLite (3.24+) and PostgreSQL both read."""
    names = ", ".join(columns)
    update = ", ".join(f"{c} = excluded.{c}" for c in columns[key:])
    return (f"INSERT INTO {table} ({names}) VALUES ({','.join('?' * len(columns))}) "
            f"ON CONFLICT ({', '.join(columns[:key])}) DO UPDATE SET {update}")


# json.dumps(x, sort_keys=True) builds a new JSONEncoder per call; save_calls makes ~8 of
# these per call in the writer, so it keeps one (same output: the same encoder settings).
_sorted_json = json.JSONEncoder(sort_keys=True).encode


def pack_utterances(utterances: Iterable[Utterance]) -> bytes:
    """A transcript as the store keeps it (zlib-compressed JSON). Worker processes pack their
    own calls, so the single writer only copies bytes. Level 1: half the CPU of level 6 for
    blobs about a quarter larger, and this runs once per scored call."""
    utts = utterances if isinstance(utterances, (list, tuple)) else list(utterances)
    try:
        body = _utterances_json(utts)
    except (TypeError, ValueError):   # a value the fast path does not write as json does
        body = json.dumps([u.to_dict() for u in utts])
    return zlib.compress(body.encode(), 1)


# The fast path writes exactly what json.dumps([u.to_dict() ...]) writes, so blobs stay
# byte-identical, at about 2/3 of its CPU: no dict per utterance, and each speaker's and role's
# JSON is made once per call. A value it would not write as json.dumps does (an int, NaN or
# infinite time; an index that is not exactly an int; a text that is not a str) raises, and
# pack_utterances falls back to json.dumps.
_float_json = float.__repr__   # how json.dumps writes a finite float (a float subclass too)
_INF = float("inf")


def _odd(value) -> str:
    raise ValueError(value)


def _utterances_json(utts: list[Utterance] | tuple[Utterance, ...]) -> str:
    enc = _json_str   # json.dumps' own string encoder (ensure_ascii=True)
    who: dict[tuple[str, str], str] = {}
    out = []
    for u in utts:
        i, s, e = u.index, u.start, u.end
        head = who.get((u.speaker, u.role))
        if head is None:
            head = who[u.speaker, u.role] = f'"speaker": {enc(u.speaker)}, "role": {enc(u.role)}'
        out.append(
            f'{{"index": {i if type(i) is int else _odd(i)}, {head}, '
            f'"start": {"null" if s is None else _float_json(s) if -_INF < s < _INF else _odd(s)}, '
            f'"end": {"null" if e is None else _float_json(e) if -_INF < e < _INF else _odd(e)}, '
            f'"text": {enc(u.text)}}}')
    return "[" + ", ".join(out) + "]"


class _Transaction:
    """One attempt of `Store.transactions`: BEGIN (the dialect's, waiting for the lock at
    BEGIN) ... COMMIT, or ROLLBACK on any exception (KeyboardInterrupt included). A body that
    failed for another process's lock is rolled back and noted in `busy`, for the next
    attempt; the driver's other failures become `StoreError`s."""

    def __init__(self, store: Store, waits: "_LockWaits"):
        self.store = store
        self.waits = waits
        self.busy: Exception | None = None

    def __enter__(self):
        store = self.store
        self.waits.retry(store._begin, self._rollback,
                         lambda e: store.fault(e, f"cannot {self.waits.what}"))
        return store.db

    def __exit__(self, exc_type, exc, tb) -> bool:
        store = self.store
        if exc_type is None:
            try:
                store.db.execute("COMMIT")
                return False
            except store.Error as e:
                exc = e
        self._rollback()
        if isinstance(exc, store.Error):
            if store.busy(exc):
                self.busy = exc
                return True   # `transactions` waits, then runs the body again
            raise store.fault(exc, f"cannot {self.waits.what}") from None
        return False

    def _rollback(self) -> None:
        """ROLLBACK, when a transaction is open. The driver may have rolled back already
        (SQLite: disk full, an I/O error), or the connection be gone (a StoreError): the
        failure that brought us here is the news."""
        with contextlib.suppress(self.store.Error, StoreError):
            if self.store.db.in_transaction:
                self.store.db.execute("ROLLBACK")


class _LockWaits:
    """The waits of one write while another process holds a lock it needs, for up to the
    store's `lock_wait` seconds in all: from 50 ms growing to 0.5 s (plus each attempt's own
    wait in the driver: SQLite's BUSY_TIMEOUT, PostgreSQL's lock_timeout), so a stop signal
    is seen between them. The first is a note on the "callcoach" logger (the CLI prints it);
    the store's `on_wait` (the batch runner's stop check) hears about each one. Past
    `lock_wait`: a transient `StoreError`."""

    def __init__(self, store: Store, what: str):
        self.store, self.what = store, what
        self.started, self.delay = time.monotonic(), 0.05

    def retry(self, attempt: Callable[[], object], undo: Callable[[], None] = lambda: None,
              fault: Callable[[Exception], Exception] = lambda e: e) -> object:
        """`attempt()`, tried again (after `undo()`) while another process holds the lock it
        needs; the driver's other failures are raised as `fault(e)`."""
        while True:
            try:
                return attempt()
            except self.store.Error as e:
                undo()
                if not self.store.busy(e):
                    raise fault(e) from None
                self.wait(e)

    def wait(self, cause: Exception) -> None:
        store = self.store
        waited = time.monotonic() - self.started
        if waited >= store.lock_wait:
            locked = StoreError(
                f"cannot {self.what} {store.path}: another process has held its write lock "
                f"for more than {store.lock_wait:g} s",
                hint=f"set {defaults.ENV['lock_wait']} to wait longer")
            locked.transient = True
            raise locked from None
        if self.delay == 0.05:
            log.info("waiting for %s: another process is writing to it (for up to %g s; %s "
                     "sets how long)", store.path, store.lock_wait, defaults.ENV["lock_wait"])
        if store.on_wait is not None:   # the batch runner: may stop the wait
            store.on_wait(waited)
        time.sleep(min(self.delay, max(0.0, store.lock_wait - waited)))
        self.delay = min(self.delay * 2, 0.5)


# The tables the migrations create (and do not drop): what a store of this schema must have.
_TABLES = (set(re.findall(r"CREATE TABLE (\w+)", "".join(MIGRATIONS)))
           - set(re.findall(r"DROP TABLE (\w+)", "".join(MIGRATIONS))))


def _busy(e: sqlite3.Error) -> bool:
    text = str(e).lower()
    return "locked" in text or "busy" in text


def _cannot_write(e: sqlite3.Error) -> bool:
    text = str(e).lower()
    return "readonly" in text or "read-only" in text or "unable to open" in text


def driver_fault(e: BaseException, location: str, doing: str = "cannot use"
                 ) -> StoreError | None:
    """`e` as a message for the user when a database driver raised it (the CLI's error
    boundary: a failure while reading, such as a damaged file or a dropped table); None for
    anything else, which is a bug."""
    for backend in (Store, *_loaded_backends()):
        if isinstance(e, backend.Error):
            return backend.describe_fault(e, redact(location), doing)
    return None


def _loaded_backends() -> list[type[Store]]:
    # A driver's error can only come from a backend already imported.
    return [getattr(sys.modules[module], name) for module, name, _ in BACKENDS.values()
            if module in sys.modules]


def store_fault(e: sqlite3.Error, path: str | Path, doing: str = "cannot use") -> StoreError:
    """An SQLite failure as a message for the user: what is wrong with the store at `path`
    and what to do about it."""
    text = str(e)
    low = text.lower()
    if "full" in low:
        full = StoreError(f"{doing} {path}: the disk is full ({text})", hint="free some space")
        full.transient = True
        return full
    if "readonly" in low or "read-only" in low:
        return StoreError(f"{doing} {path}: it is read-only ({Store.READ_ONLY_WHY})",
                          hint="reading commands still work; to write, check the permissions "
                               "or use --db to pick a store you can write")
    if _busy(e):
        busy = StoreError(f"{doing} {path}: another process holds its lock ({text})",
                          hint="run again when it is done")
        busy.transient = True
        return busy
    if "not a database" in low:
        return StoreError(f"{doing} {path}: it is not a callcoach store ({text})",
                          hint="use --db to pick another file")
    if "malformed" in low or "corrupt" in low:
        return StoreError(f"{doing} {path}: the file is damaged ({text})",
                          hint="restore it from a backup; `sqlite3 STORE .recover` may save "
                               "what is left; or score into a new store with --db NEW.db")
    if "no such table" in low or "no such column" in low:
        return StoreError(f"{doing} {path}: {text}: the store is damaged or was changed by other "
                          f"software", hint="restore it from a backup, or score into a new "
                                            "store with --db NEW.db")
    if "unable to open" in low:
        return StoreError(f"{doing} {path}: {text}",
                          hint="check that its folder exists and can be read")
    return StoreError(f"{doing} {path}: {text}",
                      hint="is it a callcoach store? use --db to pick another file")
