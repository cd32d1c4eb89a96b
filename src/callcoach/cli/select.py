"""callcoach select (being built; see its issue)."""
import typer

NAME = "select"


def command() -> int:
    """Not built yet."""
    raise typer.Exit(3)
