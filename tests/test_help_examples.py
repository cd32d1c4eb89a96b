"""Every `Example:` line in every command's --help runs, as written, against the bundled
example team (examples/, scored with the bundled five-step-discovery rubric): the help is the
first documentation a user tries."""
from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from callcoach.cli.app import app

ROOT = Path(__file__).resolve().parent.parent


def _commands(group, path=()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, path + (name,))
        else:
            yield path + (name,), command


def examples() -> list[tuple[str, str]]:
    """(command, example line), in an order that builds on itself: score first, sessions
    before progress, deleting a session last."""
    out = []
    for path, command in _commands(typer.main.get_command(app)):
        help_text = command.help or ""
        block = help_text.split("Example:", 1)[1] if "Example:" in help_text else ""
        text = re.sub(r"\\\n\s*", " ", block)          # continuation lines
        for line in text.splitlines():
            line = line.split("  #", 1)[0].strip()      # a trailing comment
            if "callcoach " in line:
                out.append((" ".join(path), line))
    first = ("score", "session import", "rubric init", "session add")
    last = ("session delete", "calls rm")
    rank = lambda e: (0 if e[0] in first else 2 if e[0] in last else 1,
                      first.index(e[0]) if e[0] in first else 0)
    return sorted(out, key=rank)


def test_every_command_has_examples():
    have = {command for command, _ in examples()}
    every = {" ".join(p) for p, _ in _commands(typer.main.get_command(app))}
    assert every - have == set()


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    folder = tmp_path_factory.mktemp("team")
    shutil.copytree(ROOT / "examples", folder / "examples")
    shutil.copytree(ROOT / "rubrics", folder / "rubrics")
    shutil.copytree(ROOT / "eval", folder / "eval")
    return folder


def run_line(line: str, cwd: Path):
    """One example line: `cat FILE | callcoach ...` feeds FILE on stdin, `| less` and
    `> FILE` are the shell's business, globs are expanded as the shell would."""
    stdin = None
    if "|" in line:
        left, right = [part.strip() for part in line.split("|", 1)]
        if left.startswith("callcoach "):
            line = left                                  # callcoach ... | less
        else:
            stdin = (cwd / shlex.split(left)[1]).read_bytes()   # cat FILE | callcoach ...
            line = right
    line = line.split(" > ", 1)[0]
    args = []
    for word in shlex.split(line)[1:]:
        found = sorted(glob.glob(word, root_dir=cwd)) if any(c in word for c in "*?") else []
        args += found or [word]
    return CliRunner().invoke(app, args, input=stdin)


# Examples that need a language model server (question checks), which no test machine has.
NEEDS_A_MODEL = ("--judge", "CALLCOACH_LLM_", "--max-requests")


def test_help_examples_run(team, monkeypatch):
    monkeypatch.chdir(team)
    monkeypatch.setenv("CALLCOACH_DB", str(team / "callcoach.db"))
    monkeypatch.setenv("CALLCOACH_AS_OF", "2026-11-13")   # the examples' "now"
    assert CliRunner().invoke(app, ["score", "examples/calls", "-r", "five-step-discovery",
                                    "-q"]).exit_code == 0
    failed = []
    for command, line in examples():
        if any(marker in line for marker in NEEDS_A_MODEL):
            continue
        result = run_line(line, team)
        if result.exit_code != 0:
            failed.append(f"{line}\n  exit {result.exit_code}: {result.output[-400:]}")
    assert not failed, "\n".join(failed)
