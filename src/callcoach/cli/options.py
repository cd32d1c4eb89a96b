"""Options shared by several commands, declared once."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Annotated, Iterable, Optional

import typer

from callcoach.errors import UsageError

DbOption = Annotated[Optional[Path], typer.Option(
    "--db", envvar="CALLCOACH_DB", help="The score store (SQLite). Default: ./callcoach.db.",
    show_default=False)]
AsOfOption = Annotated[Optional[str], typer.Option(
    "--as-of", help="Compute as of this date or time (ISO 8601, e.g. 2026-11-27). A bare date "
                    "means the end of that day. Default: now. Pin it for reproducible output.",
    show_default=False)]
DaysOption = Annotated[int, typer.Option("--days", min=1, help="Window length in days.")]
PassMarkOption = Annotated[Optional[float], typer.Option(
    "--pass-mark", min=0.0, max=1.0, help="Pass mark, 0-1. Default: the rubric's pass mark.",
    show_default=False)]
RubricIdOption = Annotated[Optional[str], typer.Option(
    "--rubric-id", help="Which rubric's scores to read when the store holds several.",
    show_default=False)]


def parse_as_of(value: str | None) -> datetime:
    """`--as-of` as a naive UTC datetime; a bare date means the end of that day."""
    if value is None:
        return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time.max).replace(microsecond=0)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value!r} is not a date or time",
                         hint="use ISO 8601, e.g. 2026-11-27 or 2026-11-27T17:00") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def window(as_of: datetime, days: int) -> tuple[datetime, datetime]:
    """The (start, end] window of `days` days ending at `as_of`."""
    return as_of - timedelta(days=days), as_of


def require_paths(paths: Iterable[Path], *, option: str | None = None,
                  what: str = "file or folder") -> None:
    """A path the user named that does not exist is a usage error (exit 2), raised before any
    work starts: the README's exit-code table promises it for every command."""
    for p in paths:
        if not Path(p).exists():
            raise UsageError(f"no such {what}", path=p, key=option, hint="check the path")
