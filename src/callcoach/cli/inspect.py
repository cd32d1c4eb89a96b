"""callcoach inspect (being built; see its issue)."""
import typer

NAME = "inspect"


def command() -> int:
    """Not built yet."""
    raise typer.Exit(3)
