"""session add|list|import|delete: validation with "did you mean", defaults from select,
one session per rep + criterion + date, and imports that report every bad row."""
from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callcoach.analytics.selection import select
from callcoach.cli.app import app
from callcoach.errors import NotFoundError, UsageError
from callcoach.sessions import import_sessions, log_session
from callcoach.store import Store
from coaching_helpers import at, make_store

FIXTURES = Path(__file__).parent / "fixtures" / "sessions"
RUBRIC_ID = "test-discovery"


def fresh(new_db) -> Store:
    """dana fails discovery on three calls in early November; eli passes everything."""
    return make_store(new_db, calls=[
        ("dana-1", "dana", at(2), "discovery", {"discovery": 0.3, "next_step": 1.0}),
        ("dana-2", "dana", at(3), "discovery", {"discovery": 0.4, "next_step": 1.0}),
        ("dana-3", "dana", at(4), "discovery", {"discovery": 0.2, "next_step": 0.0}),
        ("eli-1", "eli", at(2), "discovery", {"discovery": 1.0, "next_step": 1.0}),
        ("eli-2", "eli", at(3), "discovery", {"discovery": 1.0, "next_step": 1.0}),
        ("eli-3", "eli", at(4), "discovery", {"discovery": 1.0, "next_step": 1.0}),
    ])


def cli(db: Path | str, *args: str):
    return CliRunner().invoke(app, ["session", *args, "--db", str(db)],
                              env={"COLUMNS": "120"})


# -- add ------------------------------------------------------------------------------------
def test_add_explicit(new_db, tmp_path):
    store = fresh(new_db)
    logged = log_session(store, "dana", held_on=date(2026, 11, 5), criterion_id="next_step",
                         calls=["dana-3"], notes="book the follow-up live")
    s = logged.session
    assert (logged.created, logged.from_select) == (True, ())
    assert (s.rep, s.rubric_id, s.criterion_id, s.held_on, s.calls, s.notes, s.source) == \
        ("dana", RUBRIC_ID, "next_step", "2026-11-05", ("dana-3",), "book the follow-up live",
         "cli")


def test_add_defaults_to_select_as_of_the_session_day(new_db, tmp_path):
    store = fresh(new_db)
    logged = log_session(store, "dana", held_on=date(2026, 11, 5))
    picked = select(store, "dana", as_of=datetime(2026, 11, 5, 23, 59, 59))
    assert picked.criterion_id == "discovery"
    assert logged.session.criterion_id == "discovery"
    assert logged.session.calls == tuple(c.call_id for c in picked.chosen)
    assert logged.session.calls  # select chose the calls that prove the pattern
    assert logged.from_select == ("criterion", "calls")


def test_add_another_criterion_takes_no_calls_from_select(new_db, tmp_path):
    store = fresh(new_db)
    logged = log_session(store, "dana", held_on=date(2026, 11, 5), criterion_id="next_step")
    assert (logged.session.calls, logged.from_select) == ((), ())


def test_add_names_resolve_by_case_and_criterion_name(new_db, tmp_path):
    store = fresh(new_db)
    s = log_session(store, "Dana", held_on=date(2026, 11, 5), criterion_id="Next step",
                    calls=[]).session
    assert (s.rep, s.criterion_id) == ("dana", "next_step")


def test_add_nothing_to_coach(new_db, tmp_path):
    store = fresh(new_db)
    with pytest.raises(NotFoundError) as info:
        log_session(store, "eli", held_on=date(2026, 11, 5))
    assert str(info.value) == (
        "select found nothing to coach for eli as of 2026-11-05: passed every criterion on all "
        "3 calls in the last 14 days — nothing to coach (name the criterion with --criterion)")


