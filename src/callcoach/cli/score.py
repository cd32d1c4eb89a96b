"""callcoach score: score transcripts into the store and show calls x criteria."""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Iterator, Optional, TextIO

import typer
from rich.console import Console

from callcoach import zones
from callcoach.cli.options import (DbOption, InputFormatOption, OutOption, PassMarkOption,
                                   RawOption, RosterOption, TzOption, check_out, color_stdout,
                                   format_option, require_paths)
from callcoach.errors import StoreError, UsageError
from callcoach.fmt import plural
from callcoach.render import formats
from callcoach.resources import rubric_names, rubric_path
from callcoach.store import Store

if TYPE_CHECKING:
    from callcoach.scoring.batch import BatchReport, Plan

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
    input_format: InputFormatOption = None,
    roster: RosterOption = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Re-score files that are unchanged since they were stored.")] = False,
    prune: Annotated[bool, typer.Option(
        "--prune", help="Afterwards, remove this rubric's stored calls whose file under PATHS "
                        "is gone (sessions keep their other calls).")] = False,
    allow_errors: Annotated[bool, typer.Option(
        "--allow-errors", help="Exit 0 even when some files could not be scored.")] = False,
    pass_mark: PassMarkOption = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print no calls on stdout, only the summary on stderr "
                              "(--out still writes the file).")] = False,
    tz: TzOption = None,
    rep: Annotated[Optional[str], typer.Option(
        "--rep", help="The rep of every call scored (over calls.csv, sidecars and file "
                      "names): for a one-off export.", show_default=False,
        rich_help_panel="Call metadata")] = None,
    call_id: Annotated[Optional[str], typer.Option(
        "--call-id", help="The call's id (one transcript file only).", show_default=False,
        rich_help_panel="Call metadata")] = None,
    started_at: Annotated[Optional[str], typer.Option(
        "--started-at", help="When the call started, ISO 8601 (e.g. 2026-11-03T14:30); "
                             "without an offset, in the team's zone (--tz).",
        show_default=False, rich_help_panel="Call metadata")] = None,
    call_type: Annotated[Optional[str], typer.Option(
        "--call-type", help="The call type (discovery, demo, ...).", show_default=False,
        rich_help_panel="Call metadata")] = None,
    cluster: Annotated[Optional[str], typer.Option(
        "--cluster", help="Score on a Dask cluster instead of local processes: its scheduler's "
        "address (tcp://scheduler:8786), or local:N for N worker processes on this machine. "
        "The workers must read PATHS at the same absolute paths (a shared filesystem). Needs "
        "callcoach[dask].", show_default=False)] = None,
    raw: RawOption = False,
    max_requests: Annotated[Optional[int], typer.Option(
        "--max-requests", min=0, help="Question checks: ask the language model at most this "
        "many answers in this run; the calls left are stored without them and asked next "
        "run (exit 1). 0: ask nothing, only print what would be asked.",
        show_default=False)] = None,
) -> int:
    """Score transcripts against a rubric, store the results, and print calls x criteria.

    Unchanged files already scored with the same rubric are not scored again; the output
    still shows every call of the run, sorted by start time. Files that cannot be read are
    listed on stderr at the end and make the exit code 1 (--allow-errors: 0); the other
    files are scored and stored regardless. A path that does not exist is a usage error
    (exit 2), before anything is scored. Ctrl-C stops cleanly: finished calls are kept,
    and running the same command again scores the rest.

    A call is its file: a file renamed, moved or given another call id (a calls.csv added
    later) replaces the call it was stored as, and sessions follow the new id. A file in a
    folder that is no transcript at all (notes, another JSON) is skipped with one note.
    A one-off export without calls.csv gets its metadata from --rep, --call-id,
    --started-at and --call-type.

    Question checks are answered by the language model CALLCOACH_LLM_MODEL names (see
    docs/judge.md): the number of requests and tokens is printed before any is sent, answers
    are cached in the store, and a call the model could not answer is stored without that
    criterion and listed as an error (exit 1, --allow-errors: 0).

    \b
    Example:
      callcoach score examples/calls --rubric five-step-discovery
      callcoach score examples/calls -r rubrics/five-step-discovery.yaml --format jsonl --out scores.jsonl
      callcoach score examples/calls/*.vtt -r five-step-discovery --jobs 2 --db team.db
      callcoach score examples/calls -r five-step-discovery --cluster local:2 --db team.db
      callcoach score examples/calls -r five-step-discovery --quiet   # nightly job: summary only
      callcoach score examples/calls -r five-step-discovery --prune   # drop calls whose file was deleted
      callcoach score calls/ -r questions.yaml --max-requests 200     # question checks: needs a model
      callcoach score examples/calls/2026-10-05_dr_timberline-hotels_discovery.txt \\
          -r five-step-discovery --rep "Dana Ruiz" --call-id zoom-1103 \\
          --started-at 2026-11-03T14:30 --call-type discovery
    """
    check_out(out)
    # heavy libraries load only when the command runs, not on every callcoach start
    from callcoach.ingest import count
    from callcoach.readers import EXTENSIONS
    from callcoach.render.scores import write_scores
    from callcoach.scoring.batch import BatchInterrupted, resolve_rubric, score_paths

    if cluster is not None:
        from callcoach.scoring.cluster import check_address, require_dask
        if jobs is not None:
            raise UsageError("--jobs and --cluster both say where to score: give one",
                             key="--cluster", hint="the cluster's workers set the parallelism")
        require_dask()
        check_address(cluster)
    require_paths(paths)
    the_rubric = resolve_rubric(rubric_path(rubric), pass_mark)   # rubric problems: exit 1 before scoring
    expected = count(paths)   # the names only: the bar's total from the start
    if expected == 0:
        raise UsageError(f"no transcript files in {', '.join(map(str, paths))}",
                         hint="check the path; transcripts end in "
                              + " ".join(sorted(EXTENSIONS)))
    zone = zones.zone(tz)
    hints = {k: v for k, v in (("rep", rep), ("call_id", call_id), ("started_at", started_at),
                               ("call_type", call_type)) if v is not None}
    judge = None
    from callcoach.judge import Judge, needs_model, require_judge
    if needs_model(the_rubric):   # no model configured: exit 2 before scoring
        judge = Judge(require_judge().settings, max_requests)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    with Store(db) as store:
        with _progress_bar(err, expected) as (on_progress, on_ask):
            try:
                report = score_paths(paths, the_rubric, store, jobs=jobs,
                                     input_format=input_format, roster=roster, force=force,
                                     on_progress=on_progress, tz=zones.name_of(zone),
                                     prune=prune, hints=hints, judge=judge,
                                     on_plan=lambda plan: err.print(_plan(plan), markup=False),
                                     on_ask=on_ask, expected=expected,
                                     cluster=cluster)
            except BatchInterrupted as stopped:
                _report_errors(err, stopped.report)
                _report_skipped(err, stopped.report)
                unsaved, why = stopped.report.unsaved, stopped.report.unsaved_why
                kept = (f"{plural(unsaved, 'finished call')} could not be stored "
                        f"({why or 'the store would not take them'}); the others are"
                        if unsaved else "the finished calls are")
                err.print(f"interrupted: {_summary(stopped.report)}; {kept} stored, run the "
                          f"same command again to score the rest", markup=False)
                return 128 + stopped.signum   # the shell's convention: 130 for Ctrl-C
            except StoreError as failed:   # what the run met before the store failed, then why
                if getattr(failed, "report", None) is not None:
                    _report_errors(err, failed.report)
                    _report_skipped(err, failed.report)
                raise
        if not (quiet and out is None):
            with _output(out) as (stream, color):
                write_scores(report.scores(store, moments=fmt in ("json", "jsonl")), fmt, stream,
                             rubric=the_rubric, color=color, tz=zone, raw=raw)
    _report_errors(err, report)
    _report_skipped(err, report)
    _report_identity(err, report)
    err.print(_summary(report))
    if not (report.scored or report.unchanged or report.errors):
        # every file found was skipped as no transcript: a wrong path must not pass CI
        raise UsageError(f"no transcripts in {', '.join(map(str, paths))}",
                         hint="check the path, or name a file to read it anyway")
    return 1 if report.errors and not allow_errors else 0


