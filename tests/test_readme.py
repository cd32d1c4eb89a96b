"""The README's walkthrough shows real output: regenerate it and compare."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_walkthrough_outputs_are_current():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "update_readme.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_ci_runs_the_readme_commands():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "<!-- ci:main -->" in readme and "<!-- ci:test -->" in readme
    assert "readme_block main" in ci and "readme_block test" in ci
