"""Usage errors that a wrong path in CI must not slip past: exit 2, one clear line, and
nothing written."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from callcoach.cli.app import app
from callcoach.cli.settings import settings
from callcoach.ingest import count
from callcoach.scoring.batch import score_paths

ROOT = Path(__file__).resolve().parent.parent
SCORE = ROOT / "tests" / "fixtures" / "score"
CALL = ROOT / "examples" / "calls" / "2026-10-05_dr_timberline-hotels_discovery.txt"


def run(*args: str, **kw):
    return CliRunner().invoke(app, list(args), **kw)


def test_score_on_an_empty_folder_exits_2_before_creating_a_store(tmp_path):
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "notes.pdf").write_text("not a transcript")
    result = run("score", str(tmp_path / "calls"), "--rubric", str(SCORE / "rubric.yaml"),
                 "--db", str(tmp_path / "s.db"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: no transcript files in {tmp_path / 'calls'} "
                                    "(check the path; transcripts end in .csv")
    assert not (tmp_path / "s.db").exists()


def test_rubric_lint_on_a_folder_with_no_rubric_exits_2(tmp_path):
    (tmp_path / "README.md").write_text("no rubric here")
    result = run("rubric", "lint", str(tmp_path))
    assert (result.exit_code, result.stderr) == (
        2, f"error: no rubric files (*.yaml, *.yml) in {tmp_path} (check the path)\n")


def _out_commands() -> list[tuple[str, ...]]:
    root = typer.main.get_command(app)
    return sorted({s.path for s in settings(root) if s.key == "out"})


# The smallest arguments each command with --out needs to get as far as writing.
_ARGS = {("agenda",): ["--rep", "x"], ("score",): [str(SCORE / "calls"), "-r", "spin"],
         ("rubric", "init"): ["spin"], ("calibrate",): ["labels.csv"]}


@pytest.mark.parametrize("command", _out_commands(), ids=" ".join)
def test_out_into_a_missing_folder_is_the_same_usage_error_everywhere(tmp_path, command):
    out = tmp_path / "nope" / "file.txt"
    result = run(*command, *_ARGS.get(command, []), "--db", str(tmp_path / "s.db"),
                 "--out", str(out)) if command != ("rubric", "init") else \
        run(*command, *_ARGS[command], "--out", str(out))
    assert (result.exit_code, result.stderr) == (
        2, f"error: --out {out}: no folder {out.parent} (create the folder first, or pick "
           f"another path)\n")
    assert not (tmp_path / "s.db").exists()


def test_every_out_option_is_covered():
    assert {("agenda",), ("export",), ("progress",), ("score",), ("rubric", "init")} <= \
        set(_out_commands())


def test_inspect_dash_reads_standard_input():
    result = run("inspect", "-", "--format", "json", input=CALL.read_bytes())
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"] == "<stdin>" and data["format"] == "text"
    assert data["utterances"][0]["text"] == json.loads(
        run("inspect", str(CALL), "--format", "json").stdout)["utterances"][0]["text"]


def test_score_progress_has_its_total_from_the_first_call(tmp_path):
    seen: list[tuple[int, int | None]] = []
    paths = [SCORE / "calls"]
    score_paths(paths, SCORE / "rubric.yaml", tmp_path / "s.db", jobs=1,
                on_progress=lambda done, total: seen.append((done, total)),
                expected=count(paths))
    assert seen[0] == (1, 4) and seen[-1] == (4, 4)