def _summary(report: BatchReport) -> str:
    # The speed is of the calls scored: skipping unchanged files is a stat call each, and a
    # re-run that scored nothing once reported "11317 calls/s".
    speed = f", {report.scored / report.elapsed:.0f} calls/s" \
        if report.scored and report.elapsed > 0 else ""
    changes = [f"{label} {n}" for label, n in (
        ("replaced", len(report.replaced)), ("moved", report.moved),
        ("pruned", len(report.pruned.calls) if report.pruned else 0)) if n]
    text = (f"scored {report.scored}, unchanged {report.unchanged}, errors {len(report.errors)}"
            + "".join(f", {c}" for c in changes)
            + f" ({report.elapsed:.1f} s{speed})")
    a = report.asked
    if a is not None and (a.cached or a.answered or a.failed or a.not_sent):
        text += (f"\nasked {a.model}: {a.answered} answered in {a.requests} requests "
                 f"({a.prompt_tokens:,} prompt + {a.completion_tokens:,} answer tokens), "
                 f"{a.cached} from the cache, {a.failed} failed, {a.not_sent} not asked, "
                 f"{a.unverified} unverified")
    return text


def _plan(plan: Plan) -> str:
    text = (f"asking {plan.model}: {plan.requests} answers for {plan.calls} calls "
            f"({plan.cached} more from the cache), about {plan.prompt_tokens:,} prompt tokens "
            f"+ at most {plan.answer_tokens:,} answer tokens")
    if plan.sending < plan.requests:
        text += (f"; --max-requests {plan.max_requests}: {plan.requests - plan.sending} "
                 f"left for the next run")
    return text


