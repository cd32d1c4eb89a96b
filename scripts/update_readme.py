"""Regenerate (or, with --check, verify) the outputs shown in the README's walkthrough, and
the table of settings in docs/config.md.

Every ```console block of README.md whose lines start with `$ ` is a script: the commands run
in order, from the repository root, against a fresh store in a temporary folder
(CALLCOACH_DB), at a fixed terminal width, in the example team's time zone (CALLCOACH_TZ), and
the text under each command is replaced with what it printed on stdout. So the walkthrough is
always real output of the bundled examples.

    python scripts/update_readme.py          # rewrite README.md
    python scripts/update_readme.py --check  # exit 1 and show a diff if README.md is stale
"""
from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CONFIG_DOC = ROOT / "docs" / "config.md"
TABLE = re.compile(r"(<!-- settings-table -->\n).*?(<!-- /settings-table -->)", re.S)
BLOCK = re.compile(r"^```console\n(.*?)^```$", re.S | re.M)
WIDTH = "110"
TZ = "America/New_York"   # the example team works US Eastern hours (examples/README.md)


def run(command: str, env: dict[str, str]) -> str:
    proc = subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"README command failed ({proc.returncode}): {command}\n{proc.stderr}")
    return proc.stdout.rstrip("\n")


def render(text: str, env: dict[str, str]) -> str:
    def block(match: re.Match) -> str:
        lines = match.group(1).splitlines()
        if not lines or not lines[0].startswith("$ "):
            return match.group(0)
        out: list[str] = []
        for line in lines:
            if line.startswith("$ "):
                out.append(line)
                printed = run(line[2:], env)
                if printed:
                    out.append(printed)
        return "```console\n" + "\n".join(out) + "\n```"

    return BLOCK.sub(block, text)


def settings_doc(text: str) -> str:
    """docs/config.md with its table of settings generated from the commands' options."""
    import typer

    from callcoach.cli.app import app
    from callcoach.cli.settings import markdown_table

    table = markdown_table(typer.main.get_command(app))
    return TABLE.sub(lambda m: m.group(1) + table + "\n" + m.group(2), text)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    doc = CONFIG_DOC.read_text(encoding="utf-8")
    if settings_doc(doc) != doc:
        if check:
            print("docs/config.md's table of settings is stale: run python scripts/update_readme.py")
            return 1
        CONFIG_DOC.write_text(settings_doc(doc), encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FORCE_COLOR", "CLICOLOR"))}
        # the callcoach of this interpreter, even when its venv is not activated
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        env.pop("CALLCOACH_RUBRIC_ID", None)
        env.update({"CALLCOACH_DB": str(Path(tmp) / "callcoach.db"), "CALLCOACH_TZ": TZ,
                    "COLUMNS": WIDTH,
                    "NO_COLOR": "1", "TERM": "dumb", "PYTHONHASHSEED": "0"})
        old = README.read_text(encoding="utf-8")
        new = render(old, env)
    if check:
        if new != old:
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(True), new.splitlines(True), "README.md", "README.md (regenerated)"))
            print("\nREADME walkthrough is stale: run python scripts/update_readme.py")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
