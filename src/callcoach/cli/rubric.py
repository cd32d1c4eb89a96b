"""callcoach rubric ... (being built; see its issue)."""
import typer

app = typer.Typer(help="Not built yet.", no_args_is_help=True)
