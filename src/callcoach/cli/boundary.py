"""The one error boundary: every command runs inside `exits`.

A command returns its exit code (0 or None for success). A `CallcoachError` becomes a clean
`error: path:line: message (hint)` on stderr and the error's exit code; so does an SQLite
failure while reading the store (a damaged file, a dropped table), which names the store the
command was given. Anything else keeps its traceback, because that is a bug to report.
"""
from __future__ import annotations

import functools
import sqlite3
from typing import Callable

import typer
from rich.console import Console
from rich.markup import escape

from callcoach.errors import CallcoachError
from callcoach.sanitize import printable


def exits(fn: Callable[..., int | None]) -> Callable[..., None]:
    @functools.wraps(fn)
    def wrapper(*args, **kwargs) -> None:
        _say_lock_waits()
        try:
            try:
                code = fn(*args, **kwargs)
            except sqlite3.Error as e:
                from callcoach.store import default_path, store_fault
                raise store_fault(e, kwargs.get("db") or default_path(), "cannot read") from None
        except CallcoachError as e:
            _stderr().print(f"[bold red]error:[/] {escape(str(e))}", markup=True)  # [codes] are not markup
            raise typer.Exit(e.exit_code) from None
        if code:
            raise typer.Exit(code)

    return wrapper


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _say_lock_waits() -> None:
    """A writer waiting for another process's lock says so once, on stderr (a nightly job's
    log then shows why it paused)."""
    import callcoach.store as store

    said: set[str] = set()

    def waiting(opened: store.Store, seconds: float) -> None:
        if opened.path not in said:
            said.add(opened.path)
            _stderr().print(f"waiting for {printable(opened.path)}: another process is writing "
                            f"to it (for up to {opened.lock_wait:g} s; CALLCOACH_LOCK_WAIT sets "
                            f"how long)", markup=False)

    store.on_lock_wait = waiting
