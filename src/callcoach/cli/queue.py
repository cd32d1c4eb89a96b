"""callcoach queue (being built; see its issue)."""
import typer

NAME = "queue"


def command() -> int:
    """Not built yet."""
    raise typer.Exit(3)
