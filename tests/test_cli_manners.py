"""Standard CLI manners: --version, shell completion of commands and choices, help text
that shows what it says."""
from __future__ import annotations

import os
import subprocess
import sys

import typer
from typer.testing import CliRunner

from callcoach import __version__
from callcoach.cli.app import app


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_version():
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"callcoach {__version__}\n")


def complete(line: str) -> list[str]:
    env = {**os.environ, "_CALLCOACH_COMPLETE": "complete_bash", "COMP_WORDS": line,
           "COMP_CWORD": str(len(line.split()) - (0 if line.endswith(" ") else 1))}
    proc = subprocess.run([sys.executable, "-m", "callcoach"], env=env, capture_output=True,
                          text=True)
    return proc.stdout.split()


def test_shell_completion_completes_commands_and_format_choices():
    assert complete("callcoach sc") == ["score", "scorecard"]
    assert complete("callcoach score --format ") == ["table", "json", "jsonl", "csv"]
    assert complete("callcoach agenda --frame ") == ["five-part", "grow"]


def test_install_completion_is_offered():
    assert "--install-completion" in run("--help").stdout


def test_every_format_option_lists_its_choices_in_help():
    root = typer.main.get_command(app)
    for name, command in root.commands.items():
        for cmd in (command.commands.values() if hasattr(command, "commands") else [command]):
            for p in cmd.params:
                if "--format" in p.opts:
                    result = run(*([name, cmd.name] if cmd is not command else [name]), "--help")
                    assert "--format <" in result.stdout and "|" in result.stdout, cmd.name


def test_help_keeps_square_brackets():
    # Rich markup once ate [parquet] in `pip install 'callcoach[parquet]'`
    assert "callcoach[parquet]" in run("export", "--help").stdout
