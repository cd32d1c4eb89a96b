"""callcoach calibrate: how far callcoach agrees with your reviewers, and why not."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from callcoach.cli.options import (DbOption, InputFormatOption, OutOption, PassMarkOption,
                                   RosterOption, RubricIdOption, check_out, format_option,
                                   require_paths, write_output)
from callcoach.errors import UsageError
from callcoach.render import formats
from callcoach.resources import rubric_path
from callcoach.store import Store

NAME = "calibrate"
FormatOption = format_option(formats.CALIBRATE)


def command(
    labels: Annotated[Path, typer.Argument(
        help="The reviewers' labels: CSV or JSONL with call_id, criterion, label (pass, fail "
             "or na), and optionally evidence and reviewer.", show_default=False)],
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Transcript files or folders to score now (with --rubric) instead of reading "
             "the store.", show_default=False)] = None,
    rubric: Annotated[Optional[Path], typer.Option(
        "--rubric", "-r", help="Score with this rubric YAML: the PATHS, or else the store's "
                               "transcripts of the labelled calls (to try a rubric change "
                               "before re-scoring).", show_default=False)] = None,
    fmt: FormatOption = "table",
    min_agreement: Annotated[Optional[float], typer.Option(
        "--min-agreement", min=0.0, max=1.0,
        help="Exit 1 when overall agreement is below this (0-1), to gate rubric changes in "
             "CI.", show_default=False)] = None,
    suggest: Annotated[bool, typer.Option(
        "--suggest", help="Learn phrasings, match: false examples and thresholds from the "
                          "disagreements; keep those that re-scoring shows raise "
                          "agreement.")] = False,
    write_rubric: Annotated[Optional[Path], typer.Option(
        "--write-rubric", help="With --suggest: write the rubric with the kept suggestions "
                               "applied (comments and order kept).", show_default=False,
        dir_okay=False)] = None,
    holdout: Annotated[float, typer.Option(
        "--holdout", min=0.0, max=0.9,
        help="With --suggest: the share of calls (picked by call id) held out of the learning, "
             "to measure the suggestions on calls they were not learnt from.")] = 0.3,
    second: Annotated[Optional[list[Path]], typer.Option(
        "--second-opinion", help="Another reviewer's labels of the same calls (CSV or JSONL; "
                                 "repeatable): how far that reviewer agrees with LABELS, beside "
                                 "how far callcoach does, on the judgements both label. In "
                                 "CALLCOACH_SECOND_OPINION, paths separated by spaces.",
        show_default=False)] = None,
    db: DbOption = None,
    rubric_id: RubricIdOption = None,
    pass_mark: PassMarkOption = None,
    input_format: InputFormatOption = None,
    roster: RosterOption = None,
    out: OutOption = None,
) -> int:
    """Compare callcoach's verdicts with your reviewers' labels: per criterion and overall,
    agreement, Cohen's kappa, the confusion matrix and how well the fails are found; then every
    disagreement, with the reviewer's evidence found in the transcript beside what callcoach
    matched or nearly matched there.

    The labels are compared with the stored results (--db, --rubric-id), or with the PATHS
    scored now against --rubric (nothing is stored). Labels naming an unknown call or
    criterion are listed and make the exit code 1; the others are still compared.

    \b
    Example:
      callcoach calibrate eval/five-step-discovery/dev/labels.csv eval/five-step-discovery/dev/calls -r five-step-discovery
      callcoach calibrate eval/five-step-discovery/dev/labels.csv eval/five-step-discovery/dev/calls -r rubrics/five-step-discovery.yaml --min-agreement 0.8
      callcoach calibrate eval/five-step-discovery/dev/labels.csv eval/five-step-discovery/dev/calls -r five-step-discovery --suggest --write-rubric new.yaml
      callcoach calibrate eval/five-step-discovery/dev17/labels.csv eval/five-step-discovery/dev17/calls -r five-step-discovery --second-opinion eval/five-step-discovery/dev17/labels-second.csv
      callcoach score eval/five-step-discovery/dev/calls -r five-step-discovery --db eval.db -q
      callcoach calibrate eval/five-step-discovery/dev/labels.csv --db eval.db   # the stored results
    """
    check_out(out)
    if write_rubric is not None and not suggest:
        raise UsageError("--write-rubric needs --suggest", key="--write-rubric",
                         hint="add --suggest")
    if paths and rubric is None:
        raise UsageError("transcript paths need --rubric to score them with", key="--rubric",
                         hint="add --rubric RUBRIC.yaml, or leave the paths out to read the store")
    if write_rubric is not None and rubric is None:
        raise UsageError("--write-rubric needs --rubric: the file the suggestions are applied to",
                         key="--rubric", hint="add --rubric RUBRIC.yaml")
    require_paths([labels, *(second or [])], what="labels file")
    require_paths(paths or [])
    if rubric is not None:
        rubric = rubric_path(rubric)   # a file, or a bundled rubric by name
    check_out(write_rubric)
    # heavy libraries load only when the command runs
    from callcoach.calibration import core
    from callcoach.calibration.labels import read_labels
    from callcoach.scoring.batch import resolve_rubric

    the_labels = read_labels(labels)
    others = [(read_labels(p), str(p)) for p in second or []]
    the_rubric = resolve_rubric(rubric, None) if rubric is not None else None
    if paths:
        calls = core.from_files(the_rubric, paths, input_format=input_format, roster=roster)
        for e in calls.errors:
            typer.echo(f"error: {e}", err=True)
    else:
        with Store(db, must_exist=True) as store:
            calls = core.from_store(store, the_labels, rubric_id=rubric_id)
        if the_rubric is not None:
            calls.rubric, calls.stored = the_rubric, None
    report = core.calibrate(calls, the_labels, pass_mark=pass_mark, others=others)
    learnt = None
    if suggest:
        from callcoach.calibration.learn import learn

        learnt = learn(calls, the_labels, rubric_path=rubric, holdout=holdout,
                       pass_mark=pass_mark, progress=_progress)
        if write_rubric is not None:
            write_rubric.write_text(learnt.rubric_text, encoding="utf-8")
            typer.echo(f"wrote {write_rubric} ({len(learnt.kept)} suggestions applied)",
                       err=True)
    write_output(_render(report, learnt, fmt), out)
    for lab, why in report.unknown:
        typer.echo(f"error: {labels}:{lab.line}: {why}", err=True)
    shared_none = [o for o in report.opinions if not o.overall[0].n]
    for o in shared_none:
        typer.echo(f"error: {o.source}: none of its {o.unmatched} labels is of a call and "
                   f"criterion that {labels} labels and callcoach scored", err=True)
    if report.unknown or shared_none:
        return 1
    if min_agreement is not None:
        agreement = report.overall.agreement or 0.0
        if agreement < min_agreement:
            typer.echo(f"agreement {agreement:.1%} is below --min-agreement "
                       f"{min_agreement:.1%}", err=True)
            return 1
    return 0


def _render(report, learnt, fmt: str) -> str:
    from callcoach.render import calibration as render

    if fmt == "json":
        data = report.to_dict()
        if learnt is not None:
            data["suggestions"] = learnt.to_dict()
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render.markdown(report) + ("" if learnt is None else "\n" + render.learnt_markdown(learnt))
    return render.text(report) + ("" if learnt is None else "\n" + render.learnt_text(learnt))


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        typer.echo(message, err=True)
