"""callcoach evidence: the dispute pack — the same failure in three separate calls."""
from __future__ import annotations

import sys
from typing import Annotated

import typer

from callcoach.cli.options import (AsOfOption, DaysOption, DbOption, PassMarkOption,
                                   RubricIdOption, parse_as_of)
from callcoach.errors import UsageError
from callcoach.store import Store

NAME = "evidence"


def command(
    rep: Annotated[str, typer.Option("--rep", help="The rep.", show_default=False)],
    criterion: Annotated[str, typer.Option(
        "--criterion", "-c", help="The criterion's id or name.", show_default=False)],
    calls: Annotated[int, typer.Option("--calls", min=1, help="How many calls to show.")] = 3,
    context: Annotated[int, typer.Option(
        "--context", min=0, help="Turns of context either side of each moment.")] = 2,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="markdown, json or text.")] = "markdown",
    as_of: AsOfOption = None,
    days: DaysOption = 14,
    pass_mark: PassMarkOption = None,
    db: DbOption = None,
    rubric_id: RubricIdOption = None,
) -> int:
    """When a rep disputes the gap: the same criterion failing in separate calls (3 by
    default, or as many as exist, saying so), each with its reason, its moments and a few
    turns of context. Calls are picked by the evidence, as `callcoach select` picks them.

    \b
    Example:
      callcoach evidence --rep "Dana Ortiz" --criterion discovery_questions --as-of 2026-11-27
      callcoach evidence --rep dana -c "next step" --days 28 --format json
    """
    # pandas and rich load only when the command runs, not on every callcoach start.
    from callcoach.analytics.evidence import evidence
    from callcoach.render.coaching import EVIDENCE_FORMATS, write_evidence

    if fmt not in EVIDENCE_FORMATS:
        raise UsageError(f"--format {fmt!r} is not one of {', '.join(EVIDENCE_FORMATS)}",
                         key="--format", hint="use --format markdown, json or text")
    with Store(db, readonly=True) as store:
        pack = evidence(store, rep, criterion, as_of=parse_as_of(as_of), days=days, calls=calls,
                        pass_mark=pass_mark, rubric_id=rubric_id, context=context)
    write_evidence(pack, fmt, sys.stdout)
    return 0
