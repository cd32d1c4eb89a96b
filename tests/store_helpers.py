"""Looking at a store from outside callcoach, on either backend (see conftest's `db`)."""
from __future__ import annotations

from pathlib import Path


def untouched(location: str) -> bool:
    """Nothing was created at `location`: no SQLite file, or no callcoach table in the
    PostgreSQL schema."""
    if "://" not in location:
        return not Path(location).exists()
    import psycopg
    with psycopg.connect(location) as conn:
        return conn.execute("SELECT to_regclass('calls')").fetchone()[0] is None


def count(location: str, table: str = "calls") -> int:
    """Rows in a table of the store at `location` (0 when there is no store yet), read
    without opening it through callcoach: a writer may be half way through."""
    if "://" not in location:
        import sqlite3
        try:
            with sqlite3.connect(f"file:{location}?mode=ro", uri=True) as conn:
                return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        except sqlite3.Error:
            return 0
    import psycopg
    with psycopg.connect(location, autocommit=True) as conn:
        if conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()[0] is None:
            return 0
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
