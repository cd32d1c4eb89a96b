"""callcoach progress (being built; see its issue)."""
import typer

NAME = "progress"


def command() -> int:
    """Not built yet."""
    raise typer.Exit(3)
