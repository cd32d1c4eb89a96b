"""callcoach scorecard (being built; see its issue)."""
import typer

NAME = "scorecard"


def command() -> int:
    """Not built yet."""
    raise typer.Exit(3)
