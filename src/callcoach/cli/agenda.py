"""callcoach agenda: the side-by-side session for one rep, ready to paste into a 1:1 doc."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Optional

import typer

from callcoach.analytics.rules import DAYS, FRAMES
from callcoach.cli.options import (AsOfOption, DaysOption, DbOption, OutOption, PassMarkOption,
                                   RepOption, RubricIdOption, TzOption, check_out, choice_option,
                                   format_option, parse_as_of, write_output)
from callcoach.errors import UsageError
from callcoach import zones
from callcoach.render import formats
from callcoach.store import Store

NAME = "agenda"
FormatOption = format_option(formats.AGENDA)


def command(
    rep: RepOption,
    as_of: AsOfOption = None,
    tz: TzOption = None,
    days: DaysOption = DAYS,
    pass_mark: PassMarkOption = None,
    fmt: FormatOption = "markdown",
    out: OutOption = None,
    due: Annotated[Optional[str], typer.Option(
        "--due", help="When the practice is due (YYYY-MM-DD). Default: the next working day "
                      "after --as-of, i.e. before the rep's next call shift.",
        show_default=False)] = None,
    frame: choice_option(FRAMES, "--frame", help="five-part (anchor, moment, diagnose, model, "
                                                 "practice) or grow (Goal, Reality, Options, "
                                                 "Way forward).") = "five-part",
    rubric_id: RubricIdOption = None,
    db: DbOption = None,
) -> int:
    """The coaching session for one rep: the criterion they fail most, the moments that prove
    it, questions to ask, a model from a call where it passed, and practice to assign.

    Built from select; too few calls or no failure: it says so, exit 0. Pin --as-of to repeat.

    \b
    Example:
      callcoach agenda --rep marcus --as-of 2026-11-13
      callcoach agenda --rep marcus --as-of 2026-11-13 --format html --out marcus.html
      callcoach agenda --rep "Priya Natarajan" --frame grow --due 2026-11-16 --format json
    """
    # heavy libraries load only when the command runs, not on every callcoach start
    from callcoach.analytics.agenda import build_agenda
    from callcoach.render.agenda import render

    check_out(out)
    due_day = _parse_due(due)
    when = parse_as_of(as_of, zones.zone(tz))
    with Store(db, must_exist=True) as store:
        agenda = build_agenda(store, rep, as_of=when, days=days, pass_mark=pass_mark,
                              rubric_id=rubric_id, due=due_day, frame=frame)
    write_output(render(agenda, fmt), out)
    return 0


def _parse_due(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--due {value!r} is not a date", key="--due",
                         hint="use YYYY-MM-DD, e.g. 2026-12-01") from None
