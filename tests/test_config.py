"""Settings from callcoach.toml, pyproject.toml [tool.callcoach], the user config file and
CALLCOACH_* variables: every option of every command, checked before anything runs."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from callcoach.cli.app import app
from callcoach.cli.settings import markdown_table, settings, table

ROOT = Path(__file__).resolve().parent.parent
SCORE = ROOT / "tests" / "fixtures" / "score"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A team folder with calls and a rubric, as the working folder."""
    shutil.copytree(SCORE / "calls", tmp_path / "calls")
    shutil.copy(SCORE / "rubric.yaml", tmp_path / "rubric.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(app, list(args), env=env)


def test_callcoach_toml_sets_db_rubric_and_pass_mark_relative_to_itself(project, monkeypatch):
    (project / "callcoach.toml").write_text(
        'db = "data/team.db"\nrubric = "rubric.yaml"\npass-mark = 0.5\n')
    (project / "data").mkdir()
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")   # run from below: paths stay relative to the file
    result = run("score", "../calls")
    assert result.exit_code == 0, result.output
    assert "pass mark 50%" in result.stdout
    assert (project / "data" / "team.db").is_file()
    assert not (project / "sub" / "callcoach.db").exists()


def test_command_line_beats_environment_beats_file(project):
    (project / "callcoach.toml").write_text('rubric = "rubric.yaml"\npass-mark = 0.5\n')
    assert "pass mark 60%" in run("score", "calls", env={"CALLCOACH_PASS_MARK": "0.6"}).stdout
    assert "pass mark 90%" in run("score", "calls", "--pass-mark", "0.9",
                                  env={"CALLCOACH_PASS_MARK": "0.6"}).stdout


def test_a_command_section_beats_the_top_level_key(project):
    (project / "callcoach.toml").write_text(
        '[score]\nformat = "jsonl"\npass-mark = 0.8\n\n[queue]\nformat = "json"\n\n'
        'rubric = "rubric.yaml"\npass-mark = 0.5\n')   # rubric, pass-mark: keys of [queue]?
    result = run("score", "calls")
    assert result.exit_code == 2   # TOML: keys after [queue] belong to it; queue has no --rubric
    assert "unknown key 'rubric' in [queue]" in result.output
    (project / "callcoach.toml").write_text(
        'rubric = "rubric.yaml"\npass-mark = 0.5\n\n[score]\nformat = "jsonl"\npass-mark = 0.8\n')
    result = run("score", "calls")
    assert result.exit_code == 0, result.output
    explicit = run("score", "calls", "--format", "jsonl", "--pass-mark", "0.8")
    assert result.stdout.startswith('{"call_id"') and result.stdout == explicit.stdout


def test_pyproject_tool_table_and_sub_command_sections(project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "team"\n\n[tool.callcoach]\nrubric = "rubric.yaml"\n\n'
        '[tool.callcoach.rubric-lint]\nformat = "json"\n')
    assert run("score", "calls").exit_code == 0
    assert run("rubric", "lint", "rubric.yaml").stdout.startswith("{")


def test_callcoach_toml_wins_over_pyproject_in_the_same_folder(project):
    (project / "pyproject.toml").write_text('[tool.callcoach]\npass-mark = 0.5\n')
    (project / "callcoach.toml").write_text('rubric = "rubric.yaml"\npass-mark = 0.8\n')
    assert "pass mark 80%" in run("score", "calls").stdout


def test_user_config_is_the_lowest_layer(project, tmp_path_factory, monkeypatch):
    xdg = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    (xdg / "callcoach").mkdir()
    (xdg / "callcoach" / "config.toml").write_text(
        f'rubric = "{project / "rubric.yaml"}"\npass-mark = 0.4\n')
    assert "pass mark 40%" in run("score", "calls").stdout
    (project / "callcoach.toml").write_text("pass-mark = 0.55\n")
    assert "pass mark 55%" in run("score", "calls").stdout


def test_config_option_names_the_file(project):
    (project / "ci.toml").write_text('rubric = "rubric.yaml"\npass-mark = 0.45\n')
    assert "pass mark 45%" in run("--config", "ci.toml", "score", "calls").stdout
    result = run("--config", "nope.toml", "score", "calls")
    assert result.exit_code == 2
    assert "no such config file" in result.output


@pytest.mark.parametrize("text, message", [
    ("pass_mrk = 0.5\n", "callcoach.toml:1: unknown setting 'pass_mrk' (did you mean "
                         "'pass-mark'?)"),
    ("db = 'x.db'\n\n[queue]\nfresh-hour = 2\n",
     "callcoach.toml:4: unknown key 'fresh-hour' in [queue] (did you mean 'fresh-hours'?)"),
    ("[queu]\nfresh-hours = 2\n", "unknown command section 'queu' (did you mean 'queue'?)"),
    ("[queue]\nfresh-hours = 'soon'\n", "callcoach.toml:2: fresh-hours = 'soon' is not valid "
                                        "for `callcoach queue`"),
    ("pass-mark = = 1\n", "callcoach.toml:1:13: not valid TOML: Invalid value"),
], ids=["unknown-key", "unknown-section-key", "unknown-section", "bad-value", "bad-toml"])
def test_config_errors_name_the_file_line_and_key_and_exit_2(project, text, message):
    (project / "callcoach.toml").write_text(text)
    result = run("session", "list")
    assert result.exit_code == 2
    assert message in " ".join(result.output.split()), result.output
    assert "Traceback" not in result.output


def test_a_top_level_value_one_command_refuses_says_where_to_put_it(project):
    (project / "callcoach.toml").write_text('format = "markdown"\n')
    result = run("queue")
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "callcoach.toml:1: format = 'markdown' is not valid for `callcoach explain`" in text
    assert "set it for some commands only, in [command] sections" in text


def test_unknown_environment_variable_is_a_warning_not_an_error(project):
    (project / "callcoach.toml").write_text('rubric = "rubric.yaml"\n')
    result = run("score", "calls", "--quiet", env={"CALLCOACH_PASSMARK": "0.5"})
    assert result.exit_code == 0
    assert "warning: ignoring CALLCOACH_PASSMARK: not a callcoach setting (did you mean " \
           "'CALLCOACH_PASS_MARK'?)" in result.output


def test_the_librarys_own_variables_pass_without_a_warning(project):
    (project / "callcoach.toml").write_text('rubric = "rubric.yaml"\n')
    result = run("score", "calls", "--quiet", env={"CALLCOACH_LLM_BASE_URL": "http://x/v1"})
    assert result.exit_code == 0 and "warning" not in result.output


def test_help_shows_the_configured_default(project):
    (project / "callcoach.toml").write_text("[queue]\nfresh-hours = 72\n")
    assert "[default: 72" in run("queue", "--help").stdout


def test_every_option_of_every_command_is_a_setting():
    """No option is left out: the keys are the long options of every command."""
    root = typer.main.get_command(app)
    keys = {(s.path, s.key) for s in settings(root)}
    for name, command in root.commands.items():
        commands = command.commands.items() if hasattr(command, "commands") else [(None, command)]
        for sub, cmd in commands:
            path = (name,) if sub is None else (name, sub)
            for p in cmd.params:
                longs = [o for o in p.opts if o.startswith("--")]
                if p.param_type_name == "option" and longs and longs[0] != "--help":
                    assert (path, longs[0][2:]) in keys


def test_docs_config_table_is_generated_from_the_options():
    doc = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    assert markdown_table(typer.main.get_command(app)) in doc, \
        "docs/config.md is stale: run python scripts/update_readme.py"


def test_docs_table_lists_db_with_its_environment_variable():
    rows = {key: (env, commands) for key, env, commands, _ in
            table(typer.main.get_command(app))}
    env, commands = rows["db"]
    assert env == "CALLCOACH_DB" and "queue" in commands and "session list" in commands
    assert re.fullmatch(r"[a-z][a-z0-9-]*", "fresh-hours") and "fresh-hours" in rows


def test_a_repeatable_option_from_the_environment_and_from_a_file(tmp_path, monkeypatch):
    """--second-opinion, the one repeatable option: a variable holds one or more paths
    (split on whitespace); a file holds a list, its paths relative to the file."""
    from test_calibrate import LABELS, RUBRIC, SECOND, write_calls

    write_calls(tmp_path / "calls")
    (tmp_path / "cal.yaml").write_text(RUBRIC)
    (tmp_path / "labels.csv").write_text(LABELS)
    (tmp_path / "second.csv").write_text(SECOND)
    monkeypatch.chdir(tmp_path)
    args = ("calibrate", "labels.csv", "calls", "-r", "cal.yaml")
    result = run(*args, env={"CALLCOACH_SECOND_OPINION": "second.csv"})
    assert result.exit_code == 0, result.output
    assert "Second opinion: lead (second.csv)" in result.stdout
    (tmp_path / "callcoach.toml").write_text('[calibrate]\nsecond-opinion = ["second.csv"]\n')
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    result = run("calibrate", "../labels.csv", "../calls", "-r", "../cal.yaml")
    assert result.exit_code == 0, result.output
    assert f"Second opinion: lead ({tmp_path / 'second.csv'})" in result.stdout
    # a string in a file is one path, spaces and all
    (tmp_path / "second.csv").rename(tmp_path / "sam labels.csv")
    (tmp_path / "callcoach.toml").write_text('[calibrate]\nsecond-opinion = "sam labels.csv"\n')
    result = run("calibrate", "../labels.csv", "../calls", "-r", "../cal.yaml")
    assert result.exit_code == 0, result.output
    assert f"Second opinion: lead ({tmp_path / 'sam labels.csv'})" in result.stdout
