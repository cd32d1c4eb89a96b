"""callcoach score: score transcripts into the store and show calls x criteria."""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Iterator, Optional, TextIO

import typer
from rich.console import Console

from callcoach.cli.options import (DbOption, OutOption, PassMarkOption, check_out,
                                   color_stdout, format_option, require_paths)
from callcoach.errors import UsageError
from callcoach.render import formats
from callcoach.resources import rubric_names, rubric_path
from callcoach.store import Store

if TYPE_CHECKING:
    from callcoach.scoring.batch import BatchReport

NAME = "score"
FormatOption = format_option(formats.SCORES, " (see: callcoach docs output)")


def command(
    paths: Annotated[list[Path], typer.Argument(
        help="Transcript files and folders (searched recursively).", show_default=False)],
    rubric: Annotated[Path, typer.Option(
        "--rubric", "-r", show_default=False,
        help="The rubric to score against: a YAML file, or a bundled rubric's name "
             f"({', '.join(rubric_names())}).")],
    db: DbOption = None,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", min=1, help="Worker processes. Default: all cores; 1 = no workers.",
        show_default=False)] = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
    input_format: Annotated[Optional[str], typer.Option(
        "--input-format", help="Read every file as this format instead of guessing it.",
        show_default=False)] = None,
    roster: Annotated[Optional[Path], typer.Option(
        "--roster", help="reps.yaml: rep names, aliases and colleagues, for speaker roles.",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Re-score files that are unchanged since they were stored.")] = False,
    allow_errors: Annotated[bool, typer.Option(
        "--allow-errors", help="Exit 0 even when some files could not be scored.")] = False,
    pass_mark: PassMarkOption = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print no calls on stdout, only the summary on stderr "
                              "(--out still writes the file).")] = False,
) -> int:
    """Score transcripts against a rubric, store the results, and print calls x criteria.

    Unchanged files already scored with the same rubric are not scored again; the output
    still shows every call of the run, sorted by start time. Files that cannot be read are
    listed on stderr at the end and make the exit code 1 (--allow-errors: 0); the other
    files are scored and stored regardless. A path that does not exist is a usage error
    (exit 2), before anything is scored. Ctrl-C stops cleanly: finished calls are kept,
    and running the same command again scores the rest.

    \b
    Example:
      callcoach score examples/calls --rubric five-step-discovery
      callcoach score examples/calls -r rubrics/five-step-discovery.yaml --format jsonl --out scores.jsonl
      callcoach score examples/calls/*.vtt -r five-step-discovery --jobs 2 --db team.db
      callcoach score examples/calls -r five-step-discovery --quiet   # nightly job: summary only
    """
    check_out(out)
    # heavy libraries load only when the command runs, not on every callcoach start
    from callcoach.ingest import count
    from callcoach.readers import EXTENSIONS
    from callcoach.render.scores import write_scores
    from callcoach.scoring.batch import BatchInterrupted, resolve_rubric, score_paths

    require_paths(paths)
    the_rubric = resolve_rubric(rubric_path(rubric), pass_mark)   # rubric problems: exit 1 before scoring
    expected = count(paths)   # the names only: the bar's total from the start
    if expected == 0:
        raise UsageError(f"no transcript files in {', '.join(map(str, paths))}",
                         hint="check the path; transcripts end in "
                              + " ".join(sorted(EXTENSIONS)))
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    with Store(db) as store:
        with _progress_bar(err, expected) as on_progress:
            try:
                report = score_paths(paths, the_rubric, store, jobs=jobs,
                                     input_format=input_format, roster=roster, force=force,
                                     on_progress=on_progress, expected=expected)
            except BatchInterrupted as stopped:
                _report_errors(err, stopped.report)
                err.print(f"interrupted: {_summary(stopped.report)}; the finished calls are "
                          f"stored, run the same command again to score the rest")
                return 128 + stopped.signum   # the shell's convention: 130 for Ctrl-C
        if not (quiet and out is None):
            with _output(out) as (stream, color):
                write_scores(report.scores(store, moments=fmt in ("json", "jsonl")), fmt, stream,
                             rubric=the_rubric, color=color)
    _report_errors(err, report)
    err.print(_summary(report))
    return 1 if report.errors and not allow_errors else 0


def _summary(report: BatchReport) -> str:
    # The speed is of the calls scored: skipping unchanged files is a stat call each, and a
    # re-run that scored nothing once reported "11317 calls/s".
    speed = f", {report.scored / report.elapsed:.0f} calls/s" \
        if report.scored and report.elapsed > 0 else ""
    return (f"scored {report.scored}, unchanged {report.unchanged}, errors {len(report.errors)} "
            f"({report.elapsed:.1f} s{speed})")


def _report_errors(err: Console, report: BatchReport) -> None:
    if not report.errors:
        return
    n = len(report.errors)
    err.print(f"[bold red]{n} file{'s' * (n != 1)} could not be scored:[/]")
    for e in report.errors:
        err.print(f"  {e}", markup=False)


@contextlib.contextmanager
def _progress_bar(err: Console, total: int) -> Iterator:
    """A progress bar on a terminal; nothing at all when stderr is piped (CI logs)."""
    if not err.is_terminal:
        yield None
        return
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeRemainingColumn)

    columns = (TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("scoring", total=total)
        yield lambda done, total: progress.update(task, completed=done, total=total)


@contextlib.contextmanager
def _output(out: Path | None) -> Iterator[tuple[TextIO, bool]]:
    """(stream, use colour): stdout in colour on a terminal (unless NO_COLOR is set); a file
    never in colour."""
    if out is None:
        yield sys.stdout, color_stdout()
        return
    with open(out, "w", encoding="utf-8", newline="") as stream:
        yield stream, False
