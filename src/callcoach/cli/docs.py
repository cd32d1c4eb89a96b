"""callcoach docs: the user documentation, readable wherever callcoach is installed."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

NAME = "docs"


def command(
    topic: Annotated[Optional[str], typer.Argument(
        help="The page: config, output, rubric, transcripts, coaching, agenda, progress, "
             "store, scoring, matching, decisions.", show_default=False)] = None,
) -> int:
    """Print a page of the documentation (Markdown), or list the pages.

    \b
    Example:
      callcoach docs
      callcoach docs config
      callcoach docs output | less
    """
    from callcoach.resources import doc_pages, doc_path

    if topic is None:
        for name, path in doc_pages().items():
            first = path.read_text(encoding="utf-8").lstrip().splitlines()[0].lstrip("# ")
            typer.echo(f"{name:<12} {first}")
        typer.echo("\nRead one with: callcoach docs TOPIC")
        return 0
    typer.echo(doc_path(topic).read_text(encoding="utf-8"), nl=False)
    return 0