def _report_skipped(err: Console, report: BatchReport) -> None:
    """One quiet line for the files of a folder that are no transcripts (notes, other JSON)."""
    from callcoach.ingest import skipped_note

    if report.skipped:
        err.print(skipped_note(report.skipped), markup=False)


def _report_identity(err: Console, report: BatchReport) -> None:
    """Calls that became another call, and calls removed because their file is gone."""
    for old, new in report.replaced:
        err.print(f"replaced {old} by {new}: the same file, renamed, moved or given another "
                  f"call id", markup=False)
    if report.pruned is None:
        return
    for call_id, _ in report.pruned.calls:
        err.print(f"pruned {call_id}: its file is gone", markup=False)
    if report.pruned.sessions:
        ids = ", ".join(f"#{i}" for i in report.pruned.sessions)
        err.print(f"sessions {ids} no longer cite the pruned calls", markup=False)


def _report_errors(err: Console, report: BatchReport) -> None:
    for note in report.notes:   # lenient reads (an encoding guessed...): said, not errors
        err.print(f"note: {note}", markup=False)
    if not report.errors:
        return
    n = len(report.errors)
    err.print(f"[bold red]{n} file{'s' * (n != 1)} could not be scored:[/]")
    for e in report.errors:
        err.print(f"  {e}", markup=False)


@contextlib.contextmanager
def _progress_bar(err: Console, total: int) -> Iterator:
    """Progress bars (scoring, then asking the model) on a terminal; nothing at all when
    stderr is piped (CI logs). `total`: the files counted before scoring starts."""
    if not err.is_terminal:
        yield None, None
        return
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeRemainingColumn)

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("scoring", total=total)
        asking: list = []

        def on_ask(done: int, total: int) -> None:
            if not asking:
                asking.append(progress.add_task("asking the model", total=total))
            progress.update(asking[0], completed=done, total=total)

        yield (lambda done, total: progress.update(task, completed=done, total=total)), on_ask


@contextlib.contextmanager
def _output(out: Path | None) -> Iterator[tuple[TextIO, bool]]:
    """(stream, use colour): stdout in colour on a terminal (unless NO_COLOR is set); a file
    never in colour."""
    if out is None:
        yield sys.stdout, color_stdout()
        return
    with open(out, "w", encoding="utf-8", newline="") as stream:
        yield stream, False
