"""callcoach score (being built; see its issue)."""
import typer

NAME = "score"


def command() -> int:
    """Not built yet."""
    raise typer.Exit(3)