@pytest.mark.parametrize("kwargs, error, text", [
    ({"rep": "dnaa"}, NotFoundError,
     "no calls by rep 'dnaa' scored with rubric 'test-discovery' (did you mean 'dana'?)"),
    ({"criterion_id": "discovry"}, NotFoundError,
     "no criterion 'discovry' in rubric 'test-discovery' (did you mean 'discovery'?)"),
    ({"criterion_id": "discovery", "calls": ["dana1"]}, NotFoundError,
     "no scored call 'dana1' (did you mean 'dana-1' or 'dana-3' or 'dana-2'?)"),
    ({"criterion_id": "discovery", "calls": ["eli-1"]}, UsageError,
     "call 'eli-1' is eli's, not dana's (list only calls of the coached rep)"),
], ids=["rep", "criterion", "unknown-call", "other-reps-call"])
def test_add_rejects_with_did_you_mean(new_db, tmp_path, kwargs, error, text):
    store = fresh(new_db)
    kwargs = dict(kwargs)   # the table's dict is shared by the runs on each backend
    rep = kwargs.pop("rep", "dana")
    with pytest.raises(error) as info:
        log_session(store, rep, held_on=date(2026, 11, 5), **kwargs)
    assert str(info.value) == text
    assert store.sessions() == []


def test_cli_add_and_add_again(new_db, tmp_path):
    fresh(new_db).close()
    db = new_db("coach")
    first = cli(db, "add", "--rep", "dana", "--date", "2026-11-05")
    assert first.exit_code == 0, first.output
    assert first.stderr == "criterion and calls from select as of 2026-11-05\n"
    assert first.stdout.startswith("logged session #1: dana, discovery, 2026-11-05 on dana-")
    again = cli(db, "add", "--rep", "dana", "--date", "2026-11-05", "--criterion", "discovery")
    assert again.exit_code == 0
    assert again.stdout.startswith("already logged: session #1: dana, discovery, 2026-11-05")
    assert len(Store(db).sessions()) == 1


def test_cli_add_date_defaults_to_as_of(new_db, tmp_path):
    fresh(new_db).close()
    result = cli(new_db("coach"), "add", "--rep", "dana", "--criterion", "next_step",
                 "--calls", "dana-3", "--as-of", "2026-11-06T09:00")
    assert result.stdout == "logged session #1: dana, next_step, 2026-11-06 on dana-3\n"


@pytest.mark.parametrize("args, code, text", [
    (["--rep", "dnaa", "--criterion", "discovery"], 1,
     "error: no calls by rep 'dnaa' scored with rubric 'test-discovery' (did you mean "
     "'dana'?)\n"),
    (["--rep", "dana", "--criterion", "discovry"], 1,
     "error: no criterion 'discovry' in rubric 'test-discovery' (did you mean 'discovery'?)\n"),
    (["--rep", "dana", "--criterion", "discovery", "--date", "3 Nov"], 2,
     "error: '3 Nov' is not a date (write dates as YYYY-MM-DD, e.g. 2026-11-03)\n"),
], ids=["rep", "criterion", "date"])
def test_cli_add_errors(new_db, tmp_path, args, code, text):
    fresh(new_db).close()
    result = cli(new_db("coach"), "add", *args)
    assert (result.exit_code, result.stderr) == (code, text)


# -- import ---------------------------------------------------------------------------------
BAD_ROWS = [
    "team_1on1s.csv:6: no calls by rep 'dnaa' scored with rubric 'test-discovery' "
    "(did you mean 'dana'?)",
    "team_1on1s.csv:7: no criterion 'discovry' in rubric 'test-discovery' "
    "(did you mean 'discovery'?)",
    "team_1on1s.csv:8: '2026-11-31' is not a date (write dates as YYYY-MM-DD, e.g. 2026-11-03)",
    "team_1on1s.csv:9: call 'dana-1' is dana's, not eli's (list only calls of the coached rep)",
    "team_1on1s.csv:12: empty criterion (every row needs rep, criterion, held_on)",
]


