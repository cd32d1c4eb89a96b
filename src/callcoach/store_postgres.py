"""The shared store on PostgreSQL: `Store("postgresql://coach@db.internal/callcoach")`.

The same schema, migrations and queries as the SQLite store (store.py), through psycopg 3
and this thin dialect layer:
- `translate` turns the store's SQL (SQLite's spelling) into PostgreSQL's: `?` placeholders
  become `%s`, SQLite's null-safe `IS ?` becomes `IS NOT DISTINCT FROM`, and a `CROSS JOIN
  ... ON` (SQLite's way of fixing the join order) a plain `JOIN`;
- `schema_ddl` maps the migrations' column types: REAL to DOUBLE PRECISION (a float comes
  back bit for bit), INTEGER to BIGINT (nanosecond mtimes), BLOB to BYTEA, an AUTOINCREMENT
  key to an identity column, and TEXT to TEXT COLLATE "C", so text sorts and compares by
  code point as in SQLite whatever the database's locale;
- the schema version is a row in `callcoach_schema` (SQLite keeps it in `user_version`),
  and migrating holds an advisory lock, so two machines opening a new store at once create
  it once.

Writes keep SQLite's guarantees: a batch of calls is one transaction; a call's row is
upserted before its results and moments, so a second writer of the same call waits on that
row until the first commits; results and moments go in by COPY. Readers see committed
batches only, and the reads of one call share one snapshot.
"""
from __future__ import annotations

import contextlib
import functools
import re
from pathlib import Path
from typing import Iterable, Iterator

import psycopg
from psycopg import pq
from psycopg.conninfo import conninfo_to_dict

from callcoach.errors import StoreError
from callcoach.store import (BUSY_TIMEOUT, Store, default_location, default_lock_wait,
                             redact)


# pg_advisory_xact_lock key held while the schema is created or upgraded ("cc" + "schema")
SCHEMA_LOCK = 0x6363_7363_6865_6D61
CONNECT_TIMEOUT = 10   # seconds; libpq's default is to wait for ever


