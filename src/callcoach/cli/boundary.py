"""The one error boundary: every command runs inside `exits`.

A command returns its exit code (0 or None for success). A `CallcoachError` becomes a clean
`error: path:line: message (hint)` on stderr and the error's exit code; so does a database
driver's failure while reading the store (a damaged file, a dropped table), which names the
store the command was given. Anything else keeps its traceback, because that is a bug to report.
"""
from __future__ import annotations

import functools
import logging
from typing import Callable

import typer
from rich.console import Console
from rich.markup import escape

from callcoach.errors import CallcoachError
from callcoach.sanitize import printable


def exits(fn: Callable[..., int | None]) -> Callable[..., None]:
    @functools.wraps(fn)
    def wrapper(*args, **kwargs) -> None:
        try:
            try:
                code = fn(*args, **kwargs)
            except Exception as e:
                fault = _store_fault(e, kwargs.get("db"))
                if fault is None:
                    raise
                raise fault from None
        except CallcoachError as e:
            Console(stderr=True, highlight=False, soft_wrap=True).print(
                f"[bold red]error:[/] {escape(str(e))}", markup=True)  # [codes] are not markup
            raise typer.Exit(e.exit_code) from None
        if code:
            raise typer.Exit(code)

    return wrapper


def _store_fault(e: Exception, db: str | None) -> CallcoachError | None:
    """A database driver's failure while reading the store, as the message that names it."""
    from callcoach.store import default_location, driver_fault   # None for anything else
    return driver_fault(e, str(db or default_location()), "cannot read")


class _Notes(logging.Handler):
    """The library's notes (logger "callcoach", level INFO) as `note: ...` lines on stderr:
    which rep or criterion a partial name was taken to mean, and the like."""

    def emit(self, record: logging.LogRecord) -> None:
        # stderr as it is now (tests swap it); names in notes are shown, never obeyed
        typer.echo(f"note: {printable(record.getMessage())}", err=True)


def show_notes() -> None:
    logger = logging.getLogger("callcoach")
    if not any(isinstance(h, _Notes) for h in logger.handlers):
        logger.addHandler(_Notes(logging.INFO))
        logger.setLevel(logging.INFO)
        logger.propagate = False