def test_import_reports_every_bad_row_and_keeps_the_good(new_db, tmp_path):
    store = fresh(new_db)
    csv_path = tmp_path / "team_1on1s.csv"
    shutil.copy(FIXTURES / "team_1on1s.csv", csv_path)
    report = import_sessions(store, csv_path)
    assert [str(e).replace(str(tmp_path) + "/", "") for e in report.errors] == BAD_ROWS
    # a call the store never scored is kept as logged, with a warning (line 11)
    assert [str(w).replace(str(tmp_path) + "/", "") for w in report.warnings] == [
        "team_1on1s.csv:11: no scored call 'eli-9' (did you mean 'eli-3' or 'eli-2' or "
        "'eli-1'?)"]
    assert [(s.rep, s.criterion_id, s.held_on, s.calls, s.notes) for s in report.added] == [
        ("dana", "discovery", "2026-11-03", ("dana-1", "dana-2"), "role-play the pricing pivot"),
        ("dana", "next_step", "2026-11-10", (), "by criterion name"),
        ("eli", "discovery", "2026-11-04", ("eli-1",),
         "multi-line note:\nasked about the current process"),
        ("eli", "next_step", "2026-11-12", ("eli-9",), None),
    ]
    # line 13 repeats line 2's rep + criterion + date: the same session
    assert [(line, s.id) for line, s in report.already] == [(13, report.added[0].id)]
    assert {s.source for s in store.sessions()} == {"import:team_1on1s.csv"}


def test_import_twice_adds_nothing(new_db, tmp_path):
    fresh(new_db).close()
    db = new_db("coach")
    first = cli(db, "import", str(FIXTURES / "team_1on1s.csv"))
    assert first.exit_code == 1  # bad rows make the run fail, after the good rows are in
    assert first.stdout.endswith(": 4 imported, 1 already logged, 5 bad rows\n")
    assert first.stderr.count("error: ") == 5
    assert first.stderr.count("warning: ") == 1
    before = Store(db).sessions()
    second = cli(db, "import", str(FIXTURES / "team_1on1s.csv"))
    assert second.stdout.endswith(": 0 imported, 5 already logged, 5 bad rows\n")
    assert Store(db).sessions() == before


def test_import_held_on_header_and_clean_file_exits_0(new_db, tmp_path):
    fresh(new_db).close()
    path = tmp_path / "s.csv"
    path.write_text("rep,criterion,held_on,calls,notes\r\ndana,discovery,2026-11-03,,\r\n",
                    encoding="utf-8")
    result = cli(new_db("coach"), "import", str(path))
    assert (result.exit_code, result.stdout) == (0, f"{path}: 1 imported, 0 already logged, "
                                                    f"0 bad rows\n")


@pytest.mark.parametrize("text, message", [
    ("rep,criterion,when\n", "s.csv:1:3: unknown column 'when' (known columns: calls, "
                             "criterion, date, held_on, notes, rep)"),
    ("rep,critrion,date\n", "s.csv:1:2: unknown column 'critrion' (did you mean 'criterion'?)"),
    ("rep,criterion,notes\n", "s.csv:1: missing column(s) held_on (the header is "
                              "rep,criterion,held_on,calls,notes (calls and notes optional))"),
    ("", "s.csv: s.csv is empty (the first line names the columns: "
         "rep,criterion,held_on,calls,notes)"),
], ids=["unknown-column", "misspelt-column", "missing-column", "empty"])
def test_import_bad_header(new_db, tmp_path, text, message):
    store = fresh(new_db)
    with pytest.raises(UsageError) as info:
        import_sessions(store, Path("s.csv"), text=text)
    assert str(info.value) == message


