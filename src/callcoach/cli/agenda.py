"""callcoach agenda: the side-by-side session for one rep, ready to paste into a 1:1 doc."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from callcoach.cli.options import (AsOfOption, DaysOption, DbOption, PassMarkOption,
                                   RubricIdOption, parse_as_of)
from callcoach.errors import UsageError
from callcoach.store import Store

NAME = "agenda"


def command(
    rep: Annotated[str, typer.Option("--rep", help="The rep to coach.", show_default=False)],
    as_of: AsOfOption = None,
    days: DaysOption = 14,
    pass_mark: PassMarkOption = None,
    fmt: Annotated[str, typer.Option("--format", help="markdown, html or json.")] = "markdown",
    out: Annotated[Optional[Path], typer.Option(
        "--out", help="Write to this file instead of standard output.", show_default=False,
        dir_okay=False)] = None,
    due: Annotated[Optional[str], typer.Option(
        "--due", help="When the practice is due (YYYY-MM-DD). Default: the next working day "
                      "after --as-of, i.e. before the rep's next call shift.",
        show_default=False)] = None,
    frame: Annotated[str, typer.Option(
        "--frame", help="five-part (anchor, moment, diagnose, model, practice) or grow (Goal, "
                        "Reality, Options, Way forward).")] = "five-part",
    rubric_id: RubricIdOption = None,
    db: DbOption = None,
) -> int:
    """The coaching session for one rep: the criterion they fail most, the moments that prove
    it, questions to ask, a model from a call where it passed, and practice to assign.

    Built from select; too few calls or no failure: it says so, exit 0. Pin --as-of to repeat.

    \b
    Example:
      callcoach agenda --rep maria --as-of 2026-11-27
      callcoach agenda --rep maria --as-of 2026-11-27 --format html --out maria.html
      callcoach agenda --rep maria --frame grow --due 2026-12-01 --format json
    """
    # heavy libraries load only when the command runs, not on every callcoach start
    from callcoach.analytics.agenda import FRAMES, build_agenda
    from callcoach.render.agenda import FORMATS, render

    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}", key="--format",
                         hint="use --format markdown, html or json")
    if frame not in FRAMES:
        raise UsageError(f"--frame {frame!r} is not one of {', '.join(FRAMES)}", key="--frame",
                         hint="use --frame five-part or --frame grow")
    due_day = _parse_due(due)
    when = parse_as_of(as_of)
    with Store(db, readonly=True) as store:
        agenda = build_agenda(store, rep, as_of=when, days=days, pass_mark=pass_mark,
                              rubric_id=rubric_id, due=due_day, frame=frame)
    text = render(agenda, fmt)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)
    return 0


def _parse_due(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--due {value!r} is not a date", key="--due",
                         hint="use YYYY-MM-DD, e.g. 2026-12-01") from None