class PostgresStore(Store):
    backend = "postgresql"
    BEGIN = "BEGIN"
    SNAPSHOT = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    Error = psycopg.Error
    READ_ONLY_WHY = "a standby server, or default_transaction_read_only"
    NEW_STORE = "NEW_URL"   # a new database, or a new schema (?options=-csearch_path%3D...)

    def __init__(self, path: str | Path | None = None, *, must_exist: bool = False,
                 lock_wait: float | None = None):
        url = str(path if path is not None else default_location())
        self.path = redact(url)   # what messages show: never the password
        self.lock_wait = default_lock_wait() if lock_wait is None else lock_wait
        params = {"connect_timeout": CONNECT_TIMEOUT, "application_name": "callcoach"}
        try:
            params.update(conninfo_to_dict(url))
            conn = psycopg.connect(autocommit=True, **params)
        except psycopg.Error as e:
            raise StoreError(f"cannot connect to the store {self.path}: {_first_line(e)}",
                             hint="check the host, port, user and database in the URL; a "
                                  "password goes in PGPASSWORD or ~/.pgpass") from None
        self.db = _Connection(conn, self.path)
        try:
            # a standby, or a session whose transactions are read-only by default
            self.read_only = self.db.execute("SHOW transaction_read_only").fetchone()[0] == "on"
            if must_exist and self.schema_version == 0:
                raise StoreError(f"no callcoach store in {self.path}",
                                 hint="score some calls into it first: callcoach score PATH "
                                      "--rubric R --db URL")
            self._migrate()
        except psycopg.Error as e:
            self.close()
            raise self.fault(e, "cannot open") from None
        except StoreError:
            self.close()
            raise

    @property
    def schema_version(self) -> int:
        if self.db.execute("SELECT to_regclass('callcoach_schema')").fetchone()[0] is None:
            return 0
        row = self.db.execute("SELECT max(version) FROM callcoach_schema").fetchone()
        return row[0] or 0

    def _upgrade(self) -> None:
        # One writer of the schema at a time; the version is read again under the lock.
        self.db.execute("SELECT pg_advisory_xact_lock(?)", (SCHEMA_LOCK,))
        self.db.execute("CREATE TABLE IF NOT EXISTS callcoach_schema (version INTEGER)")
        super()._upgrade()

    @staticmethod
    def _ddl(statement: str) -> str:
        return schema_ddl(statement)

    def _set_version(self, version: int) -> None:
        self.db.execute("DELETE FROM callcoach_schema")
        self.db.execute("INSERT INTO callcoach_schema VALUES (?)", (version,))

    def _tables(self) -> set[str]:
        return {name for (name,) in self.db.execute(
            "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
            "AND c.relkind IN ('r', 'p')")}

    def _begin(self) -> None:
        self.db.execute(self.BEGIN)
        # Each wait for another session's lock is short, as SQLite's BUSY_TIMEOUT is: the
        # write is tried again with backoff up to `lock_wait` (Store.transactions), saying
        # so and seeing a stop signal between tries, instead of waiting deaf for ever.
        self.db.execute(f"SET LOCAL lock_timeout = {round(BUSY_TIMEOUT * 1000)}")

    @staticmethod
    def busy(e: Exception) -> bool:
        return isinstance(e, BUSY)

    @staticmethod
    def describe_fault(e: Exception, where: str, doing: str = "cannot use") -> StoreError | None:
        if isinstance(e, psycopg.InterfaceError) or isinstance(e, psycopg.ProgrammingError) \
                and getattr(e, "sqlstate", None) not in _STORE_STATES:
            return None   # callcoach's own bug (bad SQL, a closed cursor): keep its traceback
        return pg_fault(e, where, doing)

    def analyze(self) -> None:
        """Fresh planner statistics after a run (autovacuum would get there, a minute later)."""
        for table in ("calls", "results"):
            self.db.execute(f"ANALYZE {table}")

    def _insert_rows(self, table: str, rows: list[tuple]) -> None:
        # COPY: a batch's ~4,000 result and moment rows in one stream, not 4,000 INSERTs.
        if rows:
            with self.db._faults(), self.db.conn.cursor() as cur, \
                    cur.copy(f"COPY {table} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def _insert_id(self, sql: str, args: tuple) -> int:
        return int(self.db.execute(sql + " RETURNING id", args).fetchone()[0])

    def json_keys(self, column: str, rubric_id: str | None = None) -> list[str]:
        where, args = ("WHERE rubric_id = ?", (rubric_id,)) if rubric_id else ("", ())
        return [key for (key,) in self.db.execute(
            f'SELECT DISTINCT k COLLATE "C" FROM calls, jsonb_object_keys(calls.{column}::jsonb) '
            f"k {where} ORDER BY 1", args)]

    def stream(self, sql: str, args: Iterable = (), chunk: int = 20_000) -> Iterator[list[tuple]]:
        # A server-side cursor: a client-side one would fetch every row before the first.
        with self.snapshot(), self.db.conn.cursor(name="callcoach_stream") as cur:
            cur.execute(translate(sql), tuple(args))
            while rows := cur.fetchmany(chunk):
                yield rows


class _Connection:
    """psycopg's connection, spoken to as store.py speaks to sqlite3's: execute and
    executemany take the store's SQL, and `in_transaction` says whether one is open. A lost
    connection is a StoreError that names the store."""

    def __init__(self, conn: psycopg.Connection, where: str):
        self.conn, self.where = conn, where

    def execute(self, sql: str, args: Iterable = ()) -> psycopg.Cursor:
        with self._faults():
            return self.conn.execute(translate(sql), tuple(args))

    def executemany(self, sql: str, rows: Iterable) -> None:
        rows = list(rows)
        if rows:
            with self._faults(), self.conn.cursor() as cur:
                cur.executemany(translate(sql), rows)

    @property
    def in_transaction(self) -> bool:
        return self.conn.info.transaction_status != pq.TransactionStatus.IDLE

    def close(self) -> None:
        self.conn.close()

    @contextlib.contextmanager
    def _faults(self) -> Iterator[None]:
        try:
            yield
        except psycopg.OperationalError as e:
            if not self.conn.broken:
                raise
            raise StoreError(f"lost the connection to the store {self.where}: {_first_line(e)}",
                             hint="the calls committed before it are stored; run the same "
                                  "command again when the server is back") from None


# Failures that another session's lock caused, which a new attempt can get past: a lock
# wait past lock_timeout, a deadlock (PostgreSQL aborts one of the two), a serialization
# failure.
BUSY = (psycopg.errors.LockNotAvailable, psycopg.errors.DeadlockDetected,
        psycopg.errors.SerializationFailure)


# The ProgrammingErrors the store itself causes (not callcoach's SQL): no privilege, a table
# or column dropped by someone else.
_STORE_STATES = frozenset({"42501", "42P01", "42703"})


def pg_fault(e: Exception, where: str, doing: str = "cannot use") -> StoreError:
    """A PostgreSQL failure as a message for the user, by its SQLSTATE: what is wrong with
    the store and what to do about it (SQLite's: `store.store_fault`)."""
    text = _first_line(e)
    state = getattr(e, "sqlstate", None) or ""
    if isinstance(e, BUSY):
        fault = StoreError(f"{doing} {where}: another session holds a lock it needs ({text})",
                           hint="run again when it is done")
    elif state == "53100":
        fault = StoreError(f"{doing} {where}: the server's disk is full ({text})",
                           hint="free some space on the database server")
    elif state == "25006":
        return StoreError(f"{doing} {where}: it is read-only ({PostgresStore.READ_ONLY_WHY})",
                          hint="reading commands still work; to write, use the primary server "
                               "or a session that may write")
    elif state == "42501":
        return StoreError(f"{doing} {where}: the role may not do that ({text})",
                          hint="grant the role SELECT, INSERT, UPDATE and DELETE on the store's "
                               "tables, or use --db to pick a store it may write")
    elif state in ("42P01", "42703"):   # undefined table, undefined column
        return StoreError(f"{doing} {where}: {text}: the store is damaged or was changed by "
                          f"other software", hint="restore it from a backup, or score into a "
                                                  f"new store with --db {PostgresStore.NEW_STORE}")
    else:
        return StoreError(f"{doing} {where}: {text}",
                          hint="is it a callcoach store? use --db to pick another")
    fault.transient = True
    return fault


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


# -- the dialect ---------------------------------------------------------------------------
# Quoted text and comments are left alone; `?` outside them is a placeholder, and `%` must be
# doubled, since psycopg reads `%` as the start of one.
_TOKENS = re.compile(r"""('(?:[^']|'')*'|"[^"]*"|--[^\n]*)|(\?)|(%)""")
_REWRITES = [
    (re.compile(r"\bIS NOT \?"), "IS DISTINCT FROM ?"),
    (re.compile(r"\bIS \?"), "IS NOT DISTINCT FROM ?"),
    (re.compile(r"\bCROSS JOIN\b"), "JOIN"),
]


@functools.lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """The store's SQL as PostgreSQL reads it.

    >>> translate("SELECT 1 FROM calls c CROSS JOIN results r ON r.call_id = c.call_id "
    ...           "WHERE c.call_type IS ? AND r.reason LIKE '50%?'")
    "SELECT 1 FROM calls c JOIN results r ON r.call_id = c.call_id WHERE c.call_type IS NOT DISTINCT FROM %s AND r.reason LIKE '50%%?'"
    """
    for pattern, spelling in _REWRITES:
        sql = pattern.sub(spelling, sql)

    def token(m: re.Match) -> str:
        if m.group(1):
            return m.group(1).replace("%", "%%")
        return "%s" if m.group(2) else "%%"
    return _TOKENS.sub(token, sql)


_TYPES = [
    (re.compile(r"\bINTEGER PRIMARY KEY AUTOINCREMENT\b"),
     "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b"), "BIGINT"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b"), "BYTEA"),
    (re.compile(r"\bTEXT\b"), 'TEXT COLLATE "C"'),
]


def schema_ddl(statement: str) -> str:
    """One statement of a migration (written for SQLite) with PostgreSQL's column types."""
    code = "\n".join(line.split("--", 1)[0] for line in statement.splitlines())
    for pattern, spelling in _TYPES:
        code = pattern.sub(spelling, code)
    return code
