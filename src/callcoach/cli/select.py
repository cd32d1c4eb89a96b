"""callcoach select: what to coach a rep on, and which calls prove it."""
from __future__ import annotations

import sys
from typing import Annotated

import typer

from callcoach.analytics.rules import (CONFIRM_CALLS, DAYS, FRESH_HOURS, MIN_CALLS,
                                       REVIEW_RATE)
from callcoach.cli.options import (AsOfOption, DaysOption, DbOption, PassMarkOption, RepOption,
                                   RubricIdOption, TzOption, format_option,
                                   parse_as_of)
from callcoach import zones
from callcoach.render import formats
from callcoach.store import Store

NAME = "select"
FormatOption = format_option(formats.SELECT)


def command(
    rep: RepOption,
    fmt: FormatOption = "text",
    as_of: AsOfOption = None,
    tz: TzOption = None,
    days: DaysOption = DAYS,
    pass_mark: PassMarkOption = None,
    min_calls: Annotated[int, typer.Option(
        "--min-calls", min=1, help="Fewer scored calls than this in the window: too few to "
                                   "pick a pattern.")] = MIN_CALLS,
    confirm_calls: Annotated[int, typer.Option(
        "--confirm-calls", min=1, help="Failed calls that confirm a pattern.")] = CONFIRM_CALLS,
    review_rate: Annotated[float, typer.Option(
        "--review-rate", min=0.0, max=1.0, help="Failure rate above which 2-3 calls are "
                                                "reviewed instead of 1-2.")] = REVIEW_RATE,
    fresh_hours: Annotated[int, typer.Option(
        "--fresh-hours", min=0, help="A failed call this recent is fresh: coach soon.")] = FRESH_HOURS,
    db: DbOption = None,
    rubric_id: RubricIdOption = None,
) -> int:
    """The rep's lowest-scoring criterion in the window (by criterion, never the overall
    score), whether the failure is a confirmed pattern, how many calls to review and which:
    the failed calls with the clearest evidence, with their moments.

    Rules: failed on >= 3 calls (--confirm-calls) confirms the pattern; one failure is a
    first occurrence (review 1 call, in depth); a failure rate above 30 % (--review-rate)
    means review 2-3 calls, otherwise 1-2. With fewer than 3 calls (--min-calls) in the
    window it says so instead of guessing.

    \b
    Example:
      callcoach select --rep "Dana Ruiz" --as-of 2026-11-13
      callcoach select --rep dana --days 28 --format json
    """
    # pandas and rich load only when the command runs, not on every callcoach start.
    from callcoach.analytics.selection import select
    from callcoach.render.coaching import write_selection

    with Store(db, must_exist=True) as store:
        selection = select(store, rep, as_of=parse_as_of(as_of, zones.zone(tz)), days=days,
                           pass_mark=pass_mark, rubric_id=rubric_id, min_calls=min_calls,
                           fresh_hours=fresh_hours, confirm_calls=confirm_calls,
                           review_rate=review_rate)
    write_selection(selection, fmt, sys.stdout)
    return 0
