"""callcoach session add|list|import|delete: the log of side-by-side coaching sessions."""
from __future__ import annotations

import json
import sys
from datetime import date, tzinfo
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from callcoach.cli.boundary import exits
from callcoach.cli.options import (AsOfOption, DbOption, RawOption, RepFilterOption, RepOption,
                                   RubricIdOption, TzOption, color_stdout, format_option,
                                   parse_as_of)
from callcoach import zones
from callcoach.render import formats
from callcoach.store import Session, Store
from callcoach.fmt import rubric_label
from callcoach.sanitize import printable

app = typer.Typer(help="Log coaching sessions, so `callcoach progress` can tell whether they "
                       "worked.", no_args_is_help=True)

FormatOption = format_option(formats.SESSIONS)


ForceFutureOption = Annotated[bool, typer.Option(
    "--force", help="Log a session dated after today (refused otherwise: a typo'd date would "
                    "sit in progress as a session that never happened).")]


def _today(as_of: str | None, zone: tzinfo | None) -> date:
    """Today in the team's zone: --as-of's date when it is pinned, else now's."""
    return parse_as_of(as_of, zone).date()


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _describe(s: Session) -> str:
    calls = f" on {', '.join(s.calls)}" if s.calls else ""
    return f"session #{s.id}: {s.rep}, {s.criterion_id}, {s.held_on}{calls}"


@app.command("add")
@exits
def add(
    rep: RepOption,
    criterion: Annotated[Optional[str], typer.Option(
        "--criterion", help="The coached criterion id. Default: what `select` picks for the rep "
                            "as of the session date.", show_default=False)] = None,
    held_on: Annotated[Optional[str], typer.Option(
        "--date", help="When the session was held (YYYY-MM-DD). Default: the --as-of date.",
        show_default=False)] = None,
    calls: Annotated[Optional[str], typer.Option(
        "--calls", help="Comma-separated ids of the calls reviewed. Default: the calls `select` "
                        "chose for that criterion.", show_default=False)] = None,
    notes: Annotated[Optional[str], typer.Option("--notes", help="Free text: the practice "
                                                 "assigned, what was agreed.")] = None,
    as_of: AsOfOption = None,
    force: ForceFutureOption = False,
    tz: TzOption = None,
    rubric_id: RubricIdOption = None,
    db: DbOption = None,
) -> int:
    """Log one coaching session: rep, criterion, date (and the calls reviewed).

    Logging the same rep, criterion and date again changes nothing. A date after today
    (--as-of) is refused unless --force: a session is logged once it is held.

    \b
    Example:
      callcoach session add --rep marcus --date 2026-11-13
      callcoach session add --rep tom --criterion active_listening \\
          --date 2026-11-13 --calls 20261112-TB-121 --notes "role-play"
    """
    from callcoach.sessions import log_session, parse_held_on, split_calls

    zone = zones.zone(tz)
    today = _today(as_of, zone)
    day = parse_held_on(held_on) if held_on else today
    with Store(db, must_exist=True) as store:
        logged = log_session(store, rep, held_on=day, criterion_id=criterion,
                             calls=None if calls is None else split_calls(calls, ","),
                             notes=notes, rubric_id=rubric_id, tz=zone,
                             not_after=None if force else today)
    s = logged.session
    if logged.rubric_note:
        _err().print(f"note: {rubric_label(s.rubric_id, logged.rubric_note)}", markup=False)
    if logged.from_select:
        _err().print(f"{' and '.join(logged.from_select)} from select as of {s.held_on}",
                     markup=False)
    _out().print(("logged " if logged.created else "already logged: ") + _describe(s),
                 markup=False)
    return 0


@app.command("list")
@exits
def list_(
    rep: RepFilterOption = None,
    fmt: FormatOption = "table",
    rubric_id: RubricIdOption = None,
    db: DbOption = None,
    raw: RawOption = False,
) -> int:
    """List logged sessions, oldest first.

    \b
    Example:
      callcoach session list --rep priya
      callcoach session list --format csv > sessions.csv
    """
    with Store(db, must_exist=True) as store:
        sessions = store.sessions(rep, rubric_id)
    if fmt == "json":
        typer.echo(json.dumps([_record(s) for s in sessions], indent=2, ensure_ascii=False))
    elif fmt == "csv":
        from callcoach.sessions import sessions_csv

        typer.echo(sessions_csv(sessions, raw=raw), nl=False)
    elif not sessions:
        _out().print("no sessions logged" + (f" for {rep}" if rep else "")
                     + " (log one with: callcoach session add --rep REP)", markup=False)
    else:
        from callcoach.render.tables import Column, print_to, table

        # the call ids and the source are in --format json / csv; the notes fold to fit
        columns = [Column("id", "right"), Column("held on"), Column("rep"), Column("criterion"),
                   Column("calls", "right"), Column("notes", ratio=1)]
        rows = [[str(s.id), s.held_on, s.rep, s.criterion_id, str(len(s.calls)),
                 " ".join((s.notes or "").split())] for s in sessions]
        print_to(sys.stdout, table(columns, rows), color=color_stdout())
    return 0


def _record(s: Session) -> dict:
    return {"id": s.id, "rep": s.rep, "rubric_id": s.rubric_id, "criterion": s.criterion_id,
            "held_on": s.held_on, "calls": list(s.calls), "notes": s.notes, "source": s.source}


@app.command("import")
@exits
def import_(
    file: Annotated[Path, typer.Argument(help="CSV with columns rep,criterion,held_on,calls,notes.",
                                         show_default=False)],
    as_of: AsOfOption = None,
    force: ForceFutureOption = False,
    tz: TzOption = None,
    rubric_id: RubricIdOption = None,
    db: DbOption = None,
) -> int:
    """Import sessions a team already logs elsewhere, from a CSV file.

    Columns: rep, criterion, held_on (or date, YYYY-MM-DD), calls (ids separated by ';'),
    notes; calls and notes may be empty or absent; an id column (as `session list --format
    csv` writes) is ignored. Comma, semicolon or tab separated. Good rows are imported, every
    bad row is reported with its line (exit 1), and a session already logged (same rep,
    criterion and date) is skipped, so importing the same file twice adds nothing. A cited
    call id that was never scored is kept, with a warning; a row dated after today is a bad
    row unless --force.

    \b
    Example:
      callcoach session import examples/sessions.csv
    """
    from callcoach.sessions import import_sessions

    with Store(db, must_exist=True) as store:
        report = import_sessions(store, file, rubric_id=rubric_id,
                                 not_after=None if force else _today(as_of, zones.zone(tz)))
    err = _err()
    if report.rubric_note:
        err.print(f"note: {rubric_label(report.rubric_id, report.rubric_note)}", markup=False)
    for e in report.errors:
        err.print(f"[bold red]error:[/] {escape(str(e))}")
    for w in report.warnings:
        err.print(f"[yellow]warning:[/] {escape(str(w))} (imported with this id)")
    _out().print(f"{printable(str(file))}: {len(report.added)} imported, "
                 f"{len(report.already)} already logged, "
                 f"{len(report.errors)} bad row{'' if len(report.errors) == 1 else 's'}",
                 markup=False)
    return 1 if report.errors else 0


@app.command("delete")
@exits
def delete(
    session_id: Annotated[int, typer.Argument(help="The session's id (see session list).",
                                              show_default=False)],
    db: DbOption = None,
) -> int:
    """Remove a session logged by mistake.

    \b
    Example:
      callcoach session delete 5
    """
    with Store(db, must_exist=True) as store:
        removed = store.delete_session(session_id)
    _out().print("deleted " + _describe(removed), markup=False)
    return 0
