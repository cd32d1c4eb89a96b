"""callcoach calls rm: take scored calls out of the store."""
from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from callcoach.cli.boundary import exits
from callcoach.cli.options import DbOption, RubricIdOption
from callcoach.store import Store

app = typer.Typer(help="Manage the scored calls in the store.", no_args_is_help=True)


@app.command("rm")
@exits
def rm(
    call_ids: Annotated[list[str], typer.Argument(
        help="The ids of the calls to remove (as in the scorecard or export).",
        show_default=False, metavar="ID...")],
    rubric_id: RubricIdOption = None,
    db: DbOption = None,
) -> int:
    """Remove calls from the store: their scores under every rubric (--rubric-id: that one
    only), their moments and stored transcript. Sessions that cited them are kept, without
    them. Every id must exist, or nothing is removed (exit 1, with a "did you mean").

    To drop every call whose transcript file was deleted, run score with --prune instead.

    \b
    Example:
      callcoach calls rm 20261006-LO-005
      callcoach calls rm 20261007-LO-010 20261008-DR-015 --rubric-id five-step-discovery
    """
    from callcoach.analytics.lookup import call_rubric_ids

    with Store(db, must_exist=True) as store:
        for call_id in call_ids:   # all of them known, or nothing is removed
            call_rubric_ids(store, call_id, rubric_id)
        removed = store.remove_calls(call_ids, rubric_id)
    out = Console(highlight=False, soft_wrap=True)
    for call_id, rubric in removed.calls:
        out.print(f"removed {call_id} (rubric {rubric})", markup=False)
    if removed.sessions:
        ids = ", ".join(f"#{i}" for i in removed.sessions)
        out.print(f"sessions {ids} no longer cite the removed calls", markup=False)
    return 0
