"""callcoach queue: the team before the week — whom to coach first, on what."""
from __future__ import annotations

import sys
from typing import Annotated

import typer

from callcoach.analytics.rules import (CONFIRM_CALLS, DAYS, FRESH_HOURS, MIN_CALLS,
                                       REVIEW_RATE)
from callcoach.cli.options import (AsOfOption, DaysOption, DbOption, PassMarkOption,
                                   RubricIdOption, TzOption, color_stdout,
                                   format_option, parse_as_of)
from callcoach import zones
from callcoach.render import formats
from callcoach.store import Store

NAME = "queue"
FormatOption = format_option(formats.QUEUE)


def command(
    fmt: FormatOption = "table",
    as_of: AsOfOption = None,
    tz: TzOption = None,
    days: DaysOption = DAYS,
    pass_mark: PassMarkOption = None,
    fresh_hours: Annotated[int, typer.Option(
        "--fresh-hours", min=0, help="A failed call this recent is fresh: coach first.")] = FRESH_HOURS,
    min_calls: Annotated[int, typer.Option(
        "--min-calls", min=1, help="Fewer scored calls than this: too few to pick.")] = MIN_CALLS,
    confirm_calls: Annotated[int, typer.Option(
        "--confirm-calls", min=1, help="Failed calls that confirm a pattern.")] = CONFIRM_CALLS,
    review_rate: Annotated[float, typer.Option(
        "--review-rate", min=0.0, max=1.0, help="Failure rate above which 2-3 calls are "
                                                "reviewed instead of 1-2.")] = REVIEW_RATE,
    db: DbOption = None,
    rubric_id: RubricIdOption = None,
) -> int:
    """Each rep's selected criterion (as `callcoach select` picks it), most urgent first:
    reps with a failed call inside the freshness window (48 h) first, then by failure rate,
    then by the lowest criterion mean. Reps with no failures, too few calls or no calls in
    the window are listed after, with the reason.

    \b
    Example:
      callcoach queue --as-of 2026-11-13
      callcoach queue --fresh-hours 72 --format markdown
    """
    # pandas and rich load only when the command runs, not on every callcoach start.
    from callcoach.analytics.queue import queue
    from callcoach.render.coaching import write_queue

    with Store(db, must_exist=True) as store:
        q = queue(store, as_of=parse_as_of(as_of, zones.zone(tz)), days=days,
                  pass_mark=pass_mark, rubric_id=rubric_id, min_calls=min_calls,
                  fresh_hours=fresh_hours, confirm_calls=confirm_calls, review_rate=review_rate)
    write_queue(q, fmt, sys.stdout, color=color_stdout())
    return 0
