"""callcoach explain (being built; see its issue)."""
import typer

NAME = "explain"


def command() -> int:
    """Not built yet."""
    raise typer.Exit(3)
