"""Options shared by several commands, declared once."""
from __future__ import annotations

import os
import sys
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Annotated, Iterable, Literal, Optional

import typer

from callcoach import defaults, zones
from callcoach.errors import UsageError

DbOption = Annotated[Optional[str], typer.Option(
    "--db", envvar=defaults.ENV["db"],
    help=f"The score store: an SQLite file, or a shared PostgreSQL database as "
         f"postgresql://USER@HOST/DB (needs callcoach[postgres]). Default: ./{defaults.DB}.",
    show_default=False)]
AsOfOption = Annotated[Optional[str], typer.Option(
    "--as-of", help="Compute as of this date or time (ISO 8601, e.g. 2026-11-27), in the "
                    "team's time zone (--tz). A bare date means the end of that day. Default: "
                    "now. Pin it for reproducible output.",
    show_default=False)]
TzOption = Annotated[Optional[str], typer.Option(
    "--tz", envvar=defaults.ENV["tz"], help="The team's time zone, an IANA name such as "
                                            "America/New_York: times are shown and days counted "
                                            "in it. Default: this machine's zone.",
    show_default=False)]
DaysOption = Annotated[int, typer.Option("--days", min=1, help="Window length in days.")]
PassMarkOption = Annotated[Optional[float], typer.Option(
    "--pass-mark", min=0.0, max=1.0, help="Pass mark, 0-1. Default: the rubric's pass mark.",
    show_default=False)]
RepOption = Annotated[str, typer.Option(
    "--rep", help="The rep, as scored (any case).", show_default=False)]
RepFilterOption = Annotated[Optional[str], typer.Option(
    "--rep", help="Only this rep (as scored, any case).", show_default=False)]
OutOption = Annotated[Optional[Path], typer.Option(
    "--out", "-o", help="Write to this file instead of standard output.", show_default=False,
    dir_okay=False)]
InputFormatOption = Annotated[Optional[str], typer.Option(
    "--input-format", help="Read every file as this format instead of guessing it "
                           "(see: callcoach docs transcripts).", show_default=False)]
RosterOption = Annotated[Optional[Path], typer.Option(
    "--roster", help="reps.yaml: rep names, aliases and colleagues, for speaker roles. "
                     "Default: the nearest reps.yaml in the file's folder or above.",
    show_default=False)]
RawOption = Annotated[bool, typer.Option(
    "--raw", help="CSV only: write cells exactly as stored. By default a cell that starts with "
                  "= + - @, a tab or a carriage return gets a leading ' so a spreadsheet shows it "
                  "as text instead of running it (transcripts are third-party text); use --raw "
                  "for pipelines that read the values back.")]
RubricIdOption = Annotated[Optional[str], typer.Option(
    "--rubric-id", envvar=defaults.ENV["rubric_id"],
    help="Which rubric's scores to read when the store holds several. Default: the rubric of "
         "the most recent scoring run.", show_default=False)]


def parse_as_of(value: str | None, tz: tzinfo | None = None) -> datetime:
    """`--as-of` as an aware datetime in `tz` (None: naive UTC): a bare date means the end of
    that day there, a time without an offset is a time there, a time with one is converted."""
    if value is None:
        return zones.now(tz)
    try:
        if len(value) == 10:
            return zones.end_of_day(date.fromisoformat(value), tz)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value!r} is not a date or time",
                         hint="use ISO 8601, e.g. 2026-11-27 or 2026-11-27T17:00") from None
    if parsed.tzinfo is None:
        return zones.wall(parsed, tz)
    return parsed.astimezone(tz) if tz is not None else zones.to_utc(parsed)


def choice_option(choices: tuple[str, ...], *decls: str, help: str) -> object:
    """An option whose value is one of `choices`: a Literal, so --help lists them, the shell
    completes them, and a config file or a typo is refused with the choices before any work."""
    return Annotated[Literal[choices], typer.Option(*decls, help=help)]


def format_option(choices: tuple[str, ...], what: str = "") -> object:
    """The `--format/-f` option of a command whose formats are `choices`."""
    return choice_option(choices, "--format", "-f", help=f"Output format{what}.")


def check_out(out: Path | None) -> None:
    """--out into a folder that does not exist is a usage error, before any work starts."""
    if out is not None and not out.parent.is_dir():
        raise UsageError(f"--out {out}: no folder {out.parent}", key="--out",
                         hint="create the folder first, or pick another path")


def write_output(text: str, out: Path | None) -> None:
    """A command's output: to standard output, or to the --out file (saying so on stderr)."""
    if out is None:
        typer.echo(text, nl=False)
        return
    check_out(out)
    out.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {out}", err=True)


def color_stdout() -> bool:
    """Colour on standard output: only on a terminal, and never when NO_COLOR is set."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def require_paths(paths: Iterable[Path], *, option: str | None = None,
                  what: str = "file or folder") -> None:
    """A path the user named that does not exist is a usage error (exit 2), raised before any
    work starts: the README's exit-code table promises it for every command."""
    for p in paths:
        if not Path(p).exists():
            raise UsageError(f"no such {what}", path=p, key=option, hint="check the path")
