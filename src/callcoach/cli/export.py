"""callcoach export: the store as CSV, JSON Lines or Parquet, for BI tools."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from callcoach.analytics.export import FORMATS, TABLES
from callcoach.cli.options import (DbOption, RawOption, RubricIdOption, check_out, choice_option,
                                   format_option)
from callcoach.store import Store

NAME = "export"


def command(
    fmt: format_option(FORMATS) = "csv",
    out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="The file to write. Default: stdout (csv and jsonl only).",
        show_default=False)] = None,
    table: choice_option(TABLES, "--table", "-t", help="results (call x criterion), calls, or "
                                                       "moments (the evidence).") = "results",
    db: DbOption = None,
    rubric_id: RubricIdOption = None,
    raw: RawOption = False,
) -> int:
    """Export scored calls for BI tools (Tableau, Looker, Power BI, a notebook).

    One table per file, with fixed columns documented in `callcoach docs store`; every rubric in the
    store unless --rubric-id picks one. Parquet needs pyarrow: pip install 'callcoach[parquet]'.

    \b
    Example:
      callcoach export --format csv --out results.csv
      callcoach export --table calls --format parquet --out calls.parquet
      callcoach export --table moments --format jsonl --rubric-id five-step-discovery > moments.jsonl
    """
    from callcoach.analytics.export import check_request, export

    check_out(out)
    check_request(table, fmt, out)
    with Store(db, must_exist=True) as store:
        n = export(store, table, fmt, out, rubric_id=rubric_id, raw=raw)
    if out is not None:
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"exported {n} {table} rows to {out}", markup=False)
    return 0
