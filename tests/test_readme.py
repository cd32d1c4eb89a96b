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


def test_pre_commit_snippets_pin_the_package_version():
    """The README's and the hook file's `rev:` is the tag of this version (v<__version__>),
    which the release is tagged with, so a team's pin installs the callcoach it read about."""
    from callcoach import __version__

    for path in (ROOT / "README.md", ROOT / ".pre-commit-hooks.yaml"):
        assert f"rev: v{__version__}" in path.read_text(), path


def test_ci_installs_the_built_wheel_outside_the_checkout():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip wheel" in ci and "python3 -m venv \"$outside/venv\"" in ci
    assert 'bash -euo pipefail -c "$after_install"' in ci


def test_main_job_needs_nothing_from_the_checkout_but_the_examples():
    """CI runs it again from the wheel outside the checkout, with only examples/ copied:
    a rubric must be named as a bundled one, not as rubrics/... of the repository."""
    readme = (ROOT / "README.md").read_text()
    main = readme.split("<!-- ci:main -->", 1)[1].split("```", 2)[1]
    command = main.split("pip install -e . && ", 1)[1]
    paths = {w for w in command.replace('"', " ").split() if "/" in w}
    assert paths <= {"examples/calls", "examples/sessions.csv"}, paths
