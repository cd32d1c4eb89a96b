"""callcoach agenda (being built; see its issue)."""
import typer

NAME = "agenda"


def command() -> int:
    """Not built yet."""
    raise typer.Exit(3)
