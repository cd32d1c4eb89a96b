"""callcoach evidence (being built; see its issue)."""
import typer

NAME = "evidence"


def command() -> int:
    """Not built yet."""
    raise typer.Exit(3)
