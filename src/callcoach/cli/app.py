"""The root command: assembles the sub-commands. Each noun lives in cli/<noun>.py."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from callcoach import __version__
from callcoach.cli.boundary import exits, show_notes

app = typer.Typer(
    name="callcoach",
    help="Score sales-call transcripts against your selling framework and turn the evidence "
         "into side-by-side coaching.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,   # help is plain text: [brackets] such as callcoach[parquet] stay
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"callcoach {__version__}")
        raise typer.Exit()


@app.callback()
@exits
def root(
    ctx: typer.Context,
    config: Annotated[Optional[Path], typer.Option(
        "--config", envvar="CALLCOACH_CONFIG", dir_okay=False, show_default=False,
        help="Read settings from this TOML file instead of the nearest callcoach.toml or "
             "pyproject.toml [tool.callcoach] (callcoach docs config).")] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, expose_value=False,
        help="Print the version and exit.")] = False,
) -> None:
    """Score sales-call transcripts against your selling framework and turn the evidence into
    side-by-side coaching.

    Every option can be set once in callcoach.toml, [tool.callcoach] in pyproject.toml, the
    user config file or a CALLCOACH_* environment variable; see: callcoach docs config.
    """
    from callcoach import config as layers
    from callcoach.cli.settings import default_map

    ctx.default_map = default_map(ctx, layers.layers(config=config),
                                  warn=lambda text: typer.echo(text, err=True))


def _register() -> None:
    # A noun with verbs (rubric, session) is a sub-app; the rest are single commands whose
    # module exposes NAME and `command`, which returns an exit code.
    from callcoach.cli import (agenda, calibrate, calls, docs, evidence, explain, export, inspect,
                               progress, queue, rubric, score, scorecard, select, session)

    app.add_typer(rubric.app, name="rubric")
    app.add_typer(session.app, name="session")
    app.add_typer(calls.app, name="calls")
    for module in (inspect, score, explain, export, scorecard, select, queue, agenda, evidence,
                   progress, calibrate, docs):
        app.command(name=module.NAME, short_help=_summary(module.command.__doc__))(
            exits(module.command))


def _summary(doc: str | None) -> str | None:
    """The first sentence of a command's help, on one line, for the root command list (rich
    keeps a docstring's hard line breaks there, which breaks the list into ragged lines)."""
    if not doc:
        return None
    text = " ".join(doc.strip().split("\n\n")[0].split())
    end = text.find(". ")
    return text if end < 0 else text[:end + 1]


_register()
show_notes()


def main(argv: list[str] | None = None) -> int:
    try:
        app(args=argv if argv is not None else sys.argv[1:], prog_name="callcoach")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return 0
