"""callcoach evidence: the dispute pack — the same failure in three separate calls."""
from __future__ import annotations

import sys
from typing import Annotated

import typer

from callcoach.analytics.rules import DAYS, EVIDENCE_CALLS, EVIDENCE_CONTEXT
from callcoach.cli.options import (AsOfOption, DaysOption, DbOption, PassMarkOption, RepOption,
                                   RubricIdOption, TzOption, format_option, parse_as_of)
from callcoach import zones
from callcoach.render import formats
from callcoach.store import Store

NAME = "evidence"
FormatOption = format_option(formats.EVIDENCE)


def command(
    rep: RepOption,
    criterion: Annotated[str, typer.Option(
        "--criterion", "-c", help="The criterion's id or name.", show_default=False)],
    calls: Annotated[int, typer.Option(
        "--calls", min=1, help="How many calls to show.")] = EVIDENCE_CALLS,
    context: Annotated[int, typer.Option(
        "--context", min=0, help="Turns of context either side of each moment.")] = EVIDENCE_CONTEXT,
    fmt: FormatOption = "markdown",
    as_of: AsOfOption = None,
    tz: TzOption = None,
    days: DaysOption = DAYS,
    pass_mark: PassMarkOption = None,
    db: DbOption = None,
    rubric_id: RubricIdOption = None,
) -> int:
    """When a rep disputes the gap: the same criterion failing in separate calls (3 by
    default, or as many as exist, saying so), each with its reason, its moments and a few
    turns of context. Calls are picked by the evidence, as `callcoach select` picks them.

    \b
    Example:
      callcoach evidence --rep "Tom Becker" --criterion active_listening --as-of 2026-11-13
      callcoach evidence --rep marcus -c "next step" --days 28 --format json
    """
    # pandas and rich load only when the command runs, not on every callcoach start.
    from callcoach.analytics.evidence import evidence
    from callcoach.render.coaching import write_evidence

    with Store(db, must_exist=True) as store:
        pack = evidence(store, rep, criterion, as_of=parse_as_of(as_of, zones.zone(tz)),
                        days=days, calls=calls, pass_mark=pass_mark, rubric_id=rubric_id,
                        context=context)
    write_evidence(pack, fmt, sys.stdout)
    return 0