# -- list and delete ------------------------------------------------------------------------
def test_list_formats_and_csv_round_trip(new_db, tmp_path):
    store = fresh(new_db)
    log_session(store, "eli", held_on=date(2026, 11, 4), criterion_id="next_step", calls=[])
    log_session(store, "dana", held_on=date(2026, 11, 3), criterion_id="discovery",
                calls=["dana-1", "dana-2"], notes="pricing, then questions")
    store.close()
    db = new_db("coach")
    table = cli(db, "list")
    assert [line.rstrip() for line in table.stdout.splitlines()] == [
        "id   held on      rep    criterion   calls   notes",
        "─" * 68,
        " 2   2026-11-03   dana   discovery       2   pricing, then questions",
        " 1   2026-11-04   eli    next_step       0",
    ]
    assert json.loads(cli(db, "list", "--rep", "eli", "--format", "json").stdout) == [
        {"id": 1, "rep": "eli", "rubric_id": RUBRIC_ID, "criterion": "next_step",
         "held_on": "2026-11-04", "calls": [], "notes": None, "source": "cli"}]
    exported = cli(db, "list", "--format", "csv").stdout
    assert exported == ("id,rep,criterion,held_on,calls,notes\n"   # the id session delete takes
                        '2,dana,discovery,2026-11-03,dana-1;dana-2,"pricing, then questions"\n'
                        "1,eli,next_step,2026-11-04,,\n")
    other = fresh(lambda name: new_db("other"))
    report = import_sessions(other, Path("sessions.csv"), text=exported)
    assert [(s.rep, s.criterion_id, s.held_on, s.calls, s.notes) for s in other.sessions()] == \
        [(s.rep, s.criterion_id, s.held_on, s.calls, s.notes) for s in Store(db).sessions()]
    assert report.errors == []


def test_delete(new_db, tmp_path):
    store = fresh(new_db)
    log_session(store, "dana", held_on=date(2026, 11, 3), criterion_id="discovery", calls=[])
    store.close()
    db = new_db("coach")
    assert cli(db, "delete", "1").stdout == "deleted session #1: dana, discovery, 2026-11-03\n"
    missing = cli(db, "delete", "1")
    assert (missing.exit_code, missing.stderr) == (
        1, "error: no session #1 (list sessions and their ids with: callcoach session list)\n")


@pytest.mark.parametrize("sep", [";", "\t", ","], ids=["semicolon", "tab", "comma"])
def test_import_reads_semicolon_and_tab_separated_files(tmp_path, sep):
    store = fresh(tmp_path)
    text = sep.join(["rep", "criterion", "date", "calls", "notes"]) + "\n" + sep.join(
        ["dana", "discovery", "2026-11-03", "dana-1;dana-2" if sep != ";" else "dana-1",
         "role-play; then pricing" if sep != ";" else "role-play then pricing"]) + "\n"
    report = import_sessions(store, Path("log.csv"), text=text)
    assert report.errors == []
    [s] = store.sessions()
    assert (s.rep, s.criterion_id, s.held_on) == ("dana", "discovery", "2026-11-03")
    assert s.notes in ("role-play; then pricing", "role-play then pricing")


def test_a_session_dated_in_the_future_is_refused_without_force(tmp_path):
    store = fresh(tmp_path)
    with pytest.raises(UsageError, match=r"session date 2026-12-03 is in the future \(today is "
                                         r"2026-11-20\)"):
        log_session(store, "dana", held_on=date(2026, 12, 3), criterion_id="discovery",
                    calls=[], not_after=date(2026, 11, 20))
    report = import_sessions(store, Path("log.csv"), not_after=date(2026, 11, 20),
                             text="rep,criterion,date\ndana,discovery,2206-11-03\n"
                                  "dana,discovery,2026-11-03\n")
    assert [str(e) for e in report.errors] == [
        "log.csv:2: session date 2206-11-03 is in the future (today is 2026-11-20) (log a "
        "session once it is held; --force logs it anyway)"]
    assert len(report.added) == 1
    store.close()
    db = tmp_path / "coach.db"
    refused = cli(db, "add", "--rep", "dana", "--criterion", "discovery", "--date",
                  "2026-12-03", "--as-of", "2026-11-20")
    assert refused.exit_code == 2 and "is in the future" in refused.output
    forced = cli(db, "add", "--rep", "dana", "--criterion", "discovery", "--date",
                 "2026-12-03", "--as-of", "2026-11-20", "--force")
    assert forced.exit_code == 0, forced.output
