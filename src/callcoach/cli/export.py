"""callcoach export (being built; see its issue)."""
import typer

NAME = "export"


def command() -> int:
    """Not built yet."""
    raise typer.Exit(3)
