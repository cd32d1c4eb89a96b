"""callcoach rubric lint | show | schema: write, check and read a rubric."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from callcoach.cli.boundary import exits
from callcoach import resources
from callcoach.cli.options import check_out, format_option, require_paths
from callcoach.errors import UsageError
from callcoach.fmt import plural
from callcoach.render import formats

if TYPE_CHECKING:
    from callcoach.rubric.findings import Finding

app = typer.Typer(help="Check, show and describe rubrics (the framework as YAML).",
                  no_args_is_help=True)


LintFormatOption = format_option(formats.LINT, " (github: workflow annotations)")


@app.command()
@exits
def lint(
    files: Annotated[list[Path], typer.Argument(help="Rubric files, or folders of *.yaml.",
                                                show_default=False)],
    fmt: LintFormatOption = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    judge: Annotated[bool, typer.Option(
        "--judge", help="Also ask the language model (CALLCOACH_LLM_MODEL) the examples of "
                        "question checks, and compare its verdicts.")] = False,
) -> int:
    """Check rubrics: schema, semantics, and every criterion's examples run through the matchers.

    Exit 0 when clean (warnings allowed), 1 on errors or, with --strict, warnings; 2 on a usage error such as a missing file.
    The examples of question checks need a model: without --judge they are skipped, and a
    note on stderr says how many.

    \b
    Example:
      callcoach rubric lint rubrics/*.yaml --strict
      callcoach rubric lint rubrics/ --format github
      callcoach rubric lint five-step-discovery.yaml   # after: callcoach rubric init
      CALLCOACH_LLM_MODEL=llama3.1:8b callcoach rubric lint rubrics/ --judge
    """
    from callcoach.rubric.lint import exit_code, judged_examples, lint as lint_rubrics, rubric_files

    require_paths(files)
    checked = rubric_files(files)
    if judge:
        from callcoach.judge import Backend, require_judge
        with Backend(require_judge().settings) as backend:
            findings = lint_rubrics(checked, strict=strict, judge=backend)
    else:
        findings = lint_rubrics(checked, strict=strict)
        skipped = judged_examples(checked)
        if skipped:
            typer.echo(f"note: {plural(skipped, 'example')} of question checks not "
                       f"run: they need a model (rubric lint --judge, with CALLCOACH_LLM_MODEL "
                       f"set)", err=True)
    typer.echo(render(findings, fmt, len(checked)), nl=False)
    return exit_code(findings)


def render(findings: list[Finding], fmt: str, n_files: int) -> str:
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    if fmt == "json":
        return json.dumps({"files": n_files, "errors": errors, "warnings": warnings,
                           "findings": [f.to_record() for f in findings]}, indent=2) + "\n"
    lines = [_github(f) if fmt == "github" else str(f) for f in findings]
    lines.append(summary(n_files, errors, warnings))
    return "\n".join(lines) + "\n"


def summary(n_files: int, errors: int, warnings: int) -> str:
    checked = f"{n_files} rubric{'s' * (n_files != 1)} checked"
    if not errors and not warnings:
        return f"{checked}: no problems."
    return (f"{checked}: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}.")


def _escape(text: str, prop: bool = False) -> str:
    # GitHub workflow-command escaping: data escapes % CR LF; properties also : and ,
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def _github(f: Finding) -> str:
    message = f.message + (f" ({f.hint})" if f.hint else "")
    return (f"::{f.severity} file={_escape(f.path, True)},line={f.line},col={f.column},"
            f"title={_escape(f.code, True)}::{_escape(message)}")


@app.command()
@exits
def show(file: Annotated[Path, typer.Argument(
        help="A rubric file, or a bundled rubric's name "
             f"({', '.join(resources.rubric_names())}).", show_default=False)]) -> int:
    """Show a rubric's criteria: weight as % of the total, check, method and threshold, speaker.

    \b
    Example:
      callcoach rubric show meddicc
      callcoach rubric show rubrics/five-step-discovery.yaml
    """
    from callcoach.rubric.describe import describe
    from callcoach.rubric.loader import load_rubric

    rubric = load_rubric(resources.rubric_path(file))
    title = rubric.name or rubric.rubric
    if rubric.version:
        title += f" v{rubric.version}"
    from rich.text import Text

    from callcoach.cli.options import color_stdout
    from callcoach.render.tables import Column, print_to, table

    columns = [Column("Criterion", ratio=2), Column("Weight", "right"), Column("Check"),
               Column("Method"), Column("Speaker"), Column("Looks for", ratio=3)]
    rows = []
    for row in describe(rubric):
        name = Text.assemble(row.name, "\n", (row.id, "dim"),
                             ("\ncritical", "bold red") if row.critical else "")
        method = row.method if row.threshold is None else f"{row.method}\n≥ {row.threshold:g}"
        rows.append([name, f"{row.share:.0%}", row.check, method, row.speaker, row.looks_for])
    print_to(sys.stdout, table(columns, rows, title=f"{title} (pass mark {rubric.pass_mark:.0%})"),
             color=color_stdout())
    return 0


@app.command()
@exits
def init(
    name: Annotated[str, typer.Argument(
        help=f"The bundled rubric to start from: {', '.join(resources.rubric_names())}.",
        show_default=False)] = "five-step-discovery",
    out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", dir_okay=False, show_default=False,
        help="Where to write it. Default: NAME.yaml in the working folder.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> int:
    """Copy a bundled rubric out as the starting point for your own framework: edit the
    criteria, phrases and examples, then `callcoach rubric lint` it.

    \b
    Example:
      callcoach rubric init
      callcoach rubric init meddicc --out rubrics/our-meddicc.yaml
    """
    source = resources.rubric_path(name) if Path(name).suffix == "" else None
    if source is None or not source.is_relative_to(resources.folder("rubrics")):
        raise UsageError(f"no bundled rubric {name!r}", key="name",
                         hint="one of: " + ", ".join(resources.rubric_names()))
    target = out or Path(f"{name}.yaml")
    check_out(target)
    if target.exists() and not force:
        raise UsageError("the file exists already", path=target,
                         hint="pick another --out, or add --force to overwrite it")
    target.write_bytes(source.read_bytes())
    typer.echo(f"wrote {target} (from the bundled {name}); next: callcoach rubric lint {target}",
               err=True)
    return 0


@app.command()
@exits
def schema() -> int:
    """Print the rubric language as JSON Schema (for yaml-language-server and other editors).

    \b
    Example:
      callcoach rubric schema > rubric.schema.json
      # then, first line of a rubric:  # yaml-language-server: $schema=rubric.schema.json
    """
    from callcoach.rubric.describe import json_schema_text

    typer.echo(json_schema_text(), nl=False)
    return 0
