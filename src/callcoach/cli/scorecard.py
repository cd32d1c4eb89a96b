"""callcoach scorecard: reps x criteria for the window, or one rep's calls with trends."""
from __future__ import annotations

import sys

from callcoach.analytics.rules import DAYS
from callcoach.cli.options import (AsOfOption, DaysOption, DbOption, PassMarkOption, RawOption,
                                   RepFilterOption, RubricIdOption, TzOption,
                                   color_stdout, format_option, parse_as_of)
from callcoach import zones
from callcoach.render import formats
from callcoach.store import Store

NAME = "scorecard"
FormatOption = format_option(formats.SCORECARD)


def command(
    rep: RepFilterOption = None,
    fmt: FormatOption = "table",
    as_of: AsOfOption = None,
    tz: TzOption = None,
    days: DaysOption = DAYS,
    pass_mark: PassMarkOption = None,
    db: DbOption = None,
    rubric_id: RubricIdOption = None,
    raw: RawOption = False,
) -> int:
    """How each rep does on each criterion: mean criterion score over the window, calls
    scored and failed (below the pass mark), and the team row. With --rep, that rep's calls
    as columns and a trend per criterion (↑ ↓ → in points) against the previous window.
    Not-applicable results are left out of every mean.

    \b
    Example:
      callcoach scorecard --as-of 2026-11-13
      callcoach scorecard --rep "Dana Ruiz" --days 28 --format markdown
      callcoach scorecard --format csv > scorecard.csv
    """
    # pandas and rich load only when the command runs, not on every callcoach start.
    from callcoach.analytics.scorecard import scorecard
    from callcoach.render.coaching import write_scorecard

    with Store(db, must_exist=True) as store:
        card = scorecard(store, as_of=parse_as_of(as_of, zones.zone(tz)), days=days, rep=rep,
                         pass_mark=pass_mark, rubric_id=rubric_id)
    write_scorecard(card, fmt, sys.stdout, color=color_stdout(), raw=raw)
    return 0
